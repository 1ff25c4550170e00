"""The read-mostly tabs of the profile: purchase history, online cart and wishlist, loyalty,
and suggestions with their reasons.

Why: each tab renders one part of sync.protocol_customers.CustomerProfile and nothing else,
so the profile view stays a thin assembly. Lines that can be sold here carry a big "Add to
basket" button (touch); the tab emits the lines and the Sell screen adds them. UI thread only.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QHeaderView, QLabel, QProgressBar,
                               QPushButton, QScrollArea, QScroller, QTableWidget,
                               QTableWidgetItem, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget, QAbstractItemView)

from sync.protocol_customers import BasketItem, CustomerProfile, Recommendation
from ui.customers.wording import CustomerWording, local_datetime, money_in, points_text
from ui.services import AppServices


class HistoryTab(QWidget):
    """Orders across the web and every store, newest first; expand one to see its items."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.words = CustomerWording(self)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("OrderHistory")
        self.tree.setColumnCount(5)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        QScroller.grabGesture(self.tree.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self.empty = QLabel(self)
        col = QVBoxLayout(self)
        col.addWidget(self.tree, 1)
        col.addWidget(self.empty)
        self.profile: CustomerProfile | None = None

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("Order / item"), self.tr("Date"), self.tr("Where"),
                                   self.tr("Status"), self.tr("Amount")])
        self.empty.setText(self.tr("No purchases yet."))
        if self.profile is not None:
            self.show_profile(self.profile)

    def show_profile(self, profile: CustomerProfile) -> None:
        self.profile = profile
        self.tree.clear()
        ctx = self.services.ctx
        for order in profile.orders:
            where = self.words.where(order.channel,
                                     order.fulfilment_store_code or order.pickup_store_code)
            top = QTreeWidgetItem(self.tree, [
                order.number, local_datetime(order.created_at, ctx.timezone, with_time=False),
                where, self.words.order_status(order.status),
                money_in(order.total, order.currency, ctx.locale)])
            top.setTextAlignment(4, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for line in order.lines:
                label = f"{line.quantity} × {line.name}" + (
                    f" — {line.variant_label}" if line.variant_label else "")
                child = QTreeWidgetItem(top, [label, "", line.sku, "",
                                              money_in(line.amount, order.currency, ctx.locale)])
                child.setTextAlignment(4, Qt.AlignmentFlag.AlignRight
                                       | Qt.AlignmentFlag.AlignVCenter)
        if profile.orders:
            self.tree.topLevelItem(0).setExpanded(True)
        for c in range(1, 5):
            self.tree.resizeColumnToContents(c)
        self.empty.setVisible(not profile.orders)


class _LineRow(QFrame):
    """One sellable line: name, variant, price, stock here, reason; an "Add to basket" button."""

    def __init__(self, title: str, detail: str, button_text: str | None, on_add,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CustomerLine")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        text = QLabel(f"<b>{title}</b><br>{detail}", self)
        text.setWordWrap(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(text, 1)
        self.add = None
        if button_text is not None:
            self.add = QPushButton(button_text, self)
            self.add.setObjectName("AddLineToBasket")
            self.add.clicked.connect(on_add)
            row.addWidget(self.add, 0, Qt.AlignmentFlag.AlignVCenter)


class _LineList(QScrollArea):
    """A touch-scrollable column of _LineRow."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self.rows: list[_LineRow] = []
        self._reset()

    def _reset(self) -> None:
        inner = QWidget()
        self.col = QVBoxLayout(inner)
        self.col.setContentsMargins(0, 0, 0, 0)
        self.col.addStretch(1)
        self.setWidget(inner)
        self.rows = []

    def set_rows(self, rows: list[_LineRow], empty_text: str) -> None:
        self._reset()
        for row in rows:
            self.col.insertWidget(self.col.count() - 1, row)
        if not rows:
            self.col.insertWidget(0, QLabel(empty_text))
        self.rows = rows


def _line_detail(words: CustomerWording, services: AppServices,
                 line: BasketItem | Recommendation) -> str:
    ctx = services.ctx
    parts = [x for x in (line.variant_label, line.sku) if x]
    if line.unit_price is None:
        parts.append(words.not_sold_here())
    else:
        parts.append(money_in(line.unit_price, line.currency, ctx.locale))
    stock = getattr(line, "in_stock_here", None)
    if stock is not None:
        parts.append(words.stock_here(stock))
    quantity = getattr(line, "quantity", 1)
    prefix = f"{quantity} × " if quantity > 1 else ""
    return prefix + " · ".join(parts)


class CartWishlistTab(QWidget):
    """Her online cart ("Add all") and wishlist; each line can go straight into the basket."""

    add_lines = Signal(list)  # list[BasketItem | Recommendation]

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.words = CustomerWording(self)
        self.cart_title, self.wish_title = QLabel(self), QLabel(self)
        self.add_all = QPushButton(self)
        self.add_all.setObjectName("AddCartToBasket")
        self.add_all.setProperty("role", "primary")
        self.add_all.clicked.connect(self._add_all)
        self.cart = _LineList("OnlineCart", self)
        self.wishlist = _LineList("Wishlist", self)
        head = QHBoxLayout()
        head.addWidget(self.cart_title, 1)
        head.addWidget(self.add_all)
        col = QVBoxLayout(self)
        col.addLayout(head)
        col.addWidget(self.cart, 1)
        col.addWidget(self.wish_title)
        col.addWidget(self.wishlist, 1)
        self.profile: CustomerProfile | None = None

    def retranslate(self) -> None:
        self.cart_title.setText("<b>" + self.tr("Online cart") + "</b>")
        self.wish_title.setText("<b>" + self.tr("Wishlist") + "</b>")
        self.add_all.setText(self.tr("Add all to basket"))
        if self.profile is not None:
            self.show_profile(self.profile)

    def _rows(self, lines: list[BasketItem]) -> list[_LineRow]:
        rows = []
        for line in lines:
            sellable = line.unit_price is not None
            rows.append(_LineRow(line.name, _line_detail(self.words, self.services, line),
                                 self.tr("Add to basket") if sellable else None,
                                 lambda _=False, ln=line: self.add_lines.emit([ln]), self))
        return rows

    def show_profile(self, profile: CustomerProfile) -> None:
        self.profile = profile
        self.cart.set_rows(self._rows(profile.cart), self.tr("Her online cart is empty."))
        self.wishlist.set_rows(self._rows(profile.wishlist), self.tr("No wishlist items."))
        self.add_all.setEnabled(any(ln.unit_price is not None for ln in profile.cart))

    def _add_all(self) -> None:
        if self.profile is not None:
            self.add_lines.emit([ln for ln in self.profile.cart if ln.unit_price is not None])


class RecommendationsTab(QWidget):
    """Suggestions computed at HQ, best first, each with the reason to say to her."""

    add_lines = Signal(list)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.words = CustomerWording(self)
        self.list = _LineList("Recommendations", self)
        QVBoxLayout(self).addWidget(self.list)
        self.profile: CustomerProfile | None = None

    def retranslate(self) -> None:
        if self.profile is not None:
            self.show_profile(self.profile)

    def show_profile(self, profile: CustomerProfile) -> None:
        self.profile = profile
        rows = []
        for rec in profile.recommendations:
            reason = self.words.recommendation_reason(rec.reason_code, rec.reason_args)
            detail = _line_detail(self.words, self.services, rec) + f"<br><i>{reason}</i>"
            rows.append(_LineRow(rec.name, detail,
                                 self.tr("Add to basket") if rec.unit_price is not None else None,
                                 lambda _=False, r=rec: self.add_lines.emit([r]), self))
        self.list.set_rows(rows, self.tr("No suggestions yet: they come from her orders."))


class LoyaltyTab(QWidget):
    """Balance, tier and the way to the next one, and the ledger of every change."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.words = CustomerWording(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("LoyaltySummary")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("TierProgress")
        self.progress.setTextVisible(True)
        self.ledger = QTableWidget(0, 4, self)
        self.ledger.setObjectName("LoyaltyLedger")
        self.ledger.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ledger.verticalHeader().hide()
        self.ledger.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        QScroller.grabGesture(self.ledger.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        col = QVBoxLayout(self)
        col.addWidget(self.summary)
        col.addWidget(self.progress)
        col.addWidget(self.ledger, 1)
        self.profile: CustomerProfile | None = None

    def retranslate(self) -> None:
        self.ledger.setHorizontalHeaderLabels([self.tr("Date"), self.tr("What"),
                                               self.tr("Points"), self.tr("Store")])
        if self.profile is not None:
            self.show_profile(self.profile)

    def show_profile(self, profile: CustomerProfile) -> None:
        self.profile = profile
        loyalty, ctx = profile.loyalty, self.services.ctx
        worth = money_in(loyalty.balance * loyalty.point_value_minor, loyalty.currency, ctx.locale)
        text = self.tr("<b>%1 points</b> (worth %2) · tier %3").replace(
            "%1", points_text(loyalty.balance, ctx.locale)).replace("%2", worth).replace(
            "%3", self.words.tier(loyalty.tier))
        if loyalty.next_tier and loyalty.points_to_next is not None:
            text += "<br>" + self.tr("%1 more points to %2").replace(
                "%1", points_text(loyalty.points_to_next, ctx.locale)).replace("%2", self.words.tier(loyalty.next_tier))
            goal = loyalty.qualifying + loyalty.points_to_next
            self.progress.setRange(0, max(goal, 1))
            self.progress.setValue(min(loyalty.qualifying, goal))
            self.progress.setFormat(f"{points_text(loyalty.qualifying, ctx.locale)} / {points_text(goal, ctx.locale)}")
        else:
            text += "<br>" + self.tr("Top tier")
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
            self.progress.setFormat(points_text(loyalty.qualifying, ctx.locale))
        self.summary.setText(text)
        self.ledger.setRowCount(len(loyalty.entries))
        for r, entry in enumerate(loyalty.entries):
            delta = ("+" if entry.delta > 0 else "") + points_text(entry.delta, ctx.locale)
            cells = (local_datetime(entry.at, ctx.timezone), self.words.loyalty_reason(entry.reason)
                     + (f" · {entry.ref}" if entry.ref else ""), delta, entry.store_code or "")
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.ledger.setItem(r, c, item)
        self.ledger.resizeColumnsToContents()
        self.ledger.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
