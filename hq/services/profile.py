"""The customer's 360° profile (sync.protocol_customers.CustomerProfile) for one store.

Why: the associate opens a shopper's profile in under a second, online (`GET
/v1/customers/{id}/profile`, audited like the contact details) or from the clienteling book
the store's tills cache (hq/services/book.py publishes this very shape, unaudited). Prices
of her cart, wishlist and suggestions are the asking store's; stock is that store's on hand
(`stock_levels`). Orders are her web orders plus the store sales attached to her (channel
"store"), including sales made under an id later merged into hers (customer_merges).

Budget: p99 < 300 ms among 1,000,000 customers on PostgreSQL (bench profile_open): every
read is an indexed look-up by customer id (web_orders, sales' partial index, ledger, notes,
tasks, cart, wishlist) bounded by the page sizes of hq/services/profile_data.py; suggestions
read precomputed tables (hq/services/recommendations.py). The reads are batched
(profile_data.fetch, recommendations.Suggestions) and `assemble` turns them into the profile
of one customer as one store sees it: the book publisher reads hundreds of customers at
once through the same code the live profile reads one with.

Plain functions on a Connection: a request thread (or the book publisher's); caller commits.
"""
from __future__ import annotations

from sqlalchemy import Connection, select

from hq.db.models.customers import CustomerMerge
from hq.services import loyalty, lookups, recommendations
from hq.services.common import NotFound, utc_iso
from hq.services.customer_feed import as_text_map
from hq.services.enrolment import AuthenticatedDevice
from hq.services.profile_data import MAX_ORDERS, CustomerRows, Prefetched, fetch
from sync.protocol import CustomerDetail, WebOrder as WireOrder, WebOrderLine as WireLine
from sync.protocol import mask_phone
from sync.protocol_customers import (BasketItem, ConsentState, CustomerProfile,
                                     LoyaltyEntryView, LoyaltySummary, NoteView, TaskView)


def resolve(conn: Connection, customer_id: str) -> tuple[str, str | None]:
    """(the id to read, the id the caller asked for if it was merged into that one)."""
    cid = customer_id.lower()
    into = conn.execute(select(CustomerMerge.into_id).where(
        CustomerMerge.from_id == cid)).scalar()
    return (into, cid) if into else (cid, None)


def _detail(c: CustomerRows) -> CustomerDetail:
    r = c.customer
    return CustomerDetail(id=r.id, name=r.name, phone=r.phone, email=r.email,
                          loyalty_card=r.loyalty_card, tier=r.tier, home_store_code=r.store_code)


def _consents(row, names: dict[str, str]) -> list[ConsentState]:
    out = []
    for kind, flag, prefix in (("marketing", "marketing_opt_in", "marketing"),
                               ("data_use", "data_use_consent", "data_use")):
        if row is None:
            out.append(ConsentState(kind=kind, granted=False))
            continue
        by = getattr(row, f"{prefix}_consent_by")
        out.append(ConsentState(kind=kind, granted=bool(getattr(row, flag)),
                                at=getattr(row, f"{prefix}_consent_at"),
                                channel=getattr(row, f"{prefix}_consent_channel"),
                                by=names.get(by, by)))
    return out


def _loyalty(c: CustomerRows, currency: str, stores: dict) -> LoyaltySummary:
    pts = c.points
    tier = loyalty.tier_for(pts.qualifying)
    _low, upper = loyalty.tier_band(tier)
    names = [t for t, _ in loyalty.TIERS]
    nxt = names[names.index(tier) + 1] if upper is not None else None
    return LoyaltySummary(
        balance=pts.balance, qualifying=pts.qualifying, tier=tier, next_tier=nxt,
        points_to_next=None if upper is None else upper - pts.qualifying,
        point_value_minor=loyalty.POINT_VALUE_MINOR.get(currency, 0), currency=currency,
        entries=[LoyaltyEntryView(id=e.id, delta=e.delta, reason=e.reason, ref=e.ref, at=e.at,
                                  store_code=getattr(stores.get(e.store_id), "code", None))
                 for e in c.entries])


