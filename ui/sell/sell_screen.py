"""The Sell screen: scan or search, edit the basket, discounts with overrides, take cash.

Why: this is where a cashier spends the day. Every look-up and the checkout run on the
database worker (DESIGN.md §5); the basket itself is in memory and edits are instant. A bad
scan shows a red banner and changes nothing. Two layouts from one widget tree: counter
(landscape, basket left, keypad and actions right) and tablet (portrait, stacked, big targets).

UI thread only.
"""
from __future__ import annotations

import uuid
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QBoxLayout, QGridLayout, QHeaderView, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPushButton, QScroller,
                               QStackedWidget, QTableView, QVBoxLayout, QWidget)

from pos_app.auth import Associate, Permission, discount_permission
from pos_app.basket import Basket, BasketError
from pos_app.catalog import SellableItem
from pos_app.pricing import Discount, DiscountKind, TaxMode
from pos_app.services.checkout import CompletedSale
from pos_app.services.till import ScanLookup
from pos_app.tenders import Payment
from ui.amount_dialog import AmountDialog
from ui.customers.basket_customer import BasketCustomer
from ui.keypad import Keypad
from ui.override_dialog import OverrideDialog
from ui.printing.no_sale import NoSale
from ui.sell.basket_model import AMOUNT, ITEM, PRICE, QTY, BasketModel
from ui.sell.cash_dialog import CashDialog
from ui.sell.discount_dialog import DiscountDialog
from ui.sell.sale_complete import SaleCompleteView
from ui.services import AppServices
from ui.theme import LayoutMode

_BARCODE_LENGTHS = {8, 12, 13, 14}


def _pin_size(label: QLabel, widest: str) -> None:
    """Give a label that changes on every scan a fixed size that fits `widest`.

    A fixed-size widget does not ask its parent layout to recompute when its text changes,
    so a new total repaints one label instead of laying out the whole screen (scan budget).
    """
    label.ensurePolished()  # the style sheet may set its font
    metrics = label.fontMetrics()
    label.setFixedSize(metrics.horizontalAdvance(widest) + 8, metrics.height() + 6)


