"""Device enrolment and authentication.

Why: a tablet joins a store by exchanging a one-time, expiring code (typed or scanned from a
QR) for a device id and a secret (issue 3). HQ keeps only SHA-256 hashes of codes and secrets;
every request carries `Bearer <device_id>.<secret>`, compared in constant time; a revoked
device is refused on its next request. Codes and secrets are never logged.

Plain functions on a Connection: run on a request thread or the CLI; the caller commits.
"""
from __future__ import annotations

import base64
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from hq.db.models.devices import Device, EnrolmentCode
from hq.db.models.organisation import Store
from hq.services.common import (AuthError, EnrolmentRefused, NotFound, ServiceError,
                                sha256_hex, utc_iso)
from sync.protocol import (ENROL_REPLAY_MINUTES, UUID_PATTERN, EnrolResponse,
                           normalise_enrolment_code)

CODE_LENGTH = 10  # base32 characters: 50 bits, one-time and short-lived
MAX_TTL_MINUTES = 7 * 24 * 60


@dataclass(frozen=True, slots=True)
class AuthenticatedDevice:
    id: str
    store_id: str
    device_code: str
    name: str


def create_enrolment_code(conn: Connection, store_code: str, ttl_minutes: int = 60,
                          now: datetime | None = None) -> tuple[str, str]:
    """A new one-time code for the store: (code, expires_at). Only its hash is stored."""
    if not 1 <= ttl_minutes <= MAX_TTL_MINUTES:
        raise ServiceError(f"ttl_minutes must be between 1 and {MAX_TTL_MINUTES}")
    store_id = conn.execute(select(Store.id).where(Store.code == store_code)).scalar()
    if store_id is None:
        raise NotFound(f"unknown store {store_code!r}")
    now = now or datetime.now(timezone.utc)
    code = base64.b32encode(secrets.token_bytes(10)).decode("ascii")[:CODE_LENGTH]
    expires_at = utc_iso(now + timedelta(minutes=ttl_minutes))
    conn.execute(insert(EnrolmentCode), [{
        "code_sha256": sha256_hex(code), "store_id": store_id, "created_at": utc_iso(now),
        "expires_at": expires_at, "used_at": None, "device_id": None}])
    return code, expires_at


def enrol(conn: Connection, code: str, device_name: str, now: datetime | None = None,
          request_id: str | None = None) -> EnrolResponse:
    """Exchange a one-time code for a device id and secret (shown once, stored hashed).

    `request_id` (device-made, kept by the device before it asks) makes enrolment safe to
    retry: when HQ's answer was lost, the same code with the same request id, within
    ENROL_REPLAY_MINUTES of the first use, answers the same device with a NEW secret (HQ keeps
    only hashes, so the lost one cannot be repeated; it was never received, so nothing that
    works is invalidated). Any other second use of a code is refused.
    """
    now = now or datetime.now(timezone.utc)
    now_s = utc_iso(now)
    digest = sha256_hex(normalise_enrolment_code(code))
    row = conn.execute(select(EnrolmentCode).where(EnrolmentCode.code_sha256 == digest)).first()
    if row is None:
        raise EnrolmentRefused("unknown enrolment code")
    if row.used_at is not None:
        return _replay(conn, row, request_id, now)
    if row.expires_at <= now_s:
        raise EnrolmentRefused("enrolment code expired")
    device_id = str(uuid.uuid4())
    # Spend the code first, conditionally: of two concurrent enrolments only one wins.
    spent = conn.execute(update(EnrolmentCode).where(
        EnrolmentCode.code_sha256 == digest, EnrolmentCode.used_at.is_(None)).values(
        used_at=now_s, device_id=device_id, request_id=request_id)).rowcount
    if spent != 1:
        raise EnrolmentRefused("enrolment code already used")
    store = conn.execute(select(Store.id, Store.code).where(Store.id == row.store_id)).one()
    secret = secrets.token_urlsafe(32)
    for _attempt in range(5):
        count = conn.execute(select(func.count()).select_from(Device).where(
            Device.store_id == store.id)).scalar_one()
        device_code = f"T{count + 1:02d}"
        try:
            with conn.begin_nested():
                conn.execute(insert(Device), [{
                    "id": device_id, "store_id": store.id, "name": device_name,
                    "device_code": device_code, "secret_sha256": sha256_hex(secret),
                    "enrolled_at": now_s, "revoked_at": None, "last_seen_at": None}])
            break
        except IntegrityError:  # another device took that number at the same moment
            continue
    else:  # pragma: no cover - five concurrent enrolments in one store at the same instant
        raise ServiceError("could not number the device; try again")
    return EnrolResponse(device_id=device_id, device_secret=secret, device_code=device_code,
                         store_id=store.id, store_code=store.code)


