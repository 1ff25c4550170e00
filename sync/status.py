"""What the sync indicator shows: online, pending and quarantined events, last good push/pull.

Why: every screen shows the sync state (DESIGN.md §5) and the manager's Sync screen must say
what is pending and what HQ refused. Counts come from the outbox itself (the truth); the
timestamps and the last error live in `settings` so that they survive a restart:

    sync_last_push_ok_at   written by outbox_pusher in the transaction that marks events sent
    sync_last_pull_ok_at   written by change_puller in the transaction that applies a page
    sync_online, sync_last_error   written by the worker after each cycle (record_cycle)

`read_status` runs on whichever thread owns the engine (the sync worker; a reader worker for the
UI); it is one short read transaction.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

from pos_app.store_context import read_setting, write_setting

LAST_PUSH_OK = "sync_last_push_ok_at"
LAST_PULL_OK = "sync_last_pull_ok_at"
ONLINE = "sync_online"
LAST_ERROR = "sync_last_error"


@dataclass(frozen=True, slots=True)
class SyncStatus:
    online: bool
    pending: int
    quarantined: int
    last_push_ok_at: str | None  # UTC ISO-8601 ("...Z"), None if never
    last_pull_ok_at: str | None
    last_error: str | None  # human-readable, never contains the device secret
    held: int = 0  # events HQ failed on alone, held aside at the till (sync/outbox_pusher.py)


def status_in(conn: Connection) -> SyncStatus:
    counts = dict(conn.execute(text(
        "SELECT status, count(*) FROM outbox WHERE status IN ('pending', 'quarantined', 'held')"
        " GROUP BY status")).all())
    return SyncStatus(
        online=bool(read_setting(conn, ONLINE, False)),
        pending=counts.get("pending", 0),
        quarantined=counts.get("quarantined", 0),
        last_push_ok_at=read_setting(conn, LAST_PUSH_OK),
        last_pull_ok_at=read_setting(conn, LAST_PULL_OK),
        last_error=read_setting(conn, LAST_ERROR),
        held=counts.get("held", 0),
    )


def read_status(engine: Engine) -> SyncStatus:
    """The current sync state from the device database."""
    with engine.connect() as conn:
        return status_in(conn)


def record_cycle(engine: Engine, online: bool, error: str | None) -> None:
    """Remember the outcome of a sync cycle; writes only when something changed."""
    with engine.connect() as conn:
        same = (read_setting(conn, ONLINE) == online and read_setting(conn, LAST_ERROR) == error)
    if same:
        return
    with engine.begin() as conn:
        write_setting(conn, ONLINE, online)
        write_setting(conn, LAST_ERROR, error)
