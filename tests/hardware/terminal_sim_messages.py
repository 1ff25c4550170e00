"""The terminal simulator's ledger and the answers it builds, from Adyen's published examples.

Why: terminal_sim.py decides what happens; this module says how a terminal writes it down
and what a Terminal API answer looks like (PaymentResponse with POIData, PaymentResult,
the CashierReceipt and CustomerReceipt slips and a form-encoded AdditionalResponse;
TransactionStatusResponse repeating the original answer; ReversalResponse). Identifiers look
like Adyen's: a tender reference ("BV0q" + 15 digits), an alphanumeric 16-character
pspReference, POITransactionID "tender.psp". Card numbers stay here: answers carry only
"411111 **** 1111" and "************1111", as a terminal's do.

The ledger is one entry per processed payment. Its JSON (`--ledger FILE`) is rewritten
atomically after every change, so a crash test can read what the terminal believes.

Test helper: the simulator calls it with its condition variable held.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import string
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlencode

from hardware.terminals.nexo_crypto import dumps

# ISO 4217 exponents of the currencies the simulator takes (its own table, not the till's).
EXPONENTS = {"VND": 0, "JPY": 0, "KRW": 0, "USD": 2, "EUR": 2, "GBP": 2, "SGD": 2, "THB": 2,
             "AUD": 2, "BHD": 3, "KWD": 3}
# Adyen's test cards: (PAN, brand, expiry). The PAN never leaves the simulator.
CARDS = {"visa": ("4111111111111111", "visa", "03/2030"),
         "mc": ("5555555555554444", "mc", "03/2030"),
         "amex": ("370000000000002", "amex", "03/2030")}
MONEY_MOVED = ("charged", "reversed", "refunded")
_REFUSALS_RAW = {"Not enough balance": "51 : Insufficient funds",
                 "Expired Card": "54 : Expired card"}


def amount_minor(value: object, currency: object) -> int:
    if currency not in EXPONENTS:
        raise ValueError(f"Currency {currency!r} is not accepted by this terminal")
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ValueError(f"Amount {value!r} is not a number")
    scaled = Decimal(value).scaleb(EXPONENTS[currency])
    if scaled != scaled.to_integral_value() or scaled <= 0:
        raise ValueError(f"Amount {value} {currency} is not a whole number of minor units")
    return int(scaled)


def amount_major(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-EXPONENTS[currency])


def now_iso() -> str:
    moment = datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def luhn_valid(digits: str) -> bool:
    total = sum(int(d) if i % 2 == 0 else (2 * int(d) - 9 if int(d) > 4 else 2 * int(d))
                for i, d in enumerate(reversed(digits)))
    return total % 10 == 0


def tender_reference() -> str:
    """Like Adyen's "BV0q001643892070000": 4 letters, 15 digits. A real one may pass a Luhn
    check by chance; the simulator draws again, so the tests' card-number check (any 13-19
    digit run that passes Luhn) has no false alarms."""
    while True:
        letters = "".join(secrets.choice(string.ascii_letters) for _ in range(4))
        digits = f"00{int(time.time())}{secrets.randbelow(1000):03d}"
        if not luhn_valid(digits):
            return letters + digits


def psp_reference() -> str:
    """16 capital letters and digits, as Adyen's current pspReferences."""
    alphabet = string.ascii_uppercase + string.digits
    while True:
        ref = "".join(secrets.choice(alphabet) for _ in range(16))
        if not re.search(r"\d{13}", ref):
            return ref


@dataclass
class LedgerEntry:
    intent_id: str  # SaleTransactionID.TransactionID of the payment request
    sale_transaction: dict  # {TransactionID, TimeStamp} as the till sent it
    sale_id: str
    service_id: str
    header: dict  # the payment request's MessageHeader
    amount: int  # minor units requested
    currency: str
    poi_transaction_id: str
    poi_time: str
    state: str = "in_progress"  # in_progress|charged|declined|cancelled|reversed|refunded
    card: str = "visa"
    refunded: int = 0
    refunds: list = field(default_factory=list)  # {sale_transaction_id, amount, reference}
    response: dict | None = None  # the PaymentResponse body, repeated by status
    abort_requested: bool = False  # not persisted

    @classmethod
    def new(cls, header: dict, sale_tx: dict, amount: int, currency: str) -> "LedgerEntry":
        return cls(intent_id=str(sale_tx.get("TransactionID")), sale_transaction=dict(sale_tx),
                   sale_id=header.get("SaleID"), service_id=header.get("ServiceID"),
                   header=dict(header), amount=amount, currency=currency,
                   poi_transaction_id=f"{tender_reference()}.{psp_reference()}",
                   poi_time=now_iso())

    def to_json(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if k != "abort_requested"}
        return out


