"""A store's settings: the limits and tolerances HQ (and later the till) applies per store.

Why: rules such as "how many points one sale may earn" or "how far from the catalog price a
line may be before the manager is told" differ per retailer and per store, and must be ONE
documented model that HQ, the till and later issues (payments, returns, end of day) extend,
not constants scattered over modules. HQ keeps them on its `stores` row as JSON text
(`stores.settings`; "{}" means every default); hq/services/store_settings.py reads and writes
them. A field that is absent takes the default written here; a field this version does not
know (written by a newer HQ) is ignored, so an older worker still starts.

Defaults and what they mean:

- `max_points_per_sale` (10,000): the most loyalty points one sale earns at HQ. A sale that
  would earn more earns the cap and the cap is recorded as a sale flag for the manager
  (a made-up 10^12 VND sale must not credit 100,000,000 points). 10,000 points is 100M VND
  or 10,000 USD of merchandise under the earn rule (pos_app/loyalty.py).
- `price_flag_tolerance_bp` (2,000 = 20 %): a sale line whose amount differs from its
  catalog value (catalog price x quantity, less a discount named after one of HQ's
  promotions) by more than this, in either direction, without a recorded price override or
  discount approval, is flagged for the manager (`sale_flags`), never refused: the money has
  been taken. 20 % matches the till's default discount threshold (`discount_threshold_bp`):
  what an associate may give without a manager is not flagged.
- `manager_pin_min_length` (6) / `associate_pin_min_length` (4): the shortest PIN HQ and the
  till accept for a manager / any other associate.

Payments (docs/payments.md; served to the till by GET /v1/payments/settings). Amounts are
minor units of the store's currency; an offline limit of 0 means "never offline":

- `vietqr_bank_bin` / `vietqr_account_number` / `vietqr_account_name` (none): the account
  the store's VietQR codes pay (the bank's 6-digit BIN, NAPAS). HQ confirms a bank credit
  only when it was paid to this account. None: the store takes no bank transfers.
- `gift_card_offline_max_per_card` (0): the most one gift card may pay in a day while the
  till cannot reach HQ (no PIN check, no balance: the card's risk).
- `gift_card_offline_max_per_device_day` (0): the most one till accepts offline from gift
  cards in a day, all cards together (the till's risk).
- `store_credit_offline_max_per_device_day` (0): the same for store credit.
- `vietqr_offline_max_per_device_day` (0): the most one till accepts in a day from bank
  transfers a manager approved without the bank's confirmation ("unverified").
- `standalone_card_manager_threshold` (0): a card payment taken on a terminal that is not
  integrated (the cashier types the approval code) of at least this amount needs a
  manager's approval; 0: every such payment does.

HQ flags (never refuses) a sale whose offline payments pass a limit: the till enforces them.

Pure data definitions: safe on any thread.
"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MAX_INT32 = 2**31 - 1  # loyalty ledger deltas are 32-bit at HQ
MAX_INT64 = 2**63 - 1  # money at HQ is 64-bit


class StoreSettings(BaseModel):
    """One store's settings; every field has a documented default (module docstring)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    max_points_per_sale: int = Field(default=10_000, ge=0, le=MAX_INT32)
    price_flag_tolerance_bp: int = Field(default=2_000, ge=0, le=1_000_000)
    manager_pin_min_length: int = Field(default=6, ge=4, le=32)
    associate_pin_min_length: int = Field(default=4, ge=4, le=32)
    vietqr_bank_bin: str | None = Field(default=None, pattern=r"^[0-9]{6}$")
    vietqr_account_number: str | None = Field(default=None, pattern=r"^[0-9A-Za-z]{1,19}$")
    vietqr_account_name: str | None = Field(default=None, min_length=1, max_length=25,
                                            pattern=r"^[A-Z0-9 ]+$")  # NAPAS: 25 at most
    gift_card_offline_max_per_card: int = Field(default=0, ge=0, le=MAX_INT64)
    gift_card_offline_max_per_device_day: int = Field(default=0, ge=0, le=MAX_INT64)
    store_credit_offline_max_per_device_day: int = Field(default=0, ge=0, le=MAX_INT64)
    vietqr_offline_max_per_device_day: int = Field(default=0, ge=0, le=MAX_INT64)
    standalone_card_manager_threshold: int = Field(default=0, ge=0, le=MAX_INT64)


DEFAULT_STORE_SETTINGS = StoreSettings()

__all__ = ["DEFAULT_STORE_SETTINGS", "MAX_INT32", "StoreSettings"]
