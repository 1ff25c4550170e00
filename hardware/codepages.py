"""Text to printer bytes through the code pages a printer profile lists, Vietnamese first.

Why: receipt printers have no Unicode; they print one byte per cell from a code page chosen
with ESC t n. Vietnamese needs care that python-escpos's "magic encode" does not give it:

- TCVN-3 (Epson pages 30 and 31 in the capabilities database) splits the alphabet: page
  "TCVN-3-1" has the lower-case letters with diacritics, "TCVN-3-2" the upper-case ones at the
  same positions. Each letter is one glyph. The database writes the capital D with stroke of
  page 2 as "Ð" (U+00D0, Icelandic eth); Vietnamese "Đ" is U+0110, so we map it there too.
- CP1258 has only some precomposed letters (â ă ê ô ơ ư đ and a few with tones); the others,
  such as "ữ", must be written decomposed: base letter + combining tone mark (ư + U+0303),
  which is how Windows-1258 text is normally stored. Python's cp1258 codec does not do that.
- Magic encode writes "?" for anything it cannot encode. We never do: a character no page
  can print is first replaced by a faithful equivalent (typographic dashes and quotes by
  ASCII ones; "₫" by "đ" on a printer that has Vietnamese but no "₫"); if none exists, `UnencodableText` is
  raised, and the renderer prints that block as a raster image instead (or, when the printer
  is forced to code pages only, refuses the job with a message naming the character).

Control characters (ESC, GS, ...) in names or notes are replaced by spaces so that data can
never inject printer commands.

Page choice per character: the Vietnamese family chosen for the printer (TCVN-3 or CP1258),
then the page already selected, then the profile's other pages by slot (python-escpos's order).

Pure code: safe on any thread (the per-page tables are cached and read-only).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from escpos.capabilities import CAPABILITIES

TCVN_LOWER, TCVN_UPPER = "TCVN-3-1", "TCVN-3-2"
CP1258 = "CP1258"
FAMILIES = {"TCVN-3": (TCVN_LOWER, TCVN_UPPER), "CP1258": (CP1258,)}

ESC_T = b"\x1bt"  # ESC t n: select character code table n
# The five Vietnamese tone marks CP1258 has as combining characters: grave, acute, tilde,
# hook above, dot below.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
SPACES = {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "}

# Faithful stand-ins, used only for characters that no page of the printer can print.
SUBSTITUTES = {
    "–": "-", "—": "-", "‐": "-", "−": "-", "‘": "'", "’": "'", "‚": ",",
    "“": '"', "”": '"', "„": '"', "…": "...", "•": "*", "·": "-", "×": "x", "€": "EUR",
    "™": "TM", "©": "(c)", "®": "(R)",
}
# The dong sign written as Vietnamese write it by hand -- only on a printer with a Vietnamese
# page (TCVN-3 has "đ" but no "₫"); elsewhere the line goes raster with the real sign.
VIETNAMESE_SUBSTITUTES = {"₫": "đ"}


class UnencodableText(ValueError):
    """A character that no code page of the printer can print (and has no stand-in)."""

    def __init__(self, char: str, text: str) -> None:
        name = unicodedata.name(char, f"U+{ord(char):04X}")
        super().__init__(f"The printer's code pages cannot print {char!r} ({name}) in {text!r}")
        self.char = char
        self.text = text


@lru_cache(maxsize=None)
def page_table(name: str) -> dict[str, int]:
    """Character -> byte (128..255) for a code page of the capabilities database."""
    page = CAPABILITIES["encodings"].get(name, {})
    table: dict[str, int] = {}
    if "data" in page:
        for i, ch in enumerate("".join(page["data"])):
            if ch != " ":  # the database writes unused positions as spaces
                table.setdefault(ch, 128 + i)
    elif "python_encode" in page:
        for byte in range(128, 256):
            try:
                table.setdefault(bytes([byte]).decode(page["python_encode"]), byte)
            except UnicodeDecodeError:
                continue
    if name == TCVN_UPPER and "Ð" in table:
        table.setdefault("Đ", table["Ð"])  # U+0110 Vietnamese Đ at the glyph the DB calls Ð
    return table


@lru_cache(maxsize=4096)
def encode_char(page: str, ch: str) -> bytes | None:
    """The bytes for one (NFC) character in `page`, or None. ASCII is the same in every page.

    CP1258 falls back to decomposition: the base letter with its vowel marks, then the tone
    mark as a combining character ("ữ" -> "ư" + U+0303 -> b"\\xfd\\xde"; "ệ" -> "ê" + U+0323).
    """
    if " " <= ch <= "~" or ch == "\n":
        return ch.encode("ascii")
    table = page_table(page)
    if ch in table:
        return bytes([table[ch]])
    if page != CP1258:
        return None
    # Base letter with its vowel marks (circumflex, breve, horn) composed, tone marks after it.
    parts = unicodedata.normalize("NFD", ch)
    tones = [m for m in parts[1:] if m in TONE_MARKS]
    head = unicodedata.normalize("NFC", "".join(m for m in parts if m not in TONE_MARKS))
    if not tones or len(head) != 1 or any(m not in table for m in tones):
        return None
    head_bytes = encode_char(page, head)
    return None if head_bytes is None else head_bytes + bytes(table[m] for m in tones)


@dataclass(frozen=True, slots=True)
class CodePagePlan:
    """Which pages a printer may use, in order of preference, with their ESC t slots."""

    slots: dict[str, int]  # page name -> slot number, from the profile
    family: str | None  # "TCVN-3", "CP1258" or None (no Vietnamese page)

    @classmethod
    def for_profile(cls, code_pages: dict[str, int], prefer: str | None = None
                    ) -> "CodePagePlan":
        """`code_pages` is the profile's {name: slot}; `prefer` forces a Vietnamese family.

        Raises ValueError when `prefer` names a family the profile does not have.
        """
        slots = {name: int(slot) for name, slot in code_pages.items()}
        available = [f for f, pages in FAMILIES.items() if all(p in slots for p in pages)]
        if prefer is not None:
            if prefer not in FAMILIES:
                raise ValueError(f"Unknown Vietnamese code page {prefer!r}: "
                                 f"use one of {', '.join(FAMILIES)}")
            if prefer not in available:
                raise ValueError(f"The printer profile has no {prefer} code page "
                                 f"(it has {', '.join(available) or 'no Vietnamese page'})")
            return cls(slots, prefer)
        return cls(slots, available[0] if available else None)

    @property
    def order(self) -> tuple[str, ...]:
        family = FAMILIES.get(self.family or "", ())
        others = sorted((n for n in self.slots if n not in family), key=lambda n: self.slots[n])
        return tuple(family) + tuple(others)


def clean_text(text: str) -> str:
    """NFC; no-break and thin spaces become spaces (the layout already kept amounts together);
    control characters (which could be printer commands) become spaces too."""
    text = unicodedata.normalize("NFC", text)
    return "".join(SPACES.get(c) or (" " if unicodedata.category(c) in ("Cc", "Cf")
                                     and c != "\n" else c) for c in text)


class TextEncoder:
    """Encodes lines for one printer, remembering the page currently selected on it.

    One encoder per rendered job: the printer starts the job with ESC @ (page 0 selected
    again), so `current` starts as None and the first non-ASCII character selects its page.
    """

    def __init__(self, plan: CodePagePlan) -> None:
        self.plan = plan
        self.current: str | None = None

    def encode(self, text: str) -> bytes:
        """Bytes (with ESC t switches) for `text`; raises UnencodableText, leaving `current`
        as it was, so the caller can print the text another way."""
        saved = self.current
        try:
            return b"".join(self._char(ch, text) for ch in clean_text(text))
        except UnencodableText:
            self.current = saved
            raise

    def can_encode(self, text: str) -> bool:
        saved = self.current
        try:
            self.encode(text)
            return True
        except UnencodableText:
            return False
        finally:
            self.current = saved

    def _char(self, ch: str, text: str, depth: int = 0) -> bytes:
        if " " <= ch <= "~" or ch == "\n":
            return ch.encode("ascii")
        for page in self._candidates():
            encoded = encode_char(page, ch)
            if encoded is not None:
                return self._select(page) + encoded
        stand_in = SUBSTITUTES.get(ch) or (VIETNAMESE_SUBSTITUTES.get(ch)
                                           if self.plan.family else None)
        if stand_in is not None and depth < 3:
            return b"".join(self._char(c, text, depth + 1) for c in stand_in)
        raise UnencodableText(ch, text)

    def _candidates(self) -> list[str]:
        """The Vietnamese family, then the page already selected, then the rest by slot."""
        candidates = list(FAMILIES.get(self.plan.family or "", ()))
        if self.current and self.current not in candidates:
            candidates.append(self.current)
        return candidates + [p for p in self.plan.order if p not in candidates]

    def _select(self, page: str) -> bytes:
        if page == self.current:
            return b""
        self.current = page
        return ESC_T + bytes([self.plan.slots[page]])
