"""The receipt printer and its cash drawer: `send(job) -> PrintOutcome`, `status()`.

Why: the print queue (the lead's, in ui/) needs one blocking call per attempt that never
raises for printer trouble and never makes things worse on a retry. One attempt:

1. render the job to bytes first (no connection is held while Pillow draws);
2. connect (short timeout); unreachable -> nothing sent, the job is kept;
3. where the link is two-way, read DLE EOT status; when the printer cannot print (no paper,
   cover open, error, offline) send nothing -- a printer that buffered the job would print it
   by itself once the paper is back, and the queue's retry would print it a second time --
   but still open the drawer of a cash sale with the real-time pulse (DLE DC4);
4. send the bytes (drawer kick first), make sure they left (`finish`), close.

The outcome says whether the receipt printed, whether the drawer opened (so a retry does not
open it again: `PrintJob.remaining_after`), the status read, and a message for the cashier.
A connection that breaks mid-job is `SEND_FAILED`: the receipt may be partly printed, and
the retry prints it whole.

Thread: any one thread at a time per printer (a lock serialises calls); blocking I/O bounded
by the settings' timeouts. Never call it on the UI thread.
"""
from __future__ import annotations

import logging
import threading
import time

from hardware.codepages import UnencodableText
from hardware.escpos_render import ReceiptRenderer
from hardware.printer_settings import PrinterSettings, SettingsError
from hardware.printer_uri import Target, parse_printer_uri
from hardware.status import read_status, realtime_pulse
from hardware.transport_base import SendFailed, Transport, TransportError
from hardware.transports import open_transport
from pos_app.receipts.printing import PrintJob, PrintOutcome, PrintProblem, PrinterStatus

log = logging.getLogger(__name__)

DRAWER_KICK_END = 7  # ESC @ (2 bytes) + ESC p m t1 t2 (5 bytes): the kick has left by then
SILENT_RETRY_S = 600.0  # a printer that did not answer DLE EOT is asked again after this


