"""Checks of a "sale.completed" event that need nothing but the event and its store's facts.

Why: an event that is malformed, internally inconsistent, from another device or store, in
another currency or tax mode than its store's, beyond the sizes HQ accepts, with a negative
line (a return is not a sale: returns will come as their own event type), with a created_at
that is not a time, or whose journal hash does not match its content is quarantined with the
reason (issues 3 and 18), never half-ingested and never allowed to block the events behind
it. The hash is recomputed with exactly the device's function (sync.protocol.chain_hash over
canonical_json of the sale). The checks against HQ's data (variants, catalog prices, receipt
numbers already used) are hq/services/sale_checks.py, batched.

created_at (hq/services/device_time.py): parsed; a time too far ahead of HQ's receive time is
clamped to it (`CheckedSale.clock_ahead`), never refused: a wrong device clock must not reject
a sale (DESIGN.md §3).

Pure code: safe on any thread.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

import orjson
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from hq.services.device_time import bounded
from hq.services.store_settings import StoreRules
from sync.protocol import MAX_INT64, canonical_json, chain_hash

_HEX64 = r"^[0-9a-f]{64}$"
_UUID = r"^[0-9a-fA-F-]{36}$"
MAX_LINES = 500  # lines of one sale
MAX_PAYMENTS = 50
_ID = 64  # longest associate id / approver id HQ accepts on a line


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class JournalRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seq: StrictInt = Field(ge=1)
    prev_hash: StrictStr = Field(pattern=_HEX64)
    hash: StrictStr = Field(pattern=_HEX64)


class SaleLineDoc(_Loose):
    """A line; the price fields (pos_app/services/checkout.py sale_document) are optional for
    HQ, but typed when present: the price check reads them."""

    id: StrictStr = Field(pattern=_UUID)
    variant_id: StrictStr = Field(min_length=1, max_length=36)
    sku: StrictStr = Field(min_length=1, max_length=64)
    quantity: StrictInt = Field(ge=1, le=1_000_000)
    amount: StrictInt = Field(le=MAX_INT64)  # a negative one is refused by check_sale_event
    unit_price: StrictInt | None = Field(default=None, ge=0, le=MAX_INT64)
    line_discount: StrictInt | None = Field(default=None, ge=0, le=MAX_INT64)
    discount_reason: StrictStr | None = Field(default=None, max_length=200)
    discount_approved_by: StrictStr | None = Field(default=None, max_length=_ID)
    price_override_by: StrictStr | None = Field(default=None, max_length=_ID)
    # None: merchandise; "gift_card": a gift card sold (hq/services/payments.py checks it)
    kind: StrictStr | None = Field(default=None, max_length=32)


class PaymentDoc(_Loose):
    id: StrictStr = Field(pattern=_UUID)
    amount: StrictInt = Field(gt=0, le=MAX_INT64)
    tender: StrictStr | None = Field(default=None, max_length=32)


class BasketDiscountDoc(_Loose):
    amount: StrictInt = Field(default=0, ge=0, le=MAX_INT64)
    approved_by: StrictStr | None = Field(default=None, max_length=_ID)


class SaleDoc(_Loose):
    id: StrictStr = Field(pattern=_UUID)
    device_id: StrictStr
    store_id: StrictStr
    seq: StrictInt = Field(ge=1)
    receipt_no: StrictStr = Field(min_length=1, max_length=48)
    currency: StrictStr = Field(pattern=r"^[A-Z]{3}$")
    tax_mode: StrictStr = Field(pattern=r"^(inclusive|exclusive)$")
    created_at: StrictStr = Field(min_length=1, max_length=40)
    tax_total: StrictInt = Field(ge=0, le=MAX_INT64)
    total: StrictInt = Field(ge=0, le=MAX_INT64)
    lines: list[SaleLineDoc] = Field(min_length=1, max_length=MAX_LINES)
    payments: list[PaymentDoc] = Field(max_length=MAX_PAYMENTS)
    basket_discount: BasketDiscountDoc | None = None


class SaleEventPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    journal: JournalRef
    sale: dict[str, Any]


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "payload"
    return f"invalid payload: {where}: {err['msg']}"


class CheckedSale(NamedTuple):
    """A sale event HQ believes. `payload_json` is the canonical JSON text of the whole payload,
    kept as received-and-checked (built from the sale's canonical text the hash check already
    made, so HQ serialises each sale once). `created_at`: the sale's time as HQ stores it (UTC,
    fixed width; HQ's receive time when `clock_ahead`)."""

    event: SaleEventPayload
    sale: SaleDoc
    payload_json: str
    created_at: str
    clock_ahead: bool


def check_sale_event(payload: dict[str, Any], device_id: str, rules: StoreRules,
                     received: datetime) -> CheckedSale | str:
    """The parsed event, or the reason to quarantine it. `rules`: the device's store;
    `received`: HQ's receive time (the bound of created_at)."""
    try:
        event = SaleEventPayload.model_validate(payload)
        sale = SaleDoc.model_validate(event.sale)
    except ValidationError as exc:
        return _first_error(exc)
    if sale.device_id != device_id:
        return "sale was made by another device"
    if sale.store_id != rules.store_id:
        return "sale belongs to another store"
    if sale.currency != rules.currency:
        return f"currency {sale.currency} is not the store's ({rules.currency})"
    if sale.tax_mode != rules.tax_mode:
        return f"tax mode {sale.tax_mode} is not the store's ({rules.tax_mode})"
    if sale.seq != event.journal.seq:
        return f"journal seq {event.journal.seq} does not match sale seq {sale.seq}"
    when = bounded(sale.created_at, received, "sale.created_at")
    if isinstance(when, str):
        return when
    if len({ln.id for ln in sale.lines}) != len(sale.lines):
        return "duplicate line ids"
    for no, ln in enumerate(sale.lines, start=1):
        if ln.amount < 0:
            return (f"line {no} ({ln.sku}): negative amount {ln.amount}: a sale cannot pay "
                    f"money back (returns will come as their own event)")
    lines_sum = sum(ln.amount for ln in sale.lines)
    expected = lines_sum + (sale.tax_total if sale.tax_mode == "exclusive" else 0)
    if sale.total != expected:
        return f"total {sale.total} does not match the lines ({expected})"
    paid = sum(p.amount for p in sale.payments)
    if paid != sale.total:
        return f"payments ({paid}) do not match the total ({sale.total})"
    sale_json = _canonical_fast(event.sale)
    digest = chain_hash(event.journal.prev_hash, sale_json)
    if digest != event.journal.hash:
        exact = canonical_json(event.sale)  # the device's own function decides
        if exact != sale_json:
            sale_json, digest = exact, chain_hash(event.journal.prev_hash, exact)
    if digest != event.journal.hash:
        return "journal hash mismatch: the sale does not match its journal record"
    j = event.journal  # hex-checked strings and an int: no escaping needed
    journal_json = f'{{"hash":"{j.hash}","prev_hash":"{j.prev_hash}","seq":{j.seq}}}'
    # Keys sorted ("journal" < "sale") as canonical_json(payload) would write them.
    return CheckedSale(event, sale, f'{{"journal":{journal_json},"sale":{sale_json}}}',
                       when.iso, when.clamped)


def _canonical_fast(value: Any) -> str:
    """canonical_json's text, made by orjson (about 7x faster: HQ ingest is budgeted at
    5,000 sales/s). Only a fast first guess: where it could ever differ from the device's
    stdlib encoder, the hash check above falls back to `canonical_json` itself, so an event
    is never refused because of this shortcut."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):  # e.g. an int beyond 64 bits
        return canonical_json(value)
