"""Render a 40-line receipt to ESC/POS bytes, in each way a printer can take text.

Why: DESIGN.md §8 -- the first byte must reach the printer within 200 ms of the payment, and
the job is rendered before the connection opens (hardware/printer.py), so rendering is most
of that budget. The scenario times `ReceiptRenderer.render` (layout, text encoding or raster
drawing, barcode, QR, cut) of a 40-line Vietnamese receipt (English with --store nyc) for:

- codepage: an Epson TM-T88V with TCVN-3 -- all text through code pages, native codes;
- raster:   the same printer set to raster text -- every line drawn with DejaVu Sans;
- auto_no_vietnamese: a TM-T88IV (no Vietnamese page) in auto mode -- most lines raster;
- auto_58mm: a POS-5890 on 58 mm (CP1258, barcode and QR as images).

The result's p99_ms is the slowest mode's p99; each mode reports its own p50/p99 and the
job's size in bytes (what a 9600-baud serial line must carry). The budget, 150 ms, leaves
50 ms of the 200 ms for reading the sale (build_receipt) and connecting to the printer.
Rendering needs no database.

`print_first_byte` measures the whole path instead: a real sale committed on a copy of the
benchmark database, handed to the print queue (hardware/print_queue.py) exactly as the Sell
screen does, its receipt read back from the database and rendered by the print worker, and
sent to a printer on a loopback socket that timestamps what it receives.

Runs in the benchmark's main thread, standing in for the print worker (receipt_render) or the
database worker (print_first_byte, whose printing runs on the queue's own worker thread).
"""
from __future__ import annotations

import os
import random
import shutil
import threading
import time
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import text

from bench.scenarios import Budget, RunArgs, ensure_db, log, register, summarize
from bench.scenarios._loopback_printer import LoopbackPrinter
from bench.scenarios.catalog import sample_rows
from hardware.escpos_render import ReceiptRenderer
from hardware.print_queue import JobState, PrintQueue
from hardware.printer import EscposPrinter
from hardware.printer_settings import PrinterSettings
from hardware.sample import sample_receipt
from pos_app.basket import Basket
from pos_app.db.catalog_queries import find_by_barcode
from pos_app.db.engine import make_engine
from pos_app.db.migrate import ensure_current
from pos_app.money import Money
from pos_app.ports import SystemClock
from pos_app.receipts.receipt import Receipt, ReceiptLine
from pos_app.services.print_jobs import JobStatus, PrintJobStore, ReceiptReader
from pos_app.services.till import TillService
from pos_app.store_context import load_store_context
from pos_app.tenders import cash_payment

LINES = 40
WARMUP = 5
MODES = {
    "codepage": dict(profile="TM-T88V", text_mode="codepage"),
    "raster": dict(profile="TM-T88V", text_mode="raster"),
    "auto_no_vietnamese": dict(profile="TM-T88IV", text_mode="auto"),
    "auto_58mm": dict(profile="POS-5890", text_mode="auto"),
}
_NAMES = {
    "vi": ["Áo sơ mi lụa", "Đầm maxi hoa", "Quần jean ống đứng", "Túi vải canvas",
           "Áo thun cổ tròn", "Giày thể thao", "Nón lá Huế", "Khăn lụa tơ tằm"],
    "en": ["Oxford shirt", "Denim jacket", "Canvas tote", "Wool socks", "Silk scarf",
           "Crew Neck Tee", "Sneakers", "Café au lait mug"],
}
_VARIANTS = {"vi": ["Trắng / M", "Đỏ / S", "Xanh / 32", "Be"],
             "en": ["White / M", "Indigo / L", "Natural", "Grey"]}


