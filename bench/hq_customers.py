"""Build (or restore from cache) an HQ PostgreSQL database with a million customers.

Why: the clienteling budgets (issue 5: HQ customer search p99 < 100 ms, live profile p99 <
300 ms) hold "among 1,000,000 customers on PostgreSQL". This is that database: the demo company
(hq.demo.seed, so stores, catalog and prices are real) plus `count` synthetic customers made by
the devices' own demo generator (pos_app.demo.customers.vn_customer: Vietnamese names, mobile
numbers, e-mails), each with her search keys from hq.services.lookups.customer_terms (the
function every HQ writer uses), a profile row (sizes, preferences, consents), and for every
ORDER_EVERY-th customer 1-4 completed web orders of demo items with their loyalty earn entries
and a welcome bonus: so profiles are realistic and the indexes hold real fan-out.

Bulk load with COPY; the finished database is cached as a pg_dump (custom format) under
bench/_data keyed by size, generator version and HQ schema revision, and restored with
pg_restore (much faster than generating again).

Runs in the benchmark's main thread (a command-line tool, not part of the app).

    python -m bench.hq_customers --customers 1000000
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import time
import uuid
from pathlib import Path

from bench.generate import DATA_DIR, log

GENERATOR_VERSION = 1  # bump when the generated content changes: the cached dump is rebuilt
ORDER_EVERY = 5  # every 5th customer has web orders
BATCH = 50_000
_NS = uuid.UUID("6b1f0c3e-3f7a-4c55-9d55-2f1b8c7a0001")
_SIZES = ("XS", "S", "M", "L", "XL")
_SHOES = ("36", "37", "38", "39", "40", "41", "42")


def dump_path(count: int) -> Path:
    return DATA_DIR / f"hq-customers-{count}.pgdump"


def _params(count: int) -> dict:
    from hq.db.migrate import head_revision

    return {"customers": count, "generator_version": GENERATOR_VERSION,
            "hq_schema": head_revision()}


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _is_cached(path: Path, count: int) -> bool:
    try:
        return path.exists() and json.loads(_marker(path).read_text()) == _params(count)
    except (OSError, ValueError):
        return False


def _libpq(url: str) -> str:
    """postgresql+psycopg://user@host:port/name -> postgresql://user@host:port/name"""
    return "postgresql://" + url.split("://", 1)[1]


def ensure_customers(url: str, count: int = 1_000_000) -> None:
    """Fill the EMPTY database at `url` with the demo company and `count` customers, from the
    cached dump when there is one (else generate, then dump for next time)."""
    path = dump_path(count)
    if _is_cached(path, count):
        t0 = time.perf_counter()
        subprocess.run(["pg_restore", "--no-owner", "-j", "2", "-d", _libpq(url), str(path)],
                       check=True)
        log(f"restored {count:,} HQ customers from {path.name}", t0)
        return
    generate(url, count)
    t0 = time.perf_counter()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    subprocess.run(["pg_dump", "-Fc", "-Z", "1", "-f", str(tmp), _libpq(url)], check=True)
    tmp.replace(path)
    _marker(path).write_text(json.dumps(_params(count)))
    log(f"cached as {path.name} ({path.stat().st_size / 1e6:.0f} MB)", t0)


def generate(url: str, count: int) -> None:
    """Demo company + `count` customers into the empty database at `url` (COPY)."""
    import psycopg

    from bench.scenarios._hq_support import seeded_hq_engine

    t0 = time.perf_counter()
    engine = seeded_hq_engine(url)
    with engine.connect() as conn:
        from sqlalchemy import text

        store = conn.execute(text("SELECT id, currency FROM stores WHERE code = 'HCM1'")).one()
        items = conn.execute(text(
            "SELECT v.id, v.sku, p.name, v.colour, v.size, p.tax_code, pr.amount_minor"
            " FROM variants v JOIN products p ON p.id = v.product_id"
            " JOIN prices pr ON pr.variant_id = v.id AND pr.store_id = :s"
            " WHERE v.active = 1 ORDER BY v.sku"), {"s": store.id}).all()
    engine.dispose()
    log(f"demo company seeded; {len(items)} priced items", t0)
    rng = random.Random(20251)
    with psycopg.connect(_libpq(url)) as pg:
        for first in range(1, count + 1, BATCH):
            _write_batch(pg, rng, store, items, first, min(count, first + BATCH - 1))
            pg.commit()
            log(f"{min(count, first + BATCH - 1):,} of {count:,} customers", t0)
        pg.execute("ANALYZE")
    from hq.db.engine import make_engine
    from hq.services import recommendations

    engine = make_engine(url)
    with engine.begin() as conn:  # what the book publisher does every 6 h
        pairs, variants = recommendations.refresh(conn)
    engine.dispose()
    log(f"generated {count:,} HQ customers; {pairs:,} co-purchase pairs, {variants:,} "
        "variants sold", t0)


