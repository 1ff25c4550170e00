"""The demo stores: a device database that sells out of the box, for people and for tests.

Why: `dev.py demo`, the README, screenshots and the benchmarks need a store that looks real --
Storeline Saigon Centre (VND, VAT-inclusive, Vietnamese names with diacritics) or Storeline
SoHo (USD, sales tax added at the till) -- with a few thousand SKUs, associates with known
PINs and a few hundred customers. One database is one device is one store: `load_demo` writes
one store and refuses to put a second one into the same file.

The constants below are the documented fixed items that tests and the README can rely on;
everything else is seeded and deterministic (pos_app.demo.catalog, pos_app.demo.customers).

Runs on the database worker (or a test, the benchmark generator): it writes the database in
one transaction with plain `executemany` INSERTs and hashes PINs (argon2, slow on purpose).
"""
from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass

from sqlalchemy import Connection, Engine

from pos_app.auth import Role, hash_pin, min_pin_length
from pos_app.scanning.barcodes import default_rules_us, default_rules_vn, ean13_with_check_digit
from pos_app.db import migrate
from pos_app.db.catalog_queries import index_variants
from pos_app.demo.catalog import CatalogBuilder, FixedProduct, add_seeded_catalog, demo_uuid
from pos_app.demo.customers import DemoCustomer, customer_search_text, demo_customers
from pos_app.store_context import read_setting, write_setting

# --- fixed items: Storeline Saigon Centre ("hcm") ---------------------------------------------
DEMO_VN_TEE_SKU = "DEMO-TEE-WHT-M"  # "Áo thun cổ tròn", Trắng / M, VAT10
DEMO_VN_TEE_NAME = "Áo thun cổ tròn"
DEMO_VN_TEE_PRICE = 199_000
DEMO_VN_TEE_BARCODE = ean13_with_check_digit("893000000001")  # "8930000000019"
DEMO_VN_TEE_LABEL = "HCM-000001"  # second barcode on the same variant (internal shelf label)
DEMO_VN_SILK_SKU = "DEMO-SILK-WHT-M"  # "Áo sơ mi lụa", Trắng / M: search "so mi lua"
DEMO_VN_SILK_NAME = "Áo sơ mi lụa"
DEMO_VN_SILK_PRICE = 890_000
DEMO_VN_SILK_BARCODE = ean13_with_check_digit("893000000101")
DEMO_VN_KIDS_SKU = "DEMO-KIDS-MUS-110"  # "Áo thun trẻ em", Vàng mù tạt / 110, VAT8
DEMO_VN_KIDS_NAME = "Áo thun trẻ em"
DEMO_VN_KIDS_PRICE = 149_000
DEMO_VN_KIDS_BARCODE = ean13_with_check_digit("893000000201")
DEMO_VN_SNEAKER_SKU = "DEMO-SNKR-WHT-40"  # "Giày thể thao", Trắng / 40, VAT10
DEMO_VN_SNEAKER_NAME = "Giày thể thao"
DEMO_VN_SNEAKER_PRICE = 1_290_000
DEMO_VN_SNEAKER_BARCODE = ean13_with_check_digit("893000000301")

