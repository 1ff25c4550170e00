"""Printer URIs and the transports: real sockets, a real pty, real files and processes.

USB cannot be exercised without a device: its URI parsing and the error this machine gives
(no libusb backend, or no such device where libusb exists) are tested.
"""
from __future__ import annotations

import os
import select
import socket
import stat
import sys
import time

import pytest

from hardware.printer_settings import PrinterSettings
from hardware.printer_uri import (CupsTarget, FileTarget, PrinterUriError, SerialTarget,
                                  TcpTarget, UsbTarget, parse_printer_uri)
from hardware.transport_base import PrinterUnreachable, TransportUnavailable
from hardware.transports import open_transport
from pos_app.receipts.printing import PrintProblem
from tests.waiting import PATIENT_IO_S, wait_for


@pytest.mark.parametrize("uri, target", [
    ("tcp://192.168.1.50:9100", TcpTarget("192.168.1.50", 9100)),
    ("tcp://printer.local", TcpTarget("printer.local", 9100)),
    ("tcp://[::1]:9101", TcpTarget("::1", 9101)),
    ("usb://04b8:0202", UsbTarget(0x04B8, 0x0202)),
    ("usb://0x0416:0x5011?interface=1&out_ep=0x03&in_ep=0x81",
     UsbTarget(0x0416, 0x5011, 1, 0x03, 0x81)),
    ("serial:///dev/ttyUSB0?baudrate=19200", SerialTarget("/dev/ttyUSB0", 19200)),
    ("serial://COM3?baudrate=38400&parity=e&rtscts=1", SerialTarget("COM3", 38400, parity="E",
                                                                    rtscts=True)),
    ("cups://TM-T20", CupsTarget("TM-T20")),
    ("file:///dev/usb/lp0", FileTarget("/dev/usb/lp0")),
    ("file:///tmp/receipt%20log.bin", FileTarget("/tmp/receipt log.bin")),
])
def test_printer_uris(uri, target):
    assert parse_printer_uri(uri) == target


@pytest.mark.parametrize("uri, message", [
    ("http://printer:9100", "scheme must be one of"),
    ("tcp://:9100", "no host"),
    ("tcp://printer:99999", "port must be a number"),
    ("tcp://printer:9100?timeout=3", "unknown option"),
    ("usb://04b8", "usb://VID:PID"),
    ("usb://epson:0202", "not hexadecimal"),
    ("usb://04b8:0202?speed=9", "unknown option"),
    ("serial://", "name the port"),
    ("serial:///dev/ttyS0?baudrate=12345", "not a printer speed"),
    ("serial:///dev/ttyS0?parity=X", "parity N|E|O"),
    ("serial:///dev/ttyS0?rtscts=maybe", "not 0 or 1"),
    ("cups://", "name the CUPS queue"),
    ("file://relative/path", "file:///absolute/path"),
])
def test_bad_uris_say_what_is_wrong(uri, message):
    with pytest.raises(PrinterUriError, match=message):
        parse_printer_uri(uri)


def _open(uri: str, **settings):
    s = PrinterSettings(uri=uri, **settings)
    return open_transport(parse_printer_uri(uri), s)


def test_tcp_refused_and_unknown_host_are_unreachable_with_the_reason():
    with socket.socket() as probe:  # bound, never listening: the port stays ours and refuses
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        with pytest.raises(PrinterUnreachable, match=f"127.0.0.1:{port} refused the connection"):
            _open(f"tcp://127.0.0.1:{port}")
    with pytest.raises(PrinterUnreachable, match="cannot be found"):
        _open("tcp://no-such-printer.invalid:9100")


def test_tcp_connect_times_out_quickly():
    # a listener whose backlog is full: the next SYN gets no answer
    with socket.socket() as full:
        full.bind(("127.0.0.1", 0))
        full.listen(0)
        port = full.getsockname()[1]
        fillers = []
        try:
            for _ in range(8):
                c = socket.socket()
                c.setblocking(False)
                c.connect_ex(("127.0.0.1", port))
                fillers.append(c)

            def connected(sock: socket.socket) -> bool:
                _, done, _ = select.select([], [sock], [], 0)
                return bool(done) and sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0

            # one handshake done fills a listen(0) queue: from then on SYNs go unanswered
            wait_for(lambda: any(connected(c) for c in fillers), what="a full accept queue")
            started = time.monotonic()
            with pytest.raises(PrinterUnreachable, match="did not answer within 0.3 s"):
                _open(f"tcp://127.0.0.1:{port}", connect_timeout_s=0.3)
            # The setting is what ends the wait: without it the kernel gives up after about
            # two minutes. The bound is generous (100x the setting) so that only an ignored
            # setting trips it, never a busy machine.
            assert time.monotonic() - started < 30
        finally:
            for c in fillers:
                c.close()


