"""Store credit at HQ: an account per customer (one currency), issued by a manager (HQ's admin
API or `pos-hq store-credit-issue`, recorded in the audit log), redeemed online by the tills
like a gift card (authorise / void, exactly once by the till's payment id).

Why: store credit is money the retailer owes a customer, spendable in any store, so HQ holds
it as a ledger of deltas (hq/services/payment_ledger.py) and authorises each redemption under
a lock of the account row. Returns will issue credit too (a later issue); an issue is keyed
by a request id made by whoever asks, so a retried issue never credits twice.

A customer id may be one HQ merged into another: it is resolved first (the till may still
hold the old id), and the account is the surviving customer's.

Plain functions on a Connection: a request thread (hq/api/payments.py) or the CLI; the
caller's transaction commits.
"""
from __future__ import annotations

import json

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from hq.db.models.organisation import AuditLog
from hq.db.models.payments import StoreCreditAccount, StoreCreditEntry
from hq.services import payment_ledger as pl
from hq.services.common import Conflict, NotFound, ServiceError, utc_iso
from hq.services.customer_events import resolve_ids
from hq.services.enrolment import AuthenticatedDevice
from sync.protocol_payments import Authorisation, StoreCreditBalance, VoidResult

LEDGER = pl.Ledger(StoreCreditEntry, "customer_id", "SC")
ISSUE = "issue"
MAX_ISSUE = 10**12  # minor units in one issue: a typo guard (10^12 VND, 10^10 USD)


def customer_of(conn: Connection, customer_id: str) -> str | None:
    """The customer HQ holds for `customer_id` (merges followed), or None."""
    return resolve_ids(conn, [customer_id]).get(customer_id.lower())


def balance(conn: Connection, customer_id: str) -> StoreCreditBalance:
    cid = customer_of(conn, customer_id)
    if cid is None:
        raise NotFound(f"customer {customer_id} not found")
    currency = conn.execute(select(StoreCreditAccount.currency).where(
        StoreCreditAccount.customer_id == cid)).scalar()
    return StoreCreditBalance(customer_id=cid, balance=pl.balance(conn, LEDGER, cid),
                              currency=currency)


def issue(conn: Connection, request_id: str, customer_id: str, amount: int, currency: str,
          by: str, reason: str) -> dict:
    """Credit the customer `amount` (idempotent by `request_id`), audited. `by`: the manager
    who decided it; `reason`: why (shown in the audit)."""
    if not 0 < amount <= MAX_ISSUE:
        raise ServiceError(f"amount must be between 1 and {MAX_ISSUE} minor units")
    if not by.strip() or not reason.strip():
        raise ServiceError("say who issues the credit (by) and why (reason)")
    cid = customer_of(conn, customer_id)
    if cid is None:
        raise NotFound(f"customer {customer_id} not found")
    request_id = request_id.lower()
    account = pl.lock(conn, StoreCreditAccount.customer_id, cid)
    if account is None:
        try:
            with conn.begin_nested():  # a concurrent first issue may create it meanwhile
                conn.execute(insert(StoreCreditAccount), [{
                    "customer_id": cid, "currency": currency, "created_at": utc_iso()}])
        except IntegrityError:
            pass
        account = pl.lock(conn, StoreCreditAccount.customer_id, cid)
    if account["currency"] != currency:
        raise Conflict(f"this customer's store credit is in {account['currency']}, "
                       f"not {currency}")
    done = conn.execute(select(StoreCreditEntry).where(StoreCreditEntry.id == request_id)
                        ).mappings().first()
    if done is not None:
        if (done["customer_id"], done["delta"], done["kind"]) != (cid, amount, ISSUE):
            raise Conflict(f"request id {request_id} was already used for another entry")
        return _issued(done)
    now = utc_iso()
    after = pl.balance(conn, LEDGER, cid) + amount
    row = pl.entry_row(LEDGER, request_id, cid, amount, ISSUE, balance_after=after, at=now,
                       by=by.strip()[:100], reason=reason.strip()[:500])
    conn.execute(insert(StoreCreditEntry), [row])
    conn.execute(insert(AuditLog), [{
        "at": now, "device_id": None, "store_id": None, "action": "store_credit.issued",
        "subject": cid, "detail": json.dumps({"entry_id": request_id, "amount": amount,
                                              "currency": currency, "by": row["by"],
                                              "reason": row["reason"]}, ensure_ascii=False)}])
    return _issued(row)


def _issued(row) -> dict:
    return {"id": row["id"], "customer_id": row["customer_id"], "amount": row["delta"],
            "balance": row["balance_after"], "at": row["at"], "by": row["by"]}


def redeem(conn: Connection, device: AuthenticatedDevice, payment_id: str, customer_id: str,
           amount: int, currency: str) -> Authorisation:
    """Authorise `amount` of the customer's store credit for the till's `payment_id`."""
    cid = customer_of(conn, customer_id)
    account = pl.lock(conn, StoreCreditAccount.customer_id, cid) if cid else None
    if account is None:
        return pl.declined(payment_id, currency, "no_account",
                           "this customer has no store credit")
    if account["currency"] != currency:
        return pl.declined(payment_id, currency, "currency",
                           f"this customer's store credit is in {account['currency']}, "
                           f"not {currency}")
    return pl.authorise(conn, LEDGER, cid, payment_id, amount, currency,
                        store_id=device.store_id, device_id=device.id, at=utc_iso())


def void(conn: Connection, device: AuthenticatedDevice, payment_id: str, customer_id: str
         ) -> VoidResult:
    """Credit back what `payment_id` took (the till's sale never committed)."""
    cid = customer_of(conn, customer_id)
    if cid is None or pl.lock(conn, StoreCreditAccount.customer_id, cid) is None:
        raise NotFound(f"customer {customer_id} has no store credit account")
    return pl.void(conn, LEDGER, cid, payment_id, store_id=device.store_id,
                   device_id=device.id, at=utc_iso())
