"""Alembic owns HQ's schema: the migrated database matches the models on both databases."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hq.db.migrate import head_revision, upgrade
from hq.db.models.base import Base


def test_the_migrated_schema_matches_the_models_and_upgrading_twice_is_harmless(hq_engine):
    upgrade(hq_engine)  # already at head: nothing to do, no error
    with hq_engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        assert ctx.get_current_revision() == head_revision() == "0009"
        assert compare_metadata(ctx, Base.metadata) == []
