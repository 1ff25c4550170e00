"""Store credit at HQ, on SQLite and PostgreSQL: issued by a manager (audited, exactly once),
redeemed and voided by the tills exactly once by payment id, never beyond the balance, a
merged customer's credit found under her old id, and store credit tenders of ingested sales."""
from __future__ import annotations

import json
import threading
import uuid

from sqlalchemy import insert, select

from hq.db.models.customers import Customer, CustomerMerge
from hq.db.models.organisation import AuditLog
from hq.db.models.payments import SaleTender, StoreCreditEntry
from hq.db.models.sales import SaleFlag
from hq.services import store_credit
from hq.services.enrolment import AuthenticatedDevice
from tests.hq.helpers import chain_for
from tests.hq.payment_helpers import ADMIN, cash, client, payment_store, push, sale_event

CUSTOMER = "c0ffee00-0000-4000-8000-000000000001"
OLD_ID = "c0ffee00-0000-4000-8000-000000000002"


def _customer(engine, customer_id=CUSTOMER, merged_from=None):
    with engine.begin() as conn:
        conn.execute(insert(Customer), [{"id": customer_id, "home_store_id": None,
                                         "name": "Trần Thị Mai", "phone": None, "email": None,
                                         "loyalty_card": None, "tier": None}])
        if merged_from:
            conn.execute(insert(CustomerMerge), [{"from_id": merged_from,
                                                  "into_id": customer_id,
                                                  "at": "2026-12-01T00:00:00.000000Z"}])


def _issue(http, amount, request_id=None, customer_id=CUSTOMER, currency="VND"):
    return http.post("/v1/admin/store-credit", headers=ADMIN, json={
        "id": request_id or str(uuid.uuid4()), "customer_id": customer_id, "amount": amount,
        "currency": currency, "by": "Lê Văn Quản lý (M01)", "reason": "goodwill: late order"})


def _redeem(http, auth, amount, payment_id=None, customer_id=CUSTOMER):
    payment_id = payment_id or str(uuid.uuid4())
    r = http.post("/v1/payments/store-credit/redeem", headers=auth, json={
        "payment_id": payment_id, "customer_id": customer_id, "amount": amount,
        "currency": "VND"})
    assert r.status_code == 200, r.text
    return payment_id, r.json()


def test_a_manager_issues_credit_once_per_request_and_it_is_audited(hq_engine):
    _device, auth = payment_store(hq_engine)
    _customer(hq_engine)
    request_id = str(uuid.uuid4())
    with client(hq_engine) as http:
        first = _issue(http, 300_000, request_id)
        assert first.status_code == 200, first.text
        again = _issue(http, 300_000, request_id)
        assert again.json() == first.json() and first.json()["balance"] == 300_000
        changed = _issue(http, 1, request_id)
        assert changed.status_code == 409
        assert _issue(http, 1, currency="USD").status_code == 409
        assert _issue(http, 1, customer_id=str(uuid.uuid4())).status_code == 404
        no_token = http.post("/v1/admin/store-credit", json={})
        assert no_token.status_code == 401
        balance = http.get(f"/v1/payments/store-credit/{CUSTOMER}/balance",
                           headers=auth).json()
    assert balance == {"customer_id": CUSTOMER, "balance": 300_000, "currency": "VND"}
    with hq_engine.connect() as conn:
        audit = conn.execute(select(AuditLog.action, AuditLog.subject, AuditLog.detail)).all()
    assert [(a, s) for a, s, _ in audit] == [("store_credit.issued", CUSTOMER)]
    detail = json.loads(audit[0][2])
    assert detail["amount"] == 300_000 and detail["by"] == "Lê Văn Quản lý (M01)"
    assert detail["reason"] == "goodwill: late order"


def test_redemption_and_void_are_exactly_once_by_payment_id(hq_engine):
    _device, auth = payment_store(hq_engine)
    _customer(hq_engine)
    with client(hq_engine) as http:
        _issue(http, 300_000)
        pid, first = _redeem(http, auth, 120_000)
        assert first["approved"] and first["balance"] == 180_000
        assert first["auth_code"].startswith("SC-")
        assert _redeem(http, auth, 120_000, pid)[1] == first
        _, short = _redeem(http, auth, 180_001)
        assert short["decline"] == "insufficient_balance" and short["balance"] == 180_000
        void = http.post("/v1/payments/store-credit/void", headers=auth,
                         json={"payment_id": pid, "customer_id": CUSTOMER}).json()
        assert void == {"payment_id": pid, "credited": 120_000, "balance": 300_000}
        assert http.post("/v1/payments/store-credit/void", headers=auth, json={
            "payment_id": pid, "customer_id": CUSTOMER}).json() == void
        assert _redeem(http, auth, 120_000, pid)[1]["decline"] == "voided"
        _, none = _redeem(http, auth, 1, customer_id=str(uuid.uuid4()))
        assert none["decline"] == "no_account" and none["reason"] == \
            "this customer has no store credit"
    with hq_engine.connect() as conn:
        kinds = conn.execute(select(StoreCreditEntry.kind, StoreCreditEntry.delta)
                             .order_by(StoreCreditEntry.at, StoreCreditEntry.kind)).all()
    assert sorted(kinds) == sorted([("issue", 300_000), ("redeem", -120_000),
                                    ("void", 120_000)])


