"""What the cashier reads about printing, in the UI's language.

Why: the printer layer reports problems as a `PrintProblem` plus an English sentence; the
cashier must read, in English or Vietnamese, what is wrong and what to do ("out of paper:
load a new roll") and what happens to the receipt ("kept; it prints when the printer is
ready"). One place words every job state and printer status, so the sale-complete view, the
banner on every screen, the status line and the Printers screen say the same thing.

UI thread only (Qt translations).
"""
from __future__ import annotations

from PySide6.QtCore import QObject

from hardware.print_job_view import JobKind, JobState, JobView
from pos_app.receipts.printing import PrintProblem, PrinterStatus


class PrintWording(QObject):
    def problem(self, problem: PrintProblem | None, detail: str = "") -> str:
        """One sentence: what is wrong and what to do."""
        texts = {
            PrintProblem.UNREACHABLE: self.tr(
                "The printer cannot be reached. Check that it is switched on and connected."),
            PrintProblem.PAPER_OUT: self.tr("The printer is out of paper. Load a new roll."),
            PrintProblem.COVER_OPEN: self.tr("The printer cover is open. Close it."),
            PrintProblem.OFFLINE: self.tr("The printer is offline. Check its lights and "
                                          "buttons."),
            PrintProblem.PRINTER_ERROR: self.tr(
                "The printer reports an error (paper jam, cutter or overheating). "
                "Check the printer."),
            PrintProblem.SEND_FAILED: self.tr(
                "The connection to the printer broke while printing; the whole receipt "
                "prints again."),
            PrintProblem.UNPRINTABLE: self.tr("This receipt cannot be printed: %1"),
            PrintProblem.NOT_CONFIGURED: self.tr("The printer is not set up correctly: %1"),
        }
        text = texts.get(problem, self.tr("The receipt did not print."))
        return text.replace("%1", detail)

    def job(self, view: JobView) -> str:
        """The state of a job, for the sale-complete view and the banner."""
        state = view.state
        if state is JobState.NO_PRINTER:
            return self.tr("No receipt printer set up. The sale is saved; a manager can set "
                           "up a printer in Settings, then reprint the receipt.")
        if view.kind is JobKind.DRAWER:
            if state in (JobState.QUEUED, JobState.PRINTING):
                return self.tr("Opening the cash drawer…")
            if state is JobState.PRINTED:
                return self.tr("The cash drawer is open.")
            return (self.problem(view.problem, view.message) + " "
                    + self.tr("The cash drawer did not open: use its key."))
        if state in (JobState.QUEUED, JobState.PRINTING):
            return (self.tr("Printing a copy…") if view.kind is JobKind.COPY
                    else self.tr("Printing the receipt…"))
        if state is JobState.PRINTED:
            text = (self.tr("Copy printed.") if view.kind is JobKind.COPY
                    else self.tr("Receipt printed."))
            if view.drawer_opened and view.kind is JobKind.RECEIPT:
                text += " " + self.tr("The cash drawer is open.")
            if view.warning:
                text += " " + self.tr("The paper roll is nearly finished.")
            return text
        if state is JobState.DISCARDED:
            return self.tr("The receipt was not printed. Reprint it from Receipts.")
        detail = self.problem(view.problem, view.message)
        if state is JobState.WAITING:
            return detail + " " + self.tr("The receipt is kept and prints when the printer "
                                          "is ready.")
        if state is JobState.HELD:
            return detail + " " + self.tr("The receipt is kept: tap Retry after fixing it.")
        return detail  # FAILED: a test page

    def status(self, status: PrinterStatus | None, configured: bool) -> str:
        """A short printer state for the status line and the Printers screen."""
        if not configured:
            return self.tr("No receipt printer set up")
        if status is None:
            return self.tr("Printer: not checked yet")
        if not status.reachable:
            return self.tr("Printer: not reachable")
        if not status.reported:
            return self.tr("Printer connected (it does not report its status)")
        short = {PrintProblem.PAPER_OUT: self.tr("Printer: out of paper"),
                 PrintProblem.COVER_OPEN: self.tr("Printer: cover open"),
                 PrintProblem.PRINTER_ERROR: self.tr("Printer: error"),
                 PrintProblem.OFFLINE: self.tr("Printer: offline")}
        text = short.get(status.problem, self.tr("Printer ready"))
        if status.paper_near_end and not status.paper_out:
            text += " · " + self.tr("paper low")
        if status.drawer_open:
            text += " · " + self.tr("drawer open")
        return text

    def status_details(self, status: PrinterStatus) -> list[tuple[str, str]]:
        """(what, state) rows for the Printers screen's status read-out."""
        if not status.reachable or not status.reported:
            return []
        yes_no = {True: self.tr("yes"), False: self.tr("no"), None: self.tr("unknown")}
        paper = (self.tr("out") if status.paper_out else
                 self.tr("nearly finished") if status.paper_near_end else self.tr("OK"))
        drawer = {True: self.tr("open"), False: self.tr("closed"),
                  None: self.tr("unknown")}[status.drawer_open]
        return [(self.tr("Online"), yes_no[status.online]), (self.tr("Paper"), paper),
                (self.tr("Cover open"), yes_no[status.cover_open]),
                (self.tr("Cash drawer"), drawer)]
