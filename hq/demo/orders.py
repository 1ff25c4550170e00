"""Demo order history of one store's shoppers: web orders, pickups, in-store purchases.

Why: clienteling shows a shopper's purchases across the web and every store, BOPIS needs
orders waiting in each store, recommendations need real baskets. Orders are built from the
store's real demo catalog (variant ids, SKUs, names, prices, tax codes), in the shopper's
sizes and favourite categories (hq/demo/people.py), and sized so that the points they earn
put the shopper exactly in the tier the clienteling book already gives them
(hq/services/loyalty.py: 1 point per 10,000 VND / per $1 of merchandise, tiers by lifetime
earned points).

The demo calendar is fixed (deterministic, like the rest of the demo): history from 2024,
the stores' stock count and Storeline go-live on GO_LIVE, "today" = DEMO_NOW. In-store
purchases and handed-over pickups all happened before GO_LIVE (they are in the count, so the
stock ledger starts clean); web deliveries ship from the web warehouse, not a store; the open
pickups (processing, ready_for_pickup) were placed in the days before DEMO_NOW and are still
on the store's shelves.

Pure code (rows as dicts, no database): safe on any thread; hq/demo/seed.py writes them.
"""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hq.demo.people import GUEST_NAMES, Taste
from hq.services.common import utc_iso
from hq.services.loyalty import points_for, tier_band

OMNI_NAMESPACE = uuid.UUID("0b7f6c0e-6a55-4d1e-9d8e-3f1c2a9b4e77")
HISTORY_START = datetime(2024, 1, 1, tzinfo=timezone.utc)
GO_LIVE = datetime(2026, 11, 1, tzinfo=timezone.utc)
DEMO_NOW = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)
PICKUP_CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"  # no 0/O, 1/I, 5/S, 8/B look-alikes
# Open pickup orders per store: (ready_for_pickup, processing); one ready one is a guest's.
OPEN_PICKUPS = (6, 2)
SHIPPING = {"VND": (30_000, 500_000), "USD": (795, 10_000)}  # (fee, free from subtotal)
# Weights of baskets of 1, 2, 3, 4 items by tier: big spenders buy more per visit.
BASKET_WEIGHTS = {"member": (55, 30, 15, 0), "silver": (50, 30, 15, 5),
                  "gold": (35, 35, 20, 10), "platinum": (20, 35, 30, 15)}


def omni_uuid(*parts: str) -> str:
    return str(uuid.uuid5(OMNI_NAMESPACE, "/".join(parts)))


@dataclass(frozen=True)
class Item:
    """A sellable variant of the store's catalog. `kind` says which size of the shopper's
    applies: "apparel", "shoes", "kids", or None (one size, belts...)."""

    variant_id: str
    sku: str
    style: str
    name: str
    label: str  # "Trắng / M"
    size: str | None
    colour: str
    category: str
    brand: str
    tax_code: str
    price: int
    kind: str | None


@dataclass(frozen=True)
class Market:
    """One store and the webshop that sells in its currency."""

    key: str
    store_id: str
    store_code: str
    currency: str
    tax_mode: str
    lang: str
    timezone: str
    tax_ppm: dict[str, int]
    order_prefix: str  # web order numbers: "VN-100001"
    associate_ids: tuple[str, ...]


@dataclass(frozen=True)
class Shopper:
    pk: int
    id: str
    name: str
    phone: str | None
    tier: str
    address: str
    taste: Taste
    since: datetime


@dataclass
class History:
    orders: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    pickups: list[str] = field(default_factory=list)  # open pickup order ids (for the feed)


def line_tax(amount: int, ppm: int, tax_mode: str) -> int:
    """The tax in (inclusive) or on (exclusive) `amount`, rounded half up to the minor unit."""
    base = 1_000_000 + ppm if tax_mode == "inclusive" else 1_000_000
    return (2 * amount * ppm + base) // (2 * base)


