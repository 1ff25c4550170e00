"""The till's payment authorisers, run off the UI thread.

Why: a card payment blocks for as long as the customer takes to present her card (up to
minutes); the database worker must stay free for scans, and the UI thread never waits
(DESIGN.md §5). `PaymentDesk` hands each authorisation to the I/O pool
(pos_app/payments/authorisation.py writes the intent first, then asks), and its answer comes
back on the UI thread. It is also where the start-up resolves what a crash left open.

Thread: methods are called on the UI thread; the work runs on the I/O pool; callbacks come
back on the UI thread (ui/tasks.py).
"""
from __future__ import annotations

from typing import Callable

from pos_app.payments import authorisation
from pos_app.payments.authorisation import Authoriser, Resolved
from pos_app.payments.intents import IntentStore, PaymentIntent
from pos_app.payments.standalone import standalone_approval
from pos_app.store_context import read_setting, write_setting
from pos_app.tenders import TenderType
from ui.tasks import TaskManager

Done = Callable[[object], None]
Failed = Callable[[BaseException], None]


class PaymentDesk:
    def __init__(self, tasks: TaskManager, intents: IntentStore,
                 authorisers: dict[TenderType, Authoriser] | None = None,
                 writer=None) -> None:
        self._tasks = tasks
        self.intents = intents
        self._authorisers = dict(authorisers or {})
        self._writer = writer  # the device database, for the terminal's settings

    def read_setting(self, key: str, on_done: Done) -> None:
        """A device setting (the card terminal's), read on the database worker."""
        def read():
            with self._writer.connect() as conn:
                return read_setting(conn, key)
        self._tasks.run_db(read, on_done, lambda _e: on_done(None))

    def write_setting(self, key: str, value, on_done: Done, on_error: Failed) -> None:
        def write():
            with self._writer.begin() as conn:
                write_setting(conn, key, value)
        self._tasks.run_db(write, on_done, on_error)

    def can_take(self, tender: TenderType) -> bool:
        return tender in self._authorisers

    def set_authoriser(self, tender: TenderType, authoriser: Authoriser | None) -> None:
        """New settings (a terminal set up or removed) apply to the next payment."""
        if authoriser is None:
            self._authorisers.pop(tender, None)
        else:
            self._authorisers[tender] = authoriser

    def authorise(self, tender: TenderType, *, sale_id: str, amount: int, currency: str,
                  basket: dict | None, associate_id: str | None,
                  on_opened: Callable[[PaymentIntent], None], on_done: Done,
                  on_error: Failed) -> None:
        """Open the intent and ask; `on_opened(intent)` runs on the I/O thread as soon as the
        intent is durable (the page keeps its id so Cancel can reach the terminal)."""
        authoriser = self._authorisers[tender]
        self._tasks.run_io(lambda: authorisation.authorise(
            self.intents, authoriser, sale_id=sale_id, tender=tender, amount=amount,
            currency=currency, basket=basket, associate_id=associate_id,
            on_opened=on_opened), on_done, on_error)

    def record_standalone(self, *, sale_id: str, amount: int, currency: str,
                          approval_code: str, last4: str, associate_id: str | None,
                          approved_by: str | None, on_done: Done, on_error: Failed) -> None:
        """A stand-alone terminal's approval, as the cashier typed it from the slip: an
        intent opened and approved at once (pos_app/payments/standalone.py)."""
        def record() -> PaymentIntent:
            intent = self.intents.open(sale_id, TenderType.CARD, amount, currency,
                                       associate_id=associate_id)
            answer = standalone_approval(intent.id, amount, currency, approval_code, last4)
            note = f"stand-alone terminal; approved by {approved_by}" if approved_by else ""
            return self.intents.record(intent.id, answer, note)
        self._tasks.run_db(record, on_done, on_error)

    def cancel(self, intent: PaymentIntent) -> None:
        """Ask the terminal to stop waiting for the card (its answer ends `authorise`)."""
        authoriser = self._authorisers.get(intent.tender)
        if authoriser is not None:
            self._tasks.run_io(lambda: authoriser.cancel(intent), None, lambda _e: None)

    def check_again(self, intent_id: str, tender: TenderType, on_done: Done,
                    on_error: Failed) -> None:
        authoriser = self._authorisers[tender]
        self._tasks.run_io(lambda: authorisation.check_again(self.intents, authoriser,
                                                             intent_id), on_done, on_error)

    def void(self, intent_id: str, tender: TenderType, on_done: Done, on_error: Failed) -> None:
        authoriser = self._authorisers[tender]
        self._tasks.run_io(lambda: authorisation.void(self.intents, authoriser, intent_id),
                           on_done, on_error)

    def resolve_open(self, on_done: Callable[[list[Resolved]], None]) -> None:
        """At start-up: void or close every intent a crash left open; `on_done` gets what
        happened, for the cashier."""
        authorisers = dict(self._authorisers)
        self._tasks.run_io(lambda: authorisation.resolve_open(self.intents, authorisers),
                           on_done, lambda _e: None)
