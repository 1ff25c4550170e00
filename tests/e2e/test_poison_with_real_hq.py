"""End to end (issue 18): a poison event between sales, a real `pos-hq serve` on PostgreSQL and
the till's own sync code. Reported: 5 sales, a customer note with a NUL, 5 sales -> 0 of 10
sales ever reached HQ (HQ answered 500 to the whole batch and the till retried it for ever).

1. The NUL note as an older till would have queued it (today's till refuses it where it is
   typed): HQ quarantines that event with its reason and stores the 10 sales.
2. An event HQ fails on for a reason of its own (a database trigger raising an internal
   error: a bug, not bad data) gets a 500: the till finds it, holds it aside and sends the
   rest; once HQ is fixed, the manager's "Retry held events" delivers it, and HQ's journal
   of the till is whole.
"""
from __future__ import annotations

import json
import uuid

import psycopg
import pytest
from sqlalchemy import text

from hq.child_process import HQChild
from pos_app.db.engine import make_engine
from pos_app.ports import SystemClock, utc_iso
from pos_app.services.local_events import add_outbox_event
from pos_app.services.outbox_view import outbox_overview, release_held
from sync.enrolment import enrol_device, stored_credentials
from sync.hq_client import HQClient
from sync.outbox_pusher import drain
from tests.hq.conftest import new_database_url
from tests.sync.conftest import sell_many
from tests.waiting import PATIENT_HTTP

ADMIN = "poison-admin-token"


@pytest.fixture
def pg_hq(tmp_path):
    url, drop = new_database_url("postgresql", tmp_path)
    server = HQChild(url, ADMIN, log_path=tmp_path / "hq.log")
    server.cli("demo-seed")
    server.start()
    yield server, url
    server.stop()
    drop()


@pytest.fixture
def till(tmp_path, pg_hq):
    server, _ = pg_hq
    code = server.cli("enrolment-code", "--store", "HCM1").split()[-1]
    engine = make_engine(tmp_path / "till.sqlite3")
    ctx = enrol_device(engine, HQClient(server.url, None, timeout=PATIENT_HTTP), code,
                       "Counter 1")
    client = HQClient(server.url, stored_credentials(engine), timeout=PATIENT_HTTP)
    yield engine, ctx, client
    client.close()
    engine.dispose()


def _journal(server: HQChild, device_id: str) -> dict:
    return next(d for d in server.admin("/v1/admin/journal")["devices"]
                if d["device_id"] == device_id)


def _queue_note_with_nul(engine, ctx) -> str:
    """A note as a till without issue 18's input check queued it."""
    with engine.connect() as conn:
        customer_id, associate_id = conn.execute(text(
            "SELECT (SELECT id FROM customers LIMIT 1), (SELECT id FROM associates"
            " WHERE code = 'A01')")).one()
    at = utc_iso(SystemClock().now_utc())
    note = {"id": str(uuid.uuid4()), "customer_id": customer_id, "associate_id": associate_id,
            "store_id": ctx.store_id, "at": at, "text": "Prefers linen\x00 in May"}
    with engine.begin() as conn:
        return add_outbox_event(conn, "customer.note_added", note, at)


def _status(engine, event_id: str) -> tuple[str, str | None]:
    with engine.connect() as conn:
        return tuple(conn.execute(text("SELECT status, last_error FROM outbox WHERE id = :i"),
                                  {"i": event_id}).one())


def test_sales_around_a_nul_note_all_reach_hq_and_the_note_is_quarantined(pg_hq, till):
    server, _ = pg_hq
    engine, ctx, client = till
    before = sell_many(engine, ctx, 5)
    note = _queue_note_with_nul(engine, ctx)
    after = sell_many(engine, ctx, 5)

    outcome = drain(engine, client)

    assert outcome.error is None and outcome.sent == 10 and outcome.quarantined == 1
    status, reason = _status(engine, note)
    assert status == "quarantined" and "U+0000" in reason
    journal = _journal(server, ctx.device_id)
    assert (journal["last_seq"], journal["received"], journal["gaps"]) == (10, 10, [])
    assert len(before + after) == 10
    quarantine = server.admin("/v1/admin/quarantine")["events"]
    assert [q["id"] for q in quarantine] == [note]


def test_an_event_hq_fails_on_is_held_at_the_till_and_delivered_after_the_fix(pg_hq, till):
    server, url = pg_hq
    engine, ctx, client = till
    sales = sell_many(engine, ctx, 7)
    victim = sales[3]
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as pg:  # an HQ bug: fails on one sale
        pg.execute(f"""CREATE FUNCTION storeline_test_boom() RETURNS trigger AS $$
            BEGIN IF NEW.id = '{victim}' THEN
                RAISE EXCEPTION 'simulated HQ bug' USING ERRCODE = 'XX000'; END IF;
            RETURN NEW; END $$ LANGUAGE plpgsql""")
        pg.execute("CREATE TRIGGER storeline_test_boom BEFORE INSERT ON sales FOR EACH ROW"
                   " EXECUTE FUNCTION storeline_test_boom()")

    outcome = drain(engine, client)

    assert outcome.error is None and outcome.sent == 6 and outcome.held == 1
    overview = outbox_overview(engine)
    [held] = [r for r in overview.rows if r.status == "held"]
    assert json.loads(_payload(engine, held.event_id))["sale"]["id"] == victim
    assert "500" in held.last_error and overview.pending == 0
    journal = _journal(server, ctx.device_id)
    assert journal["received"] == 6 and journal["gaps"] == [[4, 4]]

    with psycopg.connect(dsn, autocommit=True) as pg:  # HQ fixed
        pg.execute("DROP TRIGGER storeline_test_boom ON sales")
    assert release_held(engine) == 1  # the manager's "Retry held events"
    assert drain(engine, client).sent == 1
    journal = _journal(server, ctx.device_id)
    assert (journal["last_seq"], journal["received"], journal["gaps"],
            journal["chain_breaks"]) == (7, 7, [], [])


def _payload(engine, event_id: str) -> str:
    with engine.connect() as conn:
        return conn.execute(text("SELECT payload FROM outbox WHERE id = :i"),
                            {"i": event_id}).scalar_one()
