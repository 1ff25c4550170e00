"""Checkout against a real SQLite file: one durable transaction, gapless chained receipts."""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from pos_app.basket import Basket
from pos_app.db.engine import make_engine
from pos_app.journal import GENESIS, ChainRecord, verify_chain
from pos_app.pricing import Discount, DiscountKind
from pos_app.services.checkout import CheckoutError, complete_sale
from pos_app.services.outbox_view import outbox_overview
from pos_app.services.till import TillService
from pos_app.tenders import Payment, TenderType, cash_payment
from tests.pos_app.approved_tenders import approved_card
from tests.pos_app.fixture_catalog import USD_STORE, VND_STORE, load_items

SALE_TABLES = ("sales", "sale_lines", "payments", "journal", "outbox", "audit_log")


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in SALE_TABLES}


def journal_records(engine, device_id: str) -> list[ChainRecord]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT seq, prev_hash, hash, payload FROM journal"
                                 " WHERE device_id = :d ORDER BY seq"), {"d": device_id})
        return [ChainRecord(*r) for r in rows]


def basket_of(engine, ctx, *skus: str) -> Basket:
    items = load_items(engine, ctx)
    basket = Basket(ctx.currency, ctx.tax_mode)
    for sku in skus:
        basket.add(items[sku])
    return basket


def sell(engine, ctx, clock, *skus: str, sale_id: str | None = None):
    snap = basket_of(engine, ctx, *skus).snapshot()
    pay = cash_payment(snap.priced.total, snap.priced.total)
    return complete_sale(engine, ctx, snap, (pay,), VND_STORE.cashier_id, clock,
                         sale_id=sale_id)


def test_complete_sale_writes_everything_for_the_sale(device_db, clock):
    engine, ctx = device_db
    basket = basket_of(engine, ctx, "ASM-TRG-M", "ASM-TRG-M", "TUI-BE")  # 2 x 199.000 + 150.000
    snap = basket.snapshot()
    assert snap.priced.total == 548_000
    sale_id = str(uuid.uuid4())
    card = approved_card(engine, clock, sale_id, 300_000, "VND", reference="tok_abc",
                         masked_pan="**** 4242", auth_code="A1B2C3")
    cash = cash_payment(248_000, 250_000)

    done = complete_sale(engine, ctx, snap, (card, cash), VND_STORE.cashier_id, clock,
                         sale_id=sale_id)

    assert done.seq == 1
    assert done.receipt_no == "HCM1-T02-000001"
    assert done.total == 548_000 and done.change == 2_000 and done.currency == "VND"
    assert done.opens_drawer
    assert done.created_at == "2025-03-14T09:26:53.589793Z"
    with engine.connect() as conn:
        sale = conn.execute(text(
            "SELECT device_id, store_id, seq, receipt_no, associate_id, currency, tax_mode,"
            " subtotal, discount_total, tax_total, total, created_at FROM sales WHERE id = :id"),
            {"id": done.sale_id}).one()
        assert tuple(sale) == (VND_STORE.device_id, VND_STORE.store_id, 1, "HCM1-T02-000001",
                               VND_STORE.cashier_id, "VND", "inclusive", 548_000, 0,
                               36_182 + 11_111, 548_000, "2025-03-14T09:26:53.589793Z")
        lines = conn.execute(text(
            "SELECT line_no, sku, name, variant_label, quantity, unit_price, amount, tax_code,"
            " tax_rate_ppm, tax FROM sale_lines WHERE sale_id = :id ORDER BY line_no"),
            {"id": done.sale_id}).all()
        assert [tuple(r) for r in lines] == [
            (1, "ASM-TRG-M", "Áo sơ mi lụa", "Trắng / M", 2, 199_000, 398_000, "VAT10",
             100_000, 36_182),
            (2, "TUI-BE", "Túi vải canvas", "Be", 1, 150_000, 150_000, "VAT8", 80_000, 11_111),
        ]
        pays = conn.execute(text(
            "SELECT tender, amount, tendered, change, masked_pan, auth_code FROM payments"
            " WHERE sale_id = :id ORDER BY tender"), {"id": done.sale_id}).all()
        assert [tuple(p) for p in pays] == [
            ("card", 300_000, 300_000, 0, "**** 4242", "A1B2C3"),
            ("cash", 248_000, 250_000, 2_000, None, None),
        ]
        journal = conn.execute(text(
            "SELECT device_id, seq, kind, ref_id, prev_hash, hash FROM journal")).all()
        assert [tuple(j) for j in journal] == [
            (VND_STORE.device_id, 1, "sale", done.sale_id, GENESIS, done.journal_hash)]
        outbox = conn.execute(text("SELECT topic, status, attempts FROM outbox")).all()
        assert [tuple(o) for o in outbox] == [("sale.completed", "pending", 0)]
    assert counts(engine)["audit_log"] == 0  # no exception was approved on this sale