def forty_line_receipt(language: str) -> Receipt:
    """The sample receipt's header, tenders and footer around 40 priced lines."""
    base = sample_receipt(language, now=datetime(2025, 3, 14, 16, 26, tzinfo=ZoneInfo("UTC")))
    currency = base.currency
    lines = []
    for i in range(LINES):
        price = (199_000 + 10_000 * i) if currency == "VND" else (1_999 + 100 * i)
        qty = 1 + i % 3
        off = price * qty // 10 if i % 7 == 0 else 0
        lines.append(ReceiptLine(
            name=_NAMES[language][i % 8], variant_label=_VARIANTS[language][i % 4],
            sku=f"SKU-{i:05d}", quantity=qty, unit_price=Money(price, currency),
            list_price=Money(price, currency), gross=Money(price * qty, currency),
            line_discount=Money(off, currency),
            discount_reason=("Khách quen" if language == "vi" else "Loyal customer")
            if off else None,
            amount=Money(price * qty - off, currency), tax_code="TAX"))
    subtotal = sum(line.amount.minor for line in lines)
    total = Money(subtotal, currency) + (base.tax_total if base.tax_mode.value == "exclusive"
                                         else Money(0, currency))
    tender = replace(base.tenders[0], amount=total, tendered=total, change=Money(0, currency))
    return replace(base, lines=tuple(lines), subtotal=Money(subtotal, currency), total=total,
                   tenders=(tender,), change=Money(0, currency), footer_lines=())


@register("receipt_render", "render a 40-line receipt to ESC/POS (code pages, raster, auto)",
          Budget("p99_ms", 150))
def receipt_render(args: RunArgs) -> dict:
    language = "vi" if args.store == "hcm" else "en"
    receipt = forty_line_receipt(language)
    iterations = args.iterations_or(200)
    result: dict = {"lines": LINES, "language": language, "iterations": iterations}
    worst = 0.0
    for mode, settings in MODES.items():
        renderer = ReceiptRenderer(PrinterSettings(uri="tcp://bench:9100", **settings))
        samples = []
        size = 0
        for i in range(iterations + WARMUP):
            start = time.perf_counter_ns()
            size = len(renderer.render(receipt, open_drawer=True))
            if i >= WARMUP:
                samples.append(time.perf_counter_ns() - start)
        stats = summarize(samples, f"{mode}_")
        result.update({f"{mode}_p50_ms": stats[f"{mode}_p50_ms"],
                       f"{mode}_p99_ms": stats[f"{mode}_p99_ms"], f"{mode}_bytes": size})
        worst = max(worst, stats[f"{mode}_p99_ms"])
        log(f"receipt_render {mode}: p50 {stats[f'{mode}_p50_ms']} ms, "
            f"p99 {stats[f'{mode}_p99_ms']} ms, {size} bytes")
    result["p99_ms"] = worst
    result["p50_ms"] = min(result[f"{m}_p50_ms"] for m in MODES)
    return result


PRINT_MODES = {"auto": dict(profile="TM-T88V", text_mode="auto"),
               "raster": dict(profile="TM-T88V", text_mode="raster")}


def selling_copy(args: RunArgs, rng: random.Random, label: str):
    """A copy of the benchmark database to sell on, migrated to today's schema (the copy may
    predate print_jobs or payment_intents): (path, writer, reader, ctx, cashier id, 200
    sellable items picked at random). `drop_copy` removes it."""
    db = ensure_db(args.products, args.customers, args.store)
    work = db.with_name(f"{label}-{os.getpid()}.sqlite3")
    shutil.copyfile(db, work)
    engine = make_engine(work)
    ensure_current(engine)
    reader = make_engine(work, readonly=True)
    with engine.connect() as conn:
        ctx = load_store_context(conn)
        cashier = conn.execute(text(
            "SELECT id FROM associates WHERE store_id = :s AND role = 'cashier'"),
            {"s": ctx.store_id}).scalar_one()
        codes = [r[0] for r in sample_rows(engine, "SELECT code FROM barcodes WHERE rowid = ?",
                                           "barcodes", 200, rng)]
        items = [i for i in (find_by_barcode(conn, ctx.store_id, [c]) for c in codes) if i]
    return work, engine, reader, ctx, cashier, items


def drop_copy(work, engine, reader) -> None:
    reader.dispose()
    engine.dispose()
    for path in (work, work.with_name(work.name + "-wal"), work.with_name(work.name + "-shm")):
        path.unlink(missing_ok=True)


