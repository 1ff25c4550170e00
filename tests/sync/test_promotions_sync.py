"""HQ promotions at the till, against the real HQ app on loopback (SQLite, demo company): the
snapshot brings the store's promotions (not another store's); a scanned item gets the best
active one as its line discount with the promotion's name as the reason; an expired, future,
inactive or other-store promotion does not apply; the completed sale's totals, tax, journal
and HQ's copy agree; a deletion at HQ reaches the till through the feed.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from hq.db.engine import make_engine as make_hq_engine
from hq.db.migrate import upgrade
from hq.demo.seed import seed_demo
from hq.services.enrolment import create_enrolment_code
from hq.services.promotions import delete_promotion, publish_promotion
from pos_app.basket import Basket
from pos_app.db.engine import make_engine
from pos_app.journal import ChainRecord, verify_chain
from pos_app.pricing import Discount, DiscountKind
from pos_app.promotions import find_promotions
from pos_app.services.till import TillService
from pos_app.tenders import cash_payment
from sync import change_puller
from sync.enrolment import enrol_device
from sync.hq_client import HQClient
from sync.outbox_pusher import push_once
from tests.pos_app.conftest import FixedClock
from tests.sync.test_live_lookup import ThreadedHQ
from tests.waiting import PATIENT_HTTP

TODAY = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)  # the demo's "today"
JACKETS = "Khuyến mãi áo khoác -20%"


def promo(pid: int, store_id: str | None, name: str, kind: str, value: int, target_kind: str,
          target: str, starts: str = "2026-01-01T00:00:00Z", ends: str = "2027-01-01T00:00:00Z",
          active: int = 1) -> dict:
    return {"id": f"eeeeeeee-0000-4000-8000-{pid:012d}", "store_id": store_id, "name": name,
            "kind": kind, "value": value, "target_kind": target_kind, "target": target,
            "starts_at": starts, "ends_at": ends, "active": active}


@pytest.fixture
def till(tmp_path):
    """(hq engine, device engine, client, TillService, the jacket variant, its clock at TODAY):
    the HCM1 device enrolled from the snapshot, after HQ added promotions that must not win."""
    hq = make_hq_engine(f"sqlite:///{tmp_path / 'hq.db'}")
    upgrade(hq)
    seed_demo(hq)
    with hq.begin() as conn:
        stores = dict(conn.execute(text("SELECT code, id FROM stores")).all())
        jacket = conn.execute(text(
            "SELECT v.id, v.sku, p.id AS product_id, b.code, pr.amount_minor FROM variants v"
            " JOIN products p ON p.id = v.product_id JOIN barcodes b ON b.variant_id = v.id"
            " JOIN prices pr ON pr.variant_id = v.id AND pr.store_id = p.store_id"
            " WHERE p.store_id = :s AND p.category = 'Áo khoác' ORDER BY v.id LIMIT 1"),
            {"s": stores["HCM1"]}).mappings().one()
        hcm, nyc = stores["HCM1"], stores["NYC1"]
        for row in (  # none of these may beat the demo's 20 % on the jacket
            promo(1, hcm, "Expired 90%", "percent_off", 9000, "sku", jacket["sku"],
                  "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
            promo(2, hcm, "Future 90%", "percent_off", 9000, "product", jacket["product_id"],
                  "2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z"),
            promo(3, hcm, "Paused 90%", "percent_off", 9000, "category", "Áo khoác",
                  active=0),
            promo(4, nyc, "Other store 90%", "percent_off", 9000, "sku", jacket["sku"]),
            promo(5, None, "Small 1.000₫", "amount_off", 1000, "sku", jacket["sku"]),
        ):
            publish_promotion(conn, row)
        code = create_enrolment_code(conn, "HCM1", 10)[0]
    server = ThreadedHQ(hq).start()
    device = make_engine(tmp_path / "till.db")
    client = HQClient(server.url, timeout=PATIENT_HTTP)
    ctx = enrol_device(device, client, code, "Tablet")
    clock = FixedClock(TODAY)
    service = TillService(ctx, device, device, clock)
    yield hq, device, client, service, dict(jacket), clock
    server.stop()
    device.dispose()
    hq.dispose()


def test_a_scanned_item_gets_the_best_promotion_and_the_sale_adds_up(till):
    hq, device, client, service, jacket, _clock = till
    with device.connect() as conn:
        names = set(conn.execute(text("SELECT name FROM promotions")).scalars())
    assert names == {JACKETS, "Giảm 50.000₫ chân váy", "Expired 90%", "Future 90%",
                     "Paused 90%", "Small 1.000₫"}  # never the other store's

    scan = service.lookup_scan(jacket["code"])
    assert scan.item is not None and scan.item.sku == jacket["sku"]
    assert {p.name for p in scan.item.promotions} == {JACKETS, "Small 1.000₫"}
    basket = Basket(service.ctx.currency, service.ctx.tax_mode)
    line = basket.add(scan.item)
    price = jacket["amount_minor"]
    assert line.discount == Discount(DiscountKind.PERCENT, 2000, JACKETS)  # no approver
    assert line.promotion is not None and line.promotion.name == JACKETS
    line = basket.add(scan.item)  # the same item again: one line of 2, still 20 % off
    assert len(basket.lines) == 1 and line.quantity == 2 and line.discount.value == 2000
    off = (price * 2 * 2000 + 5000) // 10_000  # pricing's HALF-UP rule
    assert basket.priced().line_discounts == off
    assert basket.priced().total == price * 2 - off

    # the associate's own discount replaces it; taking that away brings the promotion back
    basket.set_line_discount(line.line_id, Discount(DiscountKind.AMOUNT, 5000, "Damaged"))
    assert basket.lines[0].promotion is None and basket.lines[0].discount.reason == "Damaged"
    basket.set_line_discount(line.line_id, None)
    assert basket.lines[0].discount.reason == JACKETS

    snap = basket.snapshot()
    done = service.complete_sale(snap, (cash_payment(snap.priced.total, snap.priced.total),),
                                 service.associates()[0].id)
    with device.connect() as conn:
        sale = conn.execute(text("SELECT subtotal, discount_total, tax_total, total FROM sales"
                                 " WHERE id = :id"), {"id": done.sale_id}).one()
        sale_line = conn.execute(text(
            "SELECT quantity, unit_price, line_discount, discount_reason, discount_approved_by,"
            " tax, amount FROM sale_lines WHERE sale_id = :id"), {"id": done.sale_id}).one()
        records = [ChainRecord(*r) for r in conn.execute(text(
            "SELECT seq, prev_hash, hash, payload FROM journal ORDER BY seq"))]
        audits = conn.execute(text("SELECT count(*) FROM audit_log WHERE ref_id = :id"),
                              {"id": done.sale_id}).scalar_one()
    assert tuple(sale_line) == (2, price, off, JACKETS, None, snap.priced.tax_total,
                                price * 2 - off)
    assert sale.total == done.total == price * 2 - off and sale.discount_total == off
    assert sale.tax_total == snap.priced.tax_total
    assert verify_chain(records) == [] and records[-1].hash == done.journal_hash
    with device.connect() as conn:
        payload = json.loads(conn.execute(text("SELECT payload FROM journal WHERE ref_id = :id"),
                                          {"id": done.sale_id}).scalar_one())
    assert JACKETS in json.dumps(payload, ensure_ascii=False)  # the reason is in the record
    assert audits == 0  # an automatic promotion needs no approval, so none is recorded

    outcome = push_once(device, client)  # HQ validates and accepts the sale as it is
    assert outcome.sent == 1 and outcome.quarantined == 0, outcome
    with hq.connect() as conn:
        assert conn.execute(text("SELECT total FROM sales WHERE id = :id"),
                            {"id": done.sale_id}).scalar_one() == price * 2 - off


def test_expiry_and_a_deletion_at_hq_stop_the_promotion(till):
    hq, device, client, service, jacket, clock = till
    clock.moment = datetime(2027, 3, 1, 0, 0, tzinfo=timezone.utc)  # every one has ended
    expired = service.lookup_scan(jacket["code"]).item
    assert expired.promotions == ()
    assert Basket(service.ctx.currency, service.ctx.tax_mode).add(expired).discount is None

    clock.moment = TODAY
    with hq.begin() as conn:
        demo_id = conn.execute(text("SELECT id FROM promotions WHERE name = :n"),
                               {"n": JACKETS}).scalar_one()
        delete_promotion(conn, demo_id, None)
    assert change_puller.pull_once(device, client) >= 1
    item = service.lookup_scan(jacket["code"]).item
    assert [p.name for p in item.promotions] == ["Small 1.000₫"]  # the one left
    line = Basket(service.ctx.currency, service.ctx.tax_mode).add(item, 3)
    assert line.discount == Discount(DiscountKind.AMOUNT, 3000, "Small 1.000₫")  # per unit
    searched = service.search(jacket["sku"])
    assert searched and searched[0].promotions == item.promotions


def test_the_lookup_is_one_indexed_query(till):
    _hq, device, _client, service, jacket, _clock = till
    with device.connect() as conn:
        pk = conn.execute(text("SELECT pk FROM variants WHERE id = :id"),
                          {"id": jacket["id"]}).scalar_one()
        plan = " ".join(r[-1] for r in conn.execute(text(
            "EXPLAIN QUERY PLAN SELECT pr.id FROM variants v JOIN products p"
            " ON p.pk = v.product_pk JOIN promotions pr ON (pr.target_kind = 'product' AND"
            " pr.target = p.id) OR (pr.target_kind = 'category' AND pr.target = p.category)"
            " OR (pr.target_kind = 'sku' AND pr.target = v.sku) WHERE v.pk = :pk"),
            {"pk": pk}))
        found = find_promotions(conn, service.ctx.store_id, [pk], "2026-11-20T10:00:00.000000Z")
    assert "ix_promotions_target" in plan, plan
    assert {p.name for p in found[pk]} == {JACKETS, "Small 1.000₫"}
