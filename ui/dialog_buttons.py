"""The bottom row every Storeline dialog has: a way back on the left, the action on the right.

Why: four dialogs (override, cash, discount, amount) need the same touch-sized pair with the
primary action styled alike. Texts arrive translated by the calling dialog. UI thread only.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton


def back_and_action(dialog: QDialog, back_text: str, action_text: str, action_name: str,
                    on_action: Callable[[], None]) -> tuple[QHBoxLayout, QPushButton]:
    """A row with [back_text] (rejects the dialog) and a primary [action_text] button."""
    back = QPushButton(back_text, dialog)
    back.clicked.connect(dialog.reject)
    action = QPushButton(action_text, dialog)
    action.setObjectName(action_name)
    action.setProperty("role", "primary")
    action.clicked.connect(on_action)
    row = QHBoxLayout()
    row.addWidget(back)
    row.addWidget(action)
    return row, action
