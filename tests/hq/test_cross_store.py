"""Device-scoped customer writes and device times (issue 18, docs/clienteling.md "Which store
may write what", "Device times"), on both databases: a device writes as its own store only,
a visiting customer's note, consent, edit and task are allowed and audited, times are parsed
and bounded, last-writer-wins follows the parsed time; the audit is listed for HQ IT."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hq.api.app import create_app
from hq.db.models.customers import (ConsentRecord, Customer, CustomerNote, CustomerProfile,
                                    CustomerTask)
from hq.db.models.sales import CrossStoreWrite
from hq.services.common import utc_iso
from hq.services.ingest import ingest
from sync.protocol import OutboxEventIn
from tests.hq.helpers import OTHER_STORE_ID, STORE_ID, associate_id, enrol_device, make_store

AT = "2026-11-22T10:00:00.000000Z"
HERE, THERE = STORE_ID, OTHER_STORE_ID  # TST1 (the visited store), TST2 (her home)


@pytest.fixture
def stores(hq_engine):
    make_store(hq_engine)
    make_store(hq_engine, OTHER_STORE_ID, "TST2")
    here, _ = enrol_device(hq_engine, "TST1")
    there, _ = enrol_device(hq_engine, "TST2")
    return hq_engine, here, there


def _event(topic: str, payload: dict) -> OutboxEventIn:
    return OutboxEventIn(id=str(uuid.uuid4()), position=1, topic=topic, payload=payload,
                         created_at=AT)


def _push(engine, device, *events):
    with engine.begin() as conn:
        return ingest(conn, device, list(events))


def _upsert(cid, store, fields, edited_at=AT, **customer):
    return _event("customer.upserted", {
        "customer": {"id": cid, "name": "Nguyễn Thị Mai", **customer}, "fields": fields,
        "edited_at": edited_at, "associate_id": associate_id(store), "store_id": store})


def _note(cid, store, by=None, text_="Thích lụa", at=AT):
    return _event("customer.note_added", {
        "id": str(uuid.uuid4()), "customer_id": cid, "text": text_,
        "associate_id": by or associate_id(store), "store_id": store, "at": at})


def _task(cid, store, task_id=None, **over):
    return _event("customer.task_upserted", {
        "id": task_id or str(uuid.uuid4()), "customer_id": cid, "text": "Gọi khi có size 42",
        "due_date": "2026-12-20", "status": "open", "assigned_to": None,
        "associate_id": associate_id(store), "store_id": store, "at": AT, **over})


def _consent(cid, store, granted, at=AT):
    return _event("customer.consent_recorded", {
        "id": str(uuid.uuid4()), "customer_id": cid, "kind": "data_use", "granted": granted,
        "channel": "in_store", "associate_id": associate_id(store), "store_id": store,
        "at": at})


def _statuses(results):
    return [r.status for r in results]


def _one(engine, query):
    with engine.connect() as conn:
        return conn.execute(query).first()


def _audit(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(
            CrossStoreWrite.action, CrossStoreWrite.store_id, CrossStoreWrite.owner_store_id,
            CrossStoreWrite.customer_id).order_by(CrossStoreWrite.id))]


def test_a_device_writes_only_as_its_own_store_and_its_associates(stores):
    engine, here, there = stores
    cid = str(uuid.uuid4())
    assert _statuses(_push(engine, there, _upsert(cid, THERE, ["name"]))) == ["accepted"]
    results = _push(engine, here,
                    _task(cid, THERE),  # into TST2's task list
                    _note(cid, THERE),  # "written at" TST2
                    _note(cid, HERE, by=associate_id(THERE)),  # by TST2's associate
                    _note(cid, HERE, by=str(uuid.uuid4())),  # by nobody HQ knows
                    _task(cid, HERE, assigned_to=associate_id(THERE)),  # for TST2's associate
                    _consent(cid, THERE, False))
    assert _statuses(results) == ["quarantined"] * 6
    assert results[0].reason.startswith(f"store_id '{THERE}' is not this device's store")
    assert results[2].reason == (f"associate_id '{associate_id(THERE)}' is not an associate "
                                 f"of this device's store")
    assert results[3].reason.startswith("associate_id ") and "not an associate" in \
        results[3].reason
    assert results[4].reason.startswith(f"assigned_to '{associate_id(THERE)}' is not an "
                                        "associate")
    with engine.connect() as conn:
        assert conn.execute(select(CustomerTask.id)).all() == []
        assert conn.execute(select(CustomerNote.id)).all() == []
        assert conn.execute(select(ConsentRecord.id)).all() == []
    assert _audit(engine) == []


def test_a_new_customer_is_homed_at_the_device_store_whatever_the_payload_says(stores):
    engine, here, _ = stores
    cid = str(uuid.uuid4())
    [res] = _push(engine, here, _upsert(cid, HERE, ["name"], home_store_id=THERE))
    assert res.status == "accepted"
    assert _one(engine, select(Customer.home_store_id).where(Customer.id == cid))[0] == HERE
    assert _audit(engine) == []


def test_a_visiting_customer_note_consent_edit_and_task_are_allowed_and_audited(stores):
    engine, here, there = stores
    cid = str(uuid.uuid4())
    _push(engine, there, _upsert(cid, THERE, ["name", "email"], email="mai@example.com"),
          _consent(cid, THERE, True))
    theirs = _task(cid, THERE)
    _push(engine, there, theirs)
    note, withdraw = _note(cid, HERE), _consent(cid, HERE, False,
                                                at="2026-11-22T11:00:00.000000Z")
    edit = _upsert(cid, HERE, ["email"], email="mai.nguyen@example.com",
                   edited_at="2026-11-22T11:00:00Z")
    mine = _task(cid, HERE)
    # TST1 marks TST2's task done, with other text: only the status changes
    done = _task(cid, HERE, task_id=theirs.payload["id"], status="done", text="changed",
                 at="2026-11-22T12:00:00Z")
    assert _statuses(_push(engine, here, note, withdraw, edit, mine, done)) == ["accepted"] * 5
    c = _one(engine, select(Customer.email, Customer.home_store_id).where(Customer.id == cid))
    assert tuple(c) == ("mai.nguyen@example.com", THERE)
    assert _one(engine, select(CustomerProfile.data_use_consent).where(
        CustomerProfile.customer_id == cid))[0] == 0
    assert tuple(_one(engine, select(CustomerNote.store_id, CustomerNote.at).where(
        CustomerNote.id == note.payload["id"]))) == (HERE, AT)
    t = _one(engine, select(CustomerTask.store_id, CustomerTask.status, CustomerTask.text)
             .where(CustomerTask.id == theirs.payload["id"]))
    assert tuple(t) == (THERE, "done", "Gọi khi có size 42")  # stays in TST2's list
    assert _one(engine, select(CustomerTask.store_id).where(
        CustomerTask.id == mine.payload["id"]))[0] == HERE
    assert _audit(engine) == [(a, HERE, THERE, cid) for a in (
        "customer.note_added", "customer.consent_recorded", "customer.upserted",
        "customer.task_upserted", "customer.task_upserted")]
    # and her home store's own writes are not "cross-store"
    _push(engine, there, _note(cid, THERE))
    assert len(_audit(engine)) == 5


def test_device_times_are_parsed_bounded_and_decide_last_writer_wins(stores):
    """The reported case: an e-mail change stamped 9999-12-31 made every later genuine edit
    lose; now it is clamped to HQ's receive time and the genuine edit made after it wins.
    Junk is quarantined; a time without a zone is UTC; offsets are converted."""
    engine, here, there = stores
    cid = str(uuid.uuid4())
    _push(engine, there, _upsert(cid, THERE, ["name", "email"], email="a@example.com"))
    [forged] = _push(engine, here, _upsert(cid, HERE, ["email"], email="forged@example.com",
                                           edited_at="9999-12-31T23:59:59.999999Z"))
    assert forged.status == "accepted"
    genuine_at = utc_iso(datetime.now(timezone.utc) + timedelta(seconds=1))
    [genuine] = _push(engine, there, _upsert(cid, THERE, ["email"], email="b@example.com",
                                             edited_at=genuine_at))
    assert genuine.status == "accepted"
    assert _one(engine, select(Customer.email).where(Customer.id == cid))[0] == "b@example.com"
    for junk in ("zzzz not a date", "2026-11-22", "22/11/2026 10:00", ""):
        [res] = _push(engine, there, _upsert(cid, THERE, ["email"], email="junk@example.com",
                                             edited_at=junk))
        assert res.status == "quarantined" and res.reason.startswith(
            "invalid payload: edited_at: not an ISO-8601 date and time"), junk
    [bad_note] = _push(engine, here, _note(cid, HERE, at="tomorrow"))
    assert bad_note.reason.startswith("invalid payload: at: not an ISO-8601")
    # parsed, not compared as text: 17:00+07:00 is 10:00Z, earlier than 10:30 (UTC assumed)
    other = str(uuid.uuid4())
    _push(engine, there, _upsert(other, THERE, ["name", "phone"], phone="+84900000001",
                                 edited_at="2026-11-22T10:30:00"))
    _push(engine, there, _upsert(other, THERE, ["phone"], phone="+84900000002",
                                 edited_at="2026-11-22T17:00:00+07:00"))
    assert _one(engine, select(Customer.phone).where(Customer.id == other))[0] == "+84900000001"
    # a tie goes to the edit HQ receives later
    _push(engine, there, _upsert(other, THERE, ["phone"], phone="+84900000003",
                                 edited_at="2026-11-22T10:30:00.000000Z"))
    assert _one(engine, select(Customer.phone).where(Customer.id == other))[0] == "+84900000003"


def _review_app(engine) -> TestClient:
    """HQ's real app (hq/api/app.py wires hq/api/review.py), admin token "adm"."""
    return TestClient(create_app(engine, admin_token="adm"))


