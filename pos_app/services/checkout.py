"""Checkout: the sale, its journal record and its outbox event in ONE durable transaction.

Why: DESIGN.md §3 — nothing is printed or shown as done before this commit, and a crash at any
moment leaves either the whole sale (sale, lines, payments, journal record, outbox event, audit
rows, its external payments' intents turned `attached`) or none of it. A card, VietQR, gift
card or store credit payment is accepted only as an intent approved for this very sale
(pos_app/payments/intents.py): never a sale paid by a tender that was not approved. The receipt number is the next journal sequence for this device, taken
under SQLite's write lock (BEGIN IMMEDIATE, see pos_app.db.engine), so numbers have no gaps
and no duplicates. The journal payload is the same document that goes to HQ.

Runs on the database worker thread (the single writer).
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from sqlalchemy import Engine, text

from pos_app.basket import BasketSnapshot
from pos_app.loyalty import LoyaltyError, merchandise_of, points_for, points_in_reference
from pos_app.journal import GENESIS, canonical_json, chain_hash, receipt_number
from pos_app.payments.intents import IntentError, attach
from pos_app.ports import Clock, utc_iso
from pos_app.store_context import StoreContext
from pos_app.services.loyalty_ledger import record_redemptions
from pos_app.tenders import Payment, TenderType


class CheckoutError(ValueError):
    """The sale could not be completed; nothing was written. Message is shown as is."""


@dataclass(frozen=True, slots=True)
class CompletedSale:
    sale_id: str
    seq: int
    receipt_no: str
    total: int
    change: int
    currency: str
    created_at: str
    journal_hash: str
    opens_drawer: bool
    points_earned: int | None = None  # HQ's earn rule applied here; None: no customer


def earn_estimate(snap: BasketSnapshot) -> int | None:
    """Points the sale will earn at HQ (pos_app.loyalty); None when no customer is attached."""
    if snap.customer_id is None:
        return None
    try:
        return points_for(merchandise_of(ln.amount for ln in snap.priced.lines), snap.currency)
    except ValueError:  # a currency without an earn rule earns nothing
        return 0


def _rate_ppm(rate) -> int:
    return int(rate * 1_000_000)


def sale_document(ctx: StoreContext, snap: BasketSnapshot, payments: tuple[Payment, ...],
                  sale_id: str, seq: int, receipt_no: str, associate_id: str,
                  created_at: str) -> dict:
    """The sale as one JSON-able document: journal payload and outbox event payload."""
    priced = snap.priced
    lines = []
    for no, (ln, pl) in enumerate(zip(snap.lines, priced.lines), start=1):
        lines.append({
            "id": ln.line_id, "line_no": no, "variant_id": ln.item.variant_id, "sku": ln.item.sku,
            "name": ln.item.name, "variant_label": ln.item.variant_label,
            "quantity": ln.quantity, "list_price": ln.item.price_minor,
            "unit_price": ln.unit_price, "price_override_by": ln.price_override_by,
            "line_discount": pl.line_discount,
            "discount_reason": ln.discount.reason if ln.discount else None,
            "discount_approved_by": ln.discount.approved_by if ln.discount else None,
            "basket_discount": pl.basket_discount, "tax_code": ln.item.tax_code,
            "tax_rate_ppm": _rate_ppm(ln.item.tax_rate), "tax": pl.tax, "amount": pl.amount,
            "note": ln.note,
        })
    return {
        "type": "sale", "id": sale_id, "device_id": ctx.device_id, "store_id": ctx.store_id,
        "seq": seq, "receipt_no": receipt_no, "associate_id": associate_id,
        "customer_id": snap.customer_id, "currency": snap.currency,
        "tax_mode": snap.tax_mode.value, "created_at": created_at,
        "subtotal": priced.subtotal,
        "discount_total": priced.line_discounts + priced.basket_discount,
        "basket_discount": {
            "amount": priced.basket_discount, "reason": snap.discount.reason,
            "approved_by": snap.discount.approved_by,
        } if snap.discount else None,
        "tax": [{"code": t.tax_code, "rate_ppm": _rate_ppm(t.rate), "base": t.base, "tax": t.tax}
                for t in priced.tax],
        "tax_total": priced.tax_total, "total": priced.total,
        "lines": lines,
        "payments": [{
            "id": p.id, "tender": p.tender.value, "amount": p.amount, "tendered": p.tendered,
            "change": p.change, "reference": p.reference, "masked_pan": p.masked_pan,
            "auth_code": p.auth_code,
        } for p in payments],
    }


def validate(ctx: StoreContext, snap: BasketSnapshot, payments: tuple[Payment, ...]) -> None:
    if not snap.lines:
        raise CheckoutError("The basket is empty")
    if snap.currency != ctx.currency:
        raise CheckoutError(f"The basket is in {snap.currency}, the store sells in {ctx.currency}")
    paid = sum(p.amount for p in payments)
    if paid != snap.priced.total:
        raise CheckoutError(f"Payments ({paid}) do not match the total ({snap.priced.total})")
    if any(p.amount <= 0 for p in payments):
        raise CheckoutError("A payment must be more than zero")
    for p in payments:
        if p.tender is TenderType.LOYALTY:
            if snap.customer_id is None:
                raise CheckoutError("Paying with points needs the customer attached to the sale")
            try:
                points_in_reference(p.reference)
            except LoyaltyError as exc:
                raise CheckoutError(str(exc)) from None


def complete_sale(engine: Engine, ctx: StoreContext, snap: BasketSnapshot,
                  payments: tuple[Payment, ...], associate_id: str, clock: Clock,
                  sale_id: str | None = None) -> CompletedSale:
    """Validate, then write everything for the sale in one transaction and commit it.

    `sale_id` may be given by the caller (made on the device before the call) so that a retry
    after an ambiguous failure cannot create the sale twice: an existing id is returned as is.
    """
    validate(ctx, snap, payments)
    sale_id = sale_id or str(uuid.uuid4())
    with engine.begin() as conn:  # BEGIN IMMEDIATE: we hold the write lock from here
        existing = conn.execute(
            text("SELECT seq, receipt_no, total, created_at FROM sales WHERE id = :id"),
            {"id": sale_id}).first()
        if existing is not None:
            jh = conn.execute(text("SELECT hash FROM journal WHERE ref_id = :id"),
                              {"id": sale_id}).scalar_one()
            return CompletedSale(sale_id, existing[0], existing[1], existing[2],
                                 sum(p.change for p in payments), ctx.currency, existing[3], jh,
                                 False, earn_estimate(snap))
        last = conn.execute(
            text("SELECT seq, hash FROM journal WHERE device_id = :d ORDER BY seq DESC LIMIT 1"),
            {"d": ctx.device_id}).first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        receipt_no = receipt_number(ctx.store_code, ctx.device_code, seq)
        created_at = utc_iso(clock.now_utc())
        doc = sale_document(ctx, snap, payments, sale_id, seq, receipt_no, associate_id,
                            created_at)
        payload = canonical_json(doc)
        digest = chain_hash(prev_hash, payload)
        try:  # external tenders: only intents approved for this sale; attached in this commit
            attach(conn, sale_id, payments, created_at)
        except IntentError as exc:
            raise CheckoutError(str(exc)) from None  # the transaction rolls back: no sale
        _insert_sale(conn, doc)
        conn.execute(
            text("INSERT INTO journal(device_id, seq, kind, ref_id, prev_hash, hash, payload,"
                 " recorded_at) VALUES (:d, :seq, 'sale', :ref, :prev, :hash, :payload, :at)"),
            {"d": ctx.device_id, "seq": seq, "ref": sale_id, "prev": prev_hash, "hash": digest,
             "payload": payload, "at": created_at})
        conn.execute(
            text("INSERT INTO outbox(id, topic, payload, created_at, status, attempts)"
                 " VALUES (:id, 'sale.completed', :payload, :at, 'pending', 0)"),
            {"id": str(uuid.uuid4()), "payload": json.dumps(
                {"journal": {"seq": seq, "prev_hash": prev_hash, "hash": digest}, "sale": doc},
                ensure_ascii=False), "at": created_at})
        _insert_audit(conn, doc, associate_id, created_at)
        if snap.customer_id is not None:
            _record_customer(conn, ctx, snap.customer_id, payments, sale_id, clock, created_at)
    return CompletedSale(
        sale_id=sale_id, seq=seq, receipt_no=receipt_no, total=snap.priced.total,
        change=sum(p.change for p in payments), currency=snap.currency, created_at=created_at,
        journal_hash=digest,
        opens_drawer=any(p.tender is TenderType.CASH for p in payments),
        points_earned=earn_estimate(snap),
    )


def _record_customer(conn, ctx: StoreContext, customer_id: str, payments, sale_id: str,
                     clock: Clock, at: str) -> None:
    """A sale with her: restart her cached profile's eviction clock, and put the points she
    redeemed on the till's pending ledger (pos_app/services/loyalty_ledger.py)."""
    from zoneinfo import ZoneInfo

    conn.execute(text("UPDATE customer_profiles SET last_seen_at = :at WHERE customer_id = :c"),
                 {"at": at, "c": customer_id})
    store_day = clock.now_utc().astimezone(ZoneInfo(ctx.timezone)).date().isoformat()
    record_redemptions(conn, sale_id, customer_id, [
        (p.id, points_in_reference(p.reference), p.offline)
        for p in payments if p.tender is TenderType.LOYALTY], at, store_day)


