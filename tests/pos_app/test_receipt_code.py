"""The receipt's QR code: names the sale, and any edit of it is refused."""
from __future__ import annotations

import uuid

import pytest

from pos_app.receipts.code import (NotASaleCode, TamperedSaleCode, UnknownSale, make_sale_code,
                                  parse_sale_code, verify_sale_code)
from tests.hardware.receipt_sales import vn_sale

SALE = "5b0e6f0a-0000-4000-8000-000000000001"
HASH = "3fa9c2d41b7e" + "0" * 52


def test_format_is_compact_upper_case_for_qr_alphanumeric_mode():
    code = make_sale_code("HCM1-T02-000001", SALE, HASH)
    assert code == "SLR1:HCM1-T02-000001:5B0E6F0A000040008000000000000001:3FA9C2D41B7E"
    assert set(code) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    parsed = parse_sale_code(code)
    assert (parsed.receipt_no, parsed.sale_id, parsed.tag) == ("HCM1-T02-000001", SALE,
                                                                "3FA9C2D41B7E")
    assert str(parsed) == code


def test_parse_accepts_a_url_ending_in_the_code_and_lower_case():
    code = make_sale_code("HCM1-T02-000001", SALE, HASH)
    assert parse_sale_code(f"https://receipts.example.com/r/{code}").sale_id == SALE
    assert parse_sale_code(code.lower()).receipt_no == "HCM1-T02-000001"


@pytest.mark.parametrize("scanned, message", [
    ("8930000000019", "not a Storeline receipt code"),
    ("", "not a Storeline receipt code"),
    ("SLR1:HCM1-T02-000001:5B0E6F0A", "damaged or incomplete"),
    ("SLR1:HCM1-T02-000001:5B0E6F0A000040008000000000000001:3FA9C2D41B7", "damaged"),
    ("SLR1:HCM1-T02-000001:5B0E6F0A000040008000000000000001:3FA9C2D41B7G", "damaged"),
])
def test_parse_refuses_what_is_not_a_whole_code(scanned, message):
    with pytest.raises(NotASaleCode, match=message):
        parse_sale_code(scanned)


def test_make_refuses_bad_inputs():
    with pytest.raises(ValueError, match="Not a journal hash"):
        make_sale_code("HCM1-T02-000001", SALE, "xyz")
    with pytest.raises(ValueError, match="cannot go into a receipt code"):
        make_sale_code("HCM1:T02", SALE, HASH)


def test_verify_against_the_journal(device_db, clock):
    engine, ctx = device_db
    first = vn_sale(engine, ctx, clock)
    second = vn_sale(engine, ctx, clock)
    good = make_sale_code(first.receipt_no, first.sale_id, first.journal_hash)
    with engine.connect() as conn:
        assert verify_sale_code(conn, good).sale_id == first.sale_id
        # a different receipt number on the same sale
        edited_no = good.replace(first.receipt_no, second.receipt_no)
        with pytest.raises(TamperedSaleCode, match="says receipt HCM1-T02-000002 but names "
                                                   "sale HCM1-T02-000001"):
            verify_sale_code(conn, edited_no)
        # another real sale's id and number with this sale's tag
        swapped = make_sale_code(second.receipt_no, second.sale_id, first.journal_hash)
        with pytest.raises(TamperedSaleCode, match="does not match the sales journal"):
            verify_sale_code(conn, swapped)
        # a made-up tag
        forged = good[:-12] + "000000000000"
        with pytest.raises(TamperedSaleCode):
            verify_sale_code(conn, forged)
        # a sale this till never made
        other = make_sale_code("HCM1-T09-000001", str(uuid.uuid4()), first.journal_hash)
        with pytest.raises(UnknownSale, match="not a sale of this till; look it up at HQ"):
            verify_sale_code(conn, other)
