"""`pos-app qr-sample`: an installer checks the shop's VietQR bank-transfer code.

    pos-app qr-sample --bank-bin BIN --account NO [--amount DONG]
                      [--note TEXT | --intent UUID] [--merchant-name NAME] [--static]
                      [--png FILE] [--module-px N]

Prints the VietQR payload (one line on stdout) and, with --png, writes the code as a PNG
(error correction M, a 4-module quiet zone). Scanning that picture with any Vietnamese banking
app must show the shop's account holder name, the amount and the note: that proves the BIN and
the account number before the first customer pays. Without --static the code is dynamic, as
the till shows it: one amount, one note (`--intent UUID` makes the note of that payment
intent, as the till does). With --static it is the reusable code of a poster: the customer
types the amount.

Exit codes (messages go to stderr, the payload to stdout):
    0  the payload was printed (and the PNG written)
    1  the PNG could not be written (no such folder, no permission, disk full)
    2  the command or a value is wrong: a BIN that is not 6 digits, an account number with
       a dash, an amount of 0, a note with a letter banks drop...

Why a CLI: like `print-sample` (hardware/cmdline.py, Electrum's cmdline part of a hardware
plugin, DESIGN.md §9): no database, no Qt, runs on a till before it is enrolled.

Runs in the command's main thread.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hardware.vietqr_image import DEFAULT_MODULE_PX, QUIET_ZONE, render, write_png
from pos_app.money import format_money
from pos_app.payments.transfer_note import transfer_note
from pos_app.payments.vietqr import VietQRError, VietQRRequest, build_payload

EXIT_OK, EXIT_WRITE, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A value on the command line that cannot make a code; the message says which."""


def _dong(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(
            f"amount is whole dong, digits only (1250000 for 1.250.000 ₫), got {text!r}")
    return int(text)


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="pos-app qr-sample",
                                description="Make the shop's VietQR bank-transfer code to"
                                            " test it with a banking app.")
    p.add_argument("--bank-bin", required=True, metavar="BIN",
                   help="the bank's 6-digit NAPAS BIN, e.g. 970436 (Vietcombank)")
    p.add_argument("--account", required=True, metavar="NO",
                   help="the shop's account number (letters and digits, at most 19)")
    p.add_argument("--amount", type=_dong, metavar="DONG",
                   help="amount in dong (VND minor units); required unless --static")
    note = p.add_mutually_exclusive_group()
    note.add_argument("--note", metavar="TEXT",
                      help="transfer note: letters, digits and spaces, at most 25")
    note.add_argument("--intent", metavar="UUID",
                      help="use the transfer note of this payment intent, as the till does")
    p.add_argument("--merchant-name", metavar="NAME",
                   help="optional merchant name (ASCII, at most 25); banking apps show the"
                        " account holder's name from NAPAS either way")
    p.add_argument("--static", action="store_true",
                   help="a reusable code (point of initiation 11) instead of a one-payment one")
    p.add_argument("--png", type=Path, metavar="FILE", help="write the code to this PNG file")
    p.add_argument("--module-px", type=int, default=DEFAULT_MODULE_PX, metavar="N",
                   help=f"pixels per module in the PNG (default {DEFAULT_MODULE_PX})")
    return p.parse_args(argv)


def request_from(args: argparse.Namespace) -> VietQRRequest:
    """The code the command line asks for (UsageError or VietQRError when it cannot be)."""
    note = args.note
    if args.intent is not None:
        try:
            note = transfer_note(args.intent)
        except ValueError:
            raise UsageError(f"--intent must be a payment intent's UUID, got"
                             f" {args.intent!r}") from None
    if not args.static and note is None:
        raise UsageError("a dynamic code needs --note TEXT or --intent UUID (the note is how"
                         " HQ finds the payment); use --static for a poster's code")
    if not 1 <= args.module_px <= 64:
        raise UsageError(f"--module-px must be 1 to 64, got {args.module_px}")
    return VietQRRequest(args.bank_bin, args.account, args.amount, note, args.merchant_name,
                         dynamic=not args.static)


def describe(request: VietQRRequest) -> str:
    amount = ("amount typed by the customer" if request.amount is None
              else format_money(request.amount, "VND", "vi_VN"))
    return (f"VietQR {'dynamic' if request.dynamic else 'static'} · bank BIN"
            f" {request.bank_bin} · account {request.account} · {amount} · note"
            f" {request.note if request.note is not None else '(none)'}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        request = request_from(args)
    except (UsageError, VietQRError) as exc:
        print(f"qr-sample: {exc}", file=sys.stderr)
        return EXIT_USAGE
    payload = build_payload(request)
    print(describe(request), file=sys.stderr)
    if args.png is not None:  # written before the payload is printed: exit 1 prints nothing
        picture = render(payload, args.module_px)
        try:
            write_png(picture, args.png)
        except OSError as exc:
            print(f"qr-sample: could not write {args.png}: {exc.strerror or exc}",
                  file=sys.stderr)
            return EXIT_WRITE
        print(f"Wrote {args.png}: QR version {picture.version}, {picture.modules}×"
              f"{picture.modules} modules and a {QUIET_ZONE}-module quiet zone, error"
              f" correction M, {picture.side_px}×{picture.side_px} px.", file=sys.stderr)
    print(payload, flush=True)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
