"""Child process of the `rss` scenario: open a device database the way the app does, use it a
little, and print this process's memory as one JSON line.

Why: resident memory must be measured in a fresh process -- the benchmark runner itself has
generated data and imported the whole bench package. This probe imports only what the app's
core needs: two engines (writer for the database worker, reader for look-ups), the schema
upgrade, the store context, then product searches, barcode look-ups and customer searches.
It does not import Qt: the `launch` scenario measures the whole app.

    PYTHONPATH=<repo> python bench/scenarios/_rss_probe.py DB_PATH [SEARCHES]

(run as a script, not with -m, so that importing the bench package does not count.)

Runs in the main thread of its own process.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path


def _status_mb() -> dict:
    """VmRSS (resident now) and VmHWM (peak resident) in MB, from /proc or psutil."""
    try:
        fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text()
                      .splitlines() if ":" in line)
        return {"rss_mb": int(fields["VmRSS"].split()[0]) / 1024,
                "peak_rss_mb": int(fields["VmHWM"].split()[0]) / 1024}
    except (OSError, KeyError):
        import psutil

        rss = psutil.Process().memory_info().rss / 2**20
        return {"rss_mb": rss, "peak_rss_mb": rss}


def main(db: str, searches: int = 20) -> dict:
    before = _status_mb()["rss_mb"]
    from pos_app.scanning.barcodes import gtin_lookup_keys, parse_scan
    from pos_app.db import migrate
    from pos_app.db.catalog_queries import find_by_barcode, search_items
    from pos_app.db.engine import make_engine
    from pos_app.store_context import load_store_context
    from sqlalchemy import text

    from bench.customer_query import search_customers

    imported = _status_mb()["rss_mb"]
    writer = make_engine(db)
    reader = make_engine(db, readonly=True)
    migrate.upgrade(writer)
    with writer.connect() as conn:
        ctx = load_store_context(conn)
    rng = random.Random(7)
    with reader.connect() as conn:
        top = conn.execute(text("SELECT max(rowid) FROM variants")).scalar()
        names = [conn.execute(text("SELECT p.name FROM variants v JOIN products p"
                                   " ON p.pk = v.product_pk WHERE v.pk = :pk"),
                              {"pk": rng.randint(1, top)}).scalar() for _ in range(searches)]
        codes = [conn.execute(text("SELECT code FROM barcodes WHERE variant_pk = :pk"),
                              {"pk": rng.randint(1, top)}).scalar() for _ in range(searches)]
    found = 0
    for name, code in zip(names, codes):
        with reader.connect() as conn:
            for k in range(1, len(name) + 1, 3):
                search_items(conn, ctx.store_id, name[:k])
            scan = parse_scan(code, ctx.barcode_rules)
            keys = gtin_lookup_keys(scan.gtin) if scan.gtin else [code]
            found += find_by_barcode(conn, ctx.store_id, keys) is not None
            search_customers(conn, name.split()[0][:3])
    result = {**_status_mb(), "rss_before_imports_mb": before, "rss_after_imports_mb": imported,
              "probe_searches": searches, "probe_found": found}
    writer.dispose()
    reader.dispose()
    return {k: round(v, 1) if isinstance(v, float) else v for k, v in result.items()}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20)))
