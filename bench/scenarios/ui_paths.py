"""UI-path benchmarks: launch to a usable Sell screen, and scan -> line shown, at 1M products.

Why: DESIGN.md §8 budgets the user-visible paths, not just the queries underneath. `launch`
starts the real app in a fresh process (offscreen Qt) on the generated database, signs a
cashier in with a PIN through the login screen, and stops the clock when the Sell screen is
showing and ready for a scan. `scan_ui` drives the real app in this process: wedge keystrokes
go through the app-wide scanner filter, the look-up runs on the database worker, the line
comes back by signal into the basket model and the view is repainted.

Runs in the benchmark's main thread, which is also the Qt UI thread here.
"""
from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from bench.scenarios import Budget, RunArgs, ensure_db, log, percentile, register, summarize

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
CASHIER_CODE, CASHIER_PIN = "C01", "1111"  # demo associates (pos_app.demo.store)


def _sample_barcodes(db: Path, count: int, seed: int) -> list[str]:
    """Random catalog barcodes by rowid probes: no full scan of the table."""
    rng = random.Random(seed)
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        top = conn.execute("SELECT max(rowid) FROM barcodes").fetchone()[0]
        codes: list[str] = []
        while len(codes) < count:
            row = conn.execute("SELECT code FROM barcodes WHERE rowid >= ? LIMIT 1",
                               (rng.randint(1, top),)).fetchone()
            if row and row[0].isdigit():
                codes.append(row[0])
    return codes


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _wait(qt, predicate, timeout_s: float = 30.0) -> None:
    end = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > end:
            raise TimeoutError("the app did not get there in time")
        qt.processEvents()
        time.sleep(0.0005)


def sign_in_through_login(qt, app) -> None:
    """What a cashier does: tap their tile, type the PIN, press Sign in."""
    login = app.window.login
    _wait(qt, lambda: login.tiles.count() > 0)
    login.select_code(CASHIER_CODE)
    login.pin.setText(CASHIER_PIN)
    login.sign_in.click()
    _wait(qt, lambda: app.window.associate is not None and app.window.sell.isVisible())


def launch_probe(db: Path) -> None:
    """Child process of `launch`: prints READY <monotonic ns> once the Sell screen is usable."""
    from PySide6.QtWidgets import QApplication

    from ui.app import build_app
    from ui.theme import LayoutMode

    qt = QApplication([])
    app = build_app(db, layout=LayoutMode.COUNTER, lang="en", demo_store=None, qt=qt)
    app.window.show()
    sign_in_through_login(qt, app)
    print(f"READY {time.monotonic_ns()} RSS {_rss_mb():.1f}", flush=True)
    app.close()


@register("launch", "process start -> Sell screen usable after a PIN sign-in (real app, "
          "offscreen), 1M products + 1M customers", Budget("launch_ms", 1500))
def launch(args: RunArgs) -> dict:
    db = ensure_db(args.products, args.customers, args.store)
    runs = args.iterations_or(7)
    samples, rss = [], []
    for i in range(runs):
        start = time.monotonic_ns()
        out = subprocess.run([sys.executable, "-m", "bench.scenarios.ui_paths", str(db)],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
        ready = [ln for ln in out.stdout.splitlines() if ln.startswith("READY ")]
        if out.returncode != 0 or not ready:
            raise RuntimeError(f"launch probe failed: {out.stderr[-2000:]}")
        parts = ready[0].split()
        samples.append(int(parts[1]) - start)
        rss.append(float(parts[3]))
        log(f"launch {i + 1}/{runs}: {samples[-1] / 1e6:.0f} ms, RSS {rss[-1]:.0f} MB")
    stats = summarize(samples)
    ordered = sorted(s / 1e6 for s in samples)
    return {**stats, "launch_ms": round(percentile(ordered, 50), 1), "runs": runs,
            "first_run_ms": round(samples[0] / 1e6, 1), "rss_mb_at_ready": max(rss),
            "note": "launch_ms is the median of fresh-process runs; the first run may include "
                    "cold OS caches"}


@register("scan_ui", "scan -> line shown through the UI path (wedge key events -> filter -> "
          "DB worker -> basket model -> Qt paints the change), 1M products", Budget("p99_ms", 30))
def scan_ui(args: RunArgs) -> dict:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.app import build_app
    from ui.scanner_filter import simulate_wedge_scan
    from ui.theme import LayoutMode

    db = ensure_db(args.products, args.customers, args.store)
    iterations = args.iterations_or(1000)
    codes = _sample_barcodes(db, iterations + 50, args.seed)
    qt = QApplication.instance() or QApplication([])
    app = build_app(db, layout=LayoutMode.COUNTER, lang="en", demo_store=None, qt=qt)
    app.window.resize(1366, 768)
    app.window.show()
    sign_in_through_login(qt, app)
    sell = app.window.sell
    loop = QEventLoop()  # wait like the app does: blocked in Qt's event loop, not polling
    changed: list[int] = []

    def on_change() -> None:
        changed.append(time.perf_counter_ns())
        loop.quit()

    sell.basket_changed.connect(on_change)
    watchdog = QTimer(singleShot=True, interval=10_000)
    watchdog.timeout.connect(loop.quit)
    samples: list[int] = []
    try:
        for i, code in enumerate(codes):
            if i % 40 == 0:
                sell.clear_basket()  # a till's basket holds tens of lines, not thousands
                qt.processEvents()
            before = len(changed)
            t0 = time.perf_counter_ns()
            simulate_wedge_scan(sell.search, code, interkey_ms=4.0)
            while len(changed) == before:
                watchdog.start()
                loop.exec()
                if not watchdog.isActive():
                    raise TimeoutError(f"no basket line for scan {code}")
            watchdog.stop()
            qt.processEvents()  # Qt's own update: lays out and paints what changed
            t1 = time.perf_counter_ns()
            if i >= 50:  # the first scans warm caches (biip import, page cache)
                samples.append(t1 - t0)
        if sell.banner.property("level") == "error":
            raise RuntimeError(f"scan failed: {sell.banner.text()}")
        rss = _rss_mb()
    finally:
        app.close()
    return {**summarize(samples), "iterations": len(samples), "rss_mb": round(rss, 1)}


if __name__ == "__main__":
    launch_probe(Path(sys.argv[1]))
