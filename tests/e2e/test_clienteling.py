"""End to end, issue 5: a real `pos-hq` (demo-seed) on loopback and an enrolled till.

Online: search -> live profile -> one tap puts an online-cart item in the basket (she is
attached) -> paid partly with points, the rest cash -> HQ's ledger has the earn entry
(uuid5(sale, "earn")) and the redemption (id = the payment's id), each once.
Offline (HQ stopped): search answers from the saved book, labelled -> her saved profile ->
a tee paid partly with points within the offline limit -> the sale waits in the outbox.
HQ back: the till catches up by itself and HQ books the offline redemption exactly once;
her HQ balance is what the ledger says.
"""
from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from hq.child_process import HQChild
from hq.services.loyalty import earn_entry_id, points_for
from pos_app.demo.store import DEMO_ASSOCIATES, DEMO_VN_TEE_BARCODE
from pos_app.textfold import fold
from tests.ui.conftest import sign_in
from tests.ui.test_customers_screens import open_till, shopper_with_cart
from tests.waiting import WAIT_MS
from ui.customers.points_dialog import PointsDialog
from ui.scanner_filter import simulate_wedge_scan
from ui.sell.cash_dialog import CashDialog

ADMIN_TOKEN = "e2e-clienteling-admin"


@pytest.fixture
def hq(tmp_path):
    server = HQChild(f"sqlite:///{tmp_path / 'hq.sqlite3'}", ADMIN_TOKEN)
    server.cli("demo-seed")
    server.start()
    yield server, tmp_path / "hq.sqlite3"
    server.stop()


def _ledger(hq_db, customer_id: str) -> dict[str, tuple[int, str]]:
    con = sqlite3.connect(hq_db)
    try:
        return {r[0]: (r[1], r[2]) for r in con.execute(
            "SELECT id, delta, reason FROM loyalty_ledger WHERE customer_id = ?", (customer_id,))}
    finally:
        con.close()


def _pay_with_points(qtbot, sell, points: int):
    """Pay with `points`, the rest in exact cash; returns the loyalty Payment."""
    qtbot.waitUntil(lambda: sell.customer.points_btn.isEnabled(), timeout=WAIT_MS)
    qtbot.mouseClick(sell.customer.points_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, PointsDialog), timeout=WAIT_MS)
    dialog = sell.active_dialog
    assert dialog.usable >= points
    dialog.set_points(points)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, CashDialog), timeout=WAIT_MS)
    loyalty = dialog.payment
    cash = sell.active_dialog
    cash.set_tendered(cash._due)
    qtbot.mouseClick(cash.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sell.pages.currentWidget() is sell.complete_view, timeout=WAIT_MS)
    return loyalty


