"""Interfaces that the outer layers implement (DESIGN.md §2): pos_app owns them.

`hardware/` implements ReceiptPrinter, CashDrawer and PaymentTerminal; the composition root
(ui/app.py) plugs them in. The printer's job, status and outcome types live in
pos_app.receipt_printing.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pos_app.receipt_printing import PrintJob, PrintOutcome, PrinterStatus


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
    def authorise(self, amount_minor: int, currency: str, reference: str) -> dict: ...


# No HQClient port here: pos_app never calls HQ. sync/ drives the exchange itself (it reads the
# outbox and applies HQ's changes through pos_app's database layer), so the client's interface
# is sync.hq_client.HQClient.
