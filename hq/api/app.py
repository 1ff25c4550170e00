"""HQ's HTTP API (FastAPI): the endpoints of sync/protocol.py plus admin endpoints.

Why: devices enrol, push their outbox, pull the change feed and read their journal status;
HQ IT makes enrolment codes, revokes devices and reads the journal audit and quarantine.
Every invalid request gets a 4xx with a reason, never a 500: pydantic validates bodies and
query parameters (422), service errors carry their status (401/403/404/409), rate limiting
answers 429, a body over MAX_BODY_BYTES 413. A database that is unreachable, locked or
deadlocked (two retries of one batch racing on PostgreSQL) answers 503 with Retry-After: the
transaction was rolled back, so the device's retry is safe.

Threads: every endpoint is a plain `def`, so FastAPI runs it on its threadpool; each request
takes one connection from the engine's pool for one transaction (`engine.begin()`), which
commits when the handler returns and rolls back on any error. Nothing is created at import
time: `create_app(engine)` is called by the CLI or a test.
"""
from __future__ import annotations

import base64
import hmac
import io
import os
import secrets
from typing import Callable, TypeVar

from fastapi import Body, FastAPI, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from hq.api import customers as customers_api
from hq.api import lookups as lookups_api
from hq.api import snapshot as snapshot_api
from hq.api.ratelimit import TokenBuckets
from hq.services import changes as changes_service
from hq.services import enrolment, ingest, journal
from hq.services.common import ServiceError
from hq.services.book import BookPublisher
from hq.services.stock_publisher import StockPublisher
from sync.protocol import (MAX_CHANGE_PAGE, PROTOCOL_VERSION, ChangePage, EnrolRequest,
                           EnrolResponse, JournalStatus, PushRequest, PushResponse)

T = TypeVar("T")
DATABASE_ENV = "STORELINE_HQ_DATABASE"  # read by app_from_env (multi-worker `pos-hq serve`)
MAX_BODY_BYTES = 16 * 1024 * 1024  # a full push batch of large sales is well under this


class EnrolmentCodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    store_code: str = Field(min_length=1, max_length=16)
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


def admin_token_from_env() -> tuple[str, bool]:
    """(token, generated): STORELINE_HQ_ADMIN_TOKEN, or a fresh random one."""
    token = os.environ.get("STORELINE_HQ_ADMIN_TOKEN")
    return (token, False) if token else (secrets.token_urlsafe(24), True)


