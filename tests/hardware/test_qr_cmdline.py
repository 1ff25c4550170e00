"""`pos-app qr-sample` run as a real process through ui.app:main (the console script), and the
picture it writes read back: decoded by zxing-cpp (as a banking app's scanner would) and
sampled module by module against the QR matrix."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from hardware.qr_cmdline import EXIT_OK, EXIT_USAGE, EXIT_WRITE
from hardware.vietqr_image import QUIET_ZONE, qr_matrix, render
from pos_app.money import Money
from pos_app.payments.vietqr import VietQRRequest, build_payload, parse_payload

ROOT = Path(__file__).resolve().parents[2]
INTENT = "1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"
SHOP = ("--bank-bin", "970436", "--account", "0011012345678")


def pos_app(*args: str) -> subprocess.CompletedProcess:
    """`pos-app ARGS` as the installed console script runs it."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from ui.app import main; sys.exit(main())", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=300)  # a hang guard, not a budget


def decoded(path: Path) -> list[str]:
    """The QR codes zxing-cpp finds in the picture, as text."""
    with Image.open(path) as image:
        return [(code.text, code.ec_level) for code in zxingcpp.read_barcodes(image)
                if code.format == zxingcpp.BarcodeFormat.QRCode]


def sampled_modules(path: Path, module_px: int) -> list[list[bool]]:
    """The picture read back one pixel per module (the centre of each), True = dark."""
    with Image.open(path) as image:
        grey = image.convert("L")
        side = grey.width // module_px
        assert grey.size == (side * module_px, side * module_px)
        return [[grey.getpixel((x * module_px + module_px // 2,
                                y * module_px + module_px // 2)) < 128 for x in range(side)]
                for y in range(side)]


def test_dynamic_code_for_an_intent_is_printed_and_drawn(tmp_path):
    png = tmp_path / "till.png"
    done = pos_app("qr-sample", *SHOP, "--amount", "1250000", "--intent", INTENT,
                   "--png", str(png))
    assert done.returncode == EXIT_OK, done.stderr
    expected = build_payload(VietQRRequest.for_intent("970436", "0011012345678", INTENT,
                                                      Money(1_250_000, "VND")))
    assert done.stdout == expected + "\n"
    assert "VietQR dynamic · bank BIN 970436 · account 0011012345678 · 1.250.000" in done.stderr
    assert "note SL1A2B3C4D5E6F" in done.stderr
    # What a banking app's scanner reads off the picture is exactly the payload, at level M.
    assert decoded(png) == [(expected, "M")]
    # The picture is the QR matrix, module for module, with a 4-module white quiet zone.
    version, matrix = qr_matrix(expected)
    assert sampled_modules(png, 8) == matrix
    side = len(matrix)
    assert side == 21 + 4 * (version - 1) + 2 * QUIET_ZONE
    assert not any(matrix[y][x] for y in range(side) for x in range(side)
                   if min(x, y) < QUIET_ZONE or max(x, y) >= side - QUIET_ZONE)
    modules = side - 2 * QUIET_ZONE
    assert (f"QR version {version}, {modules}×{modules} modules and a 4-module quiet zone,"
            f" error correction M, {side * 8}×{side * 8} px.") in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["till.png"]  # no .partial left behind


def test_static_poster_code_without_amount_or_note(tmp_path):
    png = tmp_path / "poster.png"
    done = pos_app("qr-sample", *SHOP, "--static", "--png", str(png), "--module-px", "3",
                   "--merchant-name", "STORELINE Q1")
    assert done.returncode == EXIT_OK, done.stderr
    payload = done.stdout.strip()
    parsed = parse_payload(payload)
    assert (parsed.dynamic, parsed.amount, parsed.note, parsed.merchant_name) == (
        False, None, None, "STORELINE Q1")
    assert "amount typed by the customer" in done.stderr
    assert decoded(png) == [(payload, "M")]
    assert sampled_modules(png, 3) == qr_matrix(payload)[1]


def test_without_png_only_the_payload_is_printed(tmp_path):
    done = pos_app("qr-sample", *SHOP, "--amount", "50000", "--note", "SL0123456789AB")
    assert done.returncode == EXIT_OK, done.stderr
    parsed = parse_payload(done.stdout.strip())
    assert (parsed.amount, parsed.note, parsed.bank_bin) == (50000, "SL0123456789AB", "970436")
    assert "Wrote" not in done.stderr


@pytest.mark.parametrize("args, message", [
    (("--bank-bin", "97043", "--account", "1", "--amount", "1", "--note", "A"),
     "bank BIN must be 6 digits"),
    (("--bank-bin", "970436", "--account", "0011-0123", "--amount", "1", "--note", "A"),
     "account number may hold only letters and digits"),
    ((*SHOP, "--amount", "0", "--note", "A"), "amount must be more than 0 dong"),
    ((*SHOP, "--amount", "1.5", "--note", "A"), "amount is whole dong, digits only"),
    ((*SHOP, "--amount", "10000000000000", "--note", "A"), "more than 13 digits"),
    ((*SHOP, "--amount", "1000", "--note", "Thanh toán"), "write it as 'Thanh toan'"),
    ((*SHOP, "--amount", "1000", "--note", "HD#12"), "has '#'"),
    ((*SHOP, "--amount", "1000"), "a dynamic code needs --note TEXT or --intent UUID"),
    ((*SHOP, "--note", "A"), "a dynamic VietQR code needs an amount"),
    ((*SHOP, "--amount", "1000", "--intent", "not-a-uuid"),
     "--intent must be a payment intent's UUID"),
    ((*SHOP, "--amount", "1000", "--note", "A", "--intent", INTENT), "not allowed with"),
    (("--account", "0011012345678", "--static"), "--bank-bin"),
    ((*SHOP, "--static", "--module-px", "0"), "--module-px must be 1 to 64"),
])
def test_bad_input_exits_2_with_the_reason(args, message, tmp_path):
    png = tmp_path / "never.png"
    done = pos_app("qr-sample", *args, "--png", str(png))
    assert done.returncode == EXIT_USAGE, done.stderr
    assert message in done.stderr and done.stdout == ""
    assert not png.exists()


def test_an_unwritable_png_exits_1_and_prints_no_payload(tmp_path):
    missing = tmp_path / "no such folder" / "code.png"
    done = pos_app("qr-sample", *SHOP, "--static", "--png", str(missing))
    assert done.returncode == EXIT_WRITE
    assert f"could not write {missing}" in done.stderr and done.stdout == ""


def test_render_rejects_a_silly_module_size():
    with pytest.raises(ValueError, match="module size must be 1 to 64 pixels"):
        render("x", 0)
