""""No sale": open the cash drawer without a sale -- a permission, always audited.

Why: opening the drawer outside a sale is how cash goes missing, so it needs
`Permission.NO_SALE` (managers; a cashier needs a manager's PIN through the override
dialog) and every opening is written to the audit log (who, and who approved) *before* the
drawer is kicked: no audit row, no opening. The kick goes through the print queue (the
drawer hangs on the receipt printer) and is tried once, never later by surprise; the Sell
screen's banner says whether the drawer opened.

UI thread only; the audit row is written on the database worker.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from hardware.print_job_view import JobState, JobView
from pos_app.auth import Permission
from ui.printing.wording import PrintWording

if TYPE_CHECKING:
    from ui.sell.sell_screen import SellScreen


class NoSale(QObject):
    def __init__(self, sell: "SellScreen") -> None:
        super().__init__(sell)
        self._sell = sell
        self._wording = PrintWording(self)
        self._job_id: str | None = None
        if sell.services.printing is not None:
            sell.services.printing.job_changed.connect(self._job_changed)

    def start(self) -> None:
        sell, printing = self._sell, self._sell.services.printing
        if sell.associate is None:
            return
        if printing is None or not printing.has_printer:
            sell.show_error(self.tr("No receipt printer set up: the cash drawer opens through "
                                    "the printer. Use the drawer's key."))
            return
        sell.with_permission(Permission.NO_SALE,
                             self.tr("Opening the cash drawer without a sale needs a manager."),
                             self._approved)

    def _approved(self, approved_by: str | None) -> None:
        sell = self._sell
        actor = sell.associate.id if sell.associate else None
        till = sell.services.till
        sell.services.tasks.run_db(lambda: till.record_no_sale(actor, approved_by or actor),
                                   lambda _row: self._kick(),
                                   lambda exc: sell.show_error(
                                       self.tr("The drawer was not opened: %1")
                                       .replace("%1", str(exc))))

    def _kick(self) -> None:
        self._job_id = self._sell.services.printing.open_drawer()
        self._sell.show_info(self.tr("Opening the cash drawer…"))

    def _job_changed(self, view: JobView) -> None:
        if view.job_id != self._job_id or not view.finished:
            return
        self._job_id = None
        text = self._wording.job(view)
        if view.state is JobState.PRINTED:
            self._sell.show_info(text)
        else:
            self._sell.show_error(text)