def test_tcp_bytes_arrive_intact(tcp_printer):
    link = _open(tcp_printer.uri, status_timeout_s=PATIENT_IO_S)  # finish waits for its close
    assert link.two_way
    link.write(bytes(range(256)) * 40)
    link.finish()
    link.close()
    [conn] = tcp_printer.wait_closed(1)
    assert conn.received == bytes(range(256)) * 40


def test_serial_over_a_pseudo_terminal(pty_printer):
    link = _open(pty_printer.uri(19200))
    try:
        link.write(b"\x1b@Xin ch\xe0o\n")
        link.finish()
        wait_for(lambda: len(pty_printer.received) >= len(b"\x1b@Xin ch\xe0o\n"),
                 what="the bytes on the pty")
    finally:
        link.close()
    assert pty_printer.received == b"\x1b@Xin ch\xe0o\n"  # raw: no echo, no CR/LF changes


def test_serial_port_that_does_not_exist():
    with pytest.raises(PrinterUnreachable, match="/dev/ttyNOPE0 cannot be opened"):
        _open("serial:///dev/ttyNOPE0?baudrate=9600")


def test_file_transport_appends_and_reports_missing_devices(tmp_path):
    target = tmp_path / "receipts.bin"
    for chunk in (b"one", b"two"):
        link = _open(target.as_uri())
        assert not link.two_way and link.read(1, 0.1) == b""
        link.write(chunk)
        link.finish()
        link.close()
    assert target.read_bytes() == b"onetwo"
    with pytest.raises(PrinterUnreachable, match="Is the printer plugged in"):
        _open((tmp_path / "no-dir" / "lp0").as_uri())


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_file_without_permission_names_the_fix(tmp_path):
    target = tmp_path / "lp0"
    target.write_bytes(b"")
    target.chmod(stat.S_IRUSR)
    with pytest.raises(TransportUnavailable, match="'lp' group"):
        _open(target.as_uri())


def test_usb_without_libusb_or_device_says_which():
    import usb.backend.libusb1
    import usb.backend.libusb0

    has_backend = usb.backend.libusb1.get_backend() or usb.backend.libusb0.get_backend()
    with pytest.raises((TransportUnavailable, PrinterUnreachable)) as caught:
        _open("usb://04b8:0e15")  # an Epson TM-T20 id; no such device here
    if has_backend:
        assert caught.value.problem is PrintProblem.UNREACHABLE
        assert "No USB printer 04b8:0e15 is connected" in caught.value.message
    else:
        assert caught.value.problem is PrintProblem.NOT_CONFIGURED
        assert "needs libusb" in caught.value.message


def test_cups_without_pycups_or_lp_says_so(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "cups", None)  # "import cups" fails
    monkeypatch.setenv("PATH", str(tmp_path))  # no lp either
    with pytest.raises(TransportUnavailable, match="needs pycups or the CUPS 'lp' command"):
        _open("cups://receipts")


def test_cups_through_the_lp_command_sends_the_job_raw(monkeypatch, tmp_path):
    """A stand-in `lp` (a real executable) records its arguments and the bytes it gets."""
    monkeypatch.setitem(sys.modules, "cups", None)
    lp = tmp_path / "lp"
    lp.write_text(f"#!{sys.executable}\n"
                  "import sys, pathlib\n"
                  f"out = pathlib.Path({str(tmp_path)!r})\n"
                  "(out / 'args').write_text(' '.join(sys.argv[1:]))\n"
                  "(out / 'job').write_bytes(sys.stdin.buffer.read())\n"
                  "sys.exit(1 if 'missing' in sys.argv else 0)\n")
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    link = _open("cups://receipts")
    link.write(b"\x1b@abc")
    link.write(b"\x1dV\x01")
    link.finish()
    link.close()
    assert (tmp_path / "args").read_text() == "-d receipts -o raw -t Storeline receipt"
    assert (tmp_path / "job").read_bytes() == b"\x1b@abc\x1dV\x01"
    refused = _open("cups://missing")
    refused.write(b"x")
    with pytest.raises(PrinterUnreachable, match="CUPS refused the job for 'missing'"):
        refused.finish()
