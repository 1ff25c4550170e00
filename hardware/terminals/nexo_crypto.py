"""The shared-key protection of Adyen's local Terminal API ("Protect local communications").

Why: on the store's network anyone can read and alter what the till and the terminal say, so
every Terminal API message travels encrypted and authenticated with a key both sides derive
from the passphrase set in Adyen's Customer Area (key identifier + key version + passphrase).
This module does exactly what Adyen's own libraries do (adyen-java-api-library NexoCrypto,
adyen-node-api-library nexoCrypto, adyen-dotnet-api-library EncryptionDerivedKeyGenerator),
with the `cryptography` package — no hand-rolled primitives:

- key material: PBKDF2-HMAC-SHA1(passphrase, salt b"AdyenNexoV1Salt", 4000 iterations) ->
  80 bytes: HMAC key [0:32], AES key [32:64], IV base [64:80];
- per message a random 16-byte nonce; the AES-256-CBC IV is the IV base XOR the nonce; the
  plaintext (the whole {"SaleToPOIRequest"|"SaleToPOIResponse": {...}} JSON, UTF-8) is
  PKCS#7-padded and encrypted;
- Hmac = HMAC-SHA256(HMAC key, plaintext) — of the plaintext, not of the ciphertext;
- the envelope keeps a clear copy of the MessageHeader (so a terminal can route it) next to
  "NexoBlob" (base64 ciphertext) and a "SecurityTrailer" {AdyenCryptoVersion 1, KeyIdentifier,
  KeyVersion, Nonce (base64), Hmac (base64)}.

Opening an envelope checks the key identifier and version, decrypts, and compares the HMAC in
constant time; any failure raises a specific `NexoCryptoError`. A failed padding check and a
failed HMAC raise the same `NexoAuthError`, so the answer never tells which step failed.

Thread-safety: a `NexoKey` is immutable after construction (the 4000-round derivation runs
once, in the constructor) and may be shared by the payment worker and an abort from another
thread. Pure computation, no I/O.
"""
from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

SALT = b"AdyenNexoV1Salt"
ITERATIONS = 4000
HMAC_KEY_LENGTH = 32
CIPHER_KEY_LENGTH = 32
IV_LENGTH = 16
NONCE_LENGTH = 16
ADYEN_CRYPTO_VERSION = 1
KINDS = ("SaleToPOIRequest", "SaleToPOIResponse")


class NexoCryptoError(Exception):
    """A message could not be protected or opened; the subclass says why."""


class NexoKeyError(NexoCryptoError):
    """The key settings are unusable (empty passphrase or identifier, bad version)."""


class NexoEnvelopeError(NexoCryptoError):
    """Not a protected Terminal API message: missing fields, bad base64, wrong sizes."""


class NexoKeyMismatch(NexoCryptoError):
    """The message names another key (identifier or version) or crypto version."""


class NexoAuthError(NexoCryptoError):
    """The message does not authenticate with this key: wrong passphrase, or altered."""


@dataclass(frozen=True, slots=True)
class DerivedKey:
    """The 80 bytes of key material, split as Adyen splits them. Never printed."""

    hmac_key: bytes = field(repr=False)
    cipher_key: bytes = field(repr=False)
    iv: bytes = field(repr=False)


def pbkdf2_sha1(passphrase: bytes, salt: bytes, iterations: int, length: int) -> bytes:
    """PBKDF2-HMAC-SHA1 (RFC 8018), through `cryptography`."""
    return PBKDF2HMAC(algorithm=hashes.SHA1(), length=length, salt=salt,
                      iterations=iterations).derive(passphrase)


def derive_key(passphrase: str) -> DerivedKey:
    """The key material of a passphrase: HMAC key, AES key, IV base (in that order)."""
    if not passphrase:
        raise NexoKeyError("The terminal's passphrase is empty")
    material = pbkdf2_sha1(passphrase.encode("utf-8"), SALT, ITERATIONS,
                           HMAC_KEY_LENGTH + CIPHER_KEY_LENGTH + IV_LENGTH)
    return DerivedKey(hmac_key=material[:HMAC_KEY_LENGTH],
                      cipher_key=material[HMAC_KEY_LENGTH:HMAC_KEY_LENGTH + CIPHER_KEY_LENGTH],
                      iv=material[HMAC_KEY_LENGTH + CIPHER_KEY_LENGTH:])


