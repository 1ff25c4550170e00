"""HQ checks the payments of every sale it ingests (hq/services/payments.py), on SQLite and
PostgreSQL: no card number is ever stored, tenders are known and consistent, and VietQR
tenders name an intent HQ confirmed or a manager accepted offline."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from hq.db.models.payments import SaleTender, TransferIntent
from hq.db.models.sales import Event, SaleFlag
from sync.protocol_payments import pan_like
from tests.hq.helpers import chain_for
from tests.hq.payment_helpers import (ADMIN, bank_content, cash, client, credit_body,
                                      payment_store, post_credit, push, register_intent,
                                      sale_event)

PAN = "4111 1111 1111 1111"  # a test card number: Luhn-valid


def _stored_payload(engine, event_id) -> str:
    with engine.connect() as conn:
        return conn.execute(select(Event.payload).where(Event.id == event_id)).scalar_one()


@pytest.mark.parametrize("where", ["reference", "masked_pan", "line note", "auth_code int"])
def test_a_possible_card_number_anywhere_quarantines_the_sale_and_is_never_stored(hq_engine,
                                                                                  where):
    device, auth = payment_store(hq_engine)
    chain = chain_for(device)

    def put(doc):
        if where == "reference":
            doc["payments"][0]["reference"] = f"terminal said {PAN}"
        elif where == "masked_pan":
            doc["payments"][0]["masked_pan"] = PAN.replace(" ", "-")
        elif where == "line note":
            doc["lines"][0]["note"] = "customer card " + PAN.replace(" ", "")
        else:
            doc["payments"][0]["auth_code"] = int(PAN.replace(" ", ""))
    with client(hq_engine) as http:
        ev = sale_event(chain, payments=[{"tender": "card", "amount": 199_000,
                                          "masked_pan": "**** 1111", "auth_code": "A1"}],
                        mutate=put)
        [result] = push(http, auth, ev)
        quarantine = http.get("/v1/admin/quarantine", headers=ADMIN).json()["events"]
    assert result["status"] == "quarantined"
    assert "could be a full card number" in result["reason"]
    assert not pan_like(result["reason"]) and not pan_like(str(quarantine))
    stored = _stored_payload(hq_engine, ev.id)
    assert not pan_like(stored) and "[card number removed]" in stored
    for written in (PAN, PAN.replace(" ", ""), PAN.replace(" ", "-")):
        assert written not in stored


def test_card_tenders_keep_a_masked_pan_and_product_codes_are_not_card_numbers(hq_engine):
    device, auth = payment_store(hq_engine)
    chain = chain_for(device)

    def gtin_sku(doc):  # an EAN-13 that happens to pass the Luhn check too
        doc["lines"][0]["barcode"] = "4006381333931"
    with client(hq_engine) as http:
        ok = sale_event(chain, payments=[{"tender": "card", "amount": 199_000,
                                          "masked_pan": "**** 1111", "auth_code": "A1B2C3",
                                          "reference": "psp-8816"}], mutate=gtin_sku)
        bad = sale_event(chain, payments=[{"tender": "card", "amount": 199_000,
                                           "masked_pan": "411111******1111"}])
        results = push(http, auth, ok, bad)
    assert results[0]["status"] == "accepted", results[0]
    assert results[1]["status"] == "quarantined"
    assert 'keeps only a masked PAN such as "**** 1234"' in results[1]["reason"]
    with hq_engine.connect() as conn:
        assert conn.execute(select(SaleTender.tender, SaleTender.amount)).all() == [
            ("card", 199_000)]


@pytest.mark.parametrize("payments, reason", [
    ([{"tender": "cheque", "amount": 199_000}], "unknown tender 'cheque'"),
    ([{"tender": "card", "amount": 199_000, "tendered": 200_000, "change": 1_000}],
     "only cash gives change"),
    ([{"tender": "cash", "amount": 199_000, "tendered": 100_000}],
     "cash tendered 100000 is less than the amount 199000"),
    ([{"tender": "cash", "amount": 199_000, "tendered": 200_000, "change": 5}],
     "change 5 is not tendered 200000 less amount 199000"),
    ([{"tender": "gift_card", "amount": 199_000, "reference": "G123456789012",
       "offline": True}], "check digit is wrong"),
])
def test_inconsistent_tenders_are_quarantined_with_the_reason(hq_engine, payments, reason):
    device, auth = payment_store(hq_engine)
    with client(hq_engine) as http:
        [result] = push(http, auth, sale_event(chain_for(device), payments=payments))
    assert result["status"] == "quarantined" and reason in result["reason"], result


def test_cash_with_change_is_accepted(hq_engine):
    device, auth = payment_store(hq_engine)
    with client(hq_engine) as http:
        [result] = push(http, auth, sale_event(chain_for(device), payments=[
            {"tender": "cash", "amount": 199_000, "tendered": 500_000, "change": 301_000}]))
    assert result["status"] == "accepted", result


def test_vietqr_tenders_name_a_confirmed_or_accepted_intent(hq_engine):
    device, auth = payment_store(hq_engine, vietqr_offline_max_per_device_day=300_000)
    chain = chain_for(device)
    qr = lambda intent_id, **extra: {  # noqa: E731
        "tender": "qr_transfer", "amount": 199_000, "intent_id": intent_id, **extra}
    with client(hq_engine) as http:
        confirmed, _ = register_intent(http, auth, device, 199_000)
        post_credit(http, credit_body(1, 199_000, bank_content(confirmed)))
        pending, _ = register_intent(http, auth, device, 199_000)
        offline_new = str(uuid.uuid4())  # never registered: the till was offline throughout
        credit_first = str(uuid.uuid4())  # its credit reached HQ before the sale did
        post_credit(http, credit_body(2, 199_000, bank_content(credit_first)))
        events = [sale_event(chain, payments=[qr(confirmed)]),
                  sale_event(chain, payments=[qr(pending)]),
                  sale_event(chain, payments=[qr(offline_new, offline_approved_by="M01")]),
                  sale_event(chain, payments=[qr(credit_first, offline_approved_by="M01")]),
                  sale_event(chain, payments=[qr(str(uuid.uuid4()))]),
                  sale_event(chain, payments=[qr(confirmed)]),
                  sale_event(chain, quantities=(2,), payments=[
                      {**qr(pending), "amount": 398_000}])]
        results = push(http, auth, *events)
        late = post_credit(http, credit_body(3, 199_000, bank_content(offline_new))).json()
    assert [r["status"] for r in results] == ["accepted"] * 4 + ["quarantined", "accepted",
                                                                 "quarantined"]
    assert "no transfer intent" in results[4]["reason"]
    assert "not the transfer intent's 199000" in results[6]["reason"]
    with hq_engine.connect() as conn:
        flags = {(sid, kind) for sid, kind in conn.execute(select(SaleFlag.sale_id,
                                                                  SaleFlag.kind))}
        states = dict(conn.execute(select(TransferIntent.id, TransferIntent.state)).all())
    sale = lambda i: events[i].payload["sale"]["id"]  # noqa: E731
    assert flags == {(sale(1), "qr_transfer_unconfirmed"),
                     (sale(3), "offline_limit"),  # 2 x 199,000 accepted offline today
                     (sale(5), "qr_transfer_reused")}
    assert states[credit_first] == "confirmed"  # by the credit already stored
    assert late["outcome"] == "confirmed" and late["intent_id"] == offline_new
    assert states[pending] == "pending"


def test_a_gift_card_line_with_a_bad_number_is_quarantined(hq_engine):
    device, auth = payment_store(hq_engine)
    with client(hq_engine) as http:
        [result] = push(http, auth, sale_event(chain_for(device),
                                               gift_cards=[("G123456789012", 100_000)]))
    assert result["status"] == "quarantined" and "check digit" in result["reason"]


def test_a_cash_only_push_reads_nothing_of_payments(hq_engine):
    """The ingest budget: a push of cash sales makes no payment query at all."""
    from sqlalchemy import event

    device, auth = payment_store(hq_engine)
    chain = chain_for(device)
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)
    event.listen(hq_engine, "before_cursor_execute", count)
    try:
        with client(hq_engine) as http:
            results = push(http, auth, *[sale_event(chain, payments=[cash(199_000)])
                                         for _ in range(3)])
    finally:
        event.remove(hq_engine, "before_cursor_execute", count)
    assert [r["status"] for r in results] == ["accepted"] * 3
    touched = " ".join(statements)
    for table in ("transfer_intents", "gift_card", "store_credit", "sale_tenders"):
        assert table not in touched, table


# --- the card number rule itself (sync.protocol_payments) --------------------------------------
from hypothesis import given, settings, strategies as st  # noqa: E402
from stdnum import luhn  # noqa: E402

from sync.protocol_payments import pan_like_path, redact_pans  # noqa: E402


@st.composite
def card_numbers(draw):
    body = draw(st.text("0123456789", min_size=12, max_size=18))
    number = body + luhn.calc_check_digit(body)
    sep = draw(st.sampled_from(["", " ", "-"]))
    return sep.join(number[i:i + 4] for i in range(0, len(number), 4))


@settings(deadline=None, max_examples=300)
@given(card_numbers(), st.sampled_from(["", "card ", "ref: ", "x/"]),
       st.sampled_from(["", " ok", ".", ")"]))
def test_every_luhn_valid_number_is_found_and_removed_wherever_it_is(number, before, after):
    doc = {"sale": {"lines": [{"note": before + number + after}], "id": str(uuid.uuid4())}}
    assert pan_like(before + number + after)
    assert pan_like_path(doc) == "sale.lines[0].note"
    assert pan_like_path(redact_pans(doc)) is None


@settings(deadline=None, max_examples=300)
@given(st.uuids(), st.integers(min_value=0, max_value=10**12 - 1))
def test_ids_hashes_times_and_money_are_not_card_numbers(an_id, amount):
    doc = {"id": str(an_id), "ids": [str(an_id).upper()], "amount": amount * 10**6,
           "hash": uuid.UUID(int=an_id.int).hex * 2, "created_at": "2026-12-07T10:00:00.000000Z",
           "note": f"see sale {an_id} for {amount}"}
    assert pan_like_path(doc) is None and redact_pans(doc) is doc
