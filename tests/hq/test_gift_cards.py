"""Gift cards at HQ, on SQLite and PostgreSQL: numbers that are never card numbers, loading by
the sale that sold the card, redemptions exactly once by payment id and never beyond the
balance (two tills at once), voids for the till's crash recovery, blocking, PIN locking, and
the gift card tenders of ingested sales."""
from __future__ import annotations

import json
import threading
import uuid

import pytest
from sqlalchemy import func, select, text

from hq.db.models.payments import GiftCardEntry, SaleTender
from hq.db.models.sales import SaleFlag, StockMove
from hq.services import gift_cards
from hq.services.enrolment import AuthenticatedDevice
from sync.protocol_payments import (format_gift_card, new_gift_card_number,
                                    normalise_gift_card, pan_like)
from tests.hq.helpers import chain_for
from tests.hq.payment_helpers import (ADMIN, cash, client, payment_store, push, sale_event)
from tests.waiting import wait_for

LIMITS = {"gift_card_offline_max_per_card": 300_000,
          "gift_card_offline_max_per_device_day": 400_000}


def _cards(engine, count=1, currency="VND"):
    with engine.begin() as conn:
        return gift_cards.create_cards(conn, count, currency)


def _sold(http, auth, device, *cards: tuple[str, int]):
    """Sell `cards` (number, amount) for cash: the sale HQ loads them from."""
    ev = sale_event(chain_for_device(device), gift_cards=cards)
    total = ev.payload["sale"]["total"]
    assert ev.payload["sale"]["payments"][0]["amount"] == total
    assert push(http, auth, ev) == [{"id": ev.id, "status": "accepted"}]
    return ev


_chains: dict[str, object] = {}


def chain_for_device(device):
    """One journal per device for the whole test (sales must chain)."""
    return _chains.setdefault(device.id, chain_for(device))


@pytest.fixture(autouse=True)
def _fresh_chains():
    _chains.clear()
    yield
    _chains.clear()


def _redeem(http, auth, card, pin, amount, payment_id=None):
    payment_id = payment_id or str(uuid.uuid4())
    r = http.post("/v1/payments/gift-cards/redeem", headers=auth, json={
        "payment_id": payment_id, "card": card, "pin": pin, "amount": amount,
        "currency": "VND"})
    assert r.status_code == 200, r.text
    return payment_id, r.json()


def _balance(http, auth, card, pin):
    return http.post("/v1/payments/gift-cards/balance", headers=auth,
                     json={"card": card, "pin": pin})


# --- numbers -----------------------------------------------------------------------------------
def test_numbers_can_never_be_taken_for_card_numbers_and_catch_typos():
    for _ in range(2000):
        number = new_gift_card_number()
        assert len(number) == 13 and number[0] == "G" and number[1:].isdigit()
        assert normalise_gift_card(format_gift_card(number).lower()) == number
        assert not pan_like(number) and not pan_like(number[1:])
        assert not pan_like(format_gift_card(number))
        digits = number[1:]
        wrong = digits[:5] + str((int(digits[5]) + 1) % 10) + digits[6:]  # one digit mistyped
        with pytest.raises(ValueError, match="check digit"):
            normalise_gift_card("G" + wrong)
        if digits[3] != digits[4]:  # two neighbours swapped
            with pytest.raises(ValueError, match="check digit"):
                normalise_gift_card("G" + digits[:3] + digits[4] + digits[3] + digits[5:])
    for bad in ("4111111111111111", "G12345", "X" + "1" * 12, ""):
        with pytest.raises(ValueError, match="letter G and 12 digits"):
            normalise_gift_card(bad)


# --- loading, balance --------------------------------------------------------------------------
def test_a_card_is_loaded_once_when_the_sale_that_sold_it_reaches_hq(hq_engine):
    device, auth = payment_store(hq_engine)
    [(number, pin)] = _cards(hq_engine)
    with client(hq_engine) as http:
        before = _balance(http, auth, format_gift_card(number), pin).json()
        assert (before["state"], before["balance"]) == ("inactive", 0)
        ev = _sold(http, auth, device, (number, 500_000))
        assert push(http, auth, ev) == [{"id": ev.id, "status": "duplicate"}]
        after = _balance(http, auth, number, pin).json()
        assert after == {"card": number, "balance": 500_000, "currency": "VND",
                         "state": "active"}
        wrong = _balance(http, auth, number, "000000" if pin != "000000" else "111111")
        assert wrong.status_code == 403 and wrong.json()["detail"] == "wrong PIN"
        unknown = _balance(http, auth, new_gift_card_number(), pin)
        assert unknown.status_code == 404
        typo = _balance(http, auth, number[:-1] + str((int(number[-1]) + 1) % 10), pin)
        assert typo.status_code == 404 and "check digit" in typo.json()["detail"]
    with hq_engine.connect() as conn:
        entries = conn.execute(select(GiftCardEntry.kind, GiftCardEntry.delta)).all()
        stock = conn.execute(select(StockMove.variant_id)).scalars().all()
    assert entries == [("load", 500_000)]
    assert "GIFT-CARD" not in stock and len(stock) == 1  # the merchandise line only


