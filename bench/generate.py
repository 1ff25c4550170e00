"""Build (or reuse) a device database of benchmark size: the demo store plus up to millions of
synthetic variants and customers.

Why: DESIGN.md §8 budgets are stated for 1M products and 1M customers in the local database.
The generator starts from the demo store (pos_app.demo.store.load_demo, so settings, tax rates,
associates and the fixed test items are real), then appends synthetic rows with `executemany`
in large batches over the raw sqlite3 connection. For the bulk load only: `synchronous=OFF`
and `journal_mode=OFF` (a half-built file is never reused: the marker is written last), a 1 GB
page cache, the named secondary indexes dropped and re-created afterwards from their own
schema SQL, and FTS5 told not to merge until the end. Then it builds the product search index
with the app's own `index_variants` (its `sl_fold` is pos_app.textfold.fold), the
customer index with the app's `customer_search_text`, merges both FTS indexes into one segment
each ('optimize', what a bootstrap should do after a bulk load), restores the FTS5 defaults,
runs ANALYZE, switches back to WAL and checkpoints it into the file. 1M + 1M: about 90 s on
2 cores.

`products` counts variants (SKUs), the unit of the §8 budgets; `customers` counts customers.
Both are totals including the demo store's own rows (about 2,800 variants, 300 customers).

A finished database is cached under bench/_data/ (git-ignored) with a JSON marker of its
parameters; a later run with the same parameters reuses it.

Runs in the benchmark's main thread (a command-line tool, not part of the app).

    python -m bench.generate --products 1000000 --customers 1000000 [--store hcm]
"""
from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

from pos_app.scanning.barcodes import ean13_with_check_digit
from pos_app.db.catalog_queries import index_variants
from pos_app.db.engine import make_engine
from pos_app.db.migrate import head_revision
from pos_app.demo.customers import customer_search_text
from pos_app.demo.store import DEMO_STORES, load_demo
from pos_app.demo.words import (
    AREA_CODES_US, COLOUR_EN, COLOUR_VI, EMAIL_DOMAINS, FAMILY_VI, FIRST_EN, GIVEN_VI,
    LAST_EN, MIDDLE_VI, MOBILE_PREFIXES_VN, PRODUCT_TYPES, SIZES_EN, SIZES_VI, TIERS,
)
from pos_app.textfold import fold

GENERATOR_VERSION = 1  # bump when the generated content changes: cached databases are rebuilt
DATA_DIR = Path(__file__).resolve().with_name("_data")
BATCH = 50_000
ROWS_PER_TRANSACTION = 250_000

# Collection names that make synthetic product names more varied than the demo's.
COLLECTIONS_VI = ("Hạ Long", "Sa Pa", "Hội An", "Đà Lạt", "Phú Quốc", "Ban Mai", "Hoa Sen",
                  "Trăng Rằm", "Sương Sớm", "Nắng Hạ", "Gió Biển", "Mùa Thu", "Tết", "Phố Xưa",
                  "Cổ Điển", "Thanh Lịch", "Năng Động", "Tối Giản", "Dạo Phố", "Công Sở",
                  "Resort", "Studio", "Urban", "Essential")
COLLECTIONS_EN = ("Harbor", "Meadow", "Metro", "Coastal", "Heritage", "Studio", "Urban",
                  "Essential", "Weekend", "Resort", "Canyon", "Prairie", "Atlas", "Summit",
                  "Avenue", "Orchard", "Tidal", "Vintage", "Modern", "Classic", "Riverside",
                  "Midtown", "Uptown", "Loft")


def log(message: str, started: float | None = None) -> None:
    suffix = f"  [{time.perf_counter() - started:6.1f} s]" if started is not None else ""
    print(f"bench.generate: {message}{suffix}", file=sys.stderr, flush=True)


def default_db_path(products: int, customers: int, store: str = "hcm") -> Path:
    return DATA_DIR / f"device-{store}-p{products}-c{customers}.sqlite3"


def _marker(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".json")


