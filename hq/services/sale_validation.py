"""Checks of a "sale.completed" event before HQ believes it.

Why: an event that is malformed, internally inconsistent, from another device or store, or
whose journal hash does not match its content is quarantined with the reason (issue 3), never
half-ingested and never allowed to block the events behind it. The hash is recomputed with
exactly the device's function (sync.protocol.chain_hash over canonical_json of the sale).

Pure code: safe on any thread.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from sync.protocol import canonical_json, chain_hash

_HEX64 = r"^[0-9a-f]{64}$"
_UUID = r"^[0-9a-fA-F-]{36}$"


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class JournalRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seq: StrictInt = Field(ge=1)
    prev_hash: StrictStr = Field(pattern=_HEX64)
    hash: StrictStr = Field(pattern=_HEX64)


class SaleLineDoc(_Loose):
    id: StrictStr = Field(pattern=_UUID)
    variant_id: StrictStr = Field(min_length=1, max_length=36)
    sku: StrictStr = Field(min_length=1, max_length=64)
    quantity: StrictInt = Field(ge=1, le=1_000_000)
    amount: StrictInt


class PaymentDoc(_Loose):
    id: StrictStr = Field(pattern=_UUID)
    amount: StrictInt = Field(gt=0)


class SaleDoc(_Loose):
    id: StrictStr = Field(pattern=_UUID)
    device_id: StrictStr
    store_id: StrictStr
    seq: StrictInt = Field(ge=1)
    receipt_no: StrictStr = Field(min_length=1, max_length=48)
    currency: StrictStr = Field(pattern=r"^[A-Z]{3}$")
    tax_mode: StrictStr = Field(pattern=r"^(inclusive|exclusive)$")
    created_at: StrictStr = Field(min_length=1, max_length=40)
    tax_total: StrictInt = Field(ge=0)
    total: StrictInt = Field(ge=0)
    lines: list[SaleLineDoc] = Field(min_length=1)
    payments: list[PaymentDoc]


class SaleEventPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    journal: JournalRef
    sale: dict[str, Any]


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "payload"
    return f"invalid payload: {where}: {err['msg']}"


def check_sale_event(payload: dict[str, Any], device_id: str, store_id: str
                     ) -> tuple[SaleEventPayload, SaleDoc] | str:
    """The parsed event, or the reason to quarantine it."""
    try:
        event = SaleEventPayload.model_validate(payload)
        sale = SaleDoc.model_validate(event.sale)
    except ValidationError as exc:
        return _first_error(exc)
    if sale.device_id != device_id:
        return "sale was made by another device"
    if sale.store_id != store_id:
        return "sale belongs to another store"
    if sale.seq != event.journal.seq:
        return f"journal seq {event.journal.seq} does not match sale seq {sale.seq}"
    if len({ln.id for ln in sale.lines}) != len(sale.lines):
        return "duplicate line ids"
    lines_sum = sum(ln.amount for ln in sale.lines)
    expected = lines_sum + (sale.tax_total if sale.tax_mode == "exclusive" else 0)
    if sale.total != expected:
        return f"total {sale.total} does not match the lines ({expected})"
    paid = sum(p.amount for p in sale.payments)
    if paid != sale.total:
        return f"payments ({paid}) do not match the total ({sale.total})"
    digest = chain_hash(event.journal.prev_hash, canonical_json(event.sale))
    if digest != event.journal.hash:
        return "journal hash mismatch: the sale does not match its journal record"
    return event, sale
