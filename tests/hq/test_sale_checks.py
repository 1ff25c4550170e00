"""HQ checks a sale against what it knows (issue 18), on both databases: variants, currency,
receipt numbers, dates, sizes and negative lines refuse (quarantine) a sale; a price far from
the catalog without approval flags it for the manager; loyalty redemption follows the amount
and HQ's point value, earn is capped by the store setting and the cap recorded."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from hq.db.models.catalog import Product
from hq.db.models.customers import LoyaltyEntry
from hq.db.models.organisation import Store
from hq.db.models.sales import Sale, SaleFlag
from hq.services import catalog, promotions
from hq.services.common import ServiceError, utc_iso
from hq.services.ingest import ingest
from hq.services.store_settings import parse_settings, settings_of, write_settings
from sync.protocol import OutboxEventIn, canonical_json, chain_hash
from sync.protocol_store_settings import StoreSettings
from tests.hq.helpers import (OTHER_STORE_ID, PRICE, STORE_ID, DeviceChain, add_variant,
                              associate_id, enrol_device, make_store, sale_doc)
from tests.hq.test_cross_store import _review_app

CUSTOMER = "cccccccc-0000-4000-8000-000000000001"


@pytest.fixture
def hq(hq_engine):
    make_store(hq_engine)
    make_store(hq_engine, OTHER_STORE_ID, "TST2")
    device, _ = enrol_device(hq_engine)
    with hq_engine.begin() as conn:
        catalog.insert_new(conn, "customer", [{
            "id": CUSTOMER, "home_store_id": STORE_ID, "name": "Mai", "phone": None,
            "email": None, "loyalty_card": None, "tier": None}], STORE_ID)
    return hq_engine, device, DeviceChain(device.id, device.store_id)


def _sale(chain: DeviceChain, mutate=None, quantities=(1,), price=None) -> OutboxEventIn:
    """The chain's next sale as a till would make it: `mutate(doc)` before hashing."""
    chain.seq += 1
    chain.position += 1
    doc = sale_doc(chain.device_id, chain.store_id, chain.seq, quantities, price)
    if mutate:
        mutate(doc)
    prev, chain.prev_hash = chain.prev_hash, chain_hash(chain.prev_hash, canonical_json(doc))
    return OutboxEventIn(id=str(uuid.uuid4()), position=chain.position, topic="sale.completed",
                         payload={"journal": {"seq": chain.seq, "prev_hash": prev,
                                              "hash": chain.prev_hash}, "sale": doc},
                         created_at=doc["created_at"])


def _push(engine, device, events):
    with engine.begin() as conn:
        return ingest(conn, device, events)


def _flags(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(
            SaleFlag.sale_id, SaleFlag.kind).order_by(SaleFlag.id))]


def _count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def _statuses(results):
    return [r.status for r in results]


def test_unknown_variants_foreign_assortments_and_other_currencies_are_quarantined(hq):
    engine, device, chain = hq
    foreign = str(uuid.uuid4())
    with engine.begin() as conn:  # TST2's own product: not sold at TST1
        catalog.insert_new(conn, "product", [{
            "id": str(uuid.uuid4()), "store_id": OTHER_STORE_ID, "style_code": "OWN",
            "name": "Own", "brand": "", "category": "tops", "tax_code": "VAT10",
            "active": 1}], OTHER_STORE_ID)
        pid = conn.execute(select(Product.id).where(
            Product.style_code == "OWN")).scalar_one()
    add_variant(engine, OTHER_STORE_ID, foreign, "OWN-1", 100_000, product_id=pid)
    unknown = str(uuid.uuid4())
    events = [
        _sale(chain, lambda d: d["lines"][0].update(variant_id=unknown)),
        _sale(chain, lambda d: d["lines"][0].update(variant_id=foreign, sku="OWN-1")),
        _sale(chain, lambda d: d.update(currency="USD")),
        _sale(chain, lambda d: d.update(currency="XXX")),
        _sale(chain, lambda d: d.update(tax_mode="exclusive")),
        _sale(chain)]
    results = _push(engine, device, events)
    assert _statuses(results) == ["quarantined"] * 5 + ["accepted"]
    assert [r.reason for r in results[:5]] == [
        f"line 1 (SKU-1): unknown variant {unknown}: not in HQ's catalog (quarantined for "
        "review)",
        f"line 1 (OWN-1): variant {foreign} is not sold in this store (quarantined for review)",
        "currency USD is not the store's (VND)", "currency XXX is not the store's (VND)",
        "tax mode exclusive is not the store's (inclusive)"]
    assert _count(engine, Sale) == 1


