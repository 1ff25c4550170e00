"""A touch numeric keypad (PIN entry, quantities, cash amounts). UI thread only."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget


class Keypad(QWidget):
    """Digits, "00"/"000", backspace and clear; emits what was pressed."""

    digit = Signal(str)
    backspace = Signal()
    cleared = Signal()

    def __init__(self, extra_zeros: str = "00", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(6)
        grid.setContentsMargins(0, 0, 0, 0)
        keys = ["7", "8", "9", "4", "5", "6", "1", "2", "3", "C", "0", extra_zeros]
        for i, key in enumerate(keys):
            btn = QPushButton(key, self)
            btn.setObjectName(f"key_{key}")
            btn.setMinimumSize(64, 52)
            if key == "C":
                btn.clicked.connect(self.cleared.emit)
            else:
                btn.clicked.connect(lambda _=False, k=key: self.digit.emit(k))
            grid.addWidget(btn, i // 3, i % 3)
        back = QPushButton("⌫", self)
        back.setObjectName("key_back")
        back.setMinimumHeight(52)
        back.clicked.connect(self.backspace.emit)
        grid.addWidget(back, 4, 0, 1, 3)
