"""HTTP routes of payments (sync/protocol_payments.py): VietQR transfer intents and the bank's
signed credit webhook, gift cards and store credit for the tills, and their admin side.

Why: the bank confirms a transfer to HQ, and HQ holds the balances several tills spend at
once (docs/payments.md). The tills' routes are DeviceRoutes (authenticated and rate-limited
before their body is read, hq/api/routing.py); a device sees its own store's intents only.
The webhook is public but signed: HMAC-SHA256 over the raw body with a secret HQ IT shares
with the bank-matching service (`X-Storeline-Signature: sha256=<hex>`), compared in constant
time BEFORE the body is parsed; a missing or wrong signature is 401 and nothing is stored,
and counts as a failed authentication of the client's address (hq/api/gate.py). Several
secrets may be configured at once (rotation): any of them signs. No secret configured: every
notification is refused (401), and `pos-hq serve` says so at start-up.

Threads: plain `def` handlers on FastAPI's threadpool; the webhook is async only to read its
raw body, then verifies and stores on the threadpool. One transaction per request.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Annotated, Callable, Sequence

from fastapi import APIRouter, Body, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hq.api.openapi import body_ref
from hq.api.routing import (AdminRoute, DeviceRoute, ErrorBody, PublicRoute, client_address,
                            device_of, error_responses)
from hq.services import bank_transfers, gift_cards, store_credit
from hq.services.store_settings import settings_of
from sync.protocol import UUID_PATTERN
from sync.protocol_payments import (GIFT_CARD_INPUT_PATTERN, Authorisation, BankCredit,
                                    CreditReceipt, GiftCardBalance, GiftCardBalanceRequest,
                                    GiftCardRedeemRequest, GiftCardVoidRequest,
                                    PaymentSettings, StoreCreditBalance,
                                    StoreCreditRedeemRequest, StoreCreditVoidRequest,
                                    TransferIntent, TransferIntentIn, VoidResult)
from sync.text_fields import RefusesControlCharacters, TextRule

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Storeline-Signature"
WEBHOOK_PATH = "/v1/payments/bank-credits"
MAX_CARDS_PER_REQUEST = 100
_Text = Annotated[str, TextRule()]
_FORBIDDEN = {403: {"model": ErrorBody, "description": "refused: another store's intent, a "
                                                     "wrong PIN or a locked card"}}
_CONFLICT = {409: {"model": ErrorBody, "description": "an id already used differently, or "
                                                  "a state that forbids it"}}


class IntentBody(RefusesControlCharacters, TransferIntentIn):
    pass


class BalanceBody(RefusesControlCharacters, GiftCardBalanceRequest):
    pass


class GiftRedeemBody(RefusesControlCharacters, GiftCardRedeemRequest):
    pass


class CreditRedeemBody(RefusesControlCharacters, StoreCreditRedeemRequest):
    pass


class GiftVoidBody(RefusesControlCharacters, GiftCardVoidRequest):
    pass


class CreditVoidBody(RefusesControlCharacters, StoreCreditVoidRequest):
    pass


class NewCardsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Each PIN is hashed with argon2 (tens of ms): a request stays short; the CLI
    # (`pos-hq gift-cards`) makes larger batches.
    count: int = Field(ge=1, le=MAX_CARDS_PER_REQUEST)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    pin_digits: int = Field(default=6, ge=4, le=6)


class BlockBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: _Text | None = Field(default=None, max_length=500)


class IssueBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=UUID_PATTERN, description="made by the caller: a retry is safe")
    customer_id: str = Field(pattern=UUID_PATTERN)
    amount: int = Field(gt=0, le=store_credit.MAX_ISSUE)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    by: Annotated[str, TextRule("by", non_blank=True)] = Field(
        min_length=1, max_length=100, description="the manager who decided it")
    reason: Annotated[str, TextRule("reason", non_blank=True)] = Field(min_length=1,
                                                                      max_length=500)


def signature_ok(secrets: Sequence[bytes], raw: bytes, header: str | None) -> bool:
    """True when `header` is "sha256=<hex>" of HMAC-SHA256(secret, raw) for one of
    `secrets` (constant-time compares)."""
    if not header or not secrets:
        return False
    given = header.strip()
    if given.lower().startswith("sha256="):
        given = given[7:]
    given_bytes = given.strip().lower().encode("ascii", "replace")
    ok = False
    for secret in secrets:
        expected = hmac.new(secret, raw, hashlib.sha256).hexdigest().encode()
        ok |= hmac.compare_digest(expected, given_bytes)
    return ok


def sign(secret: bytes, raw: bytes) -> str:
    """The header value a sender puts on `raw` (tests, benchmarks, a relay)."""
    return "sha256=" + hmac.new(secret, raw, hashlib.sha256).hexdigest()


def parse_credit(raw: bytes) -> BankCredit:
    """The notification in SePay's shape, or Casso's v2 {"data": {...}} read into it; 422
    naming the field when neither."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(400, "the notification is not JSON") from None
    if isinstance(body, dict) and isinstance(body.get("data"), dict):  # Casso webhook v2
        d = body["data"]
        amount = d.get("amount")
        body = {"id": d.get("id"), "gateway": d.get("bankName"),
                "transactionDate": d.get("transactionDateTime"),
                "accountNumber": d.get("accountNumber"), "content": d.get("description", ""),
                "transferType": "out" if isinstance(amount, int) and amount < 0 else "in",
                "transferAmount": abs(amount) if isinstance(amount, int) else amount,
                "referenceCode": d.get("reference")}
    try:
        return BankCredit.model_validate(body)
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in
                                      exc.errors(include_url=False)]) from None


