"""The customer's profile (360°): who she is, how to reach her and what she agreed to, her
tier, points and lifetime value, her sizes — then tabs for history, cart and wishlist, notes
and tasks, loyalty and suggestions. "Attach to sale" puts her on the basket.

Why: what the associate needs in the first second sits in the header; the rest is a tap away.
The profile arrives as one sync.protocol_customers.CustomerProfile (live from HQ, or the
store's saved copy, labelled with its date) and each tab renders its part. UI thread only;
notes and tasks write through the database worker (NotesTasksTab).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QBoxLayout, QGridLayout, QHBoxLayout, QLabel, QPushButton,
                               QTabWidget, QVBoxLayout, QWidget)

from sync.protocol_customers import CustomerProfile
from ui.customers.notes_tasks_tab import NotesTasksTab
from ui.customers.profile_tabs import CartWishlistTab, HistoryTab, LoyaltyTab, RecommendationsTab
from ui.customers.wording import CustomerWording, local_datetime, money_in, points_text
from ui.services import AppServices
from ui.theme import LayoutMode


class ProfileView(QWidget):
    back = Signal()
    attach = Signal(object)  # CustomerProfile
    edit = Signal(object)  # CustomerProfile
    add_lines = Signal(list)  # BasketItem | Recommendation

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CustomerProfile")
        self.services = services
        self.words = CustomerWording(self)
        self.profile: CustomerProfile | None = None
        self.live = True
        self.as_of: str | None = None
        tablet = services.layout is LayoutMode.TABLET

        self.back_btn = QPushButton(self)
        self.back_btn.setObjectName("ProfileBack")
        self.back_btn.clicked.connect(self.back.emit)
        self.name = QLabel(self)
        self.name.setObjectName("ProfileName")
        self.name.setStyleSheet("font-size: 24px; font-weight: bold;")
        self.name.setWordWrap(True)
        self.edit_btn = QPushButton(self)
        self.edit_btn.setObjectName("EditCustomer")
        self.edit_btn.clicked.connect(lambda: self.profile and self.edit.emit(self.profile))
        self.attach_btn = QPushButton(self)
        self.attach_btn.setObjectName("AttachToSale")
        self.attach_btn.setProperty("role", "primary")
        self.attach_btn.clicked.connect(lambda: self.profile and self.attach.emit(self.profile))
        top = QHBoxLayout()
        top.addWidget(self.back_btn)
        top.addWidget(self.name, 1)
        top.addWidget(self.edit_btn)
        top.addWidget(self.attach_btn)

        self.source = QLabel(self)
        self.source.setObjectName("ProfileSource")
        self.source.setWordWrap(True)
        self.stats = QLabel(self)  # tier · points · lifetime value · since
        self.stats.setObjectName("ProfileStats")
        self.stats.setWordWrap(True)
        self.contact = QLabel(self)
        self.contact.setObjectName("ProfileContact")
        self.contact.setWordWrap(True)
        self.contact.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.consent = QLabel(self)
        self.consent.setObjectName("ProfileConsent")
        self.consent.setWordWrap(True)
        self.sizes = QLabel(self)
        self.sizes.setObjectName("ProfileSizes")
        self.sizes.setWordWrap(True)
        facts = QGridLayout()
        facts.setHorizontalSpacing(24)
        if tablet:  # portrait: one column of facts
            for row, label in enumerate((self.stats, self.contact, self.consent, self.sizes)):
                facts.addWidget(label, row, 0)
        else:
            facts.addWidget(self.stats, 0, 0)
            facts.addWidget(self.contact, 0, 1)
            facts.addWidget(self.consent, 1, 0)
            facts.addWidget(self.sizes, 1, 1)
            facts.setColumnStretch(0, 1)
            facts.setColumnStretch(1, 1)

        self.history = HistoryTab(services, self)
        self.cart = CartWishlistTab(services, self)
        self.notes = NotesTasksTab(services, self)
        self.loyalty = LoyaltyTab(services, self)
        self.recommendations = RecommendationsTab(services, self)
        for tab in (self.cart, self.recommendations):
            tab.add_lines.connect(self.add_lines.emit)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("ProfileTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setExpanding(tablet)
        for tab in (self.history, self.cart, self.notes, self.loyalty, self.recommendations):
            self.tabs.addTab(tab, "")

        col = QVBoxLayout(self)
        col.setContentsMargins(8, 8, 8, 8)
        col.addLayout(top)
        col.addWidget(self.source)
        col.addLayout(facts)
        col.addWidget(self.tabs, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.back_btn.setText(self.tr("◀ Back"))
        self.edit_btn.setText(self.tr("Edit"))
        self.attach_btn.setText(self.tr("Attach to sale"))
        for i, title in enumerate((self.tr("History"), self.tr("Cart && wishlist"),
                                   self.tr("Notes && tasks"), self.tr("Loyalty"),
                                   self.tr("Suggestions"))):
            self.tabs.setTabText(i, title)
        for tab in (self.history, self.cart, self.notes, self.loyalty, self.recommendations):
            tab.retranslate()
        if self.profile is not None:
            self._header(self.profile)

    def show_profile(self, profile: CustomerProfile, live: bool, as_of: str | None) -> None:
        self.profile, self.live, self.as_of = profile, live, as_of
        self._header(profile)
        for tab in (self.history, self.cart, self.notes, self.loyalty, self.recommendations):
            tab.show_profile(profile)

    def _header(self, p: CustomerProfile) -> None:
        ctx = self.services.ctx
        c = p.customer
        self.name.setText(c.name)
        as_of = local_datetime(self.as_of, ctx.timezone) if self.as_of else None
        self.source.setText(self.words.source(self.live, as_of)
                            + (" · " + self.tr("merged into this customer") if p.merged_into
                               else ""))
        self.source.setStyleSheet("" if self.live else "color: #8a5a00; font-weight: bold;")
        stats = [self.tr("Tier: <b>%1</b>").replace("%1", self.words.tier(p.loyalty.tier)),
                 self.tr("Points: <b>%1</b>").replace("%1", points_text(p.loyalty.balance,
                                                                        ctx.locale)),
                 self.tr("Lifetime value: <b>%1</b>").replace(
                     "%1", money_in(p.lifetime_value, p.currency, ctx.locale))]
        if p.customer_since:
            stats.append(self.tr("Customer since %1").replace(
                "%1", local_datetime(p.customer_since, ctx.timezone, with_time=False)))
        self.stats.setText("<br>".join(stats))
        contact = [x for x in (c.phone, c.email) if x]
        if c.loyalty_card:
            contact.append(self.tr("Card %1").replace("%1", c.loyalty_card))
        self.contact.setText("<br>".join(contact) or self.tr("No contact details"))
        lines = []
        for consent in p.consents:
            state = self.tr("yes") if consent.granted else self.tr("no")
            detail = ", ".join(x for x in (local_datetime(consent.at, ctx.timezone),
                                           self.words.channel(consent.channel),
                                           consent.by or "") if x)
            lines.append(f"{self.words.consent_kind(consent.kind)}: <b>{state}</b>"
                         + (f" ({detail})" if detail else ""))
        self.consent.setText("<br>".join(lines) or self.tr("No consent recorded"))
        sizes = ", ".join(f"{k}: {v}" for k, v in p.sizes.items())
        prefs = ", ".join(f"{k}: {v}" for k, v in p.preferences.items())
        self.sizes.setText(self.tr("Sizes: %1").replace("%1", sizes or "–") + "<br>"
                           + self.tr("Preferences: %1").replace("%1", prefs or "–"))
