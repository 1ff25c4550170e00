"""What the cashier is shown at start-up about payments a crash interrupted.

Why: DESIGN.md §3 — an interrupted card payment ends voided/reversed *and shown*: the customer
may be at the counter asking whether she was charged. One message box lists each such payment
(amount, card, what the till did), and stays until someone acknowledges it.

UI thread only.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from pos_app.payments.authorisation import Resolution, Resolved
from ui.services import AppServices


def describe(resolved: Resolved, services: AppServices) -> str:
    intent = resolved.intent
    card = intent.result.masked_pan if intent.result and intent.result.masked_pan else ""
    what = f"{services.money(intent.amount)} {card}".strip()
    if resolved.resolution is Resolution.REVERSED:
        text = QCoreApplication.translate(
            "PaymentRecovery", "%1: approved, but its sale was never completed. It was "
            "reversed: no money was kept.")
    elif resolved.resolution is Resolution.NOT_CHARGED:
        text = QCoreApplication.translate(
            "PaymentRecovery", "%1: never approved. Nothing was charged.")
    elif resolved.resolution is Resolution.VOID_FAILED:
        text = QCoreApplication.translate(
            "PaymentRecovery", "%1: approved, but its sale was never completed, and the "
            "reversal failed. Call a manager before the customer leaves.")
    else:
        text = QCoreApplication.translate(
            "PaymentRecovery", "%1: the terminal could not be asked yet. It will be asked "
            "again; do not take this payment again.")
    return text.replace("%1", what)


def report(parent: QWidget, services: AppServices, resolved: list[Resolved]
           ) -> QMessageBox | None:
    """A non-blocking message box listing the interrupted payments; None when there were
    none."""
    if not resolved:
        return None
    title = QCoreApplication.translate("PaymentRecovery", "Interrupted payments")
    intro = QCoreApplication.translate(
        "PaymentRecovery", "The till stopped while these payments were in progress:")
    box = QMessageBox(QMessageBox.Icon.Warning, title, intro + "\n\n" + "\n".join(
        "• " + describe(r, services) for r in resolved), parent=parent)
    box.setObjectName("PaymentRecovery")
    box.open()
    return box
