"""What the till asks a card terminal, and what it hears back: the types of the
`PaymentTerminal` port (pos_app/ports.py).

Why: the till never sees card data (DESIGN.md §3); a terminal answers with a token-like
reference, a masked PAN ("**** 1234"), an approval code and the lines of its own slip. Every
request carries the payment intent's id (pos_app/payments/, written durably before the request
leaves the till), so a lost answer is resolved by asking what became of that id
(`status`), never by sending the payment again. A protocol (Adyen's Terminal API today,
hardware/terminals/) maps its answers onto these outcomes; an answer it cannot trust (bad
HMAC, unparseable) is UNKNOWN, never APPROVED.

Pure types: safe on any thread. The terminal calls themselves block on the network: a worker
thread, never the UI thread.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class TerminalOutcome(str, Enum):
    APPROVED = "approved"  # the card was charged for `amount`
    DECLINED = "declined"  # the issuer or the terminal refused: nothing charged
    CANCELLED = "cancelled"  # cancelled on the terminal or from the till: nothing charged
    BUSY = "busy"  # the terminal is serving another request: nothing charged, try later
    UNREACHABLE = "unreachable"  # the request never reached the terminal: nothing charged
    UNKNOWN = "unknown"  # sent, but no trustworthy answer: ask `status`, never pay again
    NOT_FOUND = "not_found"  # (status only) the terminal never received that request


# The outcomes that guarantee no money moved for the request.
NOTHING_CHARGED = frozenset({TerminalOutcome.DECLINED, TerminalOutcome.CANCELLED,
                             TerminalOutcome.BUSY, TerminalOutcome.UNREACHABLE,
                             TerminalOutcome.NOT_FOUND})


@dataclass(frozen=True, slots=True)
class TerminalResult:
    """The terminal's answer to a payment, a status query, a refund or a reversal."""

    outcome: TerminalOutcome
    intent_id: str  # the payment intent the request was about
    amount: int = 0  # minor units the terminal approved (0 unless APPROVED)
    currency: str = ""
    message: str = ""  # why, in the terminal's words ("Insufficient funds", "Card expired")
    reference: str | None = None  # the processor's reference (Adyen's pspReference)
    auth_code: str | None = None  # the issuer's approval code
    masked_pan: str | None = None  # "**** 1234": never more than the last four digits
    card_brand: str | None = None  # "visa", "mc", ...
    receipt_lines: tuple[str, ...] = ()  # the cardholder slip lines the terminal returned

    @property
    def approved(self) -> bool:
        return self.outcome is TerminalOutcome.APPROVED

    @property
    def nothing_charged(self) -> bool:
        return self.outcome in NOTHING_CHARGED


class TerminalError(Exception):
    """The terminal's settings are wrong (bad address, key, certificate): a message for the
    manager who set it up; raised before anything is sent."""
