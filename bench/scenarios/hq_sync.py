"""HQ sync benchmarks: catch-up, HQ ingest rate, bootstrap of 1M products, 1,000 polling devices.

Why: DESIGN.md §8 and issue 3 ("Tests and benchmarks") set budgets for the sync path measured
end to end against a real `pos-hq serve` subprocess on a loopback port:

    catch_up    10,000 offline sales drained to HQ on PostgreSQL          seconds < 10
    hq_ingest   HQ ingest rate on PostgreSQL (budget >= 5,000 sales/s)    ms_per_1000_sales < 200
    bootstrap   a new device pulls 1,000,000 products (HQ on SQLite)      seconds < 60
                (in bench/scenarios/hq_bootstrap.py)
    polling     1,000 devices polling /v1/changes every 30 s, on PostgreSQL   p99_ms < 100

The registry checks `metric < limit`, so the ingest budget (a rate, higher is better) is
checked as its inverse, milliseconds per 1,000 sales (200 ms = 5,000 sales/s); "sales_per_s"
is reported alongside. PostgreSQL runs are on 127.0.0.1:5432 (user postgres, trust auth), each
in a fresh database `storeline_bench_<pid>_<tag>` dropped at the end; a scenario needing it
raises when no server answers. `--iterations` shrinks a scenario for smoke tests: sales for
catch_up and hq_ingest, products for bootstrap, seconds of load for polling.

Every scenario starts and stops its own HQ process (killed by its pid in a `finally`), makes
only loopback requests, and prints progress to stderr.

Runs in the benchmark's main thread; hq_ingest and polling start client threads of their own.
"""
from __future__ import annotations

import json
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench.scenarios import Budget, RunArgs, log, percentile, register, summarize

from bench.scenarios._hq_support import (
    HQServer, PUSH_BATCH, _journal_of, _pending, _work_dir, enrol_many, enrolled_device,
    pg_database, seeded_hq_engine, sell_offline,
)

# `pos-hq serve --workers`: one uvicorn process per core, as HQ is deployed (ingest is CPU-bound
# in Python: JSON, validation, hashing; PostgreSQL works in parallel).
HQ_WORKERS = 2


@register("catch_up", "drain 10,000 offline sales to a real pos-hq on PostgreSQL "
          "(sync.outbox_pusher.drain)", Budget("seconds", 10))
def catch_up(args: RunArgs) -> dict:
    from sqlalchemy import text

    from sync.hq_client import HQBusy
    from sync.outbox_pusher import drain
    from sync.worker import SyncWorker

    count = args.iterations_or(10_000)
    batch = SyncWorker.__init__.__kwdefaults__["batch_size"]  # what the worker sends
    with tempfile.TemporaryDirectory(prefix="bench-catchup-", dir=_work_dir()) as tmp, \
            pg_database("catchup") as url:
        hq_engine = seeded_hq_engine(url)
        try:
            with HQServer(url) as server:
                path = Path(tmp) / "device.sqlite3"
                engine, client, ctx = enrolled_device(path, server, hq_engine)
                try:
                    t0 = time.perf_counter()
                    sell_offline(path, ctx, count, args.seed)
                    log(f"made {count:,} offline sales in {time.perf_counter() - t0:.1f} s;"
                        f" draining in batches of {batch}")
                    requests_made = errors = 0
                    started = time.perf_counter()
                    while time.perf_counter() - started < 600:
                        outcome = drain(engine, client, batch)
                        requests_made += 1
                        if outcome.error is not None:
                            errors += 1
                            wait = outcome.error.retry_after if isinstance(
                                outcome.error, HQBusy) else 0.2
                            time.sleep(wait or 0.2)
                        elif _pending(engine) == 0:
                            break
                    seconds = time.perf_counter() - started
                    pending = _pending(engine)
                finally:
                    client.close()
                    engine.dispose()
                status = _journal_of(server, ctx.device_id)
            with hq_engine.connect() as conn:
                sales_at_hq = conn.execute(text(
                    "SELECT count(*), count(DISTINCT id) FROM sales WHERE device_id = :d"),
                    {"d": ctx.device_id}).one()
        finally:
            hq_engine.dispose()
    ok = (pending == 0 and status["received"] == count and status["last_seq"] == count
          and not status["gaps"] and not status["chain_breaks"]
          and tuple(sales_at_hq) == (count, count))
    if not ok:
        raise AssertionError(f"catch-up incomplete: pending={pending}, HQ journal {status}, "
                             f"sales at HQ (rows, distinct) {tuple(sales_at_hq)}")
    return {"seconds": round(seconds, 3), "sales": count,
            "sales_per_s": round(count / seconds, 1), "batch_size": batch,
            "drain_errors": errors, "hq_received": status["received"],
            "hq_last_seq": status["last_seq"], "gaps": status["gaps"],
            "chain_breaks": status["chain_breaks"], "hq_database": "postgresql"}


