"""The demo stores: what the README, screenshots and other tests rely on, on real SQLite files."""
from __future__ import annotations


import re
import unicodedata
from decimal import Decimal

import pytest
from sqlalchemy import text
from stdnum import ean

from pos_app.auth import verify_pin
from pos_app.scanning.barcodes import default_rules_us, default_rules_vn, gtin_lookup_keys, parse_scan
from pos_app.db.catalog_queries import find_by_barcode, search_items
from pos_app.db.engine import make_engine
from pos_app.demo.customers import customer_search_text
from pos_app.demo.store import (
    DEMO_MARKDOWN_ITEM_CODE,
    DEMO_ASSOCIATES,
    DEMO_CUSTOMERS,
    DEMO_STORES,
    DEMO_US_KIDS_BARCODE,
    DEMO_US_SILK_SKU,
    DEMO_US_TEE_BARCODE,
    DEMO_US_TEE_LABEL,
    DEMO_US_TEE_PRICE,
    DEMO_US_TEE_SKU,
    DEMO_US_TEE_UPC,
    DEMO_VN_KIDS_BARCODE,
    DEMO_VN_KIDS_SKU,
    DEMO_VN_SILK_BARCODE,
    DEMO_VN_SILK_NAME,
    DEMO_VN_SILK_SKU,
    DEMO_VN_SNEAKER_BARCODE,
    DEMO_VN_SNEAKER_SKU,
    DEMO_VN_TEE_BARCODE,
    DEMO_VN_TEE_LABEL,
    DEMO_VN_TEE_NAME,
    DEMO_VN_TEE_PRICE,
    DEMO_VN_TEE_SKU,
    build_catalog,
    load_demo,
)
from pos_app.store_context import load_store_context
from pos_app.textfold import _EXTRA, fold

TABLES = ("settings", "stores", "tax_rates", "associates", "products", "variants", "barcodes",
          "prices", "customers", "variant_fts", "customer_fts")


@pytest.fixture(scope="module")
def demo_dbs(tmp_path_factory):
    """{"hcm": engine, "nyc": engine}: one device database per demo store."""
    engines = {}
    for store in ("hcm", "nyc"):
        engine = make_engine(tmp_path_factory.mktemp(store) / "device.db")
        load_demo(engine, store)
        engines[store] = engine
    yield engines
    for engine in engines.values():
        engine.dispose()


def _ctx(engine):
    with engine.connect() as conn:
        return load_store_context(conn)


def _snapshot(engine) -> dict:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*), max(rowid) FROM {t}")).one()
                for t in TABLES} | {
            "settings_rows": conn.execute(text("SELECT key, value FROM settings ORDER BY key"))
            .all()}


def test_store_context_of_each_demo_store(demo_dbs):
    vn, us = _ctx(demo_dbs["hcm"]), _ctx(demo_dbs["nyc"])
    assert (vn.store_code, vn.store_name, vn.currency, vn.tax_mode.value, vn.locale,
            vn.timezone) == ("HCM1", "Storeline Saigon Centre", "VND", "inclusive", "vi_VN",
                             "Asia/Ho_Chi_Minh")
    assert vn.tax_rates == {"VAT10": Decimal("0.1"), "VAT8": Decimal("0.08"),
                            "VAT5": Decimal("0.05"), "VAT0": Decimal(0)}
    assert vn.barcode_rules == default_rules_vn()
    assert vn.discount_threshold_bp == 2000 and "Lê Lợi" in vn.address
    assert vn.device_code == "T01" and len(vn.device_id) == 36
    assert (us.store_code, us.currency, us.tax_mode.value, us.locale, us.timezone) == (
        "NYC1", "USD", "exclusive", "en_US", "America/New_York")
    assert us.tax_rates == {"SALES": Decimal("0.08875"), "EXEMPT": Decimal(0)}
    assert us.barcode_rules == default_rules_us()
    assert vn.device_id != us.device_id


def test_fixed_vietnamese_items_by_barcode(demo_dbs):
    ctx = _ctx(demo_dbs["hcm"])
    with demo_dbs["hcm"].connect() as conn:
        tee = find_by_barcode(conn, ctx.store_id, [DEMO_VN_TEE_BARCODE])
        by_label = find_by_barcode(conn, ctx.store_id, [DEMO_VN_TEE_LABEL])
        kids = find_by_barcode(conn, ctx.store_id, [DEMO_VN_KIDS_BARCODE])
        silk = find_by_barcode(conn, ctx.store_id, [DEMO_VN_SILK_BARCODE])
        sneaker = find_by_barcode(conn, ctx.store_id, [DEMO_VN_SNEAKER_BARCODE])
    assert DEMO_VN_TEE_BARCODE == "8930000000019"
    assert (tee.sku, tee.name, tee.colour, tee.size, tee.price_minor, tee.currency,
            tee.tax_code, tee.tax_rate) == (DEMO_VN_TEE_SKU, DEMO_VN_TEE_NAME, "Trắng", "M",
                                            DEMO_VN_TEE_PRICE, "VND", "VAT10", Decimal("0.1"))
    assert tee.variant_label == "Trắng / M"
    assert by_label.variant_id == tee.variant_id and by_label.barcode == DEMO_VN_TEE_LABEL
    assert (kids.sku, kids.tax_code, kids.tax_rate) == (DEMO_VN_KIDS_SKU, "VAT8", Decimal("0.08"))
    assert (silk.sku, silk.name) == (DEMO_VN_SILK_SKU, DEMO_VN_SILK_NAME)
    assert (sneaker.sku, sneaker.size) == (DEMO_VN_SNEAKER_SKU, "40")


