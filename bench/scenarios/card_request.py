"""Tap "Card" -> the encrypted payment request on the wire to the terminal (DESIGN.md §8).

Why: the cashier taps Card and the shopper looks at the terminal; the request must be there
before anyone notices (budget p99 < 50 ms). The scenario times what the till does on that
path: the tap hands `AdyenTerminal.pay` to an I/O worker thread (as the UI's task runner
does), which builds the PaymentRequest, encrypts it (AES-256-CBC + HMAC-SHA256 with the key
derived once when the terminal was set up), and POSTs it over TLS to the terminal simulator
on loopback (tests/hardware/terminal_sim.py: real HTTPS, real decryption). The clock stops
when the simulator has read the whole request off its socket (`arrivals_ns`, the same
process's perf_counter), so the terminal's own work is not counted. The connection is kept
alive between payments, as the till keeps it; the first request of a fresh terminal object
(TLS handshake included) is reported apart as `cold_ms`, and the one-off key derivation
(PBKDF2, 4000 rounds, at start-up, not on the tap path) as `key_setup_ms`.

Writing the payment intent before the request leaves is the database's share of the tap and
is measured by `sale_commit` (p99 < 5 ms).

No database is needed. Runs in the benchmark's main thread (standing in for the UI thread)
with one worker thread for the payment.
"""
from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from bench.scenarios import Budget, RunArgs, log, register, summarize
from hardware.terminals.adyen_terminal import AdyenTerminal
from hardware.terminals.terminal_settings import TerminalSettings
from tests.hardware.terminal_sim import running_sim

WARMUP = 10
PASSPHRASE = "bench-passphrase"


def _wait_arrival(sim, count: int) -> int:
    """perf_counter_ns of the simulator's `count`-th request (it is already on its way)."""
    deadline = time.monotonic() + 60
    while True:
        with sim.cond:
            if len(sim.arrivals_ns) >= count:
                return sim.arrivals_ns[count - 1]
        if time.monotonic() > deadline:
            raise RuntimeError("the terminal simulator never received the request")
        time.sleep(0.0002)


@register("card_request", "tap Card -> encrypted payment request on the wire (loopback "
                          "terminal simulator, keep-alive TLS)", Budget("p99_ms", 50))
def card_request(args: RunArgs) -> dict:
    iterations = args.iterations_or(300)
    currency, amount = ("VND", 1_250_000) if args.store == "hcm" else ("USD", 1250)
    with running_sim(passphrase=PASSPHRASE) as sim, ThreadPoolExecutor(1) as io_pool:
        settings = TerminalSettings(url=f"https://127.0.0.1:{sim.port}", poiid=sim.poiid,
                                    key_identifier="StorelineKey", key_version=1,
                                    passphrase=PASSPHRASE, ca_file=sim.ca_file,
                                    sale_id="bench-till")
        started = time.perf_counter_ns()
        terminal = AdyenTerminal(settings)
        key_setup_ns = time.perf_counter_ns() - started
        samples, cold_ns = [], None
        try:
            for i in range(iterations + WARMUP):
                tap = time.perf_counter_ns()
                done = io_pool.submit(terminal.pay, str(uuid.uuid4()), amount, currency)
                arrived = _wait_arrival(sim, i + 1)
                result = done.result()
                if not result.approved:
                    raise RuntimeError(f"the simulator did not approve: {result.message}")
                if i == 0:
                    cold_ns = arrived - tap
                elif i >= WARMUP:
                    samples.append(arrived - tap)
        finally:
            terminal.close()
        log(f"{len(samples)} payments, {len(sim.ledger.entries)} in the simulator's ledger")
    return {**summarize(samples), "iterations": len(samples), "currency": currency,
            "cold_ms": round(cold_ns / 1e6, 3), "key_setup_ms": round(key_setup_ns / 1e6, 3)}
