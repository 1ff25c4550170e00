"""VietQR: the NAPAS bank-transfer QR code a till shows so a customer pays by bank transfer.

Why: every Vietnamese banking app scans a VietQR code, looks the beneficiary up at NAPAS (so
the customer sees the shop's account name before paying) and fills in the amount and the
transfer's content. The till shows a *dynamic* code (one code for one payment intent, with its
amount and its transfer note, pos_app/payments/transfer_note.py); HQ later matches the bank's
credit to the intent by that note and the amount. A *static* code (no amount, no note) is what
a shop prints on a poster; `pos-app qr-sample --static` makes one.

The payload is an EMVCo merchant-presented QR code ("EMV QR Code Specification for Payment
Systems: Merchant-Presented Mode") as NAPAS profiles it for its 24/7 inter-bank fund transfer
("Technical Specifications on NAPAS QR Switching, Part IV: QR Code Format", v1.5.2): a string
of data objects, each ID (2 digits) + length (2 digits) + value, some of them templates of
data objects themselves:

    00 "01"                   payload format indicator, first
    01 "12" | "11"            point of initiation: dynamic (one payment) | static (reusable)
    38 template               merchant account information (VietQR's floating ID)
       00 "A000000727"        NAPAS's globally unique identifier
       01 template            beneficiary organisation
          00 BIN              the bank's 6-digit NAPAS BIN (acquirer ID), e.g. 970436
          01 account          account number (or card number): up to 19 letters and digits
       02 "QRIBFTTA"          service: transfer to an account ("QRIBFTTC": to a card)
    53 "704"                  currency: VND only
    54 amount                 dong, digits only (VND has no decimals), at most 13 characters
    58 "VN"                   country
    59 name                   merchant name (optional; the app shows the name NAPAS knows)
    62 template               additional data
       08 note                purpose of transaction: the transfer note, at most 25 characters
    63 CRC                    CRC-16/CCITT-FALSE over everything before it, "6304" included,
                              as 4 upper-case hex digits; last

Building is strict: only what every bank keeps through the transfer (ASCII letters, digits and
spaces in the note), so the note the customer's bank sends is the note HQ looks for. Parsing is
as lenient as the specification: other data objects (a bill number in 62/01, an MCC in 52, the
objects in any order between 00 and 63, a lower-case CRC) are accepted and kept in `extra`.

Pure code, no QR library (the picture is drawn in hardware/vietqr_image.py): any thread.
"""
from __future__ import annotations

import binascii
import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from typing import Mapping

from pos_app.money import Money
from pos_app.payments.transfer_note import transfer_note

NAPAS_GUID = "A000000727"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
DYNAMIC, STATIC = "12", "11"
MAX_ACCOUNT = 19  # the beneficiary's account/card number, "ans var. up to 19"
MAX_NOTE = 25  # 62/08 purpose of transaction, "ans var. up to 25"
MAX_NAME = 25  # 59 merchant name, "ans var. up to 25"
MAX_AMOUNT = 10 ** 13 - 1  # 54 transaction amount, "ans var. up to 13"

_BIN = re.compile(r"[0-9]{6}")
_ACCOUNT = re.compile(r"[0-9A-Za-z]+")
_NOTE = re.compile(r"[0-9A-Za-z ]+")
_PRINTABLE = re.compile(r"[\x20-\x7e]+")
_CRC_TAIL = re.compile(r"6304[0-9A-Fa-f]{4}")


class Service(str, Enum):
    """What the beneficiary's number is (38/02)."""

    TO_ACCOUNT = "QRIBFTTA"
    TO_CARD = "QRIBFTTC"


_OTHER_SERVICES = {"QRPUSH": "a NAPAS merchant payment (QR push) through an acquirer",
                   "QRCASH": "a NAPAS cash withdrawal at an ATM"}


class VietQRError(ValueError):
    """A request that cannot become a VietQR code, or a payload that is not one; the message
    says which field and why, for the person who typed it."""


class VietQRCrcError(VietQRError):
    """The payload's CRC does not match its contents: damaged in reading, or altered."""


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, not reflected, no final xor; check value
    0x29B1 for b"123456789"). `binascii.crc_hqx` is exactly this CRC, MSB first, with the
    initial value as its second argument: the standard library's C code, no table of ours."""
    return binascii.crc_hqx(data, 0xFFFF)


