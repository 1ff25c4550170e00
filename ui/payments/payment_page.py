"""The payment page: split tenders over one basket, what is still due after each, the card
step with a Cancel that really cancels on the terminal.

Why: a customer pays 2.450.000 ₫ with some cash, a gift card and the rest by card; the
cashier needs one place that shows Total / Paid / Still due, the tenders taken (cash can be
taken back; an authorised card is voided, never just dropped), and a card step that says
"Present card on terminal…" until the terminal answers. A decline says why (the terminal's
reason) and leaves the basket and the tenders taken as they were. When nothing is due the
sale commits (the Sell screen's checkout), with the payment intents' ids as payment ids.

Amounts are typed in minor units like on a cash register (VND "500000" is 500.000 ₫) and
default to what is still due. Once a tender is taken the basket is locked: "Back to basket"
asks to remove or void the tenders first, so a card is never approved for another total.

UI thread only; terminal calls go through ui/payments/payment_desk.py on the I/O pool.
"""
from __future__ import annotations

import uuid
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QStackedWidget, QVBoxLayout, QWidget)

from pos_app.auth import Permission
from pos_app.payments.intents import IntentState, PaymentIntent
from pos_app.payments.standalone import needs_manager
from pos_app.payments.session import PaymentRefused, PaymentSession, Refusal
from pos_app.payments.terminal import TerminalOutcome
from pos_app.tenders import EXTERNAL_TENDERS, Payment, TenderType
from ui.keypad import Keypad
from ui.payments.standalone_dialog import StandaloneCardDialog
from ui.permission_gate import PermissionGate
from ui.services import AppServices
from ui.theme import LayoutMode

Checkout = Callable[[tuple[Payment, ...], str], None]  # (payments, sale_id)


