"""HTTP routes for HQ IT: enrolment codes, revoking a device, the journal audit, the quarantine
and overdrawn loyalty balances.

Why: the same work as the `pos-hq` commands, for tools that speak HTTP. Every route is an
AdminRoute: the admin token is checked (and failures limited) before anything is read.

Threads: plain `def` handlers on FastAPI's threadpool; one transaction per request.
"""
from __future__ import annotations

import base64
import io
from typing import Annotated, Callable

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from hq.api.routing import AdminRoute
from hq.services import enrolment, journal, loyalty
from sync.protocol import UUID_PATTERN
from sync.text_fields import TextRule


class EnrolmentCodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    store_code: Annotated[str, TextRule()] = Field(min_length=1, max_length=16)
    ttl_minutes: int = Field(default=60, ge=1, le=enrolment.MAX_TTL_MINUTES)


class EnrolmentCodeResponse(BaseModel):
    code: str
    expires_at: str
    qr_png_base64: str


def qr_png_base64(data: str) -> str:
    import qrcode

    buf = io.BytesIO()
    qrcode.make(data).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def router(in_transaction: Callable) -> APIRouter:
    r = APIRouter(route_class=AdminRoute)

    @r.post("/v1/admin/enrolment-codes", response_model=EnrolmentCodeResponse)
    def new_enrolment_code(body: EnrolmentCodeRequest = Body()) -> EnrolmentCodeResponse:
        code, expires_at = in_transaction(lambda conn: enrolment.create_enrolment_code(
            conn, body.store_code, body.ttl_minutes))
        return EnrolmentCodeResponse(code=code, expires_at=expires_at,
                                     qr_png_base64=qr_png_base64(code))

    @r.post("/v1/admin/devices/{device_id}/revoke")
    def revoke(device_id: str = Path(pattern=UUID_PATTERN)) -> dict:
        device_id = device_id.lower()
        at = in_transaction(lambda conn: enrolment.revoke(conn, device_id))
        return {"device_id": device_id, "revoked_at": at}

    @r.get("/v1/admin/journal")
    def journal_audit() -> dict:
        return {"devices": in_transaction(journal.all_journal_status)}

    @r.get("/v1/admin/quarantine")
    def quarantine(limit: int = Query(default=1000, ge=1, le=10_000)) -> dict:
        return {"events": in_transaction(lambda conn: journal.quarantined_events(conn, limit))}

    @r.get("/v1/admin/loyalty/overdrawn")
    def overdrawn(limit: int = Query(default=1000, ge=1, le=10_000)) -> dict:
        return {"customers": in_transaction(lambda conn: loyalty.overdrawn(conn, limit))}

    return r