def test_receipt_numbers_are_gapless_and_the_chain_verifies(device_db, clock):
    engine, ctx = device_db
    receipts = []
    for i in range(7):
        clock.advance(seconds=-30 if i == 4 else 45)  # a clock jumping back reorders nothing
        receipts.append(sell(engine, ctx, clock, "DAM-DO-S"))
    assert [r.seq for r in receipts] == list(range(1, 8))
    assert [r.receipt_no for r in receipts] == [f"HCM1-T02-{n:06d}" for n in range(1, 8)]
    records = journal_records(engine, ctx.device_id)
    assert [r.seq for r in records] == list(range(1, 8))
    assert records[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(records, records[1:]))
    assert [r.hash for r in records] == [r.journal_hash for r in receipts]
    assert verify_chain(records) == []


def test_tampering_with_a_journal_payload_is_detected(device_db, clock):
    engine, ctx = device_db
    for _ in range(4):
        sell(engine, ctx, clock, "QJ-XANH-32")
    with engine.begin() as conn:
        changed = conn.execute(text("UPDATE journal SET payload = replace(payload, :a, :b)"
                                    " WHERE seq = 2"),
                               {"a": '"total":350000', "b": '"total":35000'})
        assert changed.rowcount == 1
    problems = verify_chain(journal_records(engine, ctx.device_id))
    assert [(p.seq, p.problem) for p in problems] == [(2, "tampered")]


def test_a_deleted_journal_record_shows_as_a_gap_and_a_break(device_db, clock):
    engine, ctx = device_db
    for _ in range(4):
        sell(engine, ctx, clock, "QJ-XANH-32")
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM journal WHERE seq = 3"))
    problems = verify_chain(journal_records(engine, ctx.device_id))
    assert [(p.seq, p.problem) for p in problems] == [(4, "gap"), (4, "break")]


def test_empty_basket_is_refused_and_writes_nothing(device_db, clock):
    engine, ctx = device_db
    sell(engine, ctx, clock, "ASM-TRG-L")
    before = counts(engine)
    snap = Basket(ctx.currency, ctx.tax_mode).snapshot()
    with pytest.raises(CheckoutError, match="The basket is empty"):
        complete_sale(engine, ctx, snap, (), VND_STORE.cashier_id, clock)
    assert counts(engine) == before


@pytest.mark.parametrize("paid", [548_000 - 1, 548_000 + 1, 0])
def test_payments_not_matching_the_total_are_refused_and_write_nothing(device_db, clock, paid):
    engine, ctx = device_db
    sell(engine, ctx, clock, "ASM-TRG-L")
    before = counts(engine)
    snap = basket_of(engine, ctx, "ASM-TRG-M", "ASM-TRG-M", "TUI-BE").snapshot()
    payments = (Payment(TenderType.CASH, amount=paid, tendered=paid),) if paid else ()
    with pytest.raises(CheckoutError, match=r"do not match the total \(548000\)"):
        complete_sale(engine, ctx, snap, payments, VND_STORE.cashier_id, clock)
    assert counts(engine) == before
    # the next good sale still takes the next number: a refused sale burns no receipt number
    assert sell(engine, ctx, clock, "TUI-BE").seq == 2


def test_a_zero_or_negative_payment_is_refused(device_db, clock):
    engine, ctx = device_db
    snap = basket_of(engine, ctx, "TUI-BE").snapshot()
    payments = (Payment(TenderType.CASH, amount=160_000, tendered=160_000),
                Payment(TenderType.CARD, amount=-10_000, tendered=-10_000))
    with pytest.raises(CheckoutError, match="more than zero"):
        complete_sale(engine, ctx, snap, payments, VND_STORE.cashier_id, clock)
    assert counts(engine)["sales"] == 0


