"""Card payments end to end on the till: payment intents (a real device database), the Adyen
terminal (hardware/terminals/) and the terminal simulator over real HTTPS, judged by the
simulator's ledger. The invariant under test (DESIGN.md §3): never a charge without a sale,
never a sale paid by an unapproved tender, never two charges for one intent; a lost answer is
resolved by asking, and what a crash left open is reversed at start-up and reported."""
from __future__ import annotations

import threading
import uuid

import pytest

from hardware.terminals.adyen_terminal import AdyenTerminal
from pos_app.payments import authorisation
from pos_app.payments.authorisation import Resolution, TerminalAuthoriser
from pos_app.payments.intents import IntentState, IntentStore
from pos_app.services.checkout import complete_sale
from pos_app.tenders import TenderType, cash_payment
from tests.hardware.terminal_sim import running_sim
from tests.hardware.test_adyen_terminal import settings_for
from tests.pos_app.fixture_catalog import VND_STORE
from tests.pos_app.test_checkout import basket_of
from tests.waiting import WAIT_S, wait_for


@pytest.fixture
def sim():
    with running_sim() as simulator:
        yield simulator


@pytest.fixture
def card(sim):
    with AdyenTerminal(settings_for(sim)) as terminal:
        yield TerminalAuthoriser(terminal)


@pytest.fixture
def intents(device_db, clock):
    engine, _ctx = device_db
    return IntentStore(engine, engine, clock)


def charged(sim) -> dict[str, int]:
    """intent id -> amount the simulated card network kept (charged, not reversed)."""
    return {e.intent_id: e.amount - e.refunded for e in sim.ledger.entries
            if e.state in ("charged", "refunded")}


def pay(intents, card, sale_id: str, amount: int):
    return authorisation.authorise(intents, card, sale_id=sale_id, tender=TenderType.CARD,
                                   amount=amount, currency="VND")


def test_card_plus_cash_sale_is_charged_once_and_attached(device_db, clock, sim, card,
                                                          intents):
    engine, ctx = device_db
    snap = basket_of(engine, ctx, "ASM-TRG-M", "TUI-BE").snapshot()  # 349.000 ₫
    sale_id = str(uuid.uuid4())
    intent = pay(intents, card, sale_id, 300_000)
    assert intent.state is IntentState.APPROVED
    payment = intent.payment()
    assert payment.masked_pan and payment.masked_pan.startswith("**** ")
    done = complete_sale(engine, ctx, snap, (payment, cash_payment(49_000, 50_000)),
                         VND_STORE.cashier_id, clock, sale_id=sale_id)
    assert done.total == 349_000 and done.change == 1_000
    assert intents.get(intent.id).state is IntentState.ATTACHED
    assert charged(sim) == {intent.id: 300_000}


def test_a_decline_charges_nothing_and_says_why(sim, card, intents):
    sim.queue("decline:Not enough balance")
    intent = pay(intents, card, "sale-1", 150_000)
    assert intent.state is IntentState.FAILED
    assert "balance" in (intent.result.message or intent.message).lower()
    assert charged(sim) == {}


def test_an_answer_lost_after_approval_is_found_by_asking_not_by_paying_again(sim, card,
                                                                              intents):
    sim.queue("drop_after_approve")
    intent = pay(intents, card, "sale-1", 150_000)
    assert intent.state is IntentState.APPROVED  # found by a status query
    payments = [m for m in sim.requests if "PaymentRequest" in m["SaleToPOIRequest"]]
    assert len(payments) == 1 and charged(sim) == {intent.id: 150_000}


def test_cancel_while_the_terminal_waits_for_the_card(sim, card, intents):
    sim.queue("wait_card")
    opened = []
    result = {}

    def run():
        result["intent"] = authorisation.authorise(
            intents, card, sale_id="sale-1", tender=TenderType.CARD, amount=150_000,
            currency="VND", on_opened=opened.append)

    worker = threading.Thread(target=run)
    worker.start()
    wait_for(sim.waiting_for_card, what="the terminal waiting for a card")
    card.cancel(opened[0])
    worker.join(WAIT_S)
    assert not worker.is_alive()
    assert result["intent"].state is IntentState.FAILED
    assert charged(sim) == {}


