"""Loyalty on the till: the earn estimate equals HQ's rule, the loyalty tender and its offline
limit, the pending-redemption ledger (property: order and retries never change the balance)."""
from __future__ import annotations

import random
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from hq.services import loyalty as hq_loyalty
from pos_app import loyalty
from pos_app.basket import Basket
from pos_app.loyalty import LiveBalance, LoyaltyError
from pos_app.services import loyalty_ledger, profile_cache
from pos_app.services.checkout import CheckoutError, complete_sale
from pos_app.services.clienteling import ClienteleService
from pos_app.tenders import TenderType, cash_payment
from tests.pos_app.clienteling_samples import profile_json
from tests.pos_app.fixture_catalog import VND_STORE, load_items

CASHIER = VND_STORE.cashier_id


@settings(max_examples=300, deadline=None)
@given(amount=st.integers(min_value=-10**6, max_value=10**12),
       currency=st.sampled_from(sorted(hq_loyalty.POINT_UNIT_MINOR)))
def test_earn_estimate_is_hqs_rule(amount, currency):
    assert loyalty.points_for(amount, currency) == hq_loyalty.points_for(amount, currency)


def test_same_currencies_and_unknown_currency_refused_alike():
    assert loyalty.POINT_UNIT_MINOR == hq_loyalty.POINT_UNIT_MINOR
    for rule in (loyalty.points_for, hq_loyalty.points_for):
        with pytest.raises(ValueError, match="no earn rule"):
            rule(10_000, "EUR")


@pytest.fixture
def till(device_db, clock):
    engine, ctx = device_db
    return engine, ctx, ClienteleService(ctx, engine, engine, clock), load_items(engine, ctx)


def cache(engine, customer_id, balance, entry_ids=(), as_of="2025-03-14T09:00:00.000000Z"):
    with engine.begin() as conn:
        profile_cache.store_profile(conn, profile_json(customer_id, balance=balance,
                                                       entry_ids=tuple(entry_ids), as_of=as_of),
                                    "2025-03-14T09:00:00.000000Z")


def sell_with_points(engine, ctx, service, items, customer_id, points, live, clock):
    basket = Basket(ctx.currency, ctx.tax_mode, customer_id=customer_id)
    basket.add(items["DAM-DO-S"])  # 459.000 ₫
    snap = basket.snapshot()
    pay = service.loyalty_payment(customer_id, points, live, due=snap.priced.total)
    rest = snap.priced.total - pay.amount
    return complete_sale(engine, ctx, snap, (pay, cash_payment(rest, rest)), CASHIER, clock)


def test_offline_redemption_within_limit_accepted_above_refused(till, clock):
    engine, ctx, service, items = till
    cid = str(uuid.uuid4())
    cache(engine, cid, balance=5_000)
    allowed = service.redeemable(cid, None)
    assert (allowed.max_points, allowed.offline_limit_left) == (2_000, 2_000)
    sale = sell_with_points(engine, ctx, service, items, cid, 1_500, None, clock)
    assert sale.points_earned == 459_000 // 10_000
    with engine.connect() as conn:
        row = conn.execute(text("SELECT points, offline, booked, store_day FROM"
                                " loyalty_redemptions")).one()
        tender = conn.execute(text("SELECT tender, amount, reference FROM payments WHERE"
                                   " tender = 'loyalty'")).one()
    assert tuple(row) == (1_500, 1, 0, "2025-03-14")
    assert tuple(tender) == ("loyalty", 150_000, "1500 pts")
    with pytest.raises(LoyaltyError, match="Offline, at most 500 more points"):
        service.loyalty_payment(cid, 600, None)
    assert service.loyalty_payment(cid, 500, None).offline
    clock.advance(days=1)  # a new store day: the offline limit starts again
    assert service.redeemable(cid, None).max_points == 2_000
    with pytest.raises(LoyaltyError, match="Only 3500 points are available"):
        service.loyalty_payment(cid, 3_600, None)  # over the balance net of pending


