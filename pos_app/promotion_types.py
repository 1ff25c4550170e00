"""The promotion a line can carry, and the line discount it makes.

Why a module of its own: a looked-up item (pos_app.catalog.SellableItem) carries its active
promotions, and pos_app.promotions finds them for items; the type both need lives here, so
neither imports the other.

Pure code: safe on any thread.
"""
from __future__ import annotations

from dataclasses import dataclass

from pos_app.pricing import Discount, DiscountKind

PERCENT_OFF = "percent_off"  # value in basis points
AMOUNT_OFF = "amount_off"  # value in minor units per unit sold


@dataclass(frozen=True, slots=True)
class Promotion:
    """One active promotion as the basket needs it (the targeting was done by the query)."""

    id: str
    name: str  # the receipt's discount reason
    kind: str  # PERCENT_OFF | AMOUNT_OFF
    value: int

    def discount(self, quantity: int) -> Discount:
        """This promotion as a line discount on `quantity` units (amount_off is per unit)."""
        if self.kind == PERCENT_OFF:
            return Discount(DiscountKind.PERCENT, self.value, self.name)
        return Discount(DiscountKind.AMOUNT, self.value * quantity, self.name)
