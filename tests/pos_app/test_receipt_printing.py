"""Print jobs, printer status and outcomes: what remains to do after an attempt."""
from __future__ import annotations

import pytest

from pos_app.receipts.printing import PrintJob, PrintOutcome, PrintProblem, PrinterStatus


class _Receipt:  # PrintJob only reads receipt_no and is_copy for its label
    receipt_no = "HCM1-T02-000007"
    is_copy = False


RECEIPT = _Receipt()


def test_remaining_after_each_kind_of_attempt():
    job = PrintJob(RECEIPT, open_drawer=True)
    printed = PrintOutcome(True, "Printed.", drawer_opened=True)
    assert job.remaining_after(printed) is None
    # out of paper, drawer opened by the real-time pulse: print later, do not kick again
    paper_out = PrintOutcome(False, "Out of paper.", PrintProblem.PAPER_OUT, drawer_opened=True)
    left = job.remaining_after(paper_out)
    assert left.receipt is RECEIPT and not left.open_drawer and left.job_id == job.job_id
    # unreachable: everything is still to do
    unreachable = PrintOutcome(False, "Refused.", PrintProblem.UNREACHABLE)
    assert job.remaining_after(unreachable) == job
    # the receipt went out but the drawer did not open (cannot happen today; stay correct)
    odd = PrintOutcome(True, "Printed.", drawer_opened=False)
    drawer_left = job.remaining_after(odd)
    assert drawer_left.receipt is None and drawer_left.open_drawer
    assert PrintJob(RECEIPT).remaining_after(PrintOutcome(True, "Printed.")) is None
    no_sale = PrintJob(None, open_drawer=True)
    assert no_sale.remaining_after(PrintOutcome(False, "Opened.", drawer_opened=True)) is None


def test_labels_and_validation():
    assert PrintJob(RECEIPT).label == "receipt HCM1-T02-000007"
    assert PrintJob(None, open_drawer=True).label == "cash drawer"
    with pytest.raises(ValueError):
        PrintJob(None, open_drawer=False)


@pytest.mark.parametrize("status, problem, words", [
    (PrinterStatus.unknown(), None, "does not report"),
    (PrinterStatus.unreachable("The printer at 10.0.0.9:9100 refused the connection."),
     PrintProblem.UNREACHABLE, "refused"),
    (PrinterStatus(True, online=True), None, "ready"),
    (PrinterStatus(True, online=True, paper_near_end=True), None, "nearly finished"),
    (PrinterStatus(True, online=False, paper_out=True), PrintProblem.PAPER_OUT, "out of paper"),
    (PrinterStatus(True, online=False, cover_open=True), PrintProblem.COVER_OPEN, "cover"),
    (PrinterStatus(True, online=False, auto_recoverable_error=True),
     PrintProblem.PRINTER_ERROR, "too hot"),
    (PrinterStatus(True, online=False), PrintProblem.OFFLINE, "offline"),
])
def test_status_problem_and_words(status, problem, words):
    assert status.problem is problem
    assert words in status.describe()
