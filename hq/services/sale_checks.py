"""Checks of sales against what HQ knows: the variants sold, their catalog prices, the receipt
numbers each device already used, HQ's promotions. Batched: a few look-ups per push, never one
per line.

Why (issue 18): HQ believed whatever a sale said. Now, for each sale that passed its own
checks (hq/services/sale_validation.py):

- every line's variant exists in HQ's catalog and is sold in the device's store (its product
  is for every store or for this one); otherwise the sale is quarantined for review;
- its receipt number is not one the same device already used for another sale (at HQ or
  earlier in the same push); the second sale is quarantined. A unique index
  (ux_sales_device_receipt) backs this against concurrent pushes;
- a line whose amount is further from its catalog value (catalog price x quantity, less a
  line discount named after one of HQ's promotions for the store) than the store's
  `price_flag_tolerance_bp`, with no price override or discount approval recorded on the
  line or on the basket discount, is FLAGGED (`sale_flags`, kind "price"), not refused: the
  money has been taken, the manager looks at it. A line whose variant has no price in the
  store is flagged "no_catalog_price". A sale whose device clock ran ahead is flagged
  "clock_ahead".

Runs on the push request's thread, in its transaction (hq/services/ingest.py).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Sequence

from sqlalchemy import ARRAY, Connection, String, any_, bindparam, or_, select

from hq.db.models.catalog import Price, Product, Promotion, Variant
from hq.db.models.sales import Sale
from hq.services.sale_validation import CheckedSale, SaleDoc, SaleLineDoc
from hq.services.store_settings import StoreRules
from sync.protocol_payments import GIFT_CARD_LINE_KIND

_CHUNK = 2_000  # ids per IN (...) list: well under every database's parameter limit


def _chunks(values: list[str]) -> list[list[str]]:
    return [values[i:i + _CHUNK] for i in range(0, len(values), _CHUNK)]


def _among(conn: Connection, column, values: list[str]):
    """`column IN values`: one array parameter on PostgreSQL (a statement of constant text,
    planned and converted once, whatever the batch), an expanding IN list elsewhere."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam("among", values, type_=ARRAY(String)))
    return column.in_(values)


def flag_row(sale: SaleDoc, device_id: str, store_id: str, kind: str, reason: str, at: str,
             line_id: str | None = None, **detail) -> dict:
    """One `sale_flags` row (written with the sale, in its savepoint)."""
    return {"sale_id": sale.id, "store_id": store_id, "device_id": device_id,
            "line_id": line_id, "kind": kind, "reason": reason,
            "detail": json.dumps(detail, ensure_ascii=False), "at": at}


def _approved(sale: SaleDoc, ln: SaleLineDoc) -> bool:
    basket = sale.basket_discount
    return bool(ln.price_override_by or ln.discount_approved_by
                or (basket is not None and basket.approved_by))


