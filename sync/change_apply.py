"""Apply change-feed rows (sync.protocol.Change) to the device tables, in the caller's transaction.

Why a module of its own: the protocol fixes the envelope (seq, entity, op, key, data) but not
the shape of `data`; this module is the device's reading of it, documented here for hq/.
HQ refers to rows by its stable string ids; the device keeps its own integer pks (they are
the FTS rowids) and maps id -> pk on the way in.

    entity     key                     upsert data (device column names)
    store      store id                id, code, name, currency, locale, timezone, tax_mode,
                                       address, discount_threshold_bp, barcode_rules (list|JSON)
    tax_rate   "<store_id>:<tax_code>" store_id, tax_code, rate_ppm, label
    product    product id              id, style_code, name, brand, category, tax_code, active
    variant    variant id              id, product_id, sku, size, colour, active
    barcode    the code                code, variant_id
    price      "<store_id>:<variant_id>"  store_id, variant_id, amount_minor
    promotion  promotion id            id, store_id (null: every store), name, kind
                                       (percent_off|amount_off), value, target_kind
                                       (product|category|sku), target, starts_at, ends_at,
                                       active (pos_app/promotions.py applies them)
    associate  associate id            id, store_id, code, name, role, pin_hash, active
    customer   customer id             id, name, phone, email, loyalty_card, tier, sizes and
                                       preferences ({name: text} objects), home_store_id;
                                       the last three missing or null (older HQ): the
                                       device keeps the values it holds
    stock      "<store_id>:<variant_id>"  store_id, variant_id, on_hand, updated_at: this store's
                                       on hand as HQ computed it (opening + ledger), never a
                                       delta; the latest figure replaces the one held
    web_order  order id                an order to pick up in this store: id, number, status
                                       (placed|processing|ready_for_pickup|picked_up|cancelled),
                                       payment_status (paid|pending|refunded|...), customer_id,
                                       contact_name, contact_phone, pickup_code, currency,
                                       subtotal, shipping_fee, tax_total, total (minor units),
                                       created_at, updated_at, ready_at, picked_up_at,
                                       picked_up_by, picked_up_device_id, and "lines": [{id,
                                       line_no, variant_id, sku, name, variant_label,
                                       quantity, unit_price, amount}] (all of them, always)

stock and web_order are applied by sync/change_apply_orders.py; customer_profile and
customer_merge (clienteling, issue 5) by sync/change_apply_customers.py.

Composite keys join their columns with ":" (as hq/services/catalog.py writes them; "/" is
also understood). Deletes carry only the key. Deleting a product deletes its variants;
deleting a variant deletes its barcodes, prices and search row (sales keep their own copy of
sku and name). A store is never deleted from its own device (ignored). HQ must send a parent
before its children (a variant after its product); a child whose parent is unknown fails the
page, which is then retried and shown as the sync error, never half-applied.

Consecutive changes of the same entity and op are written with one executemany (bootstrap of a
million products); the search index is rebuilt once per page for every touched variant,
including the variants of a product whose name, brand or style code may have changed.

Thread: the sync worker, inside change_puller's transaction.
"""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from pos_app.db.catalog_queries import index_variants
from pos_app.demo.customers import customer_search_text
from sync.change_apply_customers import CUSTOMER_ENTITIES, apply_customer_changes
from sync.change_apply_orders import ORDER_ENTITIES, apply_order_changes
from sync.protocol import Change

IGNORED_ENTITIES: frozenset[str] = frozenset()  # entities the device does not store
_CHUNK = 500  # ids per IN (...) look-up: well under SQLite's variable limit


@dataclass
class ApplyResult:
    applied: int = 0
    ignored: int = 0
    touched_variants: set[int] = field(default_factory=set)