class SellScreen(QWidget):
    basket_changed = Signal()
    sale_completed = Signal(object)  # CompletedSale

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SellScreen")
        self.services = services
        ctx = services.ctx
        self.basket = Basket(ctx.currency, ctx.tax_mode)
        self.associate: Associate | None = None
        self.active_dialog = None  # the open dialog, for tests and for closing on lock
        self.last_sale: CompletedSale | None = None
        self._search_generation = 0
        self._qty_digits = ""
        self._committing = False
        self._build()
        self.retranslate()
        self._refresh()

    # --- construction ------------------------------------------------------------------------
    def _build(self) -> None:
        money = self.services.money
        self.search = QLineEdit(self)
        self.search.setObjectName("ScanSearch")
        self.search.setClearButtonEnabled(True)
        self.search.textEdited.connect(self._search_changed)
        self.search.returnPressed.connect(self._search_enter)
        self.banner = QLabel(self)
        self.banner.setObjectName("Banner")
        self.banner.setWordWrap(True)
        self.banner.setContentsMargins(8, 4, 8, 4)
        # Always present, fixed height: a message (or its end) repaints the banner alone; a
        # banner that appeared and vanished would re-lay-out and repaint the screen per scan.
        self.banner.setFixedHeight(self.banner.fontMetrics().lineSpacing() * 2 + 20)
        self.banner.setProperty("level", "none")
        self._banner_timer = QTimer(self, singleShot=True, interval=6000)
        self._banner_timer.timeout.connect(self.clear_banner)
        self._checkpoint_timer = QTimer(self, singleShot=True, interval=400)
        self._checkpoint_timer.timeout.connect(
            lambda: self.services.tasks.run_db(self.services.till.checkpoint, None, lambda _e: None))
        self._flash_timer = QTimer(self, singleShot=True, interval=700)
        self._flash_timer.timeout.connect(lambda: self.search.setStyleSheet(""))
        self.results = QListWidget(self)
        self.results.setObjectName("SearchResults")
        self.results.setMaximumHeight(260)
        self.results.itemActivated.connect(self._result_chosen)
        self.results.itemClicked.connect(self._result_chosen)
        self.results.hide()
        self.model = BasketModel(self.basket, money, self)
        self.table = QTableView(self)
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

        self.lbl_subtotal, self.val_subtotal = QLabel(self), QLabel(self)
        self.lbl_discount, self.val_discount = QLabel(self), QLabel(self)
        self.lbl_tax, self.val_tax = QLabel(self), QLabel(self)
        self.lbl_total, self.val_total = QLabel(self), QLabel(self)
        self.val_total.setObjectName("TotalValue")
        totals = QGridLayout()
        for row, (lbl, val) in enumerate([(self.lbl_subtotal, self.val_subtotal),
                                          (self.lbl_discount, self.val_discount),
                                          (self.lbl_tax, self.val_tax),
                                          (self.lbl_total, self.val_total)]):
            val.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            _pin_size(val, "− " + money(99_999_999_999))
            totals.addWidget(lbl, row, 0)
            totals.addWidget(val, row, 1, Qt.AlignmentFlag.AlignRight)
        self.qty_display = QLabel(self)
        self.qty_display.setObjectName("QtyBuffer")
        self.keypad = Keypad("00", self)
        self.keypad.digit.connect(self._qty_key)
        self.keypad.backspace.connect(lambda: self._set_qty_digits(self._qty_digits[:-1]))
        self.keypad.cleared.connect(lambda: self._set_qty_digits(""))

        def button(name: str, slot, role: str | None = None) -> QPushButton:
            btn = QPushButton(self)
            btn.setObjectName(name)
            if role:
                btn.setProperty("role", role)
            btn.clicked.connect(slot)
            return btn

        self.btn_qty = button("SetQuantity", self.apply_quantity)
        self.btn_remove = button("RemoveLine", self.remove_selected)
        self.btn_line_discount = button("LineDiscount", lambda: self.open_discount(line=True))
        self.btn_basket_discount = button("BasketDiscount", lambda: self.open_discount(line=False))
        self.btn_price = button("PriceOverride", self.open_price_override)
        self.btn_clear = button("ClearBasket", self.clear_basket, "danger")
        self.no_sale = NoSale(self)  # issue 4: open the drawer (permission, audited)
        self.btn_no_sale = button("NoSale", self.no_sale.start)
        self.btn_pay = button("PayCash", self.open_cash, "primary")
        pay_height = 64 if self.services.layout is LayoutMode.TABLET else 48  # fits 768 px
        self.btn_no_sale.setMinimumHeight(pay_height)
        self.btn_pay.setMinimumHeight(pay_height)
        actions = QGridLayout()
        for i, b in enumerate([self.btn_qty, self.btn_remove, self.btn_line_discount,
                               self.btn_basket_discount, self.btn_price, self.btn_clear]):
            actions.addWidget(b, i // 2, i % 2)

        sell_page = QWidget(self)
        tablet = self.services.layout is LayoutMode.TABLET
        main = QBoxLayout(QBoxLayout.Direction.TopToBottom if tablet else QBoxLayout.Direction.LeftToRight, sell_page)
        left = QVBoxLayout()
        left.addWidget(self.search)
        # In a box of its own: a new message re-lays-out the box, not the whole screen.
        banner_box = QWidget(self)
        banner_box.setFixedHeight(self.banner.height())
        box_layout = QVBoxLayout(banner_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(self.banner)
        left.addWidget(banner_box)
        left.addWidget(self.results)
        left.addWidget(self.table, 1)
        right = QVBoxLayout()
        self.customer = BasketCustomer(self)  # issue 5: the customer on the basket
        right.addWidget(self.customer)
        right.addLayout(totals)
        if tablet:
            pad_and_actions = QBoxLayout(QBoxLayout.Direction.LeftToRight)
            pad_col = QVBoxLayout()
            pad_col.addWidget(self.qty_display)
            pad_col.addWidget(self.keypad)
            pad_and_actions.addLayout(pad_col, 1)
            pad_and_actions.addLayout(actions, 1)
            right.addLayout(pad_and_actions)
        else:  # tighter rows: the counter screen is 1366 x 768
            right.setSpacing(4)
            actions.setSpacing(4)
            self.keypad.layout().setSpacing(4)
            right.addWidget(self.qty_display)
            right.addWidget(self.keypad)
            right.addLayout(actions)
            right.addStretch(1)
        pay_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)  # "No sale" takes no extra row
        pay_row.addWidget(self.btn_no_sale, 1)
        pay_row.addWidget(self.btn_pay, 3)
        right.addLayout(pay_row)
        main.addLayout(left, 3)
        main.addLayout(right, 2 if not tablet else 0)

        self.complete_view = SaleCompleteView(self.services, self)
        self.complete_view.new_sale.connect(self.start_new_sale)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(sell_page)
        self.pages.addWidget(self.complete_view)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(self.pages)
        QShortcut(QKeySequence(Qt.Key.Key_F12), self, self.open_cash)
        QShortcut(QKeySequence(Qt.Key.Key_F2), self, self.search.setFocus)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.remove_selected)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Scan a barcode or search products"))
        self.model.set_headers([self.tr("Item"), self.tr("Qty"), self.tr("Price"), self.tr("Amount")])
        self.lbl_subtotal.setText(self.tr("Subtotal"))
        self.lbl_discount.setText(self.tr("Discounts"))
        self.lbl_tax.setText(self.tr("VAT included") if self.basket.tax_mode is TaxMode.INCLUSIVE
                             else self.tr("Sales tax"))
        self.lbl_total.setText(self.tr("Total"))
        self.btn_qty.setText(self.tr("Quantity"))
        self.btn_remove.setText(self.tr("Remove"))
        self.btn_line_discount.setText(self.tr("Line discount"))
        self.btn_basket_discount.setText(self.tr("Basket discount"))
        self.btn_price.setText(self.tr("Change price"))
        self.btn_clear.setText(self.tr("Void basket"))
        self.btn_no_sale.setText(self.tr("No sale"))
        self.btn_pay.setText(self.tr("Pay cash"))
        self.customer.retranslate()
        self.complete_view.retranslate()
        self._set_qty_digits(self._qty_digits)
        self._refresh()

    # --- associate ---------------------------------------------------------------------------
    def set_associate(self, associate: Associate | None) -> None:
        self.associate = associate

    # --- scanning and search -----------------------------------------------------------------
    def handle_scan(self, code: str) -> None:
        """A barcode arrived (wedge scanner, serial scanner or typed + Enter)."""
        if self.pages.currentWidget() is self.complete_view:
            self.start_new_sale()
        self.services.tasks.run_db(lambda: self.services.till.lookup_scan(code),
                                   self._scan_done, self._background_failed)

    def _scan_done(self, lookup: ScanLookup) -> None:
        if lookup.item is None:
            code = lookup.scan.raw
            if lookup.problem == "unknown":
                self.show_error(self.tr("Unknown barcode %1: not in this store's catalog. "
                                        "Nothing was added.").replace("%1", code))
            else:
                self.show_error(self.tr("Not a valid barcode: %1. Nothing was added.")
                                .replace("%1", code) + f"\n({lookup.error})")
            return
        self.add_item(lookup.item, unit_price=lookup.unit_price, note=lookup.note)

    def _search_changed(self, text: str) -> None:
        self._search_generation += 1
        generation = self._search_generation
        query = text.strip()
        if not query:
            self.results.clear()
            self.results.hide()
            return

        def run():
            if generation != self._search_generation:  # typed on: skip stale searches
                return generation, None
            return generation, self.services.till.search(query)

        self.services.tasks.run_db(run, self._search_done, self._background_failed)

    def _search_done(self, result) -> None:
        generation, items = result
        if items is None or generation != self._search_generation:
            return
        self.results.clear()
        for item in items:
            label = f"{item.name} — {item.variant_label}  ·  {self.services.money(item.price_minor)}"
            entry = QListWidgetItem(label, self.results)
            entry.setData(Qt.ItemDataRole.UserRole, item)
        if not items:
            QListWidgetItem(self.tr("No products match"), self.results).setFlags(Qt.ItemFlag.NoItemFlags)
        self.results.setVisible(True)
        if items:
            self.results.setCurrentRow(0)

    def _search_enter(self) -> None:
        text = self.search.text().strip()
        if text.isdigit() and len(text) in _BARCODE_LENGTHS:
            self._reset_search()
            self.handle_scan(text)
        elif self.results.isVisible() and self.results.currentItem() is not None:
            self._result_chosen(self.results.currentItem())

    def _result_chosen(self, entry: QListWidgetItem) -> None:
        item = entry.data(Qt.ItemDataRole.UserRole)
        if isinstance(item, SellableItem):
            self._reset_search()
            self.add_item(item)

    def _reset_search(self) -> None:
        self._search_generation += 1
        self.search.clear()
        self.results.clear()
        self.results.hide()

    # --- basket edits ------------------------------------------------------------------------
    def add_item(self, item: SellableItem, *, unit_price: int | None = None,
                 note: str | None = None) -> None:
        try:
            self.basket.add(item, unit_price=unit_price, note=note)
        except BasketError as exc:
            self.show_error(str(exc))
            return
        self._refresh()
        self.table.selectRow(len(self.basket.lines) - 1)
        self.show_info(self.tr("Added %1").replace("%1", f"{item.name} {item.variant_label}".strip()))

    def selected_line_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else len(self.basket.lines) - 1
        return self.model.line_id_at(row)

    def _qty_key(self, key: str) -> None:
        self._set_qty_digits((self._qty_digits + key)[:4])

    def _set_qty_digits(self, digits: str) -> None:
        self._qty_digits = digits.lstrip("0")
        self.qty_display.setText(self.tr("Quantity: %1").replace("%1", self._qty_digits or "–"))

    def apply_quantity(self) -> None:
        line_id = self.selected_line_id()
        if line_id is None or not self._qty_digits:
            self.show_error(self.tr("Type a quantity on the keypad, then press Quantity"))
            return
        try:
            self.basket.set_quantity(line_id, int(self._qty_digits))
        except BasketError as exc:
            self.show_error(str(exc))
            return
        self._set_qty_digits("")
        self._refresh_keep_row()

    def remove_selected(self) -> None:
        line_id = self.selected_line_id()
        if line_id is not None:
            self.basket.remove(line_id)
            self._refresh()

    def clear_basket(self) -> None:
        self.basket.clear()
        self._refresh()

    # --- discounts and overrides ---------------------------------------------------------------
    def open_discount(self, line: bool) -> None:
        line_id = self.selected_line_id() if line else None
        if self.basket.is_empty or (line and line_id is None):
            self.show_error(self.tr("Add an item first"))
            return
        title = self.tr("Line discount") if line else self.tr("Basket discount")
        dlg = DiscountDialog(title, self.basket.currency, self)
        dlg.accepted.connect(lambda: self._discount_chosen(dlg.discount, line_id))
        self._open(dlg)

    def _discount_chosen(self, discount: Discount, line_id: str | None) -> None:
        priced = self.basket.priced()
        if line_id is not None:
            idx = [ln.line_id for ln in self.basket.lines].index(line_id)
            base = priced.lines[idx].gross
        else:
            base = sum(pl.gross - pl.line_discount for pl in priced.lines)
        percent_bp = (discount.value if discount.kind is DiscountKind.PERCENT
                      else (discount.value * 10_000 + base - 1) // max(base, 1))
        needed = discount_permission(percent_bp, self.services.ctx.discount_threshold_bp)

        def apply(approved_by: str | None) -> None:
            final = replace(discount, approved_by=approved_by)
            if line_id is not None:
                self.basket.set_line_discount(line_id, final)
            else:
                self.basket.set_basket_discount(final)
            self._refresh_keep_row()

        reason = self.tr("A discount above %1 % needs a manager.").replace(
            "%1", f"{self.services.ctx.discount_threshold_bp / 100:g}")
        self.with_permission(needed, reason, apply)

    def open_price_override(self) -> None:
        line_id = self.selected_line_id()
        if line_id is None:
            self.show_error(self.tr("Add an item first"))
            return
        line = self.basket.line(line_id)
        dlg = AmountDialog(self.tr("Change price"),
                           self.tr("New unit price for %1").replace("%1", line.item.name),
                           self.services.money, line.unit_price, self)

        def chosen() -> None:
            price = dlg.minor()
            self.with_permission(
                Permission.PRICE_OVERRIDE, self.tr("Changing a price needs a manager."),
                lambda approver: self._set_price(line_id, price, approver))

        dlg.accepted.connect(chosen)
        self._open(dlg)

    def _set_price(self, line_id: str, price: int, approver: str | None) -> None:
        try:
            self.basket.override_price(line_id, price, approver or self.associate.id)
        except BasketError as exc:
            self.show_error(str(exc))
            return
        self._refresh_keep_row()

    def with_permission(self, permission: Permission, reason: str, action) -> None:
        """Run `action(approved_by)` now if the associate may, else after a manager approves.

        `approved_by` is None for everyday permissions, or the approver's associate id.
        """
        assoc = self.associate
        if assoc is not None and assoc.can(permission):
            everyday = permission in (Permission.DISCOUNT_SMALL, Permission.SELL)
            action(None if everyday else assoc.id)
            return
        dlg = OverrideDialog(self.services, permission, reason, self)
        dlg.accepted.connect(lambda: action(dlg.approval.approved_by))
        self._open(dlg)

    # --- payment -------------------------------------------------------------------------------
    def open_cash(self) -> None:
        if self.basket.is_empty:
            self.show_error(self.tr("The basket is empty"))
            return
        if self._committing:
            return
        due = self.basket.priced().total
        dlg = CashDialog(due, self.basket.currency, self.services.money, self)
        dlg.accepted.connect(lambda: self.checkout((dlg.payment,)))
        self._open(dlg)

    def checkout(self, payments: tuple[Payment, ...]) -> None:
        """Commit the sale on the database worker; show it as done only after the commit."""
        if self.associate is None:
            self.show_error(self.tr("Sign in first"))
            return
        snap = self.basket.snapshot()
        sale_id = str(uuid.uuid4())
        associate_id = self.associate.id
        self._committing = True
        self.btn_pay.setEnabled(False)
        self.services.tasks.run_db(
            lambda: self.services.till.complete_sale(snap, payments, associate_id, sale_id),
            self._checkout_done, self._checkout_failed)

    def _checkout_done(self, sale: CompletedSale) -> None:
        self._committing = False
        self.last_sale = sale
        self.basket.clear()
        self._refresh()
        self.complete_view.show_sale(sale)
        self.pages.setCurrentWidget(self.complete_view)
        self.sale_completed.emit(sale)
        self._checkpoint_timer.start()  # fold the WAL in while the customer takes the bag

    def _checkout_failed(self, exc: BaseException) -> None:
        self._committing = False
        self._refresh()
        self.show_error(self.tr("The sale was NOT recorded: %1. The basket is kept; try again.")
                        .replace("%1", str(exc)))

    def start_new_sale(self) -> None:
        self.pages.setCurrentIndex(0)
        self.clear_banner()
        self.search.setFocus()

    # --- feedback ------------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        self._banner("error", message)
        self._flash()

    def show_info(self, message: str) -> None:
        self._banner("info", message)

    def _banner(self, level: str, message: str) -> None:
        if self.banner.property("level") != level:  # re-styling costs ms: only on change
            self.banner.setProperty("level", level)
            self.banner.style().unpolish(self.banner)
            self.banner.style().polish(self.banner)
        self.banner.setText(message)
        self._banner_timer.start()

    def clear_banner(self) -> None:
        self._banner("none", "")
        self._banner_timer.stop()

    @property
    def banner_level(self) -> str:
        """"error", "info" or "none": what the associate sees above the basket."""
        return self.banner.property("level")

    def _flash(self) -> None:
        """Visual cue for a bad scan: the search field flashes red for a moment."""
        self.search.setStyleSheet("background: #fde7e6; border: 2px solid #b3261e;")
        self._flash_timer.start()

    def _background_failed(self, exc: BaseException) -> None:
        self.show_error(str(exc))

    def _open(self, dlg) -> None:
        self.active_dialog = dlg
        dlg.finished.connect(lambda _r: setattr(self, "active_dialog", None)
                             if self.active_dialog is dlg else None)
        dlg.open()

    def _refresh_keep_row(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else -1
        self._refresh()
        if 0 <= row < len(self.basket.lines):
            self.table.selectRow(row)

    def _refresh(self) -> None:
        self.model.refresh()
        priced = self.basket.priced()
        money = self.services.money
        self.val_subtotal.setText(money(priced.subtotal))
        discounts = priced.line_discounts + priced.basket_discount
        self.val_discount.setText(("− " + money(discounts)) if discounts else money(0))
        self.val_tax.setText(money(priced.tax_total))
        self.val_total.setText(money(priced.total))
        self.btn_pay.setEnabled(not self.basket.is_empty and not self._committing)
        self.basket_changed.emit()
