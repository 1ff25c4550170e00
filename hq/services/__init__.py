"""HQ use cases as plain functions on a SQLAlchemy Connection (no FastAPI): the API and the
CLI call them; the caller owns the transaction."""
