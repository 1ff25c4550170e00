"""HQ's omnichannel data on both databases: the demo company's web orders, pickups, loyalty,
profiles, carts and wishlists are consistent; each store's feed carries its own open pickups
and stock on hand only; a web order is found by number from any store (404 with a reason when
unknown); a sale pushed to HQ moves the store's stock on hand and its feed, once."""
from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from hq.api.app import create_app
from hq.db.engine import make_engine
from hq.db.migrate import upgrade
from hq.db.models.catalog import StockLevel, StockOpening, StockPending, Variant
from hq.db.models.customers import CartLine, Customer, CustomerProfile, LoyaltyEntry, WishlistItem
from hq.db.models.organisation import ChangeLog, Store
from hq.db.models.sales import StockMove
from hq.db.models.web_orders import WebOrder, WebOrderLine
from hq.demo.orders import DEMO_NOW, GO_LIVE, PICKUP_CODE_ALPHABET
from hq.demo.seed import seed_demo
from hq.services import loyalty, orders, stock
from hq.services.changes import changes
from hq.services.common import ServiceError, utc_iso
from hq.services.stock_publisher import StockPublisher
from pos_app.demo.store import DEMO_CUSTOMERS, DEMO_STORES, DEMO_VN_TEE_SKU
from sync.protocol import GENESIS, PAYMENT_STATUSES, WEB_ORDER_STATUSES, OutboxEventIn, \
    canonical_json, chain_hash
from tests.hq.helpers import PRICE, add_variant, enrol_device, make_store, sale_doc, wire
from tests.waiting import WAIT_S, wait_for

HCM, NYC = DEMO_STORES["hcm"].store_id, DEMO_STORES["nyc"].store_id
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
VI_LETTERS = re.compile("[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọ"
                        "ồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")


@pytest.fixture
def seeded(hq_engine):
    assert seed_demo(hq_engine) == ["HCM1", "NYC1"]
    return hq_engine


def rows(conn, table):
    return conn.execute(select(table)).all()


def feed(conn, store_id: str) -> list:
    page = changes(conn, store_id, 0, 5000)
    out = list(page.changes)
    while page.has_more:
        page = changes(conn, store_id, page.next_cursor, 5000)
        out += page.changes
    return out


def test_demo_orders_add_up_and_use_the_real_catalog(seeded):
    with seeded.connect() as conn:
        orders_ = {o.id: o for o in rows(conn, WebOrder)}
        lines = defaultdict(list)
        for ln in rows(conn, WebOrderLine):
            lines[ln.order_id].append(ln)
        skus = dict(conn.execute(select(Variant.id, Variant.sku)).all())
        customers = {c.id: c for c in rows(conn, Customer)}
        money = {s.id: (s.currency, s.tax_mode) for s in rows(conn, Store)}
    assert len(orders_) > 2000 and len({o.number for o in orders_.values()}) == len(orders_)
    for o in orders_.values():
        ls = sorted(lines[o.id], key=lambda ln: ln.line_no)
        assert ls and [ln.line_no for ln in ls] == list(range(1, len(ls) + 1))
        for ln in ls:
            assert ln.amount == ln.quantity * ln.unit_price - ln.discount >= 0
            assert skus[ln.variant_id] == ln.sku  # a real variant of the demo catalog
            assert ln.returned_quantity == 0 and ln.tax <= ln.amount
        assert o.subtotal == sum(ln.amount for ln in ls)
        assert o.tax_total == sum(ln.tax for ln in ls)
        added = o.tax_total if o.tax_mode == "exclusive" else 0
        assert o.total == o.subtotal + o.shipping_fee + added
        store = o.fulfilment_store_id or customers[o.customer_id].home_store_id
        assert (o.currency, o.tax_mode) == money[store]
        assert o.status in WEB_ORDER_STATUSES and o.payment_status in PAYMENT_STATUSES
        assert all(ISO.match(t) for t in (o.created_at, o.updated_at) if t)
        assert o.created_at <= o.updated_at <= utc_iso(DEMO_NOW)
        assert (o.channel == "store") == (o.fulfilment == "in_store")
        assert (o.fulfilment_store_id is None) == (o.fulfilment == "delivery")
        assert (o.completed_at is not None) == (o.status in orders.COMPLETED)
        if o.fulfilment != "delivery" and o.status in orders.COMPLETED:
            assert o.completed_at < utc_iso(GO_LIVE)  # in the stores' stock count
        if o.fulfilment == "pickup":
            assert o.pickup_code and (o.ready_at is not None) == (
                o.status in ("ready_for_pickup", "picked_up"))
        if o.status == "picked_up":
            assert o.picked_up_at >= o.ready_at and o.picked_up_by
        if o.customer_id:
            c = customers[o.customer_id]
            assert (o.contact_name, o.contact_phone) == (c.name, c.phone)
    delivered = [o for o in orders_.values() if o.fulfilment == "delivery" and o.ship_address]
    assert any("TP. Hồ Chí Minh" in o.ship_address for o in delivered)
    assert any(re.search(r", (NY|NJ) \d{5}$", o.ship_address) for o in delivered)
    assert all(VI_LETTERS.search(o.ship_address) for o in delivered if o.currency == "VND")
    # in-store history, deliveries, pickups in both stores; every demo shopper tier has orders
    kinds = {(o.currency, o.fulfilment, o.status) for o in orders_.values()}
    for cur in ("VND", "USD"):
        assert {(cur, "in_store", "completed"), (cur, "delivery", "delivered"),
                (cur, "pickup", "picked_up"), (cur, "pickup", "ready_for_pickup")} <= kinds