def _params(products: int, customers: int, store: str) -> dict:
    return {"products": products, "customers": customers, "store": store,
            "generator_version": GENERATOR_VERSION, "schema": head_revision()}


def is_cached(db_path: Path, products: int, customers: int, store: str = "hcm") -> bool:
    marker = _marker(Path(db_path))
    if not (Path(db_path).exists() and marker.exists()):
        return False
    try:
        return json.loads(marker.read_text())["params"] == _params(products, customers, store)
    except (ValueError, KeyError):
        return False


def _remove(db_path: Path) -> None:
    for p in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm"), _marker(db_path)):
        p.unlink(missing_ok=True)


def generate(db_path, products: int = 1_000_000, customers: int = 1_000_000,
             store: str = "hcm") -> None:
    """Make `db_path` a device database of `store` with `products` variants (SKUs) and
    `customers` customers in total (at least the demo store's own; synthetic rows fill up).

    Reuses the file when its marker says it was built with the same parameters.
    """
    db_path = Path(db_path)
    if is_cached(db_path, products, customers, store):
        log(f"reusing {db_path}")
        return
    _remove(db_path)
    started = time.perf_counter()
    log(f"building {db_path} ({products:,} products, {customers:,} customers, store {store})")
    engine = make_engine(db_path)
    try:
        load_demo(engine, store)
        log("demo store loaded", started)
        with engine.connect() as conn:
            raw = conn.connection.driver_connection  # the sqlite3.Connection, autocommit mode
            # Bulk load only (restored below): no fsync, no WAL copy, a 1 GB page cache so
            # random-key index inserts (UUIDs, e-mails, phones) stay in memory.
            raw.execute("PRAGMA synchronous=OFF")
            raw.execute("PRAGMA journal_mode=OFF").fetchall()
            raw.execute("PRAGMA cache_size=-1048576")
            spec = DEMO_STORES[store]
            n_var = _count(raw, "variants")
            n_cust = _count(raw, "customers")
            indexes = _drop_secondary_indexes(raw)
            _fts_config(raw, _FTS_BULK)
            if products > n_var:
                _bulk_catalog(raw, spec, products - n_var, started)
            if customers > n_cust:
                _bulk_customers(raw, spec, customers - n_cust, n_cust + 1, started)
            for sql in indexes:  # the schema's own CREATE INDEX statements, as they were
                raw.execute(sql)
            log(f"{len(indexes)} secondary indexes rebuilt", started)
            with conn.begin():
                index_variants(conn)
            log("product search index built", started)
            for table in _FTS_TABLES:
                raw.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            _fts_config(raw, _FTS_DEFAULTS)
            log("search indexes merged (optimize)", started)
            raw.execute("ANALYZE")
            raw.execute("PRAGMA journal_mode=WAL").fetchall()
            raw.execute("PRAGMA synchronous=FULL")
            counts = {t: _count(raw, t) for t in ("products", "variants", "barcodes",
                                                  "customers")}
    finally:
        engine.dispose()
    # A fresh connection: fold the WAL into the file so copies of it are self-contained.
    with closing(sqlite3.connect(db_path)) as check:
        check.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    log(f"analyzed and checkpointed: {counts}", started)
    elapsed = time.perf_counter() - started
    _marker(db_path).write_text(json.dumps(
        {"params": _params(products, customers, store), "counts": counts,
         "seconds": round(elapsed, 1), "bytes": db_path.stat().st_size}, indent=2))
    log(f"done in {elapsed:.1f} s, {db_path.stat().st_size / 1e6:.0f} MB")


_BULK_TABLES = ("products", "variants", "barcodes", "prices", "customers")
_FTS_TABLES = ("variant_fts", "customer_fts")
# FTS5 settings while bulk loading: big in-memory segments, merge once at the end ('optimize')
# instead of merging incrementally on every flush. Then back to FTS5's defaults.
_FTS_BULK = {"hashsize": 256 * 1024 * 1024, "automerge": 0, "crisismerge": 1000}
_FTS_DEFAULTS = {"hashsize": 1024 * 1024, "automerge": 4, "crisismerge": 16}


