"""The wire of payments between the till and HQ: bank-transfer (VietQR) intents, the bank's
credit notification, gift cards, store credit, and the tender shapes of a sale.

Why: the till and HQ validate the same shapes (DESIGN.md §2: `hq/` reads `sync/`'s protocol
modules only); the rules both sides apply — what a gift card number looks like, what counts
as a card number that must never be stored — are defined once, here. docs/payments.md tells
the whole story (the webhook's signature, the ledgers, the limits).

Endpoints (HQ: hq/api/payments.py; till: sync/hq_client.py), device-authenticated unless said:

    POST /v1/payments/intents                   TransferIntentIn  -> TransferIntent
    GET  /v1/payments/intents/{id}                                -> TransferIntent
    POST /v1/payments/intents/{id}/cancel                         -> TransferIntent
    POST /v1/payments/bank-credits   (public, HMAC-signed)  BankCredit -> CreditReceipt
    POST /v1/payments/gift-cards/balance        GiftCardBalanceRequest -> GiftCardBalance
    POST /v1/payments/gift-cards/redeem         GiftCardRedeemRequest  -> Authorisation
    POST /v1/payments/gift-cards/void           GiftCardVoidRequest    -> VoidResult
    GET  /v1/payments/store-credit/{customer}/balance                  -> StoreCreditBalance
    POST /v1/payments/store-credit/redeem       StoreCreditRedeemRequest -> Authorisation
    POST /v1/payments/store-credit/void         StoreCreditVoidRequest -> VoidResult
    GET  /v1/payments/settings                                         -> PaymentSettings

Rules both sides rely on:
- Every authorisation is keyed by the till's payment id (a device-made UUID written in the
  payment intent before the request leaves the till). The same request again answers the
  same authorisation and never debits twice; a void of that id credits it back once, and a
  void that arrives first (the request was lost) makes the id unusable, so a late copy of
  the request cannot debit afterwards.
- A refusal (not enough balance, blocked, wrong PIN, ...) is an Authorisation with
  `approved` false, a `decline` code and a sentence for the cashier: nothing was debited.
  Any transport error means "unknown": ask again with the same payment id, or void it.
- A transfer intent is registered idempotently by its id; its `note`
  (pos_app.payments.transfer_note) is what the customer's bank copies into the transfer.

Gift card numbers: "G" + 11 random digits + one Damm check digit (python-stdnum), e.g.
"G123456789018", printed "G 1234 5678 9018". Never 13 digits or more, and never all digits:
it can never be mistaken for a card number (PAN) by a scanner, a log filter or an auditor.

Pure code: safe on any thread.
"""
from __future__ import annotations

import re
import secrets
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, field_validator
from stdnum import damm, ean, luhn

from sync.protocol import MAX_INT64, UUID_PATTERN

# --- gift card numbers -------------------------------------------------------------------------
GIFT_CARD_PREFIX = "G"
GIFT_CARD_DIGITS = 12  # 11 random + 1 check digit: below the 13 digits of the shortest PAN
GIFT_CARD_PATTERN = r"^G[0-9]{12}$"
_GIFT_CARD_RE = re.compile(GIFT_CARD_PATTERN)
GIFT_CARD_PIN_PATTERN = r"^[0-9]{4,6}$"
# What a request may call a gift card number: as typed or scanned (any case, spaces, dashes,
# dots); `normalise_gift_card` then checks the check digit.
GIFT_CARD_INPUT_PATTERN = r"^[ .\-]*[Gg](?:[ .\-]*[0-9]){12}[ .\-]*$"
# Amounts in requests: up to 10^15 minor units (exact as a JSON number everywhere; 2^63 is not
# for clients that read numbers as doubles).
MAX_AMOUNT = 10**15


class GiftCardNumberError(ValueError):
    """A gift card number that is not one; the message is shown to the cashier as is."""


def new_gift_card_number() -> str:
    """A fresh random number with its check digit (HQ makes them; the caller checks it is
    not already taken)."""
    body = "".join(secrets.choice("0123456789") for _ in range(GIFT_CARD_DIGITS - 1))
    return GIFT_CARD_PREFIX + body + damm.calc_check_digit(body)


