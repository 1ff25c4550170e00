"""Sales made by the real device checkout (pos_app) on a copy of a demo device database.

The device is given the id and code HQ assigned at enrolment (what sync's first-run wizard
stores), sells with pos_app.services.checkout.complete_sale, and its outbox rows are returned
as the wire events sync would push.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import text

from pos_app.basket import Basket
from pos_app.db.catalog_queries import find_by_sku
from pos_app.db.engine import make_engine
from pos_app.demo.catalog import demo_uuid
from pos_app.demo.store import (DEMO_US_KIDS_SKU, DEMO_US_SILK_SKU, DEMO_US_TEE_SKU,
                                DEMO_VN_KIDS_SKU, DEMO_VN_SILK_SKU, DEMO_VN_TEE_SKU)
from pos_app.services.checkout import complete_sale
from pos_app.store_context import load_store_context, write_setting
from pos_app.tenders import cash_payment

BASKETS = {"hcm": [(DEMO_VN_TEE_SKU, DEMO_VN_TEE_SKU, DEMO_VN_KIDS_SKU), (DEMO_VN_SILK_SKU,)],
           "nyc": [(DEMO_US_TEE_SKU, DEMO_US_KIDS_SKU), (DEMO_US_SILK_SKU, DEMO_US_TEE_SKU)]}


class _Clock:
    def now_utc(self) -> datetime:
        return datetime.now(timezone.utc)


def sell_on_device(path: Path, key: str, device_id: str, device_code: str, rounds: int = 1
                   ) -> list[dict]:
    """Complete the demo baskets `rounds` times; return the outbox as wire events, in order."""
    engine = make_engine(path)
    try:
        with engine.begin() as conn:
            write_setting(conn, "device_id", device_id)
            write_setting(conn, "device_code", device_code)
        with engine.connect() as conn:
            ctx = load_store_context(conn)
        for _ in range(rounds):
            for skus in BASKETS[key]:
                basket = Basket(ctx.currency, ctx.tax_mode)
                with engine.connect() as conn:
                    for sku in skus:
                        basket.add(find_by_sku(conn, ctx.store_id, sku))
                snap = basket.snapshot()
                complete_sale(engine, ctx, snap, (cash_payment(snap.priced.total,
                                                               snap.priced.total),),
                              demo_uuid(key, "associate", "C01"), _Clock())
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, position, topic, payload, created_at FROM outbox"
                                     " ORDER BY position")).all()
        return [{"id": r.id, "position": r.position, "topic": r.topic,
                 "payload": json.loads(r.payload), "created_at": r.created_at} for r in rows]
    finally:
        engine.dispose()
