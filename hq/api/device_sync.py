"""HTTP routes of the sync protocol (sync/protocol.py): health, enrol, push, change feed, journal.

Why: devices enrol, push their outbox, pull the change feed and read their journal status.
Enrolment is public (the one-time code is the secret) and limited per client address; the
other routes are DeviceRoutes: authenticated before their body is read (hq/api/routing.py).

Threads: plain `def` handlers run on FastAPI's threadpool; `push` is async only to read its
body, then parses and ingests on the threadpool. One transaction per request.
"""
from __future__ import annotations

from typing import Callable

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import text

from hq.api.openapi import body_ref
from hq.api.routing import DeviceRoute, PublicRoute, client_address, device_of, error_responses
from hq.services import changes as changes_service
from hq.services import enrolment, ingest, journal, pin_verifiers
from sync.protocol import (MAX_CHANGE_PAGE, MAX_INT64, ChangePage, EnrolRequest, EnrolResponse,
                           JournalStatus, PushRequest, PushResponse)
from sync.text_fields import RefusesControlCharacters


class EnrolBody(RefusesControlCharacters, EnrolRequest):
    """EnrolRequest as HQ reads it: no control character in its text (a NUL in a device name
    reached PostgreSQL as a 500)."""


def public_router(in_transaction: Callable) -> APIRouter:
    r = APIRouter(route_class=PublicRoute)

    @r.get("/healthz")
    def healthz() -> dict:
        in_transaction(lambda conn: conn.execute(text("SELECT 1")).scalar())
        return {"status": "ok"}

    @r.post("/v1/enrol", response_model=EnrolResponse,
            responses=error_responses(400, 403, 429))  # 400: a body that is not JSON at all
    def enrol(body: EnrolBody, request: Request) -> EnrolResponse:
        request.app.state.gate.enrol(client_address(request))
        return in_transaction(lambda conn: enrolment.enrol(
            conn, body.code, body.device_name, request_id=body.request_id))

    return r


def device_router(in_transaction: Callable) -> APIRouter:
    r = APIRouter(route_class=DeviceRoute)

    def push_sync(raw: bytes, device: enrolment.AuthenticatedDevice) -> Response:
        try:
            body = PushRequest.model_validate_json(raw)
        except ValidationError as exc:  # located in the body, like FastAPI's own errors
            raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in
                                          exc.errors(include_url=False)]) from None
        answer = in_transaction(lambda conn: PushResponse(
            results=ingest.ingest(conn, device, body.events)))
        return Response(answer.model_dump_json(exclude_none=True),
                        media_type="application/json")

    @r.post("/v1/push", response_model=PushResponse, openapi_extra=body_ref(PushRequest))
    async def push(request: Request) -> Response:
        """The body is read only now, after authentication (the route class), and through the
        body limit (hq/api/edge.py); pydantic-core parses it straight from bytes, on the
        threadpool with the ingest (FastAPI's own parse would json.loads then validate: a
        fifth of the ingest budget at 500 events a batch)."""
        raw = await request.body()
        return await run_in_threadpool(push_sync, raw, device_of(request))

    @r.get("/v1/changes", response_model=ChangePage)
    def changes(request: Request, cursor: int = Query(default=0, ge=0, le=MAX_INT64),
                limit: int = Query(default=1000, ge=1, le=MAX_CHANGE_PAGE)) -> ChangePage:
        device = device_of(request)
        return in_transaction(lambda conn: changes_service.changes(
            conn, device.store_id, cursor, limit,
            pin_key=pin_verifiers.device_pin_key(conn, device.id)))

    @r.get("/v1/devices/me/journal", response_model=JournalStatus)
    def my_journal(request: Request) -> JournalStatus:
        device = device_of(request)
        return in_transaction(lambda conn: journal.journal_status(conn, device.id))

    return r
