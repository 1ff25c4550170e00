"""The cached 360° profiles of the offline clienteling book, their eviction and consent rules.

Why (docs/clienteling.md, "Offline clienteling book"): without HQ the associate still sees a
shopper's profile, from the JSON HQ published (feed entity "customer_profile", shape
sync.protocol_customers.CustomerProfile) or the last live one opened here. Privacy rules:
- never cached without data-use consent: a profile arriving without it deletes the held one;
- evicted when she was not seen (profile open, sale) for `clienteling_cache_days` (default 90):
  the data goes, the row stays as a marker so HQ's next republish does not bring it back
  until she is seen again (a live open re-caches it);
- a newer profile (by `as_of`) is never replaced by an older one, so a live profile and the
  feed may arrive in any order (and the loyalty ledger stays consistent, loyalty_ledger.py).
Opening a cached profile writes an audit row "customer.profile_viewed" (HQ audits live reads).

Thread: the database worker or the sync worker, inside the caller's transaction; `read_*` on
any connection.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import Connection, text

from pos_app.services.local_events import add_audit
from pos_app.services.loyalty_ledger import mark_booked
from pos_app.store_context import read_setting

CACHE_DAYS_SETTING = "clienteling_cache_days"
DEFAULT_CACHE_DAYS = 90
PROFILE_VIEWED = "customer.profile_viewed"


def has_data_use_consent(profile: dict) -> bool:
    return any(c.get("kind") == "data_use" and c.get("granted") is True
               for c in profile.get("consents") or ())


def store_profile(conn: Connection, profile: dict, now: str, *, seen: bool = False) -> bool:
    """Cache `profile` (CustomerProfile as JSON) unless consent or the rules above forbid it.

    Returns whether the profile is now held. `seen`: she was just looked at (a live open),
    which also revives an evicted profile.
    """
    customer_id = profile["customer"]["id"]
    if not has_data_use_consent(profile):
        delete_profile(conn, customer_id)
        return False
    held = conn.execute(text("SELECT data IS NOT NULL, as_of FROM customer_profiles"
                             " WHERE customer_id = :c"), {"c": customer_id}).first()
    as_of = profile.get("as_of")
    if held is not None:
        evicted, held_as_of = not held[0], held[1]
        if evicted and not seen:
            return False
        if not evicted and held_as_of and as_of and as_of < held_as_of:
            if seen:
                touch(conn, customer_id, now)
            return True  # an older copy: keep the newer one held
    conn.execute(text(
        "INSERT INTO customer_profiles(customer_id, data, as_of, received_at, last_seen_at)"
        " VALUES (:c, :data, :as_of, :now, :now) ON CONFLICT(customer_id) DO UPDATE SET"
        " data = excluded.data, as_of = excluded.as_of, received_at = excluded.received_at"
        + (", last_seen_at = excluded.last_seen_at" if seen else "")),
        {"c": customer_id, "data": json.dumps(profile, ensure_ascii=False), "as_of": as_of,
         "now": now})
    loyalty = profile.get("loyalty") or {}
    mark_booked(conn, [e["id"] for e in loyalty.get("entries") or () if e.get("id")])
    return True


def delete_profile(conn: Connection, customer_id: str) -> None:
    conn.execute(text("DELETE FROM customer_profiles WHERE customer_id = :c"), {"c": customer_id})


def read_profile(conn: Connection, customer_id: str) -> dict | None:
    """Her cached profile as JSON, or None (never cached, evicted or consent withdrawn)."""
    data = conn.execute(text("SELECT data FROM customer_profiles WHERE customer_id = :c"
                             " AND data IS NOT NULL"), {"c": customer_id}).scalar()
    return json.loads(data) if data else None


def touch(conn: Connection, customer_id: str, now: str) -> None:
    """She was seen (profile open, sale): restart her eviction clock."""
    conn.execute(text("UPDATE customer_profiles SET last_seen_at = :now WHERE customer_id = :c"),
                 {"c": customer_id, "now": now})


def record_view(conn: Connection, customer_id: str, associate_id: str, source: str,
                now: str) -> None:
    """A profile was shown: audit a read from the cache, and count her as seen."""
    if source != "live":
        add_audit(conn, PROFILE_VIEWED, associate_id, customer_id, now, {"source": source})
    touch(conn, customer_id, now)


def evict_unseen(conn: Connection, now: datetime) -> int:
    """Drop the data of profiles not seen for the store's `clienteling_cache_days`; how many."""
    days = int(read_setting(conn, CACHE_DAYS_SETTING, DEFAULT_CACHE_DAYS))
    cutoff = (now.astimezone(timezone.utc) - timedelta(days=days)).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ")
    return conn.execute(text(
        "UPDATE customer_profiles SET data = NULL, as_of = NULL"
        " WHERE last_seen_at < :cutoff AND data IS NOT NULL"), {"cutoff": cutoff}).rowcount


def repoint_customer(conn: Connection, from_id: str, into_id: str) -> None:
    """HQ merged `from_id` into `into_id`: move the till's own rows to the survivor.

    Sales keep the id they were made with (HQ resolves merged ids). The merged customer's
    book row and cached profile go: HQ publishes the survivor's.
    """
    for table in ("customer_notes", "customer_tasks", "customer_consents",
                  "loyalty_redemptions"):
        conn.execute(text(f"UPDATE {table} SET customer_id = :into WHERE customer_id = :from"),
                     {"into": into_id, "from": from_id})
    delete_profile(conn, from_id)
    pk = conn.execute(text("SELECT pk FROM customers WHERE id = :id"), {"id": from_id}).scalar()
    if pk is not None:
        conn.execute(text("DELETE FROM customer_fts WHERE rowid = :pk"), {"pk": pk})
        conn.execute(text("DELETE FROM customers WHERE pk = :pk"), {"pk": pk})
