"""Tax and discount arithmetic: the rounding rule of pos_app/pricing.py, by property and by hand.

The properties are what a customer, a cashier and a tax inspector would each check on a
receipt: the lines add up to the total, the tax lines add up to the tax, nothing is negative,
a discount never takes more than the item cost, and a split (basket discount, tax per line)
loses or invents no dong and no cent.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.pricing import (
    Discount,
    DiscountKind,
    PricedLineInput,
    TaxMode,
    allocate,
    discount_amount,
    price_basket,
    round_half_up,
    tax_for,
)

RATES = [("VAT0", Decimal("0")), ("VAT5", Decimal("0.05")), ("VAT8", Decimal("0.08")),
         ("VAT10", Decimal("0.10")), ("SALES", Decimal("0.08875"))]
MAX_PRICE = {"VND": 10**9, "USD": 10**6}


def _half_up(value: Fraction) -> int:
    """Reference HALF-UP rounding on exact fractions, independent of pricing.round_half_up."""
    sign = -1 if value < 0 else 1
    return sign * int(abs(value) + Fraction(1, 2))


def discounts(max_amount: int):
    return st.one_of(
        st.none(),
        st.builds(Discount, st.just(DiscountKind.PERCENT), st.integers(0, 10_000),
                  st.sampled_from(["damaged", "staff", "loyalty"])),
        st.builds(Discount, st.just(DiscountKind.AMOUNT), st.integers(0, max_amount),
                  st.sampled_from(["price match", "goodwill"])),
    )


# Strategies are built once per currency (building them per draw makes hypothesis crawl).
# Amount discounts reach well past a line's or basket's gross, so the caps get exercised.
_LINE = {
    cur: st.tuples(st.integers(0, top), st.integers(1, 50), st.sampled_from(RATES),
                   discounts(top * 60))
    for cur, top in MAX_PRICE.items()
}
_BASKET_DISCOUNT = {cur: discounts(top * 20) for cur, top in MAX_PRICE.items()}


@st.composite
def baskets(draw):
    currency = draw(st.sampled_from(["VND", "USD"]))
    raw = draw(st.lists(_LINE[currency], min_size=1, max_size=20))
    lines = [PricedLineInput(price, qty, code, rate, disc)
             for price, qty, (code, rate), disc in raw]
    return currency, lines, draw(_BASKET_DISCOUNT[currency])


@settings(max_examples=300, deadline=None)
@given(baskets())
def test_receipt_arithmetic_always_adds_up(basket):
    _currency, lines, basket_discount = basket
    for mode in TaxMode:
        priced = price_basket(lines, basket_discount, mode)
        assert len(priced.lines) == len(lines)

        # rule 1: gross is price x quantity, exactly
        assert [pl.gross for pl in priced.lines] == [ln.unit_price * ln.quantity for ln in lines]
        assert priced.subtotal == sum(pl.gross for pl in priced.lines)

        # the headline invariant of the receipt
        amounts = sum(pl.amount for pl in priced.lines)
        expected_total = amounts + (priced.tax_total if mode is TaxMode.EXCLUSIVE else 0)
        assert priced.total == expected_total
        assert sum(pl.tax for pl in priced.lines) == priced.tax_total
        assert sum(s.tax for s in priced.tax) == priced.tax_total

        # nothing on a receipt is negative; discounts never exceed what the goods cost
        for ln, pl in zip(lines, priced.lines):
            assert pl.gross >= 0 and pl.amount >= 0 and pl.tax >= 0
            assert pl.line_discount >= 0 and pl.basket_discount >= 0
            assert pl.line_discount + pl.basket_discount <= pl.gross
            assert pl.amount == pl.gross - pl.line_discount - pl.basket_discount
            # rule 2: percent discounts round half-up, amounts are capped at the gross
            if ln.discount is None:
                assert pl.line_discount == 0
            elif ln.discount.kind is DiscountKind.PERCENT:
                exact = Fraction(pl.gross * ln.discount.value, 10_000)
                assert pl.line_discount == min(_half_up(exact), pl.gross)
            else:
                assert pl.line_discount == min(ln.discount.value, pl.gross)
        assert priced.line_discounts + priced.basket_discount <= priced.subtotal
        assert priced.subtotal - priced.line_discounts - priced.basket_discount == amounts
        assert priced.total >= 0 and priced.tax_total >= 0

        # rule 3: the basket discount is split over the lines without losing a unit
        assert sum(pl.basket_discount for pl in priced.lines) == priced.basket_discount
        after_line = sum(pl.gross - pl.line_discount for pl in priced.lines)
        assert priced.basket_discount <= after_line

        # rule 4: tax once per rate on the rate's base, half-up, then split over its lines
        seen_codes = set()
        for summary in priced.tax:
            idx = [i for i, ln in enumerate(lines)
                   if (ln.tax_code, ln.tax_rate) == (summary.tax_code, summary.rate)]
            assert idx, "a tax summary always belongs to some lines"
            seen_codes.add((summary.tax_code, summary.rate))
            assert summary.base == sum(priced.lines[i].amount for i in idx)
            rate = Fraction(summary.rate)
            exact = summary.base * rate / (1 + rate) if mode is TaxMode.INCLUSIVE \
                else summary.base * rate
            assert summary.tax == _half_up(exact)
            assert sum(priced.lines[i].tax for i in idx) == summary.tax
            if mode is TaxMode.INCLUSIVE:
                assert summary.tax <= summary.base  # the tax is part of the price
            for i in idx:  # each line's share is within one unit of its exact share
                base = summary.base
                share = Fraction(summary.tax * priced.lines[i].amount, base) if base else None
                if share is not None:
                    assert abs(priced.lines[i].tax - share) < 1
        assert seen_codes == {(ln.tax_code, ln.tax_rate) for ln in lines}


@settings(max_examples=500, deadline=None)
@given(st.integers(-10**12, 10**12),
       st.lists(st.integers(0, 10**9), min_size=1, max_size=30))
def test_allocate_splits_exactly_and_fairly(total, weights):
    parts = allocate(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == total
    weight_sum = sum(weights)
    if weight_sum == 0:
        effective = [1] * len(weights)  # nothing to go by: an even split
        weight_sum = len(weights)
    else:
        effective = weights
    for part, w in zip(parts, effective):
        exact = Fraction(total * w, weight_sum)
        assert abs(part - exact) < 1
        if w == 0:
            assert part == 0
        # every part has the sign of the total: a discount never becomes a surcharge
        assert part * total >= 0


def test_allocate_examples():
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]  # ties go to the earliest line
    assert allocate(100_000, [100_000, 100_000, 100_000]) == [33_334, 33_333, 33_333]
    assert allocate(10, [0, 0]) == [5, 5]
    assert allocate(10, [0, 5]) == [0, 10]
    assert allocate(-10, [1, 2]) == [-3, -7]
    assert allocate(0, []) == []
    with pytest.raises(ValueError):
        allocate(5, [])


# --- worked examples, checked by hand ---------------------------------------------------------
VAT10 = ("VAT10", Decimal("0.10"))
VAT8 = ("VAT8", Decimal("0.08"))
SALES = ("SALES", Decimal("0.08875"))


def line(price, qty=1, rate=VAT10, discount=None):
    return PricedLineInput(price, qty, rate[0], rate[1], discount)


def test_vnd_inclusive_single_item():
    # 199.000 ₫ incl. 10 % VAT: tax = 199000 * 0.1 / 1.1 = 18090.909... -> 18.091 ₫
    p = price_basket([line(199_000)], None, TaxMode.INCLUSIVE)
    assert p.total == 199_000
    assert p.tax_total == 18_091
    assert p.lines[0].tax == 18_091
    assert [(t.tax_code, t.base, t.tax) for t in p.tax] == [("VAT10", 199_000, 18_091)]


def test_usd_exclusive_single_item():
    # $10.00 + 8.875 % = 88.75 cents -> half-up 89 cents -> $10.89
    p = price_basket([line(1_000, rate=SALES)], None, TaxMode.EXCLUSIVE)
    assert p.tax_total == 89
    assert p.total == 1_089


def test_vnd_two_rates_inclusive():
    # 2 x 199.000 at VAT10: base 398.000, tax 398000/11 = 36181.8 -> 36.182
    # 1 x 150.000 at VAT8: tax 150000 * 0.08 / 1.08 = 11111.1 -> 11.111
    p = price_basket([line(199_000, 2), line(150_000, rate=VAT8)], None, TaxMode.INCLUSIVE)
    assert p.subtotal == 548_000
    assert p.total == 548_000
    assert [(t.tax_code, t.base, t.tax) for t in p.tax] == [
        ("VAT10", 398_000, 36_182), ("VAT8", 150_000, 11_111)]
    assert p.tax_total == 47_293
    assert [pl.tax for pl in p.lines] == [36_182, 11_111]


def test_tax_is_rounded_once_per_rate_not_per_line():
    # three 5-cent items at 8.875 %: per line 0.44 cents would round to 0 each,
    # but the rate's base is 15 cents -> 1.33 -> 1 cent, given to the first line on a tie.
    p = price_basket([line(5, rate=SALES)] * 3, None, TaxMode.EXCLUSIVE)
    assert p.tax_total == 1
    assert [pl.tax for pl in p.lines] == [1, 0, 0]
    assert p.total == 16


def test_percent_line_discount_rounds_half_up():
    # $19.99 less 12.5 % = 249.875 cents -> 250 off -> $17.49; tax 155.22 -> 155 -> $19.04
    d = Discount(DiscountKind.PERCENT, 1_250, "loyalty")
    p = price_basket([line(1_999, rate=SALES, discount=d)], None, TaxMode.EXCLUSIVE)
    assert p.lines[0].line_discount == 250
    assert p.lines[0].amount == 1_749
    assert p.tax_total == 155
    assert p.total == 1_904
    # exactly half a cent rounds up: 5 % of 10 cents is 0.5 -> 1
    assert discount_amount(Discount(DiscountKind.PERCENT, 500, "x"), 10) == 1
    assert round_half_up(Decimal("2.5")) == 3 and round_half_up(Decimal("-2.5")) == -3


def test_amount_discount_is_capped_at_the_line():
    d = Discount(DiscountKind.AMOUNT, 200_000, "price match")
    p = price_basket([line(150_000, rate=VAT8, discount=d), line(199_000)], None,
                     TaxMode.INCLUSIVE)
    assert p.lines[0].line_discount == 150_000
    assert p.lines[0].amount == 0
    assert p.total == 199_000
    assert p.line_discounts == 150_000


def test_basket_amount_discount_split_over_lines():
    # 100.000 off three lines of 100.000: 33.334 + 33.333 + 33.333
    d = Discount(DiscountKind.AMOUNT, 100_000, "manager goodwill")
    p = price_basket([line(100_000)] * 3, d, TaxMode.INCLUSIVE)
    assert [pl.basket_discount for pl in p.lines] == [33_334, 33_333, 33_333]
    assert [pl.amount for pl in p.lines] == [66_666, 66_667, 66_667]
    assert p.total == 200_000
    assert p.tax_total == 18_182  # 200000 / 11 = 18181.8


def test_basket_percent_discount_on_mixed_lines():
    # 15 % off 459.000 + 199.000 = 98.700 -> 68.850 and 29.850 (exact proportions)
    d = Discount(DiscountKind.PERCENT, 1_500, "birthday")
    p = price_basket([line(459_000), line(199_000)], d, TaxMode.INCLUSIVE)
    assert p.basket_discount == 98_700
    assert [pl.basket_discount for pl in p.lines] == [68_850, 29_850]
    assert p.total == 559_300
    assert p.tax_total == 50_845  # 559300 / 11 = 50845.45


def test_full_discount_gives_a_zero_receipt_not_a_negative_one():
    d = Discount(DiscountKind.PERCENT, 10_000, "gift")
    for mode in TaxMode:
        p = price_basket([line(1_000, rate=SALES)], d, mode)
        assert p.total == 0 and p.tax_total == 0 and p.lines[0].amount == 0


def test_tax_for_both_modes():
    assert tax_for(1_100_000, Decimal("0.10"), TaxMode.INCLUSIVE) == 100_000
    assert tax_for(1_000_000, Decimal("0.10"), TaxMode.EXCLUSIVE) == 100_000
    assert tax_for(0, Decimal("0.08875"), TaxMode.EXCLUSIVE) == 0


@pytest.mark.parametrize("kwargs, message", [
    (dict(kind=DiscountKind.PERCENT, value=500, reason="  "), "needs a reason"),
    (dict(kind=DiscountKind.AMOUNT, value=-1, reason="oops"), "cannot be negative"),
    (dict(kind=DiscountKind.PERCENT, value=10_001, reason="too much"), "exceed 100"),
])
def test_invalid_discounts_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Discount(**kwargs)
