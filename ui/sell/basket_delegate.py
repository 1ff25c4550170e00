"""Paints basket cells from cached QStaticText (UI thread only).

Why: the default item delegate lays out every cell's text on every paint; with a few dozen
two-line rows that is a large part of the 30 ms a scan may take to show its line
(DESIGN.md §8). QStaticText lays a string out once and then draws prepared glyphs. Each line
of a cell is its own plain-text QStaticText (no rich text: it would wrap and mis-measure).
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QSize, Qt
from PySide6.QtGui import QPainter, QStaticText
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

_PAD = 6
_CACHE_LIMIT = 4000  # distinct strings; a long day of baskets, then start again


class BasketDelegate(QStyledItemDelegate):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._cache: dict[str, QStaticText] = {}

    def _static(self, line: str) -> QStaticText:
        static = self._cache.get(line)
        if static is None:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            static = QStaticText(line)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
            self._cache[line] = static
        return static

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        lines = (index.data(Qt.ItemDataRole.DisplayRole) or "").split("\n")
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter,
                            option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setPen(option.palette.highlightedText().color() if selected
                       else option.palette.text().color())
        painter.setFont(option.font)
        painter.setClipRect(option.rect.adjusted(_PAD, 0, -_PAD, 0))
        rect = option.rect
        spacing = option.fontMetrics.lineSpacing()
        y = rect.top() + (rect.height() - spacing * len(lines)) / 2
        align = index.data(Qt.ItemDataRole.TextAlignmentRole)
        right = align is not None and bool(int(align) & int(Qt.AlignmentFlag.AlignRight))
        for line in lines:
            static = self._static(line)
            x = rect.right() - _PAD - static.size().width() if right else rect.left() + _PAD
            painter.drawStaticText(QPointF(x, y), static)
            y += spacing
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # noqa: N802 - Qt API
        lines = (index.data(Qt.ItemDataRole.DisplayRole) or "").split("\n")
        width = max(self._static(line).size().width() for line in lines)
        return QSize(int(width) + 2 * _PAD, option.fontMetrics.lineSpacing() * len(lines) + 8)
