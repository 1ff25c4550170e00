"""Alembic environment for the device database; run only through pos_app.db.migrate."""
from __future__ import annotations

from alembic import context

from pos_app.db.migrate import include_object
from pos_app.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - guarded: we never run alembic without a connection
    raise RuntimeError("Run migrations through pos_app.db.migrate.upgrade()")


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
