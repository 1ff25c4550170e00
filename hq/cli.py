"""`pos-hq`: run and administer the HQ service from a shell.

    pos-hq serve --database URL [--host 127.0.0.1] [--port 8765] [--tls-cert F --tls-key F]
                 [--trusted-proxy ADDR ...] [--access-log] [--workers N] [limits, see --help]
    pos-hq demo-seed --database URL
    pos-hq enrolment-code --database URL --store HCM1 [--ttl 60]
    pos-hq revoke --database URL DEVICE_ID
    pos-hq audit --database URL          (exit 1 when any device has gaps or chain breaks)
    pos-hq gift-cards --database URL --count N --currency VND [--pin-digits 6]
    pos-hq gift-card-block --database URL CARD [--reason TEXT]   (and gift-card-unblock CARD)
    pos-hq store-credit-issue --database URL --customer ID --amount N --currency VND
                              --by MANAGER --reason TEXT [--request-id UUID]

URL: a SQLite file path or URL (the default, ./storeline-hq.db) or
`postgresql+psycopg://user@host/db`. Every command upgrades the schema first.
Runs on the main thread; `serve` hands the app to uvicorn (its own event loop + threadpool).
Secrets: enrolment codes are printed once for the operator; device secrets are never printed.
Gift card numbers and PINs are printed once by `gift-cards` (for the card printer); HQ keeps
only the PINs' hashes. The bank webhook's secret (docs/payments.md) is read from the file
named by `serve --bank-webhook-secret-file` or from STORELINE_HQ_BANK_WEBHOOK_SECRET, never
from the command line (which `ps` shows to every user), and is never printed.

`serve` believes forwarded headers (X-Forwarded-For) only from the proxies named with
--trusted-proxy: uvicorn's own default trusted every client on 127.0.0.1, so anything on the
HQ machine could pick the address the limits are kept for (hq/api/gate.py). The access log
holds request lines only (method, path, status), and no personal data travels in a path
since the customer search and duplicates moved to POST bodies.
Flags of `serve` may also come from the environment (for containers): STORELINE_HQ_TRUSTED_
PROXIES=a,b, STORELINE_HQ_ACCESS_LOG=1 and STORELINE_HQ_LIMIT_* (hq/api/ratelimit.Limits).
"""
from __future__ import annotations

import argparse
import copy
import os
import sys

from hq.db.engine import make_engine
from hq.db.migrate import upgrade

DEFAULT_DATABASE = "storeline-hq.db"


def _engine(args):
    engine = make_engine(args.database)
    upgrade(engine)
    return engine


TRUSTED_PROXIES_ENV = "STORELINE_HQ_TRUSTED_PROXIES"
ACCESS_LOG_ENV = "STORELINE_HQ_ACCESS_LOG"
SHORT_ADMIN_TOKEN = 16  # characters; a generated one has 32