class Ledger:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.entries: list[LedgerEntry] = []

    @classmethod
    def load(cls, path: Path | None) -> "Ledger":
        ledger = cls(path)
        if path is not None and path.exists():
            for data in json.loads(path.read_text(), parse_float=Decimal):
                ledger.entries.append(LedgerEntry(**data))
        return ledger

    def add(self, entry: LedgerEntry) -> None:
        self.entries.append(entry)
        self.save()

    def save(self) -> None:
        if self.path is None:
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(dumps(self.to_json()))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    def to_json(self) -> list:
        return [e.to_json() for e in self.entries]

    def by_service(self, sale_id: str | None, service_id: str | None) -> LedgerEntry | None:
        return next((e for e in reversed(self.entries)
                     if e.service_id == service_id and e.sale_id == sale_id), None)

    def by_poi(self, poi_transaction_id: str | None) -> LedgerEntry | None:
        return next((e for e in self.entries if e.poi_transaction_id == poi_transaction_id),
                    None)

    def for_intent(self, intent_id: str) -> list[LedgerEntry]:
        return [e for e in self.entries if e.intent_id.lower() == str(intent_id).lower()]

    def times_charged(self, intent_id: str) -> int:
        """How many payments for this intent moved money (even if given back later)."""
        return sum(1 for e in self.for_intent(intent_id) if e.state in MONEY_MOVED)

    def net_charged(self, intent_id: str) -> int:
        """Minor units the card is down for this intent now."""
        return sum(e.amount - e.refunded for e in self.for_intent(intent_id)
                   if e.state in MONEY_MOVED)


def _form(**fields: object) -> str:
    return urlencode({k: str(v) for k, v in fields.items()}, quote_via=quote)


def failure(condition: str, message: str, sale_tx: dict | None = None) -> dict:
    body: dict = {"Response": {"Result": "Failure", "ErrorCondition": condition,
                               "AdditionalResponse": _form(message=message)}}
    if sale_tx is not None:
        body["SaleData"] = {"SaleTransactionID": sale_tx}
    return body


def payment_body(entry: LedgerEntry, sale_tx: dict, approved: bool, refusal: str,
                 requested: object) -> dict:
    pan, brand, expiry = CARDS[entry.card]
    tender, psp = entry.poi_transaction_id.split(".")
    approval_code = f"{secrets.randbelow(10**6):06d}"
    extra = dict(tid=entry.header.get("POIID"), transactionType="GOODS_SERVICES",
                 pspReference=psp, paymentMethod=brand, cardType=brand, cardBin=pan[:6],
                 cardSummary=pan[-4:], expiryDate=expiry, cardHolderName="N/A",
                 posAuthAmountValue=entry.amount, posAuthAmountCurrency=entry.currency,
                 merchantReference=entry.intent_id)
    if approved:
        extra.update(authCode=approval_code, refusalReasonRaw="APPROVED")
        response = {"Result": "Success", "AdditionalResponse": _form(**extra)}
    else:
        extra.update(refusalReason=refusal, message=refusal,
                     refusalReasonRaw=_REFUSALS_RAW.get(refusal, refusal))
        response = {"Result": "Failure", "ErrorCondition": "Refusal",
                    "AdditionalResponse": _form(**extra)}
    acquirer = {"AcquirerPOIID": entry.header.get("POIID"), "MerchantID": "StorelineTest",
                "AcquirerTransactionID": {"TransactionID": psp, "TimeStamp": entry.poi_time}}
    result: dict = {"OnlineFlag": True, "PaymentAcquirerData": acquirer,
                    "PaymentInstrumentData": {"PaymentInstrumentType": "Card", "CardData": {
                        "MaskedPan": f"{pan[:6]} **** {pan[-4:]}", "PaymentBrand": brand,
                        "EntryMode": ["Contactless"], "CardCountryCode": "704"}}}
    if approved:
        acquirer["ApprovalCode"] = approval_code
        result["AmountsResp"] = {"Currency": entry.currency, "AuthorizedAmount": requested}
    return {
        "POIData": {"POITransactionID": {"TransactionID": entry.poi_transaction_id,
                                         "TimeStamp": entry.poi_time},
                    "POIReconciliationID": "1000"},
        "SaleData": {"SaleTransactionID": sale_tx},
        "PaymentResult": result,
        "PaymentReceipt": [_slip(entry, "CashierReceipt", approved, refusal, approval_code),
                           _slip(entry, "CustomerReceipt", approved, refusal, approval_code)],
        "Response": response,
    }


