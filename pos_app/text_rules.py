"""What text may hold: no NUL, no other control character, no lone surrogate (DESIGN.md §3-4).

Why: one NUL typed into a customer note made PostgreSQL refuse HQ's whole push batch
("text fields cannot contain NUL"), and the till retried that batch for ever: no sale after it
reached HQ (issue 18). A string a person types, a string in an outbox event, a string HQ
stores: the same rule everywhere, defined once here and read by HQ through `sync.protocol`.

Refused: C0 control characters except TAB, LF and CR (a note may have several lines), DEL,
C1 control characters (U+0080-U+009F), and UTF-16 surrogates (a lone one cannot be encoded
as UTF-8, so no database can store it). Everything else, every script and emoji, is text.

Pure functions: safe on any thread.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["UnsafeText", "first_unsafe", "check_text", "unsafe_in", "describe_char",
           "strip_unsafe"]

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMES = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL", "\x0b": "vertical tab",
          "\x0c": "form feed", "\x08": "backspace", "\x1d": "GS"}


def describe_char(char: str) -> str:
    """"U+0000 (NUL)": how an error names a refused character (never the character itself)."""
    name = _NAMES.get(char)
    code = f"U+{ord(char):04X}"
    return f"{code} ({name})" if name else code


@dataclass(frozen=True)
class UnsafeText(ValueError):
    """A control character where text was expected: which field, which character, where."""

    field: str
    char: str
    index: int

    def __str__(self) -> str:
        return (f"{self.field}: control character {describe_char(self.char)} at position "
                f"{self.index + 1} is not allowed in text")


def first_unsafe(value: str) -> tuple[int, str] | None:
    """(index, character) of the first refused character of `value`, or None."""
    m = _UNSAFE.search(value)
    return None if m is None else (m.start(), m.group())


def check_text(value: str | None, field: str) -> None:
    """Raise UnsafeText when `value` holds a refused character (None and "" are fine)."""
    if value:
        hit = first_unsafe(value)
        if hit is not None:
            raise UnsafeText(field, hit[1], hit[0])


def _walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            key_text = str(key)
            yield (f"{path}.<key>" if path else "<key>"), key_text
            yield from _walk(item, f"{path}.{key_text}" if path else key_text)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}[{i}]")


def unsafe_in(value: Any, path: str = "") -> UnsafeText | None:
    """The first refused character anywhere in a JSON-like value (keys included), or None.

    `path` names where it is ("payload.sale.lines[0].note"), so the person who must fix it
    knows which field."""
    for where, text in _walk(value, path):
        hit = first_unsafe(text)
        if hit is not None:
            return UnsafeText(where or "text", hit[1], hit[0])
    return None


def strip_unsafe(value: str, replacement: str = "\ufffd") -> str:
    """`value` with every refused character replaced: for storing a *refused* input's excerpt
    (a quarantine reason, a log line), never for accepting it."""
    return _UNSAFE.sub(replacement, value)
