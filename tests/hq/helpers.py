"""Builders for HQ tests: a small store, enrolled devices, chained sale events.

Sale events are crafted like pos_app.services.checkout makes them and hashed with
sync.protocol.chain_hash(prev, canonical_json(doc)), so HQ verifies them as it would a
device's; tests/hq/test_device_sales.py also pushes sales made by the real checkout.
A test store holds what such sales refer to (HQ checks it, issue 18): the three VARIANTS
(a product sold in every store, sku "SKU-<i>", priced PRICE in each test store) and two
associates (`associate_id(store_id, "M01"|"C01")`).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import Engine, insert, select

from hq.db.models.catalog import Price, Product, Variant
from hq.db.models.organisation import Associate
from hq.services import catalog
from hq.services.enrolment import AuthenticatedDevice, create_enrolment_code, enrol
from sync.protocol import GENESIS, OutboxEventIn, canonical_json, chain_hash

STORE_ID = "11111111-1111-4111-8111-111111111111"
OTHER_STORE_ID = "22222222-2222-4222-8222-222222222222"
VARIANTS = [f"aaaaaaaa-0000-4000-8000-{i:012d}" for i in range(1, 4)]
PRODUCT_ID = "aaaaaaaa-0000-4000-8000-100000000000"
PRICE = 199_000


def associate_id(store_id: str, code: str = "C01") -> str:
    return str(uuid.uuid5(uuid.UUID(store_id), f"associate/{code}"))


def add_variant(engine: Engine, store_id: str, variant_id: str, sku: str, price: int | None,
                product_id: str = PRODUCT_ID) -> None:
    """A variant HQ sells (of a product for every store), priced in `store_id` (None: no
    price there). HQ's tables only, not published: feed tests count what they publish."""
    with engine.begin() as conn:
        if conn.execute(select(Product.id).where(Product.id == product_id)).first() is None:
            conn.execute(insert(Product), [{
                "id": product_id, "store_id": None, "style_code": "TST", "name": "Áo thun",
                "brand": "", "category": "tops", "tax_code": "VAT10", "active": 1}])
        conn.execute(insert(Variant), [{"id": variant_id, "product_id": product_id, "sku": sku,
                                        "size": None, "colour": None, "active": 1}])
        if price is not None:
            conn.execute(insert(Price), [{"store_id": store_id, "variant_id": variant_id,
                                          "amount_minor": price}])


def make_store(engine: Engine, store_id: str = STORE_ID, code: str = "TST1") -> None:
    """A VND store (published to its feed) with what its sales refer to at HQ: the test
    catalog (VARIANTS, priced PRICE) and two associates (HQ's tables only, not published)."""
    with engine.begin() as conn:
        catalog.insert_new(conn, "store", [{
            "id": store_id, "code": code, "name": f"Test {code}", "currency": "VND",
            "locale": "vi_VN", "timezone": "Asia/Ho_Chi_Minh", "tax_mode": "inclusive",
            "address": "", "discount_threshold_bp": 2000, "barcode_rules": "[]"}], store_id)
        conn.execute(insert(Associate), [{
            "id": associate_id(store_id, c), "store_id": store_id, "code": c, "name": c,
            "role": role, "pin_hash": "x", "active": 1}
            for c, role in (("M01", "manager"), ("C01", "cashier"))])
        new = conn.execute(select(Product.id).where(Product.id == PRODUCT_ID)).first() is None
    for i, vid in enumerate(VARIANTS):
        if new:
            add_variant(engine, store_id, vid, f"SKU-{i}", PRICE)
        else:
            with engine.begin() as conn:
                conn.execute(insert(Price), [{"store_id": store_id, "variant_id": vid,
                                              "amount_minor": PRICE}])


def enrol_device(engine: Engine, store_code: str = "TST1", name: str = "tablet"
                 ) -> tuple[AuthenticatedDevice, str]:
    """(device, bearer header value)."""
    with engine.begin() as conn:
        code, _ = create_enrolment_code(conn, store_code, 10)
        resp = enrol(conn, code, name)
    device = AuthenticatedDevice(resp.device_id, resp.store_id, resp.device_code, name)
    return device, f"Bearer {resp.device_id}.{resp.device_secret}"


def sale_doc(device_id: str, store_id: str, seq: int, quantities=(1,), price: int | None = None,
             receipt_prefix: str = "TST1-T01", items=None) -> dict:
    """A sale of line n = `quantities[n-1]` x item n: VARIANTS[n % 3] at PRICE by default,
    `items[(n-1) % len(items)]` = (variant id, sku, catalog price) when given; `price`
    overrides the unit price charged (the catalog price is kept as list_price)."""
    pick = (lambda n: items[(n - 1) % len(items)]) if items else \
        (lambda n: (VARIANTS[n % 3], f"SKU-{n % 3}", PRICE))
    lines = []
    for n, q in enumerate(quantities, start=1):
        vid, sku, listed = pick(n)
        unit = listed if price is None else price
        lines.append({"id": str(uuid.uuid4()), "line_no": n, "variant_id": vid, "sku": sku,
                      "name": "Áo thun", "quantity": q, "list_price": listed,
                      "unit_price": unit, "price_override_by": None, "line_discount": 0,
                      "discount_reason": None, "discount_approved_by": None, "tax": 0,
                      "amount": q * unit, "note": None})
    total = sum(ln["amount"] for ln in lines)
    return {"type": "sale", "id": str(uuid.uuid4()), "device_id": device_id,
            "store_id": store_id, "seq": seq, "receipt_no": f"{receipt_prefix}-{seq:06d}",
            "associate_id": associate_id(store_id), "customer_id": None, "currency": "VND",
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
    items: list[tuple[str, str, int]] | None = None  # (variant id, sku, price); None: VARIANTS

    def next_event(self, quantities=(1,)) -> OutboxEventIn:
        self.seq += 1
        self.position += 1
        doc = sale_doc(self.device_id, self.store_id, self.seq, quantities, items=self.items)
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
