"""Kill the till with SIGKILL while it takes card payments; the card network and the till's
sales must agree (DESIGN.md §3: never a charge without a sale, never a sale paid by an
unapproved tender, never two charges for one intent).

A worker process (tests/hardware/card_crash_worker.py) sells by card (all or part of each
basket) against the terminal simulator, which runs in this test's process over real HTTPS
and keeps the card network's ledger. The test kills the worker at random moments (5-150 ms
after it is ready: before, during and after the terminal's answer and the sale's commit) and
starts a new one on the same database file; each new till first resolves the intents the
kill left open, as the app does at start-up. Every other run the kill waits until the till
has completed two card sales of its own, so that sales grow however busy the machine is.
After every kill:

- every card payment of a committed sale is charged on the ledger exactly once, for its
  amount, and its intent is `attached`;
- no intent was ever sent to the terminal as a payment twice.

At the end, after one more start-up resolution: every charge the ledger kept belongs to a
committed sale (the others were reversed), and no intent is left open.

The number of kills is 24 by default; STORELINE_CARD_CRASH_KILLS asks for a longer soak.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from hardware.terminals.adyen_terminal import AdyenTerminal
from pos_app.db.engine import make_engine
from pos_app.payments import authorisation
from pos_app.payments.authorisation import TerminalAuthoriser
from pos_app.payments.intents import IntentStore
from pos_app.ports import SystemClock
from pos_app.tenders import TenderType
from tests.hardware.terminal_sim import running_sim
from tests.hardware.test_adyen_terminal import settings_for
from tests.pos_app.crash_checkout_lines import Lines, acked_sales
from tests.pos_app.fixture_catalog import build_fixture_db
from tests.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("STORELINE_CARD_CRASH_KILLS", "24"))
SALES_BEFORE_KILL = 2  # in every other run: so card sales grow whatever the machine's speed


def payment_requests(sim) -> Counter:
    return Counter(m["SaleToPOIRequest"]["PaymentRequest"]["SaleData"]["SaleTransactionID"]
                   ["TransactionID"] for m in list(sim.requests)
                   if "PaymentRequest" in m["SaleToPOIRequest"])


def kept_on_cards(sim) -> dict[str, int]:
    """intent id -> what the card network kept (charged, not reversed)."""
    return {e.intent_id: e.amount - e.refunded for e in list(sim.ledger.entries)
            if e.state in ("charged", "refunded")}


def sold_by_card(db: Path) -> dict[str, tuple[int, str]]:
    """card payment id -> (amount, its intent's state), over the committed sales."""
    engine = make_engine(db, readonly=True)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT p.id, p.amount, i.state FROM payments p JOIN sales s ON s.id ="
                " p.sale_id LEFT JOIN payment_intents i ON i.id = p.id"
                " WHERE p.tender = 'card'")).all()
    finally:
        engine.dispose()
    return {r[0]: (r[1], r[2]) for r in rows}


def check(db: Path, sim, where: str) -> dict[str, tuple[int, str]]:
    sold = sold_by_card(db)
    kept = kept_on_cards(sim)
    wrong = {pid: (amount, state, kept.get(pid)) for pid, (amount, state) in sold.items()
             if state != "attached" or kept.get(pid) != amount}
    assert wrong == {}, f"{where}: card payments of sales not charged once as sold: {wrong}"
    twice = {i: n for i, n in payment_requests(sim).items() if n > 1}
    assert twice == {}, f"{where}: intents sent to the terminal as a payment twice: {twice}"
    return sold


def start_till(db: Path, ack: Path, terminal_json: Path, log, log_path: Path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.hardware.card_crash_worker", str(db), str(ack),
         str(terminal_json)], cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = Lines(proc, log_path)
    resolved = lines.expect("resolved")
    lines.expect(f"ready {proc.pid}")
    return proc, resolved


@pytest.mark.slow
def test_sigkill_during_card_payments_never_charges_without_a_sale(tmp_path):
    db, ack, log_path = tmp_path / "till.db", tmp_path / "acks.log", tmp_path / "worker.log"
    terminal_json = tmp_path / "terminal.json"
    build_fixture_db(db, "vnd")
    seed = os.environ.get("STORELINE_CRASH_SEED") or str(random.randrange(10**9))
    rng = random.Random(seed)
    resolutions: Counter = Counter()
    started = time.monotonic()
    with running_sim() as sim, open(log_path, "w") as log:
        terminal_json.write_text(json.dumps(settings_for(sim).to_dict(include_passphrase=True)))
        for kill_no in range(1, KILLS + 1):
            proc, resolved = start_till(db, ack, terminal_json, log, log_path)
            resolutions.update({k: int(v) for k, v in
                                (kv.split("=") for kv in resolved.split()[1:])})
            if kill_no % 2 == 0:  # these runs kill only after the till sold by card itself,
                sold_before = len(acked_sales(ack))  # however slow the machine
                wait_for(lambda n=sold_before: len(acked_sales(ack)) >= n + SALES_BEFORE_KILL,
                         what=f"{SALES_BEFORE_KILL} card sales by the restarted till")
            time.sleep(rng.uniform(0.005, 0.150))  # then a random moment: the kill's spread
            alive = proc.poll() is None
            proc.kill()  # SIGKILL
            assert proc.wait() == -signal.SIGKILL and alive, (
                f"worker died on its own:\n{log_path.read_text()}")
            check(db, sim, f"after kill {kill_no} (seed {seed})")
        # the next start-up: whatever the last kill left open is resolved
        engine = make_engine(db)
        try:
            with AdyenTerminal(settings_for(sim)) as terminal:
                store = IntentStore(engine, engine, SystemClock())
                last = authorisation.resolve_open(store, {TenderType.CARD:
                                                          TerminalAuthoriser(terminal)})
                resolutions.update(r.resolution.value for r in last)
                assert store.unresolved() == []
        finally:
            engine.dispose()
        sold = check(db, sim, f"at the end (seed {seed})")
        kept = kept_on_cards(sim)
        assert set(kept) == set(sold), (
            f"charges without a sale (seed {seed}): "
            f"{ {i: a for i, a in kept.items() if i not in sold} }")
        charged_ever = sum(1 for e in sim.ledger.entries if e.state != "declined")
    elapsed = time.monotonic() - started
    assert len(sold) >= KILLS // 2, f"only {len(sold)} card sales in {KILLS} runs"
    print(f"\n{KILLS} kills, {len(sold)} card sales, {charged_ever} charges at the terminal, "
          f"{dict(resolutions)} resolved at start-up, {elapsed:.1f} s (seed {seed})")
