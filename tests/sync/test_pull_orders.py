"""Pull: the device stores the web orders to pick up in its store and its stock on hand.

Against the fake HQ: upserts, a status change that replaces the lines, deletes, the latest
stock figure winning, a broken change failing the page with nothing applied. Against the real
HQ (uvicorn on loopback, the demo company on SQLite): a new till enrolled from scratch holds
exactly its store's open pickups and on hand; its own sale pushed to HQ comes back as the new
on hand; a handover recorded at HQ and a withdrawn order reach the till.
"""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, text

from hq.db.engine import make_engine as make_hq_engine
from hq.db.migrate import upgrade as upgrade_hq
from hq.db.models.catalog import StockLevel
from hq.db.models.web_orders import WebOrder, WebOrderLine
from hq.demo.seed import seed_demo
from hq.services import orders as hq_orders
from hq.services.common import utc_iso
from hq.services.enrolment import create_enrolment_code
from pos_app.db.engine import make_engine
from pos_app.demo.catalog import demo_uuid
from pos_app.demo.store import DEMO_VN_TEE_SKU
from sync.change_puller import FeedError, bootstrap as pull_all, pull_once, read_cursor
from sync.enrolment import enrol_device
from sync.hq_client import HQClient
from sync.outbox_pusher import drain
from tests.sync.conftest import sell
from tests.sync.test_live_lookup import ThreadedHQ
from tests.waiting import PATIENT_HTTP, wait_for

TEE = demo_uuid("hcm", "variant", DEMO_VN_TEE_SKU)
ORDER = "0f0e0d0c-0000-4000-8000-000000000001"
OTHER = "0f0e0d0c-0000-4000-8000-000000000002"


def order_data(oid: str, number: str, status: str = "ready_for_pickup", lines: int = 2,
               **extra) -> dict:
    data = {"id": oid, "number": number, "status": status, "payment_status": "paid",
            "customer_id": demo_uuid("hcm", "customer", "1"), "contact_name": "Nguyễn Thị Mai",
            "contact_phone": "+84901234567", "pickup_code": "K7QH3M", "currency": "VND",
            "subtotal": 398_000 * lines, "shipping_fee": 0, "tax_total": 36_182 * lines,
            "total": 398_000 * lines, "created_at": "2026-11-20T03:00:00.000000Z",
            "updated_at": "2026-11-20T09:00:00.000000Z", "ready_at": "2026-11-20T09:00:00.000000Z",
            "picked_up_at": None, "picked_up_by": None, "picked_up_device_id": None,
            "lines": [{"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{oid}/{n}")), "line_no": n,
                       "variant_id": TEE, "sku": DEMO_VN_TEE_SKU, "name": "Áo thun cổ tròn",
                       "variant_label": "Trắng / M", "quantity": 2, "unit_price": 199_000,
                       "amount": 398_000} for n in range(1, lines + 1)]}
    data.update(extra)
    return data


def stock_data(store_id: str, variant_id: str, on_hand: int) -> dict:
    return {"store_id": store_id, "variant_id": variant_id, "on_hand": on_hand,
            "updated_at": utc_iso()}


def device_orders(engine) -> dict[str, tuple]:
    """id -> (number, status, picked_up_by, total, line count, sum of line amounts)."""
    with engine.connect() as conn:
        lines = {oid: (n, total) for oid, n, total in conn.execute(text(
            "SELECT order_id, count(*), sum(amount) FROM web_order_lines GROUP BY order_id"))}
        return {r[0]: (*r[1:], *lines.get(r[0], (0, None))) for r in conn.execute(text(
            "SELECT id, number, status, picked_up_by, total FROM web_orders"))}


