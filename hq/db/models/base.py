"""What every HQ table shares: the declarative `Base` and the column types more than one area
uses (hq.db.models lists the area modules that define the tables).

Why: HQ's own database, SQLAlchemy 2 typed models, portable to SQLite and PostgreSQL. HQ is
the source of truth for catalog, prices, associates and customers (DESIGN.md §4) and the
permanent record of every store transaction. Ids made on devices are UUID text; money is
integer minor units; times are UTC ISO-8601 strings with a "Z" (fixed width, so they sort and
compare as text on both databases). JSON is stored as text for portability.

Alembic owns the schema (hq/db/migrations): change a model, add a revision.
Pure definitions: safe on any thread. Imports nothing of HQ's: every area module imports this.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import DeclarativeBase

# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigIntPK = BigInteger().with_variant(Integer, "sqlite")


class Base(DeclarativeBase):
    pass


# Byte-order text on PostgreSQL: a prefix is a contiguous range of the btree (term >= 'x' AND
# term < 'y'), whatever the database's locale; SQLite's BINARY collation already sorts so.
SearchTerm = String(210).with_variant(String(210, collation="C"), "postgresql")