def test_loyalty_ledgers_follow_the_orders_and_tiers_follow_the_points(seeded):
    with seeded.connect() as conn:
        orders_ = rows(conn, WebOrder)
        ledger = defaultdict(list)
        for e in conn.execute(select(LoyaltyEntry).order_by(LoyaltyEntry.at, LoyaltyEntry.id)):
            ledger[e.customer_id].append(e)
        customers = rows(conn, Customer)
        mai = loyalty.points(conn, DEMO_CUSTOMERS["hcm"].id)
    earned = {(e.customer_id, e.ref): e.delta for es in ledger.values() for e in es
              if e.reason == loyalty.EARN}
    for o in orders_:
        expected = loyalty.points_for(o.subtotal, o.currency) \
            if o.status in orders.COMPLETED and o.customer_id else 0
        assert earned.get((o.customer_id, o.number), 0) == expected, o.number
    assert len(earned) == sum(1 for o in orders_ if o.status in orders.COMPLETED
                              and o.customer_id and loyalty.points_for(o.subtotal, o.currency))
    tiers = defaultdict(int)
    for c in customers:
        entries = ledger[c.id]
        running = 0
        for e in entries:  # in time order the balance never goes below zero
            running += e.delta
            assert running >= 0, c.id
        qualifying = sum(e.delta for e in entries if e.reason == loyalty.EARN)
        assert loyalty.tier_for(qualifying) == c.tier, (c.name, qualifying, c.tier)
        tiers[c.tier] += 1
    assert set(tiers) == {"member", "silver", "gold", "platinum"}
    assert sum(1 for es in ledger.values() for e in es if e.reason == loyalty.REDEEM) > 10
    assert mai.balance == sum(e.delta for e in ledger[DEMO_CUSTOMERS["hcm"].id])
    assert mai.qualifying >= 1000 and loyalty.tier_for(mai.qualifying) == "gold"
    assert loyalty.points_for(1_249_999, "VND") == 124 and loyalty.points_for(1999, "USD") == 19
    with pytest.raises(ValueError, match="no earn rule for currency 'EUR'"):
        loyalty.points_for(100, "EUR")


