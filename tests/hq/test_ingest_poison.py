"""Poison events never block a till's outbox (issue 18, DESIGN.md §4), on both databases: a NUL
(or any control character, or a lone surrogate) anywhere in an event quarantines that event
with a reason naming the field; whatever the database refuses about one event's data
quarantines that event; the rest of the batch lands."""
from __future__ import annotations

import json
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from hq.api.app import create_app
from hq.db.models.sales import Event, Sale
from hq.services.event_guard import _may_hold_unsafe, payload_json
from hq.services.ingest import ingest
from sync.protocol import OutboxEventIn, canonical_json, chain_hash, first_unsafe
from tests.hq.helpers import (STORE_ID, associate_id, chain_for, enrol_device, make_store,
                              sale_doc, wire)

AT = "2026-11-22T10:00:00.000000Z"


def _note(text_: str, pos: int) -> OutboxEventIn:
    return OutboxEventIn(id=str(uuid.uuid4()), position=pos, topic="customer.note_added",
                         created_at=AT, payload={
                             "id": str(uuid.uuid4()), "customer_id": str(uuid.uuid4()),
                             "text": text_, "associate_id": associate_id(STORE_ID),
                             "store_id": STORE_ID, "at": AT})


def _count(engine, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Event).where(*where)).scalar_one()


def _sales(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Sale)).scalar_one()


def test_a_nul_in_a_customer_note_is_quarantined_and_the_sales_around_it_land(hq_engine):
    """The reported case, through HTTP: 5 sales, a note with a NUL, 5 more sales."""
    make_store(hq_engine)
    device, bearer = enrol_device(hq_engine)
    chain = chain_for(device)
    before = chain.batch(5)
    note = _note("abcd\x00 ghé lại", 6)
    chain.position = 6
    after = chain.batch(5)
    body = wire(before + [note] + after)
    auth = {"Authorization": bearer}
    with TestClient(create_app(hq_engine, admin_token="adm")) as client:
        r = client.post("/v1/push", json=body, headers=auth)
        assert r.status_code == 200, r.text
        results = r.json()["results"]
        assert [x["status"] for x in results] == ["accepted"] * 5 + ["quarantined"] + \
            ["accepted"] * 5
        assert results[5]["reason"] == ("payload.text: control character U+0000 (NUL) at "
                                        "position 5 is not allowed in text")
        again = client.post("/v1/push", json=body, headers=auth).json()["results"]
        assert [x["status"] for x in again] == ["duplicate"] * 5 + ["quarantined"] + \
            ["duplicate"] * 5
        assert again[5]["reason"] == results[5]["reason"]
        q = client.get("/v1/admin/quarantine", headers={"Authorization": "Bearer adm"}).json()
        assert [(e["id"], e["reason"]) for e in q["events"]] == [(note.id, results[5]["reason"])]
    assert _sales(hq_engine) == 10
    with hq_engine.connect() as conn:  # the refused event itself is kept, as sent
        stored = conn.execute(select(Event.payload).where(Event.id == note.id)).scalar_one()
    assert json.loads(stored) == note.payload


def _sale_event(chain, mutate=None, created_at: str | None = None) -> OutboxEventIn:
    """The chain's next sale, changed by `mutate(doc)` BEFORE hashing (as a till made it)."""
    chain.seq += 1
    chain.position += 1
    doc = sale_doc(chain.device_id, chain.store_id, chain.seq)
    if mutate:
        mutate(doc)
    digest = chain_hash(chain.prev_hash, canonical_json(doc))
    ev = OutboxEventIn(id=str(uuid.uuid4()), position=chain.position, topic="sale.completed",
                       payload={"journal": {"seq": chain.seq, "prev_hash": chain.prev_hash,
                                            "hash": digest}, "sale": doc},
                       created_at=created_at or AT)
    chain.prev_hash = digest
    return ev