def payload_crc(text_before_crc: str) -> str:
    """The 4 upper-case hex digits that close a payload ending in "6304"."""
    return "%04X" % crc16_ccitt_false(text_before_crc.encode("utf-8"))


def ascii_fold(text: str) -> str:
    """Vietnamese text without its marks, as banks keep it: "Cửa hàng Đông Á" -> "Cua hang
    Dong A". Letters with no ASCII base stay as they are (and fail validation)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def _non_ascii_hint(what: str, value: str) -> str:
    bad = next(c for c in value if not (" " <= c <= "~"))
    folded = ascii_fold(value)
    hint = f" (write it as {folded!r})" if folded.isascii() and folded != value else ""
    return f"{what} may hold only ASCII characters, and {value!r} has {bad!r}{hint}"


def _check_note(note: str) -> None:
    if not isinstance(note, str):
        raise VietQRError(f"note must be text, got {type(note).__name__}")
    if not note:
        raise VietQRError("note is empty (leave it out instead)")
    if not note.isascii():
        raise VietQRError(_non_ascii_hint("note", note))
    if not _NOTE.fullmatch(note):
        bad = next(c for c in note if not (c.isalnum() or c == " "))
        raise VietQRError(f"note may hold only letters, digits and spaces (banks drop or change"
                          f" anything else), and {note!r} has {bad!r}")
    if note != note.strip():
        raise VietQRError(f"note must not start or end with a space (banks trim it): {note!r}")
    if len(note) > MAX_NOTE:
        raise VietQRError(f"note is {len(note)} characters; a VietQR note holds at most"
                          f" {MAX_NOTE}")


def _check_account(account: str, service: Service) -> None:
    if not isinstance(account, str) or not account:
        raise VietQRError("account number is missing")
    if len(account) > MAX_ACCOUNT:
        raise VietQRError(f"account number is {len(account)} characters; VietQR holds at most"
                          f" {MAX_ACCOUNT}")
    if not _ACCOUNT.fullmatch(account) or (service is Service.TO_CARD and not account.isdigit()):
        kind = "digits" if service is Service.TO_CARD else "letters and digits"
        raise VietQRError(f"account number may hold only {kind} (no spaces, dots or dashes),"
                          f" got {account!r}")


def _check_amount(amount: object, dynamic: bool) -> None:
    if amount is None:
        if dynamic:
            raise VietQRError("a dynamic VietQR code needs an amount (a static code may leave it"
                              " for the customer to type)")
        return
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise VietQRError(f"amount must be a whole number of dong, got {amount!r}")
    if amount <= 0:
        raise VietQRError(f"amount must be more than 0 dong, got {amount}")
    if amount > MAX_AMOUNT:
        raise VietQRError(f"amount {amount} has more than 13 digits, more than a VietQR code"
                          f" can carry")


@dataclass(frozen=True, slots=True)
class VietQRRequest:
    """What the code asks the customer's bank to do: pay `amount` dong (None: the customer
    types it, static codes only) to `account` at the bank with NAPAS BIN `bank_bin`, with
    `note` as the transfer's content. Validated when made: an invalid request cannot exist."""

    bank_bin: str
    account: str
    amount: int | None
    note: str | None = None
    merchant_name: str | None = None
    dynamic: bool = True
    service: Service = Service.TO_ACCOUNT

    def __post_init__(self) -> None:
        if not isinstance(self.bank_bin, str) or not _BIN.fullmatch(self.bank_bin):
            raise VietQRError(f"bank BIN must be 6 digits (the bank's NAPAS BIN, e.g. 970436),"
                              f" got {self.bank_bin!r}")
        if not isinstance(self.service, Service):
            raise VietQRError(f"service must be a Service, got {self.service!r}")
        if not isinstance(self.dynamic, bool):
            raise VietQRError(f"dynamic must be True or False, got {self.dynamic!r}")
        _check_account(self.account, self.service)
        _check_amount(self.amount, self.dynamic)
        if self.note is not None:
            _check_note(self.note)
        if self.merchant_name is not None:
            name = self.merchant_name
            if not isinstance(name, str) or not name.strip():
                raise VietQRError("merchant name is empty")
            if not name.isascii():
                raise VietQRError(_non_ascii_hint("merchant name", name))
            if not _PRINTABLE.fullmatch(name):
                raise VietQRError(f"merchant name has a control character: {name!r}")
            if len(name) > MAX_NAME:
                raise VietQRError(f"merchant name is {len(name)} characters; at most {MAX_NAME}")

    @classmethod
    def for_intent(cls, bank_bin: str, account: str, intent_id: str, amount: Money,
                   merchant_name: str | None = None) -> "VietQRRequest":
        """The dynamic code of one payment intent: its amount, its transfer note."""
        if amount.currency != "VND":
            raise VietQRError(f"VietQR transfers are in VND only; this amount is in"
                              f" {amount.currency}")
        return cls(bank_bin, account, amount.minor, transfer_note(intent_id), merchant_name)


