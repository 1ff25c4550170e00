"""What the manager's Sync screen lists and does: events not yet at HQ, events HQ refused,
events held at the till, and "Retry held events".

Why: DESIGN.md §4 — a poison event is quarantined and shown, never silently dropped, and a
manager must see what is waiting before closing the day. Runs on the database worker (or
a test).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Engine, text


@dataclass(frozen=True, slots=True)
class OutboxRow:
    position: int
    event_id: str
    topic: str
    status: str  # "pending" | "quarantined" | "held" (HQ failed on it alone; sync/outbox_pusher)
    created_at: str  # UTC
    attempts: int
    last_error: str | None
    receipt_no: str | None  # for sale events: what the manager recognises
    total: int | None


@dataclass(frozen=True, slots=True)
class OutboxOverview:
    pending: int
    quarantined: int
    sent: int
    rows: tuple[OutboxRow, ...]  # quarantined and held first, then the oldest pending
    held: int = 0


def outbox_overview(reader: Engine, limit: int = 200) -> OutboxOverview:
    with reader.connect() as conn:
        counts = dict(conn.execute(text(
            "SELECT status, count(*) FROM outbox GROUP BY status")).all())
        rows = conn.execute(text(
            "SELECT position, id, topic, status, created_at, attempts, last_error, payload"
            " FROM outbox WHERE status IN ('quarantined', 'held', 'pending')"
            " ORDER BY status = 'pending', position LIMIT :limit"), {"limit": limit}).all()
    out = []
    for position, event_id, topic, status, created_at, attempts, last_error, payload in rows:
        sale = json.loads(payload).get("sale") or {}
        out.append(OutboxRow(position, event_id, topic, status, created_at, attempts,
                             last_error, sale.get("receipt_no"), sale.get("total")))
    return OutboxOverview(counts.get("pending", 0), counts.get("quarantined", 0),
                          counts.get("sent", 0), tuple(out), counts.get("held", 0))


def release_held(writer: Engine) -> int:
    """A manager's "Retry held events": events the sync held aside at the till (HQ failed on
    them alone, sync/outbox_pusher.py) go back to the queue in their place, so the next sync
    sends them. Returns how many. Runs on the database worker."""
    with writer.begin() as conn:
        return conn.execute(text("UPDATE outbox SET status = 'pending' WHERE status = 'held'")
                            ).rowcount
