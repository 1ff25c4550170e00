"""What HQ IT and store managers review after the fact: the sale flags (prices far from the
catalog with no approval, missing catalog prices, capped earns, device clocks ahead) and the
audit of cross-store customer writes.

Why (issue 18): HQ keeps a sale whose money was taken even when something about it looks
wrong, and lets a visiting customer's data be written where she is; both are only safe if
someone looks. Keyset pages (newest first, `before` = the smallest id of the previous page),
so a long history costs one indexed range read per page, never an OFFSET scan.

Read-only functions on a Connection: run on a request thread (hq/api/review.py) or the CLI.
"""
from __future__ import annotations

import json

from sqlalchemy import Connection, or_, select

from hq.db.models.devices import Device
from hq.db.models.organisation import Store
from hq.db.models.sales import CrossStoreWrite, Sale, SaleFlag
from hq.services.common import NotFound

MAX_PAGE = 500


def store_id_of(conn: Connection, store: str) -> str:
    """A store named by its id or its code ("HCM1"); NotFound (404) when HQ has neither."""
    found = conn.execute(select(Store.id).where(or_(Store.id == store, Store.code == store))
                         ).scalar()
    if found is None:
        raise NotFound(f"store {store!r} not found")
    return found


def _page(rows: list[dict], limit: int) -> dict:
    return {"items": rows, "next_before": rows[-1]["id"] if len(rows) == limit else None}


def sale_flags(conn: Connection, store: str | None = None, kind: str | None = None,
               before: int | None = None, limit: int = 100) -> dict:
    """Flags newest first, with the sale's receipt number, total and device; filtered by
    store (id or code) and kind."""
    limit = max(1, min(limit, MAX_PAGE))
    q = (select(SaleFlag.id, SaleFlag.kind, SaleFlag.reason, SaleFlag.detail, SaleFlag.at,
                SaleFlag.sale_id, SaleFlag.line_id, SaleFlag.store_id, Store.code.label(
                    "store_code"), SaleFlag.device_id, Device.device_code, Sale.receipt_no,
                Sale.total, Sale.currency, Sale.created_at.label("sale_created_at"))
         .join(Store, Store.id == SaleFlag.store_id)
         .outerjoin(Device, Device.id == SaleFlag.device_id)
         .outerjoin(Sale, Sale.id == SaleFlag.sale_id)
         .order_by(SaleFlag.id.desc()).limit(limit))
    if store is not None:
        q = q.where(SaleFlag.store_id == store_id_of(conn, store))
    if kind is not None:
        q = q.where(SaleFlag.kind == kind)
    if before is not None:
        q = q.where(SaleFlag.id < before)
    rows = [{**r._mapping, "detail": json.loads(r.detail or "{}")} for r in conn.execute(q)]
    return _page(rows, limit)


def cross_store_writes(conn: Connection, store: str | None = None,
                       before: int | None = None, limit: int = 100) -> dict:
    """The cross-store audit newest first; `store` (id or code) matches the writing store
    or the store whose data was written."""
    limit = max(1, min(limit, MAX_PAGE))
    owner = Store.__table__.alias("owner")
    q = (select(CrossStoreWrite.id, CrossStoreWrite.at, CrossStoreWrite.action,
                CrossStoreWrite.customer_id, CrossStoreWrite.event_id,
                CrossStoreWrite.device_id, Device.device_code, CrossStoreWrite.store_id,
                Store.code.label("store_code"), CrossStoreWrite.owner_store_id,
                owner.c.code.label("owner_store_code"), CrossStoreWrite.detail)
         .join(Store, Store.id == CrossStoreWrite.store_id)
         .join(owner, owner.c.id == CrossStoreWrite.owner_store_id)
         .outerjoin(Device, Device.id == CrossStoreWrite.device_id)
         .order_by(CrossStoreWrite.id.desc()).limit(limit))
    if store is not None:
        sid = store_id_of(conn, store)
        q = q.where(or_(CrossStoreWrite.store_id == sid, CrossStoreWrite.owner_store_id == sid))
    if before is not None:
        q = q.where(CrossStoreWrite.id < before)
    rows = [{**r._mapping, "detail": json.loads(r.detail or "{}")} for r in conn.execute(q)]
    return _page(rows, limit)
