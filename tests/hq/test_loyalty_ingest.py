"""Loyalty on sale ingest: a sale with a customer earns (uuid5(sale id, "earn")), each loyalty
payment redeems (entry id = payment id); exactly once under retries and reorderings, on the
batch fast path and the per-event path; overdrawn balances listed for the manager."""
from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from hq.api.app import create_app
from hq.db.models.customers import LoyaltyEntry
from hq.services import catalog, ingest, loyalty
from sync.protocol import GENESIS, OutboxEventIn, canonical_json, chain_hash
from tests.hq.helpers import DeviceChain, STORE_ID, enrol_device, make_store, sale_doc

CUSTOMER = "cccccccc-0000-4000-8000-000000000001"


@pytest.fixture
def hq(hq_engine):
    make_store(hq_engine)
    device, bearer = enrol_device(hq_engine)
    with hq_engine.begin() as conn:
        catalog.insert_new(conn, "customer", [{
            "id": CUSTOMER, "home_store_id": STORE_ID, "name": "Mai", "phone": None,
            "email": None, "loyalty_card": None, "tier": None}], STORE_ID)
    return hq_engine, device, bearer


def _sale_event(chain: DeviceChain, price: int, redeem_points: int = 0,
                reference: bool = True) -> OutboxEventIn:
    """A chained sale of `price` VND for CUSTOMER, part paid with points when asked."""
    chain.seq += 1
    chain.position += 1
    doc = sale_doc(chain.device_id, chain.store_id, chain.seq, (1,), price)
    doc["customer_id"] = CUSTOMER
    if redeem_points:
        value = redeem_points * loyalty.POINT_VALUE_MINOR["VND"]
        doc["payments"] = [
            {**doc["payments"][0], "amount": price - value, "tendered": price - value},
            {"id": str(uuid.uuid4()), "tender": "loyalty", "amount": value, "tendered": value,
             "change": 0, "reference": f"{redeem_points} pts" if reference else None,
             "masked_pan": None, "auth_code": None}]
    digest = chain_hash(chain.prev_hash, canonical_json(doc))
    ev = OutboxEventIn(id=str(uuid.uuid4()), position=chain.position, topic="sale.completed",
                       payload={"journal": {"seq": chain.seq, "prev_hash": chain.prev_hash,
                                            "hash": digest}, "sale": doc},
                       created_at=doc["created_at"])
    chain.prev_hash = digest
    return ev


def _entries(engine):
    with engine.connect() as conn:
        return sorted((r.reason, r.delta) for r in conn.execute(
            select(LoyaltyEntry.reason, LoyaltyEntry.delta).where(
                LoyaltyEntry.customer_id == CUSTOMER)))


def test_earn_and_redeem_exactly_once_through_retries_on_both_paths(hq):
    engine, device, _ = hq
    chain = DeviceChain(device.id, device.store_id)
    events = [_sale_event(chain, 250_000), _sale_event(chain, 120_000, redeem_points=300),
              _sale_event(chain, 50_000, redeem_points=40, reference=False)]
    with engine.begin() as conn:  # the batch fast path
        assert [r.status for r in ingest.ingest(conn, device, events)] == ["accepted"] * 3
    for ev in events:  # each retried alone (per-event path), then the whole batch again
        with engine.begin() as conn:
            assert ingest.ingest(conn, device, [ev])[0].status == "duplicate"
    with engine.begin() as conn:
        ingest.ingest(conn, device, events)
    assert _entries(engine) == [("earn", 5), ("earn", 12), ("earn", 25),
                                ("redeem", -300), ("redeem", -40)]
    with engine.connect() as conn:
        pts = loyalty.points(conn, CUSTOMER)
        earn = conn.execute(select(LoyaltyEntry.id).where(
            LoyaltyEntry.reason == "earn", LoyaltyEntry.ref == events[0].payload["sale"]["id"])
        ).scalar()
    assert pts.balance == 5 + 12 + 25 - 340
    assert earn == loyalty.earn_entry_id(events[0].payload["sale"]["id"])


def test_loyalty_payment_without_customer_is_quarantined(hq):
    engine, device, _ = hq
    chain = DeviceChain(device.id, device.store_id)
    ev = _sale_event(chain, 100_000, redeem_points=10)
    ev.payload["sale"]["customer_id"] = None
    with engine.begin() as conn:
        [res] = ingest.ingest(conn, device, [ev])
    assert res.status == "quarantined"


def test_overdrawn_balances_are_listed_for_the_manager(hq):
    engine, device, _ = hq
    chain = DeviceChain(device.id, device.store_id)
    with engine.begin() as conn:  # an offline redemption beyond the balance: accepted
        ingest.ingest(conn, device, [_sale_event(chain, 10_000, redeem_points=50)])
    with TestClient(create_app(engine, admin_token="adm")) as client:
        assert client.get("/v1/admin/loyalty/overdrawn").status_code == 401
        body = client.get("/v1/admin/loyalty/overdrawn",
                          headers={"Authorization": "Bearer adm"}).json()
    assert body["customers"] == [{"customer_id": CUSTOMER, "name": "Mai", "balance": -49,
                                  "last_entry_at": "2026-11-22T10:00:00.000000Z"}]


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_interleaving_of_retries_and_reorderings_gives_the_same_balance(hq, data):
    """Pushes of loyalty-bearing sales, from two devices, each batch a random selection of
    events (retries of earlier ones included) in a random order: once every event has
    arrived at least once, the balance is the one computed from the sales alone."""
    engine, _, _ = hq
    devices = [enrol_device(engine, name=f"till-{uuid.uuid4().hex[:6]}")[0]
               for _ in range(2)]
    chains = [DeviceChain(d.id, d.store_id) for d in devices]
    plans = []
    for i in range(6):
        k = i % 2
        price = data.draw(st.integers(10_000, 900_000))
        pts = data.draw(st.integers(0, 50))
        plans.append((k, _sale_event(chains[k], price, redeem_points=pts)))
    expected = sum(p.payload["sale"]["total"] // 10_000 for _, p in plans) - sum(
        int(pay["reference"].split()[0]) for _, p in plans
        for pay in p.payload["sale"]["payments"] if pay.get("tender") == "loyalty")
    before = _balance(engine)
    pushes = data.draw(st.lists(st.lists(st.integers(0, 5), min_size=1, max_size=6),
                                min_size=1, max_size=6))
    pushes.append(list(range(6)))  # finally everything, as the outboxes would retry
    for picks in pushes:
        for k in (0, 1):
            batch = [plans[i][1] for i in dict.fromkeys(picks) if plans[i][0] == k]
            if batch:
                with engine.begin() as conn:
                    ingest.ingest(conn, devices[k], batch)
    assert _balance(engine) - before == expected


def _balance(engine) -> int:
    with engine.connect() as conn:
        return loyalty.points(conn, CUSTOMER).balance
