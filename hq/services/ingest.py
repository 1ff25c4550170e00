"""Push ingest: store each device event exactly once, acknowledge each one.

Why: DESIGN.md §3-4 — never lose, never duplicate. The event UUID is a permanent primary key:
an id HQ already holds is answered "duplicate" (or its stored quarantine) and changes nothing.
Events are handled in the order sent, each inside its own SAVEPOINT, so one bad event rolls
back only itself: it is stored as "quarantined" with its reason and the next events go on. A
concurrent insert of the same id (two retries racing) hits the unique key and is answered
"duplicate", never an error. Stock ledger rows have ids derived from (event id, line id), so
even a replay through another path cannot count a sale's stock twice.

Runs on a request thread with the request's connection; the caller commits the batch.
"""
from __future__ import annotations

import json
import uuid
from typing import Any, Sequence

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from hq.db.models import (BookPending, Event, JournalRecord, LoyaltyEntry, Sale, SaleLine,
                          StockMove)
from hq.services import customer_events, loyalty
from hq.services.bulk_insert import insert_rows
from hq.services.common import utc_iso
from hq.services.enrolment import AuthenticatedDevice
from hq.services.sale_validation import CheckedSale, SaleDoc, check_sale_event
from hq.services.stock import note_sold
from sync.protocol import EventResult, OutboxEventIn
from sync.protocol_customers import CUSTOMER_TOPICS

SALE_TOPIC = "sale.completed"
KNOWN_TOPICS = frozenset({SALE_TOPIC}) | CUSTOMER_TOPICS
STOCK_NAMESPACE = uuid.UUID("2f0c7d4e-9b1a-4c55-8f3e-6a2d1b7c9e01")


def stock_move_id(event_id: str, line_id: str) -> str:
    return str(uuid.uuid5(STOCK_NAMESPACE, f"{event_id}/{line_id}"))


def _stored(conn: Connection, event_id: str, device_id: str) -> EventResult | None:
    row = conn.execute(select(Event.device_id, Event.status, Event.reason)
                       .where(Event.id == event_id)).first()
    return None if row is None else _as_result(event_id, device_id, row)


def _event_row(ev: OutboxEventIn, device_id: str, status: str, reason: str | None,
               payload_json: str | None = None, now: str | None = None) -> dict:
    if payload_json is None:
        payload_json = json.dumps(ev.payload, ensure_ascii=False)
    return {"id": ev.id, "device_id": device_id, "position": ev.position, "topic": ev.topic,
            "payload": payload_json, "created_at": ev.created_at[:40],
            "received_at": now or utc_iso(), "status": status, "reason": reason}


# Parents first: the order rows are written in (events, journal, sales before their children).
_TABLES = (Event, JournalRecord, Sale, SaleLine, StockMove, LoyaltyEntry, BookPending)


def _new_rows() -> dict[Any, list[dict]]:
    return {t: [] for t in _TABLES}


def _add_sale_rows(rows: dict[Any, list[dict]], ev: OutboxEventIn,
                   device: AuthenticatedDevice, checked: CheckedSale, now: str) -> None:
    """Append the rows one accepted sale event writes: event, journal, sale, lines, stock."""
    event, sale = checked.event, checked.sale
    rows[Event].append(_event_row(ev, device.id, "accepted", None, checked.payload_json, now))
    rows[JournalRecord].append({
        "device_id": device.id, "seq": event.journal.seq, "prev_hash": event.journal.prev_hash,
        "hash": event.journal.hash, "sale_id": sale.id, "event_id": ev.id})
    rows[Sale].append({
        "id": sale.id, "device_id": device.id, "store_id": device.store_id, "seq": sale.seq,
        "receipt_no": sale.receipt_no, "total": sale.total, "currency": sale.currency,
        "created_at": sale.created_at, "customer_id": getattr(sale, "customer_id", None)})
    rows[SaleLine].extend({
        "id": ln.id, "sale_id": sale.id, "variant_id": ln.variant_id, "sku": ln.sku,
        "quantity": ln.quantity, "amount": ln.amount} for ln in sale.lines)
    rows[StockMove].extend({
        "id": stock_move_id(ev.id, ln.id), "store_id": device.store_id,
        "variant_id": ln.variant_id, "delta": -ln.quantity, "reason": "sale", "ref": sale.id,
        "at": now} for ln in sale.lines)


