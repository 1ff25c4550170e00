"""Bootstrap a device from HQ's bulk snapshot (GET /v1/snapshot), then pull the deltas.

Why: replaying a million-product change feed from cursor 0 takes minutes; DESIGN.md §4 says a
new device bootstraps from a bulk snapshot, then applies deltas, and §8 gives it 60 s. The
snapshot (format in sync.protocol) is streamed: each chunk line of rows is parsed as it
arrives and written with one executemany per entity run through sync.change_apply (the same
per-entity SQL as a feed upsert), many rows per transaction. The search indexes are left alone
meanwhile and built once at the end (FTS5 with big in-memory segments and no merging, then
'optimize', then FTS5's defaults back), as bench/generate.py does for its databases.
Profiled on the 1M-product benchmark (bench/scenarios/hq_bootstrap.py, py-spy): the device's
time goes to SQLite's inserts (~45 %), the search indexes (~20 %), rows to parameters and JSON
parsing (~15 %), commits (~5 %), reading HTTP (~1 %); HQ spends ~5 s CPU on the whole stream.

Crash and interrupt safety: the setting SNAPSHOT_STATE_KEY is "loading" from before the first
row until the commit that writes the feed cursor (change_puller.CURSOR_KEY = the snapshot's
cursor) after the last row and index; enrolment writes it with the credentials.
pos_app.store_context.load_store_context refuses a store whose download is incomplete, so the
app never sells from a half-loaded catalog. A snapshot that is cut, malformed or interrupted
is started again from scratch on the next try: the rows of the earlier attempt are deleted
first (HQ may have deleted some of them since), the feed's tables only, never sales. Rows are
committed with synchronous=NORMAL while loading (a power cut can only lose rows of an attempt
that will be redone), the final commit with FULL.

The big tables' secondary indexes are dropped for the load and built once after it (their
SQL kept in a setting until then, so an interrupted load never loses them). An HQ that
answers 404 for /v1/snapshot (older than this protocol) gets the feed replayed from cursor 0
instead. Memory stays bounded: one chunk line of rows is in memory at a time, plus SQLite's
page cache (BULK_CACHE_KB) and FTS5's pending terms (_FTS_BULK hashsize) at the end.

Thread: the enrolment task or the sync worker (network and database I/O), never the UI thread.
"""
from __future__ import annotations

import ipaddress
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator
from urllib.parse import urlsplit

import orjson
from pydantic import ValidationError
from sqlalchemy import Connection, Engine, text

from pos_app.db.catalog_queries import index_variants
from pos_app.demo.customers import customer_search_text
from pos_app.ports import Clock, SystemClock, utc_iso
from pos_app.store_context import SNAPSHOT_STATE_KEY, read_setting, write_setting
from sync import change_puller
from sync.change_apply import apply_changes
from sync.change_puller import CURSOR_KEY, FeedError
from sync.hq_client import HQClient, HQRejected, HQServerError
from sync.protocol import SNAPSHOT_FORMAT, SnapshotEnd, SnapshotHeader
from sync.status import LAST_PULL_OK

log = logging.getLogger(__name__)

LOADING = "loading"  # the value of SNAPSHOT_STATE_KEY while the store is incomplete
DROPPED_INDEXES_KEY = "snapshot_dropped_indexes"  # their SQL, while a load has them dropped
ROWS_PER_TRANSACTION = 200_000
BULK_CACHE_KB = 64 * 1024  # page cache of the loading connection (the app's: 16 MB)
# The device tables the feed fills (sync.change_apply, change_apply_orders), children first:
# emptied before a snapshot is loaded again after an interrupted attempt (a new table filled
# by the feed belongs here). Stores stay (sales refer to them and the feed never deletes
# one); a store row is overwritten by the new snapshot.
FEED_TABLES = ("barcodes", "prices", "variants", "products", "associates", "customers",
               "tax_rates", "web_order_lines", "web_orders", "stock_levels", "promotions")
# Tables of a million rows whose secondary indexes nothing reads during the load: dropped
# first and built once at the end (not web_order_lines: an order's upsert deletes its lines).
_BULK_TABLES = ("variants", "barcodes", "prices", "customers")
FTS_TABLES = ("variant_fts", "customer_fts")
_FTS_BULK = {"hashsize": 64 * 1024 * 1024, "automerge": 0, "crisismerge": 1000}
_FTS_DEFAULTS = {"hashsize": 1024 * 1024, "automerge": 4, "crisismerge": 16}
_INDEX_BATCH = 5000