def test_profiles_carts_and_wishlists_fit_the_shoppers(seeded):
    with seeded.connect() as conn:
        profiles = {p.customer_id: p for p in rows(conn, CustomerProfile)}
        carts, wishes = rows(conn, CartLine), rows(conn, WishlistItem)
        store_of = dict(conn.execute(select(Customer.id, Customer.home_store_id)).all())
        variant_store = dict(conn.execute(text(
            "SELECT v.id, p.store_id FROM variants v JOIN products p ON p.id = v.product_id")
        ).all())
        skus = dict(conn.execute(select(Variant.id, Variant.sku)).all())
    assert len(profiles) == len(store_of) == 600
    for p in profiles.values():
        sizes, prefs = json.loads(p.sizes), json.loads(p.preferences)
        assert {"apparel", "shoes"} <= set(sizes) and len(prefs["categories"]) == 2
        assert p.data_use_consent_channel in ("web", "store")
        assert p.marketing_consent_by == "customer" or p.marketing_consent_channel == "store"
        assert ISO.match(p.customer_since) and p.customer_since <= p.updated_at
    assert sum(p.marketing_opt_in for p in profiles.values()) > 200
    assert json.loads(profiles[DEMO_CUSTOMERS["hcm"].id].sizes)["apparel"] in "S M L XL".split()
    assert 60 < len({c.customer_id for c in carts}) < 300
    assert 100 < len({w.customer_id for w in wishes}) < 400
    for item in carts + wishes:  # items of the shopper's own store, by the real SKU
        assert variant_store[item.variant_id] == store_of[item.customer_id]
        assert skus[item.variant_id] == item.sku
    recent = utc_iso(DEMO_NOW - timedelta(days=15))
    assert all(recent <= c.added_at <= utc_iso(DEMO_NOW) and c.quantity >= 1 for c in carts)


def test_each_store_has_ready_pickups_with_codes_on_its_own_feed_only(seeded):
    with seeded.connect() as conn:
        hcm_feed, nyc_feed = feed(conn, HCM), feed(conn, NYC)
        open_ids = {sid: set(orders.open_pickup_ids(conn, sid)) for sid in (HCM, NYC)}
        held = {o.id: o for o in rows(conn, WebOrder) if o.fulfilment == "pickup"}
        levels = {(s.store_id, s.variant_id): s.on_hand for s in rows(conn, StockLevel)}
        openings = {(s.store_id, s.variant_id): s.quantity for s in rows(conn, StockOpening)}
        computed = stock.ledger_on_hand(conn, HCM)
    for sid, fd, other in ((HCM, hcm_feed, NYC), (NYC, nyc_feed, HCM)):
        pickups = [c for c in fd if c.entity == "web_order"]
        assert {c.key for c in pickups} == open_ids[sid] and not open_ids[sid] & open_ids[other]
        ready = [c.data for c in pickups if c.data["status"] == "ready_for_pickup"]
        assert len(ready) >= 5 and any(d["customer_id"] is None for d in ready)  # a guest
        for c in pickups:
            o, d = held[c.key], c.data
            assert o.fulfilment_store_id == sid and d["number"] == o.number
            assert len(d["pickup_code"]) == 6 and set(d["pickup_code"]) <= set(
                PICKUP_CODE_ALPHABET)
            assert d["total"] == o.total and sum(ln["amount"] for ln in d["lines"]) == \
                d["subtotal"]
            assert set(d["lines"][0]) == set(orders.FEED_LINE_COLUMNS)
        levels_here = {c.data["variant_id"]: c.data["on_hand"] for c in fd if c.entity == "stock"}
        assert levels_here and all(c.data["store_id"] == sid for c in fd if c.entity == "stock")
        assert levels_here == {v: q for (s, v), q in levels.items() if s == sid}
        assert levels_here == {v: q for (s, v), q in openings.items() if s == sid}
    mai = DEMO_CUSTOMERS["hcm"].id
    assert any(c.data["customer_id"] == mai and c.data["status"] == "ready_for_pickup"
               for c in hcm_feed if c.entity == "web_order")
    names = [c.data["contact_name"] for c in hcm_feed if c.entity == "web_order"]
    assert all(VI_LETTERS.search(n) for n in names)
    assert all(n.isascii() for n in (c.data["contact_name"] for c in nyc_feed
                                     if c.entity == "web_order"))
    assert computed == {v: q for (s, v), q in openings.items() if s == HCM}


