"""Notes, follow-up tasks and consent made on the till: local rows + their outbox payloads.

Why: what an associate writes about a shopper must show at once on this till, offline too, and
reach HQ exactly once (docs/clienteling.md: "customer.note_added", "customer.task_upserted",
"customer.consent_recorded"; ids made here, HQ dedupes on them forever). The rows are kept
after the push: the cached profile from HQ will list them too, and readers merge by id.

Thread: writers run on the database worker inside the caller's transaction; readers on any
connection.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, text

from pos_app.services.customer_book import ClientelingError
from pos_app.text_rules import check_text

TOPIC_NOTE_ADDED = "customer.note_added"
TOPIC_TASK_UPSERTED = "customer.task_upserted"
TOPIC_CONSENT_RECORDED = "customer.consent_recorded"
CONSENT_KINDS = ("marketing", "data_use")
CONSENT_CHANNELS = ("in_store", "web", "phone", "email")


@dataclass(frozen=True, slots=True)
class LocalNote:
    id: str
    customer_id: str
    text: str
    associate_id: str
    by: str  # the associate's name ("" when unknown here)
    at: str


@dataclass(frozen=True, slots=True)
class LocalTask:
    id: str
    customer_id: str
    customer_name: str
    text: str
    due_date: str
    status: str  # open | done
    assigned_to: str | None
    assigned_to_name: str | None
    associate_id: str | None  # who created or last changed it
    at: str


@dataclass(frozen=True, slots=True)
class LocalConsent:
    id: str
    customer_id: str
    kind: str
    granted: bool
    channel: str
    associate_id: str | None
    at: str


def check_note(text_: str) -> str:
    text_ = (text_ or "").strip()
    if not text_:
        raise ClientelingError("The note is empty")
    if len(text_) > 2000:
        raise ClientelingError("A note can hold at most 2,000 characters")
    check_text(text_, "note")
    return text_


def check_task(text_: str, due_date: str) -> tuple[str, str]:
    text_ = (text_ or "").strip()
    if not text_:
        raise ClientelingError("Say what is to be done")
    if len(text_) > 500:
        raise ClientelingError("A task can hold at most 500 characters")
    check_text(text_, "task")
    try:
        due = date.fromisoformat(due_date or "")
    except ValueError:
        raise ClientelingError(f"'{due_date}' is not a date (YYYY-MM-DD)") from None
    return text_, due.isoformat()


def check_consent(kind: str, channel: str) -> None:
    if kind not in CONSENT_KINDS:
        raise ClientelingError(f"Unknown consent '{kind}'")
    if channel not in CONSENT_CHANNELS:
        raise ClientelingError(f"Unknown consent channel '{channel}'")


def insert_note(conn: Connection, note: dict) -> None:
    conn.execute(text("INSERT INTO customer_notes(id, customer_id, text, associate_id, store_id,"
                      " at) VALUES (:id, :customer_id, :text, :associate_id, :store_id, :at)"),
                 note)


def upsert_task(conn: Connection, task: dict) -> None:
    conn.execute(text(
        "INSERT INTO customer_tasks(id, customer_id, text, due_date, status, assigned_to,"
        " associate_id, store_id, at) VALUES (:id, :customer_id, :text, :due_date, :status,"
        " :assigned_to, :associate_id, :store_id, :at) ON CONFLICT(id) DO UPDATE SET"
        " text = excluded.text, due_date = excluded.due_date, status = excluded.status,"
        " assigned_to = excluded.assigned_to, associate_id = excluded.associate_id,"
        " at = excluded.at WHERE excluded.at >= customer_tasks.at"), task)


def insert_consent(conn: Connection, consent: dict) -> None:
    conn.execute(text(
        "INSERT INTO customer_consents(id, customer_id, kind, granted, channel, associate_id,"
        " store_id, at) VALUES (:id, :customer_id, :kind, :granted, :channel, :associate_id,"
        " :store_id, :at)"), {**consent, "granted": int(consent["granted"])})


# --- reading ---------------------------------------------------------------------------------
def _names(conn: Connection) -> dict[str, str]:
    return dict(conn.execute(text("SELECT id, name FROM associates")).all())


def notes(conn: Connection, customer_id: str) -> list[LocalNote]:
    names = _names(conn)
    return [LocalNote(r[0], customer_id, r[1], r[2], names.get(r[2], ""), r[3])
            for r in conn.execute(text(
                "SELECT id, text, associate_id, at FROM customer_notes"
                " WHERE customer_id = :c ORDER BY at DESC"), {"c": customer_id})]


def _task(r, names: dict[str, str], customer_name: str) -> LocalTask:
    return LocalTask(r.id, r.customer_id, customer_name, r.text, r.due_date, r.status,
                     r.assigned_to, names.get(r.assigned_to) if r.assigned_to else None,
                     r.associate_id, r.at)


def task(conn: Connection, task_id: str) -> LocalTask | None:
    r = conn.execute(text("SELECT * FROM customer_tasks WHERE id = :id"), {"id": task_id}).first()
    if r is None:
        return None
    return _task(r, _names(conn), customer_name(conn, r.customer_id))


def tasks(conn: Connection, customer_id: str) -> list[LocalTask]:
    names, cname = _names(conn), customer_name(conn, customer_id)
    rows = conn.execute(text("SELECT * FROM customer_tasks WHERE customer_id = :c"
                             " ORDER BY status = 'done', due_date, at"), {"c": customer_id})
    return [_task(r, names, cname) for r in rows]


def consents(conn: Connection, customer_id: str) -> list[LocalConsent]:
    """The latest consent per kind recorded on this till."""
    latest: dict[str, LocalConsent] = {}
    for r in conn.execute(text("SELECT id, kind, granted, channel, associate_id, at"
                               " FROM customer_consents WHERE customer_id = :c ORDER BY at"),
                          {"c": customer_id}):
        latest[r[1]] = LocalConsent(r[0], customer_id, r[1], bool(r[2]), r[3], r[4], r[5])
    return list(latest.values())


def customer_name(conn: Connection, customer_id: str) -> str:
    """Her name from the local book, else from her cached profile, else ""."""
    name = conn.execute(text("SELECT name FROM customers WHERE id = :id"),
                        {"id": customer_id}).scalar()
    if name is None:
        name = conn.execute(text(
            "SELECT json_extract(data, '$.customer.name') FROM customer_profiles"
            " WHERE customer_id = :id AND data IS NOT NULL"), {"id": customer_id}).scalar()
    return name or ""


def my_tasks(conn: Connection, associate_id: str, limit: int = 200) -> list[LocalTask]:
    """Open tasks assigned to `associate_id` or to nobody, soonest due first.

    From the till's own task rows and the open tasks of the cached profiles (HQ's), the
    newer `at` winning when both hold a task; a task done on this till is not listed.
    """
    names = _names(conn)
    merged: dict[str, LocalTask] = {}
    for d in conn.execute(text(
            "SELECT p.customer_id, json_extract(p.data, '$.customer.name'), t.value"
            " FROM customer_profiles p, json_each(p.data, '$.tasks') t"
            " WHERE p.data IS NOT NULL")):
        t = json.loads(d[2])
        merged[t["id"]] = LocalTask(t["id"], d[0], t.get("customer_name") or d[1] or "",
                                    t["text"], t["due_date"], t["status"], t.get("assigned_to"),
                                    t.get("assigned_to_name"), None, t["at"])
    for r in conn.execute(text("SELECT * FROM customer_tasks")):
        held = merged.get(r.id)
        if held is None or r.at >= held.at:
            merged[r.id] = _task(r, names, held.customer_name if held
                                 else customer_name(conn, r.customer_id))
    mine = [t for t in merged.values() if t.status == "open"
            and t.assigned_to in (None, associate_id)]
    mine.sort(key=lambda t: (t.due_date, t.at, t.id))
    return mine[:limit]
