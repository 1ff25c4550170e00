"""PIN entry for touch and keyboard: a masked field, a keypad, and an error line.

Why: the login screen and the manager-override dialog ask for a PIN the same way; one widget
keeps them alike. The PIN leaves this widget only through `take_pin()`, which also clears
it, and is never logged. UI thread only.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.keypad import Keypad


def error_banner(parent: QWidget) -> QLabel:
    """A hidden red message line (styled by the theme's #Banner[level="error"])."""
    label = QLabel(parent)
    label.setObjectName("Banner")
    label.setProperty("level", "error")
    label.setWordWrap(True)
    label.hide()
    return label


class PinPad(QWidget):
    submitted = Signal()  # Enter in the field or OK on the keypad

    def __init__(self, field_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pin = QLineEdit(self)
        self.pin.setObjectName(field_name)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin.returnPressed.connect(self.submitted.emit)
        self.error = error_banner(self)
        self.keypad = Keypad("OK", self)
        self.keypad.digit.connect(lambda k: self.submitted.emit() if k == "OK" else self.pin.insert(k))
        self.keypad.backspace.connect(self.pin.backspace)
        self.keypad.cleared.connect(self.pin.clear)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.pin)
        col.addWidget(self.error)
        col.addWidget(self.keypad)

    def take_pin(self) -> str:
        pin = self.pin.text()
        self.pin.clear()
        return pin

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
