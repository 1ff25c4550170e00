"""Revision 0008 upgrades an HQ that ran the old ingest without losing anything (both
databases): sales that reused a receipt number keep their rows and are flagged, so the
unique index can be built; device times in the future or that are not times are clamped."""
from __future__ import annotations

import json
import uuid

from sqlalchemy import text

from hq.db.engine import make_engine
from hq.db.migrate import upgrade
from hq.services.common import utc_iso
from tests.hq.helpers import STORE_ID, make_store


def test_0008_renames_reused_receipt_numbers_flags_them_and_clamps_device_times(db_url):
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0007")
        make_store(engine)
        device = str(uuid.uuid4())
        sales = [str(uuid.uuid4()) for _ in range(3)]
        cid = str(uuid.uuid4())
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO devices (id, store_id, name, device_code, secret_sha256,"
                " enrolled_at) VALUES (:d, :s, 'till', 'T01', :h, :at)"),
                {"d": device, "s": STORE_ID, "h": "0" * 64, "at": utc_iso()})
            conn.execute(text(
                "INSERT INTO sales (id, device_id, store_id, seq, receipt_no, total, currency,"
                " created_at) VALUES (:i, :d, :s, :seq, :r, 1, 'VND', :at)"),
                [{"i": sid, "d": device, "s": STORE_ID, "seq": seq, "r": r, "at": utc_iso()}
                 for sid, seq, r in zip(sales, (1, 2, 3), ("R-1", "R-1", "R-3"))])
            conn.execute(text(
                "INSERT INTO customers (id, home_store_id, name) VALUES (:c, :s, 'Mai')"),
                {"c": cid, "s": STORE_ID})
            conn.execute(text(
                "INSERT INTO customer_profiles (customer_id, sizes, preferences,"
                " customer_since, marketing_opt_in, data_use_consent, data_use_consent_at,"
                " updated_at) VALUES (:c, '{}', '{}', :at, 0, 1, '9999-12-31T23:59:59Z', :at)"),
                {"c": cid, "at": utc_iso()})
            conn.execute(text(
                "INSERT INTO customer_field_edits (customer_id, field, edited_at, source)"
                " VALUES (:c, 'email', '9999-12-31T23:59:59.999999Z', 'device:x'),"
                " (:c, 'name', 'zzzz not a date', 'device:x'),"
                " (:c, 'phone', '2026-11-22T10:00:00.000000Z', 'device:x')"), {"c": cid})
        before = utc_iso()
        upgrade(engine)
        after = utc_iso()
        with engine.connect() as conn:
            receipts = dict(conn.execute(text("SELECT id, receipt_no FROM sales")).all())
            flags = conn.execute(text(
                "SELECT sale_id, kind, reason, detail FROM sale_flags")).all()
            stamps = dict(conn.execute(text(
                "SELECT field, edited_at FROM customer_field_edits")).all())
            consent_at = conn.execute(text(
                "SELECT data_use_consent_at FROM customer_profiles")).scalar_one()
            settings = conn.execute(text("SELECT settings FROM stores")).scalar_one()
    finally:
        engine.dispose()
    assert receipts == {sales[0]: "R-1", sales[1]: f"dup:{sales[1]}", sales[2]: "R-3"}
    assert [(f.sale_id, f.kind) for f in flags] == [(sales[1], "duplicate_receipt")]
    assert "R-1" in flags[0].reason and json.loads(flags[0].detail) == {"receipt_no": "R-1"}
    assert stamps["phone"] == "2026-11-22T10:00:00.000000Z"  # a real past time is kept
    assert before <= stamps["email"] <= after and before <= stamps["name"] <= after
    assert before <= consent_at <= after
    assert settings == "{}"
