"""The wire protocol between a device and HQ: request and response bodies (pydantic v2).

Why: both sides validate the same shapes; `hq/` imports only this module from `sync/`
(DESIGN.md §2). Money is integer minor units, ids are device-made UUIDs, times are UTC ISO-8601
strings. Every endpoint lives under /v1. Authentication: `Authorization: Bearer <device_id>.<secret>`
(HQ stores only a SHA-256 of the secret; a revoked device gets 401 with a reason).

Endpoints (HQ side in hq/api/, device side in sync/hq_client.py):

    POST /v1/enrol                 EnrolRequest  -> EnrolResponse   (no auth: the code is the secret)
    POST /v1/push                  PushRequest   -> PushResponse    (per-event results)
    GET  /v1/changes?cursor=C&limit=L             -> ChangePage      (this device's store only)
    GET  /v1/devices/me/journal                   -> JournalStatus
    GET  /healthz                                  -> {"status": "ok"}

Pure data definitions: safe on any thread.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
MAX_PUSH_BATCH = 500
MAX_CHANGE_PAGE = 5000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnrolRequest(_Strict):
    code: str = Field(min_length=6, max_length=64)
    device_name: str = Field(min_length=1, max_length=100)


class EnrolResponse(_Strict):
    device_id: str
    device_secret: str  # shown once; the device keeps it, HQ keeps only its hash
    device_code: str  # short code printed on receipts, e.g. "T02"
    store_id: str
    store_code: str


class OutboxEventIn(_Strict):
    """One outbox row as the device sends it (pos_app.db.models.OutboxEvent)."""

    id: str = Field(min_length=36, max_length=36)  # device-made UUID: HQ dedupes on it forever
    position: int = Field(ge=1)  # the device's outbox order
    topic: str = Field(min_length=1, max_length=64)  # e.g. "sale.completed"
    payload: dict[str, Any]
    created_at: str


class PushRequest(_Strict):
    events: list[OutboxEventIn] = Field(min_length=1, max_length=MAX_PUSH_BATCH)


EventStatus = Literal["accepted", "duplicate", "quarantined"]


class EventResult(_Strict):
    id: str
    status: EventStatus  # accepted and duplicate both mean "HQ has it: mark sent"
    reason: str | None = None  # why it was quarantined


class PushResponse(_Strict):
    results: list[EventResult]


class Change(_Strict):
    """One row of the store's change feed. `op` "upsert" carries `data`; "delete" only the key."""

    seq: int  # the server cursor: strictly increasing
    entity: Literal["store", "tax_rate", "product", "variant", "barcode", "price", "associate",
                    "customer", "stock", "web_order"]
    op: Literal["upsert", "delete"]
    key: str
    data: dict[str, Any] | None = None


class ChangePage(_Strict):
    changes: list[Change]
    next_cursor: int  # pass it back as ?cursor=
    has_more: bool


class JournalStatus(_Strict):
    device_id: str
    last_seq: int  # highest journal sequence received from this device
    received: int  # how many journal records HQ holds for it
    gaps: list[tuple[int, int]]  # missing sequence ranges (first, last), inclusive
    chain_breaks: list[int]  # sequences whose prev_hash does not match the record before


# The journal's hash chain, re-exported so that HQ verifies exactly what devices compute
# (hq/ imports sync.protocol, never pos_app directly).
from pos_app.journal import GENESIS, canonical_json, chain_hash  # noqa: E402

__all__ = [
    "Change", "ChangePage", "EnrolRequest", "EnrolResponse", "EventResult", "GENESIS",
    "JournalStatus", "MAX_CHANGE_PAGE", "MAX_PUSH_BATCH", "OutboxEventIn", "PROTOCOL_VERSION",
    "PushRequest", "PushResponse", "canonical_json", "chain_hash",
]


# --- live look-ups (DESIGN.md §4: short timeouts, the device falls back to its cache) ---------
#
#   GET /v1/customers/search?q=Q&limit=L   -> CustomerSearchResult (phone and e-mail masked)
#   GET /v1/customers/{id}                 -> CustomerDetail (unmasked; HQ audits the view)
#   GET /v1/stock?sku=S                    -> StockResult (on hand in every store carrying S)
#   GET /v1/orders/{number}                -> WebOrder (404 with a reason when unknown)
MAX_CUSTOMER_SEARCH = 50
_MASK_GROUP = 3


def mask_phone(phone: str | None) -> str | None:
    """A phone fit for a list: country code, two first and two last subscriber digits.

    "+84901234567" -> "+84 90* *** *67"; "+12125550100" -> "+1 21* *** **00". One definition
    for HQ's search results and the device's cached ones.
    """
    if not phone:
        return None
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) < 5:
        return "*" * len(digits) or None
    cc = ""
    if phone.strip().startswith("+"):
        cc = next((c for c in ("84", "1") if digits.startswith(c)), digits[:2])
        digits = digits[len(cc):]
    masked = digits[:2] + "*" * max(0, len(digits) - 4) + digits[-2:]
    groups = [masked[i:i + _MASK_GROUP] for i in range(0, len(masked), _MASK_GROUP)]
    if len(groups) > 1 and len(groups[-1]) == 1:  # no lone last digit: "**00", not "**0 0"
        groups[-2:] = [groups[-2] + groups[-1]]
    return (f"+{cc} " if cc else "") + " ".join(groups)


def mask_email(email: str | None) -> str | None:
    """"mai.nguyen@example.com" -> "m***n@example.com"."""
    if not email:
        return None
    local, at, domain = email.partition("@")
    if not at:
        return local[:1] + "***"
    shown = local[:1] + "***" + (local[-1:] if len(local) > 2 else "")
    return f"{shown}@{domain}"


class CustomerSummary(_Strict):
    """One search hit: enough to pick the right person; contact details masked."""

    id: str
    name: str
    phone_masked: str | None = None
    email_masked: str | None = None
    loyalty_card: str | None = None
    tier: str | None = None
    home_store_code: str | None = None  # None: every store's customer (or unknown offline)


class CustomerSearchResult(_Strict):
    customers: list[CustomerSummary]
    total_estimate: int  # matches found, counted up to a cap (search results are a page)


class CustomerDetail(_Strict):
    """The profile view's contact details, unmasked. Fetching it is audited at HQ."""

    id: str
    name: str
    phone: str | None = None
    email: str | None = None
    loyalty_card: str | None = None
    tier: str | None = None
    home_store_code: str | None = None


class StockLevel(_Strict):
    store_code: str
    store_name: str
    sku: str
    on_hand: int  # sum of the store's stock ledger deltas (opening balance included)


class StockResult(_Strict):
    sku: str
    levels: list[StockLevel]


class WebOrderLine(_Strict):
    sku: str
    name: str
    quantity: int
    amount: int  # integer minor units


class WebOrder(_Strict):
    number: str
    status: str
    customer_id: str | None = None
    pickup_store_code: str | None = None
    lines: list[WebOrderLine]
    total: int  # integer minor units
    currency: str
    created_at: str


# Search keys: HQ indexes customers exactly as devices do (pos_app/textfold.py and
# pos_app/demo_customers.py are the one definition; hq/ imports them only through here).
from pos_app.demo_customers import phone_search_forms  # noqa: E402
from pos_app.textfold import fold  # noqa: E402

__all__ += [
    "CustomerDetail", "CustomerSearchResult", "CustomerSummary", "MAX_CUSTOMER_SEARCH",
    "StockLevel", "StockResult", "WebOrder", "WebOrderLine", "fold", "mask_email",
    "mask_phone", "phone_search_forms",
]
