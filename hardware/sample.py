"""The sample receipt an installer prints to test a printer (`pos-app print-sample`).

Why: an installer needs to see, on paper, before the first sale, that the printer prints
every Vietnamese letter (lower and upper case, all tones, đ/Đ and ₫), both bold and large
text, a barcode and a QR code, at the configured width. The sample is a normal `Receipt`,
so it goes through exactly the layout and rendering real receipts use; it needs no database.

Pure code: safe on any thread.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

from pos_app.money import Money
from pos_app.pricing import TaxMode
from pos_app.receipts.receipt import Receipt, ReceiptLine, TaxLine, TenderLine
from pos_app.receipts.code import make_sale_code
from pos_app.tenders import TenderType

ALPHABET_LOWER = ("aàảãáạ ăằẳẵắặ âầẩẫấậ đ eèẻẽéẹ êềểễếệ iìỉĩíị oòỏõóọ ôồổỗốộ ơờởỡớợ "
                  "uùủũúụ ưừửữứự yỳỷỹýỵ")
ALPHABET_UPPER = ALPHABET_LOWER.upper()
SAMPLE_SALE_ID = "00000000-0000-4000-8000-5a3b1e000001"
SAMPLE_RECEIPT_NO = "TEST-T00-000001"

_SAMPLES = {
    "vi": dict(currency="VND", locale="vi_VN", tz="Asia/Ho_Chi_Minh",
               store="Storeline – In thử", address="Máy in hóa đơn: bản in thử",
               associate="Nguyễn Thị Lan", tax_label="VAT 10%", tax_mode=TaxMode.INCLUSIVE,
               items=(("Áo dài lụa tơ tằm", "Đỏ / M", 1_290_000, 1),
                      ("Giày thể thao trẻ em", "Trắng / 32", 459_000, 2),
                      ("ĐỒNG HỒ ĐEO TAY ỨNG DỤNG", "", 2_150_000, 1))),
    "en": dict(currency="USD", locale="en_US", tz="America/New_York",
               store="Storeline – Printer test", address="Receipt printer test page",
               associate="Casey Park", tax_label="Sales tax 8.875%",
               tax_mode=TaxMode.EXCLUSIVE,
               items=(("Crew Neck Tee", "White / M", 1_999, 2),
                      ("Café au lait mug", "", 1_250, 1),
                      ("Silk Shirt", "Navy / L", 8_900, 1))),
}


def sample_receipt(language: str = "vi", now: datetime | None = None) -> Receipt:
    """A receipt with every Vietnamese letter in its footer, in `language` ("vi" | "en")."""
    spec = _SAMPLES[language]
    currency = spec["currency"]

    def money(minor: int) -> Money:
        return Money(minor, currency)

    lines = tuple(
        ReceiptLine(name=name, variant_label=label, sku=f"SAMPLE-{i}", quantity=qty,
                    unit_price=money(price), list_price=money(price),
                    gross=money(price * qty), line_discount=money(0), discount_reason=None,
                    amount=money(price * qty), tax_code="TAX")
        for i, (name, label, price, qty) in enumerate(spec["items"], start=1))
    base = sum(line.amount.minor for line in lines)
    inclusive = spec["tax_mode"] is TaxMode.INCLUSIVE
    tax = round(base * 10 / 110) if inclusive else round(base * 0.08875)
    total = base if inclusive else base + tax
    tendered = -(-total // (100_000 if currency == "VND" else 1_000)) * (
        100_000 if currency == "VND" else 1_000)
    digest = hashlib.sha256(f"sample {SAMPLE_RECEIPT_NO}".encode()).hexdigest()
    return Receipt(
        language=language, locale=spec["locale"], store_code="TEST",
        store_name=spec["store"], store_address=spec["address"], header_lines=(),
        sale_id=SAMPLE_SALE_ID, receipt_no=SAMPLE_RECEIPT_NO,
        local_time=now or datetime.now(ZoneInfo(spec["tz"])),
        associate_name=spec["associate"], tax_mode=spec["tax_mode"], lines=lines,
        subtotal=money(base), order_discount=money(0), order_discount_reason=None,
        taxes=(TaxLine("TAX", spec["tax_label"], 100_000, money(base), money(tax)),),
        tax_total=money(tax), total=money(total),
        tenders=(TenderLine(TenderType.CASH, money(total), money(tendered),
                            money(tendered - total)),),
        change=money(tendered - total),
        sale_code=make_sale_code(SAMPLE_RECEIPT_NO, SAMPLE_SALE_ID, digest),
        footer_lines=(ALPHABET_LOWER, ALPHABET_UPPER, "₫ 1.234.567 ₫"),
    )