def test_negative_lines_bad_dates_and_oversized_sales_are_quarantined(hq):
    engine, device, chain = hq

    def negative(d):
        d["lines"][1]["amount"] = -50_000
        d.update(total=PRICE - 50_000, subtotal=PRICE - 50_000)
        d["payments"][0].update(amount=PRICE - 50_000, tendered=PRICE - 50_000)

    events = [
        _sale(chain, negative, quantities=(1, 1)),
        _sale(chain, lambda d: d.update(created_at="not a date")),
        _sale(chain, lambda d: d.update(junk="x" * 15_000_000)),
        _sale(chain, lambda d: d["lines"][0].update(note="x" * 20_000)),
        _sale(chain, quantities=(1,) * 501),
        _sale(chain)]
    results = _push(engine, device, events)
    assert _statuses(results) == ["quarantined"] * 5 + ["accepted"]
    reasons = [r.reason for r in results]
    assert reasons[0] == ("line 2 (SKU-2): negative amount -50000: a sale cannot pay money back"
                          " (returns will come as their own event)")
    assert reasons[1] == ("invalid payload: sale.created_at: not an ISO-8601 date and time "
                          "with a time zone (UTC assumed without one): 'not a date'")
    assert reasons[2].startswith("payload too large: 15,00") and reasons[2].endswith(
        "bytes of JSON (at most 262,144)")
    assert reasons[3] == ("text too long: payload.sale.lines[0].note (at most 8,192 "
                          "characters)")
    assert reasons[4].startswith("invalid payload: lines: List should have at most 500 items")
    assert _count(engine, Sale) == 1


def test_a_receipt_number_is_used_once_per_device(hq):
    engine, device, chain = hq
    first = _sale(chain)
    same_no = _sale(chain, lambda d: d.update(receipt_no="TST1-T01-000001"))
    results = _push(engine, device, [first, same_no])  # in one batch
    assert _statuses(results) == ["accepted", "quarantined"]
    sale_id = first.payload["sale"]["id"]
    assert results[1].reason == ("receipt number TST1-T01-000001 was already used by another "
                                 f"sale of this device ({sale_id})")
    for batch in ([_sale(chain, lambda d: d.update(receipt_no="TST1-T01-000001"))],
                  [_sale(chain, lambda d: d.update(receipt_no="TST1-T01-000001")),
                   _sale(chain)]):  # a later push, alone and in a batch
        assert _statuses(_push(engine, device, batch))[0] == "quarantined"
    other, _ = enrol_device(engine, name="till 2")  # another device's numbering is its own
    assert _statuses(_push(engine, other, [_sale(DeviceChain(other.id, other.store_id))])) == \
        ["accepted"]
    with engine.connect() as conn, pytest.raises(Exception, match="(?i)unique"):
        conn.execute(Sale.__table__.insert(), [{
            "id": str(uuid.uuid4()), "device_id": device.id, "store_id": STORE_ID, "seq": 99,
            "receipt_no": "TST1-T01-000001", "total": 1, "currency": "VND",
            "created_at": utc_iso()}])


