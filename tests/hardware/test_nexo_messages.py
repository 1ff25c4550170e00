"""Terminal API requests and the reading of answers (hardware/terminals/nexo_messages.py).

The answers here are written the way Adyen's documentation and libraries show them
(form-encoded receipt lines "name=Date&value=29%2f04%2f19&key=txdate", MaskedPan
"411111 **** 1111", AdditionalResponse form-encoded or base64 JSON).
"""
from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardware.terminals import nexo_messages as nexo
from hardware.terminals.nexo_crypto import dumps
from pos_app.payments.terminal import TerminalOutcome

INTENT = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"


def test_the_payment_is_named_after_its_intent():
    request = nexo.payment_request(INTENT, 1_250_000, "VND", "till-7", "P400Plus-123456789",
                                   now=datetime(2026, 12, 7, 19, 2, 16, 123456, timezone.utc))
    header = request["SaleToPOIRequest"]["MessageHeader"]
    assert header == {"ProtocolVersion": "3.0", "MessageClass": "Service",
                      "MessageCategory": "Payment", "MessageType": "Request",
                      "SaleID": "till-7", "ServiceID": "1a2b3c4d5e", "POIID": "P400Plus-123456789"}
    body = request["SaleToPOIRequest"]["PaymentRequest"]
    assert body["SaleData"]["SaleTransactionID"] == {"TransactionID": INTENT,
                                                     "TimeStamp": "2026-12-07T19:02:16.123Z"}
    assert b'"AmountsReq":{"Currency":"VND","RequestedAmount":1250000}' in dumps(request)


@pytest.mark.parametrize("minor, currency, wire", [
    (1250, "USD", b"12.50"), (1, "USD", b"0.01"), (100, "USD", b"1.00"),
    (1250000, "VND", b"1250000"),
    (1234, "BHD", b"1.234"), (5, "JPY", b"5"),
])
def test_requested_amounts_are_exact_major_units(minor, currency, wire):
    request = nexo.payment_request(INTENT, minor, currency, "till", "P400Plus-123456789")
    assert b'"RequestedAmount":' + wire + b"}" in dumps(request)


@given(st.integers(min_value=1, max_value=10**14), st.sampled_from(["VND", "USD", "BHD", "JPY"]))
def test_major_and_minor_units_round_trip(minor, currency):
    major = nexo.major_units(minor, currency)
    assert nexo.minor_units(json.loads(dumps([major]), parse_float=Decimal)[0], currency) == minor


def test_amounts_that_are_not_whole_minor_units_are_refused():
    with pytest.raises(ValueError, match="not a whole number of minor units"):
        nexo.minor_units(Decimal("12.505"), "USD")
    with pytest.raises(ValueError):
        nexo.minor_units(12.5, "USD")  # a float is never an amount
    with pytest.raises(TypeError):
        nexo.major_units(12.5, "USD")
    with pytest.raises(ValueError, match="more than zero"):
        nexo.payment_request(INTENT, 0, "VND", "till", "P400Plus-123456789")
    with pytest.raises(ValueError, match="is a UUID"):
        nexo.payment_request("sale-42", 100, "VND", "till", "P400Plus-123456789")


def test_abort_and_status_name_the_payment_by_its_service_id():
    abort = nexo.abort_request(INTENT, "till-7", "P400Plus-123456789")["SaleToPOIRequest"]
    status = nexo.status_request(INTENT, "till-7", "P400Plus-123456789")["SaleToPOIRequest"]
    reference = {"MessageCategory": "Payment", "SaleID": "till-7", "ServiceID": "1a2b3c4d5e"}
    assert abort["AbortRequest"] == {"AbortReason": "MerchantAbort", "MessageReference": reference}
    assert abort["MessageHeader"]["MessageCategory"] == "Abort"
    assert status["TransactionStatusRequest"]["MessageReference"] == reference
    assert status["MessageHeader"]["MessageCategory"] == "TransactionStatus"
    ids = {abort["MessageHeader"]["ServiceID"], status["MessageHeader"]["ServiceID"], "1a2b3c4d5e"}
    assert len(ids) == 3 and all(len(i) == 10 for i in ids)  # unique, at most 10 characters


