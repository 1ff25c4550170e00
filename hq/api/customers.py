"""HTTP routes of clienteling (docs/clienteling.md): the 360° profile, likely duplicates and the
store's open tasks. (The admin's list of overdrawn loyalty balances is in hq/api/admin.py.)

Why: the till opens a profile live (audited at HQ) and falls back to its cached book; it
checks for duplicates before creating a customer and lists "My tasks". Every route is a
DeviceRoute (authenticated and rate-limited before anything is read). The phone and e-mail of
a duplicates check travel in a POST body (sync/protocol_lookups.py): in a query string they
were written to HQ's access log. Bad input: 422 naming the field; unknown customer: 404.

Included BEFORE hq/api/lookups.py's router: `/v1/customers/duplicates` and `/tasks` must not
be taken for `/v1/customers/{customer_id}`.

Threads: plain `def` handlers on FastAPI's threadpool; one transaction per request.
"""
from __future__ import annotations

from typing import Callable

from fastapi import APIRouter, Path, Query, Request

from hq.api.routing import DeviceRoute, device_of, moved_to_post
from hq.services import customer_lists, profile
from sync.protocol import UUID_PATTERN
from sync.protocol_customers import CustomerProfile, DuplicateCandidates, TaskList
from sync.protocol_lookups import DuplicatesRequest


def router(in_transaction: Callable) -> APIRouter:
    r = APIRouter(route_class=DeviceRoute)

    @r.post("/v1/customers/duplicates", response_model=DuplicateCandidates)
    def duplicates(body: DuplicatesRequest) -> DuplicateCandidates:
        return in_transaction(lambda conn: customer_lists.duplicates(conn, body.phone,
                                                                     body.email))

    r.routes.append(moved_to_post("/v1/customers/duplicates"))

    @r.get("/v1/customers/tasks", response_model=TaskList)
    def tasks(request: Request, assigned_to: str | None = Query(default=None,
                                                                 pattern=UUID_PATTERN)
              ) -> TaskList:
        device = device_of(request)
        return in_transaction(lambda conn: customer_lists.store_tasks(
            conn, device.store_id, assigned_to.lower() if assigned_to else None))

    @r.get("/v1/customers/{customer_id}/profile", response_model=CustomerProfile)
    def customer_profile(request: Request, customer_id: str = Path(pattern=UUID_PATTERN)
                         ) -> CustomerProfile:
        device = device_of(request)
        return in_transaction(lambda conn: profile.customer_profile(
            conn, device, customer_id.lower()))

    return r
