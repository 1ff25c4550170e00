"""A till updated from an old version keeps its sales, and the models match the migrations."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, text

from pos_app.db import migrate
from pos_app.db.engine import make_engine
from pos_app.db.models import Base

FIRST = "0001"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def engine(tmp_path):
    eng = make_engine(tmp_path / "old-till.db")
    yield eng
    eng.dispose()


def table_names(engine) -> set[str]:
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"
                                                " WHERE type = 'table'"))}


def schema(engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name"))]


def schema_diff(engine, metadata: MetaData) -> list:
    """Differences between `metadata` and the database, ignoring what env.py ignores."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={
            "include_object": migrate.include_object, "compare_type": True})
        return compare_metadata(ctx, metadata)


def insert_v1_data(engine) -> None:
    """A store with one product and one completed sale, as version 0001 wrote them."""
    with engine.begin() as conn:
        for sql in (
            "INSERT INTO stores VALUES ('st-1', 'HCM1', 'Đồng Khởi', 'VND', 'vi_VN',"
            " 'Asia/Ho_Chi_Minh', 'inclusive', '', 2000, '[]')",
            "INSERT INTO tax_rates VALUES ('st-1', 'VAT10', 100000, 'VAT 10%')",
            "INSERT INTO products VALUES (1, 'p-1', 'ST001', 'Áo sơ mi lụa', 'Lụa', 'Áo',"
            " 'VAT10', 1)",
            "INSERT INTO variants VALUES (1, 'v-1', 1, 'ASM-M', 'M', 'Trắng', 1)",
            "INSERT INTO barcodes VALUES ('8931234000011', 1)",
            "INSERT INTO prices VALUES ('st-1', 1, 199000)",
            "INSERT INTO variant_fts(rowid, text) VALUES (1, 'ao so mi lua trang m asm-m')",
            "INSERT INTO sales VALUES ('sale-1', 'dev-1', 'st-1', 1, 'HCM1-T01-000001', 'a-1',"
            " NULL, 'VND', 'inclusive', 199000, 0, 18091, 199000, NULL, NULL,"
            " '2024-12-31T23:59:59.000000Z')",
            "INSERT INTO sale_lines VALUES ('line-1', 'sale-1', 1, 'v-1', 'ASM-M',"
            " 'Áo sơ mi lụa', 'Trắng / M', 1, 199000, 199000, NULL, 0, NULL, NULL, 0, 'VAT10',"
            " 100000, 18091, 199000, NULL)",
            "INSERT INTO payments VALUES ('pay-1', 'sale-1', 'cash', 199000, 200000, 1000,"
            " NULL, NULL, NULL)",
            "INSERT INTO journal VALUES ('dev-1', 1, 'sale', 'sale-1', '" + "0" * 64 + "',"
            " 'abc', '{}', '2024-12-31T23:59:59.000000Z')",
            "INSERT INTO outbox(id, topic, payload, created_at, status, attempts) VALUES"
            " ('ev-1', 'sale.completed', '{}', '2024-12-31T23:59:59.000000Z', 'pending', 0)",
        ):
            conn.execute(text(sql))


def test_first_revision_is_0001():
    script = ScriptDirectory.from_config(migrate._config())
    assert script.get_base() == FIRST
    assert migrate.head_revision() != FIRST  # there is something to upgrade to


def test_head_constant_is_alembics_head():
    """migrate.HEAD lets a start-up skip Alembic; a new revision must bump it."""
    assert migrate.HEAD == migrate.head_revision()


def test_ensure_current_upgrades_new_and_old_databases(engine, tmp_path):
    new = make_engine(tmp_path / "brand-new.db")
    try:
        migrate.ensure_current(new)
        assert migrate.current_revision(new) == migrate.HEAD
    finally:
        new.dispose()
    migrate.upgrade(engine, FIRST)
    insert_v1_data(engine)
    migrate.ensure_current(engine)
    assert migrate.current_revision(engine) == migrate.HEAD
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sales")).scalar_one() == 1


