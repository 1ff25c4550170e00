"""A poison event HQ cannot even quarantine never blocks the queue (issue 18).

One NUL in a note made HQ answer 500 to every batch holding it, and the till retried that
batch for ever: no sale after it reached HQ. The till now splits a batch HQ refuses for its
content until the event HQ fails on is alone, holds that one aside (shown on the Sync
screen) and sends the rest. HQ here is the fake HQ over real sockets, told to answer a bare
500 for chosen events (`crash_on`) or for everything (`crash_all`)."""
from __future__ import annotations

from sqlalchemy import text

from pos_app.services.outbox_view import outbox_overview, release_held
from sync.outbox_pusher import HELD_RETRY_SECONDS, drain, retry_held
from sync.status import read_status
from tests.sync.conftest import sale_ids_at_hq, sell_many


def outbox(engine, sale_id: str) -> tuple[str, str | None]:
    with engine.connect() as conn:
        return tuple(conn.execute(text(
            "SELECT o.status, o.last_error FROM outbox o WHERE o.payload LIKE :p"),
            {"p": f'%"id": "{sale_id}"%'}).one())


def event_id_of(engine, sale_id: str) -> str:
    with engine.connect() as conn:
        return conn.execute(text("SELECT id FROM outbox WHERE payload LIKE :p"),
                            {"p": f'%"id": "{sale_id}"%'}).scalar_one()


def test_the_event_hq_fails_on_is_held_and_every_other_sale_arrives_in_order(device, hq):
    engine, ctx = device
    _, state, client = hq
    sales = sell_many(engine, ctx, 11)
    poison = sales[5]
    state.crash_on.add(event_id_of(engine, poison))

    outcome = drain(engine, client, batch_size=200)

    assert outcome.error is None and outcome.held == 1 and outcome.sent == 10
    assert sale_ids_at_hq(state) == [s for s in sales if s != poison]  # in order, once
    status, reason = outbox(engine, poison)
    assert status == "held" and "HQ server error 500" in reason and "held at the till" in reason
    overview = outbox_overview(engine)
    assert (overview.pending, overview.held, overview.sent) == (0, 1, 10)
    assert [r.status for r in overview.rows] == ["held"]
    assert read_status(engine).held == 1
    assert state.crashed_requests <= 9  # split in halves: about log2(11) + 1 failed requests


def test_an_hq_failing_for_everyone_holds_nothing_and_keeps_every_sale_pending(device, hq):
    engine, ctx = device
    _, state, client = hq
    sales = sell_many(engine, ctx, 6)
    state.crash_all = True

    outcome = drain(engine, client)

    assert outcome.error is not None and outcome.sent == 0
    assert sale_ids_at_hq(state) == []
    # the first event alone failing, then the next alone failing: HQ is broken, not the event;
    # with /healthz answering, only the first is held so the queue still moves next round
    with engine.connect() as conn:
        statuses = [r[0] for r in conn.execute(text(
            "SELECT status FROM outbox ORDER BY position"))]
    assert statuses.count("held") <= 1 and statuses.count("pending") >= 5
    assert state.crashed_requests <= 6  # bounded: never one request per event
    state.crash_all = False
    assert drain(engine, client).error is None
    assert set(sale_ids_at_hq(state)) | {s for s in sales if outbox(engine, s)[0] == "held"} \
        == set(sales)


def test_a_lone_poison_event_is_held_when_hq_is_otherwise_healthy(device, hq):
    engine, ctx = device
    _, state, client = hq
    [only] = sell_many(engine, ctx, 1)
    state.crash_on.add(event_id_of(engine, only))
    outcome = drain(engine, client)
    assert outcome.held == 1 and outbox(engine, only)[0] == "held"
    later = sell_many(engine, ctx, 2)
    assert drain(engine, client).sent == 2 and sale_ids_at_hq(state) == later


def test_held_events_are_retried_on_their_own_and_a_manager_can_retry_them_now(device, hq):
    engine, ctx = device
    _, state, client = hq
    sales = sell_many(engine, ctx, 3)
    state.crash_on.add(event_id_of(engine, sales[1]))
    drain(engine, client)
    assert outbox(engine, sales[1])[0] == "held"
    # not due yet: a second drain does not resend it
    before = state.crashed_requests
    drain(engine, client)
    assert state.crashed_requests == before and outbox(engine, sales[1])[0] == "held"
    # forced retry while HQ still fails on it: stays held, HQ's latest answer kept
    assert retry_held(engine, client, force=True).held == 1
    assert outbox(engine, sales[1])[0] == "held"
    # HQ fixed: the manager's "Retry held events" puts it back in the queue, it arrives
    state.crash_on.clear()
    assert release_held(engine) == 1 and outbox(engine, sales[1])[0] == "pending"
    assert drain(engine, client).sent == 1
    assert outbox(engine, sales[1]) == ("sent", None)
    assert set(sale_ids_at_hq(state)) == set(sales)
    assert HELD_RETRY_SECONDS == 3600.0
