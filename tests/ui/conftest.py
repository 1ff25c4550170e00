"""Fixtures for UI tests: a real app built by the composition root on a real SQLite file.

Screenshots go to tests/_artifacts/screenshots/ (git-ignored) so people can look at them.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.waiting import WAIT_MS

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHOTS = Path(__file__).resolve().parent.parent / "_artifacts" / "screenshots"


@pytest.fixture
def shots_dir() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture
def make_app(qtbot, tmp_path, qapp):
    """Factory: make_app(store="hcm", layout="counter", lang="en") -> ui.app.App, shown."""
    from ui.app import build_app
    from ui.i18n import install_language
    from ui.theme import LayoutMode

    apps = []

    def factory(store: str = "hcm", layout: str = "counter", lang: str = "en"):
        app = build_app(tmp_path / f"{store}-{layout}-{lang}.sqlite3", layout=LayoutMode(layout),
                        lang=lang, demo_store=store, qt=qapp)
        qtbot.addWidget(app.window)
        app.window.show()
        qtbot.waitUntil(lambda: app.window.login.tiles.count() > 0, timeout=WAIT_MS)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.close()
    install_language(qapp, "en")


def sign_in(qtbot, app, code: str, pin: str) -> None:
    """Tap the associate's tile and type the PIN on the login screen, as a person would."""
    from PySide6.QtCore import Qt

    login = app.window.login
    qtbot.mouseClick(login.findChild(type(login.sign_in), f"tile_{code}"), Qt.MouseButton.LeftButton)
    for digit in pin:
        qtbot.mouseClick(login.keypad.findChild(type(login.sign_in), f"key_{digit}"),
                         Qt.MouseButton.LeftButton)
    qtbot.mouseClick(login.sign_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.window.associate is not None, timeout=WAIT_MS)


def drain_db(qtbot, app) -> None:
    """Wait until the database worker has done everything handed to it so far and its results
    reached the UI: it is one thread and results come back in order, so a no-op queued now
    comes back last. What a fixed `qtbot.wait` before a "nothing happened" check stood for."""
    done: list[bool] = []
    app.services.tasks.run_db(lambda: None, lambda _result: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)


def sell_one_tee(qtbot, sell):
    """Scan the demo tee and pay the exact amount in cash; returns the completed sale."""
    from pos_app.demo.store import DEMO_VN_TEE_BARCODE
    from pos_app.tenders import cash_payment
    from ui.scanner_filter import simulate_wedge_scan

    simulate_wedge_scan(sell.search, DEMO_VN_TEE_BARCODE)
    qtbot.waitUntil(lambda: len(sell.basket.lines) == 1, timeout=WAIT_MS)
    due = sell.basket.priced().total
    sell.checkout((cash_payment(due, due),))
    qtbot.waitUntil(lambda: sell.pages.currentWidget() is sell.complete_view, timeout=WAIT_MS)
    sell.start_new_sale()
    return sell.last_sale
