"""Insert many rows into one HQ table as fast as the database allows.

Why: HQ ingest must take >= 5,000 sales/s on PostgreSQL (issue 3); a sale is five to ten rows
across five tables, and an `executemany` of INSERTs spends most of that budget in per-row
round-trip bookkeeping. On PostgreSQL the rows go through COPY FROM STDIN on the very DBAPI
connection (so inside the caller's transaction and SAVEPOINT): a unique-key violation still
raises IntegrityError and rolls back only the savepoint, exactly as an INSERT would, so the
callers' idempotency and quarantine rules are unchanged. Other databases (SQLite) get a plain
`executemany`.

Runs on the caller's thread, with the caller's connection and transaction.
"""
from __future__ import annotations

from typing import Sequence

from sqlalchemy import Connection, Table, insert
from sqlalchemy.exc import IntegrityError


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict]) -> None:
    """Insert `rows` (dicts with the same keys, column names of `table`) into `table`."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), list(rows))
        return
    import psycopg

    columns = list(rows[0])
    quoted = ", ".join(f'"{c}"' for c in columns)
    cursor = conn.connection.driver_connection.cursor()
    try:
        with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
    except psycopg.errors.IntegrityError as exc:
        raise IntegrityError(f"COPY into {table.name}", None, exc) from exc
    finally:
        cursor.close()