def _replay(conn: Connection, row, request_id: str | None, now: datetime) -> EnrolResponse:
    """The answer to a retried enrolment request (see `enrol`), or EnrolmentRefused."""
    if request_id is None or row.request_id is None or not hmac.compare_digest(
            request_id.lower(), row.request_id.lower()):
        raise EnrolmentRefused("enrolment code already used")
    if row.used_at < utc_iso(now - timedelta(minutes=ENROL_REPLAY_MINUTES)):
        raise EnrolmentRefused("enrolment code already used (too long ago to repeat the "
                               "answer; ask HQ for a new code)")
    device = conn.execute(select(Device.id, Device.device_code, Device.revoked_at,
                                 Store.id.label("store_id"), Store.code.label("store_code"))
                          .join(Store, Store.id == Device.store_id)
                          .where(Device.id == row.device_id)).first()
    if device is None or device.revoked_at is not None:
        raise EnrolmentRefused("enrolment code already used")
    secret = secrets.token_urlsafe(32)
    conn.execute(update(Device).where(Device.id == device.id)
                 .values(secret_sha256=sha256_hex(secret)))
    return EnrolResponse(device_id=device.id, device_secret=secret,
                         device_code=device.device_code, store_id=device.store_id,
                         store_code=device.store_code)


LAST_SEEN_RESOLUTION = timedelta(minutes=1)
_UUID = re.compile(UUID_PATTERN)


class BadCredentials(AuthError):
    """Credentials were presented and are wrong (a guess, or a device's lost secret): what
    the API counts against the client's address and the device id (hq/api/gate.py). A
    missing header or a revoked device is a plain AuthError."""


def bearer_device_id(authorization: str | None) -> str | None:
    """The device id a `Bearer <device_id>.<secret>` header names (lower case), if any."""
    if not authorization or not authorization.startswith("Bearer "):
        return None
    device_id, sep, secret = authorization[len("Bearer "):].strip().partition(".")
    return device_id.lower() if sep and secret and _UUID.fullmatch(device_id) else None


def authenticate(conn: Connection, authorization: str | None) -> AuthenticatedDevice:
    """The device behind an `Authorization: Bearer <device_id>.<secret>` header, or AuthError
    (BadCredentials when the header is malformed or the secret wrong)."""
    if not authorization or not authorization.startswith("Bearer "):
        raise AuthError("missing bearer token")
    device_id = bearer_device_id(authorization)
    if device_id is None:  # checked before any query: the id goes to the database
        raise BadCredentials("malformed bearer token")
    secret = authorization[len("Bearer "):].strip().partition(".")[2]
    row = conn.execute(select(Device).where(Device.id == device_id)).first()
    # Compare against a dummy hash for unknown devices too: timing says nothing either way.
    expected = row.secret_sha256 if row is not None else "0" * 64
    if not hmac.compare_digest(sha256_hex(secret), expected) or row is None:
        raise BadCredentials("invalid device credentials")
    if row.revoked_at is not None:
        raise AuthError("device revoked")
    now = datetime.now(timezone.utc)
    # "Last seen" to the minute is enough for IT, and a write on every poll of 1,000 tills
    # is not free: refresh it only when the stored one is older than a minute.
    if row.last_seen_at is None or row.last_seen_at < utc_iso(now - LAST_SEEN_RESOLUTION):
        conn.execute(update(Device).where(Device.id == device_id)
                     .values(last_seen_at=utc_iso(now)))
    return AuthenticatedDevice(row.id, row.store_id, row.device_code, row.name)


def revoke(conn: Connection, device_id: str) -> str:
    """Revoke a device: its next request gets 401 "device revoked". Returns revoked_at."""
    row = conn.execute(select(Device.revoked_at).where(Device.id == device_id)).first()
    if row is None:
        raise NotFound(f"unknown device {device_id!r}")
    if row.revoked_at is not None:
        return row.revoked_at
    at = utc_iso()
    conn.execute(update(Device).where(Device.id == device_id).values(revoked_at=at))
    return at