@dataclass
class SaleLookups:
    """What HQ holds about the variants and receipt numbers of a batch of sales."""

    rules: StoreRules
    device_id: str
    variants: dict[str, tuple[str | None, int | None]]  # id -> (product's store, price here)
    receipts: dict[str, str]  # receipt number -> sale id already held for this device
    promotions: frozenset[str]  # names of HQ's promotions for this store
    seen: dict[str, str] = field(default_factory=dict)  # receipts accepted in this batch

    @classmethod
    def load(cls, conn: Connection, rules: StoreRules, device_id: str,
             sales: Sequence[SaleDoc], receipts: bool = True) -> "SaleLookups":
        """At most three look-ups for the whole batch (variants with prices, receipt
        numbers, promotion names only when some line has an unapproved discount).
        `receipts=False` (the batch fast path) skips the receipt numbers HQ holds: the unique
        index refuses a reused one, the batch falls back to the per-event path, and there
        this look-up names the culprit."""
        ids = sorted({ln.variant_id for s in sales for ln in s.lines})
        variants: dict[str, tuple[str | None, int | None]] = {}
        for chunk in _chunks(ids):
            variants.update((r.id, (r.store_id, r.amount_minor)) for r in conn.execute(
                select(Variant.id, Product.store_id, Price.amount_minor)
                .join(Product, Product.id == Variant.product_id)
                .outerjoin(Price, (Price.variant_id == Variant.id)
                           & (Price.store_id == rules.store_id))
                .where(_among(conn, Variant.id, chunk))))
        held: dict[str, str] = {}
        for chunk in _chunks(sorted({s.receipt_no for s in sales})) if receipts else ():
            held.update(conn.execute(select(Sale.receipt_no, Sale.id).where(
                Sale.device_id == device_id, _among(conn, Sale.receipt_no, chunk))).all())
        promotions: frozenset[str] = frozenset()
        if any(ln.line_discount and ln.discount_reason and not _approved(s, ln)
               for s in sales for ln in s.lines):
            promotions = frozenset(conn.execute(select(Promotion.name).where(
                Promotion.active == 1, or_(Promotion.store_id.is_(None),
                                           Promotion.store_id == rules.store_id))).scalars())
        return cls(rules, device_id, variants, held, promotions)

    def judge(self, checked: CheckedSale, at: str) -> list[dict] | str:
        """The sale's flags (possibly none) when HQ accepts it, or the quarantine reason.
        An accepted sale's receipt number is remembered for the rest of the batch."""
        sale = checked.sale
        for no, ln in enumerate(sale.lines, start=1):
            if ln.kind == GIFT_CARD_LINE_KIND:
                continue  # not merchandise: hq/services/payments.py checks it
            known = self.variants.get(ln.variant_id)
            if known is None:
                return (f"line {no} ({ln.sku}): unknown variant {ln.variant_id}: not in HQ's "
                        f"catalog (quarantined for review)")
            if known[0] is not None and known[0] != self.rules.store_id:
                return (f"line {no} ({ln.sku}): variant {ln.variant_id} is not sold in this "
                        f"store (quarantined for review)")
        held = self.seen.get(sale.receipt_no) or self.receipts.get(sale.receipt_no)
        if held is not None and held != sale.id:
            return (f"receipt number {sale.receipt_no} was already used by another sale of "
                    f"this device ({held})")
        self.seen[sale.receipt_no] = sale.id
        flags = []
        for no, ln in enumerate(sale.lines, start=1):
            if ln.kind == GIFT_CARD_LINE_KIND:
                continue
            price = self.variants[ln.variant_id][1]
            if price is not None and ln.amount == price * ln.quantity:
                continue  # at the catalog price: the common case, nothing to look at
            flag = self._price_flag(sale, no, ln, at)
            if flag is not None:
                flags.append(flag)
        if checked.clock_ahead:
            flags.append(flag_row(sale, self.device_id, self.rules.store_id, "clock_ahead",
                                  f"the device's clock was ahead: created_at "
                                  f"{sale.created_at[:40]!r} stored as HQ's receive time",
                                  at, device_created_at=sale.created_at[:40]))
        return flags

    def _price_flag(self, sale: SaleDoc, no: int, ln: SaleLineDoc, at: str) -> dict | None:
        price = self.variants[ln.variant_id][1]
        store = self.rules.store_id
        if price is None:
            return flag_row(sale, self.device_id, store, "no_catalog_price",
                            f"line {no} ({ln.sku}): the variant has no catalog price in this "
                            f"store", at, ln.id, amount=ln.amount)
        if _approved(sale, ln):
            return None
        catalog_value = price * ln.quantity
        promotion = (ln.line_discount or 0) if ln.discount_reason in self.promotions else 0
        gap = catalog_value - promotion - ln.amount
        if abs(gap) * 10_000 <= self.rules.settings.price_flag_tolerance_bp * catalog_value:
            return None
        cur = sale.currency
        direction = "below" if gap > 0 else "above"
        return flag_row(sale, self.device_id, store, "price",
                        f"line {no} ({ln.sku}): {ln.amount} {cur} for {ln.quantity} x "
                        f"{price} {cur} (catalog), {abs(gap)} {cur} {direction} the catalog "
                        f"value with no price override or discount approval recorded",
                        at, ln.id, amount=ln.amount, quantity=ln.quantity,
                        catalog_price=price, promotion_discount=promotion, gap=gap,
                        tolerance_bp=self.rules.settings.price_flag_tolerance_bp)
