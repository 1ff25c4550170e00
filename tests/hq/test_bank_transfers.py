"""VietQR bank transfers at HQ, on SQLite and PostgreSQL: the till's intent, the bank's signed
credit notification, the matching, and what is kept for reconciliation."""
from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from hq.api.payments import sign
from hq.db.models.payments import BankCredit, TransferIntent
from hq.services import bank_transfers
from tests.hq.helpers import OTHER_STORE_ID, enrol_device, make_store
from tests.hq.payment_helpers import (ACCOUNT, ADMIN, SECRET, bank_content, client,
                                      credit_body, payment_store, post_credit, register_intent)

AMOUNT = 349_000


def _credits(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(BankCredit).order_by(BankCredit.id)
                                              ).mappings()]


def test_a_signed_credit_confirms_the_intent_and_the_till_sees_it(hq_engine, caplog):
    device, auth = payment_store(hq_engine)
    with client(hq_engine) as http:
        intent_id, r = register_intent(http, auth, device, AMOUNT)
        assert r.status_code == 200, r.text
        assert r.json()["state"] == "pending"
        assert http.get(f"/v1/payments/intents/{intent_id}", headers=auth
                        ).json()["state"] == "pending"
        caplog.set_level(logging.INFO, logger="hq.services.bank_transfers")
        r = post_credit(http, credit_body(92704, AMOUNT, bank_content(intent_id)))
        assert r.status_code == 200, r.text
        assert r.json() == {"success": True, "outcome": "confirmed", "intent_id": intent_id,
                            "reason": None}
        seen = http.get(f"/v1/payments/intents/{intent_id}", headers=auth).json()
    assert seen["state"] == "confirmed" and seen["bank_transaction_id"] == "92704"
    assert seen["confirmed_at"] and seen["amount"] == AMOUNT
    # logged by transaction id, never with the payer's name or the account
    assert "92704" in caplog.text and "NGUYEN" not in caplog.text and ACCOUNT not in caplog.text


@pytest.mark.parametrize("how", ["missing", "wrong secret", "tampered body", "not hex",
                                 "no secret at HQ"])
def test_a_bad_or_missing_signature_is_401_and_nothing_is_stored(hq_engine, how):
    device, auth = payment_store(hq_engine)
    with client(hq_engine, secret=None if how == "no secret at HQ" else SECRET) as http:
        intent_id, _ = register_intent(http, auth, device, AMOUNT)
        raw = credit_body(1, AMOUNT, bank_content(intent_id))
        signature = {"missing": None, "wrong secret": sign(b"guessed", raw),
                     "tampered body": sign(SECRET.encode(), raw.replace(b"349000", b"349001")),
                     "not hex": "sha256=zz-not-hex", "no secret at HQ": sign(SECRET.encode(), raw)
                     }[how]
        if signature is None:
            r = post_credit(http, raw, secret=None)
        else:
            r = post_credit(http, raw, signature=signature)
        assert r.status_code == 401, r.text
        assert "signature" in r.json()["detail"] or "no webhook secret" in r.json()["detail"]
        assert r.headers["WWW-Authenticate"]
        assert http.get(f"/v1/payments/intents/{intent_id}", headers=auth
                        ).json()["state"] == "pending"
    assert _credits(hq_engine) == []


def test_the_same_bank_transaction_twice_is_stored_once_and_confirms_once(hq_engine):
    device, auth = payment_store(hq_engine)
    with client(hq_engine) as http:
        intent_id, _ = register_intent(http, auth, device, AMOUNT)
        raw = credit_body("FT2412-77", AMOUNT, bank_content(intent_id))
        first = post_credit(http, raw).json()
        again = post_credit(http, raw).json()
        # the same transaction id with another body (a service's retry is byte-equal, but
        # a replay must not confirm anything either)
        other = post_credit(http, credit_body("FT2412-77", AMOUNT, "SL000000000000")).json()
    assert first["outcome"] == "confirmed"
    assert again == {"success": True, "outcome": "duplicate", "intent_id": intent_id,
                     "reason": "this bank transaction was already received"}
    assert other["outcome"] == "duplicate"
    stored = _credits(hq_engine)
    assert len(stored) == 1 and stored[0]["intent_id"] == intent_id


@pytest.mark.parametrize("case", ["wrong amount", "unknown note", "no note",
                                  "account mismatch"])
