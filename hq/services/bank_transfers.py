"""Bank transfers (VietQR) at HQ: the tills' payment intents, the bank's credit notifications,
and the matching of one to the other.

Why: a VietQR payment is confirmed by the bank, and the bank tells HQ (a bank-matching
service's signed webhook: hq/api/payments.py), never the till; the till asks HQ (a live
look-up with short timeouts) until the intent is "confirmed" (DESIGN.md §3-4).

Matching a credit: the transfer notes in its content (pos_app.payments.transfer_note:
banks add prefixes, change case and spacing) name an open intent (pending or unverified);
the credit's account must be the intent's store's VietQR account (store settings) and its
amount must equal the intent's. A match confirms the intent with the bank's transaction id.
The same bank transaction id twice is stored once and confirms nothing the second time.
Anything else (no note, unknown note, an intent already confirmed or cancelled, another
account, another amount) is kept as an unmatched credit (`bank_credits.intent_id` NULL, with
the reason) for reconciliation, and logged with the transaction id and reason only: the
content and the account may name the payer.

A credit may reach HQ before its intent does (the till was offline when it showed the QR
code, or accepted it offline with a manager's approval: "unverified"): registering an
intent also looks for a stored unmatched credit with its note. An unverified intent without
a credit a day later is listed for the manager (`overdue_unverified`).

Plain functions on a Connection: a request thread; the caller's transaction commits.
"""
from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from hq.db.models.payments import BankCredit, TransferIntent
from hq.services.common import Conflict, NotFound, ServiceError, utc_iso
from hq.services.enrolment import AuthenticatedDevice
from hq.services.event_guard import sanitised
from hq.services.store_settings import store_rules
from pos_app.payments.transfer_note import find_transfer_notes, transfer_note
from sync.protocol_payments import BankCredit as BankCreditIn
from sync.protocol_payments import CreditReceipt, TransferIntentIn
from sync.protocol_payments import TransferIntent as TransferIntentOut

log = logging.getLogger(__name__)
OPEN = ("pending", "unverified")


class Forbidden(ServiceError):
    status = 403
UNVERIFIED_GRACE = timedelta(days=1)


def _account(text: str | None) -> str:
    return re.sub(r"[\s\-.]", "", text or "")


def _view(row) -> TransferIntentOut:
    return TransferIntentOut(
        intent_id=row["id"], store_id=row["store_id"], amount=row["amount"],
        currency=row["currency"], note=row["note"], state=row["state"],
        bank_transaction_id=row["bank_transaction_id"], confirmed_at=row["confirmed_at"],
        accepted_offline_by=row["accepted_offline_by"], created_at=row["created_at"])


def _intent(conn: Connection, intent_id: str, lock: bool = False):
    q = select(TransferIntent).where(TransferIntent.id == intent_id.lower())
    return conn.execute(q.with_for_update() if lock else q).mappings().first()


# --- the till's side ---------------------------------------------------------------------------
def register(conn: Connection, device: AuthenticatedDevice, body: TransferIntentIn
             ) -> TransferIntentOut:
    """Record the intent (idempotent by its id); an intent registered again with
    `accepted_offline_by` becomes "unverified" if no credit confirmed it meanwhile."""
    intent_id = body.intent_id.lower()
    if body.store_id is not None and body.store_id.lower() != device.store_id:
        raise Forbidden("the intent names another store than this device's")
    note = transfer_note(intent_id)
    if body.note is not None and body.note != note:
        raise Conflict(f"note {body.note} is not the transfer note of intent {intent_id} "
                       f"(expected {note})")
    rules = store_rules(conn, device.store_id)
    currency = body.currency or rules.currency
    if currency != rules.currency:
        raise Conflict(f"currency {currency} is not the store's ({rules.currency})")
    now = utc_iso()
    row = _intent(conn, intent_id, lock=True)
    if row is None:
        try:
            with conn.begin_nested():  # the same registration retried concurrently
                conn.execute(insert(TransferIntent), [{
                    "id": intent_id, "store_id": device.store_id, "device_id": device.id,
                    "amount": body.amount, "currency": currency, "note": note,
                    "state": "unverified" if body.accepted_offline_by else "pending",
                    "created_at": now, "bank_transaction_id": None, "confirmed_at": None,
                    "accepted_offline_by": body.accepted_offline_by,
                    "accepted_offline_at": now if body.accepted_offline_by else None}])
        except IntegrityError:
            pass
        row = _intent(conn, intent_id, lock=True)
        if row["amount"] == body.amount and row["bank_transaction_id"] is None:
            match_stored_credits(conn, row)
            row = _intent(conn, intent_id)
    if row["state"] == "cancelled" and row["amount"] == 0 and \
            row["store_id"] == device.store_id:
        return _view(row)  # cancelled before its registration arrived: it stays cancelled
    if (row["store_id"], row["amount"], row["currency"]) != (device.store_id, body.amount,
                                                             currency):
        raise Conflict(f"intent {intent_id} is already registered with another store, "
                       f"amount or currency")
    if body.accepted_offline_by and row["state"] == "pending":
        conn.execute(update(TransferIntent).where(TransferIntent.id == intent_id).values(
            state="unverified", accepted_offline_by=body.accepted_offline_by,
            accepted_offline_at=now))
        row = _intent(conn, intent_id)
    return _view(row)


