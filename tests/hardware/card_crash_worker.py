"""A till that sells by card as fast as it can until it is killed (test_crash_card_payments).

    python -m tests.hardware.card_crash_worker DBPATH ACKPATH TERMINAL_JSON

TERMINAL_JSON holds the card terminal's settings (hardware/terminals/terminal_settings.py,
the simulator's address, CA and key). On start the worker does what the app does before its
first sale: it resolves the payment intents a crash left open (pos_app/payments/
authorisation.resolve_open: ask the terminal, reverse an approval whose sale never
committed) and prints "resolved <kind>=<n> ..." and then "ready <pid>". Then, in a loop: a
random basket (the crash checkout test's), a card payment for all of it or part of it
(the rest in cash) through a payment intent, and the sale. The ACKPATH log gets
"intent <sale_id>" before the card is asked and "done <sale_id> <seq>" after the sale
committed -- what the cashier saw.
"""
from __future__ import annotations

import json
import os
import random
import sys
import uuid

from hardware.terminals.adyen_terminal import AdyenTerminal
from hardware.terminals.terminal_settings import TerminalSettings
from pos_app.db.engine import make_engine
from pos_app.payments import authorisation
from pos_app.payments.authorisation import TerminalAuthoriser
from pos_app.payments.intents import IntentState, IntentStore
from pos_app.ports import SystemClock
from pos_app.services.checkout import complete_sale
from pos_app.tenders import TenderType, cash_payment
from tests.pos_app.crash_worker import random_basket, till_of


def main(argv: list[str]) -> int:
    db_path, ack_path, terminal_json = argv[1:4]
    settings = TerminalSettings.from_dict(json.loads(open(terminal_json).read()))
    rng = random.Random(int.from_bytes(os.urandom(8), "big"))
    engine = make_engine(db_path)
    clock = SystemClock()
    store = IntentStore(engine, engine, clock)
    ctx, items, cashier_id, manager_id = till_of(engine)
    with AdyenTerminal(settings) as terminal:
        card = TerminalAuthoriser(terminal)
        resolved = authorisation.resolve_open(store, {TenderType.CARD: card})
        kinds: dict[str, int] = {}
        for r in resolved:
            kinds[r.resolution.value] = kinds.get(r.resolution.value, 0) + 1
        print("resolved " + " ".join(f"{k}={v}" for k, v in sorted(kinds.items())), flush=True)
        ack = open(ack_path, "a", encoding="utf-8", buffering=1)
        print(f"ready {os.getpid()}", flush=True)
        while True:
            snap = random_basket(rng, ctx, items, manager_id).snapshot()
            total = snap.priced.total
            if total <= 0:
                continue
            sale_id = str(uuid.uuid4())
            on_card = total if total < 2 or rng.random() < 0.5 else rng.randint(1, total - 1)
            ack.write(f"intent {sale_id}\n")
            intent = authorisation.authorise(store, card, sale_id=sale_id,
                                             tender=TenderType.CARD, amount=on_card,
                                             currency=ctx.currency)
            if intent.state is not IntentState.APPROVED:
                continue  # declined or no answer: the basket would wait for the cashier
            payments = (intent.payment(),) + ((cash_payment(total - on_card, total - on_card),)
                                              if on_card < total else ())
            done = complete_sale(engine, ctx, snap, payments, cashier_id, clock,
                                 sale_id=sale_id)
            ack.write(f"done {done.sale_id} {done.seq}\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
