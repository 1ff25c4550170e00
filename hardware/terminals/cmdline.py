"""`pos-app terminal-test`: an installer checks a card terminal with one real payment.

    pos-app terminal-test --terminal https://HOST:8443 --poiid P400Plus-123456789
                          --key-id K --key-version N --amount MINOR --currency VND
                          --ca FILE [--timeout S] [--sale-id ID] [--environment test|live]
                          [--allow-legacy-certificate]

The shared key's passphrase comes from the environment variable STORELINE_TERMINAL_PASSPHRASE,
never from an argument (arguments show in `ps` and shell history). The command checks the
terminal's certificate (it must chain to --ca and name the POIID) before anything is sent,
runs one encrypted payment of --amount minor units, and prints the outcome: the masked card,
the approval code, the reference and the cardholder slip's lines. An answer that was lost or
could not be trusted is followed by one transaction-status query, never by a second payment.

Exit codes (the approval and the slip go to stdout, everything else to stderr):
    0  approved
    1  declined, cancelled, busy, unreachable, or unknown (the status query could not tell);
       or the device at the address is not the terminal (its certificate)
    2  the command or the settings are wrong: a missing passphrase, a bad address, POIID,
       key or CA file, or a terminal that cannot decrypt the request (another shared key)

Why a CLI: Electrum's hardware plugins keep a core driver, a Qt part and a `cmdline` part
(DESIGN.md §9); this is the command-line part. It needs no database and no Qt. It runs in the
command's main thread; Ctrl+C while the terminal waits for a card sends an AbortRequest.
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import uuid

from babel.numbers import is_currency

from hardware.terminals.adyen_terminal import (AdyenTerminal, TerminalIdentityError,
                                               TerminalKeyError)
from hardware.terminals.terminal_settings import TerminalSettings, TerminalSettingsError
from pos_app.money import format_money
from pos_app.payments.terminal import TerminalError, TerminalOutcome, TerminalResult

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
PASSPHRASE_ENV = "STORELINE_TERMINAL_PASSPHRASE"


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="pos-app terminal-test",
                                description="Run one encrypted card payment on an Adyen "
                                            "terminal to test its settings.",
                                epilog=f"The passphrase is read from ${PASSPHRASE_ENV}.")
    p.add_argument("--terminal", required=True, metavar="URL", help="https://IP:8443")
    p.add_argument("--poiid", required=True, help="the terminal's POIID, e.g. P400Plus-123456789")
    p.add_argument("--key-id", required=True, help="the shared key's identifier")
    p.add_argument("--key-version", required=True, type=int, help="the shared key's version")
    p.add_argument("--amount", required=True, type=int, metavar="MINOR",
                   help="minor units: 10000 is 10.000 ₫ in VND, $100.00 in USD")
    p.add_argument("--currency", required=True, help="ISO 4217 code, e.g. VND")
    p.add_argument("--ca", required=True, metavar="FILE",
                   help="PEM file of Adyen's terminal root certificate (TEST or LIVE)")
    p.add_argument("--timeout", type=float, metavar="S",
                   help="seconds to wait for the payment's answer (default 150)")
    p.add_argument("--sale-id", default="storeline-terminal-test", help="SaleID to send")
    p.add_argument("--environment", choices=("test", "live"), default="test")
    p.add_argument("--allow-legacy-certificate", action="store_true",
                   help="accept a terminal with Adyen's shared legacy certificate")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    passphrase = os.environ.get(PASSPHRASE_ENV, "")
    if not passphrase:
        print(f"terminal-test: set the shared key's passphrase in ${PASSPHRASE_ENV} (it is "
              "never taken as an argument)", file=sys.stderr)
        return EXIT_USAGE
    currency = args.currency.strip().upper()
    if args.amount <= 0:
        print(f"terminal-test: --amount must be more than zero, not {args.amount}",
              file=sys.stderr)
        return EXIT_USAGE
    timeouts = {"payment_timeout_s": args.timeout} if args.timeout is not None else {}
    if not is_currency(currency):
        print(f"terminal-test: {currency!r} is not an ISO 4217 currency", file=sys.stderr)
        return EXIT_USAGE
    try:
        settings = TerminalSettings(
            url=args.terminal, poiid=args.poiid, key_identifier=args.key_id,
            key_version=args.key_version, passphrase=passphrase, ca_file=args.ca,
            sale_id=args.sale_id, environment=args.environment,
            allow_legacy_certificate=args.allow_legacy_certificate, **timeouts)
    except TerminalSettingsError as exc:
        print(f"terminal-test: {exc}", file=sys.stderr)
        return EXIT_USAGE
    intent_id = str(uuid.uuid4())
    print(f"Paying {format_money(args.amount, currency, 'en')} on {settings} · intent "
          f"{intent_id}", file=sys.stderr)
    with AdyenTerminal(settings) as terminal:
        try:
            result = _pay(terminal, intent_id, args.amount, currency)
            if result.outcome is TerminalOutcome.UNKNOWN:
                print(f"No trustworthy answer ({result.message}); asking the terminal for the "
                      "payment's status", file=sys.stderr)
                result = terminal.status(intent_id)
        except TerminalKeyError as exc:
            print(f"terminal-test: {exc}", file=sys.stderr)
            return EXIT_USAGE
        except TerminalIdentityError as exc:
            print(f"terminal-test: refused the terminal: {exc}", file=sys.stderr)
            return EXIT_FAILED
        except TerminalError as exc:
            print(f"terminal-test: {exc}", file=sys.stderr)
            return EXIT_USAGE
    return _report(result, currency)


def _pay(terminal: AdyenTerminal, intent_id: str, amount: int, currency: str
         ) -> TerminalResult:
    """The payment on a worker thread, so Ctrl+C here can abort it on the terminal."""
    box: dict = {}

    def run() -> None:
        try:
            box["result"] = terminal.pay(intent_id, amount, currency)
        except BaseException as exc:  # noqa: BLE001 - handed back to the main thread
            box["error"] = exc

    worker = threading.Thread(target=run, name="terminal-test-pay", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:
        print("Aborting the payment on the terminal…", file=sys.stderr)
        terminal.abort(intent_id)
        worker.join()
    if "error" in box:
        raise box["error"]
    return box["result"]


def _report(result: TerminalResult, currency: str) -> int:
    if result.approved:
        card = " ".join(x for x in (result.card_brand, result.masked_pan) if x) or "card"
        print(f"Approved {format_money(result.amount, result.currency or currency, 'en')} · "
              f"{card} · approval code {result.auth_code or '-'} · reference "
              f"{result.reference or '-'}")
        for line in result.receipt_lines:
            print(f"  {line}")
        return EXIT_OK
    what = {TerminalOutcome.DECLINED: "Declined", TerminalOutcome.CANCELLED: "Cancelled",
            TerminalOutcome.BUSY: "The terminal is busy",
            TerminalOutcome.UNREACHABLE: "Unreachable",
            TerminalOutcome.NOT_FOUND: "The terminal never received the payment",
            TerminalOutcome.UNKNOWN: "Unknown"}[result.outcome]
    print(f"{what}: {result.message}" + (f" · {result.masked_pan}" if result.masked_pan
                                         else ""), file=sys.stderr)
    for line in result.receipt_lines:
        print(f"  {line}", file=sys.stderr)
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
