"""Apply the omnichannel entities of the change feed: "web_order" (orders to pick up in this
store, lines nested) and "stock" (this store's on hand per variant).

Why a module of its own: sync/change_apply.py applies the catalog; these two have a different
shape (a web order is a row plus its lines) and no search index. Data shapes are documented
in sync/change_apply.py's table, the HQ side in hq/services/orders.py and stock.py.

- web_order upsert: the order row is inserted or replaced, and its lines replaced by the
  change's "lines" (HQ always sends them all), so a status change (ready_for_pickup ->
  picked_up) or an edited order never leaves stale lines. Several upserts of one order in a
  run keep the last (the feed is in seq order). Delete: the order and its lines go.
- stock upsert: the figure replaces the one held (HQ's computed on hand: the latest wins,
  nothing is added up, so a repeated change cannot count a sale twice). Delete: the row goes.

Upserts read only `data` (a bulk snapshot row has no key); deletes read only the key. A change
missing a field raises KeyError/ValueError, which the puller turns into a FeedError: the page
is not applied and the cursor stays (never half-applied).

Thread: the sync worker, inside change_puller's (or the snapshot loader's) transaction.
"""
from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy import Connection

ORDER_ENTITIES = frozenset({"web_order", "stock"})

_ORDER_COLUMNS = ("id", "number", "status", "payment_status", "customer_id", "contact_name",
                  "contact_phone", "pickup_code", "currency", "subtotal", "shipping_fee",
                  "tax_total", "total", "created_at", "updated_at", "ready_at", "picked_up_at",
                  "picked_up_by", "picked_up_device_id")
_MONEY = frozenset({"subtotal", "shipping_fee", "tax_total", "total"})
_OPTIONAL = frozenset({"customer_id", "contact_phone", "pickup_code", "ready_at",
                       "picked_up_at", "picked_up_by", "picked_up_device_id"})
_LINE_COLUMNS = ("id", "order_id", "line_no", "variant_id", "sku", "name", "variant_label",
                 "quantity", "unit_price", "amount")

_UPSERT_ORDER = (
    f"INSERT INTO web_orders({', '.join(_ORDER_COLUMNS)})"
    f" VALUES ({', '.join('?' * len(_ORDER_COLUMNS))}) ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{c}=excluded.{c}" for c in _ORDER_COLUMNS if c != "id"))
_INSERT_LINE = (f"INSERT INTO web_order_lines({', '.join(_LINE_COLUMNS)})"
                f" VALUES ({', '.join('?' * len(_LINE_COLUMNS))})")
_UPSERT_STOCK = ("INSERT INTO stock_levels(store_id, variant_id, on_hand, updated_at)"
                 " VALUES (?, ?, ?, ?) ON CONFLICT(store_id, variant_id) DO UPDATE SET"
                 " on_hand=excluded.on_hand, updated_at=excluded.updated_at")


def _order_params(d: dict[str, Any]) -> tuple:
    def value(c: str):
        if c in _OPTIONAL:
            return d.get(c)
        if c in _MONEY:
            return int(d[c])
        return d[c]
    return tuple(value(c) for c in _ORDER_COLUMNS)


def _line_params(order_id: str, ln: dict[str, Any]) -> tuple:
    return (ln["id"], order_id, int(ln["line_no"]), ln["variant_id"], ln["sku"], ln["name"],
            ln.get("variant_label") or "", int(ln["quantity"]), int(ln["unit_price"]),
            int(ln["amount"]))


def _upsert_orders(conn: Connection, changes: Sequence) -> None:
    latest = {(c.data or {})["id"]: c.data for c in changes}  # the last upsert of each wins
    conn.exec_driver_sql(_UPSERT_ORDER, [_order_params(d) for d in latest.values()])
    conn.exec_driver_sql("DELETE FROM web_order_lines WHERE order_id = ?",
                         [(oid,) for oid in latest])
    lines = [_line_params(oid, ln) for oid, d in latest.items() for ln in d["lines"]]
    if lines:
        conn.exec_driver_sql(_INSERT_LINE, lines)


def _upsert_stock(conn: Connection, changes: Sequence) -> None:
    conn.exec_driver_sql(_UPSERT_STOCK, [
        (d["store_id"], d["variant_id"], int(d["on_hand"]), d["updated_at"])
        for d in (c.data or {} for c in changes)])


def _split(key: str) -> tuple[str, str]:
    """"<store_id>:<variant_id>" (or "/") -> the two ids."""
    first, sep, rest = key.partition(":" if ":" in key else "/")
    if not sep or not first or not rest:
        raise ValueError(f"stock key {key!r} is not '<store_id>:<variant_id>'")
    return first, rest


def apply_order_changes(conn: Connection, entity: str, op: str, changes: Sequence) -> int:
    """Apply a run of consecutive changes of one entity and op; the number applied."""
    if op == "upsert":
        (_upsert_orders if entity == "web_order" else _upsert_stock)(conn, changes)
    elif entity == "web_order":
        keys = [(c.key,) for c in changes]
        conn.exec_driver_sql("DELETE FROM web_order_lines WHERE order_id = ?", keys)
        conn.exec_driver_sql("DELETE FROM web_orders WHERE id = ?", keys)
    else:
        conn.exec_driver_sql("DELETE FROM stock_levels WHERE store_id = ? AND variant_id = ?",
                             [_split(c.key) for c in changes])
    return len(changes)
