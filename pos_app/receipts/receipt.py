"""What goes on a receipt, independent of any printer: the receipt model and its builder.

Why: the printed receipt (hardware/escpos_render.py), the on-screen preview (ui) and later
the e-receipt must say the same thing, so they all start from one immutable `Receipt` built
from the committed sale in the device database. It holds facts (money as `Money`, local time,
names), never printer commands; `pos_app.receipts.layout` turns it into a list of typed blocks
that any output can draw.

A receipt is built only after the sale's transaction committed (DESIGN.md §3: nothing is
printed before that commit); its QR code carries a tamper-evident sale code
(`pos_app.receipts.code`) made from the sale's journal hash. A reprint is the same receipt
with `is_copy=True`, which prints "COPY".

`build_receipt` reads the database: call it on the database worker (or the print worker with
its own read-only connection), never on the UI thread. The dataclasses are safe on any thread.
"""
from __future__ import annotations

import json

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from sqlalchemy import Connection, text

from pos_app.loyalty import LoyaltyError, merchandise_of, points_for, points_in_reference
from pos_app.money import Money
from pos_app.pricing import TaxMode
from pos_app.receipts.code import make_sale_code
from pos_app.receipts.labels import LABELS, language_of
from pos_app.store_context import read_setting
from pos_app.tenders import TenderType

HEADER_SETTING = "receipt_header"  # settings key: extra header lines (tax id, phone), a list
FOOTER_SETTING = "receipt_footer"  # settings key: the store's own return policy, a list


class ReceiptError(LookupError):
    """The receipt cannot be built; the message says why and is shown as is."""


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    """One sale line as the customer reads it."""

    name: str
    variant_label: str  # "Trắng / M"; empty for an item without variants
    sku: str
    quantity: int
    unit_price: Money
    list_price: Money  # differs from unit_price when a manager overrode the price
    gross: Money  # unit_price x quantity
    line_discount: Money  # zero when none
    discount_reason: str | None
    amount: Money  # gross - line discount - this line's share of the order discount
    tax_code: str
    note: str | None = None

    @property
    def price_changed(self) -> bool:
        return self.unit_price != self.list_price


@dataclass(frozen=True, slots=True)
class TaxLine:
    """The tax of one rate: `label` as the store names it ("VAT 10%"), on `base`."""

    code: str
    label: str
    rate_ppm: int
    base: Money
    tax: Money


@dataclass(frozen=True, slots=True)
class TenderLine:
    tender: TenderType
    amount: Money  # applied to the sale
    tendered: Money  # handed over (cash); equals amount for other tenders
    change: Money
    masked_pan: str | None = None  # "**** 4242" at most (DESIGN.md §3: no card data)
    auth_code: str | None = None
    # the cardholder slip lines the card terminal returned (its payment intent's answer;
    # terminals mask the card number on them themselves)
    slip: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Receipt:
    """Everything a receipt says, in the store's currency, locale and language."""

    language: str  # "en" | "vi": the wording (pos_app.receipts.labels)
    locale: str  # the store's locale: money formatting ("199.000 ₫", "$19.99")
    store_code: str
    store_name: str
    store_address: str
    header_lines: tuple[str, ...]
    sale_id: str
    receipt_no: str
    local_time: datetime  # aware, in the store's time zone
    associate_name: str
    tax_mode: TaxMode
    lines: tuple[ReceiptLine, ...]
    subtotal: Money  # sum of the lines after their own discounts, before the order discount
    order_discount: Money
    order_discount_reason: str | None
    taxes: tuple[TaxLine, ...]
    tax_total: Money
    total: Money
    tenders: tuple[TenderLine, ...]
    change: Money
    sale_code: str  # the QR payload, see pos_app.receipts.code
    footer_lines: tuple[str, ...] = ()
    customer_name: str | None = None
    loyalty_lines: tuple[tuple[str, str], ...] = ()  # (label, value): filled by loyalty issues
    is_copy: bool = False

    @property
    def currency(self) -> str:
        return self.total.currency

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def savings(self) -> Money:
        """Line discounts plus the order discount (price overrides are not savings)."""
        zero = Money.zero(self.currency)
        return sum((ln.line_discount for ln in self.lines), zero) + self.order_discount

    def as_copy(self) -> "Receipt":
        """The same receipt marked as a reprint."""
        return replace(self, is_copy=True)