def test_start_up_on_a_current_database_does_not_load_alembic(engine):
    migrate.upgrade(engine)
    probe = (
        "import sys\n"
        "from pos_app.db.engine import make_engine\n"
        "from pos_app.db.migrate import ensure_current\n"
        f"e = make_engine({str(engine.url.database)!r})\n"
        "ensure_current(e)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_old_database_is_upgraded_in_place_without_losing_a_sale(engine):
    migrate.upgrade(engine, FIRST)
    assert migrate.current_revision(engine) == FIRST
    assert {"customers", "audit_log", "customer_fts"}.isdisjoint(table_names(engine))
    insert_v1_data(engine)

    migrate.upgrade(engine)  # what the app does on every start

    assert migrate.current_revision(engine) == migrate.head_revision()
    assert {"customers", "audit_log", "customer_fts"} <= table_names(engine)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT receipt_no, total FROM sales")).all() == [
            ("HCM1-T01-000001", 199_000)]
        assert conn.execute(text("SELECT sku, amount, tax FROM sale_lines")).all() == [
            ("ASM-M", 199_000, 18_091)]
        assert conn.execute(text("SELECT tender, change FROM payments")).all() == [("cash", 1000)]
        assert conn.execute(text("SELECT seq, ref_id FROM journal")).all() == [(1, "sale-1")]
        assert conn.execute(text("SELECT id, status FROM outbox")).all() == [("ev-1", "pending")]
        assert conn.execute(text("SELECT name FROM products")).scalar_one() == "Áo sơ mi lụa"
        assert conn.execute(text("SELECT rowid FROM variant_fts WHERE variant_fts MATCH"
                                 " '\"so\"* AND \"mi\"*'")).all() == [(1,)]
        # the new tables work
        conn.execute(text("INSERT INTO customers(pk, id, name, phone) VALUES"
                          " (1, 'c-1', 'Nguyễn Thị Mai', '0901234567')"))
        conn.execute(text("INSERT INTO customer_fts(rowid, text) VALUES"
                          " (1, 'nguyen thi mai 0901234567')"))
        assert conn.execute(text("SELECT rowid FROM customer_fts WHERE customer_fts MATCH"
                                 " '\"mai\"*'")).all() == [(1,)]
        conn.execute(text("INSERT INTO audit_log(id, at, action, detail) VALUES"
                          " ('au-1', '2025-01-01T00:00:00.000000Z', 'login', '{}')"))


def test_stepwise_upgrade_and_fresh_install_give_the_same_schema(engine, tmp_path):
    migrate.upgrade(engine, FIRST)
    insert_v1_data(engine)
    migrate.upgrade(engine)
    fresh = make_engine(tmp_path / "new-till.db")
    try:
        migrate.upgrade(fresh)
        assert schema(engine) == schema(fresh)
    finally:
        fresh.dispose()


def test_models_match_the_migrated_schema(engine):
    """Nobody changed a model without writing a migration (or the other way round)."""
    migrate.upgrade(engine)
    assert schema_diff(engine, Base.metadata) == []


def test_the_model_check_catches_a_model_changed_without_a_migration(engine):
    migrate.upgrade(engine)
    changed = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["sales"].append_column(Column("loyalty_points", Integer, nullable=True))
    diff = schema_diff(engine, changed)
    assert [(d[0], d[2], d[3].name) for d in diff] == [("add_column", "sales", "loyalty_points")]


def test_the_model_check_ignores_only_search_tables():
    assert migrate.include_object(None, "variant_fts", "table", True, None) is False
    assert migrate.include_object(None, "customer_fts_data", "table", True, None) is False
    assert migrate.include_object(None, "sales", "table", True, None) is True
    assert migrate.include_object(None, "ix_fts_like", "index", True, None) is True


def test_upgrading_twice_is_a_no_op(engine):
    migrate.upgrade(engine, FIRST)
    insert_v1_data(engine)
    migrate.upgrade(engine)
    before = schema(engine)
    with engine.connect() as conn:
        sales_before = conn.execute(text("SELECT * FROM sales")).all()
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert schema(engine) == before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT * FROM sales")).all() == sales_before
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