def test_fixed_us_items_by_barcode_and_by_upc_scan(demo_dbs):
    ctx = _ctx(demo_dbs["nyc"])
    with demo_dbs["nyc"].connect() as conn:
        tee = find_by_barcode(conn, ctx.store_id, [DEMO_US_TEE_BARCODE])
        scan = parse_scan(DEMO_US_TEE_UPC, ctx.barcode_rules, 2)  # what a UPC-A scanner sends
        scanned = find_by_barcode(conn, ctx.store_id, gtin_lookup_keys(scan.gtin))
        label = find_by_barcode(conn, ctx.store_id, [DEMO_US_TEE_LABEL])
        kids = find_by_barcode(conn, ctx.store_id, [DEMO_US_KIDS_BARCODE])
    assert len(DEMO_US_TEE_UPC) == 12 and DEMO_US_TEE_BARCODE == "0" + DEMO_US_TEE_UPC
    assert (tee.sku, tee.name, tee.colour, tee.size, tee.price_minor, tee.currency,
            tee.tax_code) == (DEMO_US_TEE_SKU, "Crew Neck Tee", "White", "M",
                              DEMO_US_TEE_PRICE, "USD", "SALES")
    assert scan.kind == "gtin" and scanned.variant_id == tee.variant_id
    assert label.variant_id == tee.variant_id
    assert (kids.tax_code, kids.tax_rate) == ("EXEMPT", Decimal(0))


@pytest.mark.parametrize("query", ["so mi lua", "Sơ mi lụa", "AO SO MI LUA", "ao so m"])
def test_accent_insensitive_search_finds_the_silk_shirt(demo_dbs, query):
    ctx = _ctx(demo_dbs["hcm"])
    with demo_dbs["hcm"].connect() as conn:
        hits = search_items(conn, ctx.store_id, query)
    assert DEMO_VN_SILK_SKU in [h.sku for h in hits]
    if "lua" in fold(query):
        assert all("so mi lua" in fold(h.name) for h in hits)
    assert hits[0].name == DEMO_VN_SILK_NAME == "Áo sơ mi lụa"


def test_search_ao_thun_finds_the_tee_and_us_search_works(demo_dbs):
    vn, us = _ctx(demo_dbs["hcm"]), _ctx(demo_dbs["nyc"])
    with demo_dbs["hcm"].connect() as conn:
        vn_hits = search_items(conn, vn.store_id, "ao thun")
        by_colour = search_items(conn, vn.store_id, "ao thun trang m")
    with demo_dbs["nyc"].connect() as conn:
        us_hits = search_items(conn, us.store_id, "silk sh")
    assert DEMO_VN_TEE_SKU in [h.sku for h in vn_hits]
    assert DEMO_VN_TEE_SKU in [h.sku for h in by_colour]
    assert DEMO_US_SILK_SKU in [h.sku for h in us_hits]


@pytest.mark.parametrize("store", ["hcm", "nyc"])
def test_catalog_is_a_believable_shop_with_valid_codes_and_prices(demo_dbs, store):
    with demo_dbs[store].connect() as conn:
        codes = [r[0] for r in conn.execute(text("SELECT code FROM barcodes"))]
        prices = [r[0] for r in conn.execute(text("SELECT amount_minor FROM prices"))]
        variants = conn.execute(text("SELECT count(*) FROM variants")).scalar()
        unpriced = conn.execute(text(
            "SELECT count(*) FROM variants v WHERE NOT EXISTS (SELECT 1 FROM prices p"
            " WHERE p.variant_pk = v.pk) OR NOT EXISTS (SELECT 1 FROM barcodes b"
            " WHERE b.variant_pk = v.pk)")).scalar()
        indexed = conn.execute(text("SELECT count(*) FROM variant_fts")).scalar()
        names = [r[0] for r in conn.execute(text("SELECT name FROM products"))]
        taxes = {r[0] for r in conn.execute(text("SELECT DISTINCT tax_code FROM products"))}
    assert 2_500 <= variants <= 4_000 and indexed == variants and unpriced == 0
    gtins = [c for c in codes if c.isdigit()]
    plu = [c for c in codes if c.startswith("PLU-")]  # markdown price-label item codes
    labels = [c for c in codes if not c.isdigit() and not c.startswith("PLU-")]
    assert plu == [f"PLU-{DEMO_MARKDOWN_ITEM_CODE}"]
    assert len(gtins) == variants and labels
    assert all(len(c) == 13 and ean.is_valid(c) for c in gtins)
    assert all(re.fullmatch(rf"{store.upper()}-\d{{6}}", c) for c in labels)
    assert all(isinstance(p, int) and p > 0 for p in prices)
    if store == "hcm":
        assert all(c.startswith("893") for c in gtins)
        assert all(p % 1000 == 0 and 99_000 <= p <= 2_500_000 for p in prices)
        assert taxes == {"VAT10", "VAT8"}
        assert sum(fold(n) != n.lower() for n in names) > len(names) // 2  # diacritics kept
    else:
        assert all(c.startswith("0") for c in gtins)  # UPC-A as GTIN-13
        assert all(999 <= p <= 24_900 for p in prices)
        assert taxes == {"SALES", "EXEMPT"}


