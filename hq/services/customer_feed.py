"""The `customer` feed entity's data: HQ's customer row plus her sizes and preferences.

Why: HQ is the source of truth for customers; a till's customers table (pos_app/db/models.py,
device migration 0006) holds her contact details, tier, sizes, preferences and home store, so
every `customer` change carries all of them (sync/change_apply.py's table documents the
shape): sizes and preferences as {name: text} objects from `customer_profiles` (values that
are lists joined with ", ", as the 360 profile shows them; {} when HQ has no profile row),
home_store_id as HQ holds it. One reader for every writer of the entity (the customer events,
the book publisher) so the copies never disagree.

Plain functions on a Connection: the caller's thread and transaction.
"""
from __future__ import annotations

import json
from typing import Iterable

from sqlalchemy import Connection, select

from hq.db.models.customers import Customer, CustomerProfile

CHUNK = 900  # ids per IN (...): well under SQLite's variable limit, cheap on PostgreSQL


def chunks(ids: Iterable[str], size: int = CHUNK):
    """`ids` in lists of at most `size` (for IN (...) look-ups)."""
    items = list(ids)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def as_text_map(raw: str | None) -> dict[str, str]:
    """Profile JSON (values may be lists: {"colours": ["xanh", "be"]}) as {name: text}."""
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): ", ".join(map(str, v)) if isinstance(v, list) else str(v)
            for k, v in data.items() if v not in (None, "", [])}


def customer_feed_data(conn: Connection, customer_ids: Iterable[str]) -> dict[str, dict]:
    """customer id -> the `data` of her `customer` change (customers HQ does not hold are
    left out). Two indexed queries per CHUNK ids."""
    out: dict[str, dict] = {}
    for chunk in chunks(dict.fromkeys(customer_ids)):
        rows = conn.execute(
            select(Customer.id, Customer.name, Customer.phone, Customer.email,
                   Customer.loyalty_card, Customer.tier, Customer.home_store_id,
                   CustomerProfile.sizes, CustomerProfile.preferences)
            .outerjoin(CustomerProfile, CustomerProfile.customer_id == Customer.id)
            .where(Customer.id.in_(chunk))).all()
        for r in rows:
            out[r.id] = {"id": r.id, "name": r.name, "phone": r.phone, "email": r.email,
                         "loyalty_card": r.loyalty_card, "tier": r.tier,
                         "sizes": as_text_map(r.sizes),
                         "preferences": as_text_map(r.preferences),
                         "home_store_id": r.home_store_id}
    return out


def feed_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)
