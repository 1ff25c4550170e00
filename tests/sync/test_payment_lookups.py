"""The till's payment calls (sync/hq_client.py) against a real `pos-hq serve` on loopback:
the bank's signed webhook confirms a VietQR intent and the till's live look-up sees it; gift
cards made by `pos-hq gift-cards`, loaded by a pushed sale, redeemed, voided and blocked; the
store's payment settings."""
from __future__ import annotations

import uuid

import pytest
import requests

from hq.api.app import BANK_WEBHOOK_SECRET_ENV
from hq.api.payments import SIGNATURE_HEADER, WEBHOOK_PATH, sign
from hq.child_process import HQChild
from hq.db.engine import make_engine
from hq.db.migrate import upgrade
from hq.services.enrolment import create_enrolment_code
from hq.services.store_settings import write_settings
from pos_app.payments.transfer_note import transfer_note
from sync.hq_client import HQClient, HQRejected
from sync.protocol_payments import TransferIntentIn, normalise_gift_card
from tests.hq.helpers import STORE_ID, DeviceChain, make_store
from tests.hq.payment_helpers import ACCOUNT, bank_content, credit_body, sale_event
from tests.waiting import PATIENT_HTTP, wait_for

SECRET = "loopback-webhook-secret-4f1d2c"


@pytest.fixture
def hq_and_till(tmp_path, monkeypatch):
    """A real HQ (SQLite) with a VietQR store and its webhook secret, and an enrolled till's
    client."""
    url = f"sqlite:///{tmp_path / 'hq.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    make_store(engine)
    with engine.begin() as conn:
        write_settings(conn, STORE_ID, vietqr_bank_bin="970436", vietqr_account_number=ACCOUNT,
                       vietqr_account_name="STORELINE TEST")
        code, _ = create_enrolment_code(conn, "TST1", 10)
    engine.dispose()
    monkeypatch.setenv(BANK_WEBHOOK_SECRET_ENV, SECRET)
    server = HQChild(url, "loopback-admin-token").start()
    till = HQClient(server.url, timeout=PATIENT_HTTP, lookup_timeout=PATIENT_HTTP)
    try:
        enrolled = till.enrol(code, "Till 1", request_id=str(uuid.uuid4()))
        till.set_credentials(enrolled.device_id, enrolled.device_secret)
        yield server, till, enrolled
    finally:
        till.close()
        server.stop()


def _webhook(server: HQChild, raw: bytes, signature: str | None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if signature:
        headers[SIGNATURE_HEADER] = signature
    return requests.post(server.url + WEBHOOK_PATH, data=raw, headers=headers,
                         timeout=PATIENT_HTTP)


def test_a_bank_credit_at_hq_reaches_the_tills_look_up(hq_and_till):
    server, till, enrolled = hq_and_till
    intent_id = str(uuid.uuid4())
    intent = till.register_transfer_intent(TransferIntentIn(
        intent_id=intent_id, store_id=enrolled.store_id, amount=349_000, currency="VND",
        note=transfer_note(intent_id)))
    assert intent.state == "pending"
    assert till.transfer_intent(intent_id).state == "pending"
    raw = credit_body(8816, 349_000, bank_content(intent_id))
    assert _webhook(server, raw, None).status_code == 401
    assert _webhook(server, raw, sign(b"not-the-secret", raw)).status_code == 401
    assert till.transfer_intent(intent_id).state == "pending"
    r = _webhook(server, raw, sign(SECRET.encode(), raw))
    assert r.status_code == 200 and r.json()["outcome"] == "confirmed", r.text
    seen = wait_for(lambda: (i := till.transfer_intent(intent_id)).state == "confirmed" and i,
                    what="the till seeing the intent confirmed")
    assert seen.bank_transaction_id == "8816" and seen.amount == 349_000
    assert _webhook(server, raw, sign(SECRET.encode(), raw)).json()["outcome"] == "duplicate"
    with pytest.raises(HQRejected) as refused:
        till.cancel_transfer_intent(intent_id)
    assert refused.value.status == 409
    with pytest.raises(HQRejected) as unknown:
        till.transfer_intent(str(uuid.uuid4()))
    assert unknown.value.status == 404
    settings = till.payment_settings()
    assert (settings.vietqr_bank_bin, settings.vietqr_account_number) == ("970436", ACCOUNT)


def test_gift_cards_made_at_hq_are_loaded_redeemed_voided_and_blocked(hq_and_till):
    server, till, enrolled = hq_and_till
    printed = server.cli("gift-cards", "--count", "2", "--currency", "VND")
    cards = [line.split("\t") for line in printed.strip().splitlines()]
    assert len(cards) == 2 and all(len(pin) == 6 for _, pin in cards)
    card, pin = normalise_gift_card(cards[0][0]), cards[0][1]
    assert till.gift_card_balance(card, pin).state == "inactive"
    chain = DeviceChain(enrolled.device_id, enrolled.store_id)
    sold = sale_event(chain, gift_cards=[(card, 500_000)])
    assert till.push([sold]).results[0].status == "accepted"
    assert till.gift_card_balance(card, pin).balance == 500_000
    payment_id = str(uuid.uuid4())
    approved = till.redeem_gift_card(payment_id, card, pin, 200_000, "VND")
    assert approved.approved and approved.balance == 300_000
    assert till.redeem_gift_card(payment_id, card, pin, 200_000, "VND") == approved
    voided = till.void_gift_card(payment_id, card)
    assert voided.credited == 200_000 and voided.balance == 500_000
    out = server.cli("gift-card-block", card, "--reason", "reported lost")
    assert "blocked" in out
    refused = till.redeem_gift_card(str(uuid.uuid4()), card, pin, 1_000, "VND")
    assert refused.decline == "blocked" and refused.reason == \
        "this gift card is blocked: reported lost"
    with pytest.raises(HQRejected) as wrong:
        till.gift_card_balance(card, "000000" if pin != "000000" else "111111")
    assert wrong.value.status == 403 and wrong.value.reason == "wrong PIN"
    assert "active" in server.cli("gift-card-unblock", card)
    assert till.redeem_gift_card(str(uuid.uuid4()), card, pin, 1_000, "VND").approved
