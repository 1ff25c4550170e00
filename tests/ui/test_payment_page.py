"""The payment page as a cashier uses it: split tenders, what is still due after each, the
basket locked while tenders are taken, refusals that say why, and the sale committed with
every tender when nothing is due (screenshots in both layouts and languages)."""
from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from pos_app.demo.store import DEMO_ASSOCIATES, DEMO_VN_TEE_BARCODE, DEMO_VN_TEE_PRICE
from tests.ui.conftest import sign_in
from tests.waiting import WAIT_MS
from ui.scanner_filter import simulate_wedge_scan


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _type_amount(qtbot, page, digits: str) -> None:
    page.keypad.cleared.emit()
    for d in digits:
        page.keypad.digit.emit(d)


def _two_tees(qtbot, app):
    sell = app.window.sell
    cashier = next(a for a in DEMO_ASSOCIATES["hcm"] if a.code == "C01")
    sign_in(qtbot, app, cashier.code, cashier.pin)
    for n in (1, 2):
        sell.search.setFocus()
        simulate_wedge_scan(sell.search, DEMO_VN_TEE_BARCODE)
        qtbot.waitUntil(lambda n=n: sum(ln.quantity for ln in sell.basket.lines) == n,
                        timeout=WAIT_MS)
    return sell


def test_cash_in_parts_with_the_due_shown_and_the_basket_locked(qtbot, make_app, shots_dir):
    app = make_app("hcm", "counter", "en")
    sell = _two_tees(qtbot, app)
    total = 2 * DEMO_VN_TEE_PRICE  # 398.000 ₫
    _click(qtbot, sell.btn_pay_other)
    page = sell.payment_page
    assert sell.pages.currentWidget() is page
    assert page.val_due.text() == "398.000\xa0₫" and page.typed() == total

    _type_amount(qtbot, page, "100000")
    _click(qtbot, page.btn_cash)
    assert page.val_paid.text() == "100.000\xa0₫" and page.val_due.text() == "298.000\xa0₫"
    assert page.typed() == total - 100_000  # the amount field now holds what is still due
    assert page.tenders.count() == 1 and "Cash 100.000" in page.tenders.item(0).text()

    # no terminal on this till: a card says so and changes nothing
    _click(qtbot, page.btn_card)
    assert page.message_level == "error" and "No card terminal" in page.message.text()
    assert page.val_due.text() == "298.000\xa0₫"

    # tenders taken: the basket may not change, neither by going back nor by a scan
    _click(qtbot, page.btn_back)
    assert sell.pages.currentWidget() is page and "remove or void" in page.message.text()
    simulate_wedge_scan(sell.search, DEMO_VN_TEE_BARCODE)
    qtbot.waitUntil(lambda: "being paid" in page.message.text(), timeout=WAIT_MS)
    assert sum(ln.quantity for ln in sell.basket.lines) == 2
    page.grab().save(str(shots_dir / "payment_page_counter_en.png"))

    # cash is taken back at once; then the basket is free again
    page.tenders.setCurrentRow(0)
    assert page.btn_remove.text() == "Remove payment"
    _click(qtbot, page.btn_remove)
    assert page.val_due.text() == "398.000\xa0₫" and page.tenders.count() == 0
    _click(qtbot, page.btn_back)
    assert sell.pages.currentIndex() == 0

    # again: 200.000 now, then 500.000 handed over for the 198.000 left -> change 302.000
    _click(qtbot, sell.btn_pay_other)
    _type_amount(qtbot, page, "200000")
    _click(qtbot, page.btn_cash)
    _type_amount(qtbot, page, "500000")
    _click(qtbot, page.btn_cash)
    qtbot.waitUntil(lambda: sell.pages.currentWidget() is sell.complete_view, timeout=WAIT_MS)
    sale = sell.last_sale
    assert sale.total == total and sale.change == 302_000
    with sqlite3.connect(app.engines[0].url.database) as db:
        rows = db.execute("SELECT tender, amount, tendered, change FROM payments WHERE"
                          " sale_id = ? ORDER BY amount DESC", (sale.sale_id,)).fetchall()
    assert rows == [("cash", 200_000, 200_000, 0), ("cash", 198_000, 500_000, 302_000)]


