"""Payment intents on a real device database: written before the request leaves, one way
through their states, and the only way an external tender gets into a sale."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from pos_app.db.engine import make_engine
from pos_app.payments.intents import IntentError, IntentState, IntentStore
from pos_app.payments.terminal import TerminalOutcome, TerminalResult
from pos_app.services.checkout import CheckoutError, complete_sale
from pos_app.tenders import Payment, TenderType, cash_payment
from tests.pos_app.fixture_catalog import VND_STORE
from tests.pos_app.test_checkout import basket_of, counts


def approval(intent, amount=None, **extra) -> TerminalResult:
    return TerminalResult(TerminalOutcome.APPROVED, intent.id,
                          intent.amount if amount is None else amount, intent.currency,
                          reference="PSP-1", auth_code="A1B2C3", masked_pan="**** 4242",
                          **extra)


def answer(intent, outcome: TerminalOutcome, message: str = "") -> TerminalResult:
    return TerminalResult(outcome, intent.id, message=message)


@pytest.fixture
def store(device_db, clock):
    engine, _ctx = device_db
    return IntentStore(engine, engine, clock)


def test_an_intent_is_on_disk_with_its_basket_before_anything_is_asked(device_db, store):
    engine, ctx = device_db
    basket = basket_of(engine, ctx, "TUI-BE").snapshot()
    intent = store.open("sale-1", TenderType.CARD, 150_000, "VND",
                        basket={"lines": [{"sku": ln.item.sku} for ln in basket.lines]},
                        associate_id=VND_STORE.cashier_id)
    other = make_engine(engine.url.database)  # another connection, as after a restart
    try:
        with other.connect() as conn:
            row = conn.execute(text("SELECT sale_id, tender, amount, state, basket FROM"
                                    " payment_intents WHERE id = :id"), {"id": intent.id}).one()
    finally:
        other.dispose()
    assert tuple(row[:4]) == ("sale-1", "card", 150_000, "pending")
    assert "TUI-BE" in row[4]
    assert store.unresolved() == [intent]


def test_answers_move_an_intent_one_way_only(store):
    intent = store.open("sale-1", TenderType.CARD, 100_000, "VND")
    assert store.record(intent.id, answer(intent, TerminalOutcome.UNKNOWN)).state \
        is IntentState.UNKNOWN
    approved = store.record(intent.id, approval(intent))
    assert approved.state is IntentState.APPROVED and approved.result.auth_code == "A1B2C3"
    # a later status query that timed out says nothing new: still approved, result kept
    still = store.record(intent.id, answer(intent, TerminalOutcome.UNKNOWN))
    assert still.state is IntentState.APPROVED and still.result.reference == "PSP-1"
    # a decline arriving late (a repeated, stale answer) does not undo the approval either
    assert store.record(intent.id, answer(intent, TerminalOutcome.DECLINED)).state \
        is IntentState.APPROVED
    voided = store.mark_voided(intent.id, answer(intent, TerminalOutcome.APPROVED, "reversed"))
    assert voided.state is IntentState.VOIDED
    # final: an approval replayed after the void does not bring the money back into play
    assert store.record(intent.id, approval(intent)).state is IntentState.VOIDED
    assert store.unresolved() == []


def test_an_approval_for_another_amount_is_not_taken_for_this_payment(store):
    intent = store.open("sale-1", TenderType.CARD, 100_000, "VND")
    odd = store.record(intent.id, approval(intent, amount=1_000_000))
    assert odd.state is IntentState.UNKNOWN  # resolved by a void, never sold against


@pytest.mark.parametrize("outcome", [TerminalOutcome.DECLINED, TerminalOutcome.CANCELLED,
                                     TerminalOutcome.BUSY, TerminalOutcome.UNREACHABLE,
                                     TerminalOutcome.NOT_FOUND])
def test_an_answer_that_charged_nothing_ends_the_intent(store, outcome):
    intent = store.open("sale-1", TenderType.CARD, 100_000, "VND")
    failed = store.record(intent.id, answer(intent, outcome, "Not enough balance"))
    assert failed.state is IntentState.FAILED and failed.message == "Not enough balance"
    with pytest.raises(IntentError, match="Only an approved payment"):
        failed.payment()


def test_a_sale_takes_only_a_card_payment_approved_for_it(device_db, store, clock):
    engine, ctx = device_db
    snap = basket_of(engine, ctx, "TUI-BE").snapshot()  # 150.000 ₫
    sale_id = str(uuid.uuid4())
    before = counts(engine)

    made_up = Payment(TenderType.CARD, amount=150_000, tendered=150_000,
                      masked_pan="**** 4242", auth_code="A1B2C3")
    with pytest.raises(CheckoutError, match="never authorised"):
        complete_sale(engine, ctx, snap, (made_up,), VND_STORE.cashier_id, clock,
                      sale_id=sale_id)

    declined = store.open(sale_id, TenderType.CARD, 150_000, "VND")
    store.record(declined.id, answer(declined, TerminalOutcome.DECLINED))
    as_paid = Payment(TenderType.CARD, amount=150_000, tendered=150_000, id=declined.id)
    with pytest.raises(CheckoutError, match="not approved"):
        complete_sale(engine, ctx, snap, (as_paid,), VND_STORE.cashier_id, clock,
                      sale_id=sale_id)

    elsewhere = store.open("another-sale", TenderType.CARD, 150_000, "VND")
    elsewhere = store.record(elsewhere.id, approval(elsewhere))
    with pytest.raises(CheckoutError, match="another sale or amount"):
        complete_sale(engine, ctx, snap, (elsewhere.payment(),), VND_STORE.cashier_id, clock,
                      sale_id=sale_id)
    assert counts(engine) == before  # none of these wrote anything

    intent = store.open(sale_id, TenderType.CARD, 150_000, "VND")
    card = store.record(intent.id, approval(intent)).payment()
    done = complete_sale(engine, ctx, snap, (card,), VND_STORE.cashier_id, clock,
                         sale_id=sale_id)
    assert store.get(intent.id).state is IntentState.ATTACHED
    with engine.connect() as conn:
        assert conn.execute(text("SELECT id, masked_pan, auth_code FROM payments WHERE"
                                 " sale_id = :s"), {"s": done.sale_id}).one() == (
            intent.id, "**** 4242", "A1B2C3")
    with pytest.raises(IntentError, match="completed sale"):
        store.mark_voided(intent.id, answer(intent, TerminalOutcome.APPROVED))
    # the same approval cannot pay a second sale
    snap2 = basket_of(engine, ctx, "TUI-BE").snapshot()
    with pytest.raises(CheckoutError, match="another sale"):
        complete_sale(engine, ctx, snap2, (card,), VND_STORE.cashier_id, clock)
    # and a mixed cash + card sale still gives change from cash only
    sale2 = str(uuid.uuid4())
    part = store.open(sale2, TenderType.CARD, 50_000, "VND")
    part_card = store.record(part.id, approval(part)).payment()
    mixed = complete_sale(engine, ctx, snap2, (part_card, cash_payment(100_000, 200_000)),
                          VND_STORE.cashier_id, clock, sale_id=sale2)
    assert mixed.change == 100_000 and store.get(part.id).state is IntentState.ATTACHED