def normalise_gift_card(text: str) -> str:
    """"G123456789018" from what was typed or scanned ("g 1234-5678-9018"); raises
    GiftCardNumberError with the reason when it is not a gift card number."""
    packed = re.sub(r"[\s\-.]", "", str(text)).upper()
    if not _GIFT_CARD_RE.match(packed):
        raise GiftCardNumberError(
            f"a gift card number is the letter G and {GIFT_CARD_DIGITS} digits")
    if not damm.is_valid(packed[1:]):
        raise GiftCardNumberError("the gift card number's check digit is wrong: a mistyped "
                                  "digit?")
    return packed


def format_gift_card(number: str) -> str:
    """"G 1234 5678 9018": how a number is printed and shown."""
    digits = number[1:]
    return " ".join([number[0], *(digits[i:i + 4] for i in range(0, len(digits), 4))])


# --- what must never be stored: numbers that look like card numbers ----------------------------
# A run of 13-19 digits, single spaces or dashes allowed between them, not touching a letter
# or digit on either side: "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111".
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9](?:[ \-]?[0-9]){12,18}(?![0-9A-Za-z])")
_NO_DIGITS = str.maketrans("", "", "0123456789")
_DIGITS_AS_9 = bytes.maketrans(b"0123456789", b"9999999999")
_THIRTEEN_DIGITS = b"9" * 13
_UUID_WHOLE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                         r"[0-9a-fA-F]{12}\Z")
_UUID_IN_TEXT = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                           r"[0-9a-fA-F]{12}")
# Product codes legitimately hold 13/14-digit GTINs (EAN-13, GTIN-14); one in ten of those is
# Luhn-valid by chance. In these fields a valid GTIN is a product code, not a card number.
_PRODUCT_CODE_KEYS = frozenset({"sku", "barcode", "gtin", "ean"})
# Integers under these keys are money, counts or positions, bounded by HQ's own checks: never
# a card number. Any other integer of 13-19 digits is scanned like text.
_NUMERIC_KEYS = frozenset({"amount", "total", "subtotal", "tax", "tax_total", "tendered",
                           "change", "list_price", "unit_price", "line_discount",
                           "basket_discount", "discount_total", "base", "quantity", "seq",
                           "line_no", "position", "rate_ppm", "tax_rate_ppm", "points"})


def pan_like(text: str) -> bool:
    """True when `text` holds a 13-19 digit Luhn-valid number (a possible full card number).
    UUIDs are left out first: an id's digit groups are not a card number."""
    if len(text) < 13 or len(text) - len(text.translate(_NO_DIGITS)) < 13 \
            or (len(text) == 36 and _UUID_WHOLE.match(text)):
        return False  # the common cases, cheaply: short text, few digits, an id
    if "-" in text:
        text = _UUID_IN_TEXT.sub(" ", text)
    for match in _DIGIT_RUN.finditer(text):
        digits = re.sub(r"[ \-]", "", match.group())
        if 13 <= len(digits) <= 19 and luhn.is_valid(digits):
            return True
    return False


def _may_hold_pan(document: dict | list) -> bool:
    """A quick look at the whole document as JSON bytes: with every space and dash deleted,
    a possible card number is a run of at least 13 digits. False (nearly every sale: HQ
    ingests thousands a second) means there is none; True only means "walk it" (ids, times
    and amounts run together here, the walk tells them apart)."""
    try:
        text = orjson.dumps(document)
    except (TypeError, orjson.JSONEncodeError):
        return True  # not plain JSON (an int beyond 64 bits, ...): the walk decides
    return _THIRTEEN_DIGITS in text.translate(_DIGITS_AS_9, b" -")


def pan_like_path(value: Any, path: str = "", key: str = "") -> str | None:
    """Where in a JSON document (dicts, lists, strings, numbers) a possible full card number
    is ("sale.payments[1].reference"), or None. Never returns the number itself. Run on every
    ingested event: a quick look at the whole first (`_may_hold_pan`), the walk only when it
    finds a long run of digits."""
    if not path and isinstance(value, (dict, list)) and not _may_hold_pan(value):
        return None
    found = _find(value, key)
    if found is None:
        return None
    for part in found:
        path = f"{path}[{part}]" if isinstance(part, int) else \
            (f"{path}.{part}" if path else str(part))
    return path or "value"


