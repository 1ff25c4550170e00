"""What a crash test reads from its till processes: the lines a child prints (on a thread, so
that waiting can time out) and the sales it acknowledged (tests/pos_app/test_crash_checkout.py,
tests/hardware/test_crash_card_payments.py)."""
from __future__ import annotations

import queue
import subprocess
import threading
from pathlib import Path

import pytest

from tests.waiting import WAIT_S

TIMEOUT_S = WAIT_S  # a child's start-up or a sale: seconds when the machine is busy


class Lines:
    """Lines a child process prints, read on a thread so that waiting can time out."""

    def __init__(self, proc: subprocess.Popen, log_path: Path) -> None:
        self.proc, self.log_path = proc, log_path
        self.queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        with self.proc.stdout:
            for line in self.proc.stdout:
                self.queue.put(line.strip())
        self.queue.put("<eof>")

    def expect(self, prefix: str) -> str:
        try:
            line = self.queue.get(timeout=TIMEOUT_S)
        except queue.Empty:
            line = "<timeout>"
        if not line.startswith(prefix):
            pytest.fail(f"crash worker said {line!r}, expected {prefix!r}:\n"
                        f"{self.log_path.read_text()}")
        return line


def acked_sales(ack: Path) -> dict[str, int]:
    """sale_id -> seq for every sale the worker saw committed (complete "done" lines only)."""
    done: dict[str, int] = {}
    for line in ack.read_text(encoding="utf-8").split("\n")[:-1]:
        parts = line.split()
        if parts and parts[0] == "done":
            done[parts[1]] = int(parts[2])
    return done