def _check(ev: OutboxEventIn, device: AuthenticatedDevice) -> CheckedSale | str:
    """A sale event's checks: the sale's own (sale_validation) and its loyalty data."""
    checked = check_sale_event(ev.payload, device.id, device.store_id)
    if isinstance(checked, str):
        return checked
    return loyalty.sale_loyalty_problem(checked.sale) or checked


def _add_customer_rows(conn: Connection, rows: dict[Any, list[dict]],
                       device: AuthenticatedDevice, sales: Sequence[SaleDoc]) -> None:
    """Loyalty entries (earn, redeem) and book re-publication notes of the accepted sales
    that carry a customer: two look-ups for the whole batch (merged ids, known customers).
    A customer HQ does not hold (her customer.upserted never arrived: not expected, events
    come in outbox order) earns nothing here; the sale itself is kept."""
    with_customer = [s for s in sales if getattr(s, "customer_id", None)]
    if not with_customer:
        return
    resolved = customer_events.resolve_ids(conn, [s.customer_id for s in with_customer])
    for sale in with_customer:
        cid = resolved.get(sale.customer_id.lower())
        if cid is None:
            continue
        rows[LoyaltyEntry].extend(loyalty.sale_entries(sale, cid, device.store_id, device.id))
        rows[BookPending].append({"customer_id": cid})


def _write_rows(conn: Connection, rows: dict[Any, list[dict]]) -> None:
    """Every table's rows, parents first (COPY on PostgreSQL: hq/services/bulk_insert.py)."""
    for table, table_rows in rows.items():
        insert_rows(conn, table.__table__, table_rows)


def _conflict_reason(conn: Connection, device_id: str, seq: int, sale: SaleDoc) -> str:
    if conn.execute(select(JournalRecord.sale_id).where(
            JournalRecord.device_id == device_id, JournalRecord.seq == seq)).first():
        return f"journal seq {seq} already received in another event"
    if conn.execute(select(Sale.id).where(Sale.id == sale.id)).first():
        return "sale id already received in another event"
    line_ids = [ln.id for ln in sale.lines]
    if conn.execute(select(SaleLine.id).where(SaleLine.id.in_(line_ids))).first():
        return "sale line id already received in another sale"
    return "conflicts with data HQ already holds"


def _quarantine(conn: Connection, ev: OutboxEventIn, device_id: str, reason: str) -> EventResult:
    try:
        with conn.begin_nested():
            conn.execute(insert(Event), [_event_row(ev, device_id, "quarantined", reason)])
    except IntegrityError:  # the same id arrived concurrently and was stored first
        return _stored(conn, ev.id, device_id) or EventResult(
            id=ev.id, status="quarantined", reason=reason)
    return EventResult(id=ev.id, status="quarantined", reason=reason)


def ingest_one(conn: Connection, device: AuthenticatedDevice, ev: OutboxEventIn) -> EventResult:
    stored = _stored(conn, ev.id, device.id)
    if stored is not None:
        return stored
    if ev.topic not in KNOWN_TOPICS:
        return _quarantine(conn, ev, device.id, f"unknown topic {ev.topic!r}")
    if ev.topic in CUSTOMER_TOPICS:
        return _ingest_customer_event(conn, device, ev)
    checked: Any = _check(ev, device)
    if isinstance(checked, str):
        return _quarantine(conn, ev, device.id, checked)
    rows = _new_rows()
    _add_sale_rows(rows, ev, device, checked, utc_iso())
    _add_customer_rows(conn, rows, device, [checked.sale])
    try:
        with conn.begin_nested():
            _write_rows(conn, rows)
    except IntegrityError:
        stored = _stored(conn, ev.id, device.id)
        if stored is not None:  # a concurrent retry of this very event won the race
            return stored
        return _quarantine(conn, ev, device.id, _conflict_reason(
            conn, device.id, checked.event.journal.seq, checked.sale))
    return EventResult(id=ev.id, status="accepted")


