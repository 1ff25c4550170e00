"""HQ's HTTP API (FastAPI): the endpoints of sync/protocol.py plus admin endpoints.

Why: devices enrol, push their outbox, pull the change feed and read their journal status;
HQ IT makes enrolment codes, revokes devices and reads the journal audit and quarantine.
Every invalid request gets a 4xx with a reason, never a 500:

- a body over its route's limit: 413, counted as it streams (hq/api/edge.py);
- credentials are checked before a body is read, failures limited per address and per
  credential, requests per device (hq/api/gate.py, hq/api/routing.py): 401/429;
- pydantic validates bodies and parameters, text by the one text rule: 422 naming the field,
  with short excerpts of the input, never the input whole (hq/api/edge.py);
- service errors carry their status (400/403/404/409);
- anything else an endpoint raises is logged and answered 500 "stored nothing", with the
  connection kept open (hq/api/last_resort.py);
- a database that is unreachable, locked or deadlocked (two retries of one batch racing on
  PostgreSQL) answers 503 with Retry-After: the transaction was rolled back, so the device's
  retry is safe.

Routes: hq/api/device_sync.py (health, enrol, push, changes, journal), customers.py and
lookups.py (clienteling, live look-ups), snapshot.py, admin.py and review.py (sale flags,
cross-store writes), payments.py (VietQR intents and the bank's signed webhook, gift cards,
store credit); /openapi.json: openapi.py.

Threads: endpoints are plain `def` (FastAPI's threadpool) except where a body is read by
hand; each request takes one connection from the engine's pool for one transaction
(`engine.begin()`), which commits when the handler returns and rolls back on any error.
Nothing is created at import time: `create_app(engine)` is called by the CLI or a test.
"""
from __future__ import annotations

import os
import secrets
import time
from typing import Callable, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from hq.api import admin as admin_api
from hq.api import customers as customers_api
from hq.api import device_sync
from hq.api import lookups as lookups_api
from hq.api import openapi
from hq.api import payments as payments_api
from hq.api import review as review_api
from hq.api import snapshot as snapshot_api
from hq.api.edge import BodyLimit, validation_error
from hq.api.gate import UNAUTHORIZED, AuthGate
from hq.api.last_resort import LastResort
from hq.api.ratelimit import Limits, TokenBuckets
from hq.services.book import BookPublisher
from hq.services.common import ServiceError
from hq.services.stock_publisher import StockPublisher
from sync.protocol import PROTOCOL_VERSION, PushRequest
from sync.protocol_payments import BankCredit

T = TypeVar("T")
DATABASE_ENV = "STORELINE_HQ_DATABASE"  # read by app_from_env (multi-worker `pos-hq serve`)
# The bank webhook's HMAC secret(s), comma-separated (rotation): hq/api/payments.py.
BANK_WEBHOOK_SECRET_ENV = "STORELINE_HQ_BANK_WEBHOOK_SECRET"
MAX_BODY_BYTES = 16 * 1024 * 1024  # POST /v1/push: a full batch of large sales is well under
MAX_SMALL_BODY_BYTES = 64 * 1024  # every other route: an enrolment, a search, a code request


def admin_token_from_env() -> tuple[str, bool]:
    """(token, generated): STORELINE_HQ_ADMIN_TOKEN, or a fresh random one."""
    token = os.environ.get("STORELINE_HQ_ADMIN_TOKEN")
    return (token, False) if token else (secrets.token_urlsafe(24), True)


def bank_webhook_secrets(value: str | None = None) -> list[bytes]:
    """The webhook secrets in `value` (default: STORELINE_HQ_BANK_WEBHOOK_SECRET)."""
    value = os.environ.get(BANK_WEBHOOK_SECRET_ENV, "") if value is None else value
    return [s.strip().encode() for s in value.split(",") if s.strip()]


def create_app(engine: Engine, admin_token: str | None = None,
               limiter: TokenBuckets | None = None,
               enrol_limiter: TokenBuckets | None = None, *, limits: Limits | None = None,
               auth_failures: TokenBuckets | None = None, clock=time.monotonic,
               bank_webhook_secret: str | None = None) -> FastAPI:
    """The app for `engine`. `limits`: what `pos-hq serve` allows (hq/api/ratelimit.py);
    `limiter` (requests per device), `enrol_limiter` (enrolments per client address) and
    `auth_failures` (per address and per credential) replace the buckets made from them.
    `bank_webhook_secret`: the bank webhook's secret(s), comma-separated (default: the
    environment's STORELINE_HQ_BANK_WEBHOOK_SECRET)."""
    app = FastAPI(title="Storeline HQ", version=str(PROTOCOL_VERSION))
    app.state.gate = AuthGate(engine, admin_token or admin_token_from_env()[0], limits,
                              requests=limiter, enrolments=enrol_limiter,
                              failures=auth_failures, clock=clock)
    app.add_middleware(LastResort)  # innermost: a bug is a 500 that keeps the connection
    app.add_middleware(BodyLimit, default=MAX_SMALL_BODY_BYTES,
                       limits={"/v1/push": MAX_BODY_BYTES})
    app.add_exception_handler(RequestValidationError, validation_error)

    @app.exception_handler(ServiceError)
    def _service_error(_request: Request, exc: ServiceError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status,
                            headers=UNAUTHORIZED if exc.status == 401 else None)

    @app.exception_handler(OperationalError)
    def _database_busy(_request: Request, _exc: OperationalError) -> JSONResponse:
        return JSONResponse({"detail": "HQ database busy or unavailable; retry later"},
                            status_code=503, headers={"Retry-After": "2"})

    def in_transaction(fn: Callable[[Connection], T]) -> T:
        with engine.begin() as conn:
            return fn(conn)

    app.include_router(device_sync.public_router(in_transaction))
    app.include_router(device_sync.device_router(in_transaction))
    app.include_router(customers_api.router(in_transaction))  # before lookups: see there
    app.include_router(lookups_api.router(in_transaction))  # live look-ups
    app.include_router(snapshot_api.router(engine))  # GET /v1/snapshot
    app.include_router(admin_api.router(in_transaction))
    app.include_router(review_api.router(in_transaction))
    app.include_router(payments_api.webhook_router(
        in_transaction, bank_webhook_secrets(bank_webhook_secret)))
    app.include_router(payments_api.device_router(in_transaction))
    app.include_router(payments_api.admin_router(in_transaction))
    # push and the bank webhook read their bodies themselves: declared by hand
    openapi.install(app, PushRequest, BankCredit)
    publisher = StockPublisher(engine)  # sold stock to the stores' feeds, off the push path
    app.router.on_startup.append(publisher.start)
    app.router.on_shutdown.append(publisher.stop)
    books = BookPublisher(engine)  # clienteling books to the stores' feeds (hq/services/book.py)
    app.router.on_startup.append(books.start)
    app.router.on_shutdown.append(books.stop)
    return app


def app_from_env() -> FastAPI:
    """The app of one `pos-hq serve --workers N` worker process: its own engine on the URL in
    STORELINE_HQ_DATABASE, the admin token from STORELINE_HQ_ADMIN_TOKEN and the limits from
    STORELINE_HQ_LIMIT_* (all set by the CLI)."""
    from hq.db.engine import make_engine

    return create_app(make_engine(os.environ[DATABASE_ENV]), limits=Limits.from_env())