def test_two_tills_spending_the_same_credit_at_once_one_is_refused(hq_engine):
    _device, auth = payment_store(hq_engine)
    _customer(hq_engine)
    with client(hq_engine) as http:
        _issue(http, 300_000)
    device_id = auth["Authorization"].split()[1].split(".")[0]
    me = AuthenticatedDevice(device_id, _device.store_id, _device.device_code, "tablet")
    start, answers = threading.Barrier(2), []

    def spend():
        start.wait()
        with hq_engine.begin() as conn:
            answers.append(store_credit.redeem(conn, me, str(uuid.uuid4()), CUSTOMER,
                                               200_000, "VND"))
    threads = [threading.Thread(target=spend) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a.approved for a in answers) == [False, True]
    assert next(a for a in answers if not a.approved).decline == "insufficient_balance"


def test_a_merged_customers_old_id_finds_her_credit(hq_engine):
    _device, auth = payment_store(hq_engine)
    _customer(hq_engine, merged_from=OLD_ID)
    with client(hq_engine) as http:
        _issue(http, 50_000, customer_id=OLD_ID)
        balance = http.get(f"/v1/payments/store-credit/{OLD_ID}/balance", headers=auth).json()
        _, answer = _redeem(http, auth, 50_000, customer_id=OLD_ID)
    assert balance == {"customer_id": CUSTOMER, "balance": 50_000, "currency": "VND"}
    assert answer["approved"] and answer["balance"] == 0


def test_store_credit_tenders_of_ingested_sales(hq_engine):
    device, auth = payment_store(hq_engine, store_credit_offline_max_per_device_day=100_000)
    _customer(hq_engine)
    chain = chain_for(device)
    with client(hq_engine) as http:
        _issue(http, 250_000)
        pid, approved = _redeem(http, auth, 150_000)
        online = sale_event(chain, customer_id=CUSTOMER, payments=[
            {"id": pid, "tender": "store_credit", "amount": 150_000,
             "auth_code": approved["auth_code"]}, cash(49_000)])
        offline = sale_event(chain, customer_id=CUSTOMER, payments=[
            {"tender": "store_credit", "amount": 199_000, "offline": True}])
        anonymous = sale_event(chain, payments=[
            {"tender": "store_credit", "amount": 199_000, "offline": True}])
        results = push(http, auth, online, offline, anonymous)
        balance = http.get(f"/v1/payments/store-credit/{CUSTOMER}/balance",
                           headers=auth).json()
    assert [r["status"] for r in results] == ["accepted", "accepted", "quarantined"]
    assert "store credit needs the customer attached to the sale" in results[2]["reason"]
    assert balance["balance"] == 250_000 - 150_000 - 199_000
    with hq_engine.connect() as conn:
        flags = sorted(conn.execute(select(SaleFlag.kind)).scalars())
        tenders = conn.execute(select(SaleTender.reference, SaleTender.offline)
                               .order_by(SaleTender.offline)).all()
    assert flags == ["offline_limit", "store_credit_overdraft"]
    assert tenders == [(CUSTOMER, 0), (CUSTOMER, 1)]


def test_hq_it_issues_credit_from_the_command_line_once_per_request_id(tmp_path, capsys):
    from hq.cli import main
    from hq.db.engine import make_engine
    from hq.db.migrate import upgrade

    path = tmp_path / "hq.sqlite3"
    engine = make_engine(str(path))
    upgrade(engine)
    _customer(engine)
    request_id = str(uuid.uuid4())
    args = ["store-credit-issue", "--database", str(path), "--customer", CUSTOMER,
            "--amount", "75000", "--currency", "VND", "--by", "M01", "--reason", "refund",
            "--request-id", request_id]
    assert main(args) == 0 and main(args) == 0
    out = capsys.readouterr().out
    assert out.count("balance 75000") == 2
    assert main([*args[:5], "--amount", "0", *args[7:]]) == 2
    assert "amount must be between 1" in capsys.readouterr().err
    with engine.connect() as conn:
        assert store_credit.balance(conn, CUSTOMER).balance == 75_000
    engine.dispose()
