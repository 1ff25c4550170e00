"""What every printer transport is, and how one fails: the contract shared by
hardware/transports.py (which picks the transport for a target; network, serial, file) and the
USB and CUPS transports in their own modules.

A transport is small: `write`, `read` (b"" when nothing came within the timeout), `finish`
(make sure the bytes left: drain, flush, spool) and `close` (never raises). `two_way` says
whether status can be read back.

Errors are `TransportError`s carrying the `PrintProblem` the outcome reports:
`PrinterUnreachable` (nothing was sent), `TransportUnavailable` (this machine lacks a driver
or a permission), `SendFailed` (the connection broke mid-job: the receipt may be partial).

Used on the print worker thread; a transport is used by one thread at a time.
"""
from __future__ import annotations

from typing import Protocol

from pos_app.receipts.printing import PrintProblem


class TransportError(Exception):
    problem = PrintProblem.UNREACHABLE

    def __init__(self, message: str, bytes_sent: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.bytes_sent = bytes_sent


class PrinterUnreachable(TransportError):
    problem = PrintProblem.UNREACHABLE


class TransportUnavailable(TransportError):
    problem = PrintProblem.NOT_CONFIGURED


class SendFailed(TransportError):
    problem = PrintProblem.SEND_FAILED


class Transport(Protocol):
    two_way: bool

    def write(self, data: bytes) -> None: ...

    def read(self, size: int, timeout: float) -> bytes: ...

    def finish(self) -> None: ...

    def close(self) -> None: ...
