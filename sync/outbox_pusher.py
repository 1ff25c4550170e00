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

A poison event never blocks the queue, even one HQ cannot even quarantine (issue 18: a NUL
made HQ answer 500 to every batch holding it, and the till retried that batch for ever). A
batch refused as a whole for what it carries (500, or 400/413/422: not 502-504, 429, 401/403
or no answer, which say nothing about the events) is split in halves, and the halves sent in
order, until the one event HQ fails on is alone. If HQ works for other events (some were
stored meanwhile, or /healthz answers), that event is *held* aside at the till (status
"held", HQ's answer as the reason, shown on the manager's Sync screen) and the rest flows.
Held events are sent again alone every HELD_RETRY_SECONDS, and at once when a manager asks
(Retry held events: pos_app.services.outbox_view.release_held), so one that failed for a
passing reason still arrives.

Thread: the sync worker (sync.worker), or a test. Never the UI thread.
"""
from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from sqlalchemy import Engine, text

from pos_app.ports import Clock, SystemClock, utc_iso
from pos_app.store_context import write_setting
from pos_app.store_context import read_setting
from sync.hq_client import HQClient, HQError, HQRejected, HQServerError
from sync.protocol import MAX_PUSH_BATCH, OutboxEventIn
from sync.status import LAST_PUSH_OK

HELD_RETRY_SECONDS = 3600.0
HELD_RETRY_AT = "sync_held_retry_at"  # settings: UTC time after which held events are re-sent
_CONTENT_STATUSES = frozenset({400, 413, 422})  # HQ refused the request for what it carried


@dataclass(frozen=True, slots=True)
class PushOutcome:
    sent: int = 0  # HQ has them (accepted or duplicate)
    quarantined: int = 0
    unanswered: int = 0  # sent but missing from HQ's results: stay pending
    error: HQError | None = None  # the batch failed as a whole; its rows stay pending
    held: int = 0  # events HQ failed on alone: held aside at the till, the rest went on

    def __add__(self, other: "PushOutcome") -> "PushOutcome":
        return PushOutcome(self.sent + other.sent, self.quarantined + other.quarantined,
                           self.unanswered + other.unanswered, other.error or self.error,
                           self.held + other.held)

    @property
    def pushed(self) -> int:
        return self.sent + self.quarantined + self.held


def _about_content(exc: HQError) -> bool:
    """Did HQ refuse the batch for what it carries (so that a smaller batch may pass)?"""
    if isinstance(exc, HQServerError):
        return exc.status == 500
    return isinstance(exc, HQRejected) and exc.status in _CONTENT_STATUSES


def _held_reason(exc: HQError) -> str:
    return (f"held at the till: HQ failed on this event alone ({exc}); the events after it "
            "were sent. It is sent again every hour, or now with Retry held events.")[:1000]


def _send_isolating(client: HQClient, events: list[OutboxEventIn]
                    ) -> tuple[dict, dict[str, str], HQError | None]:
    """Send `events` in order; split a batch HQ refuses for its content until the event it
    fails on is alone. Returns (results by id, held event id -> reason, the error that
    stopped the sending: events without a result stay pending).

    An event that fails alone is held only with proof that HQ works for others: an event
    stored in this round, else the next event alone stored (one probe), else -- when it is
    the only one left, or the probe fails too -- HQ's /healthz. After two events failing
    alone with nothing stored the round stops with the error (backoff): at most about
    log2(batch) + 3 requests when HQ fails everything, and a run of poison events is still
    held one per round.
    """
    results: dict = {}
    held: dict[str, str] = {}
    suspect: tuple[OutboxEventIn, HQError] | None = None
    chunks = [events]
    while chunks:
        chunk = chunks.pop(0)
        try:
            results.update((r.id, r) for r in client.push(chunk).results)
        except HQError as exc:
            if not _about_content(exc):
                return results, held, exc
            if len(chunk) > 1:
                mid = len(chunk) // 2
                chunks[0:0] = [chunk[:mid], chunk[mid:]]
            elif results:
                held[chunk[0].id] = _held_reason(exc)
            elif suspect is not None:  # two alone, nothing stored: HQ fails for everyone,
                if client.health():  # or two poison events in a row: hold the first, pause
                    held[suspect[0].id] = _held_reason(suspect[1])
                return results, held, exc
            else:
                suspect = (chunk[0], exc)
                if chunks and len(chunks[0]) > 1:  # probe: the next event alone
                    nxt = chunks.pop(0)
                    chunks[0:0] = [nxt[:1], nxt[1:]]
            continue
        if suspect is not None:  # HQ stored another event: the suspect is the poison
            held[suspect[0].id] = _held_reason(suspect[1])
            suspect = None
    if suspect is not None:
        if not client.health():
            return results, held, suspect[1]
        held[suspect[0].id] = _held_reason(suspect[1])
    return results, held, None


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
    batch's rows still pending and their `attempts` and `last_error` updated. An event HQ
    fails on alone is held aside (module docstring) and the rest is recorded.
    """
    clock = clock or SystemClock()
    events, broken = _load_batch(engine, min(batch_size, MAX_PUSH_BATCH))
    error: HQError | None = None
    results, held = {}, {}
    if events:
        results, held, error = _send_isolating(client, events)
    if not events and not broken:
        return PushOutcome()  # nothing pending: no request, no write transaction
    with engine.begin() as conn:
        for event_id, reason in broken:
            conn.execute(text("UPDATE outbox SET status = 'quarantined', last_error = :r,"
                              " attempts = attempts + 1 WHERE id = :id"),
                         {"r": reason, "id": event_id})
        outcome = _record(conn, events, results, held, error)
        if results or held:
            write_setting(conn, LAST_PUSH_OK, utc_iso(clock.now_utc()))
        if held:
            _schedule_held_retry(conn, clock.now_utc())
    return PushOutcome(outcome.sent, outcome.quarantined + len(broken), outcome.unanswered,
                       outcome.error, outcome.held)


