"""Payment intents: an external authorisation made crash-safe (DESIGN.md §3).

Why: a card terminal, a bank transfer, a gift card or store credit moves money outside the
till. If the till crashed between "the terminal approved" and "the sale committed", the
customer would be charged without a sale; if it sent the payment again after a lost answer,
she would be charged twice. So every external authorisation is first written here, durably
(its own committed transaction, synchronous=FULL), with the in-progress basket, *before* the
request leaves the till, and then walks one way through these states:

    pending ──answer──▶ approved ──sale commits (same transaction)──▶ attached
       │                    └──────void/reversal went through────────▶ voided
       ├──nothing charged (declined, cancelled, busy, unreachable, never received)──▶ failed
       └──no trustworthy answer──▶ unknown ──status──▶ approved | failed

`attached`, `voided` and `failed` are final: a late or repeated answer never moves an intent
out of them (a record of "approved" arriving after "voided" is ignored and logged). A sale is
written only with external payments whose intents are `approved` for that sale, and the
same transaction turns them `attached` (`attach`, called by pos_app/services/checkout.py):
so after any crash each intent is attached to a committed sale, or still open and resolved at
start-up by asking (pos_app/payments/recovery.py) — voided/reversed and shown to the cashier
— never sent again.

The intent's id is the payment's id in the sale, and the id the terminal or HQ knows the
transaction by: one id from the first write to HQ's ledgers.

Thread: any thread that is not the UI thread (the payments worker writes an intent before it
asks the terminal; the database worker attaches them at checkout). Each call is one short
write transaction on the writer engine; SQLite's busy timeout serialises it with the rest.
"""
from __future__ import annotations

import json
import logging
import uuid
from dataclasses import asdict, dataclass
from enum import Enum

from sqlalchemy import Connection, Engine, text

from pos_app.payments.terminal import TerminalOutcome, TerminalResult
from pos_app.ports import Clock, utc_iso
from pos_app.tenders import EXTERNAL_TENDERS, Payment, TenderType

log = logging.getLogger(__name__)


class IntentState(str, Enum):
    PENDING = "pending"  # written; the request is about to leave or has left
    APPROVED = "approved"  # authorised; not yet in a committed sale
    UNKNOWN = "unknown"  # sent, no trustworthy answer: ask what became of it
    ATTACHED = "attached"  # a payment of a committed sale (final)
    VOIDED = "voided"  # approved, then voided or reversed: no money kept (final)
    FAILED = "failed"  # nothing was charged (final)


FINAL = frozenset({IntentState.ATTACHED, IntentState.VOIDED, IntentState.FAILED})
OPEN = (IntentState.PENDING, IntentState.APPROVED, IntentState.UNKNOWN)


class IntentError(ValueError):
    """An intent cannot be used as asked (unknown, not approved, for another sale)."""


@dataclass(frozen=True, slots=True)
class PaymentIntent:
    id: str
    sale_id: str  # the sale the basket will commit as (made on the device up front)
    tender: TenderType
    amount: int
    currency: str
    state: IntentState
    result: TerminalResult | None  # the last answer that moved it (approval, decline, void)
    message: str  # what the cashier was told about it, last
    basket: dict | None  # the in-progress basket when the intent was opened
    associate_id: str | None
    created_at: str
    updated_at: str

    def payment(self) -> Payment:
        """The approved intent as the sale's payment (same id)."""
        r = self.result
        if self.state is not IntentState.APPROVED or r is None:
            raise IntentError("Only an approved payment can be part of a sale")
        return Payment(self.tender, amount=self.amount, tendered=self.amount,
                       reference=r.reference, masked_pan=r.masked_pan, auth_code=r.auth_code,
                       id=self.id)


def _result_json(result: TerminalResult | None) -> str | None:
    if result is None:
        return None
    data = asdict(result)
    data["outcome"] = result.outcome.value
    data["receipt_lines"] = list(result.receipt_lines)
    return json.dumps(data, ensure_ascii=False)


