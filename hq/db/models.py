"""HQ's own database: SQLAlchemy 2 typed models, portable to SQLite and PostgreSQL.

Why: HQ is the source of truth for catalog, prices, associates and customers (DESIGN.md §4)
and the permanent record of every store transaction. Ids made on devices are UUID text;
money is integer minor units; times are UTC ISO-8601 strings with a "Z" (fixed width, so they
sort and compare as text on both databases). JSON is stored as text for portability.

Every catalog/associate/customer write appends a `change_log` row in the same transaction:
the change feed devices pull from (`seq` is the server cursor). Stock is a ledger of deltas,
never a total. `events.id` is the device's event UUID: the permanent idempotency key.

Alembic owns the schema (hq/db/migrations): change a model, add a revision.
Pure definitions: safe on any thread.
"""
from __future__ import annotations

from sqlalchemy import (BigInteger, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigIntPK = BigInteger().with_variant(Integer, "sqlite")


class Base(DeclarativeBase):
    pass


# --- organisation and catalog (published to devices through change_log) ---------------------
class Store(Base):
    __tablename__ = "stores"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    locale: Mapped[str] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64))
    tax_mode: Mapped[str] = mapped_column(String(16))  # "inclusive" | "exclusive"
    address: Mapped[str] = mapped_column(Text, default="")
    discount_threshold_bp: Mapped[int] = mapped_column(Integer, default=2000)
    barcode_rules: Mapped[str] = mapped_column(Text, default="[]")  # JSON text


class TaxRate(Base):
    __tablename__ = "tax_rates"
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    tax_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    rate_ppm: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(64))


class Product(Base):
    """A style. `store_id` NULL: sold in every store; else that store's own assortment."""

    __tablename__ = "products"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store_id: Mapped[str | None] = mapped_column(ForeignKey("stores.id"), index=True)
    style_code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    brand: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[str] = mapped_column(String(100), default="")
    tax_code: Mapped[str] = mapped_column(String(16))
    active: Mapped[int] = mapped_column(Integer, default=1)


class Variant(Base):
    __tablename__ = "variants"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64), index=True)  # unique per assortment only
    size: Mapped[str | None] = mapped_column(String(32))
    colour: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[int] = mapped_column(Integer, default=1)


class Barcode(Base):
    """A code is unique within a store's assortment, not across stores (e.g. "PLU-00001")."""

    __tablename__ = "barcodes"
    variant_id: Mapped[str] = mapped_column(ForeignKey("variants.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    __table_args__ = (Index("ix_barcodes_code", "code"),)


class Price(Base):
    __tablename__ = "prices"
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    variant_id: Mapped[str] = mapped_column(ForeignKey("variants.id"), primary_key=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)


class Associate(Base):
    __tablename__ = "associates"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(Text)  # argon2 string, never the PIN
    active: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (UniqueConstraint("store_id", "code"),)


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


class ChangeLog(Base):
    """The change feed: one row per published write; `store_id` NULL means every store."""

    __tablename__ = "change_log"
    seq: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    store_id: Mapped[str | None] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(32))
    op: Mapped[str] = mapped_column(String(8))  # "upsert" | "delete"
    key: Mapped[str] = mapped_column(String(128))
    data: Mapped[str | None] = mapped_column(Text)  # JSON text of the device row's columns
    at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (Index("ix_change_log_store_seq", "store_id", "seq"),)


# --- devices -----------------------------------------------------------------------------------
class Device(Base):
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    device_code: Mapped[str] = mapped_column(String(8))
    secret_sha256: Mapped[str] = mapped_column(String(64))  # never the secret itself
    enrolled_at: Mapped[str] = mapped_column(String(32))
    revoked_at: Mapped[str | None] = mapped_column(String(32))
    last_seen_at: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (UniqueConstraint("store_id", "device_code"),)


class EnrolmentCode(Base):
    __tablename__ = "enrolment_codes"
    code_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    created_at: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[str] = mapped_column(String(32))
    used_at: Mapped[str | None] = mapped_column(String(32))
    device_id: Mapped[str | None] = mapped_column(String(36))


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
    __table_args__ = (Index("ix_events_status", "status"),)


class JournalRecord(Base):
    __tablename__ = "journal"
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    sale_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_id: Mapped[str] = mapped_column(String(36))


class Sale(Base):
    __tablename__ = "sales"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), index=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    receipt_no: Mapped[str] = mapped_column(String(48))
    total: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[str] = mapped_column(String(40))


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


# --- live look-ups (hq/services/lookups.py) ----------------------------------------------------
# Byte-order text on PostgreSQL: a prefix is a contiguous range of the btree (term >= 'x' AND
# term < 'y'), whatever the database's locale; SQLite's BINARY collation already sorts so.
SearchTerm = String(210).with_variant(String(210, collation="C"), "postgresql")


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


class StockOpening(Base):
    """A store's opening balance of a variant (stock count at go-live, the demo's shelves).
    On hand = quantity + the sum of the store's stock_ledger deltas for the variant."""

    __tablename__ = "stock_openings"
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)
    at: Mapped[str] = mapped_column(String(32))


class AuditLog(Base):
    """Who looked at what at HQ (e.g. a customer's profile opened on a device). Append-only."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(32))
    device_id: Mapped[str | None] = mapped_column(String(36))
    store_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(64))  # e.g. "customer.profile_viewed"
    subject: Mapped[str] = mapped_column(String(128))  # e.g. the customer id
    detail: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_audit_log_subject", "subject"),)
