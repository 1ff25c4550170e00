"""Builders for the payment tests: a store that takes VietQR, a signed bank notification, sale
events with the payments and gift card lines a till would send (sync/protocol_payments.py).

Sale events are chained and hashed like tests/hq/helpers.py DeviceChain makes them, so HQ
verifies them as it would a device's.
"""
from __future__ import annotations

import json
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from hq.api.app import create_app
from hq.api.payments import SIGNATURE_HEADER, WEBHOOK_PATH, sign
from hq.services.store_settings import write_settings
from pos_app.payments.transfer_note import transfer_note
from sync.protocol import OutboxEventIn, canonical_json, chain_hash
from sync.protocol_payments import GIFT_CARD_SKU
from tests.hq.helpers import STORE_ID, DeviceChain, enrol_device, make_store, sale_doc

SECRET = "test-webhook-secret-0123456789"
ACCOUNT = "0071000888999"
ADMIN = {"Authorization": "Bearer adm"}


def payment_store(engine: Engine, **settings) -> tuple:
    """A VND store taking VietQR into ACCOUNT, with `settings`; (device, auth headers)."""
    make_store(engine)
    with engine.begin() as conn:
        write_settings(conn, STORE_ID, vietqr_bank_bin="970436", vietqr_account_number=ACCOUNT,
                       vietqr_account_name="STORELINE TEST", **settings)
    device, bearer = enrol_device(engine)
    return device, {"Authorization": bearer}


def client(engine: Engine, secret: str | None = SECRET) -> TestClient:
    return TestClient(create_app(engine, admin_token="adm", bank_webhook_secret=secret or ""))


def credit_body(txn, amount: int, content: str, account: str = ACCOUNT, **extra) -> bytes:
    """A SePay-shaped notification, as raw bytes (the signature is over exactly these)."""
    return json.dumps({"id": txn, "gateway": "Vietcombank",
                       "transactionDate": "2026-12-07 14:02:37", "accountNumber": account,
                       "code": None, "content": content, "transferType": "in",
                       "transferAmount": amount, "accumulated": 19_077_000,
                       "subAccount": None, "referenceCode": f"FT{txn}", **extra}).encode()


def post_credit(http: TestClient, raw: bytes, secret: str | None = SECRET,
                signature: str | None = None):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    elif secret is not None:
        headers[SIGNATURE_HEADER] = sign(secret.encode(), raw)
    return http.post(WEBHOOK_PATH, content=raw, headers=headers)


def register_intent(http: TestClient, auth: dict, device, amount: int,
                    intent_id: str | None = None, **extra):
    intent_id = intent_id or str(uuid.uuid4())
    return intent_id, http.post("/v1/payments/intents", headers=auth, json={
        "intent_id": intent_id, "store_id": device.store_id, "amount": amount,
        "currency": "VND", "note": transfer_note(intent_id), **extra})


def bank_content(intent_id: str) -> str:
    """The transfer's content as a bank reports it: its own words around the note, the case
    changed and a space inserted in the note."""
    note = transfer_note(intent_id)
    return f"MBVCB.3278907687.{note[:6].lower()} {note[6:]}.CT tu 0123 NGUYEN VAN A"


def sale_event(chain: DeviceChain, payments: list[dict] | None = None,
               gift_cards: list[tuple[str, int]] = (), customer_id: str | None = None,
               quantities=(1,), mutate=None) -> OutboxEventIn:
    """The chain's next sale, with `payments` (tender dicts without id: one is made; amounts
    must sum to the total) instead of exact cash, `gift_cards` sold as lines of (number,
    amount), and `customer_id` attached. `mutate(doc)` may change the document last."""
    chain.seq += 1
    chain.position += 1
    doc = sale_doc(chain.device_id, chain.store_id, chain.seq, quantities, items=chain.items)
    for number, amount in gift_cards:
        doc["lines"].append({"id": str(uuid.uuid4()), "line_no": len(doc["lines"]) + 1,
                             "kind": "gift_card", "gift_card": number,
                             "variant_id": GIFT_CARD_SKU, "sku": GIFT_CARD_SKU,
                             "name": "Gift card", "quantity": 1, "list_price": amount,
                             "unit_price": amount, "line_discount": 0, "tax": 0,
                             "amount": amount, "note": None})
    doc["total"] = doc["subtotal"] = sum(ln["amount"] for ln in doc["lines"])
    doc["customer_id"] = customer_id
    if payments is None:
        payments = [cash(doc["total"])]
    doc["payments"] = [{"id": str(uuid.uuid4()), "tendered": p["amount"], "change": 0,
                        "reference": None, "masked_pan": None, "auth_code": None, **p}
                       for p in payments]
    if mutate:
        mutate(doc)
    digest = chain_hash(chain.prev_hash, canonical_json(doc))
    ev = OutboxEventIn(id=str(uuid.uuid4()), position=chain.position, topic="sale.completed",
                       payload={"journal": {"seq": chain.seq, "prev_hash": chain.prev_hash,
                                            "hash": digest}, "sale": doc},
                       created_at=doc["created_at"])
    chain.prev_hash = digest
    chain.events.append(ev)
    return ev


def cash(amount: int) -> dict:
    return {"tender": "cash", "amount": amount}


def push(http: TestClient, auth: dict, *events: OutboxEventIn) -> list[dict]:
    r = http.post("/v1/push", headers=auth, json={"events": [e.model_dump() for e in events]})
    assert r.status_code == 200, r.text
    return r.json()["results"]
