"""The ledger mechanics gift cards and store credit share: a balance is the sum of an account's
deltas; a redemption is one entry keyed by the till's payment id; a void is one entry keyed
by uuid5(payment id, "void").

Why: two tills must never spend the same balance, and a till that lost HQ's answer (or
crashed before its sale committed) must be able to ask again or give the money back without
ever moving it twice (DESIGN.md §3). So:

- The caller locks the account row first (`lock`: SELECT ... FOR UPDATE on PostgreSQL; on
  SQLite every HQ transaction is BEGIN IMMEDIATE, one writer at a time), then this module
  reads the balance and writes the entry in the same transaction: a second till's
  redemption waits for the first to commit and then sees its debit.
- `authorise` with a payment id that already debited answers that debit again (same amount,
  same auth code, the balance it left), never a second one; with another account or amount
  it is refused (409). A payment id already voided is declined "voided" (even one that was
  approved before its void: the till must not use it).
- `void` credits back what the payment id took, once; when the id never debited it writes a
  zero entry all the same, so a copy of the lost request that arrives later is declined.
  The primary key on the entry id is the last guard against a double entry.

Plain functions on a Connection: a request thread (hq/api/payments.py) or the ingest; the
caller's transaction commits.
"""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select

from hq.services.common import Conflict
from sync.protocol_payments import Authorisation, VoidResult

VOID_NAMESPACE = uuid.UUID("6d1f3c2a-8e5b-4f7a-9c0d-2b4e6a8c1f35")
REDEEM, OFFLINE_REDEEM, VOID = "redeem", "offline_redeem", "void"


@dataclass(frozen=True)
class Ledger:
    """One kind of account: its entry table and the column naming the account."""

    entry: Any  # the mapped class: GiftCardEntry | StoreCreditEntry
    account_column: str  # "card_number" | "customer_id"
    code_prefix: str  # of the authorisation codes: "GC" | "SC"

    @property
    def account(self):
        return getattr(self.entry, self.account_column)


def void_entry_id(payment_id: str) -> str:
    return str(uuid.uuid5(VOID_NAMESPACE, f"{payment_id.lower()}/void"))


def auth_code(ledger: Ledger, payment_id: str) -> str:
    """The authorisation code of a redemption: derived from its payment id, so a repeated
    request gets the same code. HQ trusts its ledger entry, not the code."""
    digest = hashlib.sha256(f"{ledger.code_prefix}/{payment_id.lower()}".encode()).hexdigest()
    return f"{ledger.code_prefix}-{digest[:10].upper()}"


def balance(conn: Connection, ledger: Ledger, account: str) -> int:
    return int(conn.execute(select(func.coalesce(func.sum(ledger.entry.delta), 0))
                            .where(ledger.account == account)).scalar_one())


def lock(conn: Connection, column, key: str):
    """The account row (its mapping), locked until the transaction ends; None if absent."""
    table = column.class_
    return conn.execute(select(table).where(column == key).with_for_update()).mappings().first()


def _entry(conn: Connection, ledger: Ledger, entry_id: str):
    return conn.execute(select(ledger.entry).where(ledger.entry.id == entry_id)
                        ).mappings().first()


def authorise(conn: Connection, ledger: Ledger, account: str, payment_id: str, amount: int,
              currency: str, *, store_id: str, device_id: str, at: str) -> Authorisation:
    """Debit `amount` from `account` for `payment_id`, or decline. The caller has locked the
    account row and checked that the account may pay (state, currency, PIN)."""
    payment_id = payment_id.lower()
    if _entry(conn, ledger, void_entry_id(payment_id)) is not None:
        return declined(payment_id, currency, "voided",
                        "this payment was voided: start a new payment")
    done = _entry(conn, ledger, payment_id)
    if done is not None:
        if done[ledger.account_column] != account or -done["delta"] != amount \
                or done["kind"] != REDEEM:
            raise Conflict(f"payment id {payment_id} was already used for another "
                           f"authorisation (a different account, amount or kind)")
        return Authorisation(payment_id=payment_id, approved=True, amount=amount,
                             currency=currency, balance=done["balance_after"],
                             auth_code=auth_code(ledger, payment_id))
    available = balance(conn, ledger, account)
    if available < amount:
        return declined(payment_id, currency, "insufficient_balance",
                        f"not enough balance: {available} {currency} available, "
                        f"{amount} {currency} asked", balance=available)
    conn.execute(insert(ledger.entry), [entry_row(
        ledger, payment_id, account, -amount, REDEEM, payment_id=payment_id,
        store_id=store_id, device_id=device_id, balance_after=available - amount, at=at)])
    return Authorisation(payment_id=payment_id, approved=True, amount=amount,
                         currency=currency, balance=available - amount,
                         auth_code=auth_code(ledger, payment_id))


def void(conn: Connection, ledger: Ledger, account: str, payment_id: str, *, store_id: str,
         device_id: str, at: str) -> VoidResult:
    """Credit back what `payment_id` debited from `account`, once (the caller has locked the
    account row). A payment id that never debited gets a zero entry: it can no longer be
    used. A second void answers the first one's result."""
    payment_id = payment_id.lower()
    vid = void_entry_id(payment_id)
    done = _entry(conn, ledger, vid)
    if done is not None:
        if done[ledger.account_column] != account:
            raise Conflict(f"payment id {payment_id} was voided on another account")
        return VoidResult(payment_id=payment_id, credited=done["delta"],
                          balance=done["balance_after"])
    redeemed = _entry(conn, ledger, payment_id)
    if redeemed is not None and redeemed[ledger.account_column] != account:
        raise Conflict(f"payment id {payment_id} was authorised on another account")
    if redeemed is not None and redeemed["kind"] != REDEEM:
        raise Conflict(f"payment id {payment_id} is a {redeemed['kind']} entry, not an online "
                       f"authorisation: it cannot be voided")
    credit = -redeemed["delta"] if redeemed is not None else 0
    after = balance(conn, ledger, account) + credit
    conn.execute(insert(ledger.entry), [entry_row(
        ledger, vid, account, credit, VOID, payment_id=payment_id, store_id=store_id,
        device_id=device_id, balance_after=after, at=at)])
    return VoidResult(payment_id=payment_id, credited=credit, balance=after)


def declined(payment_id: str, currency: str, code: str, reason: str,
             balance: int | None = None) -> Authorisation:
    return Authorisation(payment_id=payment_id.lower(), approved=False, currency=currency,
                         decline=code, reason=reason, balance=balance)


def entry_row(ledger: Ledger, entry_id: str, account: str, delta: int, kind: str, *,
              payment_id: str | None = None, ref: str | None = None,
              store_id: str | None = None, device_id: str | None = None,
              balance_after: int | None = None, at: str, **extra: Any) -> dict:
    """A full ledger row (every column named: the ingest writes them by COPY)."""
    return {"id": entry_id, ledger.account_column: account, "delta": delta, "kind": kind,
            "payment_id": payment_id, "ref": ref, "store_id": store_id,
            "device_id": device_id, "balance_after": balance_after, "at": at, **extra}
