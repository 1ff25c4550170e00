"""Commit a sale with FULL durability on a 1M-product device database.

Why: DESIGN.md §3 and §8 — the sale, its journal record and its outbox event are one
transaction committed with `synchronous=FULL` (an fsync of the WAL), and that commit must stay
under 10 ms at p99. The scenario copies the cached benchmark database (so it never grows) to
the same disk (bench/_data/, never tmpfs, where fsync would be free), builds 3-line baskets of
real catalog items paid in cash, and times the commit (`TillService.complete_sale`) alone:
building the basket is UI-thread work and is not timed. Like the app, it then checkpoints the
write-ahead log while the till is idle (`TillService.checkpoint`, timed separately), so no sale
pays for SQLite's automatic checkpoint.

Runs in the benchmark's main thread, standing in for the app's database worker.
"""
from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

from sqlalchemy import text

from bench.scenarios import Budget, RunArgs, ensure_db, log, register, summarize
from bench.scenarios.catalog import sample_rows
from pos_app.basket import Basket
from pos_app.db.catalog_queries import find_by_barcode
from pos_app.db.engine import make_engine
from pos_app.ports import SystemClock
from pos_app.services.till import TillService
from pos_app.store_context import load_store_context
from pos_app.tenders import cash_payment, quick_cash_amounts

WARMUP = 5
_SYNC_NAMES = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)


@register("sale_commit", "complete_sale (3 lines, cash) in one FULL-durability transaction, "
          "on a copy of the 1M database", Budget("p99_ms", 10))
def sale_commit(args: RunArgs) -> dict:
    db = ensure_db(args.products, args.customers, args.store)
    work = db.with_name(f"sale-commit-{os.getpid()}.sqlite3")
    _remove(work)
    t0 = time.perf_counter()
    shutil.copyfile(db, work)
    log(f"sale_commit: copied the database in {time.perf_counter() - t0:.1f} s")
    engine = make_engine(work)
    rng = random.Random(args.seed)
    iterations = args.iterations_or(500)
    try:
        codes = [r[0] for r in sample_rows(engine, "SELECT code FROM barcodes WHERE rowid = ?",
                                           "barcodes", 300, rng)]
        with engine.connect() as conn:
            ctx = load_store_context(conn)
            cashier = conn.execute(text(
                "SELECT id FROM associates WHERE store_id = :s AND role = 'cashier'"),
                {"s": ctx.store_id}).scalar_one()
            items = [find_by_barcode(conn, ctx.store_id, [code]) for code in codes]
            conn.rollback()
        items = [i for i in items if i is not None]
        reader = make_engine(work, readonly=True)
        till = TillService(ctx, engine, reader, SystemClock())
        samples, checkpoints = [], []
        for i in range(iterations + WARMUP):
            basket = Basket(ctx.currency, ctx.tax_mode)
            for item in rng.sample(items, 3):
                basket.add(item, rng.choice((1, 1, 1, 2)))
            due = basket.priced().total
            tendered = rng.choice(quick_cash_amounts(due, ctx.currency))
            payment = cash_payment(due, tendered)
            snapshot = basket.snapshot()
            start = time.perf_counter_ns()
            till.complete_sale(snapshot, (payment,), cashier)
            committed = time.perf_counter_ns()
            till.checkpoint()  # what the Sell screen schedules after each sale
            if i >= WARMUP:
                samples.append(committed - start)
                checkpoints.append(time.perf_counter_ns() - committed)
        with engine.connect() as conn:
            count, top = conn.execute(text(
                "SELECT count(*), max(seq) FROM journal WHERE device_id = :d"),
                {"d": ctx.device_id}).one()
            sync = _SYNC_NAMES[conn.exec_driver_sql("PRAGMA synchronous").scalar()]
        reader.dispose()
    finally:
        engine.dispose()
        _remove(work)
    if count != top or count != iterations + WARMUP:
        raise AssertionError(f"journal has {count} records up to seq {top}, expected "
                             f"{iterations + WARMUP} without gaps")
    return {**summarize(samples), **summarize(checkpoints, "idle_checkpoint_"),
            "iterations": len(samples), "synchronous": sync,
            "journal_records": count, "lines_per_sale": 3}
