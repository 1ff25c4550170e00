"""The receipt model and its layout, built from real sales in a real device database."""
from __future__ import annotations

import unicodedata
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from pos_app.money import Money
from pos_app.pricing import TaxMode
from pos_app.receipts.receipt import ReceiptError, build_receipt, local_time_of, mask_card_number
from pos_app.receipts.code import verify_sale_code
from pos_app.receipts.labels import LABELS, language_of, placeholders
from pos_app.receipts.layout import (BarcodeBlock, QrBlock, RowBlock, TextBlock, fit_row,
                                    plain_text, receipt_blocks, wrap)
from pos_app.store_context import write_setting
from pos_app.tenders import TenderType
from tests.hardware.receipt_sales import ring_up, vn_sale
from tests.pos_app.fixture_catalog import USD_STORE, VND_STORE


def vnd(minor: int) -> Money:
    return Money(minor, "VND")


def test_receipt_of_a_vietnamese_sale(device_db, clock):
    engine, ctx = device_db
    done = vn_sale(engine, ctx, clock)
    with engine.connect() as conn:
        r = build_receipt(conn, done.sale_id)
        assert verify_sale_code(conn, r.sale_code).sale_id == done.sale_id
    assert (r.language, r.locale, r.store_name) == ("vi", "vi_VN", VND_STORE.store_name)
    assert r.receipt_no == done.receipt_no == "HCM1-T02-000001" and not r.is_copy
    assert r.local_time == datetime(2025, 3, 14, 16, 26, 53, 589793,
                                    tzinfo=r.local_time.tzinfo)  # 09:26 UTC in Saigon
    assert r.associate_name == VND_STORE.cashier_name
    shirt, bag, dress = r.lines
    assert (shirt.name, shirt.variant_label, shirt.quantity) == ("Áo sơ mi lụa", "Trắng / M", 2)
    assert shirt.gross == vnd(398_000) and shirt.line_discount == vnd(39_800)
    assert shirt.discount_reason == "Khách quen" and not shirt.price_changed
    assert bag.line_discount == vnd(0) and bag.discount_reason is None
    # subtotal after line discounts; then the order discount; VAT included in the prices
    assert r.subtotal == vnd(398_000 - 39_800 + 150_000 + 459_000)
    assert r.order_discount == vnd(50_000) and r.order_discount_reason == "Sinh nhật"
    assert r.total == vnd(done.total) == r.subtotal - r.order_discount
    assert r.tax_mode is TaxMode.INCLUSIVE
    assert [(t.code, t.label) for t in r.taxes] == [("VAT10", "VAT 10%"), ("VAT8", "VAT 8%")]
    assert sum((t.base for t in r.taxes), vnd(0)) == r.total
    assert sum((t.tax for t in r.taxes), vnd(0)) == r.tax_total
    card, cash = r.tenders
    assert card.tender is TenderType.CARD and card.masked_pan == "**** 4242"
    assert cash.tender is TenderType.CASH and cash.tendered == vnd(1_000_000)
    assert r.change == vnd(1_000_000 - (done.total - 300_000)) == cash.change
    assert r.savings == vnd(89_800) and r.item_count == 4


def test_the_totals_on_paper_add_up(device_db, clock):
    engine, ctx = device_db
    done = vn_sale(engine, ctx, clock)
    with engine.connect() as conn:
        lines = plain_text(receipt_blocks(build_receipt(conn, done.sale_id)), 48)
    body = "\n".join(lines)
    for expected in ("HÓA ĐƠN BÁN HÀNG", "Số HĐ                            HCM1-T02-000001",
                     "Ngày                            14/03/2025 16:26",
                     "  2 x 199.000\u00a0₫                        398.000\u00a0₫",
                     "  Giảm giá: Khách quen                 -39.800\u00a0₫",
                     "Giảm giá đơn hàng: Sinh nhật           -50.000\u00a0₫",
                     "Giá đã bao gồm thuế", "TỔNG CỘNG                              917.200\u00a0₫",
                     "Tiền thối lại                          382.800\u00a0₫",
                     "  Mã chuẩn chi A1B2C3", "Đổi trả trong vòng 30 ngày"):
        assert expected in body, expected
    assert "COPY" not in body and "BẢN SAO" not in body
    assert all(len(line) <= 48 for line in lines)


def test_a_reprint_says_copy_in_the_store_language_and_in_english(device_db, clock):
    engine, ctx = device_db
    done = vn_sale(engine, ctx, clock)
    with engine.connect() as conn:
        vi = build_receipt(conn, done.sale_id, copy=True)
        en = build_receipt(conn, done.sale_id, copy=True, language="en")
    assert vi.is_copy and vi.as_copy() == vi
    vi_text = "\n".join(plain_text(receipt_blocks(vi), 42))
    en_text = "\n".join(plain_text(receipt_blocks(en), 42))
    assert vi_text.count("*** BẢN SAO ***") == 2  # at the top and at the bottom
    assert en_text.count("*** COPY ***") == 2 and "Reprint of the original receipt" in en_text
    assert "Date                    03/14/2025 4:26 PM" in en_text
    assert "199.000\u00a0₫" in en_text  # money keeps the store's locale


def test_us_store_adds_sales_tax(usd_device_db, clock):
    engine, ctx = usd_device_db
    done = ring_up(engine, ctx, clock, {"OXF-WHT-M": 1, "TOTE-NAT": 2}, cash_given=10_000)
    with engine.connect() as conn:
        r = build_receipt(conn, done.sale_id)
    assert r.language == "en" and r.tax_mode is TaxMode.EXCLUSIVE
    assert r.associate_name == USD_STORE.cashier_name
    assert r.subtotal == Money(6_950, "USD") and r.total == r.subtotal + r.tax_total
    assert r.local_time.hour == 5  # 09:26 UTC in New York in March (EDT)
    body = "\n".join(plain_text(receipt_blocks(r), 42))
    assert "NY sales tax 8.875% on $69.50" in body and "TOTAL" in body
    assert "Prices include tax" not in body and "Change" in body


