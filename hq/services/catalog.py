"""Writers for what HQ publishes to devices: each write also appends to `change_log`.

Why: devices pull a paged change feed per store (DESIGN.md §4); a write and its change-log row
commit together, so the feed never misses or invents a change. The change's `data` holds
exactly the device table's columns (pos_app/db/models.py); HQ-only columns (a product's
`store_id`) decide which stores see the row and are left out. Device columns HQ keeps in other
tables (a customer's sizes and preferences: hq/services/customer_feed.py publishes them) go
out as null from the writers here: "not known", the device keeps what it holds.

On PostgreSQL, writers take a transaction-scoped advisory lock before appending, so change_log
sequence numbers commit in order and a reader's cursor never skips a row that commits late
(SQLite serialises writers anyway).

Every append goes through `publish`, which also keeps `feed_state` (the feed compacted to the
latest upsert per entity, key and scope; a deleted key has no row) in the same transaction, so
the bulk snapshot a new device downloads (hq/services/snapshot.py) is always exactly what
replaying the feed would give, for every entity written here, with no per-entity code. A delete
published to every store (scope NULL) removes the key in every scope: each device saw it after
whatever was published for its own store before.

Runs on whatever thread owns the connection (a request thread, the CLI); no commit here: the
caller's transaction decides.
"""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import Connection, Table, and_, delete as sql_delete, insert, text
from sqlalchemy.dialects import postgresql, sqlite

from hq.db.models.catalog import Barcode, Price, Product, Promotion, StockLevel, Variant
from hq.db.models.customers import Customer
from hq.db.models.organisation import Associate, ChangeLog, FeedState, Store, TaxRate
from hq.services.common import utc_iso

CHANGE_LOG_LOCK = 7_310_001  # pg_advisory_xact_lock key for change_log appends


@dataclass(frozen=True)
class Entity:
    table: Table | None  # None: the caller writes its own tables; the writers only publish
    keys: tuple[str, ...]  # columns joined by ":" make the change's key
    hq_only: tuple[str, ...] = ()
    device_extra: tuple[str, ...] = ()  # device columns not in `table`: null when not given


ENTITIES: dict[str, Entity] = {
    "store": Entity(Store.__table__, ("id",)),
    "tax_rate": Entity(TaxRate.__table__, ("store_id", "tax_code")),
    "product": Entity(Product.__table__, ("id",), ("store_id",)),
    "variant": Entity(Variant.__table__, ("id",)),
    "barcode": Entity(Barcode.__table__, ("variant_id", "code")),
    "price": Entity(Price.__table__, ("store_id", "variant_id")),
    "promotion": Entity(Promotion.__table__, ("id",)),  # hq/services/promotions.py
    "associate": Entity(Associate.__table__, ("id",)),
    "customer": Entity(Customer.__table__, ("id",), device_extra=("sizes", "preferences")),
    # omnichannel (hq/services/stock.py, orders.py): a web order's data nests its lines
    "stock": Entity(StockLevel.__table__, ("store_id", "variant_id")),
    "web_order": Entity(None, ("id",)),
}
# The barcode's feed key is its code alone (the device keys barcodes by code).
_FEED_KEYS = {"barcode": ("code",)}


def feed_key(entity: str, row: dict[str, Any]) -> str:
    cols = _FEED_KEYS.get(entity, ENTITIES[entity].keys)
    return ":".join(str(row[c]) for c in cols)


def device_data(entity: str, row: dict[str, Any]) -> dict[str, Any]:
    ent = ENTITIES[entity]
    data = {k: v for k, v in row.items() if k not in ent.hq_only}
    data.update({k: None for k in ent.device_extra if k not in data})
    return data


def lock_change_log(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHANGE_LOG_LOCK})


