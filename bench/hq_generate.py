"""Build (or reuse) an HQ database of benchmark size: the demo company plus up to millions of
synthetic products, variants, barcodes and prices, each published to the change feed.

Why: the bootstrap budget (DESIGN.md §8: a new device pulls 1M products in < 60 s) is measured
against a real `pos-hq serve` whose change feed holds that catalog. The synthetic catalog is the
very one bench/generate.py appends to device databases: its `_bulk_catalog` is driven with a
small adapter in place of the device's sqlite3 connection, which turns each batch of device rows
(keyed by integer pk) into HQ rows (keyed by the generated UUIDs) plus one `change_log` row per
row, with the feed key and `data` made by hq.services.catalog's own `feed_key`/`device_data`,
and its `feed_state` row (the compacted feed the bulk snapshot serves; every row is new, so it
is the change_log row itself, copied by SQL).
The demo company comes from `hq.demo.seed.seed_demo` first, so the feed starts exactly like a
real HQ's. Bulk load only: raw sqlite3 `executemany`, `synchronous=OFF`, `journal_mode=OFF`,
then back to WAL and checkpointed (a half-built file is never reused: the marker is written
last).

`products` counts the HCM store's variants (SKUs), demo ones included, as in bench/generate.py.
A finished database is cached under bench/_data/ keyed by size and HQ schema revision.

Runs in the benchmark's main thread (a command-line tool, not part of the app).

    python -m bench.hq_generate --products 1000000
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from bench.generate import DATA_DIR, _bulk_catalog, log
from pos_app.demo.store import DEMO_STORES

HQ_GENERATOR_VERSION = 2  # bump when the generated content changes: cached databases are rebuilt
STORE = "hcm"


def default_hq_path(products: int) -> Path:
    return DATA_DIR / f"hq-{STORE}-p{products}.sqlite3"


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _params(products: int) -> dict:
    from hq.db.migrate import head_revision

    return {"products": products, "store": STORE, "generator_version": HQ_GENERATOR_VERSION,
            "hq_schema": head_revision()}


def is_cached(path: Path, products: int) -> bool:
    marker = _marker(path)
    if not (path.exists() and marker.exists()):
        return False
    try:
        return json.loads(marker.read_text())["params"] == _params(products)
    except (ValueError, KeyError):
        return False


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), _marker(path)):
        p.unlink(missing_ok=True)


class _HQWriter:
    """Stands in for the device's sqlite3 connection in bench.generate._bulk_catalog: device
    rows in, HQ rows and their change_log rows out."""

    _INSERT = {
        "product": "INSERT INTO products(id, store_id, style_code, name, brand, category,"
                   " tax_code, active) VALUES (:id, :store_id, :style_code, :name, :brand,"
                   " :category, :tax_code, :active)",
        "variant": "INSERT INTO variants(id, product_id, sku, size, colour, active)"
                   " VALUES (:id, :product_id, :sku, :size, :colour, :active)",
        "barcode": "INSERT INTO barcodes(variant_id, code) VALUES (:variant_id, :code)",
        "price": "INSERT INTO prices(store_id, variant_id, amount_minor)"
                 " VALUES (:store_id, :variant_id, :amount_minor)",
    }

    def __init__(self, raw: sqlite3.Connection, store_id: str, first_pks: dict[str, int]):
        self.raw, self.store_id, self.first_pks = raw, store_id, first_pks
        self.product_ids: dict[int, str] = {}
        self.variant_ids: dict[int, str] = {}
        self.at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

    def execute(self, sql: str, *params):
        if sql.startswith("SELECT max(rowid) FROM "):  # bench.generate._count
            table = sql.rsplit(" ", 1)[1]
            return _Row(self.first_pks[table])
        return self.raw.execute(sql, *params)  # BEGIN / COMMIT

    def executemany(self, sql: str, rows: list) -> None:
        table = sql.split()[2].split("(")[0]
        sid = self.store_id
        if table == "products":
            entity = "product"
            out = []
            for pk, id_, style, name, brand, category, tax in rows:
                self.product_ids[pk] = id_
                out.append({"id": id_, "store_id": sid, "style_code": style, "name": name,
                            "brand": brand, "category": category, "tax_code": tax,
                            "active": 1})
        elif table == "variants":
            entity = "variant"
            out = []
            for pk, id_, ppk, sku, size, colour in rows:
                self.variant_ids[pk] = id_
                out.append({"id": id_, "product_id": self.product_ids[ppk], "sku": sku,
                            "size": size, "colour": colour, "active": 1})
        elif table == "barcodes":
            entity = "barcode"
            out = [{"code": code, "variant_id": self.variant_ids[vpk]} for code, vpk in rows]
        elif table == "prices":
            entity = "price"
            out = [{"store_id": store_id, "variant_id": self.variant_ids[vpk],
                    "amount_minor": amount} for store_id, vpk, amount in rows]
        else:
            raise ValueError(f"unexpected bulk insert: {sql[:60]}")
        self.raw.executemany(self._INSERT[entity], out)
        before = self.raw.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
        self.raw.executemany(
            "INSERT INTO change_log(store_id, entity, op, key, data, at)"
            " VALUES (?, ?, 'upsert', ?, ?, ?)",
            [(sid, entity, feed_key(entity, r),
              json.dumps(device_data(entity, r), ensure_ascii=False), self.at) for r in out])
        self.raw.execute(
            "INSERT INTO feed_state(entity, key, scope, seq, data) SELECT entity, key,"
            " coalesce(store_id, ''), seq, data FROM change_log WHERE seq > ?", (before,))


class _Row:
    def __init__(self, value: int) -> None:
        self.value = value

    def fetchone(self):
        return (self.value,)


def feed_key(entity, row):  # imported lazily: hq is only needed when building
    from hq.services.catalog import feed_key as _feed_key

    return _feed_key(entity, row)


def device_data(entity, row):
    from hq.services.catalog import device_data as _device_data

    return _device_data(entity, row)


def generate_hq(path: Path | None = None, products: int = 1_000_000) -> Path:
    """The cached HQ database with `products` HCM variants, built when missing or stale."""
    from hq.db.engine import make_engine
    from hq.db.migrate import upgrade
    from hq.demo.seed import seed_demo

    path = Path(path or default_hq_path(products))
    if is_cached(path, products):
        log(f"reusing {path}")
        return path
    _remove(path)
    started = time.perf_counter()
    log(f"building HQ database {path} ({products:,} products of {STORE})")
    engine = make_engine(str(path))
    try:
        upgrade(engine)
        seed_demo(engine)
    finally:
        engine.dispose()
    log("HQ demo company seeded", started)
    spec = DEMO_STORES[STORE]
    with closing(sqlite3.connect(path, isolation_level=None)) as raw:
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("PRAGMA journal_mode=OFF").fetchall()
        raw.execute("PRAGMA cache_size=-524288")
        n_products = raw.execute("SELECT count(*) FROM products WHERE store_id = ?",
                                 (spec.store_id,)).fetchone()[0]
        n_variants = raw.execute(
            "SELECT count(*) FROM variants v JOIN products p ON p.id = v.product_id"
            " WHERE p.store_id = ?", (spec.store_id,)).fetchone()[0]
        if products > n_variants:
            writer = _HQWriter(raw, spec.store_id, {"products": n_products,
                                                   "variants": n_variants})
            _bulk_catalog(writer, spec, products - n_variants, started)
        raw.execute("ANALYZE")
        raw.execute("PRAGMA journal_mode=WAL").fetchall()
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        counts = {t: raw.execute(f"SELECT max(rowid) FROM {t}").fetchone()[0] or 0
                  for t in ("products", "variants", "barcodes", "prices", "change_log",
                            "feed_state")}
    elapsed = time.perf_counter() - started
    _marker(path).write_text(json.dumps(
        {"params": _params(products), "counts": counts, "seconds": round(elapsed, 1),
         "bytes": path.stat().st_size}, indent=2))
    log(f"HQ database done in {elapsed:.1f} s, {path.stat().st_size / 1e6:.0f} MB: {counts}")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hq_generate",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    generate_hq(products=args.products)


if __name__ == "__main__":
    main()