def bought_variants(c: CustomerRows, pre: Prefetched) -> list[str]:
    """The variants of her non-cancelled web orders and her store sales (shown ones)."""
    return ([ln.variant_id for o in c.web if o.status != "cancelled"
             for ln in pre.web_lines.get(o.id, [])]
            + [ln.variant_id for s in c.sales for ln in pre.sale_lines.get(s.id, [])])


def _orders(c: CustomerRows, pre: Prefetched) -> list[WireOrder]:
    """Her newest web orders and store sales (<= MAX_ORDERS), newest first."""
    stores = pre.stores
    out: list[WireOrder] = []
    for o in c.web:
        code = getattr(stores.get(o.fulfilment_store_id), "code", None)
        lines = pre.web_lines.get(o.id, [])
        out.append(WireOrder(
            id=o.id, number=o.number, status=o.status, customer_id=o.customer_id,
            pickup_store_code=code if o.fulfilment == "pickup" else None,
            fulfilment_store_code=code, channel=o.channel, fulfilment=o.fulfilment,
            payment_status=o.payment_status, contact_name=o.contact_name,
            contact_phone_masked=mask_phone(o.contact_phone), currency=o.currency,
            tax_mode=o.tax_mode, subtotal=o.subtotal, shipping_fee=o.shipping_fee,
            tax_total=o.tax_total, total=o.total, created_at=o.created_at,
            updated_at=o.updated_at, completed_at=o.completed_at, ready_at=o.ready_at,
            picked_up_at=o.picked_up_at,
            lines=[WireLine(id=ln.id, line_no=ln.line_no, variant_id=ln.variant_id,
                            sku=ln.sku, name=ln.name, variant_label=ln.variant_label,
                            quantity=ln.quantity, unit_price=ln.unit_price,
                            discount=ln.discount, amount=ln.amount, tax=ln.tax,
                            returned_quantity=ln.returned_quantity) for ln in lines]))
    for s in c.sales:
        store = stores.get(s.store_id)
        lines = pre.sale_lines.get(s.id, [])
        subtotal = sum(ln.amount for ln in lines)
        tax_mode = getattr(store, "tax_mode", "inclusive")
        out.append(WireOrder(
            id=s.id, number=s.receipt_no, status="completed", customer_id=s.customer_id,
            fulfilment_store_code=getattr(store, "code", None), channel="store",
            fulfilment="in_store", payment_status="paid", currency=s.currency,
            tax_mode=tax_mode, subtotal=subtotal,
            tax_total=s.total - subtotal if tax_mode == "exclusive" else 0, total=s.total,
            created_at=s.created_at, completed_at=s.created_at,
            lines=[WireLine(id=ln.id, line_no=n, variant_id=ln.variant_id, sku=ln.sku,
                            name=ln.name or ln.sku,
                            variant_label=" / ".join(x for x in (ln.colour, ln.size) if x),
                            quantity=ln.quantity, unit_price=ln.amount // max(1, ln.quantity),
                            amount=ln.amount) for n, ln in enumerate(lines, start=1)]))
    out.sort(key=lambda o: o.created_at, reverse=True)
    return out[:MAX_ORDERS]


def _basket(rows: list, pre: Prefetched, store_id: str, currency: str) -> list[BasketItem]:
    out = []
    for r in rows:
        price = pre.prices.get((store_id, r.variant_id))
        out.append(BasketItem(
            variant_id=r.variant_id, sku=r.sku, name=r.name or r.sku,
            variant_label=" / ".join(x for x in (r.colour, r.size) if x),
            quantity=int(getattr(r, "quantity", 1) or 1), unit_price=price,
            currency=currency, added_at=r.added_at,
            in_stock_here=None if price is None
            else pre.on_hand.get((store_id, r.variant_id), 0)))
    return out


