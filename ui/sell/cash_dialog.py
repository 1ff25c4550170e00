"""Take cash: quick buttons for the notes a customer hands over, a keypad, change shown.

Why: the cashier's most common question is "how much change?"; the dialog shows it before
they confirm, in large type. Amounts are typed in minor units like on a cash register
(USD "2000" is $20.00; VND "500000" is 500.000 ₫). UI thread only; no I/O here.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QPushButton, QVBoxLayout

from pos_app.tenders import Payment, TenderError, cash_payment, quick_cash_amounts
from ui.dialog_buttons import back_and_action
from ui.keypad import Keypad


class CashDialog(QDialog):
    def __init__(self, due: int, currency: str, money: Callable[[int], str], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("CashDialog")
        self.setWindowTitle(self.tr("Cash payment"))
        self._due = due
        self._money = money
        self._digits = ""
        self.payment: Payment | None = None

        self.due_label = QLabel(self.tr("Amount due: %1").replace("%1", money(due)), self)
        self.due_label.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.tendered_label = QLabel(self)
        self.tendered_label.setObjectName("Tendered")
        self.change_label = QLabel(self)
        self.change_label.setObjectName("ChangeDue")
        self.change_label.setStyleSheet("font-size: 26px; font-weight: bold;")
        quick = QGridLayout()
        for i, amount in enumerate(quick_cash_amounts(due, currency)):
            btn = QPushButton(money(amount) if amount != due else self.tr("Exact") + f"\n{money(amount)}", self)
            btn.setObjectName(f"quick_{amount}")
            btn.setMinimumHeight(56)
            btn.clicked.connect(lambda _=False, a=amount: self.set_tendered(a))
            quick.addWidget(btn, i // 2, i % 2)
        pad = Keypad("000" if currency == "VND" else "00", self)
        pad.digit.connect(self._key)
        pad.backspace.connect(lambda: self._set_digits(self._digits[:-1]))
        pad.cleared.connect(lambda: self._set_digits(""))
        buttons, self.confirm = back_and_action(self, self.tr("Back"), self.tr("Confirm cash"),
                                                "ConfirmCash", self.submit)
        col = QVBoxLayout(self)
        col.addWidget(self.due_label)
        col.addLayout(quick)
        col.addWidget(self.tendered_label)
        col.addWidget(pad)
        col.addWidget(self.change_label)
        col.addLayout(buttons)
        self._set_digits("")

    def set_tendered(self, minor: int) -> None:
        self._set_digits(str(minor))

    def tendered(self) -> int:
        return int(self._digits) if self._digits else 0

    def _key(self, key: str) -> None:
        if len(self._digits) < 12:
            self._set_digits((self._digits + key).lstrip("0"))

    def _set_digits(self, digits: str) -> None:
        self._digits = digits
        tendered = self.tendered()
        self.tendered_label.setText(self.tr("Cash received: %1").replace("%1", self._money(tendered)))
        if tendered >= self._due:
            self.change_label.setText(self.tr("Change: %1").replace("%1", self._money(tendered - self._due)))
        else:
            self.change_label.setText(self.tr("Still due: %1").replace("%1", self._money(self._due - tendered)))
        self.confirm.setEnabled(tendered >= self._due)

    def submit(self) -> None:
        try:
            self.payment = cash_payment(self._due, self.tendered())
        except TenderError as exc:
            self.change_label.setText(str(exc))
            return
        self.accept()
