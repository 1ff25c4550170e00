"""Builders for HQ tests: a small store, enrolled devices, chained sale events.

Sale events are crafted like pos_app.services.checkout makes them and hashed with
sync.protocol.chain_hash(prev, canonical_json(doc)), so HQ verifies them as it would a
device's; tests/hq/test_device_sales.py also pushes sales made by the real checkout.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import Engine

from hq.services import catalog
from hq.services.enrolment import AuthenticatedDevice, create_enrolment_code, enrol
from sync.protocol import GENESIS, OutboxEventIn, canonical_json, chain_hash

STORE_ID = "11111111-1111-4111-8111-111111111111"
OTHER_STORE_ID = "22222222-2222-4222-8222-222222222222"
VARIANTS = [f"aaaaaaaa-0000-4000-8000-{i:012d}" for i in range(1, 4)]


def make_store(engine: Engine, store_id: str = STORE_ID, code: str = "TST1") -> None:
    with engine.begin() as conn:
        catalog.insert_new(conn, "store", [{
            "id": store_id, "code": code, "name": f"Test {code}", "currency": "VND",
            "locale": "vi_VN", "timezone": "Asia/Ho_Chi_Minh", "tax_mode": "inclusive",
            "address": "", "discount_threshold_bp": 2000, "barcode_rules": "[]"}], store_id)


def enrol_device(engine: Engine, store_code: str = "TST1", name: str = "tablet"
                 ) -> tuple[AuthenticatedDevice, str]:
    """(device, bearer header value)."""
    with engine.begin() as conn:
        code, _ = create_enrolment_code(conn, store_code, 10)
        resp = enrol(conn, code, name)
    device = AuthenticatedDevice(resp.device_id, resp.store_id, resp.device_code, name)
    return device, f"Bearer {resp.device_id}.{resp.device_secret}"


def sale_doc(device_id: str, store_id: str, seq: int, quantities=(1,), price: int = 199_000
             ) -> dict:
    lines = [{"id": str(uuid.uuid4()), "line_no": n, "variant_id": VARIANTS[n % 3],
              "sku": f"SKU-{n % 3}", "name": "Áo thun", "quantity": q, "unit_price": price,
              "tax": 0, "amount": q * price} for n, q in enumerate(quantities, start=1)]
    total = sum(ln["amount"] for ln in lines)
    return {"type": "sale", "id": str(uuid.uuid4()), "device_id": device_id,
            "store_id": store_id, "seq": seq, "receipt_no": f"TST1-T01-{seq:06d}",
            "associate_id": str(uuid.uuid4()), "customer_id": None, "currency": "VND",
            "tax_mode": "inclusive", "created_at": "2026-11-22T10:00:00.000000Z",
            "subtotal": total, "discount_total": 0, "basket_discount": None, "tax": [],
            "tax_total": 0, "total": total, "lines": lines,
            "payments": [{"id": str(uuid.uuid4()), "tender": "cash", "amount": total,
                          "tendered": total, "change": 0, "reference": None,
                          "masked_pan": None, "auth_code": None}]}


@dataclass
class DeviceChain:
    """A device's journal: each `next_event()` is the next chained "sale.completed" event."""

    device_id: str
    store_id: str
    seq: int = 0
    prev_hash: str = GENESIS
    position: int = 0
    events: list[OutboxEventIn] = field(default_factory=list)

    def next_event(self, quantities=(1,)) -> OutboxEventIn:
        self.seq += 1
        self.position += 1
        doc = sale_doc(self.device_id, self.store_id, self.seq, quantities)
        digest = chain_hash(self.prev_hash, canonical_json(doc))
        ev = OutboxEventIn(id=str(uuid.uuid4()), position=self.position, topic="sale.completed",
                           payload={"journal": {"seq": self.seq, "prev_hash": self.prev_hash,
                                                "hash": digest}, "sale": doc},
                           created_at=doc["created_at"])
        self.prev_hash = digest
        self.events.append(ev)
        return ev

    def batch(self, n: int) -> list[OutboxEventIn]:
        return [self.next_event() for _ in range(n)]


def chain_for(device: AuthenticatedDevice) -> DeviceChain:
    return DeviceChain(device.id, device.store_id)


def wire(events: list[OutboxEventIn]) -> dict:
    return {"events": [e.model_dump() for e in events]}
