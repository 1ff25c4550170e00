"""Clienteling over sync, against a real HTTP fake HQ on loopback and a real demo device DB:
customer events pushed, live profile with its labelled cache fallback, duplicates, search of a
customer created offline, the profile feed (consent, merge) and eviction by the sync worker."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from pos_app.ports import SystemClock
from pos_app.services import profile_cache
from pos_app.services.clienteling import ClienteleService, CustomerDraft
from sync.change_apply import apply_changes
from sync.live_lookup import LiveLookup
from sync.outbox_pusher import drain
from sync.protocol import Change
from sync.protocol_customers import CustomerUpserted, NoteAdded
from sync.worker import SyncWorker
from tests.pos_app.clienteling_samples import profile_json
from tests.sync.conftest import CASHIER_ID


def service(device):
    engine, ctx = device
    return ClienteleService(ctx, engine, engine, SystemClock())


def test_created_offline_then_pushed_in_order_in_the_contract_shape(device, hq):
    engine, _ = device
    server, state, client = hq
    svc = service(device)
    c = svc.create_customer(CustomerDraft("Trần Thu Hà", phone="0912 345 678"), CASHIER_ID,
                            data_use_consent=True)
    svc.add_note(c.id, "Size M áo, 38 giày", CASHIER_ID)
    outcome = drain(engine, client, 100, SystemClock())
    assert outcome.error is None
    with state.lock:
        stored = [state.events[i] for i in state.received_order]
    assert [e["topic"] for e in stored] == ["customer.upserted", "customer.consent_recorded",
                                           "customer.note_added"]
    up = CustomerUpserted.model_validate(stored[0]["payload"])
    assert up.customer.id == c.id and up.fields == ["name", "phone"]
    assert NoteAdded.model_validate(stored[2]["payload"]).customer_id == c.id
    drain(engine, client, 100, SystemClock())  # nothing left: nothing sent twice
    assert len(state.stored_ids()) == 3


def test_live_profile_then_cache_fallback_merged_with_local_rows(device, hq):
    engine, _ = device
    server, state, client = hq
    cid = str(uuid.uuid4())
    state.profiles[cid] = profile_json(cid, as_of="2025-03-14T08:00:00.000000Z")
    lookup = LiveLookup(client, engine, retry_live_after=0)
    live = lookup.profile(cid)
    assert live.live and live.data.customer.name == "Nguyễn Thị Mai"
    assert state.profile_reads == [cid]
    svc = service(device)
    svc.record_profile_view(cid, CASHIER_ID, "live", live.data.model_dump(mode="json"))
    note = svc.add_note(cid, "Đã gọi, hẹn thứ Bảy", CASHIER_ID)
    server.stop()
    client.close()  # drop the kept-alive connection: the next call finds HQ gone
    cached = lookup.profile(cid)
    assert cached.source == "cache" and cached.as_of == "2025-03-14T08:00:00.000000Z"
    assert cached.error.startswith("offline")
    assert [n.id for n in cached.data.notes][0] == note.id and len(cached.data.notes) == 2
    svc.record_profile_view(cid, CASHIER_ID, cached.source)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT actor_id, ref_id FROM audit_log"
                                 " WHERE action = 'customer.profile_viewed'")).all()
    assert [tuple(r) for r in rows] == [(CASHIER_ID, cid)]  # the cache read only: HQ audits live
    bal = lookup.loyalty_balance(cid)
    assert bal.source == "cache" and bal.data is None
    unknown = lookup.profile(str(uuid.uuid4()))
    assert unknown.data is None and "not saved" in unknown.error


def test_duplicates_live_and_offline_and_search_finds_new_customer(device, hq):
    engine, _ = device
    server, state, client = hq
    cid = str(uuid.uuid4())
    state.profiles[cid] = profile_json(cid, phone="+84987654321")
    lookup = LiveLookup(client, engine, retry_live_after=0)
    live = lookup.duplicates("0987 654 321", None)
    assert live.live and [(d.id, d.matched_on, d.phone_masked) for d in live.data] == [
        (cid, "phone", "+84 98* *** *21")]
    svc = service(device)
    new = svc.create_customer(CustomerDraft("Đỗ Quỳnh Anh", phone="+84 933 111 222",
                                            email="Quynh.Anh@Example.com"), CASHIER_ID)
    found = lookup.search_customers("do quynh")  # HQ has no search here: 404 -> error
    server.stop()
    client.close()  # drop the kept-alive connection: the next call finds HQ gone
    offline = lookup.duplicates(None, "quynh.anh@example.com")
    assert offline.source == "cache" and [(d.id, d.email_masked) for d in offline.data] == [
        (new.id, "Q***h@Example.com")]
    hits = lookup.search_customers("do quynh")
    assert hits.source == "cache" and [h.id for h in hits.data][0] == new.id
    assert hits.data[0].phone_masked == "+84 93* *** *22"
    assert found.live  # (HQ answered; the fake has no search endpoint)


def test_profile_feed_consent_delete_and_merge(device):
    engine, _ = device
    svc = service(device)
    keep, gone = str(uuid.uuid4()), str(uuid.uuid4())
    merged = svc.create_customer(CustomerDraft("Mai (dup)", phone="+84901234567"), CASHIER_ID)
    svc.add_note(merged.id, "ghi chú", CASHIER_ID)
    changes = [
        Change(seq=1, entity="customer_profile", op="upsert", key=keep,
               data=profile_json(keep)),
        Change(seq=2, entity="customer_profile", op="upsert", key=gone,
               data=profile_json(gone)),
        Change(seq=3, entity="customer_profile", op="upsert", key=gone,
               data=profile_json(gone, data_use=False)),  # consent withdrawn at HQ
        Change(seq=4, entity="customer_merge", op="upsert", key=merged.id,
               data={"from_id": merged.id, "into_id": keep}),
    ]
    with engine.begin() as conn:
        assert apply_changes(conn, changes).applied == 4
    with engine.connect() as conn:
        assert profile_cache.read_profile(conn, keep)["customer"]["id"] == keep
        assert profile_cache.read_profile(conn, gone) is None
        assert conn.execute(text("SELECT count(*) FROM customers WHERE id = :i"),
                            {"i": merged.id}).scalar() == 0
        assert conn.execute(text("SELECT customer_id FROM customer_notes")).scalar() == keep
    with engine.begin() as conn:
        apply_changes(conn, [Change(seq=5, entity="customer_profile", op="delete", key=keep)])
    with engine.connect() as conn:
        assert profile_cache.read_profile(conn, keep) is None


def test_sync_worker_evicts_unseen_profiles_at_start(device, hq):
    engine, _ = device
    server, state, client = hq
    old, recent = str(uuid.uuid4()), str(uuid.uuid4())
    now = datetime.now(timezone.utc)
    iso = lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # noqa: E731
    with engine.begin() as conn:
        profile_cache.store_profile(conn, profile_json(old), iso(now - timedelta(days=91)))
        profile_cache.store_profile(conn, profile_json(recent), iso(now - timedelta(days=89)))
    worker = SyncWorker(engine, client, interval=60)
    worker.run_cycle()
    with engine.connect() as conn:
        assert profile_cache.read_profile(conn, old) is None
        assert profile_cache.read_profile(conn, recent) is not None
    with engine.begin() as conn:  # HQ republishes her: she stays evicted until seen again
        profile_cache.store_profile(conn, profile_json(old, as_of="2025-04-01T00:00:00Z"),
                                    iso(now))
        assert profile_cache.read_profile(conn, old) is None
        profile_cache.store_profile(conn, profile_json(old), iso(now), seen=True)
        assert json.loads(json.dumps(profile_cache.read_profile(conn, old)))["customer"]["id"] \
            == old
