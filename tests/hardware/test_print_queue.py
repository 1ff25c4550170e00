"""The print queue against a real printer simulator on a loopback socket and a real device
database: a failed receipt is kept and printed exactly once when the printer is back.

Every test drives `PrintQueue` as the app does -- a committed sale (real checkout), its
receipt built from the database by the worker, a real `EscposPrinter` over TCP -- and reads
what the simulated printer received and what the `print_jobs` table says.
"""
from __future__ import annotations

import threading
import pytest
from sqlalchemy import text

import hardware.print_queue as pq
from hardware.print_queue import JobKind, JobState, PrintQueue
from hardware.printer import EscposPrinter
from hardware.printer_settings import PrinterSettings
from pos_app.db.engine import make_engine
from pos_app.receipts.printing import PrintProblem
from pos_app.services.print_jobs import (JobStatus, PrintJobStore, ReceiptReader,
                                         receipt_job_id)
from tests.hardware.escpos_decode import decode
from tests.hardware.receipt_sales import ring_up, vn_sale
from tests.waiting import PATIENT_IO_S, WAIT_S

ESC_P = b"\x1bp"  # ESC p m t1 t2: the drawer kick sent with a receipt
PULSE = b"\x10\x14\x01"  # DLE DC4 1: the real-time drawer pulse (printer offline)


class Recorder:
    """Collects the queue's reports (worker thread) and lets the test wait for one."""

    def __init__(self) -> None:
        self.views: list = []
        self.statuses: list = []
        self._cond = threading.Condition()

    def job(self, view) -> None:
        with self._cond:
            self.views.append(view)
            self._cond.notify_all()

    def status(self, status) -> None:
        with self._cond:
            self.statuses.append(status)
            self._cond.notify_all()

    def wait_for(self, predicate, timeout: float = WAIT_S):
        with self._cond:
            assert self._cond.wait_for(lambda: any(predicate(v) for v in self.views), timeout), \
                f"no such job report; got {[(v.kind, v.state, v.problem) for v in self.views]}"
            return next(v for v in self.views if predicate(v))

    def wait_until(self, condition, timeout: float = WAIT_S) -> None:
        with self._cond:
            assert self._cond.wait_for(condition, timeout), "the queue did not get there"

    def settle(self, queue: PrintQueue) -> None:
        """Ask for a status read and wait for its report: the worker then went round its loop
        once more after everything reported so far, and found nothing due to print first
        (jobs come before status polls). What a fixed wait for "more polls" stood for."""
        with self._cond:
            seen = len(self.statuses)
        queue.request_status()
        self.wait_until(lambda: len(self.statuses) > seen)

    def states(self, job_id: str) -> list:
        with self._cond:
            return [v.state for v in self.views if v.job_id == job_id]


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """The rules are the same; the waits are shorter so the tests stay quick."""
    monkeypatch.setattr(pq, "STATUS_POLL_S", 0.2)
    monkeypatch.setattr(pq, "RETRY_DELAYS_S", (0.5, 1.0, 2.0))


@pytest.fixture
def till(device_db):
    engine, ctx = device_db
    reader = make_engine(engine.url.database, readonly=True)
    yield engine, reader, ctx
    reader.dispose()


def make_queue(till, clock, printer, recorder, *, start=True, resume=True) -> PrintQueue:
    """The queue; started, it returns once the worker is past its start-up (resuming what an
    earlier run left), so that a sale the test commits next is never taken for one of those:
    a resumed receipt keeps its job id and would swallow the test's own submission."""
    engine, reader, ctx = till
    queue = PrintQueue(printer, ReceiptReader(reader), PrintJobStore(engine, reader, clock),
                       device_id=ctx.device_id, on_job=recorder.job, on_status=recorder.status)
    if not start:
        return queue
    queue.start(resume)
    if printer is not None:  # its first status read comes after the resume
        recorder.settle(queue)
    return queue


def printer_for(sim) -> EscposPrinter:
    """The simulator answers status at once and refuses at once when off: generous timeouts
    only matter when something is broken (and `finish` waits until it took every byte)."""
    return EscposPrinter(PrinterSettings(uri=sim.uri, profile="TM-T88V",
                                         status_timeout_s=PATIENT_IO_S,
                                         connect_timeout_s=PATIENT_IO_S))


def stored(engine, job_id: str):
    with engine.connect() as conn:
        return conn.execute(text("SELECT status, attempts, copy FROM print_jobs WHERE id = :id"),
                            {"id": job_id}).first()


