"""Enrol a till's database with HQ and remember where HQ is (installer CLI and wizard).

Why: `pos-app --enrol` and the first-run wizard do the same thing; one function does it.
Runs on whichever thread calls it: the main thread for the CLI (no window yet), the I/O pool
for the wizard. It opens its own engine and HTTP client and closes both.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from pos_app.db.engine import make_engine
from pos_app.db.migrate import ensure_current
from pos_app.store_context import HQ_URL_KEY, StoreContext, write_setting
from sync.enrolment import enrol_device
from sync.hq_client import HQClient


def enrol_till(db_path: Path, hq_url: str, code: str, device_name: str,
               progress: Callable[[int], None] | None = None) -> StoreContext:
    engine = make_engine(db_path)
    client = HQClient(hq_url)
    try:
        ensure_current(engine)
        with engine.begin() as conn:  # kept first: an interrupted download resumes from it
            write_setting(conn, HQ_URL_KEY, hq_url)
        return enrol_device(engine, client, code, device_name, progress=progress)
    finally:
        client.close()
        engine.dispose()
