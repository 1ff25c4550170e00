"""Scanning and search-as-you-type on the Sell screen, against the real SQLite FTS5 index."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text

from pos_app.db.catalog_queries import (
    CANDIDATE_CAP,
    find_by_barcode,
    find_by_sku,
    index_variants,
    search_items,
)
from pos_app.textfold import fts_prefix_query
from tests.pos_app.fixture_catalog import VND_STORE


def add_products(conn, store_id: str, names: list[str], price: int = 100_000,
                 tax_code: str = "VAT10") -> list[int]:
    """Insert one product with one variant per name, priced in the store, and index them."""
    next_pk = conn.execute(text("SELECT coalesce(max(pk), 0) + 1 FROM variants")).scalar_one()
    next_prod = conn.execute(text("SELECT coalesce(max(pk), 0) + 1 FROM products")).scalar_one()
    products, variants, prices = [], [], []
    for i, name in enumerate(names):
        ppk, vpk = next_prod + i, next_pk + i
        products.append({"pk": ppk, "id": f"p-x{ppk}", "style": f"X{ppk}", "name": name,
                         "tax": tax_code})
        variants.append({"pk": vpk, "id": f"v-x{vpk}", "ppk": ppk, "sku": f"XS{vpk:06d}"})
        prices.append({"s": store_id, "pk": vpk, "a": price})
    conn.execute(text("INSERT INTO products(pk, id, style_code, name, brand, category, tax_code,"
                      " active) VALUES (:pk, :id, :style, :name, '', '', :tax, 1)"), products)
    conn.execute(text("INSERT INTO variants(pk, id, product_pk, sku, size, colour, active)"
                      " VALUES (:pk, :id, :ppk, :sku, NULL, NULL, 1)"), variants)
    conn.execute(text("INSERT INTO prices(store_id, variant_pk, amount_minor)"
                      " VALUES (:s, :pk, :a)"), prices)
    pks = [v["pk"] for v in variants]
    index_variants(conn, pks)
    return pks


def names(items) -> list[str]:
    return [i.name for i in items]


# --- barcodes ---------------------------------------------------------------------------------
def test_scan_finds_the_variant_with_its_store_price_and_tax(device_db):
    engine, ctx = device_db
    shirt = VND_STORE.variant("ASM-TRG-M")
    with engine.connect() as conn:
        item = find_by_barcode(conn, ctx.store_id, [shirt.barcode])
    assert item is not None
    assert (item.sku, item.name, item.variant_label) == ("ASM-TRG-M", "Áo sơ mi lụa", "Trắng / M")
    assert (item.price_minor, item.currency) == (199_000, "VND")
    assert (item.tax_code, item.tax_rate) == ("VAT10", Decimal("0.1"))
    assert item.barcode == shirt.barcode
    tote = VND_STORE.variant("TUI-BE")
    with engine.connect() as conn:
        item = find_by_barcode(conn, ctx.store_id, [tote.barcode])
    assert (item.sku, item.tax_rate, item.variant_label) == ("TUI-BE", Decimal("0.08"), "Be")


def test_scan_tries_each_equivalent_code_in_turn(device_db):
    engine, ctx = device_db
    dress = VND_STORE.variant("DAM-DO-S")
    with engine.connect() as conn:
        item = find_by_barcode(conn, ctx.store_id, ["0" + dress.barcode, dress.barcode])
    assert item is not None and item.sku == "DAM-DO-S"
    assert item.barcode == dress.barcode  # the form that matched


def test_scan_is_exact(device_db):
    engine, ctx = device_db
    code = VND_STORE.variant("ASM-TRG-M").barcode
    with engine.connect() as conn:
        assert find_by_barcode(conn, ctx.store_id, [code[:-1]]) is None  # no prefix match
        assert find_by_barcode(conn, ctx.store_id, [code[:-1] + "%"]) is None  # no LIKE
        assert find_by_barcode(conn, ctx.store_id, [code + "0"]) is None
        assert find_by_barcode(conn, ctx.store_id, ["4006381333931"]) is None
        assert find_by_barcode(conn, ctx.store_id, []) is None
        assert find_by_barcode(conn, "another-store", [code]) is None  # not priced there


def test_inactive_variant_or_product_does_not_scan(device_db):
    engine, ctx = device_db
    shirt_m = VND_STORE.variant("ASM-TRG-M")
    dress = VND_STORE.variant("DAM-DO-S")
    with engine.begin() as conn:
        conn.execute(text("UPDATE variants SET active = 0 WHERE sku = 'ASM-TRG-M'"))
        conn.execute(text("UPDATE products SET active = 0 WHERE name = 'Đầm maxi hoa'"))
    with engine.connect() as conn:
        assert find_by_barcode(conn, ctx.store_id, [shirt_m.barcode]) is None
        assert find_by_barcode(conn, ctx.store_id, [dress.barcode]) is None
        assert find_by_sku(conn, ctx.store_id, "DAM-DO-S") is None
        assert names(search_items(conn, ctx.store_id, "ao so mi")) == ["Áo sơ mi lụa"]  # L only
        assert search_items(conn, ctx.store_id, "dam") == []


# --- search as you type ----------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["ao so mi", "Áo sơ mi", "ÁO SƠ MI", "ao so mi lua", "so mi"])
def test_search_ignores_accents_and_case(device_db, typed):
    engine, ctx = device_db
    with engine.connect() as conn:
        hits = search_items(conn, ctx.store_id, typed)
    assert sorted(i.sku for i in hits) == ["ASM-TRG-L", "ASM-TRG-M"]
    assert set(names(hits)) == {"Áo sơ mi lụa"}


@pytest.mark.parametrize("typed", ["đầm", "dam", "Đầm", "DAM", "đam", "dầm maxi"])
def test_d_with_stroke_is_folded_like_d(device_db, typed):
    engine, ctx = device_db
    with engine.connect() as conn:
        assert names(search_items(conn, ctx.store_id, typed)) == ["Đầm maxi hoa"]


@pytest.mark.parametrize("typed", ["q", "qu", "qua", "quan", "quan j", "quan jea", "ong du"])
def test_every_keystroke_finds_by_prefix(device_db, typed):
    engine, ctx = device_db
    with engine.connect() as conn:
        assert "Quần jean ống đứng" in names(search_items(conn, ctx.store_id, typed))


def test_search_by_colour_size_and_sku(device_db):
    engine, ctx = device_db
    with engine.connect() as conn:
        assert sorted(i.sku for i in search_items(conn, ctx.store_id, "trang")) == [
            "ASM-TRG-L", "ASM-TRG-M"]
        assert [i.sku for i in search_items(conn, ctx.store_id, "xanh 32")] == ["QJ-XANH-32"]
        # a SKU typed in full comes first, even though "m" also prefixes "mi" of the other size
        assert [i.sku for i in search_items(conn, ctx.store_id, "asm-trg-m")] == [
            "ASM-TRG-M", "ASM-TRG-L"]
        assert [i.sku for i in search_items(conn, ctx.store_id, "ASM-TRG-M")][0] == "ASM-TRG-M"
        assert [i.sku for i in search_items(conn, ctx.store_id, "do s")] == ["DAM-DO-S"]


def test_search_with_no_match_or_nothing_searchable(device_db):
    engine, ctx = device_db
    with engine.connect() as conn:
        assert search_items(conn, ctx.store_id, "xyzzy") == []
        assert search_items(conn, ctx.store_id, "") == []
        assert search_items(conn, ctx.store_id, "   ") == []
        assert search_items(conn, ctx.store_id, "!!!") == []


@pytest.mark.parametrize("typed", [
    "AND", "OR", "NOT", "ao AND", "ao OR so", "NOT ao", '"', '"ao', 'ao"', '""', "*", "ao*",
    "*ao", "-", "-ao", "ao -so", "+", "NEAR(ao so)", "(", ")", "ao:so", "text:ao", "^ao", "'",
    "\\", "%", "_", "a'o", "{ao}", "[ao]", "🙂 ao", "\x00", "ao " * 50,
])
def test_fts_operators_typed_by_a_person_never_crash(device_db, typed):
    engine, ctx = device_db
    with engine.connect() as conn:
        hits = search_items(conn, ctx.store_id, typed)
    assert isinstance(hits, list)
    query = fts_prefix_query(typed)
    if query is not None:  # whatever was typed became quoted prefix terms only
        assert all(term.startswith('"') and term.endswith('"*')
                   for term in query.split(" AND "))


@pytest.mark.parametrize("typed", ['"ao', "ao*", "-ao", "(ao)", "ao:"])
def test_operator_characters_are_ignored_not_obeyed(device_db, typed):
    engine, ctx = device_db
    with engine.connect() as conn:
        assert set(names(search_items(conn, ctx.store_id, typed))) == {"Áo sơ mi lụa"}


def test_names_starting_with_the_typed_word_come_first(device_db):
    engine, ctx = device_db
    with engine.begin() as conn:
        add_products(conn, ctx.store_id, ["Bộ áo"])  # shorter, but "áo" is not its first word
    with engine.connect() as conn:
        assert names(search_items(conn, ctx.store_id, "ao")) == [
            "Áo sơ mi lụa", "Áo sơ mi lụa", "Bộ áo"]
        assert len(search_items(conn, ctx.store_id, "ao", limit=1)) == 1


def test_a_search_matching_thousands_returns_the_limit_from_capped_candidates(device_db):
    engine, ctx = device_db
    with engine.begin() as conn:
        add_products(conn, ctx.store_id, [f"Áo thun basic {i:04d}" for i in range(5_000)],
                     price=129_000)
    with engine.connect() as conn:
        matches = conn.execute(text("SELECT count(*) FROM variant_fts WHERE variant_fts MATCH"
                                    " :q"), {"q": fts_prefix_query("ao thun")}).scalar_one()
        assert matches == 5_000  # the index really holds thousands of matches ...
        hits = search_items(conn, ctx.store_id, "ao thun")
        assert len(hits) == 30  # ... the screen gets its page
        assert all(h.name.startswith("Áo thun basic") and h.price_minor == 129_000
                   for h in hits)
        everything = search_items(conn, ctx.store_id, "ao thun", limit=100_000)
        assert len(everything) == CANDIDATE_CAP  # ... and only the capped candidates are ranked
        assert len(search_items(conn, ctx.store_id, "a", limit=100_000)) == CANDIDATE_CAP
        # a precise query still finds the one it names among the thousands
        assert names(search_items(conn, ctx.store_id, "ao thun basic 4321")) == [
            "Áo thun basic 4321"]
