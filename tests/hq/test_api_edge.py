"""HQ's HTTP edge under attack (issue 18): what a client without credentials, with wrong ones
or with malformed input sees, and what it costs HQ.

- A 200 MB chunked push, with and without credentials, against a real `pos-hq serve` on
  PostgreSQL: answered 401 / 413 early, and HQ's memory stays where it was.
- Malformed input (a cursor past 64 bits, bytes that are not UTF-8, control characters in
  query, path and body text, ids that are not UUIDs) gets a 4xx naming the field, never a 500,
  and a validation error never echoes more than short excerpts.
- Failed authentication is limited per client address and per credential (429 +
  Retry-After), without locking a legitimate device out; forwarded headers are believed only
  from a trusted proxy (real server children).
- The customer search and duplicates checks keep phone numbers and e-mail addresses out of
  HQ's access log (a real server with access logging on, asked by the till's own client).
- /openapi.json: every $ref resolves, every operation declares its errors, every text input
  the edge checks says so.
"""
from __future__ import annotations

import select
import socket
import threading
import uuid
from urllib.parse import urlsplit

import pytest
import requests
from fastapi.testclient import TestClient

from hq.api.app import MAX_BODY_BYTES, create_app
from hq.api.openapi import refs, resolve
from hq.api.ratelimit import Limits, TokenBuckets
from hq.child_process import HQChild
from hq.db.engine import make_engine
from hq.db.migrate import upgrade
from tests.hq.conftest import new_database_url
from tests.hq.helpers import chain_for, enrol_device, make_store, wire
from tests.waiting import PATIENT_HTTP, WAIT_S, wait_for

ADMIN_TOKEN = "edge-admin-token-0123456789"
MB = 1024 * 1024