def test_a_failure_inside_the_transaction_rolls_back_the_whole_sale(device_db, clock):
    """If the last write (outbox) fails, the sale, lines, payments and journal vanish too."""
    engine, ctx = device_db
    sell(engine, ctx, clock, "ASM-TRG-M")
    before = counts(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TRIGGER outbox_full BEFORE INSERT ON outbox"
                          " BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END"))
    with pytest.raises(DBAPIError, match="disk full"):
        sell(engine, ctx, clock, "DAM-DO-S")
    assert counts(engine) == before
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER outbox_full"))
    assert sell(engine, ctx, clock, "DAM-DO-S").seq == 2
    assert verify_chain(journal_records(engine, ctx.device_id)) == []


def test_retry_with_the_same_sale_id_does_not_duplicate(device_db, clock):
    engine, ctx = device_db
    sale_id = "0b6c7f52-3f0e-4a77-9d0b-5c7e1f000001"
    first = sell(engine, ctx, clock, "DAM-DO-S", sale_id=sale_id)
    clock.advance(seconds=5)
    again = sell(engine, ctx, clock, "DAM-DO-S", sale_id=sale_id)
    assert (again.sale_id, again.seq, again.receipt_no, again.total, again.created_at,
            again.journal_hash) == (first.sale_id, first.seq, first.receipt_no, first.total,
                                    first.created_at, first.journal_hash)
    assert not again.opens_drawer  # the drawer already opened for this sale
    assert counts(engine) == {"sales": 1, "sale_lines": 1, "payments": 1, "journal": 1,
                              "outbox": 1, "audit_log": 0}
    assert sell(engine, ctx, clock, "DAM-DO-S").seq == 2


def test_approved_discount_and_override_are_audited_with_the_approver(device_db, clock):
    engine, ctx = device_db
    basket = basket_of(engine, ctx, "DAM-DO-S", "ASM-TRG-M", "TUI-BE")
    dress, shirt, _tote = basket.lines
    basket.override_price(dress.line_id, 399_000, approved_by=VND_STORE.manager_id)
    basket.set_line_discount(shirt.line_id, Discount(DiscountKind.PERCENT, 3000, "damaged seam",
                                                     approved_by=VND_STORE.manager_id))
    basket.set_basket_discount(Discount(DiscountKind.AMOUNT, 10_000, "loyal customer",
                                        approved_by=VND_STORE.manager_id))
    snap = basket.snapshot()
    # 399.000 + (199.000 - 59.700) + 150.000 - 10.000
    assert snap.priced.total == 678_300
    done = complete_sale(engine, ctx, snap, (cash_payment(678_300, 700_000),),
                         VND_STORE.cashier_id, clock)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT action, actor_id, approved_by, ref_id, detail, at"
                                 " FROM audit_log ORDER BY action")).all()
        sale = conn.execute(text("SELECT discount_total, basket_discount_reason,"
                                 " basket_discount_approved_by FROM sales")).one()
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("basket_discount", VND_STORE.cashier_id, VND_STORE.manager_id, done.sale_id),
        ("line_discount", VND_STORE.cashier_id, VND_STORE.manager_id, done.sale_id),
        ("price_override", VND_STORE.cashier_id, VND_STORE.manager_id, done.sale_id),
    ]
    details = {r[0]: json.loads(r[4]) for r in rows}
    assert details["price_override"] == {"sku": "DAM-DO-S", "list": 459_000, "new": 399_000}
    assert details["line_discount"] == {"sku": "ASM-TRG-M", "amount": 59_700,
                                        "reason": "damaged seam"}
    assert details["basket_discount"] == {"amount": 10_000, "reason": "loyal customer"}
    assert all(r[5] == done.created_at for r in rows)
    assert tuple(sale) == (69_700, "loyal customer", VND_STORE.manager_id)


def test_an_unapproved_small_discount_writes_no_audit_row(device_db, clock):
    engine, ctx = device_db
    basket = basket_of(engine, ctx, "TUI-BE")
    basket.set_basket_discount(Discount(DiscountKind.PERCENT, 500, "loyalty"))
    snap = basket.snapshot()
    complete_sale(engine, ctx, snap, (cash_payment(snap.priced.total, 200_000),),
                  VND_STORE.cashier_id, clock)
    assert counts(engine)["audit_log"] == 0


def test_writer_connection_is_wal_with_full_durability(device_db):
    engine, _ctx = device_db
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_reader_engine_cannot_write(device_db):
    engine, _ctx = device_db
    reader = make_engine(engine.url.database, readonly=True)
    try:
        with reader.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.execute(text("SELECT count(*) FROM variants")).scalar_one() == 5
            with pytest.raises(DBAPIError):
                conn.execute(text("DELETE FROM variants"))
    finally:
        reader.dispose()


