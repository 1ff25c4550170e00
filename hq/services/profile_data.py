"""Everything a 360 profile shows, read for many customers at once (hq/services/profile.py
assembles it).

Why: the clienteling book publishes hundreds of profiles per round (hq/services/book.py); one
query per section per customer made that ~75 ms a profile on SQLite. Here each section is one
query for a whole batch (`IN (...)` of up to customer_feed.CHUNK ids; per-customer page limits
with ROW_NUMBER() OVER (PARTITION BY ...), which SQLite >= 3.25 and PostgreSQL both have),
and the live profile (`GET /v1/customers/{id}/profile`) reads through the very same code with
a batch of one, so the book and the live screen can never differ in content.

Section limits: MAX_ORDERS newest web orders and store sales each (of her id and every id
merged into hers), MAX_ENTRIES ledger entries, MAX_NOTES notes, MAX_TASKS tasks (open first),
MAX_BASKET cart and wishlist items. Prices and stock are looked up per (store, variant) for the
stores asked for, so one read serves the profile as every store of her book sees it.

Plain functions on a Connection: the caller's thread and transaction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from sqlalchemy import Connection, case, func, select

from hq.db.models.catalog import Price, Product, StockLevel, Variant
from hq.db.models.customers import (CartLine, Customer, CustomerMerge, CustomerNote,
                                    CustomerProfile as ProfileRow, CustomerTask, LoyaltyEntry,
                                    WishlistItem)
from hq.db.models.organisation import Associate, Store
from hq.db.models.sales import Sale, SaleLine
from hq.db.models.web_orders import WebOrder, WebOrderLine
from hq.services.customer_feed import chunks
from hq.services.loyalty import EARN, Points
from hq.services.orders import COMPLETED

MAX_ORDERS = 50
MAX_ENTRIES = 50
MAX_NOTES = 50
MAX_TASKS = 50
MAX_BASKET = 100


@dataclass
class CustomerRows:
    """One customer's rows, as read (no per-store values)."""

    customer: object  # id, name, phone, email, loyalty_card, tier, home_store_id, store_code
    profile: object | None = None
    ids: list[str] = field(default_factory=list)  # hers + merged into hers
    web: list = field(default_factory=list)
    sales: list = field(default_factory=list)
    points: Points = Points(0, 0, 0)
    entries: list = field(default_factory=list)
    value: dict[str, int] = field(default_factory=dict)  # currency -> completed total
    cart: list = field(default_factory=list)
    wishlist: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    tasks: list = field(default_factory=list)


@dataclass
class Prefetched:
    stores: dict[str, object]  # store id -> (id, code, currency, tax_mode)
    customers: dict[str, CustomerRows]
    web_lines: dict[str, list]  # order id -> lines by line_no
    sale_lines: dict[str, list]  # sale id -> lines (with product name, colour, size)
    names: dict[str, str]  # associate id -> name
    prices: dict[tuple[str, str], int]  # (store, variant) -> amount_minor
    on_hand: dict[tuple[str, str], int]  # (store, variant) -> on hand


def _ranked(stmt, partition, order_by, limit: int):
    """`stmt`'s rows, at most `limit` per `partition` value in `order_by` order."""
    sub = stmt.add_columns(func.row_number().over(partition_by=partition, order_by=order_by)
                           .label("rn")).subquery()
    return select(*(c for c in sub.c if c.name != "rn")).where(sub.c.rn <= limit)


def _all(conn: Connection, make, ids: Iterable[str]) -> list:
    """Rows of `make(chunk)` over `ids` in chunks."""
    out: list = []
    for chunk in chunks(ids):
        out += conn.execute(make(chunk)).all()
    return out


def stores(conn: Connection) -> dict[str, object]:
    return {s.id: s for s in conn.execute(select(Store.id, Store.code, Store.currency,
                                                 Store.tax_mode))}


