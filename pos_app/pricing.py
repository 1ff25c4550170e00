"""Tax and discount arithmetic: the one place where Decimal meets money.

Rounding rule (DESIGN.md §3 asks for it written down):

1. A line's gross is `unit price x quantity` in minor units (exact integers).
2. A percentage discount on a line is `gross x percent`, rounded HALF-UP to the minor unit;
   an amount discount is capped at the line's gross.
3. A basket discount (percentage of, or an amount off, the lines after their own discounts) is
   split over the lines in proportion to their amounts by the largest-remainder method, so the
   parts add up to the basket discount exactly. Ties go to the earlier line.
4. Tax is computed once per tax rate on the sum of that rate's line amounts, rounded HALF-UP:
   - VAT-inclusive stores (Vietnam): the amounts already contain the tax;
     `tax = amount x rate / (1 + rate)`; the total is the sum of the line amounts.
   - Tax-exclusive stores (US sales tax): `tax = amount x rate`; the total is the sum of the
     line amounts plus the tax.
   Each rate's tax is then split over its lines by largest remainder (for receipts and returns).
5. Hence, to the minor unit: total == sum(line amounts) + (exclusive ? tax : 0), and the
   lines' tax shares add up to the tax total. `tests/pos_app/test_pricing_properties.py`
   checks this with hypothesis.

Pure code: safe on any thread.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Sequence

from pos_app.text_rules import check_text


class TaxMode(str, Enum):
    INCLUSIVE = "inclusive"
    EXCLUSIVE = "exclusive"


class DiscountKind(str, Enum):
    PERCENT = "percent"  # value in basis points: 1500 = 15 %
    AMOUNT = "amount"  # value in minor units


@dataclass(frozen=True, slots=True)
class Discount:
    kind: DiscountKind
    value: int
    reason: str
    approved_by: str | None = None  # associate id of the manager who approved it, if needed

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("A discount needs a reason")
        check_text(self.reason, "discount reason")
        if self.value < 0:
            raise ValueError("A discount cannot be negative")
        if self.kind is DiscountKind.PERCENT and self.value > 10_000:
            raise ValueError("A discount cannot exceed 100 %")


def round_half_up(value: Decimal) -> int:
    """Round a Decimal count of minor units to an int, halves away from zero."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def discount_amount(discount: Discount | None, base: int) -> int:
    """Minor units taken off `base` by `discount` (rule 2): never more than the base."""
    if discount is None or base <= 0:
        return 0
    if discount.kind is DiscountKind.PERCENT:
        off = round_half_up(Decimal(base) * discount.value / Decimal(10_000))
    else:
        off = discount.value
    return min(off, base)


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` over `weights` proportionally; parts are integers that sum to `total`.

    Largest-remainder method; ties go to the earliest index. Zero weights get nothing
    unless all weights are zero, in which case the split is even.
    """
    n = len(weights)
    if n == 0:
        if total:
            raise ValueError("Cannot allocate a non-zero amount over no lines")
        return []
    weight_sum = sum(weights)
    if weight_sum <= 0:
        weights = [1] * n
        weight_sum = n
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    base = [magnitude * w // weight_sum for w in weights]
    remainders = [(magnitude * w % weight_sum, -i) for i, w in enumerate(weights)]
    leftover = magnitude - sum(base)
    for _, neg_i in sorted(remainders, reverse=True)[:leftover]:
        base[-neg_i] += 1
    return [sign * b for b in base]


@dataclass(frozen=True, slots=True)
class PricedLineInput:
    unit_price: int
    quantity: int
    tax_code: str
    tax_rate: Decimal  # 0.10 for 10 %
    discount: Discount | None = None


@dataclass(frozen=True, slots=True)
class PricedLine:
    gross: int  # unit price x quantity
    line_discount: int
    basket_discount: int  # this line's share of the basket discount
    amount: int  # what the line contributes (before tax in exclusive stores)
    tax: int  # this line's share of its rate's tax


@dataclass(frozen=True, slots=True)
class TaxSummary:
    tax_code: str
    rate: Decimal
    base: int  # sum of line amounts at this rate
    tax: int


@dataclass(frozen=True, slots=True)
class PricedBasket:
    lines: tuple[PricedLine, ...]
    subtotal: int  # sum of gross
    line_discounts: int
    basket_discount: int
    tax: tuple[TaxSummary, ...]
    tax_total: int
    total: int  # what the customer pays


def tax_for(base: int, rate: Decimal, mode: TaxMode) -> int:
    if mode is TaxMode.INCLUSIVE:
        return round_half_up(Decimal(base) * rate / (1 + rate))
    return round_half_up(Decimal(base) * rate)


def price_basket(
    lines: Sequence[PricedLineInput], basket_discount: Discount | None, mode: TaxMode
) -> PricedBasket:
    """Apply rules 1-5 of the module docstring to a basket."""
    gross = [ln.unit_price * ln.quantity for ln in lines]
    line_off = [discount_amount(ln.discount, g) for ln, g in zip(lines, gross)]
    after_line = [g - d for g, d in zip(gross, line_off)]
    basket_off_total = discount_amount(basket_discount, sum(after_line))
    basket_off = allocate(basket_off_total, after_line) if lines else []
    amounts = [a - b for a, b in zip(after_line, basket_off)]

    groups: dict[tuple[str, Decimal], list[int]] = {}
    for i, ln in enumerate(lines):
        groups.setdefault((ln.tax_code, ln.tax_rate), []).append(i)
    line_tax = [0] * len(lines)
    summaries = []
    for (code, rate), idx in sorted(groups.items(), key=lambda kv: (-kv[0][1], kv[0][0])):
        base = sum(amounts[i] for i in idx)
        tax = tax_for(base, rate, mode)
        for i, share in zip(idx, allocate(tax, [amounts[i] for i in idx])):
            line_tax[i] = share
        summaries.append(TaxSummary(code, rate, base, tax))
    tax_total = sum(s.tax for s in summaries)
    total = sum(amounts) + (tax_total if mode is TaxMode.EXCLUSIVE else 0)
    priced = tuple(
        PricedLine(g, lo, bo, a, t)
        for g, lo, bo, a, t in zip(gross, line_off, basket_off, amounts, line_tax)
    )
    return PricedBasket(
        lines=priced,
        subtotal=sum(gross),
        line_discounts=sum(line_off),
        basket_discount=basket_off_total,
        tax=tuple(summaries),
        tax_total=tax_total,
        total=total,
    )
