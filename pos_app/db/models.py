"""The device's local database: SQLAlchemy 2 typed models.

Why: the device database is the source of truth for what happened in the store (DESIGN.md §4)
and a cache of what HQ publishes (catalog, prices, associates, customers, the web orders to
pick up here, stock on hand). Every record made on the device has a UUID made on the device
(text, 36 chars). Money columns are integer minor units; the currency is the store's.
Timestamps are UTC ISO-8601 strings with a "Z" suffix (SQLite has no timezone-aware type;
strings sort correctly and survive every driver).

Alembic owns the schema (pos_app/db/migrations): change a model, add a revision.
"""
from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


# --- configuration --------------------------------------------------------------------------
class Setting(Base):
    """Device and store settings as key -> JSON text (device_id, store_id, locale, ...)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Store(Base):
    __tablename__ = "stores"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    locale: Mapped[str] = mapped_column(String(16))  # e.g. "vi_VN", "en_US"
    timezone: Mapped[str] = mapped_column(String(64))  # IANA, e.g. "Asia/Ho_Chi_Minh"
    tax_mode: Mapped[str] = mapped_column(String(16))  # "inclusive" | "exclusive"
    address: Mapped[str] = mapped_column(Text, default="")
    discount_threshold_bp: Mapped[int] = mapped_column(Integer, default=2000)  # above: manager
    barcode_rules: Mapped[str] = mapped_column(Text, default="[]")  # JSON VariableMeasureRule list


class TaxRate(Base):
    """A store's rate for a tax category ("VAT10", "VAT8", "SALES")."""

    __tablename__ = "tax_rates"
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    tax_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    rate_ppm: Mapped[int] = mapped_column(Integer)  # parts per million: 10 % = 100000
    label: Mapped[str] = mapped_column(String(64))


# --- catalog (published by HQ) ---------------------------------------------------------------
class Product(Base):
    """A style: "Áo sơ mi lụa" in several sizes and colours."""

    __tablename__ = "products"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    style_code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    brand: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[str] = mapped_column(String(100), default="")
    tax_code: Mapped[str] = mapped_column(String(16))
    active: Mapped[int] = mapped_column(Integer, default=1)


class Variant(Base):
    """The sellable unit (SKU). `pk` is the FTS rowid; `id` is HQ's stable id."""

    __tablename__ = "variants"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    product_pk: Mapped[int] = mapped_column(ForeignKey("products.pk"), index=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[str | None] = mapped_column(String(32))
    colour: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[int] = mapped_column(Integer, default=1)


class Barcode(Base):
    """Several barcodes may point at one variant (EAN-13, an old UPC, an internal label)."""

    __tablename__ = "barcodes"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    variant_pk: Mapped[int] = mapped_column(ForeignKey("variants.pk"), index=True)


class Price(Base):
    __tablename__ = "prices"
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    variant_pk: Mapped[int] = mapped_column(ForeignKey("variants.pk"), primary_key=True)
    amount_minor: Mapped[int] = mapped_column(Integer)


class PromotionRow(Base):
    """An automatic promotion from HQ (feed entity "promotion"): pos_app/promotions.py turns
    the best active one for a basket line into its discount. store_id NULL: every store."""

    __tablename__ = "promotions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store_id: Mapped[str | None] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # "percent_off" (bp) | "amount_off" (minor)
    value: Mapped[int] = mapped_column(Integer)
    target_kind: Mapped[str] = mapped_column(String(16))  # "product" | "category" | "sku"
    target: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[str] = mapped_column(String(32))
    ends_at: Mapped[str] = mapped_column(String(32))
    active: Mapped[int] = mapped_column(Integer, default=1)
    # a scan probes (target_kind, target) three times: product id, category, sku
    __table_args__ = (Index("ix_promotions_target", "target_kind", "target"),)


# --- people ------------------------------------------------------------------------------------
class AssociateRow(Base):
    __tablename__ = "associates"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (UniqueConstraint("store_id", "code"),)


class Customer(Base):
    """The store's clienteling book (filled by sync; issue 5 adds the profile)."""

    __tablename__ = "customers"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    email: Mapped[str | None] = mapped_column(String(200), index=True)
    loyalty_card: Mapped[str | None] = mapped_column(String(64), index=True)
    tier: Mapped[str | None] = mapped_column(String(32))
    # Set on this till (create/edit, pos_app/services/customer_book.py); JSON objects.
    sizes: Mapped[str | None] = mapped_column(Text)
    preferences: Mapped[str | None] = mapped_column(Text)
    home_store_id: Mapped[str | None] = mapped_column(String(36))


# --- what happened in the store ----------------------------------------------------------------
class Sale(Base):
    __tablename__ = "sales"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    seq: Mapped[int] = mapped_column(Integer)
    receipt_no: Mapped[str] = mapped_column(String(48), unique=True)
    associate_id: Mapped[str] = mapped_column(String(36))
    customer_id: Mapped[str | None] = mapped_column(String(36))
    currency: Mapped[str] = mapped_column(String(3))
    tax_mode: Mapped[str] = mapped_column(String(16))
    subtotal: Mapped[int] = mapped_column(Integer)
    discount_total: Mapped[int] = mapped_column(Integer)
    tax_total: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    basket_discount_reason: Mapped[str | None] = mapped_column(Text)
    basket_discount_approved_by: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[str] = mapped_column(String(32))  # UTC
    __table_args__ = (UniqueConstraint("device_id", "seq"),)


class SaleLine(Base):
    __tablename__ = "sale_lines"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    variant_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    variant_label: Mapped[str] = mapped_column(String(100), default="")
    quantity: Mapped[int] = mapped_column(Integer)
    list_price: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    price_override_by: Mapped[str | None] = mapped_column(String(36))
    line_discount: Mapped[int] = mapped_column(Integer)
    discount_reason: Mapped[str | None] = mapped_column(Text)
    discount_approved_by: Mapped[str | None] = mapped_column(String(36))
    basket_discount: Mapped[int] = mapped_column(Integer)
    tax_code: Mapped[str] = mapped_column(String(16))
    tax_rate_ppm: Mapped[int] = mapped_column(Integer)
    tax: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


class PaymentRow(Base):
    __tablename__ = "payments"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    tender: Mapped[str] = mapped_column(String(32))
    amount: Mapped[int] = mapped_column(Integer)
    tendered: Mapped[int] = mapped_column(Integer)
    change: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str | None] = mapped_column(String(128))
    masked_pan: Mapped[str | None] = mapped_column(String(32))
    auth_code: Mapped[str | None] = mapped_column(String(32))


