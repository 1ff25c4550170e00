"""Taking an external tender through its payment intent, and resolving what a crash left open.

Why: DESIGN.md §3 — the intent is written before the request leaves, a lost answer is
resolved by asking (status), never by sending the payment again, and after any crash each
intent ends attached to a committed sale or voided/reversed and shown. This module is the one
place that orders those steps, for every external tender: the card terminal
(`TerminalAuthoriser` over the `PaymentTerminal` port), and HQ for gift cards, store credit
and VietQR transfers (their authorisers live with their clients and follow the same
`Authoriser` protocol).

Thread: a payments worker (the calls block on the network for up to minutes while a card is
presented); never the UI thread, never the database worker (which must stay free to scan).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from typing import Callable, Protocol

from pos_app.payments.intents import IntentState, IntentStore, PaymentIntent
from pos_app.payments.terminal import TerminalError, TerminalOutcome, TerminalResult
from pos_app.ports import PaymentTerminal
from pos_app.tenders import TenderType

log = logging.getLogger(__name__)

STATUS_ATTEMPTS = 3  # status queries after an answer was lost, before the cashier is told


class Authoriser(Protocol):
    """Who authorises one kind of external tender. None of these raise for trouble on the
    way: every failure is a TerminalResult (UNREACHABLE, UNKNOWN, ...)."""

    def authorise(self, intent: PaymentIntent) -> TerminalResult: ...

    def status(self, intent: PaymentIntent) -> TerminalResult: ...

    def void(self, intent: PaymentIntent) -> TerminalResult: ...  # APPROVED: it went through

    def cancel(self, intent: PaymentIntent) -> None: ...  # stop an authorise in progress


class TerminalAuthoriser:
    """Card payments through an integrated terminal (hardware/terminals/). A terminal whose
    settings are wrong raises TerminalError (its certificate names another terminal, its key
    is not the till's); here that becomes an answer: for a payment, nothing was charged (the
    terminal refused or never read it); for a status query or a void, no answer (UNKNOWN:
    asked again later, never taken as "nothing charged")."""

    def __init__(self, terminal: PaymentTerminal) -> None:
        self._terminal = terminal

    def authorise(self, intent: PaymentIntent) -> TerminalResult:
        try:
            return self._terminal.pay(intent.id, intent.amount, intent.currency)
        except TerminalError as exc:
            return TerminalResult(TerminalOutcome.UNREACHABLE, intent.id, message=str(exc))

    def status(self, intent: PaymentIntent) -> TerminalResult:
        try:
            return self._terminal.status(intent.id)
        except TerminalError as exc:
            return TerminalResult(TerminalOutcome.UNKNOWN, intent.id, message=str(exc))

    def void(self, intent: PaymentIntent) -> TerminalResult:
        original = intent.result or TerminalResult(TerminalOutcome.APPROVED, intent.id,
                                                   intent.amount, intent.currency)
        try:
            return self._terminal.reverse(intent.id, original)
        except TerminalError as exc:
            return TerminalResult(TerminalOutcome.UNKNOWN, intent.id, message=str(exc))

    def cancel(self, intent: PaymentIntent) -> None:
        try:
            self._terminal.abort(intent.id)
        except TerminalError:
            log.warning("payment intent %s: the abort could not reach the terminal", intent.id)


def authorise(store: IntentStore, authoriser: Authoriser, *, sale_id: str,
              tender: TenderType, amount: int, currency: str, basket: dict | None = None,
              associate_id: str | None = None,
              on_opened: Callable[[PaymentIntent], None] | None = None) -> PaymentIntent:
    """Open the intent (committed), then ask; a lost answer is followed by status queries,
    never by a second payment. Returns the intent as it stands: approved, failed, or still
    unknown (the cashier is told; start-up or "Check again" resolves it). `on_opened` gets
    the intent once it is durable (the UI keeps its id to cancel it)."""
    intent = store.open(sale_id, tender, amount, currency, basket=basket,
                        associate_id=associate_id)
    if on_opened is not None:
        on_opened(intent)
    result = authoriser.authorise(intent)
    intent = store.record(intent.id, result)
    attempts = 0
    while intent.state is IntentState.UNKNOWN and attempts < STATUS_ATTEMPTS:
        attempts += 1
        intent = store.record(intent.id, authoriser.status(intent))
    return intent


def check_again(store: IntentStore, authoriser: Authoriser, intent_id: str) -> PaymentIntent:
    """The cashier asks what became of an unknown payment."""
    intent = store.get(intent_id)
    if intent.state is IntentState.PENDING or intent.state is IntentState.UNKNOWN:
        intent = store.record(intent.id, authoriser.status(intent))
    return intent


def void(store: IntentStore, authoriser: Authoriser, intent_id: str) -> PaymentIntent:
    """Give the money back for an approved intent that is not in a sale (the cashier took
    the tender back, the sale was abandoned, or a crash left it). Unknown ones are asked
    first: an approval found is voided, a failure needs nothing."""
    intent = check_again(store, authoriser, intent_id)
    if intent.state is not IntentState.APPROVED:
        return intent
    answer = authoriser.void(intent)
    if answer.approved:
        return store.mark_voided(intent.id, answer)
    log.warning("payment intent %s: the void was not confirmed (%s)", intent.id,
                answer.outcome.value)
    return intent


class Resolution(str, Enum):
    NOT_CHARGED = "not_charged"  # the request failed or never arrived: nothing to do
    REVERSED = "reversed"  # it was approved, the sale never committed: voided/reversed
    STILL_OPEN = "still_open"  # no answer yet (terminal or HQ away): asked again later
    VOID_FAILED = "void_failed"  # approved, and the void did not go through: a manager


@dataclass(frozen=True, slots=True)
class Resolved:
    intent: PaymentIntent
    resolution: Resolution


def resolve_open(store: IntentStore, authorisers: dict[TenderType, Authoriser]
                 ) -> list[Resolved]:
    """At start-up, before any new sale: every intent a crash left open (none of them can
    belong to a sale in progress, there is none yet) ends voided or failed, or is reported
    as still open. What the cashier is shown comes from the list."""
    done: list[Resolved] = []
    for intent in store.unresolved():
        authoriser = authorisers.get(intent.tender)
        if authoriser is None:
            done.append(Resolved(intent, Resolution.STILL_OPEN))
            continue
        try:
            after = void(store, authoriser, intent.id)
        except Exception:  # noqa: BLE001 - one broken intent must not hide the others
            log.exception("payment intent %s could not be resolved at start-up", intent.id)
            done.append(Resolved(intent, Resolution.STILL_OPEN))
            continue
        if after.state is IntentState.FAILED:
            resolution = Resolution.NOT_CHARGED
        elif after.state is IntentState.VOIDED:
            resolution = Resolution.REVERSED
        elif after.state is IntentState.APPROVED:
            resolution = Resolution.VOID_FAILED
        else:
            resolution = Resolution.STILL_OPEN
        log.info("payment intent %s (%s) resolved at start-up: %s", intent.id,
                 intent.tender.value, resolution.value)
        done.append(Resolved(after, resolution))
    return done