class OrderMaker:
    """Baskets and orders for one market; one seeded rng, so the output is deterministic."""

    def __init__(self, market: Market, items: list[Item], rng: random.Random) -> None:
        self.m, self.rng = market, rng
        self.styles: dict[str, dict[str, list[Item]]] = {}
        for it in items:
            self.styles.setdefault(it.category, {}).setdefault(it.style, []).append(it)
        self.categories = sorted(self.styles)
        self.kids_categories = {c for c, st in self.styles.items()
                                if all(i.kind == "kids" for v in st.values() for i in v)}
        self.history = History()

    # --- baskets ---------------------------------------------------------------------------
    def variant_for(self, style: list[Item], taste: Taste) -> Item:
        """The shopper's size of the style where it comes in it, a liked colour if any."""
        sized = [i for i in style if i.kind is None or taste.sizes.get(i.kind) == i.size]
        pool = sized or style
        liked = [i for i in pool if i.colour in taste.colours]
        return self.rng.choice(liked if liked and self.rng.random() < 0.6 else pool)

    def _category(self, taste: Taste) -> str:
        if self.rng.random() < 0.7:
            return self.rng.choice(taste.categories)
        allowed = [c for c in self.categories
                   if c not in self.kids_categories or "kids" in taste.sizes]
        return self.rng.choice(allowed)

    def basket(self, taste: Taste, cheap: bool = False, tier: str = "member"
               ) -> list[tuple[Item, int]]:
        rng = self.rng
        if cheap:  # the cheapest of a few styles, one unit: tops a shopper up to a tier
            styles = [rng.choice(list(self.styles[self._category(taste)].values()))
                      for _ in range(6)]
            return [(min((self.variant_for(s, taste) for s in styles), key=lambda i: i.price),
                     1)]
        picks: dict[str, tuple[Item, int]] = {}
        for _ in range(rng.choices((1, 2, 3, 4), BASKET_WEIGHTS[tier])[0]):
            style = rng.choice(list(self.styles[self._category(taste)].values()))
            item = self.variant_for(style, taste)
            picks[item.variant_id] = (item, 2 if rng.random() < 0.12 else 1)
        return list(picks.values())

    def subtotal(self, picks: list[tuple[Item, int]], promo: bool) -> int:
        return sum(i.price * q - (i.price * q // 10 if promo else 0) for i, q in picks)

    # --- orders ----------------------------------------------------------------------------
    def add_order(self, order_id: str, shopper: Shopper | None, picks, promo: bool, *,
                  fulfilment: str, status: str, payment: str, created: datetime,
                  **times: datetime | str | None) -> dict:
        """Append the order and its lines (number assigned later by `number_orders`)."""
        m = self.m
        lines = []
        for no, (item, qty) in enumerate(picks, start=1):
            gross = item.price * qty
            discount = gross // 10 if promo else 0
            amount = gross - discount
            lines.append({
                "id": omni_uuid(order_id, "line", str(no)), "order_id": order_id,
                "line_no": no, "variant_id": item.variant_id, "sku": item.sku,
                "name": item.name, "variant_label": item.label, "quantity": qty,
                "unit_price": item.price, "discount": discount, "amount": amount,
                "tax_code": item.tax_code, "returned_quantity": 0,
                "tax": line_tax(amount, m.tax_ppm[item.tax_code], m.tax_mode)})
        subtotal = sum(ln["amount"] for ln in lines)
        tax_total = sum(ln["tax"] for ln in lines)
        fee, free_from = SHIPPING[m.currency]
        shipping = fee if fulfilment == "delivery" and subtotal < free_from else 0
        stamp = {k: (utc_iso(v) if isinstance(v, datetime) else v) for k, v in times.items()}
        last = max([created] + [v for v in times.values() if isinstance(v, datetime)])
        order = {
            "id": order_id, "number": "", "channel": "store" if fulfilment == "in_store"
            else "web", "fulfilment": fulfilment,
            "fulfilment_store_id": None if fulfilment == "delivery" else m.store_id,
            "customer_id": shopper.id if shopper else None, "status": status,
            "payment_status": payment,
            "contact_name": shopper.name if shopper else stamp.pop("guest_name"),
            "contact_phone": shopper.phone if shopper else stamp.pop("guest_phone"),
            "ship_address": shopper.address if shopper and fulfilment == "delivery" else None,
            "currency": m.currency, "tax_mode": m.tax_mode, "subtotal": subtotal,
            "shipping_fee": shipping, "tax_total": tax_total,
            "total": subtotal + shipping + (tax_total if m.tax_mode == "exclusive" else 0),
            "pickup_code": None, "created_at": utc_iso(created), "updated_at": utc_iso(last),
            "completed_at": None, "ready_at": None, "picked_up_at": None,
            "picked_up_by": None, "picked_up_device_id": None, "pickup_event_id": None}
        order.update(stamp)
        self.history.orders.append(order)
        self.history.lines.extend(lines)
        return order

    def in_store_hours(self, day: datetime) -> datetime:
        """A moment between 10:00 and 21:00 local time on `day`'s date, in UTC."""
        local = day.astimezone(ZoneInfo(self.m.timezone)).replace(
            hour=self.rng.randint(10, 20), minute=self.rng.randint(0, 59),
            second=self.rng.randint(0, 59), microsecond=0)
        return local.astimezone(timezone.utc)

    def _when(self, start: datetime, end: datetime) -> datetime:
        span = max(1, int((end - start).total_seconds()))
        return (start + timedelta(seconds=self.rng.randrange(span))).replace(microsecond=0)

    def shopper_history(self, s: Shopper) -> list[dict]:
        """Completed orders worth a qualifying-points total inside `s.tier`'s band, spread
        from `s.since` to a few days ago, plus the odd cancelled or in-flight order.
        Returns the completed orders (they earn points)."""
        rng = self.rng
        low, high = tier_band(s.tier)
        if high is None:  # the top tier: well into it, not sky-high
            target = rng.randint(low, low + 720)
        else:  # the lower 60 % of the band (members: at least one order), so a last,
            target = rng.randint(max(low, 40), low + int(0.6 * (high - low)))  # cheap order fits
        baskets, earned = [], 0
        while earned < target:
            promo = rng.random() < 0.1
            picks = self.basket(s.taste, tier=s.tier)
            pts = points_for(self.subtotal(picks, promo), self.m.currency)
            if high is not None and earned + pts >= high:
                picks = self.basket(s.taste, cheap=True)
                pts = points_for(self.subtotal(picks, promo), self.m.currency)
                if earned + pts >= high:
                    break
            baskets.append((picks, promo))
            earned += pts
        start = max(s.since, HISTORY_START)
        dates = sorted(self._when(start, DEMO_NOW - timedelta(days=6)) for _ in baskets)
        completed = []
        for n, ((picks, promo), created) in enumerate(zip(baskets, dates)):
            oid = omni_uuid(self.m.key, s.id, "order", str(n))
            fulfilment = rng.choices(("delivery", "in_store", "pickup"), (55, 30, 15))[0]
            if fulfilment != "delivery" and created >= GO_LIVE - timedelta(days=4):
                fulfilment = "delivery"  # after the count: the store's shelves are untouched
            completed.append(self._completed(oid, s, picks, promo, fulfilment, created))
            if rng.random() < 0.05:
                self._cancelled(omni_uuid(oid, "cancelled"), s, created)
        if completed and rng.random() < 0.15:
            self._in_flight(omni_uuid(self.m.key, s.id, "in-flight"), s)
        return completed

    def _completed(self, oid: str, s: Shopper, picks, promo: bool, fulfilment: str,
                   created: datetime) -> dict:
        rng = self.rng
        if fulfilment == "in_store":
            created = self.in_store_hours(created)
            return self.add_order(oid, s, picks, promo, fulfilment="in_store",
                                  status="completed", payment="paid", created=created,
                                  completed_at=created)
        if fulfilment == "delivery":
            done = created + timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 8))
            return self.add_order(oid, s, picks, promo, fulfilment="delivery",
                                  status="delivered", payment="paid", created=created,
                                  completed_at=done)
        ready = created + timedelta(hours=rng.randint(3, 20))
        picked = self.in_store_hours(ready + timedelta(days=rng.randint(0, 3)))
        picked = max(picked, ready + timedelta(hours=1))
        return self.add_order(oid, s, picks, promo, fulfilment="pickup", status="picked_up",
                              payment="paid", created=created, ready_at=ready,
                              picked_up_at=picked, completed_at=picked,
                              picked_up_by=rng.choice(self.m.associate_ids),
                              pickup_code=self.pickup_code())

    def _cancelled(self, oid: str, s: Shopper, near: datetime) -> None:
        created = near + timedelta(days=self.rng.randint(1, 20))
        self.add_order(oid, s, self.basket(s.taste), False, fulfilment="delivery",
                       status="cancelled", payment="refunded", created=min(created, DEMO_NOW))

    def _in_flight(self, oid: str, s: Shopper) -> None:
        created = self._when(DEMO_NOW - timedelta(days=4), DEMO_NOW - timedelta(hours=2))
        cod = self.m.currency == "VND" and self.rng.random() < 0.4  # cash on delivery
        self.add_order(oid, s, self.basket(s.taste), False, fulfilment="delivery",
                       status=self.rng.choice(("processing", "shipped")),
                       payment="pending" if cod else "paid", created=created)

    def pickup_code(self) -> str:
        return "".join(self.rng.choice(PICKUP_CODE_ALPHABET) for _ in range(6))

    def open_pickups(self, shoppers: list[Shopper]) -> None:
        """The store's open BOPIS orders: ready ones (the first demo shopper's among them),
        some still being prepared, and one guest checkout."""
        rng = self.rng
        ready_n, processing_n = OPEN_PICKUPS  # the guest's order is one of the ready ones
        chosen = [shoppers[0]] + rng.sample(shoppers[1:], ready_n + processing_n - 2)
        guest = rng.choice(GUEST_NAMES[self.m.lang])
        for n, s in enumerate(chosen + [None]):
            ready = s is None or n < ready_n - 1
            created = self._when(DEMO_NOW - timedelta(days=4), DEMO_NOW - timedelta(hours=5))
            taste = s.taste if s else rng.choice(shoppers).taste
            extra: dict = {"guest_name": guest, "guest_phone": self.guest_phone()} \
                if s is None else {}
            if ready:
                extra["ready_at"] = min(created + timedelta(hours=rng.randint(2, 20)),
                                        DEMO_NOW - timedelta(hours=1))
            oid = omni_uuid(self.m.key, s.id if s else "guest", "pickup", str(n))
            order = self.add_order(
                oid, s, self.basket(taste), False, fulfilment="pickup",
                status="ready_for_pickup" if ready else "processing",
                payment="paid" if rng.random() < 0.7 else "pending", created=created,
                pickup_code=self.pickup_code(), **extra)
            self.history.pickups.append(order["id"])

    def guest_phone(self) -> str:
        if self.m.currency == "VND":
            return f"+849{self.rng.randrange(10_000_000, 99_999_999)}"
        return f"+1917555{self.rng.randrange(200, 9999):04d}"

    def number_orders(self) -> None:
        """Number the market's orders by the time they were placed: web orders
        "<prefix>-100001", ... and the till's receipts "<store>-000001", ..."""
        web = shop = 0
        for order in sorted(self.history.orders, key=lambda o: (o["created_at"], o["id"])):
            if order["channel"] == "web":
                web += 1
                order["number"] = f"{self.m.order_prefix}-{100_000 + web}"
            else:
                shop += 1
                order["number"] = f"{self.m.store_code}-{shop:06d}"
