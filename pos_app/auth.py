"""Associates, roles, permissions and PIN hashing.

Why: every sale records who rang it up, and some actions (price override, a discount above
the store's threshold, "no sale") need a permission; when the associate lacks it a manager
approves with their own PIN and the approval is recorded. PINs are hashed with argon2id
(argon2-cffi) and never logged or kept in memory longer than the check.

PIN verifiers on a till are keyed to that till (issue 18): HQ keeps each associate's argon2id
hash, and sends a till not the hash but `keyed_verifier(hash, pin_key(device))` -- the argon2
parameters and salt with the raw hash replaced by HMAC-SHA256(K_d, raw hash), where K_d is
derived from that device's secret (HQ derives it from the secret's SHA-256, which it keeps).
Checking a typed PIN still costs one argon2 computation, but guessing PINs from a copied
snapshot or change feed needs K_d as well: the copy is useless without that till's secret,
and one till's verifiers are not another's. docs/security.md says what a stolen till exposes.

Pure code except `verify_pin`, which is deliberately slow (argon2): call it from the database
worker, never from the UI thread.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from enum import Enum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import Type, hash_secret_raw

# Modest parameters: a till must answer a PIN in well under half a second on a tablet.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class Role(str, Enum):
    ASSOCIATE = "associate"
    CASHIER = "cashier"
    MANAGER = "manager"


class Permission(str, Enum):
    SELL = "sell"
    TAKE_CASH = "take_cash"
    DISCOUNT_SMALL = "discount_small"  # up to the store's threshold
    DISCOUNT_ANY = "discount_any"
    PRICE_OVERRIDE = "price_override"
    NO_SALE = "no_sale"
    # a card payment keyed on a stand-alone terminal above the store's limit (the till cannot
    # check it: pos_app/payments/standalone.py)
    STANDALONE_CARD = "standalone_card"
    MANAGE = "manage"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ASSOCIATE: frozenset({Permission.SELL, Permission.DISCOUNT_SMALL}),
    Role.CASHIER: frozenset({Permission.SELL, Permission.TAKE_CASH, Permission.DISCOUNT_SMALL}),
    Role.MANAGER: frozenset(Permission),
}


@dataclass(frozen=True, slots=True)
class Associate:
    id: str
    code: str  # staff number typed or shown on the login tiles
    name: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]


@dataclass(frozen=True, slots=True)
class Approval:
    """Who allowed a permissioned action (the actor themself when they hold the permission)."""

    permission: Permission
    approved_by: str  # associate id
    approver_name: str


KEYED_PREFIX = "slk1"  # a keyed verifier: "slk1$<hash length>$argon2id$v=..$m=..,t=..,p=..$salt$mac"
_KEY_LABEL = b"storeline pin verifier v1"
MIN_PIN_LENGTH, MAX_PIN_LENGTH = 4, 8
DEFAULT_MANAGER_PIN_MIN_LENGTH = 6  # a stolen till costs ~10^6 argon2 guesses per manager PIN


def hash_pin(pin: str, min_length: int = MIN_PIN_LENGTH) -> str:
    """The argon2id hash HQ keeps (`min_length`: the role's minimum, see `min_pin_length`)."""
    validate_pin_format(pin, min_length)
    return _HASHER.hash(pin)


def min_pin_length(role: "Role", manager_min: int = DEFAULT_MANAGER_PIN_MIN_LENGTH,
                   associate_min: int = MIN_PIN_LENGTH) -> int:
    """The shortest PIN a role may have: managers approve overrides and open the drawer, so
    theirs is longer (store settings may raise either, never below 4)."""
    wanted = manager_min if role is Role.MANAGER else associate_min
    return max(MIN_PIN_LENGTH, min(MAX_PIN_LENGTH, wanted))


def pin_key_from_secret_sha256(secret_sha256_hex: str) -> bytes:
    """K_d of a device, from the SHA-256 (hex) of its secret: what HQ keeps."""
    return hmac.new(bytes.fromhex(secret_sha256_hex), _KEY_LABEL, hashlib.sha256).digest()


def pin_key(device_secret: str) -> bytes:
    """K_d of this device, from its secret (the till's side of pin_key_from_secret_sha256)."""
    return pin_key_from_secret_sha256(hashlib.sha256(device_secret.encode()).hexdigest())


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def keyed_verifier(argon2_hash: str, key: bytes) -> str:
    """What HQ sends a till instead of `argon2_hash`: same parameters and salt, the raw hash
    replaced by HMAC-SHA256(key, raw hash). A hash HQ cannot parse is passed on unchanged
    (the till then refuses every PIN for it rather than accepting one)."""
    parts = argon2_hash.split("$")
    if len(parts) != 6 or parts[1] != "argon2id":
        return argon2_hash
    raw = _unb64(parts[5])
    mac = hmac.new(key, raw, hashlib.sha256).digest()
    return "$".join([KEYED_PREFIX, str(len(raw)), *parts[1:5], _b64(mac)])


def _verify_keyed(stored: str, pin: str, key: bytes) -> bool:
    try:
        _, hash_len, kind, version, params, salt, mac = stored.split("$")
        cost = dict(item.split("=") for item in params.split(","))
        if kind != "argon2id":
            return False
        raw = hash_secret_raw(pin.encode(), _unb64(salt), time_cost=int(cost["t"]),
                              memory_cost=int(cost["m"]), parallelism=int(cost["p"]),
                              hash_len=int(hash_len), type=Type.ID,
                              version=int(version.removeprefix("v=")))
    except (ValueError, KeyError, TypeError):
        return False
    return hmac.compare_digest(hmac.new(key, raw, hashlib.sha256).digest(), _unb64(mac))


def verify_pin(pin_hash: str, pin: str, key: bytes | None = None) -> bool:
    """True when `pin` matches; slow by design (argon2). Database-worker thread.

    `pin_hash` is a plain argon2id hash (a till without HQ, HQ itself) or a keyed verifier
    (a till enrolled with HQ), which needs this device's `key` (pin_key)."""
    if pin_hash.startswith(KEYED_PREFIX + "$"):
        return key is not None and _verify_keyed(pin_hash, pin, key)
    try:
        return _HASHER.verify(pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def validate_pin_format(pin: str, min_length: int = MIN_PIN_LENGTH) -> None:
    if not (pin.isdigit() and max(MIN_PIN_LENGTH, min_length) <= len(pin) <= MAX_PIN_LENGTH):
        raise ValueError(f"A PIN is {max(MIN_PIN_LENGTH, min_length)} to {MAX_PIN_LENGTH} "
                         "digits")


def discount_permission(percent_bp: int, threshold_bp: int) -> Permission:
    """The permission a discount of `percent_bp` needs, given the store threshold."""
    return Permission.DISCOUNT_SMALL if percent_bp <= threshold_bp else Permission.DISCOUNT_ANY
