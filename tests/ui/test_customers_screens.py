"""Screenshots of the clienteling screens with a real HQ on loopback (look at them!):
search, the profile's five tabs, the Sell screen with the customer attached and a cart line
added, and the create form with its duplicate warning — counter and tablet, English and
Vietnamese. Saved to tests/_artifacts/screenshots/customers_*.png.

One HQ (`pos-hq demo-seed`) and one enrolled till database are made per module (enrolment
downloads the store); each test opens a copy of that till.
"""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from hq.child_process import HQChild
from pos_app.demo.store import DEMO_ASSOCIATES
from pos_app.textfold import fold
from tests.ui.conftest import sign_in
from tests.waiting import PATIENT_HTTP, WAIT_MS

ADMIN_TOKEN = "customers-ui-admin"


@pytest.fixture(scope="module")
def hq_till(tmp_path_factory):
    """(HQChild, path of an enrolled HCM1 till database, HQ database path)."""
    from ui.enrol import enrol_till

    base = tmp_path_factory.mktemp("clienteling")
    hq_db = base / "hq.sqlite3"
    server = HQChild(f"sqlite:///{hq_db}", ADMIN_TOKEN)
    server.cli("demo-seed")
    server.start()
    code = server.cli("enrolment-code", "--store", "HCM1").split()[-1]
    till = base / "till.sqlite3"
    enrol_till(till, server.url, code, "Counter 1")
    yield server, till, hq_db
    server.stop()


def open_till(qtbot, qapp, tmp_path: Path, till: Path, layout: str, lang: str):
    """A copy of the enrolled till, built by the composition root and shown."""
    from ui.app import build_app
    from ui.theme import LayoutMode

    copy = tmp_path / f"till-{layout}-{lang}.sqlite3"
    for src in till.parent.glob(till.name + "*"):  # the file and any -wal/-shm beside it
        shutil.copy(src, tmp_path / src.name.replace(till.name, copy.name))
    app = build_app(copy, layout=LayoutMode(layout), lang=lang, demo_store=None, qt=qapp)
    # The till's live look-ups give up after 1.5 s and then read the saved book (reading never
    # waits on the network). These tests show what HQ answers, and their HQ is up: on a busy
    # machine it gets the time it needs. Set before the first look-up makes its clients.
    app.services.customers.lookup.timeout = PATIENT_HTTP
    qtbot.addWidget(app.window)
    app.window.show()
    qtbot.waitUntil(lambda: app.window.login.tiles.count() > 0, timeout=WAIT_MS)
    return app


def shopper_with_cart(hq_db: Path, store_code: str = "HCM1") -> tuple[str, str, str]:
    """(id, name, phone) of a seeded customer of `store_code` with orders and an online cart
    priced in that store (another store's shopper's cart is "not sold here")."""
    con = sqlite3.connect(hq_db)
    try:
        return con.execute(
            "SELECT c.id, c.name, c.phone FROM customers c"
            " JOIN stores s ON s.id = c.home_store_id AND s.code = ?"
            " JOIN cart_lines l ON l.customer_id = c.id"
            " JOIN prices p ON p.store_id = s.id AND p.variant_id = l.variant_id"
            " JOIN web_orders o ON o.customer_id = c.id"
            " GROUP BY c.id ORDER BY count(DISTINCT o.id) DESC, c.id LIMIT 1",
            (store_code,)).fetchone()
    finally:
        con.close()


def _clipped_buttons(window) -> list[str]:
    bad = []
    for btn in window.findChildren(QPushButton):
        if btn.isVisible() and btn.text() and "\n" not in btn.text():
            if btn.width() < btn.fontMetrics().horizontalAdvance(btn.text()):
                bad.append(btn.text())
    return bad


