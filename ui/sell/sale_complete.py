"""The sale-complete view: receipt number, total, change in large type, the receipt's print
state and a preview of the receipt, "Reprint" and "New sale".

Shown only after checkout's commit returned (DESIGN.md §3: nothing is shown as done before
the commit). The receipt prints in the background (ui/printing/print_bridge.py); this view
follows its job: "Printing the receipt…", "Receipt printed.", or what is wrong and that the
receipt is kept, with "Retry". Counter layout: details left, the receipt right; tablet
layout: the receipt below. UI thread only.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QBoxLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget)

from hardware.print_job_view import JobKind, JobState, JobView
from pos_app.services.checkout import CompletedSale
from ui.printing.receipt_preview import ReceiptPreview
from ui.printing.wording import PrintWording
from ui.services import AppServices
from ui.theme import LayoutMode


PRINT_STATE_QSS = """
QLabel { padding: 8px; border-radius: 6px; font-size: 16px; }
QLabel[level="info"] { background: #e7f1fb; color: #1f5f8b; border: 1px solid #9cc2e5; }
QLabel[level="ok"] { background: #e8f5e9; color: #2e7d32; border: 1px solid #a5d6a7; }
QLabel[level="warning"] { background: #fff4e5; color: #8a5300; border: 1px solid #f0c27b; }
QLabel[level="error"] { background: #fde7e6; color: #b3261e; border: 1px solid #b3261e; }
"""


class SaleCompleteView(QWidget):
    new_sale = Signal()

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SaleComplete")
        self._money = services.money
        self._printing = services.printing
        self._wording = PrintWording(self)
        self._sale: CompletedSale | None = None
        self._jobs: set[str] = set()  # this sale's receipt job and its reprints
        self._job: JobView | None = None  # the latest state of one of them
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 28px; font-weight: bold; color: #2e7d32;")
        self.receipt = QLabel(self)
        self.total = QLabel(self)
        self.total.setStyleSheet("font-size: 22px;")
        self.change = QLabel(self)
        self.change.setObjectName("ChangeGiven")
        self.change.setStyleSheet("font-size: 40px; font-weight: bold;")
        self.points = QLabel(self)  # issue 5: what her sale earns (HQ books it on arrival)
        self.points.setObjectName("PointsEarned")
        self.print_state = QLabel(self)
        self.print_state.setObjectName("PrintState")
        self.print_state.setWordWrap(True)
        self.print_state.setProperty("level", "none")
        self.print_state.setStyleSheet(PRINT_STATE_QSS)
        self.retry_btn = QPushButton(self)
        self.retry_btn.setObjectName("RetryPrint")
        self.retry_btn.clicked.connect(self.retry)
        self.reprint_btn = QPushButton(self)
        self.reprint_btn.setObjectName("Reprint")
        self.reprint_btn.clicked.connect(self.reprint)
        self.button = QPushButton(self)
        self.button.setObjectName("NewSale")
        self.button.setProperty("role", "primary")
        self.button.setMinimumHeight(64)
        self.button.clicked.connect(self.new_sale.emit)
        self.preview = ReceiptPreview(services.printing, self)

        details = QVBoxLayout()
        details.addStretch(1)
        for w in (self.title, self.receipt, self.total, self.change, self.points):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            details.addWidget(w)
        details.addSpacing(12)
        details.addWidget(self.print_state)
        print_row = QHBoxLayout()
        print_row.addWidget(self.retry_btn)
        print_row.addWidget(self.reprint_btn)
        details.addLayout(print_row)
        details.addSpacing(12)
        details.addWidget(self.button)
        details.addStretch(2)
        tablet = services.layout is LayoutMode.TABLET
        row = QBoxLayout(QBoxLayout.Direction.TopToBottom if tablet
                         else QBoxLayout.Direction.LeftToRight, self)
        row.addLayout(details, 0 if tablet else 3)
        row.addWidget(self.preview, 1 if tablet else 2)
        if self._printing is not None:
            self._printing.job_changed.connect(self._job_changed)
        self.retry_btn.hide()
        self.reprint_btn.setVisible(self._printing is not None)
        self.retranslate()

    def show_sale(self, sale: CompletedSale) -> None:
        self._sale = sale
        self._job = None
        self._jobs = set()
        if self._printing is not None:
            self._jobs.add(self._printing.receipt_job_id(sale.sale_id))
            self.preview.show_receipt(sale.sale_id)
        self.retranslate()

    def reprint(self) -> None:
        """Print the receipt again, marked "COPY" (the customer wants a second one)."""
        if self._sale is None or self._printing is None:
            return
        self._jobs.add(self._printing.reprint(self._sale.sale_id))

    def retry(self) -> None:
        if self._job is not None and self._printing is not None:
            self._printing.retry(self._job.job_id)

    def _job_changed(self, view: JobView) -> None:
        if view.job_id in self._jobs:
            self._job = view
            self._show_print_state()

    def _show_print_state(self) -> None:
        view = self._job
        printing = self._printing
        if self._sale is None or printing is None:
            self.print_state.setText("")
            self.retry_btn.hide()
            return
        if view is None:  # no report yet: the job is on its way, or there is no printer
            state = JobState.QUEUED if printing.has_printer else JobState.NO_PRINTER
            text = self._wording.job(JobView("", JobKind.RECEIPT, self._sale.sale_id,
                                             self._sale.receipt_no, state))
            level = "info" if printing.has_printer else "warning"
        else:
            text = self._wording.job(view)
            level = ("error" if view.stuck else
                     "warning" if view.state in (JobState.NO_PRINTER, JobState.DISCARDED)
                     else "ok" if view.state is JobState.PRINTED else "info")
        self.retry_btn.setVisible(view is not None and view.stuck)
        self.reprint_btn.setEnabled(printing.has_printer)
        self.print_state.setText(text)
        if self.print_state.property("level") != level:
            self.print_state.setProperty("level", level)
            self.print_state.style().unpolish(self.print_state)
            self.print_state.style().polish(self.print_state)

    @property
    def print_level(self) -> str:
        return self.print_state.property("level")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Sale complete"))
        self.button.setText(self.tr("New sale"))
        self.retry_btn.setText(self.tr("Retry"))
        self.reprint_btn.setText(self.tr("Reprint"))
        sale = self._sale
        if sale is None:
            return
        self.receipt.setText(self.tr("Receipt %1").replace("%1", sale.receipt_no))
        self.total.setText(self.tr("Total %1").replace("%1", self._money(sale.total)))
        self.change.setText(self.tr("Change %1").replace("%1", self._money(sale.change)))
        earned = getattr(sale, "points_earned", None)
        self.points.setVisible(earned is not None)
        if earned is not None:
            self.points.setText(self.tr("Loyalty points earned: %1").replace("%1", str(earned)))
        self._show_print_state()