def _ingest_customer_event(conn: Connection, device: AuthenticatedDevice,
                           ev: OutboxEventIn) -> EventResult:
    """A customer edit, note, task or consent (hq/services/customer_events.py): the event
    row and its effects in one savepoint; a refusal rolls both back and quarantines."""
    parsed = customer_events.parse(ev.topic, ev.payload)
    if isinstance(parsed, str):
        return _quarantine(conn, ev, device.id, parsed)
    try:
        with conn.begin_nested():
            conn.execute(insert(Event), [_event_row(ev, device.id, "accepted", None)])
            customer_events.apply(conn, device, ev.id, parsed)
    except customer_events.Refused as refused:
        return _quarantine(conn, ev, device.id, str(refused))
    except IntegrityError:
        stored = _stored(conn, ev.id, device.id)
        if stored is not None:  # a concurrent retry of this very event won the race
            return stored
        return _quarantine(conn, ev, device.id, "conflicts with data HQ already holds")
    return EventResult(id=ev.id, status="accepted")


def _as_result(event_id: str, device_id: str, row) -> EventResult:
    """What `_stored` answers for a stored row (device_id, status, reason)."""
    if row.device_id != device_id:
        return EventResult(id=event_id, status="quarantined",
                           reason="event id already used by another device")
    if row.status == "accepted":
        return EventResult(id=event_id, status="duplicate")
    return EventResult(id=event_id, status="quarantined", reason=row.reason)


def _ingest_batch(conn: Connection, device: AuthenticatedDevice,
                  events: Sequence[OutboxEventIn]) -> list[EventResult] | None:
    """The whole batch in a few statements, or None when it must go event by event.

    Same answers as `ingest_one` per event: one look-up of the ids HQ already holds, the
    checks in Python, then every new row in one multi-row insert per table inside ONE
    savepoint. Anything unusual (an id twice in the batch, any unique-key conflict, e.g. a
    concurrent retry or a journal seq already received) rolls the savepoint back and returns
    None, and the caller takes the per-event path, whose semantics decide.
    """
    ids = [ev.id for ev in events]
    if len(set(ids)) != len(ids) or any(ev.topic in CUSTOMER_TOPICS for ev in events):
        return None  # customer events take the per-event path
    stored = {row.id: row for row in conn.execute(
        select(Event.id, Event.device_id, Event.status, Event.reason).where(Event.id.in_(ids)))}
    results: list[EventResult] = []
    rows = _new_rows()
    now = utc_iso()
    sales: list[SaleDoc] = []
    for ev in events:
        row = stored.get(ev.id)
        if row is not None:
            results.append(_as_result(ev.id, device.id, row))
            continue
        checked: Any = (f"unknown topic {ev.topic!r}" if ev.topic not in KNOWN_TOPICS
                        else _check(ev, device))
        if isinstance(checked, str):
            rows[Event].append(_event_row(ev, device.id, "quarantined", checked, now=now))
            results.append(EventResult(id=ev.id, status="quarantined", reason=checked))
            continue
        _add_sale_rows(rows, ev, device, checked, now)
        sales.append(checked.sale)
        results.append(EventResult(id=ev.id, status="accepted"))
    _add_customer_rows(conn, rows, device, sales)
    try:
        with conn.begin_nested():
            _write_rows(conn, rows)
    except IntegrityError:
        return None
    return results


def ingest(conn: Connection, device: AuthenticatedDevice,
           events: Sequence[OutboxEventIn]) -> list[EventResult]:
    """One result per event, in the order sent; the caller commits the whole batch.

    Fast path: the batch as a whole (`_ingest_batch`); where it declines, event by event.
    Then the variants sold are noted for the stock publisher (one insert for the batch).
    """
    results = _ingest_batch(conn, device, events) if len(events) > 1 else None
    if results is None:
        results = [ingest_one(conn, device, ev) for ev in events]
    note_sold(conn, device.store_id, events, results)  # hq/services/stock.py
    return results
