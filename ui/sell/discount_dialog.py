"""Ask for a discount: percent or amount, with a reason (UI thread only).

Why: every discount carries a reason for the audit and the receipt; presets make the common
ones one tap. Whether it needs a manager is decided by the Sell screen after this dialog.
"""
from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QHBoxLayout, QLineEdit,
                               QPushButton, QVBoxLayout)

from pos_app.money import Money
from pos_app.pricing import Discount, DiscountKind
from ui.dialog_buttons import back_and_action
from ui.keypad import Keypad
from ui.pin_pad import error_banner
from ui.text_input import text_problem


class DiscountDialog(QDialog):
    def __init__(self, title: str, currency: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("DiscountDialog")
        self.setWindowTitle(title)
        self._currency = currency
        self.discount: Discount | None = None
        self.percent_btn = QPushButton(self.tr("Percent %"), self)
        self.amount_btn = QPushButton(self.tr("Amount"), self)
        group = QButtonGroup(self)
        for b in (self.percent_btn, self.amount_btn):
            b.setCheckable(True)
            group.addButton(b)
        self.percent_btn.setChecked(True)
        self.value = QLineEdit(self)
        self.value.setObjectName("DiscountValue")
        self.value.setPlaceholderText(self.tr("Value"))
        self.reason = QComboBox(self)
        self.reason.setObjectName("DiscountReason")
        self.reason.setEditable(True)
        self.reason.addItems([self.tr("Damaged item"), self.tr("Price match"),
                              self.tr("Loyal customer"), self.tr("Staff discount"),
                              self.tr("Promotion")])
        self.reason.setCurrentIndex(-1)
        self.reason.lineEdit().setPlaceholderText(self.tr("Reason (required)"))
        self.error = error_banner(self)
        pad = Keypad(".", self)
        pad.digit.connect(self.value.insert)
        pad.backspace.connect(self.value.backspace)
        pad.cleared.connect(self.value.clear)
        buttons, _apply = back_and_action(self, self.tr("Cancel"), self.tr("Apply"),
                                          "ApplyDiscount", self.submit)
        kinds = QHBoxLayout()
        kinds.addWidget(self.percent_btn)
        kinds.addWidget(self.amount_btn)
        col = QVBoxLayout(self)
        col.addLayout(kinds)
        col.addWidget(self.value)
        col.addWidget(self.reason)
        col.addWidget(self.error)
        col.addWidget(pad)
        col.addLayout(buttons)

    def set_values(self, percent: bool, value: str, reason: str) -> None:
        """Fill the form (used by tests and by 'repeat last discount')."""
        (self.percent_btn if percent else self.amount_btn).setChecked(True)
        self.value.setText(value)
        self.reason.setEditText(reason)

    def submit(self) -> None:
        """Check the form and say what is wrong in the associate's language."""
        reason = self.reason.currentText().strip()
        text = self.value.text().strip()
        percent = self.percent_btn.isChecked()
        # Basis points are hundredths of a percent, so a percentage is read with two decimals
        # ("12.5" -> 1250 bp); "USD" only lends its two-decimal precision here.
        try:
            value = Money.parse(text, "USD" if percent else self._currency).minor if text else None
        except ValueError:
            value = None
        if not text:
            problem = self.tr("Enter a value")
        elif value is None:
            problem = (self.tr("Enter a percentage such as 15 or 12.5") if percent
                       else self.tr("Enter an amount in the store's currency"))
        elif value <= 0:
            problem = self.tr("Enter a discount above zero")
        elif percent and value > 10_000:
            problem = self.tr("A discount cannot be more than 100 %")
        elif not reason:
            problem = self.tr("Choose or type a reason")
        else:
            problem = text_problem(self.tr("Reason"), reason)
        if problem is not None:
            self.error.setText(problem)
            self.error.show()
            return
        self.discount = Discount(DiscountKind.PERCENT if percent else DiscountKind.AMOUNT, value,
                                 reason)
        self.accept()
