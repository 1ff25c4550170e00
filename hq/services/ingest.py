"""Push ingest: store each device event exactly once, acknowledge each one.

Why: DESIGN.md §3-4 — never lose, never duplicate; a poison event is quarantined and shown,
never blocks the queue. The event UUID is a permanent primary key: an id HQ already holds is
answered "duplicate" (or its stored quarantine) and changes nothing. Events are handled in
the order sent, each inside its own SAVEPOINT, so one bad event rolls back only itself: it is
stored as "quarantined" with its reason and the next events go on. A concurrent insert of the
same id (two retries racing) hits the unique key and is answered "duplicate", never an error.
Stock ledger rows have ids derived from (event id, line id), so even a replay through
another path cannot count a sale's stock twice.

What decides an event (issue 18), in this order:
1. hq/services/event_guard.py, for any topic: the text rule over every string (no NUL or
   other control character), the size bounds;
2. the topic: a sale's own checks (sale_validation.py: shape, store, currency, sizes, times,
   totals, hash; loyalty.py), then HQ's data (sale_checks.py, batched: variants, receipt
   numbers, price flags); its payments (payments.py: tenders, card data, gift cards, store
   credit, VietQR intents); a customer event's (customer_events.py, customer_scope.py);
3. the database itself: whatever it refuses about one event's data (DataError,
   IntegrityError, an encoding error) quarantines that event with the database's reason
   (event_guard.event_db_error); the batch fast path then falls back to the per-event path,
   which finds the culprit. Errors that are not about the data (a lost connection, a lock,
   HQ's own bug) are raised: the request is rolled back as a whole and the till retries.

Runs on a request thread with the request's connection; the caller commits the batch.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Sequence

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from hq.db.models.sales import Event, JournalRecord, Sale, SaleLine
from hq.services import customer_events, loyalty
from hq.services.common import utc_iso
from hq.services.enrolment import AuthenticatedDevice
from hq.services.event_guard import event_db_error, event_problem
from hq.services.ingest_rows import (PushContext, add_customer_rows, add_sale_rows, event_row,
                                     new_rows, stock_move_id, write_rows)
from hq.services.payments import PaymentLookups, card_data_problem, tender_problem
from hq.services.sale_checks import SaleLookups
from hq.services.sale_validation import CheckedSale, SaleDoc, check_sale_event
from hq.services.stock import note_sold
from hq.services.store_settings import store_rules
from sync.protocol import EventResult, OutboxEventIn
from sync.protocol_customers import CUSTOMER_TOPICS

__all__ = ["KNOWN_TOPICS", "SALE_TOPIC", "ingest", "ingest_one", "push_context",
           "stock_move_id"]
log = logging.getLogger(__name__)
SALE_TOPIC = "sale.completed"
KNOWN_TOPICS = frozenset({SALE_TOPIC}) | CUSTOMER_TOPICS


def push_context(conn: Connection, device: AuthenticatedDevice,
                 received: datetime | None = None) -> PushContext:
    """What one push is judged with: one read of the device's store."""
    received = received or datetime.now(timezone.utc)
    return PushContext(device, store_rules(conn, device.store_id), received,
                       utc_iso(received))


def _stored(conn: Connection, event_id: str, device_id: str) -> EventResult | None:
    row = conn.execute(select(Event.device_id, Event.status, Event.reason)
                       .where(Event.id == event_id)).first()
    return None if row is None else _as_result(event_id, device_id, row)


def _as_result(event_id: str, device_id: str, row) -> EventResult:
    """What `_stored` answers for a stored row (device_id, status, reason)."""
    if row.device_id != device_id:
        return EventResult(id=event_id, status="quarantined",
                           reason="event id already used by another device")
    if row.status == "accepted":
        return EventResult(id=event_id, status="duplicate")
    return EventResult(id=event_id, status="quarantined", reason=row.reason)


def _precheck(ev: OutboxEventIn) -> str | None:
    """Rule 1 and the topic: the reason to quarantine whatever the topic, or None."""
    problem = event_problem(ev)
    if problem is None and ev.topic not in KNOWN_TOPICS:
        problem = f"unknown topic {ev.topic!r}"
    return problem or card_data_problem(ev.payload)


def _check_sale(ev: OutboxEventIn, ctx: PushContext) -> CheckedSale | str:
    """A sale event's own checks (sale_validation) and its loyalty data."""
    checked = check_sale_event(ev.payload, ctx.device.id, ctx.rules, ctx.received)
    if isinstance(checked, str):
        return checked
    return (loyalty.sale_loyalty_problem(checked.sale) or tender_problem(checked)
            or checked)


