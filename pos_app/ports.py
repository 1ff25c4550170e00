"""Interfaces that the outer layers implement (DESIGN.md §2): pos_app owns them.

`hardware/` implements ReceiptPrinter, CashDrawer and PaymentTerminal; the composition root
(ui/app.py) plugs them in. The printer's job, status and outcome types live in
pos_app.receipts.printing.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pos_app.payments.terminal import TerminalResult
    from pos_app.receipts.printing import PrintJob, PrintOutcome, PrinterStatus


class Clock(Protocol):
    def now_utc(self) -> datetime: ...


class SystemClock:
    """The device clock, in UTC. A wrong clock never reorders sales: order is the journal seq."""

    def now_utc(self) -> datetime:
        return datetime.now(timezone.utc)


def utc_iso(moment: datetime) -> str:
    """"2026-11-22T21:03:43.123456Z": sortable text for SQLite columns."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class ReceiptPrinter(Protocol):
    """A receipt printer (hardware.printer.EscposPrinter). Both methods block on I/O for at
    most the printer's short timeouts: call them on a print worker, never the UI thread. They
    never raise for printer trouble: every failure is a PrintOutcome / PrinterStatus."""

    def send(self, job: PrintJob) -> PrintOutcome: ...

    def status(self) -> PrinterStatus: ...


class CashDrawer(Protocol):
    """The cash drawer behind a receipt printer's kick-out connector (ESC p)."""

    def open_drawer(self) -> PrintOutcome: ...

    def drawer_open(self) -> bool | None: ...  # None: the printer does not report it


class PaymentTerminal(Protocol):
    """A card terminal integrated with the till (hardware/terminals/; types in
    pos_app.payments.terminal). Every call blocks on the network for at most the terminal's
    timeouts: a worker thread, never the UI thread. None raises for terminal trouble: every
    failure is a TerminalResult (UNREACHABLE, BUSY, UNKNOWN, ...). `intent_id` is the payment
    intent's id, written durably before `pay` is called: the terminal's transaction is named
    by it, so `status(intent_id)` finds it after a lost answer."""

    def pay(self, intent_id: str, amount: int, currency: str) -> TerminalResult: ...

    def abort(self, intent_id: str) -> None: ...  # cancel a `pay` in progress (any thread)

    def status(self, intent_id: str) -> TerminalResult: ...

    def reverse(self, intent_id: str, original: TerminalResult) -> TerminalResult: ...

    def refund(self, refund_id: str, original: TerminalResult, amount: int
               ) -> TerminalResult: ...


# No HQClient port here: pos_app never calls HQ. sync/ drives the exchange itself (it reads the
# outbox and applies HQ's changes through pos_app's database layer), so the client's interface
# is sync.hq_client.HQClient.
