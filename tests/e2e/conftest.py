"""End-to-end tests use the UI fixtures (screenshots folder, app factory) and a real HQ."""
import pytest

from hq.child_process import HQChild
from tests.ui.conftest import make_app, shots_dir  # noqa: F401 - pytest fixtures

ADMIN_TOKEN = "e2e-admin-token"


@pytest.fixture
def hq(tmp_path):
    """A real `pos-hq serve` on loopback (SQLite), seeded with the demo company."""
    server = HQChild(f"sqlite:///{tmp_path / 'hq.sqlite3'}", ADMIN_TOKEN)
    server.cli("demo-seed")
    server.start()
    yield server
    server.stop()
