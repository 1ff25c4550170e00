"""HTTP routes of clienteling (docs/clienteling.md): the 360° profile, likely duplicates, the
store's open tasks, and the manager's list of overdrawn loyalty balances.

Why: the till opens a profile live (audited at HQ) and falls back to its cached book; it
checks for duplicates before creating a customer and lists "My tasks". Device routes are
authenticated and rate-limited through `as_device` (hq/api/app.py); the overdrawn list is an
admin route. Bad input: 422 (FastAPI, with the reason), unknown customer: 404.

Included BEFORE hq/api/lookups.py's router: `/v1/customers/duplicates` and `/tasks` must not
be taken for `/v1/customers/{customer_id}`.

Threads: plain `def` handlers on FastAPI's threadpool; one transaction per request.
"""
from __future__ import annotations

from typing import Callable

from fastapi import APIRouter, Header, Path, Query

from hq.api.lookups import UUID_PATTERN
from hq.services import customer_lists, loyalty, profile
from sync.protocol_customers import CustomerProfile, DuplicateCandidates, TaskList


def router(as_device: Callable, in_transaction: Callable, require_admin: Callable
           ) -> APIRouter:
    r = APIRouter()

    @r.get("/v1/customers/duplicates", response_model=DuplicateCandidates)
    def duplicates(phone: str | None = Query(default=None, max_length=32),
                   email: str | None = Query(default=None, max_length=200),
                   authorization: str | None = Header(default=None)) -> DuplicateCandidates:
        return as_device(authorization, lambda conn, _device: customer_lists.duplicates(
            conn, phone, email))

    @r.get("/v1/customers/tasks", response_model=TaskList)
    def tasks(assigned_to: str | None = Query(default=None, pattern=UUID_PATTERN),
              authorization: str | None = Header(default=None)) -> TaskList:
        return as_device(authorization, lambda conn, device: customer_lists.store_tasks(
            conn, device.store_id, assigned_to.lower() if assigned_to else None))

    @r.get("/v1/customers/{customer_id}/profile", response_model=CustomerProfile)
    def customer_profile(customer_id: str = Path(pattern=UUID_PATTERN),
                         authorization: str | None = Header(default=None)) -> CustomerProfile:
        return as_device(authorization, lambda conn, device: profile.customer_profile(
            conn, device, customer_id))

    @r.get("/v1/admin/loyalty/overdrawn")
    def overdrawn(limit: int = Query(default=1000, ge=1, le=10_000),
                  authorization: str | None = Header(default=None)) -> dict:
        require_admin(authorization)
        return {"customers": in_transaction(lambda conn: loyalty.overdrawn(conn, limit))}

    return r
