"""Web orders at HQ: the life cycle, what a store's feed carries, the look-up by number.

Why: HQ is the source of truth for web orders (DESIGN.md §4). A store's devices hold the
orders to be picked up there (BOPIS) so that a handover works offline, and any device can look
an order up by number live (returns happen in any store).

Life cycle (`web_orders.status`):

    channel web, fulfilment delivery:  placed -> processing -> shipped -> delivered
    channel web, fulfilment pickup:    placed -> processing -> ready_for_pickup -> picked_up
    channel store, fulfilment in_store: completed (bought at a till; the purchase history)
    any order not yet completed may become "cancelled"; a completed one "returned" when every
    line has been returned (returned_quantity on the lines counts partial returns).

`payment_status`: "paid" (card/wallet online, or paid at the till), "pending" (cash on
delivery, or to be paid in store at pickup), "refunded", "partially_refunded".
`completed_at` is when the order reached delivered / picked_up / completed: loyalty points
are earned then (hq/services/loyalty.py).

The feed (entity "web_order", scope = the pickup store, key = order id) carries every pickup
order of that store while it is open (placed, processing, ready_for_pickup) and its later
status changes (picked_up, cancelled) as upserts; `unpublish_pickup` withdraws one (archived).
Data: the order's device columns and its lines nested as "lines" (sync/change_apply.py
documents the shape). Every write to a pickup order calls `publish_pickups` in its
transaction, through hq/services/catalog.py (change_log and feed_state together).

Runs on the caller's thread and transaction.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from hq.db.models.organisation import Store
from hq.db.models.web_orders import WebOrder, WebOrderLine
from hq.services import catalog
from hq.services.common import NotFound, ServiceError
from sync import protocol
from sync.protocol import mask_phone

OPEN_PICKUP = ("placed", "processing", "ready_for_pickup")
COMPLETED = ("delivered", "picked_up", "completed")
# The columns of a web order a device holds (pos_app/db/models.py WebOrderRow), in order.
FEED_ORDER_COLUMNS = ("id", "number", "status", "payment_status", "customer_id",
                      "contact_name", "contact_phone", "pickup_code", "currency", "subtotal",
                      "shipping_fee", "tax_total", "total", "created_at", "updated_at",
                      "ready_at", "picked_up_at", "picked_up_by", "picked_up_device_id")
FEED_LINE_COLUMNS = ("id", "line_no", "variant_id", "sku", "name", "variant_label",
                     "quantity", "unit_price", "amount")
_CHUNK = 500


def _lines_of(conn: Connection, order_ids: Sequence[str]) -> dict[str, list]:
    lines: dict[str, list] = defaultdict(list)
    for i in range(0, len(order_ids), _CHUNK):
        for ln in conn.execute(select(WebOrderLine).where(
                WebOrderLine.order_id.in_(order_ids[i:i + _CHUNK]))
                .order_by(WebOrderLine.order_id, WebOrderLine.line_no)):
            lines[ln.order_id].append(ln)
    return lines


def feed_rows(conn: Connection, order_ids: Iterable[str]) -> list[tuple[str | None, dict]]:
    """(pickup store id, feed data) of each order, lines nested, in the order given."""
    ids = list(dict.fromkeys(order_ids))
    orders = {}
    for i in range(0, len(ids), _CHUNK):
        orders.update({o.id: o for o in conn.execute(
            select(WebOrder).where(WebOrder.id.in_(ids[i:i + _CHUNK])))})
    lines = _lines_of(conn, ids)
    out = []
    for oid in ids:
        if oid not in orders:
            raise NotFound(f"unknown web order id {oid!r}")
        o = orders[oid]
        data = {c: getattr(o, c) for c in FEED_ORDER_COLUMNS}
        data["lines"] = [{c: getattr(ln, c) for c in FEED_LINE_COLUMNS} for ln in lines[oid]]
        out.append((o.fulfilment_store_id if o.fulfilment == "pickup" else None, data))
    return out


def publish_pickups(conn: Connection, order_ids: Iterable[str]) -> int:
    """(Re)publish pickup orders to their store's feed, one bulk append per store.
    Refuses an order that is not a pickup order (it belongs to no store's feed)."""
    by_store: dict[str, list[dict]] = defaultdict(list)
    for store_id, data in feed_rows(conn, order_ids):
        if store_id is None:
            raise ServiceError(f"web order {data['number']} is not picked up in a store")
        by_store[store_id].append(data)
    for store_id, rows in by_store.items():
        catalog.upsert_many(conn, "web_order", rows, store_id)
    return sum(len(r) for r in by_store.values())


def unpublish_pickup(conn: Connection, order_id: str) -> None:
    """Withdraw a pickup order from its store's devices (archived after its handover)."""
    store_id = conn.execute(select(WebOrder.fulfilment_store_id).where(
        WebOrder.id == order_id, WebOrder.fulfilment == "pickup")).scalar()
    if store_id is None:
        raise NotFound(f"unknown pickup order id {order_id!r}")
    catalog.delete(conn, "web_order", {"id": order_id}, store_id)


def open_pickup_ids(conn: Connection, store_id: str) -> list[str]:
    """The store's open pickup orders (what its devices must hold), oldest first."""
    return list(conn.execute(select(WebOrder.id).where(
        WebOrder.fulfilment_store_id == store_id, WebOrder.fulfilment == "pickup",
        WebOrder.status.in_(OPEN_PICKUP)).order_by(WebOrder.created_at)).scalars())


def normalise_number(number: str) -> str:
    """Order numbers are upper case ("VN-100234"); shoppers read them out any way."""
    return number.strip().upper()


def order_by_number(conn: Connection, number: str) -> protocol.WebOrder:
    """The order called `number`, whichever store or channel: 404 with the reason if none."""
    wanted = normalise_number(number)
    if not wanted:
        raise ServiceError("the order number must not be empty")
    fulfiller = aliased(Store)
    o = conn.execute(select(*WebOrder.__table__.c, fulfiller.code.label("store_code"))
                     .outerjoin(fulfiller, fulfiller.id == WebOrder.fulfilment_store_id)
                     .where(WebOrder.number == wanted)).first()
    if o is None:
        raise NotFound(f"web order {wanted!r} not found: no order at HQ has this number "
                       "(check it on the shopper's confirmation e-mail)")
    store_code = o.store_code
    lines = _lines_of(conn, [o.id])[o.id]
    return protocol.WebOrder(
        id=o.id, number=o.number, status=o.status, customer_id=o.customer_id,
        pickup_store_code=store_code if o.fulfilment == "pickup" else None,
        fulfilment_store_code=store_code, channel=o.channel, fulfilment=o.fulfilment,
        payment_status=o.payment_status, contact_name=o.contact_name,
        contact_phone_masked=mask_phone(o.contact_phone), currency=o.currency,
        tax_mode=o.tax_mode, subtotal=o.subtotal, shipping_fee=o.shipping_fee,
        tax_total=o.tax_total, total=o.total, created_at=o.created_at,
        updated_at=o.updated_at, completed_at=o.completed_at, ready_at=o.ready_at,
        picked_up_at=o.picked_up_at, picked_up_by=o.picked_up_by,
        picked_up_device_id=o.picked_up_device_id,
        lines=[protocol.WebOrderLine(
            id=ln.id, line_no=ln.line_no, variant_id=ln.variant_id, sku=ln.sku, name=ln.name,
            variant_label=ln.variant_label, quantity=ln.quantity, unit_price=ln.unit_price,
            discount=ln.discount, amount=ln.amount, tax=ln.tax,
            returned_quantity=ln.returned_quantity) for ln in lines])
