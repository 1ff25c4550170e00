""""No sale": open the cash drawer without a sale -- a permission, always audited.

Why: opening the drawer outside a sale is how cash goes missing, so it needs
`Permission.NO_SALE` (managers; a cashier needs a manager's PIN through the override
dialog) and every opening is written to the audit log (who, and who approved) *before* the
drawer is kicked: no audit row, no opening. The kick goes through the print queue (the
drawer hangs on the receipt printer) and is tried once, never later by surprise; the
screen's banner says whether the drawer opened.

It needs the services, the screen's banner and permission gate, and who is signed in, never
the screen itself (the Sell screen hosts it; ui.banner, ui.permission_gate).
UI thread only; the audit row is written on the database worker.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject

from hardware.print_job_view import JobState, JobView
from pos_app.auth import Associate, Permission
from ui.banner import Banner
from ui.permission_gate import PermissionGate
from ui.printing.wording import PrintWording
from ui.services import AppServices


class NoSale(QObject):
    def __init__(self, services: AppServices, banner: Banner, gate: PermissionGate,
                 associate: Callable[[], Associate | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._banner = banner
        self._gate = gate
        self._associate = associate
        self._wording = PrintWording(self)
        self._job_id: str | None = None
        if services.printing is not None:
            services.printing.job_changed.connect(self._job_changed)

    def start(self) -> None:
        printing = self._services.printing
        if self._associate() is None:
            return
        if printing is None or not printing.has_printer:
            self._banner.show_error(self.tr("No receipt printer set up: the cash drawer opens "
                                            "through the printer. Use the drawer's key."))
            return
        self._gate.with_permission(Permission.NO_SALE,
                                   self.tr("Opening the cash drawer without a sale needs a "
                                           "manager."),
                                   self._approved)

    def _approved(self, approved_by: str | None) -> None:
        associate = self._associate()
        actor = associate.id if associate else None
        till = self._services.till
        self._services.tasks.run_db(lambda: till.record_no_sale(actor, approved_by or actor),
                                    lambda _row: self._kick(),
                                    lambda exc: self._banner.show_error(
                                        self.tr("The drawer was not opened: %1")
                                        .replace("%1", str(exc))))

    def _kick(self) -> None:
        self._job_id = self._services.printing.open_drawer()
        self._banner.show_info(self.tr("Opening the cash drawer…"))

    def _job_changed(self, view: JobView) -> None:
        if view.job_id != self._job_id or not view.finished:
            return
        self._job_id = None
        text = self._wording.job(view)
        if view.state is JobState.PRINTED:
            self._banner.show_info(text)
        else:
            self._banner.show_error(text)
