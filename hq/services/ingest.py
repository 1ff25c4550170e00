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

from hq.db.models import Event, JournalRecord, Sale, SaleLine, StockMove
from hq.services.common import utc_iso
from hq.services.enrolment import AuthenticatedDevice
from hq.services.sale_validation import SaleDoc, SaleEventPayload, check_sale_event
from sync.protocol import EventResult, OutboxEventIn

KNOWN_TOPICS = frozenset({"sale.completed"})
STOCK_NAMESPACE = uuid.UUID("2f0c7d4e-9b1a-4c55-8f3e-6a2d1b7c9e01")


def stock_move_id(event_id: str, line_id: str) -> str:
    return str(uuid.uuid5(STOCK_NAMESPACE, f"{event_id}/{line_id}"))


def _stored(conn: Connection, event_id: str, device_id: str) -> EventResult | None:
    row = conn.execute(select(Event.device_id, Event.status, Event.reason)
                       .where(Event.id == event_id)).first()
    return None if row is None else _as_result(event_id, device_id, row)


def _event_row(ev: OutboxEventIn, device_id: str, status: str, reason: str | None) -> dict:
    return {"id": ev.id, "device_id": device_id, "position": ev.position, "topic": ev.topic,
            "payload": json.dumps(ev.payload, ensure_ascii=False),
            "created_at": ev.created_at[:40], "received_at": utc_iso(), "status": status,
            "reason": reason}


def _write_sale(conn: Connection, ev: OutboxEventIn, device: AuthenticatedDevice,
                event: SaleEventPayload, sale: SaleDoc) -> None:
    now = utc_iso()
    conn.execute(insert(Event), [_event_row(ev, device.id, "accepted", None)])
    conn.execute(insert(JournalRecord), [{
        "device_id": device.id, "seq": event.journal.seq, "prev_hash": event.journal.prev_hash,
        "hash": event.journal.hash, "sale_id": sale.id, "event_id": ev.id}])
    conn.execute(insert(Sale), [{
        "id": sale.id, "device_id": device.id, "store_id": device.store_id, "seq": sale.seq,
        "receipt_no": sale.receipt_no, "total": sale.total, "currency": sale.currency,
        "created_at": sale.created_at}])
    conn.execute(insert(SaleLine), [{
        "id": ln.id, "sale_id": sale.id, "variant_id": ln.variant_id, "sku": ln.sku,
        "quantity": ln.quantity, "amount": ln.amount} for ln in sale.lines])
    conn.execute(insert(StockMove), [{
        "id": stock_move_id(ev.id, ln.id), "store_id": device.store_id,
        "variant_id": ln.variant_id, "delta": -ln.quantity, "reason": "sale", "ref": sale.id,
        "at": now} for ln in sale.lines])


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
    checked: Any = check_sale_event(ev.payload, device.id, device.store_id)
    if isinstance(checked, str):
        return _quarantine(conn, ev, device.id, checked)
    event, sale = checked
    try:
        with conn.begin_nested():
            _write_sale(conn, ev, device, event, sale)
    except IntegrityError:
        stored = _stored(conn, ev.id, device.id)
        if stored is not None:  # a concurrent retry of this very event won the race
            return stored
        return _quarantine(conn, ev, device.id,
                           _conflict_reason(conn, device.id, event.journal.seq, sale))
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
    if len(set(ids)) != len(ids):
        return None
    stored = {row.id: row for row in conn.execute(
        select(Event.id, Event.device_id, Event.status, Event.reason).where(Event.id.in_(ids)))}
    results: list[EventResult] = []
    rows: dict[Any, list[dict]] = {t: [] for t in (Event, JournalRecord, Sale, SaleLine,
                                                   StockMove)}
    now = utc_iso()
    for ev in events:
        row = stored.get(ev.id)
        if row is not None:
            results.append(_as_result(ev.id, device.id, row))
            continue
        checked: Any = (f"unknown topic {ev.topic!r}" if ev.topic not in KNOWN_TOPICS
                        else check_sale_event(ev.payload, device.id, device.store_id))
        if isinstance(checked, str):
            rows[Event].append(_event_row(ev, device.id, "quarantined", checked))
            results.append(EventResult(id=ev.id, status="quarantined", reason=checked))
            continue
        event, sale = checked
        rows[Event].append(_event_row(ev, device.id, "accepted", None))
        rows[JournalRecord].append({
            "device_id": device.id, "seq": event.journal.seq,
            "prev_hash": event.journal.prev_hash, "hash": event.journal.hash,
            "sale_id": sale.id, "event_id": ev.id})
        rows[Sale].append({
            "id": sale.id, "device_id": device.id, "store_id": device.store_id,
            "seq": sale.seq, "receipt_no": sale.receipt_no, "total": sale.total,
            "currency": sale.currency, "created_at": sale.created_at})
        rows[SaleLine].extend({
            "id": ln.id, "sale_id": sale.id, "variant_id": ln.variant_id, "sku": ln.sku,
            "quantity": ln.quantity, "amount": ln.amount} for ln in sale.lines)
        rows[StockMove].extend({
            "id": stock_move_id(ev.id, ln.id), "store_id": device.store_id,
            "variant_id": ln.variant_id, "delta": -ln.quantity, "reason": "sale",
            "ref": sale.id, "at": now} for ln in sale.lines)
        results.append(EventResult(id=ev.id, status="accepted"))
    try:
        with conn.begin_nested():
            for table, table_rows in rows.items():  # parents first: events, journal, sales
                if table_rows:
                    conn.execute(insert(table), table_rows)  # executemany: pipelined
    except IntegrityError:
        return None
    return results


def ingest(conn: Connection, device: AuthenticatedDevice,
           events: Sequence[OutboxEventIn]) -> list[EventResult]:
    """One result per event, in the order sent; the caller commits the whole batch.

    Fast path: the batch as a whole (`_ingest_batch`); where it declines, event by event.
    """
    if len(events) > 1:
        results = _ingest_batch(conn, device, events)
        if results is not None:
            return results
    return [ingest_one(conn, device, ev) for ev in events]
