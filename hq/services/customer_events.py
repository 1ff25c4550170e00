"""Customer events a till pushes: edits (with the merge rule), notes, tasks, consent.

Why: customers are created and edited in stores, online or offline, and reach HQ as outbox
events (docs/clienteling.md "Events a till pushes"). HQ decides conflicts by one documented
rule so every till converges:

- `customer.upserted` for an id HQ holds: each listed field is written only if the event's
  `edited_at` is not earlier than that field's last write (`customer_field_edits`, which HQ's
  own edits also stamp through `record_hq_edit`): field-level last-writer-wins by the PARSED
  time (hq/services/device_time.py: ISO-8601, UTC assumed without a zone, a future time
  clamped to HQ's receive time, junk refused); a tie goes to the event HQ receives later; a
  field HQ changed later is kept.
- for an id HQ does not hold whose normalised phone (national digits) or lower-cased e-mail
  equals an existing customer's: merged into the existing one (`customer_merges`), its listed
  fields filling EMPTY fields only (sizes/preferences: missing keys only); a `customer_merge`
  change tells the store's tills to re-point.
- otherwise a new customer, homed at the pushing device's store (search keys written,
  published to her home store).
- an id already merged is edited as the customer it was merged into (LWW as above).

Notes, tasks and consent: hq/services/customer_activity.py. Every event first passes the
device scope (hq/services/customer_scope.py): its store_id is the device's store, its
associates that store's; writes on another store's customer are audited
(`cross_store_writes`). Every write marks the customer for the clienteling book publisher
(`book_pending`).

Runs on the push request's thread inside the event's SAVEPOINT (hq/services/ingest.py);
`apply` raises Refused with the reason to quarantine the event.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, insert, select, update

from hq.db.models.customers import (BookPending, Customer, CustomerFieldEdit, CustomerMerge,
                                    CustomerProfile, CustomerSearchTerm)
from hq.db.models.organisation import FeedState
from hq.services import catalog, customer_activity, lookups
from hq.services.common import utc_iso
from hq.services.customer_feed import customer_feed_data, feed_json
from hq.services.customer_profile_rows import ensure_profile
from hq.services.customer_scope import Refused, audit, check_actor, device_time, other_home
from hq.services.enrolment import AuthenticatedDevice
from sync.protocol import UUID_PATTERN, phone_search_forms
from sync.protocol_customers import (EDITABLE_FIELDS, TOPIC_CONSENT_RECORDED,
                                     TOPIC_CUSTOMER_UPSERTED, TOPIC_NOTE_ADDED,
                                     TOPIC_TASK_UPSERTED, ConsentRecorded, CustomerUpserted,
                                     NoteAdded, TaskUpserted)

MODELS: dict[str, type[BaseModel]] = {
    TOPIC_CUSTOMER_UPSERTED: CustomerUpserted, TOPIC_NOTE_ADDED: NoteAdded,
    TOPIC_TASK_UPSERTED: TaskUpserted, TOPIC_CONSENT_RECORDED: ConsentRecorded}
_CONTACT = ("name", "phone", "email", "loyalty_card")
_JSON_FIELDS = ("sizes", "preferences")
_UUID = re.compile(UUID_PATTERN)
__all__ = ["Refused", "apply", "find_duplicates", "merged_ids", "parse", "record_hq_edit",
           "resolve_ids"]


def parse(topic: str, payload: dict[str, Any]) -> BaseModel | str:
    """The payload as its model, or the reason to quarantine it."""
    try:
        return MODELS[topic].model_validate(payload)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "payload"
        return f"invalid payload: {where}: {err['msg']}"


def resolve_ids(conn: Connection, ids: Iterable[str]) -> dict[str, str | None]:
    """Lower-cased id -> the customer HQ holds for it (itself, or the customer it was merged
    into), None when HQ holds neither. Two indexed look-ups for any number of ids."""
    wanted = list(dict.fromkeys(i.lower() for i in ids))
    merged = dict(conn.execute(select(CustomerMerge.from_id, CustomerMerge.into_id)
                               .where(CustomerMerge.from_id.in_(wanted))).all())
    target = {i: merged.get(i, i) for i in wanted}
    known = set(conn.execute(select(Customer.id).where(
        Customer.id.in_(set(target.values())))).scalars())
    return {i: t if t in known else None for i, t in target.items()}


def merged_ids(conn: Connection, customer_id: str) -> list[str]:
    """The customer's own id and every id merged into it (what her sales may carry)."""
    return [customer_id] + list(conn.execute(select(CustomerMerge.from_id).where(
        CustomerMerge.into_id == customer_id)).scalars())


def mark_for_book(conn: Connection, customer_ids: Iterable[str]) -> None:
    rows = [{"customer_id": c} for c in dict.fromkeys(customer_ids) if c]
    if rows:
        conn.execute(insert(BookPending), rows)


