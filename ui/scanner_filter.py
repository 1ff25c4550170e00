"""Application-wide keyboard-wedge scanner filter (DESIGN.md section 6).

Why: a wedge scanner types into whatever widget has focus.  Installed on the
QApplication, :class:`WedgeScannerFilter` sees every key first, asks the pure
``pos_app.scanning.wedge_detector.WedgeDetector`` whether it belongs to a scan, swallows scan
keys (and their releases) and emits ``scanned(code)``; keys that turn out to be
typing are replayed, in order, to the widget that had focus.

Thread: UI (main) thread only -- Qt calls application event filters there; the
timer and ``scanned`` live there too.  Nothing here blocks or does I/O.
* Replays and PASSed keys are re-sent *synchronously* (``QApplication.sendEvent``)
  as copies, so a later key can never overtake them (posted events could).  Our
  copies are recognised by C++ address and let through.
* For candidate keys we accept ``ShortcutOverride``, so a scan's Enter cannot fire a
  plain-key shortcut; re-sent copies go through Qt's normal shortcut handling.
* Modifier-only keys pass untouched.  Ctrl/Alt/Meta combinations, auto-repeat and
  keys without one character of text (arrows, F-keys, Backspace) pass untouched
  after held keys are replayed -- except GS ``"\\x1d"`` (GS1 separator, sent as
  Ctrl+]) and Ctrl+Alt+char (AltGr on Windows), which count as characters.
* Time: ``QKeyEvent.timestamp()`` when non-zero, else ``clock_ms()``; their offset is
  tracked so the timer's ``tick()`` uses the timestamps' base.
* Held keys belong to the widget they were typed into and are never joined to a scan that
  starts later: a mouse press, a touch, a change of focus (a new screen) or a key aimed at
  another widget gives them back to their widget at once, before that event is handled;
  otherwise the timer gives them back after the detector's timeout.
* Limitation: text committed by an input method (QInputMethodEvent) is not seen.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from pos_app.scanning.wedge_detector import KeyDecision, WedgeDetector, WedgeOutcome, WedgeSettings

__all__ = ["WedgeScannerFilter", "simulate_wedge_scan"]

_KEY_TYPES = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride)
# Input a scanner never produces: held keys were typing and go back before it is handled.
_POINTER_PRESSES = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
                    QEvent.Type.TouchBegin, QEvent.Type.TabletPress)
_MODIFIER_KEYS = frozenset(getattr(Qt.Key, f"Key_{n}") for n in (
    "Shift Control Alt Meta AltGr CapsLock NumLock ScrollLock Super_L Super_R Hyper_L Hyper_R "
    "Mode_switch").split())
_M = Qt.KeyboardModifier
_CTRL_ALT = _M.ControlModifier | _M.AltModifier
_SHORTCUT_MODS = _CTRL_ALT | _M.MetaModifier
_GS = "\x1d"


def _monotonic_ms() -> float:
    return time.monotonic() * 1000.0


@dataclass
class _Key:
    """A swallowed key press (events die after dispatch, so we copy the fields)."""
    target: QWidget
    key: int
    mods: Qt.KeyboardModifier
    text: str
    ts: int
    native: tuple[int, int, int]
    state: str = "held"  # held -> replayed | consumed
    released: bool = False  # its real KeyRelease was swallowed while held

    def event(self, etype: QEvent.Type) -> QKeyEvent:
        ev = QKeyEvent(etype, self.key, self.mods, *self.native, self.text)
        ev.setTimestamp(self.ts)
        return ev


class WedgeScannerFilter(QObject):
    """Event filter for the QApplication; emits ``scanned(code)`` (UI thread only)."""

    scanned = Signal(str)

    def __init__(self, settings: WedgeSettings, parent: QObject | None = None,
                 clock_ms: Callable[[], float] | None = None) -> None:
        super().__init__(parent)
        self.detector = WedgeDetector(settings)
        self._clock = clock_ms or _monotonic_ms
        self._offset = 0.0  # event-timestamp base minus clock base
        self._held: list[_Key] = []  # parallel to detector.held
        self._down: dict[int, _Key] = {}  # swallowed presses awaiting their release
        self._sending: list[tuple[int, int, str]] = []  # our copies in flight: (addr, key, text)
        self._app: QApplication | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.poll)

    def install(self, app: QApplication | None = None) -> None:
        """Install on ``app`` (default: the running QApplication)."""
        self._app = app or QApplication.instance()
        self._app.installEventFilter(self)
        self._app.focusChanged.connect(self._on_focus_changed)

    def uninstall(self) -> None:
        """Remove the filter; anything still held is replayed as typing."""
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app.focusChanged.disconnect(self._on_focus_changed)
        self._app = None
        self._timer.stop()
        self._apply(self.detector.abort(self._now()), None)

    def _now(self) -> float:
        return self._clock() + self._offset

    def _event_time(self, ev: QKeyEvent) -> float:
        ts = ev.timestamp()
        if ts:
            self._offset = ts - self._clock()
        return float(ts) if ts else self._now()

    def flush(self) -> None:
        """Give every held key back to the widget it was typed into, now (UI thread).

        Called when something a scanner never does happens: a click, a touch, focus moving
        to another widget (a new screen).  What was held was typing, and belongs where it
        was typed, before that event takes effect.
        """
        if self._held:
            self._apply(self.detector.interrupt(self._now()), None)

    def _on_focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        if not self._sending:  # a replayed key that moves focus is already being delivered
            self.flush()

    def poll(self) -> None:
        """Timer callback, public for fake-clock tests: end a stalled burst."""
        self._apply(self.detector.tick(self._now()), None)

    def _arm(self) -> None:
        deadline = self.detector.deadline()
        if deadline is None:
            return self._timer.stop()
        self._timer.start(max(0, math.ceil(deadline - self._now())) + 1)

    def _kind(self, ev: QKeyEvent) -> str:
        """'modifier', 'feed' (candidate barcode character) or 'other'."""
        if ev.key() in _MODIFIER_KEYS:
            return "modifier"
        text, mods, s = ev.text(), ev.modifiers() & _SHORTCUT_MODS, self.detector.settings
        if len(text) != 1 or ev.isAutoRepeat():
            return "other"
        plain = mods == _M.NoModifier and (text in s.suffixes or text in s.prefix)
        printable = mods in (_M.NoModifier, _CTRL_ALT) and text.isprintable()  # Ctrl+Alt: AltGr
        return "feed" if text == _GS or plain or printable else "other"

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        etype = event.type()
        if etype in _POINTER_PRESSES:
            if self._held:
                self.flush()
            return False
        if etype not in _KEY_TYPES or not isinstance(watched, QWidget):
            return False  # QWidgetWindow forwards key events to the widget: act there
        addr = shiboken6.getCppPointer(event)[0]  # identifies the event across wrappers
        if any(a == addr for a, _, _ in self._sending):
            return False  # our own copy (also while it propagates to parents)
        if etype == QEvent.Type.KeyRelease:
            return self._on_release(event)
        override = etype == QEvent.Type.ShortcutOverride
        if override and self._sending and self._sending[-1][1:] == (event.key(), event.text()):
            return False  # Qt's override for our own copy: normal shortcut handling
        kind = self._kind(event)
        if kind != "feed":
            if kind == "other":  # replay held keys first so they arrive before this one
                self._apply(self.detector.abort(self._event_time(event)), None)
            return False
        if override:
            event.accept()  # decide at KeyPress; a PASSed key is re-sent with shortcuts
            return True
        if self._held and self._held[-1].target is not watched:
            self.flush()  # typed into another widget: a scan never changes widget midway
        rec = _Key(watched, event.key(), event.modifiers(), event.text(), event.timestamp(),
                   (event.nativeScanCode(), event.nativeVirtualKey(), event.nativeModifiers()))
        self._apply(self.detector.feed(event.text(), self._event_time(event)), rec)
        return True

    def _on_release(self, ev: QKeyEvent) -> bool:
        rec = self._down.get(ev.key())
        if rec is None or ev.isAutoRepeat():
            return False
        if rec.state == "held":
            rec.released = True
            return True
        del self._down[ev.key()]
        return rec.state == "consumed"  # a replayed key's real release goes through

    def _apply(self, out: WedgeOutcome, current: _Key | None) -> None:
        """Replay released keys, then handle ``current`` as decided, then emit."""
        n = len(out.release)
        released, self._held = self._held[:n], self._held[n:]
        if out.scan is not None:  # everything held before this key was the scan
            for rec in self._held:
                rec.state = "consumed"
                if rec.released and self._down.get(rec.key) is rec:
                    del self._down[rec.key]  # its release was swallowed already
            self._held.clear()
        if current is not None:
            self._down.pop(current.key, None)  # PASS: its real release goes through
            if out.decision is not KeyDecision.PASS:
                self._down[current.key] = current
            if out.decision is KeyDecision.HOLD:
                self._held.append(current)
            elif out.decision is KeyDecision.CONSUME:
                current.state = "consumed"
        self._arm()
        for rec in released:
            self._replay(rec)
        if current is not None and out.decision is KeyDecision.PASS:
            self._send(current.target, current.event(QEvent.Type.KeyPress), current)
        if out.scan is not None:
            self.scanned.emit(out.scan)

    def _replay(self, rec: _Key) -> None:
        rec.state = "replayed"
        target = rec.target if shiboken6.isValid(rec.target) else QApplication.focusWidget()
        if target is not None:
            self._send(target, rec.event(QEvent.Type.KeyPress), rec)
        if target is not None and rec.released:
            if self._down.get(rec.key) is rec:  # not a newer press of the same key
                del self._down[rec.key]
            self._send(target, rec.event(QEvent.Type.KeyRelease), rec)

    def _send(self, target: QWidget, ev: QKeyEvent, rec: _Key) -> None:
        self._sending.append((shiboken6.getCppPointer(ev)[0], rec.key, rec.text))
        try:
            QApplication.sendEvent(target, ev)
        finally:
            self._sending.pop()


_SPECIAL = {"\r": (Qt.Key.Key_Return, _M.NoModifier), "\n": (Qt.Key.Key_Enter, _M.KeypadModifier),
            "\t": (Qt.Key.Key_Tab, _M.NoModifier), _GS: (Qt.Key.Key_BracketRight, _M.ControlModifier)}


def _key_for(char: str) -> tuple[int, Qt.KeyboardModifier]:
    """The key a US-layout wedge would report for ``char``."""
    if char in _SPECIAL:
        return _SPECIAL[char]
    if " " <= char <= "~":
        shift = char.isupper() or char in '~!@#$%^&*()_+{}|:"<>?'
        return ord(char.upper()), _M.ShiftModifier if shift else _M.NoModifier
    return Qt.Key.Key_unknown, _M.NoModifier


_last_sim_ms = 0.0


def simulate_wedge_scan(widget: QWidget, code: str, suffix: str = "\r",
                        start_ms: float | None = None, interkey_ms: float = 4.0) -> float:
    """Type ``code + suffix`` into ``widget`` like a wedge scanner (UI thread; for tests).

    Each character is a KeyPress/KeyRelease pair timestamped ``start_ms + i *
    interkey_ms`` and delivered by ``QApplication.sendEvent``, so the app-wide filter
    sees a real-looking scan whatever the machine load.  ``start_ms=None``: the
    monotonic clock (the filter's default base), >= 250 ms after the previous simulated
    scan.  Returns the timestamp of the last key press.
    """
    global _last_sim_ms
    if start_ms is None:
        start_ms = max(_monotonic_ms(), _last_sim_ms + 250.0)
    for i, char in enumerate(code + suffix):
        t, (key, mods) = start_ms + i * interkey_ms, _key_for(char)
        for etype, ts in ((QEvent.Type.KeyPress, t), (QEvent.Type.KeyRelease, t + interkey_ms / 2)):
            ev = QKeyEvent(etype, key, mods, char)
            ev.setTimestamp(max(1, round(ts)))
            QApplication.sendEvent(widget, ev)
    _last_sim_ms = start_ms + max(0, len(code + suffix) - 1) * interkey_ms
    return _last_sim_ms