def fetch(conn: Connection, customer_ids: Iterable[str], store_ids: Iterable[str]
          ) -> Prefetched:
    """Read the profiles of `customer_ids` (resolved ids HQ holds; others are skipped), with
    prices and stock of `store_ids`."""
    ids = list(dict.fromkeys(customer_ids))
    by_id = {r.id: CustomerRows(customer=r) for r in _all(conn, lambda c: (
        select(Customer.id, Customer.name, Customer.phone, Customer.email,
               Customer.loyalty_card, Customer.tier, Customer.home_store_id,
               Store.code.label("store_code"))
        .outerjoin(Store, Store.id == Customer.home_store_id).where(Customer.id.in_(c))), ids)}
    ids = list(by_id)
    for r in _all(conn, lambda c: select(ProfileRow).where(ProfileRow.customer_id.in_(c)),
                  ids):
        by_id[r.customer_id].profile = r
    owner = {cid: cid for cid in ids}  # any id her orders may carry -> her
    for f, into in _all(conn, lambda c: select(CustomerMerge.from_id, CustomerMerge.into_id)
                        .where(CustomerMerge.into_id.in_(c)), ids):
        owner[f] = into
    for any_id, cid in owner.items():
        by_id[cid].ids.append(any_id)
    _orders(conn, by_id, owner)
    _loyalty(conn, by_id)
    _value(conn, by_id, owner)
    _people(conn, by_id)
    web_lines: dict[str, list] = {}
    for ln in _all(conn, lambda c: select(WebOrderLine).where(WebOrderLine.order_id.in_(c))
                   .order_by(WebOrderLine.order_id, WebOrderLine.line_no),
                   [o.id for c in by_id.values() for o in c.web]):
        web_lines.setdefault(ln.order_id, []).append(ln)
    sale_lines: dict[str, list] = {}
    for ln in _all(conn, lambda c: (
            select(SaleLine.id, SaleLine.sale_id, SaleLine.variant_id, SaleLine.sku,
                   SaleLine.quantity, SaleLine.amount, Product.name, Variant.colour,
                   Variant.size)
            .outerjoin(Variant, Variant.id == SaleLine.variant_id)
            .outerjoin(Product, Product.id == Variant.product_id)
            .where(SaleLine.sale_id.in_(c)).order_by(SaleLine.sale_id, SaleLine.id)),
            [s.id for c in by_id.values() for s in c.sales]):
        sale_lines.setdefault(ln.sale_id, []).append(ln)
    names = _names(conn, by_id)
    variants = {i.variant_id for c in by_id.values() for i in c.cart + c.wishlist}
    prices, on_hand = per_store_prices(conn, store_ids, variants)
    return Prefetched(stores(conn), by_id, web_lines, sale_lines, names, prices, on_hand)


def _orders(conn: Connection, by_id: dict[str, CustomerRows], owner: dict[str, str]) -> None:
    for o in _all(conn, lambda c: _ranked(
            select(WebOrder).where(WebOrder.customer_id.in_(c)), WebOrder.customer_id,
            WebOrder.created_at.desc(), MAX_ORDERS), owner):
        by_id[owner[o.customer_id]].web.append(o)
    for s in _all(conn, lambda c: _ranked(
            select(Sale).where(Sale.customer_id.in_(c)), Sale.customer_id,
            Sale.created_at.desc(), MAX_ORDERS), owner):
        by_id[owner[s.customer_id]].sales.append(s)
    for c in by_id.values():  # several merged ids: still her newest MAX_ORDERS of each
        c.web = sorted(c.web, key=lambda o: o.created_at, reverse=True)[:MAX_ORDERS]
        c.sales = sorted(c.sales, key=lambda o: o.created_at, reverse=True)[:MAX_ORDERS]


def _loyalty(conn: Connection, by_id: dict[str, CustomerRows]) -> None:
    for cid, balance, qualifying, n in _all(conn, lambda c: select(
            LoyaltyEntry.customer_id, func.coalesce(func.sum(LoyaltyEntry.delta), 0),
            func.coalesce(func.sum(case((LoyaltyEntry.reason == EARN, LoyaltyEntry.delta),
                                        else_=0)), 0), func.count())
            .where(LoyaltyEntry.customer_id.in_(c)).group_by(LoyaltyEntry.customer_id),
            by_id):
        by_id[cid].points = Points(balance=int(balance), qualifying=int(qualifying),
                                   entries=int(n))
    for e in _all(conn, lambda c: _ranked(
            select(LoyaltyEntry).where(LoyaltyEntry.customer_id.in_(c)),
            LoyaltyEntry.customer_id, (LoyaltyEntry.at.desc(), LoyaltyEntry.id), MAX_ENTRIES),
            by_id):
        by_id[e.customer_id].entries.append(e)
    for c in by_id.values():
        c.entries.sort(key=lambda e: e.id)
        c.entries.sort(key=lambda e: e.at, reverse=True)


