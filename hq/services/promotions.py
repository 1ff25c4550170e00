"""HQ's automatic promotions: validate one, write it and publish it to the tills it is for.

Why: a promotion is the one catalog entity the till applies by itself (pos_app/promotions.py
turns the best one for a scanned item into a line discount whose reason is the promotion's
name). HQ checks every field here, before anything is written, so a device never receives a
promotion it cannot apply; the write and its change-feed row commit together through
hq.services.catalog (feed entity "promotion", key = the promotion id, data = the device row,
scope = the promotion's store or every store), and the bulk snapshot picks it up from
feed_state with no code of its own.

Runs on whatever thread owns the connection (a request thread, the CLI, the demo seed); no
commit here: the caller's transaction decides.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection

from hq.services import catalog
from hq.services.common import utc_iso

KINDS = ("percent_off", "amount_off")
TARGET_KINDS = ("product", "category", "sku")
FIELDS = ("id", "store_id", "name", "kind", "value", "target_kind", "target", "starts_at",
          "ends_at", "active")


class PromotionError(ValueError):
    """A promotion HQ refuses to publish; the message names the field and why."""


def _moment(field: str, value: Any) -> str:
    """A UTC ISO "...Z" time in HQ's fixed-width form (compares as text on every database)."""
    if not isinstance(value, str) or not value.endswith("Z"):
        raise PromotionError(f"{field} must be a UTC ISO-8601 time ending in 'Z', got {value!r}")
    try:
        moment = datetime.fromisoformat(value[:-1] + "+00:00")
    except ValueError:
        raise PromotionError(f"{field} is not an ISO-8601 time: {value!r}") from None
    return utc_iso(moment.astimezone(timezone.utc))


def validated(row: dict[str, Any]) -> dict[str, Any]:
    """`row` with every field checked and normalised (times fixed-width, id made if missing)."""
    unknown = set(row) - set(FIELDS)
    if unknown:
        raise PromotionError(f"unknown promotion fields: {', '.join(sorted(unknown))}")
    out = {"id": row.get("id") or str(uuid.uuid4()), "store_id": row.get("store_id"),
           "active": int(row.get("active", 1))}
    try:
        uuid.UUID(out["id"])
    except (ValueError, TypeError, AttributeError):
        raise PromotionError(f"id must be a UUID, got {out['id']!r}") from None
    name = row.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise PromotionError("name must be 1-200 characters (it is the receipt's reason)")
    out["name"] = name.strip()
    kind, value = row.get("kind"), row.get("value")
    if kind not in KINDS:
        raise PromotionError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if not isinstance(value, int) or isinstance(value, bool):
        raise PromotionError(f"value must be an integer, got {value!r}")
    if kind == "percent_off" and not 1 <= value <= 10_000:
        raise PromotionError(f"a percent_off value is basis points 1..10000, got {value}")
    if kind == "amount_off" and value < 1:
        raise PromotionError(f"an amount_off value is minor units >= 1, got {value}")
    out["kind"], out["value"] = kind, value
    target_kind, target = row.get("target_kind"), row.get("target")
    if target_kind not in TARGET_KINDS:
        raise PromotionError(
            f"target_kind must be one of {', '.join(TARGET_KINDS)}, got {target_kind!r}")
    if not isinstance(target, str) or not target or len(target) > 100:
        raise PromotionError("target must be 1-100 characters (a product id, category or sku)")
    out["target_kind"], out["target"] = target_kind, target
    out["starts_at"] = _moment("starts_at", row.get("starts_at"))
    out["ends_at"] = _moment("ends_at", row.get("ends_at"))
    if out["ends_at"] <= out["starts_at"]:
        raise PromotionError("ends_at must be after starts_at")
    if out["active"] not in (0, 1):
        raise PromotionError(f"active must be 0 or 1, got {row.get('active')!r}")
    return {k: out[k] for k in FIELDS}


def publish_promotion(conn: Connection, row: dict[str, Any]) -> dict[str, Any]:
    """Insert or update one promotion and publish it to its store (or every store)."""
    promo = validated(row)
    catalog.upsert(conn, "promotion", promo, promo["store_id"])
    return promo


def insert_promotions(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert new promotions (seeding, imports), each published to its own scope."""
    promos = [validated(r) for r in rows]
    for scope in dict.fromkeys(p["store_id"] for p in promos):
        catalog.insert_new(conn, "promotion", [p for p in promos if p["store_id"] == scope],
                           scope)
    return promos


def delete_promotion(conn: Connection, promotion_id: str, store_id: str | None) -> None:
    """Delete one promotion; the tills of `store_id` (None: every store) drop it too."""
    catalog.delete(conn, "promotion", {"id": promotion_id}, store_id)
