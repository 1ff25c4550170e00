"""The basket on the Sell screen: what the cashier sees change as they scan and edit."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from pos_app.basket import MAX_QUANTITY, Basket, BasketError
from pos_app.catalog import SellableItem
from pos_app.money import Money
from pos_app.pricing import Discount, DiscountKind, TaxMode


def item(pk: int, price: int, *, name="Áo sơ mi lụa", currency="VND", tax_code="VAT10",
         rate="0.10") -> SellableItem:
    return SellableItem(variant_pk=pk, variant_id=f"var-{pk}", sku=f"SKU-{pk}", name=name,
                        size="M", colour="Trắng", price_minor=price, currency=currency,
                        tax_code=tax_code, tax_rate=Decimal(rate))


SHIRT = item(1, 199_000)
DRESS = item(2, 459_000, name="Đầm maxi hoa")
TOTE = item(3, 150_000, name="Túi vải canvas", tax_code="VAT8", rate="0.08")


@pytest.fixture
def basket() -> Basket:
    return Basket("VND", TaxMode.INCLUSIVE)


def test_scanning_the_same_item_twice_makes_one_line_of_two(basket):
    first = basket.add(SHIRT)
    second = basket.add(SHIRT)
    assert len(basket.lines) == 1
    assert second.line_id == first.line_id
    assert basket.lines[0].quantity == 2
    assert basket.item_count() == 2
    assert basket.total() == Money(398_000, "VND")


def test_same_item_after_another_item_starts_a_new_line(basket):
    basket.add(SHIRT)
    basket.add(DRESS)
    basket.add(SHIRT, 2)
    assert [(ln.item.sku, ln.quantity) for ln in basket.lines] == [
        ("SKU-1", 1), ("SKU-2", 1), ("SKU-1", 2)]
    assert basket.total() == Money(3 * 199_000 + 459_000, "VND")


def test_a_discounted_or_noted_line_is_not_merged_into(basket):
    line = basket.add(SHIRT)
    basket.set_line_discount(line.line_id, Discount(DiscountKind.PERCENT, 1000, "damaged"))
    basket.add(SHIRT)
    assert len(basket.lines) == 2
    basket.add(TOTE, note="1.250 kg")
    basket.add(TOTE, note="0.500 kg")
    assert len(basket.lines) == 4
    assert [ln.note for ln in basket.lines[2:]] == ["1.250 kg", "0.500 kg"]


@pytest.mark.parametrize("qty", [0, -1])
def test_quantity_below_one_is_refused_with_a_clear_message(basket, qty):
    with pytest.raises(BasketError, match="^Quantity must be a whole number of at least 1$"):
        basket.add(SHIRT, qty)
    assert basket.is_empty


@pytest.mark.parametrize("qty", [1.5, True, "2"])
def test_quantity_must_be_a_whole_number(basket, qty):
    with pytest.raises(BasketError, match="whole number"):
        basket.add(SHIRT, qty)  # type: ignore[arg-type]


def test_quantity_above_the_maximum_is_refused(basket):
    with pytest.raises(BasketError, match=f"^Quantity cannot exceed {MAX_QUANTITY}$"):
        basket.add(SHIRT, MAX_QUANTITY + 1)
    assert basket.is_empty
    basket.add(SHIRT, MAX_QUANTITY)  # the maximum itself is fine
    assert basket.lines[0].quantity == MAX_QUANTITY


def test_merging_past_the_maximum_leaves_the_line_as_it_was(basket):
    basket.add(SHIRT, MAX_QUANTITY - 1)
    with pytest.raises(BasketError, match=f"cannot exceed {MAX_QUANTITY}"):
        basket.add(SHIRT, 2)
    assert basket.lines[0].quantity == MAX_QUANTITY - 1


def test_set_quantity(basket):
    line = basket.add(DRESS)
    basket.set_quantity(line.line_id, 3)
    assert basket.line(line.line_id).quantity == 3
    assert basket.total() == Money(1_377_000, "VND")
    with pytest.raises(BasketError, match="at least 1"):
        basket.set_quantity(line.line_id, 0)
    with pytest.raises(BasketError, match="cannot exceed"):
        basket.set_quantity(line.line_id, MAX_QUANTITY + 1)
    assert basket.line(line.line_id).quantity == 3


def test_item_in_another_currency_is_refused(basket):
    usd = item(9, 1_000, currency="USD", tax_code="SALES", rate="0.08875")
    with pytest.raises(BasketError, match="priced in USD, the store sells in VND"):
        basket.add(usd)
    assert basket.is_empty


def test_remove_a_line(basket):
    shirt = basket.add(SHIRT)
    basket.add(DRESS)
    basket.remove(shirt.line_id)
    assert [ln.item.sku for ln in basket.lines] == ["SKU-2"]
    assert basket.total() == Money(459_000, "VND")
    with pytest.raises(BasketError, match="no longer in the basket"):
        basket.remove(shirt.line_id)
    with pytest.raises(BasketError, match="no longer in the basket"):
        basket.set_quantity(shirt.line_id, 2)


def test_discounts_need_a_reason():
    with pytest.raises(ValueError, match="needs a reason"):
        Discount(DiscountKind.PERCENT, 1000, "")
    with pytest.raises(ValueError, match="needs a reason"):
        Discount(DiscountKind.AMOUNT, 10_000, "   ")


def test_line_and_basket_discounts_change_the_total(basket):
    shirt = basket.add(SHIRT, 2)  # 398.000
    basket.add(TOTE)  # 150.000
    basket.set_line_discount(shirt.line_id, Discount(DiscountKind.PERCENT, 1000, "damaged"))
    assert basket.total() == Money(398_000 - 39_800 + 150_000, "VND")
    basket.set_basket_discount(Discount(DiscountKind.AMOUNT, 8_200, "round down"))
    assert basket.total() == Money(500_000, "VND")
    priced = basket.priced()
    assert priced.line_discounts == 39_800 and priced.basket_discount == 8_200
    basket.set_line_discount(shirt.line_id, None)
    basket.set_basket_discount(None)
    assert basket.total() == Money(548_000, "VND")


def test_price_override_is_recorded_with_who_approved_it(basket):
    line = basket.add(DRESS)
    assert not basket.line(line.line_id).overridden
    basket.override_price(line.line_id, 399_000, approved_by="manager-1")
    overridden = basket.line(line.line_id)
    assert overridden.unit_price == 399_000
    assert overridden.item.price_minor == 459_000  # the list price stays on record
    assert overridden.overridden
    assert overridden.price_override_by == "manager-1"
    assert basket.total() == Money(399_000, "VND")
    # scanning the same dress again adds it at its list price, not the overridden one
    basket.add(DRESS)
    assert [ln.unit_price for ln in basket.lines] == [399_000, 459_000]


def test_negative_override_is_refused(basket):
    line = basket.add(DRESS)
    with pytest.raises(BasketError, match="cannot be negative"):
        basket.override_price(line.line_id, -1, approved_by="manager-1")
    assert basket.line(line.line_id).unit_price == 459_000


def test_clear_empties_lines_discount_and_customer(basket):
    basket.add(SHIRT)
    basket.set_basket_discount(Discount(DiscountKind.PERCENT, 500, "loyalty"))
    basket.customer_id = "cust-1"
    basket.clear()
    assert basket.is_empty and basket.discount is None and basket.customer_id is None
    assert basket.total() == Money(0, "VND")


def test_snapshot_is_immutable_and_unaffected_by_later_edits(basket):
    line = basket.add(SHIRT, 2)
    basket.set_basket_discount(Discount(DiscountKind.AMOUNT, 10_000, "goodwill"))
    snap = basket.snapshot()
    assert snap.priced.total == 388_000

    basket.set_quantity(line.line_id, 5)
    basket.add(DRESS)
    basket.set_basket_discount(None)
    basket.customer_id = "cust-9"

    assert isinstance(snap.lines, tuple)
    assert len(snap.lines) == 1 and snap.lines[0].quantity == 2
    assert snap.discount is not None and snap.discount.value == 10_000
    assert snap.priced.total == 388_000
    assert snap.customer_id is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.currency = "USD"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.lines[0].quantity = 7  # type: ignore[misc]
    with pytest.raises(AttributeError):
        snap.lines.append(snap.lines[0])  # type: ignore[attr-defined]


def test_usd_exclusive_basket_total_includes_sales_tax():
    b = Basket("USD", TaxMode.EXCLUSIVE)
    b.add(item(7, 1_000, currency="USD", tax_code="SALES", rate="0.08875"))
    assert b.total() == Money(1_089, "USD")
    assert b.total().format("en_US") == "$10.89"