def receipt_payloads(sim) -> list[bytes]:
    """What the printer got, connection by connection, leaving out empty ones and lone
    drawer pulses (attempts while it could not print)."""
    return [p for p in sim.logic.payloads() if p and not p.startswith(PULSE)]


def test_a_cash_sale_prints_its_receipt_and_opens_the_drawer(till, clock, tcp_printer):
    engine, _reader, ctx = till
    recorder = Recorder()
    queue = make_queue(till, clock, printer_for(tcp_printer), recorder)
    try:
        sale = vn_sale(engine, ctx, clock)
        job_id = queue.submit_sale(sale.sale_id, open_drawer=True)
        done = recorder.wait_for(lambda v: v.job_id == job_id and v.finished)
    finally:
        queue.stop()
    assert done.state is JobState.PRINTED and done.drawer_opened
    assert done.receipt_no == sale.receipt_no
    [payload] = receipt_payloads(tcp_printer)
    assert payload.startswith(b"\x1b@" + ESC_P)  # the drawer opens while the receipt prints
    printout = decode(payload, printer_for(tcp_printer).renderer.profile.get_code_pages())
    assert sale.receipt_no in printout.text
    assert stored(engine, job_id) == ("printed", 1, 0)
    assert recorder.states(job_id) == [JobState.PRINTING, JobState.PRINTED]


def test_printer_off_keeps_the_job_and_prints_it_once_when_it_is_back(till, clock, tcp_printer):
    engine, _reader, ctx = till
    printer = printer_for(tcp_printer)
    tcp_printer.switch_off()
    recorder = Recorder()
    queue = make_queue(till, clock, printer, recorder)
    try:
        sale = vn_sale(engine, ctx, clock)  # the sale commits whatever the printer does
        job_id = queue.submit_sale(sale.sale_id, open_drawer=True)
        waiting = recorder.wait_for(lambda v: v.job_id == job_id and v.state is JobState.WAITING)
        assert waiting.problem is PrintProblem.UNREACHABLE
        assert "did not open" in waiting.message  # the cashier is told to use the key
        assert stored(engine, job_id)[0] == "pending"
        assert [v.job_id for v in queue.jobs()] == [job_id]

        tcp_printer.switch_on()  # same port; the status poll notices, nobody taps Retry
        done = recorder.wait_for(lambda v: v.job_id == job_id and v.finished)
        assert done.state is JobState.PRINTED and done.attempts >= 2
        assert queue.jobs() == []  # nothing is left that could print again
        recorder.settle(queue)  # one more round of the worker: nothing more prints
    finally:
        queue.stop()
    [payload] = receipt_payloads(tcp_printer)
    assert payload.count(ESC_P) == 1 and sale.receipt_no.encode() in payload
    assert stored(engine, job_id)[0] == "printed"
    assert queue.jobs() == []


def test_paper_out_opens_the_drawer_and_prints_once_after_reloading(till, clock, tcp_printer):
    engine, _reader, ctx = till
    tcp_printer.state.paper = "out"
    recorder = Recorder()
    queue = make_queue(till, clock, printer_for(tcp_printer), recorder)
    try:
        sale = vn_sale(engine, ctx, clock)
        job_id = queue.submit_sale(sale.sale_id, open_drawer=True)
        waiting = recorder.wait_for(lambda v: v.job_id == job_id and v.state is JobState.WAITING)
        assert waiting.problem is PrintProblem.PAPER_OUT and waiting.drawer_opened
        assert any(s.paper_out for s in recorder.statuses)
        # the retry finds the paper still out: nothing is sent
        recorder.wait_for(lambda v: v.job_id == job_id and v.state is JobState.WAITING
                          and v.attempts >= 2)
        recorder.settle(queue)  # and a status poll after it
        assert receipt_payloads(tcp_printer) == []
        tcp_printer.state.paper = "ok"
        recorder.wait_for(lambda v: v.job_id == job_id and v.state is JobState.PRINTED)
        assert queue.jobs() == []
        recorder.settle(queue)
    finally:
        queue.stop()
    [payload] = receipt_payloads(tcp_printer)
    assert ESC_P not in payload  # the drawer opened by the pulse already: not twice
    pulses = sum(p.count(PULSE) for p in tcp_printer.logic.payloads())
    assert pulses == 1
    assert sale.receipt_no.encode() in payload


