"""A customer's profile row (sizes, preferences, consents), made when her first event needs it.

Why a module of its own: customer events (hq/services/customer_events.py) and the notes, tasks
and consent they hand on (hq/services/customer_activity.py) both create it; one definition
that both import, so neither imports the other.

Runs on the push request's thread inside the event's SAVEPOINT.
"""
from __future__ import annotations

import json

from sqlalchemy import Connection, insert, select

from hq.db.models.customers import CustomerProfile
from hq.services.common import utc_iso


def ensure_profile(conn: Connection, cid: str, since: str, sizes: dict | None = None,
                    preferences: dict | None = None) -> None:
    if conn.execute(select(CustomerProfile.customer_id).where(
            CustomerProfile.customer_id == cid)).first() is None:
        conn.execute(insert(CustomerProfile), [{
            "customer_id": cid, "sizes": json.dumps(sizes or {}, ensure_ascii=False),
            "preferences": json.dumps(preferences or {}, ensure_ascii=False),
            "customer_since": since[:32], "marketing_opt_in": 0, "data_use_consent": 0,
            "updated_at": utc_iso()}])