def test_a_refund_is_a_reversal_with_an_amount():
    refund_id = str(uuid.uuid4())
    request = nexo.reversal_request(refund_id, "BV0q001643892070000.VK9DRSLLRCQ2WN82",
                                    "2026-12-07T19:02:16.123Z", "till", "P400Plus-123456789",
                                    Decimal("2.50"))
    body = request["SaleToPOIRequest"]["ReversalRequest"]
    assert body["OriginalPOITransaction"]["POITransactionID"] == {
        "TransactionID": "BV0q001643892070000.VK9DRSLLRCQ2WN82",
        "TimeStamp": "2026-12-07T19:02:16.123Z"}
    assert body["ReversalReason"] == "MerchantCancel"
    assert body["SaleData"]["SaleTransactionID"]["TransactionID"] == refund_id
    assert b'"ReversedAmount":2.50' in dumps(request)
    whole = nexo.reversal_request(refund_id, "x.y", "t", "till", "P400Plus-123456789")
    assert "ReversedAmount" not in whole["SaleToPOIRequest"]["ReversalRequest"]


@pytest.mark.parametrize("given_pan, expected", [
    ("411111 **** 1111", "**** 1111"), ("************3511", "**** 3511"),
    ("5413 33** **** 0010", "**** 0010"), ("****", None), (None, None), ("12", None),
])
def test_only_the_last_four_digits_are_kept(given_pan, expected):
    assert nexo.last_four(given_pan) == expected


def test_card_numbers_in_text_are_masked_but_references_are_not():
    text = "Card 4111 1111 1111 1111 ref 4r7i001556529591000 psp VK9DRSLLRCQ2WN82 n 1234567890123"
    scrubbed = nexo.scrub_card_numbers(text)
    assert "4111 1111" not in scrubbed and "**** 1111" in scrubbed
    assert "4r7i001556529591000" in scrubbed and "VK9DRSLLRCQ2WN82" in scrubbed
    assert "1234567890123" in scrubbed  # 13 digits, not Luhn-valid: not a card number
    assert nexo.scrub_card_numbers("5555555555554444") == "**** 4444"


def test_additional_response_form_encoded_or_base64_json():
    assert nexo.additional_response("refusalReason=Not%20enough%20balance&authCode=") == {
        "refusalReason": "Not enough balance", "authCode": ""}
    packed = base64.b64encode(json.dumps({"additionalData": {"refusalReason": "Expired Card"},
                                          "message": "Declined"}).encode()).decode()
    assert nexo.additional_response(packed) == {"refusalReason": "Expired Card",
                                                "message": "Declined"}
    assert nexo.additional_response(None) == {} and nexo.additional_response("") == {}


RECEIPTS = [
    {"DocumentQualifier": "CashierReceipt", "OutputContent": {"OutputText": [
        {"Text": "name=MERCHANT%20COPY&key=merchantTitle", "EndOfLineFlag": True}]}},
    {"DocumentQualifier": "CustomerReceipt", "OutputContent": {"OutputFormat": "Text",
                                                               "OutputText": [
        {"Text": "key=header1", "EndOfLineFlag": True},
        {"Text": "name=CARDHOLDER%20COPY&key=cardholderHeader", "EndOfLineFlag": True},
        {"Text": "key=filler", "EndOfLineFlag": True},
        {"Text": "name=Date&value=29%2f04%2f19&key=txdate", "EndOfLineFlag": True},
        {"Text": "name=Card&value=%2a%2a%2a%2a%2a%2a%2a%2a%2a%2a%2a%2a3511&key=pan",
         "EndOfLineFlag": True},
        {"Text": "name=TOTAL&value=%e2%82%ac%c2%a01.00&key=totalAmount", "EndOfLineFlag": True},
        {"Text": "name=APPROVED&key=approved", "EndOfLineFlag": True},
        {"Text": "Plain ", "EndOfLineFlag": False}, {"Text": "text", "EndOfLineFlag": True},
    ]}},
]


def test_the_cardholder_slip_becomes_plain_lines():
    assert nexo.receipt_lines(RECEIPTS) == (
        "CARDHOLDER COPY", "", "Date: 29/04/19", "Card: **** 3511", "TOTAL: €\u00a01.00",
        "APPROVED", "Plain text")
    assert nexo.receipt_lines(RECEIPTS[:1]) == ()
    assert nexo.receipt_lines(None) == ()


