"""Qt table model over the Basket (UI thread only).

Why: a scan must show its line within 30 ms (DESIGN.md §8). The model formats every cell
once per basket edit (`refresh`) and Qt reads the cached strings; when a scan appends a line
it is inserted, not reset, so the view lays out one new row instead of all of them.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from pos_app.basket import Basket

ITEM, QTY, PRICE, AMOUNT = range(4)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class BasketModel(QAbstractTableModel):
    def __init__(self, basket: Basket, money: Callable[[int], str], parent=None) -> None:
        super().__init__(parent)
        self._basket = basket
        self._money = money
        self._rows: list[tuple[str, str, str, str]] = []
        self._headers = ["Item", "Qty", "Price", "Amount"]

    def set_headers(self, headers: list[str]) -> None:
        self._headers = headers
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(headers) - 1)

    def refresh(self) -> None:
        """Re-read the basket after any edit (UI thread)."""
        rows = [self._format(line, pl.gross - pl.line_discount)
                for line, pl in zip(self._basket.lines, self._basket.priced().lines)]
        old = len(self._rows)
        if len(rows) == old + 1 and rows[:old] == self._rows:
            self.beginInsertRows(QModelIndex(), old, old)
            self._rows = rows
            self.endInsertRows()
        elif len(rows) == old:
            changed = [i for i, (a, b) in enumerate(zip(rows, self._rows)) if a != b]
            self._rows = rows
            if changed:
                self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], 3))
        else:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()

    def _format(self, line, amount: int) -> tuple[str, str, str, str]:
        details = " · ".join(p for p in (line.item.variant_label, line.item.sku, line.note) if p)
        if line.discount is not None:
            details += f"  −{line.discount.reason}"
        elif line.overridden:
            details += f"  ({self._money(line.item.price_minor)})"
        return (f"{line.item.name}\n{details}", str(line.quantity), self._money(line.unit_price),
                self._money(amount))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._basket.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and index.row() < len(self._rows):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() != ITEM:
            return _RIGHT
        return None

    def line_id_at(self, row: int) -> str | None:
        if 0 <= row < len(self._basket.lines):
            return self._basket.lines[row].line_id
        return None
