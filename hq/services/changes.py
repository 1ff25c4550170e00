"""The per-store change feed that devices pull (DESIGN.md §4).

Why: a device asks for everything after its cursor; it gets its store's rows and the rows for
every store (store_id NULL), in `seq` order, a page at a time. `next_cursor` is the last seq
returned (or the cursor given when nothing is new), so a device that crashes mid-apply simply
asks again from the cursor it committed.

Read-only; runs on a request thread.
"""
from __future__ import annotations

import json

from sqlalchemy import Connection, or_, select

from hq.db.models.organisation import ChangeLog
from hq.services import pin_verifiers
from sync.protocol import MAX_CHANGE_PAGE, Change, ChangePage


def changes(conn: Connection, store_id: str, cursor: int = 0, limit: int = 1000, *,
            pin_key: bytes | None = None) -> ChangePage:
    """A page of the store's feed. `pin_key`: the asking device's key; associates' PIN hashes
    then leave as verifiers keyed to it (hq/services/pin_verifiers.py). The API always gives
    it; None (the feed as stored) is for HQ's own tests and tools."""
    limit = max(1, min(limit, MAX_CHANGE_PAGE))
    rows = conn.execute(
        select(ChangeLog.seq, ChangeLog.entity, ChangeLog.op, ChangeLog.key, ChangeLog.data)
        .where(or_(ChangeLog.store_id == store_id, ChangeLog.store_id.is_(None)),
               ChangeLog.seq > cursor)
        .order_by(ChangeLog.seq).limit(limit + 1)).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    page = [Change(seq=r.seq, entity=r.entity, op=r.op, key=r.key,
                   data=json.loads(r.data) if r.data is not None else None) for r in rows]
    if pin_key is not None:
        page = [pin_verifiers.keyed_change(c, pin_key) for c in page]
    return ChangePage(changes=page, next_cursor=rows[-1].seq if rows else cursor,
                      has_more=has_more)
