"""Paints basket cells from cached QStaticText (UI thread only).

Why: the default item delegate lays out every cell's text on every paint; with a few dozen
two-line rows that is most of the 30 ms a scan may take to show its line (DESIGN.md §8).
QStaticText lays a string out once and then draws it as prepared glyphs.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QSize, Qt
from PySide6.QtGui import QPainter, QStaticText
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

_PAD = 6


class BasketDelegate(QStyledItemDelegate):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._cache: dict[str, QStaticText] = {}

    def _static(self, text: str) -> QStaticText:
        static = self._cache.get(text)
        if static is None:
            if len(self._cache) > 2000:  # a day of baskets; drop and rebuild
                self._cache.clear()
            static = QStaticText(text.replace("\n", "<br>") if "\n" in text else text)
            static.setTextFormat(Qt.TextFormat.RichText if "\n" in text else Qt.TextFormat.PlainText)
            static.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
            self._cache[text] = static
        return static

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setPen(option.palette.highlightedText().color() if selected
                       else option.palette.text().color())
        painter.setFont(option.font)
        static = self._static(_escape(text))
        size = static.size()
        rect = option.rect
        y = rect.top() + (rect.height() - size.height()) / 2
        align = index.data(Qt.ItemDataRole.TextAlignmentRole)
        if align is not None and int(align) & int(Qt.AlignmentFlag.AlignRight):
            x = rect.right() - _PAD - size.width()
        else:
            x = rect.left() + _PAD
        painter.setClipRect(rect)
        painter.drawStaticText(QPointF(x, y), static)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # noqa: N802 - Qt API
        return self._static(_escape(index.data(Qt.ItemDataRole.DisplayRole) or "")).size().toSize()


def _escape(text: str) -> str:
    """Rich text is used only for the line break; escape everything else."""
    if "\n" not in text:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
