"""HQ's tables for customers and clienteling: the customer, what they are found by, their
profile, online cart, wishlist and loyalty ledger, merges, field-level edits, notes, tasks, the
consent log, and the queue of clienteling-book entries to publish again.

Why: HQ is the source of truth for customers (DESIGN.md §4; docs/clienteling.md).
Area module of hq.db.models; shared types come from hq.db.models.base.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hq.db.models.base import Base, BigIntPK, SearchTerm


class Customer(Base):
    """A shopper; `home_store_id` puts them in that store's clienteling book (NULL: all)."""

    __tablename__ = "customers"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    home_store_id: Mapped[str | None] = mapped_column(ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(200))
    loyalty_card: Mapped[str | None] = mapped_column(String(64))
    tier: Mapped[str | None] = mapped_column(String(32))


class CustomerSearchTerm(Base):
    """What a customer is found by, one row per key, prefix-searchable through the primary key.

    `term` = kind + ":" + folded key: "n:" each word-suffix of the folded name ("n:nguyen thi
    mai", "n:thi mai", "n:mai"), "p:" each phone digit form, "e:" the lower-cased e-mail, "c:"
    the loyalty card. Written by `hq.services.lookups.index_customers` in the transaction that
    writes the customer (every customer writer calls it).
    """

    __tablename__ = "customer_search_terms"
    term: Mapped[str] = mapped_column(SearchTerm, primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    __table_args__ = (Index("ix_customer_search_terms_customer", "customer_id"),)


# Written by hq/services/orders.py, stock.py and loyalty.py (and the demo seed). Status words
# and their order are documented in hq/services/orders.py.
class CustomerProfile(Base):
    """What clienteling knows beyond contact details: sizes and preferences (JSON text, e.g.
    {"apparel": "M", "shoes": "40"} and {"categories": [...], "colours": [...], "brands":
    [...]}), and the two consents with when, through which channel ("web", "store", "app")
    and by whom (an associate id, or "customer" when the shopper did it themselves)."""

    __tablename__ = "customer_profiles"
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    sizes: Mapped[str] = mapped_column(Text, default="{}")
    preferences: Mapped[str] = mapped_column(Text, default="{}")
    customer_since: Mapped[str] = mapped_column(String(32))
    marketing_opt_in: Mapped[int] = mapped_column(Integer, default=0)
    marketing_consent_at: Mapped[str | None] = mapped_column(String(32))
    marketing_consent_channel: Mapped[str | None] = mapped_column(String(16))
    marketing_consent_by: Mapped[str | None] = mapped_column(String(36))
    data_use_consent: Mapped[int] = mapped_column(Integer, default=0)
    data_use_consent_at: Mapped[str | None] = mapped_column(String(32))
    data_use_consent_channel: Mapped[str | None] = mapped_column(String(16))
    data_use_consent_by: Mapped[str | None] = mapped_column(String(36))
    updated_at: Mapped[str] = mapped_column(String(32))


class CartLine(Base):
    """The shopper's online cart, one line per variant, with the price the webshop showed."""

    __tablename__ = "cart_lines"
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    added_at: Mapped[str] = mapped_column(String(32))


class WishlistItem(Base):
    __tablename__ = "wishlist_items"
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[str] = mapped_column(String(32))


class LoyaltyEntry(Base):
    """One change of a customer's points: a ledger, never a balance (DESIGN.md §4).

    `id` is the idempotency key: made by the device that earned or redeemed the points (or
    a UUIDv5 for HQ's own entries), so a retried request never counts twice. Balance = sum of
    `delta`; the tier follows from the "earn" entries (hq/services/loyalty.py)."""

    __tablename__ = "loyalty_ledger"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))  # earn|redeem|welcome|adjust|expire
    ref: Mapped[str | None] = mapped_column(String(64))  # order number, voucher, sale id
    at: Mapped[str] = mapped_column(String(32))
    store_id: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str | None] = mapped_column(String(36))
    __table_args__ = (Index("ix_loyalty_ledger_customer_at", "customer_id", "at"),)


class CustomerMerge(Base):
    """A till-made customer folded into an existing one by the merge rule: `from_id` is never
    a customer row; readers resolve it to `into_id` (sales keep the id they were made with)."""

    __tablename__ = "customer_merges"
    from_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    into_id: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str | None] = mapped_column(String(36))


class CustomerFieldEdit(Base):
    """When each editable field of a customer was last written (by a till's `edited_at`, or
    HQ's own clock for HQ's edits): field-level last-writer-wins compares against this."""

    __tablename__ = "customer_field_edits"
    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(32), primary_key=True)
    edited_at: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(64))  # "device:<id>" | "hq"


class CustomerNote(Base):
    """An associate's note on a customer; `id` device-made (idempotent forever)."""

    __tablename__ = "customer_notes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36))
    text: Mapped[str] = mapped_column(Text)
    associate_id: Mapped[str] = mapped_column(String(36))
    store_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[str] = mapped_column(String(40))
    __table_args__ = (Index("ix_customer_notes_customer_at", "customer_id", "at"),)


class CustomerTask(Base):
    """A follow-up task; upserted by `id`, the latest `at` wins."""

    __tablename__ = "customer_tasks"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    text: Mapped[str] = mapped_column(Text)
    due_date: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(8))  # open | done
    assigned_to: Mapped[str | None] = mapped_column(String(36))
    associate_id: Mapped[str] = mapped_column(String(36))  # who last wrote it
    created_by: Mapped[str] = mapped_column(String(36))
    store_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[str] = mapped_column(String(40))
    __table_args__ = (Index("ix_customer_tasks_store_status", "store_id", "status",
                            "due_date"),)


class ConsentRecord(Base):
    """The consent log, append-only: the current state of a kind is its latest `at`."""

    __tablename__ = "consent_log"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))  # marketing | data_use
    granted: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    associate_id: Mapped[str | None] = mapped_column(String(36))
    store_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[str] = mapped_column(String(40))
    __table_args__ = (Index("ix_consent_log_customer_kind_at", "customer_id", "kind", "at"),)


class BookPending(Base):
    """A customer whose clienteling-book entries (feed entity customer_profile) must be
    published again: written cheaply by the ingest (no shared row, no conflict), claimed once
    by the book publisher (hq/services/book.py), exactly like stock_pending."""

    __tablename__ = "book_pending"
    seq: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(36))
