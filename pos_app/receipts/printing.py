"""What the till asks a receipt printer to do, and what it answers: jobs, status, outcomes.

Why: the print queue (ui, the lead's) must keep a failed receipt and retry it without ever
delaying or undoing the sale (DESIGN.md §6), tell the cashier *what* is wrong ("out of paper",
"cover open", "not reachable at 192.168.1.50:9100"), and never print a receipt twice or open
the drawer twice. These types carry exactly that between the queue and `hardware/`, which
implements `pos_app.ports.ReceiptPrinter` and `CashDrawer` with them.

- `PrintJob`: a receipt to print and/or a drawer to open. `remaining_after(outcome)` is the
  job still to do after an attempt: None when done; without the drawer kick when the drawer
  already opened (a cash sale whose receipt failed still opens the drawer once).
- `PrinterStatus`: the printer's real-time status (ESC/POS DLE EOT 1..4) where it reports one.
- `PrintOutcome`: printed or not, the problem as an enum the UI can translate, and an English
  message specific enough to act on.

Pure code: safe on any thread.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from enum import Enum

from pos_app.receipts.receipt import Receipt


class PrintProblem(str, Enum):
    UNREACHABLE = "unreachable"  # no connection: off, unplugged, wrong address
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"  # offline for another reason (feed button held, waiting)
    PRINTER_ERROR = "printer_error"  # cutter jam, head overheated, mechanical error
    SEND_FAILED = "send_failed"  # the connection broke mid-job: the receipt may be partial
    UNPRINTABLE = "unprintable"  # text the configured text mode cannot print
    NOT_CONFIGURED = "not_configured"  # a bad URI, a missing driver (libusb, CUPS)


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """A printer's real-time status. `reported` is False when it does not answer queries
    (a file or CUPS queue, a printer without status support): then nothing else is known."""

    reported: bool
    reachable: bool = True  # False: no connection at all (then `detail` says why)
    detail: str = ""
    online: bool | None = None
    cover_open: bool = False
    paper_out: bool = False
    paper_near_end: bool = False
    feed_button: bool = False
    drawer_open: bool | None = None  # None: unknown (no status, or no drawer sensor setting)
    cutter_error: bool = False
    unrecoverable_error: bool = False
    auto_recoverable_error: bool = False  # e.g. the print head is too hot; clears itself
    raw: bytes = b""  # the status bytes as received, for the log

    @classmethod
    def unknown(cls) -> "PrinterStatus":
        return cls(reported=False)

    @classmethod
    def unreachable(cls, detail: str) -> "PrinterStatus":
        return cls(reported=False, reachable=False, detail=detail)

    @property
    def problem(self) -> PrintProblem | None:
        """Why the printer cannot print now; None when it can (or when it does not say)."""
        if not self.reachable:
            return PrintProblem.UNREACHABLE
        if not self.reported:
            return None
        if self.paper_out:
            return PrintProblem.PAPER_OUT
        if self.cover_open:
            return PrintProblem.COVER_OPEN
        if self.cutter_error or self.unrecoverable_error or self.auto_recoverable_error:
            return PrintProblem.PRINTER_ERROR
        if self.online is False:
            return PrintProblem.OFFLINE
        return None

    def describe(self) -> str:
        """One sentence for the cashier."""
        if not self.reachable:
            return self.detail or "The printer cannot be reached."
        if not self.reported:
            return "The printer does not report its status."
        if self.paper_out:
            return "The printer is out of paper. Load a new roll."
        if self.cover_open:
            return "The printer cover is open. Close it."
        if self.cutter_error:
            return "The printer's paper cutter is jammed. Open the cover and clear it."
        if self.unrecoverable_error:
            return "The printer reports a fault it cannot recover from. Switch it off and on."
        if self.auto_recoverable_error:
            return "The printer paused (print head too hot). It resumes by itself shortly."
        if self.online is False:
            return ("The printer is offline (feed button held)." if self.feed_button
                    else "The printer is offline.")
        if self.paper_near_end:
            return "The printer is ready; the paper roll is nearly finished."
        return "The printer is ready."


@dataclass(frozen=True, slots=True, repr=False)
class PrintJob:
    """A receipt to print and/or the drawer to open ("No sale": receipt None, drawer True)."""

    receipt: Receipt | None
    open_drawer: bool = False
    job_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def __post_init__(self) -> None:
        if self.receipt is None and not self.open_drawer:
            raise ValueError("A print job needs a receipt or a drawer to open")

    def __repr__(self) -> str:
        return f"PrintJob({self.label}, open_drawer={self.open_drawer}, job_id={self.job_id})"

    @property
    def label(self) -> str:
        if self.receipt is None:
            return "cash drawer"
        return f"receipt {self.receipt.receipt_no}" + (" (copy)" if self.receipt.is_copy else "")

    def remaining_after(self, outcome: "PrintOutcome") -> "PrintJob | None":
        """What is left to do after `outcome`: None when the job is done."""
        receipt_done = self.receipt is None or outcome.printed
        drawer_done = not self.open_drawer or outcome.drawer_opened
        if receipt_done and drawer_done:
            return None
        if receipt_done:  # the receipt printed but the drawer did not open: kick it again
            return replace(self, receipt=None)
        return replace(self, open_drawer=self.open_drawer and not outcome.drawer_opened)


@dataclass(frozen=True, slots=True)
class PrintOutcome:
    """The result of one attempt. `message` is English, specific and shown as is (the UI may
    word `problem` in its own language instead); `warning` is set on success when something
    needs attention soon (paper nearly finished)."""

    printed: bool
    message: str
    problem: PrintProblem | None = None
    drawer_opened: bool = False
    status: PrinterStatus | None = None
    warning: str | None = None
    bytes_sent: int = 0

    @property
    def ok(self) -> bool:
        return self.problem is None