def webhook_router(in_transaction: Callable, secrets: Sequence[bytes]) -> APIRouter:
    r = APIRouter(route_class=PublicRoute)
    secrets = tuple(s for s in secrets if s)

    def receive(raw: bytes, signature: str | None, client: str, gate) -> CreditReceipt:
        gate._refuse_spent_address(client)
        if not signature_ok(secrets, raw, signature):
            log.warning("bank credit notification refused: %s signature from %s",
                        "missing" if not signature else "wrong", client)
            gate._count_failure(client, None, "webhook")
            raise HTTPException(401, "missing or wrong signature" if secrets else
                                "no webhook secret is configured at HQ: nothing is accepted",
                                headers={"WWW-Authenticate": "HMAC-SHA256"})
        credit = parse_credit(raw)
        return in_transaction(lambda conn: bank_transfers.receive_credit(conn, credit))

    @r.post(WEBHOOK_PATH, response_model=CreditReceipt, openapi_extra=body_ref(BankCredit),
            responses=error_responses(400, 401, 429))
    async def bank_credit(request: Request) -> CreditReceipt:
        """A bank's credit notification, signed (module docstring). Any 2xx means HQ holds
        it: the same transaction again is answered "duplicate"."""
        raw = await request.body()
        return await run_in_threadpool(receive, raw, request.headers.get(SIGNATURE_HEADER),
                                       client_address(request), request.app.state.gate)

    return r


