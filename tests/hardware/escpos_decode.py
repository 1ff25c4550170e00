"""Reads an ESC/POS byte stream back the way a printer would: text, images, codes, cuts.

Why: tests must check what a receipt *prints*, not only which bytes it contains: that
"Áo sơ mi lụa" comes out of the TCVN-3 or CP1258 bytes, that the QR image decodes to the
sale code, that the drawer kick comes first. This parser understands exactly the commands
Storeline and python-escpos emit and refuses anything else (an unknown command fails the
test at its offset), so a renderer change that emits something new is noticed. `preview`
draws the result as a picture of the paper, to look at.

Test helper: runs in the test's thread.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import qrcode
from barcode import Code128
from barcode.writer import ImageWriter
from PIL import Image, ImageDraw

from hardware.codepages import page_table
from hardware.raster_text import load_font


@dataclass
class Line:
    text: str
    align: str
    bold: bool
    double_width: bool
    double_height: bool


@dataclass
class Printout:
    """What came out: `items` in order (Line, Image.Image, ("barcode", data), ("qr", data),
    ("cut",), ("drawer", pin, on_ms), ("pulse", pin, ms), ("status", n), ("feed", n))."""

    items: list = field(default_factory=list)
    pages_used: set = field(default_factory=set)

    @property
    def lines(self) -> list[Line]:
        return [i for i in self.items if isinstance(i, Line)]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def images(self) -> list[Image.Image]:
        return [i for i in self.items if isinstance(i, Image.Image)]

    def of_kind(self, kind: str) -> list[tuple]:
        return [i for i in self.items if isinstance(i, tuple) and i[0] == kind]


def _inverse(page: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for ch, byte in page_table(page).items():
        if ch != "Ð" or byte not in out:  # TCVN-3-2: the database's "Ð" is Vietnamese "Đ"
            out[byte] = ch
    return out


class Decoder:
    def __init__(self, code_pages: dict[str, int]) -> None:
        self.by_slot = {int(slot): name for name, slot in code_pages.items()}
        self.out = Printout()
        self._reset()

    def _reset(self) -> None:
        self.page = self.by_slot.get(0)
        self.align, self.bold, self.dw, self.dh = "left", False, False, False
        self.buffer = ""

    def decode(self, data: bytes) -> Printout:
        i, n = 0, len(data)
        while i < n:
            b = data[i]
            if b == 0x0A:
                self._flush()
                i += 1
            elif b == 0x1B:
                i = self._esc(data, i)
            elif b == 0x1D:
                i = self._gs(data, i)
            elif b == 0x10:
                i = self._dle(data, i)
            elif b >= 0x20:
                self.buffer += chr(b) if b < 0x80 else self._char(b, i)
                i += 1
            else:
                raise ValueError(f"Unexpected control byte 0x{b:02x} at offset {i}")
        self._flush_partial()
        return self.out

    def _char(self, b: int, offset: int) -> str:
        if self.page is None:
            raise ValueError(f"Byte 0x{b:02x} at {offset} with no code page selected")
        self.out.pages_used.add(self.page)
        try:
            return _inverse(self.page)[b]
        except KeyError:
            raise ValueError(f"Byte 0x{b:02x} at {offset} is unused in {self.page}") from None

    def _flush(self) -> None:
        text = unicodedata.normalize("NFC", self.buffer)  # CP1258 tone marks recompose
        self.out.items.append(Line(text, self.align, self.bold, self.dw, self.dh))
        self.buffer = ""

    def _flush_partial(self) -> None:
        if self.buffer:
            self._flush()

    def _esc(self, d: bytes, i: int) -> int:
        c = d[i + 1]
        if c == 0x40:  # ESC @
            self._flush_partial()
            self._reset()
            return i + 2
        arg = d[i + 2]
        if c == 0x21:  # ESC ! n
            self.bold, self.dh, self.dw = bool(arg & 0x08), bool(arg & 0x10), bool(arg & 0x20)
        elif c == 0x45:
            self.bold = bool(arg & 1)
        elif c == 0x61:
            self._flush_partial()
            self.align = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center",
                          50: "right"}[arg]
        elif c == 0x74:  # ESC t n
            if arg not in self.by_slot:
                raise ValueError(f"ESC t {arg} at {i}: no such code page in the profile")
            self.page = self.by_slot[arg]
        elif c == 0x64:  # ESC d n
            self._flush_partial()
            self.out.items.append(("feed", arg))
        elif c == 0x70:  # ESC p m t1 t2
            self.out.items.append(("drawer", 2 if arg in (0, 48) else 5, d[i + 3] * 2))
            return i + 5
        elif c == 0x4D:  # ESC M n (font)
            pass
        else:
            raise ValueError(f"Unknown command ESC 0x{c:02x} at offset {i}")
        return i + 3

    def _gs(self, d: bytes, i: int) -> int:
        c = d[i + 1]
        if c == 0x56:  # GS V m [n]
            self._flush_partial()
            self.out.items.append(("cut",))
            return i + (4 if d[i + 2] in (65, 66) else 3)
        if c in (0x68, 0x77, 0x66, 0x48):  # GS h / w / f / H: barcode settings
            return i + 3
        if c == 0x6B:  # GS k m ...
            m = d[i + 2]
            if m >= 65:
                length = d[i + 3]
                raw = d[i + 4:i + 4 + length]
                self.out.items.append(("barcode", _code128_text(raw) if m == 73 else
                                       raw.decode("ascii")))
                return i + 4 + length
            end = d.index(0, i + 3)
            self.out.items.append(("barcode", d[i + 3:end].decode("ascii")))
            return end + 1
        if c == 0x76 and d[i + 2] in (0x30, 0):  # GS v 0 m xL xH yL yH data
            width_bytes = d[i + 4] + 256 * d[i + 5]
            height = d[i + 6] + 256 * d[i + 7]
            start = i + 8
            raw = d[start:start + width_bytes * height]
            image = Image.frombytes("1", (width_bytes * 8, height), raw)
            self._flush_partial()
            self.out.items.append(Image.eval(image.convert("L"), lambda v: 255 - v))
            return start + width_bytes * height
        if c == 0x28 and d[i + 2] == 0x6B:  # GS ( k pL pH cn fn ...
            length = d[i + 3] + 256 * d[i + 4]
            body = d[i + 5:i + 5 + length]
            if body[1] == 80:  # store the data
                self.out.items.append(("qr", body[3:].decode("utf-8")))
            return i + 5 + length
        raise ValueError(f"Unknown command GS 0x{c:02x} at offset {i}")

    def _dle(self, d: bytes, i: int) -> int:
        if d[i + 1] == 0x04:  # DLE EOT n
            self.out.items.append(("status", d[i + 2]))
            return i + 3
        if d[i + 1] == 0x14 and d[i + 2] == 1:  # DLE DC4 1 m t
            self.out.items.append(("pulse", 2 if d[i + 3] == 0 else 5, d[i + 4] * 100))
            return i + 5
        raise ValueError(f"Unknown real-time command at offset {i}")


def _code128_text(raw: bytes) -> str:
    """The text of GS k 73 data: "{B" ASCII, "{C" digit pairs sent as bytes 0..99."""
    out, mode, j = "", None, 0
    while j < len(raw):
        if raw[j] == ord("{") and j + 1 < len(raw) and raw[j + 1] in b"ABC":
            mode = chr(raw[j + 1])
            j += 2
            continue
        out += f"{raw[j]:02d}" if mode == "C" else chr(raw[j])
        j += 1
    return out


def decode(data: bytes, code_pages: dict[str, int]) -> Printout:
    return Decoder(code_pages).decode(data)


def preview(printout: Printout, width_px: int, columns: int) -> Image.Image:
    """A picture of the paper: text in character cells, images and codes as printed."""
    cell = width_px // columns
    parts: list[Image.Image] = []
    for item in printout.items:
        if isinstance(item, Line):
            scale_w, scale_h = (2 if item.double_width else 1), (2 if item.double_height else 1)
            font = load_font(item.bold, 20 * scale_w)
            row = Image.new("L", (width_px, 26 * scale_w), 255)
            draw = ImageDraw.Draw(row)
            used = len(item.text) * cell * scale_w
            x0 = {"left": 0, "center": (width_px - used) // 2, "right": width_px - used}[
                item.align]
            for k, ch in enumerate(item.text):
                draw.text((x0 + k * cell * scale_w, 0), ch, font=font, fill=0)
            if scale_h > scale_w:  # double height only: stretched like the printer does
                row = row.resize((row.width, row.height * 2))
            parts.append(row)
        elif isinstance(item, Image.Image):
            parts.append(item)
        elif item[0] == "barcode":
            parts.append(Code128(item[1], writer=ImageWriter()).render().convert("L"))
        elif item[0] == "qr":
            parts.append(qrcode.make(item[1], box_size=4).get_image().convert("L"))
        elif item[0] == "cut":
            parts.append(Image.new("L", (width_px, 4), 128))
    height = sum(p.height for p in parts) + 20
    paper = Image.new("L", (width_px + 20, height), 255)
    y = 10
    for part in parts:
        x = 10 + max(0, (width_px - part.width) // 2) if part.width < width_px else 10
        paper.paste(part.crop((0, 0, min(part.width, width_px), part.height)), (x, y))
        y += part.height
    return paper