_UPSERT_SQL = {
    "store": ("INSERT INTO stores(id, code, name, currency, locale, timezone, tax_mode, address,"
              " discount_threshold_bp, barcode_rules) VALUES (?,?,?,?,?,?,?,?,?,?)"
              " ON CONFLICT(id) DO UPDATE SET code=excluded.code, name=excluded.name,"
              " currency=excluded.currency, locale=excluded.locale, timezone=excluded.timezone,"
              " tax_mode=excluded.tax_mode, address=excluded.address,"
              " discount_threshold_bp=excluded.discount_threshold_bp,"
              " barcode_rules=excluded.barcode_rules"),
    "tax_rate": ("INSERT INTO tax_rates(store_id, tax_code, rate_ppm, label) VALUES (?,?,?,?)"
                 " ON CONFLICT(store_id, tax_code) DO UPDATE SET rate_ppm=excluded.rate_ppm,"
                 " label=excluded.label"),
    "product": ("INSERT INTO products(id, style_code, name, brand, category, tax_code, active)"
                " VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
                " style_code=excluded.style_code, name=excluded.name, brand=excluded.brand,"
                " category=excluded.category, tax_code=excluded.tax_code,"
                " active=excluded.active"),
    "variant": ("INSERT INTO variants(id, product_pk, sku, size, colour, active)"
                " VALUES (?, (SELECT pk FROM products WHERE id = ?), ?, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET product_pk=excluded.product_pk,"
                " sku=excluded.sku, size=excluded.size, colour=excluded.colour,"
                " active=excluded.active"),
    "barcode": ("INSERT INTO barcodes(code, variant_pk)"
                " VALUES (?, (SELECT pk FROM variants WHERE id = ?))"
                " ON CONFLICT(code) DO UPDATE SET variant_pk=excluded.variant_pk"),
    "price": ("INSERT INTO prices(store_id, variant_pk, amount_minor)"
              " VALUES (?, (SELECT pk FROM variants WHERE id = ?), ?)"
              " ON CONFLICT(store_id, variant_pk) DO UPDATE SET"
              " amount_minor=excluded.amount_minor"),
    "promotion": ("INSERT INTO promotions(id, store_id, name, kind, value, target_kind, target,"
                  " starts_at, ends_at, active) VALUES (?,?,?,?,?,?,?,?,?,?)"
                  " ON CONFLICT(id) DO UPDATE SET store_id=excluded.store_id,"
                  " name=excluded.name, kind=excluded.kind, value=excluded.value,"
                  " target_kind=excluded.target_kind, target=excluded.target,"
                  " starts_at=excluded.starts_at, ends_at=excluded.ends_at,"
                  " active=excluded.active"),
    "associate": ("INSERT INTO associates(id, store_id, code, name, role, pin_hash, active)"
                  " VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
                  " store_id=excluded.store_id, code=excluded.code, name=excluded.name,"
                  " role=excluded.role, pin_hash=excluded.pin_hash, active=excluded.active"),
    "customer": ("INSERT INTO customers(id, name, phone, email, loyalty_card, tier, sizes,"
                 " preferences, home_store_id) VALUES (?,?,?,?,?,?,?,?,?)"
                 " ON CONFLICT(id) DO UPDATE SET name=excluded.name,"
                 " phone=excluded.phone, email=excluded.email,"
                 " loyalty_card=excluded.loyalty_card, tier=excluded.tier,"
                 " sizes=COALESCE(excluded.sizes, customers.sizes),"
                 " preferences=COALESCE(excluded.preferences, customers.preferences),"
                 " home_store_id=COALESCE(excluded.home_store_id, customers.home_store_id)"),
}


def _params(entity: str, d: dict) -> tuple:
    if entity == "store":
        rules = d.get("barcode_rules", [])
        return (d["id"], d["code"], d["name"], d["currency"], d["locale"], d["timezone"],
                d["tax_mode"], d.get("address", ""), d.get("discount_threshold_bp", 2000),
                rules if isinstance(rules, str) else json.dumps(rules, ensure_ascii=False))
    if entity == "tax_rate":
        return (d["store_id"], d["tax_code"], int(d["rate_ppm"]), d.get("label", d["tax_code"]))
    if entity == "product":
        return (d["id"], d["style_code"], d["name"], d.get("brand", ""), d.get("category", ""),
                d["tax_code"], int(d.get("active", 1)))
    if entity == "variant":
        return (d["id"], d["product_id"], d["sku"], d.get("size"), d.get("colour"),
                int(d.get("active", 1)))
    if entity == "barcode":
        return (d["code"], d["variant_id"])
    if entity == "price":
        return (d["store_id"], d["variant_id"], int(d["amount_minor"]))
    if entity == "promotion":
        return (d["id"], d.get("store_id"), d["name"], d["kind"], int(d["value"]),
                d["target_kind"], d["target"], d["starts_at"], d["ends_at"],
                int(d.get("active", 1)))
    if entity == "associate":
        return (d["id"], d["store_id"], d["code"], d["name"], d["role"], d["pin_hash"],
                int(d.get("active", 1)))
    if entity == "customer":
        maps = [d.get(k) for k in ("sizes", "preferences")]  # JSON text on the device
        return (d["id"], d["name"], d.get("phone"), d.get("email"), d.get("loyalty_card"),
                d.get("tier"), *(m if m is None or isinstance(m, str)
                                 else json.dumps(m, ensure_ascii=False) for m in maps),
                d.get("home_store_id"))
    raise ValueError(f"unknown entity {entity!r}")


def _pks(conn: Connection, sql: str, ids: list[str]) -> list[int]:
    """Run `sql` (with one "{}" for the IN list) over `ids` in chunks; the first column."""
    out: list[int] = []
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        out += [r[0] for r in conn.exec_driver_sql(sql.format(marks), tuple(chunk))]
    return out


def _index_customers(conn: Connection, ids: list[str]) -> None:
    for i in range(0, len(ids), _CHUNK):
        chunk = tuple(ids[i:i + _CHUNK])
        rows = conn.exec_driver_sql(
            "SELECT pk, name, phone, email FROM customers WHERE id IN"
            f" ({','.join('?' * len(chunk))})", chunk).all()
        conn.exec_driver_sql("DELETE FROM customer_fts WHERE rowid = ?", [(r[0],) for r in rows])
        conn.exec_driver_sql("INSERT INTO customer_fts(rowid, text) VALUES (?, ?)",
                             [(r[0], customer_search_text(r[1], r[2], r[3])) for r in rows])