def _floats_in(value, path="$") -> list[str]:
    if isinstance(value, float):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _floats_in(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _floats_in(v, f"{path}[{i}]")]
    return []


def test_float_walker_finds_nested_floats():
    assert _floats_in({"a": [1, {"b": 2.5}], "c": 3}) == ["$.a[1].b"]


def test_outbox_event_carries_the_journal_hash_and_integer_money_only(usd_device_db, clock):
    engine, ctx = usd_device_db
    items = load_items(engine, ctx)
    basket = Basket(ctx.currency, ctx.tax_mode)
    basket.add(items["TOTE-NAT"])
    basket.add(items["SOCK-WOOL"], 3)
    basket.set_basket_discount(Discount(DiscountKind.PERCENT, 1250, "friends & family"))
    snap = basket.snapshot()
    # 1000 + 3 x 1299 = 4897; 12.5 % off = 612.125 -> 612; 4285 x 8.875 % = 380.29 -> 380
    assert (snap.priced.basket_discount, snap.priced.tax_total, snap.priced.total) == (
        612, 380, 4_665)
    done = complete_sale(engine, ctx, snap, (cash_payment(4_665, 5_000),),
                         USD_STORE.cashier_id, clock)
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT payload FROM outbox")).scalar_one()
        journal_payload, journal_hash = conn.execute(
            text("SELECT payload, hash FROM journal")).one()
    event = json.loads(raw)
    assert _floats_in(event) == []
    assert _floats_in(json.loads(journal_payload)) == []
    assert event["journal"] == {"seq": 1, "prev_hash": GENESIS, "hash": journal_hash}
    assert journal_hash == done.journal_hash
    sale = event["sale"]
    assert sale == json.loads(journal_payload)  # HQ receives what was chained
    assert (sale["id"], sale["receipt_no"], sale["currency"], sale["tax_mode"]) == (
        done.sale_id, "NYC1-T01-000001", "USD", "exclusive")
    assert (sale["subtotal"], sale["discount_total"], sale["tax_total"], sale["total"]) == (
        4_897, 612, 380, 4_665)
    assert sale["tax"] == [{"code": "SALES", "rate_ppm": 88_750, "base": 4_285, "tax": 380}]
    assert [(ln["sku"], ln["quantity"], ln["amount"], ln["tax"]) for ln in sale["lines"]] == [
        ("TOTE-NAT", 1, 875, 78), ("SOCK-WOOL", 3, 3_410, 302)]
    assert sale["payments"][0]["change"] == 335
    money_keys = ("subtotal", "discount_total", "tax_total", "total")
    assert all(type(sale[k]) is int for k in money_keys)
    assert all(type(ln[k]) is int for ln in sale["lines"]
               for k in ("list_price", "unit_price", "line_discount", "basket_discount",
                         "tax", "amount", "tax_rate_ppm"))


def test_checkpoint_after_a_sale_empties_the_write_ahead_log(device_db, clock):
    """The till folds the WAL into the database between sales, so no commit pays for it."""
    engine, ctx = device_db
    reader = make_engine(engine.url.database, readonly=True)
    till = TillService(ctx, engine, reader, clock)
    sale = sell(engine, ctx, clock, VND_STORE.variants[0].sku)
    wal = Path(f"{engine.url.database}-wal")
    assert wal.stat().st_size > 0  # the sale sits in the log
    busy, log_pages, done = till.checkpoint()
    assert busy == 0 and log_pages > 0 and done == log_pages
    with reader.connect() as conn:  # and the sale is in the database file for every reader
        assert conn.execute(text("SELECT receipt_no FROM sales")).scalar_one() == sale.receipt_no
    reader.dispose()


def test_outbox_overview_lists_quarantined_first_then_pending(device_db, clock):
    engine, ctx = device_db
    first = sell(engine, ctx, clock, VND_STORE.variants[0].sku)
    second = sell(engine, ctx, clock, VND_STORE.variants[1].sku)
    with engine.begin() as conn:  # HQ refused the second one
        conn.execute(text("UPDATE outbox SET status = 'quarantined', last_error = 'chain break'"
                          " WHERE position = 2"))
    view = outbox_overview(engine)
    assert (view.pending, view.quarantined, view.sent) == (1, 1, 0)
    assert [(r.receipt_no, r.status, r.last_error) for r in view.rows] == [
        (second.receipt_no, "quarantined", "chain break"), (first.receipt_no, "pending", None)]
    assert view.rows[1].total == first.total