# --- hq_ingest ---------------------------------------------------------------------------------
def template_sales(server: HQServer, hq_engine, count: int, seed: int) -> list[dict]:
    """Sale documents made by the real checkout on an enrolled device (outbox payloads)."""
    from sqlalchemy import text

    with tempfile.TemporaryDirectory(prefix="bench-ingest-", dir=_work_dir()) as tmp:
        path = Path(tmp) / "template.sqlite3"
        engine, client, ctx = enrolled_device(path, server, hq_engine, "Template till")
        client.close()
        try:
            sell_offline(path, ctx, count, seed)
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT payload FROM outbox ORDER BY position")).all()
        finally:
            engine.dispose()
    return [json.loads(r[0])["sale"] for r in rows]


def chained_events(templates: list[dict], device, count: int) -> list[dict]:
    """`count` valid, hash-chained sale.completed events of `device` (an EnrolResponse),
    cloned from the templates with fresh ids."""
    from sync.protocol import GENESIS, canonical_json, chain_hash

    events, prev = [], GENESIS
    for seq in range(1, count + 1):
        sale = dict(templates[seq % len(templates)])
        sale.update(id=str(uuid.uuid4()), device_id=device.device_id, store_id=device.store_id,
                    seq=seq, receipt_no=f"{device.store_code}-{device.device_code}-{seq:06d}")
        sale["lines"] = [{**ln, "id": str(uuid.uuid4())} for ln in sale["lines"]]
        sale["payments"] = [{**p, "id": str(uuid.uuid4())} for p in sale["payments"]]
        digest = chain_hash(prev, canonical_json(sale))
        events.append({"id": str(uuid.uuid4()), "position": seq, "topic": "sale.completed",
                       "payload": {"journal": {"seq": seq, "prev_hash": prev, "hash": digest},
                                   "sale": sale}, "created_at": sale["created_at"]})
        prev = digest
    return events


@register("hq_ingest", "HQ ingest rate on PostgreSQL: pre-built chained sales pushed over HTTP "
          "in batches of 500 by 4 devices (budget >= 5,000 sales/s)",
          Budget("ms_per_1000_sales", 200))
