"""Permission checks for actions on a screen: run now if the signed-in associate may, else ask
a manager for their PIN (ui.override_dialog) and run after the approval.

Why: discounts above the store's threshold, price changes and opening the drawer without a
sale (pos_app.auth.Permission) need a manager; the approver's id travels with the action so
that checkout and the audit log record who allowed it. One gate per screen, shared by the
screen and the actions it hosts ("No sale"), so none of them needs the screen itself.
UI thread only.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QWidget

from pos_app.auth import Associate, Permission
from ui.override_dialog import OverrideDialog
from ui.services import AppServices

Action = Callable[[str | None], None]  # action(approved_by)


class PermissionGate(QObject):
    def __init__(self, services: AppServices, associate: Callable[[], Associate | None],
                 host: QWidget, open_dialog: Callable[[QDialog], None] | None = None) -> None:
        """`associate()` is whoever is signed in now; the override dialog opens over `host`
        through `open_dialog` (the screen's, so that it knows its open dialog)."""
        super().__init__(host)
        self._services = services
        self._associate = associate
        self._host = host
        self._open = open_dialog or QDialog.open

    def with_permission(self, permission: Permission, reason: str, action: Action) -> None:
        """Run `action(approved_by)` now if the associate may, else after a manager approves.

        `approved_by` is None for everyday permissions, or the approver's associate id.
        """
        assoc = self._associate()
        if assoc is not None and assoc.can(permission):
            everyday = permission in (Permission.DISCOUNT_SMALL, Permission.SELL)
            action(None if everyday else assoc.id)
            return
        dlg = OverrideDialog(self._services, permission, reason, self._host)
        dlg.accepted.connect(lambda: action(dlg.approval.approved_by))
        self._open(dlg)
