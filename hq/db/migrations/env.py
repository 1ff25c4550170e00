"""Alembic environment for HQ's database; run only through hq.db.migrate."""
from __future__ import annotations

from alembic import context

from hq.db.models.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - we never run alembic without a connection
    raise RuntimeError("Run migrations through hq.db.migrate.upgrade()")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