def _result_from(text_: str | None) -> TerminalResult | None:
    if not text_:
        return None
    data = json.loads(text_)
    data["outcome"] = TerminalOutcome(data["outcome"])
    data["receipt_lines"] = tuple(data.get("receipt_lines") or ())
    return TerminalResult(**data)


_COLUMNS = ("id, sale_id, tender, amount, currency, state, result, message, basket,"
            " associate_id, created_at, updated_at")


def _intent(row) -> PaymentIntent:
    return PaymentIntent(row[0], row[1], TenderType(row[2]), int(row[3]), row[4],
                         IntentState(row[5]), _result_from(row[6]), row[7] or "",
                         json.loads(row[8]) if row[8] else None, row[9], row[10], row[11])


def state_after(current: IntentState, result: TerminalResult) -> IntentState:
    """Where an answer takes an intent. Final states never move; an approval is never undone
    by a later "unknown" (a status query that timed out says nothing new)."""
    if current in FINAL:
        return current
    if result.outcome is TerminalOutcome.APPROVED:
        return IntentState.APPROVED
    if current is IntentState.APPROVED:
        return current  # only a void moves an approval on (mark_voided)
    if result.nothing_charged:
        return IntentState.FAILED
    return IntentState.UNKNOWN


class IntentStore:
    """The `payment_intents` table of one device database."""

    def __init__(self, writer: Engine, reader: Engine, clock: Clock) -> None:
        self._writer = writer
        self._reader = reader
        self._clock = clock

    def open(self, sale_id: str, tender: TenderType, amount: int, currency: str, *,
             basket: dict | None = None, associate_id: str | None = None,
             intent_id: str | None = None) -> PaymentIntent:
        """Write a new pending intent and commit it; only then may the request leave."""
        if amount <= 0:
            raise IntentError("A payment must be more than zero")
        now = utc_iso(self._clock.now_utc())
        intent_id = intent_id or str(uuid.uuid4())
        with self._writer.begin() as conn:
            conn.execute(text(
                "INSERT INTO payment_intents(id, sale_id, tender, amount, currency, state,"
                " result, message, basket, associate_id, created_at, updated_at) VALUES"
                " (:id, :sale, :tender, :amount, :currency, 'pending', NULL, '', :basket,"
                " :assoc, :now, :now)"),
                {"id": intent_id, "sale": sale_id, "tender": tender.value, "amount": amount,
                 "currency": currency, "assoc": associate_id, "now": now,
                 "basket": json.dumps(basket, ensure_ascii=False) if basket else None})
        return self.get(intent_id)

    def get(self, intent_id: str) -> PaymentIntent:
        with self._reader.connect() as conn:
            row = conn.execute(text(f"SELECT {_COLUMNS} FROM payment_intents WHERE id = :id"),
                               {"id": intent_id}).first()
        if row is None:
            raise IntentError(f"No payment intent {intent_id}")
        return _intent(row)

    def record(self, intent_id: str, result: TerminalResult, message: str = ""
               ) -> PaymentIntent:
        """The answer to the authorisation (or to a status query) for this intent. An
        approval for another amount than the intent's is not taken as approval of this one:
        it stays unknown and is resolved by a void (a terminal never approves another amount
        than asked; a bug or a tampered answer might)."""
        if result.approved and result.amount not in (0, None):
            current = self.get(intent_id)
            if result.amount != current.amount:
                log.warning("payment intent %s: approved %s, asked %s: not taken",
                            intent_id, result.amount, current.amount)
                result = TerminalResult(TerminalOutcome.UNKNOWN, intent_id,
                                        message="approved another amount than asked",
                                        reference=result.reference)
        with self._writer.begin() as conn:
            row = conn.execute(text("SELECT state FROM payment_intents WHERE id = :id"),
                               {"id": intent_id}).first()
            if row is None:
                raise IntentError(f"No payment intent {intent_id}")
            current = IntentState(row[0])
            new = state_after(current, result)
            if new is current and current in FINAL:
                log.info("payment intent %s is %s: a later %s answer is ignored", intent_id,
                         current.value, result.outcome.value)
            else:
                keep_result = not (current is IntentState.APPROVED and not result.approved)
                conn.execute(text(
                    "UPDATE payment_intents SET state = :state, updated_at = :now,"
                    " message = :message" + (", result = :result" if keep_result else "")
                    + " WHERE id = :id"),
                    {"state": new.value, "now": utc_iso(self._clock.now_utc()),
                     "message": message or result.message, "result": _result_json(result),
                     "id": intent_id})
        return self.get(intent_id)

    def mark_voided(self, intent_id: str, result: TerminalResult, message: str = ""
                    ) -> PaymentIntent:
        """The approval was voided or reversed: no money kept. Never for an attached one."""
        with self._writer.begin() as conn:
            row = conn.execute(text("SELECT state FROM payment_intents WHERE id = :id"),
                               {"id": intent_id}).first()
            if row is None:
                raise IntentError(f"No payment intent {intent_id}")
            if IntentState(row[0]) is IntentState.ATTACHED:
                raise IntentError("This payment belongs to a completed sale: refund it "
                                  "through a return")
            conn.execute(text(
                "UPDATE payment_intents SET state = 'voided', message = :message,"
                " updated_at = :now WHERE id = :id AND state != 'attached'"),
                {"message": message or result.message or "voided",
                 "now": utc_iso(self._clock.now_utc()), "id": intent_id})
        return self.get(intent_id)

    def unresolved(self) -> list[PaymentIntent]:
        """Intents not attached, voided or failed, oldest first: what a start-up resolves and
        the payment screen shows."""
        with self._reader.connect() as conn:
            rows = conn.execute(text(
                f"SELECT {_COLUMNS} FROM payment_intents WHERE state IN"
                " ('pending', 'approved', 'unknown') ORDER BY created_at, rowid")).all()
        return [_intent(r) for r in rows]

    def for_sale(self, sale_id: str) -> list[PaymentIntent]:
        with self._reader.connect() as conn:
            rows = conn.execute(text(
                f"SELECT {_COLUMNS} FROM payment_intents WHERE sale_id = :sale"
                " ORDER BY created_at, rowid"), {"sale": sale_id}).all()
        return [_intent(r) for r in rows]