class NexoKey:
    """One shared key: its identifier and version (sent in the clear) and its derived
    material (kept private). The repr names the key, never the passphrase."""

    __slots__ = ("key_identifier", "key_version", "_derived")

    def __init__(self, key_identifier: str, key_version: int, passphrase: str) -> None:
        if not key_identifier:
            raise NexoKeyError("The terminal's key identifier is empty")
        if not isinstance(key_version, int) or isinstance(key_version, bool) or key_version < 0:
            raise NexoKeyError(f"The key version must be a whole number, not {key_version!r}")
        self.key_identifier = key_identifier
        self.key_version = key_version
        self._derived = derive_key(passphrase)

    def __repr__(self) -> str:
        return f"NexoKey({self.key_identifier!r}, version {self.key_version})"

    # --- the primitives --------------------------------------------------------------------
    def _cipher(self, nonce: bytes) -> Cipher:
        iv = bytes(a ^ b for a, b in zip(self._derived.iv, nonce))
        return Cipher(algorithms.AES(self._derived.cipher_key), modes.CBC(iv))

    def mac(self, plaintext: bytes) -> bytes:
        h = crypto_hmac.HMAC(self._derived.hmac_key, hashes.SHA256())
        h.update(plaintext)
        return h.finalize()

    def encrypt(self, plaintext: bytes, nonce: bytes) -> bytes:
        padder = padding.PKCS7(algorithms.AES.block_size).padder()
        padded = padder.update(plaintext) + padder.finalize()
        encryptor = self._cipher(nonce).encryptor()
        return encryptor.update(padded) + encryptor.finalize()

    def decrypt(self, ciphertext: bytes, nonce: bytes) -> bytes:
        """The plaintext; NexoAuthError when the padding is wrong (a wrong key, mostly)."""
        if not ciphertext or len(ciphertext) % IV_LENGTH:
            raise NexoEnvelopeError(f"NexoBlob is {len(ciphertext)} bytes, not a whole number "
                                    "of AES blocks")
        decryptor = self._cipher(nonce).decryptor()
        padded = decryptor.update(ciphertext) + decryptor.finalize()
        unpadder = padding.PKCS7(algorithms.AES.block_size).unpadder()
        try:
            return unpadder.update(padded) + unpadder.finalize()
        except ValueError:
            raise NexoAuthError(_AUTH_FAILED) from None

    # --- envelopes -------------------------------------------------------------------------
    def seal(self, message: dict, nonce: bytes | None = None) -> dict:
        """Protect a whole Terminal API message ({"SaleToPOIRequest": {...}} or a response):
        the envelope to send. `nonce` is for known-answer tests only; by default a fresh
        random one."""
        kind, header = _kind_and_header(message)
        return self.seal_bytes(kind, header, dumps(message), nonce)

    def seal_bytes(self, kind: str, header: dict, plaintext: bytes,
                   nonce: bytes | None = None) -> dict:
        """Protect an already serialised message (the JSON the other side will read)."""
        if kind not in KINDS:
            raise NexoEnvelopeError(f"Cannot protect a {kind!r}: not one of {', '.join(KINDS)}")
        nonce = os.urandom(NONCE_LENGTH) if nonce is None else nonce
        if len(nonce) != NONCE_LENGTH:
            raise NexoEnvelopeError(f"A nonce is {NONCE_LENGTH} bytes, not {len(nonce)}")
        return {kind: {
            "MessageHeader": header,
            "NexoBlob": _b64(self.encrypt(plaintext, nonce)),
            "SecurityTrailer": {
                "AdyenCryptoVersion": ADYEN_CRYPTO_VERSION,
                "KeyIdentifier": self.key_identifier,
                "KeyVersion": self.key_version,
                "Nonce": _b64(nonce),
                "Hmac": _b64(self.mac(plaintext)),
            },
        }}

    def open(self, envelope: dict) -> tuple[str, bytes]:
        """(kind, plaintext JSON bytes) of a protected message; a NexoCryptoError otherwise.

        Checks, in order: the envelope's shape, the key identifier and version and crypto
        version, the ciphertext's decryption, and the HMAC of the plaintext (constant time).
        """
        kind, body = _envelope_body(envelope)
        trailer = body.get("SecurityTrailer")
        if not isinstance(trailer, dict):
            raise NexoEnvelopeError(f"{kind} has no SecurityTrailer: not an encrypted message")
        version = trailer.get("AdyenCryptoVersion")
        if version != ADYEN_CRYPTO_VERSION:
            raise NexoKeyMismatch(f"AdyenCryptoVersion {version!r} is not supported (only "
                                  f"{ADYEN_CRYPTO_VERSION})")
        if trailer.get("KeyIdentifier") != self.key_identifier \
                or trailer.get("KeyVersion") != self.key_version:
            raise NexoKeyMismatch(
                f"The message is protected with key {trailer.get('KeyIdentifier')!r} version "
                f"{trailer.get('KeyVersion')!r}, not {self.key_identifier!r} version "
                f"{self.key_version}")
        nonce = _unb64(trailer.get("Nonce"), "SecurityTrailer.Nonce")
        if len(nonce) != NONCE_LENGTH:
            raise NexoEnvelopeError(f"The nonce is {len(nonce)} bytes, not {NONCE_LENGTH}")
        received_mac = _unb64(trailer.get("Hmac"), "SecurityTrailer.Hmac")
        ciphertext = _unb64(body.get("NexoBlob"), "NexoBlob")
        plaintext = self.decrypt(ciphertext, nonce)
        if not hmac.compare_digest(self.mac(plaintext), received_mac):
            raise NexoAuthError(_AUTH_FAILED)
        return kind, plaintext

    def open_json(self, envelope: dict, **json_options) -> dict:
        """The decrypted message as a dict ({kind: {...}}); NexoEnvelopeError when the
        authenticated plaintext is not JSON of the envelope's kind."""
        kind, plaintext = self.open(envelope)
        try:
            message = json.loads(plaintext.decode("utf-8"), **json_options)
        except (UnicodeDecodeError, ValueError):
            raise NexoEnvelopeError("The decrypted message is not JSON") from None
        if not isinstance(message, dict) or not isinstance(message.get(kind), dict):
            raise NexoEnvelopeError(f"The decrypted message is not a {kind}")
        return message


