"""The Sell screen's scan-or-search field and its results list.

Why: the cashier types a name, SKU or barcode. Each keystroke starts a search on the
database worker; a generation number drops the stale ones (typed on meanwhile), so results
never arrive out of order. Enter on a barcode-length number is a scan (`scanned`); Enter or a
tap on a result picks that item (`chosen`). A bad scan flashes the field red (`flash`, wired
to the banner's error_shown by the screen).

The widgets are the screen's children (`host`): the screen lays them out, so the widget tree
is the screen's own. UI thread only; searches run on the database worker.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QWidget

from pos_app.catalog import SellableItem
from ui.banner import Banner
from ui.services import AppServices

BARCODE_LENGTHS = {8, 12, 13, 14}
_FLASH_STYLE = "background: #fde7e6; border: 2px solid #b3261e;"


class ScanSearch(QObject):
    scanned = Signal(str)  # a barcode typed + Enter
    chosen = Signal(object)  # the SellableItem picked from the results

    def __init__(self, services: AppServices, banner: Banner, host: QWidget) -> None:
        super().__init__(host)
        self._services = services
        self._banner = banner
        self._generation = 0
        self.search = QLineEdit(host)
        self.search.setObjectName("ScanSearch")
        self.search.setClearButtonEnabled(True)
        self.search.textEdited.connect(self._search_changed)
        self.search.returnPressed.connect(self._search_enter)
        self._flash_timer = QTimer(self, singleShot=True, interval=700)
        self._flash_timer.timeout.connect(lambda: self.search.setStyleSheet(""))
        self.results = QListWidget(host)
        self.results.setObjectName("SearchResults")
        self.results.setMaximumHeight(260)
        self.results.itemActivated.connect(self._result_chosen)
        self.results.itemClicked.connect(self._result_chosen)
        self.results.hide()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Scan a barcode or search products"))

    def _search_changed(self, text: str) -> None:
        self._generation += 1
        generation = self._generation
        query = text.strip()
        if not query:
            self.results.clear()
            self.results.hide()
            return

        def run():
            if generation != self._generation:  # typed on: skip stale searches
                return generation, None
            return generation, self._services.till.search(query)

        self._services.tasks.run_db(run, self._search_done, self._failed)

    def _search_done(self, result) -> None:
        generation, items = result
        if items is None or generation != self._generation:
            return
        self.results.clear()
        for item in items:
            label = f"{item.name} — {item.variant_label}  ·  {self._services.money(item.price_minor)}"
            entry = QListWidgetItem(label, self.results)
            entry.setData(Qt.ItemDataRole.UserRole, item)
        if not items:
            QListWidgetItem(self.tr("No products match"), self.results).setFlags(Qt.ItemFlag.NoItemFlags)
        self.results.setVisible(True)
        if items:
            self.results.setCurrentRow(0)

    def _search_enter(self) -> None:
        text = self.search.text().strip()
        if text.isdigit() and len(text) in BARCODE_LENGTHS:
            self.reset()
            self.scanned.emit(text)
        elif self.results.isVisible() and self.results.currentItem() is not None:
            self._result_chosen(self.results.currentItem())

    def _result_chosen(self, entry: QListWidgetItem) -> None:
        item = entry.data(Qt.ItemDataRole.UserRole)
        if isinstance(item, SellableItem):
            self.reset()
            self.chosen.emit(item)

    def reset(self) -> None:
        """Empty the field and hide the results; a search still running is dropped."""
        self._generation += 1
        self.search.clear()
        self.results.clear()
        self.results.hide()

    def flash(self) -> None:
        """Visual cue for a bad scan: the search field flashes red for a moment."""
        self.search.setStyleSheet(_FLASH_STYLE)
        self._flash_timer.start()

    def _failed(self, exc: BaseException) -> None:
        self._banner.show_error(str(exc))
