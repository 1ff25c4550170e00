"""The stock publisher: a background thread of the HQ service that publishes, every two
seconds, the new on hand of the variants sold since (hq/services/stock.py `publish_pending`).

Why a thread: publishing appends to the change feed under its global lock; the pushes only
note what they moved, so they never queue for that lock (HQ ingest: 5,000 sales/s). A round
costs in proportion to the variants sold since the last one, so a longer interval is cheaper
(measured: about 40 ms for 80 variants; every 2 s per process keeps it to a few per cent of
a busy HQ's CPU) and a device still sees a sale on its store's feed within seconds. Every HQ
process runs one (several processes are safe: each note is claimed once, under the feed's
lock, on top of the last figure published). Started and stopped with the app (hq/api/app.py:
startup and shutdown); a failed round (database restarting, locked) is logged and retried at
the next tick, the notes stay until a round succeeds.

Thread: its own daemon thread; one connection per round from the app's engine.
"""
from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from hq.services.stock import CLAIM_BATCH, publish_pending

log = logging.getLogger(__name__)


class StockPublisher:
    def __init__(self, engine: Engine, interval: float = 2.0) -> None:
        self.engine, self.interval = engine, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.rounds = 0  # completed rounds, for tests and diagnostics

    def run_once(self) -> tuple[int, int]:
        """One round (until no full batch of notes is left): (notes claimed, published)."""
        claimed = published = 0
        while True:
            with self.engine.begin() as conn:
                c, p = publish_pending(conn)
            claimed, published = claimed + c, published + p
            if c < CLAIM_BATCH:
                self.rounds += 1
                return claimed, published

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.run_once()
            except Exception:  # noqa: BLE001 - keep publishing once the database is back
                log.warning("stock publishing failed; retrying", exc_info=True)

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="stock-publisher",
                                            daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop after the current round (at most one round's wait)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
