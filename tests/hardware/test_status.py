"""DLE EOT status: the bits of the Epson reference, and reading them from real connections."""
from __future__ import annotations

import pytest

from hardware.printer_settings import PrinterSettings
from hardware.printer_uri import parse_printer_uri
from hardware.status import is_status_byte, parse_status, read_status, realtime_pulse, \
    status_query
from hardware.transports import open_transport
from pos_app.receipts.printing import PrintProblem
from tests.waiting import PATIENT_IO_S


def test_query_and_pulse_bytes():
    assert [status_query(n) for n in (1, 2, 3, 4)] == [b"\x10\x04\x01", b"\x10\x04\x02",
                                                       b"\x10\x04\x03", b"\x10\x04\x04"]
    assert realtime_pulse(2) == b"\x10\x14\x01\x00\x02"
    assert realtime_pulse(5) == b"\x10\x14\x01\x01\x02"
    with pytest.raises(ValueError):
        status_query(5)


def test_only_bytes_with_the_fixed_bits_are_status():
    assert is_status_byte(0x12) and is_status_byte(0x16) and is_status_byte(0x7E)
    assert not is_status_byte(0x00) and not is_status_byte(0x13) and not is_status_byte(0x92)
    assert parse_status(0x00).reported is False  # an echo or noise is "no status"


@pytest.mark.parametrize("answers, expected", [
    ((0x12, 0x12, 0x12, 0x12), dict(online=True, problem=None)),
    ((0x1A, 0x32, 0x12, 0x72), dict(online=False, paper_out=True,
                                    problem=PrintProblem.PAPER_OUT)),
    ((0x12, 0x12, 0x12, 0x1E), dict(online=True, paper_near_end=True, problem=None)),
    ((0x1A, 0x16, 0x12, 0x12), dict(cover_open=True, problem=PrintProblem.COVER_OPEN)),
    ((0x1A, 0x52, 0x1A, 0x12), dict(cutter_error=True, problem=PrintProblem.PRINTER_ERROR)),
    ((0x1A, 0x52, 0x52, 0x12), dict(auto_recoverable_error=True,
                                    problem=PrintProblem.PRINTER_ERROR)),
    ((0x1A, 0x52, 0x32, 0x12), dict(unrecoverable_error=True,
                                    problem=PrintProblem.PRINTER_ERROR)),
    ((0x5A, 0x1A, 0x12, 0x12), dict(online=False, feed_button=True,
                                    problem=PrintProblem.OFFLINE)),
    ((0x16, 0x12, 0x12, 0x12), dict(drawer_open=True)),
    ((0x12, None, None, None), dict(online=True, drawer_open=False, problem=None)),
])
def test_status_bits(answers, expected):
    status = parse_status(*answers)
    assert status.reported
    for name, value in expected.items():
        assert getattr(status, name) == value, name
    assert status.describe()


def test_drawer_sensor_polarity_is_a_setting():
    assert parse_status(0x16, drawer_open_when="high").drawer_open is True
    assert parse_status(0x16, drawer_open_when="low").drawer_open is False
    assert parse_status(0x12, drawer_open_when="low").drawer_open is True


def _status_over_tcp(sim, **settings):
    settings.setdefault("status_timeout_s", PATIENT_IO_S)  # the simulator answers at once
    s = PrinterSettings(uri=sim.uri, **settings)
    link = open_transport(parse_printer_uri(s.uri), s)
    try:
        return read_status(link, s.status_timeout_s, drawer_open_when=s.drawer_open_when)
    finally:
        link.close()


def test_read_status_from_a_network_printer(tcp_printer):
    assert _status_over_tcp(tcp_printer).problem is None
    tcp_printer.state.paper = "near_end"
    near = _status_over_tcp(tcp_printer)
    assert near.paper_near_end and near.problem is None and "nearly finished" in near.describe()
    tcp_printer.state.paper = "out"
    out = _status_over_tcp(tcp_printer)
    assert out.paper_out and out.online is False and "out of paper" in out.describe()
    tcp_printer.state.paper, tcp_printer.state.cover_open = "ok", True
    assert _status_over_tcp(tcp_printer).problem is PrintProblem.COVER_OPEN
    tcp_printer.state.cover_open, tcp_printer.state.drawer_pin3_high = False, True
    assert _status_over_tcp(tcp_printer).drawer_open is True
    assert tcp_printer.logic.connections[0].status_queries == [1, 2, 3, 4]


def test_a_printer_that_does_not_answer_costs_one_timeout(tcp_printer):
    tcp_printer.state.answers_status = False
    status = _status_over_tcp(tcp_printer, status_timeout_s=0.3)
    assert not status.reported and status.problem is None
    [conn] = tcp_printer.wait_closed(1)  # everything the host sent has been taken
    assert conn.status_queries == [1]  # one question, one timeout: no more after silence


def test_read_status_over_a_serial_line(pty_printer):
    s = PrinterSettings(uri=pty_printer.uri(), status_timeout_s=PATIENT_IO_S)
    pty_printer.state.paper = "out"
    link = open_transport(parse_printer_uri(s.uri), s)
    try:
        status = read_status(link, s.status_timeout_s)
    finally:
        link.close()
    assert status.paper_out and status.raw == bytes([0x1A, 0x32, 0x12, 0x7E])
