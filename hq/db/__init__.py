"""HQ database: models (hq.db.models), engine (hq.db.engine), Alembic migrations."""
