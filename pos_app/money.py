"""Money as an integer count of minor units plus an ISO 4217 currency code.

Why: floats lose cents and dong; DESIGN.md §3 makes integer minor units an invariant. The
number of minor digits comes from CLDR through Babel (VND 0, USD 2, BHD 3), and formatting
for the store's locale goes through Babel too ("1.250.000 ₫", "$12.50"). Decimal appears only
at the formatting boundary (an exact scaleb, never a rounding) and inside tax and discount
arithmetic (see `pos_app.tax`).

Pure code: safe on any thread.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency, get_currency_precision, get_currency_symbol


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined."""


@lru_cache(maxsize=64)
def minor_digits(currency: str) -> int:
    """Decimal places of the currency's minor unit per CLDR (VND -> 0, USD -> 2)."""
    return get_currency_precision(currency)


@dataclass(frozen=True, slots=True, order=False)
class Money:
    """An exact amount: `minor` units of `currency` (e.g. Money(1250, "USD") is $12.50)."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise TypeError(f"Money.minor must be int, got {type(self.minor).__name__}")
        if len(self.currency) != 3 or not self.currency.isupper():
            raise ValueError(f"Not an ISO 4217 currency code: {self.currency!r}")

    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(0, currency)

    @classmethod
    def parse(cls, text: str, currency: str) -> "Money":
        """Parse a plain decimal string typed by a person ("12.5", "1250000") exactly.

        Raises ValueError when the text has more decimals than the currency allows.
        """
        cleaned = text.strip().replace(" ", "").replace("_", "")
        try:
            value = Decimal(cleaned)
        except Exception as exc:  # decimal.InvalidOperation and friends
            raise ValueError(f"Not an amount: {text!r}") from exc
        if not value.is_finite():  # "NaN", "Infinity": Decimal parses them, money has none
            raise ValueError(f"Not an amount: {text!r}")
        scaled = value.scaleb(minor_digits(currency))
        if scaled != scaled.to_integral_value():
            raise ValueError(
                f"{text!r} has more decimals than {currency} allows ({minor_digits(currency)})"
            )
        return cls(int(scaled), currency)

    def _check(self, other: "Money") -> None:
        if not isinstance(other, Money):
            raise TypeError(f"Cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} vs {other.currency}")

    def __add__(self, other: "Money") -> "Money":
        self._check(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._check(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.minor, self.currency)

    def __mul__(self, qty: int) -> "Money":
        if not isinstance(qty, int) or isinstance(qty, bool):
            raise TypeError("Money can only be multiplied by an integer quantity")
        return Money(self.minor * qty, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: "Money") -> bool:
        self._check(other)
        return self.minor < other.minor

    def __le__(self, other: "Money") -> bool:
        self._check(other)
        return self.minor <= other.minor

    def __gt__(self, other: "Money") -> bool:
        self._check(other)
        return self.minor > other.minor

    def __ge__(self, other: "Money") -> bool:
        self._check(other)
        return self.minor >= other.minor

    def __bool__(self) -> bool:
        return self.minor != 0

    def as_decimal(self) -> Decimal:
        """The exact major-unit value (12.50 for 1250 USD minor units); no rounding happens."""
        return Decimal(self.minor).scaleb(-minor_digits(self.currency))

    def format(self, locale: str) -> str:
        """Format for a locale through Babel, e.g. "1.250.000 ₫" (vi_VN) or "$12.50" (en_US)."""
        return format_money(self.minor, self.currency, locale)

    def __str__(self) -> str:  # for logs and debugging; UI code uses format()
        return f"{self.as_decimal()} {self.currency}"


@lru_cache(maxsize=4096)
def format_money(minor: int, currency: str, locale: str) -> str:
    """Babel formatting, cached because the basket view formats the same amounts repeatedly."""
    value = Decimal(minor).scaleb(-minor_digits(currency))
    return format_currency(value, currency, locale=locale)


def currency_symbol(currency: str, locale: str) -> str:
    return get_currency_symbol(currency, locale=locale)


def sum_money(items: "list[Money] | tuple[Money, ...]", currency: str) -> Money:
    """Sum amounts of one currency; an empty list is zero."""
    total = Money.zero(currency)
    for item in items:
        total = total + item
    return total