def device_router(in_transaction: Callable) -> APIRouter:
    r = APIRouter(route_class=DeviceRoute)

    @r.post("/v1/payments/intents", response_model=TransferIntent,
            responses={**_CONFLICT, **_FORBIDDEN})
    def register_intent(request: Request, body: IntentBody) -> TransferIntent:
        device = device_of(request)
        return in_transaction(lambda conn: bank_transfers.register(conn, device, body))

    @r.get("/v1/payments/intents/{intent_id}", response_model=TransferIntent)
    def transfer_intent(request: Request, intent_id: str = Path(pattern=UUID_PATTERN)
                        ) -> TransferIntent:
        device = device_of(request)
        return in_transaction(lambda conn: bank_transfers.intent(conn, device, intent_id))

    @r.post("/v1/payments/intents/{intent_id}/cancel", response_model=TransferIntent,
            responses=_CONFLICT)
    def cancel_intent(request: Request, intent_id: str = Path(pattern=UUID_PATTERN)
                      ) -> TransferIntent:
        device = device_of(request)
        return in_transaction(lambda conn: bank_transfers.cancel(conn, device, intent_id))

    @r.post("/v1/payments/gift-cards/balance", response_model=GiftCardBalance,
            responses=_FORBIDDEN)
    def gift_card_balance(body: BalanceBody) -> GiftCardBalance:
        answer = in_transaction(lambda conn: gift_cards.check_balance(conn, body.card,
                                                                      body.pin))
        if isinstance(answer, gift_cards.Refusal):  # after the commit: wrong PINs count
            raise HTTPException(answer.status, answer.reason)
        return answer

    @r.post("/v1/payments/gift-cards/redeem", response_model=Authorisation,
            responses=_CONFLICT)
    def redeem_gift_card(request: Request, body: GiftRedeemBody) -> Authorisation:
        device = device_of(request)
        return in_transaction(lambda conn: gift_cards.redeem(
            conn, device, body.payment_id, body.card, body.pin, body.amount, body.currency))

    @r.post("/v1/payments/gift-cards/void", response_model=VoidResult, responses=_CONFLICT)
    def void_gift_card(request: Request, body: GiftVoidBody) -> VoidResult:
        device = device_of(request)
        return in_transaction(lambda conn: gift_cards.void(
            conn, device, body.payment_id, body.card))

    @r.get("/v1/payments/store-credit/{customer_id}/balance",
           response_model=StoreCreditBalance)
    def credit_balance(customer_id: str = Path(pattern=UUID_PATTERN)) -> StoreCreditBalance:
        return in_transaction(lambda conn: store_credit.balance(conn, customer_id))

    @r.post("/v1/payments/store-credit/redeem", response_model=Authorisation,
            responses=_CONFLICT)
    def redeem_store_credit(request: Request, body: CreditRedeemBody) -> Authorisation:
        device = device_of(request)
        return in_transaction(lambda conn: store_credit.redeem(
            conn, device, body.payment_id, body.customer_id, body.amount, body.currency))

    @r.post("/v1/payments/store-credit/void", response_model=VoidResult, responses=_CONFLICT)
    def void_store_credit(request: Request, body: CreditVoidBody) -> VoidResult:
        device = device_of(request)
        return in_transaction(lambda conn: store_credit.void(
            conn, device, body.payment_id, body.customer_id))

    @r.get("/v1/payments/settings", response_model=PaymentSettings)
    def payment_settings(request: Request) -> PaymentSettings:
        device = device_of(request)
        s = in_transaction(lambda conn: settings_of(conn, device.store_id))
        return PaymentSettings.model_validate(s.model_dump(include=set(
            PaymentSettings.model_fields)))

    return r


def admin_router(in_transaction: Callable) -> APIRouter:
    r = APIRouter(route_class=AdminRoute)
    card_path = Path(max_length=32, pattern=GIFT_CARD_INPUT_PATTERN)

    @r.post("/v1/admin/gift-cards")
    def new_gift_cards(body: NewCardsBody = Body()) -> dict:
        """Make inactive cards; their numbers and PINs are in this answer only."""
        made = in_transaction(lambda conn: gift_cards.create_cards(
            conn, body.count, body.currency, body.pin_digits))
        return {"cards": [{"number": n, "pin": p} for n, p in made]}

    @r.post("/v1/admin/gift-cards/{card}/block")
    def block(card: str = card_path, body: BlockBody = Body(default=BlockBody())) -> dict:
        return in_transaction(lambda conn: gift_cards.set_blocked(conn, card, True,
                                                                  body.reason))

    @r.post("/v1/admin/gift-cards/{card}/unblock")
    def unblock(card: str = card_path) -> dict:
        return in_transaction(lambda conn: gift_cards.set_blocked(conn, card, False))

    @r.post("/v1/admin/store-credit", responses=_CONFLICT)
    def issue_store_credit(body: IssueBody) -> dict:
        return in_transaction(lambda conn: store_credit.issue(
            conn, body.id, body.customer_id, body.amount, body.currency, body.by,
            body.reason))

    @r.get("/v1/admin/payments/unverified-transfers")
    def unverified(limit: int = Query(default=1000, ge=1, le=10_000)) -> dict:
        return {"intents": in_transaction(lambda conn: bank_transfers.overdue_unverified(
            conn, limit=limit))}

    @r.get("/v1/admin/payments/unmatched-credits")
    def unmatched(limit: int = Query(default=1000, ge=1, le=10_000)) -> dict:
        return {"credits": in_transaction(lambda conn: bank_transfers.unmatched_credits(
            conn, limit))}

    return r


__all__ = ["SIGNATURE_HEADER", "WEBHOOK_PATH", "admin_router",
           "device_router", "sign", "signature_ok", "webhook_router"]