def _conflict_reason(conn: Connection, device_id: str, seq: int, sale: SaleDoc) -> str | None:
    """Which key HQ already holds clashed with the sale's, or None (then the database's own
    words are the reason)."""
    if conn.execute(select(JournalRecord.sale_id).where(
            JournalRecord.device_id == device_id, JournalRecord.seq == seq)).first():
        return f"journal seq {seq} already received in another event"
    if conn.execute(select(Sale.id).where(Sale.id == sale.id)).first():
        return "sale id already received in another event"
    line_ids = [ln.id for ln in sale.lines]
    if conn.execute(select(SaleLine.id).where(SaleLine.id.in_(line_ids))).first():
        return "sale line id already received in another sale"
    if conn.execute(select(Sale.id).where(Sale.device_id == device_id,
                                          Sale.receipt_no == sale.receipt_no)).first():
        return (f"receipt number {sale.receipt_no} was already used by another sale of this "
                f"device")
    return None


def _quarantine(conn: Connection, ev: OutboxEventIn, ctx: PushContext,
                reason: str) -> EventResult:
    row = event_row(ev, ctx.device.id, "quarantined", reason, ctx.now)
    try:
        with conn.begin_nested():
            conn.execute(insert(Event), [row])
    except IntegrityError:  # the same id arrived concurrently and was stored first
        return _stored(conn, ev.id, ctx.device.id) or EventResult(
            id=ev.id, status="quarantined", reason=row["reason"])
    except Exception as exc:  # noqa: BLE001 - classified: only the event's data is caught
        if event_db_error(exc) is None:
            raise
        # Not even the sanitised copy could be stored: answer it anyway, so the queue goes
        # on; the till keeps the event as quarantined and shows it, a retry is judged again.
        log.error("event %s of device %s quarantined but not storable: %s", ev.id,
                  ctx.device.id, exc)
    return EventResult(id=ev.id, status="quarantined", reason=row["reason"])


def _write_or_quarantine(conn: Connection, ev: OutboxEventIn, ctx: PushContext, write,
                         conflict) -> EventResult:
    """Run `write` (the event's rows and effects) in a savepoint; any refusal of the
    database about this event's data quarantines it (`conflict()` names a key clash HQ
    recognises, else the database's message is the reason)."""
    try:
        with conn.begin_nested():
            write()
    except customer_events.Refused as refused:
        return _quarantine(conn, ev, ctx, str(refused))
    except IntegrityError as exc:
        stored = _stored(conn, ev.id, ctx.device.id)
        if stored is not None:  # a concurrent retry of this very event won the race
            return stored
        return _quarantine(conn, ev, ctx, conflict() or event_db_error(exc)
                           or "conflicts with data HQ already holds")
    except Exception as exc:  # noqa: BLE001 - classified: only the event's data is caught
        reason = event_db_error(exc)
        if reason is None:
            raise
        return _quarantine(conn, ev, ctx, reason)
    return EventResult(id=ev.id, status="accepted")


def ingest_one(conn: Connection, device: AuthenticatedDevice, ev: OutboxEventIn,
               ctx: PushContext | None = None) -> EventResult:
    ctx = ctx or push_context(conn, device)
    stored = _stored(conn, ev.id, device.id)
    if stored is not None:
        return stored
    problem = _precheck(ev)
    if problem is not None:
        return _quarantine(conn, ev, ctx, problem)
    if ev.topic in CUSTOMER_TOPICS:
        return _ingest_customer_event(conn, ctx, ev)
    checked: Any = _check_sale(ev, ctx)
    if isinstance(checked, str):
        return _quarantine(conn, ev, ctx, checked)
    flags = SaleLookups.load(conn, ctx.rules, device.id, [checked.sale]).judge(checked, ctx.now)
    if isinstance(flags, str):
        return _quarantine(conn, ev, ctx, flags)
    pays = PaymentLookups.load(conn, ctx.rules, [checked])
    paid = pays.judge(checked, device.id, ctx.now)
    if isinstance(paid, str):
        return _quarantine(conn, ev, ctx, paid)
    rows = new_rows()
    pays.add_rows(rows, checked, device.id, device.store_id, ctx.now)
    add_sale_rows(rows, ev, ctx, checked, flags + paid + pays.load_flags(checked, device.id,
                                                                         ctx.now))
    add_customer_rows(conn, rows, ctx, [checked])
    return _write_or_quarantine(conn, ev, ctx, lambda: write_rows(conn, rows),
                                lambda: _conflict_reason(conn, device.id,
                                                         checked.event.journal.seq,
                                                         checked.sale))


