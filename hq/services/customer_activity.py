"""Notes, tasks and consent records a till pushes about a customer.

Why: notes are appended (deduplicated forever by their device-made id), tasks upserted by id
(the latest `at` wins; a tie goes to the event HQ receives later), consent records appended
to the log, whose latest record per kind is kept current in `customer_profiles` (what the
profile and the clienteling book read). Each write marks the customer for the book
publisher (`book_pending`). Which store may write what, and the audit of cross-store writes,
are hq/services/customer_scope.py: the payload's store and associate were checked before
these run; here the data's owner decides (a visiting customer's data is audited; a task of
another store's list only changes status).

`at` arguments are the event's time as HQ stores it (hq/services/device_time.py), `now` HQ's
receive time.

Runs on the push request's thread inside the event's SAVEPOINT (hq/services/ingest.py).
"""
from __future__ import annotations

from sqlalchemy import Connection, insert, select, update

from hq.db.models.customers import (ConsentRecord, Customer, CustomerNote, CustomerProfile,
                                    CustomerTask)
from hq.services.customer_profile_rows import ensure_profile
from hq.services.customer_scope import audit, check_actor, other_home
from hq.services.enrolment import AuthenticatedDevice
from sync.protocol_customers import ConsentRecorded, NoteAdded, TaskUpserted


def add_note(conn: Connection, device: AuthenticatedDevice, event_id: str, p: NoteAdded,
             cid: str, at: str, now: str) -> list[str]:
    """Append the note to customer `cid` (merges resolved); the customers to re-publish."""
    if conn.execute(select(CustomerNote.id).where(CustomerNote.id == p.id.lower())).first():
        return []  # the same note through another event: deduplicated forever
    conn.execute(insert(CustomerNote), [{
        "id": p.id.lower(), "customer_id": cid, "text": p.text,
        "associate_id": p.associate_id.lower(), "store_id": device.store_id, "at": at}])
    owner = other_home(conn, device, cid)
    if owner:
        audit(conn, device, event_id, cid, owner, "customer.note_added", now,
              note_id=p.id.lower())
    return [cid]


def upsert_task(conn: Connection, device: AuthenticatedDevice, event_id: str, p: TaskUpserted,
                cid: str, at: str, now: str) -> list[str]:
    """Create or update the task (latest `at` wins). A task held in another store's list is
    only marked done or reopened, and stays in that list."""
    tid = p.id.lower()
    held = conn.execute(select(CustomerTask.at, CustomerTask.store_id, CustomerTask.customer_id)
                        .where(CustomerTask.id == tid)).first()
    if held is not None and held.store_id != device.store_id:
        if at < held.at:
            return []
        conn.execute(update(CustomerTask).where(CustomerTask.id == tid).values(
            status=p.status, associate_id=p.associate_id.lower(), at=at))
        audit(conn, device, event_id, held.customer_id, held.store_id,
              "customer.task_upserted", now, task_id=tid, status=p.status, fields=["status"])
        return [held.customer_id]
    check_actor(conn, device, None, [("assigned_to", p.assigned_to)])
    values = {"customer_id": cid, "text": p.text, "due_date": p.due_date, "status": p.status,
              "assigned_to": p.assigned_to.lower() if p.assigned_to else None,
              "associate_id": p.associate_id.lower(), "store_id": device.store_id, "at": at}
    if held is None:
        conn.execute(insert(CustomerTask), [{"id": tid, "created_by": values["associate_id"],
                                             **values}])
    elif at >= held.at:  # the latest `at` wins; a tie goes to the later event
        conn.execute(update(CustomerTask).where(CustomerTask.id == tid).values(**values))
    else:
        return []
    owner = other_home(conn, device, cid)
    if owner:
        audit(conn, device, event_id, cid, owner, "customer.task_upserted", now, task_id=tid,
              status=p.status)
    return [cid]


def record_consent(conn: Connection, device: AuthenticatedDevice, event_id: str,
                   p: ConsentRecorded, cid: str, at: str, now: str) -> list[str]:
    """Append to the consent log; if it is the latest record of its kind, make it the
    customer's current state (customer_profiles) and have her book entries re-published
    (a withdrawn data-use consent publishes deletes)."""

    rid = p.id.lower()
    if conn.execute(select(ConsentRecord.id).where(ConsentRecord.id == rid)).first():
        return []
    by = p.associate_id.lower() if p.associate_id else None
    conn.execute(insert(ConsentRecord), [{
        "id": rid, "customer_id": cid, "kind": p.kind, "granted": int(p.granted),
        "channel": p.channel, "associate_id": by, "store_id": device.store_id, "at": at}])
    if conn.execute(select(Customer.id).where(Customer.id == cid)).first() is None:
        return []
    owner = other_home(conn, device, cid)
    if owner:
        audit(conn, device, event_id, cid, owner, "customer.consent_recorded", now,
              kind=p.kind, granted=p.granted, channel=p.channel)
    ensure_profile(conn, cid, at)
    prefix = "marketing" if p.kind == "marketing" else "data_use"
    flag = "marketing_opt_in" if p.kind == "marketing" else "data_use_consent"
    at_col = getattr(CustomerProfile, f"{prefix}_consent_at")
    conn.execute(update(CustomerProfile).where(
        CustomerProfile.customer_id == cid, (at_col.is_(None)) | (at_col <= at))
        .values({flag: int(p.granted), f"{prefix}_consent_at": at,
                 f"{prefix}_consent_channel": p.channel[:16],
                 f"{prefix}_consent_by": by or "customer", "updated_at": now}))
    return [cid]
