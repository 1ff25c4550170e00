"""The Card terminal settings (managers only): set up the terminal, test it, save it live.

A manager types the simulated terminal's address, POIID, key and CA file on the Settings
screen; "Test" asks the terminal about a payment it never saw (nothing is charged) and says
whether the settings are right; a wrong POIID or passphrase gets its own message; after
"Save" the next card payment goes to the terminal without a restart, and the passphrase is
never shown again.
"""
from __future__ import annotations

import json
import sqlite3

import pytest
from PySide6.QtCore import Qt

from pos_app.demo.store import DEMO_ASSOCIATES
from tests.hardware.terminal_sim import running_sim
from tests.hardware.test_adyen_terminal import PASSPHRASE
from tests.ui.conftest import sign_in
from tests.waiting import WAIT_MS


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def sim():
    with running_sim() as simulator:
        yield simulator


def test_manager_sets_up_tests_and_saves_the_card_terminal(qtbot, make_app, sim, shots_dir):
    app = make_app("hcm", "counter", "en")
    window = app.window
    manager = next(a for a in DEMO_ASSOCIATES["hcm"] if a.code == "M01")
    sign_in(qtbot, app, manager.code, manager.pin)
    window.show_screen("settings")
    panel = window.settings.terminal
    assert panel is not None and panel.isVisible()
    qtbot.waitUntil(panel.isEnabled, timeout=WAIT_MS)  # the saved settings (none) are read

    panel.url.setText(f"https://127.0.0.1:{sim.port}")
    panel.poiid.setText("not a poiid")
    _click(qtbot, panel.test_btn)
    assert "POIID" in panel.message.text()  # refused before anything is asked

    panel.poiid.setText("P400Plus-999999999")  # another terminal's name
    panel.key_id.setText("StorelineKey")
    panel.key_version.setValue(1)
    panel.passphrase.setText(PASSPHRASE)
    panel.ca_file.setText(sim.ca_file)
    _click(qtbot, panel.test_btn)
    qtbot.waitUntil(lambda: panel.test_btn.isEnabled() and "999999999" in panel.message.text()
                    or "certificate" in panel.message.text().lower(), timeout=WAIT_MS)
    assert sim.requests == []  # nothing was sent to a terminal that is not the one named

    panel.poiid.setText(sim.poiid)
    panel.passphrase.setText("not the passphrase")
    _click(qtbot, panel.test_btn)
    qtbot.waitUntil(lambda: panel.test_btn.isEnabled() and panel.message.text() != "Asking "
                    "the terminal…", timeout=WAIT_MS)
    assert "key" in panel.message.text().lower() or "passphrase" in panel.message.text().lower()

    panel.passphrase.setText(PASSPHRASE)
    _click(qtbot, panel.test_btn)
    qtbot.waitUntil(lambda: "set up right" in panel.message.text(), timeout=WAIT_MS)
    assert sim.ledger.entries == []  # a test never charges

    _click(qtbot, panel.save_btn)
    qtbot.waitUntil(lambda: panel.message.text().startswith("Saved."), timeout=WAIT_MS)
    assert panel.passphrase.text() == "" and panel.passphrase.placeholderText() == "unchanged"
    with sqlite3.connect(app.engines[0].url.database) as db:
        stored = json.loads(db.execute("SELECT value FROM settings WHERE key ="
                                       " 'card_terminal'").fetchone()[0])
    assert stored["poiid"] == sim.poiid and stored["passphrase"] == PASSPHRASE
    window.grab().save(str(shots_dir / "terminal_settings_en.png"))

    # the next card payment goes to the terminal, without a restart
    from pos_app.tenders import TenderType

    assert app.services.payments.can_take(TenderType.CARD)


def test_a_cashier_does_not_see_the_terminal_settings(qtbot, make_app):
    app = make_app("hcm", "counter", "en")
    cashier = next(a for a in DEMO_ASSOCIATES["hcm"] if a.code == "C01")
    sign_in(qtbot, app, cashier.code, cashier.pin)
    app.window.show_screen("settings")
    settings = app.window.settings
    assert settings.terminal is None or not settings.terminal.isVisible()
    assert "card terminal" in settings.printers_note.text()