# --- fixed items: Storeline SoHo ("nyc"); barcodes are UPC-A stored as 13-digit GTINs --------
DEMO_US_TEE_SKU = "DEMO-TEE-WHT-M"  # "Crew Neck Tee", White / M, SALES
DEMO_US_TEE_NAME = "Crew Neck Tee"
DEMO_US_TEE_PRICE = 1_999  # $19.99
DEMO_US_TEE_BARCODE = ean13_with_check_digit("008400000001")  # GTIN-13 as stored
DEMO_US_TEE_UPC = DEMO_US_TEE_BARCODE[1:]  # the 12 digits a UPC-A scanner sends
DEMO_US_TEE_LABEL = "NYC-000001"
DEMO_US_SILK_SKU = "DEMO-SILK-WHT-M"  # "Silk Shirt": search "silk sh"
DEMO_US_SILK_NAME = "Silk Shirt"
DEMO_US_SILK_PRICE = 8_900
DEMO_US_SILK_BARCODE = ean13_with_check_digit("008400000101")
DEMO_US_KIDS_SKU = "DEMO-KIDS-MUS-4T"  # "Kids Tee", tax code EXEMPT
DEMO_US_KIDS_NAME = "Kids Tee"
DEMO_US_KIDS_PRICE = 1_499
DEMO_US_KIDS_BARCODE = ean13_with_check_digit("008400000201")
DEMO_US_SNEAKER_SKU = "DEMO-SNKR-WHT-9"
DEMO_US_SNEAKER_NAME = "Sneakers"
DEMO_US_SNEAKER_PRICE = 9_800
DEMO_US_SNEAKER_BARCODE = ean13_with_check_digit("008400000301")


@dataclass(frozen=True, slots=True)
class DemoAssociate:
    code: str
    name: str
    role: Role
    pin: str  # demo only: real associates' PINs never appear in code


DEMO_ASSOCIATES: dict[str, tuple[DemoAssociate, ...]] = {
    "hcm": (DemoAssociate("M01", "Lan Nguyễn", Role.MANAGER, "123456"),
            DemoAssociate("C01", "Minh Trần", Role.CASHIER, "1111"),
            DemoAssociate("A01", "Hoa Lê", Role.ASSOCIATE, "2222")),
    "nyc": (DemoAssociate("M01", "Morgan Lee", Role.MANAGER, "123456"),
            DemoAssociate("C01", "Casey Park", Role.CASHIER, "1111"),
            DemoAssociate("A01", "Alex Kim", Role.ASSOCIATE, "2222")),
}

# The item code printed on markdown price labels for the demo tee (both stores; see
# _write_store). E.g. VND "21 00001 00149 C" is the tee at 149.000 ₫.
DEMO_MARKDOWN_ITEM_CODE = "00001"

# Customer pk 1 of each demo store, for tests and the README.
DEMO_CUSTOMERS: dict[str, DemoCustomer] = {
    "hcm": DemoCustomer(1, demo_uuid("hcm", "customer", "1"), "Nguyễn Thị Mai", "+84901234567",
                        "mai.nguyen@example.com", "SLVN0000000001", "gold"),
    "nyc": DemoCustomer(1, demo_uuid("nyc", "customer", "1"), "Jordan Rivera", "+12125550100",
                        "jordan.rivera@example.com", "SLUS0000000001", "gold"),
}


@dataclass(frozen=True, slots=True)
class DemoStoreSpec:
    key: str
    code: str
    name: str
    currency: str
    locale: str
    timezone: str
    tax_mode: str
    address: str
    lang: str  # language of product and people names: "vi" | "en"
    tax_rates: tuple[tuple[str, int, str], ...]  # (code, ppm, label)
    barcode_rules: tuple
    fixed: tuple[FixedProduct, ...]
    seed: int
    customer_count: int = 300
    discount_threshold_bp: int = 2000

    @property
    def store_id(self) -> str:
        return demo_uuid(self.key, "store", self.code)


def _fixed_vn() -> tuple[FixedProduct, ...]:
    apparel = ("S", "M", "L", "XL")
    return (
        FixedProduct("DEMO-TEE", DEMO_VN_TEE_NAME, "Storeline Basics", "Áo thun", "VAT10",
                     DEMO_VN_TEE_PRICE, ("WHT", "BLK"), apparel, "WHT", "M", "8930000000"),
        FixedProduct("DEMO-SILK", DEMO_VN_SILK_NAME, "Lụa Hội An", "Áo sơ mi", "VAT10",
                     DEMO_VN_SILK_PRICE, ("WHT", "PNK"), ("S", "M", "L"), "WHT", "M",
                     "8930000001"),
        FixedProduct("DEMO-KIDS", DEMO_VN_KIDS_NAME, "Sóng Kids", "Trẻ em", "VAT8",
                     DEMO_VN_KIDS_PRICE, ("MUS",), ("90", "100", "110", "120"), "MUS", "110",
                     "8930000002"),
        FixedProduct("DEMO-SNKR", DEMO_VN_SNEAKER_NAME, "Bước Chân", "Giày", "VAT10",
                     DEMO_VN_SNEAKER_PRICE, ("WHT",), tuple(str(s) for s in range(36, 45)),
                     "WHT", "40", "8930000003"),
    )


