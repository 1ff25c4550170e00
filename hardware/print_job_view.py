"""A print job as the screens see it: its kind, its state, and what went wrong.

Why: the print queue (hardware/print_queue.py) reports every change of a job as an immutable
`JobView`, on its worker thread; the UI (ui/printing) shows it -- "Printing the receipt…",
"Receipt printed.", or the problem and that the receipt is kept -- and offers Retry or
Discard while it is `stuck`. Kept apart from the queue so the UI can name states without the
queue's machinery.

Pure data: safe on any thread.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from pos_app.receipts.printing import PrintProblem


class JobKind(str, Enum):
    RECEIPT = "receipt"  # a sale's original receipt (with the drawer kick of a cash sale)
    COPY = "copy"  # a reprint: "COPY" on it, never a drawer kick
    DRAWER = "drawer"  # "No sale": the drawer only
    TEST = "test"  # the printer test page


class JobState(str, Enum):
    QUEUED = "queued"
    PRINTING = "printing"
    WAITING = "waiting"  # failed: kept and retried automatically
    HELD = "held"  # failed in a way a retry cannot fix: kept until retried or discarded
    PRINTED = "printed"  # done (for DRAWER: the drawer opened)
    FAILED = "failed"  # a one-shot job (drawer, test page) that did not work
    DISCARDED = "discarded"
    NO_PRINTER = "no_printer"  # no receipt printer is set up: nothing to do


FINISHED = frozenset({JobState.PRINTED, JobState.FAILED, JobState.DISCARDED,
                      JobState.NO_PRINTER})


@dataclass(frozen=True, slots=True)
class JobView:
    """A job as the UI shows it. `message` is the printer's English sentence (the UI words
    `problem` in its own language); `warning` is set on success when the paper runs low."""

    job_id: str
    kind: JobKind
    sale_id: str | None
    receipt_no: str | None
    state: JobState
    attempts: int = 0
    problem: PrintProblem | None = None
    message: str = ""
    warning: str | None = None
    drawer_opened: bool = False

    @property
    def stuck(self) -> bool:
        return self.state in (JobState.WAITING, JobState.HELD)

    @property
    def finished(self) -> bool:
        return self.state in FINISHED
