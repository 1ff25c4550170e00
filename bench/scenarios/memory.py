"""Resident memory of a process that opens the 1M database the way the app does.

Why: DESIGN.md §8 — the app with 1M products stays under 250 MB RSS: nothing loads a whole
table, and SQLite's page cache is bounded per connection (pos_app.db.engine). The probe runs
in a fresh Python process (bench/scenarios/_rss_probe.py) so the benchmark runner's own
memory does not count; the figure is the worst of `iterations` probe runs.

Runs in the benchmark's main thread; the measured work runs in a child process.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.scenarios import Budget, RunArgs, ensure_db, log, register

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("_rss_probe.py")


@register("rss", "RSS of a fresh process that opens the DB like the app (engines, migrate, "
          "store context, searches, scans), without Qt", Budget("rss_mb", 250))
def rss(args: RunArgs) -> dict:
    db = ensure_db(args.products, args.customers, args.store)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    runs = []
    for _ in range(args.iterations_or(3)):
        out = subprocess.run([sys.executable, str(PROBE), str(db)], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        log(f"rss probe: {runs[-1]}")
    worst = max(runs, key=lambda r: r["peak_rss_mb"])
    return {**worst, "rss_mb": max(r["rss_mb"] for r in runs),
            "peak_rss_mb": worst["peak_rss_mb"], "iterations": len(runs),
            "note": "core only, no Qt; the launch scenario measures the whole app"}
