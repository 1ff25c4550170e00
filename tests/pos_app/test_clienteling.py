"""Customers, notes, tasks and consent made on the till: local rows at once, outbox events in
the contract's shape (sync/protocol_customers.py), audit rows, cached-profile rules."""
from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import text

from pos_app.services import profile_cache
from pos_app.services.clienteling import ClienteleService, ClientelingError, CustomerDraft
from pos_app.services.customer_book import find_duplicates, national_phone
from pos_app.textfold import fts_prefix_query
from sync.protocol_customers import (ConsentRecorded, CustomerUpserted, NoteAdded,
                                     TaskUpserted)
from tests.pos_app.clienteling_samples import profile_json, task_json
from tests.pos_app.fixture_catalog import VND_STORE

CASHIER, MANAGER = VND_STORE.cashier_id, VND_STORE.manager_id
MODELS = {"customer.upserted": CustomerUpserted, "customer.note_added": NoteAdded,
          "customer.task_upserted": TaskUpserted, "customer.consent_recorded": ConsentRecorded}


@pytest.fixture
def service(device_db, clock):
    engine, ctx = device_db
    return ClienteleService(ctx, engine, engine, clock)


def events(engine) -> list[tuple[str, dict]]:
    """Every outbox event, validated against the contract model of its topic."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT topic, payload FROM outbox ORDER BY position")).all()
    out = []
    for topic, payload in rows:
        MODELS[topic].model_validate_json(payload)
        out.append((topic, json.loads(payload)))
    return out


def audit(engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT action, actor_id, ref_id FROM audit_log ORDER BY rowid"))]


def search(engine, q: str) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text(
            "SELECT c.name FROM customer_fts f JOIN customers c ON c.pk = f.rowid"
            " WHERE customer_fts MATCH :m"), {"m": fts_prefix_query(q)})]


def test_create_offline_writes_row_index_event_consent_and_audit(service, device_db):
    engine, ctx = device_db
    c = service.create_customer(
        CustomerDraft("Nguyễn Thị Mai", phone="0901 234 567", email=" Mai.N@Example.com ",
                      sizes={"tops": "M", "shoes": ""}), CASHIER, data_use_consent=True,
        marketing_consent=False)
    assert uuid.UUID(c.id) and c.home_store_id == ctx.store_id
    assert c.sizes == {"tops": "M"} and c.email == "Mai.N@Example.com"
    assert search(engine, "nguyen thi mai") == ["Nguyễn Thị Mai"]
    evs = events(engine)
    assert [t for t, _ in evs] == ["customer.upserted", "customer.consent_recorded",
                                   "customer.consent_recorded"]
    up = evs[0][1]
    assert up["customer"]["id"] == c.id and up["store_id"] == ctx.store_id
    assert up["fields"] == ["name", "phone", "email", "sizes"]
    assert [(e["kind"], e["granted"]) for _, e in evs[1:]] == [("data_use", True),
                                                                ("marketing", False)]
    assert ("customer.created", CASHIER, c.id) in audit(engine)
    assert [x.kind for x in service.consents(c.id)] == ["data_use", "marketing"]


def test_create_retried_with_the_same_id_is_written_once(service, device_db):
    cid = str(uuid.uuid4())
    a = service.create_customer(CustomerDraft("Lê Văn Hùng"), CASHIER, customer_id=cid)
    b = service.create_customer(CustomerDraft("Lê Văn Hùng"), CASHIER, customer_id=cid)
    assert a == b and len(events(device_db[0])) == 1


@pytest.mark.parametrize("draft, message", [
    (CustomerDraft("   "), "name"),
    (CustomerDraft("An", phone="09x1"), "not a phone number"),
    (CustomerDraft("An", phone="123"), "not a phone number"),
    (CustomerDraft("An", email="an@nowhere"), "not an e-mail"),
])
def test_bad_input_is_refused_and_writes_nothing(service, device_db, draft, message):
    with pytest.raises(ClientelingError, match=message):
        service.create_customer(draft, CASHIER)
    with device_db[0].connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM customers")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM outbox")).scalar() == 0


def test_edit_sends_only_changed_fields_and_reindexes(service, device_db):
    engine = device_db[0]
    c = service.create_customer(CustomerDraft("Pham Lan", phone="+84901111222"), CASHIER)
    same = service.edit_customer(c.id, {"name": "Pham Lan", "phone": "+84901111222"}, MANAGER)
    assert same == c and len(events(engine)) == 1  # nothing changed: no event
    edited = service.edit_customer(c.id, {"name": "Phạm Thị Lan", "phone": "+84901111222",
                                          "preferences": {"colours": "xanh"}}, MANAGER)
    assert edited.name == "Phạm Thị Lan" and edited.preferences == {"colours": "xanh"}
    topic, ev = events(engine)[-1]
    assert topic == "customer.upserted" and ev["fields"] == ["name", "preferences"]
    assert ev["customer"]["phone"] == "+84901111222" and ev["associate_id"] == MANAGER
    assert search(engine, "pham thi lan") == ["Phạm Thị Lan"]
    assert ("customer.edited", MANAGER, c.id) == audit(engine)[-1]
    with pytest.raises(ClientelingError, match="cannot be changed"):
        service.edit_customer(c.id, {"tier": "platinum"}, MANAGER)


def test_duplicates_by_normalised_phone_and_lower_cased_email(service, device_db):
    engine = device_db[0]
    a = service.create_customer(CustomerDraft("Mai", phone="+84 90 123 4567"), CASHIER)
    b = service.create_customer(CustomerDraft("Hoa", email="Hoa.Tran@Example.com"), CASHIER)
    service.create_customer(CustomerDraft("Other", phone="+84901234568"), CASHIER)
    assert national_phone("+84901234567") == national_phone("090-123-4567") == "0901234567"
    with engine.connect() as conn:
        assert [(m.id, m.matched_on) for m in find_duplicates(conn, "090 123 4567", None)] \
            == [(a.id, "phone")]
        assert [(m.id, m.matched_on) for m in find_duplicates(conn, None,
                                                              "hoa.tran@example.com")] \
            == [(b.id, "email")]
        assert find_duplicates(conn, "0901234599", "nobody@example.com") == []
        assert find_duplicates(conn, "0901234567", None, exclude_id=a.id) == []


def test_notes_tasks_consent_show_at_once_and_travel(service, device_db, clock):
    engine, ctx = device_db
    c = service.create_customer(CustomerDraft("Mai"), CASHIER)
    note = service.add_note(c.id, "  Thích màu xanh  ", CASHIER)
    assert note.text == "Thích màu xanh" and note.by == VND_STORE.cashier_name
    t1 = service.save_task(c.id, "Gọi khi có size 42", "2025-03-20", CASHIER,
                           assigned_to=CASHIER)
    t2 = service.save_task(c.id, "Gửi ảnh mẫu mới", "2025-03-16", CASHIER)
    service.save_task(c.id, "Not mine", "2025-03-15", MANAGER, assigned_to=MANAGER)
    assert [t.text for t in service.my_tasks(CASHIER)] == ["Gửi ảnh mẫu mới",
                                                         "Gọi khi có size 42"]
    clock.advance(minutes=1)
    done = service.complete_task(t2.id, CASHIER)
    assert done.status == "done" and [t.id for t in service.my_tasks(CASHIER)] == [t1.id]
    assert [n.id for n in service.notes(c.id)] == [note.id]
    topics = [t for t, _ in events(engine)]
    assert topics == ["customer.upserted", "customer.note_added", "customer.task_upserted",
                      "customer.task_upserted", "customer.task_upserted",
                      "customer.task_upserted"]
    assert events(engine)[-1][1]["status"] == "done"
    with pytest.raises(ClientelingError, match="not a date"):
        service.save_task(c.id, "x", "20/03/2025", CASHIER)
    with pytest.raises(ClientelingError, match="empty"):
        service.add_note(c.id, "   ", CASHIER)


def test_my_tasks_merge_cached_profile_tasks_with_local_changes(service, device_db, clock):
    engine = device_db[0]
    cid = str(uuid.uuid4())
    hq_open, hq_other = str(uuid.uuid4()), str(uuid.uuid4())
    with engine.begin() as conn:
        profile_cache.store_profile(conn, profile_json(cid, tasks=(
            task_json(hq_open, cid, "2025-03-18", None),
            task_json(hq_other, cid, "2025-03-17", MANAGER))), "2025-03-14T09:00:00.000000Z")
    mine = service.my_tasks(CASHIER)
    assert [(t.id, t.customer_name) for t in mine] == [(hq_open, "Nguyễn Thị Mai")]
    service.complete_task(hq_open, CASHIER, known=mine[0])  # done here, offline
    assert service.my_tasks(CASHIER) == []
    assert events(engine)[-1][1]["id"] == hq_open


def test_withdrawn_data_use_consent_drops_the_cached_profile(service, device_db):
    engine = device_db[0]
    cid = str(uuid.uuid4())
    with engine.begin() as conn:
        assert profile_cache.store_profile(conn, profile_json(cid), "2025-03-14T09:00:00Z")
    service.record_consent(cid, "data_use", False, "in_store", CASHIER)
    with engine.connect() as conn:
        assert profile_cache.read_profile(conn, cid) is None
    assert events(engine)[-1][1]["granted"] is False
    with pytest.raises(ClientelingError, match="Unknown consent"):
        service.record_consent(cid, "newsletter", True, "in_store", CASHIER)
