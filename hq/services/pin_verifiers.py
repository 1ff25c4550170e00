"""Associates' PIN hashes leave HQ only as verifiers keyed to the device that asks (issue 18).

Why: every till of a store used to receive every associate's argon2id hash in its snapshot and
feed; with 4-digit PINs one copied till file gave every PIN in ~10 minutes on one core. HQ
now sends each device `keyed_verifier(hash, K_d)` (pos_app/auth.py: the argon2 parameters and
salt, with the raw hash replaced by an HMAC under that device's key), so a copied snapshot or
feed page is useless without that device's secret, and no two devices hold the same
verifiers. HQ derives K_d from the SHA-256 of the device secret it already keeps; the stored
feed keeps the plain hash and the rewrite happens as each device reads it.

Plain functions on the request thread; `device_pin_key` reads one row.
"""
from __future__ import annotations

import json

from sqlalchemy import Connection, select

from hq.db.models.devices import Device
from sync.protocol import Change, keyed_verifier, pin_key_from_secret_sha256

ENTITY = "associate"


def device_pin_key(conn: Connection, device_id: str) -> bytes:
    """K_d of an enrolled device (raises if HQ holds no such device)."""
    secret_sha256 = conn.execute(select(Device.secret_sha256)
                                 .where(Device.id == device_id)).scalar_one()
    return pin_key_from_secret_sha256(secret_sha256)


def keyed_data(data: dict, key: bytes) -> dict:
    """An associate row as a device may see it: its PIN hash replaced by a keyed verifier."""
    if data.get("pin_hash"):
        return {**data, "pin_hash": keyed_verifier(data["pin_hash"], key)}
    return data


def keyed_change(change: Change, key: bytes) -> Change:
    if change.entity != ENTITY or change.data is None:
        return change
    return change.model_copy(update={"data": keyed_data(change.data, key)})


def keyed_row_json(row_json: str, key: bytes) -> str:
    """A snapshot row (the feed's stored JSON text) of the associate entity, keyed."""
    return json.dumps(keyed_data(json.loads(row_json), key), ensure_ascii=False,
                      separators=(",", ":"))
