"""Waiting in tests without depending on the machine's speed (DESIGN.md §7).

Why: CI runs on a shared 2-core machine that may be busy, easily 10-20x slower than a laptop.
A test waits on the condition itself (a row, a report, a file, a process's exit), never on a
fixed sleep, and its bounds are generous: they only matter when something is really broken.
One place holds those bounds so that no test picks a tight one again.

Any thread (the helpers only sleep and poll).
"""
from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")

WAIT_S = 60.0  # work that takes milliseconds to seconds on an idle machine
WAIT_MS = int(WAIT_S * 1000)  # the same bound for pytest-qt's waitUntil / waitSignal
PATIENT_HTTP = (30.0, 60.0)  # (connect, read) timeouts of a client whose server is up
PATIENT_IO_S = 30.0  # printer/serial timeouts where the simulator answers (it always does)


def wait_for(predicate: Callable[[], T], timeout: float = WAIT_S,
             what: str = "the condition", interval: float = 0.01) -> T:
    """Poll `predicate` until it returns something true; return that. Fails after `timeout`
    seconds (the predicate is always asked once more after the deadline has passed)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout:g} s"
        time.sleep(interval)