def test_online_balance_minus_redemptions_hq_has_not_booked(till, clock):
    engine, ctx, service, items = till
    cid = str(uuid.uuid4())
    sale = sell_with_points(engine, ctx, service, items, cid, 1_000,
                            LiveBalance(9_000, frozenset()), clock)
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT id FROM loyalty_redemptions")).scalar()
    assert sale.points_earned == 45
    assert service.redeemable(cid, LiveBalance(9_000, frozenset())).max_points == 8_000
    assert service.redeemable(cid, LiveBalance(8_000, frozenset({pid}))).max_points == 8_000
    with pytest.raises(LoyaltyError, match="Only 8000 points"):
        service.loyalty_payment(cid, 8_001, LiveBalance(8_000, frozenset({pid})))
    cache(engine, cid, balance=8_000, entry_ids=[pid])  # HQ's profile books it
    assert service.redeemable(cid, None).pending == 0


def test_redeeming_needs_a_customer_and_a_known_balance(till, clock):
    engine, ctx, service, items = till
    with pytest.raises(LoyaltyError, match="Attach the customer"):
        service.loyalty_payment(None, 100, None)
    with pytest.raises(LoyaltyError, match="profile is saved"):
        service.loyalty_payment(str(uuid.uuid4()), 100, None)
    basket = Basket(ctx.currency, ctx.tax_mode)
    basket.add(items["TUI-BE"])
    snap = basket.snapshot()
    pay = service.loyalty_payment(str(uuid.uuid4()), 1_000, LiveBalance(2_000, frozenset()))
    rest = snap.priced.total - pay.amount  # 150.000 ₫ - 100.000 ₫ in points
    with pytest.raises(CheckoutError, match="needs the customer attached"):
        complete_sale(engine, ctx, snap, (pay, cash_payment(rest, rest)), CASHIER, clock)
    assert pay.tender is TenderType.LOYALTY is TenderType.LOYALTY_POINTS


# --- property: the device's pending-redemption ledger ------------------------------------------
@settings(max_examples=40, deadline=None)
@given(st.data())
def test_any_order_and_retries_of_loyalty_events_give_the_same_balance(tmp_path_factory,
                                                                       _template_dbs, data):
    """Redemptions r1..rn are made on the till; HQ publishes profiles p0..pn (pk books
    r1..rk, balance falls accordingly). Whatever order the profiles arrive in, however often,
    interleaved with the redemptions (each recorded, maybe retried, before a profile that
    books it can exist), the points the till offers equal HQ's final truth."""
    import shutil

    from pos_app.db.engine import make_engine

    path = tmp_path_factory.mktemp("ledger") / "d.db"
    shutil.copyfile(_template_dbs["vnd"], path)
    engine = make_engine(path)
    try:
        cid = str(uuid.uuid4())
        points = data.draw(st.lists(st.integers(1, 500), min_size=1, max_size=6))
        ids = [str(uuid.uuid4()) for _ in points]
        start = 10_000
        booked_upto = data.draw(st.integers(0, len(points)))
        profiles = [profile_json(cid, balance=start - sum(points[:k]),
                                 entry_ids=tuple(ids[:k]),
                                 as_of=f"2025-03-14T09:{k:02d}:00.000000Z")
                    for k in range(booked_upto + 1)]
        steps = [("record", i) for i in range(len(points))]
        steps += [("profile", k) for k in range(len(profiles))]
        steps += data.draw(st.lists(st.sampled_from(steps), max_size=8))  # retries
        order = data.draw(st.permutations(steps))
        # a profile booking r_i cannot precede r_i's commit: move each record before them
        first_record = {}
        for pos, (kind, n) in enumerate(order):
            if kind == "record":
                first_record.setdefault(n, pos)
        fixed = sorted(order, key=lambda s: (
            min([order.index(s)] + [first_record[i] - 0.5 for i in range(len(ids))
                                    if s[0] == "profile" and i < s[1]])
            if s[0] == "profile" else order.index(s)))
        for kind, n in fixed:
            with engine.begin() as conn:
                if kind == "record":
                    loyalty_ledger.record_redemptions(conn, "sale-" + ids[n], cid,
                                                      [(ids[n], points[n], True)],
                                                      "2025-03-14T09:00:00Z", "2025-03-14")
                else:
                    profile_cache.store_profile(conn, profiles[n], "2025-03-14T10:00:00Z")
        with engine.connect() as conn:
            balance = profile_cache.read_profile(conn, cid)["loyalty"]["balance"]
            pending = loyalty_ledger.pending_points(conn, cid)
        assert balance - pending == start - sum(points)
        assert pending == sum(points[booked_upto:])
    finally:
        engine.dispose()
