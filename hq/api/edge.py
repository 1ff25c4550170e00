"""What HQ does with a request before any endpoint trusts it: the body limit and short errors.

Why (issue 18): a chunked POST of 200 MB without credentials was read whole, validated and
answered with a 1 GB validation error echoing it (HQ grew from 222 MB to 3.4 GB).

- `BodyLimit` is pure ASGI: it counts the body's bytes as they arrive, chunked or not, and
  answers 413 as soon as the path's limit is passed, without reading further (a declared
  Content-Length over the limit is refused before a byte is read). A response given before the
  body was read whole says `Connection: close`, so uvicorn closes the connection instead of
  reading the rest of an upload nobody wants.
- `validation_error` answers a 422 that names the fields and never echoes more than a short
  excerpt of the input: at most MAX_ERRORS errors, each input cut to EXCERPT characters (bytes
  that are not UTF-8 are shown replaced, not re-encoded).

Threads: the middleware and the handler run on the server's event loop; both are cheap.
"""
from __future__ import annotations

import reprlib
from typing import Any

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_ERRORS = 20
EXCERPT = 100
_repr = reprlib.Repr()  # bounded: a container's excerpt never walks the whole input
_repr.maxlevel, _repr.maxdict, _repr.maxlist, _repr.maxtuple, _repr.maxset = 2, 4, 4, 4, 4
_repr.maxstring, _repr.maxother, _repr.maxlong = 60, 60, 40


class BodyTooLarge(HTTPException):
    """Raised from `receive` when the body passes its limit. An HTTPException, so that FastAPI's
    body reading lets it through and its handler answers the 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes",
                         headers={"Connection": "close"})


class BodyLimit:
    """Pure ASGI middleware: request bodies of at most `limits[path]` (else `default`) bytes."""

    def __init__(self, app: ASGIApp, default: int, limits: dict[str, int] | None = None) -> None:
        self.app, self.default, self.limits = app, default, dict(limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.default)
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            reason = (f"request body larger than {limit} bytes" if length.isdigit()
                      else "Content-Length is not a number")
            await JSONResponse({"detail": reason}, 413, headers={"Connection": "close"})(
                scope, receive, send)
            return
        received = 0
        unread = (length not in (None, "0")) or "transfer-encoding" in headers

        async def limited_receive() -> Message:
            nonlocal received, unread
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
                if not message.get("more_body", False):
                    unread = False
            return message

        async def closing_send(message: Message) -> None:
            if message["type"] == "http.response.start" and unread:
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"connection" for name, _ in headers):
                    message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        try:
            await self.app(scope, limited_receive, closing_send)
        except BodyTooLarge as exc:  # raised outside an endpoint (a middleware read the body)
            await JSONResponse({"detail": exc.detail}, 413, headers={"Connection": "close"})(
                scope, receive, send)


def excerpt(value: Any) -> Any:
    """A short stand-in for an input echoed in an error: scalars as they are (long ones cut),
    bytes decoded with replacement, containers as a bounded repr."""
    if value is None or isinstance(value, (bool, float)):
        return value
    if isinstance(value, int):
        return value if abs(value) < 10 ** 18 else _cut(str(value))
    if isinstance(value, (bytes, bytearray)):
        return _cut(bytes(value[:EXCERPT * 4]).decode("utf-8", "replace"))
    if isinstance(value, str):
        return _cut(value)
    return _cut(_repr.repr(value))


def _cut(text: str, size: int = EXCERPT) -> str:
    return text if len(text) <= size else text[:size] + "…"


def _short_error(error: dict) -> dict:
    short = {"type": str(error.get("type", "invalid"))[:60],
             "loc": [part if isinstance(part, int) else _cut(str(part))
                     for part in error.get("loc", ())][:10],
             "msg": _cut(str(error.get("msg", "")), 300)}
    if "input" in error:
        short["input"] = excerpt(error["input"])
    return short


def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 with the first MAX_ERRORS errors, inputs cut to excerpts."""
    errors = list(exc.errors())
    shown = [_short_error(e) for e in errors[:MAX_ERRORS]]
    if len(errors) > MAX_ERRORS:
        shown.append({"type": "too_many_errors", "loc": [],
                      "msg": f"{len(errors) - MAX_ERRORS} more errors not shown"})
    return JSONResponse({"detail": shown}, status_code=422)
