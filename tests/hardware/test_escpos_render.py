"""Receipt blocks to ESC/POS: byte-exact against python-escpos's Dummy, and read back.

Each byte-exact test builds the expected bytes by calling python-escpos (`Dummy`) the way a
careful person would by hand -- ESC @, `set`, `cashdraw`, `_hw_barcode`, `qr`, `cut` -- with
the encoded text written out from the code page tables. The read-back tests decode the whole
rendered receipt (tests/hardware/escpos_decode.py) and compare it with the layout.
"""
from __future__ import annotations

import pytest
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image

from hardware.codepages import UnencodableText
from hardware.escpos_render import ReceiptRenderer, _stack, code128_escpos_data
from hardware.printer_settings import PrinterSettings, SettingsError, resolve_geometry
from pos_app.receipts.layout import (Align, BarcodeBlock, FeedBlock, QrBlock, RowBlock,
                                    RuleBlock, Size, TextBlock, plain_text, receipt_blocks)
from tests.hardware.escpos_decode import decode, preview


def renderer(profile: str = "TM-T88V", **settings) -> ReceiptRenderer:
    return ReceiptRenderer(PrinterSettings(uri="tcp://printer:9100", profile=profile,
                                           **settings))


def printed(r: ReceiptRenderer, data: bytes):
    return decode(data, r.profile.get_code_pages())


def test_text_blocks_byte_exact_against_dummy():
    r = renderer()  # TM-T88V: 42 columns on 80 mm, TCVN-3 on pages 30/31
    blocks = [TextBlock("Storeline", Align.CENTER, bold=True, size=Size.LARGE),
              RowBlock("Tổng", "199.000\u00a0₫", bold=True, size=Size.TALL),
              TextBlock("Cảm ơn", bold=True),
              RuleBlock(), FeedBlock(2)]
    expected = Dummy(profile="TM-T88V")
    expected.hw("INIT")
    expected.set(align="center", bold=True, double_width=True, double_height=True)
    expected._raw(b"Storeline\n")
    expected.set(align="left", double_height=True, bold=True)  # ESC ! clears bold: sent again
    # ổ is 0xE6 on page 30; ₫ is only in CP1258 (slot 52): 4 + 28 spaces + 9 = 42 columns
    expected._raw(b"T\x1bt\x1e\xe6ng" + b" " * 29 + b"199.000 \x1bt\x34\xfe\n")
    expected.set(normal_textsize=True, bold=True)
    expected._raw(b"C\x1bt\x1e\xb6m \xac\x6e\n")  # ả 0xB6, ơ 0xAC
    expected.set(bold=False)
    expected._raw(b"-" * 42 + b"\n" + b"\n\n")
    expected.cut(mode="PART")
    assert r.render_blocks(blocks) == expected.output


def test_drawer_kick_comes_first_and_alone_for_no_sale():
    expected = Dummy()
    expected.hw("INIT")
    expected.cashdraw(2)
    assert renderer().render(None, open_drawer=True) == expected.output
    expected5 = Dummy()
    expected5.hw("INIT")
    expected5.cashdraw(5)
    assert renderer(drawer_pin=5).render(None, open_drawer=True) == expected5.output
    assert expected.output == b"\x1b@\x1bp\x00\x32\x32"  # ESC p 0, 100 ms on, 100 ms off


def test_native_barcode_and_qr_byte_exact():
    r = renderer()  # TM-T88V supports barcodeB and qrCode
    expected = Dummy(profile="TM-T88V")
    expected.hw("INIT")
    expected.set(align="center")
    expected._hw_barcode("{BHCM1-T02-{C\x00\x00\x01", "CODE128", height=64, width=2,
                         pos="BELOW", font="B", align_ct=True, function_type="B")
    expected._raw(b"\n")
    expected.qr("SLR1:HCM1-T02-000001:AB", ec=QR_ECLEVEL_M, size=6, native=True)
    expected._raw(b"\n")
    blocks = [BarcodeBlock("HCM1-T02-000001"), QrBlock("SLR1:HCM1-T02-000001:AB")]
    data = r.render_blocks(blocks, cut=False)
    assert data == expected.output
    out = printed(r, data)
    assert out.of_kind("barcode") == [("barcode", "HCM1-T02-000001")]
    assert out.of_kind("qr") == [("qr", "SLR1:HCM1-T02-000001:AB")]


