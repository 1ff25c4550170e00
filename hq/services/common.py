"""Small shared pieces of the HQ service layer: errors, UTC time stamps, hashing.

Pure code: safe on any thread.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone


class ServiceError(ValueError):
    """A request HQ refuses; the message is the reason given to the caller (4xx)."""

    status = 400


class NotFound(ServiceError):
    status = 404


class AuthError(ServiceError):
    status = 401


class Conflict(ServiceError):
    status = 409


def utc_iso(moment: datetime | None = None) -> str:
    """Fixed-width UTC ISO-8601 with "Z", e.g. "2026-11-22T22:16:42.000000Z" (sorts as text)."""
    moment = (moment or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EnrolmentRefused(ServiceError):
    status = 403
