"""Sell as fast as possible against a real SQLite file until killed (for test_crash_checkout).

    python -m tests.pos_app.crash_worker DBPATH [ACKPATH]
    python -m tests.pos_app.crash_worker --fork-server DBPATH [ACKPATH]

The database must already hold the fixture store (tests/pos_app/fixture_catalog.py). Each
loop builds a random basket (several lines, sometimes line or basket discounts, sometimes a
manager's price override) and completes it through `pos_app.services.checkout.complete_sale`
with cash, or split card + cash, exactly as the till does.

ACKPATH (default: DBPATH + ".acks") is an append-only log of what the till believed:
    "intent <sale_id>"        written before the sale is committed
    "done <sale_id> <seq>"    written after complete_sale returned (the sale was committed)
A "done" line is the receipt the cashier saw; the test checks that every one of them survived
the kill. On start, an unfinished "intent" is retried with the same sale id, as the till does
after a crash, to exercise the idempotent path while the database is recovering.

The first form sells in this process and prints "ready" on stdout once the database is open.
The second form is a fork server so that a test can kill and restart a till many times a
second without paying for Python's start-up each time: it imports everything, opens nothing,
and answers commands on stdin -- "fork" starts a selling child process (a separate process
with its own SQLite connection, opened after the fork) and prints "forked <pid>", the child
prints "ready <pid>"; "reap <pid>" waits for a child the test has killed and prints
"reaped <pid> <signal>".
"""
from __future__ import annotations

import os
import random
import sys
import uuid

from sqlalchemy import text

from pos_app.basket import Basket
from pos_app.db.catalog_queries import find_by_sku
from pos_app.db.engine import make_engine
from pos_app.ports import SystemClock
from pos_app.pricing import Discount, DiscountKind
from pos_app.services.checkout import complete_sale
from pos_app.store_context import load_store_context
from pos_app.tenders import Payment, cash_payment
from tests.pos_app.approved_tenders import approved_card


def pending_intent(ack_path: str) -> str | None:
    """The sale id of a trailing "intent" line with no matching "done" line, if any."""
    try:
        with open(ack_path, encoding="utf-8") as fh:
            lines = [ln.split() for ln in fh.read().split("\n")[:-1]]  # complete lines only
    except FileNotFoundError:
        return None
    done = {ln[1] for ln in lines if ln and ln[0] == "done"}
    intents = [ln[1] for ln in lines if ln and ln[0] == "intent"]
    return intents[-1] if intents and intents[-1] not in done else None


def random_basket(rng: random.Random, ctx, items, manager_id: str) -> Basket:
    basket = Basket(ctx.currency, ctx.tax_mode)
    for _ in range(rng.randint(1, 6)):
        line = basket.add(rng.choice(items), rng.randint(1, 4))
        roll = rng.random()
        if roll < 0.15:
            basket.set_line_discount(line.line_id, Discount(
                DiscountKind.PERCENT, rng.choice([500, 1000, 2500]), "promo"))
        elif roll < 0.25:
            basket.override_price(line.line_id, max(1, line.unit_price * 9 // 10),
                                  approved_by=manager_id)
    if rng.random() < 0.2:
        basket.set_basket_discount(Discount(DiscountKind.AMOUNT, rng.randint(1, 5_000),
                                            "goodwill", approved_by=manager_id))
    return basket


def _payments(rng: random.Random, total: int, engine, clock, sale_id: str,
              currency: str) -> tuple[Payment, ...]:
    """Cash, or part by card: the card through its payment intent approved for this sale
    (a kill may leave such an intent approved and unattached: start-up voids it)."""
    if total >= 2 and rng.random() < 0.4:
        on_card = rng.randint(1, total - 1)
        card = approved_card(engine, clock, sale_id, on_card, currency,
                             reference=f"tok_{rng.getrandbits(48):012x}",
                             auth_code=f"{rng.randint(0, 999_999):06d}")
        return card, cash_payment(total - on_card, total - on_card + rng.randint(0, 500))
    return (cash_payment(total, total + rng.randint(0, 1000)),)


def till_of(engine):
    """(store context, every sellable item, the cashier's id, the manager's id) of the
    fixture store in `engine`: what a selling crash worker needs."""
    with engine.connect() as conn:
        ctx = load_store_context(conn)
        skus = [r[0] for r in conn.execute(text("SELECT sku FROM variants ORDER BY pk"))]
        items = [find_by_sku(conn, ctx.store_id, sku) for sku in skus]
        cashier_id, manager_id = (
            conn.execute(text("SELECT id FROM associates WHERE role = :r"), {"r": role})
            .scalar_one() for role in ("cashier", "manager"))
        conn.rollback()
    return ctx, items, cashier_id, manager_id


def sell_forever(db_path: str, ack_path: str) -> None:
    """Open the database and complete random sales until the process is killed."""
    rng = random.Random(int.from_bytes(os.urandom(8), "big"))
    engine = make_engine(db_path)
    clock = SystemClock()
    ctx, items, cashier_id, manager_id = till_of(engine)
    retry_id = pending_intent(ack_path)
    ack = open(ack_path, "a", encoding="utf-8", buffering=1)  # line-buffered: one write per line
    print(f"ready {os.getpid()}", flush=True)
    while True:
        snap = random_basket(rng, ctx, items, manager_id).snapshot()
        if snap.priced.total <= 0:
            continue
        sale_id, retry_id = (retry_id or str(uuid.uuid4())), None
        ack.write(f"intent {sale_id}\n")
        payments = _payments(rng, snap.priced.total, engine, clock, sale_id, ctx.currency)
        done = complete_sale(engine, ctx, snap, payments, cashier_id, clock, sale_id=sale_id)
        ack.write(f"done {done.sale_id} {done.seq}\n")


def serve_forks(db_path: str, ack_path: str) -> None:
    """The fork server (see the module docstring). Never opens the database itself."""
    print("server", flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if cmd == ["fork"]:
            pid = os.fork()
            if pid == 0:  # the child: a till of its own
                try:
                    sell_forever(db_path, ack_path)
                except BaseException:  # noqa: BLE001 - report, then leave without cleanup
                    import traceback
                    traceback.print_exc()
                finally:
                    os._exit(70)
            print(f"forked {pid}", flush=True)
        elif len(cmd) == 2 and cmd[0] == "reap":
            _, status = os.waitpid(int(cmd[1]), 0)
            sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
            print(f"reaped {cmd[1]} {sig}", flush=True)


def main(argv: list[str]) -> int:
    fork_server = argv[1:2] == ["--fork-server"]
    args = argv[2:] if fork_server else argv[1:]
    if len(args) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    db_path = args[0]
    ack_path = args[1] if len(args) == 2 else db_path + ".acks"
    (serve_forks if fork_server else sell_forever)(db_path, ack_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