class EscposPrinter:
    """An ESC/POS receipt printer from its settings (implements pos_app.ports.ReceiptPrinter
    and CashDrawer). Construction checks the URI and profile and raises PrinterUriError or
    SettingsError with a message for the installer; nothing is opened until a call."""

    def __init__(self, settings: PrinterSettings) -> None:
        self.settings = settings
        self.target: Target = parse_printer_uri(settings.uri)
        self.renderer = ReceiptRenderer(settings)
        self._lock = threading.Lock()
        self._silent_until = 0.0  # monotonic time before which status is not asked

    def __repr__(self) -> str:
        return f"EscposPrinter({self.target}, profile={self.settings.profile})"

    # --- pos_app.ports.ReceiptPrinter ------------------------------------------------------
    def send(self, job: PrintJob) -> PrintOutcome:
        started = time.perf_counter()
        with self._lock:
            outcome = self._send(job)
        log.info("%s on %s: %s (%.0f ms)", job.label, self.target,
                 "done" if outcome.ok else outcome.problem.value,
                 (time.perf_counter() - started) * 1000)
        return outcome

    def status(self) -> PrinterStatus:
        with self._lock:
            try:
                link = open_transport(self.target, self.settings)
            except TransportError as exc:
                return PrinterStatus.unreachable(exc.message)
            try:
                return self._read_status(link)
            finally:
                link.close()

    # --- pos_app.ports.CashDrawer ----------------------------------------------------------
    def open_drawer(self) -> PrintOutcome:
        return self.send(PrintJob(receipt=None, open_drawer=True))

    def drawer_open(self) -> bool | None:
        return self.status().drawer_open

    # --- one attempt ---------------------------------------------------------------------------
    def _send(self, job: PrintJob) -> PrintOutcome:
        try:
            payload = self.renderer.render(job.receipt, open_drawer=job.open_drawer)
        except UnencodableText as exc:
            return PrintOutcome(False, f"{exc}. Set this printer's text mode to 'auto' or "
                                "'raster'.", PrintProblem.UNPRINTABLE)
        except SettingsError as exc:
            return PrintOutcome(False, str(exc), PrintProblem.NOT_CONFIGURED)
        except Exception as exc:  # noqa: BLE001 - e.g. a receipt number no barcode can hold
            log.exception("rendering %s for %s failed", job.label, self.target)
            return PrintOutcome(False, f"The receipt could not be prepared for this printer "
                                f"({exc}).", PrintProblem.NOT_CONFIGURED)
        try:
            link = open_transport(self.target, self.settings)
        except TransportError as exc:
            return PrintOutcome(False, exc.message + self._drawer_note(job), exc.problem,
                                status=PrinterStatus.unreachable(exc.message))
        except Exception as exc:  # noqa: BLE001 - a driver's surprise is still "unreachable"
            log.exception("opening %s failed", self.target)
            message = f"The printer {self.target} cannot be opened ({exc})."
            return PrintOutcome(False, message + self._drawer_note(job),
                                PrintProblem.UNREACHABLE,
                                status=PrinterStatus.unreachable(message))
        try:
            return self._deliver(link, job, payload)
        except Exception as exc:  # noqa: BLE001 - send() never raises for printer trouble
            log.exception("sending %s to %s failed", job.label, self.target)
            return PrintOutcome(False, f"Sending to the printer {self.target} failed ({exc})."
                                + self._drawer_note(job), PrintProblem.SEND_FAILED)
        finally:
            link.close()

    def _deliver(self, link: Transport, job: PrintJob, payload: bytes) -> PrintOutcome:
        status = self._read_status(link)
        try:
            if status.problem is not None:
                opened = False
                if job.open_drawer:
                    link.write(realtime_pulse(self.settings.drawer_pin))
                    link.finish()
                    opened = True
                return PrintOutcome(False, status.describe() + self._drawer_note(job, opened),
                                    status.problem, drawer_opened=opened, status=status)
            link.write(payload)
            link.finish()
        except TransportError as exc:  # SendFailed, or a spooler (CUPS) refusing the job
            opened = job.open_drawer and exc.bytes_sent >= DRAWER_KICK_END
            return PrintOutcome(False, exc.message + self._drawer_note(job, opened),
                                exc.problem, drawer_opened=opened, status=status,
                                bytes_sent=exc.bytes_sent)
        warning = status.describe() if status.paper_near_end else None
        if job.receipt is None:
            message = "The cash drawer was opened."
        else:
            message = f"Printed {job.label}." + (" The cash drawer was opened."
                                                 if job.open_drawer else "")
        return PrintOutcome(job.receipt is not None, message, None,
                            drawer_opened=job.open_drawer, status=status, warning=warning,
                            bytes_sent=len(payload))

    def _read_status(self, link: Transport) -> PrinterStatus:
        """DLE EOT status, unless the link is one-way or the printer lately did not answer:
        a printer without status support would otherwise delay every receipt by a timeout.
        It is asked again after SILENT_RETRY_S."""
        if not (self.settings.query_status and link.two_way) \
                or time.monotonic() < self._silent_until:
            return PrinterStatus.unknown()
        try:
            status = read_status(link, self.settings.status_timeout_s,
                                 drawer_open_when=self.settings.drawer_open_when)
        except SendFailed as exc:  # the query itself could not be written
            return PrinterStatus.unreachable(exc.message)
        if not status.reported:
            self._silent_until = time.monotonic() + SILENT_RETRY_S
        return status

    @staticmethod
    def _drawer_note(job: PrintJob, drawer_opened: bool = False) -> str:
        """The drawer's part of a failure message (the queue words the receipt's part: it
        knows it keeps the job)."""
        if not job.open_drawer:
            return ""
        return (" The cash drawer was opened." if drawer_opened
                else " The cash drawer did not open: use its key.")
