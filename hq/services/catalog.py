"""Writers for what HQ publishes to devices: each write also appends to `change_log`.

Why: devices pull a paged change feed per store (DESIGN.md §4); a write and its change-log row
commit together, so the feed never misses or invents a change. The change's `data` holds
exactly the device table's columns (pos_app/db/models.py); HQ-only columns (a product's
`store_id`, a customer's `home_store_id`) decide which stores see the row and are left out.

On PostgreSQL, writers take a transaction-scoped advisory lock before appending, so change_log
sequence numbers commit in order and a reader's cursor never skips a row that commits late
(SQLite serialises writers anyway).

Runs on whatever thread owns the connection (a request thread, the CLI); no commit here: the
caller's transaction decides.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import Connection, Table, and_, insert, text

from hq.db.models import (Associate, Barcode, ChangeLog, Customer, Price, Product, Store,
                          TaxRate, Variant)
from hq.services.common import utc_iso

CHANGE_LOG_LOCK = 7_310_001  # pg_advisory_xact_lock key for change_log appends


@dataclass(frozen=True)
class Entity:
    table: Table
    keys: tuple[str, ...]  # columns joined by ":" make the change's key
    hq_only: tuple[str, ...] = ()


ENTITIES: dict[str, Entity] = {
    "store": Entity(Store.__table__, ("id",)),
    "tax_rate": Entity(TaxRate.__table__, ("store_id", "tax_code")),
    "product": Entity(Product.__table__, ("id",), ("store_id",)),
    "variant": Entity(Variant.__table__, ("id",)),
    "barcode": Entity(Barcode.__table__, ("variant_id", "code")),
    "price": Entity(Price.__table__, ("store_id", "variant_id")),
    "associate": Entity(Associate.__table__, ("id",)),
    "customer": Entity(Customer.__table__, ("id",), ("home_store_id",)),
}
# The barcode's feed key is its code alone (the device keys barcodes by code).
_FEED_KEYS = {"barcode": ("code",)}


def feed_key(entity: str, row: dict[str, Any]) -> str:
    cols = _FEED_KEYS.get(entity, ENTITIES[entity].keys)
    return ":".join(str(row[c]) for c in cols)


def device_data(entity: str, row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ENTITIES[entity].hq_only}


def lock_change_log(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHANGE_LOG_LOCK})


def _changes(entity: str, rows: Iterable[dict], scope: str | None, op: str, at: str) -> list:
    return [{"store_id": scope, "entity": entity, "op": op, "key": feed_key(entity, r),
             "data": json.dumps(device_data(entity, r), ensure_ascii=False)
             if op == "upsert" else None, "at": at} for r in rows]


def insert_new(conn: Connection, entity: str, rows: list[dict], scope: str | None) -> None:
    """Bulk-insert rows that do not exist yet (seeding, imports) and publish them."""
    if not rows:
        return
    lock_change_log(conn)
    conn.execute(insert(ENTITIES[entity].table), rows)
    conn.execute(insert(ChangeLog.__table__), _changes(entity, rows, scope, "upsert", utc_iso()))


def upsert(conn: Connection, entity: str, row: dict, scope: str | None) -> None:
    """Insert or update one row (all its columns given) and publish it to `scope`."""
    ent = ENTITIES[entity]
    lock_change_log(conn)
    where = and_(*(ent.table.c[k] == row[k] for k in ent.keys))
    values = {k: v for k, v in row.items() if k not in ent.keys}
    updated = conn.execute(ent.table.update().where(where).values(**values)).rowcount if values \
        else conn.execute(ent.table.select().where(where)).first() is not None
    if not updated:
        conn.execute(insert(ent.table), [row])
    conn.execute(insert(ChangeLog.__table__), _changes(entity, [row], scope, "upsert", utc_iso()))


def delete(conn: Connection, entity: str, row: dict, scope: str | None) -> None:
    """Delete one row (its key columns given) and publish the deletion to `scope`."""
    ent = ENTITIES[entity]
    lock_change_log(conn)
    conn.execute(ent.table.delete().where(and_(*(ent.table.c[k] == row[k] for k in ent.keys))))
    conn.execute(insert(ChangeLog.__table__), _changes(entity, [row], scope, "delete", utc_iso()))
