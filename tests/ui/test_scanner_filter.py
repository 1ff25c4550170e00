"""Qt tests of the app-wide wedge scanner filter (run with QT_QPA_PLATFORM=offscreen).

Scanner bursts use explicit QKeyEvent timestamps (simulate_wedge_scan) and the
filter gets a clock the test controls, so a loaded CI machine cannot turn a
scan into typing.  Human typing uses real waits: load only makes gaps longer.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from pos_app.scanning.wedge_detector import WedgeSettings
from ui.scanner_filter import WedgeScannerFilter, simulate_wedge_scan

CODE = "4006381333931"


class FakeClock:
    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def window(qtbot):
    w = QWidget()
    layout = QVBoxLayout(w)
    w.edit = QLineEdit()
    w.qty = QLineEdit()
    layout.addWidget(w.edit)
    layout.addWidget(w.qty)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitActive(w)
    w.edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.edit)
    return w


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def wedge(qapp, clock):
    f = WedgeScannerFilter(WedgeSettings(), clock_ms=clock)
    f.install(qapp)
    scans: list[str] = []
    f.scanned.connect(scans.append)
    f.scans = scans
    yield f
    f.uninstall()
    f.deleteLater()


def test_scanner_burst_emits_scan_and_nothing_leaks(qtbot, window, wedge, clock):
    with qtbot.waitSignal(wedge.scanned, timeout=1000) as blocker:
        simulate_wedge_scan(window.edit, CODE, suffix="\r", start_ms=clock.now, interkey_ms=4)
    assert blocker.args == [CODE]
    assert wedge.scans == [CODE]
    clock.now += 1000
    wedge.poll()
    qtbot.wait(20)
    assert window.edit.text() == ""
    assert wedge.detector.held == ""


def test_scan_works_whichever_widget_has_focus(qtbot, window, wedge, clock):
    window.qty.setFocus()
    simulate_wedge_scan(window.qty, "ABC-12345", suffix="\t", start_ms=clock.now, interkey_ms=3)
    assert wedge.scans == ["ABC-12345"]
    assert window.qty.text() == ""
    assert QApplication.focusWidget() is window.qty  # the Tab suffix did not move focus


def test_scanner_burst_via_posted_events(qtbot, window, wedge, clock):
    """Events through the event loop (postEvent) with controlled timestamps."""
    for i, char in enumerate(CODE + "\r"):
        key = Qt.Key.Key_Return if char == "\r" else ord(char)
        for etype, dt in ((QEvent.Type.KeyPress, 0), (QEvent.Type.KeyRelease, 2)):
            ev = QKeyEvent(etype, key, Qt.KeyboardModifier.NoModifier, char)
            ev.setTimestamp(int(clock.now) + 5 * i + dt)
            QApplication.postEvent(window.edit, ev)
    qtbot.waitUntil(lambda: wedge.scans == [CODE], timeout=2000)
    assert window.edit.text() == ""


def test_slow_human_typing_reaches_widget(qtbot, window, qapp):
    wedge = WedgeScannerFilter(WedgeSettings())  # real monotonic clock
    wedge.install(qapp)
    scans: list[str] = []
    wedge.scanned.connect(scans.append)
    try:
        for ch in "ab12":
            qtbot.keyClick(window.edit, ch)
            qtbot.wait(60)
        qtbot.waitUntil(lambda: window.edit.text() == "ab12", timeout=2000)
        assert scans == []
    finally:
        wedge.uninstall()


def test_short_burst_then_enter_is_typing_and_enter_reaches_widget(qtbot, window, wedge, clock):
    entered: list[str] = []
    window.edit.returnPressed.connect(lambda: entered.append(window.edit.text()))
    simulate_wedge_scan(window.edit, "12", suffix="\r", start_ms=clock.now, interkey_ms=5)
    assert wedge.scans == []
    assert window.edit.text() == "12"
    assert entered == ["12"]


def test_held_char_is_released_by_timer(qtbot, window, wedge, clock):
    ev = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_7, Qt.KeyboardModifier.NoModifier, "7")
    ev.setTimestamp(int(clock.now))
    QApplication.sendEvent(window.edit, ev)
    assert window.edit.text() == ""  # held: could be the start of a scan
    clock.now += 36  # > max_interkey_ms
    qtbot.waitUntil(lambda: window.edit.text() == "7", timeout=2000)  # the real timer ticks
    assert wedge.scans == []


def test_ctrl_a_reaches_widget(qtbot, window, wedge):
    window.edit.setText("hello")
    window.edit.deselect()
    qtbot.keyClick(window.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert window.edit.selectedText() == "hello"


def test_shortcuts_fire_for_typing_but_not_for_scan_suffix(qtbot, window, wedge, clock):
    fired: list[str] = []
    QShortcut(QKeySequence("Ctrl+P"), window).activated.connect(lambda: fired.append("ctrl+p"))
    QShortcut(QKeySequence(Qt.Key.Key_Return), window).activated.connect(lambda: fired.append("enter"))
    simulate_wedge_scan(window.edit, CODE, start_ms=clock.now)
    assert wedge.scans == [CODE] and fired == []
    qtbot.keyClick(window.edit, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert fired == ["ctrl+p"]
    clock.now += 1000
    qtbot.keyClick(window.edit, Qt.Key.Key_Return)  # a human Enter
    assert fired == ["ctrl+p", "enter"]


def test_back_to_back_scans_and_uppercase(qtbot, window, wedge, clock):
    t = simulate_wedge_scan(window.edit, "AB12cd34", start_ms=clock.now)
    simulate_wedge_scan(window.edit, CODE, start_ms=t + 500)
    assert wedge.scans == ["AB12cd34", CODE]
    assert window.edit.text() == ""


def test_simulate_without_filter_types_into_widget(qtbot, window):
    simulate_wedge_scan(window.edit, "123456", suffix="")
    assert window.edit.text() == "123456"


def test_gs1_scan_with_group_separator(qtbot, window, wedge, clock):
    code = "0109506000134352\x1d10ABC123"  # GS arrives as Ctrl+] from a wedge
    simulate_wedge_scan(window.edit, code, start_ms=clock.now)
    assert wedge.scans == [code]
    assert window.edit.text() == ""


def test_held_space_on_button_clicks_after_release(qtbot, window, wedge, clock):
    """Swallowed releases are replayed too: a button clicks on KeyRelease."""
    from PySide6.QtWidgets import QPushButton

    button = QPushButton("OK", window)
    button.show()
    button.setFocus()
    clicks: list[bool] = []
    button.clicked.connect(lambda: clicks.append(True))
    qtbot.keyClick(button, Qt.Key.Key_Space)  # press and release both swallowed (held)
    assert clicks == []
    clock.now += 100
    qtbot.waitUntil(lambda: clicks == [True], timeout=2000)


def test_non_character_key_flushes_held_chars_first(qtbot, window, wedge, clock):
    ev = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier, "1")
    ev.setTimestamp(int(clock.now))
    QApplication.sendEvent(window.edit, ev)
    assert window.edit.text() == ""
    qtbot.keyClick(window.edit, Qt.Key.Key_Backspace)  # must apply after the "1"
    assert window.edit.text() == ""
    qtbot.keyClick(window.edit, Qt.Key.Key_Left)
    clock.now += 200
    qtbot.keyClicks(window.edit, "x")
    clock.now += 200
    wedge.poll()
    assert window.edit.text() == "x"


def test_suffix_not_required_scan_on_timeout(qtbot, window, qapp, clock):
    f = WedgeScannerFilter(WedgeSettings(suffix_required=False), clock_ms=clock)
    f.install(qapp)
    scans: list[str] = []
    f.scanned.connect(scans.append)
    try:
        last = simulate_wedge_scan(window.edit, CODE, suffix="", start_ms=clock.now)
        assert scans == []
        assert last > clock.now  # controlled timestamps; the filter maps its clock onto them
        clock.now += 80
        f.poll()  # what the single-shot timer does
        assert scans == []  # 80 ms is not yet > timeout_ms
        clock.now += 2
        f.poll()
        assert scans == [CODE]
        assert window.edit.text() == ""
    finally:
        f.uninstall()


def test_short_fast_burst_of_repeated_keys_is_replayed_to_original_widget(qtbot, window, wedge, clock):
    simulate_wedge_scan(window.edit, "33", suffix="", start_ms=clock.now)  # held: could be a scan
    window.qty.setFocus()  # focus moves before the timer decides
    clock.now += 100
    wedge.poll()
    assert window.edit.text() == "33" and window.qty.text() == ""
    assert wedge.detector.held == "" and wedge._down == {}


def test_uninstall_replays_held_keys(qtbot, window, qapp, clock):
    f = WedgeScannerFilter(WedgeSettings(), clock_ms=clock)
    f.install(qapp)
    simulate_wedge_scan(window.edit, "12345", suffix="", start_ms=clock.now)
    assert window.edit.text() == ""
    f.uninstall()
    assert window.edit.text() == "12345"
    simulate_wedge_scan(window.edit, "99", suffix="")  # filter gone: plain typing
    assert window.edit.text() == "1234599"


# -- typed keys go back where they were typed; never joined to a later scan (issue 11) -----

PHONE = "0901 234 567"


def _type_fast(widget, text: str, start_ms: float, step_ms: float = 1.0) -> float:
    """Keys as a fast typist or QTest.keyClicks send them: scanner speed, no suffix."""
    return simulate_wedge_scan(widget, text, suffix="", start_ms=start_ms, interkey_ms=step_ms)


@pytest.fixture
def screens(qtbot):
    """Two screens in a stack, as the shell has: Customers (search) and Sell (scan field)."""
    from PySide6.QtWidgets import QPushButton, QStackedWidget

    stack = QStackedWidget()
    customers, sell = QWidget(), QWidget()
    stack.search, stack.scan_field = QLineEdit(customers), QLineEdit(sell)
    stack.attach = QPushButton("Attach", customers)
    stack.attach.move(0, 40)
    stack.addWidget(customers)
    stack.addWidget(sell)
    qtbot.addWidget(stack)
    stack.show()
    stack.activateWindow()
    qtbot.waitActive(stack)
    stack.search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is stack.search)
    return stack


def test_typed_burst_then_screen_change_then_scan(qtbot, screens, wedge, clock):
    """The flow of the clienteling test: phone typed fast, the Sell screen opens, a scan
    follows within the timeout (no event loop ran meanwhile)."""
    last = _type_fast(screens.search, PHONE, clock.now)
    assert screens.search.text() == ""  # held: 12 keys at scanner speed
    screens.setCurrentIndex(1)
    screens.scan_field.setFocus()
    assert screens.search.text() == PHONE  # the change of screen gave them back
    simulate_wedge_scan(screens.scan_field, CODE, start_ms=last + 40)
    assert wedge.scans == [CODE]
    assert screens.scan_field.text() == ""
    assert wedge.detector.held == "" and wedge._down == {}


def test_typed_burst_then_click_reaches_field_before_the_click(qtbot, screens, wedge, clock):
    seen: list[str] = []
    screens.attach.clicked.connect(lambda: seen.append(screens.search.text()))
    last = _type_fast(screens.search, PHONE, clock.now)
    qtbot.mouseClick(screens.attach, Qt.MouseButton.LeftButton)
    assert seen == [PHONE]  # the click's handler already read the typed text
    simulate_wedge_scan(screens.search, CODE, start_ms=last + 40)
    assert wedge.scans == [CODE]
    assert screens.search.text() == PHONE


def test_scan_into_another_widget_does_not_take_held_keys(qtbot, screens, wedge, clock):
    last = _type_fast(screens.search, PHONE, clock.now)
    screens.setCurrentIndex(1)  # no focus change reported: the scan targets another widget
    simulate_wedge_scan(screens.scan_field, CODE, start_ms=last + 2)
    assert wedge.scans == [CODE]
    assert screens.search.text() == PHONE and screens.scan_field.text() == ""


def test_keyclicks_between_scans_never_corrupt_the_next_scan(qtbot, screens, qapp):
    """Real clock, QTest keys (timestamp 0) mixed with timestamped scans that run ahead of
    the clock: the next scan is exactly its code whatever the machine's speed."""
    f = WedgeScannerFilter(WedgeSettings())
    f.install(qapp)
    scans: list[str] = []
    f.scanned.connect(scans.append)
    try:
        start = simulate_wedge_scan(screens.search, CODE) + 5_000  # scans' clock runs ahead
        simulate_wedge_scan(screens.search, CODE, start_ms=start)
        qtbot.keyClicks(screens.search, PHONE)  # timestamp 0: mapped to the scans' clock
        simulate_wedge_scan(screens.search, "4006381333948", start_ms=start - 3_000)
        assert scans == [CODE, CODE, "4006381333948"]
        qtbot.waitUntil(lambda: screens.search.text() == PHONE, timeout=5_000)
    finally:
        f.uninstall()
