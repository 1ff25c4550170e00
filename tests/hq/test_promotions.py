"""HQ's promotions on SQLite and PostgreSQL: the demo seeds two per store, each reaches its own
store's feed and snapshot only, a bad promotion is refused with the field named and nothing
written, and a deletion leaves the feed and the snapshot.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from hq.db.models.catalog import Promotion
from hq.db.models.organisation import Store
from hq.demo.seed import seed_demo
from hq.services.changes import changes
from hq.services.promotions import (PromotionError, delete_promotion, publish_promotion,
                                    validated)
from hq.services.snapshot import snapshot_lines
from sync.protocol import SNAPSHOT_ENTITY_ORDER

VALID = {"id": "eeeeeeee-0000-4000-8000-000000000001", "store_id": None,
         "name": "Tết sale", "kind": "percent_off", "value": 1500, "target_kind": "sku",
         "target": "DEMO-TEE-WHT-M", "starts_at": "2026-01-01T00:00:00Z",
         "ends_at": "2026-02-01T00:00:00Z", "active": 1}


def feed(engine, store_id: str) -> dict[str, dict | None]:
    """promotion key -> its data after replaying the store's whole feed (None: deleted)."""
    seen: dict[str, dict | None] = {}
    cursor = 0
    with engine.connect() as conn:
        while True:
            page = changes(conn, store_id, cursor, 5000)
            for c in page.changes:
                if c.entity == "promotion":
                    seen[c.key] = c.data if c.op == "upsert" else None
            cursor = page.next_cursor
            if not page.has_more:
                return seen


def snapshot_promotions(engine, store_id: str) -> tuple[list[str], dict[str, dict]]:
    """(entity order of the snapshot, promotion id -> row) of the store's bulk snapshot."""
    order, promos = [], {}
    for line in list(snapshot_lines(engine, store_id))[1:-1]:
        chunk = json.loads(line)
        order.append(chunk["entity"])
        if chunk["entity"] == "promotion":
            promos.update({r["id"]: r for r in chunk["rows"]})
    return list(dict.fromkeys(order)), promos


@pytest.fixture
def demo(hq_engine):
    seed_demo(hq_engine)
    with hq_engine.connect() as conn:
        return hq_engine, dict(conn.execute(select(Store.code, Store.id)).all())


def test_the_demo_promotions_reach_their_own_store_only(demo):
    engine, stores = demo
    with engine.connect() as conn:
        rows = conn.execute(select(Promotion.__table__)).all()
        categories = {r[0] for r in conn.execute(text("SELECT DISTINCT category FROM products"))}
        product_ids = set(conn.execute(text("SELECT id FROM products")).scalars())
    by_store = {code: {r.name: r for r in rows if r.store_id == sid}
                for code, sid in stores.items()}
    assert set(by_store["HCM1"]) == {"Khuyến mãi áo khoác -20%", "Giảm 50.000₫ chân váy"}
    assert set(by_store["NYC1"]) == {"$5 off sneakers", "20% off outerwear"}
    sneakers = by_store["NYC1"]["$5 off sneakers"]
    assert (sneakers.kind, sneakers.value, sneakers.target_kind) == ("amount_off", 500, "product")
    assert sneakers.target in product_ids
    for promo in rows:  # real targets, the whole of 2026
        assert promo.target_kind != "category" or promo.target in categories
        assert promo.starts_at <= "2026-01-01T00:00:00.000000Z"
        assert promo.ends_at >= "2026-12-31T23:59:59.999999Z"
    for code, sid in stores.items():
        mine = {r.id for r in by_store[code].values()}
        fed = feed(engine, sid)
        assert set(fed) == mine
        assert {k: d["name"] for k, d in fed.items()} == {
            r.id: r.name for r in by_store[code].values()}
        order, snap = snapshot_promotions(engine, sid)
        assert snap == fed  # the snapshot holds exactly what the feed says
        known = [e for e in order if e in SNAPSHOT_ENTITY_ORDER]
        assert known.index("promotion") == known.index("price") + 1


def test_a_promotion_for_every_store_and_its_deletion(demo):
    engine, stores = demo
    with engine.begin() as conn:
        promo = publish_promotion(conn, VALID)
    assert promo["starts_at"] == "2026-01-01T00:00:00.000000Z"  # fixed width: compares as text
    for sid in stores.values():
        assert feed(engine, sid)[VALID["id"]]["target"] == "DEMO-TEE-WHT-M"
        assert VALID["id"] in snapshot_promotions(engine, sid)[1]
    with engine.begin() as conn:
        publish_promotion(conn, {**VALID, "value": 2500})  # an update: the latest wins
    assert snapshot_promotions(engine, stores["HCM1"])[1][VALID["id"]]["value"] == 2500
    with engine.begin() as conn:
        delete_promotion(conn, VALID["id"], None)
    for sid in stores.values():
        assert feed(engine, sid)[VALID["id"]] is None
        assert VALID["id"] not in snapshot_promotions(engine, sid)[1]
    with engine.connect() as conn:
        assert conn.execute(select(Promotion.id).where(Promotion.id == VALID["id"])).first() is None


@pytest.mark.parametrize("change, message", [
    ({"kind": "bogo"}, "kind must be one of"),
    ({"value": 0}, "basis points 1..10000"),
    ({"value": 10_001}, "basis points 1..10000"),
    ({"kind": "amount_off", "value": -5}, "minor units >= 1"),
    ({"value": 12.5}, "value must be an integer"),
    ({"target_kind": "brand"}, "target_kind must be one of"),
    ({"target": ""}, "target must be"),
    ({"name": "  "}, "name must be"),
    ({"starts_at": "2026-01-01"}, "starts_at must be a UTC ISO-8601 time"),
    ({"ends_at": "2026-13-01T00:00:00Z"}, "ends_at is not an ISO-8601 time"),
    ({"ends_at": "2025-12-31T00:00:00Z"}, "ends_at must be after starts_at"),
    ({"id": "not-a-uuid"}, "id must be a UUID"),
    ({"colour": "red"}, "unknown promotion fields: colour"),
])
def test_a_bad_promotion_is_refused_and_nothing_is_written(hq_engine, change, message):
    with pytest.raises(PromotionError, match=message):
        with hq_engine.begin() as conn:
            publish_promotion(conn, {**VALID, **change})
    with hq_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM promotions")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM change_log")).scalar_one() == 0
    assert validated(VALID)["value"] == 1500  # the valid one passes