def _upsert(conn: Connection, entity: str, changes: list[Change], result: ApplyResult,
            bulk: bool = False) -> None:
    rows = [_params(entity, c.data or {}) for c in changes]
    sql = _UPSERT_SQL[entity]
    if bulk:  # mostly new rows: a plain INSERT probes each unique index once, an upsert twice
        try:
            with conn.begin_nested():
                conn.exec_driver_sql(sql.partition(" ON CONFLICT")[0], rows)
        except IntegrityError:  # some row exists already (or a parent is missing): as upserts
            conn.exec_driver_sql(sql, rows)
        return  # the caller builds the search indexes once, at the end
    conn.exec_driver_sql(sql, rows)
    ids = [r[0] for r in rows]
    if entity == "variant":
        result.touched_variants.update(
            _pks(conn, "SELECT pk FROM variants WHERE id IN ({})", ids))
    elif entity == "product":
        result.touched_variants.update(_pks(
            conn, "SELECT v.pk FROM variants v JOIN products p ON p.pk = v.product_pk"
                  " WHERE p.id IN ({})", ids))
    elif entity == "customer":
        _index_customers(conn, ids)


def _delete_variants(conn: Connection, pks: list[int], result: ApplyResult) -> None:
    args = [(pk,) for pk in pks]
    conn.exec_driver_sql("DELETE FROM barcodes WHERE variant_pk = ?", args)
    conn.exec_driver_sql("DELETE FROM prices WHERE variant_pk = ?", args)
    conn.exec_driver_sql("DELETE FROM variants WHERE pk = ?", args)
    result.touched_variants.update(pks)  # index_variants then removes their search rows


def _split(key: str) -> tuple[str, str]:
    """A composite key "<a>:<b>" (or "<a>/<b>") -> (a, b)."""
    first, _, rest = key.partition(":" if ":" in key else "/")
    return first, rest


def _delete(conn: Connection, entity: str, change: Change, result: ApplyResult) -> bool:
    key = change.key
    if entity == "store":
        return False
    if entity == "tax_rate":
        store_id, code = _split(key)
        conn.exec_driver_sql("DELETE FROM tax_rates WHERE store_id = ? AND tax_code = ?",
                             (store_id, code))
    elif entity == "product":
        pks = _pks(conn, "SELECT v.pk FROM variants v JOIN products p ON p.pk = v.product_pk"
                         " WHERE p.id IN ({})", [key])
        _delete_variants(conn, pks, result)
        conn.exec_driver_sql("DELETE FROM products WHERE id = ?", (key,))
    elif entity == "variant":
        _delete_variants(conn, _pks(conn, "SELECT pk FROM variants WHERE id IN ({})", [key]),
                         result)
    elif entity == "barcode":
        conn.exec_driver_sql("DELETE FROM barcodes WHERE code = ?", (key,))
    elif entity == "price":
        store_id, variant_id = _split(key)
        conn.exec_driver_sql("DELETE FROM prices WHERE store_id = ? AND variant_pk ="
                             " (SELECT pk FROM variants WHERE id = ?)", (store_id, variant_id))
    elif entity == "promotion":
        conn.exec_driver_sql("DELETE FROM promotions WHERE id = ?", (key,))
    elif entity == "associate":
        conn.exec_driver_sql("DELETE FROM associates WHERE id = ?", (key,))
    elif entity == "customer":
        conn.exec_driver_sql("DELETE FROM customer_fts WHERE rowid ="
                             " (SELECT pk FROM customers WHERE id = ?)", (key,))
        conn.exec_driver_sql("DELETE FROM customers WHERE id = ?", (key,))
    return True


def apply_changes(conn: Connection, changes: list[Change], *,
                  bulk: bool = False) -> ApplyResult:
    """Apply `changes` in seq order inside the caller's transaction; re-index touched rows.

    `bulk` (the snapshot, sync/snapshot_loader.py: upserts of rows that are mostly new): leave
    variant_fts and customer_fts alone, the caller builds both once after the last row (far
    faster than per page); and write each run as plain INSERTs first, as upserts only when a
    row of it exists already (same result, about 40 % less SQLite work for new rows).
    """
    result = ApplyResult()
    for (entity, op), run in itertools.groupby(changes, key=lambda c: (c.entity, c.op)):
        run = list(run)
        if entity in IGNORED_ENTITIES:
            result.ignored += len(run)
        elif entity in ORDER_ENTITIES:
            result.applied += apply_order_changes(conn, entity, op, run)
        elif entity in CUSTOMER_ENTITIES:
            result.applied += apply_customer_changes(conn, entity, op, run)
        elif op == "upsert":
            _upsert(conn, entity, run, result, bulk)
            result.applied += len(run)
        else:
            for change in run:
                if _delete(conn, entity, change, result):
                    result.applied += 1
                else:
                    result.ignored += 1
    if result.touched_variants:
        index_variants(conn, sorted(result.touched_variants))
    return result