def test_a_status_change_and_a_withdrawal_reach_the_store_feed(seeded):
    with seeded.begin() as conn:
        cursor = conn.execute(select(func.max(ChangeLog.seq))).scalar_one()
        oid = orders.open_pickup_ids(conn, HCM)[0]
        conn.execute(WebOrder.__table__.update().where(WebOrder.id == oid).values(
            status="picked_up", picked_up_at=utc_iso(), picked_up_by="assoc-1",
            updated_at=utc_iso()))
        assert orders.publish_pickups(conn, [oid]) == 1
        orders.unpublish_pickup(conn, oid)
        delivery = conn.execute(select(WebOrder.id).where(
            WebOrder.fulfilment == "delivery").limit(1)).scalar_one()
        with pytest.raises(ServiceError, match="is not picked up in a store"):
            orders.publish_pickups(conn, [delivery])
    with seeded.connect() as conn:
        new = changes(conn, HCM, cursor).changes
        assert [(c.entity, c.op, c.key) for c in new] == [
            ("web_order", "upsert", oid), ("web_order", "delete", oid)]
        assert new[0].data["status"] == "picked_up" and new[0].data["picked_up_by"] == "assoc-1"
        assert changes(conn, NYC, cursor).changes == []


@pytest.fixture
def api(seeded):
    device, bearer = enrol_device(seeded, "HCM1", "pickup tablet")
    with TestClient(create_app(seeded, admin_token="adm")) as client:
        yield client, {"Authorization": bearer}, device


def test_web_order_look_up_by_number_from_any_store(api, seeded):
    client, auth, _ = api
    with seeded.connect() as conn:
        mine = conn.execute(select(WebOrder).where(
            WebOrder.fulfilment_store_id == HCM, WebOrder.status == "ready_for_pickup",
            WebOrder.customer_id.is_not(None))).first()
        theirs = conn.execute(select(WebOrder).where(
            WebOrder.currency == "USD", WebOrder.fulfilment == "delivery",
            WebOrder.status == "delivered")).first()
        line_count = conn.execute(select(func.count()).where(
            WebOrderLine.order_id == theirs.id)).scalar_one()
    r = client.get(f"/v1/orders/{mine.number.lower()}", headers=auth)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["number"], body["id"], body["status"], body["pickup_store_code"]) == (
        mine.number, mine.id, "ready_for_pickup", "HCM1")
    assert body["total"] == mine.total and body["currency"] == "VND"
    assert body["contact_name"] == mine.contact_name and "*" in body["contact_phone_masked"]
    assert "pickup_code" not in body  # only the pickup store's feed carries the code
    assert sum(ln["amount"] for ln in body["lines"]) == body["subtotal"] == mine.subtotal
    # returns happen anywhere: another store's (and channel's) order is found too
    r = client.get(f"/v1/orders/{theirs.number}", headers=auth)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["fulfilment"], body["pickup_store_code"], body["currency"]) == (
        "delivery", None, "USD")
    assert len(body["lines"]) == line_count and body["completed_at"] == theirs.completed_at
    r = client.get("/v1/orders/VN-999999", headers=auth)
    assert r.status_code == 404
    assert "'VN-999999' not found" in r.json()["detail"]


