"""Tell keyboard-wedge barcode scans apart from human typing (DESIGN.md section 6).

A keyboard-wedge scanner "types" the barcode as a burst of very fast keystrokes,
usually followed by a suffix (Enter, sometimes Tab) and optionally preceded by a
configured prefix (e.g. STX ``"\\x02"``).  Humans cannot sustain ``min_length``
keystrokes less than ``max_interkey_ms`` apart, so timing plus the suffix is a
reliable signal.

This module is pure Python (no Qt: ``pos_app`` imports nothing from ui/sync/
hardware/PySide6) so it can be tested exhaustively with synthetic timestamps.
``ui.scanner_filter.WedgeScannerFilter`` drives it from the Qt UI thread; the
detector itself is not thread-safe and has no thread affinity -- the caller owns it.

States:

* IDLE   -- nothing held.  A character starts a burst and is HELD (we cannot know
  yet whether it is a scan).  In prefix mode only the prefix's first character
  starts a burst; anything else passes at once (so typing is never delayed).
* BURST  -- characters are held while they arrive at most ``max_interkey_ms`` apart.
  A suffix after ``min_length`` code characters completes a scan (the suffix is
  CONSUMED).  A suffix after a shorter burst, a slow gap, a prefix mismatch or
  the timer (:meth:`WedgeDetector.tick`) releases the held characters as typing.
* TYPING -- entered after a burst was judged to be typing.  Further characters pass
  immediately (no added latency) until a suffix, or until ``timeout_ms`` pass
  without a key; then we are IDLE again.  (In prefix mode the prefix character
  always starts a new burst, even while TYPING.)

Latency: a human key is held at most ``max_interkey_ms`` (plus timer latency): a
burst that has not reached ``min_length`` characters is released by ``tick()`` as
soon as ``max_interkey_ms`` pass without a key.  Only a burst that already has
``min_length`` characters at scanner speed -- which a human cannot type -- is held
up to ``timeout_ms`` waiting for a (possibly delayed) suffix.

Held keys are never joined to a scan that starts later.  Anything a scanner never does ends a
burst at once and gives its characters back as typing (:meth:`WedgeDetector.interrupt`): the
caller reports clicks, touches and focus changes; the detector itself treats time running
backwards (two events from different clocks, e.g. a synthesised key after a real one) as such
a break, because it cannot tell how far apart the two keys really were.

Times are milliseconds on any monotonic base.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["KeyDecision", "WedgeDetector", "WedgeOutcome", "WedgeSettings"]


@dataclass(frozen=True)
class WedgeSettings:
    max_interkey_ms: float = 35.0  # keystrokes closer than this look like a scanner
    min_length: int = 6  # shorter bursts are typing
    suffixes: tuple[str, ...] = ("\r", "\n", "\t")  # what the scanner sends after the code
    prefix: str = ""  # optional scanner-configured prefix; when set a burst must start with it
    timeout_ms: float = 80.0  # a burst without suffix that stops this long ends
    suffix_required: bool = True  # False: a long burst that times out is a scan

    def __post_init__(self) -> None:
        if self.max_interkey_ms <= 0 or self.timeout_ms < self.max_interkey_ms:
            raise ValueError("need 0 < max_interkey_ms <= timeout_ms")
        if self.min_length < 1:
            raise ValueError("min_length must be >= 1")
        if any(len(s) != 1 for s in self.suffixes):
            raise ValueError("each suffix must be a single character")
        if self.suffix_required and not self.suffixes:
            raise ValueError("suffix_required needs at least one suffix")
        if any(c in self.suffixes for c in self.prefix):
            raise ValueError("prefix must not contain a suffix character")


# Timestamps are whole milliseconds while the filter's clock is fractional: a key may appear up
# to this much earlier than the one before it without counting as a jump of the clock.
_CLOCK_SLACK_MS = 1.0


class KeyDecision(Enum):
    PASS = "pass"  # let the key through to the widget now
    HOLD = "hold"  # buffered, undecided
    CONSUME = "consume"  # part of a scan; swallow


@dataclass(frozen=True)
class WedgeOutcome:
    decision: KeyDecision
    scan: str | None = None  # a completed scan (without prefix/suffix)
    # Held characters that turned out to be typing.  The caller replays them to the
    # focused widget, in order, *before* handling the current key (which is then
    # passed, held or consumed according to ``decision``).
    release: str = ""


class _State(Enum):
    IDLE = 0
    BURST = 1
    TYPING = 2


class WedgeDetector:
    """State machine fed with ``(char, t_ms)``; see the module docstring."""

    def __init__(self, settings: WedgeSettings = WedgeSettings()) -> None:
        self.settings = settings
        self._buf: list[str] = []
        self._state = _State.IDLE
        self._last_t = 0.0

    # -- introspection ------------------------------------------------------------
    @property
    def held(self) -> str:
        """Characters currently held (prefix included), oldest first."""
        return "".join(self._buf)

    def deadline(self) -> float | None:
        """Time after which ``tick()`` would change something; ``None`` if nothing is held."""
        if self._state is not _State.BURST:
            return None
        s = self.settings
        return self._last_t + (s.timeout_ms if self._complete() else s.max_interkey_ms)

    # -- events -------------------------------------------------------------------
    def feed(self, char: str, t_ms: float) -> WedgeOutcome:
        """A key producing ``char`` arrived at ``t_ms``."""
        if len(char) != 1:
            raise ValueError("feed() takes exactly one character")
        broken = ""
        if t_ms < self._last_t - _CLOCK_SLACK_MS and self._state is not _State.IDLE:
            broken = self.interrupt(t_ms).release  # another clock: never join across it
        release, scan = self._expire(t_ms)
        out = self._step(char, t_ms)
        return WedgeOutcome(out.decision, scan or out.scan, broken + release + out.release)

    def tick(self, t_ms: float) -> WedgeOutcome:
        """No key arrived until ``t_ms``: end a stalled burst.

        ``decision`` is CONSUME when a scan completed (suffix not required), HOLD
        while characters are still held, PASS when nothing is held any more
        (``release`` then holds the characters to replay, possibly empty).
        """
        release, scan = self._expire(t_ms)
        if scan is not None:
            return WedgeOutcome(KeyDecision.CONSUME, scan=scan)
        held = self._state is _State.BURST
        return WedgeOutcome(KeyDecision.HOLD if held else KeyDecision.PASS, release=release)

    def interrupt(self, t_ms: float) -> WedgeOutcome:
        """Something a scanner never does happened (a click, a touch, focus moved, the clock
        jumped back): give everything held back as typing and start afresh, so the next
        character may begin a scan of its own."""
        release = self.held
        self._buf.clear()
        self._state, self._last_t = _State.IDLE, t_ms
        return WedgeOutcome(KeyDecision.PASS, release=release)

    def abort(self, t_ms: float) -> WedgeOutcome:
        """A key that is not part of any barcode (arrow, Backspace, Ctrl+X...) arrived:
        give everything held back as typing so it reaches the widget first."""
        release = self.held
        self._buf.clear()
        self._state, self._last_t = _State.TYPING, t_ms
        return WedgeOutcome(KeyDecision.PASS, release=release)

    # -- internals ----------------------------------------------------------------
    def _complete(self) -> bool:
        p = self.settings.prefix
        return len(self._buf) - len(p) >= self.settings.min_length

    def _code(self) -> str:
        return "".join(self._buf[len(self.settings.prefix):])

    def _start(self, char: str, t_ms: float) -> WedgeOutcome:
        self._buf, self._state, self._last_t = [char], _State.BURST, t_ms
        return WedgeOutcome(KeyDecision.HOLD)

    def _to_typing(self, t_ms: float) -> str:
        release = self.held
        self._buf.clear()
        self._state, self._last_t = _State.TYPING, t_ms
        return release

    def _finish_scan(self) -> str:
        code = self._code()
        self._buf.clear()
        self._state = _State.IDLE
        return code

    def _expire(self, t_ms: float) -> tuple[str, str | None]:
        """Apply timeouts up to ``t_ms``; returns (release, scan)."""
        s = self.settings
        gap = max(0.0, t_ms - self._last_t)
        if self._state is _State.TYPING and gap > s.timeout_ms:
            self._state = _State.IDLE
        if self._state is not _State.BURST:
            return "", None
        if self._complete():
            if gap <= s.timeout_ms:
                return "", None
            if not s.suffix_required:
                return "", self._finish_scan()
            release = self._to_typing(self._last_t)
            self._state = _State.IDLE
            return release, None
        if gap <= s.max_interkey_ms:
            return "", None
        # A short burst stalled: typing.  Stay TYPING relative to its last key.
        release = self._to_typing(self._last_t)
        if gap > s.timeout_ms:
            self._state = _State.IDLE
        return release, None

    def _step(self, char: str, t_ms: float) -> WedgeOutcome:
        s = self.settings
        is_suffix = char in s.suffixes
        starts_prefix = bool(s.prefix) and char == s.prefix[0]
        if self._state is _State.IDLE:
            if is_suffix or (s.prefix and not starts_prefix):
                return WedgeOutcome(KeyDecision.PASS)
            return self._start(char, t_ms)
        if self._state is _State.TYPING:
            if starts_prefix:
                return self._start(char, t_ms)
            self._last_t = t_ms
            if is_suffix:
                self._state = _State.IDLE
            return WedgeOutcome(KeyDecision.PASS)
        # BURST (after _expire: gap <= max_interkey_ms, or <= timeout_ms if complete)
        gap = max(0.0, t_ms - self._last_t)
        if is_suffix:
            if self._complete():
                return WedgeOutcome(KeyDecision.CONSUME, scan=self._finish_scan())
            release = self._to_typing(t_ms)
            self._state = _State.IDLE  # a suffix (Enter/Tab) ends the typing
            return WedgeOutcome(KeyDecision.PASS, release=release)
        if gap > s.max_interkey_ms:  # only possible for a complete burst
            if not s.suffix_required:
                code = self._finish_scan()
                out = self._step(char, t_ms)
                return WedgeOutcome(out.decision, scan=code, release=out.release)
            # The held burst never got its suffix: typing.  This key may start a scan.
            release = self.interrupt(t_ms).release
            out = self._step(char, t_ms)
            return WedgeOutcome(out.decision, release=release + out.release)
        n = len(self._buf)
        if n < len(s.prefix) and char != s.prefix[n]:
            return WedgeOutcome(KeyDecision.PASS, release=self._to_typing(t_ms))
        self._buf.append(char)
        self._last_t = t_ms
        return WedgeOutcome(KeyDecision.HOLD)
