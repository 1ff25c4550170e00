"""Create or edit a customer: name, phone, e-mail, loyalty card, sizes, preferences and the two
consents (data use, marketing) with the channel she gave them on.

Why: customers are created in the store, online or offline (pos_app.services.clienteling
writes the local row + the outbox event; HQ merges by its documented rule). Before a NEW
customer is created, likely duplicates by phone or e-mail are shown (HQ's answer, or the
local book's offline) with a button to open the existing one: two records for one shopper
split her points and history. Creating anyway takes a second, deliberate tap.
UI thread; look-ups on the I/O pool, writes on the database worker.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QFrame, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget)

from pos_app.services.clienteling import CustomerDraft
from sync.protocol_customers import CustomerProfile
from ui.customers.wording import CustomerWording
from ui.services import AppServices
from ui.text_input import failure_text, first_text_problem

SIZE_KINDS = ("tops", "bottoms", "shoes")
CHANNELS = ("in_store", "phone", "email", "web")


class CustomerForm(QWidget):
    saved = Signal(str)  # the customer id
    open_existing = Signal(str)  # a duplicate the associate chose instead
    cancelled = Signal()

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CustomerForm")
        self.services = services
        self.words = CustomerWording(self)
        self.editing: CustomerProfile | None = None
        self.associate_id: str | None = None
        self.duplicates: list = []
        self._checked_for: tuple | None = None  # (phone, email) the duplicates are for
        self._generation = 0

        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.name, self.phone, self.email, self.card = (QLineEdit(self) for _ in range(4))
        for field, obj in ((self.name, "FormName"), (self.phone, "FormPhone"),
                           (self.email, "FormEmail"), (self.card, "FormCard")):
            field.setObjectName(obj)
        self.phone.editingFinished.connect(self.check_duplicates)
        self.email.editingFinished.connect(self.check_duplicates)
        self.sizes = {kind: QLineEdit(self) for kind in SIZE_KINDS}
        self.preferences = QLineEdit(self)
        self.preferences.setObjectName("FormPreferences")
        self.data_use = QCheckBox(self)
        self.data_use.setObjectName("ConsentDataUse")
        self.data_use.setChecked(True)
        self.marketing = QCheckBox(self)
        self.marketing.setObjectName("ConsentMarketing")
        self.channel = QComboBox(self)
        self.channel.setObjectName("ConsentChannel")

        self.dup_box = QFrame(self)
        self.dup_box.setObjectName("DuplicateWarning")
        self.dup_box.setStyleSheet("#DuplicateWarning { background: #fff4e0; border: 1px solid "
                                   "#e0a040; border-radius: 6px; }")
        self.dup_col = QVBoxLayout(self.dup_box)
        self.dup_title = QLabel(self.dup_box)
        self.dup_title.setWordWrap(True)
        self.dup_box.hide()

        self.message = QLabel(self)
        self.message.setObjectName("FormMessage")
        self.message.setWordWrap(True)
        self.cancel_btn = QPushButton(self)
        self.cancel_btn.clicked.connect(self.cancelled.emit)
        self.save_btn = QPushButton(self)
        self.save_btn.setObjectName("SaveCustomer")
        self.save_btn.setProperty("role", "primary")
        self.save_btn.clicked.connect(self.save)
        self.create_anyway = QPushButton(self)
        self.create_anyway.setObjectName("CreateAnyway")
        self.create_anyway.clicked.connect(lambda: self.save(force=True))

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels = [QLabel(self) for _ in range(8)]
        sizes_row = QHBoxLayout()
        for kind in SIZE_KINDS:
            sizes_row.addWidget(self.sizes[kind])
        consent_row = QHBoxLayout()
        consent_row.addWidget(self.data_use)
        consent_row.addWidget(self.marketing)
        consent_row.addStretch(1)
        for label, field in zip(self.labels, (self.name, self.phone, self.email, self.card,
                                              sizes_row, self.preferences, consent_row,
                                              self.channel)):
            self.form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_btn)
        buttons.addStretch(1)
        buttons.addWidget(self.create_anyway)
        buttons.addWidget(self.save_btn)
        inner = QWidget(self)
        col = QVBoxLayout(inner)
        col.addWidget(self.title)
        col.addWidget(self.dup_box)
        col.addLayout(self.form)
        col.addWidget(self.message)
        col.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(scroll, 1)
        outer.addLayout(buttons)
        self.retranslate()
        self.start_new()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Edit customer") if self.editing else self.tr("New customer"))
        texts = (self.tr("Name *"), self.tr("Phone"), self.tr("E-mail"), self.tr("Loyalty card"),
                 self.tr("Sizes"), self.tr("Preferences"), self.tr("Consent"),
                 self.tr("Consent given"))
        for label, text in zip(self.labels, texts):
            label.setText(text)
        self.phone.setPlaceholderText(self.tr("e.g. 0901 234 567"))
        self.email.setPlaceholderText(self.tr("e.g. mai@example.com"))
        self.card.setPlaceholderText(self.tr("scan or type, optional"))
        for kind, text in zip(SIZE_KINDS, (self.tr("tops, e.g. M"), self.tr("bottoms, e.g. 28"),
                                           self.tr("shoes, e.g. 38"))):
            self.sizes[kind].setPlaceholderText(text)
        self.preferences.setPlaceholderText(self.tr("colours, styles, e.g. blue, linen"))
        self.data_use.setText(self.tr("Keep her data (data use)"))
        self.marketing.setText(self.tr("Send offers (marketing)"))
        chosen = self.channel.currentData()
        self.channel.clear()
        for code in CHANNELS:
            self.channel.addItem(self.words.channel(code), code)
        self.channel.setCurrentIndex(max(self.channel.findData(chosen), 0))
        self.cancel_btn.setText(self.tr("Cancel"))
        self.save_btn.setText(self.tr("Save changes") if self.editing else self.tr("Create"))
        self.create_anyway.setText(self.tr("Not her: create new"))
        self._show_duplicates(self.duplicates)

    # --- filling -----------------------------------------------------------------------------
    def start_new(self, name: str = "") -> None:
        self.editing = None
        for field in (self.name, self.phone, self.email, self.card, self.preferences,
                      *self.sizes.values()):
            field.clear()
        text = name.strip()
        if text and (text.replace(" ", "").replace("+", "").isdigit()):
            self.phone.setText(text)  # she gave her number and was not found
        elif "@" in text:
            self.email.setText(text)
        else:
            self.name.setText(text)
        self.data_use.setChecked(True)
        self.marketing.setChecked(False)
        self._reset_checks()
        self.retranslate()

    def start_edit(self, profile: CustomerProfile) -> None:
        self.editing = profile
        c = profile.customer
        self.name.setText(c.name)
        self.phone.setText(c.phone or "")
        self.email.setText(c.email or "")
        self.card.setText(c.loyalty_card or "")
        for kind in SIZE_KINDS:
            self.sizes[kind].setText(profile.sizes.get(kind, ""))
        self.preferences.setText(profile.preferences.get("style", ""))
        consents = {cs.kind: cs.granted for cs in profile.consents}
        self.data_use.setChecked(consents.get("data_use", True))
        self.marketing.setChecked(consents.get("marketing", False))
        self._reset_checks()
        self.retranslate()

    def _reset_checks(self) -> None:
        self._generation += 1
        self.duplicates, self._checked_for = [], None
        self.dup_box.hide()
        self.create_anyway.hide()
        self.message.setText("")
        self.save_btn.setEnabled(True)

    def _draft(self) -> CustomerDraft:
        sizes = {k: f.text().strip() for k, f in self.sizes.items() if f.text().strip()}
        prefs = {"style": self.preferences.text().strip()} if self.preferences.text().strip() else {}
        return CustomerDraft(name=self.name.text().strip(), phone=self.phone.text().strip() or None,
                             email=self.email.text().strip() or None,
                             loyalty_card=self.card.text().strip().upper() or None,
                             sizes=sizes, preferences=prefs)

    # --- duplicates ----------------------------------------------------------------------
    def check_duplicates(self, then_save: bool = False) -> None:
        """Ask for likely duplicates of the phone/e-mail typed (new customers only)."""
        if self.editing is not None:
            return
        phone, email = self.phone.text().strip() or None, self.email.text().strip() or None
        if (phone, email) == self._checked_for or not (phone or email):
            if then_save:
                self.save(force=False, checked=True)
            return
        self._generation += 1
        generation = self._generation
        desk = self.services.customers
        self.services.tasks.run_io(
            lambda: desk.duplicates(phone, email),
            lambda result: self._duplicates_done(generation, (phone, email), result, then_save),
            self._failed)

    def _duplicates_done(self, generation: int, key: tuple, result, then_save: bool) -> None:
        if generation != self._generation:
            return
        self._checked_for = key
        self._show_duplicates(list(result.data or []))
        if then_save:
            self.save(force=False, checked=True)

    def _show_duplicates(self, found: list) -> None:
        self.duplicates = found
        while self.dup_col.count():
            widget = self.dup_col.takeAt(0).widget()
            if widget is not None and widget is not self.dup_title:
                widget.deleteLater()
        self.dup_box.setVisible(bool(found))
        self.create_anyway.setVisible(bool(found))
        if not found:
            return
        self.dup_title.setText(self.tr("<b>She may already be a customer.</b> Open her "
                                       "profile instead of creating a second one:"))
        self.dup_col.addWidget(self.dup_title)
        for dup in found:
            phone = getattr(dup, "phone_masked", None) or getattr(dup, "phone", None)
            email = getattr(dup, "email_masked", None) or getattr(dup, "email", None)
            matched = self.tr("same phone") if dup.matched_on == "phone" else self.tr("same e-mail")
            row = QHBoxLayout()
            holder = QWidget(self.dup_box)
            holder.setLayout(row)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(QLabel(f"<b>{escape(dup.name)}</b> · {matched}<br>"
                                 + " · ".join(x for x in (phone, email) if x), holder), 1)
            open_btn = QPushButton(self.tr("Open this customer"), holder)
            open_btn.setObjectName("OpenDuplicate")
            open_btn.clicked.connect(lambda _=False, cid=dup.id: self.open_existing.emit(cid))
            row.addWidget(open_btn)
            self.dup_col.addWidget(holder)

    # --- saving ----------------------------------------------------------------------------
    def save(self, force: bool = False, checked: bool = False) -> None:
        draft = self._draft()
        if not draft.name:
            self._say(self.tr("Enter her name."), error=True)
            self.name.setFocus()
            return
        problem = self._text_problem(draft)
        if problem is not None:
            self._say(problem, error=True)
            return
        if self.editing is None and not force:
            if not checked:
                self.check_duplicates(then_save=True)
                return
            if self.duplicates:
                self._say(self.tr("Check the possible duplicates above first."), error=True)
                return
        self.save_btn.setEnabled(False)
        service, who = self.services.customers.service, self.associate_id
        channel = self.channel.currentData()
        data_use, marketing = self.data_use.isChecked(), self.marketing.isChecked()
        if self.editing is None:
            work = lambda: service.create_customer(  # noqa: E731 - one call
                draft, who, data_use_consent=data_use, marketing_consent=marketing,
                consent_channel=channel)
        else:
            work = self._edit_work(draft, data_use, marketing, channel)
        self.services.tasks.run_db(work, lambda customer: self.saved.emit(customer.id),
                                   self._failed)

    def _edit_work(self, draft: CustomerDraft, data_use: bool, marketing: bool, channel: str):
        profile, service, who = self.editing, self.services.customers.service, self.associate_id
        changes = {"name": draft.name, "phone": draft.phone, "email": draft.email,
                   "loyalty_card": draft.loyalty_card, "sizes": draft.sizes,
                   "preferences": draft.preferences}
        before = {cs.kind: cs.granted for cs in profile.consents}
        customer_id = profile.customer.id

        def work():
            customer = service.edit_customer(customer_id, changes, who)
            for kind, granted in (("data_use", data_use), ("marketing", marketing)):
                if before.get(kind) != granted:
                    service.record_consent(customer_id, kind, granted, channel, who)
            return customer
        return work

    def _text_problem(self, draft: CustomerDraft) -> str | None:
        """A control character in any field, named where she typed it."""
        fields = {self.tr("Name"): draft.name, self.tr("Phone"): draft.phone,
                  self.tr("E-mail"): draft.email, self.tr("Loyalty card"): draft.loyalty_card}
        for group in (draft.sizes, draft.preferences):
            for key, value in (group or {}).items():
                fields[key] = value
        return first_text_problem(fields)

    def _failed(self, exc: BaseException) -> None:
        self.save_btn.setEnabled(True)
        self._say(self.tr("Not saved: %1").replace("%1", failure_text(exc)), error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e;" if error else "")
