"""A CUPS queue as a receipt printer: cups://QUEUE, the job sent raw.

Why: some installations share the receipt printer through CUPS (a print server, a printer
already set up by IT). The ESC/POS bytes must reach it untouched: the job is submitted with
the "raw" option, through pycups when it is installed, otherwise through the CUPS client's
`lp` command. CUPS spools the whole job at once in `finish`, so a refusal means nothing was
printed. There is no status read-back (CUPS is one-way for raw jobs). With neither pycups nor
`lp` on the machine, `connect` says so.

Runs on the print worker thread.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from hardware.printer_settings import PrinterSettings
from hardware.printer_uri import CupsTarget
from hardware.transport_base import PrinterUnreachable, TransportUnavailable

JOB_TITLE = "Storeline receipt"


def _pycups():
    try:
        import cups  # pycups: optional
    except ImportError:
        return None
    return cups


class CupsTransport:
    two_way = False

    def __init__(self, target: CupsTarget, settings: PrinterSettings, cups_module,
                 lp_path: str | None) -> None:
        self.target, self.settings = target, settings
        self.cups, self.lp = cups_module, lp_path
        self.buffer = bytearray()

    @classmethod
    def connect(cls, target: CupsTarget, settings: PrinterSettings) -> "CupsTransport":
        cups = _pycups()
        lp = shutil.which("lp")
        if cups is None and lp is None:
            raise TransportUnavailable(
                "Printing to a CUPS queue needs pycups or the CUPS 'lp' command; neither is "
                "installed on this machine. Use a tcp://, usb:// or serial:// printer URI, or "
                "install the CUPS client.")
        if cups is not None:
            try:
                queues = cups.Connection().getPrinters()
            except RuntimeError as exc:
                raise PrinterUnreachable(f"The CUPS server cannot be reached ({exc}).") from None
            if target.queue not in queues:
                raise PrinterUnreachable(f"There is no CUPS queue named {target.queue!r} "
                                         f"(queues: {', '.join(sorted(queues)) or 'none'}).")
        return cls(target, settings, cups, lp)

    def write(self, data: bytes) -> None:
        self.buffer += data

    def read(self, size: int, timeout: float) -> bytes:
        return b""

    def finish(self) -> None:
        """Submit the buffered job; all or nothing."""
        if self.cups is not None:
            self._submit_pycups()
        else:
            self._submit_lp()
        self.buffer.clear()

    def _submit_pycups(self) -> None:
        fd, path = tempfile.mkstemp(prefix="storeline-receipt-", suffix=".bin")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(self.buffer)
            self.cups.Connection().printFile(self.target.queue, path, JOB_TITLE, {"raw": "1"})
        except Exception as exc:  # noqa: BLE001 - pycups raises IPPError and RuntimeError
            raise PrinterUnreachable(f"CUPS refused the job for {self.target.queue!r} "
                                     f"({exc}).") from None
        finally:
            os.unlink(path)

    def _submit_lp(self) -> None:
        try:
            done = subprocess.run(
                [self.lp, "-d", self.target.queue, "-o", "raw", "-t", JOB_TITLE],
                input=bytes(self.buffer), capture_output=True,
                timeout=self.settings.write_timeout_s)
        except subprocess.TimeoutExpired:
            raise PrinterUnreachable(f"CUPS did not take the job for {self.target.queue!r} "
                                     f"within {self.settings.write_timeout_s:g} s.") from None
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
            raise PrinterUnreachable(f"CUPS refused the job for {self.target.queue!r} "
                                     f"({detail}).")

    def close(self) -> None:
        self.buffer.clear()
