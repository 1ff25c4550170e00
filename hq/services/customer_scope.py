"""Which store's device may write which customer data, and the audit of writes across stores.

Why (issue 18): a device of HCM1 pushed customer events that HQ applied to NYC1: a task in
NYC1's task list, a note and a consent "by" NYC1, a new customer homed at NYC1. A device now
writes only as its own store (docs/clienteling.md "Which store may write what"):

- the payload's `store_id` is the device's store and its `associate_id` (and a task's
  `assigned_to`) an associate of that store; anything else is quarantined with the reason;
- a new customer is homed at the device's store (the payload's home_store_id is not asked);
- a customer homed at another store (a visiting customer) may be written where she is: a
  note, a consent (given or withdrawn), an edit of her contact details, sizes and
  preferences, a task in the visited store's own list, a merge of a duplicate the visited
  store created; a task of another store's list may only be marked done or reopened (it
  stays in its store's list, text, due date and assignee unchanged). Every such write is
  audited in `cross_store_writes` (device, its store, the customer, the store whose data it
  is, what, when).

A customer with no home store (every store's) or one HQ does not hold yet is not
"another store's".

Runs on the push request's thread inside the event's SAVEPOINT (hq/services/ingest.py).
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Iterable

from sqlalchemy import Connection, insert, select

from hq.db.models.customers import Customer
from hq.db.models.organisation import Associate
from hq.db.models.sales import CrossStoreWrite
from hq.services.device_time import bounded
from hq.services.enrolment import AuthenticatedDevice


class Refused(Exception):
    """Raised inside the event's savepoint to roll its writes back and quarantine it."""


def device_time(value: str, received: datetime, field: str) -> str:
    """The event's time `field` as HQ stores and compares it (hq/services/device_time.py);
    Refused when it is not a time."""
    when = bounded(value, received, field)
    if isinstance(when, str):
        raise Refused(when)
    return when.iso


def check_actor(conn: Connection, device: AuthenticatedDevice, store_id: str | None,
                associate_ids: Iterable[tuple[str, str | None]]) -> None:
    """The payload speaks for the device's store, through associates of that store.
    `associate_ids`: (field name, id or None) pairs."""
    if store_id is not None and store_id.lower() != device.store_id.lower():
        raise Refused(f"store_id {store_id[:40]!r} is not this device's store "
                      f"({device.store_id}): a device writes only as its own store")
    wanted = {field: aid.lower() for field, aid in associate_ids if aid is not None}
    if not wanted:
        return
    known = set(conn.execute(select(Associate.id).where(
        Associate.store_id == device.store_id,
        Associate.id.in_(set(wanted.values())))).scalars())
    for field, aid in wanted.items():
        if aid not in known:
            raise Refused(f"{field} {aid[:40]!r} is not an associate of this device's store")


def home_store(conn: Connection, customer_id: str) -> str | None:
    """The customer's home store id; None: every store's, or not held by HQ."""
    return conn.execute(select(Customer.home_store_id).where(
        Customer.id == customer_id)).scalar()


def other_home(conn: Connection, device: AuthenticatedDevice, customer_id: str) -> str | None:
    """Her home store when it is another store than the device's, else None."""
    home = home_store(conn, customer_id)
    return home if home is not None and home != device.store_id else None


def audit(conn: Connection, device: AuthenticatedDevice, event_id: str, customer_id: str,
          owner_store_id: str, action: str, at: str, **detail) -> None:
    """One `cross_store_writes` row: `device` wrote `action` on data of `owner_store_id`
    (her home store, or the store whose task list it is), received at `at`."""
    conn.execute(insert(CrossStoreWrite), [{
        "at": at, "event_id": event_id, "device_id": device.id, "store_id": device.store_id,
        "owner_store_id": owner_store_id, "customer_id": customer_id, "action": action,
        "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True)}])
