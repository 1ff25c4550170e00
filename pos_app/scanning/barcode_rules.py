"""Per-store rules for in-store variable-measure labels (scale labels with price or weight).

Why a module of its own: the store's settings hold these rules and are loaded at launch; the
parser in `pos_app.scanning.barcodes` needs biip, which is slow to import, and is loaded on the
database worker after launch (see TillService.warm_up). This module needs only the standard
library. Pure: safe on any thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class VariableMeasureRule:
    """In-store variable-measure barcode rule, configurable per store.

    Layout: prefix, item (PLU) digits, optional price check digit, value digits, then the
    overall GTIN check digit. The layout must total 13 digits (EAN-13 labels) or 12 (UPC-A
    type-2 labels, also accepted zero-padded to 13).

    value_decimals is how many decimals the printed value has: for a price, 2 means "0125" is
    1.25 in the currency; a negative number scales up (-3: the label counts thousands of dong).
    For a weight, the unit is the kilogram: 3 means "01250" is 1.250 kg (1250 g).
    """

    prefix: str
    item_digits: int
    value_kind: str
    value_digits: int
    value_decimals: int
    price_check_digit: bool = False

    def __post_init__(self) -> None:
        if not _DIGITS.fullmatch(self.prefix):
            raise ValueError(f"Rule prefix must be digits, got {self.prefix!r}")
        if self.value_kind not in ("price", "weight"):
            raise ValueError(f"value_kind must be 'price' or 'weight', got {self.value_kind!r}")
        if self.item_digits < 1 or self.value_digits < 1:
            raise ValueError("item_digits and value_digits must be at least 1")
        if self.price_check_digit and self.value_digits not in (4, 5):
            raise ValueError("GS1 defines a price check digit only for 4- or 5-digit values")
        if self.value_kind == "weight" and self.value_decimals > 3:
            raise ValueError("weights are returned in whole grams: at most 3 decimals of a kg")
        if self.length not in (12, 13):
            raise ValueError(f"Rule for prefix {self.prefix} totals {self.length} digits; "
                             "a variable-measure label has 12 (UPC-A) or 13 (EAN-13)")

    @property
    def length(self) -> int:
        """Digits in a label of this layout, including the overall check digit."""
        return (len(self.prefix) + self.item_digits + int(self.price_check_digit)
                + self.value_digits + 1)



def default_rules_vn() -> tuple[VariableMeasureRule, ...]:
    """Scale labels common in Vietnamese stores (EAN-13, 5-digit PLU, no price check digit):
    20 = price in dong (up to 99,999), 21 = price in thousands of dong,
    22, 23, 24 = weight in grams (up to 99.999 kg). Stores with other scales configure theirs."""
    return (
        VariableMeasureRule("20", 5, "price", 5, 0),
        VariableMeasureRule("21", 5, "price", 5, -3),
        *(VariableMeasureRule(p, 5, "weight", 5, 3) for p in ("22", "23", "24")),
    )


def default_rules_us() -> tuple[VariableMeasureRule, ...]:
    """UPC-A type-2 random-weight labels: "2" + 5-digit item + price check digit + 4-digit
    price in cents + check digit (12 digits; also accepted zero-padded to 13)."""
    return (VariableMeasureRule("2", 5, "price", 4, 2, price_check_digit=True),)
