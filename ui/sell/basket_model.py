"""Qt table model over the Basket (UI thread only).

Why: the basket view must refresh in a few milliseconds per scan with any number of lines;
a model that resets from the in-memory basket is simple and fast enough (a basket holds
tens of lines, not thousands).
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from pos_app.basket import Basket

ITEM, QTY, PRICE, AMOUNT = range(4)


class BasketModel(QAbstractTableModel):
    def __init__(self, basket: Basket, money: Callable[[int], str], parent=None) -> None:
        super().__init__(parent)
        self._basket = basket
        self._money = money
        self._amounts: list[int] = []
        self._headers = ["Item", "Qty", "Price", "Amount"]

    def set_headers(self, headers: list[str]) -> None:
        self._headers = headers
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(headers) - 1)

    def refresh(self) -> None:
        """Re-read the basket after any edit."""
        self.beginResetModel()
        self._amounts = [pl.gross - pl.line_discount for pl in self._basket.priced().lines]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._basket.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._basket.lines):
            return None
        line = self._basket.lines[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == ITEM:
                details = " · ".join(p for p in (line.item.variant_label, line.item.sku, line.note) if p)
                extra = ""
                if line.discount is not None:
                    extra = f"\n− {line.discount.reason}"
                elif line.overridden:
                    extra = f"\n{self._money(line.item.price_minor)} → {self._money(line.unit_price)}"
                return f"{line.item.name}\n{details}{extra}"
            if col == QTY:
                return str(line.quantity)
            if col == PRICE:
                return self._money(line.unit_price)
            if col == AMOUNT:
                return self._money(self._amounts[index.row()]) if index.row() < len(self._amounts) else ""
        if role == Qt.ItemDataRole.TextAlignmentRole and col != ITEM:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def line_id_at(self, row: int) -> str | None:
        if 0 <= row < len(self._basket.lines):
            return self._basket.lines[row].line_id
        return None