def _tlv(ident: str, value: str) -> str:
    return f"{ident}{len(value):02d}{value}"


def build_payload(request: VietQRRequest) -> str:
    """The payload to draw as a QR code (ASCII only, so its length is its byte count)."""
    beneficiary = _tlv("00", request.bank_bin) + _tlv("01", request.account)
    account_info = (_tlv("00", NAPAS_GUID) + _tlv("01", beneficiary)
                    + _tlv("02", request.service.value))
    parts = [_tlv("00", "01"), _tlv("01", DYNAMIC if request.dynamic else STATIC),
             _tlv("38", account_info), _tlv("53", CURRENCY_VND)]
    if request.amount is not None:
        parts.append(_tlv("54", str(request.amount)))
    parts.append(_tlv("58", COUNTRY_VN))
    if request.merchant_name is not None:
        parts.append(_tlv("59", request.merchant_name))
    if request.note is not None:
        parts.append(_tlv("62", _tlv("08", request.note)))
    body = "".join(parts) + "6304"
    return body + payload_crc(body)


# --- parsing ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ParsedVietQR:
    """What a VietQR payload says. `dynamic` is None when the code has no point of initiation
    (01); `extra` holds the data objects this module does not model, by path ("52", "62.01")."""

    bank_bin: str
    account: str
    service: Service
    amount: int | None
    note: str | None
    merchant_name: str | None
    dynamic: bool | None
    crc: str
    extra: Mapping[str, str] = field(default_factory=dict)

    def to_request(self) -> VietQRRequest:
        """The request that builds this code (raises VietQRError where the code holds what the
        till would not put in one, e.g. a note with punctuation)."""
        return VietQRRequest(self.bank_bin, self.account, self.amount, self.note,
                             self.merchant_name, self.dynamic is not False, self.service)


def _read_objects(text: str, where: str) -> dict[str, str]:
    """The data objects of `text` (a payload or a template's value), in order, by ID."""
    objects: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        head = text[pos:pos + 4]
        if len(head) < 4 or not (head.isascii() and head.isdigit()):
            raise VietQRError(f"{where}: expected a 2-digit ID and a 2-digit length at"
                              f" character {pos}, found {head!r}")
        ident, length = head[:2], int(head[2:])
        value = text[pos + 4:pos + 4 + length]
        if length == 0 or len(value) < length:
            raise VietQRError(f"{where}: data object {ident} at character {pos} says {length}"
                              f" characters, {len(value)} follow")
        if ident in objects:
            raise VietQRError(f"{where}: data object {ident} appears twice")
        objects[ident] = value
        pos += 4 + length
    return objects


def _check_crc(payload: str) -> str:
    if len(payload) < 8 or not _CRC_TAIL.fullmatch(payload[-8:]):
        raise VietQRError("not a VietQR payload: it does not end with a CRC (63, length 04,"
                          " 4 hex digits)")
    given, expected = payload[-4:].upper(), payload_crc(payload[:-4])
    if given != expected:
        raise VietQRCrcError(f"CRC check failed: the code says {given} but its contents give"
                             f" {expected}; it was damaged or altered")
    return given


