"""The Customers screen: find a shopper, open her profile, create or edit a customer, and the
associate's "My tasks" — four pages of one screen, with the shell's sync line kept below.

Why: the heart of clienteling on the floor (issue 5). Searching and opening a profile ask HQ
live with a short timeout and fall back to the store's saved book, always labelled; a scanned
loyalty card or e-receipt QR opens the profile directly. What the associate does with the
profile — attach her to the sale, put her cart lines in the basket — is emitted for the
shell to hand to the Sell screen. UI thread; look-ups on the I/O pool, writes on the
database worker.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout,
                               QWidget)

from pos_app.auth import Associate
from sync.protocol_customers import CustomerProfile
from ui.customers.customer_form import CustomerForm
from ui.customers.my_tasks import MyTasksView
from ui.customers.profile_view import ProfileView
from ui.customers.search_panel import CustomerSearchPanel
from ui.services import AppServices

log = logging.getLogger(__name__)


class CustomersScreen(QWidget):
    attach_requested = Signal(object)  # CustomerProfile
    add_lines_requested = Signal(object, list)  # CustomerProfile, [BasketItem | Recommendation]

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CustomersScreen")
        self.services = services
        self.associate: Associate | None = None
        self._opening: str | None = None  # the customer id being loaded

        self.search = CustomerSearchPanel(services, self)
        self.search.chosen.connect(lambda hit: self.open_customer(hit.id))
        self.new_btn = QPushButton(self)
        self.new_btn.setObjectName("NewCustomer")
        self.new_btn.clicked.connect(self.new_customer)
        self.tasks_btn = QPushButton(self)
        self.tasks_btn.setObjectName("OpenMyTasks")
        self.tasks_btn.clicked.connect(self.show_my_tasks)
        self.message = QLabel(self)
        self.message.setObjectName("CustomersMessage")
        self.message.setWordWrap(True)
        search_page = QWidget(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_btn)
        buttons.addWidget(self.tasks_btn)
        buttons.addStretch(1)
        col = QVBoxLayout(search_page)
        col.setContentsMargins(8, 8, 8, 8)
        col.addLayout(buttons)
        col.addWidget(self.message)
        col.addWidget(self.search, 1)

        self.profile = ProfileView(services, self)
        self.profile.back.connect(self.show_search)
        self.profile.attach.connect(self.attach_requested.emit)
        self.profile.edit.connect(self.edit_customer)
        self.profile.add_lines.connect(
            lambda lines: self.add_lines_requested.emit(self.profile.profile, lines))
        self.form = CustomerForm(services, self)
        self.form.cancelled.connect(self._form_closed)
        self.form.saved.connect(self._saved)
        self.form.open_existing.connect(self.open_customer)
        self.my_tasks = MyTasksView(services, self)
        self.my_tasks.back.connect(self.show_search)
        self.my_tasks.open_customer.connect(self.open_customer)

        self.pages = QStackedWidget(self)
        for page in (search_page, self.profile, self.form, self.my_tasks):
            self.pages.addWidget(page)
        self.search_page = search_page
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        self.retranslate()

    def retranslate(self) -> None:
        self.new_btn.setText(self.tr("New customer"))
        self.tasks_btn.setText(self.tr("My tasks"))
        for part in (self.search, self.profile, self.form, self.my_tasks):
            part.retranslate()

    def set_associate(self, associate: Associate | None) -> None:
        self.associate = associate
        who = associate.id if associate else None
        self.profile.notes.set_associate(who)
        self.form.associate_id = who
        self.my_tasks.associate_id = who
        if associate is None:  # locked: the next associate starts from an empty search
            self.search.clear()
            self.show_search()

    # --- pages ---------------------------------------------------------------------------
    def show_search(self) -> None:
        self.pages.setCurrentWidget(self.search_page)
        self.search.field.setFocus()

    def show_my_tasks(self) -> None:
        self.pages.setCurrentWidget(self.my_tasks)
        self.my_tasks.refresh()

    def new_customer(self) -> None:
        self.form.start_new(self.search.field.text())
        self.pages.setCurrentWidget(self.form)
        self.form.name.setFocus()

    def edit_customer(self, profile: CustomerProfile) -> None:
        self.form.start_edit(profile)
        self.pages.setCurrentWidget(self.form)

    def _form_closed(self) -> None:
        if self.form.editing is not None:
            self.pages.setCurrentWidget(self.profile)
        else:
            self.show_search()

    def _saved(self, customer_id: str) -> None:
        self.say(self.tr("Customer saved. HQ gets it with the next sync."))
        self.open_customer(customer_id)

    # --- opening a profile -----------------------------------------------------------------
    def open_customer(self, customer_id: str) -> None:
        """Load her profile (I/O pool: HQ live, else the saved book) and show it."""
        self._opening = customer_id
        self.say(self.tr("Opening the profile…"))
        desk = self.services.customers
        self.services.tasks.run_io(lambda: desk.profile(customer_id),
                                   lambda result: self._profile_loaded(customer_id, result),
                                   lambda exc: self.say(self.tr("Could not open the profile: %1")
                                                        .replace("%1", str(exc)), error=True))

    def _profile_loaded(self, customer_id: str, result) -> None:
        if customer_id != self._opening:
            return  # another customer was chosen meanwhile
        profile: CustomerProfile | None = result.data
        if profile is None:
            self.show_search()
            if result.live:
                self.say(self.tr("HQ does not know this customer: %1")
                         .replace("%1", result.error or ""), error=True)
            else:
                self.say(self.tr("Offline, and this customer is not in the store's saved data. "
                                 "Try again when the till is online."), error=True)
            return
        self.say("")
        self.profile.show_profile(profile, result.live, result.as_of)
        self.pages.setCurrentWidget(self.profile)
        service, who = self.services.customers.service, self.associate.id if self.associate else ""
        source = "live" if result.live else "cache"
        dumped = profile.model_dump(mode="json") if result.live else None
        self.services.tasks.run_db(
            lambda: service.record_profile_view(profile.customer.id, who, source, dumped),
            None, lambda exc: log.error("Profile view of %s not recorded: %s",
                                        profile.customer.id, exc))

    def handle_scan(self, code: str) -> None:
        """A loyalty card or an e-receipt QR was scanned here: open whose it is."""
        desk = self.services.customers
        self.services.tasks.run_db(lambda: desk.customer_for_code(code),
                                   lambda cid: self._scanned(code, cid),
                                   lambda exc: self.say(str(exc), error=True))

    def _scanned(self, code: str, customer_id: str | None) -> None:
        if customer_id is None:
            self.show_search()
            self.say(self.tr("No customer found for the code %1.").replace("%1", code),
                     error=True)
            return
        self.open_customer(customer_id)

    def say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e;" if error else "")
