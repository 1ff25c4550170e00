"""`EscposPrinter.send`: one attempt against a simulated printer on a real socket or pty.

The key promise: a failure keeps the job, a retry after the printer is back prints the
receipt exactly once, and a cash sale's drawer opens exactly once.
"""
from __future__ import annotations

import pytest

from hardware.printer import EscposPrinter
from hardware.printer_settings import PrinterSettings
from hardware.printer_uri import PrinterUriError
from pos_app.receipts.printing import PrintJob, PrintProblem
from tests.hardware.escpos_decode import decode
from tests.waiting import PATIENT_IO_S, wait_for


def printer_for(uri: str, **settings) -> EscposPrinter:
    """The simulators always answer: a generous status timeout only matters when one breaks
    (and `finish` then waits for the simulator to take every byte and hang up)."""
    settings.setdefault("status_timeout_s", PATIENT_IO_S)
    return EscposPrinter(PrinterSettings(uri=uri, profile="TM-T88V", **settings))


def test_a_ready_printer_gets_the_rendered_job(tcp_printer, vn_receipt):
    printer = printer_for(tcp_printer.uri)
    job = PrintJob(vn_receipt, open_drawer=True)
    outcome = printer.send(job)
    assert outcome.ok and outcome.printed and outcome.drawer_opened
    assert outcome.message == "Printed receipt HCM1-T02-000001. The cash drawer was opened."
    expected = printer.renderer.render(vn_receipt, open_drawer=True)
    assert tcp_printer.logic.payloads() == [expected]
    assert outcome.bytes_sent == len(expected)
    assert job.remaining_after(outcome) is None
    assert tcp_printer.logic.connections[0].status_queries[:4] == [1, 2, 3, 4]


def test_paper_out_then_back_prints_once_and_opens_the_drawer_once(tcp_printer, vn_receipt):
    printer = printer_for(tcp_printer.uri)
    tcp_printer.state.paper = "out"
    job = PrintJob(vn_receipt, open_drawer=True)

    failed = printer.send(job)
    assert not failed.printed and failed.problem is PrintProblem.PAPER_OUT
    assert failed.message == ("The printer is out of paper. Load a new roll. "
                              "The cash drawer was opened.")
    assert failed.drawer_opened  # by the real-time pulse: the cashier can give change
    assert tcp_printer.logic.payloads() == [b"\x10\x14\x01\x00\x02"]  # nothing else was sent

    retry = job.remaining_after(failed)
    assert retry is not None and retry.receipt is vn_receipt and not retry.open_drawer
    assert printer.send(retry).problem is PrintProblem.PAPER_OUT  # still out: kept again
    tcp_printer.state.paper = "ok"
    done = printer.send(retry)
    assert done.printed and not done.drawer_opened and retry.remaining_after(done) is None

    # attempt 1: only the drawer pulse; attempt 2: nothing; attempt 3: the receipt, without
    # a second drawer kick -- the receipt went to the printer exactly once
    assert tcp_printer.logic.payloads() == [b"\x10\x14\x01\x00\x02", b"",
                                            printer.renderer.render(vn_receipt)]
    printout = decode(tcp_printer.logic.payloads()[2], printer.renderer.profile.get_code_pages())
    assert printout.of_kind("drawer") == [] and printout.of_kind("cut") == [("cut",)]


def test_printer_switched_off_then_on(tcp_printer, vn_receipt):
    printer = printer_for(tcp_printer.uri)
    tcp_printer.switch_off()
    job = PrintJob(vn_receipt, open_drawer=True)
    off = printer.send(job)
    assert off.problem is PrintProblem.UNREACHABLE and not off.drawer_opened
    # refused at once: no connect timeout was waited for
    assert "refused the connection" in off.message and "use its key" in off.message
    assert off.status is not None and off.status.reachable is False
    assert job.remaining_after(off) == job  # everything still to do

    tcp_printer.switch_on()
    on = printer.send(job.remaining_after(off))
    assert on.printed and on.drawer_opened
    assert tcp_printer.logic.payloads() == [printer.renderer.render(vn_receipt,
                                                                    open_drawer=True)]


@pytest.mark.parametrize("state, problem, words", [
    (dict(cover_open=True), PrintProblem.COVER_OPEN, "cover is open"),
    (dict(cutter_error=True), PrintProblem.PRINTER_ERROR, "cutter is jammed"),
])
def test_other_offline_causes_are_named(tcp_printer, vn_receipt, state, problem, words):
    for key, value in state.items():
        setattr(tcp_printer.state, key, value)
    outcome = printer_for(tcp_printer.uri).send(PrintJob(vn_receipt))
    assert outcome.problem is problem and words in outcome.message
    assert tcp_printer.logic.payloads() == [b""]


