"""External tenders as checkout accepts them: through a payment intent approved for the sale.

Tests that are about the sale, the receipt or the journal (not about the terminal) pay by card
this way: the intent is opened and the terminal's approval recorded exactly as the payments
worker does it (pos_app/payments/authorisation.py), without a terminal in the room.
"""
from __future__ import annotations

from pos_app.payments.intents import IntentStore
from pos_app.payments.terminal import TerminalOutcome, TerminalResult
from pos_app.tenders import Payment, TenderType


def approved_card(engine, clock, sale_id: str, amount: int, currency: str, *,
                  reference: str = "PSP-TEST", masked_pan: str = "**** 4242",
                  auth_code: str = "A1B2C3") -> Payment:
    store = IntentStore(engine, engine, clock)
    intent = store.open(sale_id, TenderType.CARD, amount, currency)
    intent = store.record(intent.id, TerminalResult(
        TerminalOutcome.APPROVED, intent.id, amount, currency, reference=reference,
        auth_code=auth_code, masked_pan=masked_pan))
    return intent.payment()
