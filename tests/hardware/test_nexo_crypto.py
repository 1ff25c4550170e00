"""The Terminal API's shared-key protection (hardware/terminals/nexo_crypto.py).

Known answers come from outside this code: PBKDF2-HMAC-SHA1 from RFC 6070, and an envelope
computed with the OpenSSL command line (`openssl kdf ... PBKDF2`, `openssl enc -aes-256-cbc`,
`openssl dgst -sha256 -mac HMAC`) following Adyen's libraries' recipe: key material
PBKDF2-HMAC-SHA1(passphrase, "AdyenNexoV1Salt", 4000, 80) split HMAC key / AES key / IV,
IV XOR nonce, HMAC-SHA256 of the plaintext. Adyen's libraries publish no fixed vectors
(their tests only round-trip), so these pin the recipe independently of our implementation.
"""
from __future__ import annotations

import base64
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardware.terminals.nexo_crypto import (NexoAuthError, NexoEnvelopeError, NexoKey,
                                            NexoKeyError, NexoKeyMismatch, derive_key, dumps,
                                            pbkdf2_sha1)

KAT_PASSPHRASE = "kat-passphrase-Storeline-1"
KAT_MATERIAL = ("0d1bcb3e76dd8c8cdbd548c90c0e896919a4eb95b5549416d6558a609db735f3"
                "270c14e1fde8bcaedef2f960c0046e20b9fd24027adcda45497ca0783ccb3f8f"
                "d8b90a6021f593033ba0aa9070679c9d")
KAT_PLAINTEXT = b'{"SaleToPOIRequest":{"MessageHeader":{"ServiceID":"0123456789"}}}'
KAT_NONCE = bytes(range(16))
KAT_BLOB = ("odopUj/eZOuK0m4Hm3oinP8SCrL4KdZeP2hQuCNp4jKyTKzZB0gjq2jVdrlzqN2Gp0iMWcPjxw7rY9GBVmAo"
            "7e1mdiO5csL7FNZ2WUvVDDk=")
KAT_HMAC = "PKVoMKqU13s7m5wKaemmpsnEp9cocKQ3WfkmI0GEdtI="


