"""Read and write a store's settings (sync.protocol_store_settings.StoreSettings) and the
store facts every ingest check needs.

Why: the settings live on HQ's `stores` row as JSON text ("{}" = every default) so one column
serves every issue that adds a field. A value HQ cannot read (hand-edited JSON, a field out
of range) must not stop the store's tills from syncing: it is logged and the defaults apply
until IT fixes it (`write_settings` refuses such values in the first place).

`StoreRules` is what one push reads once per batch (hq/services/ingest.py): the store's
currency and tax mode (a sale must be in them) and its settings.

Functions taking a Connection run on the caller's thread and transaction.
"""
from __future__ import annotations

import json
import logging
from typing import Any, NamedTuple

from pydantic import ValidationError
from sqlalchemy import Connection, select, update

from hq.db.models.organisation import Store
from hq.services.common import NotFound, ServiceError
from sync.protocol_store_settings import DEFAULT_STORE_SETTINGS, StoreSettings

log = logging.getLogger(__name__)


class StoreRules(NamedTuple):
    store_id: str
    currency: str
    tax_mode: str
    settings: StoreSettings


def parse_settings(raw: str | None, store_id: str = "?") -> StoreSettings:
    """The settings in `raw` (JSON text); the defaults, logged, when it cannot be read."""
    if not raw or raw == "{}":
        return DEFAULT_STORE_SETTINGS
    try:
        return StoreSettings.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        log.error("store %s: settings unreadable, using the defaults: %s", store_id, exc)
        return DEFAULT_STORE_SETTINGS


def store_rules(conn: Connection, store_id: str) -> StoreRules:
    """The store's currency, tax mode and settings (one indexed read)."""
    row = conn.execute(select(Store.currency, Store.tax_mode, Store.settings)
                       .where(Store.id == store_id)).first()
    if row is None:
        raise NotFound(f"store {store_id} not found")
    return StoreRules(store_id, row.currency, row.tax_mode, parse_settings(row.settings,
                                                                          store_id))


def settings_of(conn: Connection, store_id: str) -> StoreSettings:
    return store_rules(conn, store_id).settings


def write_settings(conn: Connection, store_id: str, **changes: Any) -> StoreSettings:
    """Change some settings of a store (the others keep their values); validated first, so
    a wrong value is refused here rather than ignored at ingest."""
    current = settings_of(conn, store_id)
    try:
        new = StoreSettings.model_validate({**current.model_dump(exclude_unset=True),
                                            **changes})
    except ValidationError as exc:
        raise ServiceError(f"invalid store settings: {exc.errors()[0]['msg']}") from None
    unknown = set(changes) - set(StoreSettings.model_fields)
    if unknown:
        raise ServiceError(f"unknown store setting(s): {', '.join(sorted(unknown))}")
    conn.execute(update(Store).where(Store.id == store_id).values(
        settings=new.model_dump_json(exclude_unset=True)))
    return new