def test_credits_that_match_nothing_are_kept_for_reconciliation(hq_engine, case, caplog):
    device, auth = payment_store(hq_engine)
    with client(hq_engine) as http:
        intent_id, _ = register_intent(http, auth, device, AMOUNT)
        amount, content, account = AMOUNT, bank_content(intent_id), ACCOUNT
        if case == "wrong amount":
            amount = AMOUNT - 1000
        elif case == "unknown note":
            content = bank_content(str(uuid.uuid4()))
        elif case == "no note":
            content = "NGUYEN VAN A chuyen tien"
        else:
            account = "9999888877"
        caplog.set_level(logging.INFO, logger="hq.services.bank_transfers")
        r = post_credit(http, credit_body(555, amount, content, account=account))
        assert r.status_code == 200, r.text
        answer = r.json()
        assert answer["outcome"] == "unmatched" and answer["intent_id"] is None
        assert http.get(f"/v1/payments/intents/{intent_id}", headers=auth
                        ).json()["state"] == "pending"
        listed = http.get("/v1/admin/payments/unmatched-credits", headers=ADMIN).json()
    expected = {"wrong amount": f"wrong amount: {AMOUNT - 1000} credited, {AMOUNT} expected",
                "unknown note": "unknown transfer note",
                "no note": "no transfer note in the content",
                "account mismatch": "credited to another account than the intent's store's"}
    assert answer["reason"] == expected[case]
    [stored] = _credits(hq_engine)
    assert (stored["bank_transaction_id"], stored["amount"], stored["intent_id"],
            stored["reason"]) == ("555", amount, None, expected[case])
    assert [c["bank_transaction_id"] for c in listed["credits"]] == ["555"]
    assert "NGUYEN" not in caplog.text and account not in caplog.text


def test_a_casso_v2_notification_is_read_the_same(hq_engine):
    device, auth = payment_store(hq_engine)
    with client(hq_engine) as http:
        intent_id, _ = register_intent(http, auth, device, AMOUNT)
        raw = json.dumps({"error": 0, "data": {
            "id": 3, "reference": "BANK_REF_ID", "description": bank_content(intent_id),
            "amount": AMOUNT, "runningBalance": 25_000_000,
            "transactionDateTime": "2026-12-07 15:34:00", "accountNumber": ACCOUNT,
            "bankName": "VPBank"}}).encode()
        assert post_credit(http, raw).json()["outcome"] == "confirmed"
        out = json.dumps({"error": 0, "data": {"id": 4, "description": "fee", "amount": -5000,
                                               "accountNumber": ACCOUNT}}).encode()
        assert post_credit(http, out).json()["outcome"] == "ignored"
        assert post_credit(http, b"[1, 2]").status_code == 422
        assert post_credit(http, b"not json").status_code == 400
    assert len(_credits(hq_engine)) == 1


def test_a_credit_that_arrived_first_confirms_the_intent_registered_later(hq_engine):
    """The till showed the QR code while offline; the bank's credit reached HQ before the
    till's intent (accepted offline by a manager: "unverified")."""
    device, auth = payment_store(hq_engine)
    intent_id = str(uuid.uuid4())
    with client(hq_engine) as http:
        early = post_credit(http, credit_body(77, AMOUNT, bank_content(intent_id))).json()
        assert early["outcome"] == "unmatched"
        _, r = register_intent(http, auth, device, AMOUNT, intent_id,
                               accepted_offline_by="M01")
        assert r.status_code == 200, r.text
        assert r.json()["state"] == "confirmed" and r.json()["bank_transaction_id"] == "77"
        assert http.get("/v1/admin/payments/unmatched-credits", headers=ADMIN
                        ).json()["credits"] == []


def test_an_unverified_intent_without_credit_is_listed_for_the_manager_after_a_day(hq_engine):
    device, auth = payment_store(hq_engine)
    with client(hq_engine) as http:
        waiting, r = register_intent(http, auth, device, AMOUNT, accepted_offline_by="M01")
        assert r.json()["state"] == "unverified"
        assert r.json()["accepted_offline_by"] == "M01"
        paid, _ = register_intent(http, auth, device, 120_000)
        _, r = register_intent(http, auth, device, 120_000, paid, accepted_offline_by="M01")
        assert r.json()["state"] == "unverified"  # pending, then accepted offline
        assert post_credit(http, credit_body(9, 120_000, bank_content(paid))
                           ).json()["outcome"] == "confirmed"  # unverified intents match too
        assert http.get("/v1/admin/payments/unverified-transfers", headers=ADMIN
                        ).json() == {"intents": []}  # not a day old yet
    later = datetime.now(timezone.utc) + timedelta(hours=25)
    with hq_engine.connect() as conn:
        overdue = bank_transfers.overdue_unverified(conn, now=later)
    assert [(i["intent_id"], i["accepted_offline_by"]) for i in overdue] == [(waiting, "M01")]


def test_registering_is_idempotent_and_refuses_a_changed_intent(hq_engine):
    device, auth = payment_store(hq_engine)
    with client(hq_engine) as http:
        intent_id, first = register_intent(http, auth, device, AMOUNT)
        _, again = register_intent(http, auth, device, AMOUNT, intent_id)
        assert again.status_code == 200 and again.json() == first.json()
        _, changed = register_intent(http, auth, device, AMOUNT + 1, intent_id)
        assert changed.status_code == 409 and "already registered" in changed.json()["detail"]
        bad_note = http.post("/v1/payments/intents", headers=auth, json={
            "intent_id": str(uuid.uuid4()), "store_id": device.store_id, "amount": 1,
            "currency": "VND", "note": "SL0123456789AB"})
        assert bad_note.status_code == 409 and "not the transfer note" in bad_note.text
        usd = register_intent(http, auth, device, AMOUNT, currency="USD")[1]
        assert usd.status_code == 409 and "not the store's" in usd.text
        no_auth = http.get(f"/v1/payments/intents/{intent_id}")
        assert no_auth.status_code == 401
    with hq_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(TransferIntent)).scalar() == 1


