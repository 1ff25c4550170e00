"""Enrolment codes and device authentication, through the API on both databases."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hq.api.app import create_app
from hq.db.models.devices import Device, EnrolmentCode
from hq.services.common import EnrolmentRefused
from hq.services.enrolment import create_enrolment_code, enrol
from tests.hq.helpers import make_store

ADMIN = {"Authorization": "Bearer test-admin-token"}


@pytest.fixture
def client(hq_engine):
    make_store(hq_engine)
    with TestClient(create_app(hq_engine, admin_token="test-admin-token")) as c:
        yield c


def new_code(client, store="TST1", ttl=60) -> str:
    r = client.post("/v1/admin/enrolment-codes", json={"store_code": store, "ttl_minutes": ttl},
                    headers=ADMIN)
    assert r.status_code == 200, r.text
    return r.json()["code"]


def test_a_code_enrols_one_device_once_and_is_stored_only_as_a_hash(client, hq_engine):
    r = client.post("/v1/admin/enrolment-codes", json={"store_code": "TST1"}, headers=ADMIN)
    body = r.json()
    code = body["code"]
    assert len(code) == 10 and body["expires_at"].endswith("Z")
    import base64
    assert base64.b64decode(body["qr_png_base64"]).startswith(b"\x89PNG\r\n\x1a\n")
    first = client.post("/v1/enrol", json={"code": code.lower(), "device_name": "Tablet 1"})
    assert first.status_code == 200, first.text
    again = client.post("/v1/enrol", json={"code": code, "device_name": "Tablet 2"})
    assert again.status_code == 403 and again.json()["detail"] == "enrolment code already used"
    second = client.post("/v1/enrol", json={"code": new_code(client), "device_name": "Tablet 2"})
    assert [first.json()["device_code"], second.json()["device_code"]] == ["T01", "T02"]
    assert first.json()["store_code"] == "TST1"
    with hq_engine.connect() as conn:
        stored = conn.execute(select(EnrolmentCode.code_sha256)).scalars().all()
        secrets_ = conn.execute(select(Device.secret_sha256)).scalars().all()
    assert code not in stored and all(len(h) == 64 for h in stored)
    assert first.json()["device_secret"] not in secrets_


def test_expired_and_unknown_codes_are_refused(hq_engine):
    make_store(hq_engine)
    past = datetime.now(timezone.utc) - timedelta(hours=2)
    with hq_engine.begin() as conn:
        code, _ = create_enrolment_code(conn, "TST1", 60, now=past)
    with pytest.raises(EnrolmentRefused, match="expired"), hq_engine.begin() as conn:
        enrol(conn, code, "late tablet")
    with pytest.raises(EnrolmentRefused, match="unknown"), hq_engine.begin() as conn:
        enrol(conn, "AAAAAAAAAA", "tablet")


def test_wrong_codes_and_bad_admin_requests_get_4xx_with_reasons(client):
    r = client.post("/v1/enrol", json={"code": "WRONGCODE1", "device_name": "x"})
    assert r.status_code == 403 and r.json()["detail"] == "unknown enrolment code"
    assert client.post("/v1/enrol", json={"code": "abc", "device_name": "x"}).status_code == 422
    r = client.post("/v1/admin/enrolment-codes", json={"store_code": "NOPE"}, headers=ADMIN)
    assert r.status_code == 404 and "unknown store" in r.json()["detail"]
    r = client.post("/v1/admin/enrolment-codes", json={"store_code": "TST1"},
                    headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    r = client.post("/v1/admin/enrolment-codes", json={"store_code": "TST1", "ttl_minutes": 0},
                    headers=ADMIN)
    assert r.status_code == 422
    # a device id is a UUID (checked at the edge: 422), an unknown one is 404
    assert client.post("/v1/admin/devices/nope/revoke", headers=ADMIN).status_code == 422
    r = client.post("/v1/admin/devices/00000000-0000-4000-8000-000000000000/revoke",
                    headers=ADMIN)
    assert r.status_code == 404 and "unknown device" in r.json()["detail"]


def test_bad_tokens_get_401_and_a_revoked_device_is_refused_with_the_reason(client):
    resp = client.post("/v1/enrol", json={"code": new_code(client), "device_name": "t"}).json()
    good = {"Authorization": f"Bearer {resp['device_id']}.{resp['device_secret']}"}
    assert client.get("/v1/devices/me/journal", headers=good).status_code == 200
    for bad in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer nodot"},
                {"Authorization": f"Bearer {resp['device_id']}.wrong-secret"},
                {"Authorization": f"Bearer {'0' * 36}.{resp['device_secret']}"}):
        r = client.get("/v1/changes", headers=bad)
        assert r.status_code == 401, bad
    r = client.post(f"/v1/admin/devices/{resp['device_id']}/revoke", headers=ADMIN)
    assert r.status_code == 200 and r.json()["revoked_at"]
    r = client.get("/v1/changes", headers=good)
    assert r.status_code == 401 and r.json()["detail"] == "device revoked"
    event = {"id": "12345678-1234-4234-8234-123456789012", "position": 1,
             "topic": "sale.completed", "payload": {}, "created_at": "2026-11-22T10:00:00Z"}
    r = client.post("/v1/push", headers=good, json={"events": [event]})
    assert r.status_code == 401 and r.json()["detail"] == "device revoked"


def test_last_seen_is_kept_to_the_minute_without_a_write_per_request(client, hq_engine):
    enrolled = client.post("/v1/enrol", json={"code": new_code(client),
                                              "device_name": "Till"}).json()
    auth = {"Authorization": f"Bearer {enrolled['device_id']}.{enrolled['device_secret']}"}

    def last_seen():
        with hq_engine.connect() as conn:
            return conn.execute(select(Device.last_seen_at).where(
                Device.id == enrolled["device_id"])).scalar_one()

    assert client.get("/v1/changes?cursor=0&limit=1", headers=auth).status_code == 200
    first = last_seen()
    assert first is not None
    assert client.get("/v1/changes?cursor=0&limit=1", headers=auth).status_code == 200
    assert last_seen() == first  # within the minute: not rewritten
    old = (datetime.now(timezone.utc) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with hq_engine.begin() as conn:
        conn.execute(Device.__table__.update().where(Device.id == enrolled["device_id"])
                     .values(last_seen_at=old))
    assert client.get("/v1/changes?cursor=0&limit=1", headers=auth).status_code == 200
    assert last_seen() > old  # a minute later it is refreshed


def test_a_lost_enrolment_answer_is_replayed_for_the_same_request_only(client, hq_engine):
    """The device keeps a request id before it asks; if HQ's answer is lost the same request
    gets the same device with a new secret (the old one stops working), any other use of the
    code is refused, and after the replay window even the same request is refused."""
    import uuid

    code = new_code(client)
    rid = str(uuid.uuid4())
    first = client.post("/v1/enrol", json={"code": code, "device_name": "Tablet 1",
                                           "request_id": rid})
    assert first.status_code == 200, first.text
    lost = first.json()
    again = client.post("/v1/enrol", json={"code": code, "device_name": "Tablet 1",
                                           "request_id": rid.upper()})
    assert again.status_code == 200, again.text
    kept = again.json()
    assert (kept["device_id"], kept["device_code"], kept["store_code"]) == \
        (lost["device_id"], lost["device_code"], lost["store_code"])
    assert kept["device_secret"] != lost["device_secret"]

    def auth(secret):
        return {"Authorization": f"Bearer {kept['device_id']}.{secret}"}
    assert client.get("/v1/devices/me/journal", headers=auth(kept["device_secret"])
                      ).status_code == 200
    assert client.get("/v1/devices/me/journal", headers=auth(lost["device_secret"])
                      ).status_code == 401
    for other in ({"request_id": str(uuid.uuid4())}, {}):
        r = client.post("/v1/enrol", json={"code": code, "device_name": "thief", **other})
        assert r.status_code == 403 and r.json()["detail"] == "enrolment code already used"
    with hq_engine.begin() as conn:
        assert conn.execute(select(Device.id)).scalars().all() == [kept["device_id"]]
    late = datetime.now(timezone.utc) + timedelta(minutes=16)
    with hq_engine.begin() as conn, pytest.raises(EnrolmentRefused, match="too long ago"):
        enrol(conn, code, "Tablet 1", now=late, request_id=rid)
    bad = client.post("/v1/enrol", json={"code": code, "device_name": "x", "request_id": "nope"})
    assert bad.status_code == 422
