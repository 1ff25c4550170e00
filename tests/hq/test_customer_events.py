"""Customer events at HQ (docs/clienteling.md): create, the merge rule, field-level
last-writer-wins, notes, tasks, consent log; on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select, text

from hq.db.models.customers import (ConsentRecord, Customer, CustomerMerge, CustomerNote,
                                    CustomerProfile, CustomerTask)
from hq.db.models.organisation import FeedState
from hq.services import book, customer_events, ingest, lookups
from sync.protocol import OutboxEventIn
from tests.hq.helpers import STORE_ID, associate_id, enrol_device, make_store

AT = "2026-11-22T10:00:00.000000Z"
A1 = associate_id(STORE_ID)  # an associate of the store (HQ checks: issue 18)


@pytest.fixture
def hq(hq_engine):
    make_store(hq_engine)
    device, _ = enrol_device(hq_engine)
    return hq_engine, device


def _event(topic: str, payload: dict, pos: int = 1) -> OutboxEventIn:
    return OutboxEventIn(id=str(uuid.uuid4()), position=pos, topic=topic, payload=payload,
                         created_at=AT)


def _push(hq, *events):
    engine, device = hq
    with engine.begin() as conn:
        return ingest.ingest(conn, device, list(events))


def _upsert(cid, fields, edited_at=AT, **customer):
    body = {"id": cid, "name": "Nguyễn Thị Mai", **customer}
    return _event("customer.upserted", {"customer": body, "fields": fields,
                                        "edited_at": edited_at, "associate_id": A1,
                                        "store_id": STORE_ID})


def _customer(engine, cid):
    with engine.connect() as conn:
        return conn.execute(select(Customer).where(Customer.id == cid)).first()


def test_a_new_customer_is_created_indexed_and_published_to_her_home_store(hq):
    engine, _ = hq
    cid = str(uuid.uuid4())
    [res] = _push(hq, _upsert(cid, ["name", "phone", "sizes"], phone="+84901234567",
                              sizes={"tops": "M"}))
    assert res.status == "accepted"
    assert _customer(engine, cid).phone == "+84901234567"
    with engine.connect() as conn:
        found = lookups.search_customers(conn, "0901 234 567")
        assert [c.id for c in found.customers] == [cid]
        feed = conn.execute(select(FeedState.scope).where(
            FeedState.entity == "customer", FeedState.key == cid)).scalars().all()
        assert feed == [STORE_ID]
        sizes = conn.execute(select(CustomerProfile.sizes).where(
            CustomerProfile.customer_id == cid)).scalar()
        assert json.loads(sizes) == {"tops": "M"}


def test_a_new_customer_with_an_existing_phone_is_merged_filling_empty_fields_only(hq):
    engine, _ = hq
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    _push(hq, _upsert(first, ["name", "phone"], phone="+84901234567"))
    [res] = _push(hq, _upsert(second, ["name", "phone", "email", "sizes"], name="Mai N.",
                              phone="090 123 4567", email="mai@example.com",
                              sizes={"shoes": "38"}))
    assert res.status == "accepted"
    assert _customer(engine, second) is None
    kept = _customer(engine, first)
    assert kept.name == "Nguyễn Thị Mai"  # not overwritten by a merge
    assert kept.phone == "+84901234567"
    assert kept.email == "mai@example.com"  # was empty: filled
    with engine.connect() as conn:
        assert conn.execute(select(CustomerMerge.into_id).where(
            CustomerMerge.from_id == second)).scalar() == first
        assert json.loads(conn.execute(select(CustomerProfile.sizes).where(
            CustomerProfile.customer_id == first)).scalar()) == {"shoes": "38"}
        merge = conn.execute(select(FeedState.data).where(
            FeedState.entity == "customer_merge", FeedState.key == second)).scalar()
        assert json.loads(merge) == {"from_id": second, "into_id": first}


def test_same_email_in_other_case_merges(hq):
    engine, _ = hq
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    _push(hq, _upsert(first, ["name", "email"], email="Mai@Example.com"))
    _push(hq, _upsert(second, ["name", "email"], email="mai@example.COM"))
    assert _customer(engine, second) is None


def test_field_level_last_writer_wins_by_edited_at_and_hq_later_edit_is_kept(hq):
    engine, _ = hq
    cid = str(uuid.uuid4())
    _push(hq, _upsert(cid, ["name", "email", "phone"], email="a@example.com",
                      phone="+84900000001", edited_at="2026-11-22T10:00:00.000000Z"))
    # a later edit of the e-mail, and an OLDER edit of the phone arriving late
    _push(hq, _upsert(cid, ["email"], email="b@example.com",
                      edited_at="2026-11-22T11:00:00.000000Z"))
    _push(hq, _upsert(cid, ["phone"], phone="+84900000002",
                      edited_at="2026-11-22T09:00:00.000000Z"))
    c = _customer(engine, cid)
    assert (c.email, c.phone) == ("b@example.com", "+84900000001")
    with engine.begin() as conn:  # HQ changes the name later than a till's offline edit
        conn.execute(text("UPDATE customers SET name = 'HQ Name' WHERE id = :c"), {"c": cid})
        customer_events.record_hq_edit(conn, cid, ["name"], "2026-11-22T12:00:00.000000Z")
    _push(hq, _upsert(cid, ["name"], name="Till Name", edited_at="2026-11-22T11:30:00.000000Z"))
    assert _customer(engine, cid).name == "HQ Name"
    _push(hq, _upsert(cid, ["name"], name="Newer Till", edited_at="2026-11-22T12:30:00.000000Z"))
    assert _customer(engine, cid).name == "Newer Till"


def test_unknown_field_is_quarantined_with_the_reason(hq):
    [res] = _push(hq, _upsert(str(uuid.uuid4()), ["name", "shoe_size"]))
    assert res.status == "quarantined" and "shoe_size" in res.reason


def test_bad_payload_is_quarantined_and_the_next_event_goes_on(hq):
    engine, _ = hq
    cid = str(uuid.uuid4())
    bad = _event("customer.note_added", {"id": "nope", "customer_id": cid, "text": "x",
                                         "associate_id": A1, "store_id": STORE_ID, "at": AT})
    good = _upsert(cid, ["name"], edited_at=AT)
    r1, r2 = _push(hq, bad, good)
    assert r1.status == "quarantined" and "id" in r1.reason
    assert r2.status == "accepted" and _customer(engine, cid) is not None


def test_notes_are_deduplicated_tasks_latest_at_wins_and_consent_log_keeps_latest(hq):
    engine, _ = hq
    cid = str(uuid.uuid4())
    _push(hq, _upsert(cid, ["name"]))
    note = {"id": str(uuid.uuid4()), "customer_id": cid, "text": "Thích lụa",
            "associate_id": A1, "store_id": STORE_ID, "at": AT}
    _push(hq, _event("customer.note_added", note), _event("customer.note_added", note, 2))
    task = {"id": str(uuid.uuid4()), "customer_id": cid, "text": "Gọi khi có size 42",
            "due_date": "2026-12-01", "status": "open", "assigned_to": None,
            "associate_id": A1, "store_id": STORE_ID, "at": "2026-11-22T10:00:00.000000Z"}
    done = {**task, "status": "done", "at": "2026-11-22T12:00:00.000000Z"}
    stale = {**task, "text": "old", "at": "2026-11-22T11:00:00.000000Z"}
    _push(hq, _event("customer.task_upserted", task), _event("customer.task_upserted", done, 2),
          _event("customer.task_upserted", stale, 3))
    grant = {"id": str(uuid.uuid4()), "customer_id": cid, "kind": "data_use", "granted": True,
             "channel": "in_store", "associate_id": A1, "store_id": STORE_ID,
             "at": "2026-11-22T10:00:00.000000Z"}
    withdraw = {**grant, "id": str(uuid.uuid4()), "granted": False,
                "at": "2026-11-22T12:00:00.000000Z"}
    _push(hq, _event("customer.consent_recorded", withdraw),
          _event("customer.consent_recorded", grant, 2))  # older record arrives last
    with engine.connect() as conn:
        assert conn.execute(select(CustomerNote.text).where(
            CustomerNote.customer_id == cid)).scalars().all() == ["Thích lụa"]
        t = conn.execute(select(CustomerTask).where(CustomerTask.id == task["id"])).one()
        assert (t.status, t.text) == ("done", "Gọi khi có size 42")
        assert conn.execute(select(ConsentRecord.id).where(
            ConsentRecord.customer_id == cid)).all().__len__() == 2
        assert conn.execute(select(CustomerProfile.data_use_consent).where(
            CustomerProfile.customer_id == cid)).scalar() == 0  # the latest says withdrawn


def test_consent_grant_publishes_the_book_and_withdrawal_publishes_deletes(hq):
    engine, _ = hq
    cid = str(uuid.uuid4())
    grant = {"id": str(uuid.uuid4()), "customer_id": cid, "kind": "data_use", "granted": True,
             "channel": "in_store", "associate_id": A1, "store_id": STORE_ID, "at": AT}
    _push(hq, _upsert(cid, ["name"]), _event("customer.consent_recorded", grant, 2))
    with engine.begin() as conn:
        assert book.publish_pending(conn) >= 1
    with engine.connect() as conn:
        data = conn.execute(select(FeedState.data).where(
            FeedState.entity == "customer_profile", FeedState.key == cid,
            FeedState.scope == STORE_ID)).scalar()
    assert json.loads(data)["customer"]["id"] == cid
    withdraw = {**grant, "id": str(uuid.uuid4()), "granted": False,
                "at": "2026-11-22T11:00:00.000000Z"}
    _push(hq, _event("customer.consent_recorded", withdraw, 3))
    with engine.begin() as conn:
        book.publish_pending(conn)
    with engine.connect() as conn:
        left = conn.execute(select(FeedState.entity).where(FeedState.key == cid)).all()
        deletes = conn.execute(text(
            "SELECT entity FROM change_log WHERE key = :c AND op = 'delete' ORDER BY entity"),
            {"c": cid}).scalars().all()
    assert left == []
    assert deletes == ["customer", "customer_profile"]