def _fts_config(raw, settings: dict[str, int]) -> None:
    for table in _FTS_TABLES:
        for key, value in settings.items():
            raw.execute(f"INSERT INTO {table}({table}, rank) VALUES (?, ?)", (key, value))


def _drop_secondary_indexes(raw) -> list[str]:
    """Drop the named (non-constraint) indexes of the bulk-loaded tables; return their SQL.

    Building an index once from sorted data is far faster than a million random inserts.
    The statements come from sqlite_master, so they are re-created exactly as the schema
    (Alembic) made them.
    """
    marks = ",".join("?" * len(_BULK_TABLES))
    rows = raw.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks})", _BULK_TABLES).fetchall()
    for name, _sql in rows:
        raw.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def _count(raw, table: str) -> int:
    return raw.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def _flush(raw, sql: str, rows: list) -> None:
    if rows:
        raw.executemany(sql, rows)
        rows.clear()


_SQL = {
    "products": "INSERT INTO products(pk, id, style_code, name, brand, category, tax_code,"
                " active) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
    "variants": "INSERT INTO variants(pk, id, product_pk, sku, size, colour, active)"
                " VALUES (?, ?, ?, ?, ?, ?, 1)",
    "barcodes": "INSERT INTO barcodes(code, variant_pk) VALUES (?, ?)",
    "prices": "INSERT INTO prices(store_id, variant_pk, amount_minor) VALUES (?, ?, ?)",
}


