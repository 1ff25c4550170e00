"""The manager's Sync screen lists what has not reached HQ, and refusals with their reasons."""
from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from pos_app.demo.store import DEMO_ASSOCIATES
from tests.ui.conftest import sell_one_tee, sign_in
from tests.waiting import WAIT_MS


def _assoc(code):
    return next(a for a in DEMO_ASSOCIATES["hcm"] if a.code == code)


def test_only_managers_see_sync_and_it_lists_waiting_and_refused_sales(qtbot, make_app, shots_dir):
    app = make_app("hcm", "counter", "en")
    window = app.window
    cashier, manager = _assoc("C01"), _assoc("M01")
    sign_in(qtbot, app, cashier.code, cashier.pin)
    assert not window.nav_buttons["sync"].isVisible()
    first = sell_one_tee(qtbot, window.sell).receipt_no
    second = sell_one_tee(qtbot, window.sell).receipt_no
    db = app.services.till._writer.url.database
    with sqlite3.connect(db) as conn:  # as the sync of a later issue would mark a refusal
        conn.execute("UPDATE outbox SET status = 'quarantined', attempts = 1,"
                     " last_error = 'journal chain break at seq 2' WHERE position = 2")
    window.lock()
    sign_in(qtbot, app, manager.code, manager.pin)
    assert window.nav_buttons["sync"].isVisible()
    qtbot.mouseClick(window.nav_buttons["sync"], Qt.MouseButton.LeftButton)
    screen = window.sync
    qtbot.waitUntil(lambda: screen.overview is not None, timeout=WAIT_MS)
    assert "1 waiting to reach HQ · 1 refused by HQ" in screen.summary.text()
    assert screen.table.item(0, 0).text().startswith(second)
    assert screen.table.item(0, 1).text() == "refused by HQ"
    assert screen.table.item(0, 4).text() == "journal chain break at seq 2"
    assert screen.table.item(1, 0).text().startswith(first)
    window.grab().save(str(shots_dir / "sync_screen_counter_en.png"))
    qtbot.mouseClick(screen.sync_btn, Qt.MouseButton.LeftButton)
    assert "not set up" in screen.summary.text()  # honest until HQ sync is configured
