"""The Sell screen's basket: the table of lines and the totals beside it.

Why: the cashier and the customer read the basket after every scan, so showing it must cost
one repaint, not a layout of the screen (the scan budget, bench/): the table's geometry is
fixed (no measuring of cells, no scroll bar to paint), and every label whose text changes
with a scan has a fixed size. The widgets are the screen's children (`host`) and `totals` is
a layout for the screen to place, so the widget tree is the screen's own. UI thread only.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QHeaderView, QLabel, QScroller,
                               QTableView, QWidget)

from pos_app.basket import Basket
from pos_app.pricing import TaxMode
from ui.sell.basket_model import AMOUNT, ITEM, PRICE, QTY, BasketModel
from ui.services import AppServices


def _pin_size(label: QLabel, widest: str) -> None:
    """Give a label that changes on every scan a fixed size that fits `widest`.

    A fixed-size widget does not ask its parent layout to recompute when its text changes,
    so a new total repaints one label instead of laying out the whole screen (scan budget).
    """
    label.ensurePolished()  # the style sheet may set its font
    metrics = label.fontMetrics()
    label.setFixedSize(metrics.horizontalAdvance(widest) + 8, metrics.height() + 6)


class BasketPanel(QObject):
    def __init__(self, services: AppServices, basket: Basket, host: QWidget) -> None:
        super().__init__(host)
        self._services = services
        self._basket = basket
        money = services.money
        self.model = BasketModel(basket, money, host)
        self.table = QTableView(host)
        self.table.setObjectName("BasketView")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        # Fixed geometry: measuring every cell on each scan would cost tens of ms per line.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ITEM, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        widest_money = metrics.horizontalAdvance(money(99_999_999)) + 16
        for col, width in ((QTY, metrics.horizontalAdvance("9999") + 16),
                           (PRICE, widest_money), (AMOUNT, widest_money)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, width)
        # No scroll bar: painting Fusion's bar cost ~3 ms of every scan. The newest line is
        # always scrolled into view; older lines scroll by swipe (touch), wheel or arrow keys.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.table.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(metrics.lineSpacing() * 2 + 12)

        self.lbl_subtotal, self.val_subtotal = QLabel(host), QLabel(host)
        self.lbl_discount, self.val_discount = QLabel(host), QLabel(host)
        self.lbl_tax, self.val_tax = QLabel(host), QLabel(host)
        self.lbl_total, self.val_total = QLabel(host), QLabel(host)
        self.val_total.setObjectName("TotalValue")
        self.totals = QGridLayout()  # for the screen to place
        for row, (lbl, val) in enumerate([(self.lbl_subtotal, self.val_subtotal),
                                          (self.lbl_discount, self.val_discount),
                                          (self.lbl_tax, self.val_tax),
                                          (self.lbl_total, self.val_total)]):
            val.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            _pin_size(val, "− " + money(99_999_999_999))
            self.totals.addWidget(lbl, row, 0)
            self.totals.addWidget(val, row, 1, Qt.AlignmentFlag.AlignRight)

    def retranslate(self) -> None:
        self.model.set_headers([self.tr("Item"), self.tr("Qty"), self.tr("Price"), self.tr("Amount")])
        self.lbl_subtotal.setText(self.tr("Subtotal"))
        self.lbl_discount.setText(self.tr("Discounts"))
        self.lbl_tax.setText(self.tr("VAT included") if self._basket.tax_mode is TaxMode.INCLUSIVE
                             else self.tr("Sales tax"))
        self.lbl_total.setText(self.tr("Total"))

    def refresh(self) -> None:
        """Show the basket as it is now: its lines and its totals."""
        self.model.refresh()
        priced = self._basket.priced()
        money = self._services.money
        self.val_subtotal.setText(money(priced.subtotal))
        discounts = priced.line_discounts + priced.basket_discount
        self.val_discount.setText(("− " + money(discounts)) if discounts else money(0))
        self.val_tax.setText(money(priced.tax_total))
        self.val_total.setText(money(priced.total))

    def selected_row(self) -> int:
        """The selected line's row, or -1."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def selected_line_id(self) -> str | None:
        """The selected line, else the newest; None on an empty basket."""
        row = self.selected_row()
        return self.model.line_id_at(row if row >= 0 else len(self._basket.lines) - 1)

    def select_row(self, row: int) -> None:
        """Select `row` if the basket still has it."""
        if 0 <= row < len(self._basket.lines):
            self.table.selectRow(row)
