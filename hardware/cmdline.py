"""`pos-app print-sample`: an installer tests a receipt printer from the command line.

    pos-app print-sample --printer URI [--profile NAME] [--width 58|80] [--lang vi|en]
                         [--text-mode auto|codepage|raster] [--code-page TCVN-3|CP1258]
                         [--drawer] [--status-only] [--list-profiles]
                         [--connect-timeout S] [--status-timeout S]

Prints the sample receipt (every Vietnamese letter, bold and large text, a barcode and a QR
code) and says what happened. `--drawer` also kicks the cash drawer; `--status-only` reads
the printer's status and prints nothing.

Exit codes (messages go to stderr, the success line to stdout):
    0  printed (or, with --status-only, the printer is ready)
    1  the printer could not print: unreachable, out of paper, cover open, error, the
       connection broke
    2  the command or the settings are wrong: a bad URI, an unknown profile, a driver this
       machine lacks (libusb, CUPS), text the chosen code pages cannot print

Why a CLI: Electrum's hardware plugins keep a core driver, a Qt part and a `cmdline` part
(DESIGN.md §9); this is the command-line part, and it needs no database and no Qt.

Runs in the command's main thread.
"""
from __future__ import annotations

import argparse
import sys

from escpos.capabilities import CAPABILITIES

from hardware.printer import EscposPrinter
from hardware.printer_settings import PrinterSettings, SettingsError, TextMode
from hardware.printer_uri import PrinterUriError
from hardware.sample import sample_receipt
from pos_app.receipts.printing import PrintJob, PrintProblem

EXIT_OK, EXIT_PRINTER, EXIT_USAGE = 0, 1, 2
_CONFIG_PROBLEMS = (PrintProblem.NOT_CONFIGURED, PrintProblem.UNPRINTABLE)


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="pos-app print-sample",
                                description="Print a sample receipt to test a printer.")
    p.add_argument("--printer", metavar="URI",
                   help="tcp://HOST:9100, usb://VID:PID, serial:///dev/ttyUSB0?baudrate=19200,"
                        " cups://QUEUE or file:///PATH")
    p.add_argument("--profile", default="default",
                   help="python-escpos printer profile, e.g. TM-T88V (see --list-profiles)")
    p.add_argument("--width", type=int, choices=[58, 80], help="paper width in mm")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument("--text-mode", choices=[m.value for m in TextMode], default="auto")
    p.add_argument("--code-page", choices=["TCVN-3", "CP1258"],
                   help="Vietnamese code page (default: TCVN-3 when the profile has it)")
    p.add_argument("--drawer", action="store_true", help="also open the cash drawer")
    p.add_argument("--status-only", action="store_true", help="read the status, print nothing")
    p.add_argument("--list-profiles", action="store_true", help="list printer profiles, exit")
    p.add_argument("--connect-timeout", type=float, metavar="S",
                   help="seconds to wait for the printer to accept the connection")
    p.add_argument("--status-timeout", type=float, metavar="S",
                   help="seconds to wait for a status answer (a slow serial printer, a busy"
                        " network)")
    args = p.parse_args(argv)
    if not args.list_profiles and not args.printer:
        p.error("--printer URI is required")
    return args


def _timeouts(args: argparse.Namespace) -> dict[str, float]:
    """The timeouts given on the command line; the settings' defaults for the others (and
    PrinterSettings refuses a value that is not positive, with its own message)."""
    given = {"connect_timeout_s": args.connect_timeout, "status_timeout_s": args.status_timeout}
    return {name: value for name, value in given.items() if value is not None}


def list_profiles() -> str:
    rows = []
    for name, data in sorted(CAPABILITIES["profiles"].items()):
        pages = set(data.get("codePages", {}).values())
        viet = [f for f, needed in (("TCVN-3", {"TCVN-3-1", "TCVN-3-2"}), ("CP1258", {"CP1258"}))
                if needed <= pages]
        width = data.get("media", {}).get("width", {}).get("mm", "?")
        rows.append(f"{name:18} {str(width):>7} mm  Vietnamese: {', '.join(viet) or '-'}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.list_profiles:
        print(list_profiles())
        return EXIT_OK
    try:
        settings = PrinterSettings(uri=args.printer, profile=args.profile, width_mm=args.width,
                                   text_mode=TextMode(args.text_mode),
                                   code_page=args.code_page, **_timeouts(args))
        printer = EscposPrinter(settings)
    except (SettingsError, PrinterUriError) as exc:
        print(f"print-sample: {exc}", file=sys.stderr)
        return EXIT_USAGE
    geometry = printer.renderer.geometry
    print(f"Printer {printer.target} · profile {settings.profile} · {geometry.width_mm} mm, "
          f"{geometry.columns} columns · text mode {settings.text_mode.value} · Vietnamese "
          f"code page: {printer.renderer.plan.family or 'none'}", file=sys.stderr)
    if args.status_only:
        status = printer.status()
        stream = sys.stdout if status.problem is None else sys.stderr
        print(status.describe(), file=stream)
        return EXIT_OK if status.problem is None else EXIT_PRINTER
    outcome = printer.send(PrintJob(sample_receipt(args.lang), open_drawer=args.drawer))
    if outcome.ok:
        print(outcome.message + (f" {outcome.warning}" if outcome.warning else ""))
        return EXIT_OK
    print(f"print-sample: {outcome.message}", file=sys.stderr)
    return EXIT_USAGE if outcome.problem in _CONFIG_PROBLEMS else EXIT_PRINTER


if __name__ == "__main__":
    sys.exit(main())