def apply(conn: Connection, device: AuthenticatedDevice, event_id: str, payload: BaseModel,
          received: datetime) -> None:
    """Apply one parsed event (inside the caller's savepoint) received at `received`;
    raises Refused with a reason."""
    now = utc_iso(received)
    if isinstance(payload, CustomerUpserted):
        check_actor(conn, device, payload.store_id, [("associate_id", payload.associate_id)])
        at = device_time(payload.edited_at, received, "edited_at")
        _upsert_customer(conn, device, event_id, payload, at, now)
        return
    if not _UUID.match(payload.customer_id):
        raise Refused("invalid payload: customer_id: not a UUID")
    check_actor(conn, device, payload.store_id, [("associate_id", payload.associate_id)])
    at = device_time(payload.at, received, "at")
    cid = _target(conn, payload.customer_id)
    if isinstance(payload, NoteAdded):
        touched = customer_activity.add_note(conn, device, event_id, payload, cid, at, now)
    elif isinstance(payload, TaskUpserted):
        touched = customer_activity.upsert_task(conn, device, event_id, payload, cid, at, now)
    elif isinstance(payload, ConsentRecorded):
        touched = customer_activity.record_consent(conn, device, event_id, payload, cid, at,
                                                   now)
    else:  # pragma: no cover - MODELS and this dispatch are kept together
        raise Refused(f"no handler for {type(payload).__name__}")
    mark_for_book(conn, touched)


# --- customers ---------------------------------------------------------------------------------
def national_phone(phone: str | None) -> str | None:
    """The phone's national digit form ("+84901234567" and "090 123 4567" -> "0901234567"):
    the form the merge rule compares (the search index holds it as a "p:" key)."""
    forms = phone_search_forms(phone)
    if not forms:
        return None
    return forms[1] if len(forms) > 1 else forms[0]


def find_duplicates(conn: Connection, phone: str | None, email: str | None,
                    exclude: str | None = None, limit: int = 5) -> list[tuple[str, str]]:
    """(customer id, "phone"|"email") of customers with the same national phone or the same
    lower-cased e-mail, phone matches first; exact look-ups of the search index."""
    found: dict[str, str] = {}
    keys = []
    if national_phone(phone):
        keys.append(("p:" + national_phone(phone), "phone"))
    if email and email.strip():
        keys.append(("e:" + email.strip().lower(), "email"))
    for key, kind in keys:
        for cid in conn.execute(select(CustomerSearchTerm.customer_id).where(
                CustomerSearchTerm.term == key[:lookups.TERM_MAX])
                .order_by(CustomerSearchTerm.customer_id).limit(limit + 1)).scalars():
            if cid != exclude:
                found.setdefault(cid, kind)
    return list(found.items())[:limit]


def record_hq_edit(conn: Connection, customer_id: str, fields: Iterable[str],
                   at: str | None = None) -> None:
    """Stamp fields HQ itself changed (call it with any HQ-side customer edit): a till edit
    made before `at` will not overwrite them."""
    _stamp(conn, customer_id, fields, at or utc_iso(), "hq")


def _stamp(conn: Connection, customer_id: str, fields: Iterable[str], at: str,
           source: str) -> None:
    for field in fields:
        done = conn.execute(update(CustomerFieldEdit).where(
            CustomerFieldEdit.customer_id == customer_id, CustomerFieldEdit.field == field)
            .values(edited_at=at, source=source)).rowcount
        if not done:
            conn.execute(insert(CustomerFieldEdit), [{
                "customer_id": customer_id, "field": field, "edited_at": at,
                "source": source}])


def _field_values(c, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(c, f) for f in fields}