def _changes(entity: str, rows: Iterable[dict], scope: str | None, op: str, at: str) -> list:
    return [{"store_id": scope, "entity": entity, "op": op, "key": feed_key(entity, r),
             "data": json.dumps(device_data(entity, r), ensure_ascii=False)
             if op == "upsert" else None, "at": at} for r in rows]


def publish(conn: Connection, changes: list[dict]) -> None:
    """Append `changes` (change_log rows without seq) to the feed and bring feed_state up to
    date, in the caller's transaction. The one writer of change_log: call lock_change_log
    first (the writers below do)."""
    if not changes:
        return
    seqs = conn.execute(insert(ChangeLog.__table__).returning(
        ChangeLog.seq, sort_by_parameter_order=True), changes).scalars().all()
    state = FeedState.__table__
    for op, run in itertools.groupby(zip(changes, seqs), key=lambda cs: cs[0]["op"]):
        if op == "upsert":
            # the last upsert of a key wins (one INSERT .. ON CONFLICT may touch a row once)
            latest = {(c["entity"], c["key"], c["store_id"] or ""): (c, seq) for c, seq in run}
            stmt = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(state)
            conn.execute(stmt.on_conflict_do_update(
                index_elements=[state.c.entity, state.c.key, state.c.scope],
                set_={"seq": stmt.excluded.seq, "data": stmt.excluded.data}),
                [{"entity": e, "key": k, "scope": scope, "seq": seq, "data": c["data"]}
                 for (e, k, scope), (c, seq) in latest.items()])
            continue
        for c, _seq in run:
            where = [state.c.entity == c["entity"], state.c.key == c["key"]]
            if c["store_id"] is not None:  # NULL: every store saw it, every scope goes
                where.append(state.c.scope == c["store_id"])
            conn.execute(sql_delete(state).where(*where))


def insert_new(conn: Connection, entity: str, rows: list[dict], scope: str | None) -> None:
    """Bulk-insert rows that do not exist yet (seeding, imports) and publish them."""
    if not rows:
        return
    lock_change_log(conn)
    if ENTITIES[entity].table is not None:
        conn.execute(insert(ENTITIES[entity].table), rows)
    publish(conn, _changes(entity, rows, scope, "upsert", utc_iso()))


def upsert_many(conn: Connection, entity: str, rows: list[dict], scope: str | None) -> None:
    """Insert or update many rows (all columns given, each key once) in one statement and
    publish them: the bulk path (e.g. the stock publisher's figures)."""
    ent = ENTITIES[entity]
    if not rows:
        return
    lock_change_log(conn)
    if ent.table is not None:
        stmt = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(ent.table)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=[ent.table.c[k] for k in ent.keys],
            set_={c: stmt.excluded[c] for c in rows[0] if c not in ent.keys}), rows)
    publish(conn, _changes(entity, rows, scope, "upsert", utc_iso()))


def upsert(conn: Connection, entity: str, row: dict, scope: str | None) -> None:
    """Insert or update one row (all its columns given) and publish it to `scope`."""
    ent = ENTITIES[entity]
    lock_change_log(conn)
    if ent.table is not None:
        where = and_(*(ent.table.c[k] == row[k] for k in ent.keys))
        values = {k: v for k, v in row.items() if k not in ent.keys}
        updated = conn.execute(ent.table.update().where(where).values(**values)).rowcount \
            if values else conn.execute(ent.table.select().where(where)).first() is not None
        if not updated:
            conn.execute(insert(ent.table), [row])
    publish(conn, _changes(entity, [row], scope, "upsert", utc_iso()))


def delete(conn: Connection, entity: str, row: dict, scope: str | None) -> None:
    """Delete one row (its key columns given) and publish the deletion to `scope`."""
    ent = ENTITIES[entity]
    lock_change_log(conn)
    if ent.table is not None:
        conn.execute(ent.table.delete().where(and_(*(ent.table.c[k] == row[k]
                                                      for k in ent.keys))))
    publish(conn, _changes(entity, [row], scope, "delete", utc_iso()))
