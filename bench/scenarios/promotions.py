"""Scan -> line with HQ promotions at 1M products: the barcode look-up plus the promotion query.

Why: DESIGN.md §8 gives a scan p99 < 30 ms; pos_app/promotions.py adds one indexed query per
scan (the best active promotion for the item's product, category or sku). Measured on a copy
of the cached benchmark database (the cache stays as the other scenarios expect it), brought
to the current schema and given a realistic promotion table: 200 promotions, a third each on
categories, products and skus, some expired or for another store.

Runs in the benchmark's main thread.
"""
from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from bench.scenarios import Budget, RunArgs, ensure_db, log, register, summarize
from bench.scenarios.catalog import WARMUP, open_reader, sample_rows
from pos_app.db import migrate
from pos_app.db.catalog_queries import find_by_barcode
from pos_app.db.engine import make_engine
from pos_app.promotions import find_promotions

NOW = "2026-11-20T10:00:00.000000Z"
PROMOTIONS = 200


def _with_promotions(source: Path, workdir: Path, rng: random.Random) -> Path:
    copy = workdir / "promotions.sqlite3"
    shutil.copyfile(source, copy)
    engine = make_engine(copy)
    migrate.ensure_current(engine)
    with engine.begin() as conn:
        store = conn.execute(text("SELECT value FROM settings WHERE key = 'store_id'")).scalar()
        categories = list(conn.execute(text("SELECT DISTINCT category FROM products")).scalars())
        top = conn.execute(text("SELECT max(pk) FROM variants")).scalar_one()
        rows = []
        for i in range(PROMOTIONS):
            pk = rng.randint(1, top)
            kind = ("category", "product", "sku")[i % 3]
            target = (rng.choice(categories) if kind == "category" else conn.execute(text(
                "SELECT p.id, v.sku FROM variants v JOIN products p ON p.pk = v.product_pk"
                " WHERE v.pk >= :pk LIMIT 1"), {"pk": pk}).one()[0 if kind == "product" else 1])
            rows.append({"id": f"bench-promo-{i}", "store": None if i % 5 else store,
                         "name": f"Promo {i}", "kind": "percent_off" if i % 2 else "amount_off",
                         "value": rng.randint(1, 5000), "tk": kind, "target": target,
                         "starts": "2026-01-01T00:00:00.000000Z",
                         "ends": "2026-06-01T00:00:00.000000Z" if i % 7 == 0
                         else "2027-01-01T00:00:00.000000Z"})
        conn.execute(text(
            "INSERT INTO promotions(id, store_id, name, kind, value, target_kind, target,"
            " starts_at, ends_at, active) VALUES (:id, :store, :name, :kind, :value, :tk,"
            " :target, :starts, :ends, 1)"), rows)
    engine.dispose()
    return copy


@register("scan_promotions", "scan look-up with promotions: find_by_barcode + find_promotions "
          "(200 promotions), 1M products", Budget("p99_ms", 30))
def scan_promotions(args: RunArgs) -> dict:
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-promotions-") as tmp:
        log("copying the benchmark database and adding promotions")
        db = _with_promotions(ensure_db(args.products, args.customers, args.store), Path(tmp),
                              rng)
        engine, ctx = open_reader(db)
        iterations = args.iterations_or(5000)
        codes = [r[0] for r in sample_rows(engine, "SELECT code FROM barcodes WHERE rowid = ?",
                                           "barcodes", iterations, rng)]
        codes = codes[:WARMUP] + codes
        samples, with_promo = [], 0
        try:
            for i, code in enumerate(codes):
                t0 = time.perf_counter_ns()
                with engine.connect() as conn:
                    item = find_by_barcode(conn, ctx.store_id, [code])
                    found = find_promotions(conn, ctx.store_id, [item.variant_pk], NOW) \
                        if item is not None else {}
                elapsed = time.perf_counter_ns() - t0
                if i >= WARMUP:
                    samples.append(elapsed)
                    with_promo += bool(found)
        finally:
            engine.dispose()
    return {**summarize(samples), "iterations": len(samples), "with_promotion": with_promo}