def test_an_inactive_card_cannot_pay(hq_engine):
    _device, auth = payment_store(hq_engine)
    [(number, pin)] = _cards(hq_engine)
    with client(hq_engine) as http:
        _, answer = _redeem(http, auth, number, pin, 1_000)
    assert answer["approved"] is False and answer["decline"] == "not_activated"
    assert "not activated" in answer["reason"]


# --- redemption --------------------------------------------------------------------------------
def test_a_redemption_is_exactly_once_by_payment_id(hq_engine):
    device, auth = payment_store(hq_engine)
    [(number, pin)] = _cards(hq_engine)
    with client(hq_engine) as http:
        _sold(http, auth, device, (number, 500_000))
        pid, first = _redeem(http, auth, number, pin, 200_000)
        assert first["approved"] and first["amount"] == 200_000 and first["balance"] == 300_000
        assert first["auth_code"].startswith("GC-")
        _, again = _redeem(http, auth, number, pin, 200_000, pid)
        assert again == first
        r = http.post("/v1/payments/gift-cards/redeem", headers=auth, json={
            "payment_id": pid, "card": number, "pin": pin, "amount": 1_000,
            "currency": "VND"})
        assert r.status_code == 409 and "already used" in r.json()["detail"]
        assert _balance(http, auth, number, pin).json()["balance"] == 300_000
        _, short = _redeem(http, auth, number, pin, 300_001)
        assert short["approved"] is False and short["decline"] == "insufficient_balance"
        assert short["reason"].startswith("not enough balance") and short["balance"] == 300_000
        usd = http.post("/v1/payments/gift-cards/redeem", headers=auth, json={
            "payment_id": str(uuid.uuid4()), "card": number, "pin": pin, "amount": 1,
            "currency": "USD"})
        assert usd.json()["decline"] == "currency"
    with hq_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(GiftCardEntry).where(
            GiftCardEntry.kind == "redeem")).scalar() == 1


def _device(engine, auth) -> AuthenticatedDevice:
    device_id = auth["Authorization"].split()[1].split(".")[0]
    with engine.connect() as conn:
        store_id, code = conn.execute(text("SELECT store_id, device_code FROM devices "
                                           "WHERE id = :i"), {"i": device_id}).one()
    return AuthenticatedDevice(device_id, store_id, code, "tablet")


def test_two_tills_spending_the_same_balance_at_once_one_is_refused(hq_engine):
    """Two redemptions of 200,000 from a 300,000 card, started together on two threads,
    each in its own transaction: exactly one is approved."""
    device, auth = payment_store(hq_engine)
    [(number, pin)] = _cards(hq_engine)
    with client(hq_engine) as http:
        _sold(http, auth, device, (number, 300_000))
    me = _device(hq_engine, auth)
    start, answers = threading.Barrier(2), []

    def spend():
        start.wait()
        with hq_engine.begin() as conn:
            answers.append(gift_cards.redeem(conn, me, str(uuid.uuid4()), number, pin,
                                             200_000, "VND"))
    threads = [threading.Thread(target=spend) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a.approved for a in answers) == [False, True]
    refused = next(a for a in answers if not a.approved)
    assert refused.decline == "insufficient_balance"
    assert refused.reason == "not enough balance: 100000 VND available, 200000 VND asked"
    with hq_engine.connect() as conn:
        assert gift_cards.pl.balance(conn, gift_cards.LEDGER, number) == 100_000


