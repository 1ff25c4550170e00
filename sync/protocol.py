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
