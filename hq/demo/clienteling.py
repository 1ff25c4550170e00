"""Demo clienteling data of one shopper, made from their order history: the loyalty ledger,
the profile (sizes, preferences, consents), the online cart and the wishlist.

Why: everything the customer 360° screen shows must agree with everything else: each
completed order earns exactly `points_for(subtotal)` once, at completion, so the balance is
the ledger's sum and the tier follows from the earned points (hq/services/loyalty.py);
the favourite brands are the ones the shopper bought most; cart and wishlist items come in the
shopper's sizes and favourite categories, so "add to basket" picks the right variant.

Pure code (rows as dicts): safe on any thread; hq/demo/seed.py writes the rows.
"""
from __future__ import annotations

import json
import random
from collections import Counter
from datetime import datetime, timedelta

from hq.demo.orders import DEMO_NOW, Item, Market, OrderMaker, Shopper, omni_uuid
from hq.demo.people import Consents
from hq.services.common import utc_iso
from hq.services.loyalty import EARN, REDEEM, WELCOME, points_for

WELCOME_POINTS = 50
VOUCHER_POINTS = 500  # a reward voucher costs 500 points
_VOUCHER_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"


def loyalty_rows(m: Market, s: Shopper, completed: list[dict], rng: random.Random
                 ) -> list[dict]:
    """Welcome bonus, one "earn" per completed order, the odd voucher redemption; the
    running balance never goes below zero."""
    rows = [{"id": omni_uuid("loyalty", s.id, WELCOME), "customer_id": s.id,
             "delta": WELCOME_POINTS, "reason": WELCOME, "ref": None, "at": utc_iso(s.since),
             "store_id": None, "device_id": None}]
    balance = WELCOME_POINTS
    for order in sorted(completed, key=lambda o: o["completed_at"]):
        pts = points_for(order["subtotal"], m.currency)
        if not pts:
            continue
        rows.append({"id": omni_uuid("loyalty", order["id"], EARN), "customer_id": s.id,
                     "delta": pts, "reason": EARN, "ref": order["number"],
                     "at": order["completed_at"], "store_id": order["fulfilment_store_id"],
                     "device_id": None})
        balance += pts
        if balance >= VOUCHER_POINTS and rng.random() < 0.3:
            voucher = "RW-" + "".join(rng.choice(_VOUCHER_ALPHABET) for _ in range(8))
            at = _after(order["completed_at"], timedelta(days=rng.randint(1, 15)))
            rows.append({"id": omni_uuid("loyalty", s.id, REDEEM, voucher),
                         "customer_id": s.id, "delta": -VOUCHER_POINTS, "reason": REDEEM,
                         "ref": voucher, "at": at, "device_id": None,
                         "store_id": m.store_id if rng.random() < 0.5 else None})
            balance -= VOUCHER_POINTS
    return rows


def _after(iso: str, delta: timedelta) -> str:
    moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=DEMO_NOW.tzinfo)
    return utc_iso(min(moment + delta, DEMO_NOW))


def profile_row(s: Shopper, consents: Consents, bought: list[Item], rng: random.Random
                ) -> dict:
    brands = [b for b, _ in Counter(i.brand for i in bought).most_common(2)]
    since = s.since
    marketing_at = since + timedelta(days=rng.choice((0, 0, 0, 3, 30, 180)))
    data_at = since
    prefs = {"categories": list(s.taste.categories[:2]), "colours": list(s.taste.colours),
             "brands": brands}
    return {
        "customer_id": s.id, "sizes": json.dumps(s.taste.sizes, ensure_ascii=False),
        "preferences": json.dumps(prefs, ensure_ascii=False), "customer_since": utc_iso(since),
        "marketing_opt_in": int(consents.marketing),
        "marketing_consent_at": utc_iso(marketing_at),
        "marketing_consent_channel": consents.marketing_channel,
        "marketing_consent_by": consents.marketing_by,
        "data_use_consent": int(consents.data_use), "data_use_consent_at": utc_iso(data_at),
        "data_use_consent_channel": consents.data_use_channel,
        "data_use_consent_by": consents.data_use_by,
        "updated_at": utc_iso(max(marketing_at, data_at))}


def _wanted_items(maker: OrderMaker, s: Shopper, count: int, days: int) -> list[tuple]:
    """(item, added_at) of `count` different items the shopper would like, recent first."""
    found: dict[str, tuple] = {}
    for _ in range(count * 3):
        if len(found) >= count:
            break
        for item, _qty in maker.basket(s.taste, cheap=False)[:1]:
            added = DEMO_NOW - timedelta(days=maker.rng.randint(0, days),
                                         minutes=maker.rng.randint(0, 1439))
            found.setdefault(item.variant_id, (item, utc_iso(added)))
    return list(found.values())


def cart_rows(maker: OrderMaker, s: Shopper) -> list[dict]:
    """An online cart left in the last two weeks, for about one shopper in four."""
    if maker.rng.random() >= 0.25:
        return []
    return [{"customer_id": s.id, "variant_id": item.variant_id, "sku": item.sku,
             "quantity": 2 if maker.rng.random() < 0.1 else 1, "unit_price": item.price,
             "currency": maker.m.currency, "added_at": added}
            for item, added in _wanted_items(maker, s, maker.rng.randint(1, 3), 14)]


def wishlist_rows(maker: OrderMaker, s: Shopper) -> list[dict]:
    """A wishlist of up to five items, for about one shopper in three."""
    if maker.rng.random() >= 0.35:
        return []
    return [{"customer_id": s.id, "variant_id": item.variant_id, "sku": item.sku,
             "added_at": added}
            for item, added in _wanted_items(maker, s, maker.rng.randint(1, 5), 120)]
