"""HQ's tables for the organisation and the change feed: stores, their tax rates, associates,
the change feed itself (change_log and its compacted state) and HQ's audit log.

Why: these are the rows every other area hangs off (a store id is on nearly every table) and
the feed through which HQ publishes to devices. Every catalog/associate/customer write appends
a `change_log` row in the same transaction: the change feed devices pull from (`seq` is the
server cursor). Area module of hq.db.models; shared types come from hq.db.models.base.
"""
from __future__ import annotations

from sqlalchemy import (BigInteger, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint, text)
from sqlalchemy.orm import Mapped, mapped_column

from hq.db.models.base import Base, BigIntPK


class Store(Base):
    __tablename__ = "stores"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    locale: Mapped[str] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64))
    tax_mode: Mapped[str] = mapped_column(String(16))  # "inclusive" | "exclusive"
    address: Mapped[str] = mapped_column(Text, default="")
    discount_threshold_bp: Mapped[int] = mapped_column(Integer, default=2000)
    barcode_rules: Mapped[str] = mapped_column(Text, default="[]")  # JSON text
    # sync.protocol_store_settings.StoreSettings as JSON text; "{}": every default. HQ-only
    # (hq/services/store_settings.py reads it); a server default, so writers that predate it
    # (and the demo seed) need not name it.
    settings: Mapped[str] = mapped_column(Text, server_default=text("'{}'"))


class TaxRate(Base):
    __tablename__ = "tax_rates"
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    tax_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    rate_ppm: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(64))


class Associate(Base):
    __tablename__ = "associates"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(Text)  # argon2 string, never the PIN
    active: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (UniqueConstraint("store_id", "code"),)


class ChangeLog(Base):
    """The change feed: one row per published write; `store_id` NULL means every store."""

    __tablename__ = "change_log"
    seq: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    store_id: Mapped[str | None] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(32))
    op: Mapped[str] = mapped_column(String(8))  # "upsert" | "delete"
    key: Mapped[str] = mapped_column(String(128))
    data: Mapped[str | None] = mapped_column(Text)  # JSON text of the device row's columns
    at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (Index("ix_change_log_store_seq", "store_id", "seq"),)


class FeedState(Base):
    """The change feed compacted to its current state: the latest upsert of each key per scope.

    Written by the same functions that append to change_log (hq/services/catalog.py), in the
    same transaction; a deleted key has no row. A new device downloads this (GET /v1/snapshot)
    instead of replaying the whole feed. `scope` is the change's store id, or "" for every
    store (a primary key column cannot be NULL). `seq` is the change_log row it came from.
    """

    __tablename__ = "feed_state"
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    scope: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[str] = mapped_column(Text)  # JSON text, exactly change_log.data
    __table_args__ = (Index("ix_feed_state_scope_entity_seq", "scope", "entity", "seq"),)


class AuditLog(Base):
    """Who looked at what at HQ (e.g. a customer's profile opened on a device). Append-only."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(32))
    device_id: Mapped[str | None] = mapped_column(String(36))
    store_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(64))  # e.g. "customer.profile_viewed"
    subject: Mapped[str] = mapped_column(String(128))  # e.g. the customer id
    detail: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_audit_log_subject", "subject"),)