def intent(conn: Connection, device: AuthenticatedDevice, intent_id: str) -> TransferIntentOut:
    """The intent as HQ knows it; 404 for an unknown one or another store's."""
    row = _intent(conn, intent_id)
    if row is None or row["store_id"] != device.store_id:
        raise NotFound(f"transfer intent {intent_id.lower()} not found")
    return _view(row)


def cancel(conn: Connection, device: AuthenticatedDevice, intent_id: str) -> TransferIntentOut:
    """The till gives up on an open intent (the customer left, the sale was voided, or the
    till's crash recovery found an intent no committed sale used, one a manager accepted
    offline included). A confirmed one cannot be cancelled: the money arrived, the sale must
    use it or the customer be refunded. A credit arriving after the cancel is kept
    unmatched, for reconciliation.

    An intent HQ never heard of (its registration was lost, or is still on its way) is
    recorded cancelled (amount 0): a registration arriving later answers "cancelled" and
    confirms nothing, like the void of a payment id that never debited."""
    intent_id = intent_id.lower()
    row = _intent(conn, intent_id, lock=True)
    if row is None:
        try:
            with conn.begin_nested():
                conn.execute(insert(TransferIntent), [{
                    "id": intent_id, "store_id": device.store_id, "device_id": device.id,
                    "amount": 0, "currency": store_rules(conn, device.store_id).currency,
                    "note": transfer_note(intent_id), "state": "cancelled",
                    "created_at": utc_iso(), "bank_transaction_id": None,
                    "confirmed_at": None, "accepted_offline_by": None,
                    "accepted_offline_at": None}])
        except IntegrityError:  # registered (or cancelled) at this very moment
            pass
        row = _intent(conn, intent_id, lock=True)
    if row["store_id"] != device.store_id:
        raise NotFound(f"transfer intent {intent_id} not found")
    if row["state"] == "confirmed":
        raise Conflict(f"transfer intent {row['id']} is confirmed: the customer's money "
                       f"arrived; use it in the sale or refund it")
    if row["state"] in OPEN:
        conn.execute(update(TransferIntent).where(TransferIntent.id == row["id"])
                     .values(state="cancelled"))
        row = _intent(conn, row["id"])
    return _view(row)


# --- the bank's side ---------------------------------------------------------------------------
def _mismatch(conn: Connection, row, account: str, amount: int) -> str | None:
    """Why the credit cannot confirm the intent `row`, or None."""
    settings = store_rules(conn, row["store_id"]).settings
    expected = _account(settings.vietqr_account_number)
    if not expected:
        return "the intent's store has no VietQR account number in its settings"
    if _account(account) != expected:
        return "credited to another account than the intent's store's"
    if amount != row["amount"]:
        return f"wrong amount: {amount} credited, {row['amount']} expected"
    return None


def _confirm(conn: Connection, intent_id: str, credit_id: int, txn: str, now: str) -> None:
    conn.execute(update(TransferIntent).where(TransferIntent.id == intent_id).values(
        state="confirmed", bank_transaction_id=txn, confirmed_at=now))
    conn.execute(update(BankCredit).where(BankCredit.id == credit_id).values(
        intent_id=intent_id, reason=None))