def _push_sale(client, auth, device, lines: list[tuple[str, str, int]], seq: int,
               prev: str) -> tuple[dict, str]:
    """A chained sale.completed event of (variant_id, sku, quantity) lines, pushed."""
    doc = sale_doc(device.id, device.store_id, seq, [q for _v, _s, q in lines])
    for ln, (vid, sku, _q) in zip(doc["lines"], lines):
        ln.update(variant_id=vid, sku=sku)
    digest = chain_hash(prev, canonical_json(doc))
    ev = OutboxEventIn(id=str(uuid.uuid4()), position=seq, topic="sale.completed",
                       payload={"journal": {"seq": seq, "prev_hash": prev, "hash": digest},
                                "sale": doc}, created_at=doc["created_at"])
    return wire([ev]), digest


def _wait_for(predicate, seconds: float = WAIT_S):
    return wait_for(predicate, seconds, "the stock publisher's round", interval=0.05)


def _pending(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(StockPending)).scalar_one()


def test_a_sale_ingested_moves_stock_on_hand_and_the_store_feed_once(api, seeded):
    """Through the app's own stock publisher thread (started with the app)."""
    client, auth, device = api
    with seeded.connect() as conn:
        tee, blk = (conn.execute(text(
            "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id"
            " WHERE p.store_id = :s AND v.sku = :k"), {"s": HCM, "k": k}).scalar_one()
            for k in (DEMO_VN_TEE_SKU, "DEMO-TEE-BLK-S"))
        cursor = conn.execute(select(func.max(ChangeLog.seq))).scalar_one()
        before = stock.ledger_on_hand(conn, HCM, [tee, blk])
    first, h1 = _push_sale(client, auth, device, [(tee, DEMO_VN_TEE_SKU, 2),
                                                  (blk, "DEMO-TEE-BLK-S", 1)], 1, GENESIS)
    second, _ = _push_sale(client, auth, device, [(tee, DEMO_VN_TEE_SKU, 1)], 2, h1)
    batch = {"events": first["events"] + second["events"]}
    r = client.post("/v1/push", json=batch, headers=auth)
    assert [x["status"] for x in r.json()["results"]] == ["accepted", "accepted"]
    want = {tee: before[tee] - 3, blk: before[blk] - 1}

    def published():
        with seeded.connect() as conn:
            return changes(conn, HCM, cursor).changes
    new = _wait_for(published)
    assert {c.key: c.data["on_hand"] for c in new if c.entity == "stock"} == {
        f"{HCM}:{v}": q for v, q in want.items()}
    assert len(new) == 2 and _pending(seeded) == 0  # one figure per variant for the batch
    with seeded.connect() as conn:
        assert changes(conn, NYC, cursor).changes == []
        assert stock.ledger_on_hand(conn, HCM, [tee, blk]) == want
    cursor = new[-1].seq
    levels = {lv["store_code"]: lv["on_hand"] for lv in client.get(
        "/v1/stock", params={"sku": DEMO_VN_TEE_SKU}, headers=auth).json()["levels"]}
    assert levels["HCM1"] == want[tee]
    # the same batch again: duplicates, nothing moves, nothing is noted or published
    r = client.post("/v1/push", json=batch, headers=auth)
    assert [x["status"] for x in r.json()["results"]] == ["duplicate", "duplicate"]
    assert _pending(seeded) == 0
    with seeded.begin() as conn:  # the published figures are exactly the ledger's
        assert stock.publish_pending(conn) == (0, 0)
        assert stock.rebuild_levels(conn, HCM) == 0
        assert changes(conn, HCM, cursor).changes == []


def _ledger_row(store_id: str, variant_id: str, delta: int) -> dict:
    return {"id": str(uuid.uuid4()), "store_id": store_id, "variant_id": variant_id,
            "delta": delta, "reason": "receipt", "ref": "PO-1", "at": utc_iso()}


