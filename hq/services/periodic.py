"""A background job that HQ runs every few seconds in its own daemon thread.

Why: work that must not sit on a request's path (publishing sold stock, the clienteling books)
is noted by the request and done by a periodic round; a round that fails (database down) is
logged and simply tried again at the next tick, so the job outlives outages.

`run_once` runs on the job's thread; `start`/`stop` on whoever owns the app (its lifespan).
"""
from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


class PeriodicJob:
    """Subclasses set `name` and implement `run_once()`."""

    name = "periodic-job"

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.run_once()
            except Exception:  # noqa: BLE001 - keep going once the database is back
                log.warning("%s failed; retrying at the next tick", self.name, exc_info=True)

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop after the current round (at most one round's wait)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