def test_code128_switches_to_code_set_c_for_the_sequence_number():
    assert code128_escpos_data("HCM1-T02-000123") == "{BHCM1-T02-{C\x00\x01\x17"
    assert code128_escpos_data("HCM1-T02-00012") == "{BHCM1-T02-0{C\x00\x0c"
    assert code128_escpos_data("AB-12") == "{BAB-12"
    assert code128_escpos_data("123456") == "{C\x0c\x22\x38"


def test_whole_receipt_prints_what_the_layout_says(vn_receipt, artifacts):
    r = renderer()
    data = r.render(vn_receipt, open_drawer=True)
    out = printed(r, data)
    assert out.items[0] == ("drawer", 2, 100)  # the drawer opens while the receipt prints
    assert out.items[-1] == ("cut",)
    # what the layout says, codes aside (they are checked as codes): the QR's caption stays
    blocks = [TextBlock(b.caption, Align.CENTER) if isinstance(b, QrBlock) else b
              for b in receipt_blocks(vn_receipt) if not isinstance(b, BarcodeBlock)]
    expected = [e.replace("\u00a0", " ").strip() for e in plain_text(blocks, r.columns)]
    # the printer centres with ESC a instead of leading spaces; compare without them
    assert [line.text.strip() for line in out.lines if line.text.strip()] == \
        [e for e in expected if e]
    assert out.of_kind("barcode") == [("barcode", vn_receipt.receipt_no)]
    assert out.of_kind("qr") == [("qr", vn_receipt.sale_code)]
    assert "?" not in out.text and out.pages_used <= {"TCVN-3-1", "TCVN-3-2", "CP1258"}
    assert not out.images  # this profile prints everything as text and native codes
    store = out.lines[0]
    assert store.text == "Storeline Đồng Khởi" and store.bold and store.double_width
    total = next(line for line in out.lines if line.text.startswith("TỔNG CỘNG"))
    assert total.bold and total.double_height and not total.double_width
    preview(out, r.geometry.pixels, r.columns).save(artifacts / "vn-TM-T88V-text.png")


def test_auto_mode_prints_images_only_for_what_code_pages_cannot(vn_receipt, artifacts):
    r = renderer("TM-T88IV")  # no Vietnamese code page
    out = printed(r, r.render(vn_receipt))
    assert out.images, "Vietnamese lines must come out as raster images"
    assert all(image.width == r.geometry.pixels for image in out.images[:-2])
    texts = [line.text for line in out.lines]
    assert "1 Test Street" in [t.strip() for t in texts]  # plain ASCII stays text
    assert "?" not in out.text
    assert any("TUI-BE" in t for t in texts)
    preview(out, r.geometry.pixels, r.columns).save(artifacts / "vn-TM-T88IV-auto.png")


def test_raster_mode_prints_every_text_block_as_an_image(vn_receipt, artifacts):
    r = renderer("simple", text_mode="raster", width_mm=58)
    out = printed(r, r.render(vn_receipt))
    assert r.geometry.pixels == 384 and r.columns == 32
    text_lines = [line.text for line in out.lines if line.text.strip()]
    assert all(set(t) <= {"-", "="} for t in text_lines), text_lines  # only the rules
    assert all(image.width <= 384 for image in out.images)
    preview(out, r.geometry.pixels, r.columns).save(artifacts / "vn-58mm-raster.png")


def test_codepage_mode_refuses_text_it_cannot_print(vn_receipt):
    with pytest.raises(UnencodableText, match="cannot print"):
        renderer("TM-T88IV", text_mode="codepage").render(vn_receipt)