def attach(conn: Connection, sale_id: str, payments: tuple[Payment, ...] | list[Payment],
           at: str) -> None:
    """Inside checkout's transaction: every external payment of the sale must be an intent
    approved for this sale, for this amount; they become `attached` in the same commit.
    Raises IntentError (checkout then writes nothing) otherwise: never a sale paid by a
    tender that was not approved."""
    for p in payments:
        if p.tender not in EXTERNAL_TENDERS:
            continue
        row = conn.execute(text(
            "SELECT sale_id, tender, amount, state FROM payment_intents WHERE id = :id"),
            {"id": p.id}).first()
        if row is None:
            raise IntentError(f"The {p.tender.value} payment {p.id} was never authorised")
        if row[0] != sale_id or row[1] != p.tender.value or int(row[2]) != p.amount:
            raise IntentError(f"The {p.tender.value} payment {p.id} was authorised for "
                              "another sale or amount")
        if row[3] == IntentState.ATTACHED.value:
            raise IntentError(f"The {p.tender.value} payment {p.id} already paid a sale")
        if row[3] != IntentState.APPROVED.value:
            raise IntentError(f"The {p.tender.value} payment {p.id} is not approved "
                              f"({row[3]})")
        conn.execute(text("UPDATE payment_intents SET state = 'attached', updated_at = :at"
                          " WHERE id = :id"), {"at": at, "id": p.id})