def dumps(message: object) -> bytes:
    """Terminal API JSON, UTF-8: compact, and every `Decimal` written as the exact JSON number
    it is ("12.50", "1250000"), never through a float."""
    token = secrets.token_hex(8)
    numbers: list[str] = []

    def swap(value: object) -> object:
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValueError(f"Not an amount: {value}")
            numbers.append(format(value, "f"))
            return f"{token}:{len(numbers) - 1}"
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [swap(v) for v in value]
        return value

    text = json.dumps(swap(message), separators=(",", ":"), ensure_ascii=False)
    if numbers:
        text = re.sub(f'"{token}:(\\d+)"', lambda m: numbers[int(m.group(1))], text)
    return text.encode("utf-8")


_AUTH_FAILED = ("The message does not authenticate with this key (a different passphrase, "
                "or it was altered on the way)")


def _kind_and_header(message: dict) -> tuple[str, dict]:
    kind, body = _envelope_body(message)
    header = body.get("MessageHeader")
    if not isinstance(header, dict):
        raise NexoEnvelopeError(f"{kind} has no MessageHeader")
    return kind, header


def _envelope_body(envelope: object) -> tuple[str, dict]:
    if not isinstance(envelope, dict) or len(envelope) != 1:
        raise NexoEnvelopeError("Not a Terminal API message: expected one SaleToPOIRequest or "
                                "SaleToPOIResponse object")
    ((kind, body),) = envelope.items()
    if kind not in KINDS or not isinstance(body, dict):
        raise NexoEnvelopeError(f"Not a Terminal API message: {kind!r}")
    return kind, body


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object, name: str) -> bytes:
    if not isinstance(value, str) or not value:
        raise NexoEnvelopeError(f"{name} is missing")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise NexoEnvelopeError(f"{name} is not base64") from None
