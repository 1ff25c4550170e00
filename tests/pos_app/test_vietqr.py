"""VietQR payloads (pos_app/payments/vietqr.py): public vectors, the CRC, validation, and a
build -> parse round trip for any valid request.

Every vector below was checked by hand to carry a CRC that matches its contents; where each
comes from is said next to it. They are data from public documents and test suites, not code.
"""
from __future__ import annotations

import uuid

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pos_app.money import Money
from pos_app.payments.transfer_note import find_transfer_notes, transfer_note
from pos_app.payments.vietqr import (
    MAX_AMOUNT, ParsedVietQR, Service, VietQRCrcError, VietQRError, VietQRRequest, ascii_fold,
    build_payload, crc16_ccitt_false, parse_payload, payload_crc,
)


def crc16_bitwise(data: bytes) -> int:
    """CRC-16/CCITT-FALSE from its public definition, bit by bit: the oracle for the library
    call the module uses (poly 0x1021, init 0xFFFF, MSB first, no reflection, no final xor)."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


# --- CRC ---------------------------------------------------------------------------------------
def test_crc_has_the_standard_check_value():
    # The catalogue check value of CRC-16/CCITT-FALSE (a.k.a. CRC-16/IBM-3740): "123456789".
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    assert crc16_bitwise(b"123456789") == 0x29B1
    assert crc16_ccitt_false(b"") == 0xFFFF


@given(st.binary(max_size=300))
def test_crc_matches_the_bitwise_definition(data):
    assert crc16_ccitt_false(data) == crc16_bitwise(data)


def test_payload_crc_is_four_upper_case_hex_digits():
    assert payload_crc("123456789") == "29B1"
    assert payload_crc("") == "FFFF"


# --- public vectors ---------------------------------------------------------------------------
# NAPAS's own examples for the 24/7 transfer (IBFT): BIN 970403, account 0011012345678, card
# 9704031101234567, 180.000 d, bill number NPS6869 in 62/01, note "thanh toan don hang" in
# 62/08, from "Technical Specifications on NAPAS QR Switching, Part IV: QR Code Format"
# v1.5.2 (NAPAS, 2021), as quoted in the test suites and READMEs of public generators (the PHP
# VietQrCode library's tests, the npm package dynamic-vietqr's README).
NAPAS_DYNAMIC_TO_ACCOUNT = (
    "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA5303704540618"
    "00005802VN62340107NPS68690819thanh toan don hang63042E2E")
NAPAS_DYNAMIC_TO_CARD = (
    "00020101021238600010A00000072701300006970403011697040311012345670208QRIBFTTC5303704540618"
    "00005802VN62340107NPS68690819thanh toan don hang6304A203")
NAPAS_STATIC_TO_ACCOUNT = (
    "00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTA53037045802VN"
    "63049E6F")
# dynamic-vietqr's README, "Static QR IBFT to Card" (it keeps the account number).
STATIC_TO_CARD_SERVICE = (
    "00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTC53037045802VN"
    "63046E2C")

# (payload, request that builds it exactly, where it was published)
EXACT_VECTORS = [
    (NAPAS_STATIC_TO_ACCOUNT,
     VietQRRequest("970403", "0011012345678", None, dynamic=False), "NAPAS spec, static"),
    (STATIC_TO_CARD_SERVICE,
     VietQRRequest("970403", "0011012345678", None, dynamic=False, service=Service.TO_CARD),
     "npm dynamic-vietqr README"),
    # github.com/subiz/vietqr (MIT), vietqr_test.go and README
    ("00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN"
     "6304CBB4",
     VietQRRequest("970423", "0099999999", None, dynamic=False), "subiz/vietqr static"),
    ("00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA530370454054"
     "01235802VN62200816test text string6304D9C6",
     VietQRRequest("970422", "0023457923442", 40123, "test text string"), "subiz/vietqr"),
    ("00020101021238630010A0000007270133000697042201190023457923442ASDFLJ0208QRIBFTTA53037045"
     "405401235802VN62290825chuyen khoan alsdkf laksj6304E5DB",
     VietQRRequest("970422", "0023457923442ASDFLJ", 40123, "chuyen khoan alsdkf laksj"),
     "subiz/vietqr, 19-character account and 25-character note (the maxima)"),
    ("00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA53037045406120"
     "0005802VN62170813ung ho lu lut6304C15C",
     VietQRRequest("970415", "0011001932418", 120000, "ung ho lu lut"), "subiz/vietqr README"),
    # github.com/xuannghia/vietnam-qr-pay README (static, dynamic, and its decode example)
    ("00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN"
     "6304AE9F",
     VietQRRequest("970416", "257678859", None, dynamic=False), "vietnam-qr-pay static"),
    ("00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540510000"
     "5802VN62150811Chuyen tien630453E6",
     VietQRRequest("970416", "257678859", 10000, "Chuyen tien"), "vietnam-qr-pay dynamic"),
    ("00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA530370454041000"
     "5802VN62150811Chuyen tien6304BBB8",
     VietQRRequest("970416", "257678859", 1000, "Chuyen tien"), "vietnam-qr-pay decode"),
]


@pytest.mark.parametrize("payload, request_, source", EXACT_VECTORS,
                         ids=[v[2] for v in EXACT_VECTORS])
def test_public_vectors_build_and_parse_exactly(payload, request_, source):
    assert build_payload(request_) == payload
    parsed = parse_payload(payload)
    assert parsed.to_request() == request_
    assert parsed.crc == payload[-4:] and parsed.extra == {}


def test_napas_dynamic_examples_parse_with_their_bill_number():
    to_account = parse_payload(NAPAS_DYNAMIC_TO_ACCOUNT)
    assert to_account == ParsedVietQR(
        bank_bin="970403", account="0011012345678", service=Service.TO_ACCOUNT, amount=180000,
        note="thanh toan don hang", merchant_name=None, dynamic=True, crc="2E2E",
        extra={"62.01": "NPS6869"})
    to_card = parse_payload(NAPAS_DYNAMIC_TO_CARD)
    assert (to_card.service, to_card.account, to_card.crc) == (
        Service.TO_CARD, "9704031101234567", "A203")
    # Rebuilt from its request, the code lacks only the bill number (which the till does not
    # write): the parse lost nothing else.
    without_bill = NAPAS_DYNAMIC_TO_ACCOUNT[:-8].replace("62340107NPS6869", "6223")
    assert build_payload(to_account.to_request()) == _resigned(without_bill)


def test_objects_in_any_order_between_00_and_63_parse():
    # github.com/giautm/emvqr-go, emvqr_test.go: 62 written before 38 and 54 before 58.
    payload = ("00020101021262110807tien le38560010A0000007270126000697041501121133666688880208"
               "QRIBFTTA5303704540460005802VN63046893")
    parsed = parse_payload(payload)
    assert parsed.to_request() == VietQRRequest("970415", "113366668888", 6000, "tien le")


def test_a_merchant_name_and_other_objects_are_kept():
    request = VietQRRequest("970436", "0011012345678", 1_250_000, "SL1A2B3C4D5E6F",
                            merchant_name="STORELINE Q1")
    payload = build_payload(request)
    assert "5912STORELINE Q1" in payload
    assert parse_payload(payload).to_request() == request
    # An MCC (52) and a second scheme's template (26) are not VietQR's; they are kept.
    body = payload[:-8].replace("5303704", "520458125303704", 1)
    body = body.replace("38570010", "26080004ABCD38570010", 1) + "6304"
    parsed = parse_payload(body + payload_crc(body))
    assert parsed.extra == {"52": "5812", "26": "0004ABCD"}
    assert parsed.to_request() == request


# --- the till's code for a payment intent --------------------------------------------------------
def test_for_intent_carries_the_intents_note_and_amount():
    intent = "1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"
    request = VietQRRequest.for_intent("970436", "0011012345678", intent,
                                       Money(1_250_000, "VND"))
    payload = build_payload(request)
    assert payload == ("00020101021238570010A00000072701270006970436011300110123456780208"
                       "QRIBFTTA5303704540712500005802VN62180814SL1A2B3C4D5E6F6304"
                       + payload_crc(payload[:-4]))
    parsed = parse_payload(payload)
    assert (parsed.amount, parsed.dynamic) == (1_250_000, True)
    # What the bank reports back still holds the note HQ looks for.
    assert find_transfer_notes(f"MBVCB.123.{parsed.note.lower()}.CT tu 0123") == \
        [transfer_note(intent)]


def test_for_intent_refuses_another_currency():
    with pytest.raises(VietQRError, match="VND only; this amount is in USD"):
        VietQRRequest.for_intent("970436", "001", str(uuid.uuid4()), Money(1250, "USD"))


# --- validation: clear, specific errors ----------------------------------------------------------
GOOD = dict(bank_bin="970436", account="0011012345678", amount=150000, note="SL0123456789AB")


@pytest.mark.parametrize("change, message", [
    (dict(bank_bin="97043"), "bank BIN must be 6 digits"),
    (dict(bank_bin="97043a"), "bank BIN must be 6 digits"),
    (dict(bank_bin=970436), "bank BIN must be 6 digits"),
    (dict(account=""), "account number is missing"),
    (dict(account="0011-012345678"), "only letters and digits .* got '0011-012345678'"),
    (dict(account="A" * 20), "20 characters; VietQR holds at most 19"),
    (dict(account="VQRQ12", service=Service.TO_CARD), "may hold only digits"),
    (dict(amount=0), "more than 0 dong"),
    (dict(amount=-5), "more than 0 dong"),
    (dict(amount=MAX_AMOUNT + 1), "more than 13 digits"),
    (dict(amount=1.5), "whole number of dong"),
    (dict(amount=True), "whole number of dong"),
    (dict(amount=None), "dynamic VietQR code needs an amount"),
    (dict(note="SL01-23"), "letters, digits and spaces .* has '-'"),
    (dict(note="Thanh toán"), "only ASCII .* \\(write it as 'Thanh toan'\\)"),
    (dict(note="x" * 26), "26 characters; a VietQR note holds at most 25"),
    (dict(note=" SL01"), "must not start or end with a space"),
    (dict(note=""), "note is empty"),
    (dict(merchant_name="Cửa hàng Đông"), "write it as 'Cua hang Dong'"),
    (dict(merchant_name="N" * 26), "at most 25"),
    (dict(merchant_name="A\tB"), "control character"),
])
def test_invalid_requests_say_what_is_wrong(change, message):
    with pytest.raises(VietQRError, match=message):
        VietQRRequest(**{**GOOD, **change})


def test_limits_themselves_are_valid():
    request = VietQRRequest("970436", "9" * 19, MAX_AMOUNT, "N" * 25, merchant_name="M" * 25)
    assert parse_payload(build_payload(request)).to_request() == request
    assert VietQRRequest("970436", "1", 1, None, dynamic=False).amount == 1


def test_ascii_fold_removes_vietnamese_marks():
    assert ascii_fold("Ủng hộ lũ lụt Đà Nẵng") == "Ung ho lu lut Da Nang"
    assert ascii_fold("Thanh toán đơn hàng") == "Thanh toan don hang"


# --- parsing damaged and foreign payloads --------------------------------------------------------
def test_a_tampered_payload_fails_its_crc():
    tampered = NAPAS_DYNAMIC_TO_ACCOUNT.replace("54061800005802", "54069800005802")
    with pytest.raises(VietQRCrcError, match="the code says 2E2E but its contents give"):
        parse_payload(tampered)
    # a changed CRC is caught the same way
    with pytest.raises(VietQRCrcError, match="says 2E2F"):
        parse_payload(NAPAS_DYNAMIC_TO_ACCOUNT[:-4] + "2E2F")


def test_a_lower_case_crc_is_accepted_on_reading():
    assert parse_payload(NAPAS_STATIC_TO_ACCOUNT[:-4] + "9e6f").crc == "9E6F"


def _resigned(body: str) -> str:
    """A payload with a correct CRC around `body` (which ends just before "6304")."""
    return body + "6304" + payload_crc(body + "6304")


def obj(ident: str, value: str) -> str:
    """One EMVCo data object: ID, 2-digit length, value."""
    return f"{ident}{len(value):02d}{value}"


def _napas_template(service: str) -> str:
    beneficiary = obj("00", "970403") + obj("01", "0011012345678")
    return obj("38", obj("00", "A000000727") + obj("01", beneficiary) + obj("02", service))


STATIC_BODY = NAPAS_STATIC_TO_ACCOUNT[:-8]  # everything before "6304"


@pytest.mark.parametrize("payload, error, message", [
    ("hello", VietQRError, "does not end with a CRC"),
    (STATIC_BODY, VietQRError, "does not end with a CRC"),
    (_resigned("0002010102113885" "0010"), VietQRError, "says 85 characters, 12 follow"),
    (_resigned("000201ab02"), VietQRError, "expected a 2-digit ID .* found 'ab02'"),
    (_resigned("000202"), VietQRError, "must start with 000201"),
    (_resigned("0002010102110002015802VN"), VietQRError, "appears twice"),
    (_resigned("000201010212" + obj("26", obj("00", "ABCD")) + "5303704" "5802VN"),
     VietQRError, "no merchant account information carries NAPAS's identifier A000000727"),
    (_resigned("000201010212" + _napas_template("QRPUSH") + "5303704" "5802VN"), VietQRError,
     "QRPUSH is a NAPAS merchant payment"),
    (_resigned("000201010212" + _napas_template("QRIBFTXX") + "5303704" "5802VN"),
     VietQRError, "unknown VietQR service code 'QRIBFTXX'"),
    (_resigned(STATIC_BODY.replace("5303704", "5303840")), VietQRError,
     "currency \\(53\\) must be 704"),
    (_resigned(STATIC_BODY.replace("5802VN", "5802TH")), VietQRError,
     "country \\(58\\) must be VN"),
    (_resigned(STATIC_BODY + obj("54", "120.50")), VietQRError,
     "amount \\(54\\) must be whole dong"),
    (_resigned(STATIC_BODY.replace("010211", "010213")), VietQRError,
     "point of initiation \\(01\\) must be 11 or 12"),
    (_resigned(STATIC_BODY.replace("0006970403", "0006970A03")), VietQRError,
     "bank BIN \\(38/01/00\\) must be 6 digits"),
    (_resigned(STATIC_BODY + obj("62", obj("08", "N" * 26))), VietQRError,
     "note \\(62/08\\) is 26 characters"),
])
def test_payloads_that_are_not_vietqr_say_why(payload, error, message):
    with pytest.raises(error, match=message):
        parse_payload(payload)


def test_crc_must_be_the_last_object():
    # The last 8 characters look like a CRC and match, but they sit inside data object 62.
    prefix = STATIC_BODY + "6216" + obj("08", "ABCD") + "6304"
    hidden = prefix + payload_crc(prefix)
    with pytest.raises(VietQRError, match="the CRC \\(63\\) must be the last data object"):
        parse_payload(hidden)


# --- round trip of anything valid -------------------------------------------------------------
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_notes = st.text(_ALNUM + " ", min_size=1, max_size=25).filter(lambda s: s == s.strip())
_names = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1,
                 max_size=25).filter(str.strip)


@st.composite
def valid_requests(draw) -> VietQRRequest:
    service = draw(st.sampled_from(Service))
    digits_only = service is Service.TO_CARD
    account = draw(st.text("0123456789" if digits_only else _ALNUM, min_size=1, max_size=19))
    dynamic = draw(st.booleans())
    amount = draw(st.integers(1, MAX_AMOUNT) if dynamic
                  else st.none() | st.integers(1, MAX_AMOUNT))
    return VietQRRequest(
        bank_bin=draw(st.from_regex(r"[0-9]{6}", fullmatch=True)), account=account,
        amount=amount, note=draw(st.none() | _notes), merchant_name=draw(st.none() | _names),
        dynamic=dynamic, service=service)


@given(valid_requests())
def test_build_then_parse_gives_back_the_request(request_):
    payload = build_payload(request_)
    assert payload.isascii() and payload.startswith("000201010")
    assert payload[-4:] == payload_crc(payload[:-4]) == "%04X" % crc16_bitwise(
        payload[:-4].encode())
    parsed = parse_payload(payload)
    assert parsed.extra == {} and parsed.to_request() == request_
    assert (parsed.bank_bin, parsed.account, parsed.amount, parsed.note) == (
        request_.bank_bin, request_.account, request_.amount, request_.note)


@given(valid_requests(), st.data())
def test_any_changed_character_is_caught(request_, data):
    """Any one character changed anywhere before the CRC is detected (a CRC-16 catches
    every single-character error); a changed CRC digit too."""
    payload = build_payload(request_)
    at = data.draw(st.integers(0, len(payload) - 1))
    new = data.draw(st.sampled_from(_ALNUM).filter(lambda c: c != payload[at]))
    in_crc = at >= len(payload) - 4
    assume(not (in_crc and new.upper() == payload[at]))  # a lower-case CRC digit: same CRC
    damaged = payload[:at] + new + payload[at + 1:]
    with pytest.raises(VietQRError):
        parse_payload(damaged)