@register("print_first_byte", "sale commit -> first receipt byte at a loopback TCP printer, "
          "through the print queue (code-page and raster text)", Budget("p99_ms", 200))
def print_first_byte(args: RunArgs) -> dict:
    rng = random.Random(args.seed)
    work, engine, reader, ctx, cashier, items = selling_copy(args, rng, "print-first-byte")
    printer = LoopbackPrinter()
    iterations = args.iterations_or(200)
    result: dict = {"iterations_per_mode": iterations}
    try:
        till = TillService(ctx, engine, reader, SystemClock())
        connections = 0
        for mode, settings in PRINT_MODES.items():
            finished = threading.Semaphore(0)
            picked_up: list[int] = []  # when the worker took each job (PRINTING reported)

            def on_job(view) -> None:  # print worker thread
                if view.state is JobState.PRINTING:
                    picked_up.append(time.perf_counter_ns())
                elif view.finished:
                    finished.release()

            queue = PrintQueue(
                EscposPrinter(PrinterSettings(uri=printer.uri, **settings)),
                ReceiptReader(reader), PrintJobStore(engine, reader, SystemClock()),
                device_id=ctx.device_id, on_job=on_job).start(False)
            to_status, to_receipt, to_pickup, failures = [], [], [], 0
            for i in range(iterations + WARMUP):
                basket = Basket(ctx.currency, ctx.tax_mode)
                for item in rng.sample(items, 3):
                    basket.add(item, rng.choice((1, 1, 2)))
                due = basket.priced().total
                sale = till.complete_sale(basket.snapshot(), (cash_payment(due, due),), cashier)
                committed = time.perf_counter_ns()
                job_id = queue.submit_sale(sale.sale_id, open_drawer=sale.opens_drawer)
                arrival = printer.wait_for_connection(connections)
                connections += 1
                if not finished.acquire(timeout=10):
                    raise TimeoutError(f"receipt {sale.receipt_no} did not finish printing")
                arrival.done.wait(5)
                failures += any(v.job_id == job_id for v in queue.jobs())
                if i >= WARMUP:
                    to_status.append(arrival.first_byte_ns - committed)
                    to_receipt.append(arrival.first_job_byte_ns - committed)
                    to_pickup.append(picked_up[-1] - committed)
                till.checkpoint()  # as the Sell screen does while the customer leaves
            queue.stop()
            first = summarize(to_status, f"{mode}_first_byte_")
            receipt = summarize(to_receipt, f"{mode}_")
            pickup = summarize(to_pickup, f"{mode}_pickup_")
            result.update({f"{mode}_p50_ms": receipt[f"{mode}_p50_ms"],
                           f"{mode}_p99_ms": receipt[f"{mode}_p99_ms"],
                           f"{mode}_max_ms": receipt[f"{mode}_max_ms"],
                           f"{mode}_first_byte_p50_ms": first[f"{mode}_first_byte_p50_ms"],
                           f"{mode}_first_byte_p99_ms": first[f"{mode}_first_byte_p99_ms"],
                           f"{mode}_pickup_p99_ms": pickup[f"{mode}_pickup_p99_ms"],
                           f"{mode}_not_printed": failures})
            log(f"print_first_byte {mode}: commit -> receipt's first byte p50 "
                f"{receipt[f'{mode}_p50_ms']} ms, p99 {receipt[f'{mode}_p99_ms']} ms "
                f"(status request first: p50 {first[f'{mode}_first_byte_p50_ms']} ms)")
        with engine.connect() as conn:
            result["printed_jobs"] = conn.execute(text(
                "SELECT count(*) FROM print_jobs WHERE status = :s"),
                {"s": JobStatus.PRINTED.value}).scalar_one()
    finally:
        printer.close()
        drop_copy(work, engine, reader)
    result["p99_ms"] = max(result[f"{m}_p99_ms"] for m in PRINT_MODES)
    result["p50_ms"] = max(result[f"{m}_p50_ms"] for m in PRINT_MODES)
    result["measured"] = "commit returned -> the receipt's first byte (ESC @) at the printer"
    return result