def _fixed_us() -> tuple[FixedProduct, ...]:
    apparel = ("XS", "S", "M", "L", "XL")
    return (
        FixedProduct("DEMO-TEE", DEMO_US_TEE_NAME, "Storeline Basics", "T-Shirts", "SALES",
                     DEMO_US_TEE_PRICE, ("WHT", "BLK"), apparel, "WHT", "M", "0084000000"),
        FixedProduct("DEMO-SILK", DEMO_US_SILK_NAME, "Prince Atelier", "Shirts", "SALES",
                     DEMO_US_SILK_PRICE, ("WHT", "PNK"), ("S", "M", "L"), "WHT", "M",
                     "0084000001"),
        FixedProduct("DEMO-KIDS", DEMO_US_KIDS_NAME, "Little Crosby", "Kids", "EXEMPT",
                     DEMO_US_KIDS_PRICE, ("MUS",), ("2T", "3T", "4T", "5"), "MUS", "4T",
                     "0084000002"),
        FixedProduct("DEMO-SNKR", DEMO_US_SNEAKER_NAME, "Stride Lab", "Shoes", "SALES",
                     DEMO_US_SNEAKER_PRICE, ("WHT",), tuple(str(s) for s in range(6, 13)),
                     "WHT", "9", "0084000003"),
    )


DEMO_STORES: dict[str, DemoStoreSpec] = {
    "hcm": DemoStoreSpec(
        key="hcm", code="HCM1", name="Storeline Saigon Centre", currency="VND", locale="vi_VN",
        timezone="Asia/Ho_Chi_Minh", tax_mode="inclusive",
        address="65 Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh", lang="vi",
        tax_rates=(("VAT10", 100_000, "VAT 10%"), ("VAT8", 80_000, "VAT 8%"),
                   ("VAT5", 50_000, "VAT 5%"), ("VAT0", 0, "VAT 0%")),
        barcode_rules=default_rules_vn(), fixed=_fixed_vn(), seed=8930),
    "nyc": DemoStoreSpec(
        key="nyc", code="NYC1", name="Storeline SoHo", currency="USD", locale="en_US",
        timezone="America/New_York", tax_mode="exclusive",
        address="120 Prince Street, New York, NY 10012", lang="en",
        # Simplified: real NY rules exempt clothing under $110 per item; the demo only marks
        # the kids line EXEMPT.
        tax_rates=(("SALES", 88_750, "NY sales tax 8.875%"), ("EXEMPT", 0, "Tax exempt")),
        barcode_rules=default_rules_us(), fixed=_fixed_us(), seed=1212),
}


def build_catalog(spec: DemoStoreSpec):
    """The store's catalog rows: fixed items first (lowest keys), then the seeded ones."""
    builder = CatalogBuilder(spec.key, spec.store_id, spec.code[:3], spec.lang)
    for fixed in spec.fixed:
        builder.add_fixed(fixed)
    add_seeded_catalog(builder, spec.seed)
    return builder.rows


def load_demo(engine: Engine, store: str = "hcm") -> None:
    """Upgrade the database and, unless the store is already there, write the demo store.

    Idempotent: a second call for the same store changes nothing. A database provisioned for
    another store is refused (ValueError): one database = one device = one store.
    """
    try:
        spec = DEMO_STORES[store]
    except KeyError:
        raise ValueError(f"No demo store {store!r}; choose one of {sorted(DEMO_STORES)}") from None
    migrate.upgrade(engine)
    with engine.begin() as conn:  # BEGIN IMMEDIATE: the check and the writes are one unit
        existing = read_setting(conn, "store_id")
        if existing == spec.store_id:
            return
        if existing is not None:
            raise ValueError(f"This database already belongs to store {existing}; "
                             "one database serves one device of one store")
        _write_store(conn, spec)