def test_notes_are_claimed_once_and_a_first_figure_starts_from_the_ledger(hq_engine):
    make_store(hq_engine)
    device, bearer = enrol_device(hq_engine)
    sid = device.store_id
    vid, other = (f"aaaaaaaa-0000-4000-8000-0000000000{n}" for n in (77, 78))
    add_variant(hq_engine, sid, vid, "SKU-77", PRICE)  # HQ accepts sales of its variants only
    with hq_engine.begin() as conn:  # a receipt HQ holds but never published (no note)
        conn.execute(StockMove.__table__.insert(), [_ledger_row(sid, vid, 10)])
    client = TestClient(create_app(hq_engine, admin_token="adm"))  # no lifespan: no thread
    prev = GENESIS
    for seq, lines in enumerate(([(vid, "SKU-77", 4)], [(vid, "SKU-77", 1)]), start=1):
        body, prev = _push_sale(client, {"Authorization": bearer}, device, lines, seq, prev)
        assert client.post("/v1/push", json=body, headers={"Authorization": bearer}
                           ).json()["results"][0]["status"] == "accepted"
    with hq_engine.begin() as conn:  # moved and moved back: nothing to publish
        conn.execute(StockMove.__table__.insert(), [_ledger_row(sid, other, 2),
                                                    _ledger_row(sid, other, -2)])
        stock.note_moves(conn, sid, {other: 2})
        stock.note_moves(conn, sid, {other: -2})
    assert _pending(hq_engine) == 4
    with hq_engine.begin() as conn:
        # the first figure: opening + ledger (10 - 4 - 1) less the unclaimed note (-1)
        assert stock.publish_pending(conn, limit=1) == (1, 1)
        assert conn.execute(select(StockLevel.on_hand).where(
            StockLevel.variant_id == vid)).scalar_one() == 6
        assert stock.publish_pending(conn) == (3, 1)  # 6 - 1; `other` did not change
        assert stock.publish_pending(conn) == (0, 0)
        assert stock.rebuild_levels(conn, sid) == 0  # the figures are the ledger's
    with hq_engine.connect() as conn:
        data = [c.data for c in changes(conn, sid, 0).changes if c.entity == "stock"]
        assert stock.ledger_on_hand(conn, sid) == {vid: 5, other: 0}
    assert [(d["variant_id"], d["on_hand"]) for d in data] == [(vid, 6), (vid, 5)]
    assert set(data[0]) == {"store_id", "variant_id", "on_hand", "updated_at"}


def test_the_publisher_thread_stops_and_survives_a_failed_round(hq_engine, caplog, tmp_path):
    publisher = StockPublisher(hq_engine, interval=0.05)
    publisher.start()
    _wait_for(lambda: publisher.rounds >= 2)
    publisher.stop()
    rounds = publisher.rounds
    unmigrated = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # no stock_pending table
    broken = StockPublisher(unmigrated, interval=0.05)
    broken.start()
    _wait_for(lambda: caplog.text.count("stock-publisher failed") >= 2)  # and it goes on
    broken.stop()
    unmigrated.dispose()
    # stopped: no round of its own while another publisher, same interval, did two
    assert publisher.rounds == rounds


def test_upgrading_an_hq_with_stock_publishes_its_levels(db_url):
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0003")
        make_store(engine)
        with engine.begin() as conn:
            sid = conn.execute(select(Store.id)).scalar_one()
            conn.execute(StockOpening.__table__.insert(), [
                {"store_id": sid, "variant_id": "v-1", "quantity": 5, "at": utc_iso()},
                {"store_id": sid, "variant_id": "v-2", "quantity": 0, "at": utc_iso()}])
            conn.execute(StockMove.__table__.insert(), [
                {"id": str(uuid.uuid4()), "store_id": sid, "variant_id": v, "delta": d,
                 "reason": "sale", "ref": "s", "at": utc_iso()}
                for v, d in (("v-1", -2), ("v-3", -1))])
        upgrade(engine)
        with engine.connect() as conn:
            published = {c.key: c.data["on_hand"] for c in changes(conn, sid, 0).changes
                         if c.entity == "stock"}
            assert published == {f"{sid}:v-1": 3, f"{sid}:v-2": 0, f"{sid}:v-3": -1}
            assert conn.execute(select(func.count()).select_from(StockLevel)).scalar_one() == 3
    finally:
        engine.dispose()