def _log_config(level: str, access_log: bool) -> dict:
    """uvicorn's logging at `level`, its access log at INFO when asked for (else at `level`:
    on at info and below, as uvicorn has it)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    for name in ("uvicorn", "uvicorn.error"):
        config["loggers"][name]["level"] = level.upper()
    config["loggers"]["uvicorn.access"]["level"] = "INFO" if access_log else level.upper()
    return config


def cmd_serve(args) -> int:
    import uvicorn

    from hq.api.app import DATABASE_ENV, admin_token_from_env, create_app
    from hq.api.ratelimit import Limits

    if bool(args.tls_cert) != bool(args.tls_key):
        print("--tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    engine = _engine(args)
    token, generated = admin_token_from_env()
    if generated:  # shown once on the operator's console, never logged
        print(f"admin token (set STORELINE_HQ_ADMIN_TOKEN to choose one): {token}", flush=True)
    elif len(token) < SHORT_ADMIN_TOKEN:
        print(f"warning: STORELINE_HQ_ADMIN_TOKEN is shorter than {SHORT_ADMIN_TOKEN} "
              "characters: failed attempts are limited per address, but a short token can "
              "still be guessed from many; use a long random one", file=sys.stderr, flush=True)
    from hq.api.app import BANK_WEBHOOK_SECRET_ENV, bank_webhook_secrets

    if args.bank_webhook_secret_file:
        try:
            secret = open(args.bank_webhook_secret_file, encoding="utf-8").read().strip()
        except OSError as exc:
            print(f"cannot read --bank-webhook-secret-file: {exc.strerror}", file=sys.stderr)
            return 2
        os.environ[BANK_WEBHOOK_SECRET_ENV] = secret  # the workers read it from there too
    if not bank_webhook_secrets():
        print(f"note: no bank webhook secret ({BANK_WEBHOOK_SECRET_ENV} or "
              "--bank-webhook-secret-file): bank credit notifications are refused, so VietQR "
              "transfers are never confirmed", file=sys.stderr, flush=True)
    limits = Limits(device_per_second=args.device_requests_per_second,
                    auth_failures_per_minute=args.auth_failures_per_minute,
                    enrolments_per_minute=args.enrolments_per_minute)
    proxies = [a for item in args.trusted_proxy for a in item.split(",") if a.strip()]
    server = {"host": args.host, "port": args.port, "ssl_certfile": args.tls_cert,
              "ssl_keyfile": args.tls_key, "log_level": None,
              "log_config": _log_config(args.log_level, args.access_log),
              # forwarded headers only from the proxies named; none: the TCP peer is the client
              "proxy_headers": bool(proxies),
              "forwarded_allow_ips": [a.strip() for a in proxies] or None}
    if args.workers <= 1:
        uvicorn.run(create_app(engine, admin_token=token, limits=limits), **server)
        return 0
    # Several processes (uvicorn's supervisor): each worker builds its own engine and app
    # from the environment (hq.api.app.app_from_env); the schema was upgraded above, once.
    engine.dispose()
    os.environ.update({DATABASE_ENV: args.database, "STORELINE_HQ_ADMIN_TOKEN": token,
                       **limits.to_env()})
    uvicorn.run("hq.api.app:app_from_env", factory=True, workers=args.workers, **server)
    return 0


def cmd_demo_seed(args) -> int:
    from hq.demo.seed import seed_demo

    from hq.services.book import publish_all_books

    engine = _engine(args)
    written = seed_demo(engine)
    print("seeded: " + (", ".join(written) if written else "nothing (already there)"))
    if written:
        print(f"clienteling books: {publish_all_books(engine)} customers published")
    return 0


def cmd_enrolment_code(args) -> int:
    from hq.services.common import ServiceError
    from hq.services.enrolment import create_enrolment_code

    try:
        with _engine(args).begin() as conn:
            code, expires_at = create_enrolment_code(conn, args.store, args.ttl)
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(code)
    print(f"expires at {expires_at}", file=sys.stderr)
    return 0


def cmd_revoke(args) -> int:
    from hq.services.common import ServiceError
    from hq.services.enrolment import revoke

    try:
        with _engine(args).begin() as conn:
            at = revoke(conn, args.device_id)
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"revoked {args.device_id} at {at}")
    return 0


def cmd_gift_cards(args) -> int:
    from hq.services.common import ServiceError
    from hq.services.gift_cards import create_cards
    from sync.protocol_payments import format_gift_card

    try:
        with _engine(args).begin() as conn:
            made = create_cards(conn, args.count, args.currency, args.pin_digits)
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for number, pin in made:  # shown once, for the card printer: HQ keeps only the hash
        print(f"{format_gift_card(number)}\t{pin}")
    print(f"{len(made)} inactive gift card(s) in {args.currency}: each is activated by the "
          f"sale that sells it", file=sys.stderr)
    return 0


def cmd_gift_card_block(args) -> int:
    from hq.services.common import ServiceError
    from hq.services.gift_cards import set_blocked

    try:
        with _engine(args).begin() as conn:
            card = set_blocked(conn, args.card, args.fn is cmd_gift_card_block,
                               getattr(args, "reason", None))
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{card['card']} {card['state']} balance={card['balance']} {card['currency']}")
    return 0


def cmd_gift_card_unblock(args) -> int:
    return cmd_gift_card_block(args)


def cmd_store_credit_issue(args) -> int:
    import uuid

    from hq.services.common import ServiceError
    from hq.services.store_credit import issue

    request_id = args.request_id or str(uuid.uuid4())
    try:
        with _engine(args).begin() as conn:
            done = issue(conn, request_id, args.customer, args.amount, args.currency,
                         args.by, args.reason)
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"issued {done['amount']} {args.currency} to {done['customer_id']}: balance "
          f"{done['balance']} (entry {done['id']}; the same --request-id again issues "
          f"nothing more)")
    return 0


def _ranges(gaps) -> str:
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in gaps)


def cmd_audit(args) -> int:
    from hq.services.journal import all_journal_status

    with _engine(args).connect() as conn:
        devices = all_journal_status(conn)
    problems = 0
    for d in devices:
        bad = bool(d["gaps"] or d["chain_breaks"])
        problems += bad
        line = (f"{d['store_code']} {d['device_code']} {d['device_id']} last_seq={d['last_seq']}"
                f" received={d['received']}")
        if d["gaps"]:
            line += f" GAPS: {_ranges(d['gaps'])}"
        if d["chain_breaks"]:
            line += f" CHAIN BREAKS at: {', '.join(map(str, d['chain_breaks']))}"
        print(line + ("" if bad else " ok"))
    print(f"{len(devices)} device(s), {problems} with problems")
    return 1 if problems else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos-hq", description="Storeline HQ service")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name, fn, help_):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--database", default=DEFAULT_DATABASE, help="SQLite path or DB URL")
        p.set_defaults(fn=fn)
        return p

    p = command("serve", cmd_serve, "run the HTTP API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--log-level", default="info")
    p.add_argument("--access-log", action="store_true",
                   default=os.environ.get(ACCESS_LOG_ENV, "") not in ("", "0"),
                   help="log every request line (method, path, status) even when "
                        "--log-level is above info (on at info and below anyway)")
    p.add_argument("--trusted-proxy", action="append", metavar="ADDR",
                   default=[os.environ.get(TRUSTED_PROXIES_ENV, "")],
                   help="address (or network) of a reverse proxy whose X-Forwarded-For HQ "
                        "believes; repeat for several. Default: none, the client is the TCP "
                        "peer")
    p.add_argument("--bank-webhook-secret-file", metavar="PATH",
                   help="file holding the bank webhook's HMAC secret (several, comma-"
                        "separated, while rotating); default: STORELINE_HQ_BANK_WEBHOOK_"
                        "SECRET. docs/payments.md")
    p.add_argument("--workers", type=int, default=1,
                   help="worker processes (ingest throughput scales with cores; the "
                        "limits below are then kept per worker)")
    limits = _default_limits()
    p.add_argument("--device-requests-per-second", type=_limit,
                   default=limits.device_per_second,
                   help="requests one device may make (twice as many in a burst)")
    p.add_argument("--auth-failures-per-minute", type=_limit,
                   default=limits.auth_failures_per_minute,
                   help="failed authentications per client address and per credential "
                        "(as many in a burst); raise it where many tills share one address")
    p.add_argument("--enrolments-per-minute", type=_limit,
                   default=limits.enrolments_per_minute,
                   help="enrolment attempts per client address (10 at most in a burst)")
    command("demo-seed", cmd_demo_seed, "load the demo company (idempotent)")
    p = command("enrolment-code", cmd_enrolment_code, "make a one-time enrolment code")
    p.add_argument("--store", required=True, help="store code, e.g. HCM1")
    p.add_argument("--ttl", type=int, default=60, help="minutes until it expires")
    p = command("revoke", cmd_revoke, "revoke a device")
    p.add_argument("device_id")
    command("audit", cmd_audit, "journal completeness per device (exit 1 on problems)")
    p = command("gift-cards", cmd_gift_cards, "make inactive gift cards (prints number, PIN)")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--currency", required=True, help="ISO 4217, e.g. VND")
    p.add_argument("--pin-digits", type=int, default=6, choices=(4, 5, 6))
    p = command("gift-card-block", cmd_gift_card_block, "block a gift card (lost, stolen)")
    p.add_argument("card")
    p.add_argument("--reason", help="shown to the cashier when the card is refused")
    p = command("gift-card-unblock", cmd_gift_card_unblock,
                "unblock a gift card (also clears its wrong-PIN count)")
    p.add_argument("card")
    p = command("store-credit-issue", cmd_store_credit_issue,
                "issue store credit to a customer (audited)")
    p.add_argument("--customer", required=True, help="the customer's id")
    p.add_argument("--amount", type=int, required=True, help="minor units (VND: dong)")
    p.add_argument("--currency", required=True)
    p.add_argument("--by", required=True, help="the manager who decided it")
    p.add_argument("--reason", required=True)
    p.add_argument("--request-id", help="a UUID: repeating the command with it is safe")
    return parser


def _default_limits():
    from hq.api.ratelimit import Limits

    try:
        return Limits.from_env()
    except ValueError as exc:
        raise SystemExit(f"pos-hq: {Limits.ENV_PREFIX}*: {exc}") from None


def _limit(text: str) -> float:
    from hq.api.ratelimit import positive_number

    try:
        return positive_number(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
