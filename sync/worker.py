"""The background sync loop: push the outbox, pull changes, sleep, repeat — for days offline.

Why: sales must reach HQ on their own when the network comes back, and the catalog must follow
HQ, without the UI ever waiting (DESIGN.md §4-5). A plain `threading.Thread`, not Qt: pos_app and
sync stay free of Qt; the UI wraps the worker and marshals `on_status` to its thread.

Each cycle: drain the outbox (push), then pull every page HQ has, then publish a SyncStatus.
A device whose feed cursor is still 0 (its first download never finished) loads HQ's bulk
snapshot first (sync.snapshot_loader), in transactions of SNAPSHOT_ROWS_PER_TRANSACTION rows
so that the write lock is never held long; an HQ without snapshots (404) is remembered and
gets the feed replayed instead.
After a failure the next cycle waits an exponential, jittered backoff (at least HQ's Retry-After
for 429) instead of the interval. Pages are smaller than at enrolment (500 changes) because each
page is one write transaction and the till is selling meanwhile: a page of 2000 catalog changes
holds the write lock for up to ~0.8 s on a laptop, 500 for ~0.2 s. `nudge()` (after a sale,
"Sync now") wakes the loop at once. The loop never raises: every exception is logged (without
the device secret: exceptions from sync.hq_client never carry it) and shown as `last_error`.

Thread: `start`/`nudge`/`stop` from any thread (the UI's); everything else, including the
`on_status` callback, on the worker thread "storeline-sync".
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from sqlalchemy import Engine

from pos_app.ports import Clock, SystemClock
from pos_app.services import profile_cache
from sync.hq_client import HQBusy, HQClient, HQError, HQRejected
from sync.outbox_pusher import Backoff, drain
from sync.snapshot_loader import bootstrap
from sync.status import SyncStatus, read_status, record_cycle

log = logging.getLogger(__name__)

SNAPSHOT_ROWS_PER_TRANSACTION = 5000  # ~0.1 s of write lock on a laptop, like a page of 500


class SyncWorker:
    """Runs sync cycles on its own thread until `stop()`."""

    def __init__(self, engine: Engine, client: HQClient, *, interval: float = 15.0,
                 on_status: Callable[[SyncStatus], None] | None = None,
                 backoff: Backoff | None = None, clock: Clock | None = None,
                 batch_size: int = 200, page_size: int = 500) -> None:
        self.engine, self.client, self.interval = engine, client, interval
        self.on_status = on_status
        self.backoff = backoff or Backoff()
        self.clock = clock or SystemClock()
        self.batch_size, self.page_size = batch_size, page_size
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.cycles = 0  # completed cycles, for tests and diagnostics
        self.snapshots_supported = True  # False once HQ answered 404 for /v1/snapshot
        self.last_status: SyncStatus | None = None
        self._evicted_on = None  # the UTC date profiles were last evicted (None: not yet)

    # --- any thread ---------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("SyncWorker already started")
        self._thread = threading.Thread(target=self._run, name="storeline-sync", daemon=True)
        self._thread.start()

    def nudge(self) -> None:
        """Sync now (after a sale, or the "Sync now" button): skips the wait and the backoff."""
        self._wake.set()

    def stop(self, timeout: float | None = 30.0) -> None:
        """Ask the loop to end and join it (an HTTP call in flight ends within its timeout)."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # --- worker thread ------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            delay = self.run_cycle()
            self._wake.wait(delay)

    def run_cycle(self) -> float:
        """One push + pull + status; the seconds to wait before the next cycle. Never raises."""
        error: BaseException | None = None
        try:
            outcome = drain(self.engine, self.client, self.batch_size, self.clock,
                            should_stop=self._stopping.is_set)
            error = outcome.error
            if error is None and not self._stopping.is_set():
                pulled = bootstrap(self.engine, self.client, page_size=self.page_size,
                                   clock=self.clock, snapshot=self.snapshots_supported,
                                   rows_per_transaction=SNAPSHOT_ROWS_PER_TRANSACTION)
                if pulled.snapshot_unavailable:
                    self.snapshots_supported = False
            self._evict_profiles_daily()
        except HQError as exc:
            error = exc
        except Exception as exc:  # noqa: BLE001 - the loop must survive anything
            log.exception("sync cycle failed")
            error = exc
        if error is None:
            self.backoff.reset()
            delay = self.interval
        else:
            log.warning("sync: %s", error)
            retry_after = error.retry_after if isinstance(error, HQBusy) else None
            delay = self.backoff.failure(retry_after or 0.0)
        self._publish(error)
        self.cycles += 1
        return delay

    def _evict_profiles_daily(self) -> None:
        """At start and then once a day: evict the cached customer profiles not seen for the
        store's `clienteling_cache_days` (pos_app/services/profile_cache.py). Runs whether or
        not HQ answered: eviction is a privacy rule, not a sync step."""
        now = self.clock.now_utc()
        if self._evicted_on == now.date():
            return
        with self.engine.begin() as conn:
            evicted = profile_cache.evict_unseen(conn, now)
        self._evicted_on = now.date()
        if evicted:
            log.info("sync: evicted %d cached customer profiles not seen recently", evicted)

    def _publish(self, error: BaseException | None) -> None:
        # HQ answered (even "no") -> online; unreachable or 5xx or a local failure -> offline.
        online = error is None or isinstance(error, (HQRejected, HQBusy))
        message = None if error is None else (str(error) or type(error).__name__)[:500]
        try:
            record_cycle(self.engine, online, message)
            status = read_status(self.engine)
        except Exception:  # noqa: BLE001 - e.g. the database is locked for too long
            log.exception("sync: could not record the status")
            status = SyncStatus(online, -1, -1, None, None, message)
        self.last_status = status
        if self.on_status is not None:
            try:
                self.on_status(status)
            except Exception:  # noqa: BLE001 - a faulty listener must not stop syncing
                log.exception("sync: on_status callback failed")
