"""Live look-ups over HTTP on both databases, on the demo company: customer search by folded
name, phone in any format, e-mail and loyalty card (masked in lists); the unmasked profile with
an audit row naming the device; stock of a SKU in both demo stores; bad input 4xx, never 500.
The search terms travel in a POST body (they stay out of URLs and access logs)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hq.api.app import create_app
from hq.db.models.organisation import AuditLog
from hq.db.models.sales import StockMove
from hq.demo.seed import seed_demo
from hq.services.common import utc_iso
from pos_app.demo.store import DEMO_CUSTOMERS, DEMO_STORES, build_catalog
from tests.hq.helpers import enrol_device

MAI = DEMO_CUSTOMERS["hcm"]  # Nguyễn Thị Mai, +84901234567, SLVN0000000001
TEE_SKU = "DEMO-TEE-WHT-M"  # in both demo assortments


@pytest.fixture
def api(hq_engine):
    """(client, auth headers, device) on a demo-seeded HQ, device enrolled in HCM1."""
    seed_demo(hq_engine)
    device, bearer = enrol_device(hq_engine, "HCM1", "counter tablet")
    with TestClient(create_app(hq_engine, admin_token="adm")) as client:
        yield client, {"Authorization": bearer}, device


def _search(client, auth, q, **params):
    r = client.post("/v1/customers/search", json={"q": q, **params}, headers=auth)
    assert r.status_code == 200, r.text
    return r.json()


def test_accent_insensitive_name_search_finds_vietnamese_names(api):
    client, auth, _ = api
    body = _search(client, auth, "nguyen thi")
    names = [c["name"] for c in body["customers"]]
    assert names and all(n.startswith("Nguyễn Thị") for n in names), names
    assert body["total_estimate"] >= len(names)
    assert len(names) <= 20
    # a later word, a partial word, capitals and accents typed or not
    for q in ("thi mai", "NGUYỄN THỊ MA", "nguyen thi mai"):
        ids = [c["id"] for c in _search(client, auth, q, limit=50)["customers"]]
        assert MAI.id in ids, q
    assert _search(client, auth, "jordan rivera")["customers"][0]["id"] == \
        DEMO_CUSTOMERS["nyc"].id


@pytest.mark.parametrize("q", ["0901 234 567", "+84901234567", "901234567", "+84 90 123 4567",
                               "090-123-4567", "0901234"])
def test_phone_in_any_common_format(api, q):
    client, auth, _ = api
    assert MAI.id in [c["id"] for c in _search(client, auth, q)["customers"]]


def test_loyalty_card_and_email_and_masked_contact_details(api):
    client, auth, _ = api
    hits = _search(client, auth, "SLVN0000000001")["customers"]
    assert hits[0] == {"id": MAI.id, "name": MAI.name, "phone_masked": "+84 90* *** *67",
                       "email_masked": "m***n@example.com", "loyalty_card": MAI.loyalty_card,
                       "tier": MAI.tier, "home_store_code": "HCM1"}
    assert _search(client, auth, "slvn 0000000001")["customers"][0]["id"] == MAI.id
    assert _search(client, auth, MAI.email)["customers"][0]["id"] == MAI.id
    assert MAI.id in [c["id"] for c in _search(client, auth, "mai.nguyen@ex")["customers"]]
    hits = _search(client, auth, "n", limit=50)["customers"]
    assert len(hits) == 50
    for c in hits:  # lists never carry a whole phone number or e-mail address
        assert set(c) == {"id", "name", "phone_masked", "email_masked", "loyalty_card", "tier",
                          "home_store_code"}
        assert c["phone_masked"].startswith("+") and c["phone_masked"].count("*") >= 4
        assert "***@" in c["email_masked"] or "***" in c["email_masked"].split("@")[0]
    assert _search(client, auth, "zzzz-nobody")["customers"] == []
    assert _search(client, auth, "zzzz-nobody")["total_estimate"] == 0


def test_profile_is_unmasked_and_every_view_is_audited(api, hq_engine):
    client, auth, device = api
    before = utc_iso()
    for _ in range(2):
        r = client.get(f"/v1/customers/{MAI.id}", headers=auth)
        assert r.status_code == 200, r.text
    assert r.json() == {"id": MAI.id, "name": MAI.name, "phone": MAI.phone, "email": MAI.email,
                        "loyalty_card": MAI.loyalty_card, "tier": MAI.tier,
                        "home_store_code": "HCM1"}
    with hq_engine.connect() as conn:
        rows = conn.execute(select(AuditLog).order_by(AuditLog.id)).all()
    assert len(rows) == 2
    assert {(a.action, a.subject, a.device_id, a.store_id) for a in rows} == {
        ("customer.profile_viewed", MAI.id, device.id, device.store_id)}
    assert rows[0].at >= before and device.device_code in rows[0].detail
    # an unknown customer: 404 with a reason, and nothing audited
    r = client.get("/v1/customers/00000000-0000-4000-8000-000000000000", headers=auth)
    assert r.status_code == 404 and "unknown customer" in r.json()["detail"]


def test_stock_of_a_demo_sku_in_both_stores_follows_the_ledger(api, hq_engine):
    client, auth, device = api
    r = client.get("/v1/stock", params={"sku": TEE_SKU}, headers=auth)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["sku"] == TEE_SKU
    levels = {lv["store_code"]: lv for lv in body["levels"]}
    assert set(levels) == {"HCM1", "NYC1"}
    assert levels["HCM1"]["store_name"] == DEMO_STORES["hcm"].name
    assert all(0 <= lv["on_hand"] <= 24 for lv in levels.values())
    # a sale at HCM1 (a ledger delta) lowers HCM1 only
    tee = next(v for v in build_catalog(DEMO_STORES["hcm"]).variants if v[3] == TEE_SKU)
    with hq_engine.begin() as conn:
        conn.execute(StockMove.__table__.insert(), [{
            "id": "99999999-0000-4000-8000-000000000001", "store_id": device.store_id,
            "variant_id": tee[1], "delta": -2, "reason": "sale", "ref": "test", "at": utc_iso()}])
    after = {lv["store_code"]: lv["on_hand"] for lv in client.get(
        "/v1/stock", params={"sku": TEE_SKU}, headers=auth).json()["levels"]}
    assert after == {"HCM1": levels["HCM1"]["on_hand"] - 2, "NYC1": levels["NYC1"]["on_hand"]}
    # a store's own SKU is listed for that store only
    own = next(v[3] for v in build_catalog(DEMO_STORES["nyc"]).variants[::-1]
               if not v[3].startswith("DEMO-"))
    levels = client.get("/v1/stock", params={"sku": own}, headers=auth).json()["levels"]
    assert [lv["store_code"] for lv in levels] == ["NYC1"]


def test_bad_input_gets_4xx_with_a_reason(api):
    client, auth, _ = api
    for body in [{}, {"q": ""}, {"q": "   "}, {"q": "x" * 101}, {"q": "mai", "limit": 0},
                 {"q": "mai", "limit": 51}, {"q": "mai", "limit": "ten"}, {"q": "mai", "x": 1}]:
        r = client.post("/v1/customers/search", json=body, headers=auth)
        assert r.status_code == 422 and r.json()["detail"], (body, r.text)
    cases = [
        ("/v1/customers/not-a-uuid", {}, 422),
        ("/v1/stock", {}, 422),
        ("/v1/stock", {"sku": ""}, 422),
        ("/v1/stock", {"sku": "NO-SUCH-SKU"}, 404),
        ("/v1/orders/W-1001", {}, 404),
        ("/v1/orders/bad number!", {}, 422),
    ]
    for path, params, status in cases:
        r = client.get(path, params=params, headers=auth)
        assert r.status_code == status, (path, params, r.status_code, r.text)
        assert r.json().get("detail"), (path, params)
    # every look-up needs a device
    for path, params in [(f"/v1/customers/{MAI.id}", {}), ("/v1/stock", {"sku": TEE_SKU}),
                         ("/v1/orders/W-1", {})]:
        assert client.get(path, params=params).status_code == 401
        assert client.get(path, params=params,
                          headers={"Authorization": "Bearer x.y"}).status_code == 401
    assert client.post("/v1/customers/search", json={"q": "mai"}).status_code == 401
    # the old GET form of the search is gone, with the reason (terms stay out of URLs)
    r = client.get("/v1/customers/search", params={"q": "mai"}, headers=auth)
    assert r.status_code == 405 and "POST" in r.json()["detail"]
    assert r.headers["Allow"] == "POST"