def _insert_sale(conn, doc: dict) -> None:
    bd = doc["basket_discount"] or {}
    conn.execute(text(
        "INSERT INTO sales(id, device_id, store_id, seq, receipt_no, associate_id, customer_id,"
        " currency, tax_mode, subtotal, discount_total, tax_total, total,"
        " basket_discount_reason, basket_discount_approved_by, created_at) VALUES"
        " (:id, :device_id, :store_id, :seq, :receipt_no, :associate_id, :customer_id,"
        " :currency, :tax_mode, :subtotal, :discount_total, :tax_total, :total, :bdr, :bda,"
        " :created_at)"),
        {**{k: doc[k] for k in ("id", "device_id", "store_id", "seq", "receipt_no",
                                "associate_id", "customer_id", "currency", "tax_mode",
                                "subtotal", "discount_total", "tax_total", "total",
                                "created_at")},
         "bdr": bd.get("reason"), "bda": bd.get("approved_by")})
    conn.execute(text(
        "INSERT INTO sale_lines(id, sale_id, line_no, variant_id, sku, name, variant_label,"
        " quantity, list_price, unit_price, price_override_by, line_discount, discount_reason,"
        " discount_approved_by, basket_discount, tax_code, tax_rate_ppm, tax, amount, note)"
        " VALUES (:id, :sale_id, :line_no, :variant_id, :sku, :name, :variant_label, :quantity,"
        " :list_price, :unit_price, :price_override_by, :line_discount, :discount_reason,"
        " :discount_approved_by, :basket_discount, :tax_code, :tax_rate_ppm, :tax, :amount,"
        " :note)"),
        [{**ln, "sale_id": doc["id"]} for ln in doc["lines"]])
    conn.execute(text(
        "INSERT INTO payments(id, sale_id, tender, amount, tendered, change, reference,"
        " masked_pan, auth_code) VALUES (:id, :sale_id, :tender, :amount, :tendered, :change,"
        " :reference, :masked_pan, :auth_code)"),
        [{**p, "sale_id": doc["id"]} for p in doc["payments"]])


def _insert_audit(conn, doc: dict, associate_id: str, at: str) -> None:
    """One audit row per approved exception on the sale (override, approved discount)."""
    rows = []
    for ln in doc["lines"]:
        if ln["price_override_by"]:
            rows.append(("price_override", ln["price_override_by"],
                         {"sku": ln["sku"], "list": ln["list_price"], "new": ln["unit_price"]}))
        if ln["discount_approved_by"]:
            rows.append(("line_discount", ln["discount_approved_by"],
                         {"sku": ln["sku"], "amount": ln["line_discount"],
                          "reason": ln["discount_reason"]}))
    bd = doc["basket_discount"]
    if bd and bd["approved_by"]:
        rows.append(("basket_discount", bd["approved_by"],
                     {"amount": bd["amount"], "reason": bd["reason"]}))
    for action, approver, detail in rows:
        conn.execute(text(
            "INSERT INTO audit_log(id, at, action, actor_id, approved_by, ref_id, detail)"
            " VALUES (:id, :at, :action, :actor, :approver, :ref, :detail)"),
            {"id": str(uuid.uuid4()), "at": at, "action": action, "actor": associate_id,
             "approver": approver, "ref": doc["id"],
             "detail": json.dumps(detail, ensure_ascii=False)})
