"""Find a customer as you type: name (accents optional), phone in any format, e-mail or
loyalty card; the hits show masked contact details, the tier, and whether they came live
from HQ or from the store's saved book.

Why: the same panel serves the Customers screen and the Sell screen's quick attach, so a
shopper is found the same way everywhere. Each keystroke starts a look-up on the I/O pool
(CustomerDesk.search: HQ with a short timeout, else the local book); answers to older
keystrokes are dropped, so a slow HQ never shows stale hits. UI thread only.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QLabel, QLineEdit, QListWidget, QListWidgetItem, QScroller,
                               QVBoxLayout, QWidget)

from sync.protocol import CustomerSummary
from ui.customers.wording import CustomerWording, local_datetime
from ui.services import AppServices

MIN_QUERY = 2  # characters before a search starts (one letter would match half the book)


class CustomerSearchPanel(QWidget):
    chosen = Signal(object)  # CustomerSummary

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.words = CustomerWording(self)
        self._generation = 0
        self.hits: list[CustomerSummary] = []
        self.field = QLineEdit(self)
        self.field.setObjectName("CustomerSearch")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(lambda _t: self._debounce.start())
        self.field.returnPressed.connect(self._enter)
        self._debounce = QTimer(self, singleShot=True, interval=120)
        self._debounce.timeout.connect(self.search_now)
        self.source = QLabel(self)
        self.source.setObjectName("CustomerSource")
        self.source.setWordWrap(True)
        self.results = QListWidget(self)
        self.results.setObjectName("CustomerResults")
        self.results.setWordWrap(True)
        self.results.setSpacing(2)
        self.results.itemClicked.connect(self._picked)
        self.results.itemActivated.connect(self._picked)
        QScroller.grabGesture(self.results.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.field)
        col.addWidget(self.source)
        col.addWidget(self.results, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.field.setPlaceholderText(
            self.tr("Name, phone, e-mail or loyalty card — or scan her card or e-receipt"))
        self._show(self.hits)

    # --- searching -------------------------------------------------------------------------
    def search_now(self) -> None:
        self._generation += 1
        generation = self._generation
        query = self.field.text().strip()
        if len(query) < MIN_QUERY:
            self.hits = []
            self.results.clear()
            self.source.setText("")
            return
        desk = self.services.customers
        self.services.tasks.run_io(lambda: desk.search(query),
                                   lambda result: self._done(generation, result),
                                   lambda exc: self._failed(generation, exc))

    def _done(self, generation: int, result) -> None:
        if generation != self._generation:
            return  # typed on since: a newer search is coming
        self.last_result = result
        as_of = local_datetime(result.as_of, self.services.ctx.timezone) if result.as_of else None
        self.source.setText(self.words.source(result.live, as_of))
        self.source.setProperty("live", result.live)
        self.source.setStyleSheet("" if result.live else "color: #8a5a00; font-weight: bold;")
        self._show(result.data)
        if result.live and result.error:  # HQ refused the query itself (too short, ...)
            self.source.setText(self.tr("HQ could not search: %1").replace("%1", result.error))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.source.setText(self.tr("Search failed: %1. Try again.").replace("%1", str(exc)))
            self.source.setStyleSheet("color: #b3261e;")

    def _show(self, hits: list[CustomerSummary]) -> None:
        self.hits = list(hits)
        self.results.clear()
        for hit in self.hits:
            contact = " · ".join(x for x in (hit.phone_masked, hit.email_masked) if x)
            line2 = " · ".join(x for x in (self.words.tier(hit.tier), contact,
                                           hit.loyalty_card or "") if x)
            entry = QListWidgetItem(f"{hit.name}\n{line2}", self.results)
            entry.setData(Qt.ItemDataRole.UserRole, hit)
        if not self.hits and len(self.field.text().strip()) >= MIN_QUERY:
            QListWidgetItem(self.tr("No customer matches. Check the spelling or the number, "
                                    "or create a new customer."),
                            self.results).setFlags(Qt.ItemFlag.NoItemFlags)
        elif self.hits:
            self.results.setCurrentRow(0)

    def _enter(self) -> None:
        self._debounce.stop()
        entry = self.results.currentItem()
        if entry is not None and isinstance(entry.data(Qt.ItemDataRole.UserRole), CustomerSummary):
            self._picked(entry)
        else:
            self.search_now()

    def _picked(self, entry: QListWidgetItem) -> None:
        hit = entry.data(Qt.ItemDataRole.UserRole)
        if isinstance(hit, CustomerSummary):
            self.chosen.emit(hit)

    def clear(self) -> None:
        self._generation += 1
        self.field.clear()
        self.hits = []
        self.results.clear()
        self.source.setText("")
