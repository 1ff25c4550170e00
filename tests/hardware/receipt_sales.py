"""Real sales in a real device database, for receipt tests (core and hardware).

Why: a receipt is built from a committed sale (DESIGN.md §3), so receipt tests ring one up
through `complete_sale` on the fixture store of tests/pos_app (a real SQLite file) instead
of hand-making rows: line and order discounts with reasons, two VAT rates, a card and a cash
payment with change.

Test helper: runs in the test's thread.
"""
from __future__ import annotations

import uuid

from pos_app.basket import Basket
from pos_app.pricing import Discount, DiscountKind
from pos_app.services.checkout import CompletedSale, complete_sale
from pos_app.tenders import cash_payment
from tests.pos_app.approved_tenders import approved_card
from tests.pos_app.fixture_catalog import STORES, load_items


def ring_up(engine, ctx, clock, skus: dict[str, int], *, line_discount: tuple | None = None,
            order_discount: tuple | None = None, card: int = 0, cash_given: int | None = None
            ) -> CompletedSale:
    """Sell `skus` ({sku: quantity}); discounts are (percent_bp or amount, reason) applied to
    the first line / the order; `card` is paid by card first, the rest in cash."""
    items = load_items(engine, ctx)
    basket = Basket(ctx.currency, ctx.tax_mode)
    for sku, qty in skus.items():
        basket.add(items[sku], qty)
    if line_discount:
        basket.set_line_discount(basket.lines[0].line_id,
                                 Discount(DiscountKind.PERCENT, *line_discount))
    if order_discount:
        basket.set_basket_discount(Discount(DiscountKind.AMOUNT, *order_discount))
    snap = basket.snapshot()
    payments = []
    sale_id = str(uuid.uuid4())
    if card:
        payments.append(approved_card(engine, clock, sale_id, card, ctx.currency,
                                      reference="tok_test"))
    due = snap.priced.total - card
    if due:
        payments.append(cash_payment(due, cash_given if cash_given is not None else due))
    store = STORES["vnd" if ctx.currency == "VND" else "usd"]
    return complete_sale(engine, ctx, snap, tuple(payments), store.cashier_id, clock,
                         sale_id=sale_id)


def vn_sale(engine, ctx, clock) -> CompletedSale:
    """2 x Áo sơ mi lụa (10 % off, "Khách quen"), Túi vải canvas (VAT 8 %), Đầm maxi hoa;
    50.000 ₫ off the order ("Sinh nhật"); 300.000 ₫ by card, the rest from 1.000.000 ₫ cash."""
    return ring_up(engine, ctx, clock, {"ASM-TRG-M": 2, "TUI-BE": 1, "DAM-DO-S": 1},
                   line_discount=(1000, "Khách quen"), order_discount=(50_000, "Sinh nhật"),
                   card=300_000, cash_given=1_000_000)