def test_control_characters_anywhere_in_an_event_quarantine_only_that_event(hq_engine):
    """A NUL in a sale line's note, in the envelope's created_at, in the sale's created_at,
    a lone surrogate in a note, an ESC in a payload key: each quarantined with the field
    named; the batch fast path (sales only) and the per-event path (with a customer event)
    give the same answers, and every quarantined row is storable."""
    make_store(hq_engine)
    device, _ = enrol_device(hq_engine)
    chain = chain_for(device)

    def line_note(doc):
        doc["lines"][0]["note"] = "gói quà\x00"

    def sale_time(doc):
        doc["created_at"] = "2026-11-22T10:00:00\x00Z"

    def odd_key(doc):
        doc["extra\x1b"] = 1

    sales = [_sale_event(chain), _sale_event(chain, line_note),
             _sale_event(chain, created_at="2026-11-22T10:00\x00:00Z"),
             _sale_event(chain, sale_time), _sale_event(chain, odd_key), _sale_event(chain)]
    with hq_engine.begin() as conn:  # all sales: the batch fast path
        results = ingest(conn, device, sales)
    assert [r.status for r in results] == ["accepted"] + ["quarantined"] * 4 + ["accepted"]
    assert [r.reason for r in results[1:5]] == [
        "payload.sale.lines[0].note: control character U+0000 (NUL) at position 8 is not "
        "allowed in text",
        "created_at: control character U+0000 (NUL) at position 17 is not allowed in text",
        "payload.sale.created_at: control character U+0000 (NUL) at position 20 is not "
        "allowed in text",
        "payload.sale.<key>: control character U+001B (ESC) at position 6 is not allowed in "
        "text"]
    surrogate = _note("chị Mai \ud83d thích lụa", 20)
    chain.position = 20
    mixed = [surrogate, _sale_event(chain)]
    with hq_engine.begin() as conn:  # with a customer event: the per-event path
        results = ingest(conn, device, mixed)
    assert [r.status for r in results] == ["quarantined", "accepted"]
    assert results[0].reason == ("payload.text: control character U+D83D at position 9 is "
                                 "not allowed in text")
    assert _sales(hq_engine) == 3
    assert _count(hq_engine, Event.status == "quarantined") == 5
    with hq_engine.connect() as conn:
        created = conn.execute(select(Event.created_at).where(Event.id == sales[2].id)).scalar()
        kept = conn.execute(select(Event.payload).where(Event.id == surrogate.id)).scalar()
    assert created == "2026-11-22T10:00\ufffd:00Z"  # a sanitised copy of the envelope
    assert json.loads(kept) == surrogate.payload  # JSON escapes keep even a lone surrogate


def _refuse_sku(engine) -> None:
    """Make the database itself refuse sale lines with sku 'REFUSED' (as PostgreSQL refuses
    a NUL): a data exception on PostgreSQL, a constraint abort on SQLite."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(
                "CREATE FUNCTION refuse_sku() RETURNS trigger AS $$ BEGIN"
                " IF NEW.sku = 'REFUSED' THEN RAISE EXCEPTION 'sku refused by the database'"
                " USING ERRCODE = '22023'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"))
            conn.execute(text("CREATE TRIGGER refuse_sku BEFORE INSERT ON sale_lines"
                              " FOR EACH ROW EXECUTE FUNCTION refuse_sku()"))
        else:
            conn.execute(text(
                "CREATE TRIGGER refuse_sku BEFORE INSERT ON sale_lines WHEN NEW.sku = 'REFUSED'"
                " BEGIN SELECT RAISE(ABORT, 'sku refused by the database'); END"))


def test_whatever_the_database_refuses_about_one_event_quarantines_that_event(hq_engine):
    make_store(hq_engine)
    device, _ = enrol_device(hq_engine)
    _refuse_sku(hq_engine)
    chain = chain_for(device)

    def refused(doc):
        doc["lines"][0]["sku"] = "REFUSED"

    events = [_sale_event(chain), _sale_event(chain, refused), _sale_event(chain)]
    with hq_engine.begin() as conn:  # the batch path fails as a whole, then event by event
        results = ingest(conn, device, events)
    assert [r.status for r in results] == ["accepted", "quarantined", "accepted"]
    assert results[1].reason.startswith("the database refused the event: ")
    assert "sku refused by the database" in results[1].reason
    with hq_engine.begin() as conn:  # alone (the per-event path), and a retry: the same
        [again] = ingest(conn, device, [events[1]])
    assert (again.status, again.reason) == ("quarantined", results[1].reason)
    assert _sales(hq_engine) == 2


def test_the_fast_scan_misses_no_character_the_text_rule_refuses():
    """`_may_hold_unsafe` lets the ingest skip the rule's walk for clean payloads; it may
    raise a false alarm but must never miss: checked for every code point, as a value and
    as a key, and clean real-world text is not alarmed."""
    missed = []
    for cp in range(0x110000):
        ch = chr(cp)
        if first_unsafe(ch) is None:
            continue
        for payload in ({"note": f"a{ch}b"}, {f"k{ch}": 1}):
            data = payload_json(payload)
            if data is not None and not _may_hold_unsafe(data):
                missed.append(hex(cp))
    assert missed == []
    clean = {"sale": sale_doc(str(uuid.uuid4()), STORE_ID, 1),
             "note": "Chị Mai thích áo lụa, size M – «giao» trước 5:00\tnhé\r\n© 2026 ✓ 😀"}
    assert not _may_hold_unsafe(payload_json(clean))


def test_a_refused_first_event_of_a_chain_leaves_the_rest_of_the_journal_checkable(hq_engine):
    """A quarantined sale is a gap HQ reports (journal audit), never a reason to refuse the
    sales after it."""
    from hq.services.journal import journal_status

    make_store(hq_engine)
    device, _ = enrol_device(hq_engine)
    chain = chain_for(device)
    first = _sale_event(chain, lambda doc: doc["lines"][0].update(note="\x07"))
    rest = [_sale_event(chain) for _ in range(3)]
    with hq_engine.begin() as conn:
        assert [r.status for r in ingest(conn, device, [first, *rest])] == \
            ["quarantined"] + ["accepted"] * 3
    with hq_engine.connect() as conn:
        status = journal_status(conn, device.id)
    assert (status.last_seq, status.received, status.gaps) == (4, 3, [(1, 1)])
