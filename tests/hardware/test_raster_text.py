"""The raster fallback: every Vietnamese test string is drawn with real glyphs, to width."""
from __future__ import annotations

import pytest
from PIL import Image, ImageChops, ImageDraw

from hardware.raster_text import NORMAL_PX, RasterText, load_font
from hardware.sample import ALPHABET_LOWER, ALPHABET_UPPER
from pos_app.receipts.layout import Align, RowBlock, Size, TextBlock

VIETNAMESE = [
    ALPHABET_LOWER, ALPHABET_UPPER,
    "Áo sơ mi lụa", "Đầm maxi hoa", "Quần jean ống đứng", "Túi vải canvas",
    "Nguyễn Thị Lan", "Trần Minh Quân", "HÓA ĐƠN BÁN HÀNG", "TỔNG CỘNG", "Tiền thối lại",
    "Đổi trả trong vòng 30 ngày kèm hóa đơn này", "Cảm ơn quý khách, hẹn gặp lại!",
    "1.250.000\u00a0₫", "Giày thể thao trẻ em", "ĐỒNG HỒ ĐEO TAY ỨNG DỤNG", "Những chữ ữ ợ ẫ ỵ",
]


def _glyph(ch: str, bold: bool) -> bytes:
    image = Image.new("L", (64, 64), 255)
    ImageDraw.Draw(image).text((8, 4), ch, font=load_font(bold, 40), fill=0)
    return image.tobytes()


@pytest.mark.parametrize("bold", [False, True])
def test_the_bundled_font_has_a_glyph_for_every_character(bold):
    missing = _glyph("\U000f0000", bold)  # a private-use code point: the "no glyph" box
    chars = {c for s in VIETNAMESE for c in s if not c.isspace()}
    lacking = sorted(c for c in chars if _glyph(c, bold) == missing)
    assert lacking == []
    assert _glyph("中", bold) == missing  # the check itself can see a gap (no CJK in DejaVu)
    assert _glyph("ữ", bold) != _glyph("ừ", bold)


@pytest.mark.parametrize("text", VIETNAMESE)
def test_every_vietnamese_string_renders_at_printer_width(text):
    raster = RasterText(576, 48)
    image = raster.text_block(TextBlock(text))
    assert image.mode == "1" and image.width == 576
    ink = ImageChops.invert(image.convert("L")).getbbox()
    assert ink is not None and ink[2] <= 576
    assert image.height >= NORMAL_PX  # at least one line


def test_a_line_too_long_wraps_and_keeps_its_alignment():
    raster = RasterText(384, 32)
    one = raster.text_block(TextBlock("Đổi trả"))
    many = raster.text_block(TextBlock(" ".join(["Đổi trả trong vòng 30 ngày"] * 4),
                                       Align.CENTER))
    assert many.height >= 3 * one.height
    left, _, right, _ = ImageChops.invert(many.convert("L")).getbbox()
    assert left > 0 and right < 384 and abs(left - (384 - right)) < 40  # centred


def test_a_row_puts_the_amount_flush_right():
    raster = RasterText(576, 48)
    image = raster.row_block(RowBlock("Tiền thối lại", "382.800\u00a0₫", bold=True))
    left, _, right, _ = ImageChops.invert(image.convert("L")).getbbox()
    assert left < 5 and right > 570
    long = raster.row_block(RowBlock("Giảm giá đơn hàng: " + "rất " * 20, "-50.000\u00a0₫"))
    assert long.height > image.height  # the label wrapped; the amount stayed on line one


def test_sizes():
    raster = RasterText(576, 48)
    normal = raster.text_block(TextBlock("TỔNG CỘNG"))
    tall = raster.text_block(TextBlock("TỔNG CỘNG", size=Size.TALL))
    large = raster.text_block(TextBlock("TỔNG CỘNG", size=Size.LARGE))
    assert tall.height == 2 * normal.height
    width = lambda im: ImageChops.invert(im.convert("L")).getbbox()[2]  # noqa: E731
    assert width(tall) == width(normal) and width(large) > 1.8 * width(normal)


def test_a_word_wider_than_the_paper_is_split_not_lost():
    raster = RasterText(384, 32)
    font = load_font(False, NORMAL_PX)
    word = "Đ" * 80
    lines = raster.wrap(word, font, 384)
    assert "".join(lines) == word and len(lines) > 1
    assert all(font.getlength(line) <= 384 for line in lines)