def test_start_up_reverses_an_approval_whose_sale_never_committed(device_db, clock, sim,
                                                                  card, intents):
    """The till was killed after the terminal approved and before anything was recorded:
    the intent is still `pending` on disk, the money is taken on the card."""
    engine, _ctx = device_db
    approved_then_killed = intents.open("sale-1", TenderType.CARD, 150_000, "VND")
    assert card.authorise(approved_then_killed).approved  # the answer never reached the disk
    killed_before_sending = intents.open("sale-2", TenderType.CARD, 90_000, "VND")
    assert charged(sim) == {approved_then_killed.id: 150_000}

    after_restart = IntentStore(engine, engine, clock)
    resolved = authorisation.resolve_open(after_restart, {TenderType.CARD: card})
    by_id = {r.intent.id: r for r in resolved}
    assert by_id[approved_then_killed.id].resolution is Resolution.REVERSED
    assert by_id[approved_then_killed.id].intent.state is IntentState.VOIDED
    assert by_id[killed_before_sending.id].resolution is Resolution.NOT_CHARGED
    assert charged(sim) == {}  # nothing kept: never a charge without a sale
    assert after_restart.unresolved() == []
    # a second start-up finds nothing to do, and sends nothing
    sent = len(sim.requests)
    assert authorisation.resolve_open(after_restart, {TenderType.CARD: card}) == []
    assert len(sim.requests) == sent


def test_a_terminal_that_is_switched_off_charges_nothing_and_is_asked_again_later(
        sim, card, intents):
    sim.stop()
    intent = pay(intents, card, "sale-1", 150_000)
    assert intent.state is IntentState.FAILED  # UNREACHABLE: the request never left
    assert charged(sim) == {}


def test_the_receipt_prints_the_slip_and_no_card_number_is_kept_anywhere(
        device_db, clock, sim, card, intents, caplog):
    """DESIGN.md §3: a grep of the till's database, its logs and the printed receipt for
    13-19 digit Luhn-valid numbers finds none (the simulator's cards are real test PANs)."""
    import logging

    from pos_app.receipts.layout import plain_text, receipt_blocks
    from pos_app.receipts.receipt import build_receipt
    from tests.hardware.test_adyen_terminal import card_numbers_in

    caplog.set_level(logging.DEBUG)
    engine, ctx = device_db
    snap = basket_of(engine, ctx, "TUI-BE").snapshot()
    sale_id = str(uuid.uuid4())
    sim.queue("drop_after_approve")  # the answer lost, then found by status: both kept
    intent = pay(intents, card, sale_id, snap.priced.total)
    complete_sale(engine, ctx, snap, (intent.payment(),), VND_STORE.cashier_id, clock,
                  sale_id=sale_id)
    with engine.connect() as conn:
        receipt = build_receipt(conn, sale_id)
        dump = "\n".join(str(row) for table in ("payments", "payment_intents", "sales",
                                                "journal", "outbox")
                         for row in conn.exec_driver_sql(f"SELECT * FROM {table}"))
    [tender] = receipt.tenders
    assert tender.slip and tender.masked_pan == intent.result.masked_pan
    printed = "\n".join(plain_text(receipt_blocks(receipt), 42))
    flowing = " ".join(printed.split())  # long slip lines wrap at the receipt's width
    missing = [line for line in tender.slip if " ".join(line.split()) not in flowing]
    assert missing == [], printed
    assert tender.masked_pan in printed
    assert card_numbers_in(printed) == []
    assert card_numbers_in(dump) == []
    assert card_numbers_in(caplog.text) == []
