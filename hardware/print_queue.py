"""The print queue: one worker thread per receipt printer that never loses a receipt.

Why: DESIGN.md §6 -- printing is asynchronous and never rolls back or delays a sale; a failed
print is kept, retried and shown. The UI hands a committed sale to `submit_sale` (it returns
at once) and the worker, within milliseconds, builds the receipt from the database (its own
read-only connection) and sends it. When the printer cannot print (unreachable, out of paper,
cover open: `EscposPrinter` reads DLE EOT first and sends nothing then) the job is kept and:

- retried with backoff (1, 2, 4, 8, 15, then every 30 s);
- retried at once when a status poll (every 2 s while a job waits) says the printer is
  ready again, when another job printed, when the printer settings change, or on `retry`;
- never printed twice: one attempt at a time; a job leaves the queue the moment it printed;
  an original receipt's job id comes from its sale id, so the same sale cannot queue two
  originals; and `PrintJob.remaining_after` never kicks a cash drawer twice. A cash sale's
  drawer kick is retried only during the first minute (later, the cashier has used the key;
  a drawer springing open minutes after the sale would be a surprise).

A job that a retry cannot fix (text the printer cannot print, a receipt that cannot be
built) is `HELD`: kept and shown, retried only on request, and it does not hold up the rest.
"No sale" drawer kicks and test pages are tried once and never retried.

The fate of every receipt job is written to the database (`pos_app.services.print_jobs`)
after each attempt, so unfinished receipts resume when the app starts again.

Thread: `submit_sale`, `reprint`, `open_drawer`, `retry`, `discard`, `set_printer` and
`request_status` may be called on any thread (the UI's) and return at once. The worker thread
does all printer and database I/O and reports through `on_job(JobView)` and
`on_status(PrinterStatus)`, called on the worker thread (the Qt bridge re-emits them as
signals).
"""
from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass, replace
from typing import Callable

from pos_app.ports import ReceiptPrinter
from pos_app.receipts.receipt import Receipt
from pos_app.receipts.printing import PrintJob, PrintOutcome, PrintProblem, PrinterStatus
from hardware.print_job_view import JobKind, JobState, JobView
from pos_app.services.print_jobs import JobStatus, PrintJobStore, receipt_job_id

log = logging.getLogger(__name__)

RETRY_DELAYS_S = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)  # after the 1st, 2nd, ... failed attempt
STATUS_POLL_S = 2.0  # while a job waits: ask whether the printer is back this often
DRAWER_RETRY_WINDOW_S = 60.0  # a cash sale's failed drawer kick is retried this long
DRAWER_WATCH_S = 120.0  # after a kick: report the drawer sensor until it closes, at most
DRAWER_POLL_S = 2.0
_NEEDS_A_PERSON = (PrintProblem.UNPRINTABLE, PrintProblem.NOT_CONFIGURED)


@dataclass
class _Entry:
    """A job on the worker's list (guarded by the queue's lock)."""

    view: JobView
    copy: bool = False
    open_drawer: bool = False
    receipt: Receipt | None = None
    created: float = 0.0
    due: float = 0.0  # monotonic time of the next automatic attempt (WAITING)


ReceiptSource = Callable[[str, bool], Receipt]  # (sale_id, copy) -> Receipt


