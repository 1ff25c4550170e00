"""HQ's automatic promotions at the till: which apply to an item, and the line discount they make.

Why: a promotion (feed entity "promotion", table `promotions`) must reach the receipt exactly as
a manual line discount does, so receipts, tax, totals, the sale document and HQ's validation
need nothing new: the best promotion of a line becomes its `Discount` with the promotion's name
as the reason and no approver (HQ set it; the basket marks the line's `promotion` so the Sell
screen never asks for a manager). Money stays integer minor units through
pos_app.pricing.discount_amount (its HALF-UP rule for a percentage, its cap at the line gross).

Look-up cost: one indexed query for all the items of a scan or a search result (the
(target_kind, target) index is probed for the product id, the category and the sku); the
table holds tens of rows, not millions.

`find_promotions` runs on whichever thread owns the connection (the database worker, a test),
never the UI thread; the rest is pure code, safe on any thread (the basket calls it on the UI
thread).
"""
from __future__ import annotations

import json
from dataclasses import replace
from typing import Iterable

from sqlalchemy import Connection, text

from pos_app.catalog import SellableItem
from pos_app.pricing import discount_amount
from pos_app.promotion_types import Promotion


def best_promotion(promotions: Iterable[Promotion], unit_price: int,
                   quantity: int) -> Promotion | None:
    """The promotion that saves the most on `quantity` x `unit_price` (one per line); ties go
    to the smaller id so that every till picks the same one. None: nothing saves anything."""
    gross = unit_price * quantity
    best, best_saving = None, 0
    for promo in sorted(promotions, key=lambda p: p.id):
        saving = discount_amount(promo.discount(quantity), gross)
        if saving > best_saving:
            best, best_saving = promo, saving
    return best


_ACTIVE_FOR_VARIANTS = text("""
    SELECT v.pk, pr.id, pr.name, pr.kind, pr.value
    FROM variants v JOIN products p ON p.pk = v.product_pk
    JOIN promotions pr ON (pr.target_kind = 'product' AND pr.target = p.id)
                       OR (pr.target_kind = 'category' AND pr.target = p.category)
                       OR (pr.target_kind = 'sku' AND pr.target = v.sku)
    WHERE v.pk IN (SELECT value FROM json_each(:pks))
      AND pr.active = 1 AND (pr.store_id IS NULL OR pr.store_id = :store)
      AND pr.starts_at <= :now AND pr.ends_at > :now
""")


def find_promotions(conn: Connection, store_id: str, variant_pks: Iterable[int],
                    now_iso: str) -> dict[int, tuple[Promotion, ...]]:
    """variant pk -> the promotions active at `now_iso` (fixed-width UTC text, as
    pos_app.ports.utc_iso writes it) for this store that target its product, category or
    sku. Variants without any are left out."""
    pks = sorted(set(variant_pks))
    if not pks:
        return {}
    found: dict[int, list[Promotion]] = {}
    for row in conn.execute(_ACTIVE_FOR_VARIANTS, {"pks": json.dumps(pks), "store": store_id,
                                                   "now": now_iso}):
        found.setdefault(row[0], []).append(Promotion(row[1], row[2], row[3], int(row[4])))
    return {pk: tuple(promos) for pk, promos in found.items()}


def with_promotions(conn: Connection, store_id: str, items: list[SellableItem],
                    now_iso: str) -> list[SellableItem]:
    """`items` carrying their active promotions (one query for all of them)."""
    found = find_promotions(conn, store_id, [i.variant_pk for i in items], now_iso)
    return [replace(i, promotions=found[i.variant_pk]) if i.variant_pk in found else i
            for i in items]