def _upsert_customer(conn: Connection, device: AuthenticatedDevice, event_id: str,
                     p: CustomerUpserted, at: str, now: str) -> None:
    unknown = sorted(set(p.fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise Refused(f"unknown customer field(s) {', '.join(unknown)}; editable: "
                      f"{', '.join(EDITABLE_FIELDS)}")
    fields = list(dict.fromkeys(p.fields))
    cid = p.customer.id.lower()
    target = resolve_ids(conn, [cid])[cid]
    if target is not None:
        written = _edit(conn, target, p, fields, f"device:{device.id}", at)
        action = "customer.upserted"
    else:
        dupes = find_duplicates(conn, p.customer.phone, p.customer.email, exclude=cid, limit=1)
        if dupes:
            target = dupes[0][0]
            written = _merge(conn, device, event_id, cid, target, p, fields, at)
            action = "customer.merged"
        else:
            target = cid
            _create(conn, device, p, fields, at)
            written, action = fields, None
    owner = other_home(conn, device, target) if action else None
    if owner:
        audit(conn, device, event_id, target, owner, action, now, fields=fields,
              written=written, **({"merged_id": cid} if cid != target else {}))
    lookups.index_customers(conn, [target])
    publish_customer(conn, target)
    mark_for_book(conn, [target])


def _edit(conn: Connection, cid: str, p: CustomerUpserted, fields: list[str],
          source: str, at: str) -> list[str]:
    """Field-level last-writer-wins by the parsed edit time `at` against
    customer_field_edits (a tie goes to this, the later-received, edit); the fields written."""
    stamps = dict(conn.execute(select(CustomerFieldEdit.field, CustomerFieldEdit.edited_at)
                               .where(CustomerFieldEdit.customer_id == cid)).all())
    winning = [f for f in fields if stamps.get(f) is None or at >= stamps[f]]
    if not winning:
        return []
    values = _field_values(p.customer, winning)
    contact = {f: values[f] for f in winning if f in _CONTACT}
    if contact:
        conn.execute(update(Customer).where(Customer.id == cid).values(**contact))
    profile = {f: json.dumps(values[f], ensure_ascii=False) for f in winning
               if f in _JSON_FIELDS}
    if profile:
        ensure_profile(conn, cid, at)
        conn.execute(update(CustomerProfile).where(CustomerProfile.customer_id == cid)
                     .values(**profile, updated_at=utc_iso()))
    _stamp(conn, cid, winning, at, source)
    return winning


def _merge(conn: Connection, device: AuthenticatedDevice, event_id: str, from_id: str,
           into_id: str, p: CustomerUpserted, fields: list[str], at: str) -> list[str]:
    """Fold a till-made customer into an existing one: fill empty fields only; the fields
    filled."""
    conn.execute(insert(CustomerMerge), [{"from_id": from_id, "into_id": into_id,
                                          "at": utc_iso(), "event_id": event_id}])
    current = conn.execute(select(Customer).where(Customer.id == into_id)).one()
    values = _field_values(p.customer, fields)
    fill = {f: v for f, v in values.items()
            if f in _CONTACT and v not in (None, "") and not getattr(current, f)}
    if fill:
        conn.execute(update(Customer).where(Customer.id == into_id).values(**fill))
    ensure_profile(conn, into_id, at)
    prof = conn.execute(select(CustomerProfile.sizes, CustomerProfile.preferences).where(
        CustomerProfile.customer_id == into_id)).one()
    extra = {}
    for f in _JSON_FIELDS:
        if f in values and values[f]:
            have = json.loads(getattr(prof, f) or "{}")
            added = {k: v for k, v in values[f].items() if k not in have}
            if added:
                extra[f] = json.dumps({**have, **added}, ensure_ascii=False)
    if extra:
        conn.execute(update(CustomerProfile).where(CustomerProfile.customer_id == into_id)
                     .values(**extra, updated_at=utc_iso()))
    _stamp(conn, into_id, list(fill) + list(extra), at, f"device:{device.id}")
    catalog.lock_change_log(conn)
    catalog.publish(conn, [{"store_id": device.store_id, "entity": "customer_merge",
                            "op": "upsert", "key": from_id,
                            "data": json.dumps({"from_id": from_id, "into_id": into_id}),
                            "at": utc_iso()}])
    return list(fill) + list(extra)


def _create(conn: Connection, device: AuthenticatedDevice, p: CustomerUpserted,
            fields: list[str], at: str) -> None:
    """A new customer, homed at the device's store whatever the payload says: a device
    never puts a customer in another store's book (customer_scope.py)."""
    c = p.customer
    conn.execute(insert(Customer), [{
        "id": c.id.lower(), "home_store_id": device.store_id, "name": c.name,
        "phone": c.phone, "email": c.email, "loyalty_card": c.loyalty_card, "tier": None}])
    ensure_profile(conn, c.id.lower(), at, c.sizes, c.preferences)
    _stamp(conn, c.id.lower(), fields, at, f"device:{device.id}")


def publish_customer(conn: Connection, cid: str) -> None:
    """Publish the customer row (entity "customer", hq/services/customer_feed.py) to her home
    store and to every store whose feed already holds her (a book), so every copy stays
    current."""
    data = customer_feed_data(conn, [cid]).get(cid)
    if data is None:
        return
    scopes = set(conn.execute(select(FeedState.scope).where(
        FeedState.entity == "customer", FeedState.key == cid)).scalars())
    if data["home_store_id"]:
        scopes.add(data["home_store_id"])
    catalog.lock_change_log(conn)
    catalog.publish(conn, [{"store_id": s or None, "entity": "customer", "op": "upsert",
                            "key": cid, "data": feed_json(data), "at": utc_iso()}
                           for s in sorted(scopes)])


# --- notes, tasks, consent ---------------------------------------------------------------------
def _target(conn: Connection, customer_id: str) -> str:
    """The customer an event refers to (merged ids resolved); an id HQ does not hold yet is
    kept as given (docs/clienteling.md: not an error)."""
    cid = customer_id.lower()
    return resolve_ids(conn, [cid])[cid] or cid
