"""A payment session over one basket: the tenders taken so far and what is still due.

Why: a customer pays 2.450.000 ₫ with 500.000 ₫ cash, 1.000.000 ₫ from a gift card and the
rest by card; the cashier must see what is still due after each tender, may take back a
tender that was not authorised outside the till, and the sale completes exactly when nothing
is due. The rules a cashier expects:

- every tender pays more than zero, in the basket's currency;
- only cash may be more than what is due: the difference is change (and only cash gives
  change); any other tender above the amount due is refused, naming both amounts;
- a tender authorised outside the till (card, VietQR, gift card, store credit) is not simply
  removed: the money moved, so it is voided through its payment intent
  (pos_app/payments/intents.py) and only then leaves the session;
- nothing is taken once nothing is due.

Refusals are `PaymentRefused` with a `reason` the UI translates and the amounts in minor
units (formatted by the UI in the store's locale).

Pure code: the UI thread owns a session; it holds no connection and does no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from pos_app.tenders import EXTERNAL_TENDERS, Payment, TenderError, TenderType


class Refusal(str, Enum):
    NOTHING_DUE = "nothing_due"  # the basket is paid already
    NOT_POSITIVE = "not_positive"  # a tender of zero or less
    ABOVE_DUE = "above_due"  # a tender other than cash above what is still due
    WRONG_CURRENCY = "wrong_currency"
    NOT_IN_SESSION = "not_in_session"  # removing a tender the session does not hold
    AUTHORISED = "authorised"  # removing a tender that moved money: void it instead


class PaymentRefused(TenderError):
    """A tender the session refused; nothing changed. `reason` says why (for the UI's
    translated message), `amount` and `due` are minor units."""

    def __init__(self, reason: Refusal, message: str, amount: int = 0, due: int = 0) -> None:
        super().__init__(message)
        self.reason = reason
        self.amount = amount
        self.due = due


@dataclass
class PaymentSession:
    """The tenders of one basket, in the order they were taken."""

    total: int  # minor units the basket costs
    currency: str
    payments: list[Payment] = field(default_factory=list)

    @property
    def paid(self) -> int:
        return sum(p.amount for p in self.payments)

    @property
    def due(self) -> int:
        """What is still to pay (never below zero: cash beyond it is change)."""
        return max(0, self.total - self.paid)

    @property
    def change(self) -> int:
        return sum(p.change for p in self.payments)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.due == 0

    def check(self, tender: TenderType, amount: int, currency: str | None = None) -> None:
        """Raise PaymentRefused if `amount` of `tender` cannot be taken now (a card is
        checked before the terminal is asked, so a refusal never reaches the customer's card).
        For cash, `amount` is what the customer hands over."""
        due = self.due
        if currency is not None and currency != self.currency:
            raise PaymentRefused(Refusal.WRONG_CURRENCY,
                                 f"This basket is paid in {self.currency}, not {currency}",
                                 amount, due)
        if due <= 0:
            raise PaymentRefused(Refusal.NOTHING_DUE, "Nothing is due", amount, due)
        if amount <= 0:
            raise PaymentRefused(Refusal.NOT_POSITIVE, "A payment must be more than zero",
                                 amount, due)
        if tender is not TenderType.CASH and amount > due:
            raise PaymentRefused(Refusal.ABOVE_DUE,
                                 f"{amount} is more than the {due} still due; only cash "
                                 "can be more (it gives change)", amount, due)

    def add_cash(self, handed_over: int) -> Payment:
        """Cash handed over: pays up to what is due, the rest is change."""
        self.check(TenderType.CASH, handed_over)
        applied = min(handed_over, self.due)
        payment = Payment(TenderType.CASH, amount=applied, tendered=handed_over,
                          change=handed_over - applied)
        self.payments.append(payment)
        return payment

    def add(self, payment: Payment) -> Payment:
        """A tender already authorised (or not needing it: loyalty points), as it is."""
        if payment.tender is TenderType.CASH:
            raise TenderError("Cash goes through add_cash (it may give change)")
        self.check(payment.tender, payment.amount)
        self.payments.append(payment)
        return payment

    def remove(self, payment_id: str) -> Payment:
        """Take back a tender that moved no money outside the till (cash, points)."""
        payment = next((p for p in self.payments if p.id == payment_id), None)
        if payment is None:
            raise PaymentRefused(Refusal.NOT_IN_SESSION, "No such payment in this sale")
        if payment.tender in EXTERNAL_TENDERS:
            raise PaymentRefused(Refusal.AUTHORISED,
                                 "This payment was authorised: void it to take it back",
                                 payment.amount, self.due)
        self.payments.remove(payment)
        return payment

    def drop_voided(self, payment_id: str) -> None:
        """An authorised tender whose void went through (pos_app/payments/intents.py)."""
        self.payments[:] = [p for p in self.payments if p.id != payment_id]

    def external(self) -> list[Payment]:
        return [p for p in self.payments if p.tender in EXTERNAL_TENDERS]
