"""Opening the device database: SQLite in WAL mode with FULL durability.

Why: DESIGN.md §3 — a sale, its journal record and its outbox event are committed in one
transaction with `synchronous=FULL`, so a power cut never loses a committed sale. WAL lets the
UI's readers run while the database worker writes. Foreign keys are on. `BEGIN IMMEDIATE` is
used for write transactions so that the gapless receipt counter is taken under the write lock.

Called by the composition root (ui/app.py), tests and benchmarks; never at import time.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from pos_app.textfold import fold


def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
    # Let SQLAlchemy's transaction demarcation drive SQLite explicitly (see _on_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA cache_size=-16000")  # 16 MB page cache per connection
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()
    dbapi_conn.create_function("sl_fold", 1, lambda s: fold(s) if s else "", deterministic=True)


def _begin_immediate(conn) -> None:
    # IMMEDIATE takes the write lock up front: two writers can never interleave a receipt number.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _begin_deferred(conn) -> None:
    # Readers in WAL mode never wait for the writer; a deferred BEGIN keeps it that way.
    conn.exec_driver_sql("BEGIN")


def make_engine(path: str | Path, *, readonly: bool = False, echo: bool = False) -> Engine:
    """An engine for the SQLite file at `path` (created if missing), with our pragmas.

    The app uses two: a writer (BEGIN IMMEDIATE, used only by the database worker) and a
    reader (`readonly=True`, deferred BEGIN and `query_only`) for look-ups and search.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", echo=echo)
    event.listen(engine, "connect", _on_connect)
    if readonly:
        event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA query_only=ON"))
        event.listen(engine, "begin", _begin_deferred)
    else:
        event.listen(engine, "begin", _begin_immediate)
    return engine
