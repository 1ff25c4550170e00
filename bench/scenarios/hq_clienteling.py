"""HQ clienteling at a million customers on PostgreSQL: customer search and the live profile,
each over HTTP on loopback against a real `pos-hq serve`.

Why: issue 5 budgets — an associate finds a shopper among 1,000,000 at HQ in p99 < 100 ms
(typed like on the floor: a name without accents letter by letter, phone digit fragments,
an e-mail), and opens her 360 profile live in p99 < 300 ms. The database is
bench/hq_customers.py's (demo company + `--customers` synthetic shoppers with profiles, orders
and loyalty), restored from its cached pg_dump. Requests go one at a time (latency,
not throughput: the server's concurrency is measured by hq_ingest/polling), in turn from
DEVICES enrolled tills, since HQ rate-limits each device.

Runs in the benchmark's main thread; prints progress to stderr.
"""
from __future__ import annotations

import random
import time
from contextlib import contextmanager

from bench.scenarios import Budget, RunArgs, log, register, summarize
from bench.scenarios._hq_support import HQServer, enrol_many, pg_database

WARMUP = 50
DEVICES = 40


@contextmanager
def _hq_with_customers(tag: str, count: int):
    """(server, session with the device's bearer, engine) on a restored 1M-customer HQ."""
    import requests

    from bench.hq_customers import ensure_customers
    from hq.db.engine import make_engine

    with pg_database(tag) as url:
        ensure_customers(url, count)
        engine = make_engine(url)
        try:
            bearers = [f"Bearer {d.device_id}.{d.device_secret}"
                       for d in enrol_many(engine, DEVICES)]
            with HQServer(url) as server, requests.Session() as session:
                yield server, _Asker(session, bearers), engine
        finally:
            engine.dispose()


def _sample_customers(engine, n: int, seed: int, where: str = "") -> list:
    from sqlalchemy import text

    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM customers")).scalar_one()
        pct = min(100.0, max(0.01, 100.0 * n * 10 / max(1, total)))
        rows = conn.execute(text(
            f"SELECT c.id, c.name, c.phone, c.email FROM customers c TABLESAMPLE BERNOULLI"
            f" ({pct}) REPEATABLE ({seed}) {where} LIMIT :n"), {"n": n}).all()
    return rows


class _Asker:
    """Requests in turn from DEVICES tills of the store (HQ limits each device to 20
    requests/s; a store's associates ask from many tills)."""

    def __init__(self, session, bearers: list[str]) -> None:
        self.session, self.bearers, self.n = session, bearers, 0

    def get(self, url: str, body: dict | None = None):
        """GET `url`, or POST `body` to it (searches carry their terms in the body)."""
        self.n += 1
        headers = {"Authorization": self.bearers[self.n % len(self.bearers)]}
        if body is not None:
            return self.session.post(url, json=body, timeout=30, headers=headers)
        return self.session.get(url, timeout=30, headers=headers)


def _timed(asker: _Asker, url: str, samples: list[int], warm: bool,
           body: dict | None = None) -> None:
    t = time.perf_counter_ns()
    r = asker.get(url, body)
    elapsed = time.perf_counter_ns() - t
    if r.status_code != 200:
        raise RuntimeError(f"{url} -> {r.status_code}: {r.text[:200]}")
    if not warm:
        samples.append(elapsed)


def search_queries(people: list, rng: random.Random) -> list[str]:
    """What associates type: a folded name letter by letter (from 2 letters), the national
    phone number digit by digit (from 3), or an e-mail's first characters."""
    from sync.protocol import fold, phone_search_forms

    out: list[str] = []
    for i, p in enumerate(people):
        kind = i % 3
        if kind == 0:
            typed = fold(p.name)
            out += [typed[:k] for k in range(2, len(typed) + 1)]
        elif kind == 1:
            forms = phone_search_forms(p.phone)
            typed = forms[1] if len(forms) > 1 else forms[0]
            out += [typed[:k] for k in range(3, len(typed) + 1)]
        else:
            local = p.email.split("@")[0]
            out += [p.email[:k] for k in range(3, len(local) + 2, 3)] + [p.email]
    rng.shuffle(out)
    return out


@register("hq_customer_search", "HQ customer search over 1M customers on PostgreSQL over HTTP "
          "(loopback): name prefixes without accents, phone fragments, e-mails",
          Budget("p99_ms", 100))
def hq_customer_search(args: RunArgs) -> dict:
    iterations = args.iterations_or(3000)
    rng = random.Random(args.seed)
    with _hq_with_customers("csearch", args.customers) as (server, session, engine):
        people = _sample_customers(engine, max(30, iterations // 8), args.seed)
        queries = search_queries(people, rng)
        while len(queries) < iterations + WARMUP:
            queries += queries
        samples: list[int] = []
        log(f"{iterations:,} searches of {len(people)} customers")
        for i, q in enumerate(queries[:iterations + WARMUP]):
            _timed(session, f"{server.url}/v1/customers/search", samples, i < WARMUP,
                   {"q": q})
    return {**summarize(samples), "iterations": len(samples), "customers": args.customers}


@register("profile_open", "live 360 profile GET /v1/customers/{id}/profile over loopback at 1M "
          "customers on PostgreSQL (orders, loyalty, suggestions; audited)",
          Budget("p99_ms", 300))
def profile_open(args: RunArgs) -> dict:
    iterations = args.iterations_or(1000)
    with _hq_with_customers("profile", args.customers) as (server, session, engine):
        # half with order history (the heavy ones), half without
        people = _sample_customers(engine, iterations // 2 + WARMUP, args.seed,
                                   "WHERE EXISTS (SELECT 1 FROM web_orders o"
                                   " WHERE o.customer_id = c.id)")
        people += _sample_customers(engine, iterations // 2, args.seed + 1)
        random.Random(args.seed).shuffle(people)
        samples: list[int] = []
        log(f"{len(people):,} profile opens")
        for i, p in enumerate(people[:iterations + WARMUP]):
            _timed(session, f"{server.url}/v1/customers/{p.id}/profile", samples, i < WARMUP)
    return {**summarize(samples), "iterations": len(samples), "customers": args.customers}
