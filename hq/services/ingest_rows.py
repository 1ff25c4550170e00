"""The rows one push writes, built in Python and written table by table, parents first.

Why: the ingest (hq/services/ingest.py) has a batch fast path (every row of a whole push in
one multi-row insert per table: COPY on PostgreSQL, hq/services/bulk_insert.py) and a
per-event path; both build their rows here, so both write exactly the same thing. HQ ingest
is budgeted at >= 5,000 sales/s: no look-up per event here, only the two per batch of
`add_customer_rows`.

`PushContext` is what every event of one push is judged with: the device, its store's rules
(currency, tax mode, settings: one read per push) and HQ's receive time.

Runs on the push request's thread, with its connection and transaction.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import Connection

from hq.db.models.customers import BookPending, LoyaltyEntry
from hq.db.models.sales import Event, JournalRecord, Sale, SaleFlag, SaleLine, StockMove
from hq.services import customer_events, loyalty
from hq.services.bulk_insert import insert_rows
from hq.services.enrolment import AuthenticatedDevice
from hq.services.event_guard import MAX_REASON_CHARS, sanitised, storable_payload
from hq.services.payments import AFTER, PAYMENT_TABLES
from hq.services.sale_checks import flag_row
from hq.services.sale_validation import CheckedSale
from hq.services.store_settings import StoreRules
from sync.protocol import OutboxEventIn
from sync.protocol_payments import GIFT_CARD_LINE_KIND

STOCK_NAMESPACE = uuid.UUID("2f0c7d4e-9b1a-4c55-8f3e-6a2d1b7c9e01")
# Parents first: the order rows are written in (events, journal, sales before their children).
TABLES = (Event, JournalRecord, Sale, SaleLine, StockMove, LoyaltyEntry, BookPending, SaleFlag,
          *PAYMENT_TABLES)


@dataclass(frozen=True)
class PushContext:
    device: AuthenticatedDevice
    rules: StoreRules
    received: datetime  # HQ's receive time (aware, UTC)
    now: str  # the same as fixed-width UTC text


def stock_move_id(event_id: str, line_id: str) -> str:
    return str(uuid.uuid5(STOCK_NAMESPACE, f"{event_id}/{line_id}"))


def event_row(ev: OutboxEventIn, device_id: str, status: str, reason: str | None, now: str,
              payload_json: str | None = None) -> dict:
    """The `events` row. An accepted event passed the text rule; a quarantined one may hold
    anything, so it is stored as a sanitised copy (envelope text, reason) and JSON text any
    database takes (hq/services/event_guard.py)."""
    if status == "accepted":
        return {"id": ev.id, "device_id": device_id, "position": ev.position,
                "topic": ev.topic, "payload": payload_json or storable_payload(ev.payload),
                "created_at": ev.created_at[:40], "received_at": now, "status": status,
                "reason": None}
    return {"id": ev.id, "device_id": device_id, "position": ev.position,
            "topic": sanitised(ev.topic, 64), "payload": storable_payload(ev.payload),
            "created_at": sanitised(ev.created_at, 40), "received_at": now,
            "status": status, "reason": sanitised(reason or "", MAX_REASON_CHARS)}


def new_rows() -> dict[Any, list]:
    """Rows per table, and under AFTER the updates to run once they are written
    (hq/services/payments.py)."""
    return {**{t: [] for t in TABLES}, AFTER: []}


def add_sale_rows(rows: dict[Any, list[dict]], ev: OutboxEventIn, ctx: PushContext,
                  checked: CheckedSale, flags: list[dict]) -> None:
    """Append the rows one accepted sale event writes: event, journal, sale, lines, stock,
    and its flags (hq/services/sale_checks.py)."""
    event, sale, device = checked.event, checked.sale, ctx.device
    rows[Event].append(event_row(ev, device.id, "accepted", None, ctx.now,
                                 checked.payload_json))
    rows[JournalRecord].append({
        "device_id": device.id, "seq": event.journal.seq, "prev_hash": event.journal.prev_hash,
        "hash": event.journal.hash, "sale_id": sale.id, "event_id": ev.id})
    rows[Sale].append({
        "id": sale.id, "device_id": device.id, "store_id": device.store_id, "seq": sale.seq,
        "receipt_no": sale.receipt_no, "total": sale.total, "currency": sale.currency,
        "created_at": checked.created_at, "customer_id": getattr(sale, "customer_id", None)})
    rows[SaleLine].extend({
        "id": ln.id, "sale_id": sale.id, "variant_id": ln.variant_id, "sku": ln.sku,
        "quantity": ln.quantity, "amount": ln.amount} for ln in sale.lines)
    rows[StockMove].extend({
        "id": stock_move_id(ev.id, ln.id), "store_id": device.store_id,
        "variant_id": ln.variant_id, "delta": -ln.quantity, "reason": "sale", "ref": sale.id,
        "at": ctx.now} for ln in sale.lines if ln.kind != GIFT_CARD_LINE_KIND)
    rows[SaleFlag].extend(flags)


def add_customer_rows(conn: Connection, rows: dict[Any, list[dict]], ctx: PushContext,
                      sales: Sequence[CheckedSale]) -> None:
    """Loyalty entries (earn, redeem) and book re-publication notes of the accepted sales
    that carry a customer: two look-ups for the whole batch (merged ids, known customers).
    An earn cut by the store's max_points_per_sale is recorded as an "earn_capped" flag.
    A customer HQ does not hold (her customer.upserted never arrived: not expected, events
    come in outbox order) earns nothing here; the sale itself is kept."""
    with_customer = [c for c in sales if getattr(c.sale, "customer_id", None)]
    if not with_customer:
        return
    device, cap = ctx.device, ctx.rules.settings.max_points_per_sale
    resolved = customer_events.resolve_ids(conn, [c.sale.customer_id for c in with_customer])
    for checked in with_customer:
        sale = checked.sale
        cid = resolved.get(sale.customer_id.lower())
        if cid is None:
            continue
        entries, uncapped = loyalty.sale_entries(sale, cid, device.store_id, device.id,
                                                 checked.created_at, cap)
        rows[LoyaltyEntry].extend(entries)
        rows[BookPending].append({"customer_id": cid})
        if uncapped is not None:
            rows[SaleFlag].append(flag_row(
                sale, device.id, device.store_id, "earn_capped",
                f"earned {cap:,} points, the store's most per sale (the sale would have "
                f"earned {uncapped:,})", ctx.now, cap=cap, uncapped=uncapped))


def write_rows(conn: Connection, rows: dict[Any, list[dict]]) -> None:
    """Every table's rows, parents first (COPY on PostgreSQL: hq/services/bulk_insert.py),
    then the updates queued under AFTER."""
    for table in TABLES:
        insert_rows(conn, table.__table__, rows[table])
    for update in rows[AFTER]:
        update(conn)