# --- a 200 MB body, chunked, against a real server ---------------------------------------------
def _chunks(total: int, size: int = MB):
    """`total` bytes of a push body that never ends well, made on the fly (one block reused)."""
    block = b'{"id": "x", "position": 1, "topic": "t", "payload": {}, "created_at": "x"},' * (
        size // 80)
    yield b'{"events": ['
    sent = 0
    while sent < total:
        yield block
        sent += len(block)


def stream_chunked(url: str, path: str, headers: dict[str, str], total: int
                   ) -> tuple[int, bytes, int]:
    """POST `total` bytes as a chunked body, the way an attacker would; stop sending as soon
    as HQ answers or closes. (status, body, bytes sent)."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=WAIT_S)
    sent = 0
    try:
        head = (f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n")
        sock.sendall(head.encode())
        try:
            for piece in _chunks(total):
                if select.select([sock], [], [], 0)[0]:
                    break  # HQ answered (or closed): no point sending more
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
            else:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # HQ closed the connection on us: its answer is already on its way
        answer = _read_answer(sock)
    finally:
        sock.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body, sent


def _read_answer(sock: socket.socket) -> bytes:
    """The status line, headers and Content-Length body HQ sent (it closes the connection
    after an early answer: what arrived before is still read)."""
    answer = b""
    while True:
        head, sep, body = answer.partition(b"\r\n\r\n")
        if sep:
            length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")[1:]
                           if line.lower().startswith(b"content-length:")), 0)
            if len(body) >= length:
                return answer
        try:
            data = sock.recv(65536)
        except ConnectionResetError:
            return answer
        if not data:
            return answer
        answer += data


class PeakRss:
    """Samples the resident memory of a process and its children (uvicorn's workers) in a
    thread until stopped; `peak` is the highest total seen."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.proc, self.peak, self._stop = psutil.Process(pid), 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> int:
        import psutil

        total = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.now())
            self._stop.wait(0.02)

    def __enter__(self) -> "PeakRss":
        self.peak = self.now()
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(WAIT_S)
        self.peak = max(self.peak, self.now())


def test_a_200_mb_chunked_push_is_answered_early_and_hq_memory_stays_bounded(tmp_path):
    url, drop = new_database_url("postgresql", tmp_path)
    try:
        engine = make_engine(url)
        upgrade(engine)
        make_store(engine)
        device, bearer = enrol_device(engine)
        good = wire(chain_for(device).batch(1))
        engine.dispose()
        server = HQChild(url, ADMIN_TOKEN, log_path=tmp_path / "serve.log").start()
        try:
            # warm up the paths the attack takes (imports, pools), then measure at rest
            s = requests.Session()
            assert s.post(f"{server.url}/v1/push", json=good, timeout=PATIENT_HTTP,
                          headers={"Authorization": bearer}).status_code == 200
            assert s.post(f"{server.url}/v1/push", json=good,
                          timeout=PATIENT_HTTP).status_code == 401
            with PeakRss(server.proc.pid) as rss:
                idle = rss.now()
                anonymous = stream_chunked(server.url, "/v1/push", {}, 200 * MB)
                signed = stream_chunked(server.url, "/v1/push", {"Authorization": bearer},
                                        200 * MB)
            after = rss.now()
            # HQ still serves
            assert s.get(f"{server.url}/healthz", timeout=PATIENT_HTTP).ok
        finally:
            server.stop()
    finally:
        drop()
    grown = (rss.peak - idle) / MB
    print(f"\nHQ RSS: idle {idle / MB:.0f} MB, peak {rss.peak / MB:.0f} MB (+{grown:.0f} MB), "
          f"after {after / MB:.0f} MB; sent before the answer: anonymous "
          f"{anonymous[2] / MB:.1f} MB -> {anonymous[0]}, device {signed[2] / MB:.1f} MB -> "
          f"{signed[0]}")
    assert anonymous[0] == 401 and b"missing bearer token" in anonymous[1]
    assert signed[0] == 413 and b"larger than" in signed[1]
    assert signed[2] < 200 * MB  # refused while the body was still coming
    assert grown < 100, f"HQ grew by {grown:.0f} MB under a 200 MB body"


def test_bodies_are_limited_while_they_stream_and_per_route(hq_engine):
    make_store(hq_engine)
    _, bearer = enrol_device(hq_engine)
    client = TestClient(create_app(hq_engine, admin_token=ADMIN_TOKEN))

    def chunked(n: int):
        for _ in range(n):
            yield b" " * 16384

    # no Content-Length: counted as it comes; an enrolment is small, a push may be 16 MB
    r = client.post("/v1/enrol", content=chunked(8), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "65536" in r.json()["detail"]
    r = client.post("/v1/push", content=chunked(8), headers={"Authorization": bearer})
    assert r.status_code == 422  # 128 KB of spaces: read (under 16 MB), then not JSON
    r = client.post("/v1/push", content=b"x", headers={"Authorization": bearer,
                                                        "Content-Length": str(MAX_BODY_BYTES + 1)})
    assert r.status_code == 413 and r.headers["Connection"] == "close"


# --- malformed input: 4xx naming the field, never 500 ------------------------------------------
@pytest.fixture
def api(hq_engine):
    make_store(hq_engine)
    device, bearer = enrol_device(hq_engine)
    client = TestClient(create_app(hq_engine, admin_token=ADMIN_TOKEN),
                        raise_server_exceptions=False)
    return client, {"Authorization": bearer}, device


def test_malformed_input_is_a_4xx_naming_the_field_never_a_500(api):
    client, auth, device = api
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    nul = "\x00"
    cases = [  # (method, path, kwargs, status, where the answer must point)
        ("get", "/v1/changes?cursor=9223372036854775808", {"headers": auth}, 422, "cursor"),
        ("get", "/v1/changes?cursor=-1", {"headers": auth}, 422, "cursor"),
        ("post", "/v1/push", {"headers": auth, "content": b"\xf5"}, 422, "Invalid JSON"),
        ("post", "/v1/customers/search", {"headers": auth, "json": {"q": f"mai{nul}"}}, 422,
         "q: control character U+0000 (NUL)"),
        ("post", "/v1/customers/search", {"headers": auth, "json": {"q": "a\x1b[2J"}}, 422,
         "q: control character U+001B (ESC)"),
        ("post", "/v1/customers/duplicates", {"headers": auth, "json": {
            "phone": f"0901{nul}"}}, 422, "phone: control character"),
        ("post", "/v1/customers/duplicates", {"headers": auth, "json": {
            "email": f"a{nul}@example.com"}}, 422, "email: control character"),
        ("get", "/v1/stock", {"headers": auth, "params": {"sku": f"SKU{nul}"}}, 422,
         "sku: control character"),
        ("get", "/v1/stock", {"headers": auth, "params": {"sku": "  "}}, 422, "sku"),
        ("get", f"/v1/customers/{uuid.uuid4()}x", {"headers": auth}, 422, "customer_id"),
        ("get", "/v1/customers/tasks", {"headers": auth, "params": {"assigned_to": nul}}, 422,
         "assigned_to"),
        ("post", "/v1/enrol", {"json": {"code": f"ABCDEF{nul}", "device_name": "x"}}, 422,
         "code: control character"),
        ("post", "/v1/enrol", {"json": {"code": "ABCDEFGH", "device_name": f"T{nul}"}}, 422,
         "device_name: control character"),
        ("post", "/v1/admin/enrolment-codes", {"headers": admin, "json": {
            "store_code": f"TST1{nul}"}}, 422, "store_code: control character"),
        ("post", f"/v1/admin/devices/{device.id[:-1]}%00/revoke", {"headers": admin}, 422,
         "device_id"),
        ("post", "/v1/admin/devices/not-a-uuid/revoke", {"headers": admin}, 422, "device_id"),
        ("get", "/v1/devices/me/journal", {"headers": {  # the id is checked before a query
            "Authorization": f"Bearer {'x' * 36}.secret"}}, 401, "malformed bearer token"),
    ]
    for method, path, kwargs, status, where in cases:
        r = getattr(client, method)(path, **kwargs)
        assert r.status_code == status, (path, kwargs, r.status_code, r.text)
        assert where in r.text and r.json()["detail"], (path, r.text)
    r = client.post(f"/v1/admin/devices/{device.id.upper()}/revoke", headers=admin)
    assert r.status_code == 200 and r.json()["device_id"] == device.id  # a UUID in any case


def test_validation_errors_echo_short_excerpts_only(api):
    client, auth, device = api
    event = wire(chain_for(device).batch(1))["events"][0]
    huge = {**event, "id": "x" * 50_000, "topic": "T" * 10_000, "extra": "y" * 10_000}
    r = client.post("/v1/push", json={"events": [huge] * 200}, headers=auth)
    assert r.status_code == 422
    assert len(r.content) < 20_000, len(r.content)  # the request was 14 MB, 600 errors
    errors = r.json()["detail"]
    assert len(errors) == 21 and errors[-1]["type"] == "too_many_errors"
    assert errors[0]["loc"] == ["body", "events", 0, "id"]
    assert all(len(str(e.get("input", ""))) <= 101 for e in errors)
    r = client.post("/v1/customers/search", json={"q": "x" * 50_000}, headers=auth)
    assert r.status_code == 422 and len(r.content) < 2_000


# --- failed authentication ---------------------------------------------------------------------
def test_failed_authentication_is_limited_per_address_and_per_credential(hq_engine):
    make_store(hq_engine)
    (_, other_bearer), (target, target_bearer) = enrol_device(hq_engine), \
        enrol_device(hq_engine)
    now = [0.0]
    app = create_app(hq_engine, admin_token=ADMIN_TOKEN, limits=Limits(
        auth_failures_per_minute=10), clock=lambda: now[0])

    def at(address: str) -> TestClient:
        return TestClient(app, client=(address, 40000))

    attacker, shop, target_shop = at("198.51.100.7"), at("203.0.113.20"), at("203.0.113.30")
    wrong = {"Authorization": f"Bearer {target.id}.not-the-secret"}
    codes = [attacker.get("/v1/changes", headers=wrong).status_code for _ in range(13)]
    assert codes == [401] * 10 + [429] * 3
    r = attacker.get("/v1/changes", headers=wrong)
    assert r.headers["Retry-After"] == "6" and "from this address" in r.json()["detail"]
    # another till, elsewhere, is not locked out; no credentials at all is not a guess
    assert shop.get("/v1/changes", headers={"Authorization": other_bearer}).status_code == 200
    assert [shop.get("/v1/changes").status_code for _ in range(20)] == [401] * 20
    # the attacked device id from fresh addresses: every wrong secret is 429 now ...
    for i in range(1, 4):
        r = at(f"192.0.2.{i}").get("/v1/changes", headers=wrong)
        assert r.status_code == 429 and "for this device" in r.json()["detail"]
    # ... but the device itself, with its right secret, still gets in
    assert target_shop.get("/v1/changes", headers={"Authorization": target_bearer}
                           ).status_code == 200
    # admin tokens: the same limits, and the right token still works from elsewhere
    bad_admin = {"Authorization": "Bearer guess"}
    codes = [at("198.51.100.8").get("/v1/admin/journal", headers=bad_admin).status_code
             for _ in range(11)]
    assert codes == [401] * 10 + [429]
    assert shop.get("/v1/admin/journal", headers={
        "Authorization": f"Bearer {ADMIN_TOKEN}"}).status_code == 200
    # time heals: a minute later the attacker's address may try again (and fails again)
    now[0] += 60.0
    assert attacker.get("/v1/changes", headers=wrong).status_code == 401


def test_the_limiter_tables_stay_bounded_when_every_request_brings_a_new_key():
    """Random device ids or rotating addresses must not grow HQ's memory without end."""
    now = [0.0]
    buckets = TokenBuckets(rate=1.0, burst=2.0, clock=lambda: now[0], max_keys=100)
    assert buckets.allow("address:attacker") and buckets.allow("address:attacker")
    for i in range(10_000):
        buckets.allow(f"device:{i}")
        assert not buckets.allow("address:attacker")  # in use: kept, still spent
    assert len(buckets._buckets) <= 100
    now[0] += 1.0  # refilled buckets are the first to go
    assert buckets.allow("address:attacker")


def test_forwarded_headers_are_believed_only_from_a_trusted_proxy(tmp_path, monkeypatch):
    """The enrolment limit is kept per client address. Rotating X-Forwarded-For from
    loopback used to give every attempt a fresh address (uvicorn trusts 127.0.0.1 by
    default); now the header counts only when `--trusted-proxy` names the sender."""
    monkeypatch.setenv(Limits.ENV_PREFIX + "ENROLMENTS_PER_MINUTE", "1")  # one, then 429

    def attempts(server: HQChild, forwarded_for: list[str]) -> list[int]:
        return [requests.post(f"{server.url}/v1/enrol", timeout=PATIENT_HTTP,
                              json={"code": "NOSUCHCODE", "device_name": "x"},
                              headers={"X-Forwarded-For": ip}).status_code
                for ip in forwarded_for]

    direct = HQChild(str(tmp_path / "a.db"), ADMIN_TOKEN, log_path=tmp_path / "a.log").start()
    try:
        assert attempts(direct, ["10.1.0.1", "10.1.0.2", "10.1.0.3"]) == [403, 429, 429]
    finally:
        direct.stop()
    monkeypatch.setenv("STORELINE_HQ_TRUSTED_PROXIES", "127.0.0.1")
    proxied = HQChild(str(tmp_path / "b.db"), ADMIN_TOKEN, log_path=tmp_path / "b.log").start()
    try:  # behind a trusted proxy, each shopper's address has its own limit
        assert attempts(proxied, ["10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.1"]) == \
            [403, 403, 403, 429]
    finally:
        proxied.stop()


# --- personal data stays out of the access log -------------------------------------------------
def test_customer_search_terms_stay_out_of_the_access_log(tmp_path, monkeypatch, device_copy):
    from pos_app.db.engine import make_engine as make_device_engine
    from pos_app.demo.store import DEMO_CUSTOMERS
    from sync.hq_client import HQClient
    from sync.live_lookup import LiveLookup

    mai = DEMO_CUSTOMERS["hcm"]
    monkeypatch.setenv("STORELINE_HQ_ACCESS_LOG", "1")
    log = tmp_path / "serve.log"
    server = HQChild(str(tmp_path / "hq.db"), ADMIN_TOKEN, log_path=log)
    server.cli("demo-seed")
    code = server.cli("enrolment-code", "--store", "HCM1").strip()
    server.start()
    try:
        client = HQClient(server.url, timeout=PATIENT_HTTP)
        enrolled = client.enrol(code, "Quầy 1")
        client.set_credentials(enrolled.device_id, enrolled.device_secret)
        lookup = LiveLookup(client, make_device_engine(device_copy("hcm")),
                            timeout=PATIENT_HTTP)
        national = "0" + mai.phone.removeprefix("+84")
        for q in (mai.phone, national, mai.email):
            found = lookup.search_customers(q)
            assert found.live and mai.id in [c.id for c in found.data], (q, found.error)
        dupes = lookup.duplicates(national, mai.email)
        assert dupes.live and mai.id in [d.id for d in dupes.data], dupes.error
        text = wait_for(lambda: log.read_text() if log.read_text().count(
            "POST /v1/customers/") >= 4 else None, what="the access log lines")
    finally:
        server.stop()
    assert '"POST /v1/customers/search HTTP/1.1" 200' in text
    assert '"POST /v1/customers/duplicates HTTP/1.1" 200' in text
    for secret in (mai.phone, national, national[1:], mai.email, mai.email.split("@")[0],
                   mai.phone.replace("+", "%2B")):
        assert secret not in text, secret


# --- /openapi.json -----------------------------------------------------------------------------
def test_openapi_refs_resolve_and_every_operation_declares_its_answers(api):
    client, _, _ = api
    spec = client.get("/openapi.json").json()
    unresolved = [ref for ref in refs(spec) if resolve(spec, ref) is None]
    assert unresolved == []
    push = spec["paths"]["/v1/push"]["post"]["requestBody"]["content"]["application/json"]
    assert resolve(spec, push["schema"]["$ref"])["properties"]["events"]["maxItems"] == 500
    assert set(spec["components"]["securitySchemes"]) == {"device", "admin"}
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            declared = set(op["responses"])
            assert {"413", "422", "503"} <= declared, (method, path, declared)
            if op.get("security"):
                assert {"401", "429"} <= declared, (method, path)
                assert op["responses"]["429"]["headers"]["Retry-After"]["required"]
            else:
                # the bank webhook is signed over its body instead (hq/api/payments.py)
                assert path in ("/healthz", "/v1/enrol", "/v1/payments/bank-credits"), \
                    f"{method} {path} needs no credentials?"
            for param in op.get("parameters", []):  # text the edge checks says so
                for branch in param["schema"].get("anyOf", [param["schema"]]):
                    if branch.get("type") == "string":
                        assert "pattern" in branch, (path, param["name"])
    for name in ("CustomerSearchRequest", "DuplicatesRequest", "EnrolBody", "EnrolmentCodeRequest"):
        for prop, schema in spec["components"]["schemas"][name]["properties"].items():
            for branch in schema.get("anyOf", [schema]):
                if branch.get("type") == "string":
                    assert "pattern" in branch, (name, prop)
    assert set(spec["paths"]["/v1/customers/search"]) == {"post"}
    assert set(spec["paths"]["/v1/customers/duplicates"]) == {"post"}


def test_an_unexpected_failure_is_a_500_saying_nothing_was_stored(hq_engine, caplog):
    """A bug or a database error that is HQ's (not the event's) is logged with its traceback
    and answered 500 with a reason, on a response the till can read (hq/api/last_resort.py);
    the push's transaction was rolled back, so the till's retry is safe."""
    from sqlalchemy import event

    from hq.api.last_resort import DETAIL

    make_store(hq_engine)
    device, bearer = enrol_device(hq_engine)
    client = TestClient(create_app(hq_engine, admin_token=ADMIN_TOKEN),
                        raise_server_exceptions=False)

    def boom(_conn, _cursor, statement, *_args, **_kwargs):
        if "FROM events" in statement:  # the push's first look-up, after authentication
            raise RuntimeError("simulated HQ bug")

    body = {"events": [e.model_dump(mode="json") for e in chain_for(device).batch(2)]}
    event.listen(hq_engine, "before_cursor_execute", boom)
    try:
        r = client.post("/v1/push", json=body, headers={"Authorization": bearer})
    finally:
        event.remove(hq_engine, "before_cursor_execute", boom)
    assert r.status_code == 500 and r.json() == {"detail": DETAIL}
    assert "simulated HQ bug" in caplog.text
    again = client.post("/v1/push", json=body, headers={"Authorization": bearer})
    assert [x["status"] for x in again.json()["results"]] == ["accepted", "accepted"]
