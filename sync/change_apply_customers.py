"""Apply the clienteling entities of the change feed: "customer_profile" and "customer_merge".

Why a module of its own: sync/change_apply.py applies the catalog and the book's `customer`
rows; a cached profile is a JSON document with privacy rules (docs/clienteling.md, "Offline
clienteling book"), kept by pos_app/services/profile_cache.py:

    entity            key            data
    customer_profile  customer id    a CustomerProfile (sync/protocol_customers.py) as JSON.
                                     Cached only with data-use consent: one without it
                                     deletes the held profile. Delete: the profile goes.
    customer_merge    the from_id    {"from_id", "into_id"}: HQ folded from_id into into_id;
                                     the till re-points its notes, tasks, consents and
                                     pending redemptions and drops from_id's book row and
                                     profile (sales keep their id). Delete: ignored.

A profile is validated against CustomerProfile before it is held, so the Customers screen
never meets a shape it cannot read; a bad one raises (ValidationError), which the puller turns
into a FeedError: the page is not applied and the cursor stays.

Thread: the sync worker, inside change_puller's (or the snapshot loader's) transaction.
"""
from __future__ import annotations

from typing import Sequence

from sqlalchemy import Connection

from pos_app.ports import SystemClock, utc_iso
from pos_app.services import profile_cache
from sync.protocol_customers import CustomerProfile

CUSTOMER_ENTITIES = frozenset({"customer_profile", "customer_merge"})


def apply_customer_changes(conn: Connection, entity: str, op: str, changes: Sequence,
                           now: str | None = None) -> int:
    """Apply a run of consecutive changes of one entity and op; the number applied."""
    now = now or utc_iso(SystemClock().now_utc())
    if entity == "customer_profile":
        for change in changes:
            if op == "upsert":
                profile = CustomerProfile.model_validate(change.data or {})
                profile_cache.store_profile(conn, profile.model_dump(mode="json"), now)
            else:
                profile_cache.delete_profile(conn, change.key)
        return len(changes)
    if op != "upsert":
        return 0
    for change in changes:
        d = change.data or {}
        from_id, into_id = d["from_id"], d["into_id"]
        if not from_id or not into_id or from_id == into_id:
            raise ValueError(f"customer_merge {change.key!r} needs two different ids")
        profile_cache.repoint_customer(conn, from_id, into_id)
    return len(changes)
