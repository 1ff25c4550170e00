"""The change feed after `pos-hq demo-seed`, paged with cursors through the API (both DBs)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from hq.api.app import create_app
from hq.cli import main as hq_main
from hq.db.models.organisation import ChangeLog, Store
from hq.services import catalog
from hq.services.changes import changes
from pos_app.auth import pin_key, verify_pin
from pos_app.db import models as device_models
from pos_app.demo.store import DEMO_ASSOCIATES
from tests.hq.helpers import enrol_device

# change entity -> the device table its `data` fills (pos_app/db/models.py)
DEVICE_TABLES = {"store": "stores", "tax_rate": "tax_rates", "product": "products",
                 "variant": "variants", "barcode": "barcodes", "price": "prices",
                 "associate": "associates", "customer": "customers", "stock": "stock_levels",
                 "web_order": "web_orders", "promotion": "promotions"}
# the device keys rows by a local integer pk; the wire carries HQ's stable ids instead
WIRE_NAMES = {"product_pk": "product_id", "variant_pk": "variant_id"}
GLOBAL_PRODUCT = {"id": "eeeeeeee-0000-4000-8000-000000000001", "store_id": None,
                  "style_code": "GIFT", "name": "Gift card", "brand": "", "category": "Gift",
                  "tax_code": "VAT0", "active": 1}


def device_columns(entity: str) -> set[str]:
    table = device_models.Base.metadata.tables[DEVICE_TABLES[entity]]
    nested = {"lines"} if entity == "web_order" else set()  # a web order carries its lines
    return {WIRE_NAMES.get(c.name, c.name) for c in table.columns if c.name != "pk"} | nested


@pytest.fixture
def seeded(hq_engine, db_url, capsys):
    assert hq_main(["demo-seed", "--database", db_url]) == 0
    assert "seeded: HCM1, NYC1" in capsys.readouterr().out
    with hq_engine.begin() as conn:
        catalog.upsert(conn, "product", GLOBAL_PRODUCT, None)  # for every store
    return hq_engine


def page_through(client, bearer, limit):
    cursor, pages, seen = 0, 0, []
    while True:
        r = client.get(f"/v1/changes?cursor={cursor}&limit={limit}",
                       headers={"Authorization": bearer})
        assert r.status_code == 200, r.text
        page = r.json()
        pages += 1
        seen += page["changes"]
        if page["changes"]:
            assert page["next_cursor"] == page["changes"][-1]["seq"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return seen, pages, cursor


def test_a_device_pages_through_its_store_and_global_rows_only(seeded, db_url, capsys):
    engine = seeded
    with engine.connect() as conn:
        stores = dict(conn.execute(select(Store.code, Store.id)).all())
        expected = conn.execute(select(func.count()).select_from(ChangeLog).where(
            (ChangeLog.store_id == stores["HCM1"]) | ChangeLog.store_id.is_(None))).scalar_one()
        hcm_products = {r for r, in conn.execute(select(ChangeLog.key).where(
            ChangeLog.entity == "product", ChangeLog.store_id == stores["HCM1"]))}
    device, bearer = enrol_device(engine, "HCM1")
    with TestClient(create_app(engine, admin_token="a")) as client:
        seen, pages, cursor = page_through(client, bearer, 997)
        assert len(seen) == expected and pages == -(-expected // 997)
        seqs = [c["seq"] for c in seen]
        assert seqs == sorted(set(seqs))
        # the clienteling book's profiles (JSON documents, no device table: docs/clienteling.md)
        seen = [c for c in seen if c["entity"] != "customer_profile"]
        assert {c["entity"] for c in seen} == set(DEVICE_TABLES)
        for c in seen:
            assert c["op"] == "upsert" and set(c["data"]) == device_columns(c["entity"]), c
            if "store_id" in c["data"]:
                assert c["data"]["store_id"] == stores["HCM1"]
        products = {c["key"] for c in seen if c["entity"] == "product"}
        assert products == hcm_products | {GLOBAL_PRODUCT["id"]}
        store_rows = [c["data"] for c in seen if c["entity"] == "store"]
        assert [s["code"] for s in store_rows] == ["HCM1"]
        assert {c["data"]["code"] for c in seen if c["entity"] == "associate"} == \
            {"M01", "C01", "A01"}
        # PIN hashes leave HQ only as verifiers keyed to this device (issue 18)
        key = pin_key(bearer.removeprefix("Bearer ").partition(".")[2])
        pins = {a.code: a.pin for a in DEMO_ASSOCIATES["hcm"]}
        for c in seen:
            if c["entity"] == "associate":
                verifier = c["data"]["pin_hash"]
                assert verifier.startswith("slk1$") and "$argon2id$" not in verifier[:5]
                assert verify_pin(verifier, pins[c["data"]["code"]], key)
                assert not verify_pin(verifier, pins[c["data"]["code"]], pin_key("other"))
        # nothing new: an empty page that keeps the cursor
        r = client.get(f"/v1/changes?cursor={cursor}", headers={"Authorization": bearer}).json()
        assert r == {"changes": [], "next_cursor": cursor, "has_more": False}
        # a later change shows up after the cursor, once
        variant_id = next(c["data"]["variant_id"] for c in seen if c["entity"] == "price")
        with engine.begin() as conn:
            catalog.upsert(conn, "price", {"store_id": stores["HCM1"], "variant_id": variant_id,
                                           "amount_minor": 99_000}, stores["HCM1"])
        r = client.get(f"/v1/changes?cursor={cursor}", headers={"Authorization": bearer}).json()
        assert [(c["entity"], c["data"]["amount_minor"]) for c in r["changes"]] == \
            [("price", 99_000)]
    # the other store sees its own rows and the global product, none of HCM1's
    nyc_device, _ = enrol_device(engine, "NYC1")
    with engine.connect() as conn:
        nyc = changes(conn, nyc_device.store_id, 0, 5000)
        while nyc.has_more:
            more = changes(conn, nyc_device.store_id, nyc.next_cursor, 5000)
            nyc = nyc.model_copy(update={"changes": nyc.changes + more.changes,
                                         "has_more": more.has_more,
                                         "next_cursor": more.next_cursor})
    keys = {c.key for c in nyc.changes if c.entity == "product"}
    assert GLOBAL_PRODUCT["id"] in keys and not keys & hcm_products
    # demo-seed again: nothing new is written
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(ChangeLog)).scalar_one()
    assert hq_main(["demo-seed", "--database", db_url]) == 0
    assert "nothing (already there)" in capsys.readouterr().out
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ChangeLog)).scalar_one() == before