def mask_card_number(card: str | None) -> str | None:
    """A loyalty card number as printed: only the last four characters ("****0001")."""
    if not card:
        return None
    return "****" + card[-4:] if len(card) > 4 else "****"


def _slip(answer: str | None) -> tuple[str, ...]:
    """The slip lines of a payment intent's stored answer (pos_app/payments/intents.py)."""
    if not answer:
        return ()
    try:
        lines = json.loads(answer).get("receipt_lines") or ()
    except (ValueError, AttributeError):
        return ()
    return tuple(str(line) for line in lines)


def local_time_of(created_at_utc: str, tz_name: str) -> datetime:
    """A stored UTC timestamp ("2025-03-14T09:26:53.589793Z") in the store's time zone."""
    moment = datetime.strptime(created_at_utc, "%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(tz_name))


def build_receipt(conn: Connection, sale_id: str, *, copy: bool = False,
                  language: str | None = None) -> Receipt:
    """The receipt of a committed sale; `copy` marks a reprint; `language` overrides the
    store's ("en" | "vi"). Raises ReceiptError when the sale or its journal record is missing.
    """
    sale = conn.execute(text(
        "SELECT s.receipt_no, s.associate_id, s.customer_id, s.currency, s.tax_mode, s.total,"
        " s.tax_total, s.basket_discount_reason, s.created_at, st.id, st.code, st.name,"
        " st.address, st.locale, st.timezone, j.hash"
        " FROM sales s JOIN stores st ON st.id = s.store_id"
        " LEFT JOIN journal j ON j.ref_id = s.id WHERE s.id = :id"), {"id": sale_id}).first()
    if sale is None:
        raise ReceiptError(f"There is no sale {sale_id} on this till.")
    (receipt_no, associate_id, customer_id, currency, tax_mode, total, tax_total,
     order_reason, created_at, store_id, store_code, store_name, address, locale, tz_name,
     journal_hash) = sale
    if journal_hash is None:
        raise ReceiptError(f"Sale {receipt_no} has no journal record; it cannot be printed "
                           "until the journal is repaired.")
    lang = language or language_of(locale)
    if lang not in LABELS:
        raise ReceiptError(f"Receipts are printed in {', '.join(LABELS)}, not {lang!r}.")

    def money(minor: int) -> Money:
        return Money(minor, currency)

    lines = _lines(conn, sale_id, money)
    tenders = tuple(
        TenderLine(TenderType(tender), money(amount), money(tendered), money(change),
                   masked_pan, auth_code, _slip(answer))
        for tender, amount, tendered, change, masked_pan, auth_code, answer in conn.execute(
            text("SELECT p.tender, p.amount, p.tendered, p.change, p.masked_pan, p.auth_code,"
                 " i.result FROM payments p LEFT JOIN payment_intents i ON i.id = p.id"
                 " WHERE p.sale_id = :id ORDER BY p.rowid"), {"id": sale_id}))
    associate = conn.execute(text("SELECT name FROM associates WHERE id = :id"),
                             {"id": associate_id}).scalar_one_or_none()
    customer_name, loyalty = _customer(conn, customer_id, lang)
    if customer_name is not None:
        loyalty += _points_lines(conn, sale_id, lines, currency, lang, locale)
    subtotal = sum(((ln.gross.minor - ln.line_discount.minor) for ln in lines), 0)
    order_discount = subtotal - sum(ln.amount.minor for ln in lines)
    return Receipt(
        language=lang, locale=locale, store_code=store_code, store_name=store_name,
        store_address=address or "",
        header_lines=tuple(read_setting(conn, HEADER_SETTING, []) or ()),
        sale_id=sale_id, receipt_no=receipt_no,
        local_time=local_time_of(created_at, tz_name),
        associate_name=associate or "",
        tax_mode=TaxMode(tax_mode), lines=lines, subtotal=money(subtotal),
        order_discount=money(order_discount),
        order_discount_reason=order_reason if order_discount else None,
        taxes=_taxes(conn, sale_id, store_id, money), tax_total=money(tax_total),
        total=money(total), tenders=tenders,
        change=money(sum(t.change.minor for t in tenders)),
        sale_code=make_sale_code(receipt_no, sale_id, journal_hash),
        footer_lines=tuple(read_setting(conn, FOOTER_SETTING, []) or ()),
        customer_name=customer_name, loyalty_lines=loyalty, is_copy=copy,
    )


def _lines(conn: Connection, sale_id: str, money) -> tuple[ReceiptLine, ...]:
    rows = conn.execute(text(
        "SELECT name, variant_label, sku, quantity, unit_price, list_price, line_discount,"
        " discount_reason, amount, tax_code, note FROM sale_lines WHERE sale_id = :id"
        " ORDER BY line_no"), {"id": sale_id})
    return tuple(
        ReceiptLine(name=name, variant_label=label or "", sku=sku, quantity=qty,
                    unit_price=money(unit), list_price=money(list_price),
                    gross=money(unit * qty), line_discount=money(discount),
                    discount_reason=reason if discount else None, amount=money(amount),
                    tax_code=tax_code, note=note)
        for name, label, sku, qty, unit, list_price, discount, reason, amount, tax_code, note
        in rows)


def _taxes(conn: Connection, sale_id: str, store_id: str, money) -> tuple[TaxLine, ...]:
    """One line per rate: the base and tax are the sums of that rate's lines (pos_app.pricing
    computes the tax per rate and splits it over the lines exactly, so the sums are the
    per-rate figures of the sale). Highest rate first, like the sale document."""
    rows = conn.execute(text(
        "SELECT l.tax_code, l.tax_rate_ppm, coalesce(r.label, l.tax_code), sum(l.amount),"
        " sum(l.tax) FROM sale_lines l LEFT JOIN tax_rates r"
        " ON r.store_id = :store AND r.tax_code = l.tax_code"
        " WHERE l.sale_id = :id GROUP BY l.tax_code, l.tax_rate_ppm"
        " ORDER BY l.tax_rate_ppm DESC, l.tax_code"), {"id": sale_id, "store": store_id})
    return tuple(TaxLine(code, label, ppm, money(base), money(tax))
                 for code, ppm, label, base, tax in rows)


def _customer(conn: Connection, customer_id: str | None, lang: str
              ) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The customer's name and loyalty lines (card masked to its last 4, tier)."""
    if not customer_id:
        return None, ()
    row = conn.execute(text("SELECT name, loyalty_card, tier FROM customers WHERE id = :id"),
                       {"id": customer_id}).first()
    if row is None:  # a customer not (yet) in the local book: the sale still prints
        return None, ()
    name, card, tier = row
    loyalty = []
    if card:
        loyalty.append((LABELS[lang]["loyalty_card"], mask_card_number(card)))
    if tier:
        loyalty.append((LABELS[lang]["tier"], tier.capitalize()))
    return name, tuple(loyalty)


def _points_lines(conn: Connection, sale_id: str, lines, currency: str, lang: str,
                  locale: str) -> tuple[tuple[str, str], ...]:
    """"Points redeemed" (from the sale's loyalty payments) and "Points earned" (HQ's earn
    rule, pos_app.loyalty, on the merchandise: what HQ books when the sale reaches it)."""
    out = []
    redeemed = 0
    for (reference,) in conn.execute(text(
            "SELECT reference FROM payments WHERE sale_id = :id AND tender = 'loyalty'"),
            {"id": sale_id}):
        try:
            redeemed += points_in_reference(reference)
        except LoyaltyError:
            continue
    if redeemed:
        out.append((LABELS[lang]["points_redeemed"], format_decimal(redeemed, locale=locale)))
    try:
        earned = points_for(merchandise_of(ln.amount.minor for ln in lines), currency)
    except ValueError:  # no earn rule for this currency
        earned = 0
    out.append((LABELS[lang]["points_earned"], format_decimal(earned, locale=locale)))
    return tuple(out)
