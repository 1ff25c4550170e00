"""Catalog read model: what a look-up returns to the Sell screen.

Why: the UI and the basket need a small, immutable snapshot of a sellable variant with its
store price and tax rate, not ORM objects bound to a session that lives on another thread.

Pure code: safe on any thread.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pos_app.promotion_types import Promotion


@dataclass(frozen=True, slots=True)
class SellableItem:
    """One variant (style + size + colour) as it sells in this store."""

    variant_pk: int  # local integer key (FTS rowid)
    variant_id: str  # HQ's stable id
    sku: str
    name: str  # product name, e.g. "Áo sơ mi lụa"
    size: str | None
    colour: str | None
    price_minor: int  # store price, VAT-inclusive or -exclusive per the store's tax mode
    currency: str
    tax_code: str
    tax_rate: Decimal
    barcode: str | None = None  # the code the item was found by, if any
    # HQ promotions active for it when it was looked up (pos_app.promotions); the basket
    # makes the best one the line's discount
    promotions: tuple[Promotion, ...] = ()

    @property
    def variant_label(self) -> str:
        """"Trắng / M" style label; empty when the product has no variants."""
        return " / ".join(p for p in (self.colour, self.size) if p)


@dataclass(frozen=True, slots=True)
class SearchHit:
    item: SellableItem
    score: float  # higher is better; only used to order a capped candidate set