def _ingest_customer_event(conn: Connection, ctx: PushContext,
                           ev: OutboxEventIn) -> EventResult:
    """A customer edit, note, task or consent (hq/services/customer_events.py): the event
    row and its effects in one savepoint; a refusal rolls both back and quarantines."""
    parsed = customer_events.parse(ev.topic, ev.payload)
    if isinstance(parsed, str):
        return _quarantine(conn, ev, ctx, parsed)

    def write() -> None:
        conn.execute(insert(Event), [event_row(ev, ctx.device.id, "accepted", None, ctx.now)])
        customer_events.apply(conn, ctx.device, ev.id, parsed, ctx.received)
    return _write_or_quarantine(conn, ev, ctx, write, lambda: None)


def _ingest_batch(conn: Connection, ctx: PushContext,
                  events: Sequence[OutboxEventIn]) -> list[EventResult] | None:
    """The whole batch in a few statements, or None when it must go event by event.

    Same answers as `ingest_one` per event: one look-up of the ids HQ already holds, the
    checks in Python, one look-up each of the variants and receipt numbers of every sale,
    then every new row in one multi-row insert per table inside ONE savepoint. Anything
    unusual (an id twice in the batch, any unique-key conflict, e.g. a concurrent retry or a
    journal seq already received, any value the database refuses) rolls the savepoint back
    and returns None, and the caller takes the per-event path, whose semantics decide.
    """
    ids = [ev.id for ev in events]
    if len(set(ids)) != len(ids) or any(ev.topic in CUSTOMER_TOPICS for ev in events):
        return None  # customer events take the per-event path
    device = ctx.device
    stored = {row.id: row for row in conn.execute(
        select(Event.id, Event.device_id, Event.status, Event.reason).where(Event.id.in_(ids)))}
    judged: list[tuple[OutboxEventIn, Any]] = []
    for ev in events:
        row = stored.get(ev.id)
        judged.append((ev, _as_result(ev.id, device.id, row) if row is not None
                       else _precheck(ev) or _check_sale(ev, ctx)))
    candidates = [c for _, c in judged if isinstance(c, CheckedSale)]
    lookups = SaleLookups.load(conn, ctx.rules, device.id, [c.sale for c in candidates],
                               receipts=False)
    pays = PaymentLookups.load(conn, ctx.rules, candidates)
    results: list[EventResult] = []
    rows = new_rows()
    accepted: list[CheckedSale] = []
    for ev, checked in judged:
        if isinstance(checked, EventResult):
            results.append(checked)
            continue
        verdict = checked if isinstance(checked, str) else lookups.judge(checked, ctx.now)
        if not isinstance(verdict, str):
            paid = pays.judge(checked, device.id, ctx.now)
            verdict = paid if isinstance(paid, str) else \
                verdict + paid + pays.load_flags(checked, device.id, ctx.now)
        if isinstance(verdict, str):
            rows[Event].append(event_row(ev, device.id, "quarantined", verdict, ctx.now))
            results.append(EventResult(id=ev.id, status="quarantined",
                                       reason=rows[Event][-1]["reason"]))
            continue
        pays.add_rows(rows, checked, device.id, device.store_id, ctx.now)
        add_sale_rows(rows, ev, ctx, checked, verdict)
        accepted.append(checked)
        results.append(EventResult(id=ev.id, status="accepted"))
    add_customer_rows(conn, rows, ctx, accepted)
    try:
        with conn.begin_nested():
            write_rows(conn, rows)
    except IntegrityError:
        return None
    except Exception as exc:  # noqa: BLE001 - classified: only the event's data is caught
        if event_db_error(exc) is None:
            raise
        return None
    return results


def ingest(conn: Connection, device: AuthenticatedDevice,
           events: Sequence[OutboxEventIn]) -> list[EventResult]:
    """One result per event, in the order sent; the caller commits the whole batch.

    Fast path: the batch as a whole (`_ingest_batch`); where it declines, event by event.
    Then the variants sold are noted for the stock publisher (one insert for the batch).
    """
    ctx = push_context(conn, device)
    results = _ingest_batch(conn, ctx, events) if len(events) > 1 else None
    if results is None:
        results = [ingest_one(conn, device, ev, ctx) for ev in events]
    note_sold(conn, device.store_id, events, results)  # hq/services/stock.py
    return results
