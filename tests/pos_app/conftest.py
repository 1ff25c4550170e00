"""Fixtures for the core tests: real SQLite files with a tiny store, and a clock we control."""
from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pos_app.db.engine import make_engine
from pos_app.store_context import load_store_context
from tests.pos_app.fixture_catalog import build_fixture_db


class FixedClock:
    """A `pos_app.ports.Clock` that says what the test tells it (UTC)."""

    def __init__(self, moment: datetime | None = None) -> None:
        self.moment = moment or datetime(2025, 3, 14, 9, 26, 53, 589793, tzinfo=timezone.utc)

    def now_utc(self) -> datetime:
        return self.moment

    def advance(self, **delta) -> None:
        self.moment = self.moment + timedelta(**delta)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture(scope="session")
def _template_dbs(tmp_path_factory) -> dict[str, Path]:
    """Each fixture store built once per session (migrations + inserts); tests get copies."""
    root = tmp_path_factory.mktemp("template-dbs")
    paths = {}
    for kind in ("vnd", "usd"):
        paths[kind] = root / f"{kind}.db"
        build_fixture_db(paths[kind], kind)  # disposes the engine: WAL checkpointed, removed
        assert not paths[kind].with_name(f"{kind}.db-wal").exists()
    return paths


def _device_db(tmp_path: Path, template: Path, kind: str):
    path = tmp_path / f"device-{kind}.db"
    shutil.copyfile(template, path)
    engine = make_engine(path)
    with engine.connect() as conn:
        ctx = load_store_context(conn)
    return engine, ctx


@pytest.fixture
def device_db(tmp_path, _template_dbs):
    """(engine, StoreContext) for a VND, VAT-inclusive store (VAT10 + VAT8) on a real file.

    The store, its 5 variants and its associates are `fixture_catalog.VND_STORE`.
    """
    engine, ctx = _device_db(tmp_path, _template_dbs["vnd"], "vnd")
    yield engine, ctx
    engine.dispose()


@pytest.fixture
def usd_device_db(tmp_path, _template_dbs):
    """(engine, StoreContext) for a USD, tax-exclusive store (SALES 8.875 %) on a real file.

    The store, its 5 variants and its associates are `fixture_catalog.USD_STORE`.
    """
    engine, ctx = _device_db(tmp_path, _template_dbs["usd"], "usd")
    yield engine, ctx
    engine.dispose()