def test_a_redemption_waits_for_the_row_lock_of_another_on_postgresql(hq_engine):
    """Deterministic: till A's redemption holds the card's row lock (its transaction still
    open); till B's must wait for it (PostgreSQL reports B waiting on a lock), and after A
    commits B sees A's debit and is refused."""
    if hq_engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises whole write transactions")
    device, auth = payment_store(hq_engine)
    [(number, pin)] = _cards(hq_engine)
    with client(hq_engine) as http:
        _sold(http, auth, device, (number, 300_000))
    me = _device(hq_engine, auth)
    conn_a = hq_engine.connect()
    tx_a = conn_a.begin()
    a = gift_cards.redeem(conn_a, me, str(uuid.uuid4()), number, pin, 200_000, "VND")
    assert a.approved and a.balance == 100_000
    answers = []

    def till_b():
        with hq_engine.begin() as conn:
            answers.append(gift_cards.redeem(conn, me, str(uuid.uuid4()), number, pin,
                                             200_000, "VND"))
    b = threading.Thread(target=till_b)
    b.start()
    with hq_engine.connect() as watcher:
        wait_for(lambda: watcher.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()")).scalar(), what="till B waiting on the lock")
    assert answers == []
    tx_a.commit()
    conn_a.close()
    b.join()
    assert answers[0].approved is False and answers[0].decline == "insufficient_balance"
    assert answers[0].balance == 100_000


# --- void --------------------------------------------------------------------------------------
def test_a_void_after_a_crash_credits_back_once_and_the_payment_id_is_spent(hq_engine):
    device, auth = payment_store(hq_engine)
    [(number, pin)] = _cards(hq_engine)
    with client(hq_engine) as http:
        _sold(http, auth, device, (number, 500_000))
        pid, approved = _redeem(http, auth, number, pin, 200_000)
        assert approved["balance"] == 300_000
        # the till crashed before its sale committed: its recovery voids the payment
        void = http.post("/v1/payments/gift-cards/void", headers=auth,
                         json={"payment_id": pid, "card": number})
        assert void.status_code == 200, void.text
        assert void.json() == {"payment_id": pid, "credited": 200_000, "balance": 500_000}
        again = http.post("/v1/payments/gift-cards/void", headers=auth,
                          json={"payment_id": pid, "card": number})
        assert again.json() == void.json()
        _, late = _redeem(http, auth, number, pin, 200_000, pid)
        assert late["approved"] is False and late["decline"] == "voided"
        # the request was lost before HQ saw it: the void comes first, a late copy is refused
        lost = str(uuid.uuid4())
        first = http.post("/v1/payments/gift-cards/void", headers=auth,
                          json={"payment_id": lost, "card": number}).json()
        assert first == {"payment_id": lost, "credited": 0, "balance": 500_000}
        _, late = _redeem(http, auth, number, pin, 100_000, lost)
        assert late["decline"] == "voided"
        assert _balance(http, auth, number, pin).json()["balance"] == 500_000


# --- blocking and PINs -------------------------------------------------------------------------
def test_a_blocked_card_is_refused_with_a_specific_message(hq_engine):
    device, auth = payment_store(hq_engine)
    [(number, pin)] = _cards(hq_engine)
    with client(hq_engine) as http:
        _sold(http, auth, device, (number, 500_000))
        r = http.post(f"/v1/admin/gift-cards/{number}/block", headers=ADMIN,
                      json={"reason": "reported stolen"})
        assert r.status_code == 200 and r.json()["state"] == "blocked"
        assert http.post(f"/v1/admin/gift-cards/{number}/block",
                         json={}).status_code == 401
        _, refused = _redeem(http, auth, number, pin, 10_000)
        assert refused == {"payment_id": refused["payment_id"], "approved": False, "amount": 0,
                           "currency": "VND", "balance": None, "auth_code": None,
                           "decline": "blocked",
                           "reason": "this gift card is blocked: reported stolen"}
        assert _balance(http, auth, number, pin).json()["state"] == "blocked"
        r = http.post(f"/v1/admin/gift-cards/{number}/unblock", headers=ADMIN)
        assert r.json()["state"] == "active"
        assert _redeem(http, auth, number, pin, 10_000)[1]["approved"]


def test_wrong_pins_lock_the_card_until_hq_unlocks_it(hq_engine):
    device, auth = payment_store(hq_engine)
    [(number, pin)] = _cards(hq_engine)
    wrong = "123456" if pin != "123456" else "654321"
    with client(hq_engine) as http:
        _sold(http, auth, device, (number, 500_000))
        for _ in range(gift_cards.MAX_PIN_FAILURES):
            _, answer = _redeem(http, auth, number, wrong, 1_000)
            assert answer["decline"] == "wrong_pin" and answer["balance"] is None
        _, answer = _redeem(http, auth, number, pin, 1_000)  # even the right PIN now
        assert answer["decline"] == "pin_locked"
        assert _balance(http, auth, number, pin).status_code == 403
        http.post(f"/v1/admin/gift-cards/{number}/unblock", headers=ADMIN)
        assert _redeem(http, auth, number, pin, 1_000)[1]["approved"]


def test_hq_it_makes_cards_over_the_admin_api(hq_engine):
    payment_store(hq_engine)
    with client(hq_engine) as http:
        r = http.post("/v1/admin/gift-cards", headers=ADMIN,
                      json={"count": 3, "currency": "VND", "pin_digits": 4})
        assert http.post("/v1/admin/gift-cards", json={"count": 1, "currency": "VND"}
                         ).status_code == 401
    cards = r.json()["cards"]
    assert len({c["number"] for c in cards}) == 3
    assert all(len(c["pin"]) == 4 and c["pin"].isdigit() for c in cards)
    with hq_engine.connect() as conn:
        hashes = conn.execute(text("SELECT pin_hash FROM gift_cards")).scalars().all()
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert not any(c["pin"] in h for c in cards for h in hashes)


# --- gift card tenders in ingested sales -------------------------------------------------------
def test_a_sale_paid_by_an_authorised_gift_card_is_accepted_and_recorded(hq_engine):
    device, auth = payment_store(hq_engine)
    [(number, pin)] = _cards(hq_engine)
    chain = chain_for_device(device)
    with client(hq_engine) as http:
        _sold(http, auth, device, (number, 500_000))
        pid, approved = _redeem(http, auth, number, pin, 150_000)
        ev = sale_event(chain, payments=[
            {"id": pid, "tender": "gift_card", "amount": 150_000, "reference": number,
             "auth_code": approved["auth_code"]}, cash(49_000)])
        assert push(http, auth, ev)[0]["status"] == "accepted"
        forged = sale_event(chain, payments=[
            {"tender": "gift_card", "amount": 199_000, "reference": number,
             "auth_code": "GC-0000000000"}])
        missing = sale_event(chain, payments=[
            {"tender": "gift_card", "amount": 199_000, "reference": number}])
        results = push(http, auth, forged, missing)
    assert results[0]["status"] == "quarantined"
    assert "no authorisation at HQ for payment id" in results[0]["reason"]
    assert results[1]["status"] == "quarantined"
    assert "neither authorised by HQ (auth_code) nor marked offline" in results[1]["reason"]
    with hq_engine.connect() as conn:
        rows = conn.execute(select(SaleTender.tender, SaleTender.reference,
                                   SaleTender.offline, SaleTender.amount)).all()
        assert rows == [("gift_card", number, 0, 150_000)]
        assert gift_cards.pl.balance(conn, gift_cards.LEDGER, number) == 350_000


def test_offline_gift_card_payments_are_recorded_and_overdrafts_and_limits_flagged(hq_engine):
    device, auth = payment_store(hq_engine, **LIMITS)
    [(number, pin), (other, _)] = _cards(hq_engine, 2)
    chain = chain_for_device(device)
    with client(hq_engine) as http:
        _sold(http, auth, device, (number, 250_000), (other, 100_000))

        def offline(amount, card):
            quantities = (amount // 199_000,)
            return sale_event(chain, quantities=quantities, payments=[
                {"tender": "gift_card", "amount": 199_000 * quantities[0], "reference": card,
                 "offline": True}])
        within = offline(199_000, number)  # within the card's balance and the limits
        over = offline(199_000, number)  # the card overdrawn, over the per-card cap
        unknown = offline(199_000, new_gift_card_number())  # a card HQ never made
        results = push(http, auth, within, over, unknown)
        again = push(http, auth, within, over)
    assert [r["status"] for r in results] == ["accepted"] * 3
    assert [r["status"] for r in again] == ["duplicate"] * 2
    with hq_engine.connect() as conn:
        flags = conn.execute(select(SaleFlag.sale_id, SaleFlag.kind, SaleFlag.detail)
                             .order_by(SaleFlag.id)).all()
        balance = gift_cards.pl.balance(conn, gift_cards.LEDGER, number)
        offline_entries = conn.execute(select(GiftCardEntry.id).where(
            GiftCardEntry.kind == "offline_redeem")).scalars().all()
    by_sale = {}
    for sale_id, kind, detail in flags:
        by_sale.setdefault(sale_id, []).append(kind)
    sale = lambda ev: ev.payload["sale"]["id"]  # noqa: E731
    assert sale(within) not in by_sale
    assert sorted(by_sale[sale(over)]) == ["gift_card_overdraft", "offline_limit"]
    # the third offline sale of the day passes the device's 400,000 as well
    assert sorted(by_sale[sale(unknown)]) == ["gift_card_unknown", "offline_limit"]
    assert balance == 250_000 - 2 * 199_000
    assert len(offline_entries) == 2
    overdraft = next(json.loads(d) for s, k, d in flags if k == "gift_card_overdraft")
    assert overdraft["balance_after"] == -148_000


def test_a_gift_card_sale_of_an_unknown_card_is_kept_and_flagged(hq_engine):
    device, auth = payment_store(hq_engine)
    with client(hq_engine) as http:
        ev = _sold(http, auth, device, (new_gift_card_number(), 100_000))
        flags = http.get("/v1/admin/sale-flags", headers=ADMIN).json()["items"]
    assert [(f["kind"], f["sale_id"]) for f in flags] == [("gift_card_unknown",
                                                            ev.payload["sale"]["id"])]