@pytest.mark.parametrize("layout, lang", [("counter", "vi"), ("tablet", "en"),
                                          ("tablet", "vi")])
def test_a_tender_above_what_is_due_is_refused_in_words(qtbot, make_app, shots_dir, layout,
                                                        lang):
    app = make_app("hcm", layout, lang)
    sell = _two_tees(qtbot, app)
    _click(qtbot, sell.btn_pay_other)
    page = sell.payment_page
    _type_amount(qtbot, page, "100000")
    _click(qtbot, page.btn_cash)
    _type_amount(qtbot, page, "0")
    _click(qtbot, page.btn_cash)
    assert page.message_level == "error"
    assert page.message.text() == {"en": "Type an amount first.",
                                   "vi": "Hãy nhập số tiền trước."}[lang]
    assert page.val_due.text() == "298.000\xa0₫" and page.tenders.count() == 1
    app.window.grab().save(str(shots_dir / f"payment_page_{layout}_{lang}.png"))


@pytest.fixture
def terminal():
    """The card terminal simulator over real HTTPS, and the till's Adyen client for it."""
    from hardware.terminals.adyen_terminal import AdyenTerminal
    from tests.hardware.terminal_sim import running_sim
    from tests.hardware.test_adyen_terminal import settings_for

    with running_sim() as sim, AdyenTerminal(settings_for(sim)) as client:
        yield sim, client


def _with_card(app, client) -> None:
    from pos_app.payments.authorisation import TerminalAuthoriser
    from pos_app.tenders import TenderType

    app.services.payments.set_authoriser(TenderType.CARD, TerminalAuthoriser(client))


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_cash_then_card_on_the_terminal_completes_the_sale(qtbot, make_app, shots_dir,
                                                           terminal, lang):
    sim, client = terminal
    sim.queue("wait_card")
    app = make_app("hcm", "counter", lang)
    _with_card(app, client)
    sell = _two_tees(qtbot, app)
    _click(qtbot, sell.btn_pay_other)
    page = sell.payment_page
    _type_amount(qtbot, page, "100000")
    _click(qtbot, page.btn_cash)
    _click(qtbot, page.btn_card)  # the rest, 298.000 ₫, by card
    qtbot.waitUntil(sim.waiting_for_card, timeout=WAIT_MS)
    assert page.steps.currentIndex() == 1 and "298.000" in page.card_prompt.text()
    assert not page.btn_back.isEnabled()
    page.grab().save(str(shots_dir / f"payment_card_waiting_counter_{lang}.png"))
    sim.present_card("visa")
    qtbot.waitUntil(lambda: sell.pages.currentWidget() is sell.complete_view, timeout=WAIT_MS)
    sale = sell.last_sale
    with sqlite3.connect(app.engines[0].url.database) as db:
        rows = db.execute("SELECT tender, amount, masked_pan, id FROM payments WHERE"
                          " sale_id = ? ORDER BY tender", (sale.sale_id,)).fetchall()
        states = db.execute("SELECT id, state FROM payment_intents").fetchall()
    assert [r[:2] for r in rows] == [("card", 298_000), ("cash", 100_000)]
    card_id = rows[0][3]
    assert rows[0][2].startswith("**** ") and len(rows[0][2]) == 9  # last four only
    assert states == [(card_id, "attached")]
    # the card network charged exactly this payment, once
    assert [(e.intent_id, e.amount, e.state) for e in sim.ledger.entries] == [
        (card_id, 298_000, "charged")]


