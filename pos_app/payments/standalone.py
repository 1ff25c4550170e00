"""A card payment taken on a stand-alone terminal (not connected to the till).

Why: when the integrated terminal is down, or a store has only a stand-alone one, the cashier
keys the amount on the terminal, the customer pays there, and the cashier types what the
terminal's slip says into the till: the approval code and the card's last four digits. The
till cannot check any of it, so above a limit per store a manager approves (her PIN), and the
payment is recorded as an intent approved by the cashier's word (reference "standalone"),
exactly like an integrated approval, so checkout and HQ see one kind of card payment.

Never more card data than the last four digits: anything else typed is refused.

Pure code (the intent is written by the caller on the database worker): any thread.
"""
from __future__ import annotations

import re

from pos_app.payments.terminal import TerminalOutcome, TerminalResult
from pos_app.tenders import TenderError

STANDALONE_REFERENCE = "standalone"
# Above this, a manager approves a stand-alone card payment (minor units, per currency). The
# store's own limit replaces it once HQ publishes store settings to the till.
MANAGER_ABOVE = {"VND": 5_000_000, "USD": 50_000, "EUR": 50_000}
_APPROVAL = re.compile(r"[A-Za-z0-9]{2,8}")
_LAST4 = re.compile(r"[0-9]{4}")


class StandaloneRefused(TenderError):
    """What the cashier typed cannot be a stand-alone card approval; `field` says which."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def needs_manager(amount: int, currency: str) -> bool:
    return amount > MANAGER_ABOVE.get(currency, 0)


def standalone_approval(intent_id: str, amount: int, currency: str, approval_code: str,
                        last4: str) -> TerminalResult:
    """The approval as the stand-alone terminal's slip states it."""
    code = approval_code.strip().upper()
    digits = last4.strip()
    if not _APPROVAL.fullmatch(code):
        raise StandaloneRefused("approval_code", "The approval code is 2 to 8 letters or "
                                                 "digits, as printed on the terminal's slip")
    if not _LAST4.fullmatch(digits):
        raise StandaloneRefused("last4", "Type only the card's last 4 digits")
    return TerminalResult(TerminalOutcome.APPROVED, intent_id, amount, currency,
                          message="stand-alone terminal", reference=STANDALONE_REFERENCE,
                          auth_code=code, masked_pan=f"**** {digits}")