def test_customer_loyalty_header_and_footer(device_db, clock):
    engine, ctx = device_db
    done = vn_sale(engine, ctx, clock)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO customers(pk, id, name, loyalty_card, tier) VALUES"
                          " (1, 'cust-1', 'Nguyễn Thị Mai', 'SLVN0000000001', 'gold')"))
        conn.execute(text("UPDATE sales SET customer_id = 'cust-1' WHERE id = :id"),
                     {"id": done.sale_id})
        write_setting(conn, "receipt_header", ["MST: 0301234567", "ĐT: 028 3822 0000"])
        write_setting(conn, "receipt_footer", ["Đổi hàng trong 7 ngày."])
    with engine.connect() as conn:
        r = build_receipt(conn, done.sale_id)
    assert r.customer_name == "Nguyễn Thị Mai"
    # 917.200 ₫ of merchandise earns 91 points at HQ's rule (1 per full 10.000 ₫)
    assert r.loyalty_lines == (("Thẻ thành viên", "****0001"), ("Hạng", "Gold"),
                               ("Điểm tích lũy", "91"))
    with engine.begin() as conn:  # she also paid 1.500 points (a loyalty tender)
        conn.execute(text("INSERT INTO payments(id, sale_id, tender, amount, tendered, change,"
                          " reference) VALUES ('p-loyalty', :id, 'loyalty', 150000, 150000, 0,"
                          " '1500 pts')"), {"id": done.sale_id})
    with engine.connect() as conn:
        assert build_receipt(conn, done.sale_id).loyalty_lines[2:] == (
            ("Điểm đã dùng", "1.500"), ("Điểm tích lũy", "91"))
    blocks = receipt_blocks(r)
    texts = [b.text for b in blocks if isinstance(b, TextBlock)]
    assert "MST: 0301234567" in texts and "Đổi hàng trong 7 ngày." in texts
    assert LABELS["vi"]["footer_policy"] not in texts  # the store's policy replaces ours
    rows = [(b.left, b.right) for b in blocks if isinstance(b, RowBlock)]
    assert ("Khách hàng", "Nguyễn Thị Mai") in rows and ("Thẻ thành viên", "****0001") in rows
    assert [b.data for b in blocks if isinstance(b, BarcodeBlock)] == [r.receipt_no]
    assert [b.data for b in blocks if isinstance(b, QrBlock)] == [r.sale_code]


def test_price_override_and_note_are_shown(device_db, clock):
    engine, ctx = device_db
    done = vn_sale(engine, ctx, clock)
    with engine.begin() as conn:
        conn.execute(text("UPDATE sale_lines SET list_price = 250000, note = 'Gói quà'"
                          " WHERE sale_id = :id AND line_no = 1"), {"id": done.sale_id})
    with engine.connect() as conn:
        r = build_receipt(conn, done.sale_id)
    body = "\n".join(plain_text(receipt_blocks(r), 48))
    assert "  Giá gốc 250.000\u00a0₫" in body and "  Gói quà" in body


def test_missing_sale_or_journal_record_is_refused(device_db, clock):
    engine, ctx = device_db
    done = vn_sale(engine, ctx, clock)
    with engine.connect() as conn:
        with pytest.raises(ReceiptError, match="no sale nope on this till"):
            build_receipt(conn, "nope")
        with pytest.raises(ReceiptError, match="Receipts are printed in en, vi, not 'fr'"):
            build_receipt(conn, done.sale_id, language="fr")
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM journal"))
    with engine.connect() as conn:
        with pytest.raises(ReceiptError, match="has no journal record"):
            build_receipt(conn, done.sale_id)


def test_helpers():
    assert mask_card_number("SLVN0000000001") == "****0001" and mask_card_number(None) is None
    assert mask_card_number("123") == "****"
    assert local_time_of("2025-03-14T09:26:53.589793Z", "Asia/Ho_Chi_Minh").hour == 16
    assert local_time_of("2025-01-01T00:00:00.000000Z", "UTC") == datetime(
        2025, 1, 1, tzinfo=timezone.utc)
    assert language_of("vi_VN") == "vi" and language_of("en-US") == "en"
    assert language_of("fr_FR") == "en" and language_of("") == "en"


def test_both_languages_have_every_label_with_the_same_placeholders():
    assert set(LABELS["en"]) == set(LABELS["vi"])
    for key in LABELS["en"]:
        assert placeholders(LABELS["en"][key]) == placeholders(LABELS["vi"][key]), key
    assert all(f"tender_{t.value}" in LABELS["en"] for t in TenderType)


@given(left=st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=60),
       right=st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs")),
                     max_size=20),
       width=st.integers(16, 64), indent=st.integers(0, 4))
def test_fit_row_never_overflows_and_keeps_both_sides(left, right, width, indent):
    lines = fit_row(left, right, width, indent)
    assert all(len(line) <= width for line in lines)
    joined = "".join(line.strip() for line in lines).replace(" ", "")
    assert unicodedata.normalize("NFC", right).replace(" ", "") in joined


def test_wrap_breaks_long_words_and_never_returns_nothing():
    assert wrap("", 10) == [""]
    assert wrap("a" * 25, 10) == ["a" * 10, "a" * 10, "a" * 5]
    assert wrap("Đổi trả trong vòng 30 ngày", 12) == ["Đổi trả", "trong vòng", "30 ngày"]