class SnapshotUnavailable(Exception):
    """HQ has no /v1/snapshot (404: an HQ older than this protocol): replay the feed."""


class SnapshotError(FeedError):
    """The stream is not a whole, valid snapshot of this store; the attempt is discarded."""


@dataclass(frozen=True)
class SnapshotResult:
    rows: int  # rows received
    applied: int  # rows written (the others are of kinds the device does not store)
    cursor: int  # the feed cursor now stored
    seconds: float  # download, rows, indexes and the final commit
    index_seconds: float  # of which building the search indexes


@dataclass(frozen=True)
class BootstrapOutcome:
    applied: int  # snapshot rows written plus feed changes applied
    snapshot: SnapshotResult | None  # None: no snapshot was loaded
    snapshot_unavailable: bool  # HQ answered 404 for /v1/snapshot


class _Upsert:
    """One snapshot row in the shape sync.change_apply reads from a feed Change (cheaper to
    make by the million than a validated pydantic model)."""

    __slots__ = ("entity", "data")
    op = "upsert"
    key = ""
    seq = 0

    def __init__(self, entity: str, data: dict) -> None:
        self.entity, self.data = entity, data


def download_incomplete(conn: Connection) -> bool:
    """True while the store's first download (snapshot or feed) has not finished."""
    return read_setting(conn, SNAPSHOT_STATE_KEY) == LOADING


def mark_download_started(conn: Connection) -> None:
    """Say, in the caller's transaction, that the store's data is incomplete from now on."""
    write_setting(conn, SNAPSHOT_STATE_KEY, LOADING)


def bootstrap(engine: Engine, client: HQClient, progress: Callable[[int], None] | None = None,
              *, page_size: int = 2000, clock: Clock | None = None, snapshot: bool = True,
              gzip: bool | None = None, rows_per_transaction: int = ROWS_PER_TRANSACTION
              ) -> BootstrapOutcome:
    """At cursor 0 load the snapshot (unless `snapshot` is False or HQ has none), then pull the
    feed until HQ has no more; `progress(rows and changes applied so far)`. Clears the
    "download incomplete" mark once the store is complete, whichever way it came."""
    loaded, unavailable = None, False
    if change_puller.read_cursor(engine) == 0:
        try:
            if snapshot:
                loaded = load_snapshot(engine, client, progress, gzip=gzip, clock=clock,
                                       rows_per_transaction=rows_per_transaction)
        except SnapshotUnavailable:
            unavailable = True
        restore_indexes(engine)  # a snapshot that failed earlier must not slow the feed down
    base = loaded.applied if loaded else 0
    applied = change_puller.bootstrap(
        engine, client, None if progress is None else (lambda n: progress(base + n)),
        page_size, clock)
    with engine.connect() as conn:
        incomplete = download_incomplete(conn)
    if incomplete:  # the feed replay (older HQ) has finished the first download
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM settings WHERE key = :k"), {"k": SNAPSHOT_STATE_KEY})
    return BootstrapOutcome(base + applied, loaded, unavailable)


def load_snapshot(engine: Engine, client: HQClient,
                  progress: Callable[[int], None] | None = None, *, gzip: bool | None = None,
                  clock: Clock | None = None,
                  rows_per_transaction: int = ROWS_PER_TRANSACTION) -> SnapshotResult:
    """Download and apply the snapshot, build the search indexes, then store its cursor.

    `gzip`: ask HQ to compress the stream; None: only when HQ is not on this machine (on
    loopback gzip costs more CPU than the bytes it saves; on a store's uplink the ~4x fewer
    bytes win). Raises SnapshotUnavailable (404), HQError from the client (nothing is
    complete: the next try starts again), SnapshotError for a stream that is cut or not this
    store's.
    """
    if gzip is None:
        gzip = not is_loopback(client.base_url)
    clock = clock or SystemClock()
    started = time.perf_counter()
    try:
        with client.snapshot(gzip=gzip) as lines, engine.connect() as conn:
            header = _header(next(lines, b""))
            with _bulk_pragmas(conn):
                _start(conn, header)
                rows, applied = _apply_rows(conn, lines, progress, rows_per_transaction)
                loaded = time.perf_counter()
                _restore_indexes(conn)
                _build_search_indexes(conn)
                indexed = time.perf_counter()
            _finish(conn, header.cursor, clock)
    except HQRejected as exc:
        if exc.status == 404:
            raise SnapshotUnavailable("HQ has no bulk snapshot; replaying the feed") from None
        raise
    result = SnapshotResult(rows, applied, header.cursor, time.perf_counter() - started,
                            indexed - loaded)
    log.info("snapshot: %d rows (%d applied) in %.1f s, of which search indexes %.1f s;"
             " cursor %d", rows, applied, result.seconds, result.index_seconds, header.cursor)
    return result


