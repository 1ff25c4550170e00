"""The printer on every screen: a problem banner while a receipt is stuck, and a short printer
state in the bottom status line next to the sync state.

Why: a receipt that did not print must not be forgotten when the cashier moves on to the next
customer or another screen (DESIGN.md §5: every screen says what a failed action means and
what to do). While any receipt waits, a red banner at the top of every screen says how many,
what is wrong and what to do, with "Retry" and "Discard" (the customer left: the receipt can
be reprinted later from Receipts). The status line always shows the printer's state: ready,
out of paper, not reachable, drawer open, or that no printer is set up.

UI thread only.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from hardware.print_job_view import JobView
from ui.printing.print_bridge import PrintBridge
from ui.printing.wording import PrintWording

BANNER_QSS = """
#PrintBanner { background: #fde7e6; border: 1px solid #b3261e; border-radius: 6px; }
#PrintBanner QLabel { color: #b3261e; font-weight: bold; }
"""


class PrintProblemBanner(QWidget):
    def __init__(self, bridge: PrintBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PrintBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(BANNER_QSS)
        self._bridge = bridge
        self._wording = PrintWording(self)
        self.message = QLabel(self)
        self.message.setObjectName("PrintBannerText")
        self.message.setWordWrap(True)
        self.retry_btn = QPushButton(self)
        self.retry_btn.setObjectName("PrintBannerRetry")
        self.retry_btn.setProperty("role", "primary")
        self.retry_btn.clicked.connect(lambda: self._bridge.retry())
        self.discard_btn = QPushButton(self)
        self.discard_btn.setObjectName("PrintBannerDiscard")
        self.discard_btn.clicked.connect(self.discard_all)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.message, 1)
        row.addWidget(self.retry_btn)
        row.addWidget(self.discard_btn)
        bridge.job_changed.connect(lambda _view: self.refresh())
        self.retranslate()

    def discard_all(self) -> None:
        for view in self._bridge.stuck_jobs():
            self._bridge.discard(view.job_id)

    def retranslate(self) -> None:
        self.retry_btn.setText(self.tr("Retry"))
        self.refresh()

    def refresh(self) -> None:
        stuck = self._bridge.stuck_jobs()
        self.setVisible(bool(stuck))
        if not stuck:
            return
        newest: JobView = stuck[-1]
        if len(stuck) == 1:
            what = (self.tr("Receipt %1 did not print.").replace("%1", newest.receipt_no)
                    if newest.receipt_no else self.tr("A receipt did not print."))
        else:
            what = self.tr("%1 receipts did not print.").replace("%1", str(len(stuck)))
        self.message.setText(what + " " + self._wording.job(newest))
        self.discard_btn.setText(self.tr("Discard") if len(stuck) == 1
                                 else self.tr("Discard all"))


class PrinterStateLabel(QLabel):
    """The printer's state in the status line; red while it cannot print."""

    def __init__(self, bridge: PrintBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PrinterState")
        self._bridge = bridge
        self._wording = PrintWording(self)
        bridge.status_changed.connect(lambda _s: self.refresh())
        bridge.job_changed.connect(lambda _v: self.refresh())
        bridge.settings_changed.connect(self.refresh)
        self.refresh()

    def retranslate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        bridge = self._bridge
        status = bridge.status
        text = self._wording.status(status, bridge.has_printer)
        if bridge.settings_problem:
            text = self.tr("Printer settings are not usable: %1").replace(
                "%1", bridge.settings_problem)
        stuck = len(bridge.stuck_jobs())
        if stuck:
            text += " · " + self.tr("receipts waiting: %1").replace("%1", str(stuck))
        bad = bool(stuck or bridge.settings_problem
                   or (bridge.has_printer and status is not None
                       and (not status.reachable or status.problem is not None)))
        self.setText(text)
        self.setStyleSheet("color: #b3261e; font-weight: bold;" if bad else "")
