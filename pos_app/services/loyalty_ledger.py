"""The till's ledger of points it redeemed, until HQ's profile shows them booked.

Why (docs/clienteling.md, "Loyalty"): the balance the till knows comes from HQ (a live
profile, or the cached one) and lags behind the till's own redemptions still in the outbox or
not yet in the profile. Each redemption is a row keyed by its payment id (= HQ's ledger entry
id); it is "booked" once a profile from HQ lists that entry. The points the till may still use
are the profile's balance minus the unbooked rows, so a retried push or a profile arriving
twice or out of order never changes the answer: booking is sticky and idempotent, and the
profile cache keeps the newest profile only (profile_cache.py).

Thread: the database worker (checkout, profile cache) or any reader for the sums.
"""
from __future__ import annotations

import json
from typing import Iterable

from sqlalchemy import Connection, text

_CHUNK = 500


def record_redemptions(conn: Connection, sale_id: str, customer_id: str,
                       redemptions: Iterable[tuple[str, int, bool]], at: str,
                       store_day: str) -> None:
    """Write (payment id, points, offline) of a sale's loyalty payments, in its transaction.

    A redemption the cached profile already lists is booked at once (cannot normally
    happen: HQ only learns of it from this till's push, which follows the commit).
    """
    rows = [{"id": pid, "sale": sale_id, "c": customer_id, "p": points, "off": int(offline),
             "day": store_day, "at": at} for pid, points, offline in redemptions]
    if not rows:
        return
    conn.execute(text(
        "INSERT INTO loyalty_redemptions(id, sale_id, customer_id, points, offline, store_day,"
        " at, booked) VALUES (:id, :sale, :c, :p, :off, :day, :at, 0)"
        " ON CONFLICT(id) DO NOTHING"), rows)
    data = conn.execute(text("SELECT data FROM customer_profiles WHERE customer_id = :c"
                             " AND data IS NOT NULL"), {"c": customer_id}).scalar()
    if data:
        entries = (json.loads(data).get("loyalty") or {}).get("entries") or ()
        mark_booked(conn, [e["id"] for e in entries if e.get("id")])


def mark_booked(conn: Connection, entry_ids: Iterable[str]) -> None:
    """HQ's ledger holds these entries: the till's redemptions among them are booked."""
    ids = list(dict.fromkeys(entry_ids))
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        conn.exec_driver_sql(
            f"UPDATE loyalty_redemptions SET booked = 1 WHERE booked = 0 AND id IN"
            f" ({','.join('?' * len(chunk))})", tuple(chunk))


def pending_points(conn: Connection, customer_id: str,
                   booked_elsewhere: frozenset[str] = frozenset()) -> int:
    """Points this till redeemed for her that HQ's profile does not show yet.

    `booked_elsewhere`: entry ids a live answer just listed (not yet marked in the table).
    """
    rows = conn.execute(text("SELECT id, points FROM loyalty_redemptions"
                             " WHERE customer_id = :c AND booked = 0"), {"c": customer_id}).all()
    return sum(points for rid, points in rows if rid not in booked_elsewhere)


def offline_used(conn: Connection, customer_id: str, store_day: str) -> int:
    """Points redeemed for her on this till without HQ during `store_day`."""
    return int(conn.execute(text(
        "SELECT coalesce(sum(points), 0) FROM loyalty_redemptions WHERE customer_id = :c"
        " AND offline = 1 AND store_day = :d"), {"c": customer_id, "d": store_day}).scalar())