def _bulk_catalog(raw, spec, count: int, started: float) -> None:
    """Append `count` variants in styles of 3-20 SKUs (colours x sizes of a product type)."""
    rng = random.Random(f"catalog/{spec.key}/{count}")
    vi = spec.lang == "vi"
    sizes_of, colour_name = (SIZES_VI, COLOUR_VI) if vi else (SIZES_EN, COLOUR_EN)
    collections = COLLECTIONS_VI if vi else COLLECTIONS_EN
    brands = [f"{b} {s}" for b in (("Mây", "Sen", "Lụa", "Phố", "Bước", "Sóng", "Mộc")
                                   if vi else ("Hudson", "Mercer", "Canal", "Bowery", "Stride"))
              for s in ("Studio", "House", "Lab", "Co")]
    colours = list(colour_name)
    ppk = _count(raw, "products") + 1
    vpk = _count(raw, "variants") + 1
    end = vpk + count
    label, store_id = spec.code[:3], spec.store_id
    rows = {k: [] for k in _SQL}
    style_no, in_tx = 0, 0
    raw.execute("BEGIN")
    while vpk < end:
        ptype = rng.choice(PRODUCT_TYPES)
        desc_vi, desc_en = rng.choice(ptype.descriptors)
        coll = rng.choice(collections)
        style_no += 1
        style = f"B{style_no:07d}"
        if vi:
            name = f"{ptype.vi} {desc_vi} {coll}"
            price = max(99_000, rng.randint(*ptype.vnd_k) // 10 * 10_000 - 1_000)
            tax = "VAT8" if ptype.kids else "VAT10"
        else:
            name = f"{coll} {desc_en} {ptype.en}"
            price = rng.randint(ptype.usd_cents[0] // 100, ptype.usd_cents[1] // 100) * 100 - 1
            tax = "EXEMPT" if ptype.kids else "SALES"
        rows["products"].append((ppk, _uuid(rng), style, name, rng.choice(brands),
                                 ptype.category_vi if vi else ptype.category_en, tax))
        for colour in rng.sample(colours, rng.randint(1, 3)):
            for size in sizes_of[ptype.size_kind]:
                if vpk >= end:
                    break
                sku = f"{style}-{colour}-{size}" if size else f"{style}-{colour}"
                rows["variants"].append((vpk, _uuid(rng), ppk, sku, size, colour_name[colour]))
                # Synthetic GTIN ranges never used by the demo: VN 8939xxxxxxxx, US 08xxxxxxxxxx
                first12 = f"8939{vpk:08d}" if vi else f"08{vpk:010d}"
                rows["barcodes"].append((ean13_with_check_digit(first12), vpk))
                if vpk % 10 == 0:
                    rows["barcodes"].append((f"{label}-{vpk:07d}", vpk))
                rows["prices"].append((store_id, vpk, max(price, 999)))
                vpk += 1
                in_tx += 1
        ppk += 1
        if len(rows["variants"]) >= BATCH:
            for table, sql in _SQL.items():
                _flush(raw, sql, rows[table])
            if in_tx >= ROWS_PER_TRANSACTION:
                raw.execute("COMMIT")
                raw.execute("BEGIN")
                in_tx = 0
                log(f"variants: {vpk - 1:,}", started)
    for table, sql in _SQL.items():
        _flush(raw, sql, rows[table])
    raw.execute("COMMIT")
    log(f"catalog done: {vpk - 1:,} variants, {ppk - 1:,} products", started)


def _bulk_customers(raw, spec, count: int, first_pk: int, started: float) -> None:
    """Append `count` customers with unique phones and loyalty cards, and their search rows."""
    rng = random.Random(f"customers/{spec.key}/{count}")
    vi = spec.lang == "vi"
    ascii_ = {w: "".join(ch for ch in fold(w) if ch.isalpha())
              for w in (*FAMILY_VI, *GIVEN_VI, *FIRST_EN, *LAST_EN)}
    n_prefixes = len(MOBILE_PREFIXES_VN if vi else AREA_CODES_US)
    customers, fts = [], []
    sql_c = ("INSERT INTO customers(pk, id, name, phone, email, loyalty_card, tier)"
             " VALUES (?, ?, ?, ?, ?, ?, ?)")
    sql_f = "INSERT INTO customer_fts(rowid, text) VALUES (?, ?)"
    raw.execute("BEGIN")
    for i in range(count):
        pk = first_pk + i
        # (i // n) * 7919 mod 10^7 is one-to-one below 10^7: with prefix i % n, phones are unique
        tail = (i // n_prefixes * 7919 + 1_234_567) % 10_000_000
        if vi:
            family, middle, given = (rng.choice(FAMILY_VI), rng.choice(MIDDLE_VI),
                                     rng.choice(GIVEN_VI))
            name = f"{family} {middle} {given}"
            phone = f"+84{MOBILE_PREFIXES_VN[i % n_prefixes]}{tail:07d}"
            local = f"{ascii_[given]}.{ascii_[family]}{pk}"
            card = f"SLVN{pk:010d}"
        else:
            first, last = rng.choice(FIRST_EN), rng.choice(LAST_EN)
            name = f"{first} {last}"
            phone = f"+1{AREA_CODES_US[i % n_prefixes]}{tail:07d}"
            local = f"{ascii_[first]}.{ascii_[last]}{pk}"
            card = f"SLUS{pk:010d}"
        email = f"{local}@{EMAIL_DOMAINS[pk % 3]}"
        customers.append((pk, _uuid(rng), name, phone, email, card, TIERS[pk % len(TIERS)]))
        fts.append((pk, customer_search_text(name, phone, email)))
        if len(customers) >= BATCH:
            _flush(raw, sql_c, customers)
            _flush(raw, sql_f, fts)
            if (i + 1) % ROWS_PER_TRANSACTION == 0:
                raw.execute("COMMIT")
                raw.execute("BEGIN")
                log(f"customers: {i + 1:,}", started)
    _flush(raw, sql_c, customers)
    _flush(raw, sql_f, fts)
    raw.execute("COMMIT")
    log(f"customers done: {count:,} added", started)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--store", default="hcm", choices=sorted(DEMO_STORES))
    parser.add_argument("--out", type=Path, help="database file (default: bench/_data/...)")
    args = parser.parse_args(argv)
    path = args.out or default_db_path(args.products, args.customers, args.store)
    generate(path, args.products, args.customers, args.store)
    print(path)


if __name__ == "__main__":
    main()
