"""Type what a stand-alone card terminal's slip says: the approval code and the last 4 digits.

Why: pos_app/payments/standalone.py — the till cannot ask a terminal it is not connected to,
so the cashier copies the slip; a wrong field is named at once and nothing is recorded.
UI thread only.
"""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from pos_app.payments.standalone import StandaloneRefused, standalone_approval
from ui.dialog_buttons import back_and_action


class StandaloneCardDialog(QDialog):
    def __init__(self, amount_text: str, amount: int, currency: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("StandaloneCardDialog")
        self.setWindowTitle(self.tr("Card on a stand-alone terminal"))
        self._amount, self._currency = amount, currency
        self.intro = QLabel(self.tr("Key %1 on the terminal. When it is approved, type what "
                                    "its slip says:").replace("%1", amount_text), self)
        self.intro.setWordWrap(True)
        self.approval = QLineEdit(self)
        self.approval.setObjectName("ApprovalCode")
        self.approval.setMaxLength(8)
        self.last4 = QLineEdit(self)
        self.last4.setObjectName("CardLast4")
        self.last4.setMaxLength(4)
        self.last4.setInputMask("9999")
        self.error = QLabel(self)
        self.error.setObjectName("StandaloneError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setMinimumHeight(self.error.fontMetrics().lineSpacing() * 2 + 4)  # no jump
        self.setMinimumWidth(440)
        form = QFormLayout()
        form.addRow(self.tr("Approval code"), self.approval)
        form.addRow(self.tr("Card's last 4 digits"), self.last4)
        buttons, self.confirm = back_and_action(self, self.tr("Back"), self.tr("Record payment"),
                                                "RecordStandalone", self.submit)
        col = QVBoxLayout(self)
        col.addWidget(self.intro)
        col.addLayout(form)
        col.addWidget(self.error)
        col.addLayout(buttons)

    def submit(self) -> None:
        try:
            standalone_approval("check", self._amount, self._currency, self.approval.text(),
                                self.last4.text())
        except StandaloneRefused as exc:
            self.error.setText(self.tr("The approval code is 2 to 8 letters or digits, as "
                                       "printed on the slip.") if exc.field == "approval_code"
                               else self.tr("Type the card's last 4 digits, nothing more."))
            (self.approval if exc.field == "approval_code" else self.last4).setFocus()
            return
        self.accept()
