"""End-to-end tests use the UI fixtures (screenshots folder, app factory)."""
from tests.ui.conftest import make_app, shots_dir  # noqa: F401 - pytest fixtures
