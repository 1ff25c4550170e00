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
                        UniqueConstraint, text)
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
    # sync.protocol_store_settings.StoreSettings as JSON text; "{}": every default. HQ-only
    # (hq/services/store_settings.py reads it); a server default, so writers that predate it
    # (and the demo seed) need not name it.
    settings: Mapped[str] = mapped_column(Text, server_default=text("'{}'"))


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


class Promotion(Base):
    """An automatic price promotion the tills apply as a line discount (hq/services/
    promotions.py). store_id NULL: every store. kind "percent_off" (value in basis points) or
    "amount_off" (minor units per unit); target_kind "product" | "category" | "sku" names what
    `target` holds. starts_at/ends_at are fixed-width UTC ISO text, so they compare as text."""

    __tablename__ = "promotions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store_id: Mapped[str | None] = mapped_column(ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[int] = mapped_column(BigInteger)
    target_kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[str] = mapped_column(String(32))
    ends_at: Mapped[str] = mapped_column(String(32))
    active: Mapped[int] = mapped_column(Integer, default=1)


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


class FeedState(Base):
    """The change feed compacted to its current state: the latest upsert of each key per scope.

    Written by the same functions that append to change_log (hq/services/catalog.py), in the
    same transaction; a deleted key has no row. A new device downloads this (GET /v1/snapshot)
    instead of replaying the whole feed. `scope` is the change's store id, or "" for every
    store (a primary key column cannot be NULL). `seq` is the change_log row it came from.
    """

    __tablename__ = "feed_state"
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    scope: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[str] = mapped_column(Text)  # JSON text, exactly change_log.data
    __table_args__ = (Index("ix_feed_state_scope_entity_seq", "scope", "entity", "seq"),)


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
    # The device-made id of the enrolment request that spent the code: the same request
    # retried (its answer was lost) gets the device again, with a fresh secret.
    request_id: Mapped[str | None] = mapped_column(String(36))


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


# --- omnichannel: web orders, BOPIS, online carts, wishlists, loyalty, stock on hand ---------
# Written by hq/services/orders.py, stock.py and loyalty.py (and the demo seed). Status words
# and their order are documented in hq/services/orders.py.
class WebOrder(Base):
    """An order of the shopper's, wherever it was placed and however it is fulfilled.

    `channel` "web" (the webshop) or "store" (bought at a till before the store ran Storeline:
    the purchase history clienteling shows). `fulfilment` "delivery", "pickup" (BOPIS at
    `fulfilment_store_id`) or "in_store". Totals are integer minor units of `currency`:
    subtotal = sum of the lines' amounts; total = subtotal + shipping_fee, plus tax_total when
    `tax_mode` is "exclusive" (tax added at checkout, US) and not when "inclusive" (VAT in the
    price, VN). `customer_id` NULL: a guest checkout (contact_* still say who collects).
    Pickup tracking lives on the order: ready_at, pickup_code (what the shopper shows),
    picked_up_at/by (associate)/device, and `pickup_event_id`: the device-made UUID of the
    event that recorded the handover, so a retry of that event is a no-op while a second,
    different handover of the same order is caught (DESIGN.md §4).
    """

    __tablename__ = "web_orders"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    channel: Mapped[str] = mapped_column(String(8))
    fulfilment: Mapped[str] = mapped_column(String(16))
    fulfilment_store_id: Mapped[str | None] = mapped_column(ForeignKey("stores.id"))
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"))
    status: Mapped[str] = mapped_column(String(24))
    payment_status: Mapped[str] = mapped_column(String(24))
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    ship_address: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3))
    tax_mode: Mapped[str] = mapped_column(String(16))
    subtotal: Mapped[int] = mapped_column(BigInteger)
    shipping_fee: Mapped[int] = mapped_column(BigInteger)
    tax_total: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    pickup_code: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    completed_at: Mapped[str | None] = mapped_column(String(32))  # delivered/picked up/bought
    ready_at: Mapped[str | None] = mapped_column(String(32))
    picked_up_at: Mapped[str | None] = mapped_column(String(32))
    picked_up_by: Mapped[str | None] = mapped_column(String(36))
    picked_up_device_id: Mapped[str | None] = mapped_column(String(36))
    pickup_event_id: Mapped[str | None] = mapped_column(String(36))
    __table_args__ = (Index("ix_web_orders_customer_created", "customer_id", "created_at"),
                      Index("ix_web_orders_store_status", "fulfilment_store_id", "status"))


class WebOrderLine(Base):
    """One line of a web order. `amount` = quantity * unit_price - discount; `tax` is the
    line's share of the order's tax (included in amount when the order is tax-inclusive).
    `returned_quantity` grows as items are returned in a store, never past `quantity`."""

    __tablename__ = "web_order_lines"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("web_orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    variant_id: Mapped[str] = mapped_column(String(36), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    variant_label: Mapped[str] = mapped_column(String(100), default="")
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    discount: Mapped[int] = mapped_column(BigInteger, default=0)
    amount: Mapped[int] = mapped_column(BigInteger)
    tax_code: Mapped[str] = mapped_column(String(16))
    tax: Mapped[int] = mapped_column(BigInteger, default=0)
    returned_quantity: Mapped[int] = mapped_column(Integer, default=0)


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


class StockLevel(Base):
    """A store's on hand of a variant as last published on its feed (entity "stock").

    Derived, never edited: opening balance + the sum of the store's stock_ledger deltas, as
    computed by hq/services/stock.py when it last published the variant; kept so that only
    figures that changed are published again.
    """

    __tablename__ = "stock_levels"
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    on_hand: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[str] = mapped_column(String(32))


class StockPending(Base):
    """A variant whose stock moved (a sale ingested) and whose new on hand is still to be
    published: written by the push transaction (one cheap insert per batch, no shared row
    touched, so concurrent pushes never wait for each other), claimed and deleted by the
    stock publisher (hq/services/stock.py), each exactly once. `delta`: what the ledger rows
    written with the note moved the variant by. Several rows for one variant are fine."""

    __tablename__ = "stock_pending"
    seq: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    store_id: Mapped[str] = mapped_column(String(36))
    variant_id: Mapped[str] = mapped_column(String(36))
    delta: Mapped[int] = mapped_column(Integer)


# --- clienteling (issue 5, docs/clienteling.md; hq/services/customer_events.py, profile.py) ---
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


class CoPurchase(Base):
    """Bought together: how many orders/sales hold both products (styles; support >= 2 kept
    only). Derived from web_order_lines + sale_lines by hq/services/recommendations.py."""

    __tablename__ = "co_purchases"
    product_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    other_product_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    support: Mapped[int] = mapped_column(Integer)


class VariantPopularity(Base):
    """Units sold per variant (web + stores): the top sellers history-based suggestions use."""

    __tablename__ = "variant_popularity"
    variant_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    units: Mapped[int] = mapped_column(BigInteger)
    computed_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (Index("ix_variant_popularity_units", "units"),)


class BookPending(Base):
    """A customer whose clienteling-book entries (feed entity customer_profile) must be
    published again: written cheaply by the ingest (no shared row, no conflict), claimed once
    by the book publisher (hq/services/book.py), exactly like stock_pending."""

    __tablename__ = "book_pending"
    seq: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(36))


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
