"""Push: drain the outbox to HQ in `position` order, in batches, at least once.

Why (DESIGN.md §3-4): a committed sale must reach HQ exactly once. The device sends each event
until HQ acknowledges it (at least once); HQ deduplicates on the event's UUID forever (at most
once there). So a crash or a dropped answer after HQ stored a batch only means the batch is sent
again, HQ answers "duplicate", and the device marks it sent. Rows are never deleted: sent rows
stay as the audit trail; quarantined rows keep HQ's reason for the manager's Sync screen and do
not block the events behind them (the next batch simply starts after them). HQ must answer an
event it quarantined earlier with "quarantined" again when it is re-sent (not "duplicate",
which would mark it sent and hide it from the manager).

No database transaction is held during HTTP: read a batch (short), send it, then mark the
results in ONE short write transaction (BEGIN IMMEDIATE, like every writer on the device).

Thread: the sync worker (sync.worker), or a test. Never the UI thread.
"""
from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import Engine, text

from pos_app.ports import Clock, SystemClock, utc_iso
from pos_app.store_context import write_setting
from sync.hq_client import HQClient, HQError
from sync.protocol import MAX_PUSH_BATCH, OutboxEventIn
from sync.status import LAST_PUSH_OK


@dataclass(frozen=True, slots=True)
class PushOutcome:
    sent: int = 0  # HQ has them (accepted or duplicate)
    quarantined: int = 0
    unanswered: int = 0  # sent but missing from HQ's results: stay pending
    error: HQError | None = None  # the batch failed as a whole; its rows stay pending

    def __add__(self, other: "PushOutcome") -> "PushOutcome":
        return PushOutcome(self.sent + other.sent, self.quarantined + other.quarantined,
                           self.unanswered + other.unanswered, other.error or self.error)

    @property
    def pushed(self) -> int:
        return self.sent + self.quarantined


def _load_batch(engine: Engine, batch_size: int) -> tuple[list[OutboxEventIn], list[tuple]]:
    """Pending events in position order; rows that cannot even be encoded are returned apart."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT position, id, topic, payload, created_at FROM outbox"
            " WHERE status = 'pending' ORDER BY position LIMIT :n"), {"n": batch_size}).all()
    events, broken = [], []
    for position, event_id, topic, payload, created_at in rows:
        try:
            events.append(OutboxEventIn(id=event_id, position=position, topic=topic,
                                        payload=json.loads(payload), created_at=created_at))
        except ValueError as exc:  # bad JSON / does not fit the protocol: never sendable
            broken.append((event_id, f"not sendable: {str(exc)[:300]}"))
    return events, broken


def push_once(engine: Engine, client: HQClient, batch_size: int = 200,
              clock: Clock | None = None) -> PushOutcome:
    """Send one batch of pending events and record HQ's per-event answers.

    Transport or HQ errors do not raise: they come back in `PushOutcome.error`, with the
    batch's rows still pending and their `attempts` and `last_error` updated.
    """
    clock = clock or SystemClock()
    events, broken = _load_batch(engine, min(batch_size, MAX_PUSH_BATCH))
    error: HQError | None = None
    results = {}
    if events:
        try:
            results = {r.id: r for r in client.push(events).results}
        except HQError as exc:
            error = exc
    if not events and not broken:
        return PushOutcome()  # nothing pending: no request, no write transaction
    sent = quarantined = unanswered = 0
    with engine.begin() as conn:
        for event_id, reason in broken:
            conn.execute(text("UPDATE outbox SET status = 'quarantined', last_error = :r,"
                              " attempts = attempts + 1 WHERE id = :id"),
                         {"r": reason, "id": event_id})
            quarantined += 1
        if error is not None:
            conn.execute(text("UPDATE outbox SET attempts = attempts + 1, last_error = :r"
                              " WHERE id = :id AND status = 'pending'"),
                         [{"r": str(error), "id": e.id} for e in events])
            return PushOutcome(0, quarantined, 0, error)
        for event in events:
            result = results.get(event.id)
            if result is None:
                unanswered += 1
                conn.execute(text("UPDATE outbox SET attempts = attempts + 1,"
                                  " last_error = 'HQ did not answer for this event'"
                                  " WHERE id = :id"), {"id": event.id})
            elif result.status in ("accepted", "duplicate"):
                sent += 1
                conn.execute(text("UPDATE outbox SET status = 'sent', attempts = attempts + 1,"
                                  " last_error = NULL WHERE id = :id"), {"id": event.id})
            else:
                quarantined += 1
                conn.execute(text("UPDATE outbox SET status = 'quarantined',"
                                  " attempts = attempts + 1, last_error = :r WHERE id = :id"),
                             {"r": result.reason or "quarantined by HQ", "id": event.id})
        if events:
            write_setting(conn, LAST_PUSH_OK, utc_iso(clock.now_utc()))
    return PushOutcome(sent, quarantined, unanswered, None)


def drain(engine: Engine, client: HQClient, batch_size: int = 200, clock: Clock | None = None,
          should_stop: Callable[[], bool] = lambda: False) -> PushOutcome:
    """push_once until nothing is pending, an error, a batch HQ left unanswered, or stop."""
    total = PushOutcome()
    while not should_stop():
        outcome = push_once(engine, client, batch_size, clock)
        total = total + outcome
        if outcome.error is not None or outcome.unanswered or not outcome.pushed:
            break
    return total


class Backoff:
    """Exponential backoff with full jitter: delay = random() * min(cap, base * 2**failures).

    Full jitter (AWS architecture blog, "Exponential Backoff And Jitter") spreads the retries
    of many devices that lost HQ at the same moment, so they do not return in lock-step.
    `rng` and `clock` are injectable for tests; `reset()` after a success.
    """

    def __init__(self, base: float = 1.0, cap: float = 300.0,
                 rng: Callable[[], float] = random.random,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.base, self.cap, self.rng, self.clock = base, cap, rng, clock
        self.failures = 0
        self.next_at: float | None = None

    def failure(self, at_least: float = 0.0) -> float:
        """Record a failure; the delay to wait (>= `at_least`, e.g. HQ's Retry-After)."""
        ceiling = min(self.cap, self.base * (2 ** min(self.failures, 32)))
        self.failures += 1
        delay = max(at_least, self.rng() * ceiling)
        self.next_at = self.clock() + delay
        return delay

    def remaining(self) -> float:
        """Seconds left before the next attempt is due (0 when due or after a reset)."""
        return 0.0 if self.next_at is None else max(0.0, self.next_at - self.clock())

    def reset(self) -> None:
        self.failures = 0
        self.next_at = None
