"""The print jobs a till keeps in its database, and the receipts they print.

Why: a receipt that could not print is kept and retried (DESIGN.md §6), and a sale made just
before the app crashed, was killed or lost power must still get its receipt when the till
starts again -- the customer is often still at the counter. So the print queue
(hardware/print_queue.py) records each receipt job's fate in the `print_jobs` table and, at
start-up, resumes what is unfinished:

- jobs still `pending` (they failed and were waiting for the printer);
- the till's latest sales that have no job row at all: the app stopped between the sale's
  commit and the end of the first print attempt (the row is written after the attempt, so
  the first byte never waits for a disk write). Such a receipt may have printed in part or
  even whole before the crash: across a crash a receipt prints at least once; without one,
  exactly once.

Jobs older than the resume window are marked `expired`, not printed hours later; they can
always be reprinted (as a copy) from the Receipts screen. A job whose row says `printed` or
`discarded` is never printed again: an original receipt's job id is derived from its sale
id, so the same sale can never queue two originals.

Thread: the print worker (its own short write transactions on the writer engine; SQLite's
busy timeout serialises them with the database worker). `receipt_job_id` is pure.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from sqlalchemy import Engine, text

from pos_app.ports import Clock, utc_iso
from pos_app.receipts.receipt import Receipt, build_receipt

_JOB_NAMESPACE = uuid.UUID("6f1d8a52-3c4e-4d7b-9a8e-2b5c7e1f0a93")
RESUME_WINDOW = timedelta(hours=2)  # unfinished receipts younger than this print at start-up
RECENT_SALES = 20  # how many of the latest sales are checked for a missing job at start-up


class JobStatus(str, Enum):
    PENDING = "pending"  # failed so far: kept, retried, resumed at start-up
    PRINTED = "printed"
    SKIPPED = "skipped"  # no receipt printer was set up when the sale completed
    DISCARDED = "discarded"  # the cashier gave up on it (the customer left)
    EXPIRED = "expired"  # still pending at a start-up long after the sale


def receipt_job_id(sale_id: str) -> str:
    """The job id of a sale's original receipt: the same sale always gives the same id."""
    return str(uuid.uuid5(_JOB_NAMESPACE, f"receipt:{sale_id}"))


@dataclass(frozen=True, slots=True)
class StoredJob:
    job_id: str
    sale_id: str
    copy: bool
    attempts: int


class PrintJobStore:
    """The `print_jobs` table of one device database."""

    def __init__(self, writer: Engine, reader: Engine, clock: Clock) -> None:
        self._writer = writer
        self._reader = reader
        self._clock = clock

    def save(self, job_id: str, sale_id: str, copy: bool, status: JobStatus, attempts: int,
             problem: str | None = None, message: str | None = None) -> None:
        """Insert or update a job. A job that is no longer pending keeps its final status:
        a late failure report can never turn a printed receipt back into a pending one."""
        now = utc_iso(self._clock.now_utc())
        with self._writer.begin() as conn:
            conn.execute(text(
                "INSERT INTO print_jobs(id, sale_id, copy, status, attempts, problem, message,"
                " created_at, updated_at) VALUES (:id, :sale, :copy, :status, :attempts,"
                " :problem, :message, :now, :now)"
                " ON CONFLICT(id) DO UPDATE SET status = excluded.status,"
                " attempts = excluded.attempts, problem = excluded.problem,"
                " message = excluded.message, updated_at = excluded.updated_at"
                " WHERE print_jobs.status = 'pending'"),
                {"id": job_id, "sale": sale_id, "copy": int(copy), "status": status.value,
                 "attempts": attempts, "problem": problem, "message": message, "now": now})

    def status_of(self, job_id: str) -> JobStatus | None:
        with self._reader.connect() as conn:
            value = conn.execute(text("SELECT status FROM print_jobs WHERE id = :id"),
                                 {"id": job_id}).scalar_one_or_none()
        return JobStatus(value) if value else None

    def to_resume(self, device_id: str) -> list[StoredJob]:
        """What to print at start-up, oldest first; marks older pending jobs `expired`."""
        since = utc_iso(self._clock.now_utc() - RESUME_WINDOW)
        with self._writer.begin() as conn:
            conn.execute(text(
                "UPDATE print_jobs SET status = 'expired', updated_at = :now"
                " WHERE status = 'pending' AND created_at < :since"),
                {"since": since, "now": utc_iso(self._clock.now_utc())})
            pending = conn.execute(text(
                "SELECT id, sale_id, copy, attempts FROM print_jobs WHERE status = 'pending'"
                " ORDER BY created_at, rowid")).all()
            # The device's latest sales (its (device_id, seq) index: no scan of old sales).
            recent = conn.execute(text(
                "SELECT id, created_at FROM sales WHERE device_id = :device"
                " ORDER BY seq DESC LIMIT :n"), {"device": device_id, "n": RECENT_SALES}).all()
            known = {row[0] for row in conn.execute(text(
                "SELECT sale_id FROM print_jobs WHERE copy = 0 AND sale_id IN"
                " (SELECT id FROM sales WHERE device_id = :device ORDER BY seq DESC LIMIT :n)"),
                {"device": device_id, "n": RECENT_SALES})}
        jobs = [StoredJob(job_id, sale_id, bool(copy), attempts)
                for job_id, sale_id, copy, attempts in pending]
        missing = [StoredJob(receipt_job_id(sale_id), sale_id, False, 0)
                   for sale_id, created_at in reversed(recent)
                   if created_at >= since and sale_id not in known]
        return jobs + missing  # pending ones are older than the sales the crash left behind


class ReceiptReader:
    """Builds a committed sale's receipt on the print worker with a read-only connection
    (pos_app.receipts.receipt: never on the UI thread). Raises ReceiptError with a message."""

    def __init__(self, reader: Engine) -> None:
        self._reader = reader

    def __call__(self, sale_id: str, copy: bool = False) -> Receipt:
        with self._reader.connect() as conn:
            return build_receipt(conn, sale_id, copy=copy)
