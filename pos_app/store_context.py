"""Who and where this till is: the device, its store and the store's rules.

Why: nearly every use case needs the store's currency, locale, tax mode and rates, and the
device id that numbers receipts. It is read once at start-up (database worker) into an
immutable object that any thread may read.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Connection, text

from pos_app.scanning.barcode_rules import VariableMeasureRule
from pos_app.pricing import TaxMode


HQ_URL_KEY = "hq_url"  # settings key: the HQ this till syncs with (absent: a standalone till)
# settings key: "loading" while the store's first download from HQ is incomplete (written and
# cleared by sync/snapshot_loader.py): such a till is not provisioned, it must not sell yet.
SNAPSHOT_STATE_KEY = "snapshot_state"


class NotProvisioned(RuntimeError):
    """The database has no device/store settings yet (first run: enrol or load the demo)."""


@dataclass(frozen=True, slots=True)
class StoreContext:
    device_id: str
    device_code: str
    store_id: str
    store_code: str
    store_name: str
    currency: str
    locale: str
    timezone: str
    tax_mode: TaxMode
    discount_threshold_bp: int
    address: str = ""
    tax_rates: dict[str, Decimal] = field(default_factory=dict)
    barcode_rules: tuple[VariableMeasureRule, ...] = ()
    idle_lock_seconds: int = 120


# The device's HQ secret (written at enrolment by sync/enrolment.py): it authenticates the till
# to HQ and keys the associates' PIN verifiers HQ sends (pos_app/auth.py).
DEVICE_SECRET_SETTING = "device_secret"


def read_setting(conn: Connection, key: str, default=None):
    row = conn.execute(text("SELECT value FROM settings WHERE key = :k"), {"k": key}).first()
    return json.loads(row[0]) if row else default


def write_setting(conn: Connection, key: str, value) -> None:
    conn.execute(
        text("INSERT INTO settings(key, value) VALUES (:k, :v)"
             " ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
        {"k": key, "v": json.dumps(value, ensure_ascii=False)},
    )


def load_store_context(conn: Connection) -> StoreContext:
    device_id = read_setting(conn, "device_id")
    store_id = read_setting(conn, "store_id")
    if not device_id or not store_id:
        raise NotProvisioned("This device is not set up for a store yet")
    if read_setting(conn, SNAPSHOT_STATE_KEY) == "loading":
        raise NotProvisioned("The store's download from HQ is not complete yet")
    row = conn.execute(
        text("SELECT code, name, currency, locale, timezone, tax_mode, discount_threshold_bp,"
             " address, barcode_rules FROM stores WHERE id = :id"),
        {"id": store_id},
    ).first()
    if row is None:
        raise NotProvisioned(f"Store {store_id} is not in the local database")
    rates = {
        code: Decimal(ppm) / Decimal(1_000_000)
        for code, ppm in conn.execute(
            text("SELECT tax_code, rate_ppm FROM tax_rates WHERE store_id = :id"), {"id": store_id}
        )
    }
    rules = tuple(VariableMeasureRule(**r) for r in json.loads(row[8] or "[]"))
    return StoreContext(
        device_id=device_id,
        device_code=read_setting(conn, "device_code", "T01"),
        store_id=store_id,
        store_code=row[0],
        store_name=row[1],
        currency=row[2],
        locale=row[3],
        timezone=row[4],
        tax_mode=TaxMode(row[5]),
        discount_threshold_bp=row[6],
        address=row[7] or "",
        tax_rates=rates,
        barcode_rules=rules,
        idle_lock_seconds=int(read_setting(conn, "idle_lock_seconds", 120)),
    )
