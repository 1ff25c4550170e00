"""The benchmark runner works end to end (small sizes): listing, one scenario, the generator.

Not a performance test: the numbers at 1M rows come from `python -m bench NAME` runs.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from stdnum import ean

from bench.generate import generate, is_cached
from pos_app.db.engine import make_engine
from pos_app.db.migrate import upgrade
from pos_app.demo.customers import customer_search_text
from pos_app.textfold import fold

ROOT = Path(__file__).resolve().parents[2]


def _bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bench", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)  # a hang guard


def test_listing_names_every_core_scenario_with_its_budget():
    out = _bench()
    assert out.returncode == 0, out.stderr
    for name, budget in (("search", "p99_ms < 50"), ("barcode", "p99_ms < 30"),
                         ("sale_commit", "p99_ms < 10"), ("customer_search", "p99_ms < 50"),
                         ("rss", "rss_mb < 250")):
        line = next(ln for ln in out.stdout.splitlines() if ln.split()[:1] == [name])
        assert f"[budget: {budget}]" in line


def test_search_scenario_prints_one_json_result_last():
    out = _bench("search", "--products", "2000", "--customers", "2000", "--iterations", "50")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert {"bench", "n", "p50_ms", "p99_ms", "budget", "ok", "iterations", "machine"} <= set(
        result)
    assert result["bench"] == "search" and result["iterations"] == 50
    assert result["n"] >= 2000 and result["budget"] == "p99_ms < 50"
    assert 0 < result["p50_ms"] <= result["p99_ms"] and isinstance(result["ok"], bool)
    assert result["empty_results"] == 0  # every prefix of an existing name finds something


def test_unknown_scenario_is_refused():
    out = _bench("no_such_scenario")
    assert out.returncode != 0 and "unknown scenario" in out.stderr


def test_generator_appends_valid_rows_and_restores_the_schema(tmp_path):
    db = tmp_path / "bench.db"
    generate(db, products=4_000, customers=1_000, store="hcm")
    reference = tmp_path / "reference.db"
    engine = make_engine(reference)
    upgrade(engine)
    engine.dispose()
    with closing(sqlite3.connect(db)) as conn, closing(sqlite3.connect(reference)) as ref:
        schema = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'" \
                 " ORDER BY name"
        assert conn.execute(schema).fetchall() == ref.execute(schema).fetchall()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("variants", "customers", "variant_fts", "customer_fts")}
        assert counts == {"variants": 4_000, "customers": 1_000, "variant_fts": 4_000,
                          "customer_fts": 1_000}
        codes = [r[0] for r in conn.execute("SELECT code FROM barcodes WHERE code GLOB '[0-9]*'")]
        assert len(codes) >= 4_000 and all(ean.is_valid(c) for c in codes)
        # The bulk build used a faster fold: the index must hold exactly what the app's would.
        for rowid, indexed, source in conn.execute(
                "SELECT f.rowid, f.text, p.name || ' ' || p.brand || ' ' || v.colour || ' ' ||"
                " coalesce(v.size, '') || ' ' || v.sku || ' ' || p.style_code FROM variant_fts f"
                " JOIN variants v ON v.pk = f.rowid JOIN products p ON p.pk = v.product_pk"
                " WHERE f.rowid % 97 = 0"):
            assert indexed == fold(source), rowid
        for indexed, name, phone, email in conn.execute(
                "SELECT f.text, c.name, c.phone, c.email FROM customer_fts f"
                " JOIN customers c ON c.pk = f.rowid WHERE f.rowid % 31 = 0"):
            assert indexed == customer_search_text(name, phone, email)
        for table in ("variant_fts", "customer_fts"):
            conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
            config = dict(conn.execute(f"SELECT k, v FROM {table}_config"))
            assert config.get("automerge", 4) == 4 and config.get("crisismerge", 16) == 16
        assert conn.execute("SELECT count(*) FROM sqlite_stat1").fetchone()[0] > 0  # ANALYZE
    assert is_cached(db, 4_000, 1_000, "hcm") and not is_cached(db, 4_001, 1_000, "hcm")
    mtime = db.stat().st_mtime_ns
    generate(db, products=4_000, customers=1_000, store="hcm")  # reused, not rebuilt
    assert db.stat().st_mtime_ns == mtime