def _account_template(root: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The merchant account information template (26-51) that carries NAPAS's GUID."""
    for ident in (f"{n:02d}" for n in range(26, 52)):
        if ident in root:
            template = _read_objects(root[ident], f"data object {ident}")
            if template.get("00") == NAPAS_GUID:
                return ident, template
    raise VietQRError(f"not a VietQR code: no merchant account information carries NAPAS's"
                      f" identifier {NAPAS_GUID}")


def _beneficiary(root: dict[str, str], extra: dict[str, str]
                 ) -> tuple[str, str, Service]:
    """(bank BIN, account number, service) of the VietQR template; its other objects go to
    `extra`."""
    ident, info = _account_template(root)
    code = info.get("02")
    if code in _OTHER_SERVICES:
        raise VietQRError(f"service {code} is {_OTHER_SERVICES[code]}, not a bank transfer")
    try:
        service = Service(code)
    except ValueError:
        raise VietQRError(f"unknown VietQR service code {code!r} in {ident}/02 (QRIBFTTA to"
                          f" an account, QRIBFTTC to a card)") from None
    if "01" not in info:
        raise VietQRError(f"no beneficiary organisation ({ident}/01)")
    org = _read_objects(info["01"], f"data object {ident}/01")
    bank_bin, account = org.pop("00", ""), org.pop("01", "")
    if not _BIN.fullmatch(bank_bin):
        raise VietQRError(f"bank BIN ({ident}/01/00) must be 6 digits, got {bank_bin!r}")
    if not account or len(account) > MAX_ACCOUNT:
        raise VietQRError(f"account number ({ident}/01/01) must be 1 to {MAX_ACCOUNT}"
                          f" characters, got {account!r}")
    extra.update({f"{ident}.{k}": v for k, v in info.items() if k not in ("00", "01", "02")})
    extra.update({f"{ident}.01.{k}": v for k, v in org.items()})
    extra.update({k: v for k, v in root.items() if "26" <= k <= "51" and k != ident})
    return bank_bin, account, service


def _amount(root: dict[str, str]) -> int | None:
    text = root.get("54")
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()):
        raise VietQRError(f"amount (54) must be whole dong, digits only, got {text!r}")
    return int(text)


def parse_payload(payload: str) -> ParsedVietQR:
    """Read a VietQR payload back, checking its CRC first (VietQRCrcError when it fails) and
    then every field VietQR fixes (VietQRError naming the field)."""
    if not isinstance(payload, str):
        raise VietQRError(f"payload must be text, got {type(payload).__name__}")
    crc = _check_crc(payload)
    root = _read_objects(payload, "payload")
    if next(iter(root)) != "00" or root["00"] != "01":
        raise VietQRError("not an EMVCo payload: it must start with 000201 (format indicator)")
    if next(reversed(root)) != "63":
        raise VietQRError("the CRC (63) must be the last data object")
    extra: dict[str, str] = {}
    bank_bin, account, service = _beneficiary(root, extra)
    if root.get("53") != CURRENCY_VND:
        raise VietQRError(f"currency (53) must be 704 (VND) in a VietQR code, got"
                          f" {root.get('53')!r}")
    if root.get("58") != COUNTRY_VN:
        raise VietQRError(f"country (58) must be VN, got {root.get('58')!r}")
    initiation = root.get("01")
    if initiation not in (None, DYNAMIC, STATIC):
        raise VietQRError(f"point of initiation (01) must be 11 or 12, got {initiation!r}")
    additional = _read_objects(root["62"], "data object 62") if "62" in root else {}
    note = additional.pop("08", None)
    if note is not None and len(note) > MAX_NOTE:
        raise VietQRError(f"note (62/08) is {len(note)} characters; at most {MAX_NOTE}")
    extra.update({f"62.{k}": v for k, v in additional.items()})
    modelled = {"00", "01", "53", "54", "58", "59", "62", "63"}
    extra.update({k: v for k, v in root.items()
                  if k not in modelled and not "26" <= k <= "51"})
    return ParsedVietQR(bank_bin, account, service, _amount(root), note, root.get("59"),
                        None if initiation is None else initiation == DYNAMIC, crc, extra)
