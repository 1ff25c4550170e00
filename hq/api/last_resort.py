"""The answer HQ gives when an endpoint fails unexpectedly: a 500 with a reason, connection kept.

Why: an exception that escapes to uvicorn after Starlette's error middleware answered makes
uvicorn close the connection; the till, reusing that kept-alive connection for its next
request, saw "connection aborted" (HQ unreachable) instead of HQ's 500, and could not tell
"this event makes HQ fail" (hold it aside, send the rest: sync/outbox_pusher.py) from "HQ is
away". Here such an exception is logged with its traceback and answered as a 500 whose body
says nothing was stored (the request's transaction was rolled back), and the connection stays
usable.

Known failures are answered before this (4xx, 413, 422, 503 by their handlers); this catches
what is left: bugs, and database errors that are HQ's, not the event's.

Threads: pure ASGI middleware on the server's event loop.
"""
from __future__ import annotations

import logging

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("hq.api")
DETAIL = "HQ failed on this request and stored nothing of it; try again later"


class LastResort:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:  # noqa: BLE001 - the last answer for anything an endpoint raised
            if started:
                raise  # half a response went out: only closing the connection is honest
            log.exception("%s %s failed", scope.get("method"), scope.get("path"))
            await JSONResponse({"detail": DETAIL}, status_code=500)(scope, receive, send)
