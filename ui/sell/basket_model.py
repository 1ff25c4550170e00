"""Qt table model over the Basket (UI thread only).

Why: a scan must show its line within 30 ms (DESIGN.md §8). The cells live in a
QStandardItemModel, i.e. in C++: painting the basket never calls back into Python (a Python
`data()` is asked for ~8 roles per cell per paint). `refresh` formats each line once per
basket edit and touches only what changed; a scan appends one row.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from pos_app.basket import Basket

ITEM, QTY, PRICE, AMOUNT = range(4)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class BasketModel(QStandardItemModel):
    def __init__(self, basket: Basket, money: Callable[[int], str], parent=None) -> None:
        super().__init__(0, 4, parent)
        self._basket = basket
        self._money = money
        self._rows: list[tuple[str, str, str, str]] = []
        self._line_ids: list[str] = []
        self.set_headers(["Item", "Qty", "Price", "Amount"])

    def set_headers(self, headers: list[str]) -> None:
        self.setHorizontalHeaderLabels(headers)

    def refresh(self) -> None:
        """Re-read the basket after any edit (UI thread)."""
        rows = [self._format(line, pl.gross - pl.line_discount)
                for line, pl in zip(self._basket.lines, self._basket.priced().lines)]
        self._line_ids = [line.line_id for line in self._basket.lines]
        if len(rows) < len(self._rows):
            self.removeRows(len(rows), len(self._rows) - len(rows))
            del self._rows[len(rows):]
        for i, row in enumerate(rows):
            if i >= len(self._rows):
                self.appendRow([self._cell(text, col) for col, text in enumerate(row)])
                self._rows.append(row)
            elif row != self._rows[i]:
                for col, (new, old) in enumerate(zip(row, self._rows[i])):
                    if new != old:
                        self.item(i, col).setText(new)
                self._rows[i] = row

    @staticmethod
    def _cell(text: str, col: int) -> QStandardItem:
        cell = QStandardItem(text)
        cell.setEditable(False)
        if col != ITEM:
            cell.setTextAlignment(_RIGHT)
        return cell

    def _format(self, line, amount: int) -> tuple[str, str, str, str]:
        details = " · ".join(p for p in (line.item.variant_label, line.item.sku, line.note) if p)
        if line.discount is not None:
            details += f"  −{line.discount.reason}"
        elif line.overridden:
            details += f"  ({self._money(line.item.price_minor)})"
        return (f"{line.item.name}\n{details}", str(line.quantity), self._money(line.unit_price),
                self._money(amount))

    def line_id_at(self, row: int) -> str | None:
        if 0 <= row < len(self._line_ids):
            return self._line_ids[row]
        return None
