"""Terminal approval received -> sale committed -> the receipt's first byte at the printer.

Why: DESIGN.md §8 "payment accepted -> first byte sent to the printer, p99 < 150 ms": once
the shopper's card is approved she waits for her receipt. The clock starts when the
terminal's approval is back on the till (`AdyenTerminal.pay` returned, over real HTTPS from
the terminal simulator) and stops when the loopback printer reads the receipt's first byte
(ESC @). In between, what the till really does: the approval recorded on its payment intent
(a committed write), the sale committed with the card payment attached (one FULL-durability
transaction on a copy of the benchmark database), the receipt built and sent through the print
queue (code-page text, TM-T88V).

Runs in the benchmark's main thread (the UI's stand-in) with the print worker's thread.
"""
from __future__ import annotations

import random
import threading
import time
import uuid

from bench.scenarios import Budget, RunArgs, log, register, summarize
from bench.scenarios._loopback_printer import LoopbackPrinter
from bench.scenarios.receipts import drop_copy, selling_copy
from hardware.print_queue import PrintQueue
from hardware.printer import EscposPrinter
from hardware.printer_settings import PrinterSettings
from hardware.terminals.adyen_terminal import AdyenTerminal
from hardware.terminals.terminal_settings import TerminalSettings
from pos_app.basket import Basket
from pos_app.payments.intents import IntentStore
from pos_app.ports import SystemClock
from pos_app.services.print_jobs import PrintJobStore, ReceiptReader
from pos_app.services.till import TillService
from pos_app.tenders import TenderType
from tests.hardware.terminal_sim import running_sim

WARMUP = 5
PASSPHRASE = "bench-passphrase"


@register("card_to_receipt", "card approval received -> intent recorded, sale committed -> "
                             "first receipt byte at a loopback printer", Budget("p99_ms", 150))
def card_to_receipt(args: RunArgs) -> dict:
    rng = random.Random(args.seed)
    work, engine, reader, ctx, cashier, items = selling_copy(args, rng, "card-to-receipt")
    printer = LoopbackPrinter()
    iterations = args.iterations_or(200)
    samples: list[int] = []
    try:
        clock = SystemClock()
        till = TillService(ctx, engine, reader, clock)
        intents = IntentStore(engine, reader, clock)
        finished = threading.Semaphore(0)

        def on_job(view) -> None:  # print worker thread
            if view.finished:
                finished.release()

        queue = PrintQueue(EscposPrinter(PrinterSettings(uri=printer.uri, profile="TM-T88V",
                                                         text_mode="codepage")),
                           ReceiptReader(reader), PrintJobStore(engine, reader, clock),
                           device_id=ctx.device_id, on_job=on_job).start(False)
        with running_sim(passphrase=PASSPHRASE) as sim:
            terminal = AdyenTerminal(TerminalSettings(
                url=f"https://127.0.0.1:{sim.port}", poiid=sim.poiid,
                key_identifier="StorelineKey", key_version=1, passphrase=PASSPHRASE,
                ca_file=sim.ca_file, sale_id="bench-till"))
            try:
                for i in range(iterations + WARMUP):
                    basket = Basket(ctx.currency, ctx.tax_mode)
                    for item in rng.sample(items, 3):
                        basket.add(item, rng.choice((1, 1, 2)))
                    snap = basket.snapshot()
                    sale_id = str(uuid.uuid4())
                    intent = intents.open(sale_id, TenderType.CARD, snap.priced.total,
                                          ctx.currency)
                    answer = terminal.pay(intent.id, intent.amount, intent.currency)
                    approved = time.perf_counter_ns()  # the approval is on the till
                    payment = intents.record(intent.id, answer).payment()
                    sale = till.complete_sale(snap, (payment,), cashier, sale_id)
                    queue.submit_sale(sale.sale_id, open_drawer=sale.opens_drawer)
                    arrival = printer.wait_for_connection(i)
                    if not finished.acquire(timeout=10):
                        raise TimeoutError(f"receipt {sale.receipt_no} did not print")
                    arrival.done.wait(5)
                    if i >= WARMUP:
                        samples.append(arrival.first_job_byte_ns - approved)
                    till.checkpoint()
            finally:
                terminal.close()
                queue.stop()
            charged = sum(1 for e in sim.ledger.entries if e.state == "charged")
        log(f"{len(samples)} card sales, {charged} charged at the simulated terminal")
    finally:
        printer.close()
        drop_copy(work, engine, reader)
    return {**summarize(samples), "iterations": len(samples),
            "measured": "approval received -> the receipt's first byte (ESC @) at the printer"}
