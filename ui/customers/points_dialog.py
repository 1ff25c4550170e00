"""Pay with points: shows her balance and the most she may redeem now, a keypad for the
points, and what they pay; the core's refusal ("Only 800 points are available", "Offline, at
most 500 more points today") is shown as is and nothing is paid.

Why: redemption is a tender (docs/clienteling.md); the rule of how much is allowed — live
balance online, saved balance minus this till's unacknowledged redemptions and the store's
offline limit when offline — lives in pos_app (ClienteleService.redeemable / loyalty_payment),
not here. The dialog asks it on the database worker. UI thread only.
"""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

from pos_app.loyalty import RedeemAllowance
from pos_app.tenders import Payment
from ui.dialog_buttons import back_and_action
from ui.keypad import Keypad
from ui.services import AppServices
from ui.customers.wording import money_in, points_text


class PointsDialog(QDialog):
    def __init__(self, services: AppServices, allowed: RedeemAllowance, due: int, live,
                 parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("PointsDialog")
        self.setWindowTitle(self.tr("Pay with points"))
        self.services, self.allowed, self.due, self.live = services, allowed, due, live
        self.payment: Payment | None = None
        self._digits = ""
        locale = services.ctx.locale
        usable = min(allowed.max_points, due // max(allowed.point_value_minor, 1))
        self.usable = usable
        info = [self.tr("Balance: <b>%1 points</b>").replace("%1",
                                                            points_text(allowed.balance, locale)),
                self.tr("Usable now: <b>%1 points</b> = %2").replace(
                    "%1", points_text(usable, locale)).replace(
                    "%2", money_in(usable * allowed.point_value_minor, allowed.currency, locale))]
        if allowed.pending:
            info.append(self.tr("%1 points already used on this till are not booked at HQ yet")
                        .replace("%1", points_text(allowed.pending, locale)))
        if allowed.offline_limit_left is not None:
            info.append(self.tr("Offline: saved balance, at most %1 more points today")
                        .replace("%1", points_text(allowed.offline_limit_left, locale)))
        self.info = QLabel("<br>".join(info), self)
        self.info.setObjectName("PointsInfo")
        self.info.setWordWrap(True)
        self.value = QLabel(self)
        self.value.setObjectName("PointsValue")
        self.value.setStyleSheet("font-size: 24px; font-weight: bold;")
        self.error = QLabel(self)
        self.error.setObjectName("PointsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        pad = Keypad("000", self)
        pad.digit.connect(lambda k: self.set_points(int((self._digits + k)[:9])))
        pad.backspace.connect(lambda: self.set_points(int(self._digits[:-1] or 0)))
        pad.cleared.connect(lambda: self.set_points(0))
        buttons, self.ok = back_and_action(self, self.tr("Cancel"), self.tr("Use points"),
                                           "UsePoints", self.confirm)
        col = QVBoxLayout(self)
        col.addWidget(self.info)
        col.addWidget(self.value)
        col.addWidget(pad)
        col.addWidget(self.error)
        col.addLayout(buttons)
        self.set_points(usable)

    def set_points(self, points: int) -> None:
        self._digits = str(points) if points else ""
        amount = points * self.allowed.point_value_minor
        self.value.setText(self.tr("%1 points = %2").replace(
            "%1", points_text(points, self.services.ctx.locale)).replace(
            "%2", money_in(amount, self.allowed.currency, self.services.ctx.locale)))
        self.error.setText("")

    def points(self) -> int:
        return int(self._digits) if self._digits else 0

    def confirm(self) -> None:
        """Ask the core for the tender (database worker); its refusal is shown here."""
        points, customer_id, live = self.points(), self.allowed.customer_id, self.live
        if points * self.allowed.point_value_minor > self.due:
            self.error.setText(self.tr("That is more than the amount due."))
            return
        service = self.services.customers.service
        self.ok.setEnabled(False)
        self.services.tasks.run_db(lambda: service.loyalty_payment(customer_id, points, live),
                                   self._paid, self._refused)

    def _paid(self, payment: Payment) -> None:
        self.payment = payment
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        self.error.setText(str(exc))
