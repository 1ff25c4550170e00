"""Tenders: how a sale is paid, designed for split payments.

Why: a sale may be paid by several tenders (cash, card terminal, QR bank transfer, gift card,
store credit, loyalty points). This issue implements cash with change; the model already holds
a list of payments so later tender types slot in without changing checkout.

No card data ever lives here (DESIGN.md §3): a card payment will carry only a terminal token,
a masked PAN (last 4) and an authorisation code.

Pure code: safe on any thread.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import Enum


class TenderType(str, Enum):
    CASH = "cash"
    CARD = "card"
    QR_TRANSFER = "qr_transfer"
    GIFT_CARD = "gift_card"
    STORE_CREDIT = "store_credit"
    LOYALTY = "loyalty"  # points redeemed: reference "<points> pts" (docs/clienteling.md)
    LOYALTY_POINTS = "loyalty"  # the same member under its older name


# Tenders whose money moves outside the till: each goes through a payment intent
# (pos_app/payments/intents.py) written before the request leaves.
EXTERNAL_TENDERS = frozenset({TenderType.CARD, TenderType.QR_TRANSFER, TenderType.GIFT_CARD,
                              TenderType.STORE_CREDIT})


class TenderError(ValueError):
    """A payment was refused; the message is shown to the cashier as is."""


@dataclass(frozen=True, slots=True)
class Payment:
    tender: TenderType
    amount: int  # minor units applied to the sale
    tendered: int  # minor units handed over (cash) — equals amount for non-cash tenders
    change: int = 0
    reference: str | None = None  # terminal token, transfer reference, gift card id ...
    masked_pan: str | None = None  # "**** 1234" only; never a full card number
    auth_code: str | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    # LOYALTY only: authorised from the till's saved data while HQ was unreachable, so it
    # counts against the customer's offline limit (pos_app.loyalty). Not sent to HQ.
    offline: bool = False


def cash_payment(due: int, tendered: int) -> Payment:
    """Cash against an amount due: the payment applies `due` and returns the change."""
    if due <= 0:
        raise TenderError("Nothing is due")
    if tendered < due:
        raise TenderError("The cash tendered is less than the amount due")
    return Payment(TenderType.CASH, amount=due, tendered=tendered, change=tendered - due)


def loyalty_payment(points: int, amount: int, *, offline: bool) -> Payment:
    """Points as a tender: `amount` minor units paid by `points` (checked by the caller,
    pos_app.services.clienteling; its id is HQ's ledger entry id, so a retry never doubles)."""
    if points <= 0 or amount <= 0:
        raise TenderError("A loyalty payment needs at least one point")
    return Payment(TenderType.LOYALTY, amount=amount, tendered=amount,
                   reference=f"{points} pts", offline=offline)


def remaining(total: int, payments: list[Payment] | tuple[Payment, ...]) -> int:
    return total - sum(p.amount for p in payments)


# Notes in circulation, in minor units, for the quick-cash buttons.
_NOTES: dict[str, tuple[int, ...]] = {
    "VND": (10_000, 20_000, 50_000, 100_000, 200_000, 500_000),
    "USD": (100, 500, 1_000, 2_000, 5_000, 10_000),
    "EUR": (500, 1_000, 2_000, 5_000, 10_000, 20_000),
}


def quick_cash_amounts(due: int, currency: str, count: int = 6) -> list[int]:
    """Amounts a customer is likely to hand over: exact, then `due` rounded up to each note.

    E.g. 762.300 ₫ -> [762.300, 770.000, 780.000, 800.000, 1.000.000].
    """
    notes = _NOTES.get(currency, ())
    options: list[int] = [due]
    for note in notes:
        rounded = -(-due // note) * note
        if rounded not in options:
            options.append(rounded)
    options = sorted(set(options))
    return options[:count]