def _find(value: Any, key: str) -> list | None:
    kind = type(value)
    if kind is str:
        if key in _PRODUCT_CODE_KEYS and value.isdigit() and len(value) in (13, 14) \
                and ean.is_valid(value):
            return None
        return [] if pan_like(value) else None
    if kind is int:
        if key in _NUMERIC_KEYS or not 10**12 <= abs(value) < 10**19:
            return None
        return [] if luhn.is_valid(str(abs(value))) else None
    if kind is dict:
        for k, v in value.items():
            vk = type(v)
            if (vk is str and len(v) < 13) or (vk is int and -10**12 < v < 10**12) \
                    or v is None or vk is bool:
                continue
            found = _find(v, str(k))
            if found is not None:
                return [str(k), *found]
    elif kind is list:
        for i, v in enumerate(value):
            found = _find(v, key)
            if found is not None:
                return [i, *found]
    elif isinstance(value, (str, int, dict, list)) and not isinstance(value, bool):
        return _find(_plain(value), key)  # a subclass (str Enum, ...): as its plain value
    return None


def _plain(value: Any) -> Any:
    for plain in (str, int, dict, list):
        if isinstance(value, plain):
            return plain(value)
    return value


PAN_REMOVED = "[card number removed]"


def _redact_text(text: str) -> str:
    def cut(match: re.Match) -> str:
        digits = re.sub(r"[ \-]", "", match.group())
        return PAN_REMOVED if 13 <= len(digits) <= 19 and luhn.is_valid(digits) else \
            match.group()
    return _DIGIT_RUN.sub(cut, text) if not _UUID_IN_TEXT.search(text) else \
        _DIGIT_RUN.sub(cut, _UUID_IN_TEXT.sub(lambda m: m.group().replace("-", "\x00"), text)
                       ).replace("\x00", "-")