def is_loopback(url: str) -> bool:
    """True when `url` points at this machine (HQ and till on one box, tests, benchmarks)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextmanager
def _bulk_pragmas(conn: Connection) -> Iterator[None]:
    """This connection, while it loads: commits without fsync (WAL: a power cut loses only
    rows of an attempt that is redone) and a bigger page cache (random-key index inserts);
    back to the app's settings afterwards, however the load ends."""
    raw = conn.connection.driver_connection  # PRAGMAs outside any transaction
    cache = raw.execute("PRAGMA cache_size").fetchone()[0]
    raw.execute("PRAGMA synchronous=NORMAL")
    raw.execute(f"PRAGMA cache_size=-{BULK_CACHE_KB}")
    try:
        yield
    finally:
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute(f"PRAGMA cache_size={int(cache)}")


def restore_indexes(engine: Engine) -> None:
    """Re-create the indexes an interrupted snapshot dropped (before anything else loads)."""
    with engine.connect() as conn:
        if read_setting(conn, DROPPED_INDEXES_KEY) is not None:
            conn.rollback()
            _restore_indexes(conn)


def _restore_indexes(conn: Connection) -> None:
    with conn.begin():
        for sql in read_setting(conn, DROPPED_INDEXES_KEY) or ():
            conn.exec_driver_sql(sql)
        conn.execute(text("DELETE FROM settings WHERE key = :k"), {"k": DROPPED_INDEXES_KEY})


def _drop_secondary_indexes(conn: Connection) -> None:
    """Drop the named (non-unique, non-key) indexes of the big tables, keeping their schema
    SQL in a setting: built once from the loaded rows they cost a fraction of a million
    random inserts. Already dropped by an interrupted attempt: nothing to do."""
    if read_setting(conn, DROPPED_INDEXES_KEY) is not None:
        return
    marks = ",".join("?" * len(_BULK_TABLES))
    found = conn.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks}) ORDER BY name", _BULK_TABLES).all()
    for name, _sql in found:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    write_setting(conn, DROPPED_INDEXES_KEY, [sql for _name, sql in found])


def _header(line: bytes) -> SnapshotHeader:
    try:
        header = SnapshotHeader.model_validate_json(line)
    except ValidationError as exc:
        raise SnapshotError(f"the snapshot does not start with its header line"
                            f" ({exc.error_count()} error(s))") from None
    if header.snapshot != SNAPSHOT_FORMAT:
        raise HQServerError(200, f"snapshot format {header.snapshot} is not {SNAPSHOT_FORMAT}")
    return header


def _start(conn: Connection, header: SnapshotHeader) -> None:
    """Check the snapshot is for this device and nothing is loaded yet; clear an interrupted
    attempt; mark the download as incomplete."""
    with conn.begin():
        store_id = read_setting(conn, "store_id")
        if store_id is not None and store_id != header.store_id:
            raise SnapshotError(f"HQ sent the snapshot of store {header.store_id}, this device"
                                f" belongs to {store_id}")
        if int(read_setting(conn, CURSOR_KEY, 0)) != 0:
            raise SnapshotError("the feed cursor moved while the snapshot started"
                                " (two loaders?)")
        if download_incomplete(conn):  # an earlier attempt stopped half-way: start afresh
            for table in FEED_TABLES:  # (their search rows go when the indexes are rebuilt)
                conn.exec_driver_sql(f"DELETE FROM {table}")
        mark_download_started(conn)
        _drop_secondary_indexes(conn)


def _recreate(conn: Connection, table: str) -> None:
    """Empty an FTS5 table by re-creating it from its own schema SQL (deleting a million rows
    one by one from an FTS5 index is far slower)."""
    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = ?",
                               (table,)).scalar_one()
    conn.exec_driver_sql(f"DROP TABLE {table}")
    conn.exec_driver_sql(sql)


