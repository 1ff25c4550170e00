"""Route classes of HQ's API: who may call a route, checked before its body is read, and the
error answers every route declares.

Why (issue 18): FastAPI reads and validates a request's body before any dependency runs, so an
authentication dependency came too late: a 200 MB body without credentials was read and
validated first. A route of `DeviceRoute` or `AdminRoute` asks the app's AuthGate
(hq/api/gate.py) before FastAPI's own handler reads anything; the device it finds is kept
in `request.state.device`. Every route declares, in /openapi.json, the errors HQ really answers
(a small {"detail": ...} body; 422 lists the fields), its security scheme, and the Retry-After
and WWW-Authenticate headers that come with 429/503 and 401, so that a schema-conformance
checker finds no undeclared status.

Threads: the wrapper runs on the event loop; a device's authentication (a database query) is
sent to the threadpool.
"""
from __future__ import annotations

from typing import Any, ClassVar

from fastapi import HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from pydantic import BaseModel

from hq.services.enrolment import AuthenticatedDevice

DEVICE_SCHEME, ADMIN_SCHEME = "device", "admin"
SECURITY_SCHEMES = {
    DEVICE_SCHEME: {"type": "http", "scheme": "bearer",
                    "description": "`Bearer <device_id>.<secret>`, from POST /v1/enrol"},
    ADMIN_SCHEME: {"type": "http", "scheme": "bearer",
                   "description": "`Bearer <admin token>` (STORELINE_HQ_ADMIN_TOKEN)"},
}


class ErrorBody(BaseModel):
    detail: str  # the reason, for a person


class Issue(BaseModel):
    type: str
    loc: list[str | int]  # where: ["body", "events", 0, "id"], ["query", "cursor"]
    msg: str
    input: Any = None  # a short excerpt of what was sent (hq/api/edge.py)


class ValidationErrorBody(BaseModel):
    detail: list[Issue]


_WHY = {
    400: "refused: the reason is in `detail`",
    401: "no credentials, wrong ones, or a revoked device",
    403: "refused: an enrolment code that is unknown, used or expired",
    404: "not found",
    413: "request body over this route's limit",
    422: "invalid request: which field, and why",
    429: "too many requests or failed authentications: wait Retry-After seconds",
    503: "database busy or unavailable (nothing was stored): retry after Retry-After seconds",
}
_SECONDS = {"description": "seconds to wait", "required": True,
            "schema": {"type": "integer", "minimum": 1}}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses` of FastAPI for these error statuses."""
    answers: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        answer: dict[str, Any] = {"model": ValidationErrorBody if code == 422 else ErrorBody,
                                  "description": _WHY[code]}
        if code in (429, 503):
            answer["headers"] = {"Retry-After": _SECONDS}
        if code == 401:
            answer["headers"] = {"WWW-Authenticate": {"required": True,
                                                      "schema": {"type": "string"}}}
        answers[code] = answer
    return answers


class PublicRoute(APIRoute):
    """No credentials needed. Declares what any route may answer; tagged with who may call."""

    scheme: ClassVar[str | None] = None
    tag: ClassVar[str] = "public"
    errors: ClassVar[tuple[int, ...]] = (413, 422, 503)

    def __init__(self, path: str, endpoint, **kwargs: Any) -> None:
        kwargs["responses"] = {**error_responses(*self.errors), **(kwargs.get("responses") or {})}
        kwargs["tags"] = kwargs.get("tags") or [self.tag]
        if self.scheme:
            kwargs["openapi_extra"] = {"security": [{self.scheme: []}],
                                       **(kwargs.get("openapi_extra") or {})}
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self):
        handler = super().get_route_handler()
        if self.scheme is None:
            return handler
        scheme = self.scheme

        async def authenticated(request: Request):
            gate = request.app.state.gate
            header = request.headers.get("authorization")
            client = client_address(request)
            if scheme == DEVICE_SCHEME:
                request.state.device = await run_in_threadpool(gate.device, header, client)
            else:
                gate.admin(header, client)
            return await handler(request)
        return authenticated


class DeviceRoute(PublicRoute):
    """An enrolled, unrevoked device within its rate; `device_of(request)` is that device."""

    scheme, tag = DEVICE_SCHEME, "device"
    errors = (400, 401, 404, 413, 422, 429, 503)


class AdminRoute(PublicRoute):
    """HQ IT with the admin token."""

    scheme, tag = ADMIN_SCHEME, "admin"
    errors = (400, 401, 404, 413, 422, 429, 503)


def moved_to_post(path: str) -> APIRoute:
    """GET `path` answered 405 with the reason (not in the schema): an old till learns why,
    and `/v1/customers/search` is not taken for `/v1/customers/{customer_id}`."""
    def moved() -> None:
        raise HTTPException(405, f"GET {path} is gone: send the search terms in the body of "
                                 f"POST {path}, so they stay out of URLs and access logs",
                            headers={"Allow": "POST"})
    return APIRoute(path, moved, methods=["GET"], include_in_schema=False)


def client_address(request: Request) -> str:
    """The client's address as uvicorn gives it: the TCP peer, or what a trusted proxy said."""
    return request.client.host if request.client else "unknown"


def device_of(request: Request) -> AuthenticatedDevice:
    """The device a DeviceRoute authenticated for this request."""
    return request.state.device