@pytest.mark.parametrize("store", ["hcm", "nyc"])
def test_demo_pins_verify_against_stored_hashes(demo_dbs, store):
    with demo_dbs[store].connect() as conn:
        rows = dict(conn.execute(text("SELECT code, pin_hash FROM associates")).all())
        roles = dict(conn.execute(text("SELECT code, role FROM associates")).all())
    assert set(rows) == {a.code for a in DEMO_ASSOCIATES[store]}
    for person in DEMO_ASSOCIATES[store]:
        assert person.pin not in rows[person.code]
        assert verify_pin(rows[person.code], person.pin)
        assert not verify_pin(rows[person.code], "9876")
        assert roles[person.code] == person.role.value


@pytest.mark.parametrize("store", ["hcm", "nyc"])
def test_customers_and_their_search_index(demo_dbs, store):
    fixed = DEMO_CUSTOMERS[store]
    national = "0901234567" if store == "hcm" else "2125550100"
    with demo_dbs[store].connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM customers")).scalar()
        indexed = conn.execute(text("SELECT count(*) FROM customer_fts")).scalar()
        rows = conn.execute(text("SELECT name, phone, email FROM customers")).all()

        def match(q):
            return [r[0] for r in conn.execute(text(
                "SELECT rowid FROM customer_fts WHERE customer_fts MATCH :q"), {"q": q})]

        assert 1 in match(f'"{fold(fixed.name).split()[0]}"* AND "{fold(fixed.name).split()[-1]}"*')
        assert 1 in match(f'"{national[:6]}"*')
    assert count == indexed == 300
    assert all(r[1].startswith("+84" if store == "hcm" else "+1") for r in rows)
    assert all(r[2].split("@")[1].startswith("example.") for r in rows)
    if store == "hcm":
        assert customer_search_text(fixed.name, fixed.phone, fixed.email) == (
            "nguyen thi mai 84901234567 0901234567 901234567 mai.nguyen@example.com")


def _reference_fold(text_: str) -> str:
    """The plain definition of folding, character by character (no caching, no shortcuts)."""
    decomposed = unicodedata.normalize("NFKD", text_.translate(_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def test_fast_fold_matches_the_plain_definition(demo_dbs):
    with demo_dbs["hcm"].connect() as conn:
        texts = [r[0] for r in conn.execute(text(
            "SELECT p.name || ' ' || p.brand || ' ' || v.colour || '  ' || v.sku"
            " FROM variants v JOIN products p ON p.pk = v.product_pk"))]
        texts += [r[0] for r in conn.execute(text("SELECT name FROM customers"))]
    texts += ["Đầm ĐỎ", "ĐẠI", "  hai  dấu cách ", "ǅ ß Œuvre", ""]
    assert all(fold(t) == _reference_fold(t) for t in texts)
    assert fold("Nguyễn Thị Đào") == "nguyen thi dao"


def test_load_demo_is_idempotent_and_one_store_per_database(demo_dbs):
    for store, engine in demo_dbs.items():
        before = _snapshot(engine)
        load_demo(engine, store)
        assert _snapshot(engine) == before
    with pytest.raises(ValueError, match="one store"):
        load_demo(demo_dbs["hcm"], "nyc")
    assert _snapshot(demo_dbs["hcm"])["stores"][0] == 1
    with pytest.raises(ValueError, match="No demo store"):
        load_demo(demo_dbs["hcm"], "paris")


def test_demo_is_deterministic_across_databases(demo_dbs, tmp_path):
    other = make_engine(tmp_path / "again.db")
    load_demo(other, "hcm")
    query = text("SELECT v.id, v.sku, b.code, p.amount_minor FROM variants v"
                 " JOIN barcodes b ON b.variant_pk = v.pk JOIN prices p ON p.variant_pk = v.pk"
                 " ORDER BY b.code")
    with demo_dbs["hcm"].connect() as a, other.connect() as b:
        assert a.execute(query).all() == b.execute(query).all()
    assert _ctx(other).store_id == _ctx(demo_dbs["hcm"]).store_id
    assert _ctx(other).device_id != _ctx(demo_dbs["hcm"]).device_id  # a device is unique
    other.dispose()
    rows = build_catalog(DEMO_STORES["nyc"])
    assert rows == build_catalog(DEMO_STORES["nyc"])
