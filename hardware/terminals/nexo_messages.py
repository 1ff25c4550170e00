"""Adyen Terminal API messages (nexo Sale to POI, protocol 3.0): the requests the till sends
and the reading of the terminal's answers into `pos_app.payments.terminal.TerminalResult`.

Why: the till names every terminal transaction after its durable payment intent, so a lost
answer can be looked up instead of paying again:

- a payment's SaleTransactionID.TransactionID is the intent id, and its MessageHeader
  ServiceID (at most 10 characters, unique per request) is the first 10 hex digits of the
  intent's UUID (`payment_service_id`): after a crash the till finds the payment again by
  asking TransactionStatus with MessageReference {SaleID, that ServiceID, Payment}, and an
  AbortRequest names the same ServiceID. Every other request gets a fresh random ServiceID.
- amounts are exact: RequestedAmount is a JSON number in major units made from the integer
  minor units by the currency's exponent (CLDR through Babel: VND 0, USD 2), and answers are
  read back with `Decimal` (json parse_float), never a float.

Reading an answer keeps only what the till may keep (DESIGN.md §3): the reference
(POIData.POITransactionID.TransactionID, "tenderReference.pspReference", which a reversal or
refund names), the approval code, the brand, "**** 1234" from the masked PAN (Adyen sends
"411111 **** 1111": the BIN is dropped), the refusal reason, and the cardholder slip's lines
(CustomerReceipt; CardholderReceipt in plain nexo) with any card number in them masked. The
AdditionalResponse (form-encoded or base64 JSON) is read for refusalReason / message /
authCode / paymentMethod and thrown away: it carries cardBin, issuer and holder data.

Mapping of Response.Result / ErrorCondition (nexo): Success and Partial -> APPROVED for the
authorised amount; Failure with Aborted or Cancel -> CANCELLED; Busy or InProgress -> BUSY;
NotFound (status) -> NOT_FOUND; any other Failure (Refusal, WrongPIN, InvalidCard,
PaymentRestriction, NotAllowed, UnavailableService, ...) -> DECLINED; anything else, or an
answer about another transaction, -> UNKNOWN. A TransactionStatus InProgress is UNKNOWN (ask
again later). A successful reversal or refund is APPROVED for the amount given back.

Pure code: any thread.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import uuid
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl

from pos_app.money import minor_digits
from pos_app.payments.terminal import TerminalOutcome, TerminalResult

PROTOCOL_VERSION = "3.0"
CUSTOMER_SLIPS = ("CustomerReceipt", "CardholderReceipt")
_ERROR_OUTCOMES = {
    "Aborted": TerminalOutcome.CANCELLED,  # the Sale System's AbortRequest was processed
    "Cancel": TerminalOutcome.CANCELLED,  # cancelled on the terminal
    "Busy": TerminalOutcome.BUSY,
    "InProgress": TerminalOutcome.BUSY,  # another transaction is in progress
    "NotFound": TerminalOutcome.NOT_FOUND,
}
_CARD_RUN = re.compile(r"(?<![0-9A-Za-z])(?:\d[ -]?){12,18}\d(?![0-9A-Za-z])")


# --- identifiers, time, money ----------------------------------------------------------------
def payment_service_id(intent_id: str) -> str:
    """The ServiceID of the payment for `intent_id`: the first 10 hex digits of its UUID."""
    return intent_uuid(intent_id).hex[:10]


def fresh_service_id() -> str:
    """A random 10-character ServiceID for a request nobody needs to find again."""
    return secrets.token_hex(5)


def intent_uuid(intent_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(intent_id))
    except ValueError:
        raise ValueError(f"A payment intent id is a UUID, not {intent_id!r}") from None


def timestamp(moment: datetime | None = None) -> str:
    """nexo ISODateTime in UTC with milliseconds: "2026-12-07T19:02:16.123Z"."""
    moment = (moment or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def major_units(minor: int, currency: str) -> Decimal:
    """The exact amount in major units: (1250, "USD") -> 12.50; (1250000, "VND") -> 1250000."""
    if not isinstance(minor, int) or isinstance(minor, bool):
        raise TypeError(f"An amount is a whole number of minor units, not {minor!r}")
    return Decimal(minor).scaleb(-minor_digits(currency))


def minor_units(value: object, currency: str) -> int:
    """Minor units of an amount the terminal sent (Decimal or int); ValueError when it is not
    a whole number of the currency's minor units."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise ValueError(f"Not an amount: {value!r}")
    try:
        scaled = Decimal(value).scaleb(minor_digits(currency))
    except InvalidOperation:
        raise ValueError(f"Not an amount: {value!r}") from None
    if not scaled.is_finite() or scaled != scaled.to_integral_value():
        raise ValueError(f"{value} {currency} is not a whole number of minor units")
    return int(scaled)


