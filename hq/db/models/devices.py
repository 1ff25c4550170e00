"""HQ's tables for enrolled devices (tills) and the one-time codes that enrol them.

Why: a device is who HQ trusts to push sales and pull the feed (hq/services/enrolment.py).
Only a hash of a device's secret or of an enrolment code is ever stored.
Area module of hq.db.models; shared types come from hq.db.models.base.
"""
from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hq.db.models.base import Base


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    device_code: Mapped[str] = mapped_column(String(8))
    secret_sha256: Mapped[str] = mapped_column(String(64))  # never the secret itself
    enrolled_at: Mapped[str] = mapped_column(String(32))
    revoked_at: Mapped[str | None] = mapped_column(String(32))
    last_seen_at: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (UniqueConstraint("store_id", "device_code"),)


class EnrolmentCode(Base):
    __tablename__ = "enrolment_codes"
    code_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    created_at: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[str] = mapped_column(String(32))
    used_at: Mapped[str | None] = mapped_column(String(32))
    device_id: Mapped[str | None] = mapped_column(String(36))
    # The device-made id of the enrolment request that spent the code: the same request
    # retried (its answer was lost) gets the device again, with a fresh secret.
    request_id: Mapped[str | None] = mapped_column(String(36))
