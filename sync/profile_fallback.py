"""The offline answers of the clienteling look-ups: a profile, likely duplicates, "My tasks".

Why: when HQ does not answer, sync.live_lookup.LiveLookup falls back to what the till holds
(docs/clienteling.md, "Offline clienteling book"): the cached CustomerProfile merged with the
notes, tasks and consents made on this till that HQ's copy does not show yet (matched by
their device-made ids; a task changed here later than HQ's copy wins, a consent likewise per
kind). A customer created on this till offline has no cached profile: her profile is built
from the local book row and those local rows (no orders, cart or loyalty history yet).
Phone and e-mail are masked as HQ masks them (sync.protocol.mask_phone/mask_email).

Thread: the caller's (LiveLookup runs on the UI's I/O pool); reads the local database only.
"""
from __future__ import annotations

from sqlalchemy import Connection, text

from pos_app.loyalty import POINT_VALUE_MINOR
from pos_app.services import customer_book, customer_followups, profile_cache
from pos_app.store_context import read_setting
from sync.protocol import CustomerDetail, mask_email, mask_phone
from sync.protocol_customers import (ConsentState, CustomerProfile, CustomerSummaryRef,
                                     LoyaltySummary, NoteView, TaskView)


def _store(conn: Connection) -> tuple[str, str]:
    store_id = read_setting(conn, "store_id")
    row = conn.execute(text("SELECT code, currency FROM stores WHERE id = :id"),
                       {"id": store_id}).first()
    return (row[0], row[1]) if row else ("", "VND")


def _bare_profile(conn: Connection, customer_id: str, as_of: str) -> dict | None:
    """A profile for a customer of the local book that has no cached profile."""
    c = customer_book.read_customer(conn, customer_id)
    if c is None:
        return None
    store_code, currency = _store(conn)
    return CustomerProfile(
        customer=CustomerDetail(id=c.id, name=c.name, phone=c.phone, email=c.email,
                                loyalty_card=c.loyalty_card, tier=c.tier),
        sizes=c.sizes, preferences=c.preferences, consents=[],
        loyalty=LoyaltySummary(balance=0, qualifying=0, tier=c.tier or "member",
                               point_value_minor=POINT_VALUE_MINOR.get(currency, 1),
                               currency=currency, entries=[]),
        lifetime_value=0, currency=currency, orders=[], cart=[], wishlist=[], notes=[],
        tasks=[], recommendations=[], as_of=as_of).model_dump(mode="json")


def cached_profile(conn: Connection, customer_id: str, as_of: str
                   ) -> tuple[CustomerProfile | None, str | None]:
    """(profile, its as_of) from the cache merged with this till's own rows, or (None, None)."""
    data = profile_cache.read_profile(conn, customer_id)
    held_as_of = data.get("as_of") if data else None
    if data is None:
        data = _bare_profile(conn, customer_id, as_of)
        if data is None:
            return None, None
        held_as_of = None
    store_code, _ = _store(conn)
    names = dict(conn.execute(text("SELECT id, name FROM associates")).all())
    # notes: append the ones HQ's copy does not list, newest first
    have = {n["id"] for n in data["notes"]}
    data["notes"] += [NoteView(id=n.id, text=n.text, by=n.by, store_code=store_code,
                               at=n.at).model_dump()
                      for n in customer_followups.notes(conn, customer_id) if n.id not in have]
    data["notes"].sort(key=lambda n: n["at"], reverse=True)
    # tasks: a local row newer than HQ's copy replaces it
    tasks = {t["id"]: t for t in data["tasks"]}
    for t in customer_followups.tasks(conn, customer_id):
        if t.id not in tasks or t.at >= tasks[t.id]["at"]:
            tasks[t.id] = TaskView(
                id=t.id, customer_id=t.customer_id, customer_name=t.customer_name,
                text=t.text, due_date=t.due_date, status=t.status, assigned_to=t.assigned_to,
                assigned_to_name=t.assigned_to_name,
                created_by=names.get(t.associate_id or ""), at=t.at).model_dump()
    data["tasks"] = sorted(tasks.values(), key=lambda t: (t["status"] == "done",
                                                          t["due_date"], t["at"]))
    # consents: the latest per kind
    consents = {c["kind"]: c for c in data["consents"]}
    for c in customer_followups.consents(conn, customer_id):
        held = consents.get(c.kind)
        if held is None or (held.get("at") or "") <= c.at:
            consents[c.kind] = ConsentState(kind=c.kind, granted=c.granted, at=c.at,
                                            channel=c.channel,
                                            by=names.get(c.associate_id or "")).model_dump()
    data["consents"] = list(consents.values())
    return CustomerProfile.model_validate(data), held_as_of


def local_duplicates(conn: Connection, phone: str | None, email: str | None
                     ) -> list[CustomerSummaryRef]:
    return [CustomerSummaryRef(id=m.id, name=m.name, phone_masked=mask_phone(m.phone),
                               email_masked=mask_email(m.email), matched_on=m.matched_on)
            for m in customer_book.find_duplicates(conn, phone, email)]


def local_my_tasks(conn: Connection, associate_id: str) -> list[TaskView]:
    return [TaskView(id=t.id, customer_id=t.customer_id, customer_name=t.customer_name,
                     text=t.text, due_date=t.due_date, status=t.status,
                     assigned_to=t.assigned_to, assigned_to_name=t.assigned_to_name, at=t.at)
            for t in customer_followups.my_tasks(conn, associate_id)]
