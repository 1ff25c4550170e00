"""HQ's tables for orders placed outside the tills: web orders (delivery, BOPIS) and their lines.

Why: the shopper's orders wherever placed, the purchase history clienteling shows, and the
pickups stores hand over (hq/services/orders.py documents the status words).
Area module of hq.db.models; shared types come from hq.db.models.base.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hq.db.models.base import Base


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
