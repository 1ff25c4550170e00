"""Interfaces that the outer layers implement (DESIGN.md §2): pos_app owns them.

`hardware/` implements ReceiptPrinter, CashDrawer and PaymentTerminal; the composition root
(ui/app.py) plugs them in. Later issues fill in their methods.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Protocol


class Clock(Protocol):
    def now_utc(self) -> datetime: ...


class SystemClock:
    """The device clock, in UTC. A wrong clock never reorders sales: order is the journal seq."""

    def now_utc(self) -> datetime:
        return datetime.now(timezone.utc)


def utc_iso(moment: datetime) -> str:
    """"2026-11-22T21:03:43.123456Z": sortable text for SQLite columns."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class CashDrawer(Protocol):
    def open(self) -> None: ...


class ReceiptPrinter(Protocol):
    def print_receipt(self, sale_id: str) -> None: ...


class PaymentTerminal(Protocol):
    def authorise(self, amount_minor: int, currency: str, reference: str) -> dict: ...


# No HQClient port here: pos_app never calls HQ. sync/ drives the exchange itself (it reads the
# outbox and applies HQ's changes through pos_app's database layer), so the client's interface
# is sync.hq_client.HQClient.