def _apply_rows(conn: Connection, lines: Iterator[bytes],
                progress: Callable[[int], None] | None, per_transaction: int) -> tuple[int, int]:
    """Apply every chunk line up to the end line; (rows received, rows applied). One line's
    rows are in memory at a time; a commit every `per_transaction` rows; `progress` after
    every line."""
    received = applied = in_transaction = 0
    end: SnapshotEnd | None = None
    transaction = conn.begin()
    try:
        for line in lines:
            if not line:
                continue
            if end is not None:
                raise SnapshotError("the snapshot goes on after its end line")
            entity, rows, end = _parse(line)
            if end is not None:
                continue
            received += len(rows)
            in_transaction += len(rows)
            applied += _write(conn, [_Upsert(entity, d) for d in rows])
            if progress is not None:
                progress(applied)
            if in_transaction >= per_transaction:
                transaction.commit()
                transaction, in_transaction = conn.begin(), 0
        if end is None:
            raise SnapshotError(f"the snapshot was cut after {received} rows (no end line)")
        if end.rows != received:
            raise SnapshotError(f"the snapshot announced {end.rows} rows, {received} arrived")
        transaction.commit()
    finally:
        if transaction.is_active:
            transaction.rollback()
    return received, applied


def _parse(line: bytes) -> tuple[str, list, SnapshotEnd | None]:
    """(entity, rows, None) for a chunk line, ("", [], end) for the end line."""
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise SnapshotError("a snapshot line is not JSON (cut or corrupt)") from None
    entity = obj.get("entity") if isinstance(obj, dict) else None
    if entity is None:
        return "", [], _end(obj)
    rows = obj.get("rows")
    if not isinstance(entity, str) or not isinstance(rows, list):
        raise SnapshotError("a snapshot chunk needs an entity name and a list of rows")
    return entity, rows, None


def _end(obj) -> SnapshotEnd:
    try:
        return SnapshotEnd.model_validate(obj)
    except ValidationError:
        raise SnapshotError("a snapshot line is neither a chunk nor the end line") from None


def _write(conn: Connection, batch: list[_Upsert]) -> int:
    try:
        return apply_changes(conn, batch, bulk=True).applied
    except (KeyError, ValueError, TypeError) as exc:
        raise SnapshotError(f"a snapshot row could not be applied: {type(exc).__name__}:"
                            f" {exc}") from exc


def _build_search_indexes(conn: Connection) -> None:
    """Product and customer search, built afresh from the loaded rows in FTS5's bulk mode
    (big in-memory segments, no merging), merged into one segment each, defaults back."""
    with conn.begin():
        for table in FTS_TABLES:
            _recreate(conn, table)
        _fts_config(conn, _FTS_BULK)
        index_variants(conn)
    last = 0
    while True:
        with conn.begin():
            rows = conn.exec_driver_sql(
                "SELECT pk, name, phone, email FROM customers WHERE pk > ? ORDER BY pk LIMIT ?",
                (last, _INDEX_BATCH)).all()
            if not rows:
                break
            conn.exec_driver_sql("INSERT INTO customer_fts(rowid, text) VALUES (?, ?)",
                                 [(r[0], customer_search_text(r[1], r[2], r[3])) for r in rows])
            last = rows[-1][0]
    with conn.begin():
        for table in FTS_TABLES:
            conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        _fts_config(conn, _FTS_DEFAULTS)


def _fts_config(conn: Connection, settings: dict[str, int]) -> None:
    for table in FTS_TABLES:
        for key, value in settings.items():
            conn.exec_driver_sql(f"INSERT INTO {table}({table}, rank) VALUES (?, ?)",
                                 (key, value))


def _finish(conn: Connection, cursor: int, clock: Clock) -> None:
    """The one commit that makes the snapshot count: cursor stored, incomplete mark gone."""
    with conn.begin():
        if int(read_setting(conn, CURSOR_KEY, 0)) != 0:
            raise SnapshotError("the feed cursor moved during the snapshot (two loaders?)")
        write_setting(conn, CURSOR_KEY, cursor)
        write_setting(conn, LAST_PULL_OK, utc_iso(clock.now_utc()))
        conn.execute(text("DELETE FROM settings WHERE key = :k"), {"k": SNAPSHOT_STATE_KEY})
