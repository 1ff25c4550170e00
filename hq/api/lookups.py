"""HTTP routes of the live look-ups (hq/services/lookups.py): customer search and contact
details, stock in every store, web order by number.

Why: later screens (clienteling, stock elsewhere, BOPIS) ask HQ live with short timeouts and
fall back to the device cache (DESIGN.md §4). Every route is a DeviceRoute (authenticated and
rate-limited before anything is read, hq/api/routing.py), validated by FastAPI (422 naming the
field) and refused by the service with 4xx reasons (404 unknown customer/SKU/order), never a
500. What is typed to find a shopper (often her phone or e-mail) travels in a POST body, not
in the URL that access logs keep (sync/protocol_lookups.py); the old GET form answers 405.

Threads: plain `def` handlers, run on FastAPI's threadpool; one transaction per request.
"""
from __future__ import annotations

from typing import Annotated, Callable

from fastapi import APIRouter, Path, Query, Request

from hq.api.routing import DeviceRoute, device_of, moved_to_post
from hq.services import lookups
from sync.protocol import UUID_PATTERN, CustomerDetail, CustomerSearchResult, StockResult, WebOrder
from sync.protocol_lookups import CustomerSearchRequest
from sync.text_fields import TextRule


def router(in_transaction: Callable) -> APIRouter:
    r = APIRouter(route_class=DeviceRoute)

    @r.post("/v1/customers/search", response_model=CustomerSearchResult)
    def search_customers(body: CustomerSearchRequest) -> CustomerSearchResult:
        return in_transaction(lambda conn: lookups.search_customers(conn, body.q, body.limit))

    r.routes.append(moved_to_post("/v1/customers/search"))

    @r.get("/v1/customers/{customer_id}", response_model=CustomerDetail)
    def customer(request: Request, customer_id: str = Path(pattern=UUID_PATTERN)
                 ) -> CustomerDetail:
        device = device_of(request)
        return in_transaction(lambda conn: lookups.customer_detail(
            conn, device, customer_id.lower()))

    @r.get("/v1/stock", response_model=StockResult)
    def stock(sku: Annotated[str, TextRule("sku", non_blank=True),
                             Query(min_length=1, max_length=64)]) -> StockResult:
        return in_transaction(lambda conn: lookups.stock(conn, sku))

    @r.get("/v1/orders/{number}", response_model=WebOrder)
    def web_order(number: str = Path(min_length=1, max_length=40,
                                     pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")) -> WebOrder:
        return in_transaction(lambda conn: lookups.web_order(conn, number))

    return r
