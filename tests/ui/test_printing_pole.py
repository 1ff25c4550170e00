"""The customer display follows the Sell screen: item added and total, then total and change.

A real pseudo-terminal stands in for the display's serial port; the app is the real one.
"""
from __future__ import annotations

from pos_app.demo.store import DEMO_VN_SNEAKER_BARCODE, DEMO_VN_TEE_BARCODE
from pos_app.tenders import cash_payment
from tests.hardware.printer_sim import PtyPrinterSim
from tests.hardware.test_pole_display import screen
from tests.ui.conftest import sign_in
from tests.waiting import WAIT_MS
from ui.scanner_filter import simulate_wedge_scan


def showing(pty) -> list[str] | None:
    """The display's two lines after the last complete update it received."""
    data = pty.received
    return screen(data[data.rfind(b"\x1b@"):]) if data else None


def test_pole_display_shows_items_total_and_change(qtbot, tmp_path, qapp):
    from ui.app import build_app
    from ui.theme import LayoutMode

    with PtyPrinterSim() as display:
        app = build_app(tmp_path / "pole.sqlite3", layout=LayoutMode.COUNTER, lang="en",
                        demo_store="hcm", qt=qapp, pole_display=display.uri(9600))
        try:
            qtbot.addWidget(app.window)
            app.window.show()
            qtbot.waitUntil(lambda: app.window.login.tiles.count() > 0, timeout=WAIT_MS)
            qtbot.waitUntil(lambda: showing(display) == ["Storeline Saigon Cen", " " * 20],
                            timeout=WAIT_MS)  # between customers: the store's name
            sign_in(qtbot, app, "C01", "1111")
            sell = app.window.sell
            simulate_wedge_scan(sell.search, DEMO_VN_TEE_BARCODE)
            simulate_wedge_scan(sell.search, DEMO_VN_SNEAKER_BARCODE)
            qtbot.waitUntil(lambda: len(sell.basket.lines) == 2, timeout=WAIT_MS)
            # the item just added (folded to ASCII, cut to fit) above the running total
            qtbot.waitUntil(lambda: showing(display) == ["Giay the 1.290.000 d",
                                                         "TONG CON 1.489.000 d"], timeout=WAIT_MS)
            sell.checkout((cash_payment(1_489_000, 1_500_000),))
            qtbot.waitUntil(lambda: sell.pages.currentWidget() is sell.complete_view,
                            timeout=WAIT_MS)
            qtbot.waitUntil(lambda: showing(display) == ["TONG CON 1.489.000 d",
                                                         "Tien thoi l 11.000 d"], timeout=WAIT_MS)
        finally:
            app.close()