def _value(conn: Connection, by_id: dict[str, CustomerRows], owner: dict[str, str]) -> None:
    """Completed web orders and store sales summed per currency (the profile picks hers)."""
    for cid, currency, total in _all(conn, lambda c: select(
            WebOrder.customer_id, WebOrder.currency, func.sum(WebOrder.total))
            .where(WebOrder.customer_id.in_(c), WebOrder.status.in_(COMPLETED))
            .group_by(WebOrder.customer_id, WebOrder.currency), owner):
        value = by_id[owner[cid]].value
        value[currency] = value.get(currency, 0) + int(total or 0)
    for cid, currency, total in _all(conn, lambda c: select(
            Sale.customer_id, Sale.currency, func.sum(Sale.total))
            .where(Sale.customer_id.in_(c)).group_by(Sale.customer_id, Sale.currency), owner):
        value = by_id[owner[cid]].value
        value[currency] = value.get(currency, 0) + int(total or 0)


def _people(conn: Connection, by_id: dict[str, CustomerRows]) -> None:
    """Cart, wishlist (with product facts), notes and tasks."""
    for table, attr in ((CartLine, "cart"), (WishlistItem, "wishlist")):
        qty = [table.quantity] if table is CartLine else []
        for r in _all(conn, lambda c, t=table, q=qty: _ranked(
                select(t.customer_id, t.variant_id, t.sku, t.added_at, Product.name,
                       Variant.colour, Variant.size, *q)
                .outerjoin(Variant, Variant.id == t.variant_id)
                .outerjoin(Product, Product.id == Variant.product_id)
                .where(t.customer_id.in_(c)), t.customer_id, t.added_at.desc(), MAX_BASKET),
                by_id):
            getattr(by_id[r.customer_id], attr).append(r)
    for r in _all(conn, lambda c: _ranked(
            select(CustomerNote).where(CustomerNote.customer_id.in_(c)),
            CustomerNote.customer_id, CustomerNote.at.desc(), MAX_NOTES), by_id):
        by_id[r.customer_id].notes.append(r)
    open_first = case((CustomerTask.status == "open", 0), else_=1)
    for r in _all(conn, lambda c: _ranked(
            select(CustomerTask).where(CustomerTask.customer_id.in_(c)),
            CustomerTask.customer_id,
            (open_first, CustomerTask.due_date, CustomerTask.at.desc()), MAX_TASKS), by_id):
        by_id[r.customer_id].tasks.append(r)
    for c in by_id.values():
        for attr in ("cart", "wishlist", "notes"):
            key = "added_at" if attr != "notes" else "at"
            getattr(c, attr).sort(key=lambda r, k=key: getattr(r, k), reverse=True)
        c.tasks.sort(key=lambda t: t.at, reverse=True)
        c.tasks.sort(key=lambda t: (t.status != "open", t.due_date is not None, t.due_date or ""))


def _names(conn: Connection, by_id: dict[str, CustomerRows]) -> dict[str, str]:
    wanted = set()
    for c in by_id.values():
        if c.profile is not None:
            wanted |= {c.profile.marketing_consent_by, c.profile.data_use_consent_by}
        wanted |= {n.associate_id for n in c.notes}
        wanted |= {x for t in c.tasks for x in (t.assigned_to, t.created_by)}
    wanted.discard(None)
    return dict(_all(conn, lambda c: select(Associate.id, Associate.name)
                     .where(Associate.id.in_(c)), sorted(wanted)))


def per_store_prices(conn: Connection, store_ids: Iterable[str], variant_ids: Iterable[str]
                     ) -> tuple[dict, dict]:
    """((store, variant) -> price, (store, variant) -> on hand) for those stores."""
    store_ids, variant_ids = list(dict.fromkeys(store_ids)), sorted(set(variant_ids))
    if not store_ids or not variant_ids:
        return {}, {}
    prices = {(s, v): int(a) for s, v, a in _all(conn, lambda c: select(
        Price.store_id, Price.variant_id, Price.amount_minor)
        .where(Price.variant_id.in_(c), Price.store_id.in_(store_ids)), variant_ids)}
    on_hand = {(s, v): int(n or 0) for s, v, n in _all(conn, lambda c: select(
        StockLevel.store_id, StockLevel.variant_id, StockLevel.on_hand)
        .where(StockLevel.variant_id.in_(c), StockLevel.store_id.in_(store_ids)), variant_ids)}
    return prices, on_hand