def test_clienteling_online_then_offline_reconciled_once(qtbot, qapp, tmp_path, hq):
    from ui.enrol import enrol_till

    server, hq_db = hq
    code = server.cli("enrolment-code", "--store", "HCM1").split()[-1]
    till = tmp_path / "till" / "till.sqlite3"
    till.parent.mkdir()
    enrol_till(till, server.url, code, "Counter 1")
    customer_id, name, _phone = shopper_with_cart(hq_db)
    before = sum(d for d, _ in _ledger(hq_db, customer_id).values())

    app = open_till(qtbot, qapp, tmp_path, till, "counter", "en")
    try:
        app.sync.worker.interval = 1.0
        cashier = next(a for a in DEMO_ASSOCIATES["hcm"] if a.code == "C01")
        sign_in(qtbot, app, cashier.code, cashier.pin)
        window, screen, sell = app.window, app.window.customers, app.window.sell

        # --- online -------------------------------------------------------------------------
        qtbot.mouseClick(window.nav_buttons["customers"], Qt.MouseButton.LeftButton)
        qtbot.keyClicks(screen.search.field, fold(name))  # typed without accents
        qtbot.waitUntil(lambda: any(h.id == customer_id for h in screen.search.hits),
                        timeout=WAIT_MS)
        assert screen.search.source.text() == "Live from HQ"
        screen.open_customer(customer_id)
        qtbot.waitUntil(lambda: screen.profile.profile is not None
                        and screen.profile.profile.customer.id == customer_id, timeout=WAIT_MS)
        assert screen.profile.live
        balance = screen.profile.profile.loyalty.balance
        assert balance == before
        screen.profile.tabs.setCurrentWidget(screen.profile.cart)
        cart = screen.profile.cart.cart  # a refreshed profile rebuilds its rows: click a shown one
        qtbot.waitUntil(lambda: any(r.add is not None and r.add.isVisible() for r in cart.rows),
                        timeout=WAIT_MS)  # the first line HQ prices in this store
        add = next(r.add for r in cart.rows if r.add is not None)
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(sell.basket.lines) == 1, timeout=WAIT_MS)
        assert sell.basket.customer_id == customer_id
        merchandise = sell.basket.priced().total
        online_pay = _pay_with_points(qtbot, sell, 10)
        online_sale = sell.last_sale
        shown = sell.complete_view.points  # what she earns, as HQ will book it
        assert shown.isVisible() and shown.text() == \
            f"Loyalty points earned: {online_sale.points_earned}"
        sell.start_new_sale()
        app.sync.sync_now()
        qtbot.waitUntil(lambda: online_pay.id in _ledger(hq_db, customer_id), timeout=60_000)
        ledger = _ledger(hq_db, customer_id)
        assert ledger[online_pay.id] == (-10, "redeem")
        earned = points_for(merchandise, "VND")
        assert ledger[earn_entry_id(online_sale.sale_id)] == (earned, "earn")

        # --- offline: HQ is down --------------------------------------------------------------
        server.stop()
        qtbot.mouseClick(window.nav_buttons["customers"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(screen.profile.back_btn, Qt.MouseButton.LeftButton)
        screen.search.field.clear()
        qtbot.keyClicks(screen.search.field, fold(name))  # typed without accents
        qtbot.waitUntil(lambda: any(h.id == customer_id for h in screen.search.hits)
                        and "saved data" in screen.search.source.text(), timeout=WAIT_MS)
        screen.open_customer(customer_id)
        qtbot.waitUntil(lambda: screen.profile.profile is not None and not screen.profile.live,
                        timeout=WAIT_MS)
        assert "saved data" in screen.profile.source.text()
        qtbot.mouseClick(screen.profile.attach_btn, Qt.MouseButton.LeftButton)
        assert sell.basket.customer_id == customer_id
        simulate_wedge_scan(sell.search, DEMO_VN_TEE_BARCODE)
        qtbot.waitUntil(lambda: len(sell.basket.lines) == 1, timeout=WAIT_MS)
        offline_pay = _pay_with_points(qtbot, sell, 5)
        offline_sale = sell.last_sale
        sell.start_new_sale()
        app.sync.sync_now()
        qtbot.waitUntil(lambda: app.sync.last is not None and not app.sync.last.online
                        and app.sync.last.pending >= 1, timeout=WAIT_MS)
        assert offline_pay.id not in _ledger(hq_db, customer_id)

        # --- HQ back: caught up, the offline redemption booked exactly once -------------------
        server.start()
        app.sync.sync_now()
        qtbot.waitUntil(lambda: offline_pay.id in _ledger(hq_db, customer_id), timeout=60_000)
        qtbot.waitUntil(lambda: app.sync.last.online and app.sync.last.pending == 0,
                        timeout=60_000)
        rounds = app.sync.worker.cycles
        app.sync.sync_now()  # one more round: a retried push must not book it twice
        # a round that began before the nudge may end first; the one after it began after it
        qtbot.waitUntil(lambda: app.sync.worker.cycles >= rounds + 2, timeout=WAIT_MS)
    finally:
        app.close()
    ledger = _ledger(hq_db, customer_id)
    assert ledger[offline_pay.id] == (-5, "redeem")
    assert earn_entry_id(offline_sale.sale_id) in ledger
    rows = sqlite3.connect(hq_db).execute(
        "SELECT count(*) FROM loyalty_ledger WHERE id IN (?, ?)",
        (offline_pay.id, online_pay.id)).fetchone()
    assert rows == (2,)
    total = sum(d for d, _ in ledger.values())
    assert total == before - 10 - 5 + earned + ledger[earn_entry_id(offline_sale.sale_id)][0]
