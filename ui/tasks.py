"""Background work for the UI: one serial database worker and a small I/O pool.

Why: DESIGN.md §5 — the UI thread never does I/O. Like Anki's TaskManager/QueryOp, a screen
hands a plain function to `run_db` (or `run_io`) together with what to do with the result;
the function runs on a worker thread and its result (or exception) comes back to the UI
thread through a queued Qt signal. The database worker is a single thread: all writes are
serialised, which also keeps SQLite connections on the thread that made them.

Threads: `run_db`/`run_io` are called on the UI thread; the callables run on workers;
`on_done`/`on_error` run on the UI thread.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives on the UI thread; worker threads emit into it, Qt queues the call across.

    The four values travel as ONE tuple: PySide6 mis-counts references to a bare None passed
    through a queued `object` signal, and after a few hundred emissions the interpreter dies
    with "deallocating None". Inside a tuple, Python owns the references.
    """

    finished = Signal(object)  # (on_done, on_error, result, error)

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _deliver(self, packed: tuple) -> None:
        on_done, on_error, result, error = packed
        if error is not None:
            if on_error is not None:
                on_error(error)
            else:
                log.error("Background task failed", exc_info=error)
        elif on_done is not None:
            on_done(result)


class TaskManager(QObject):
    """Owns the worker threads; created once by the composition root."""

    busy_changed = Signal(bool)

    def __init__(self, io_workers: int = 4) -> None:
        super().__init__()
        self._relay = _Relay()
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storeline-db")
        self._io = ThreadPoolExecutor(max_workers=io_workers, thread_name_prefix="storeline-io")
        self._pending = 0
        self._lock = threading.Lock()
        self._closed = False

    def run_db(self, fn: Callable[[], Any], on_done: Done | None = None,
               on_error: Failed | None = None) -> Future | None:
        """Run `fn` on the serial database worker (None once the app is shutting down)."""
        return self._submit(self._db, fn, on_done, on_error)

    def run_io(self, fn: Callable[[], Any], on_done: Done | None = None,
               on_error: Failed | None = None) -> Future | None:
        """Run `fn` on the I/O pool (HTTP, printing, terminals); None once shutting down."""
        return self._submit(self._io, fn, on_done, on_error)

    def _submit(self, pool: ThreadPoolExecutor, fn, on_done, on_error) -> Future | None:
        if self._closed:  # the app is closing: a late timer's work is dropped, not an error
            log.debug("Task dropped after shutdown: %s", getattr(fn, "__name__", fn))
            return None
        self._count(+1)

        def job():
            try:
                result = fn()
            except BaseException as exc:  # noqa: BLE001 - delivered to the UI as an error
                self._relay.finished.emit((on_done, on_error, None, exc))
                raise
            else:
                self._relay.finished.emit((on_done, on_error, result, None))
                return result
            finally:
                self._count(-1)

        return pool.submit(job)

    def _count(self, delta: int) -> None:
        with self._lock:
            before = self._pending
            self._pending += delta
            after = self._pending
        if (before == 0) != (after == 0):
            self.busy_changed.emit(after > 0)

    def shutdown(self) -> None:
        self._closed = True
        self._io.shutdown(wait=True, cancel_futures=True)
        self._db.shutdown(wait=True)
