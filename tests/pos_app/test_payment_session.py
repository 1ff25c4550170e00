"""The payment session over a basket: what is still due after each tender, change only from
cash, no overpayment by any other tender, authorised tenders never simply dropped."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.payments.session import PaymentRefused, PaymentSession, Refusal
from pos_app.tenders import Payment, TenderType


def card(amount: int) -> Payment:
    return Payment(TenderType.CARD, amount=amount, tendered=amount, masked_pan="**** 4242",
                   auth_code="A1B2C3", reference="PSP1")


def test_the_split_payment_of_the_story_shows_what_is_due_after_each_tender():
    session = PaymentSession(2_450_000, "VND")
    session.add_cash(500_000)
    assert session.due == 1_950_000
    session.add(Payment(TenderType.GIFT_CARD, amount=1_000_000, tendered=1_000_000,
                        reference="G123"))
    assert session.due == 950_000 and not session.complete
    session.add(card(950_000))
    assert session.due == 0 and session.complete and session.change == 0
    assert [p.tender for p in session.payments] == [TenderType.CASH, TenderType.GIFT_CARD,
                                                    TenderType.CARD]
    assert session.paid == 2_450_000


def test_cash_above_what_is_due_gives_change_and_completes():
    session = PaymentSession(762_300, "VND")
    session.add(card(262_300))
    cash = session.add_cash(1_000_000)
    assert (cash.amount, cash.tendered, cash.change) == (500_000, 1_000_000, 500_000)
    assert session.complete and session.change == 500_000


@pytest.mark.parametrize("tender", [TenderType.CARD, TenderType.GIFT_CARD,
                                    TenderType.STORE_CREDIT, TenderType.QR_TRANSFER])
def test_no_tender_but_cash_may_pay_more_than_is_due(tender):
    session = PaymentSession(100_000, "VND")
    session.add_cash(40_000)
    with pytest.raises(PaymentRefused) as refused:
        session.check(tender, 60_001)
    assert refused.value.reason is Refusal.ABOVE_DUE
    assert (refused.value.amount, refused.value.due) == (60_001, 60_000)
    assert session.due == 60_000 and len(session.payments) == 1  # nothing changed


def test_nothing_is_taken_once_nothing_is_due_and_never_zero_or_less():
    session = PaymentSession(50_000, "VND")
    with pytest.raises(PaymentRefused) as zero:
        session.add_cash(0)
    assert zero.value.reason is Refusal.NOT_POSITIVE
    session.add_cash(50_000)
    with pytest.raises(PaymentRefused) as paid:
        session.add_cash(10_000)
    assert paid.value.reason is Refusal.NOTHING_DUE
    with pytest.raises(PaymentRefused) as currency:
        PaymentSession(100, "USD").check(TenderType.CARD, 50, "VND")
    assert currency.value.reason is Refusal.WRONG_CURRENCY


def test_cash_is_taken_back_but_an_authorised_card_must_be_voided():
    session = PaymentSession(300_000, "VND")
    cash = session.add_cash(100_000)
    paid_by_card = session.add(card(150_000))
    with pytest.raises(PaymentRefused) as refused:
        session.remove(paid_by_card.id)
    assert refused.value.reason is Refusal.AUTHORISED
    session.remove(cash.id)
    assert session.due == 150_000
    session.drop_voided(paid_by_card.id)  # after its void went through
    assert session.due == 300_000 and session.payments == []
    with pytest.raises(PaymentRefused) as unknown:
        session.remove("nope")
    assert unknown.value.reason is Refusal.NOT_IN_SESSION


tenders = st.sampled_from([TenderType.CASH, TenderType.CARD, TenderType.GIFT_CARD,
                           TenderType.STORE_CREDIT, TenderType.QR_TRANSFER])


@given(total=st.integers(1, 10**9), steps=st.lists(st.tuples(tenders, st.integers(-5, 10**9)),
                                                    max_size=12))
def test_whatever_is_tendered_the_sale_is_never_overpaid_except_as_cash_change(total, steps):
    session = PaymentSession(total, "VND")
    for tender, amount in steps:
        try:
            if tender is TenderType.CASH:
                session.add_cash(amount)
            else:
                session.add(Payment(tender, amount=amount, tendered=amount))
        except PaymentRefused:
            pass
        assert session.paid <= total  # cash beyond what is due is change, not payment
        assert session.due == total - session.paid >= 0
        assert all(p.amount > 0 for p in session.payments)
        assert all(p.change == 0 for p in session.payments if p.tender is not TenderType.CASH)
    assert session.complete == (session.paid == total)