def _write_store(conn: Connection, spec: DemoStoreSpec) -> None:
    sid = spec.store_id
    write_setting(conn, "device_id", str(uuid.uuid4()))
    write_setting(conn, "device_code", "T01")
    write_setting(conn, "store_id", sid)
    write_setting(conn, "demo_store", spec.key)
    conn.exec_driver_sql(
        "INSERT INTO stores(id, code, name, currency, locale, timezone, tax_mode, address,"
        " discount_threshold_bp, barcode_rules) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (sid, spec.code, spec.name, spec.currency, spec.locale, spec.timezone, spec.tax_mode,
         spec.address, spec.discount_threshold_bp,
         json.dumps([asdict(r) for r in spec.barcode_rules])))
    conn.exec_driver_sql(
        "INSERT INTO tax_rates(store_id, tax_code, rate_ppm, label) VALUES (?, ?, ?, ?)",
        [(sid, code, ppm, label) for code, ppm, label in spec.tax_rates])
    conn.exec_driver_sql(
        "INSERT INTO associates(id, store_id, code, name, role, pin_hash, active)"
        " VALUES (?, ?, ?, ?, ?, ?, 1)",
        [(demo_uuid(spec.key, "associate", a.code), sid, a.code, a.name, a.role.value,
          hash_pin(a.pin, min_pin_length(a.role))) for a in DEMO_ASSOCIATES[spec.key]])
    rows = build_catalog(spec)
    insert_catalog(conn, rows.products, rows.variants, rows.barcodes, rows.prices)
    # Markdown stickers: an in-store price label (barcode rules "20"/"21", or UPC type 2)
    # names the item by a 5-digit code, kept as the barcode "PLU-<code>" of the tee.
    conn.exec_driver_sql(
        "INSERT INTO barcodes(code, variant_pk) SELECT ?, pk FROM variants WHERE sku = ?",
        (f"PLU-{DEMO_MARKDOWN_ITEM_CODE}", DEMO_VN_TEE_SKU))
    index_variants(conn)
    customers = demo_customers(spec.key, spec.lang, spec.customer_count, spec.seed + 1,
                               fixed=(DEMO_CUSTOMERS[spec.key],))
    insert_customers(conn, [c.row() for c in customers])


def insert_catalog(conn: Connection, products, variants, barcodes, prices) -> None:
    """Plain INSERTs of catalog rows (see demo_catalog.CatalogRows for the column order)."""
    conn.exec_driver_sql(
        "INSERT INTO products(pk, id, style_code, name, brand, category, tax_code, active)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", products)
    conn.exec_driver_sql(
        "INSERT INTO variants(pk, id, product_pk, sku, size, colour, active)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)", variants)
    conn.exec_driver_sql("INSERT INTO barcodes(code, variant_pk) VALUES (?, ?)", barcodes)
    conn.exec_driver_sql(
        "INSERT INTO prices(store_id, variant_pk, amount_minor) VALUES (?, ?, ?)", prices)


def insert_customers(conn: Connection, rows: list[tuple]) -> None:
    """Customers (pk, id, name, phone, email, loyalty_card, tier) and their search rows."""
    conn.exec_driver_sql(
        "INSERT INTO customers(pk, id, name, phone, email, loyalty_card, tier)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.exec_driver_sql(
        "INSERT INTO customer_fts(rowid, text) VALUES (?, ?)",
        [(r[0], customer_search_text(r[2], r[3], r[4])) for r in rows])


def demo_store_key(conn: Connection) -> str | None:
    """Which demo store this database holds ("hcm", "nyc"), or None when it is not a demo."""
    return read_setting(conn, "demo_store")
