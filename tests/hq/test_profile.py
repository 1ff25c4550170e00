"""The 360° profile, duplicates and tasks endpoints on a demo-seeded HQ (SQLite, PostgreSQL):
content from the demo seed, the audit row, a store sale attached to her, 404/422 reasons."""
from __future__ import annotations

import json
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from hq.api.app import create_app
from hq.db.models.organisation import AuditLog, FeedState
from hq.demo.seed import seed_demo
from hq.services import book, ingest, recommendations
from pos_app.demo.store import DEMO_STORES
from sync.protocol import OutboxEventIn
from sync.protocol_customers import CustomerProfile
from tests.hq.helpers import enrol_device


@pytest.fixture
def api(hq_engine):
    seed_demo(hq_engine)
    with hq_engine.begin() as conn:
        recommendations.refresh(conn)
        cid = conn.execute(text(
            "SELECT c.id FROM customers c JOIN cart_lines l ON l.customer_id = c.id"
            " JOIN wishlist_items w ON w.customer_id = c.id"
            " JOIN customer_profiles p ON p.customer_id = c.id AND p.data_use_consent = 1"
            " WHERE c.home_store_id = :s ORDER BY c.id LIMIT 1"),  # in her store's book
            {"s": DEMO_STORES["hcm"].store_id}).scalar()
    device, bearer = enrol_device(hq_engine, DEMO_STORES["hcm"].code)
    with TestClient(create_app(hq_engine, admin_token="adm")) as client:
        yield client, {"Authorization": bearer}, device, cid, hq_engine


def test_profile_shows_her_history_cart_wishlist_loyalty_and_suggestions(api):
    client, auth, device, cid, engine = api
    r = client.get(f"/v1/customers/{cid}/profile", headers=auth)
    assert r.status_code == 200, r.text
    p = CustomerProfile.model_validate(r.json())
    assert p.customer.id == cid and p.customer.phone  # unmasked in the profile
    assert p.orders and all(o.lines for o in p.orders)
    assert [o.created_at for o in p.orders] == sorted((o.created_at for o in p.orders),
                                                      reverse=True)
    assert p.cart and all(i.unit_price and i.currency == "VND" for i in p.cart)
    assert p.wishlist
    assert p.loyalty.balance == sum(e.delta for e in p.loyalty.entries)
    assert [e.at for e in p.loyalty.entries] == sorted((e.at for e in p.loyalty.entries),
                                                       reverse=True)
    assert {c.kind for c in p.consents} == {"marketing", "data_use"}
    assert p.lifetime_value > 0 and p.currency == "VND"
    assert p.recommendations and all(r.reason_args and r.unit_price for r in p.recommendations)
    bought = {ln.variant_id for o in p.orders for ln in o.lines}
    assert not bought & {r.variant_id for r in p.recommendations}
    with engine.connect() as conn:
        audit = conn.execute(select(AuditLog.device_id).where(AuditLog.subject == cid)).all()
    assert [a.device_id for a in audit] == [device.id]


def test_bad_ids_are_422_and_unknown_customer_404(api):
    client, auth, *_ = api
    assert client.get("/v1/customers/not-a-uuid/profile", headers=auth).status_code == 422
    r = client.get(f"/v1/customers/{uuid.uuid4()}/profile", headers=auth)
    assert r.status_code == 404 and "unknown customer" in r.json()["detail"]
    assert client.get("/v1/customers/tasks", params={"assigned_to": "x"},
                      headers=auth).status_code == 422
    r = client.post("/v1/customers/duplicates", json={}, headers=auth)
    assert r.status_code == 422 and "phone or email" in r.json()["detail"][0]["msg"]
    r = client.post("/v1/customers/duplicates", json={"phone": "no digits"}, headers=auth)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "phone"]
    r = client.get("/v1/customers/duplicates", params={"phone": "0901"}, headers=auth)
    assert r.status_code == 405 and "POST" in r.json()["detail"]  # the GET form is gone


def test_duplicates_match_phone_in_any_format_masked(api):
    client, auth, _, cid, engine = api
    with engine.connect() as conn:
        phone, email = conn.execute(text("SELECT phone, email FROM customers WHERE id = :c"),
                                    {"c": cid}).one()
    national = "0" + phone.removeprefix("+84")
    r = client.post("/v1/customers/duplicates", json={"phone": national[:4] + " " +
                                                      national[4:]}, headers=auth)
    assert r.status_code == 200
    [hit] = r.json()["customers"]
    assert hit["id"] == cid and hit["matched_on"] == "phone" and "*" in hit["phone_masked"]
    r = client.post("/v1/customers/duplicates", json={"email": email.upper()}, headers=auth)
    assert [c["id"] for c in r.json()["customers"]] == [cid]


def test_store_sale_and_task_show_in_profile_tasks_list_and_book(api):
    client, auth, device, cid, engine = api
    from tests.hq.helpers import DeviceChain
    with engine.connect() as conn:  # HQ checks a sale's variants and a task's associate
        item = tuple(conn.execute(text(
            "SELECT v.id, v.sku, p.amount_minor FROM variants v JOIN prices p"
            " ON p.variant_id = v.id AND p.store_id = :s ORDER BY v.sku LIMIT 1"),
            {"s": device.store_id}).one())
        associate = conn.execute(text("SELECT id FROM associates WHERE store_id = :s"
                                      " ORDER BY code LIMIT 1"), {"s": device.store_id}).scalar()
    chain = DeviceChain(device.id, device.store_id, items=[item])
    ev = chain.next_event()
    ev.payload["sale"]["customer_id"] = cid
    from sync.protocol import canonical_json, chain_hash, GENESIS
    digest = chain_hash(GENESIS, canonical_json(ev.payload["sale"]))
    ev.payload["journal"]["hash"] = digest
    task = {"id": str(uuid.uuid4()), "customer_id": cid, "text": "Call when size 42 arrives",
            "due_date": "2026-12-01", "status": "open", "assigned_to": None,
            "associate_id": associate, "store_id": device.store_id,
            "at": "2026-11-22T10:00:00.000000Z"}
    tev = OutboxEventIn(id=str(uuid.uuid4()), position=2, topic="customer.task_upserted",
                        payload=task, created_at=task["at"])
    with engine.begin() as conn:
        assert [r.status for r in ingest.ingest(conn, device, [ev, tev])] == ["accepted"] * 2
    p = client.get(f"/v1/customers/{cid}/profile", headers=auth).json()
    store_orders = [o for o in p["orders"] if o["channel"] == "store"
                    and o["number"] == ev.payload["sale"]["receipt_no"]]
    assert store_orders and store_orders[0]["lines"][0]["sku"] == item[1]
    assert [t["text"] for t in p["tasks"]] == ["Call when size 42 arrives"]
    tasks = client.get("/v1/customers/tasks", headers=auth).json()["tasks"]
    assert [t["customer_id"] for t in tasks] == [cid]
    with engine.begin() as conn:
        assert book.publish_pending(conn) >= 1
        data = conn.execute(select(FeedState.data).where(
            FeedState.entity == "customer_profile", FeedState.key == cid,
            FeedState.scope == device.store_id)).scalar()
    cached = json.loads(data)
    assert cached["tasks"][0]["text"] == "Call when size 42 arrives"
    with engine.connect() as conn:  # the book's read is not a profile view
        assert conn.execute(select(AuditLog.id).where(AuditLog.subject == cid)).all() \
            .__len__() == 1
