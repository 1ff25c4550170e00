"""Connects the background SyncWorker (a plain thread in sync/) to the Qt UI.

Why: sync/ must not know Qt (DESIGN.md §2); the UI must never wait on the network (§5). The
worker calls `on_status` on its own thread; emitting a Qt signal from there queues the call
onto the UI thread, where the shell's sync line and the Sync screen update. "Sync now" and
every completed sale nudge the worker so a sale reaches HQ within seconds when online.

Created by the composition root (ui/app.py) only when the device is enrolled with an HQ
(settings "hq_url" and the device credentials). UI thread, except `_from_worker`.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from sqlalchemy import Engine

from pos_app.store_context import HQ_URL_KEY, read_setting
from sync.enrolment import SECRET_KEY
from sync.hq_client import HQClient
from sync.status import SyncStatus, read_status
from sync.worker import SyncWorker


class SyncBridge(QObject):
    status_changed = Signal(object)  # SyncStatus, delivered on the UI thread

    def __init__(self, engine: Engine, base_url: str, device_id: str, secret: str,
                 interval: float = 15.0) -> None:
        super().__init__()
        self.client = HQClient(base_url, (device_id, secret))
        self.worker = SyncWorker(engine, self.client, interval=interval,
                                 on_status=self._from_worker)
        self.last: SyncStatus | None = read_status(engine)

    @classmethod
    def for_device(cls, engine: Engine, interval: float = 15.0) -> "SyncBridge | None":
        """A bridge when this device is enrolled with an HQ, else None (offline-only till)."""
        with engine.connect() as conn:
            url = read_setting(conn, HQ_URL_KEY)
            device_id = read_setting(conn, "device_id")
            secret = read_setting(conn, SECRET_KEY)
        if not (url and device_id and secret):
            return None
        return cls(engine, url, device_id, secret, interval)

    def _from_worker(self, status: SyncStatus) -> None:  # sync worker thread
        self.status_changed.emit(status)

    def start(self) -> None:
        self.status_changed.connect(self._remember)
        self.worker.start()

    def _remember(self, status: SyncStatus) -> None:
        self.last = status

    def sync_now(self) -> None:
        self.worker.nudge()

    def stop(self) -> None:
        self.worker.stop(timeout=15)
        self.client.close()
