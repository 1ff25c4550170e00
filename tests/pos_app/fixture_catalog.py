"""A tiny, hand-made store for tests: one VND VAT-inclusive store or one USD sales-tax store.

Why: tests need a real, migrated SQLite file with a store, tax rates, a few sellable variants
with barcodes and prices, and two associates with PINs -- small enough that every number in a
test can be checked by hand, and independent of the demo store (which is data for people, not
a fixture). Built with plain SQL inserts into the tables of `pos_app.db.models`, after
`pos_app.db.migrate.upgrade`, exactly as sync or the demo loader would leave them.

Used by `tests/pos_app/conftest.py` and by the crash worker (`crash_worker.py`), which runs in
another process and therefore cannot take pytest fixtures.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from pos_app.auth import hash_pin
from pos_app.catalog import SellableItem
from pos_app.db import migrate
from pos_app.db.catalog_queries import find_by_sku, index_variants
from pos_app.db.engine import make_engine
from pos_app.store_context import StoreContext, load_store_context, write_setting


def ean13(first12: str) -> str:
    """A valid EAN-13 from its first 12 digits (the check digit computed by hand here)."""
    assert len(first12) == 12 and first12.isdigit()
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


@dataclass(frozen=True)
class FixtureVariant:
    sku: str
    product: str  # product name (accents kept: search must fold them)
    colour: str | None
    size: str | None
    price_minor: int
    tax_code: str
    barcode: str


@dataclass(frozen=True)
class FixtureStore:
    kind: str
    store_id: str
    store_code: str
    store_name: str
    currency: str
    locale: str
    timezone: str
    tax_mode: str
    tax_rates: tuple[tuple[str, int, str], ...]  # (code, rate_ppm, label)
    variants: tuple[FixtureVariant, ...]
    device_id: str
    device_code: str
    manager_id: str
    manager_name: str
    manager_pin: str
    cashier_id: str
    cashier_name: str
    cashier_pin: str
    discount_threshold_bp: int = 2000

    def variant(self, sku: str) -> FixtureVariant:
        return next(v for v in self.variants if v.sku == sku)


VND_STORE = FixtureStore(
    kind="vnd",
    store_id="5b0e6f0a-0000-4000-8000-000000000001",
    store_code="HCM1",
    store_name="Storeline Đồng Khởi",
    currency="VND",
    locale="vi_VN",
    timezone="Asia/Ho_Chi_Minh",
    tax_mode="inclusive",
    tax_rates=(("VAT10", 100_000, "VAT 10%"), ("VAT8", 80_000, "VAT 8%")),
    variants=(
        FixtureVariant("ASM-TRG-M", "Áo sơ mi lụa", "Trắng", "M", 199_000, "VAT10",
                       ean13("893123400001")),
        FixtureVariant("ASM-TRG-L", "Áo sơ mi lụa", "Trắng", "L", 199_000, "VAT10",
                       ean13("893123400002")),
        FixtureVariant("DAM-DO-S", "Đầm maxi hoa", "Đỏ", "S", 459_000, "VAT10",
                       ean13("893123400003")),
        FixtureVariant("QJ-XANH-32", "Quần jean ống đứng", "Xanh", "32", 350_000, "VAT10",
                       ean13("893123400004")),
        FixtureVariant("TUI-BE", "Túi vải canvas", "Be", None, 150_000, "VAT8",
                       ean13("893123400005")),
    ),
    device_id="d3c1ce00-0000-4000-8000-0000000000a1",
    device_code="T02",
    manager_id="a5500c1a-0000-4000-8000-00000000a001",
    manager_name="Trần Minh Quân",
    manager_pin="2468",
    cashier_id="a5500c1a-0000-4000-8000-00000000c001",
    cashier_name="Nguyễn Thị Lan",
    cashier_pin="1357",
)

USD_STORE = FixtureStore(
    kind="usd",
    store_id="5b0e6f0a-0000-4000-8000-000000000002",
    store_code="NYC1",
    store_name="Storeline SoHo",
    currency="USD",
    locale="en_US",
    timezone="America/New_York",
    tax_mode="exclusive",
    tax_rates=(("SALES", 88_750, "NY sales tax 8.875%"),),
    variants=(
        FixtureVariant("OXF-WHT-M", "Oxford shirt", "White", "M", 4_950, "SALES",
                       ean13("001234500001")),
        FixtureVariant("DNM-JKT-L", "Denim jacket", "Indigo", "L", 8_900, "SALES",
                       ean13("001234500002")),
        FixtureVariant("TOTE-NAT", "Canvas tote", "Natural", None, 1_000, "SALES",
                       ean13("001234500003")),
        FixtureVariant("SOCK-WOOL", "Wool socks", "Grey", None, 1_299, "SALES",
                       ean13("001234500004")),
        FixtureVariant("SCARF-SILK", "Silk scarf", "Navy", None, 3_525, "SALES",
                       ean13("001234500005")),
    ),
    device_id="d3c1ce00-0000-4000-8000-0000000000b1",
    device_code="T01",
    manager_id="a5500c1a-0000-4000-8000-00000000a002",
    manager_name="Dana Brooks",
    manager_pin="8642",
    cashier_id="a5500c1a-0000-4000-8000-00000000c002",
    cashier_name="Sam Ortiz",
    cashier_pin="9753",
)

STORES = {"vnd": VND_STORE, "usd": USD_STORE}


@lru_cache(maxsize=None)
def _pin_hash(pin: str) -> str:
    # argon2 is slow on purpose; one hash per PIN per test process is plenty.
    return hash_pin(pin)


def insert_catalog(conn: Connection, spec: FixtureStore) -> None:
    """Insert the store, its rates, catalog, associates and device settings (one transaction)."""
    conn.execute(text(
        "INSERT INTO stores(id, code, name, currency, locale, timezone, tax_mode, address,"
        " discount_threshold_bp, barcode_rules) VALUES (:id, :code, :name, :cur, :loc, :tz,"
        " :mode, :addr, :thr, :rules)"),
        {"id": spec.store_id, "code": spec.store_code, "name": spec.store_name,
         "cur": spec.currency, "loc": spec.locale, "tz": spec.timezone, "mode": spec.tax_mode,
         "addr": "1 Test Street", "thr": spec.discount_threshold_bp, "rules": json.dumps([])})
    for code, ppm, label in spec.tax_rates:
        conn.execute(text("INSERT INTO tax_rates(store_id, tax_code, rate_ppm, label)"
                          " VALUES (:s, :c, :r, :l)"),
                     {"s": spec.store_id, "c": code, "r": ppm, "l": label})
    product_pk: dict[str, int] = {}
    for v in spec.variants:
        if v.product not in product_pk:
            pk = len(product_pk) + 1
            product_pk[v.product] = pk
            conn.execute(text(
                "INSERT INTO products(pk, id, style_code, name, brand, category, tax_code, active)"
                " VALUES (:pk, :id, :style, :name, 'Storeline', 'Apparel', :tax, 1)"),
                {"pk": pk, "id": f"prod-{spec.kind}-{pk}", "style": f"ST{pk:03d}",
                 "name": v.product, "tax": v.tax_code})
    for vpk, v in enumerate(spec.variants, start=1):
        conn.execute(text(
            "INSERT INTO variants(pk, id, product_pk, sku, size, colour, active)"
            " VALUES (:pk, :id, :ppk, :sku, :size, :colour, 1)"),
            {"pk": vpk, "id": f"var-{spec.kind}-{vpk}", "ppk": product_pk[v.product],
             "sku": v.sku, "size": v.size, "colour": v.colour})
        conn.execute(text("INSERT INTO barcodes(code, variant_pk) VALUES (:c, :pk)"),
                     {"c": v.barcode, "pk": vpk})
        conn.execute(text("INSERT INTO prices(store_id, variant_pk, amount_minor)"
                          " VALUES (:s, :pk, :a)"),
                     {"s": spec.store_id, "pk": vpk, "a": v.price_minor})
    for aid, code, name, role, pin in (
        (spec.manager_id, "1001", spec.manager_name, "manager", spec.manager_pin),
        (spec.cashier_id, "2001", spec.cashier_name, "cashier", spec.cashier_pin),
    ):
        conn.execute(text(
            "INSERT INTO associates(id, store_id, code, name, role, pin_hash, active)"
            " VALUES (:id, :s, :code, :name, :role, :h, 1)"),
            {"id": aid, "s": spec.store_id, "code": code, "name": name, "role": role,
             "h": _pin_hash(pin)})
    write_setting(conn, "device_id", spec.device_id)
    write_setting(conn, "device_code", spec.device_code)
    write_setting(conn, "store_id", spec.store_id)
    index_variants(conn)


def build_fixture_store(engine: Engine, kind: str = "vnd") -> StoreContext:
    """Migrate the database behind `engine` to head, load the fixture store, return its context."""
    spec = STORES[kind]
    migrate.upgrade(engine)
    with engine.begin() as conn:
        insert_catalog(conn, spec)
    with engine.begin() as conn:
        return load_store_context(conn)


def build_fixture_db(path: str | Path, kind: str = "vnd") -> StoreContext:
    """Create the fixture store in a new SQLite file at `path` (engine disposed afterwards)."""
    engine = make_engine(path)
    try:
        return build_fixture_store(engine, kind)
    finally:
        engine.dispose()


def load_items(engine: Engine, ctx: StoreContext) -> dict[str, SellableItem]:
    """Every fixture variant as the Sell screen would see it, keyed by SKU."""
    with engine.connect() as conn:
        skus = [r[0] for r in conn.execute(text("SELECT sku FROM variants ORDER BY pk"))]
        items = {sku: find_by_sku(conn, ctx.store_id, sku) for sku in skus}
    assert all(items.values()), "every fixture variant must be sellable in its store"
    return items  # type: ignore[return-value]