class PaymentPage(QWidget):
    back = Signal()

    def __init__(self, services: AppServices, checkout: Checkout,
                 gate: PermissionGate | None = None, open_dialog=None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PaymentPage")
        self.services = services
        self._checkout = checkout
        self._gate = gate  # a manager's PIN for a large stand-alone card payment
        self._open = open_dialog or (lambda dlg: dlg.open())
        self.active_dialog = None
        self.session: PaymentSession | None = None
        self.sale_id = ""
        self._basket_doc: dict | None = None
        self._associate_id: str | None = None
        self._digits = ""
        self._waiting: PaymentIntent | None = None  # the card intent the terminal is asked
        self._cancel_asked = False  # Cancel pressed before the intent was on disk
        self._card_busy = False
        self._build()
        self.retranslate()

    # --- construction ------------------------------------------------------------------------
    def _build(self) -> None:
        tablet = self.services.layout is LayoutMode.TABLET
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.lbl_total, self.val_total = QLabel(self), QLabel(self)
        self.lbl_paid, self.val_paid = QLabel(self), QLabel(self)
        self.lbl_due, self.val_due = QLabel(self), QLabel(self)
        self.val_due.setObjectName("DueValue")
        sums = QGridLayout()
        for row, (lbl, val) in enumerate([(self.lbl_total, self.val_total),
                                          (self.lbl_paid, self.val_paid),
                                          (self.lbl_due, self.val_due)]):
            val.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            sums.addWidget(lbl, row, 0)
            sums.addWidget(val, row, 1)
        self.tenders = QListWidget(self)
        self.tenders.setObjectName("TenderList")
        self.tenders.currentRowChanged.connect(lambda _row: self._refresh_buttons())
        self.btn_remove = self._button("RemoveTender", self.remove_selected)
        self.message = QLabel(self)
        self.message.setObjectName("PaymentMessage")
        self.message.setWordWrap(True)
        self.message.setProperty("level", "none")
        # room for two lines and the style's padding: a refusal is read, not guessed
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 2 + 24)
        self.btn_back = self._button("BackToBasket", self.go_back)
        self.btn_complete = self._button("CompleteSale", self.complete, "primary")
        self.btn_complete.hide()  # only after a commit failed: its tenders are kept

        self.amount = QLabel(self)
        self.amount.setObjectName("TenderAmount")
        self.amount.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.keypad = Keypad("000" if self.services.ctx.currency == "VND" else "00", self)
        self.keypad.digit.connect(self._key)
        self.keypad.backspace.connect(lambda: self._set_digits(self._digits[:-1]))
        self.keypad.cleared.connect(lambda: self._set_digits(""))
        self.btn_cash = self._button("TenderCash", self.take_cash, "primary")
        self.btn_card = self._button("TenderCard", self.take_card, "primary")
        self.btn_standalone = self._button("TenderStandaloneCard", self.take_standalone_card)
        height = 64 if tablet else 52
        for b in (self.btn_cash, self.btn_card):
            b.setMinimumHeight(height)
        entry = QWidget(self)
        entry_col = QVBoxLayout(entry)
        entry_col.setContentsMargins(0, 0, 0, 0)
        entry_col.addStretch(1)  # the amount sits right above the keypad it is typed on
        entry_col.addWidget(self.amount)
        entry_col.addWidget(self.keypad)
        row = QHBoxLayout()
        row.addWidget(self.btn_cash)
        row.addWidget(self.btn_card)
        entry_col.addLayout(row)
        entry_col.addWidget(self.btn_standalone)

        # The card step: shown while the terminal is asked, with a Cancel that reaches it.
        waiting = QWidget(self)
        wait_col = QVBoxLayout(waiting)
        self.card_prompt = QLabel(self)
        self.card_prompt.setObjectName("CardPrompt")
        self.card_prompt.setWordWrap(True)
        self.card_prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card_prompt.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.btn_cancel_card = self._button("CancelCard", self.cancel_card, "danger")
        self.btn_cancel_card.setMinimumHeight(height)
        self.btn_check_again = self._button("CheckAgain", self.check_again)
        wait_col.addStretch(1)
        wait_col.addWidget(self.card_prompt)
        wait_col.addWidget(self.btn_cancel_card)
        wait_col.addWidget(self.btn_check_again)
        wait_col.addStretch(1)
        self.steps = QStackedWidget(self)
        self.steps.addWidget(entry)
        self.steps.addWidget(waiting)

        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addLayout(sums)
        left.addWidget(self.tenders, 1)
        left.addWidget(self.btn_remove)
        left.addWidget(self.message)
        left.addWidget(self.btn_complete)
        left.addWidget(self.btn_back)
        outer = QVBoxLayout(self) if tablet else QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(left, 3)
        outer.addWidget(self.steps, 2)

    def _button(self, name: str, slot, role: str | None = None) -> QPushButton:
        btn = QPushButton(self)
        btn.setObjectName(name)
        if role:
            btn.setProperty("role", role)
        btn.clicked.connect(slot)
        return btn

    def retranslate(self) -> None:
        self.title.setText(self.tr("Payment"))
        self.lbl_total.setText(self.tr("Total"))
        self.lbl_paid.setText(self.tr("Paid"))
        self.lbl_due.setText(self.tr("Still due"))
        self.btn_back.setText(self.tr("Back to basket"))
        self.btn_cash.setText(self.tr("Cash"))
        self.btn_card.setText(self.tr("Card"))
        self.btn_standalone.setText(self.tr("Card on a stand-alone terminal"))
        self.btn_cancel_card.setText(self.tr("Cancel card payment"))
        self.btn_check_again.setText(self.tr("Check again"))
        self.btn_complete.setText(self.tr("Complete the sale"))
        self._refresh()

    # --- a new payment -----------------------------------------------------------------------
    def start(self, total: int, currency: str, basket_doc: dict | None,
              associate_id: str | None) -> None:
        """A payment for a basket of `total`; the sale's id is made now, so the intents and
        the sale it commits as are tied from the first tender."""
        self.session = PaymentSession(total, currency)
        self.sale_id = str(uuid.uuid4())
        self._basket_doc = basket_doc
        self._associate_id = associate_id
        self._waiting = None
        self.btn_complete.hide()
        self.steps.setCurrentIndex(0)
        self._say("none", "")
        self._set_digits(str(total))
        self._refresh()

    @property
    def locked(self) -> bool:
        """Tenders were taken (or a card is being asked): the basket must not change."""
        return self._card_busy or bool(self.session and self.session.payments)

    # --- amount entry --------------------------------------------------------------------------
    def _key(self, key: str) -> None:
        if len(self._digits) < 12:
            self._set_digits((self._digits + key).lstrip("0"))

    def _set_digits(self, digits: str) -> None:
        self._digits = digits
        self.amount.setText(self.tr("Amount: %1").replace("%1", self.services.money(
            self.typed())))

    def typed(self) -> int:
        return int(self._digits) if self._digits else 0

    # --- tenders -------------------------------------------------------------------------------
    def take_cash(self) -> None:
        try:
            self.session.add_cash(self.typed())
        except PaymentRefused as exc:
            self._refused(exc)
            return
        self._after_tender()

    def take_card(self) -> None:
        desk = self.services.payments
        if desk is None or not desk.can_take(TenderType.CARD):
            self._say("error", self.tr("No card terminal is set up on this till. Ask a "
                                       "manager to set it up under Settings."))
            return
        amount = self.typed()
        try:
            self.session.check(TenderType.CARD, amount)
        except PaymentRefused as exc:
            self._refused(exc)
            return
        self._card_busy = True
        self._cancel_asked = False
        self._waiting = None
        self.card_prompt.setText(self.tr("Present card on terminal…") + "\n"
                                 + self.services.money(amount))
        self.btn_cancel_card.setEnabled(True)
        self.btn_check_again.hide()
        self.steps.setCurrentIndex(1)
        self._say("none", "")
        self._refresh_buttons()
        desk.authorise(TenderType.CARD, sale_id=self.sale_id, amount=amount,
                       currency=self.session.currency, basket=self._basket_doc,
                       associate_id=self._associate_id, on_opened=self._opened,
                       on_done=self._card_answered, on_error=self._card_failed)

    def take_standalone_card(self) -> None:
        """The cashier keys the amount on a stand-alone terminal and copies its slip."""
        amount = self.typed()
        try:
            self.session.check(TenderType.CARD, amount)
        except PaymentRefused as exc:
            self._refused(exc)
            return
        dlg = StandaloneCardDialog(self.services.money(amount), amount, self.session.currency,
                                   self)
        self.active_dialog = dlg
        dlg.accepted.connect(lambda: self._standalone_typed(amount, dlg.approval.text(),
                                                            dlg.last4.text()))
        self._open(dlg)

    def _standalone_typed(self, amount: int, approval: str, last4: str) -> None:
        def record(approved_by: str | None) -> None:
            self._card_busy = True
            self._refresh_buttons()
            self.services.payments.record_standalone(
                sale_id=self.sale_id, amount=amount, currency=self.session.currency,
                approval_code=approval, last4=last4, associate_id=self._associate_id,
                approved_by=approved_by, on_done=self._card_answered,
                on_error=self._card_failed)

        if needs_manager(amount, self.session.currency) and self._gate is not None:
            self._gate.with_permission(
                Permission.STANDALONE_CARD,
                self.tr("A card payment of %1 on a stand-alone terminal needs a manager.")
                .replace("%1", self.services.money(amount)), record)
        else:
            record(None)

    def _opened(self, intent: PaymentIntent) -> None:
        """I/O thread (the one exception here): the intent is durable; Cancel may reach the
        terminal from now on. A plain attribute write, read on the UI thread."""
        self._waiting = intent
        if self._cancel_asked:
            self.services.payments.cancel(intent)

    def cancel_card(self) -> None:
        if self.services.payments is None or not self._card_busy:
            return
        self.btn_cancel_card.setEnabled(False)
        self.card_prompt.setText(self.tr("Cancelling on the terminal…"))
        self._cancel_asked = True
        if self._waiting is not None:
            self.services.payments.cancel(self._waiting)

    def check_again(self) -> None:
        intent = self._waiting
        if intent is None or self.services.payments is None:
            return
        self.btn_check_again.setEnabled(False)
        self.services.payments.check_again(intent.id, intent.tender, self._card_answered,
                                           self._card_failed)

    def _card_answered(self, intent: PaymentIntent) -> None:
        self.btn_check_again.setEnabled(True)
        if intent.state is IntentState.UNKNOWN or intent.state is IntentState.PENDING:
            self._waiting = intent
            self.card_prompt.setText(self.tr("No answer from the terminal yet. Do not take "
                                             "another payment: press Check again."))
            self.btn_cancel_card.setEnabled(False)
            self.btn_check_again.show()
            return
        self._card_busy = False
        self._waiting = None
        self.steps.setCurrentIndex(0)
        if intent.state is IntentState.APPROVED:
            self.session.add(intent.payment())
            self._after_tender()
            self._say("info", self.tr("Card approved: %1").replace(
                "%1", self._card_words(intent.payment())))
            return
        self._refresh_buttons()
        self._say("error", self._failure(intent))

    def _card_failed(self, exc: BaseException) -> None:
        """The intent could not even be written (disk full, ...): nothing was sent."""
        self._card_busy = False
        self._waiting = None
        self.steps.setCurrentIndex(0)
        self._refresh_buttons()
        self._say("error", self.tr("The card payment could not start: %1. Nothing was "
                                   "charged.").replace("%1", str(exc)))

    def _failure(self, intent: PaymentIntent) -> str:
        outcome = intent.result.outcome if intent.result else TerminalOutcome.UNREACHABLE
        reason = (intent.result.message if intent.result else "") or intent.message
        kept = self.tr("Nothing was charged; the basket and the payments taken are kept.")
        if outcome is TerminalOutcome.DECLINED:
            text = self.tr("Declined: %1.").replace("%1", reason or self.tr("no reason given"))
        elif outcome is TerminalOutcome.CANCELLED:
            text = self.tr("Cancelled on the terminal.")
        elif outcome is TerminalOutcome.BUSY:
            text = self.tr("The terminal is busy with another payment; try again.")
        else:
            text = self.tr("The terminal cannot be reached (%1).").replace("%1", reason or "-")
        return f"{text} {kept}"

    def remove_selected(self) -> None:
        payment = self._selected()
        if payment is None:
            return
        if payment.tender not in EXTERNAL_TENDERS:
            self.session.remove(payment.id)
            self._after_tender()
            return
        desk = self.services.payments
        self.btn_remove.setEnabled(False)
        self._say("info", self.tr("Voiding the card payment…"))
        desk.void(payment.id, payment.tender, self._voided, self._card_failed)

    def _voided(self, intent: PaymentIntent) -> None:
        if intent.state is IntentState.VOIDED:
            self.session.drop_voided(intent.id)
            self._after_tender()
            self._say("info", self.tr("The card payment was voided; the money goes back to "
                                      "the card."))
        else:
            self._refresh_buttons()
            self._say("error", self.tr("The terminal did not confirm the void. The payment "
                                       "stays; try again or call a manager."))

    def go_back(self) -> None:
        if self.locked:
            self._say("error", self.tr("Payments were taken: remove or void them before "
                                       "changing the basket."))
            return
        self.back.emit()

    # --- after each tender ---------------------------------------------------------------------
    def _after_tender(self) -> None:
        self._say("none", "")
        self._refresh()
        self._set_digits(str(self.session.due))
        if self.session.complete:
            self._checkout(tuple(self.session.payments), self.sale_id)

    def complete(self) -> None:
        """Retry the commit after it failed (the same sale id: never two sales)."""
        if self.session is not None and self.session.complete:
            self.btn_complete.hide()
            self._checkout(tuple(self.session.payments), self.sale_id)

    def commit_failed(self, message: str) -> None:
        self._say("error", message)
        self.btn_complete.show()

    def refuse_scan(self, code: str) -> None:
        self._say("error", self.tr("Scanned %1, but this basket is being paid: finish the "
                                   "payment, or remove the payments first.").replace("%1", code))

    def _refused(self, exc: PaymentRefused) -> None:
        money = self.services.money
        if exc.reason is Refusal.ABOVE_DUE:
            text = self.tr("%1 is more than the %2 still due. Only cash can be more (it "
                           "gives change).").replace("%1", money(exc.amount)).replace(
                               "%2", money(exc.due))
        elif exc.reason is Refusal.NOTHING_DUE:
            text = self.tr("Nothing is due.")
        elif exc.reason is Refusal.NOT_POSITIVE:
            text = self.tr("Type an amount first.")
        else:
            text = str(exc)
        self._say("error", text)

    def _selected(self) -> Payment | None:
        item = self.tenders.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _card_words(self, p: Payment) -> str:
        parts = [self.services.money(p.amount), p.masked_pan or "", p.auth_code or ""]
        return " · ".join(x for x in parts if x)

    def _line(self, p: Payment) -> str:
        money = self.services.money
        if p.tender is TenderType.CASH:
            text = self.tr("Cash %1").replace("%1", money(p.tendered))
            if p.change:
                text += " · " + self.tr("change %1").replace("%1", money(p.change))
            return text
        if p.tender is TenderType.CARD:
            return self.tr("Card %1").replace("%1", self._card_words(p))
        return f"{p.tender.value} {money(p.amount)}"

    def _refresh(self) -> None:
        s = self.session
        money = self.services.money
        self.val_total.setText(money(s.total if s else 0))
        self.val_paid.setText(money(s.paid if s else 0))
        self.val_due.setText(money(s.due if s else 0))
        self.tenders.clear()
        for p in (s.payments if s else []):
            item = QListWidgetItem(self._line(p), self.tenders)
            item.setData(Qt.ItemDataRole.UserRole, p)
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        selected = self._selected()
        busy = self._card_busy
        self.btn_remove.setEnabled(selected is not None and not busy)
        self.btn_remove.setText(self.tr("Void card payment")
                                if selected is not None and selected.tender in EXTERNAL_TENDERS
                                else self.tr("Remove payment"))
        due = self.session.due if self.session else 0
        self.btn_cash.setEnabled(due > 0 and not busy)
        self.btn_card.setEnabled(due > 0 and not busy)
        self.btn_standalone.setEnabled(due > 0 and not busy and self.services.payments
                                       is not None)
        self.btn_back.setEnabled(not busy)

    def _say(self, level: str, text: str) -> None:
        if self.message.property("level") != level:
            self.message.setProperty("level", level)
            self.message.style().unpolish(self.message)
            self.message.style().polish(self.message)
        self.message.setText(text)

    @property
    def message_level(self) -> str:
        return self.message.property("level")