class PrintQueue:
    def __init__(self, printer: ReceiptPrinter | None, receipts: ReceiptSource,
                 store: PrintJobStore | None = None, *, device_id: str = "",
                 on_job: Callable[[JobView], None] | None = None,
                 on_status: Callable[[PrinterStatus], None] | None = None) -> None:
        self._printer = printer
        self._receipts = receipts
        self._store = store
        self._device_id = device_id
        self._on_job = on_job or (lambda _view: None)
        self._on_status = on_status or (lambda _status: None)
        self._cond = threading.Condition()
        self._entries: dict[str, _Entry] = {}  # insertion order = submission order
        self._stopping = False
        self._status_wanted = False
        self._next_poll = 0.0
        self._drawer_watch_until = 0.0
        self._thread: threading.Thread | None = None

    # --- any thread ---------------------------------------------------------------------------
    def start(self, resume: bool = True,
              printer_factory: Callable[[], ReceiptPrinter | None] | None = None
              ) -> "PrintQueue":
        """Start the worker. `printer_factory`, when given, builds the printer on the worker
        first (python-escpos and the fonts load there, not during the app's launch); jobs
        submitted meanwhile wait for it."""
        self._thread = threading.Thread(target=self._run, args=(resume, printer_factory),
                                        daemon=True, name="storeline-print")
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def printer(self) -> ReceiptPrinter | None:
        return self._printer

    def set_printer(self, printer: ReceiptPrinter | None) -> None:
        """New settings apply to the next attempt; waiting and held jobs (new settings may
        be the fix: another text mode, a driver) are tried at once."""
        with self._cond:
            self._printer = printer
            for entry in self._entries.values():
                if entry.view.state is JobState.HELD:
                    entry.view = replace(entry.view, state=JobState.WAITING)
            self._make_waiting_due()
            self._status_wanted = printer is not None
            self._cond.notify_all()

    def submit_sale(self, sale_id: str, open_drawer: bool = False) -> str:
        """Print a committed sale's receipt (and kick the drawer of a cash sale)."""
        job_id = receipt_job_id(sale_id)
        return self._add(JobView(job_id, JobKind.RECEIPT, sale_id, None, JobState.QUEUED),
                         open_drawer=open_drawer)

    def reprint(self, sale_id: str) -> str:
        view = JobView(str(uuid.uuid4()), JobKind.COPY, sale_id, None, JobState.QUEUED)
        return self._add(view, copy=True)

    def open_drawer(self) -> str:
        view = JobView(str(uuid.uuid4()), JobKind.DRAWER, None, None, JobState.QUEUED)
        return self._add(view, open_drawer=True)

    def print_receipt(self, receipt: Receipt) -> str:
        """Print a receipt that is not a sale of this till (the test page); tried once."""
        view = JobView(str(uuid.uuid4()), JobKind.TEST, None, receipt.receipt_no,
                       JobState.QUEUED)
        return self._add(view, receipt=receipt)

    def retry(self, job_id: str | None = None) -> None:
        """Try a waiting or held job (all of them when None) now."""
        with self._cond:
            now = time.monotonic()
            for entry in self._entries.values():
                if entry.view.stuck and job_id in (None, entry.view.job_id):
                    entry.view = replace(entry.view, state=JobState.WAITING)
                    entry.due = now
            self._cond.notify_all()

    def discard(self, job_id: str) -> None:
        """The cashier gives up on a stuck job (the customer left); it can be reprinted.
        It is never attempted again; the worker records and reports it."""
        with self._cond:
            entry = self._entries.get(job_id)
            if entry is not None and entry.view.stuck:
                entry.view = replace(entry.view, state=JobState.DISCARDED)
                self._cond.notify_all()

    def request_status(self) -> None:
        """Read the printer's status on the worker soon; it arrives through `on_status`."""
        with self._cond:
            self._status_wanted = True
            self._cond.notify_all()

    def jobs(self) -> list[JobView]:
        """The unfinished jobs, oldest first."""
        with self._cond:
            return [entry.view for entry in self._entries.values()]

    def _add(self, view: JobView, *, copy: bool = False, open_drawer: bool = False,
             receipt: Receipt | None = None) -> str:
        with self._cond:
            known = self._entries.get(view.job_id)
            if known is not None:  # the same sale submitted twice, or resumed first: one job
                if open_drawer and not known.open_drawer:
                    self._kick_with(known)
                return view.job_id
            self._entries[view.job_id] = _Entry(view, copy, open_drawer, receipt,
                                                created=time.monotonic())
            self._cond.notify_all()
        return view.job_id

    def _kick_with(self, entry: _Entry) -> None:
        """A cash sale's submission found its receipt already queued (the start-up resume saw
        the committed sale first): the drawer still opens. With the receipt when it has not
        been sent yet; as a drawer kick of its own when it is being sent right now. Caller
        holds the lock."""
        if entry.view.state is JobState.PRINTING:
            kick = JobView(str(uuid.uuid4()), JobKind.DRAWER, None, None, JobState.QUEUED)
            self._entries[kick.job_id] = _Entry(kick, open_drawer=True,
                                                created=time.monotonic())
        else:
            entry.open_drawer = True
            entry.created = time.monotonic()
        self._cond.notify_all()

    # --- worker thread ------------------------------------------------------------------------
    def _run(self, resume: bool, printer_factory) -> None:
        if printer_factory is not None:
            try:
                printer = printer_factory()
            except Exception:  # noqa: BLE001 - no printer is better than no worker
                log.exception("print queue: the printer could not be set up")
                printer = None
            with self._cond:
                self._printer = printer
                self._status_wanted = printer is not None  # show its state from the start
        if resume:
            self._resume()
        while True:
            with self._cond:
                while not self._stopping:
                    entry, poll = self._next_work(time.monotonic())
                    if entry is not None or poll:
                        break
                    self._cond.wait(self._idle_wait(time.monotonic()))
                if self._stopping:
                    return
                printer = self._printer
            try:
                if entry is not None and entry.view.state is JobState.DISCARDED:
                    self._finish(entry, entry.view, JobStatus.DISCARDED)
                elif entry is not None:
                    self._attempt(entry, printer)
                else:
                    self._poll(printer)
            except Exception:  # noqa: BLE001 - the worker must outlive any surprise
                log.exception("print worker: unexpected error")
                time.sleep(0.5)

    def _next_work(self, now: float) -> tuple[_Entry | None, bool]:
        """The job to attempt now (drawer kicks first, then new jobs, then waiting ones that
        are due) or whether to poll the printer's status. Caller holds the lock."""
        entries = list(self._entries.values())
        for entry in entries:
            if entry.view.state is JobState.DISCARDED:
                return entry, False
        for kinds in ((JobKind.DRAWER,), tuple(JobKind)):
            for entry in entries:
                if entry.view.kind in kinds and entry.view.state is JobState.QUEUED:
                    return entry, False
        due = [e for e in entries if e.view.state is JobState.WAITING and e.due <= now]
        if due:
            return due[0], False
        if self._printer is None:
            self._status_wanted = False
            return None, False
        waiting = any(e.view.state is JobState.WAITING for e in entries)
        watching = now < self._drawer_watch_until
        return None, self._status_wanted or ((waiting or watching) and now >= self._next_poll)

    def _idle_wait(self, now: float) -> float | None:
        times = [e.due for e in self._entries.values() if e.view.state is JobState.WAITING]
        if self._printer is not None and (times or now < self._drawer_watch_until):
            times.append(self._next_poll)
        return max(0.01, min(times) - now) if times else None

    def _resume(self) -> None:
        if self._store is None:
            return
        try:
            stored = self._store.to_resume(self._device_id)
        except Exception:  # noqa: BLE001 - a damaged table must not stop new receipts
            log.exception("print queue: could not read unfinished print jobs")
            return
        with self._cond:
            for job in stored:
                kind = JobKind.COPY if job.copy else JobKind.RECEIPT
                view = JobView(job.job_id, kind, job.sale_id, None, JobState.QUEUED,
                               attempts=job.attempts)
                self._entries.setdefault(job.job_id, _Entry(view, job.copy,
                                                            created=time.monotonic()))
        if stored:
            log.info("print queue: resuming %d unfinished receipt(s)", len(stored))

    def _attempt(self, entry: _Entry, printer: ReceiptPrinter | None) -> None:
        view = entry.view
        if printer is None:
            self._finish(entry, replace(view, state=JobState.NO_PRINTER), JobStatus.SKIPPED)
            return
        if view.kind is JobKind.RECEIPT and view.attempts == 0 and self._already_done(view):
            self._finish(entry, replace(view, state=JobState.PRINTED), None)
            if entry.open_drawer:  # printed by the start-up resume: the cash sale's kick
                self.open_drawer()
            return
        self._set(entry, replace(view, state=JobState.PRINTING))
        if entry.receipt is None and view.sale_id is not None:
            try:
                entry.receipt = self._receipts(view.sale_id, entry.copy)
            except Exception as exc:  # noqa: BLE001 - ReceiptError, or a database error
                log.warning("print queue: receipt of sale %s: %s", view.sale_id, exc)
                self._fail(entry, PrintOutcome(False, str(exc), PrintProblem.UNPRINTABLE))
                return
        if entry.open_drawer and time.monotonic() - entry.created > DRAWER_RETRY_WINDOW_S:
            entry.open_drawer = False
        job = PrintJob(entry.receipt, open_drawer=entry.open_drawer, job_id=view.job_id) \
            if entry.receipt is not None or entry.open_drawer else None
        if job is None:  # a cash sale's receipt printed, its late drawer kick was dropped
            self._finish(entry, replace(entry.view, state=JobState.PRINTED), JobStatus.PRINTED)
            return
        try:
            outcome = printer.send(job)
        except Exception as exc:  # noqa: BLE001 - send() should never raise; keep the job
            log.exception("print queue: %s", job.label)
            outcome = PrintOutcome(False, f"The printer failed: {exc}",
                                   PrintProblem.SEND_FAILED)
        self._after(entry, job, outcome)

    def _after(self, entry: _Entry, job: PrintJob, outcome: PrintOutcome) -> None:
        if outcome.status is not None:
            self._on_status(outcome.status)
        remaining = job.remaining_after(outcome)
        if outcome.drawer_opened:
            entry.open_drawer = False
            with self._cond:
                self._drawer_watch_until = time.monotonic() + DRAWER_WATCH_S
                self._next_poll = time.monotonic() + DRAWER_POLL_S
        attempts = entry.view.attempts + 1
        view = replace(entry.view, attempts=attempts, problem=outcome.problem,
                       message=outcome.message, warning=outcome.warning,
                       drawer_opened=entry.view.drawer_opened or outcome.drawer_opened,
                       receipt_no=entry.receipt.receipt_no if entry.receipt else None)
        with self._cond:
            entry.view = view
        if remaining is None or outcome.printed:  # printed: it is never sent again
            self._finish(entry, replace(view, state=JobState.PRINTED), JobStatus.PRINTED)
            with self._cond:  # the printer works: whatever waits goes now
                self._make_waiting_due()
            return
        self._fail(entry, outcome)

    def _fail(self, entry: _Entry, outcome: PrintOutcome) -> None:
        view = replace(entry.view, problem=outcome.problem, message=outcome.message)
        if view.kind in (JobKind.DRAWER, JobKind.TEST):
            self._finish(entry, replace(view, state=JobState.FAILED), None)
            return
        state = JobState.HELD if outcome.problem in _NEEDS_A_PERSON else JobState.WAITING
        with self._cond:
            failures = max(1, view.attempts)
            entry.due = time.monotonic() + RETRY_DELAYS_S[min(failures, len(RETRY_DELAYS_S)) - 1]
            self._next_poll = time.monotonic() + STATUS_POLL_S
            entry.view = replace(view, state=state)
        self._record(entry, JobStatus.PENDING)  # recorded before it is shown
        self._emit(entry.view)

    def _poll(self, printer: ReceiptPrinter | None) -> None:
        with self._cond:
            self._status_wanted = False
            self._next_poll = time.monotonic() + (
                DRAWER_POLL_S if time.monotonic() < self._drawer_watch_until else STATUS_POLL_S)
        if printer is None:
            return
        status = printer.status()
        self._on_status(status)
        with self._cond:
            if status.reachable and status.problem is None:
                self._make_waiting_due()
            if status.drawer_open is not True:
                self._drawer_watch_until = 0.0

    def _make_waiting_due(self) -> None:
        """Caller holds the lock."""
        now = time.monotonic()
        for entry in self._entries.values():
            if entry.view.state is JobState.WAITING:
                entry.due = min(entry.due, now)
        self._cond.notify_all()

    def _already_done(self, view: JobView) -> bool:
        if self._store is None:
            return False
        try:
            return self._store.status_of(view.job_id) not in (None, JobStatus.PENDING)
        except Exception:  # noqa: BLE001 - when in doubt, print
            log.exception("print queue: could not read job %s", view.job_id)
            return False

    def _set(self, entry: _Entry, view: JobView) -> None:
        with self._cond:
            entry.view = view
        self._emit(view)

    def _finish(self, entry: _Entry, view: JobView, status: JobStatus | None) -> None:
        with self._cond:
            entry.view = view
            self._entries.pop(view.job_id, None)
        if status is not None:
            self._record(entry, status)
        self._emit(view)

    def _record(self, entry: _Entry, status: JobStatus) -> None:
        view = entry.view
        if self._store is None or view.sale_id is None:
            return
        try:
            self._store.save(view.job_id, view.sale_id, entry.copy, status, view.attempts,
                             view.problem.value if view.problem else None, view.message)
        except Exception:  # noqa: BLE001 - the receipt's fate is still shown on screen
            log.exception("print queue: could not record job %s", view.job_id)

    def _emit(self, view: JobView) -> None:
        try:
            self._on_job(view)
        except Exception:  # noqa: BLE001 - a listener's bug must not stop printing
            log.exception("print queue: job listener failed")
