"""The HQ sync benchmarks run end to end at tiny sizes: a real `pos-hq serve` on PostgreSQL.

Not a performance test (the numbers come from full-size `python -m bench NAME` runs): this
checks that `catch_up`, `polling` and `bootstrap` start their HQ, measure, verify, clean up,
and print one JSON result with their budget's metric on the last stdout line. Skipped, with
the reason, where no PostgreSQL answers on 127.0.0.1:5432 (bootstrap's HQ is on SQLite, but
it lives with the others).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.scenarios._hq_support import pg_unreachable_reason

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", autouse=True)
def _postgres():
    reason = pg_unreachable_reason()
    if reason:
        print(reason)
        pytest.skip(reason)


def _bench(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench", *args], cwd=ROOT,
                         capture_output=True, text=True,
                         timeout=1800)  # a hang guard, not a budget: polling alone takes ~45 s
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_catch_up_drains_every_sale_exactly_once():
    result = _bench("catch_up", "--iterations", "50")
    assert result["bench"] == "catch_up" and result["budget"] == "seconds < 10"
    assert result["sales"] == 50 and result["hq_received"] == 50 and result["hq_last_seq"] == 50
    assert result["gaps"] == [] and result["chain_breaks"] == []
    assert result["seconds"] > 0 and result["sales_per_s"] > 0
    assert isinstance(result["ok"], bool)


def test_polling_reports_latency_percentiles_and_rates():
    result = _bench("polling", "--iterations", "2")
    assert result["bench"] == "polling" and result["budget"] == "p99_ms < 100"
    assert result["devices"] == 1000 and result["requests"] > 0 and result["errors"] == {}
    assert 0 < result["p50_ms"] <= result["p99_ms"]
    assert result["achieved_rps"] > 0 and result["x10_p99_ms"] > 0
    assert isinstance(result["ok"], bool)


def test_bootstrap_loads_a_small_catalog_from_the_snapshot():
    result = _bench("bootstrap", "--iterations", "3000")
    assert result["bench"] == "bootstrap" and result["budget"] == "seconds < 60"
    counts = result["device_counts"]
    assert counts["variants"] == counts["variant_fts"] == counts["prices"] == 3000
    assert result["snapshot_rows"] == result["snapshot_applied"] == result["feed_state_rows"]
    assert result["rows"] >= result["snapshot_rows"] and result["rows_per_s"] > 0
    assert 0 < result["index_seconds"] < result["snapshot_seconds"] <= result["seconds"]
    assert result["peak_rss_mb"] > 0 and result["device_db_mb"] > 0
    assert isinstance(result["ok"], bool)