def test_another_store_cannot_see_or_register_into_a_store(hq_engine):
    device, auth = payment_store(hq_engine)
    make_store(hq_engine, OTHER_STORE_ID, "TST2")
    _other, other_bearer = enrol_device(hq_engine, "TST2")
    other = {"Authorization": other_bearer}
    with client(hq_engine) as http:
        intent_id, _ = register_intent(http, auth, device, AMOUNT)
        r = http.get(f"/v1/payments/intents/{intent_id}", headers=other)
        assert r.status_code == 404
        r = register_intent(http, other, device, AMOUNT)[1]  # names the first store
        assert r.status_code == 403 and "another store" in r.json()["detail"]


def test_a_cancelled_intent_is_not_confirmed_by_a_late_credit(hq_engine):
    device, auth = payment_store(hq_engine)
    with client(hq_engine) as http:
        intent_id, _ = register_intent(http, auth, device, AMOUNT)
        r = http.post(f"/v1/payments/intents/{intent_id}/cancel", headers=auth)
        assert r.status_code == 200 and r.json()["state"] == "cancelled"
        late = post_credit(http, credit_body(31, AMOUNT, bank_content(intent_id))).json()
        assert late["outcome"] == "unmatched" and late["reason"] == \
            f"intent {intent_id} is cancelled"
        paid, _ = register_intent(http, auth, device, AMOUNT)
        post_credit(http, credit_body(32, AMOUNT, bank_content(paid)))
        r = http.post(f"/v1/payments/intents/{paid}/cancel", headers=auth)
        assert r.status_code == 409 and "money arrived" in r.json()["detail"]
        twice = post_credit(http, credit_body(33, AMOUNT, bank_content(paid))).json()
        assert twice["outcome"] == "unmatched" and "paid twice?" in twice["reason"]
        # cancelled before its registration arrived (lost, or still on its way)
        early = str(uuid.uuid4())
        r = http.post(f"/v1/payments/intents/{early}/cancel", headers=auth)
        assert r.status_code == 200 and r.json()["state"] == "cancelled"
        _, late_registration = register_intent(http, auth, device, AMOUNT, early)
        assert late_registration.status_code == 200
        assert late_registration.json()["state"] == "cancelled"
        credit = post_credit(http, credit_body(34, AMOUNT, bank_content(early))).json()
        assert credit["outcome"] == "unmatched"


def test_a_store_without_a_vietqr_account_confirms_nothing(hq_engine):
    make_store(hq_engine)
    device, bearer = enrol_device(hq_engine)
    auth = {"Authorization": bearer}
    with client(hq_engine) as http:
        intent_id, _ = register_intent(http, auth, device, AMOUNT)
        r = post_credit(http, credit_body(1, AMOUNT, bank_content(intent_id))).json()
        settings = http.get("/v1/payments/settings", headers=auth).json()
    assert r["outcome"] == "unmatched" and "no VietQR account" in r["reason"]
    assert settings["vietqr_account_number"] is None
    assert settings["gift_card_offline_max_per_card"] == 0


def test_the_till_reads_its_payment_settings(hq_engine):
    _device, auth = payment_store(hq_engine, gift_card_offline_max_per_card=500_000)
    with client(hq_engine) as http:
        s = http.get("/v1/payments/settings", headers=auth).json()
    assert (s["vietqr_bank_bin"], s["vietqr_account_number"], s["vietqr_account_name"]) == \
        ("970436", ACCOUNT, "STORELINE TEST")
    assert s["gift_card_offline_max_per_card"] == 500_000
    assert s["vietqr_offline_max_per_device_day"] == 0


def test_failed_signatures_are_limited_per_address(hq_engine):
    from hq.api.app import create_app
    from hq.api.ratelimit import TokenBuckets
    from fastapi.testclient import TestClient

    payment_store(hq_engine)
    clock = [0.0]
    failures = TokenBuckets(3 / 60, 3, clock=lambda: clock[0])
    app = create_app(hq_engine, admin_token="adm", bank_webhook_secret=SECRET,
                     auth_failures=failures)
    with TestClient(app) as http:
        raw = credit_body(1, 1, "x")
        codes = [post_credit(http, raw, signature="sha256=00").status_code for _ in range(5)]
        assert codes[:3] == [401, 401, 401] and codes[-1] == 429
        # even the right signature waits while the address has spent its failures
        assert post_credit(http, raw).status_code == 429
    assert _credits(hq_engine) == []