def _notes_and_tasks(c: CustomerRows, pre: Prefetched, customer_name: str
                     ) -> tuple[list[NoteView], list[TaskView]]:
    names = pre.names
    return ([NoteView(id=n.id, text=n.text, by=names.get(n.associate_id, n.associate_id),
                      store_code=getattr(pre.stores.get(n.store_id), "code", None), at=n.at)
             for n in c.notes],
            [task_view(t, customer_name, names) for t in c.tasks])


def task_view(t, customer_name: str, names: dict[str, str]) -> TaskView:
    return TaskView(id=t.id, customer_id=t.customer_id, customer_name=customer_name,
                    text=t.text, due_date=t.due_date, status=t.status,
                    assigned_to=t.assigned_to,
                    assigned_to_name=names.get(t.assigned_to) if t.assigned_to else None,
                    created_by=names.get(t.created_by, t.created_by), at=t.at)


def suggestions(conn: Connection, pre: Prefetched, store_ids
                ) -> recommendations.Suggestions:
    """The recommendations of every customer of `pre`, for those stores."""
    return recommendations.Suggestions(
        conn, {cid: bought_variants(c, pre) for cid, c in pre.customers.items()},
        {cid: sizes(c) for cid, c in pre.customers.items()}, store_ids)


def sizes(c: CustomerRows) -> dict[str, str]:
    return as_text_map(c.profile.sizes if c.profile is not None else None)


def assemble(pre: Prefetched, recs: recommendations.Suggestions, cid: str, store_id: str, *,
             detail: CustomerDetail | None = None, merged_from: str | None = None
             ) -> CustomerProfile:
    """Her profile as `store_id` sees it, from rows read by profile_data.fetch."""
    c = pre.customers.get(cid)
    if c is None:
        raise NotFound(f"unknown customer {cid!r}")
    asking = pre.stores.get(store_id)
    if asking is None:
        raise NotFound(f"unknown store {store_id!r}")
    detail = detail or _detail(c)
    prof = c.profile
    currency = getattr(pre.stores.get(c.customer.home_store_id), "currency", None) \
        or asking.currency
    notes, tasks = _notes_and_tasks(c, pre, detail.name)
    return CustomerProfile(
        customer=detail, customer_since=prof.customer_since if prof else None, sizes=sizes(c),
        preferences=as_text_map(prof.preferences if prof else None),
        consents=_consents(prof, pre.names), loyalty=_loyalty(c, asking.currency, pre.stores),
        lifetime_value=c.value.get(currency, 0), currency=currency, orders=_orders(c, pre),
        cart=_basket(c.cart, pre, store_id, asking.currency),
        wishlist=_basket(c.wishlist, pre, store_id, asking.currency),
        notes=notes, tasks=tasks,
        recommendations=recs.for_store(cid, store_id, asking.currency),
        as_of=utc_iso(), merged_into=cid if merged_from else None)


def build_profile(conn: Connection, customer_id: str, store_id: str) -> CustomerProfile:
    """The profile as `store_id` sees it, unaudited (a batch of one of the book's path)."""
    cid, merged_from = resolve(conn, customer_id)
    pre = fetch(conn, [cid], [store_id])
    return assemble(pre, suggestions(conn, pre, [store_id]), cid, store_id,
                    merged_from=merged_from)


def customer_profile(conn: Connection, device: AuthenticatedDevice,
                     customer_id: str) -> CustomerProfile:
    """The live profile for the device's store; the view is recorded in audit_log."""
    cid, merged_from = resolve(conn, customer_id)
    detail = lookups.customer_detail(conn, device, cid)  # 404 or the audit row
    pre = fetch(conn, [cid], [device.store_id])
    return assemble(pre, suggestions(conn, pre, [device.store_id]), cid, device.store_id,
                    detail=detail, merged_from=merged_from)