def _write_batch(pg, rng: random.Random, store, items, first: int, last: int) -> None:
    from hq.services.lookups import customer_terms
    from hq.services.loyalty import EARN, WELCOME, points_for
    from pos_app.demo.customers import vn_customer

    customers, terms, profiles, orders, lines, ledger = [], [], [], [], [], []
    for n in range(first, last + 1):
        c = vn_customer(rng, "bench-hq", 10_000_000 + n)
        since = f"20{rng.randint(18, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" \
                "T10:00:00.000000Z"
        customers.append((c.id, store.id, c.name, c.phone, c.email, c.loyalty_card, c.tier))
        terms += [(t, c.id) for t in customer_terms(c.name, c.phone, c.email, c.loyalty_card)]
        consent = rng.random() < 0.7
        profiles.append((c.id, json.dumps({"apparel": rng.choice(_SIZES),
                                           "shoes": rng.choice(_SHOES)}),
                         json.dumps({"colours": ["Đen", "Be"]}, ensure_ascii=False), since,
                         int(rng.random() < 0.4), int(consent),
                         since if consent else None, "store" if consent else None,
                         "2000-01-01T00:00:00.000000Z"))
        ledger.append((str(uuid.uuid5(_NS, f"welcome:{c.id}")), c.id, 50, WELCOME, None, since))
        if n % ORDER_EVERY:
            continue
        for k in range(rng.randint(1, 4)):
            oid = str(uuid.uuid5(_NS, f"order:{c.id}:{k}"))
            at = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" \
                 f"T{rng.randint(8, 20):02d}:00:00.000000Z"
            subtotal = 0
            for line_no, it in enumerate(rng.sample(items, rng.randint(1, 3)), start=1):
                q = rng.choice((1, 1, 2))
                subtotal += q * it.amount_minor
                label = " / ".join(x for x in (it.colour, it.size) if x)
                lines.append((str(uuid.uuid5(_NS, f"line:{oid}:{line_no}")), oid, line_no,
                              it.id, it.sku, it.name, label, q, it.amount_minor, 0,
                              q * it.amount_minor, it.tax_code, 0, 0))
            orders.append((oid, f"BW{n:08d}{k}", "web", "delivery", None, c.id, "delivered",
                           "paid", c.name, c.phone, store.currency, "inclusive", subtotal, 0,
                           0, subtotal, at, at, at))
            pts = points_for(subtotal, store.currency)
            if pts:
                ledger.append((str(uuid.uuid5(_NS, f"earn:{oid}")), c.id, pts, EARN, oid, at))
    _copy(pg, "customers", "id, home_store_id, name, phone, email, loyalty_card, tier",
          customers)
    _copy(pg, "customer_search_terms", "term, customer_id", terms)
    _copy(pg, "customer_profiles", "customer_id, sizes, preferences, customer_since,"
          " marketing_opt_in, data_use_consent, data_use_consent_at,"
          " data_use_consent_channel, updated_at", profiles)
    _copy(pg, "web_orders", "id, number, channel, fulfilment, fulfilment_store_id, customer_id,"
          " status, payment_status, contact_name, contact_phone, currency, tax_mode, subtotal,"
          " shipping_fee, tax_total, total, created_at, updated_at, completed_at", orders)
    _copy(pg, "web_order_lines", "id, order_id, line_no, variant_id, sku, name, variant_label,"
          " quantity, unit_price, discount, amount, tax_code, tax, returned_quantity", lines)
    _copy(pg, "loyalty_ledger", "id, customer_id, delta, reason, ref, at", ledger)


def _copy(pg, table: str, columns: str, rows: list[tuple]) -> None:
    with pg.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as cp:
        for r in rows:
            cp.write_row(r)


def main(argv: list[str] | None = None) -> None:
    from bench.scenarios._hq_support import pg_database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    with pg_database("hqcustomers") as url:
        ensure_customers(url, args.customers)


if __name__ == "__main__":
    main()
