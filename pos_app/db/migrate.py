"""Bring a device database up to the current schema with Alembic, on every start.

Why: a store's tablets are updated one by one; an app that finds an older database must
upgrade it in place without losing a sale. Runs on the database worker at start-up (or in a
test/benchmark), before any other query.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")

# The newest revision in migrations/versions. Kept here so that a start-up on an up-to-date
# database does not import Alembic (about 0.3 s); tests/pos_app/test_migrations.py checks it
# against Alembic's own idea of the head, so a new revision cannot forget to bump it.
HEAD = "0008"


def ensure_current(engine: Engine) -> None:
    """Upgrade to HEAD unless the database is already there (the common, fast case)."""
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError:  # no alembic_version table: a new database
        version = None
    if version != HEAD:
        upgrade(engine)


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ARG001 - alembic hook
    """Alembic's filter: FTS5 virtual tables and their shadow tables are not in the models.

    They are created by raw SQL in the revisions. Used by migrations/env.py and by the test
    that compares the models with the migrated schema, so both ignore exactly the same names.
    """
    return not (type_ == "table" and name and "_fts" in name)


def _config() -> "Config":
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind `engine` to `revision` (default: the newest)."""
    from alembic import command

    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
