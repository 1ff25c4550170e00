"""Pure-Python tests of the keyboard-wedge scan/typing state machine."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from pos_app.scanning.wedge_detector import KeyDecision, WedgeDetector, WedgeOutcome, WedgeSettings

DEFAULT = WedgeSettings()


def run(det: WedgeDetector, events: list[tuple[str | None, float]]) -> tuple[str, list[str], list[WedgeOutcome]]:
    """Feed (char, t) events; char None means tick(t).

    Returns what reached the widget (releases + passed chars, in order), the scans,
    and the raw outcomes.
    """
    delivered, scans, outs = [], [], []
    for char, t in events:
        out = det.feed(char, t) if char is not None else det.tick(t)
        outs.append(out)
        delivered.append(out.release)
        if char is not None and out.decision is KeyDecision.PASS:
            delivered.append(char)
        if out.scan is not None:
            scans.append(out.scan)
    return "".join(delivered), scans, outs


def burst(text: str, start: float, step: float) -> list[tuple[str | None, float]]:
    return [(c, start + i * step) for i, c in enumerate(text)]


def test_fast_scan_with_enter_is_one_scan_and_nothing_passes():
    det = WedgeDetector()
    delivered, scans, outs = run(det, burst("4006381333931\r", 1000, 5))
    assert scans == ["4006381333931"]
    assert delivered == ""
    assert [o.decision for o in outs[:-1]] == [KeyDecision.HOLD] * 13
    assert outs[-1].decision is KeyDecision.CONSUME
    assert det.held == "" and det.deadline() is None


def test_slow_typing_passes_every_char_in_order():
    det = WedgeDetector()
    events = burst("ab12cd\r", 0, 150)
    delivered, scans, _ = run(det, events + [(None, 10_000)])
    assert delivered == "ab12cd\r"
    assert scans == []


def test_slow_typing_with_timer_ticks_never_holds_longer_than_max_interkey():
    det = WedgeDetector()
    events: list[tuple[str | None, float]] = []
    for c, t in burst("hello", 0, 150):
        events += [(c, t), (None, t + DEFAULT.max_interkey_ms + 0.5)]
    delivered, scans, outs = run(det, events)
    assert delivered == "hello" and scans == []
    assert all(o.decision is KeyDecision.PASS for o in outs[1::2])  # each tick emptied the hold


def test_short_fast_burst_then_enter_is_typing_including_enter():
    det = WedgeDetector()
    delivered, scans, outs = run(det, burst("12\r", 0, 5))
    assert scans == []
    assert delivered == "12\r"
    assert outs[-1] == WedgeOutcome(KeyDecision.PASS, release="12")


def test_gap_inside_burst_releases_as_typing():
    det = WedgeDetector()
    out1 = [det.feed(c, t) for c, t in burst("123", 0, 5)]
    out = det.feed("4", 10 + 60)  # a slow gap: the burst was typing
    assert [o.decision for o in out1] == [KeyDecision.HOLD] * 3
    assert out == WedgeOutcome(KeyDecision.PASS, release="123")
    assert det.feed("5", 70 + 20).decision is KeyDecision.PASS  # still typing


def test_prefix_mode():
    det = WedgeDetector(WedgeSettings(prefix="\x02"))
    # Typing never starts with the prefix: passes at once, nothing is held.
    assert det.feed("a", 0) == WedgeOutcome(KeyDecision.PASS)
    assert det.feed("b", 5) == WedgeOutcome(KeyDecision.PASS)
    # Even a fast burst without the prefix is typing.
    delivered, scans, _ = run(det, burst("1234567\r", 1000, 3))
    assert (delivered, scans) == ("1234567\r", [])
    # With the prefix: a scan, prefix stripped.
    delivered, scans, _ = run(det, burst("\x0212345678\r", 2000, 3))
    assert (delivered, scans) == ("", ["12345678"])
    # Prefix alone counts for nothing towards min_length.
    delivered, scans, _ = run(det, burst("\x0212345\r", 3000, 3))
    assert (delivered, scans) == ("\x0212345\r", [])


def test_multichar_prefix_mismatch_releases():
    det = WedgeDetector(WedgeSettings(prefix="]C"))
    delivered, scans, _ = run(det, burst("]x123456\r", 0, 3))
    assert (delivered, scans) == ("]x123456\r", [])
    delivered, scans, _ = run(det, burst("]C1123456\r", 1000, 3))
    assert (delivered, scans) == ("", ["1123456"])


def test_suffix_not_required_completes_on_timeout():
    s = WedgeSettings(suffix_required=False)
    det = WedgeDetector(s)
    delivered, scans, _ = run(det, burst("9780306406157", 0, 4))
    assert (delivered, scans) == ("", [])
    last = 12 * 4
    assert det.tick(last + s.timeout_ms).decision is KeyDecision.HOLD  # not yet
    out = det.tick(last + s.timeout_ms + 1)
    assert out == WedgeOutcome(KeyDecision.CONSUME, scan="9780306406157")
    # A short stalled burst is still typing, released after max_interkey_ms.
    assert det.feed("1", 1000).decision is KeyDecision.HOLD
    assert det.tick(1000 + s.max_interkey_ms + 1) == WedgeOutcome(KeyDecision.PASS, release="1")


def test_suffix_not_required_next_key_after_pause_completes_scan():
    det = WedgeDetector(WedgeSettings(suffix_required=False))
    run(det, burst("123456", 0, 4))
    out = det.feed("7", 20 + 50)  # after max_interkey_ms, before timeout_ms
    assert out == WedgeOutcome(KeyDecision.HOLD, scan="123456")
    assert det.held == "7"


def test_long_burst_without_suffix_is_released_when_suffix_required():
    det = WedgeDetector()
    run(det, burst("123456", 0, 4))
    assert det.tick(20 + 50).decision is KeyDecision.HOLD  # waiting for a late suffix
    assert det.tick(20 + 81) == WedgeOutcome(KeyDecision.PASS, release="123456")


def test_late_suffix_after_long_burst_still_scans():
    det = WedgeDetector()
    run(det, burst("123456", 0, 4))
    assert det.feed("\t", 20 + 60) == WedgeOutcome(KeyDecision.CONSUME, scan="123456")


def test_typing_mode_ends_at_suffix_and_timeout():
    det = WedgeDetector()
    det.feed("a", 0)
    assert det.feed("b", 100).release == "a"  # typing now
    assert det.feed("c", 150).decision is KeyDecision.PASS
    assert det.feed("\r", 170).decision is KeyDecision.PASS
    assert det.feed("x", 180).decision is KeyDecision.HOLD  # suffix ended typing
    det.abort(200)
    assert det.feed("y", 200 + 81).decision is KeyDecision.HOLD  # timeout ended typing


def test_abort_releases_held():
    det = WedgeDetector()
    run(det, burst("12345", 0, 3))
    assert det.abort(20) == WedgeOutcome(KeyDecision.PASS, release="12345")
    assert det.held == ""


def test_bad_settings_rejected():
    with pytest.raises(ValueError):
        WedgeSettings(max_interkey_ms=50, timeout_ms=40)
    with pytest.raises(ValueError):
        WedgeSettings(prefix="\r")
    with pytest.raises(ValueError):
        WedgeSettings(suffixes=("\r\n",))


# -- properties ---------------------------------------------------------------------

_chars = st.characters(codec="ascii", categories=("L", "N", "P", "S", "Zs"))
_typed_chars = st.one_of(_chars, st.sampled_from("\r\t"))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(_typed_chars,
                  st.floats(min_value=DEFAULT.max_interkey_ms + 0.01, max_value=2000),
                  st.none() | st.floats(min_value=0, max_value=1)),
        min_size=1, max_size=40),
)
def test_property_slow_typing_is_delivered_exactly(keys):
    det = WedgeDetector()
    events: list[tuple[str | None, float]] = []
    t = 0.0
    for char, gap, tick_frac in keys:
        t += gap
        events.append((char, t))
        if tick_frac is not None:  # a timer firing somewhere before the next key
            events.append((None, t + tick_frac * DEFAULT.max_interkey_ms * 2))
    text = "".join(c for c, _, _ in keys)
    delivered, scans, outs = run(det, events + [(None, t + 10_000)])
    assert delivered == text
    assert scans == []
    assert all(o.decision is not KeyDecision.CONSUME for o in outs)


_code_chars = _chars.filter(lambda c: c not in DEFAULT.suffixes)


@settings(max_examples=300, deadline=None)
@given(
    code=st.text(_code_chars, min_size=DEFAULT.min_length, max_size=48),
    # strictly below the threshold (a gap of exactly max_interkey_ms is subject to float rounding)
    gaps=st.lists(st.floats(min_value=0, max_value=DEFAULT.max_interkey_ms - 0.01), min_size=49, max_size=49),
    suffix=st.sampled_from(DEFAULT.suffixes),
    typed_before=st.text(_typed_chars, max_size=5),
    ticks=st.lists(st.booleans(), min_size=48, max_size=48),
)
def test_property_fast_code_with_suffix_is_exactly_one_scan(code, gaps, suffix, typed_before, ticks):
    det = WedgeDetector()
    events: list[tuple[str | None, float]] = burst(typed_before, 0, 200)
    t = 200.0 * len(typed_before) + DEFAULT.timeout_ms + 1
    for i, char in enumerate(code + suffix):
        t += gaps[i]
        events.append((char, t))
        if ticks[i]:  # an early timer must not break the scan
            events.append((None, t + gaps[i + 1] * 0.99 if i + 1 < len(gaps) else t))
    delivered, scans, _ = run(det, events + [(None, t + 10_000)])
    assert scans == [code]
    assert delivered == typed_before


# -- held keys are never joined to a scan that starts later (issue 11) -------------------

PHONE = "0901 234 567"
TEE = "8934567000017"


def test_scan_from_an_earlier_clock_is_not_joined_to_held_typing():
    """A fast-typed burst (no suffix) is held; the next scan's timestamps come from another
    clock that runs behind.  The scan is exactly its code; the typing is given back."""
    det = WedgeDetector()
    delivered, scans, _ = run(det, burst(PHONE, 5_000, 0.2))
    assert (delivered, scans) == ("", [])  # 12 keys at scanner speed: could still be a scan
    delivered, scans, outs = run(det, burst(TEE + "\r", 4_000, 4))
    assert scans == [TEE]
    assert delivered == PHONE
    assert outs[0] == WedgeOutcome(KeyDecision.HOLD, release=PHONE)  # given back before the scan


def test_scan_starting_after_held_burst_but_before_its_timeout_is_a_scan():
    """A complete burst without a suffix, then a pause shorter than the timeout, then a scan:
    the burst was typing and the scan still adds exactly its code."""
    det = WedgeDetector()
    run(det, burst(PHONE, 0, 1))
    start = 11 + DEFAULT.max_interkey_ms + 10  # inside timeout_ms of the last typed key
    assert start < 11 + DEFAULT.timeout_ms
    delivered, scans, _ = run(det, burst(TEE + "\r", start, 4))
    assert (delivered, scans) == (PHONE, [TEE])


def test_interrupt_gives_back_held_keys_and_the_next_key_may_start_a_scan():
    det = WedgeDetector()
    run(det, burst(PHONE, 0, 1))
    assert det.interrupt(20) == WedgeOutcome(KeyDecision.PASS, release=PHONE)
    assert det.held == "" and det.deadline() is None
    delivered, scans, _ = run(det, burst(TEE + "\r", 25, 4))
    assert (delivered, scans) == ("", [TEE])


@settings(max_examples=300, deadline=None)
@given(typed=st.text(alphabet="0123456789 abc", min_size=1, max_size=20),
       typed_step=st.floats(0, 30), back=st.floats(2, 100_000),
       code=st.text(alphabet="0123456789", min_size=6, max_size=20))
def test_held_typing_is_never_part_of_a_scan_from_a_clock_that_went_back(
        typed, typed_step, back, code):
    det = WedgeDetector()
    typed_events = burst(typed, 10_000_000, typed_step)
    scan_start = typed_events[-1][1] - back
    delivered, scans, _ = run(det, typed_events + burst(code + "\r", scan_start, 4))
    assert scans == [code]
    assert delivered == typed
