"""HQ's tables for the catalog and stock: products, variants, barcodes, prices, promotions,
opening balances, the published stock levels and their pending queue, and what sells with what.

Why: HQ is the source of truth for catalog and prices (DESIGN.md §4), published to devices
through the change feed. Stock is a ledger of deltas, never a total: the ledger itself
(stock_ledger) is in hq.db.models.sales, written with the sales it comes from; the tables here
are the opening balances and what is derived from the ledger.
Area module of hq.db.models; shared types come from hq.db.models.base.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hq.db.models.base import Base, BigIntPK


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


class StockOpening(Base):
    """A store's opening balance of a variant (stock count at go-live, the demo's shelves).
    On hand = quantity + the sum of the store's stock_ledger deltas for the variant."""

    __tablename__ = "stock_openings"
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)
    at: Mapped[str] = mapped_column(String(32))


# Written by hq/services/orders.py, stock.py and loyalty.py (and the demo seed). Status words
# and their order are documented in hq/services/orders.py.
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