def test_the_same_sale_submitted_twice_prints_once(till, clock, tcp_printer):
    engine, _reader, ctx = till
    recorder = Recorder()
    queue = make_queue(till, clock, printer_for(tcp_printer), recorder)
    try:
        sale = vn_sale(engine, ctx, clock)
        first = queue.submit_sale(sale.sale_id)
        recorder.wait_for(lambda v: v.job_id == first and v.finished)
        second = queue.submit_sale(sale.sale_id)  # e.g. a signal delivered twice
        assert second == first == receipt_job_id(sale.sale_id)
        # the database says it printed: the worker finishes it without sending anything
        recorder.wait_until(lambda: recorder.views[-1].job_id == first
                            and recorder.views[-1].state is JobState.PRINTED
                            and recorder.views[-1].attempts == 0)
    finally:
        queue.stop()
    assert len(receipt_payloads(tcp_printer)) == 1


def test_a_reprint_says_copy_and_never_opens_the_drawer(till, clock, tcp_printer):
    engine, _reader, ctx = till
    recorder = Recorder()
    queue = make_queue(till, clock, printer_for(tcp_printer), recorder)
    try:
        sale = vn_sale(engine, ctx, clock)
        job_id = queue.reprint(sale.sale_id)
        done = recorder.wait_for(lambda v: v.job_id == job_id and v.finished)
    finally:
        queue.stop()
    assert done.kind is JobKind.COPY and done.state is JobState.PRINTED
    [payload] = receipt_payloads(tcp_printer)
    printout = decode(payload, printer_for(tcp_printer).renderer.profile.get_code_pages())
    assert "BẢN SAO" in printout.text and ESC_P not in payload
    assert stored(engine, job_id) == ("printed", 1, 1)


def test_a_receipt_that_cannot_be_built_is_held_and_does_not_block_others(till, clock,
                                                                           tcp_printer):
    engine, _reader, ctx = till
    recorder = Recorder()
    queue = make_queue(till, clock, printer_for(tcp_printer), recorder)
    try:
        bad = queue.reprint("00000000-0000-4000-8000-000000000000")
        held = recorder.wait_for(lambda v: v.job_id == bad and v.state is JobState.HELD)
        assert held.problem is PrintProblem.UNPRINTABLE and "no sale" in held.message
        sale = vn_sale(engine, ctx, clock)
        good = queue.submit_sale(sale.sale_id)
        recorder.wait_for(lambda v: v.job_id == good and v.state is JobState.PRINTED)
        assert [v.job_id for v in queue.jobs()] == [bad]  # still shown, not retried by itself
        queue.discard(bad)
        recorder.wait_for(lambda v: v.job_id == bad and v.state is JobState.DISCARDED)
        assert queue.jobs() == []
    finally:
        queue.stop()
    assert len(receipt_payloads(tcp_printer)) == 1


def test_no_printer_set_up_completes_nothing_and_records_it(till, clock):
    engine, _reader, ctx = till
    recorder = Recorder()
    queue = make_queue(till, clock, None, recorder)
    try:
        sale = vn_sale(engine, ctx, clock)
        job_id = queue.submit_sale(sale.sale_id, open_drawer=True)
        done = recorder.wait_for(lambda v: v.job_id == job_id and v.finished)
    finally:
        queue.stop()
    assert done.state is JobState.NO_PRINTER
    assert stored(engine, job_id)[0] == "skipped"


def test_no_sale_drawer_kick_is_tried_once_and_not_retried(till, clock, tcp_printer):
    recorder = Recorder()
    tcp_printer.switch_off()
    queue = make_queue(till, clock, printer_for(tcp_printer), recorder)
    try:
        job_id = queue.open_drawer()
        failed = recorder.wait_for(lambda v: v.job_id == job_id and v.finished)
        assert failed.state is JobState.FAILED and failed.problem is PrintProblem.UNREACHABLE
        assert queue.jobs() == []  # not kept: the drawer cannot spring open later
        tcp_printer.switch_on()
        assert tcp_printer.logic.payloads() == []
        kick = queue.open_drawer()
        opened = recorder.wait_for(lambda v: v.job_id == kick and v.finished)
    finally:
        queue.stop()
    assert opened.state is JobState.PRINTED and opened.drawer_opened
    kick_only = printer_for(tcp_printer).renderer.render(None, open_drawer=True)
    assert ESC_P in kick_only and tcp_printer.logic.payloads() == [kick_only]


