"""The Receipts screen: this till's latest receipts, find one by its number, reprint it.

Why: "Reprint" for the last or any past receipt (issue 4): a customer comes back for a gift
receipt, or a receipt did not print while the printer was out of paper and the customer came
back later. The list (newest first) says when, how much, who sold it and whether the
receipt printed; the selected receipt is previewed beside it, and "Reprint" prints it again
marked COPY (never opening the drawer). Data comes from the database worker.

UI thread only.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QBoxLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from hardware.print_job_view import JobState, JobView
from pos_app.receipts.receipt import local_time_of
from pos_app.services.receipts_query import ReceiptRow
from ui.printing.receipt_preview import ReceiptPreview
from ui.printing.wording import PrintWording
from ui.services import AppServices
from ui.theme import LayoutMode


class ReceiptsScreen(QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReceiptsScreen")
        self.services = services
        self._wording = PrintWording(self)
        self._generation = 0
        self.rows: list[ReceiptRow] = []
        self.search = QLineEdit(self)
        self.search.setObjectName("ReceiptSearch")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.refresh)
        self.search.textChanged.connect(lambda t: self.refresh() if not t else None)
        self.find_btn = QPushButton(self)
        self.find_btn.clicked.connect(self.refresh)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("ReceiptsTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.reprint_btn = QPushButton(self)
        self.reprint_btn.setObjectName("ReprintSelected")
        self.reprint_btn.setProperty("role", "primary")
        self.reprint_btn.clicked.connect(self.reprint_selected)
        self.message = QLabel(self)
        self.message.setObjectName("ReceiptsMessage")
        self.message.setWordWrap(True)
        self.preview = ReceiptPreview(services.printing, self)
        self._job_id: str | None = None
        if services.printing is not None:
            services.printing.job_changed.connect(self._job_changed)

        find = QHBoxLayout()
        find.addWidget(self.search, 1)
        find.addWidget(self.find_btn)
        left = QVBoxLayout()
        left.addLayout(find)
        left.addWidget(self.table, 1)
        left.addWidget(self.message)
        left.addWidget(self.reprint_btn)
        tablet = services.layout is LayoutMode.TABLET
        main = QBoxLayout(QBoxLayout.Direction.TopToBottom if tablet
                          else QBoxLayout.Direction.LeftToRight, self)
        main.addLayout(left, 3)
        main.addWidget(self.preview, 2)
        self.retranslate()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Receipt number, e.g. 123 or HCM1-T01-000123"))
        self.find_btn.setText(self.tr("Find"))
        self.reprint_btn.setText(self.tr("Reprint as copy"))
        self.table.setHorizontalHeaderLabels([self.tr("Receipt"), self.tr("Time"),
                                              self.tr("Total"), self.tr("Sold by"),
                                              self.tr("Printed")])
        self._show(self.rows)

    def refresh(self) -> None:
        """Load the latest receipts, or the ones matching the search (database worker)."""
        self._generation += 1
        generation = self._generation
        query = self.search.text()
        self.services.tasks.run_db(lambda: self.services.till.receipts(query),
                                   lambda rows: self._loaded(generation, rows),
                                   lambda exc: self._say(str(exc), error=True))

    def _loaded(self, generation: int, rows: list[ReceiptRow]) -> None:
        if generation != self._generation:
            return
        chosen = self._selected_row()
        self._show(rows)
        if not rows:
            self.preview.clear()
            self._say(self.tr("No receipt with that number on this till.")
                      if self.search.text().strip() else self.tr("No sales on this till yet."))
        else:  # the one chosen before, else the newest (or the one found), at once
            ids = [r.sale_id for r in rows]
            self.table.selectRow(ids.index(chosen.sale_id) if chosen and chosen.sale_id in ids
                                 else 0)

    def _show(self, rows: list[ReceiptRow]) -> None:
        self.rows = rows
        printed = {"printed": self.tr("yes"), "pending": self.tr("waiting"),
                   "skipped": self.tr("no printer"), "discarded": self.tr("no"),
                   "expired": self.tr("no"), None: "–"}
        tz = self.services.ctx.timezone
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            when = local_time_of(row.created_at, tz).strftime("%d/%m %H:%M")
            cells = (row.receipt_no, when, self.services.money(row.total), row.associate_name,
                     printed.get(row.print_status, row.print_status))
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.reprint_btn.setEnabled(self._selected_row() is not None)

    def _selected_row(self) -> ReceiptRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _selected(self) -> None:
        row = self._selected_row()
        self.reprint_btn.setEnabled(row is not None)
        self._say("")
        if row is not None:
            self.preview.show_receipt(row.sale_id, copy=True)

    def reprint_selected(self) -> None:
        row = self._selected_row()
        printing = self.services.printing
        if row is None or printing is None:
            return
        if not printing.has_printer:
            self._say(self.tr("No receipt printer set up: a manager sets one up in Settings."),
                      error=True)
            return
        self._job_id = printing.reprint(row.sale_id)
        self._say(self.tr("Printing a copy of %1…").replace("%1", row.receipt_no))

    def _job_changed(self, view: JobView) -> None:
        if view.job_id != self._job_id:
            return
        self._say(self._wording.job(view), error=view.stuck or view.state is JobState.FAILED)
        if view.finished:
            self._job_id = None
            self.refresh()

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e;" if error else "")
