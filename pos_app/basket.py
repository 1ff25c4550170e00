"""The basket being rung up: lines, quantities, discounts, overrides and its priced totals.

Why: the Sell screen edits a basket many times per sale; keeping it a plain in-memory object
(no session, no Qt) makes every edit instant and testable. Prices come from `pos_app.pricing`,
which owns the rounding rule. Nothing here touches the database: checkout persists it.

Ownership: one basket per till session, edited on the UI thread only; checkout receives a
frozen snapshot (`Basket.snapshot()`), so the database worker never shares mutable state.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from pos_app.catalog import SellableItem
from pos_app.money import Money
from pos_app.promotion_types import Promotion
from pos_app.promotions import best_promotion
from pos_app.pricing import (
    Discount,
    PricedBasket,
    PricedLineInput,
    TaxMode,
    price_basket,
)

MAX_QUANTITY = 9999


class BasketError(ValueError):
    """A basket edit was refused; the message is shown to the associate as is."""


@dataclass(frozen=True, slots=True)
class BasketLine:
    line_id: str
    item: SellableItem
    quantity: int
    unit_price: int  # may differ from item.price_minor after an approved override
    discount: Discount | None = None
    price_override_by: str | None = None  # manager (or permitted associate) who set the price
    note: str | None = None  # e.g. "1.250 kg" for a variable-measure code
    # set when `discount` is HQ's automatic promotion (no manager approval: HQ decided it);
    # None with a discount: the associate's own line discount
    promotion: Promotion | None = None

    @property
    def overridden(self) -> bool:
        return self.unit_price != self.item.price_minor


@dataclass(frozen=True, slots=True)
class BasketSnapshot:
    """An immutable copy handed to checkout (crosses to the database worker thread)."""

    currency: str
    tax_mode: TaxMode
    lines: tuple[BasketLine, ...]
    discount: Discount | None
    priced: PricedBasket
    customer_id: str | None


@dataclass
class Basket:
    currency: str
    tax_mode: TaxMode
    lines: list[BasketLine] = field(default_factory=list)
    discount: Discount | None = None
    customer_id: str | None = None

    # --- edits -------------------------------------------------------------------------------
    def add(self, item: SellableItem, quantity: int = 1, *, unit_price: int | None = None,
            note: str | None = None) -> BasketLine:
        """Add an item; the same plain item again increases the last line's quantity."""
        if item.currency != self.currency:
            raise BasketError(f"{item.sku} is priced in {item.currency}, the store sells in {self.currency}")
        _check_quantity(quantity)
        price = item.price_minor if unit_price is None else unit_price
        if self.lines and note is None:
            last = self.lines[-1]
            if (last.item.variant_pk == item.variant_pk and last.unit_price == price
                    and (last.discount is None or last.promotion is not None)
                    and last.note is None):
                updated = _with_promotion(replace(last, quantity=last.quantity + quantity))
                _check_quantity(updated.quantity)
                self.lines[-1] = updated
                return updated
        line = _with_promotion(BasketLine(str(uuid.uuid4()), item, quantity, price, note=note))
        self.lines.append(line)
        return line

    def set_quantity(self, line_id: str, quantity: int) -> None:
        _check_quantity(quantity)
        self._replace(line_id, quantity=quantity)

    def remove(self, line_id: str) -> None:
        idx = self._index(line_id)
        del self.lines[idx]

    def set_line_discount(self, line_id: str, discount: Discount | None) -> None:
        """The associate's discount replaces any promotion (one discount per line); removing
        it (None) brings back the best active promotion, if the item has one."""
        self._replace(line_id, discount=discount, promotion=None)

    def set_basket_discount(self, discount: Discount | None) -> None:
        self.discount = discount

    def override_price(self, line_id: str, unit_price: int, approved_by: str) -> None:
        if unit_price < 0:
            raise BasketError("A price cannot be negative")
        self._replace(line_id, unit_price=unit_price, price_override_by=approved_by)

    def clear(self) -> None:
        self.lines.clear()
        self.discount = None
        self.customer_id = None

    # --- reading -----------------------------------------------------------------------------
    def line(self, line_id: str) -> BasketLine:
        return self.lines[self._index(line_id)]

    @property
    def is_empty(self) -> bool:
        return not self.lines

    def priced(self) -> PricedBasket:
        return price_basket(
            [PricedLineInput(ln.unit_price, ln.quantity, ln.item.tax_code, ln.item.tax_rate,
                             ln.discount) for ln in self.lines],
            self.discount,
            self.tax_mode,
        )

    def total(self) -> Money:
        return Money(self.priced().total, self.currency)

    def item_count(self) -> int:
        return sum(ln.quantity for ln in self.lines)

    def snapshot(self) -> BasketSnapshot:
        return BasketSnapshot(self.currency, self.tax_mode, tuple(self.lines), self.discount,
                              self.priced(), self.customer_id)

    # --- internals ---------------------------------------------------------------------------
    def _index(self, line_id: str) -> int:
        for i, ln in enumerate(self.lines):
            if ln.line_id == line_id:
                return i
        raise BasketError("That line is no longer in the basket")

    def _replace(self, line_id: str, **changes) -> None:
        idx = self._index(line_id)
        self.lines[idx] = _with_promotion(replace(self.lines[idx], **changes))


def _with_promotion(line: BasketLine) -> BasketLine:
    """`line` with the best promotion of its item for its current quantity and unit price as
    its discount; a line with the associate's own discount keeps it."""
    if line.discount is not None and line.promotion is None:
        return line
    best = best_promotion(line.item.promotions, line.unit_price, line.quantity)
    if best is None:
        return replace(line, discount=None, promotion=None)
    return replace(line, discount=best.discount(line.quantity), promotion=best)


def _check_quantity(quantity: int) -> None:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise BasketError("Quantity must be a whole number of at least 1")
    if quantity > MAX_QUANTITY:
        raise BasketError(f"Quantity cannot exceed {MAX_QUANTITY}")
