"""Customer lists a till asks HQ for: likely duplicates before creating a customer, and the
store's open follow-up tasks ("My tasks").

Why: an associate about to create a customer is warned of one HQ already holds with the same
phone (any format: compared in national digits, as the merge rule does) or e-mail
(docs/clienteling.md); lists are masked (sync.protocol.mask_phone/mask_email), like search.

Plain functions on a Connection: a request thread; the caller commits.
"""
from __future__ import annotations

from sqlalchemy import Connection, or_, select

from hq.db.models.customers import Customer, CustomerTask
from hq.db.models.organisation import Associate
from hq.services.common import ServiceError
from hq.services.customer_events import find_duplicates
from hq.services.profile import task_view
from sync.protocol import mask_email, mask_phone
from sync.protocol_customers import CustomerSummaryRef, DuplicateCandidates, TaskList

MAX_TASKS = 200


def duplicates(conn: Connection, phone: str | None, email: str | None) -> DuplicateCandidates:
    """Customers with the same national phone or the same e-mail (masked), phone first."""
    phone, email = (phone or "").strip() or None, (email or "").strip() or None
    if phone is None and email is None:
        raise ServiceError("give phone or email (or both) to look for duplicates")
    if phone is not None and not any(c.isdigit() for c in phone):
        raise ServiceError(f"phone {phone!r} has no digits")
    found = find_duplicates(conn, phone, email, limit=10)
    rows = {r.id: r for r in conn.execute(select(Customer.id, Customer.name, Customer.phone,
                                                 Customer.email).where(
        Customer.id.in_([cid for cid, _ in found])))} if found else {}
    return DuplicateCandidates(customers=[
        CustomerSummaryRef(id=cid, name=rows[cid].name, phone_masked=mask_phone(rows[cid].phone),
                           email_masked=mask_email(rows[cid].email), matched_on=kind)
        for cid, kind in found if cid in rows])


def store_tasks(conn: Connection, store_id: str, assigned_to: str | None) -> TaskList:
    """Open tasks of the store, soonest due first; with `assigned_to`, that associate's and
    the unassigned ones (anyone in the store may do those)."""
    stmt = select(CustomerTask).where(CustomerTask.store_id == store_id,
                                      CustomerTask.status == "open")
    if assigned_to:
        stmt = stmt.where(or_(CustomerTask.assigned_to == assigned_to,
                              CustomerTask.assigned_to.is_(None)))
    tasks = conn.execute(stmt.order_by(CustomerTask.due_date, CustomerTask.at)
                         .limit(MAX_TASKS)).all()
    names = dict(conn.execute(select(Customer.id, Customer.name).where(
        Customer.id.in_({t.customer_id for t in tasks}))).all()) if tasks else {}
    people = {t.assigned_to for t in tasks} | {t.created_by for t in tasks}
    associates = dict(conn.execute(select(Associate.id, Associate.name).where(
        Associate.id.in_({p for p in people if p}))).all()) if tasks else {}
    return TaskList(tasks=[task_view(t, names.get(t.customer_id, ""), associates)
                           for t in tasks])
