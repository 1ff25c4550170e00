"""Associates, roles, permissions and PIN hashing.

Why: every sale records who rang it up, and some actions (price override, a discount above
the store's threshold, "no sale") need a permission; when the associate lacks it a manager
approves with their own PIN and the approval is recorded. PINs are hashed with argon2id
(argon2-cffi) and never logged or kept in memory longer than the check.

Pure code except `verify_pin`, which is deliberately slow (argon2): call it from the database
worker, never from the UI thread.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

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


def hash_pin(pin: str) -> str:
    validate_pin_format(pin)
    return _HASHER.hash(pin)


def verify_pin(pin_hash: str, pin: str) -> bool:
    """True when `pin` matches; slow by design (argon2). Database-worker thread."""
    try:
        return _HASHER.verify(pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def validate_pin_format(pin: str) -> None:
    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValueError("A PIN is 4 to 8 digits")


def discount_permission(percent_bp: int, threshold_bp: int) -> Permission:
    """The permission a discount of `percent_bp` needs, given the store threshold."""
    return Permission.DISCOUNT_SMALL if percent_bp <= threshold_bp else Permission.DISCOUNT_ANY
