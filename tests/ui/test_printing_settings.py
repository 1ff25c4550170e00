"""The Printers settings (managers only): set up a printer, test it, read its status, live.

A manager types a simulated printer's address on the Settings screen, prints the test page
and reads the status before saving; after "Save" the next sale prints there without a
restart. Bad values are refused with a specific message and change nothing. A cashier does
not see the printer settings.
"""
from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from pos_app.demo.store import DEMO_ASSOCIATES
from tests.hardware.escpos_decode import decode
from tests.ui.conftest import sign_in
from tests.ui.test_printing import (printer_sim, printing_app, quick_retries,  # noqa: F401
                                    receipts_printed, sell_tee)
from tests.waiting import PATIENT_IO_S, WAIT_MS


@pytest.fixture(autouse=True)
def patient_printer_forms(monkeypatch):
    """The form builds settings with the product's defaults (a 0.5 s status timeout, which is
    also how long a print waits for the printer to take the last bytes). The simulator always
    answers: on a busy machine it gets the time a broken printer would not."""
    import ui.printing.printer_settings_panel as panel

    real = panel.PrinterSettings

    def patient(**values):
        values.setdefault("status_timeout_s", PATIENT_IO_S)
        values.setdefault("connect_timeout_s", PATIENT_IO_S)
        return real(**values)

    monkeypatch.setattr(panel, "PrinterSettings", patient)


def _assoc(code: str):
    return next(a for a in DEMO_ASSOCIATES["hcm"] if a.code == code)


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_manager_sets_up_tests_and_saves_a_printer_live(qtbot, printing_app, printer_sim,
                                                        shots_dir):
    app = printing_app(None)  # the demo starts without a printer
    window = app.window
    bridge = app.services.printing
    manager = _assoc("M01")
    sign_in(qtbot, app, manager.code, manager.pin)
    window.show_screen("settings")
    panel = window.settings.printers
    assert panel is not None and panel.isVisible()

    panel.uri.setText("tcp://192.168.1.50:abc")  # a bad address: a specific message, no change
    _click(qtbot, panel.save_btn)
    assert "port" in panel.message.text().lower() and bridge.settings is None

    panel.uri.setText(printer_sim.uri)
    panel.profile.setCurrentIndex(panel.profile.findData("TM-T88V"))
    panel.text_mode.setCurrentIndex(panel.text_mode.findData("codepage"))
    _click(qtbot, panel.status_btn)  # before saving: the form's values are used
    qtbot.waitUntil(lambda: "Printer ready" in panel.status.text(), timeout=WAIT_MS)
    assert "Cash drawer: closed" in panel.status.text()
    _click(qtbot, panel.test_btn)
    qtbot.waitUntil(lambda: panel.message.text() == "The test page was printed.",
                    timeout=WAIT_MS)
    [page] = receipts_printed(printer_sim)
    assert "TEST-T00-000001" in page.decode("latin-1")
    assert bridge.settings is None  # tested, not saved yet

    _click(qtbot, panel.save_btn)
    qtbot.waitUntil(lambda: bridge.settings is not None, timeout=WAIT_MS)
    assert panel.message.text() == f"Saved. Receipts print on {printer_sim.uri}."
    assert "No receipt printer" not in window.printer_state.text()
    db = sqlite3.connect(app.services.till._writer.url.database)
    assert printer_sim.uri in db.execute(
        "SELECT value FROM settings WHERE key = 'receipt_printer'").fetchone()[0]
    db.close()
    printer_sim.state.drawer_pin3_high = True
    _click(qtbot, panel.status_btn)  # the saved printer: read through its queue
    qtbot.waitUntil(lambda: "Cash drawer: open" in panel.status.text(), timeout=WAIT_MS)
    assert "drawer open" in window.printer_state.text()
    printer_sim.state.drawer_pin3_high = False
    qtbot.wait(50)
    window.grab().save(str(shots_dir / "printers_settings_en.png"))

    window.show_screen("sell")  # the next sale prints on it, no restart
    sale = sell_tee(qtbot, window.sell)
    qtbot.waitUntil(lambda: window.sell.complete_view.print_level == "ok", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(receipts_printed(printer_sim)) == 2, timeout=WAIT_MS)
    printout = decode(receipts_printed(printer_sim)[1],
                      bridge.queue.printer.renderer.profile.get_code_pages())
    assert sale.receipt_no in printout.text


def test_a_cashier_does_not_see_printer_settings(qtbot, printing_app):
    app = printing_app(None)
    sign_in(qtbot, app, "C01", _assoc("C01").pin)
    app.window.show_screen("settings")
    settings = app.window.settings
    assert settings.printers is None or not settings.printers.isVisible()
    assert settings.printers_note.isVisible()
    assert "manager" in settings.printers_note.text()
