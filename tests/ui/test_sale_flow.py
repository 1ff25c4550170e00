"""A whole sale driven through the real UI, as a cashier would do it (issue 2's acceptance).

PIN login -> one item by simulated wedge keystrokes -> one by search -> an invalid barcode
that shows an error and changes nothing -> a basket discount above the threshold that needs
and gets a manager's override -> cash with change -> the sale, its journal record and its
outbox event are in the database -> the basket is empty and ready for the next customer.
"""
from __future__ import annotations

import json
import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from pos_app.demo.store import (DEMO_ASSOCIATES, DEMO_VN_SILK_PRICE,
                                DEMO_VN_TEE_BARCODE, DEMO_VN_TEE_PRICE, DEMO_VN_TEE_SKU)
from pos_app.journal import GENESIS, chain_hash
from tests.ui.conftest import drain_db, sign_in
from tests.waiting import WAIT_MS
from ui.override_dialog import OverrideDialog
from ui.scanner_filter import simulate_wedge_scan
from ui.sell.cash_dialog import CashDialog
from ui.sell.discount_dialog import DiscountDialog


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _assoc(code: str):
    return next(a for a in DEMO_ASSOCIATES["hcm"] if a.code == code)


def test_cashier_sells_with_scan_search_override_and_cash(qtbot, make_app, shots_dir):
    app = make_app("hcm", "counter", "en")
    window, sell = app.window, app.window.sell
    cashier, manager = _assoc("C01"), _assoc("M01")

    sign_in(qtbot, app, cashier.code, cashier.pin)
    assert window.associate.name == cashier.name

    # 1. A wedge scanner types the tee's barcode + Enter while the search field has focus.
    sell.search.setFocus()
    simulate_wedge_scan(sell.search, DEMO_VN_TEE_BARCODE)
    qtbot.waitUntil(lambda: len(sell.basket.lines) == 1, timeout=WAIT_MS)
    assert sell.basket.lines[0].item.sku == DEMO_VN_TEE_SKU
    assert sell.search.text() == ""  # the scan did not leak into the focused field

    # 2. Search as you type, without accents, then Enter adds the top hit.
    qtbot.keyClicks(sell.search, "so mi lua")
    qtbot.waitUntil(lambda: sell.search.text() == "so mi lua", timeout=WAIT_MS)
    drain_db(qtbot, app)  # the search for the whole text has answered (not one for "so mi")
    assert sell.results.isVisible() and sell.results.count() > 0
    hit = sell.results.currentItem().data(Qt.ItemDataRole.UserRole)
    assert hit.name == "Áo sơ mi lụa"
    qtbot.keyClick(sell.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(sell.basket.lines) == 2, timeout=WAIT_MS)
    assert sell.basket.lines[1].item.sku == hit.sku
    total_before = sell.basket.priced().total

    # 3. A barcode with a wrong check digit: a clear error, a visual cue, nothing changes.
    bad = DEMO_VN_TEE_BARCODE[:-1] + str((int(DEMO_VN_TEE_BARCODE[-1]) + 1) % 10)
    simulate_wedge_scan(sell.search, bad)
    qtbot.waitUntil(lambda: sell.banner_level == "error" and bad in sell.banner.text(),
                    timeout=WAIT_MS)
    assert "Not a valid barcode" in sell.banner.text()
    assert sell.banner.property("level") == "error"
    assert len(sell.basket.lines) == 2 and sell.basket.priced().total == total_before
    # ... and a valid code the store does not sell.
    simulate_wedge_scan(sell.search, "4006381333931")
    qtbot.waitUntil(lambda: "Unknown barcode 4006381333931" in sell.banner.text(), timeout=WAIT_MS)
    assert len(sell.basket.lines) == 2

    # 4. A 30 % basket discount is above the 20 % threshold: the cashier needs a manager.
    _click(qtbot, sell.btn_basket_discount)
    dlg = sell.active_dialog
    assert isinstance(dlg, DiscountDialog)
    dlg.set_values(percent=True, value="30", reason="Damaged item")
    _click(qtbot, dlg.findChild(QPushButton, "ApplyDiscount"))
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, OverrideDialog), timeout=WAIT_MS)
    override = sell.active_dialog
    assert sell.basket.discount is None  # not applied before approval
    qtbot.keyClicks(override.pin, "9999")  # a wrong PIN is refused
    qtbot.waitUntil(lambda: override.pin.text() == "9999", timeout=WAIT_MS)  # typing, not a scan
    _click(qtbot, override.approve_btn)
    qtbot.waitUntil(lambda: override.error.isVisible(), timeout=WAIT_MS)
    assert sell.basket.discount is None
    qtbot.keyClicks(override.pin, manager.pin)
    qtbot.waitUntil(lambda: override.pin.text() == manager.pin, timeout=WAIT_MS)
    _click(qtbot, override.approve_btn)
    qtbot.waitUntil(lambda: sell.basket.discount is not None, timeout=WAIT_MS)
    manager_id = next(a.id for a in app.services.till.associates() if a.code == manager.code)
    assert sell.basket.discount.approved_by == manager_id
    expected_total = (DEMO_VN_TEE_PRICE + DEMO_VN_SILK_PRICE) * 70 // 100
    assert sell.basket.priced().total == expected_total == 762_300
    assert sell.val_total.text() == "762.300\xa0₫"

    # 5. Cash: the customer hands over 1.000.000 ₫; the change is shown before confirming.
    _click(qtbot, sell.btn_pay)
    cash = sell.active_dialog
    assert isinstance(cash, CashDialog)
    _click(qtbot, cash.findChild(QPushButton, "quick_1000000"))
    assert "237.700\xa0₫" in cash.change_label.text()
    cash.grab().save(str(shots_dir / "cash_dialog_en.png"))
    _click(qtbot, cash.confirm)
    qtbot.waitUntil(lambda: sell.pages.currentWidget() is sell.complete_view, timeout=WAIT_MS)
    assert "237.700\xa0₫" in sell.complete_view.change.text()
    window.grab().save(str(shots_dir / "sale_complete_counter_en.png"))

    # 6. Durably recorded: sale, lines, payment, journal record, outbox event, audit row.
    sale = sell.last_sale
    db = sqlite3.connect(app.services.till._writer.url.database)
    row = db.execute("SELECT total, associate_id, receipt_no, seq FROM sales WHERE id = ?",
                     (sale.sale_id,)).fetchone()
    cashier_id = next(a.id for a in app.services.till.associates() if a.code == cashier.code)
    assert row == (762_300, cashier_id, "HCM1-T01-000001", 1)
    assert db.execute("SELECT count(*) FROM sale_lines WHERE sale_id = ?", (sale.sale_id,)).fetchone() == (2,)
    assert db.execute("SELECT tender, amount, tendered, change FROM payments WHERE sale_id = ?",
                      (sale.sale_id,)).fetchone() == ("cash", 762_300, 1_000_000, 237_700)
    seq, prev, digest, payload = db.execute(
        "SELECT seq, prev_hash, hash, payload FROM journal WHERE ref_id = ?", (sale.sale_id,)).fetchone()
    assert (seq, prev) == (1, GENESIS) and digest == chain_hash(prev, payload)
    event = json.loads(db.execute("SELECT payload FROM outbox WHERE status = 'pending'").fetchone()[0])
    assert event["sale"]["id"] == sale.sale_id and event["journal"]["hash"] == digest
    assert db.execute("SELECT approved_by FROM audit_log WHERE action = 'basket_discount'"
                      " AND ref_id = ?", (sale.sale_id,)).fetchone() == (manager_id,)
    db.close()

    # 7. Ready for the next customer: empty basket, a scan starts the next sale.
    assert sell.basket.is_empty and sell.basket.discount is None
    _click(qtbot, sell.complete_view.button)
    assert sell.pages.currentIndex() == 0
    assert sell.val_total.text() == "0\xa0₫"
    qtbot.waitUntil(lambda: window.sync_label.text().endswith("waiting to sync: 1"),
                    timeout=WAIT_MS)


