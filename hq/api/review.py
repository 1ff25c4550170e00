"""Admin routes for HQ IT and store managers: the sale flags and the cross-store write audit
(hq/services/review.py).

    GET /v1/admin/sale-flags?store=HCM1&kind=price&before=ID&limit=N
    GET /v1/admin/cross-store-writes?store=HCM1&before=ID&limit=N

Both answer {"items": [...newest first], "next_before": id of the next page or null}; `store`
is a store id or code (404 with the reason when unknown). Admin token required (401).

Wired by hq/api/app.py like the other admin routers: the route class (hq/api/routing.py
AdminRoute) checks the admin token before anything is read.

Threads: plain `def` handlers on FastAPI's threadpool; one transaction per request.
"""
from __future__ import annotations

from typing import Annotated, Callable

from fastapi import APIRouter, Query

from hq.api.routing import AdminRoute
from hq.services import review
from hq.services.review import MAX_PAGE
from sync.protocol import MAX_INT64
from sync.text_fields import TextRule

_Text = Annotated[str, TextRule()]  # no control character: a NUL reached PostgreSQL as a 500


def router(in_transaction: Callable) -> APIRouter:
    """The review routes (admin only)."""
    r = APIRouter(route_class=AdminRoute)

    @r.get("/v1/admin/sale-flags")
    def sale_flags(store: _Text | None = Query(default=None, min_length=1, max_length=36),
                   kind: _Text | None = Query(default=None, min_length=1, max_length=32),
                   before: int | None = Query(default=None, ge=1, le=MAX_INT64),
                   limit: int = Query(default=100, ge=1, le=MAX_PAGE)) -> dict:
        return in_transaction(lambda conn: review.sale_flags(conn, store, kind, before, limit))

    @r.get("/v1/admin/cross-store-writes")
    def cross_store_writes(store: _Text | None = Query(default=None, min_length=1,
                                                       max_length=36),
                           before: int | None = Query(default=None, ge=1, le=MAX_INT64),
                           limit: int = Query(default=100, ge=1, le=MAX_PAGE)) -> dict:
        return in_transaction(lambda conn: review.cross_store_writes(conn, store, before,
                                                                     limit))

    return r