def _payment(result="Success", condition=None, extra="", **more) -> dict:
    response = {"Result": result, "AdditionalResponse": extra}
    if condition:
        response["ErrorCondition"] = condition
    body = {"SaleData": {"SaleTransactionID": {"TransactionID": INTENT}},
            "POIData": {"POITransactionID": {"TransactionID": "BV0q00164.VK9DRSLLRCQ2WN82",
                                             "TimeStamp": "2026-12-07T19:02:16.123Z"}},
            "PaymentResult": {"PaymentInstrumentData": {"CardData": {
                "MaskedPan": "411111 **** 1111", "PaymentBrand": "visa"}},
                "PaymentAcquirerData": {"ApprovalCode": "123456"},
                "AmountsResp": {"AuthorizedAmount": Decimal("12.50"), "Currency": "USD"}},
            "Response": response}
    body.update(more)
    return body


def test_an_approval_keeps_reference_code_last_four_and_amount():
    result = nexo.payment_result(_payment(extra="cardBin=411111&authCode=999999"), INTENT,
                                 "USD", 1250)
    assert result.outcome is TerminalOutcome.APPROVED and result.amount == 1250
    assert (result.reference, result.auth_code, result.masked_pan, result.card_brand) == (
        "BV0q00164.VK9DRSLLRCQ2WN82", "123456", "**** 1111", "visa")
    assert "411111" not in repr(result)


def test_a_partial_approval_is_approved_for_the_authorised_amount_only():
    result = nexo.payment_result(_payment("Partial"), INTENT, "USD", 5000)
    assert result.outcome is TerminalOutcome.APPROVED and result.amount == 1250
    assert result.message == "Partially approved"


@pytest.mark.parametrize("condition, outcome", [
    ("Refusal", TerminalOutcome.DECLINED), ("WrongPIN", TerminalOutcome.DECLINED),
    ("Aborted", TerminalOutcome.CANCELLED), ("Cancel", TerminalOutcome.CANCELLED),
    ("Busy", TerminalOutcome.BUSY), ("UnreachableHost", TerminalOutcome.DECLINED),
])
def test_failures_map_to_outcomes_that_charged_nothing(condition, outcome):
    result = nexo.payment_result(
        _payment("Failure", condition, "refusalReason=Not%20enough%20balance"), INTENT, "USD")
    assert result.outcome is outcome and result.nothing_charged and result.amount == 0
    assert result.message == "Not enough balance"


def test_answers_that_cannot_be_trusted_are_unknown():
    other = _payment(SaleData={"SaleTransactionID": {"TransactionID": str(uuid.uuid4())}})
    assert nexo.payment_result(other, INTENT, "USD").outcome is TerminalOutcome.UNKNOWN
    assert nexo.payment_result(_payment("Maybe"), INTENT).outcome is TerminalOutcome.UNKNOWN
    assert nexo.payment_result({}, INTENT).outcome is TerminalOutcome.UNKNOWN
    odd = _payment()
    odd["PaymentResult"]["AmountsResp"]["AuthorizedAmount"] = Decimal("12.505")
    assert nexo.payment_result(odd, INTENT, "USD").outcome is TerminalOutcome.UNKNOWN
    del odd["PaymentResult"]["AmountsResp"]
    assert nexo.payment_result(odd, INTENT).outcome is TerminalOutcome.UNKNOWN  # how much?


def test_status_answers():
    service_id = nexo.payment_service_id(INTENT)
    found = {"Response": {"Result": "Success"}, "RepeatedMessageResponse": {
        "MessageHeader": {"ServiceID": service_id},
        "RepeatedResponseMessageBody": {"PaymentResponse": _payment()}}}
    assert nexo.status_result(found, INTENT).outcome is TerminalOutcome.APPROVED
    found["RepeatedMessageResponse"]["MessageHeader"]["ServiceID"] = "0000000000"
    assert nexo.status_result(found, INTENT).outcome is TerminalOutcome.UNKNOWN
    for condition, outcome in (("NotFound", TerminalOutcome.NOT_FOUND),
                               ("InProgress", TerminalOutcome.UNKNOWN)):
        answer = {"Response": {"Result": "Failure", "ErrorCondition": condition}}
        assert nexo.status_result(answer, INTENT).outcome is outcome