def create_app(engine: Engine, admin_token: str | None = None,
               limiter: TokenBuckets | None = None,
               enrol_limiter: TokenBuckets | None = None) -> FastAPI:
    """The app for `engine`. `limiter`: per device; `enrol_limiter`: per client address, so
    enrolment codes cannot be guessed at speed."""
    app = FastAPI(title="Storeline HQ", version=str(PROTOCOL_VERSION))
    admin_token = admin_token or admin_token_from_env()[0]
    limiter = limiter or TokenBuckets()
    enrol_limiter = enrol_limiter or TokenBuckets(rate=1.0, burst=10.0)

    @app.exception_handler(ServiceError)
    def _service_error(_request: Request, exc: ServiceError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)

    @app.exception_handler(OperationalError)
    def _database_busy(_request: Request, _exc: OperationalError) -> JSONResponse:
        return JSONResponse({"detail": "HQ database busy or unavailable; retry later"},
                            status_code=503, headers={"Retry-After": "2"})

    @app.middleware("http")
    async def _limit_body(request: Request, call_next):
        length = request.headers.get("content-length", "0")
        if not length.isdigit() or int(length) > MAX_BODY_BYTES:
            return JSONResponse({"detail": f"body larger than {MAX_BODY_BYTES} bytes or "
                                           "bad Content-Length"}, status_code=413)
        return await call_next(request)

    def in_transaction(fn: Callable[[Connection], T]) -> T:
        with engine.begin() as conn:
            return fn(conn)

    def as_device(authorization: str | None, fn: Callable[[Connection, enrolment.
                  AuthenticatedDevice], T]) -> T:
        with engine.begin() as conn:
            device = enrolment.authenticate(conn, authorization)
            if not limiter.allow(device.id):
                raise HTTPException(429, "too many requests from this device; slow down",
                                    headers={"Retry-After": "1"})
            return fn(conn, device)

    def require_admin(authorization: str | None) -> None:
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not given or not hmac.compare_digest(given.encode(), admin_token.encode()):
            raise HTTPException(401, "admin token required")

    @app.get("/healthz")
    def healthz() -> dict:
        in_transaction(lambda conn: conn.execute(text("SELECT 1")).scalar())
        return {"status": "ok"}

    @app.post("/v1/enrol", response_model=EnrolResponse)
    def enrol(body: EnrolRequest, request: Request) -> EnrolResponse:
        client = request.client.host if request.client else "unknown"
        if not enrol_limiter.allow(client):
            raise HTTPException(429, "too many enrolment attempts; wait a minute",
                                headers={"Retry-After": "10"})
        return in_transaction(lambda conn: enrolment.enrol(
            conn, body.code, body.device_name, request_id=body.request_id))

    def push_sync(raw: bytes, authorization: str | None) -> Response:
        try:
            body = PushRequest.model_validate_json(raw)
        except ValidationError as exc:
            raise RequestValidationError(exc.errors(include_url=False)) from None
        answer = as_device(authorization, lambda conn, device: PushResponse(
            results=ingest.ingest(conn, device, body.events)))
        return Response(answer.model_dump_json(exclude_none=True),
                        media_type="application/json")

    @app.post("/v1/push", response_model=PushResponse, openapi_extra={"requestBody": {
        "required": True, "content": {"application/json": {
            "schema": PushRequest.model_json_schema()}}}})
    async def push(request: Request, authorization: str | None = Header(default=None)
                   ) -> Response:
        """The body is parsed by pydantic-core straight from bytes, on the threadpool with
        the ingest (FastAPI's own parse would json.loads then validate: a fifth of the
        ingest budget at 500 events a batch)."""
        raw = await request.body()
        return await run_in_threadpool(push_sync, raw, authorization)

    @app.get("/v1/changes", response_model=ChangePage)
    def changes(cursor: int = Query(default=0, ge=0),
                limit: int = Query(default=1000, ge=1, le=MAX_CHANGE_PAGE),
                authorization: str | None = Header(default=None)) -> ChangePage:
        return as_device(authorization, lambda conn, device: changes_service.changes(
            conn, device.store_id, cursor, limit))

    @app.get("/v1/devices/me/journal", response_model=JournalStatus)
    def my_journal(authorization: str | None = Header(default=None)) -> JournalStatus:
        return as_device(authorization,
                         lambda conn, device: journal.journal_status(conn, device.id))

    @app.post("/v1/admin/enrolment-codes", response_model=EnrolmentCodeResponse)
    def new_enrolment_code(body: EnrolmentCodeRequest = Body(),
                           authorization: str | None = Header(default=None)
                           ) -> EnrolmentCodeResponse:
        require_admin(authorization)
        code, expires_at = in_transaction(lambda conn: enrolment.create_enrolment_code(
            conn, body.store_code, body.ttl_minutes))
        return EnrolmentCodeResponse(code=code, expires_at=expires_at,
                                     qr_png_base64=qr_png_base64(code))

    @app.post("/v1/admin/devices/{device_id}/revoke")
    def revoke(device_id: str, authorization: str | None = Header(default=None)) -> dict:
        require_admin(authorization)
        at = in_transaction(lambda conn: enrolment.revoke(conn, device_id))
        return {"device_id": device_id, "revoked_at": at}

    @app.get("/v1/admin/journal")
    def journal_audit(authorization: str | None = Header(default=None)) -> dict:
        require_admin(authorization)
        return {"devices": in_transaction(journal.all_journal_status)}

    @app.get("/v1/admin/quarantine")
    def quarantine(limit: int = Query(default=1000, ge=1, le=10_000),
                   authorization: str | None = Header(default=None)) -> dict:
        require_admin(authorization)
        return {"events": in_transaction(lambda conn: journal.quarantined_events(conn, limit))}

    app.include_router(customers_api.router(as_device, in_transaction, require_admin))
    app.include_router(lookups_api.router(as_device))  # live look-ups (hq/api/lookups.py)
    app.include_router(snapshot_api.router(as_device, engine))  # GET /v1/snapshot
    publisher = StockPublisher(engine)  # sold stock to the stores' feeds, off the push path
    app.router.on_startup.append(publisher.start)
    app.router.on_shutdown.append(publisher.stop)
    books = BookPublisher(engine)  # clienteling books to the stores' feeds (hq/services/book.py)
    app.router.on_startup.append(books.start)
    app.router.on_shutdown.append(books.stop)
    return app


def app_from_env() -> FastAPI:
    """The app of one `pos-hq serve --workers N` worker process: its own engine on the URL in
    STORELINE_HQ_DATABASE, the admin token from STORELINE_HQ_ADMIN_TOKEN (set by the CLI)."""
    from hq.db.engine import make_engine

    return create_app(make_engine(os.environ[DATABASE_ENV]))
