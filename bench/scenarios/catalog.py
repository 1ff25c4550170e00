"""Catalog look-ups through the core path: product search as you type, and barcode look-up.

Why: DESIGN.md §8 — search as you type p99 < 50 ms and scan -> line p99 < 30 ms with 1M
products. These scenarios call exactly what the Sell screen's reader worker calls
(pos_app.db.catalog_queries on a `readonly=True` engine, one pooled connection per
operation, as a QueryOp would); the UI-path scan (`scan_ui`) is a separate scenario.

Runs in the benchmark's main thread, standing in for the app's reader worker.
"""
from __future__ import annotations

import random
import time
from pathlib import Path

from sqlalchemy import Engine

from bench.scenarios import Budget, RunArgs, ensure_db, log, register, summarize
from pos_app.scanning.barcodes import ean13_with_check_digit, gtin_lookup_keys, parse_scan
from pos_app.db.catalog_queries import find_by_barcode, search_items
from pos_app.db.engine import make_engine
from pos_app.money import minor_digits
from pos_app.store_context import StoreContext, load_store_context
from pos_app.textfold import fold

WARMUP = 20


def open_reader(db: Path) -> tuple[Engine, StoreContext]:
    engine = make_engine(db, readonly=True)
    with engine.connect() as conn:
        ctx = load_store_context(conn)
    return engine, ctx


def sample_rows(engine: Engine, sql: str, table: str, k: int, rng: random.Random) -> list:
    """`k` rows of `sql` (which selects by `rowid = ?` from `table`) for random rowids."""
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        top = raw.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0]
        rows = []
        while len(rows) < k:
            row = raw.execute(sql, (rng.randint(1, top),)).fetchone()
            if row is not None:
                rows.append(row)
        return rows


def typing_sequence(text: str) -> list[str]:
    """What the search box holds after each keystroke: "ao", "ao ", "ao s", ... (folded)."""
    typed = fold(text)
    return [typed[:i] for i in range(1, len(typed) + 1)]


def by_last_term(samples: list[tuple[str, int]]) -> dict:
    """p50/p99 (ms) by the length of the word being typed (the last one), alone or after
    others: FTS5 answers a prefix lazily only when a prefix index covers its length."""
    buckets: dict[str, list[int]] = {}
    for query, ns in samples:
        words = query.split()
        if not words:
            continue
        n = len(words[-1])
        key = f"{'first' if len(words) == 1 else 'later'} word, {n if n <= 3 else '4+'} chars"
        buckets.setdefault(key, []).append(ns)
    return {k: {"count": len(v), "p50_ms": summarize(v)["p50_ms"],
                "p99_ms": summarize(v)["p99_ms"]} for k, v in sorted(buckets.items())}


@register("search", "product search as you type (folded prefixes typed one key at a time), "
          "core query on the reader connection", Budget("p99_ms", 50))
def search(args: RunArgs) -> dict:
    db = ensure_db(args.products, args.customers, args.store)
    engine, ctx = open_reader(db)
    rng = random.Random(args.seed)
    iterations = args.iterations_or(3000)
    names = [r[0] for r in sample_rows(
        engine, "SELECT p.name || ' ' || coalesce(v.colour, '') FROM variants v"
                " JOIN products p ON p.pk = v.product_pk WHERE v.rowid = ?",
        "variants", max(10, iterations // 10), rng)]
    queries = [q for name in names for q in typing_sequence(name)]
    while len(queries) < iterations + WARMUP:
        queries += queries
    queries = queries[:iterations + WARMUP]
    samples: list[tuple[str, int]] = []
    empty = 0
    try:
        for i, query in enumerate(queries):
            t0 = time.perf_counter_ns()
            with engine.connect() as conn:
                hits = search_items(conn, ctx.store_id, query)
            elapsed = time.perf_counter_ns() - t0
            if i >= WARMUP:
                samples.append((query, elapsed))
                empty += not hits
    finally:
        engine.dispose()
    log(f"search: {len(samples)} queries over {len(names)} product names")
    return {**summarize([ns for _q, ns in samples]), "iterations": len(samples),
            "empty_results": empty, "by_last_word": by_last_term(samples),
            "slowest_query": max(samples, key=lambda s: s[1])[0]}


@register("barcode", "scan look-up core path: parse_scan + gtin_lookup_keys + find_by_barcode "
          "(10% unknown codes)", Budget("p99_ms", 30))
def barcode(args: RunArgs) -> dict:
    db = ensure_db(args.products, args.customers, args.store)
    engine, ctx = open_reader(db)
    rng = random.Random(args.seed)
    iterations = args.iterations_or(5000)
    known = [r[0] for r in sample_rows(engine, "SELECT code FROM barcodes WHERE rowid = ?",
                                       "barcodes", iterations, rng)]
    # Unknown but valid codes (a product HQ has not published yet): the miss path tries every
    # equivalent GTIN form.
    unknown = [ean13_with_check_digit(f"8937{rng.randrange(10**8):08d}")
               for _ in range(iterations // 10)]
    codes = known[: iterations - len(unknown)] + unknown
    rng.shuffle(codes)
    codes = codes[:WARMUP] + codes
    digits = minor_digits(ctx.currency)
    samples, found, invalid = [], 0, 0
    try:
        for i, code in enumerate(codes):
            t0 = time.perf_counter_ns()
            scan = parse_scan(code, ctx.barcode_rules, digits)
            item = None
            if scan.kind in ("gtin", "gs1"):
                keys = gtin_lookup_keys(scan.gtin)
            elif scan.kind == "internal":
                keys = [scan.raw]
            else:
                keys = []
            if keys:
                with engine.connect() as conn:
                    item = find_by_barcode(conn, ctx.store_id, keys)
            elapsed = time.perf_counter_ns() - t0
            if i >= WARMUP:
                samples.append(elapsed)
                found += item is not None
                invalid += not keys
    finally:
        engine.dispose()
    return {**summarize(samples), "iterations": len(samples), "found": found,
            "unknown": len(samples) - found - invalid, "invalid": invalid}
