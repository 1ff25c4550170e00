"""The bulk snapshot a new device bootstraps from: the store's feed_state as NDJSON lines.

Why: replaying a million-product feed from cursor 0 takes minutes (issue 3, DESIGN.md §8
gives a new device 60 s). `feed_state` (kept by hq/services/catalog.publish) already holds the
feed compacted to the latest upsert of every key, as the very JSON text the feed carries, so a
snapshot is that table read in one consistent database snapshot plus the feed cursor it
corresponds to. The wire format is in sync/protocol.py ("bulk snapshot").

Cheap to produce: rows are never parsed or re-encoded, their stored JSON text is concatenated
into chunk lines; tables are read through a server-side cursor (PostgreSQL) or a stepped
statement (SQLite), a chunk at a time, never loaded whole.

Consistency: PostgreSQL reads in a REPEATABLE READ, read-only transaction; SQLite in one read
transaction (WAL: writers go on meanwhile). The cursor is max(change_log.seq) seen by that
same read. Writers append to change_log under an advisory lock (PostgreSQL; SQLite serialises
writers), so the seqs a reader sees are every seq up to its max: a write that races the
snapshot is either in it or after its cursor, never lost.

Threads: `snapshot_lines` is a generator that a request thread starts (the header line is
produced before the response is returned, so a database that is down answers 503) and the
server's threadpool resumes one chunk at a time; it holds one pooled connection until it is
exhausted or closed (a client that goes away closes it).
"""
from __future__ import annotations

import json
import zlib
from contextlib import contextmanager
from typing import Iterator, Protocol

from sqlalchemy import Engine, text

from hq.services import pin_verifiers
from sync.protocol import SNAPSHOT_CHUNK_ROWS, SNAPSHOT_FORMAT, snapshot_entity_order

# Rows of one entity visible to the store: those published to every store (scope "") and to
# this store, merged in feed order (so a key published to both ends as its later version).
# Each side is a range of ix_feed_state_scope_entity_seq already in seq order: SQLite and
# PostgreSQL merge the two without sorting.
_ROWS_SQL = ("SELECT seq, data FROM feed_state WHERE scope = '' AND entity = :entity"
             " UNION ALL"
             " SELECT seq, data FROM feed_state WHERE scope = :store AND entity = :entity"
             " ORDER BY 1")
_NEXT_ENTITY_SQL = ("SELECT entity FROM feed_state WHERE entity > :after"
                    " ORDER BY entity LIMIT 1")  # a primary-key probe per entity
_CURSOR_SQL = "SELECT coalesce(max(seq), 0) FROM change_log"
GZIP_LEVEL = 1  # repetitive JSON: level 1 already shrinks it ~4x, at the least CPU


class _Read(Protocol):
    def scalar(self, sql: str, params: dict) -> object: ...

    def batches(self, sql: str, params: dict, size: int) -> Iterator[list[tuple]]: ...


class _SQLiteRead:
    """One deferred read transaction on the pool's raw sqlite3 connection (the engine's own
    transactions start with BEGIN IMMEDIATE, which would block every writer for the whole
    download)."""

    def __init__(self, raw) -> None:
        self.raw = raw

    def scalar(self, sql: str, params: dict) -> object:
        row = self.raw.execute(sql, params).fetchone()
        return row[0] if row else None

    def batches(self, sql: str, params: dict, size: int) -> Iterator[list[tuple]]:
        cur = self.raw.execute(sql, params)
        try:
            while rows := cur.fetchmany(size):
                yield rows
        finally:
            cur.close()


class _ServerCursorRead:
    """A REPEATABLE READ, read-only transaction; each query through a server-side cursor."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def scalar(self, sql: str, params: dict) -> object:
        return self.conn.execute(text(sql), params).scalar()

    def batches(self, sql: str, params: dict, size: int) -> Iterator[list[tuple]]:
        result = self.conn.execute(text(sql), params, execution_options={
            "stream_results": True, "max_row_buffer": size})
        try:
            for part in result.partitions(size):
                yield [tuple(r) for r in part]
        finally:
            result.close()


@contextmanager
def consistent_read(engine: Engine) -> Iterator[_Read]:
    """Every query inside sees the same committed database state."""
    if engine.dialect.name == "sqlite":
        pooled = engine.raw_connection()
        raw = pooled.driver_connection
        try:
            raw.execute("BEGIN")  # deferred: the snapshot starts at the first read
            yield _SQLiteRead(raw)
        finally:
            try:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
            finally:
                pooled.close()
        return
    with engine.connect() as conn:
        conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield _ServerCursorRead(conn)


def _entities(read: _Read) -> list[str]:
    """Every entity that has rows, in snapshot order (a few index probes, no scan)."""
    found: list[str] = []
    after = ""
    while (entity := read.scalar(_NEXT_ENTITY_SQL, {"after": after})) is not None:
        found.append(entity)
        after = entity
    return snapshot_entity_order(found)


def snapshot_lines(engine: Engine, store_id: str,
                   chunk_rows: int = SNAPSHOT_CHUNK_ROWS, *,
                   pin_key: bytes | None = None) -> Iterator[bytes]:
    """The snapshot of `store_id` as NDJSON lines (bytes, each ending in "\\n").

    `pin_key`: the asking device's key; associates' rows (a few per store, the only rows
    parsed) then carry verifiers keyed to it (hq/services/pin_verifiers.py). The API always
    gives it; None (the feed as stored) is for HQ's own tests and tools."""
    with consistent_read(engine) as read:
        cursor = int(read.scalar(_CURSOR_SQL, {}))
        entities = _entities(read)
        yield _line({"snapshot": SNAPSHOT_FORMAT, "cursor": cursor, "store_id": store_id})
        total = 0
        for entity in entities:
            head = '{"entity":%s,"rows":[' % json.dumps(entity)
            params = {"entity": entity, "store": store_id}
            keyed = pin_key is not None and entity == pin_verifiers.ENTITY
            for rows in read.batches(_ROWS_SQL, params, chunk_rows):
                total += len(rows)
                texts = ([pin_verifiers.keyed_row_json(r[1], pin_key) for r in rows] if keyed
                         else [r[1] for r in rows])
                yield (head + ",".join(texts) + "]}\n").encode("utf-8")
        yield _line({"end": True, "rows": total, "cursor": cursor})


def gzipped(lines: Iterator[bytes], level: int = GZIP_LEVEL) -> Iterator[bytes]:
    """`lines` as one gzip stream, a flushed block per line (the client decodes as it goes)."""
    packer = zlib.compressobj(level, zlib.DEFLATED, 31)  # wbits 31: gzip header and trailer
    try:
        for line in lines:
            if out := packer.compress(line) + packer.flush(zlib.Z_SYNC_FLUSH):
                yield out
        yield packer.flush(zlib.Z_FINISH)
    finally:
        close = getattr(lines, "close", None)
        if close is not None:
            close()  # a client that went away releases the database read at once


def _line(obj: dict) -> bytes:
    return (json.dumps(obj, separators=(",", ":")) + "\n").encode("utf-8")
