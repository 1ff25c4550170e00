"""Printer status over ESC/POS real-time commands (DLE EOT n), and the drawer kick bytes.

Why: a cashier must see "out of paper" or "cover open" instead of a receipt that silently
never comes, and a receipt must not be sent to a printer that will sit on it and print it
hours later when someone reloads paper (then the queue's retry would print it twice). Epson's
DLE EOT n (0x10 0x04 n) is answered immediately, even offline, with one byte:

    n=1 printer status   bit2 drawer connector pin 3 (HIGH=1), bit3 offline, bit5 waiting
                         for online recovery, bit6 feed button pressed
    n=2 offline cause    bit2 cover open, bit3 paper fed by the button, bit5 printing
                         stopped at paper end, bit6 an error occurred
    n=3 error cause      bit3 auto-cutter error, bit5 unrecoverable error, bit6
                         auto-recoverable error (e.g. print head too hot)
    n=4 paper sensor     bits 2,3 near-end sensor (paper low), bits 5,6 end sensor (no paper)

Every answer has bits 1 and 4 set and bits 0 and 7 clear: `(byte & 0x93) == 0x12`. A byte
that does not fit is not a status (an echo, noise) and counts as no answer. A printer that
does not answer within the timeout "does not report status"; printing goes ahead.

The drawer: ESC p m t1 t2 (python-escpos `cashdraw`) with the receipt; DLE DC4 1 m t, the
real-time pulse, when the printer is offline (out of paper): a cash sale's drawer still opens.

Runs on the print worker (blocking reads with short timeouts).
"""
from __future__ import annotations

from typing import Protocol

from pos_app.receipts.printing import PrinterStatus

DLE_EOT = b"\x10\x04"
FIXED_MASK, FIXED_BITS = 0x93, 0x12
PULSE_100MS_UNITS = 2  # DLE DC4 pulse length t x 100 ms: 200 ms, enough for any solenoid


class StatusLink(Protocol):
    """The part of a transport status reading needs."""

    def write(self, data: bytes) -> None: ...

    def read(self, size: int, timeout: float) -> bytes: ...


def status_query(n: int) -> bytes:
    if n not in (1, 2, 3, 4):
        raise ValueError(f"DLE EOT {n}: n is 1..4")
    return DLE_EOT + bytes([n])


def realtime_pulse(pin: int) -> bytes:
    """DLE DC4 1 m t: kick the drawer now, even while the printer is offline."""
    return b"\x10\x14\x01" + bytes([0 if pin == 2 else 1, PULSE_100MS_UNITS])


def is_status_byte(value: int) -> bool:
    return (value & FIXED_MASK) == FIXED_BITS


def parse_status(printer: int | None, offline: int | None = None, error: int | None = None,
                 paper: int | None = None, *, drawer_open_when: str = "high"
                 ) -> PrinterStatus:
    """PrinterStatus from the answers to DLE EOT 1..4 (None: that query got no answer)."""
    if printer is None or not is_status_byte(printer):
        return PrinterStatus.unknown()
    pin3_high = bool(printer & 0x04)
    off = offline if offline is not None and is_status_byte(offline) else 0
    err = error if error is not None and is_status_byte(error) else 0
    roll = paper if paper is not None and is_status_byte(paper) else 0
    return PrinterStatus(
        reported=True,
        online=not printer & 0x08,
        cover_open=bool(off & 0x04),
        paper_out=bool(off & 0x20) or bool(roll & 0x60),
        paper_near_end=bool(roll & 0x0C),
        feed_button=bool(printer & 0x40) or bool(off & 0x08),
        drawer_open=pin3_high if drawer_open_when == "high" else not pin3_high,
        cutter_error=bool(err & 0x08),
        unrecoverable_error=bool(err & 0x20),
        auto_recoverable_error=bool(err & 0x40),
        raw=bytes(b for b in (printer, offline, error, paper) if b is not None),
    )


def ask(link: StatusLink, n: int, timeout: float) -> int | None:
    """Send DLE EOT n and read the one-byte answer; None when none (or not a status) came."""
    link.write(status_query(n))
    answer = link.read(1, timeout)
    return answer[0] if answer and is_status_byte(answer[0]) else None


def read_status(link: StatusLink, timeout: float, *, drawer_open_when: str = "high"
                ) -> PrinterStatus:
    """Ask DLE EOT 1, then 2, 3 and 4; stop at the first silence (a late answer must not be
    taken for the next question's)."""
    answers: list[int | None] = []
    for n in (1, 2, 3, 4):
        value = ask(link, n, timeout)
        answers.append(value)
        if value is None:
            break
    answers += [None] * (4 - len(answers))
    return parse_status(*answers, drawer_open_when=drawer_open_when)
