"""The manager's Sync screen: what has not reached HQ yet, what HQ refused and why, and what
the till held aside because HQ failed on it.

Why: DESIGN.md §4–5 — a quarantined event is shown, never silently dropped, and a manager
closing the day must see what is still waiting. Data comes from the local outbox on the
database worker; "Sync now" asks the sync worker (when this device has one) to try at once;
"Retry held events" puts held events back in the queue (they are also retried every hour).
UI thread only.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from pos_app.services.outbox_view import OutboxOverview
from ui.services import AppServices


class SyncScreen(QWidget):
    sync_now_requested = Signal()

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SyncScreen")
        self.services = services
        self.overview: OutboxOverview | None = None
        self.summary = QLabel(self)
        self.summary.setObjectName("SyncSummary")
        self.summary.setWordWrap(True)
        self.refresh_btn = QPushButton(self)
        self.refresh_btn.clicked.connect(self.refresh)
        self.sync_btn = QPushButton(self)
        self.sync_btn.setObjectName("SyncNow")
        self.sync_btn.setProperty("role", "primary")
        self.sync_btn.clicked.connect(self.sync_now_requested.emit)
        self.retry_held_btn = QPushButton(self)
        self.retry_held_btn.setObjectName("RetryHeld")
        self.retry_held_btn.clicked.connect(self.retry_held)
        self.retry_held_btn.hide()
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("OutboxTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_btn)
        buttons.addStretch(1)
        buttons.addWidget(self.retry_held_btn)
        buttons.addWidget(self.sync_btn)
        col = QVBoxLayout(self)
        col.addWidget(self.summary)
        col.addLayout(buttons)
        col.addWidget(self.table, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.refresh_btn.setText(self.tr("Refresh"))
        self.sync_btn.setText(self.tr("Sync now"))
        self.retry_held_btn.setText(self.tr("Retry held events"))
        self.table.setHorizontalHeaderLabels([self.tr("Receipt"), self.tr("Status"),
                                              self.tr("Created (UTC)"), self.tr("Attempts"),
                                              self.tr("Reason")])
        self._show(self.overview)

    def refresh(self) -> None:
        """Re-read the outbox on the database worker."""
        self.services.tasks.run_db(self.services.till.outbox_overview, self._show,
                                   lambda exc: self.summary.setText(str(exc)))

    def retry_held(self) -> None:
        """Held events back to the queue (database worker), then sync at once."""
        def done(_count: int) -> None:
            self.sync_now_requested.emit()
            self.refresh()

        self.services.tasks.run_db(self.services.till.release_held_events, done,
                                   lambda exc: self.summary.setText(str(exc)))

    def _show(self, overview: OutboxOverview | None) -> None:
        self.overview = overview
        if overview is None:
            return
        summary = (self.tr("%1 waiting to reach HQ · %2 refused by HQ · %3 delivered")
                   .replace("%1", str(overview.pending)).replace("%2", str(overview.quarantined))
                   .replace("%3", str(overview.sent)))
        if overview.held:
            summary += " · " + self.tr("%1 held at this till: HQ failed on them; the rest "
                                       "went on").replace("%1", str(overview.held))
        self.summary.setText(summary)
        self.retry_held_btn.setVisible(overview.held > 0)
        status = {"pending": self.tr("waiting"), "quarantined": self.tr("refused by HQ"),
                  "held": self.tr("held at this till")}
        self.table.setRowCount(len(overview.rows))
        for r, row in enumerate(overview.rows):
            money = self.services.money(row.total) if row.total is not None else ""
            cells = [f"{row.receipt_no or row.topic}  {money}".strip(), status[row.status],
                     row.created_at[:19].replace("T", " "), str(row.attempts),
                     row.last_error or ""]
            for c, value in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
