"""The wire protocol between a device and HQ: request and response bodies (pydantic v2).

Why: both sides validate the same shapes; `hq/` imports only this module from `sync/`
(DESIGN.md §2). Money is integer minor units, ids are device-made UUIDs, times are UTC ISO-8601
strings. Every endpoint lives under /v1. Authentication: `Authorization: Bearer <device_id>.<secret>`
(HQ stores only a SHA-256 of the secret; a revoked device gets 401 with a reason).

Endpoints (HQ side in hq/api/, device side in sync/hq_client.py):

    POST /v1/enrol                 EnrolRequest  -> EnrolResponse   (no auth: the code is the secret)
    POST /v1/push                  PushRequest   -> PushResponse    (per-event results)
    GET  /v1/changes?cursor=C&limit=L             -> ChangePage      (this device's store only)
    GET  /v1/snapshot                              -> NDJSON stream   (bulk bootstrap; see below)
    GET  /v1/devices/me/journal                   -> JournalStatus
    GET  /healthz                                  -> {"status": "ok"}

Rules both sides rely on:
- Enrol: the device makes `request_id` and keeps it before asking; the same code with the same
  request id within ENROL_REPLAY_MINUTES answers the same device with a new secret (a lost
  answer is safe to retry); any other second use of a code is 403.
- Push: the device sends its outbox in `position` order, at most MAX_PUSH_BATCH events.
  PushResponse.results has exactly one result per event, in the order sent. "accepted" and
  "duplicate" both mean HQ holds the event forever (the device marks it sent); "quarantined"
  carries the reason, and a retried quarantined event is answered "quarantined" again, never
  "duplicate". An event id HQ holds from another device is "quarantined". A 4xx for the whole
  request means nothing was stored; a 429/503 carries Retry-After.
- Pull: a device with cursor 0 (new) takes the snapshot, whose cursor it then pulls from;
  /v1/changes from cursor 0 replays the whole feed (what an HQ without snapshots offers).
  `next_cursor` never goes backwards; changes come in seq order, parents before children.

Pure data definitions: safe on any thread.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# What text may hold (no NUL or other control characters): ONE rule for till and HQ, defined
# in the core and read by HQ through this module (DESIGN.md §2).
from pos_app.text_rules import UnsafeText, check_text, first_unsafe, unsafe_in  # noqa: F401
# PIN verifiers keyed per device (pos_app/auth.py): HQ keys what it sends, the till checks.
from pos_app.auth import keyed_verifier, pin_key_from_secret_sha256  # noqa: F401

PROTOCOL_VERSION = 1
MAX_INT64 = 2**63 - 1  # cursors, positions and sequences are 64-bit at HQ
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
MAX_PUSH_BATCH = 500
MAX_CHANGE_PAGE = 5000
ENROL_REPLAY_MINUTES = 15


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def normalise_enrolment_code(code: str) -> str:
    """An enrolment code as HQ hashes it: typed or scanned in any case, with dashes or spaces."""
    return code.strip().upper().replace("-", "").replace(" ", "")


class EnrolRequest(_Strict):
    code: str = Field(min_length=6, max_length=64)
    device_name: str = Field(min_length=1, max_length=100)
    # Made by the device and kept before it asks: if HQ's answer is lost, the same request
    # sent again (within ENROL_REPLAY_MINUTES of the first) gets the same device, new secret.
    request_id: str | None = Field(default=None, pattern=r"^[0-9a-fA-F-]{36}$")


class EnrolResponse(_Strict):
    device_id: str
    device_secret: str  # shown once; the device keeps it, HQ keeps only its hash
    device_code: str  # short code printed on receipts, e.g. "T02"
    store_id: str
    store_code: str


class OutboxEventIn(_Strict):
    """One outbox row as the device sends it (pos_app.db.models.OutboxEvent).

    The envelope is strict (a till never makes another); the payload is judged per event by
    HQ, which quarantines a bad one (a control character included: `unsafe_in`) and stores
    the rest of the batch."""

    id: str = Field(pattern=UUID_PATTERN)  # device-made UUID: HQ dedupes on it forever
    position: int = Field(ge=1, le=MAX_INT64)  # the device's outbox order
    topic: str = Field(pattern=r"^[a-z][a-z0-9_.]{0,63}$")  # e.g. "sale.completed"
    payload: dict[str, Any]
    created_at: str = Field(min_length=1, max_length=40)  # parsed per event by HQ


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
                    "customer", "stock", "web_order", "customer_profile", "customer_merge",
                    "promotion"]
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
#   POST /v1/customers/search {"q", "limit"} -> CustomerSearchResult (phone and e-mail masked;
#                                              terms in the body: never in an access log)
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
    """One line of a web order; money in minor units of the order's currency.
    amount = quantity * unit_price - discount; `id` is what a return line refers to."""

    sku: str
    name: str
    quantity: int
    amount: int  # integer minor units
    id: str | None = None
    line_no: int = 0
    variant_id: str | None = None
    variant_label: str = ""  # e.g. "Trắng / M"
    unit_price: int = 0
    discount: int = 0
    tax: int = 0  # included in amount when the order's tax_mode is "inclusive"
    returned_quantity: int = 0  # already returned (in any store)


# Web order words (hq/services/orders.py documents the life cycle of each).
WEB_ORDER_STATUSES = ("placed", "processing", "ready_for_pickup", "picked_up", "shipped",
                      "delivered", "completed", "cancelled", "returned")
PAYMENT_STATUSES = ("pending", "paid", "refunded", "partially_refunded")


class WebOrder(_Strict):
    """A shopper's order found by number, whichever store or channel it belongs to (returns
    happen anywhere). Times are UTC ISO-8601 "...Z"; the pickup code is never included (only
    the fulfilling store's feed carries it)."""

    number: str
    status: str  # one of WEB_ORDER_STATUSES
    customer_id: str | None = None
    pickup_store_code: str | None = None  # fulfilment "pickup" only
    lines: list[WebOrderLine]
    total: int  # integer minor units
    currency: str
    created_at: str
    id: str | None = None
    channel: str = "web"  # "web" | "store"
    fulfilment: str = "delivery"  # "delivery" | "pickup" | "in_store"
    fulfilment_store_code: str | None = None  # the store that fulfils (pickup, in store)
    payment_status: str = "paid"  # one of PAYMENT_STATUSES
    contact_name: str | None = None  # who collects: checked against an ID at pickup
    contact_phone_masked: str | None = None
    tax_mode: str = "inclusive"  # "inclusive" (VAT in prices) | "exclusive" (tax added)
    subtotal: int = 0  # sum of the lines' amounts
    shipping_fee: int = 0
    tax_total: int = 0
    updated_at: str | None = None
    completed_at: str | None = None
    ready_at: str | None = None
    picked_up_at: str | None = None
    picked_up_by: str | None = None  # associate id
    picked_up_device_id: str | None = None


# Search keys: HQ indexes customers exactly as devices do (pos_app/textfold.py and
# pos_app/demo/customers.py are the one definition; hq/ imports them only through here).
from pos_app.demo.customers import phone_search_forms  # noqa: E402
from pos_app.textfold import fold  # noqa: E402

__all__ += [
    "CustomerDetail", "CustomerSearchResult", "CustomerSummary", "MAX_CUSTOMER_SEARCH",
    "PAYMENT_STATUSES", "StockLevel", "StockResult", "WEB_ORDER_STATUSES", "WebOrder",
    "WebOrderLine", "fold", "mask_email", "mask_phone", "phone_search_forms",
]


# --- bulk snapshot (DESIGN.md §4: a new device bootstraps from a snapshot, then applies deltas) --
#
#   GET /v1/snapshot    device-authenticated like /v1/changes; 404 from an older HQ (the device
#                       then replays the feed from cursor 0 instead).
#
# The store's part of the change feed compacted to its current state (the latest upsert of
# every key; deleted keys absent), read in ONE consistent database snapshot, plus the feed
# cursor that snapshot corresponds to. Applying every row as an upsert, then pulling
# /v1/changes from `cursor`, leaves a device exactly where replaying the feed from 0 would.
#
# Body: `application/x-ndjson`, one JSON object per line ("\n"-terminated, UTF-8):
#
#   {"snapshot": 1, "cursor": C, "store_id": "..."}          first line: SnapshotHeader
#   {"entity": "product", "rows": [{...}, {...}, ...]}       up to SNAPSHOT_CHUNK_ROWS rows
#   ...                                                      (upsert `data`, as in a Change)
#   {"end": true, "rows": N, "cursor": C}                    last line: SnapshotEnd
#
# Entities come in SNAPSHOT_ENTITY_ORDER (parents before children), then any other entity in
# name order; within an entity, rows in feed order. Each row is exactly the `data` of the
# key's latest upsert (HQ concatenates the stored JSON text, it never re-encodes it), so the
# device applies it with the same per-entity code as a feed upsert (sync.change_apply).
# A body that ends without the SnapshotEnd line, or whose row count differs, was cut: the
# device discards the attempt and starts again (upserts are idempotent). With
# `Accept-Encoding: gzip` HQ compresses the stream (`Content-Encoding: gzip`).
SNAPSHOT_FORMAT = 1
SNAPSHOT_CHUNK_ROWS = 5000
SNAPSHOT_MEDIA_TYPE = "application/x-ndjson"
SNAPSHOT_ENTITY_ORDER = ("store", "tax_rate", "product", "variant", "barcode", "price",
                         "promotion", "associate", "customer")


class SnapshotHeader(_Strict):
    snapshot: int  # SNAPSHOT_FORMAT
    cursor: int  # the feed cursor the snapshot equals: pull /v1/changes from here
    store_id: str


class SnapshotEnd(_Strict):
    end: Literal[True]
    rows: int  # rows sent in all chunk lines: the device checks it received them all
    cursor: int


def snapshot_entity_order(entities: set[str] | list[str]) -> list[str]:
    """`entities` in snapshot order: SNAPSHOT_ENTITY_ORDER first, the others by name."""
    known = [e for e in SNAPSHOT_ENTITY_ORDER if e in entities]
    return known + sorted(set(entities) - set(SNAPSHOT_ENTITY_ORDER))


__all__ += [
    "SNAPSHOT_CHUNK_ROWS", "SNAPSHOT_ENTITY_ORDER", "SNAPSHOT_FORMAT", "SNAPSHOT_MEDIA_TYPE",
    "SnapshotEnd", "SnapshotHeader", "snapshot_entity_order",
]
