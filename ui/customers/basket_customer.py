"""The customer on the Sell screen's basket: quick attach (search or scan), her name, tier and
points beside the total, "Detach", and "Pay with points".

Why: a sale attached to a customer earns her points and may be paid with them (issue 5).
This widget lives in the Sell screen (one line there builds it) but owns all customer logic,
so the Sell screen stays about selling. The customer id rides on the basket
(Basket.customer_id, cleared with the basket after each sale) and checkout stores it.
UI thread; look-ups on the I/O pool, the core's loyalty rules on the database worker.
"""
from __future__ import annotations

import logging
from html import escape

from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget)

from sync.protocol_customers import CustomerProfile
from ui.customers.points_dialog import PointsDialog
from ui.customers.search_panel import CustomerSearchPanel
from ui.customers.wording import CustomerWording, points_text
from ui.dialog_buttons import back_and_action
from ui.sell.cash_dialog import CashDialog

log = logging.getLogger(__name__)


class AttachCustomerDialog(QDialog):
    """Search (or scan her card) and pick the customer for this sale."""

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("AttachCustomerDialog")
        self.setWindowTitle(self.tr("Customer for this sale"))
        self.chosen_id: str | None = None
        self.panel = CustomerSearchPanel(services, self)
        self.panel.chosen.connect(lambda hit: self.choose(hit.id))
        buttons, _ = back_and_action(self, self.tr("Cancel"), self.tr("Choose"), "ChooseCustomer",
                                     self.panel._enter)
        col = QVBoxLayout(self)
        col.addWidget(self.panel, 1)
        col.addLayout(buttons)
        self.resize(640, 520)
        self.panel.field.setFocus()

    def choose(self, customer_id: str) -> None:
        self.chosen_id = customer_id
        self.accept()


