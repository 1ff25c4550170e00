"""Enter an amount on a touch keypad (price override, opening float). UI thread only.

Amounts are typed in minor units like on a cash register (USD "1999" is $19.99).
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

from ui.dialog_buttons import back_and_action
from ui.keypad import Keypad


class AmountDialog(QDialog):
    def __init__(self, title: str, prompt: str, money: Callable[[int], str], initial: int = 0,
                 parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("AmountDialog")
        self.setWindowTitle(title)
        self._money = money
        self._digits = str(initial) if initial else ""
        self.prompt = QLabel(prompt, self)
        self.prompt.setWordWrap(True)
        self.value = QLabel(self)
        self.value.setObjectName("AmountValue")
        self.value.setStyleSheet("font-size: 26px; font-weight: bold;")
        pad = Keypad("00", self)
        pad.digit.connect(lambda k: self.set_minor(int((self._digits + k)[:12])))
        pad.backspace.connect(lambda: self.set_minor(int(self._digits[:-1] or 0)))
        pad.cleared.connect(lambda: self.set_minor(0))
        buttons, _ok = back_and_action(self, self.tr("Cancel"), self.tr("OK"), "AmountOk",
                                       self.accept)
        col = QVBoxLayout(self)
        col.addWidget(self.prompt)
        col.addWidget(self.value)
        col.addWidget(pad)
        col.addLayout(buttons)
        self.set_minor(initial)

    def set_minor(self, minor: int) -> None:
        self._digits = str(minor) if minor else ""
        self.value.setText(self._money(minor))

    def minor(self) -> int:
        return int(self._digits) if self._digits else 0
