"""The QR code and barcode on the printed receipt decode back to the sale (zxing-cpp).

The codes are taken from the rendered ESC/POS bytes (the GS v 0 raster images a printer
without native codes receives), decoded with a real barcode reader, and the QR's text is
verified against the sales journal of the till that made the sale.
"""
from __future__ import annotations

import pytest
import zxingcpp
from PIL import Image, ImageOps

from hardware.escpos_render import ReceiptRenderer
from hardware.printer_settings import PrinterSettings
from pos_app.receipts.receipt import build_receipt
from pos_app.receipts.code import parse_sale_code, verify_sale_code
from tests.hardware.escpos_decode import decode
from tests.hardware.receipt_sales import vn_sale


def _scan(image: Image.Image) -> list:
    # a quiet white margin around the printed code, as on paper
    return zxingcpp.read_barcodes(ImageOps.expand(image.convert("L"), border=24, fill=255))


@pytest.mark.parametrize("profile, width", [("POS-5890", 58), ("simple", 80)])
def test_printed_qr_and_barcode_decode_to_the_sale(device_db, clock, profile, width):
    engine, ctx = device_db
    done = vn_sale(engine, ctx, clock)
    with engine.connect() as conn:
        receipt = build_receipt(conn, done.sale_id)
    r = ReceiptRenderer(PrinterSettings(uri="tcp://x", profile=profile, width_mm=width))
    assert not r.profile.supports("qrCode")  # so the codes are printed as images
    out = decode(r.render(receipt), r.profile.get_code_pages())
    found = {}
    for image in out.images:
        for result in _scan(image):
            found[result.format.name] = result.text
    assert found.get("QRCode") == receipt.sale_code
    assert found.get("Code128") == done.receipt_no == "HCM1-T02-000001"
    with engine.connect() as conn:
        code = verify_sale_code(conn, found["QRCode"])
    assert code.sale_id == done.sale_id and code.receipt_no == done.receipt_no
    assert parse_sale_code(found["QRCode"]).tag == done.journal_hash[:12].upper()


def test_the_qr_fits_58mm_paper_and_survives_a_smudge(vn_receipt):
    r = ReceiptRenderer(PrinterSettings(uri="tcp://x", profile="POS-5890"))
    image = r.qr_image(vn_receipt.sale_code)
    assert image.width <= 384
    damaged = image.convert("L")
    w, h = damaged.size
    damaged.paste(255, (w // 2 - 6, h // 2 - 6, w // 2 + 6, h // 2 + 6))  # error correction M
    assert [res.text for res in _scan(damaged)] == [vn_receipt.sale_code]
