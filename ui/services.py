"""What screens are given: the object graph built once by the composition root (ui/app.py).

Why: no global singletons (DESIGN.md §2). Every screen receives this small bundle and reaches
the database only through `tasks` (background threads) and `till` (use cases).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo
from typing import TYPE_CHECKING, Callable

from pos_app.money import format_money
from pos_app.services.till import TillService
from pos_app.store_context import StoreContext
from ui.tasks import TaskManager
from ui.theme import LayoutMode

if TYPE_CHECKING:
    from ui.customers.desk import CustomerDesk
    from ui.payments.payment_desk import PaymentDesk
    from ui.printing.print_bridge import PrintBridge


@dataclass
class AppServices:
    ctx: StoreContext
    till: TillService
    tasks: TaskManager
    layout: LayoutMode
    language: str = "en"
    sync_now: Callable[[], None] | None = None  # set when this device syncs with HQ
    sync_status: Callable[[], object] | None = None  # the last sync.status.SyncStatus
    printing: "PrintBridge | None" = None  # the receipt printer's queue (ui/printing)
    customers: "CustomerDesk | None" = None  # clienteling: live look-ups + use cases
    payments: "PaymentDesk | None" = None  # intents and authorisers (ui/payments)

    def money(self, minor: int) -> str:
        """Format an amount of the store's currency for the store's locale (Babel)."""
        return format_money(minor, self.ctx.currency, self.ctx.locale)


def local_time(utc_iso: str, timezone: str) -> str:
    """"2026-11-22T21:03:43.123456Z" -> "04:03" in the store's time zone (shown, not stored)."""
    moment = datetime.strptime(utc_iso[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt_timezone.utc)
    return moment.astimezone(ZoneInfo(timezone)).strftime("%H:%M")