def redact_pans(value: Any, key: str = "") -> Any:
    """A copy of a JSON document with every possible full card number replaced by
    PAN_REMOVED (what HQ stores of an event it quarantines for holding one); the document
    itself when it holds none (the common case costs one scan)."""
    if pan_like_path(value, key=key) is None:
        return value
    if isinstance(value, str):
        return _redact_text(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return PAN_REMOVED
    if isinstance(value, dict):
        return {k: redact_pans(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_pans(v, key) for v in value]
    return value


MASKED_PAN_PATTERN = r"^\*{4} [0-9]{4}$"  # "**** 1234": the only card number a sale may hold


# --- tenders in a sale document (payload of "sale.completed") ----------------------------------
class Tender:
    """The tender words of a sale's payments (pos_app.tenders.TenderType values)."""

    CASH, CARD, QR_TRANSFER = "cash", "card", "qr_transfer"
    GIFT_CARD, STORE_CREDIT, LOYALTY = "gift_card", "store_credit", "loyalty"
    ALL = frozenset({CASH, CARD, QR_TRANSFER, GIFT_CARD, STORE_CREDIT, LOYALTY,
                     "loyalty_points"})  # the loyalty tender's older name


# A gift card sold at the till is a sale line of this kind (not merchandise: no variant in
# HQ's catalog, no stock move, no loyalty points); HQ loads the card when it ingests the sale.
GIFT_CARD_LINE_KIND = "gift_card"
GIFT_CARD_SKU = "GIFT-CARD"  # sku and variant_id of such a line (both are required fields)


class GiftCardLine(BaseModel):
    """What HQ reads of a gift card line (the line's other fields as for any line):

        {"id": <uuid>, "kind": "gift_card", "gift_card": "G123456789018",
         "variant_id": "GIFT-CARD", "sku": "GIFT-CARD", "quantity": 1, "amount": 500000, ...}

    `amount` is what the card is loaded with; the line id keys the load (exactly once)."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(pattern=UUID_PATTERN)
    kind: Literal["gift_card"]
    gift_card: str
    quantity: Literal[1]
    amount: int = Field(gt=0, le=MAX_INT64)

    @field_validator("gift_card")
    @classmethod
    def _number(cls, value: str) -> str:
        return normalise_gift_card(value)


class PaymentTender(BaseModel):
    """The fields of a sale's payment beyond id/tender/amount, as HQ checks them:

    - cash: `tendered` >= `amount`, `change` = tendered - amount.
    - card: `masked_pan` "**** 1234" (or none), `auth_code`, `reference`: never a full number.
    - qr_transfer: `intent_id`, the bank-transfer intent registered at HQ (default: the
      payment's own id); `offline_approved_by`, the manager who accepted it unconfirmed.
    - gift_card: `reference` = the card number; `auth_code` = HQ's authorisation code, or
      `offline` true when the till accepted it within its offline limits.
    - store_credit: the sale's `customer_id` is the account; `auth_code` or `offline` as
      for gift cards.
    - loyalty: `reference` "<points> pts" (docs/clienteling.md).
    """

    model_config = ConfigDict(extra="allow")
    id: str = Field(pattern=UUID_PATTERN)
    tender: str
    amount: int = Field(gt=0, le=MAX_INT64)
    tendered: int | None = Field(default=None, ge=0, le=MAX_INT64)
    change: int | None = Field(default=None, ge=0, le=MAX_INT64)
    reference: str | None = Field(default=None, max_length=64)
    masked_pan: str | None = Field(default=None, max_length=32)
    auth_code: str | None = Field(default=None, max_length=64)
    intent_id: str | None = Field(default=None, pattern=UUID_PATTERN)
    offline: bool = False
    offline_approved_by: str | None = Field(default=None, max_length=64)


# --- bank transfers (VietQR) -------------------------------------------------------------------
TransferState = Literal["pending", "confirmed", "unverified", "cancelled"]


class TransferIntentIn(BaseModel):
    """A VietQR payment the till is about to show (or accepted offline: `accepted_offline_by`
    names the approving manager; HQ keeps it "unverified" until a credit matches it).
    `store_id`, `currency` and `note` follow from the device and the intent id; when sent,
    HQ checks them (403 another store, 409 another currency or note)."""

    model_config = ConfigDict(extra="forbid")
    intent_id: str = Field(pattern=UUID_PATTERN)
    amount: int = Field(gt=0, le=MAX_AMOUNT)
    store_id: str | None = Field(default=None, pattern=UUID_PATTERN)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    note: str | None = Field(default=None, pattern=r"^SL[0-9A-F]{12}$")
    accepted_offline_by: str | None = Field(default=None, min_length=1, max_length=64)


class TransferIntent(BaseModel):
    """HQ's view of an intent. `state`: pending (waiting for the bank), confirmed (a credit
    matched: `bank_transaction_id`), unverified (accepted offline by a manager, no credit
    yet), cancelled (the till gave up on it before any credit)."""

    intent_id: str
    store_id: str
    amount: int
    currency: str
    note: str
    state: TransferState
    bank_transaction_id: str | None = None
    confirmed_at: str | None = None
    accepted_offline_by: str | None = None
    created_at: str


class BankCredit(BaseModel):
    """A bank's credit notification as bank-matching services send it (SePay's shape; a
    Casso v2 body {"data": {...}} is read into the same fields by HQ). Only these fields are
    read; others are ignored."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    id: Annotated[str, Field(min_length=1, max_length=64)] | Annotated[
        int, Field(ge=-MAX_INT64, le=MAX_INT64)] = Field(
        description="the service's transaction id: the dedup key")
    gateway: str | None = Field(default=None, max_length=100)  # the bank's name
    transactionDate: str | None = Field(default=None, max_length=40)
    accountNumber: str = Field(min_length=1, max_length=40)
    content: str = Field(default="", max_length=1000)
    transferType: Literal["in", "out"] = "in"
    transferAmount: int = Field(ge=0, le=MAX_INT64)
    referenceCode: str | None = Field(default=None, max_length=100)


CreditOutcome = Literal["confirmed", "duplicate", "unmatched", "ignored"]


