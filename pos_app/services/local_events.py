"""Writing an outbox event and an audit row inside the caller's transaction.

Why: every clienteling change made on the till (a customer created or edited, a note, a task,
a consent) must reach HQ exactly like a sale does: an outbox row written in the SAME local
transaction as the rows the till shows, so a crash leaves both or neither (DESIGN.md §3-4).
sync/outbox_pusher.py pushes any topic in `position` order.

Thread: the database worker, inside the caller's `engine.begin()`.
"""
from __future__ import annotations

import json
import uuid

from sqlalchemy import Connection, text


def add_outbox_event(conn: Connection, topic: str, payload: dict, at: str) -> str:
    """Queue `payload` under `topic` for HQ; the event id (device-made UUID)."""
    event_id = str(uuid.uuid4())
    conn.execute(text(
        "INSERT INTO outbox(id, topic, payload, created_at, status, attempts)"
        " VALUES (:id, :topic, :payload, :at, 'pending', 0)"),
        {"id": event_id, "topic": topic, "at": at,
         "payload": json.dumps(payload, ensure_ascii=False)})
    return event_id


def add_audit(conn: Connection, action: str, actor_id: str | None, ref_id: str | None,
              at: str, detail: dict | None = None) -> None:
    """One audit_log row: who did `action` to `ref_id` (never a PIN, never contact data)."""
    conn.execute(text(
        "INSERT INTO audit_log(id, at, action, actor_id, approved_by, ref_id, detail)"
        " VALUES (:id, :at, :action, :actor, NULL, :ref, :detail)"),
        {"id": str(uuid.uuid4()), "at": at, "action": action, "actor": actor_id,
         "ref": ref_id, "detail": json.dumps(detail or {}, ensure_ascii=False)})
