"""Loyalty: the earn rule, the tiers, and a customer's points read from the ledger.

Why: points are a ledger of deltas (`loyalty_ledger`, DESIGN.md §4), never an overwritten
balance, so two devices redeeming offline and a retried request can always be reconciled:
each entry's id is the idempotency key (device-made UUID, or a UUIDv5 for HQ's own entries).

Earn rule (defined once in pos_app/loyalty.py, shared through sync/protocol_customers.py):
a completed order or sale earns 1 point per full 10,000 VND, or per full 1 USD, of merchandise: the lines' amounts
after discounts (VAT included as priced in Vietnam, sales tax excluded in the US), never the
shipping fee. Points are earned when the order is completed (delivered, picked up, bought at
the till), not when it is placed; a cancelled order earns nothing. One store sale earns at
most the store's `max_points_per_sale` (sync/protocol_store_settings.py); a cut is recorded
as a sale flag. A loyalty payment spends ceil(amount / point value) points, whatever its
free-text reference says.

Tiers follow lifetime *qualifying* points, the sum of "earn" entries (bonuses and
redemptions do not move a tier): member < 300 <= silver < 1,000 <= gold < 2,500 <= platinum.

Plain functions; the ones taking a Connection run on the caller's thread and transaction.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, case, func, select

from hq.db.models.customers import Customer, LoyaltyEntry
# The earn rule and point value are the till's own (pos_app/loyalty.py), shared, not copied.
from sync.protocol_customers import POINT_UNIT_MINOR, POINT_VALUE_MINOR, points_for  # noqa: F401
from sync.protocol_payments import GIFT_CARD_LINE_KIND

# Minor units of merchandise per point, by currency (VND has no minor unit; USD cents).
# (tier, lowest qualifying points), best last.
TIERS: tuple[tuple[str, int], ...] = (("member", 0), ("silver", 300), ("gold", 1_000),
                                      ("platinum", 2_500))
EARN, REDEEM, WELCOME = "earn", "redeem", "welcome"
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                      r"[0-9a-fA-F]{12}$")


def tier_for(qualifying_points: int) -> str:
    """The tier of a customer with `qualifying_points` lifetime earned points."""
    tier = TIERS[0][0]
    for name, lowest in TIERS:
        if qualifying_points >= lowest:
            tier = name
    return tier


def tier_band(tier: str) -> tuple[int, int | None]:
    """(lowest, next tier's lowest or None) qualifying points of `tier`."""
    names = [t for t, _ in TIERS]
    i = names.index(tier)
    upper = TIERS[i + 1][1] if i + 1 < len(TIERS) else None
    return TIERS[i][1], upper


@dataclass(frozen=True)
class Points:
    balance: int  # sum of every delta: what can be redeemed
    qualifying: int  # sum of "earn" deltas: what the tier follows
    entries: int


def points(conn: Connection, customer_id: str) -> Points:
    """A customer's balance and qualifying points, summed from the ledger."""
    row = conn.execute(select(
        func.coalesce(func.sum(LoyaltyEntry.delta), 0),
        func.coalesce(func.sum(case((LoyaltyEntry.reason == EARN, LoyaltyEntry.delta),
                                    else_=0)), 0),
        func.count()).where(LoyaltyEntry.customer_id == customer_id)).one()
    return Points(balance=int(row[0]), qualifying=int(row[1]), entries=int(row[2]))


# --- loyalty on sale ingest (docs/clienteling.md "Loyalty") ------------------------------------
# Payment tenders that spend points: the contract's word and pos_app.tenders' enum value.
LOYALTY_TENDERS = frozenset({"loyalty", "loyalty_points"})
EARN_NAMESPACE = uuid.NAMESPACE_URL
MAX_ENTRY_POINTS = 2**31 - 1  # loyalty_ledger.delta is 32-bit


def earn_entry_id(sale_id: str) -> str:
    """The earn entry of a sale: uuid5(sale id, "earn"), the same however often it arrives."""
    return str(uuid.uuid5(uuid.UUID(sale_id), "earn"))


def redeemed_points(amount_minor: int, currency: str) -> int:
    """Points a loyalty payment of `amount_minor` spent: the amount divided by the point
    value, rounded up (a payment is never worth more than the points it took). Never read
    from the payment's free-text reference: "0 pts" paid 149,000 VND with no points."""
    value = POINT_VALUE_MINOR.get(currency)
    if value is None:
        raise ValueError(f"no point value for currency {currency!r}")
    return -(-amount_minor // value)


def sale_loyalty_problem(sale) -> str | None:
    """Why a sale's customer/loyalty data cannot be believed (quarantine reason), or None.
    `sale` is hq.services.sale_validation.SaleDoc (extra fields allowed)."""
    cid = getattr(sale, "customer_id", None)
    if cid is not None and (not isinstance(cid, str) or not _UUID_RE.match(cid)):
        return "invalid payload: sale.customer_id: not a UUID"
    for p in sale.payments:
        if p.tender not in LOYALTY_TENDERS:
            continue
        if cid is None:
            return f"loyalty payment {p.id} without a customer on the sale"
        if sale.currency not in POINT_VALUE_MINOR:
            return f"no point value for currency {sale.currency!r}"
        if redeemed_points(p.amount, sale.currency) > MAX_ENTRY_POINTS:
            return f"loyalty payment {p.id} spends more points than any balance can hold"
    if cid is not None and sale.currency not in POINT_UNIT_MINOR:
        return f"no earn rule for currency {sale.currency!r}"
    return None


def sale_entries(sale, customer_id: str, store_id: str, device_id: str, at: str,
                 max_points: int) -> tuple[list[dict], int | None]:
    """The ledger rows of one accepted sale of `customer_id` (already resolved through
    merges): its earn entry (if it earns anything, at most `max_points`: the store's
    max_points_per_sale) and one redeem entry per loyalty payment; and the points the sale
    would have earned when the cap cut them (None when it did not), for the sale flag that
    records the cap. `at`: the sale's time as HQ stores it. Call only for sales
    `sale_loyalty_problem` accepted."""
    rows = []
    uncapped = points_for(sum(ln.amount for ln in sale.lines  # a gift card sold earns nothing
                              if ln.kind != GIFT_CARD_LINE_KIND),
                          sale.currency)
    earned = min(uncapped, max_points)
    if earned:
        rows.append({"id": earn_entry_id(sale.id), "customer_id": customer_id, "delta": earned,
                     "reason": EARN, "ref": sale.id, "at": at, "store_id": store_id,
                     "device_id": device_id})
    for p in sale.payments:
        if p.tender in LOYALTY_TENDERS:
            rows.append({"id": p.id.lower(), "customer_id": customer_id,
                         "delta": -redeemed_points(p.amount, sale.currency), "reason": REDEEM,
                         "ref": sale.id, "at": at, "store_id": store_id,
                         "device_id": device_id})
    return rows, (uncapped if uncapped > earned else None)


def overdrawn(conn: Connection, limit: int = 1000) -> list[dict]:
    """Customers whose balance is below zero (offline redemptions HQ accepted anyway), most
    overdrawn first: the manager's reconciliation list. Only customers who ever redeemed can
    be overdrawn, so the sum runs over those alone."""
    redeemers = select(LoyaltyEntry.customer_id).where(LoyaltyEntry.reason == REDEEM)
    balance = func.sum(LoyaltyEntry.delta)
    rows = conn.execute(
        select(LoyaltyEntry.customer_id, balance.label("balance"),
               func.max(LoyaltyEntry.at).label("last_at"), Customer.name)
        .join(Customer, Customer.id == LoyaltyEntry.customer_id)
        .where(LoyaltyEntry.customer_id.in_(redeemers))
        .group_by(LoyaltyEntry.customer_id, Customer.name)
        .having(balance < 0).order_by(balance, LoyaltyEntry.customer_id).limit(limit)).all()
    return [{"customer_id": r.customer_id, "name": r.name, "balance": int(r.balance),
             "last_entry_at": r.last_at} for r in rows]
