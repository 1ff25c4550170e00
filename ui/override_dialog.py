"""Manager override: a manager types their PIN to allow an action the associate may not do.

Why: large discounts and price overrides need a second person; the approval is recorded with
the approver's id (checkout writes it to the audit log). The PIN check runs on the database
worker; the dialog stays responsive. UI thread only.
"""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

from pos_app.auth import Approval, Permission
from ui.dialog_buttons import back_and_action
from ui.pin_pad import PinPad
from ui.services import AppServices


class OverrideDialog(QDialog):
    def __init__(self, services: AppServices, permission: Permission, reason: str,
                 parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("OverrideDialog")
        self.setWindowTitle(self.tr("Manager approval"))
        self.setModal(True)
        self._services = services
        self._permission = permission
        self.approval: Approval | None = None

        self.explain = QLabel(reason, self)
        self.explain.setWordWrap(True)
        self.prompt = QLabel(self.tr("A manager enters their PIN to approve."), self)
        self.pad = PinPad("ManagerPin", self)
        self.pad.submitted.connect(self.submit)
        self.pin, self.error = self.pad.pin, self.pad.error
        buttons, self.approve_btn = back_and_action(self, self.tr("Cancel"), self.tr("Approve"),
                                                    "ApproveOverride", self.submit)
        col = QVBoxLayout(self)
        for w in (self.explain, self.prompt, self.pad):
            col.addWidget(w)
        col.addLayout(buttons)

    def submit(self) -> None:
        pin = self.pad.take_pin()
        if not pin:
            return
        self.approve_btn.setEnabled(False)
        self._services.tasks.run_db(lambda: self._services.till.approve(pin, self._permission),
                                    self._done, lambda exc: self._show_error(str(exc)))

    def _done(self, approval: Approval | None) -> None:
        self.approve_btn.setEnabled(True)
        if approval is None:
            self._show_error(self.tr("That PIN cannot approve this."))
            return
        self.approval = approval
        self.accept()

    def _show_error(self, message: str) -> None:
        self.approve_btn.setEnabled(True)
        self.pad.show_error(message)