def receive_credit(conn: Connection, credit: BankCreditIn) -> CreditReceipt:
    """Store a credit notification once and confirm the intent it pays, if any."""
    txn = sanitised(str(credit.id))  # 1-64 characters (sync.protocol_payments.BankCredit)
    if credit.transferType != "in":
        return CreditReceipt(outcome="ignored", reason="not a credit (transferType out)")
    if conn.execute(select(BankCredit.id).where(BankCredit.bank_transaction_id == txn)
                    ).first() is not None:
        return _duplicate(conn, txn)
    content = sanitised(credit.content)  # a control character is never stored
    notes = find_transfer_notes(content)
    now = utc_iso()
    try:
        with conn.begin_nested():
            credit_id = conn.execute(insert(BankCredit).returning(BankCredit.id), [{
                "bank_transaction_id": txn, "account_number": sanitised(credit.accountNumber),
                "amount": credit.transferAmount, "content": content,
                "note": notes[0] if notes else None,
                "bank_reference": _clean(credit.referenceCode),
                "transaction_at": _clean(credit.transactionDate), "received_at": now,
                "intent_id": None, "reason": None}]).scalar_one()
    except IntegrityError:  # the same notification, delivered twice at once
        return _duplicate(conn, txn)
    reason = "no transfer note in the content"
    if notes:
        rows = conn.execute(select(TransferIntent).where(TransferIntent.note.in_(notes))
                            .order_by(TransferIntent.created_at).with_for_update()
                            ).mappings().all()
        reason = "unknown transfer note"
        for row in rows:
            if row["state"] not in OPEN:
                reason = (f"intent {row['id']} is {row['state']}"
                          + (f" (by bank transaction {row['bank_transaction_id']}): paid twice?"
                             if row["state"] == "confirmed" else ""))
                continue
            reason = _mismatch(conn, row, credit.accountNumber, credit.transferAmount)
            if reason is None:
                _confirm(conn, row["id"], credit_id, txn, now)
                log.info("bank credit %s confirmed transfer intent %s", txn, row["id"])
                return CreditReceipt(outcome="confirmed", intent_id=row["id"])
    conn.execute(update(BankCredit).where(BankCredit.id == credit_id).values(reason=reason))
    log.warning("bank credit %s unmatched: %s", txn, reason)
    return CreditReceipt(outcome="unmatched", reason=reason)


def _clean(text: str | None) -> str | None:
    return None if text is None else sanitised(text)


def _duplicate(conn: Connection, txn: str) -> CreditReceipt:
    intent_id = conn.execute(select(BankCredit.intent_id).where(
        BankCredit.bank_transaction_id == txn)).scalar()
    return CreditReceipt(outcome="duplicate", intent_id=intent_id,
                         reason="this bank transaction was already received")


def match_stored_credits(conn: Connection, row) -> bool:
    """Confirm the open intent `row` with an unmatched credit already stored for its note
    (it arrived before the intent did). True when one matched."""
    credits = conn.execute(select(BankCredit).where(
        BankCredit.note == row["note"], BankCredit.intent_id.is_(None))
        .order_by(BankCredit.id).with_for_update()).mappings().all()
    for credit in credits:
        if _mismatch(conn, row, credit["account_number"], credit["amount"]) is None:
            _confirm(conn, row["id"], credit["id"], credit["bank_transaction_id"], utc_iso())
            log.info("stored bank credit %s confirmed transfer intent %s",
                     credit["bank_transaction_id"], row["id"])
            return True
    return False


# --- for the manager and HQ IT -----------------------------------------------------------------
def overdue_unverified(conn: Connection, now: datetime | None = None,
                       grace: timedelta = UNVERIFIED_GRACE, limit: int = 1000) -> list[dict]:
    """Intents accepted offline with no bank credit after `grace` (a day): money the store
    may never receive. Oldest first."""
    cutoff = utc_iso((now or datetime.now(timezone.utc)) - grace)
    rows = conn.execute(select(TransferIntent).where(
        TransferIntent.state == "unverified", TransferIntent.accepted_offline_at < cutoff)
        .order_by(TransferIntent.accepted_offline_at).limit(limit)).mappings().all()
    return [_view(r).model_dump() | {"device_id": r["device_id"],
                                     "accepted_offline_at": r["accepted_offline_at"]}
            for r in rows]


def unmatched_credits(conn: Connection, limit: int = 1000) -> list[dict]:
    """Credits that confirmed nothing, newest first, with the reason (reconciliation: the
    content is shown to HQ staff here, never logged)."""
    rows = conn.execute(select(BankCredit).where(BankCredit.intent_id.is_(None))
                        .order_by(BankCredit.id.desc()).limit(limit)).mappings().all()
    return [dict(r) for r in rows]
