"""The sale-complete view: receipt number, total, change in large type, "New sale".

Shown only after checkout's commit returned (DESIGN.md §3: nothing is shown as done before
the commit). Issue 4 adds the receipt preview here. UI thread only.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from pos_app.services.checkout import CompletedSale


class SaleCompleteView(QWidget):
    new_sale = Signal()

    def __init__(self, money: Callable[[int], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SaleComplete")
        self._money = money
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 28px; font-weight: bold; color: #2e7d32;")
        self.receipt = QLabel(self)
        self.total = QLabel(self)
        self.total.setStyleSheet("font-size: 22px;")
        self.change = QLabel(self)
        self.change.setObjectName("ChangeGiven")
        self.change.setStyleSheet("font-size: 40px; font-weight: bold;")
        self.button = QPushButton(self)
        self.button.setObjectName("NewSale")
        self.button.setProperty("role", "primary")
        self.button.setMinimumHeight(64)
        self.button.clicked.connect(self.new_sale.emit)
        col = QVBoxLayout(self)
        col.addStretch(1)
        for w in (self.title, self.receipt, self.total, self.change):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            col.addWidget(w)
        col.addSpacing(24)
        col.addWidget(self.button)
        col.addStretch(2)
        self._sale: CompletedSale | None = None
        self.retranslate()

    def show_sale(self, sale: CompletedSale) -> None:
        self._sale = sale
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Sale complete"))
        self.button.setText(self.tr("New sale"))
        sale = self._sale
        if sale is None:
            return
        self.receipt.setText(self.tr("Receipt %1").replace("%1", sale.receipt_no))
        self.total.setText(self.tr("Total %1").replace("%1", self._money(sale.total)))
        self.change.setText(self.tr("Change %1").replace("%1", self._money(sale.change)))