def test_the_cross_store_audit_is_listed_for_hq_it_by_store_newest_first(stores):
    engine, here, there = stores
    cid = str(uuid.uuid4())
    _push(engine, there, _upsert(cid, THERE, ["name"]))
    notes = [_note(cid, HERE, text_=f"note {i}") for i in range(3)]
    _push(engine, here, *notes)
    admin = {"Authorization": "Bearer adm"}
    client = _review_app(engine)
    assert client.get("/v1/admin/cross-store-writes").status_code == 401
    page = client.get("/v1/admin/cross-store-writes", params={"store": "TST2", "limit": 2},
                      headers=admin).json()
    assert [i["detail"]["note_id"] for i in page["items"]] == [
        n.payload["id"] for n in reversed(notes[1:])]
    first = page["items"][0]
    assert (first["action"], first["store_code"], first["owner_store_code"],
            first["customer_id"], first["device_id"]) == (
        "customer.note_added", "TST1", "TST2", cid, here.id)
    rest = client.get("/v1/admin/cross-store-writes", headers=admin, params={
        "store": HERE, "before": page["next_before"]}).json()
    assert [i["detail"]["note_id"] for i in rest["items"]] == [notes[0].payload["id"]]
    assert rest["next_before"] is None
    r = client.get("/v1/admin/cross-store-writes", params={"store": "NOPE"}, headers=admin)
    assert r.status_code == 404 and "NOPE" in r.json()["detail"]