def test_associate_without_permission_cannot_skip_the_override(qtbot, make_app):
    """Cancelling the manager dialog leaves the basket exactly as it was."""
    app = make_app("hcm", "counter", "en")
    sell = app.window.sell
    associate = _assoc("A01")
    sign_in(qtbot, app, associate.code, associate.pin)
    simulate_wedge_scan(sell.search, DEMO_VN_TEE_BARCODE)
    qtbot.waitUntil(lambda: len(sell.basket.lines) == 1, timeout=WAIT_MS)
    sell.table.selectRow(0)
    _click(qtbot, sell.btn_price)
    amount = sell.active_dialog
    amount.set_minor(99_000)
    amount.accept()
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, OverrideDialog), timeout=WAIT_MS)
    sell.active_dialog.reject()
    assert sell.basket.lines[0].unit_price == DEMO_VN_TEE_PRICE
    assert sell.basket.priced().total == DEMO_VN_TEE_PRICE


def test_wrong_pin_does_not_sign_in(qtbot, make_app):
    app = make_app("hcm", "counter", "en")
    login = app.window.login
    login.select_code("C01")
    qtbot.keyClicks(login.pin, "0000")
    qtbot.waitUntil(lambda: login.pin.text() == "0000", timeout=WAIT_MS)
    qtbot.keyClick(login.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: login.error.isVisible(), timeout=WAIT_MS)
    assert "Wrong PIN" in login.error.text()
    assert app.window.associate is None
    assert app.window.root.currentWidget() is login


def test_idle_till_locks_itself_and_keeps_the_basket(qtbot, make_app):
    app = make_app("hcm", "counter", "en")
    window, sell = app.window, app.window.sell
    cashier = _assoc("C01")
    sign_in(qtbot, app, cashier.code, cashier.pin)
    simulate_wedge_scan(sell.search, DEMO_VN_TEE_BARCODE)
    qtbot.waitUntil(lambda: len(sell.basket.lines) == 1, timeout=WAIT_MS)
    store_setting = window.idle_timer.interval()
    window.idle_timer.setInterval(300)  # the store setting is minutes; the rule is the same
    window.idle_timer.start()
    qtbot.waitUntil(lambda: window.associate is None, timeout=WAIT_MS)
    # Locked. Back to the store's setting, so that a slow sign-in below is not locked again.
    window.idle_timer.setInterval(store_setting)
    assert window.root.currentWidget() is window.login
    simulate_wedge_scan(sell.search, DEMO_VN_TEE_BARCODE)  # a scan on a locked till is ignored
    drain_db(qtbot, app)  # a look-up it had started would have come back by now
    assert sell.basket.lines[0].quantity == 1
    sign_in(qtbot, app, cashier.code, cashier.pin)
    assert len(sell.basket.lines) == 1 and sell.associate.code == cashier.code
