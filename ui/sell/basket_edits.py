"""The Sell screen's basket edits: the quantity keypad, and the buttons that change a line or
the basket (quantity, remove, line and basket discounts, price change, void).

Why: edits are instant (the basket is in memory), but some need a manager: a discount above
the store's threshold or a changed price goes through the permission gate, and the approver's
id rides on the discount or the price for checkout's audit. A refused edit shows an error on
the banner and changes nothing. The widgets are the screen's children (`host`) and `actions`
is a layout for the screen to place, so the widget tree is the screen's own; `refresh` is the
screen's, so one place shows the basket after any change. UI thread only.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QPushButton, QWidget

from pos_app.auth import Associate, Permission, discount_permission
from pos_app.basket import Basket, BasketError
from pos_app.pricing import Discount, DiscountKind
from ui.amount_dialog import AmountDialog
from ui.banner import Banner
from ui.keypad import Keypad
from ui.permission_gate import PermissionGate
from ui.sell.basket_panel import BasketPanel
from ui.sell.discount_dialog import DiscountDialog
from ui.services import AppServices


def make_button(host: QWidget, name: str, slot, role: str | None = None) -> QPushButton:
    """A push button named `name` (tests and the theme find it so) that calls `slot`."""
    btn = QPushButton(host)
    btn.setObjectName(name)
    if role:
        btn.setProperty("role", role)
    btn.clicked.connect(slot)
    return btn


class BasketEdits(QObject):
    def __init__(self, services: AppServices, basket: Basket, panel: BasketPanel, banner: Banner,
                 gate: PermissionGate, associate: Callable[[], Associate | None], host: QWidget,
                 open_dialog: Callable[[QDialog], None], refresh: Callable[[], None]) -> None:
        super().__init__(host)
        self._services = services
        self._basket = basket
        self._panel = panel
        self._banner = banner
        self._gate = gate
        self._associate = associate
        self._host = host
        self._open = open_dialog
        self._refresh = refresh
        self._qty_digits = ""
        self.qty_display = QLabel(host)
        self.qty_display.setObjectName("QtyBuffer")
        self.keypad = Keypad("00", host)
        self.keypad.digit.connect(self._qty_key)
        self.keypad.backspace.connect(lambda: self._set_qty_digits(self._qty_digits[:-1]))
        self.keypad.cleared.connect(lambda: self._set_qty_digits(""))
        self.btn_qty = make_button(host, "SetQuantity", self.apply_quantity)
        self.btn_remove = make_button(host, "RemoveLine", self.remove_selected)
        self.btn_line_discount = make_button(host, "LineDiscount",
                                             lambda: self.open_discount(line=True))
        self.btn_basket_discount = make_button(host, "BasketDiscount",
                                               lambda: self.open_discount(line=False))
        self.btn_price = make_button(host, "PriceOverride", self.open_price_override)
        self.btn_clear = make_button(host, "ClearBasket", self.clear_basket, "danger")
        self.actions = QGridLayout()  # for the screen to place
        for i, b in enumerate([self.btn_qty, self.btn_remove, self.btn_line_discount,
                               self.btn_basket_discount, self.btn_price, self.btn_clear]):
            self.actions.addWidget(b, i // 2, i % 2)

    def retranslate(self) -> None:
        self.btn_qty.setText(self.tr("Quantity"))
        self.btn_remove.setText(self.tr("Remove"))
        self.btn_line_discount.setText(self.tr("Line discount"))
        self.btn_basket_discount.setText(self.tr("Basket discount"))
        self.btn_price.setText(self.tr("Change price"))
        self.btn_clear.setText(self.tr("Void basket"))
        self._set_qty_digits(self._qty_digits)

    # --- quantity ------------------------------------------------------------------------------
    def _qty_key(self, key: str) -> None:
        self._set_qty_digits((self._qty_digits + key)[:4])

    def _set_qty_digits(self, digits: str) -> None:
        self._qty_digits = digits.lstrip("0")
        self.qty_display.setText(self.tr("Quantity: %1").replace("%1", self._qty_digits or "–"))

    def apply_quantity(self) -> None:
        line_id = self._panel.selected_line_id()
        if line_id is None or not self._qty_digits:
            self._banner.show_error(self.tr("Type a quantity on the keypad, then press Quantity"))
            return
        try:
            self._basket.set_quantity(line_id, int(self._qty_digits))
        except BasketError as exc:
            self._banner.show_error(str(exc))
            return
        self._set_qty_digits("")
        self._refresh_keep_row()

    def remove_selected(self) -> None:
        line_id = self._panel.selected_line_id()
        if line_id is not None:
            self._basket.remove(line_id)
            self._refresh()

    def clear_basket(self) -> None:
        self._basket.clear()
        self._refresh()

    # --- discounts and overrides ---------------------------------------------------------------
    def open_discount(self, line: bool) -> None:
        line_id = self._panel.selected_line_id() if line else None
        if self._basket.is_empty or (line and line_id is None):
            self._banner.show_error(self.tr("Add an item first"))
            return
        title = self.tr("Line discount") if line else self.tr("Basket discount")
        dlg = DiscountDialog(title, self._basket.currency, self._host)
        dlg.accepted.connect(lambda: self._discount_chosen(dlg.discount, line_id))
        self._open(dlg)

    def _discount_chosen(self, discount: Discount, line_id: str | None) -> None:
        basket = self._basket
        priced = basket.priced()
        if line_id is not None:
            idx = [ln.line_id for ln in basket.lines].index(line_id)
            base = priced.lines[idx].gross
        else:
            base = sum(pl.gross - pl.line_discount for pl in priced.lines)
        percent_bp = (discount.value if discount.kind is DiscountKind.PERCENT
                      else (discount.value * 10_000 + base - 1) // max(base, 1))
        threshold_bp = self._services.ctx.discount_threshold_bp
        needed = discount_permission(percent_bp, threshold_bp)

        def apply(approved_by: str | None) -> None:
            final = replace(discount, approved_by=approved_by)
            if line_id is not None:
                basket.set_line_discount(line_id, final)
            else:
                basket.set_basket_discount(final)
            self._refresh_keep_row()

        reason = self.tr("A discount above %1 % needs a manager.").replace(
            "%1", f"{threshold_bp / 100:g}")
        self._gate.with_permission(needed, reason, apply)

    def open_price_override(self) -> None:
        line_id = self._panel.selected_line_id()
        if line_id is None:
            self._banner.show_error(self.tr("Add an item first"))
            return
        line = self._basket.line(line_id)
        dlg = AmountDialog(self.tr("Change price"),
                           self.tr("New unit price for %1").replace("%1", line.item.name),
                           self._services.money, line.unit_price, self._host)

        def chosen() -> None:
            price = dlg.minor()
            self._gate.with_permission(
                Permission.PRICE_OVERRIDE, self.tr("Changing a price needs a manager."),
                lambda approver: self._set_price(line_id, price, approver))

        dlg.accepted.connect(chosen)
        self._open(dlg)

    def _set_price(self, line_id: str, price: int, approver: str | None) -> None:
        try:
            self._basket.override_price(line_id, price, approver or self._associate().id)
        except BasketError as exc:
            self._banner.show_error(str(exc))
            return
        self._refresh_keep_row()

    def _refresh_keep_row(self) -> None:
        row = self._panel.selected_row()
        self._refresh()
        self._panel.select_row(row)
