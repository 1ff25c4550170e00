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

from sqlalchemy import Engine

from hq.services.periodic import PeriodicJob
from hq.services.stock import CLAIM_BATCH, publish_pending


class StockPublisher(PeriodicJob):
    name = "stock-publisher"

    def __init__(self, engine: Engine, interval: float = 2.0) -> None:
        super().__init__(interval)
        self.engine = engine
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
