"""HTTP routes of the live look-ups (hq/services/lookups.py): customer search and profile,
stock in every store, web order by number.

Why: later screens (clienteling, stock elsewhere, BOPIS) ask HQ live with short timeouts and
fall back to the device cache (DESIGN.md §4). Every route is device-authenticated and
rate-limited per device through the app's `as_device` (hq/api/app.py), validated by FastAPI
(422 with a reason), and refused by the service with 4xx reasons (404 unknown customer/SKU/
order), never a 500.

Threads: plain `def` handlers, run on FastAPI's threadpool; one transaction per request.
"""
from __future__ import annotations

from typing import Callable

from fastapi import APIRouter, Header, Path, Query

from hq.services import lookups
from sync.protocol import (MAX_CUSTOMER_SEARCH, CustomerDetail, CustomerSearchResult,
                           StockResult, WebOrder)

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


def router(as_device: Callable) -> APIRouter:
    """The look-up routes; `as_device(authorization, fn(conn, device))` authenticates,
    rate-limits and runs `fn` in one transaction."""
    r = APIRouter()

    @r.get("/v1/customers/search", response_model=CustomerSearchResult)
    def search_customers(q: str = Query(min_length=1, max_length=lookups.MAX_QUERY),
                         limit: int = Query(default=20, ge=1, le=MAX_CUSTOMER_SEARCH),
                         authorization: str | None = Header(default=None)
                         ) -> CustomerSearchResult:
        return as_device(authorization,
                         lambda conn, _device: lookups.search_customers(conn, q, limit))

    @r.get("/v1/customers/{customer_id}", response_model=CustomerDetail)
    def customer(customer_id: str = Path(pattern=UUID_PATTERN),
                 authorization: str | None = Header(default=None)) -> CustomerDetail:
        return as_device(authorization, lambda conn, device: lookups.customer_detail(
            conn, device, customer_id.lower()))

    @r.get("/v1/stock", response_model=StockResult)
    def stock(sku: str = Query(min_length=1, max_length=64),
              authorization: str | None = Header(default=None)) -> StockResult:
        return as_device(authorization, lambda conn, _device: lookups.stock(conn, sku))

    @r.get("/v1/orders/{number}", response_model=WebOrder)
    def web_order(number: str = Path(min_length=1, max_length=40,
                                     pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$"),
                  authorization: str | None = Header(default=None)) -> WebOrder:
        return as_device(authorization, lambda conn, _device: lookups.web_order(conn, number))

    return r