def test_58mm_text_fits_32_columns(vn_receipt):
    r = renderer("POS-5890")  # 58 mm, CP1258, no native barcode or QR: images
    out = printed(r, r.render(vn_receipt))
    assert r.columns == 32
    for line in out.lines:
        assert len(line.text) * (2 if line.double_width else 1) <= 32, line.text
    assert "?" not in out.text and "CP1258" in out.pages_used
    assert all(image.width <= 384 for image in out.images)


def test_an_injected_escape_in_a_name_does_not_reset_the_printer():
    r = renderer()
    data = r.render_blocks([TextBlock("Áo\x1b@ đỏ")], cut=False)
    assert data.count(b"\x1b@") == 1 and data.startswith(b"\x1b@")


def test_geometry_comes_from_the_profile_or_the_paper_width():
    def geo(profile, width=None):
        g = resolve_geometry(PrinterSettings(uri="tcp://x", profile=profile, width_mm=width))
        return g.width_mm, g.pixels, g.columns

    assert geo("TM-T88V") == (80, 512, 42)
    assert geo("TM-T20II") == (80, 576, 48)
    assert geo("POS-5890") == (58, 384, 32)
    assert geo("default") == (80, 576, 48)
    assert geo("default", 58) == (58, 384, 32)
    assert geo("TM-T88V", 58) == (58, 384, 32)  # an 80 mm profile on 58 mm paper
    assert geo("NT-80-V-UL") == (80, 576, 48)  # its font table says 12 columns: ignored


def test_bad_settings_are_refused_with_the_fix():
    with pytest.raises(SettingsError, match="Unknown printer profile 'TM-X'"):
        PrinterSettings(uri="tcp://x", profile="TM-X")
    with pytest.raises(SettingsError, match="58 or 80"):
        PrinterSettings(uri="tcp://x", width_mm=76)
    with pytest.raises(SettingsError, match="Text mode 'fast'"):
        PrinterSettings(uri="tcp://x", text_mode="fast")
    with pytest.raises(SettingsError, match="profile POS-5890: The printer profile has no "
                                            "TCVN-3"):
        ReceiptRenderer(PrinterSettings(uri="tcp://x", profile="POS-5890", code_page="TCVN-3"))
    settings = PrinterSettings(uri="usb://04b8:0202", profile="TM-T88V", text_mode="raster")
    assert PrinterSettings.from_dict(settings.to_dict()) == settings
    with pytest.raises(SettingsError, match="Unknown printer setting"):
        PrinterSettings.from_dict({"uri": "tcp://x", "colour": "red"})


def test_images_are_pure_black_and_white():
    r = renderer("simple", text_mode="raster")
    image = r.raster.text_block(TextBlock("Nguyễn Thị Lan", bold=True))
    assert image.mode == "1" and {c for _, c in image.convert("L").getcolors()} == {0, 255}
    assert isinstance(r.qr_image("SLR1:X"), Image.Image)


def test_raster_text_is_the_image_python_escpos_would_send():
    """Stacked raster lines go out as python-escpos's bitImageRaster bytes, 960-row fragments
    included (the fast path must not change a single bit)."""
    r = renderer("simple", text_mode="raster")  # 576 dots
    blocks = [TextBlock("Áo sơ mi lụa", bold=True), RowBlock("Tổng cộng", "199.000\u00a0₫")] * 25
    images = [r.raster.text_block(b) if isinstance(b, TextBlock) else r.raster.row_block(b)
              for b in blocks]
    stacked = _stack(images)
    assert stacked.height > 960
    expected = Dummy(profile="TM-T20II")  # a 576-dot profile, so image() knows the width
    expected.hw("INIT")
    expected.image(stacked, impl="bitImageRaster")
    assert r.render_blocks(blocks, cut=False) == expected.output


def test_preview_image_for_the_screen(vn_receipt, artifacts):
    import zxingcpp

    r = renderer("TM-T20II")  # 576 dots
    image = r.preview_image(vn_receipt)
    assert image.mode == "1" and image.width == 576 and image.height > 1200
    found = {res.format.name: res.text for res in zxingcpp.read_barcodes(image.convert("L"))}
    assert found == {"QRCode": vn_receipt.sale_code, "Code128": vn_receipt.receipt_no}
    image.save(artifacts / "vn-preview.png")