def device_stock(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT variant_id, on_hand FROM stock_levels")).all())


def test_orders_and_stock_are_stored_updated_and_deleted(device, hq):
    engine, ctx = device
    _, state, client = hq
    sid = ctx.store_id
    state.publish("web_order", "upsert", ORDER, order_data(ORDER, "VN-100001"))
    state.publish("web_order", "upsert", OTHER, order_data(OTHER, "VN-100002", "processing",
                                                           ready_at=None))
    state.publish("stock", "upsert", f"{sid}:{TEE}", stock_data(sid, TEE, 12))
    state.publish("stock", "upsert", f"{sid}:v-2", stock_data(sid, "v-2", 0))
    assert pull_once(engine, client) == 4
    assert device_orders(engine) == {
        ORDER: ("VN-100001", "ready_for_pickup", None, 796_000, 2, 796_000),
        OTHER: ("VN-100002", "processing", None, 796_000, 2, 796_000)}
    assert device_stock(engine) == {TEE: 12, "v-2": 0}
    with engine.connect() as conn:
        row = conn.execute(text("SELECT pickup_code, contact_name, ready_at FROM web_orders"
                                " WHERE number = 'VN-100002'")).one()
        assert tuple(row) == ("K7QH3M", "Nguyễn Thị Mai", None)

    # handed over: status, who and when change, and the lines are replaced (one left)
    state.publish("web_order", "upsert", ORDER, order_data(
        ORDER, "VN-100001", "picked_up", lines=1, picked_up_at="2026-11-21T10:00:00.000000Z",
        picked_up_by=demo_uuid("hcm", "associate", "A01"), picked_up_device_id=ctx.device_id))
    state.publish("stock", "upsert", f"{sid}:{TEE}", stock_data(sid, TEE, 11))  # replaces 12
    state.publish("stock", "upsert", f"{sid}:{TEE}", stock_data(sid, TEE, 10))  # latest wins
    state.publish("web_order", "delete", OTHER)
    state.publish("stock", "delete", f"{sid}:v-2")
    assert pull_once(engine, client) == 5 and read_cursor(engine) == 9
    assert device_orders(engine) == {
        ORDER: ("VN-100001", "picked_up", demo_uuid("hcm", "associate", "A01"), 398_000, 1,
                398_000)}
    assert device_stock(engine) == {TEE: 10}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM web_order_lines")).scalar_one() == 1


def test_the_same_order_twice_in_a_page_keeps_the_last(device, hq):
    engine, _ = device
    _, state, client = hq
    state.publish("web_order", "upsert", ORDER, order_data(ORDER, "VN-100001", "processing",
                                                           lines=3, ready_at=None))
    state.publish("web_order", "upsert", ORDER, order_data(ORDER, "VN-100001"))
    assert pull_once(engine, client) == 2
    assert device_orders(engine) == {
        ORDER: ("VN-100001", "ready_for_pickup", None, 796_000, 2, 796_000)}


@pytest.mark.parametrize("entity, key, data, reason", [
    ("web_order", ORDER, {k: v for k, v in order_data(ORDER, "VN-1").items() if k != "lines"},
     "'lines'"),
    ("web_order", ORDER, order_data(ORDER, "VN-1", total="lots"), "invalid literal"),
    ("stock", "x", {"store_id": "s", "variant_id": "v", "updated_at": "t"}, "'on_hand'"),
])
def test_a_broken_change_fails_its_page_and_applies_nothing(device, hq, entity, key, data,
                                                            reason):
    engine, ctx = device
    _, state, client = hq
    state.publish("stock", "upsert", f"{ctx.store_id}:{TEE}", stock_data(ctx.store_id, TEE, 7))
    state.publish(entity, "upsert", key, data)
    with pytest.raises(FeedError, match=reason):
        pull_once(engine, client)
    assert read_cursor(engine) == 0 and device_orders(engine) == {} and device_stock(engine) == {}


def test_a_stock_delete_with_a_bad_key_is_refused(device, hq):
    engine, _ = device
    _, state, client = hq
    state.publish("stock", "delete", "no-colon")
    with pytest.raises(FeedError, match="is not '<store_id>:<variant_id>'"):
        pull_once(engine, client)
    assert read_cursor(engine) == 0


# --- against the real HQ ----------------------------------------------------------------------
@pytest.fixture
def real_hq(tmp_path: Path):
    hq_engine = make_hq_engine(f"sqlite:///{tmp_path / 'hq.db'}")
    upgrade_hq(hq_engine)
    seed_demo(hq_engine)
    server = ThreadedHQ(hq_engine).start()
    yield server, hq_engine
    server.stop()
    hq_engine.dispose()


def hq_store_state(hq_engine, store_id: str) -> tuple[dict, dict]:
    """(open pickups as device_orders shows them, on hand by variant) of a store at HQ."""
    with hq_engine.connect() as conn:
        ids = hq_orders.open_pickup_ids(conn, store_id)
        pickups = {}
        for o in conn.execute(select(WebOrder).where(WebOrder.id.in_(ids))):
            lines = conn.execute(select(WebOrderLine.amount).where(
                WebOrderLine.order_id == o.id)).scalars().all()
            pickups[o.id] = (o.number, o.status, o.picked_up_by, o.total, len(lines),
                             sum(lines))
        levels = dict(conn.execute(select(StockLevel.variant_id, StockLevel.on_hand).where(
            StockLevel.store_id == store_id)).all())
    return pickups, levels


def test_a_new_till_holds_its_stores_pickups_and_stock_and_follows_hq(real_hq, tmp_path):
    server, hq_engine = real_hq
    engine = make_engine(tmp_path / "till.db")
    client = HQClient(server.url, timeout=PATIENT_HTTP)  # HQ is up; the machine may be busy
    try:
        with hq_engine.begin() as conn:
            code, _ = create_enrolment_code(conn, "HCM1", 10)
        ctx = enrol_device(engine, client, code, "pickup counter")
        pickups, levels = hq_store_state(hq_engine, ctx.store_id)
        assert len(pickups) == 8 and len(levels) > 2000
        assert device_orders(engine) == pickups  # the HCM1 ones only
        assert device_stock(engine) == levels

        sell(engine, ctx, (DEMO_VN_TEE_SKU, DEMO_VN_TEE_SKU))  # two tees, one basket line
        assert drain(engine, client).pushed == 1
        def stock_moved() -> bool:  # HQ's stock publisher runs about twice a second
            pull_all(engine, client)
            return device_stock(engine)[TEE] != levels[TEE]
        wait_for(stock_moved, what="the sale in the store's stock feed", interval=0.1)
        assert device_stock(engine) == levels | {TEE: levels[TEE] - 2}

        oid = next(i for i, p in pickups.items() if p[1] == "ready_for_pickup")
        other = next(i for i in pickups if i != oid)
        associate = demo_uuid("hcm", "associate", "A01")
        with hq_engine.begin() as conn:  # what the BOPIS handover writes at HQ
            conn.execute(WebOrder.__table__.update().where(WebOrder.id == oid).values(
                status="picked_up", picked_up_at=utc_iso(), picked_up_by=associate,
                picked_up_device_id=ctx.device_id, updated_at=utc_iso()))
            hq_orders.publish_pickups(conn, [oid])
            hq_orders.unpublish_pickup(conn, other)
        pull_all(engine, client)
        got = device_orders(engine)
        assert got[oid][1:3] == ("picked_up", associate) and other not in got
        with engine.connect() as conn:
            assert conn.execute(text("SELECT picked_up_device_id FROM web_orders WHERE id = :i"),
                                {"i": oid}).scalar_one() == ctx.device_id
    finally:
        client.close()
        engine.dispose()