def test_near_end_prints_with_a_warning(tcp_printer, vn_receipt):
    tcp_printer.state.paper = "near_end"
    outcome = printer_for(tcp_printer.uri).send(PrintJob(vn_receipt))
    assert outcome.printed and outcome.warning and "nearly finished" in outcome.warning


def test_a_printer_without_status_still_prints_and_is_not_asked_every_time(tcp_printer,
                                                                         vn_receipt):
    tcp_printer.state.answers_status = False
    printer = printer_for(tcp_printer.uri, status_timeout_s=0.3)  # the silence is waited once
    outcome = printer.send(PrintJob(vn_receipt))
    assert outcome.printed and outcome.status.reported is False
    again = printer.send(PrintJob(vn_receipt))
    assert again.printed
    # the second attempt did not ask (so it waited no status timeout): [1] then nothing
    connections = tcp_printer.wait_closed(2)
    assert [c.status_queries for c in connections] == [[1], []]


def test_a_connection_reset_mid_job_is_a_send_failure_and_the_job_is_kept(tcp_printer,
                                                                          vn_receipt):
    tcp_printer.state.crash_on_job = True
    job = PrintJob(vn_receipt, open_drawer=True)
    outcome = printer_for(tcp_printer.uri).send(job)
    assert outcome.problem is PrintProblem.SEND_FAILED and not outcome.printed
    assert "dropped the connection" in outcome.message or "broke" in outcome.message
    assert job.remaining_after(outcome).receipt is vn_receipt


def test_no_sale_opens_the_drawer_only(tcp_printer):
    printer = printer_for(tcp_printer.uri)
    outcome = printer.open_drawer()
    assert outcome.ok and outcome.drawer_opened and not outcome.printed
    assert tcp_printer.logic.payloads() == [b"\x1b@\x1bp\x00\x32\x32"]
    tcp_printer.state.drawer_pin3_high = True
    assert printer.drawer_open() is True


def test_status_of_a_missing_printer(tcp_printer):
    printer = printer_for(tcp_printer.uri)
    tcp_printer.switch_off()
    status = printer.status()
    assert status.problem is PrintProblem.UNREACHABLE and "refused" in status.describe()


def test_serial_printer_over_a_pty(pty_printer, vn_receipt):
    printer = printer_for(pty_printer.uri(115200))
    outcome = printer.send(PrintJob(vn_receipt))
    assert outcome.printed, outcome.message
    expected = printer.renderer.render(vn_receipt)
    wait_for(lambda: pty_printer.received.endswith(expected), what="the receipt on the pty")
    assert pty_printer.received == b"\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04" + \
        expected
    pty_printer.state.paper = "out"
    assert printer.send(PrintJob(vn_receipt)).problem is PrintProblem.PAPER_OUT


def test_unprintable_text_and_bad_uris_are_configuration_problems(tcp_printer, vn_receipt):
    strict = EscposPrinter(PrinterSettings(uri=tcp_printer.uri, profile="TM-T88IV",
                                           text_mode="codepage"))
    outcome = strict.send(PrintJob(vn_receipt))
    assert outcome.problem is PrintProblem.UNPRINTABLE and "'auto' or 'raster'" in outcome.message
    assert tcp_printer.logic.connections == []  # refused before connecting
    with pytest.raises(PrinterUriError):
        EscposPrinter(PrinterSettings(uri="lpt://1"))


def test_print_job_rules():
    with pytest.raises(ValueError, match="needs a receipt or a drawer"):
        PrintJob(None)
    assert repr(PrintJob(None, open_drawer=True)).startswith("PrintJob(cash drawer")


def test_send_never_raises_for_what_cannot_be_printed(tcp_printer, vn_receipt):
    from dataclasses import replace

    odd = replace(vn_receipt, receipt_no="HCMĐ-T02-000001")  # no CODE128 for "Đ"
    outcome = printer_for(tcp_printer.uri).send(PrintJob(odd, open_drawer=True))
    assert outcome.problem is PrintProblem.NOT_CONFIGURED and not outcome.drawer_opened
    assert "could not be prepared" in outcome.message
    assert tcp_printer.logic.connections == []


def test_a_cups_queue_that_refuses_the_job(monkeypatch, tmp_path, vn_receipt):
    import sys

    monkeypatch.setitem(sys.modules, "cups", None)
    lp = tmp_path / "lp"
    lp.write_text("#!/bin/sh\ncat >/dev/null\necho 'lp: The printer or class does not exist.'"
                  " >&2\nexit 1\n")
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    outcome = printer_for("cups://nowhere").send(PrintJob(vn_receipt))
    assert outcome.problem is PrintProblem.UNREACHABLE and not outcome.printed
    assert "does not exist" in outcome.message