def test_cancel_on_the_card_step_charges_nothing_and_keeps_the_tenders(qtbot, make_app,
                                                                        terminal):
    sim, client = terminal
    sim.queue("wait_card")
    app = make_app("hcm", "counter", "en")
    _with_card(app, client)
    sell = _two_tees(qtbot, app)
    _click(qtbot, sell.btn_pay_other)
    page = sell.payment_page
    _type_amount(qtbot, page, "100000")
    _click(qtbot, page.btn_cash)
    _click(qtbot, page.btn_card)
    qtbot.waitUntil(sim.waiting_for_card, timeout=WAIT_MS)
    _click(qtbot, page.btn_cancel_card)
    qtbot.waitUntil(lambda: page.steps.currentIndex() == 0, timeout=WAIT_MS)
    assert page.message_level == "error"
    assert page.message.text().startswith("Cancelled on the terminal.")
    assert "Nothing was charged" in page.message.text()
    assert page.val_due.text() == "298.000\xa0₫" and page.tenders.count() == 1
    assert [e.state for e in sim.ledger.entries] == ["cancelled"]

    # a decline next: the terminal's reason, nothing charged, the cash still there
    sim.queue("decline:Not enough balance")
    _click(qtbot, page.btn_card)
    qtbot.waitUntil(lambda: "Declined" in page.message.text(), timeout=WAIT_MS)
    assert "Not enough balance" in page.message.text() and page.tenders.count() == 1
    assert all(e.state != "charged" for e in sim.ledger.entries)


def test_a_stand_alone_terminal_payment_is_copied_from_its_slip(qtbot, make_app, shots_dir):
    from pos_app.payments.standalone import MANAGER_ABOVE
    from ui.override_dialog import OverrideDialog
    from ui.payments.standalone_dialog import StandaloneCardDialog

    app = make_app("hcm", "counter", "en")
    sell = _two_tees(qtbot, app)
    sell.basket.set_quantity(sell.basket.lines[0].line_id, 30)  # 5.970.000 ₫
    total = 30 * DEMO_VN_TEE_PRICE
    assert total > MANAGER_ABOVE["VND"]
    _click(qtbot, sell.btn_pay_other)
    page = sell.payment_page

    # a small part first: no manager needed; a typo is named, nothing is recorded
    _type_amount(qtbot, page, "900000")
    _click(qtbot, page.btn_standalone)
    dlg = page.active_dialog
    assert isinstance(dlg, StandaloneCardDialog)
    dlg.approval.setText("A1")
    dlg.last4.setText("12")
    _click(qtbot, dlg.confirm)
    assert dlg.isVisible() and "last 4 digits" in dlg.error.text()
    dlg.grab().save(str(shots_dir / "standalone_card_dialog_en.png"))
    dlg.last4.setText("4242")
    _click(qtbot, dlg.confirm)
    qtbot.waitUntil(lambda: page.tenders.count() == 1, timeout=WAIT_MS)
    assert "**** 4242" in page.tenders.item(0).text() and "A1" in page.tenders.item(0).text()
    assert page.val_due.text() == "5.070.000\xa0₫"

    # the rest, above the store's limit: a manager's PIN first
    manager = next(a for a in DEMO_ASSOCIATES["hcm"] if a.code == "M01")
    _click(qtbot, page.btn_standalone)
    dlg = page.active_dialog
    dlg.approval.setText("Z9Y8X7")
    dlg.last4.setText("1111")
    _click(qtbot, dlg.confirm)
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, OverrideDialog), timeout=WAIT_MS)
    assert page.tenders.count() == 1  # not recorded before the approval
    override = sell.active_dialog
    qtbot.keyClicks(override.pin, manager.pin)
    qtbot.waitUntil(lambda: override.pin.text() == manager.pin, timeout=WAIT_MS)
    _click(qtbot, override.approve_btn)
    qtbot.waitUntil(lambda: sell.pages.currentWidget() is sell.complete_view, timeout=WAIT_MS)
    with sqlite3.connect(app.engines[0].url.database) as db:
        rows = db.execute("SELECT p.amount, p.masked_pan, p.auth_code, p.reference, i.state,"
                          " i.message FROM payments p JOIN payment_intents i ON i.id = p.id"
                          " WHERE p.sale_id = ? ORDER BY p.amount", (sell.last_sale.sale_id,)
                          ).fetchall()
    manager_id = next(a.id for a in app.services.till.associates() if a.code == "M01")
    assert [r[:5] for r in rows] == [
        (900_000, "**** 4242", "A1", "standalone", "attached"),
        (5_070_000, "**** 1111", "Z9Y8X7", "standalone", "attached")]
    assert manager_id in rows[1][5] and rows[0][5] == "stand-alone terminal"
