"""Gift cards at HQ: made in batches (number + scratch PIN), loaded when HQ ingests the sale
that sold them, checked and redeemed online by the tills, voided by a till's crash recovery,
blocked and unblocked by HQ IT.

Why: a gift card's balance is spent from any store, so HQ holds it (a ledger of deltas,
hq/services/payment_ledger.py) and authorises each redemption under a lock of the card's row:
two tills cannot spend the same balance, and a repeated request never debits twice. The
number cannot be taken for a card number ("G" + 12 digits: sync.protocol_payments); the PIN
is kept as an argon2id hash only, never logged, and MAX_PIN_FAILURES wrong PINs in a row
lock the card until HQ IT unblocks it (a till's 4-6 digit PIN is guessable otherwise).

A card is "inactive" until its load entry exists (the sale with its gift card line reached
HQ: hq/services/payments.py), "blocked" while `blocked_at` is set, else "active".

Plain functions on a Connection: a request thread (hq/api/payments.py) or the CLI; the
caller's transaction commits. PIN checks are slow by design (argon2, ~tens of ms).
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, insert, select, update

from hq.db.models.payments import GiftCard, GiftCardEntry
from hq.services import payment_ledger as pl
from hq.services.common import NotFound, ServiceError, utc_iso
from hq.services.enrolment import AuthenticatedDevice
from sync.protocol_payments import (Authorisation, GiftCardBalance, GiftCardNumberError,
                                    VoidResult, new_gift_card_number, normalise_gift_card)

log = logging.getLogger(__name__)
LEDGER = pl.Ledger(GiftCardEntry, "card_number", "GC")
LOAD = "load"
MAX_PIN_FAILURES = 5
MAX_BATCH = 10_000
# The till's own argon2id parameters (pos_app/auth.py): a check answers well under a second.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@dataclass(frozen=True)
class Refusal:
    """A balance check HQ refuses (after committing what it counted: a wrong PIN)."""

    status: int
    reason: str


def number_of(text: str) -> str:
    """The normalised number; NotFound (404) saying what is wrong with it: no card has a
    number that is not one (the API's schema already refused what is not "G" + 12 digits)."""
    try:
        return normalise_gift_card(text)
    except GiftCardNumberError as exc:
        raise NotFound(f"no gift card with this number: {exc}") from None


def create_cards(conn: Connection, count: int, currency: str, pin_digits: int = 6
                 ) -> list[tuple[str, str]]:
    """`count` new inactive cards: [(number, PIN)], shown once to whoever prints them; HQ
    keeps only the PIN's hash."""
    if not 1 <= count <= MAX_BATCH:
        raise ServiceError(f"make between 1 and {MAX_BATCH} gift cards at a time")
    if not 4 <= pin_digits <= 6:
        raise ServiceError("a gift card PIN has 4 to 6 digits")
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise ServiceError(f"currency {currency!r} is not an ISO 4217 code such as VND")
    now, made, numbers = utc_iso(), [], set()
    while len(made) < count:
        number = new_gift_card_number()
        if number in numbers or conn.execute(select(GiftCard.number).where(
                GiftCard.number == number)).first() is not None:
            continue
        numbers.add(number)
        made.append((number, "".join(secrets.choice("0123456789") for _ in range(pin_digits))))
    conn.execute(insert(GiftCard), [{"number": n, "pin_hash": _HASHER.hash(p),
                                     "currency": currency, "created_at": now,
                                     "blocked_at": None, "blocked_reason": None,
                                     "pin_failures": 0} for n, p in made])
    return made


def _activated(conn: Connection, number: str) -> bool:
    return conn.execute(select(GiftCardEntry.id).where(
        GiftCardEntry.card_number == number, GiftCardEntry.kind == LOAD).limit(1)
    ).first() is not None


def state_of(conn: Connection, card) -> str:
    if card["blocked_at"] is not None:
        return "blocked"
    return "active" if _activated(conn, card["number"]) else "inactive"


def _pin_ok(conn: Connection, card, pin: str) -> bool:
    """Check the PIN of a locked card row, counting failures (committed by the caller)."""
    try:
        ok = _HASHER.verify(card["pin_hash"], pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    failures = 0 if ok else card["pin_failures"] + 1
    if failures != card["pin_failures"]:
        conn.execute(update(GiftCard).where(GiftCard.number == card["number"])
                     .values(pin_failures=failures))
    if not ok:
        log.info("gift card %s: wrong PIN (%d in a row)", card["number"][-4:], failures)
    return ok


def check_balance(conn: Connection, card_text: str, pin: str) -> GiftCardBalance | Refusal:
    """The card's balance and state, for the right PIN."""
    number = number_of(card_text)
    card = pl.lock(conn, GiftCard.number, number)
    if card is None:
        return Refusal(404, "no gift card with this number")
    if card["pin_failures"] >= MAX_PIN_FAILURES:
        return Refusal(403, "too many wrong PINs: the card is locked; HQ can unlock it")
    if not _pin_ok(conn, card, pin):
        return Refusal(403, "wrong PIN")
    return GiftCardBalance(card=number, balance=pl.balance(conn, LEDGER, number),
                           currency=card["currency"], state=state_of(conn, card))


def redeem(conn: Connection, device: AuthenticatedDevice, payment_id: str, card_text: str,
           pin: str, amount: int, currency: str) -> Authorisation:
    """Authorise `amount` from the card for the till's `payment_id` (exactly once)."""
    number = number_of(card_text)
    card = pl.lock(conn, GiftCard.number, number)
    if card is None:
        return pl.declined(payment_id, currency, "unknown_card", "no gift card with this number")
    if card["pin_failures"] >= MAX_PIN_FAILURES:
        return pl.declined(payment_id, currency, "pin_locked",
                           "too many wrong PINs: the card is locked; HQ can unlock it")
    if not _pin_ok(conn, card, pin):
        return pl.declined(payment_id, currency, "wrong_pin", "wrong PIN")
    if card["blocked_at"] is not None:
        return pl.declined(payment_id, currency, "blocked",
                           f"this gift card is blocked: {card['blocked_reason'] or 'ask HQ'}")
    if card["currency"] != currency:
        return pl.declined(payment_id, currency, "currency",
                           f"this gift card is in {card['currency']}, not {currency}")
    if not _activated(conn, number):
        return pl.declined(payment_id, currency, "not_activated",
                           "this gift card is not activated: its sale has not reached HQ yet")
    return pl.authorise(conn, LEDGER, number, payment_id, amount, currency,
                        store_id=device.store_id, device_id=device.id, at=utc_iso())


def void(conn: Connection, device: AuthenticatedDevice, payment_id: str, card_text: str
         ) -> VoidResult:
    """Credit back what `payment_id` took from the card (the till's sale never committed)."""
    number = number_of(card_text)
    if pl.lock(conn, GiftCard.number, number) is None:
        raise NotFound("no gift card with this number")
    return pl.void(conn, LEDGER, number, payment_id, store_id=device.store_id,
                   device_id=device.id, at=utc_iso())


def set_blocked(conn: Connection, card_text: str, blocked: bool, reason: str | None = None
                ) -> dict:
    """Block a card (lost, stolen, fraud) or unblock it; unblocking also clears its wrong-PIN
    count."""
    number = number_of(card_text)
    card = pl.lock(conn, GiftCard.number, number)
    if card is None:
        raise NotFound("no gift card with this number")
    if blocked:
        values = {"blocked_at": utc_iso(), "blocked_reason": (reason or "blocked by HQ")[:500]}
    else:
        values = {"blocked_at": None, "blocked_reason": None, "pin_failures": 0}
    conn.execute(update(GiftCard).where(GiftCard.number == number).values(**values))
    card = {**card, **values}
    return {"card": number, "state": state_of(conn, card),
            "balance": pl.balance(conn, LEDGER, number), "currency": card["currency"],
            "blocked_reason": card["blocked_reason"]}