def hq_ingest(args: RunArgs) -> dict:
    import requests
    from sqlalchemy import bindparam, text

    total = args.iterations_or(20_000)
    devices_n = 4  # tills pushing at once: their connections spread over the HQ workers
    per_device = max(1, total // devices_n)
    with pg_database("ingest") as url:
        hq_engine = seeded_hq_engine(url)
        try:
            with HQServer(url, workers=HQ_WORKERS) as server:
                templates = template_sales(server, hq_engine, 40, args.seed)
                devices = enrol_many(hq_engine, devices_n)
                t0 = time.perf_counter()
                bodies = []
                for dev in devices:
                    evs = chained_events(templates, dev, per_device)
                    bodies.append([json.dumps({"events": evs[i:i + PUSH_BATCH]}).encode()
                                   for i in range(0, len(evs), PUSH_BATCH)])
                log(f"built {per_device * devices_n:,} events for {devices_n} devices in "
                    f"{time.perf_counter() - t0:.1f} s; pushing")
                results: list[dict] = [{} for _ in devices]
                batch_ms: list[list[int]] = [[] for _ in devices]
                failures: list[str] = []
                start_gate = threading.Barrier(devices_n + 1)

                def push_all(i: int) -> None:
                    dev = devices[i]
                    headers = {"Content-Type": "application/json",
                               "Authorization": f"Bearer {dev.device_id}.{dev.device_secret}"}
                    with requests.Session() as session:
                        start_gate.wait()
                        for body in bodies[i]:
                            for _attempt in range(20):
                                t = time.perf_counter_ns()
                                resp = session.post(f"{server.url}/v1/push", data=body,
                                                    headers=headers, timeout=120)
                                if resp.status_code in (429, 503):
                                    time.sleep(float(resp.headers.get("Retry-After", "1")))
                                    continue
                                break
                            batch_ms[i].append(time.perf_counter_ns() - t)
                            if resp.status_code != 200:
                                failures.append(f"{resp.status_code} {resp.text[:200]}")
                                return
                            for r in resp.json()["results"]:
                                results[i][r["status"]] = results[i].get(r["status"], 0) + 1

                threads = [threading.Thread(target=push_all, args=(i,), daemon=True)
                           for i in range(devices_n)]
                for th in threads:
                    th.start()
                start_gate.wait()
                started = time.perf_counter()
                for th in threads:
                    th.join(timeout=900)
                seconds = time.perf_counter() - started
                if failures or any(th.is_alive() for th in threads):
                    raise AssertionError(f"push failed: {failures[:3]}")
            with hq_engine.connect() as conn:
                stored = conn.execute(text(
                    "SELECT count(*) FROM sales WHERE device_id IN :ids").bindparams(
                    bindparam("ids", expanding=True)),
                    {"ids": [d.device_id for d in devices]}).scalar_one()
        finally:
            hq_engine.dispose()
    sent = per_device * devices_n
    accepted = sum(r.get("accepted", 0) for r in results)
    if accepted != sent or stored != sent:
        raise AssertionError(f"{sent} sent, {accepted} accepted, {stored} stored at HQ: "
                             f"{results}")
    rate = sent / seconds
    return {"ms_per_1000_sales": round(1000 * seconds * 1000 / sent, 1),
            "sales_per_s": round(rate, 1), "seconds": round(seconds, 3), "sales": sent,
            "devices": devices_n, "batch_size": PUSH_BATCH,
            **summarize([n for b in batch_ms for n in b], "batch_"),
            "hq_database": "postgresql"}


# --- polling -----------------------------------------------------------------------------------
def _load(server: HQServer, devices: list, cursor: int, rate: float, seconds: float,
          threads_n: int) -> dict:
    """Open-loop GET /v1/changes at `rate` req/s for `seconds`, device after device in turn,
    from `threads_n` keep-alive sessions. Latency is measured from the send."""
    import requests

    total = max(1, int(rate * seconds))
    lock = threading.Lock()
    state = {"next": 0}
    samples: list[int] = []
    late: list[int] = []
    errors: dict[str, int] = {}
    t0 = time.perf_counter() + 0.2

    def worker() -> None:
        with requests.Session() as session:
            while True:
                with lock:
                    i = state["next"]
                    if i >= total:
                        return
                    state["next"] = i + 1
                due = t0 + i / rate
                now = time.perf_counter()
                if due > now:
                    time.sleep(due - now)
                dev = devices[i % len(devices)]
                start = time.perf_counter_ns()
                try:
                    resp = session.get(f"{server.url}/v1/changes",
                                       params={"cursor": cursor, "limit": 500}, timeout=30,
                                       headers={"Authorization":
                                                f"Bearer {dev.device_id}.{dev.device_secret}"})
                    status = str(resp.status_code)
                    ok = resp.status_code == 200 and not resp.json()["changes"]
                except requests.RequestException as exc:
                    status, ok = type(exc).__name__, False
                end = time.perf_counter_ns()
                with lock:
                    samples.append(end - start)
                    late.append(max(0, start - int(due * 1e9)))
                    if not ok:
                        errors[status] = errors.get(status, 0) + 1

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads_n)]
    for th in pool:
        th.start()
    for th in pool:
        th.join(timeout=seconds + 120)
    elapsed = time.perf_counter() - t0
    late_ms = sorted(x / 1e6 for x in late)
    return {**summarize(samples), "requests": len(samples),
            "achieved_rps": round(len(samples) / elapsed, 1), "target_rps": round(rate, 1),
            "start_lag_p99_ms": round(percentile(late_ms, 99), 3), "errors": errors}


@register("polling", "1,000 enrolled devices polling GET /v1/changes every 30 s (as ~33 req/s)"
          " against pos-hq on PostgreSQL; also 10x that rate", Budget("p99_ms", 100))
def polling(args: RunArgs) -> dict:
    from sqlalchemy import text

    seconds = float(args.iterations_or(60))
    devices_n, interval = 1000, 30.0
    rate = devices_n / interval
    with pg_database("polling") as url:
        hq_engine = seeded_hq_engine(url)
        try:
            t0 = time.perf_counter()
            devices = enrol_many(hq_engine, devices_n)
            log(f"enrolled {devices_n} devices in {time.perf_counter() - t0:.1f} s")
            with hq_engine.connect() as conn:
                cursor = conn.execute(text("SELECT max(seq) FROM change_log")).scalar_one()
            with HQServer(url) as server:
                _load(server, devices, cursor, rate, min(2.0, seconds), 4)  # warm-up
                log(f"polling at {rate:.1f} req/s for {seconds:g} s")
                base = _load(server, devices, cursor, rate, seconds, 16)
                log(f"base: p50 {base['p50_ms']} ms, p99 {base['p99_ms']} ms; "
                    f"now 10x for {max(2.0, seconds / 3):g} s")
                tenfold = _load(server, devices, cursor, rate * 10, max(2.0, seconds / 3), 48)
        finally:
            hq_engine.dispose()
    if base["errors"]:
        raise AssertionError(f"polling errors at the base rate: {base['errors']}")
    return {**base, "devices": devices_n, "poll_interval_s": interval, "duration_s": seconds,
            "x10_p50_ms": tenfold["p50_ms"], "x10_p99_ms": tenfold["p99_ms"],
            "x10_target_rps": tenfold["target_rps"], "x10_achieved_rps": tenfold["achieved_rps"],
            "x10_start_lag_p99_ms": tenfold["start_lag_p99_ms"], "x10_errors": tenfold["errors"],
            "hq_database": "postgresql"}
