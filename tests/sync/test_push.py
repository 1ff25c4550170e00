"""Push: the outbox reaches the (fake) HQ in order, exactly once, through faults and poison."""
from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import text

from sync.hq_client import HQClient, HQRejected, HQUnreachable
from sync.outbox_pusher import Backoff, drain, push_once
from sync.status import read_status
from tests.sync.conftest import outbox_counts, sale_ids_at_hq, sell, sell_many
from tests.sync.fault_proxy import FaultProxy
from tests.waiting import wait_for


def add_poison(engine, position_hint: str = "x") -> str:
    import uuid
    event_id = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO outbox(id, topic, payload, created_at, status, attempts)"
                          " VALUES (:id, 'test.poison', :p, '2026-01-01T00:00:00Z', 'pending', 0)"),
                     {"id": event_id, "p": json.dumps({"poison": True, "hint": position_hint})})
    return event_id


def test_drain_sends_every_sale_once_in_order_and_keeps_rows(device, hq):
    engine, ctx = device
    _, state, client = hq
    sales = sell_many(engine, ctx, 7)

    outcome = drain(engine, client, batch_size=3)

    assert (outcome.sent, outcome.quarantined, outcome.error) == (7, 0, None)
    assert sale_ids_at_hq(state) == sales  # outbox order is sale order
    positions = [state.events[i]["position"] for i in state.received_order]
    assert positions == sorted(positions)
    assert outbox_counts(engine) == {"sent": 7}  # kept for audit, never deleted
    status = read_status(engine)
    assert status.pending == 0 and status.last_push_ok_at is not None
    assert drain(engine, client).pushed == 0  # nothing left: no request needed


def test_poison_event_is_quarantined_with_reason_and_does_not_block(device, hq):
    engine, ctx = device
    _, state, client = hq
    before = sell(engine, ctx)
    poison = add_poison(engine)
    after = sell_many(engine, ctx, 3)

    outcome = drain(engine, client, batch_size=2)

    assert (outcome.sent, outcome.quarantined) == (4, 1)
    assert sale_ids_at_hq(state) == [before, *after]
    with engine.connect() as conn:
        row = conn.execute(text("SELECT status, last_error, attempts FROM outbox WHERE id = :i"),
                           {"i": poison}).one()
    assert tuple(row) == ("quarantined", "poison payload", 1)
    status = read_status(engine)
    assert (status.pending, status.quarantined) == (0, 1)


def test_crash_after_hq_accepted_resends_and_hq_says_duplicate(device, hq):
    """The device dies after HQ stored the batch but before it marked the rows sent."""
    engine, ctx = device
    _, state, client = hq
    sales = sell_many(engine, ctx, 4)
    # HQ commits, the answer never arrives -- nor on the client's one immediate resend on a
    # new connection (sync/hq_client.py), which HQ stores as duplicates
    state.fail_pushes = ["after", "after"]

    first = push_once(engine, client)

    assert isinstance(first.error, HQUnreachable)
    assert sale_ids_at_hq(state) == sales
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT status, attempts, last_error FROM outbox")).all()
    assert all(r[0] == "pending" and r[1] == 1 and "unreachable" in r[2] for r in rows)

    second = drain(engine, client)
    assert (second.sent, second.error) == (4, None)
    assert sale_ids_at_hq(state) == sales  # still once each
    assert outbox_counts(engine) == {"sent": 4}


def test_server_down_keeps_everything_pending(device, hq):
    engine, ctx = device
    server, _, client = hq
    sell_many(engine, ctx, 2)
    server.stop()
    outcome = drain(engine, client)
    assert isinstance(outcome.error, HQUnreachable) and outcome.error.retryable
    assert outbox_counts(engine) == {"pending": 2}


def test_revoked_device_is_rejected_and_nothing_is_lost(device, hq):
    engine, ctx = device
    server, state, _ = hq
    sell(engine, ctx)
    bad = HQClient(server.url, (ctx.device_id, "wrong-secret"))
    outcome = push_once(engine, bad)
    assert isinstance(outcome.error, HQRejected) and outcome.error.status == 401
    assert not outcome.error.retryable
    assert outbox_counts(engine) == {"pending": 1}
    assert state.events == {}


@pytest.mark.parametrize("faults", [
    ["drop_mid"], ["reset"], ["reset_after"], ["duplicate"], ["delay:2.5"], ["blackhole"],
    ["drop_mid", "reset_after", "duplicate", "reset", "drop_mid"],
])
def test_faults_between_device_and_hq_never_lose_or_duplicate(device, hq, faults):
    engine, ctx = device
    server, state, _ = hq
    proxy = FaultProxy(server.server_address[1]).start()
    client = HQClient(proxy.url, (ctx.device_id, state.devices[ctx.device_id]),
                      timeout=(1.0, 1.5))
    try:
        sales = sell_many(engine, ctx, 9)
        add_poison(engine)
        sales += sell_many(engine, ctx, 3)
        proxy.plan = list(faults)
        errors = 0
        for _ in range(20):
            outcome = drain(engine, client, batch_size=4)
            if outcome.error is None and not outcome.unanswered:
                break
            errors += 1
        assert sorted(sale_ids_at_hq(state)) == sorted(sales)
        assert len(set(sale_ids_at_hq(state))) == len(sales)
        assert outbox_counts(engine) == {"sent": 12, "quarantined": 1}
        # a reset connection is sent once more on a new one by the client itself (and a
        # duplicate is answered twice): those faults need not surface as a failed drain
        if not set(faults) <= {"duplicate", "reset", "reset_after"}:
            assert errors >= 1  # the fault really happened
        assert proxy.actions_taken[: len(faults)] == faults
        # every request reached HQ once, a duplicated one twice, a reset-before one never
        expected = (len(proxy.actions_taken) + faults.count("duplicate") - faults.count("reset"))
        # a duplicate's second copy travels on a thread of its own: wait for it, not a while
        wait_for(lambda: state.push_requests >= expected, what=f"{expected} pushes at HQ")
        assert state.push_requests == expected
    finally:
        client.close()
        proxy.stop()


def test_busy_hq_is_retryable_with_retry_after(device, hq):
    engine, ctx = device
    _, state, client = hq
    sell(engine, ctx)
    state.busy_next = 1
    outcome = push_once(engine, client)
    assert outcome.error is not None and outcome.error.retryable
    assert outcome.error.retry_after == 0.0
    assert drain(engine, client).sent == 1


def test_secret_never_in_repr_errors_or_logs(device, hq, caplog):
    engine, ctx = device
    server, state, client = hq
    secret = state.devices[ctx.device_id]
    caplog.set_level(logging.DEBUG)
    sell(engine, ctx)
    drain(engine, client)
    server.stop()
    outcome = drain(engine, client)
    sell(engine, ctx)
    outcome = drain(engine, client)
    assert secret not in repr(client)
    assert secret not in str(outcome.error)
    assert secret not in caplog.text


def test_backoff_is_exponential_full_jitter_capped_and_resets():
    now = [100.0]
    b = Backoff(base=1.0, cap=300.0, rng=lambda: 1.0, clock=lambda: now[0])
    assert [b.failure() for _ in range(12)] == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]
    assert b.remaining() == 300
    now[0] += 100
    assert b.remaining() == 200
    b.reset()
    assert b.remaining() == 0 and b.failure() == 1
    half = Backoff(rng=lambda: 0.5)
    assert [half.failure() for _ in range(3)] == [0.5, 1.0, 2.0]
    assert Backoff(rng=lambda: 0.0).failure(at_least=7) == 7  # HQ's Retry-After wins