def test_unfinished_receipts_resume_when_the_till_starts_again(till, clock, tcp_printer):
    """A job left pending and a sale whose app died before its first attempt ended both
    print at the next start; a pending job from long ago expires instead."""
    engine, reader, ctx = till
    store = PrintJobStore(engine, reader, clock)
    old = ring_up(engine, ctx, clock, {"TUI-BE": 1})
    store.save(receipt_job_id(old.sale_id), old.sale_id, False, JobStatus.PENDING, 3)
    clock.advance(hours=3)
    kept = ring_up(engine, ctx, clock, {"TUI-BE": 1})
    store.save(receipt_job_id(kept.sale_id), kept.sale_id, False, JobStatus.PENDING, 1)
    clock.advance(minutes=1)
    crashed = ring_up(engine, ctx, clock, {"TUI-BE": 2})  # no job row: the app stopped
    clock.advance(seconds=5)

    recorder = Recorder()
    queue = make_queue(till, clock, printer_for(tcp_printer), recorder)
    try:
        for sale in (kept, crashed):
            recorder.wait_for(lambda v, s=sale: v.sale_id == s.sale_id
                              and v.state is JobState.PRINTED)
    finally:
        queue.stop()
    printed = [p for p in receipt_payloads(tcp_printer)]
    assert [kept.receipt_no.encode() in printed[0], crashed.receipt_no.encode() in printed[1]] \
        == [True, True] and len(printed) == 2
    assert stored(engine, receipt_job_id(old.sale_id))[0] == "expired"
    assert stored(engine, receipt_job_id(crashed.sale_id))[0] == "printed"
    # and a later start prints none of them again
    recorder2 = Recorder()
    queue = make_queue(till, clock, printer_for(tcp_printer), recorder2)
    recorder2.settle(queue)  # resumed, then round the loop: a resumed job would go first
    queue.stop()
    assert recorder2.views == [] and len(receipt_payloads(tcp_printer)) == 2


def test_a_printed_job_is_never_made_pending_again(till, clock):
    engine, reader, ctx = till
    store = PrintJobStore(engine, reader, clock)
    sale = ring_up(engine, ctx, clock, {"TUI-BE": 1})
    job_id = receipt_job_id(sale.sale_id)
    store.save(job_id, sale.sale_id, False, JobStatus.PRINTED, 1)
    store.save(job_id, sale.sale_id, False, JobStatus.PENDING, 2, "paper_out", "late report")
    assert stored(engine, job_id) == ("printed", 1, 0)
    assert store.to_resume(ctx.device_id) == []


def test_a_cash_sale_whose_receipt_the_resume_printed_first_still_opens_the_drawer(
        till, clock, tcp_printer):
    """The till starts, the cashier completes a cash sale at once, and the start-up resume
    sees the committed sale (no job row yet) before the sale's own submission arrives: the
    receipt prints once and the drawer still opens."""
    engine, reader, ctx = till
    recorder = Recorder()
    queue = make_queue(till, clock, printer_for(tcp_printer), recorder, start=False)
    sale = vn_sale(engine, ctx, clock)  # committed before the worker's resume runs
    queue.start()
    try:
        job_id = receipt_job_id(sale.sale_id)
        recorder.wait_for(lambda v: v.job_id == job_id and v.state is JobState.PRINTED)
        assert queue.submit_sale(sale.sale_id, open_drawer=True) == job_id  # arrives late
        kicked = recorder.wait_for(lambda v: v.kind is JobKind.DRAWER and v.finished)
    finally:
        queue.stop()
    assert kicked.state is JobState.PRINTED and kicked.drawer_opened
    printed = receipt_payloads(tcp_printer)
    assert sum(sale.receipt_no.encode() in p for p in printed) == 1  # never twice
    assert any(ESC_P in p for p in printed)


def test_a_cash_sale_submitted_while_the_resume_prints_it_still_opens_the_drawer(
        till, clock, tcp_printer):
    """Same race, the submission arriving while the resumed receipt is being sent."""
    engine, reader, ctx = till
    recorder = Recorder()
    building = threading.Event()
    go_on = threading.Event()
    receipts = ReceiptReader(reader)

    def slow_receipts(sale_id, copy=False):
        building.set()
        assert go_on.wait(WAIT_S)
        return receipts(sale_id, copy)

    sale = vn_sale(engine, ctx, clock)
    queue = PrintQueue(printer_for(tcp_printer), slow_receipts,
                       PrintJobStore(engine, reader, clock), device_id=ctx.device_id,
                       on_job=recorder.job, on_status=recorder.status).start()
    try:
        assert building.wait(WAIT_S)  # the resumed receipt is being built and sent
        job_id = queue.submit_sale(sale.sale_id, open_drawer=True)
        go_on.set()
        recorder.wait_for(lambda v: v.job_id == job_id and v.state is JobState.PRINTED)
        kicked = recorder.wait_for(lambda v: v.kind is JobKind.DRAWER and v.finished)
    finally:
        go_on.set()
        queue.stop()
    assert kicked.drawer_opened
    printed = receipt_payloads(tcp_printer)
    assert sum(sale.receipt_no.encode() in p for p in printed) == 1