@pytest.mark.parametrize("password, salt, iterations, length, expected", [
    (b"password", b"salt", 1, 20, "0c60c80f961f0e71f3a9b524af6012062fe037a6"),
    (b"password", b"salt", 2, 20, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"),
    (b"password", b"salt", 4096, 20, "4b007901b765489abead49d926f721d065a429c1"),
    (b"passwordPASSWORDpassword", b"saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 25,
     "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"),
])
def test_pbkdf2_sha1_matches_rfc_6070(password, salt, iterations, length, expected):
    assert pbkdf2_sha1(password, salt, iterations, length).hex() == expected


def test_key_material_is_split_hmac_cipher_iv_as_adyen_does():
    derived = derive_key(KAT_PASSPHRASE)
    material = bytes.fromhex(KAT_MATERIAL)
    assert derived.hmac_key == material[:32]
    assert derived.cipher_key == material[32:64]
    assert derived.iv == material[64:80]


def test_envelope_matches_openssl_known_answer():
    key = NexoKey("StorelineKey", 1, KAT_PASSPHRASE)
    header = {"ServiceID": "0123456789"}
    envelope = key.seal_bytes("SaleToPOIRequest", header, KAT_PLAINTEXT, KAT_NONCE)
    assert envelope == {"SaleToPOIRequest": {
        "MessageHeader": header, "NexoBlob": KAT_BLOB,
        "SecurityTrailer": {"AdyenCryptoVersion": 1, "KeyIdentifier": "StorelineKey",
                            "KeyVersion": 1, "Nonce": base64.b64encode(KAT_NONCE).decode(),
                            "Hmac": KAT_HMAC}}}
    assert key.open(envelope) == ("SaleToPOIRequest", KAT_PLAINTEXT)


def _message(service_id: str = "a1b2c3d4e5") -> dict:
    return {"SaleToPOIResponse": {
        "MessageHeader": {"MessageCategory": "Payment", "MessageType": "Response",
                          "ServiceID": service_id, "POIID": "P400Plus-123456789"},
        "PaymentResponse": {"PaymentResult": {"AmountsResp": {"AuthorizedAmount":
                                                              Decimal("12.50"),
                                                              "Currency": "USD"}},
                            "Response": {"Result": "Success"}}}}


def test_round_trip_keeps_the_message_and_exact_amounts():
    key = NexoKey("StorelineKey", 3, "round trip passphrase")
    message = _message()
    envelope = key.seal(message)
    outer = envelope["SaleToPOIResponse"]
    assert outer["MessageHeader"] == message["SaleToPOIResponse"]["MessageHeader"]
    assert b"12.50" not in base64.b64decode(outer["NexoBlob"])  # encrypted, not encoded
    opened = key.open_json(json.loads(json.dumps(envelope)), parse_float=Decimal)
    assert opened == message
    amount = opened["SaleToPOIResponse"]["PaymentResponse"]["PaymentResult"]["AmountsResp"]
    assert str(amount["AuthorizedAmount"]) == "12.50"


def test_every_message_gets_its_own_nonce():
    key = NexoKey("StorelineKey", 1, "nonce passphrase")
    first, second = key.seal(_message()), key.seal(_message())
    nonce = lambda e: e["SaleToPOIResponse"]["SecurityTrailer"]["Nonce"]  # noqa: E731
    blob = lambda e: e["SaleToPOIResponse"]["NexoBlob"]  # noqa: E731
    assert nonce(first) != nonce(second) and blob(first) != blob(second)


def _tampered(envelope: dict, field: str, index: int = 0) -> dict:
    copy = json.loads(json.dumps(envelope))
    body = copy["SaleToPOIResponse"]
    holder = body if field == "NexoBlob" else body["SecurityTrailer"]
    data = bytearray(base64.b64decode(holder[field]))
    data[index] ^= 0x01
    holder[field] = base64.b64encode(bytes(data)).decode()
    return copy


@pytest.mark.parametrize("field, index", [("NexoBlob", 0), ("NexoBlob", -1), ("NexoBlob", 17),
                                          ("Hmac", 0), ("Hmac", 31), ("Nonce", 3)])
def test_a_flipped_bit_anywhere_is_refused(field, index):
    key = NexoKey("StorelineKey", 1, "tamper passphrase")
    envelope = key.seal(_message())
    with pytest.raises(NexoAuthError, match="does not authenticate"):
        key.open(_tampered(envelope, field, index))


def test_a_wrong_passphrase_is_refused():
    envelope = NexoKey("StorelineKey", 1, "the terminal's passphrase").seal(_message())
    with pytest.raises(NexoAuthError):
        NexoKey("StorelineKey", 1, "the till's wrong passphrase").open(envelope)


@pytest.mark.parametrize("key_id, version", [("OtherKey", 1), ("StorelineKey", 2)])
def test_another_key_identifier_or_version_is_refused_by_name(key_id, version):
    envelope = NexoKey("StorelineKey", 1, "same passphrase").seal(_message())
    with pytest.raises(NexoKeyMismatch, match="StorelineKey"):
        NexoKey(key_id, version, "same passphrase").open(envelope)


def test_another_crypto_version_is_refused():
    key = NexoKey("StorelineKey", 1, "version passphrase")
    envelope = key.seal(_message())
    envelope["SaleToPOIResponse"]["SecurityTrailer"]["AdyenCryptoVersion"] = 2
    with pytest.raises(NexoKeyMismatch, match="AdyenCryptoVersion 2"):
        key.open(envelope)


@pytest.mark.parametrize("mangle, message", [
    (lambda e: {"Something": {}}, "Not a Terminal API message"),
    (lambda e: {**e, "Extra": {}}, "Not a Terminal API message"),
    (lambda e: e["SaleToPOIResponse"].pop("SecurityTrailer") and e, "no SecurityTrailer"),
    (lambda e: e["SaleToPOIResponse"].update(NexoBlob="not base64!") or e, "NexoBlob is not"),
    (lambda e: e["SaleToPOIResponse"].update(NexoBlob="AAAA") or e, "whole number of AES"),
    (lambda e: e["SaleToPOIResponse"]["SecurityTrailer"].pop("Hmac") and e, "Hmac is missing"),
    (lambda e: e["SaleToPOIResponse"]["SecurityTrailer"].update(Nonce="AAAA") or e,
     "nonce is 3 bytes"),
])
def test_malformed_envelopes_say_what_is_wrong(mangle, message):
    key = NexoKey("StorelineKey", 1, "shape passphrase")
    envelope = mangle(key.seal(_message()))
    with pytest.raises(NexoEnvelopeError, match=message):
        key.open(envelope)


def test_authenticated_plaintext_that_is_not_a_message_is_refused():
    key = NexoKey("StorelineKey", 1, "plaintext passphrase")
    envelope = key.seal_bytes("SaleToPOIResponse", {}, b"[1, 2, 3]")
    with pytest.raises(NexoEnvelopeError, match="not a SaleToPOIResponse"):
        key.open_json(envelope)


@pytest.mark.parametrize("args, message", [
    (("", 1, "x"), "identifier is empty"), (("K", -1, "x"), "whole number"),
    (("K", True, "x"), "whole number"), (("K", 1, ""), "passphrase is empty"),
])
def test_unusable_keys_are_refused(args, message):
    with pytest.raises(NexoKeyError, match=message):
        NexoKey(*args)


def test_the_passphrase_and_key_material_never_show():
    secret = "do-not-print-this-passphrase"
    key = NexoKey("StorelineKey", 1, secret)
    derived = derive_key(secret)
    shown = repr(key) + str(key) + repr(derived)
    assert secret not in shown
    for material in (derived.hmac_key, derived.cipher_key, derived.iv):
        assert material.hex() not in shown and repr(material) not in shown


def test_dumps_writes_decimals_as_exact_json_numbers():
    assert dumps({"a": Decimal("12.50"), "b": [Decimal("1250000"), "x"], "c": "12.50"}) == \
        b'{"a":12.50,"b":[1250000,"x"],"c":"12.50"}'
    assert dumps({"v": "Đầm"}) == '{"v":"Đầm"}'.encode()
    with pytest.raises(ValueError):
        dumps({"a": Decimal("NaN")})


@given(st.integers(min_value=1, max_value=10**15), st.sampled_from([0, 2, 3]))
def test_dumped_amounts_parse_back_exactly(minor, exponent):
    amount = Decimal(minor).scaleb(-exponent)
    parsed = json.loads(dumps({"RequestedAmount": amount}), parse_float=Decimal)
    assert Decimal(parsed["RequestedAmount"]).scaleb(exponent) == minor
