"""Money: exact integer minor units, one currency at a time, Babel formatting per locale."""
from __future__ import annotations

from decimal import Decimal

import pytest

from pos_app.money import CurrencyMismatch, Money, minor_digits, sum_money


def test_minor_digits_come_from_cldr():
    assert minor_digits("VND") == 0
    assert minor_digits("USD") == 2


def test_arithmetic_is_exact_in_minor_units():
    a, b = Money(1250, "USD"), Money(375, "USD")
    assert a + b == Money(1625, "USD")
    assert a - b == Money(875, "USD")
    assert b - a == Money(-875, "USD")
    assert -a == Money(-1250, "USD")
    assert a * 3 == Money(3750, "USD")
    assert 3 * a == Money(3750, "USD")
    # the classic float trap: ten dimes are exactly one dollar
    assert sum_money([Money(10, "USD")] * 10, "USD") == Money(100, "USD")
    assert sum_money([], "VND") == Money.zero("VND")
    assert Money(199_000, "VND") * 3 == Money(597_000, "VND")


def test_comparisons_and_truthiness():
    assert Money(1, "USD") > Money(0, "USD")
    assert Money(5, "USD") <= Money(5, "USD")
    assert Money(4, "USD") < Money(5, "USD")
    assert Money(5, "USD") >= Money(4, "USD")
    assert not Money.zero("USD")
    assert Money(1, "VND")


@pytest.mark.parametrize("op", [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a < b,
    lambda a, b: a <= b,
    lambda a, b: a > b,
    lambda a, b: a >= b,
])
def test_combining_two_currencies_raises(op):
    with pytest.raises(CurrencyMismatch, match="USD vs VND"):
        op(Money(100, "USD"), Money(100, "VND"))


def test_sum_of_mixed_currencies_raises():
    with pytest.raises(CurrencyMismatch):
        sum_money([Money(1, "VND"), Money(1, "USD")], "VND")


@pytest.mark.parametrize("bad", [12.5, 12.0, Decimal("12.50"), True, "1250", None])
def test_no_floats_or_other_types_as_amounts(bad):
    with pytest.raises(TypeError):
        Money(bad, "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize("factor", [1.5, 2.0, Decimal("1.1"), True])
def test_multiplying_by_a_non_integer_is_refused(factor):
    with pytest.raises(TypeError):
        Money(1000, "USD") * factor  # type: ignore[operator]


def test_adding_a_bare_number_is_refused():
    with pytest.raises(TypeError):
        Money(1000, "USD") + 5  # type: ignore[operator]


@pytest.mark.parametrize("code", ["usd", "US", "USDX", ""])
def test_currency_must_be_an_iso_code(code):
    with pytest.raises(ValueError):
        Money(1, code)


def test_money_is_immutable():
    m = Money(1, "USD")
    with pytest.raises(AttributeError):
        m.minor = 2  # type: ignore[misc]


@pytest.mark.parametrize("typed, currency, minor", [
    ("12.50", "USD", 1250),
    ("12.5", "USD", 1250),
    (" 12 ", "USD", 1200),
    ("0.01", "USD", 1),
    ("1250000", "VND", 1_250_000),
    ("1 250 000", "VND", 1_250_000),
    ("1_250_000", "VND", 1_250_000),
    ("1250000.00", "VND", 1_250_000),  # trailing zero decimals lose nothing
    ("-3.99", "USD", -399),
])
def test_parse_is_exact(typed, currency, minor):
    assert Money.parse(typed, currency) == Money(minor, currency)


@pytest.mark.parametrize("typed, currency", [
    ("12.345", "USD"),  # a tenth of a cent does not exist
    ("0.001", "USD"),
    ("1250000.5", "VND"),  # the dong has no minor unit
    ("abc", "USD"),
    ("", "VND"),
    ("12,50", "USD"),
    ("NaN", "USD"),
    ("Infinity", "USD"),
    ("-inf", "VND"),
])
def test_parse_rejects_what_is_not_an_exact_amount(typed, currency):
    with pytest.raises(ValueError):
        Money.parse(typed, currency)


def test_as_decimal_is_the_exact_major_value():
    assert Money(1250, "USD").as_decimal() == Decimal("12.50")
    assert Money(1_250_000, "VND").as_decimal() == Decimal("1250000")


def test_babel_formats_dong_for_vietnam():
    text = Money(1_250_000, "VND").format("vi_VN")
    # CLDR puts a no-break space between the amount and the symbol so a receipt never
    # wraps "₫" onto its own line; read as a person would, it is "1.250.000 ₫".
    assert text == "1.250.000\u00a0₫"
    assert text.replace("\u00a0", " ") == "1.250.000 ₫"


def test_babel_formats_dollars_for_the_us():
    assert Money(1250, "USD").format("en_US") == "$12.50"
    assert Money(5, "USD").format("en_US") == "$0.05"
    assert Money(123_456_789, "USD").format("en_US") == "$1,234,567.89"


def test_str_shows_the_exact_amount_and_currency():
    assert str(Money(1250, "USD")) == "12.50 USD"
