"""The Sell screen: scan or search, edit the basket, discounts with overrides, take cash.

Why: this is where a cashier spends the day. Every look-up and the checkout run on the
database worker (DESIGN.md §5); the basket itself is in memory and edits are instant. A bad
scan shows a red banner and changes nothing. Two layouts from one widget tree: counter
(landscape, basket left, keypad and actions right) and tablet (portrait, stacked, big targets).

The screen composes its parts and lays out their widgets (all the screen's own children):
the scan-or-search field (ui.sell.scan_search), the basket and its totals
(ui.sell.basket_panel), the keypad and edit buttons (ui.sell.basket_edits), the customer
(ui.customers.basket_customer), "No sale" (ui.printing.no_sale), the banner (ui.banner) and
the permission gate (ui.permission_gate). It keeps scans, adding items, the cash payment,
checkout and the sale-complete page. The parts' widgets are plain attributes here too
(`search`, `table`, `val_total`, `btn_qty`, ...) for the shell, tests and benchmarks.

UI thread only.
"""
from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from pos_app.auth import Associate
from pos_app.basket import Basket, BasketError
from pos_app.catalog import SellableItem
from pos_app.services.checkout import CompletedSale
from pos_app.services.till import ScanLookup
from pos_app.tenders import Payment
from ui.banner import Banner
from ui.customers.basket_customer import BasketCustomer
from ui.payments.payment_page import PaymentPage
from ui.permission_gate import PermissionGate
from ui.printing.no_sale import NoSale
from ui.sell.basket_edits import BasketEdits, make_button
from ui.sell.basket_panel import BasketPanel
from ui.sell.cash_dialog import CashDialog
from ui.sell.sale_complete import SaleCompleteView
from ui.sell.scan_search import ScanSearch
from ui.services import AppServices
from ui.theme import LayoutMode


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
        self._committing = False
        self._build()
        self.retranslate()
        self._refresh()

    # --- construction ------------------------------------------------------------------------
    def _build(self) -> None:
        # Widgets are made in the order Tab walks them (Qt's focus chain is creation order):
        # search, results, basket, keypad, edit buttons, No sale, Pay, customer, sale complete.
        signed_in = lambda: self.associate  # noqa: E731 - whoever is signed in now
        self.banner = Banner(self)
        self.gate = PermissionGate(self.services, signed_in, self, self._open)
        self.scan_search = ScanSearch(self.services, self.banner, self)
        self.scan_search.scanned.connect(self.handle_scan)
        self.scan_search.chosen.connect(self.add_item)
        self.banner.error_shown.connect(self.scan_search.flash)
        self.search, self.results = self.scan_search.search, self.scan_search.results
        self._checkpoint_timer = QTimer(self, singleShot=True, interval=400)
        self._checkpoint_timer.timeout.connect(
            lambda: self.services.tasks.run_db(self.services.till.checkpoint, None, lambda _e: None))

        panel = self.panel = BasketPanel(self.services, self.basket, self)
        self.model, self.table = panel.model, panel.table
        self.lbl_subtotal, self.val_subtotal = panel.lbl_subtotal, panel.val_subtotal
        self.lbl_discount, self.val_discount = panel.lbl_discount, panel.val_discount
        self.lbl_tax, self.val_tax = panel.lbl_tax, panel.val_tax
        self.lbl_total, self.val_total = panel.lbl_total, panel.val_total
        edits = self.edits = BasketEdits(self.services, self.basket, panel, self.banner, self.gate,
                                         signed_in, self, self._open, self._refresh)
        self.qty_display, self.keypad = edits.qty_display, edits.keypad
        self.btn_qty, self.btn_remove = edits.btn_qty, edits.btn_remove
        self.btn_line_discount = edits.btn_line_discount
        self.btn_basket_discount = edits.btn_basket_discount
        self.btn_price, self.btn_clear = edits.btn_price, edits.btn_clear
        # The parts' actions, as the screen's own (the shell, the customer part, tests):
        self.with_permission = self.gate.with_permission  # (permission, reason, action)
        self.selected_line_id = panel.selected_line_id
        self.apply_quantity, self.remove_selected = edits.apply_quantity, edits.remove_selected
        self.clear_basket, self.open_discount = edits.clear_basket, edits.open_discount
        self.open_price_override = edits.open_price_override
        # issue 4: open the drawer (permission, audited)
        self.no_sale = NoSale(self.services, self.banner, self.gate, signed_in, self)
        self.btn_no_sale = make_button(self, "NoSale", self.no_sale.start)
        self.btn_pay = make_button(self, "PayCash", self.open_cash, "primary")
        self.btn_pay_other = make_button(self, "PayOther", self.open_payment)
        pay_height = 64 if self.services.layout is LayoutMode.TABLET else 48  # fits 768 px
        self.btn_no_sale.setMinimumHeight(pay_height)
        self.btn_pay.setMinimumHeight(pay_height)
        self.btn_pay_other.setMinimumHeight(pay_height)

        sell_page = QWidget(self)
        tablet = self.services.layout is LayoutMode.TABLET
        main = QBoxLayout(QBoxLayout.Direction.TopToBottom if tablet else QBoxLayout.Direction.LeftToRight, sell_page)
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.banner.boxed(self))
        left.addWidget(self.results)
        left.addWidget(self.table, 1)
        right = QVBoxLayout()
        self.customer = BasketCustomer(self)  # issue 5: the customer on the basket
        right.addWidget(self.customer)
        right.addLayout(panel.totals)
        if tablet:
            pad_and_actions = QBoxLayout(QBoxLayout.Direction.LeftToRight)
            pad_col = QVBoxLayout()
            pad_col.addWidget(self.qty_display)
            pad_col.addWidget(self.keypad)
            pad_and_actions.addLayout(pad_col, 1)
            pad_and_actions.addLayout(edits.actions, 1)
            right.addLayout(pad_and_actions)
        else:  # tighter rows: the counter screen is 1366 x 768
            right.setSpacing(4)
            edits.actions.setSpacing(4)
            self.keypad.layout().setSpacing(4)
            right.addWidget(self.qty_display)
            right.addWidget(self.keypad)
            right.addLayout(edits.actions)
            right.addStretch(1)
        pay_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)  # "No sale" takes no extra row
        pay_row.addWidget(self.btn_no_sale, 1)
        pay_row.addWidget(self.btn_pay_other, 2)
        pay_row.addWidget(self.btn_pay, 3)
        right.addLayout(pay_row)
        main.addLayout(left, 3)
        main.addLayout(right, 2 if not tablet else 0)

        self.complete_view = SaleCompleteView(self.services, self)
        self.complete_view.new_sale.connect(self.start_new_sale)
        self.payment_page = PaymentPage(self.services, self.checkout, self.gate, self._open, self)
        self.payment_page.back.connect(lambda: self.pages.setCurrentIndex(0))
        self.pages = QStackedWidget(self)
        self.pages.addWidget(sell_page)
        self.pages.addWidget(self.complete_view)
        self.pages.addWidget(self.payment_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(self.pages)
        QShortcut(QKeySequence(Qt.Key.Key_F12), self, self.open_cash)
        QShortcut(QKeySequence(Qt.Key.Key_F2), self, self.search.setFocus)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.remove_selected)

    def retranslate(self) -> None:
        self.scan_search.retranslate()
        self.panel.retranslate()
        self.edits.retranslate()
        self.btn_no_sale.setText(self.tr("No sale"))
        self.btn_pay.setText(self.tr("Pay cash"))
        self.btn_pay_other.setText(self.tr("Card, split…"))
        self.customer.retranslate()
        self.complete_view.retranslate()
        self.payment_page.retranslate()
        self._refresh()

    # --- associate ---------------------------------------------------------------------------
    def set_associate(self, associate: Associate | None) -> None:
        self.associate = associate

    # --- scanning ------------------------------------------------------------------------------
    def handle_scan(self, code: str) -> None:
        """A barcode arrived (wedge scanner, serial scanner or typed + Enter)."""
        if self.pages.currentWidget() is self.complete_view:
            self.start_new_sale()
        elif self.pages.currentWidget() is self.payment_page:
            if self.payment_page.locked:  # the basket is being paid: it must not change
                self.payment_page.refuse_scan(code)
                return
            self.pages.setCurrentIndex(0)
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

    # --- the basket ------------------------------------------------------------------------------
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

    def open_payment(self) -> None:
        """The payment page: split tenders, card on the terminal (ui/payments/)."""
        if self.basket.is_empty:
            self.show_error(self.tr("The basket is empty"))
            return
        if self._committing or self.associate is None:
            return
        snap = self.basket.snapshot()
        basket_doc = {"total": snap.priced.total, "customer_id": snap.customer_id,
                      "lines": [{"sku": ln.item.sku, "quantity": ln.quantity,
                                 "amount": pl.amount}
                                for ln, pl in zip(snap.lines, snap.priced.lines)]}
        self.payment_page.start(snap.priced.total, snap.currency, basket_doc,
                                self.associate.id)
        self.pages.setCurrentWidget(self.payment_page)

    def checkout(self, payments: tuple[Payment, ...], sale_id: str | None = None) -> None:
        """Commit the sale on the database worker; show it as done only after the commit.
        `sale_id` is the payment page's (its payment intents were made for it); a retry
        with the same id never makes a second sale."""
        if self.associate is None:
            self.show_error(self.tr("Sign in first"))
            return
        snap = self.basket.snapshot()
        sale_id = sale_id or str(uuid.uuid4())
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
        message = self.tr("The sale was NOT recorded: %1. The basket is kept; try again.") \
            .replace("%1", str(exc))
        if self.pages.currentWidget() is self.payment_page:
            self.payment_page.commit_failed(message)  # its tenders are kept for the retry
        else:
            self.show_error(message)

    def start_new_sale(self) -> None:
        self.pages.setCurrentIndex(0)
        self.clear_banner()
        self.search.setFocus()

    # --- feedback ------------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        self.banner.show_error(message)  # the search field flashes (error_shown)

    def show_info(self, message: str) -> None:
        self.banner.show_info(message)

    def clear_banner(self) -> None:
        self.banner.clear_message()

    @property
    def banner_level(self) -> str:
        """"error", "info" or "none": what the associate sees above the basket."""
        return self.banner.level

    def _background_failed(self, exc: BaseException) -> None:
        self.show_error(str(exc))

    def _open(self, dlg) -> None:
        self.active_dialog = dlg
        dlg.finished.connect(lambda _r: setattr(self, "active_dialog", None)
                             if self.active_dialog is dlg else None)
        dlg.open()

    def _refresh(self) -> None:
        self.panel.refresh()
        self.btn_pay.setEnabled(not self.basket.is_empty and not self._committing)
        self.btn_pay_other.setEnabled(not self.basket.is_empty and not self._committing)
        self.basket_changed.emit()
