"""The till's use cases on a real demo database: scans of every kind, PIN checks, approvals."""
from __future__ import annotations

import pytest
from stdnum import ean

from pos_app.auth import Permission
from pos_app.scanning.barcodes import price_check_digit
from pos_app.db.engine import make_engine
from pos_app.demo.store import (DEMO_ASSOCIATES, DEMO_MARKDOWN_ITEM_CODE, DEMO_US_TEE_SKU,
                                DEMO_US_TEE_UPC, DEMO_VN_TEE_BARCODE, DEMO_VN_TEE_LABEL,
                                DEMO_VN_TEE_SKU, load_demo)
from pos_app.ports import SystemClock
from pos_app.services.till import TillService
from pos_app.store_context import load_store_context


@pytest.fixture(scope="module")
def tills(tmp_path_factory):
    made = {}
    engines = []
    for store in ("hcm", "nyc"):
        path = tmp_path_factory.mktemp(store) / "till.sqlite3"
        writer = make_engine(path)
        load_demo(writer, store)
        reader = make_engine(path, readonly=True)
        with reader.connect() as conn:
            ctx = load_store_context(conn)
        made[store] = TillService(ctx, writer, reader, SystemClock())
        engines += [writer, reader]
    yield made
    for engine in engines:
        engine.dispose()


def _with_check(digits: str) -> str:
    return digits + ean.calc_check_digit(digits)


def test_gtin_and_shelf_label_find_the_item(tills):
    till = tills["hcm"]
    assert till.lookup_scan(DEMO_VN_TEE_BARCODE).item.sku == DEMO_VN_TEE_SKU
    assert till.lookup_scan(DEMO_VN_TEE_LABEL).item.sku == DEMO_VN_TEE_SKU  # internal label
    assert tills["nyc"].lookup_scan(DEMO_US_TEE_UPC).item.sku == DEMO_US_TEE_SKU


@pytest.mark.parametrize("prefix, value, expected", [
    ("20", "99000", 99_000),  # price in dong
    ("21", "00149", 149_000),  # price in thousands of dong
])
def test_vietnamese_markdown_labels_sell_the_item_at_the_label_price(tills, prefix, value, expected):
    label = _with_check(prefix + DEMO_MARKDOWN_ITEM_CODE + value)
    found = tills["hcm"].lookup_scan(label)
    assert found.error is None
    assert found.item.sku == DEMO_VN_TEE_SKU and found.unit_price == expected
    assert label in found.note


def test_us_type_two_price_label_with_price_check_digit(tills):
    price = "0999"
    label = _with_check("2" + DEMO_MARKDOWN_ITEM_CODE + str(price_check_digit(price)) + price)
    found = tills["nyc"].lookup_scan(label)
    assert found.item.sku == DEMO_US_TEE_SKU and found.unit_price == 999


def test_bad_and_unknown_codes_are_told_apart(tills):
    till = tills["hcm"]
    bad = DEMO_VN_TEE_BARCODE[:-1] + str((int(DEMO_VN_TEE_BARCODE[-1]) + 3) % 10)
    invalid = till.lookup_scan(bad)
    assert invalid.item is None and invalid.problem == "invalid" and "check digit" in invalid.error.lower()
    unknown = till.lookup_scan("4006381333931")  # a valid EAN-13 this store does not sell
    assert unknown.item is None and unknown.problem == "unknown"
    assert till.lookup_scan("hello").problem == "invalid"


def test_pin_login_and_manager_approval(tills):
    till = tills["hcm"]
    people = {a.code: a for a in till.associates()}
    pins = {a.code: a.pin for a in DEMO_ASSOCIATES["hcm"]}
    assert till.login(people["C01"].id, pins["C01"]).name == people["C01"].name
    assert till.login(people["C01"].id, "0000") is None
    approval = till.approve(pins["M01"], Permission.PRICE_OVERRIDE)
    assert approval is not None and approval.approved_by == people["M01"].id
    assert till.approve(pins["C01"], Permission.PRICE_OVERRIDE) is None  # cashiers cannot