class CreditReceipt(BaseModel):
    """HQ's answer to the webhook (2xx: stored; the service must not send it again)."""

    success: bool = True
    outcome: CreditOutcome
    intent_id: str | None = None
    reason: str | None = None  # why unmatched / ignored


# --- gift cards and store credit ---------------------------------------------------------------
class GiftCardBalanceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    card: str = Field(max_length=32, pattern=GIFT_CARD_INPUT_PATTERN)
    pin: str = Field(pattern=GIFT_CARD_PIN_PATTERN, repr=False)


class GiftCardBalance(BaseModel):
    card: str
    balance: int
    currency: str
    state: Literal["inactive", "active", "blocked"]


class GiftCardRedeemRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    payment_id: str = Field(pattern=UUID_PATTERN)
    card: str = Field(max_length=32, pattern=GIFT_CARD_INPUT_PATTERN)
    pin: str = Field(pattern=GIFT_CARD_PIN_PATTERN, repr=False)
    amount: int = Field(gt=0, le=MAX_AMOUNT)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class StoreCreditRedeemRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    payment_id: str = Field(pattern=UUID_PATTERN)
    customer_id: str = Field(pattern=UUID_PATTERN)
    amount: int = Field(gt=0, le=MAX_AMOUNT)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


Decline = Literal["insufficient_balance", "blocked", "wrong_pin", "pin_locked",
                  "not_activated", "unknown_card", "no_account", "currency", "voided"]


class Authorisation(BaseModel):
    """HQ's answer to a redemption. Approved: `auth_code` goes on the sale's payment, and
    `balance` is what is left. Declined: `decline` and `reason` (shown as is); nothing moved."""

    payment_id: str
    approved: bool
    amount: int = 0  # debited (0 when declined)
    currency: str
    balance: int | None = None  # after the debit; None when not to be shown (wrong PIN, ...)
    auth_code: str | None = None
    decline: Decline | None = None
    reason: str | None = None


class GiftCardVoidRequest(BaseModel):
    """Give back what `payment_id` took from the card (the card names the row HQ locks)."""

    model_config = ConfigDict(extra="forbid")
    payment_id: str = Field(pattern=UUID_PATTERN)
    card: str = Field(max_length=32, pattern=GIFT_CARD_INPUT_PATTERN)


class StoreCreditVoidRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    payment_id: str = Field(pattern=UUID_PATTERN)
    customer_id: str = Field(pattern=UUID_PATTERN)


class VoidResult(BaseModel):
    """`credited`: what the void gave back (0 when the payment id never debited: it is now
    unusable all the same). `balance`: the account's balance after."""

    payment_id: str
    credited: int
    balance: int | None = None


class StoreCreditBalance(BaseModel):
    customer_id: str
    balance: int
    currency: str | None  # None: the customer has no store credit account


class PaymentSettings(BaseModel):
    """The payment settings of the device's store (sync.protocol_store_settings)."""

    vietqr_bank_bin: str | None
    vietqr_account_number: str | None
    vietqr_account_name: str | None
    gift_card_offline_max_per_card: int
    gift_card_offline_max_per_device_day: int
    vietqr_offline_max_per_device_day: int
    standalone_card_manager_threshold: int


__all__ = [
    "Authorisation", "BankCredit", "CreditReceipt", "GIFT_CARD_LINE_KIND", "GIFT_CARD_PATTERN",
    "GIFT_CARD_SKU", "GiftCardBalance", "GiftCardBalanceRequest", "GiftCardLine",
    "GiftCardNumberError", "GiftCardRedeemRequest", "GIFT_CARD_INPUT_PATTERN", "MAX_AMOUNT",
    "MASKED_PAN_PATTERN", "PaymentSettings",
    "PaymentTender", "StoreCreditBalance", "StoreCreditRedeemRequest", "Tender",
    "TransferIntent", "TransferIntentIn", "GiftCardVoidRequest", "StoreCreditVoidRequest",
    "VoidResult", "format_gift_card",
    "new_gift_card_number", "normalise_gift_card", "pan_like", "pan_like_path", "redact_pans",
]
