"""Loyalty on the till: the earn estimate, what a point is worth, the offline redemption limit.

Why: the associate shows the shopper what a sale will earn and lets her pay with points, also
offline (docs/clienteling.md, "Loyalty"). HQ decides the real balance from its ledger; the
till must show the SAME earn figure HQ will book, so this module is the one definition of the
rule: HQ reads it through sync/protocol_customers.py (hq/services/loyalty.py).

Earn rule: 1 point per full 10,000 VND, or per full 1 USD, of merchandise: the lines' amounts
after discounts (VAT included as priced in Vietnam, sales tax excluded in the US).
Point value: 1 point = 100 VND / 1 US cent when redeemed (POINT_VALUE_MINOR).
Offline redemption: at most min(cached balance - this till's redemptions HQ has not booked,
the offline limit minus what the customer already redeemed offline this store day); the limit
is the store setting OFFLINE_LIMIT_SETTING (default 2,000 points).

Pure code: safe on any thread.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

# Minor units of merchandise per point earned, by currency (HQ uses this very table).
POINT_UNIT_MINOR = {"VND": 10_000, "USD": 100}
# Minor units one point is worth when redeemed.
POINT_VALUE_MINOR = {"VND": 100, "USD": 1}
OFFLINE_LIMIT_SETTING = "loyalty_offline_limit_points"  # settings key (JSON int)
DEFAULT_OFFLINE_LIMIT = 2_000
_REFERENCE = re.compile(r"^(\d+) pts$")


class LoyaltyError(ValueError):
    """A redemption was refused; the message says why and is shown to the associate as is."""


def points_for(merchandise_minor: int, currency: str) -> int:
    """Points earned by `merchandise_minor` of `currency` (HQ's earn rule, see above)."""
    try:
        unit = POINT_UNIT_MINOR[currency]
    except KeyError:
        raise ValueError(f"no earn rule for currency {currency!r}") from None
    return max(0, merchandise_minor) // unit


def merchandise_of(line_amounts: Iterable[int]) -> int:
    """The merchandise a sale earns on: its lines' amounts after every discount."""
    return sum(line_amounts)


def point_value(currency: str) -> int:
    """Minor units of `currency` one redeemed point pays."""
    try:
        return POINT_VALUE_MINOR[currency]
    except KeyError:
        raise ValueError(f"points cannot pay in {currency!r}") from None


def points_reference(points: int) -> str:
    """The loyalty Payment's reference: "<points> pts" (HQ reads the points from it)."""
    return f"{points} pts"


def points_in_reference(reference: str | None) -> int:
    """The points of a loyalty Payment's reference ("1500 pts" -> 1500)."""
    m = _REFERENCE.match(reference or "")
    if m is None:
        raise LoyaltyError(f"a loyalty payment's reference must read '<points> pts', "
                           f"not {reference!r}")
    return int(m.group(1))


@dataclass(frozen=True, slots=True)
class LiveBalance:
    """A customer's balance as HQ just told it, and the ids of the ledger entries it counts
    (so the till knows which of its own redemptions are already in it)."""

    balance: int
    entry_ids: frozenset[str]


@dataclass(frozen=True, slots=True)
class RedeemAllowance:
    """What may be redeemed now, and why not more. `limit_reason` is None online."""

    customer_id: str
    source: str  # "live" | "cache"
    balance: int  # HQ's (live or cached) balance
    pending: int  # this till's redemptions HQ has not booked yet
    offline_limit_left: int | None  # None: online, no offline cap
    max_points: int  # what may be redeemed now (>= 0)
    point_value_minor: int
    currency: str

    @property
    def max_amount(self) -> int:
        return self.max_points * self.point_value_minor


def allowance(customer_id: str, source: str, balance: int, pending: int, currency: str,
              offline_used_today: int = 0, offline_limit: int = DEFAULT_OFFLINE_LIMIT
              ) -> RedeemAllowance:
    """Combine the figures into the most that may be redeemed (see the module docstring)."""
    available = max(0, balance - pending)
    limit_left = None
    if source != "live":
        limit_left = max(0, offline_limit - offline_used_today)
        available = min(available, limit_left)
    return RedeemAllowance(customer_id, source, balance, pending, limit_left, available,
                           point_value(currency), currency)


def check_redemption(points: int, allowed: RedeemAllowance, due: int | None = None) -> int:
    """The amount (minor units) `points` pay, or LoyaltyError with the exact reason."""
    if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
        raise LoyaltyError("Enter a whole number of points, at least 1")
    amount = points * allowed.point_value_minor
    if due is not None and amount > due:
        raise LoyaltyError(f"{points} points pay {amount}, more than the {due} still due")
    available = max(0, allowed.balance - allowed.pending)
    if points > available:
        raise LoyaltyError(f"Only {available} points are available"
                           + (" (saved data; points already used on this till are deducted)"
                              if allowed.source != "live" else ""))
    if allowed.offline_limit_left is not None and points > allowed.offline_limit_left:
        raise LoyaltyError(f"Offline, at most {allowed.offline_limit_left} more points can be "
                           f"used by this customer today (store limit); try again when the "
                           f"till is back online")
    return amount
