"""HTTP route of the bulk snapshot (hq/services/snapshot.py): GET /v1/snapshot, NDJSON.

Why: a new device downloads its store's current catalog, prices, tax, associates and
customers in one stream instead of replaying the whole change feed (issue 3; the wire format
is in sync/protocol.py). A DeviceRoute like /v1/changes (hq/api/routing.py): authenticated
and rate-limited in its own short transaction before the handler runs; the snapshot is a
separate consistent read that lasts as long as the download.

gzip when the client asks for it (`Accept-Encoding: gzip`): the stream is repetitive JSON and
shrinks about 4x at level 1 (1M products: 419 MB -> 100 MB), which is what a store's uplink
needs; on loopback it made the download slower (measured 3.9-5.1 s plain, 6.1-8.0 s gzip), so
the device asks for it only off loopback (sync/snapshot_loader.py).

Threads: a plain `def` handler on FastAPI's threadpool; it reads the header line itself (a
database that is down answers 503, not a cut stream), then Starlette pulls the rest of the
generator on its threadpool, one chunk line at a time, as fast as the client reads.
"""
from __future__ import annotations

from itertools import chain
from typing import Generator, Iterator

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from sqlalchemy import Engine

from hq.api.routing import DeviceRoute, device_of
from hq.services.pin_verifiers import device_pin_key
from hq.services.snapshot import gzipped, snapshot_lines
from sync.protocol import SNAPSHOT_MEDIA_TYPE


def _accepts_gzip(accept_encoding: str) -> bool:
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip() == "gzip":
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def router(engine: Engine) -> APIRouter:
    """The snapshot route. Associates' PIN hashes leave keyed to the asking device
    (hq/services/pin_verifiers.py)."""
    r = APIRouter(route_class=DeviceRoute)

    @r.get("/v1/snapshot", response_class=StreamingResponse,
           responses={200: {"content": {SNAPSHOT_MEDIA_TYPE: {}},
                            "description": "NDJSON: header, chunk lines, end line"}})
    def snapshot(request: Request) -> StreamingResponse:
        device = device_of(request)
        with engine.connect() as conn:
            pin_key = device_pin_key(conn, device.id)
        lines = snapshot_lines(engine, device.store_id, pin_key=pin_key)
        first = next(lines)  # opens the consistent read here: errors get their status
        body = chain([first], lines)
        headers = {"Cache-Control": "no-store", "Vary": "Accept-Encoding"}
        if _accepts_gzip(request.headers.get("accept-encoding", "")):
            headers["Content-Encoding"] = "gzip"
            body = gzipped(body)
        return _SnapshotResponse(body, lines, media_type=SNAPSHOT_MEDIA_TYPE, headers=headers)

    return r


class _SnapshotResponse(StreamingResponse):
    """Closes the snapshot generator as soon as the response ends, however it ends: a client
    that goes away mid-stream leaves the generator suspended, and without this its database
    read would last until the garbage collector found it."""

    def __init__(self, body: Iterator[bytes], lines: Generator, **kwargs) -> None:
        super().__init__(body, **kwargs)
        self._lines = lines

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await run_in_threadpool(_close, self._lines)


def _close(lines: Generator) -> None:
    try:
        lines.close()  # GeneratorExit at its yield: the read transaction ends, the
    except ValueError:  # connection goes back to the pool; (running elsewhere: GC closes it)
        pass
