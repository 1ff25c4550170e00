"""Pull: the change feed updates and deletes catalog, prices and customers atomically per page."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

import sync.change_apply
from pos_app.db.catalog_queries import find_by_barcode, find_by_sku, search_items
from pos_app.demo.catalog import demo_uuid
from pos_app.demo.store import (
    DEMO_VN_SILK_BARCODE, DEMO_VN_SILK_NAME, DEMO_VN_SILK_PRICE, DEMO_VN_SILK_SKU,
    DEMO_VN_TEE_SKU,
)
from pos_app.textfold import fts_prefix_query
from sync.change_puller import FeedError, bootstrap, pull_once, read_cursor
from sync.status import read_status

SILK_PRODUCT = demo_uuid("hcm", "product", "DEMO-SILK")
SILK_VARIANT = demo_uuid("hcm", "variant", DEMO_VN_SILK_SKU)
TEE_BLK_S = "DEMO-TEE-BLK-S"
TEE_BLK_S_ID = demo_uuid("hcm", "variant", TEE_BLK_S)


def product_data(name: str) -> dict:
    return {"id": SILK_PRODUCT, "style_code": "DEMO-SILK", "name": name, "brand": "Lụa Hội An",
            "category": "Áo sơ mi", "tax_code": "VAT10", "active": 1}


def skus_found(engine, ctx, query: str) -> set[str]:
    with engine.connect() as conn:
        return {i.sku for i in search_items(conn, ctx.store_id, query, limit=500)}


def customers_found(engine, query: str) -> set[str]:
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(text(
            "SELECT c.id FROM customer_fts f JOIN customers c ON c.pk = f.rowid"
            " WHERE customer_fts MATCH :m"), {"m": fts_prefix_query(query)})}


def test_updates_and_deletes_are_applied_and_searchable(device, hq):
    engine, ctx = device
    _, state, client = hq
    assert DEMO_VN_SILK_SKU in skus_found(engine, ctx, "so mi lua")
    new_customer = "11111111-2222-4333-8444-555555555555"
    state.publish("product", "upsert", SILK_PRODUCT, product_data("Quokka Zephyr blouse"))
    state.publish("price", "upsert", f"{ctx.store_id}:{SILK_VARIANT}",
                  {"store_id": ctx.store_id, "variant_id": SILK_VARIANT, "amount_minor": 990_000})
    state.publish("barcode", "upsert", "8930000999993",
                  {"code": "8930000999993", "variant_id": SILK_VARIANT})
    state.publish("barcode", "delete", DEMO_VN_SILK_BARCODE)
    state.publish("variant", "delete", TEE_BLK_S_ID)
    state.publish("customer", "upsert", new_customer,
                  {"id": new_customer, "name": "Phạm Văn Đức", "phone": "+84987654321",
                   "email": "duc@example.com", "loyalty_card": None, "tier": "silver"})
    state.publish("customer", "upsert", new_customer,
                  {"id": new_customer, "name": "Phạm Minh Đức", "phone": "+84987654321",
                   "email": "duc@example.com", "loyalty_card": None, "tier": "gold"})
    state.publish("customer", "delete", demo_uuid("hcm", "customer", "1"))
    state.publish("stock", "upsert", f"{ctx.store_id}:{SILK_VARIANT}",
                  {"store_id": ctx.store_id, "variant_id": SILK_VARIANT, "on_hand": 3,
                   "updated_at": "2026-11-22T10:00:00.000000Z"})
    state.publish("web_order", "delete", "no-such-order")  # stock, web_order: test_pull_orders
    state.publish("store", "delete", ctx.store_id)

    applied = pull_once(engine, client)

    assert applied == 10  # 11 published; the store delete is ignored
    assert read_cursor(engine) == 11
    assert read_status(engine).last_pull_ok_at is not None
    new_skus = skus_found(engine, ctx, "quokka zeph")
    assert DEMO_VN_SILK_SKU in new_skus and all(s.startswith("DEMO-SILK") for s in new_skus)
    assert DEMO_VN_SILK_SKU not in skus_found(engine, ctx, DEMO_VN_SILK_NAME)
    with engine.connect() as conn:
        silk = find_by_sku(conn, ctx.store_id, DEMO_VN_SILK_SKU)
        assert silk.name == "Quokka Zephyr blouse" and silk.price_minor == 990_000
        assert find_by_barcode(conn, ctx.store_id, ["8930000999993"]).sku == DEMO_VN_SILK_SKU
        assert find_by_barcode(conn, ctx.store_id, [DEMO_VN_SILK_BARCODE]) is None
        assert find_by_sku(conn, ctx.store_id, TEE_BLK_S) is None
        assert find_by_sku(conn, ctx.store_id, DEMO_VN_TEE_SKU) is not None
        assert conn.execute(text("SELECT tier FROM customers WHERE id = :i"),
                            {"i": new_customer}).scalar_one() == "gold"
    assert TEE_BLK_S not in skus_found(engine, ctx, "DEMO-TEE-BLK")
    assert customers_found(engine, "pham minh duc") == {new_customer}
    assert customers_found(engine, "0987654321") == {new_customer}
    assert customers_found(engine, "pham van duc") == set()
    assert customers_found(engine, "mai.nguyen") == set()

    # a product deleted takes its variants, barcodes and prices with it
    state.publish("product", "delete", SILK_PRODUCT)
    assert pull_once(engine, client) == 1
    assert skus_found(engine, ctx, "quokka") == set()
    with engine.connect() as conn:
        assert find_by_barcode(conn, ctx.store_id, ["8930000999993"]) is None
    assert pull_once(engine, client) == 0 and read_cursor(engine) == 12


def test_a_failure_inside_apply_leaves_cursor_and_data_unchanged(device, hq, monkeypatch):
    engine, ctx = device
    _, state, client = hq
    state.publish("product", "upsert", SILK_PRODUCT, product_data("Quokka Zephyr blouse"))
    state.publish("variant", "delete", TEE_BLK_S_ID)

    def crash(conn, pks):  # after the rows were written, before the page is committed
        raise RuntimeError("power cut")

    monkeypatch.setattr(sync.change_apply, "index_variants", crash)
    with pytest.raises(RuntimeError):
        pull_once(engine, client)
    assert read_cursor(engine) == 0
    with engine.connect() as conn:
        assert find_by_sku(conn, ctx.store_id, DEMO_VN_SILK_SKU).name == DEMO_VN_SILK_NAME
        assert find_by_sku(conn, ctx.store_id, TEE_BLK_S) is not None

    monkeypatch.undo()
    assert pull_once(engine, client) == 2 and read_cursor(engine) == 2
    with engine.connect() as conn:
        assert find_by_sku(conn, ctx.store_id, TEE_BLK_S) is None


def test_child_before_parent_fails_the_page_without_applying_it(device, hq):
    engine, ctx = device
    _, state, client = hq
    state.publish("price", "upsert", "p", {"store_id": ctx.store_id,
                                           "variant_id": SILK_VARIANT, "amount_minor": 1})
    state.publish("variant", "upsert", "v", {"id": "v", "product_id": "no-such-product",
                                             "sku": "ORPHAN", "size": None, "colour": None})
    with pytest.raises(IntegrityError):
        pull_once(engine, client)
    state.changes[1] = state.changes[1].model_copy(update={"data": {"id": "v"}})
    with pytest.raises(FeedError):
        pull_once(engine, client)
    assert read_cursor(engine) == 0
    with engine.connect() as conn:
        assert find_by_sku(conn, ctx.store_id, DEMO_VN_SILK_SKU).price_minor == DEMO_VN_SILK_PRICE


def test_pages_and_progress(device, hq):
    engine, _ = device
    _, state, client = hq
    for i in range(25):
        state.publish("tax_rate", "upsert", f"{state.store_id}:T{i}",
                      {"store_id": state.store_id, "tax_code": f"T{i}", "rate_ppm": i * 1000,
                       "label": f"T{i}"})
    state.publish("tax_rate", "delete", f"{state.store_id}/T3")
    seen: list[int] = []
    assert bootstrap(engine, client, seen.append, page_size=10) == 26
    assert seen == [10, 20, 26]
    assert read_cursor(engine) == 26
    with engine.connect() as conn:
        codes = {r[0] for r in conn.execute(text(
            "SELECT tax_code FROM tax_rates WHERE tax_code LIKE 'T%'"))}
    assert codes == {f"T{i}" for i in range(25)} - {"T3"}


def test_a_page_is_applied_in_short_slices_and_a_failure_keeps_the_slices_before_it(
        device, hq, monkeypatch):
    """The till's sales wait for the one SQLite writer: a page is committed slice by slice,
    each with the cursor of its last change. A change that fails in the third slice leaves the
    first two applied and the cursor after them; the retry goes on from there."""
    import sync.change_puller

    engine, ctx = device
    _, state, client = hq
    monkeypatch.setattr(sync.change_puller, "APPLY_SLICE", 3)
    for n in range(1, 7):  # seqs 1..6: two slices of prices
        state.publish("price", "upsert", f"{ctx.store_id}:{SILK_VARIANT}",
                      {"store_id": ctx.store_id, "variant_id": SILK_VARIANT,
                       "amount_minor": n * 1000})
    state.publish("variant", "upsert", "v", {"id": "v", "product_id": "no-such-product",
                                             "sku": "X", "size": None, "colour": None,
                                             "active": 1})  # seq 7: fails its slice
    state.publish("price", "upsert", f"{ctx.store_id}:{SILK_VARIANT}",
                  {"store_id": ctx.store_id, "variant_id": SILK_VARIANT, "amount_minor": 8000})
    with pytest.raises((FeedError, IntegrityError)):
        pull_once(engine, client)
    assert read_cursor(engine) == 6
    with engine.connect() as conn:
        assert find_by_sku(conn, ctx.store_id, DEMO_VN_SILK_SKU).price_minor == 6000
        assert find_by_sku(conn, ctx.store_id, "X") is None
    with pytest.raises((FeedError, IntegrityError)):  # the same change fails again: still 6
        pull_once(engine, client)
    assert read_cursor(engine) == 6
