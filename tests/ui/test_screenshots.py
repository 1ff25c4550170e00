"""Screenshots of the Sell screen in both layouts and both languages (look at them!).

Saved to tests/_artifacts/screenshots/sell_<layout>_<lang>.png. Besides saving, the test
checks what a person would notice: translated labels, money formatted for the store's locale,
Vietnamese names intact, nothing clipped in the totals and action buttons.
"""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton, QStyleOptionViewItem

from pos_app.demo.store import (DEMO_ASSOCIATES, DEMO_VN_KIDS_BARCODE, DEMO_VN_SNEAKER_BARCODE,
                                DEMO_VN_TEE_BARCODE)
from tests.ui.conftest import sign_in
from tests.waiting import WAIT_MS
from ui.scanner_filter import simulate_wedge_scan

EXPECT = {
    "en": {"pay": "Pay cash", "tax": "VAT included", "nav": "Sell"},
    "vi": {"pay": "Trả tiền mặt", "tax": "Đã gồm VAT", "nav": "Bán hàng"},
}


@pytest.mark.parametrize("layout", ["counter", "tablet"])
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_sell_screen_screenshot(qtbot, make_app, shots_dir, layout, lang):
    app = make_app("hcm", layout, lang)
    window, sell = app.window, app.window.sell
    manager = next(a for a in DEMO_ASSOCIATES["hcm"] if a.code == "M01")
    sign_in(qtbot, app, manager.code, manager.pin)
    for code in (DEMO_VN_TEE_BARCODE, DEMO_VN_SNEAKER_BARCODE, DEMO_VN_KIDS_BARCODE):
        simulate_wedge_scan(sell.search, code)
    qtbot.waitUntil(lambda: len(sell.basket.lines) == 3, timeout=WAIT_MS)
    qtbot.wait(50)
    window.grab().save(str(shots_dir / f"sell_{layout}_{lang}.png"))

    # The screen it is made for: a 1366 x 768 counter monitor, a 10" 800 x 1280 tablet.
    screen = (1366, 768) if layout == "counter" else (800, 1280)
    assert window.width() <= screen[0] and window.height() <= screen[1], window.size()
    assert sell.btn_pay.text() == EXPECT[lang]["pay"]
    assert sell.lbl_tax.text() == EXPECT[lang]["tax"]
    assert window.nav_buttons["sell"].text() == EXPECT[lang]["nav"]
    # 199.000 + 1.290.000 + 149.000, formatted by Babel for vi_VN whatever the UI language.
    assert sell.val_total.text() == "1.638.000\xa0₫"
    assert sell.model.data(sell.model.index(1, 0)).startswith("Giày thể thao")
    # Nothing clipped: every action button is wide enough for its text.
    for btn in window.findChildren(QPushButton):
        if btn.isVisible() and btn.text() and "\n" not in btn.text():
            needed = btn.fontMetrics().horizontalAdvance(btn.text())
            assert btn.width() >= needed, f"{btn.objectName()} clips {btn.text()!r}"
    assert sell.val_total.width() >= sell.val_total.fontMetrics().horizontalAdvance(sell.val_total.text())
    # Each basket row is tall enough for its two lines (name; variant · SKU), none cut off.
    option = QStyleOptionViewItem()
    option.initFrom(sell.table)
    for row in range(sell.model.rowCount()):
        for col in range(sell.model.columnCount()):
            hint = sell.table.itemDelegate().sizeHint(option, sell.model.index(row, col))
            assert hint.height() <= sell.table.rowHeight(row), (row, col)
            if col > 0:  # numbers are never clipped
                assert hint.width() <= sell.table.columnWidth(col), (row, col)


def test_us_store_formats_dollars_and_sales_tax(qtbot, make_app, shots_dir):
    from pos_app.demo.store import DEMO_US_TEE_PRICE, DEMO_US_TEE_UPC

    app = make_app("nyc", "counter", "en")
    sell = app.window.sell
    cashier = next(a for a in DEMO_ASSOCIATES["nyc"] if a.code == "C01")
    sign_in(qtbot, app, cashier.code, cashier.pin)
    simulate_wedge_scan(sell.search, DEMO_US_TEE_UPC)  # 12-digit UPC-A finds the GTIN-13
    qtbot.waitUntil(lambda: len(sell.basket.lines) == 1, timeout=WAIT_MS)
    tax = (DEMO_US_TEE_PRICE * 88750 + 500_000) // 1_000_000  # 8.875 %, half-up
    assert sell.lbl_tax.text() == "Sales tax"
    assert sell.val_tax.text() == f"${tax / 100:.2f}"
    assert sell.val_total.text() == f"${(DEMO_US_TEE_PRICE + tax) / 100:.2f}"
    app.window.grab().save(str(shots_dir / "sell_counter_en_nyc.png"))