# --- requests --------------------------------------------------------------------------------
def header(category: str, sale_id: str, service_id: str, poiid: str) -> dict:
    return {"ProtocolVersion": PROTOCOL_VERSION, "MessageClass": "Service",
            "MessageCategory": category, "MessageType": "Request", "SaleID": sale_id,
            "ServiceID": service_id, "POIID": poiid}


def payment_request(intent_id: str, amount: int, currency: str, sale_id: str, poiid: str,
                    now: datetime | None = None) -> dict:
    if amount <= 0:
        raise ValueError(f"A card payment is for more than zero, not {amount}")
    return {"SaleToPOIRequest": {
        "MessageHeader": header("Payment", sale_id, payment_service_id(intent_id), poiid),
        "PaymentRequest": {
            "SaleData": {"SaleTransactionID": {"TransactionID": str(intent_uuid(intent_id)),
                                               "TimeStamp": timestamp(now)}},
            "PaymentTransaction": {"AmountsReq": {
                "Currency": currency, "RequestedAmount": major_units(amount, currency)}},
        },
    }}


def abort_request(intent_id: str, sale_id: str, poiid: str) -> dict:
    return {"SaleToPOIRequest": {
        "MessageHeader": header("Abort", sale_id, fresh_service_id(), poiid),
        "AbortRequest": {
            "AbortReason": "MerchantAbort",
            "MessageReference": {"MessageCategory": "Payment", "SaleID": sale_id,
                                 "ServiceID": payment_service_id(intent_id)},
        },
    }}


def status_request(intent_id: str, sale_id: str, poiid: str) -> dict:
    return {"SaleToPOIRequest": {
        "MessageHeader": header("TransactionStatus", sale_id, fresh_service_id(), poiid),
        "TransactionStatusRequest": {
            "ReceiptReprintFlag": True,
            "DocumentQualifier": ["CashierReceipt", "CustomerReceipt"],
            "MessageReference": {"MessageCategory": "Payment", "SaleID": sale_id,
                                 "ServiceID": payment_service_id(intent_id)},
        },
    }}


def reversal_request(transaction_id: str, original_reference: str, original_time: str,
                     sale_id: str, poiid: str, reversed_amount: Decimal | None = None,
                     now: datetime | None = None) -> dict:
    """A ReversalRequest: the whole payment (no ReversedAmount) or, as Adyen's referenced
    refund, part of it. `transaction_id` (the intent's or the refund's UUID) names this
    reversal in SaleData, as Adyen's "refund with your own reference" does."""
    body: dict = {
        "OriginalPOITransaction": {"POITransactionID": {"TransactionID": original_reference,
                                                        "TimeStamp": original_time}},
        "ReversalReason": "MerchantCancel",
        "SaleData": {"SaleTransactionID": {"TransactionID": transaction_id,
                                           "TimeStamp": timestamp(now)}},
    }
    if reversed_amount is not None:
        body["ReversedAmount"] = reversed_amount
    return {"SaleToPOIRequest": {
        "MessageHeader": header("Reversal", sale_id, fresh_service_id(), poiid),
        "ReversalRequest": body}}