def _slip(entry: LedgerEntry, qualifier: str, approved: bool, refusal: str, code: str) -> dict:
    pan, brand, _ = CARDS[entry.card]
    moment = datetime.strptime(entry.poi_time, "%Y-%m-%dT%H:%M:%S.%fZ")
    copy = ("name=CARDHOLDER%20COPY&key=cardholderHeader" if qualifier == "CustomerReceipt"
            else "name=MERCHANT%20COPY&key=merchantTitle")
    total = f"{entry.currency} {amount_major(entry.amount, entry.currency)}"
    lines = ["key=header1", "key=header2", copy, "key=filler",
             _form(name="Date", value=moment.strftime("%d/%m/%y"), key="txdate"),
             _form(name="Time", value=moment.strftime("%H:%M:%S"), key="txtime"),
             "key=filler",
             _form(name="Card", value="*" * (len(pan) - 4) + pan[-4:], key="pan"),
             _form(name="Card type", value=brand, key="cardType"),
             _form(name="Entry mode", value="Contactless chip", key="posEntryMode"),
             "key=filler",
             _form(name="TID", value=entry.header.get("POIID"), key="tid")]
    if approved:
        lines.append(_form(name="Auth. code", value=code, key="authCode"))
    lines += [_form(name="Tender", value=entry.poi_transaction_id.split(".")[0], key="txRef"),
              _form(name="Reference", value=entry.intent_id, key="mref"), "key=filler",
              _form(name="Type", value="GOODS_SERVICES", key="txtype"),
              _form(name="TOTAL", value=total, key="totalAmount"), "key=filler",
              _form(name="APPROVED", key="approved") if approved
              else _form(name="DECLINED", value=refusal, key="declined")]
    if qualifier == "CustomerReceipt":
        lines += ["key=filler", _form(name="Please retain for your records", key="retain"),
                  _form(name="Thank you", key="thanks")]
    return {"DocumentQualifier": qualifier, "RequiredSignatureFlag": False,
            "OutputContent": {"OutputFormat": "Text", "OutputText": [
                {"Text": text, "EndOfLineFlag": True} for text in lines]}}


def repeated_status(entry: LedgerEntry) -> dict:
    return {"Response": {"Result": "Success"},
            "MessageReference": {"SaleID": entry.sale_id, "ServiceID": entry.service_id,
                                 "MessageCategory": "Payment"},
            "RepeatedMessageResponse": {
                "MessageHeader": {**entry.header, "MessageType": "Response"},
                "RepeatedResponseMessageBody": {"PaymentResponse": entry.response}}}


def reversal_body(entry: LedgerEntry, amount: int, sale_tx: dict, whole: bool) -> dict:
    """Give back `amount` of `entry` (the caller checked it is at most what is left)."""
    reference = f"{entry.poi_transaction_id.split('.')[0]}.{psp_reference()}"
    entry.refunded += amount
    entry.refunds.append({"sale_transaction_id": sale_tx.get("TransactionID"),
                          "amount": amount, "reference": reference})
    if whole:
        entry.state = "reversed"
    elif entry.refunded == entry.amount:
        entry.state = "refunded"
    return {"Response": {"Result": "Success",
                         "AdditionalResponse": _form(pspReference=reference.split(".")[1])},
            "POIData": {"POITransactionID": {"TransactionID": reference,
                                             "TimeStamp": now_iso()}},
            "SaleData": {"SaleTransactionID": sale_tx},
            "ReversedAmount": amount_major(amount, entry.currency)}
