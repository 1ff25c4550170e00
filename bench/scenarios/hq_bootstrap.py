"""The bootstrap benchmark: a new device enrols and loads 1,000,000 products from a real HQ.

Why: DESIGN.md §8 gives a new device 60 s to bootstrap a million products. Measured end to end
against a real `pos-hq serve` subprocess on a loopback port, on SQLite, with the cached HQ
database of bench/hq_generate.py (the demo company plus synthetic products; its feed_state is
what GET /v1/snapshot serves). The device enrols with sync.enrolment.enrol_device, exactly as
the first-run wizard does: bulk snapshot, search indexes built once, then the feed's deltas.
The device side runs in a process of its own (spawned), so that its peak RSS is measured
alone; HQ's CPU time is read from /proc where there is one. `--iterations N` shrinks the
catalog to N products (smoke tests).

Reports seconds (the budget), rows and rows/s, the snapshot's own time and how much of it went
to the search indexes, the device database's size, the device's peak RSS and CPU seconds, and
HQ's CPU seconds (CPU seconds say where the work is when the machine is busy with others).

Runs in the benchmark's main thread (the device in a child process). Progress on stderr.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.scenarios import Budget, RunArgs, log, register
from bench.scenarios._hq_support import HQServer, STORE_CODE, _work_dir, new_code


def _forget_device(hq_path: Path, device_id: str) -> None:
    """Take the bench device out of the cached HQ database again (the feed is untouched)."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(hq_path, timeout=30)) as conn, conn:
        conn.execute("DELETE FROM enrolment_codes WHERE device_id = ? OR used_at IS NULL",
                     (device_id,))
        conn.execute("DELETE FROM devices WHERE id = ?", (device_id,))


def _device_bootstrap(url: str, code: str, path: str) -> dict:
    """The device's side: enrol and bootstrap exactly as the first-run wizard does
    (sync.enrolment.enrol_device: snapshot, then deltas). Runs in a process of its own, so
    that its peak RSS is the device's alone."""
    import logging
    import resource

    from sqlalchemy import text

    from pos_app.db.engine import make_engine
    from sync.enrolment import enrol_device
    from sync.hq_client import HQBusy, HQClient

    snapshot: dict = {}

    class _Keep(logging.Handler):  # the loader's one summary line: rows, seconds, indexes
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage().startswith("snapshot: "):
                rows, applied, secs, index_secs, cursor = record.args
                snapshot.update(snapshot_rows=rows, snapshot_applied=applied,
                                snapshot_seconds=round(secs, 3),
                                index_seconds=round(index_secs, 3), snapshot_cursor=cursor)

    loader_log = logging.getLogger("sync.snapshot_loader")
    loader_log.setLevel(logging.INFO)
    loader_log.addHandler(_Keep())
    engine = make_engine(path)
    client = HQClient(url, timeout=(3.05, 120.0))
    seen = {"applied": 0, "next_log": 0.0}
    busy = 0
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    started = time.perf_counter()

    def progress(applied: int) -> None:
        seen["applied"] = applied
        elapsed = time.perf_counter() - started
        if elapsed >= seen["next_log"]:
            log(f"bootstrap: {applied:,} rows applied in {elapsed:.0f} s")
            seen["next_log"] = elapsed + 10

    try:
        while True:
            try:  # rate limited mid-download: enrol_device again resumes the download
                ctx = enrol_device(engine, client, code, "Bench bootstrap", progress)
                break
            except HQBusy as exc:
                busy += 1
                time.sleep(exc.retry_after or 1.0)
        seconds = time.perf_counter() - started
        with engine.connect() as conn:
            counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                      for t in ("products", "variants", "barcodes", "prices", "variant_fts")}
    finally:
        client.close()
        engine.dispose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": seconds, "rows": seen["applied"], "device_id": ctx.device_id,
            "store_code": ctx.store_code, "counts": counts, "rate_limited": busy,
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "device_cpu_s": round(usage.ru_utime + usage.ru_stime - cpu_before, 2), **snapshot}


def _cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) of a process so far, where /proc tells (Linux)."""
    import os

    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 2)
    except (OSError, ValueError, IndexError):
        return None


@register("bootstrap", "a new device enrols and bootstraps 1,000,000 products from a real "
          "pos-hq (SQLite): bulk snapshot, then the feed's deltas", Budget("seconds", 60))
def bootstrap(args: RunArgs) -> dict:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from sqlalchemy import text

    from bench.hq_generate import generate_hq
    from hq.db.engine import make_engine as hq_make_engine

    products = args.iterations_or(args.products)
    hq_path = generate_hq(products=products)
    hq_engine = hq_make_engine(str(hq_path))
    with hq_engine.connect() as conn:
        store = {"c": STORE_CODE}
        feed = conn.execute(text(
            "SELECT count(*) FROM change_log WHERE store_id IS NULL OR store_id ="
            " (SELECT id FROM stores WHERE code = :c)"), store).scalar_one()
        state = conn.execute(text(
            "SELECT count(*) FROM feed_state WHERE scope = '' OR scope ="
            " (SELECT id FROM stores WHERE code = :c)"), store).scalar_one()
    code = new_code(hq_engine)
    hq_engine.dispose()
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="bench-bootstrap-", dir=_work_dir()) as tmp, \
            HQServer(f"sqlite:///{hq_path}") as server, \
            ProcessPoolExecutor(1, mp_context=spawn) as device_process:
        hq_cpu_before = _cpu_seconds(server.proc.pid)
        try:
            result = device_process.submit(_device_bootstrap, server.url, code,
                                           str(Path(tmp) / "device.sqlite3")).result()
        finally:
            hq_cpu_after = _cpu_seconds(server.proc.pid)
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    _forget_device(hq_path, result.pop("device_id"))
    counts, seconds = result.pop("counts"), result.pop("seconds")
    if counts["variants"] < products or counts["variant_fts"] != counts["variants"]:
        raise AssertionError(f"device holds {counts} after bootstrap, expected {products:,}"
                             " variants, all searchable")
    return {"seconds": round(seconds, 3), **result, "feed_rows": feed, "feed_state_rows": state,
            "rows_per_s": round(result["rows"] / seconds, 1), "device_counts": counts,
            "device_db_mb": round(size / 1e6, 1), "gzip": False,
            "hq_cpu_s": None if hq_cpu_before is None or hq_cpu_after is None
            else round(hq_cpu_after - hq_cpu_before, 2), "hq_database": "sqlite"}
