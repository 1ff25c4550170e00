"""Support for the HQ sync benchmarks: PostgreSQL databases, a `pos-hq serve` process,
enrolled benchmark tills and their offline sales.

Why a module of its own: the scenarios in hq_sync.py read as measurements; the plumbing they
share lives here. Runs in the benchmark's main thread.
"""
from __future__ import annotations

import os
import random
import secrets
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bench.generate import DATA_DIR
from bench.scenarios import log
from hq.child_process import HQChild


PG_ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
STORE_CODE = "HCM1"
PUSH_BATCH = 500  # sync.protocol.MAX_PUSH_BATCH


# --- PostgreSQL and the HQ process -------------------------------------------------------------
def pg_unreachable_reason() -> str | None:
    """None when PostgreSQL answers on 127.0.0.1:5432, else why not."""
    import psycopg

    try:
        psycopg.connect(PG_ADMIN_DSN, autocommit=True).close()
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        return f"no PostgreSQL on 127.0.0.1:5432 ({exc.__class__.__name__}: {exc})"[:300]
    return None


@contextmanager
def pg_database(tag: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this run; its SQLAlchemy URL. Dropped after."""
    import psycopg

    reason = pg_unreachable_reason()
    if reason:
        raise RuntimeError(reason)
    name = f"storeline_bench_{os.getpid()}_{tag}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    log(f"created PostgreSQL database {name}")
    try:
        yield PG_URL.format(name=name)
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        log(f"dropped PostgreSQL database {name}")


class HQServer(HQChild):
    """`pos-hq serve` for one benchmark, with a fresh admin token; `with HQServer(url) as s`."""

    def __init__(self, database: str, workers: int = 1) -> None:
        super().__init__(database, "bench-" + secrets.token_urlsafe(16), workers=workers)

    def start(self) -> "HQServer":
        super().start()
        log(f"pos-hq serve up on {self.url} (pid {self.proc.pid})")
        return self


def seeded_hq_engine(url: str):
    """HQ's engine on `url`, schema upgraded and the demo company loaded."""
    from hq.db.engine import make_engine
    from hq.db.migrate import upgrade
    from hq.demo.seed import seed_demo

    engine = make_engine(url)
    upgrade(engine)
    seed_demo(engine)
    return engine


def new_code(hq_engine, store_code: str = STORE_CODE) -> str:
    from hq.services.enrolment import create_enrolment_code

    with hq_engine.begin() as conn:
        return create_enrolment_code(conn, store_code, 60)[0]


def enrol_many(hq_engine, count: int, store_code: str = STORE_CODE) -> list:
    """`count` devices enrolled through HQ's service layer (no HTTP, no rate limit)."""
    from hq.services.enrolment import create_enrolment_code, enrol

    answers = []
    for first in range(0, count, 250):
        with hq_engine.begin() as conn:
            for i in range(first, min(count, first + 250)):
                code = create_enrolment_code(conn, store_code, 60)[0]
                answers.append(enrol(conn, code, f"Bench device {i + 1}"))
    return answers


def _work_dir() -> Path:
    """Device databases live on the real disk (bench/_data), never tmpfs."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return DATA_DIR


# --- the device --------------------------------------------------------------------------------
def enrolled_device(path: Path, server: HQServer, hq_engine, name: str = "Bench till"):
    """(engine, client, ctx): a fresh device database enrolled at `server` (bootstrapped)."""
    from pos_app.db.engine import make_engine
    from sync.enrolment import enrol_device
    from sync.hq_client import HQClient

    engine = make_engine(path)
    client = HQClient(server.url, timeout=(3.05, 120.0))
    t0 = time.perf_counter()
    ctx = enrol_device(engine, client, new_code(hq_engine), name)
    log(f"enrolled {ctx.device_code} of {ctx.store_code} and bootstrapped in "
        f"{time.perf_counter() - t0:.1f} s")
    return engine, client, ctx


def sell_offline(path: Path, ctx, count: int, seed: int) -> None:
    """`count` cash sales of 1-3 line baskets of the store's items, with the real checkout.

    Setup, not measured: a second engine on the same file with synchronous=OFF, so making the
    sales does not wait for count fsyncs (the rows and the journal are the real ones).
    """
    from sqlalchemy import event, text

    from pos_app.basket import Basket
    from pos_app.db.catalog_queries import find_by_sku
    from pos_app.db.engine import make_engine
    from pos_app.ports import SystemClock
    from pos_app.services.checkout import complete_sale
    from pos_app.tenders import cash_payment

    engine = make_engine(path)
    event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA synchronous=OFF"))
    rng = random.Random(seed)
    try:
        with engine.connect() as conn:
            cashier = conn.execute(text(
                "SELECT id FROM associates WHERE store_id = :s AND role = 'cashier'"
                " ORDER BY code LIMIT 1"), {"s": ctx.store_id}).scalar_one()
            skus = [r[0] for r in conn.execute(text(
                "SELECT sku FROM variants WHERE active = 1 ORDER BY sku LIMIT 400"))]
            items = [i for i in (find_by_sku(conn, ctx.store_id, s) for s in skus)
                     if i is not None and i.price_minor]
            conn.rollback()
        if not items:
            raise RuntimeError("the bootstrapped device has no priced items to sell")
        clock = SystemClock()
        t0 = time.perf_counter()
        for i in range(count):
            basket = Basket(ctx.currency, ctx.tax_mode)
            for item in rng.sample(items, rng.randint(1, 3)):
                basket.add(item, rng.choice((1, 1, 2)))
            snap = basket.snapshot()
            total = snap.priced.total
            complete_sale(engine, ctx, snap, (cash_payment(total, total),), cashier, clock)
            if (i + 1) % 2000 == 0:
                log(f"sold {i + 1:,} of {count:,} offline ({time.perf_counter() - t0:.0f} s)")
    finally:
        engine.dispose()


def _pending(engine) -> int:
    from sqlalchemy import text

    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM outbox WHERE status = 'pending'")
                            ).scalar_one()


def _journal_of(server: HQServer, device_id: str) -> dict:
    devices = server.admin("/v1/admin/journal")["devices"]
    return next(d for d in devices if d["device_id"] == device_id)


# --- catch_up ----------------------------------------------------------------------------------