def test_a_line_priced_far_from_the_catalog_is_accepted_and_flagged(hq):
    engine, device, chain = hq
    manager = associate_id(STORE_ID, "M01")
    with engine.begin() as conn:
        promotions.insert_promotions(conn, [{
            "store_id": STORE_ID, "name": "Tuần lễ áo thun", "kind": "percent_off",
            "value": 3000, "target_kind": "sku", "target": "SKU-1",
            "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2027-01-01T00:00:00Z"}])
    unpriced = str(uuid.uuid4())
    add_variant(engine, OTHER_STORE_ID, unpriced, "SKU-X", 100_000)  # priced at TST2 only

    def discounted(reason, off, approved_by=None):
        def mutate(d):
            ln = d["lines"][0]
            ln.update(line_discount=off, discount_reason=reason, amount=PRICE - off,
                      discount_approved_by=approved_by)
            d.update(total=PRICE - off, subtotal=PRICE - off)
            d["payments"][0].update(amount=PRICE - off, tendered=PRICE - off)
        return mutate

    future = utc_iso(datetime.now(timezone.utc) + timedelta(days=3))
    events = {
        "one dong": _sale(chain, price=1),
        "override": _sale(chain, lambda d: d["lines"][0].update(price_override_by=manager),
                          price=1),
        "approved": _sale(chain, discounted("hàng lỗi", 150_000, manager)),
        "promotion": _sale(chain, discounted("Tuần lễ áo thun", 59_700)),
        "unknown reason": _sale(chain, discounted("bạn bè", 59_700)),
        "small": _sale(chain, discounted("khách quen", 19_900)),
        "above": _sale(chain, price=300_000),
        "unpriced": _sale(chain, lambda d: d["lines"][0].update(variant_id=unpriced)),
        "clock ahead": _sale(chain, lambda d: d.update(created_at=future)),
    }
    before = utc_iso()
    assert _statuses(_push(engine, device, list(events.values()))) == ["accepted"] * 9
    sid = {k: e.payload["sale"]["id"] for k, e in events.items()}
    assert _flags(engine) == [(sid["one dong"], "price"), (sid["unknown reason"], "price"),
                              (sid["above"], "price"), (sid["unpriced"], "no_catalog_price"),
                              (sid["clock ahead"], "clock_ahead")]
    with engine.connect() as conn:
        reason = conn.execute(select(SaleFlag.reason).where(
            SaleFlag.sale_id == sid["one dong"])).scalar_one()
        stored_at = conn.execute(select(Sale.created_at).where(
            Sale.id == sid["clock ahead"])).scalar_one()
    assert reason == ("line 1 (SKU-1): 1 VND for 1 x 199000 VND (catalog), 198999 VND below "
                      "the catalog value with no price override or discount approval recorded")
    assert before <= stored_at <= utc_iso()  # HQ's receive time, not the device's future
    with engine.begin() as conn:  # a stricter store: 10 % unapproved is flagged too
        write_settings(conn, STORE_ID, price_flag_tolerance_bp=500)
    small = _sale(chain, discounted("khách quen", 19_900))
    _push(engine, device, [small])
    assert _flags(engine)[-1] == (small.payload["sale"]["id"], "price")
    client = _review_app(engine)
    admin = {"Authorization": "Bearer adm"}
    page = client.get("/v1/admin/sale-flags", params={"store": "TST1", "kind": "price",
                                                      "limit": 3}, headers=admin).json()
    assert [i["sale_id"] for i in page["items"]] == [
        small.payload["sale"]["id"], sid["above"], sid["unknown reason"]]
    item = page["items"][2]
    assert (item["receipt_no"], item["store_code"], item["currency"], item["device_id"],
            item["detail"]["catalog_price"], item["detail"]["gap"]) == (
        events["unknown reason"].payload["sale"]["receipt_no"], "TST1", "VND", device.id,
        PRICE, 59_700)
    rest = client.get("/v1/admin/sale-flags", params={
        "store": STORE_ID, "kind": "price", "before": page["next_before"]}, headers=admin).json()
    assert [i["sale_id"] for i in rest["items"]] == [sid["one dong"]]
    assert client.get("/v1/admin/sale-flags", params={"store": "TST2"},
                      headers=admin).json()["items"] == []
    assert client.get("/v1/admin/sale-flags").status_code == 401


