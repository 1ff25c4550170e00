"""`pos-app print-sample`: run as a real process through ui.app:main (the console script),
printing to the simulated network printer."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from escpos.capabilities import get_profile

from hardware.cmdline import EXIT_OK, EXIT_PRINTER, EXIT_USAGE
from hardware.sample import ALPHABET_LOWER, ALPHABET_UPPER, SAMPLE_RECEIPT_NO
from tests.hardware.escpos_decode import decode
from tests.waiting import PATIENT_IO_S

ROOT = Path(__file__).resolve().parents[2]


def pos_app(*args: str) -> subprocess.CompletedProcess:
    """`pos-app ARGS` as the installed console script runs it."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from ui.app import main; sys.exit(main())", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=300)  # a hang guard, not a budget


# The simulator answers at once; a loaded machine may not run it at once (the 0.5 s default
# status timeout is for a real printer on a quiet network).
PATIENT = ("--status-timeout", str(PATIENT_IO_S), "--connect-timeout", str(PATIENT_IO_S))


def test_a_timeout_that_is_not_positive_exits_2_with_the_reason(tcp_printer):
    done = pos_app("print-sample", "--printer", tcp_printer.uri, "--status-timeout", "0")
    assert done.returncode == EXIT_USAGE
    assert "status_timeout_s must be between 0 and 120 seconds" in done.stderr
    assert tcp_printer.logic.payloads() == []


def test_print_sample_prints_vietnamese_barcode_and_qr(tcp_printer):
    done = pos_app("print-sample", "--printer", tcp_printer.uri, "--profile", "TM-T88V",
                   *PATIENT)
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stdout.strip() == f"Printed receipt {SAMPLE_RECEIPT_NO}."
    assert "profile TM-T88V · 80 mm, 42 columns" in done.stderr
    tcp_printer.wait_closed(1)  # the process is gone; the simulator may still be reading
    (job,) = tcp_printer.logic.payloads()
    out = decode(job, get_profile("TM-T88V").get_code_pages())
    lines = [line.text.strip() for line in out.lines]
    assert "Storeline – In thử" in lines
    assert " ".join(lines).count(ALPHABET_LOWER.split()[0]) == 1
    text = " ".join(lines)
    for word in ALPHABET_LOWER.split() + ALPHABET_UPPER.split():
        assert word in text
    assert out.of_kind("barcode") == [("barcode", SAMPLE_RECEIPT_NO)]
    assert out.of_kind("qr")[0][1].startswith(f"SLR1:{SAMPLE_RECEIPT_NO}:")


def test_print_sample_in_english_on_58mm_raster(tcp_printer):
    done = pos_app("print-sample", "--printer", tcp_printer.uri, "--width", "58", "--lang",
                   "en", "--text-mode", "raster", "--drawer", *PATIENT)
    assert done.returncode == EXIT_OK, done.stderr
    assert "58 mm, 32 columns" in done.stderr and "cash drawer was opened" in done.stdout
    tcp_printer.wait_closed(1)  # the process is gone; the simulator may still be reading
    out = decode(tcp_printer.logic.payloads()[0], get_profile("default").get_code_pages())
    assert out.images and all(image.width <= 384 for image in out.images)
    assert out.of_kind("drawer")


def test_unreachable_printer_exits_1_with_the_reason(tcp_printer):
    tcp_printer.switch_off()
    done = pos_app("print-sample", "--printer", tcp_printer.uri)
    assert done.returncode == EXIT_PRINTER
    assert "refused the connection" in done.stderr and done.stdout == ""


def test_paper_out_exits_1(tcp_printer):
    tcp_printer.state.paper = "out"
    done = pos_app("print-sample", "--printer", tcp_printer.uri, *PATIENT)
    assert done.returncode == EXIT_PRINTER and "out of paper" in done.stderr
    status = pos_app("print-sample", "--printer", tcp_printer.uri, "--status-only", *PATIENT)
    assert status.returncode == EXIT_PRINTER and "out of paper" in status.stderr


@pytest.mark.parametrize("args, message", [
    (("--printer", "lpt://1"), "scheme must be one of"),
    (("--printer", "tcp://x:9100", "--profile", "TM-NOPE"), "Unknown printer profile"),
    (("--printer", "file:///dev/null", "--profile", "TM-T88IV", "--text-mode", "codepage"),
     "cannot print"),
])
def test_wrong_settings_exit_2(args, message):
    done = pos_app("print-sample", *args)
    assert done.returncode == EXIT_USAGE and message in done.stderr


def test_list_profiles_and_missing_printer():
    listed = pos_app("print-sample", "--list-profiles")
    assert listed.returncode == EXIT_OK
    assert any(line.startswith("TM-T88V") and "TCVN-3, CP1258" in line
               for line in listed.stdout.splitlines())
    missing = pos_app("print-sample")
    assert missing.returncode == EXIT_USAGE and "--printer URI is required" in missing.stderr