def _record(conn, events: list[OutboxEventIn], results: dict, held: dict[str, str],
            error: HQError | None) -> PushOutcome:
    """Mark each sent event by HQ's answer (or held, or still pending); one transaction."""
    sent = quarantined = unanswered = 0
    for event in events:
        result = results.get(event.id)
        if event.id in held:
            conn.execute(text("UPDATE outbox SET status = 'held', attempts = attempts + 1,"
                              " last_error = :r WHERE id = :id"),
                         {"r": held[event.id], "id": event.id})
        elif result is None and error is not None:
            conn.execute(text("UPDATE outbox SET attempts = attempts + 1, last_error = :r"
                              " WHERE id = :id AND status IN ('pending', 'held')"),
                         {"r": str(error)[:1000], "id": event.id})
        elif result is None:
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
    return PushOutcome(sent, quarantined, unanswered, error, len(held))


def _schedule_held_retry(conn, now) -> None:
    """A newly held event is retried a full HELD_RETRY_SECONDS later, not at once."""
    due = read_setting(conn, HELD_RETRY_AT)
    if due is None or due < utc_iso(now):
        write_setting(conn, HELD_RETRY_AT, utc_iso(now + timedelta(seconds=HELD_RETRY_SECONDS)))


def retry_held(engine: Engine, client: HQClient, clock: Clock | None = None,
               force: bool = False) -> PushOutcome:
    """Send each held event again, alone, once HELD_RETRY_SECONDS have passed since the last
    round (or now with `force`). One HQ accepts or quarantines leaves "held"; one it still
    fails on stays held with the new answer. Runs after the pending queue is drained."""
    clock = clock or SystemClock()
    now = clock.now_utc()
    with engine.connect() as conn:
        due = read_setting(conn, HELD_RETRY_AT)
        if not force and due is not None and utc_iso(now) < due:
            return PushOutcome()
        rows = conn.execute(text(
            "SELECT position, id, topic, payload, created_at FROM outbox"
            " WHERE status = 'held' ORDER BY position")).all()
    total = PushOutcome()
    for position, event_id, topic, payload, created_at in rows:
        event = OutboxEventIn(id=event_id, position=position, topic=topic,
                              payload=json.loads(payload), created_at=created_at)
        results, held, error = _send_isolating(client, [event])
        if error is not None and not _about_content(error):
            break  # HQ is away: try again next round
        if error is not None:  # still failing on it: stays held, with HQ's latest answer
            held = {event_id: _held_reason(error)}
        with engine.begin() as conn:
            total = total + _record(conn, [event], results, held, None)
    with engine.begin() as conn:
        write_setting(conn, HELD_RETRY_AT, utc_iso(now + timedelta(seconds=HELD_RETRY_SECONDS)))
    return total


def drain(engine: Engine, client: HQClient, batch_size: int = 200, clock: Clock | None = None,
          should_stop: Callable[[], bool] = lambda: False) -> PushOutcome:
    """push_once until nothing is pending, an error, a batch HQ left unanswered, or stop;
    then the held events whose retry is due (`retry_held`)."""
    total = PushOutcome()
    while not should_stop():
        outcome = push_once(engine, client, batch_size, clock)
        total = total + outcome
        if outcome.error is not None or outcome.unanswered or not outcome.pushed:
            break
    if total.error is None and not total.unanswered and not should_stop():
        total = total + retry_held(engine, client, clock)
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
