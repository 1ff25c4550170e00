"""HQ's tables for what devices sent and what HQ noticed about it: the events kept forever,
the journal, sales and their lines, the stock ledger, sale flags and cross-store writes.

Why: HQ is the permanent record of every store transaction. `events.id` is the device's event
UUID: the permanent idempotency key. Written by the ingest (hq/services/ingest.py,
ingest_rows.py) and read by the review (hq/services/review.py).
Area module of hq.db.models; shared types come from hq.db.models.base.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from hq.db.models.base import Base, BigIntPK


# --- what devices sent -------------------------------------------------------------------------
class Event(Base):
    """Every event a device pushed, kept forever: `id` is the idempotency key."""

    __tablename__ = "events"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), index=True)
    position: Mapped[int] = mapped_column(BigInteger)
    topic: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # JSON text as received
    created_at: Mapped[str] = mapped_column(String(40))  # device clock: informative only
    received_at: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))  # "accepted" | "quarantined"
    reason: Mapped[str | None] = mapped_column(Text)
    # Only quarantined events are ever looked up by status: a partial index costs accepted
    # inserts nothing (ingest is budgeted at >= 5,000 sales/s).
    __table_args__ = (Index("ix_events_quarantined", "device_id",
                            postgresql_where=text("status = 'quarantined'"),
                            sqlite_where=text("status = 'quarantined'")),)


class JournalRecord(Base):
    __tablename__ = "journal"
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    sale_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_id: Mapped[str] = mapped_column(String(36))


class Sale(Base):
    """A sale HQ accepted. `created_at` is the device's time parsed and normalised to UTC
    (clamped to HQ's receive time when the device clock ran ahead: hq/services/device_time.py).
    A receipt number is unique per device (`ux_sales_device_receipt`, which also serves every
    look-up by device)."""

    __tablename__ = "sales"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    receipt_no: Mapped[str] = mapped_column(String(48))
    total: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[str] = mapped_column(String(40))
    # The customer the sale was attached to (as the till knew her: a merged id is resolved
    # through customer_merges when history is read). Partial index: most sales have none,
    # and those cost the ingest fast path nothing.
    customer_id: Mapped[str | None] = mapped_column(String(36))
    __table_args__ = (Index("ix_sales_customer", "customer_id", "created_at",
                            postgresql_where=text("customer_id IS NOT NULL"),
                            sqlite_where=text("customer_id IS NOT NULL")),
                      Index("ux_sales_device_receipt", "device_id", "receipt_no", unique=True))


class SaleLine(Base):
    __tablename__ = "sale_lines"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    variant_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(BigInteger)


class StockMove(Base):
    """One stock delta. `id` = uuid5(event id, line id): a retried ingest cannot double it."""

    __tablename__ = "stock_ledger"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    variant_id: Mapped[str] = mapped_column(String(36))
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(36))
    at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (Index("ix_stock_ledger_store_variant", "store_id", "variant_id"),)


# --- what HQ noticed about what devices sent (issue 18; hq/services/review.py lists them) -----
class SaleFlag(Base):
    """Something about an accepted sale the manager should look at: a line priced far from the
    catalog without a recorded approval, a line without a catalog price, an earn capped by the
    store's `max_points_per_sale`, a device clock ahead of HQ's. The sale is kept (the money
    was taken); the flag says why it deserves a look. Written with the sale, in its savepoint
    (hq/services/sale_checks.py). `kind` is a short word, `reason` the sentence shown,
    `detail` JSON text of the figures."""

    __tablename__ = "sale_flags"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    sale_id: Mapped[str] = mapped_column(String(36), index=True)
    store_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))
    line_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(32))  # price | no_catalog_price | earn_capped | ...
    reason: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)  # JSON text
    at: Mapped[str] = mapped_column(String(32))  # when HQ flagged it (its receive time)
    __table_args__ = (Index("ix_sale_flags_store_id", "store_id", "id"),)


class CrossStoreWrite(Base):
    """The audit of a device writing another store's customer data (a note, a consent, an
    edit, a task, a merge: docs/clienteling.md "Which store may write what"). `owner_store_id`
    is the store the data belongs to: the customer's home store, or, for a task, the store
    whose task list holds it. Append-only, written in the event's savepoint
    (hq/services/customer_scope.py)."""

    __tablename__ = "cross_store_writes"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(32))  # HQ's receive time
    event_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))
    store_id: Mapped[str] = mapped_column(String(36))  # the writing device's store
    owner_store_id: Mapped[str] = mapped_column(String(36))  # whose data: see docstring
    customer_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(64))  # e.g. "customer.note_added"
    detail: Mapped[str] = mapped_column(Text)  # JSON text: fields edited, consent kind, ...
    __table_args__ = (Index("ix_cross_store_writes_store", "store_id", "id"),
                      Index("ix_cross_store_writes_owner", "owner_store_id", "id"))