class BasketCustomer(QWidget):
    """See the module docstring. `sell` is the SellScreen it sits in."""

    def __init__(self, sell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BasketCustomer")
        self.sell = sell
        self.services = sell.services
        self.words = CustomerWording(self)
        self.profile: CustomerProfile | None = None
        self.live = False
        self.label = QLabel(self)
        self.label.setObjectName("BasketCustomerName")
        self.label.setWordWrap(True)
        self.attach_btn = QPushButton(self)
        self.attach_btn.setObjectName("AttachCustomer")
        self.attach_btn.clicked.connect(self.open_attach)
        self.detach_btn = QPushButton(self)
        self.detach_btn.setObjectName("DetachCustomer")
        self.detach_btn.clicked.connect(self.detach)
        self.points_btn = QPushButton(self)
        self.points_btn.setObjectName("PayWithPoints")
        self.points_btn.clicked.connect(self.pay_with_points)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.attach_btn)
        row.addWidget(self.detach_btn)
        row.addWidget(self.points_btn)
        sell.basket_changed.connect(self._basket_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.attach_btn.setText(self.tr("Customer…"))
        self.detach_btn.setText(self.tr("Detach"))
        self.points_btn.setText(self.tr("Pay with points"))
        self._render()

    # --- attach / detach -------------------------------------------------------------------
    def open_attach(self) -> None:
        dlg = AttachCustomerDialog(self.services, self.sell)
        dlg.accepted.connect(lambda: dlg.chosen_id and self.attach_id(dlg.chosen_id))
        self.sell._open(dlg)

    def attach_id(self, customer_id: str) -> None:
        """Load her profile (I/O pool), then attach it."""
        desk = self.services.customers
        self.sell.show_info(self.tr("Finding the customer…"))
        self.services.tasks.run_io(lambda: desk.profile(customer_id), self._loaded,
                                   lambda exc: self.sell.show_error(str(exc)))

    def _loaded(self, result) -> None:
        if result.data is None:
            self.sell.show_error(self.tr("This customer could not be found: %1")
                                 .replace("%1", result.error or ""))
            return
        self.attach(result.data, result.live)

    def attach(self, profile: CustomerProfile, live: bool) -> None:
        self.profile, self.live = profile, live
        self.sell.basket.customer_id = profile.customer.id
        self._render()
        self.sell.show_info(self.tr("%1 is on this sale").replace("%1", profile.customer.name))

    def attach_by_code(self, code: str) -> None:
        """A loyalty card or e-receipt QR scanned on the Sell screen."""
        desk = self.services.customers
        self.services.tasks.run_db(lambda: desk.customer_for_code(code), self._code_done,
                                   lambda exc: self.sell.show_error(str(exc)))

    def _code_done(self, customer_id: str | None) -> None:
        if customer_id is None:
            self.sell.show_error(self.tr("No customer found for this card or receipt."))
        else:
            self.attach_id(customer_id)

    def detach(self) -> None:
        self.sell.basket.customer_id = None
        self.profile = None
        self._render()

    def _basket_changed(self) -> None:
        if self.sell.basket.customer_id is None and self.profile is not None:
            self.profile = None  # the sale was completed or voided: she is off the basket
        self._render()

    def _render(self) -> None:
        p = self.profile
        attached = p is not None
        self.detach_btn.setVisible(attached)
        self.points_btn.setVisible(attached)
        self.attach_btn.setVisible(not attached)
        if not attached:
            self.label.setText(self.tr("No customer on this sale"))
            return
        self.points_btn.setEnabled(not self.sell.basket.is_empty and p.loyalty.balance > 0)
        points = points_text(p.loyalty.balance, self.services.ctx.locale)
        self.label.setText(f"<b>{escape(p.customer.name)}</b><br>"
                           + self.tr("%1 · %2 points").replace(
                               "%1", self.words.tier(p.loyalty.tier)).replace("%2", points))

    # --- lines from her profile ------------------------------------------------------------
    def add_lines(self, profile: CustomerProfile, lines: list) -> None:
        """Put lines of her online cart / wishlist / suggestions in the basket (and attach her)."""
        if self.profile is None or self.profile.customer.id != profile.customer.id:
            self.attach(profile, self.live)
        desk = self.services.customers
        skus = [(line.sku, line.quantity if hasattr(line, "quantity") else 1) for line in lines]
        self.services.tasks.run_db(lambda: [(desk.sellable(sku), sku, qty) for sku, qty in skus],
                                   self._lines_found, lambda exc: self.sell.show_error(str(exc)))

    def _lines_found(self, found: list) -> None:
        missing = [sku for item, sku, _qty in found if item is None]
        for item, _sku, qty in found:
            if item is not None:
                for _ in range(qty):
                    self.sell.add_item(item)
        if missing:
            self.sell.show_error(self.tr("Not sold in this store: %1").replace(
                "%1", ", ".join(missing)))

    # --- pay with points -------------------------------------------------------------------
    def pay_with_points(self) -> None:
        if self.profile is None or self.sell.basket.is_empty:
            return
        customer_id = self.profile.customer.id
        desk = self.services.customers
        self.points_btn.setEnabled(False)

        def balance_then_allowance():  # I/O pool: HQ's balance, else None (offline)
            result = desk.lookup.loyalty_balance(customer_id)
            return result.data if result.live else None

        def got_live(live) -> None:
            self.services.tasks.run_db(lambda: desk.service.redeemable(customer_id, live),
                                       lambda allowed: self._open_points(allowed, live),
                                       self._points_failed)

        self.services.tasks.run_io(balance_then_allowance, got_live, self._points_failed)

    def _points_failed(self, exc: BaseException) -> None:
        self._render()
        self.sell.show_error(str(exc))

    def _open_points(self, allowed, live) -> None:
        self._render()
        due = self.sell.basket.priced().total
        if allowed.max_points <= 0:
            self.sell.show_error(self.tr("No points can be used now: balance %1, usable 0.")
                                 .replace("%1", points_text(allowed.balance,
                                                            self.services.ctx.locale)))
            return
        dlg = PointsDialog(self.services, allowed, due, live, self.sell)
        dlg.accepted.connect(lambda: self._points_chosen(dlg.payment, due))
        self.sell._open(dlg)

    def _points_chosen(self, loyalty, due: int) -> None:
        rest = due - loyalty.amount
        if rest <= 0:
            self.sell.checkout((loyalty,))
            return
        dlg = CashDialog(rest, self.sell.basket.currency, self.services.money, self.sell)
        dlg.accepted.connect(lambda: self.sell.checkout((loyalty, dlg.payment)))
        self.sell._open(dlg)