# --- reading answers -------------------------------------------------------------------------
def additional_response(raw: object) -> dict[str, str]:
    """The AdditionalResponse as a flat dict: form-encoded "a=b&c=d", or base64 of a JSON
    object (its "additionalData" merged in). Read, used and dropped: it holds card data."""
    if not isinstance(raw, str) or not raw:
        return {}
    try:
        decoded = json.loads(base64.b64decode(raw, validate=True).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        decoded = None
    if isinstance(decoded, dict):
        flat = {k: str(v) for k, v in decoded.items() if isinstance(v, (str, int, float))}
        nested = decoded.get("additionalData")
        if isinstance(nested, dict):
            flat.update({k: str(v) for k, v in nested.items()
                         if isinstance(v, (str, int, float))})
        return flat
    return dict(parse_qsl(raw, keep_blank_values=True))


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def scrub_card_numbers(text: str) -> str:
    """`text` with every card-number-like run (13-19 digits, Luhn-valid, spaces or dashes
    allowed) reduced to "**** 1234"."""
    def mask(match: re.Match) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return f"**** {digits[-4:]}" if luhn_valid(digits) else match.group(0)
    return _CARD_RUN.sub(mask, text)


def last_four(masked_pan: object) -> str | None:
    """"**** 1111" from whatever the terminal sent ("411111 **** 1111", "************1111");
    None when it has fewer than four digits at its end."""
    if not isinstance(masked_pan, str):
        return None
    tail = re.search(r"(\d{4})\D*$", masked_pan)
    return f"**** {tail.group(1)}" if tail else None


def receipt_lines(receipts: object, slips: tuple[str, ...] = CUSTOMER_SLIPS
                  ) -> tuple[str, ...]:
    """The lines of the cardholder slip: Adyen's "name=Date&value=29%2f04%2f19&key=txdate"
    becomes "Date: 29/04/19", key=filler a blank line; unset header slots are dropped and
    the card line keeps only its last four digits."""
    if not isinstance(receipts, list):
        return ()
    chosen = next((r for r in receipts if isinstance(r, dict)
                   and r.get("DocumentQualifier") in slips), None)
    items = ((chosen or {}).get("OutputContent") or {}).get("OutputText")
    if not isinstance(items, list):
        return ()
    lines: list[str] = []
    pending = ""
    for item in items:
        text = item.get("Text") if isinstance(item, dict) else None
        if not isinstance(text, str):
            continue
        line = _receipt_text(text)
        if line is None:
            continue
        pending += line
        if item.get("EndOfLineFlag", True) is not False:
            lines.append(scrub_card_numbers(pending))
            pending = ""
    if pending:
        lines.append(scrub_card_numbers(pending))
    return tuple(lines)


def _receipt_text(text: str) -> str | None:
    if "key=" not in text:
        return text
    fields_ = dict(parse_qsl(text, keep_blank_values=True))
    key, name, value = fields_.get("key", ""), fields_.get("name", ""), fields_.get("value", "")
    if key == "filler":
        return ""
    if key == "pan" and value:
        value = last_four(value) or ""
    if name and value:
        return f"{name}: {value}"
    return (name or value) or None


def dig(data: object, *path: str) -> object:
    for step in path:
        if not isinstance(data, dict):
            return None
        data = data.get(step)
    return data


def _reason(response: dict, extra: dict[str, str]) -> str:
    text = extra.get("refusalReason") or extra.get("message") or \
        response.get("ErrorCondition") or ""
    return scrub_card_numbers(str(text))


def payment_result(body: object, intent_id: str, currency: str | None = None,
                   requested: int | None = None) -> TerminalResult:
    """A PaymentResponse (or the one repeated in a TransactionStatusResponse) as a result.
    `requested` (minor units) is the approved amount when an approval does not state one."""
    if not isinstance(body, dict) or not isinstance(body.get("Response"), dict):
        return unknown(intent_id, "The terminal's answer has no payment result")
    sale_tx = dig(body, "SaleData", "SaleTransactionID", "TransactionID")
    if sale_tx is not None and str(sale_tx).lower() != str(intent_id).lower():
        return unknown(intent_id, "The terminal answered about another transaction")
    response = body["Response"]
    extra = additional_response(response.get("AdditionalResponse"))
    card = dig(body, "PaymentResult", "PaymentInstrumentData", "CardData") or {}
    card = card if isinstance(card, dict) else {}
    facts = dict(
        intent_id=intent_id,
        reference=_str(dig(body, "POIData", "POITransactionID", "TransactionID")),
        auth_code=_str(dig(body, "PaymentResult", "PaymentAcquirerData", "ApprovalCode")
                       or extra.get("authCode")),
        masked_pan=last_four(card.get("MaskedPan") or card.get("MaskedPAN")),
        card_brand=_str(card.get("PaymentBrand") or extra.get("paymentMethod")),
        receipt_lines=receipt_lines(body.get("PaymentReceipt")),
    )
    result = response.get("Result")
    if result in ("Success", "Partial"):
        amounts = dig(body, "PaymentResult", "AmountsResp") or {}
        paid_currency = (amounts.get("Currency") if isinstance(amounts, dict) else None) \
            or currency
        authorised = amounts.get("AuthorizedAmount") if isinstance(amounts, dict) else None
        try:
            if authorised is not None and paid_currency:
                amount = minor_units(authorised, paid_currency)
            elif requested is not None and paid_currency:
                amount = requested
            else:
                return unknown(intent_id, "The terminal approved but did not say how much")
        except ValueError as exc:
            return unknown(intent_id, f"The terminal approved an amount the till cannot read: "
                                      f"{exc}")
        message = "Partially approved" if result == "Partial" else "Approved"
        return TerminalResult(TerminalOutcome.APPROVED, amount=amount, currency=paid_currency,
                              message=message, **facts)
    if result == "Failure":
        outcome = _ERROR_OUTCOMES.get(response.get("ErrorCondition"), TerminalOutcome.DECLINED)
        return TerminalResult(outcome, currency=currency or "", message=_reason(response, extra),
                              **facts)
    return unknown(intent_id, f"The terminal answered with result {result!r}")


def status_result(body: object, intent_id: str, currency: str | None = None
                  ) -> TerminalResult:
    """A TransactionStatusResponse about the payment of `intent_id`."""
    response = dig(body, "Response")
    if not isinstance(response, dict):
        return unknown(intent_id, "The terminal's status answer has no result")
    extra = additional_response(response.get("AdditionalResponse"))
    if response.get("Result") == "Success":
        repeated = dig(body, "RepeatedMessageResponse")
        service_id = dig(repeated, "MessageHeader", "ServiceID")
        if service_id is not None and service_id != payment_service_id(intent_id):
            return unknown(intent_id, "The terminal's status is about another transaction")
        inner = dig(repeated, "RepeatedResponseMessageBody", "PaymentResponse")
        if inner is None:
            return unknown(intent_id, "The terminal's status does not repeat the payment")
        return payment_result(inner, intent_id, currency)
    condition = response.get("ErrorCondition")
    if condition == "NotFound":
        return TerminalResult(TerminalOutcome.NOT_FOUND, intent_id,
                              message=_reason(response, extra) or "Not found")
    if condition == "InProgress":
        return unknown(intent_id, "The payment is still in progress on the terminal: ask again "
                                  "when it has finished")
    return unknown(intent_id, f"The terminal could not give the status: "
                              f"{_reason(response, extra)}")


def reversal_result(body: object, intent_id: str, amount: int, currency: str
                    ) -> TerminalResult:
    """A ReversalResponse: APPROVED for `amount` given back, with the reversal's own
    reference; a Failure is DECLINED (NOT_FOUND when the terminal does not know the
    original), nothing given back."""
    response = dig(body, "Response")
    if not isinstance(response, dict):
        return unknown(intent_id, "The terminal's reversal answer has no result")
    extra = additional_response(response.get("AdditionalResponse"))
    reference = _str(dig(body, "POIData", "POITransactionID", "TransactionID"))
    if response.get("Result") == "Success":
        given_back = amount
        stated = dig(body, "ReversedAmount")
        if stated is not None:
            try:
                given_back = minor_units(stated, currency)
            except ValueError as exc:
                return unknown(intent_id, f"The terminal reversed an amount the till cannot "
                                          f"read: {exc}")
        return TerminalResult(TerminalOutcome.APPROVED, intent_id, amount=given_back,
                              currency=currency, message="Reversed", reference=reference)
    if response.get("Result") == "Failure":
        outcome = TerminalOutcome.NOT_FOUND if response.get("ErrorCondition") == "NotFound" \
            else TerminalOutcome.DECLINED
        return TerminalResult(outcome, intent_id, currency=currency,
                              message=_reason(response, extra), reference=reference)
    return unknown(intent_id, f"The terminal answered with result {response.get('Result')!r}")


def unknown(intent_id: str, message: str) -> TerminalResult:
    return TerminalResult(TerminalOutcome.UNKNOWN, intent_id, message=message)


def _str(value: object) -> str | None:
    return scrub_card_numbers(str(value)) if value not in (None, "") else None