def _loyalty_sale(chain, price, pay_points_amount=0, reference=None):
    def mutate(d):
        d["customer_id"] = CUSTOMER
        if pay_points_amount:
            cash = d["total"] - pay_points_amount
            d["payments"] = [p for p in [
                {**d["payments"][0], "amount": cash, "tendered": cash} if cash else None,
                {"id": str(uuid.uuid4()), "tender": "loyalty", "amount": pay_points_amount,
                 "tendered": pay_points_amount, "change": 0, "reference": reference,
                 "masked_pan": None, "auth_code": None}] if p]
    return _sale(chain, mutate, price=price)


def _ledger(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(
            LoyaltyEntry.reason, LoyaltyEntry.delta).order_by(LoyaltyEntry.reason,
                                                              LoyaltyEntry.delta))]


def test_redemption_follows_the_amount_and_earn_is_capped_by_the_store(hq):
    """The reported cases: a loyalty tender with reference "0 pts" spent no points for
    149,000 VND; a made-up 10^12 VND sale credited 100,000,000 points."""
    engine, device, chain = hq
    free = _loyalty_sale(chain, 149_000, pay_points_amount=149_000, reference="0 pts")
    huge = _loyalty_sale(chain, 10**12)
    assert _statuses(_push(engine, device, [free, huge])) == ["accepted"] * 2
    assert _ledger(engine) == [("earn", 14), ("earn", 10_000), ("redeem", -1_490)]
    with engine.connect() as conn:
        capped = conn.execute(select(SaleFlag.reason, SaleFlag.detail).where(
            SaleFlag.kind == "earn_capped")).one()
    assert capped.reason == ("earned 10,000 points, the store's most per sale (the sale would "
                             "have earned 100,000,000)")
    assert json.loads(capped.detail) == {"cap": 10_000, "uncapped": 100_000_000}
    with engine.begin() as conn:
        write_settings(conn, STORE_ID, max_points_per_sale=50)
    odd = _loyalty_sale(chain, 900_000, pay_points_amount=1, reference="999999 pts")
    assert _statuses(_push(engine, device, [odd])) == ["accepted"]  # the per-event path
    assert _ledger(engine)[:3] == [("earn", 14), ("earn", 50), ("earn", 10_000)]
    assert ("redeem", -1) in _ledger(engine)  # ceil(1 / 100): one point, not 999,999
    assert [k for _, k in _flags(engine)].count("earn_capped") == 2


def test_store_settings_have_documented_defaults_and_are_validated(hq):
    engine, _, _ = hq
    with engine.begin() as conn:
        assert settings_of(conn, STORE_ID) == StoreSettings()
        assert settings_of(conn, STORE_ID).max_points_per_sale == 10_000
        assert (StoreSettings().manager_pin_min_length,
                StoreSettings().associate_pin_min_length) == (6, 4)
        write_settings(conn, STORE_ID, max_points_per_sale=500)
        write_settings(conn, STORE_ID, price_flag_tolerance_bp=100)
        both = settings_of(conn, STORE_ID)
        assert (both.max_points_per_sale, both.price_flag_tolerance_bp) == (500, 100)
        with pytest.raises(ServiceError, match="invalid store settings"):
            write_settings(conn, STORE_ID, manager_pin_min_length=2)
        with pytest.raises(ServiceError, match="unknown store setting"):
            write_settings(conn, STORE_ID, no_such_thing=1)
        raw = conn.execute(select(Store.settings).where(
            Store.id == STORE_ID)).scalar_one()
        assert json.loads(raw) == {"max_points_per_sale": 500, "price_flag_tolerance_bp": 100}
        assert settings_of(conn, OTHER_STORE_ID) == StoreSettings()  # "{}": every default
    assert parse_settings("{not json") == StoreSettings()
    assert parse_settings('{"max_points_per_sale": -1}') == StoreSettings()
    assert parse_settings('{"from_a_newer_hq": 1, "max_points_per_sale": 7}'
                          ).max_points_per_sale == 7
