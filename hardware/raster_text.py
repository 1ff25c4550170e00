"""Receipt text drawn as black-and-white images with the bundled DejaVu Sans font.

Why: a printer whose profile has no Vietnamese code page (or one configured for raster
text) still prints "Áo sơ mi lụa" correctly when the text arrives as a bitmap (GS v 0). DejaVu
Sans covers every Vietnamese letter and "₫"; it ships in resources/fonts, so the result does
not depend on the fonts of the till's operating system.

The images are exactly the printable width in dots and use the same blocks as the text
output: a text block wraps by pixel width and keeps its alignment; a row puts its value flush
right on the first line. A normal line is about as tall as the printer's own 12x24 font, so a
raster receipt is as long as a text one. Images are mode "1" with hard thresholds (no
dithering speckles around letters).

Pure code (Pillow): safe on any thread; fonts are loaded once and cached.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from pos_app.receipts.layout import Align, RowBlock, Size, TextBlock

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
NORMAL_PX = 21  # ~ the height of a 12x24 printer font's capitals and descenders


@lru_cache(maxsize=16)
def load_font(bold: bool, px: int) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / (BOLD if bold else REGULAR)
    if not path.exists():
        raise FileNotFoundError(f"The bundled receipt font is missing: {path}")
    return ImageFont.truetype(str(path), px)


class RasterText:
    """Draws text and row blocks `width_px` dots wide; `columns` sets the indent unit."""

    def __init__(self, width_px: int, columns: int, normal_px: int = NORMAL_PX) -> None:
        if width_px < 64 or columns < 8:
            raise ValueError(f"Too narrow for a receipt: {width_px} dots, {columns} columns")
        self.width = width_px
        self.column_px = width_px / columns
        self.normal_px = normal_px

    # --- blocks ---------------------------------------------------------------------------
    def text_block(self, block: TextBlock) -> Image.Image:
        font = self._font(block.bold, block.size)
        indent = round(block.indent * self.column_px)
        lines = self.wrap(block.text, font, self.width - indent)
        image, draw, line_h = self._canvas(font, len(lines))
        for i, line in enumerate(lines):
            x = indent + self._aligned_x(line, font, self.width - indent, block.align)
            draw.text((x, i * line_h), line, font=font, fill=0)
        return self._finish(image, block.size)

    def row_block(self, block: RowBlock) -> Image.Image:
        font = self._font(block.bold, block.size)
        indent = round(block.indent * self.column_px)
        avail = self.width - indent
        right_w = font.getlength(block.right)
        gap = self.column_px
        if avail - right_w - gap >= avail / 3:
            lines = self.wrap(block.left, font, avail - right_w - gap) if block.left else [""]
            rows = [(line, block.right if i == 0 else "") for i, line in enumerate(lines)]
        else:
            rows = [(line, "") for line in self.wrap(block.left, font, avail)] if block.left \
                else []
            rows += [("", part) for part in self.wrap(block.right, font, avail)]
        image, draw, line_h = self._canvas(font, len(rows))
        for i, (left, right) in enumerate(rows):
            if left:
                draw.text((indent, i * line_h), left, font=font, fill=0)
            if right:
                draw.text((self.width - font.getlength(right), i * line_h), right, font=font,
                          fill=0)
        return self._finish(image, block.size)

    def caption(self, text: str) -> Image.Image:
        """One centred line (under a QR code)."""
        return self.text_block(TextBlock(text, Align.CENTER))

    # --- helpers --------------------------------------------------------------------------
    def wrap(self, text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
        """Greedy word wrap by pixel width; a word wider than a line is split by letters."""
        text = " ".join(text.split())
        if font.getlength(text) <= width:  # most receipt lines: one measurement
            return [text]
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if font.getlength(candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            while font.getlength(word) > width:
                cut = max(1, self._fit(word, font, width))
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
        return lines

    @staticmethod
    def _fit(word: str, font: ImageFont.FreeTypeFont, width: float) -> int:
        n = len(word)
        while n > 1 and font.getlength(word[:n]) > width:
            n -= 1
        return n

    def _font(self, bold: bool, size: Size) -> ImageFont.FreeTypeFont:
        return load_font(bold, self.normal_px * (2 if size is Size.LARGE else 1))

    def _canvas(self, font: ImageFont.FreeTypeFont, lines: int):
        ascent, descent = font.getmetrics()
        line_h = ascent + descent + 2
        image = Image.new("L", (self.width, max(1, lines) * line_h), 255)
        return image, ImageDraw.Draw(image), line_h

    def _aligned_x(self, line: str, font: ImageFont.FreeTypeFont, width: float,
                   align: Align) -> int:
        free = max(0.0, width - font.getlength(line))
        if align is Align.CENTER:
            return round(free / 2)
        if align is Align.RIGHT:
            return round(free)
        return 0

    @staticmethod
    def _finish(image: Image.Image, size: Size) -> Image.Image:
        if size is Size.TALL:  # double height, normal width: like ESC ! 0x10
            image = image.resize((image.width, image.height * 2), Image.Resampling.NEAREST)
        return image.convert("1", dither=Image.Dither.NONE)  # threshold at 128
