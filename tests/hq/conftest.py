"""Fixtures for the HQ tests: every database test runs on a SQLite file and on PostgreSQL.

PostgreSQL: a fresh database `storeline_hq_test_<random>` on 127.0.0.1:5432 (user postgres,
trust auth) per test, dropped afterwards; where no server answers, those cases are skipped
with the reason printed. Device databases for real sales are copies of a demo store built
once per session with pos_app.demo.store.load_demo.
"""
from __future__ import annotations

import secrets
import shutil
from pathlib import Path

import pytest

from hq.db.engine import make_engine
from hq.db.migrate import upgrade

# A refused connection fails at once; a busy server only takes longer to answer. A short
# connect timeout here would skip every PostgreSQL case of the session on a loaded machine.
PG_ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=30"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
_pg_unreachable: list[str] = []


def pytest_configure(config):
    # Starlette's TestClient still runs on httpx and says so; nothing for us to act on.
    config.addinivalue_line("filterwarnings", "ignore:Using `httpx` with `starlette.testclient`")


def _pg_admin():
    import psycopg

    return psycopg.connect(PG_ADMIN_DSN, autocommit=True)


def _pg_reason() -> str | None:
    if not _pg_unreachable:
        try:
            _pg_admin().close()
            _pg_unreachable.append("")
        except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
            _pg_unreachable.append(f"no PostgreSQL on 127.0.0.1:5432 ({exc.__class__.__name__})")
    return _pg_unreachable[0] or None


def new_database_url(backend: str, tmp_path: Path) -> tuple[str, object]:
    """(url, cleanup) for a new, empty database of `backend`."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'hq.db'}", lambda: None
    reason = _pg_reason()
    if reason:
        print(reason)
        pytest.skip(reason)
    name = f"storeline_hq_test_{secrets.token_hex(6)}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return PG_URL.format(name=name), drop


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The URL of a new, empty HQ database (not yet migrated)."""
    url, cleanup = new_database_url(request.param, tmp_path)
    yield url
    cleanup()


@pytest.fixture
def hq_engine(db_url):
    """An engine on a migrated, empty HQ database."""
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def demo_device_templates(tmp_path_factory) -> dict[str, Path]:
    """Device databases of both demo stores (load_demo), built once; tests copy them."""
    from pos_app.db.engine import make_engine as make_device_engine
    from pos_app.demo.store import load_demo

    root = tmp_path_factory.mktemp("device-templates")
    paths = {}
    for key in ("hcm", "nyc"):
        paths[key] = root / f"{key}.db"
        engine = make_device_engine(paths[key])
        load_demo(engine, key)
        engine.dispose()
    return paths


@pytest.fixture
def device_copy(tmp_path, demo_device_templates):
    """copy(key) -> path of a private copy of a demo device database."""
    def copy(key: str) -> Path:
        path = tmp_path / f"device-{key}-{secrets.token_hex(3)}.db"
        shutil.copyfile(demo_device_templates[key], path)
        return path
    return copy