class PaymentIntentRow(Base):
    """An external authorisation (card, VietQR, gift card, store credit), written before its
    request leaves the till, and what became of it: pending, approved, unknown, attached (to
    its committed sale), voided or failed (pos_app/payments/intents.py)."""

    __tablename__ = "payment_intents"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sale_id: Mapped[str] = mapped_column(String(36), index=True)
    tender: Mapped[str] = mapped_column(String(32))
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(16))
    result: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    basket: Mapped[str | None] = mapped_column(Text)
    associate_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (Index("ix_payment_intents_state", "state", "created_at"),)


class JournalEntry(Base):
    """Gapless, hash-chained record of every sale on this device (DESIGN.md §3)."""

    __tablename__ = "journal"
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    ref_id: Mapped[str] = mapped_column(String(36), unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON (the hash input)
    recorded_at: Mapped[str] = mapped_column(String(32))


class OutboxEvent(Base):
    """Events waiting to reach HQ, drained in `position` order by sync/ (issue 3)."""

    __tablename__ = "outbox"
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    topic: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sent|quarantined
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_outbox_status_position", "status", "position"),)


class PrintJobRow(Base):
    """A receipt to print (a sale's original, or a reprint: `copy`) and what became of it:
    pending (kept, retried; resumed at start-up), printed, skipped (no printer set up),
    discarded (by the cashier) or expired (too old to print at start-up). Written by the
    print queue (hardware/print_queue.py via pos_app.services.print_jobs)."""

    __tablename__ = "print_jobs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sale_id: Mapped[str] = mapped_column(String(36), index=True)
    copy: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    problem: Mapped[str | None] = mapped_column(String(32))
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (Index("ix_print_jobs_status_created", "status", "created_at"),)


class AuditEntry(Base):
    """Who did or approved a sensitive action: overrides, large discounts, no-sale, logins."""

    __tablename__ = "audit_log"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    at: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[str | None] = mapped_column(String(36))
    approved_by: Mapped[str | None] = mapped_column(String(36))
    ref_id: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[str] = mapped_column(Text, default="{}")


# --- omnichannel (published by HQ: sync/change_apply_orders.py) --------------------------------
class WebOrderRow(Base):
    """A web order to be picked up in this store (BOPIS), as HQ last published it.

    Held so that a handover works offline: the associate finds the order by number, name or
    pickup code and sees whether it is ready, paid, or already picked up (when, by whom, on
    which device). Money in minor units of `currency`; times UTC ISO "...Z". `customer_id`
    may name a shopper this device does not hold (a web customer of another store): no FK.
    """

    __tablename__ = "web_orders"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    payment_status: Mapped[str] = mapped_column(String(24))
    customer_id: Mapped[str | None] = mapped_column(String(36), index=True)
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    pickup_code: Mapped[str | None] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[int] = mapped_column(Integer)
    shipping_fee: Mapped[int] = mapped_column(Integer)
    tax_total: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    ready_at: Mapped[str | None] = mapped_column(String(32))
    picked_up_at: Mapped[str | None] = mapped_column(String(32))
    picked_up_by: Mapped[str | None] = mapped_column(String(36))
    picked_up_device_id: Mapped[str | None] = mapped_column(String(36))


class WebOrderLineRow(Base):
    """A line of a web order to pick up; `variant_id` is HQ's id (no FK: the order stays
    readable even if the variant left the catalog)."""

    __tablename__ = "web_order_lines"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("web_orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    variant_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    variant_label: Mapped[str] = mapped_column(String(100), default="")
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)


class StockLevelRow(Base):
    """This store's on hand of a variant as HQ computed it after the sales it has received.

    What the device shows is this figure minus its own sales HQ has not acknowledged yet (in
    the outbox); no row means HQ has no count for the variant (0). Keyed by HQ's variant id
    without an FK, so a figure that arrives before or outlives its variant is harmless.
    """

    __tablename__ = "stock_levels"
    store_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    on_hand: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[str] = mapped_column(String(32))


# --- clienteling (issue 5: docs/clienteling.md) ------------------------------------------------
class CustomerProfileRow(Base):
    """A cached 360° profile (feed entity "customer_profile": JSON of
    sync.protocol_customers.CustomerProfile), for the offline clienteling book.

    `last_seen_at`: the last profile open or sale with her on this till (or when the profile
    first arrived); profiles not seen for `clienteling_cache_days` are evicted: `data` becomes
    NULL and stays so while HQ keeps republishing her, until she is seen again.
    """

    __tablename__ = "customer_profiles"
    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    data: Mapped[str | None] = mapped_column(Text)
    as_of: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[str] = mapped_column(String(32))
    last_seen_at: Mapped[str] = mapped_column(String(32), index=True)


class CustomerNoteRow(Base):
    """An associate's note made on this till (also pushed: "customer.note_added")."""

    __tablename__ = "customer_notes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    text: Mapped[str] = mapped_column(Text)
    associate_id: Mapped[str] = mapped_column(String(36))
    store_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[str] = mapped_column(String(32))


class CustomerTaskRow(Base):
    """A follow-up task made or changed on this till ("customer.task_upserted")."""

    __tablename__ = "customer_tasks"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    text: Mapped[str] = mapped_column(Text)
    due_date: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(8))  # open | done
    assigned_to: Mapped[str | None] = mapped_column(String(36))
    associate_id: Mapped[str] = mapped_column(String(36))
    store_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (Index("ix_customer_tasks_status_due", "status", "due_date"),)


class CustomerConsentRow(Base):
    """A consent given or withdrawn on this till ("customer.consent_recorded")."""

    __tablename__ = "customer_consents"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # marketing | data_use
    granted: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    associate_id: Mapped[str | None] = mapped_column(String(36))
    store_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[str] = mapped_column(String(32))


class LoyaltyRedemptionRow(Base):
    """Points redeemed on this till (a LOYALTY payment; id = the payment id = HQ's ledger
    entry id). `booked` = 1 once an HQ profile lists the entry: until then the points are
    deducted from the balance the till shows (pos_app/services/loyalty_ledger.py)."""

    __tablename__ = "loyalty_redemptions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sale_id: Mapped[str] = mapped_column(String(36))
    customer_id: Mapped[str] = mapped_column(String(36))
    points: Mapped[int] = mapped_column(Integer)
    offline: Mapped[int] = mapped_column(Integer)
    store_day: Mapped[str] = mapped_column(String(10))  # YYYY-MM-DD in the store's time zone
    at: Mapped[str] = mapped_column(String(32))
    booked: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (Index("ix_loyalty_redemptions_customer", "customer_id", "booked"),)
