"""The background worker: sells offline, catches up by itself, wakes on nudge, never dies."""
from __future__ import annotations

import threading
import time

from sync.hq_client import HQClient
from sync.outbox_pusher import Backoff
from sync.status import SyncStatus, read_status
from sync.worker import SyncWorker
from tests.sync.conftest import outbox_counts, sale_ids_at_hq, sell, sell_many
from tests.sync.fake_hq import FakeHQ, FakeHQState
from tests.waiting import PATIENT_HTTP, WAIT_S, wait_for


class Statuses:
    """Collects what the worker publishes (on its thread) and lets the test wait for a state."""

    def __init__(self) -> None:
        self.seen: list[SyncStatus] = []
        self.cond = threading.Condition()

    def __call__(self, status: SyncStatus) -> None:
        with self.cond:
            self.seen.append(status)
            self.cond.notify_all()

    def wait_for(self, pred, timeout: float = WAIT_S) -> SyncStatus:
        deadline = time.monotonic() + timeout
        with self.cond:
            while not (self.seen and pred(self.seen[-1])):
                left = deadline - time.monotonic()
                assert left > 0, f"no such status; last: {self.seen[-1:]}"
                self.cond.wait(left)
            return self.seen[-1]


def test_offline_sales_stay_pending_then_drain_by_themselves(device):
    engine, ctx = device
    state = FakeHQState(store_id=ctx.store_id, store_code=ctx.store_code)
    creds = state.add_device(ctx.device_id)
    server = FakeHQ(state, listening=False)  # HQ is down: its port refuses connections
    statuses = Statuses()
    worker = SyncWorker(engine, HQClient(server.url, creds, timeout=PATIENT_HTTP), interval=30,
                        on_status=statuses, backoff=Backoff(base=0.05, cap=0.3))
    worker.start()
    try:
        sales = sell_many(engine, ctx, 5)
        worker.nudge()
        offline = statuses.wait_for(lambda s: not s.online and s.pending == 5)
        assert offline.last_error and "unreachable" in offline.last_error
        assert read_status(engine).online is False
        assert outbox_counts(engine) == {"pending": 5}

        server.start()  # HQ is back on the same port; nobody nudges
        done = statuses.wait_for(lambda s: s.online and s.pending == 0)
        assert done.last_error is None and done.last_push_ok_at and done.last_pull_ok_at
        assert sale_ids_at_hq(state) == sales
    finally:
        worker.stop()
        server.stop()
    assert not worker.running


def test_nudge_wakes_the_worker_and_stop_joins(device, hq):
    engine, ctx = device
    _, state, client = hq
    statuses = Statuses()
    worker = SyncWorker(engine, client, interval=600, on_status=statuses)
    worker.start()
    try:
        statuses.wait_for(lambda s: s.online)
        sale = sell(engine, ctx)
        worker.nudge()  # nothing else would wake it before the interval, ten minutes away
        statuses.wait_for(lambda s: s.pending == 0 and len(sale_ids_at_hq(state)) == 1)
        assert sale_ids_at_hq(state) == [sale]
    finally:
        worker.stop(timeout=WAIT_S)  # far less than the interval: stop() must wake it
    assert not worker.running


def test_the_loop_survives_unexpected_errors(device, hq):
    engine, ctx = device
    _, state, client = hq
    calls = []

    def bad_listener(status: SyncStatus) -> None:
        calls.append(status)
        raise RuntimeError("listener bug")

    real_changes = client.changes
    broken = {"left": 2}

    def flaky_changes(cursor, limit):
        if broken["left"]:
            broken["left"] -= 1
            raise KeyError("bug in the puller")
        return real_changes(cursor, limit)

    client.changes = flaky_changes
    worker = SyncWorker(engine, client, interval=0.05, on_status=bad_listener,
                        backoff=Backoff(base=0.01, cap=0.05))
    sell(engine, ctx)
    worker.start()
    try:
        wait_for(lambda: len(calls) >= 4 and calls[-1].last_error is None,
                 what="a good cycle after the failed ones")
        assert any(c.last_error and "bug in the puller" in c.last_error for c in calls)
        assert worker.running
        assert calls[-1].pending == 0 and len(sale_ids_at_hq(state)) == 1
    finally:
        worker.stop()
