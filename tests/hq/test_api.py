"""The HTTP API with FastAPI's TestClient on both databases: real device sales accepted
exactly once, quarantine visible to the admin, malformed requests 4xx (never 500), 429."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from hq.api.app import create_app
from hq.api.ratelimit import TokenBuckets
from hq.db.models.sales import Sale, StockMove
from hq.demo.seed import seed_demo
from tests.hq.device_sales import sell_on_device
from tests.hq.helpers import chain_for, enrol_device, make_store, wire

ADMIN = {"Authorization": "Bearer adm"}


@pytest.mark.parametrize("key, code", [("hcm", "HCM1"), ("nyc", "NYC1")])
def test_sales_from_the_real_device_checkout_are_accepted_once(hq_engine, device_copy, key,
                                                               code):
    seed_demo(hq_engine)
    device, bearer = enrol_device(hq_engine, code)
    events = sell_on_device(device_copy(key), key, device.id, device.device_code, rounds=2)
    assert len(events) == 4
    auth = {"Authorization": bearer}
    with TestClient(create_app(hq_engine, admin_token="adm")) as client:
        r = client.post("/v1/push", json={"events": events}, headers=auth)
        assert r.status_code == 200, r.text
        assert [x["status"] for x in r.json()["results"]] == ["accepted"] * 4, r.json()
        r = client.post("/v1/push", json={"events": events[1:3]}, headers=auth)
        assert [x["status"] for x in r.json()["results"]] == ["duplicate"] * 2
        me = client.get("/v1/devices/me/journal", headers=auth).json()
        assert (me["last_seq"], me["received"], me["gaps"], me["chain_breaks"]) == (4, 4, [], [])
    with hq_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Sale)).scalar_one() == 4
        units = sum(len(e["payload"]["sale"]["lines"]) for e in events)
        deltas = conn.execute(select(func.count(), func.sum(StockMove.delta))).one()
        assert deltas == (units, -sum(ln["quantity"] for e in events
                                      for ln in e["payload"]["sale"]["lines"]))


def test_quarantined_events_are_listed_for_the_admin_with_reasons(hq_engine):
    make_store(hq_engine)
    device, bearer = enrol_device(hq_engine)
    chain = chain_for(device)
    good, bad = chain.next_event(), chain.next_event()
    body = wire([bad, good])
    body["events"][0]["payload"]["sale"]["total"] = 1
    with TestClient(create_app(hq_engine, admin_token="adm")) as client:
        r = client.post("/v1/push", json=body, headers={"Authorization": bearer}).json()
        assert [x["status"] for x in r["results"]] == ["quarantined", "accepted"]
        q = client.get("/v1/admin/quarantine", headers=ADMIN).json()["events"]
        assert [(e["id"], e["device_id"]) for e in q] == [(bad.id, device.id)]
        assert q[0]["reason"].startswith("total 1 does not match the lines")
        assert client.get("/v1/admin/quarantine").status_code == 401


def test_malformed_requests_get_4xx_with_a_reason_never_500(hq_engine):
    make_store(hq_engine)
    device, bearer = enrol_device(hq_engine)
    auth = {"Authorization": bearer, "content-type": "application/json"}
    good = wire(chain_for(device).batch(1))["events"][0]
    cases = [
        ("post", "/v1/push", b"{not json"),
        ("post", "/v1/push", b"[]"),
        ("post", "/v1/push", b'{"events": []}'),
        ("post", "/v1/push", b'{"events": "x"}'),
        ("post", "/v1/push", {"events": [{**good, "id": "short"}]}),
        ("post", "/v1/push", {"events": [{**good, "position": "one"}]}),
        ("post", "/v1/push", {"events": [{**good, "payload": [1, 2]}]}),
        ("post", "/v1/push", {"events": [{**good, "extra": 1}]}),
        ("post", "/v1/push", {"events": [good] * 501}),
        ("post", "/v1/enrol", b'{"code": 1234567, "device_name": "x"}'),
        ("post", "/v1/enrol", b"\xff\xfe"),
        ("get", "/v1/changes?cursor=-1", None),
        ("get", "/v1/changes?cursor=abc", None),
        ("get", "/v1/changes?limit=5001", None),
        ("get", "/v1/changes?limit=0", None),
        ("get", "/v1/nope", None),
    ]
    with TestClient(create_app(hq_engine, admin_token="adm"), raise_server_exceptions=False
                    ) as client:
        for method, url, body in cases:
            kwargs = {"headers": auth}
            if isinstance(body, bytes):
                kwargs["content"] = body
            elif body is not None:
                kwargs["json"] = body
            r = getattr(client, method)(url, **kwargs)
            assert 400 <= r.status_code < 500, (url, body, r.status_code, r.text)
            assert r.json()["detail"], (url, body)
        too_big = {**auth, "content-length": "99999999"}  # refused before reading the body
        assert client.post("/v1/push", content=b"x" * 10, headers=too_big).status_code == 413
        # and the service still works afterwards
        r = client.post("/v1/push", json={"events": [good]}, headers=auth)
        assert r.json()["results"][0]["status"] == "accepted"


def test_a_device_over_its_rate_gets_429_and_others_are_not_affected(hq_engine):
    make_store(hq_engine)
    (_, noisy), (_, quiet) = enrol_device(hq_engine), enrol_device(hq_engine)
    now = [0.0]
    limiter = TokenBuckets(rate=1.0, burst=3.0, clock=lambda: now[0])
    with TestClient(create_app(hq_engine, admin_token="adm", limiter=limiter)) as client:
        codes = [client.get("/v1/devices/me/journal", headers={"Authorization": noisy})
                 .status_code for _ in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        r = client.get("/v1/changes", headers={"Authorization": noisy})
        assert r.status_code == 429 and r.headers["Retry-After"] == "1"
        assert client.get("/v1/changes", headers={"Authorization": quiet}).status_code == 200
        now[0] += 1.0  # a second later one more token
        assert client.get("/v1/changes", headers={"Authorization": noisy}).status_code == 200


def test_enrolment_attempts_are_rate_limited_per_client(hq_engine):
    make_store(hq_engine)
    limiter = TokenBuckets(rate=0.001, burst=3.0)
    with TestClient(create_app(hq_engine, admin_token="adm", enrol_limiter=limiter)) as client:
        codes = [client.post("/v1/enrol", json={"code": f"GUESS{i:05d}", "device_name": "x"})
                 .status_code for i in range(5)]
    assert codes == [403, 403, 403, 429, 429]


def test_healthz_and_openapi(hq_engine):
    with TestClient(create_app(hq_engine, admin_token="adm")) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        paths = client.get("/openapi.json").json()["paths"]
        assert {"/v1/enrol", "/v1/push", "/v1/changes", "/v1/devices/me/journal"} <= set(paths)