EXPECT = {"en": {"live": "Live from HQ", "tab": "History", "attach": "Attach to sale",
                 "dup": "She may already be a customer"},
          "vi": {"live": "Trực tiếp từ trụ sở", "tab": "Lịch sử", "attach": "Gắn vào đơn",
                 "dup": "Khách có thể đã có hồ sơ"}}
TABS = ("history", "cart", "notes", "loyalty", "suggestions")


@pytest.mark.parametrize("layout", ["counter", "tablet"])
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_customer_screens_screenshots(qtbot, qapp, tmp_path, hq_till, shots_dir, layout, lang):
    from ui.i18n import install_language

    server, till, hq_db = hq_till
    customer_id, name, phone = shopper_with_cart(hq_db)
    app = open_till(qtbot, qapp, tmp_path, till, layout, lang)
    try:
        window = app.window
        manager = next(a for a in DEMO_ASSOCIATES["hcm"] if a.code == "M01")
        sign_in(qtbot, app, manager.code, manager.pin)
        screen = window.customers
        qtbot.mouseClick(window.nav_buttons["customers"], Qt.MouseButton.LeftButton)
        # her given name, typed without accents (QTest types ASCII only; search folds)
        qtbot.keyClicks(screen.search.field, fold(name.split()[-1]))
        qtbot.waitUntil(lambda: any(h.id == customer_id for h in screen.search.hits),
                        timeout=WAIT_MS)
        assert screen.search.source.text() == EXPECT[lang]["live"]
        qtbot.wait(50)
        window.grab().save(str(shots_dir / f"customers_search_{layout}_{lang}.png"))

        screen.open_customer(customer_id)
        qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.profile
                        and screen.profile.profile is not None, timeout=WAIT_MS)
        profile = screen.profile
        assert profile.attach_btn.text() == EXPECT[lang]["attach"]
        assert profile.tabs.tabText(0) == EXPECT[lang]["tab"]
        assert profile.source.text().startswith(EXPECT[lang]["live"])
        assert profile.profile.cart and profile.profile.orders
        for i, tab in enumerate(TABS):
            profile.tabs.setCurrentIndex(i)
            qtbot.wait(50)
            window.grab().save(str(shots_dir / f"customers_profile_{tab}_{layout}_{lang}.png"))
            assert _clipped_buttons(window) == [], tab

        # One tap on a cart line: it goes into the basket and she is attached.
        profile.tabs.setCurrentIndex(1)
        sellable = [i for i, line in enumerate(profile.profile.cart) if line.unit_price is not None]
        assert sellable, "the seeded shopper's cart has nothing priced in this store"
        first = profile.cart.cart.rows[sellable[0]]
        sku = profile.profile.cart[sellable[0]].sku
        qtbot.mouseClick(first.add, Qt.MouseButton.LeftButton)
        sell = window.sell
        qtbot.waitUntil(lambda: len(sell.basket.lines) == 1, timeout=WAIT_MS)
        assert sell.basket.lines[0].item.sku == sku
        assert sell.basket.customer_id == customer_id
        assert name in sell.customer.label.text()
        qtbot.wait(50)
        window.grab().save(str(shots_dir / f"customers_sell_attached_{layout}_{lang}.png"))
        assert _clipped_buttons(window) == []

        # A new customer with her phone: HQ's duplicate check shows her first.
        qtbot.mouseClick(window.nav_buttons["customers"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(screen.profile.back_btn, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(screen.new_btn, Qt.MouseButton.LeftButton)
        form = screen.form
        form.name.setText("Test Duplicate")
        form.phone.setText(phone)
        qtbot.mouseClick(form.save_btn, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: form.dup_box.isVisibleTo(form), timeout=WAIT_MS)
        assert customer_id in [d.id for d in form.duplicates]
        assert EXPECT[lang]["dup"] in form.dup_title.text()
        qtbot.wait(50)
        window.grab().save(str(shots_dir / f"customers_form_duplicate_{layout}_{lang}.png"))
    finally:
        app.close()
        install_language(qapp, "en")
