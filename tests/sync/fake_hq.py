"""A fake HQ for the device-side sync tests: a real HTTP server on loopback, state in memory.

Why: the real hq/ service is being written in parallel; this fake implements sync.protocol
faithfully (auth, idempotency by event id forever, per-event results, quarantine, a paged
change feed) so that the device side is tested over real sockets. Quarantine rule: an event
whose payload has "poison": true; a quarantined event sent again gets "quarantined" with the
same reason again (not "duplicate", which the device would take as "sent"). Test hooks:
`fail_pushes` (a list of "before" / "after" actions consumed one per push: "before" drops the
connection without storing, "after" stores the batch then drops the connection before
answering), `busy_next` (answer 429), `profiles` (customer id -> CustomerProfile JSON: served by
GET /v1/customers/{id}/profile, and searched by POST /v1/customers/duplicates (normalised
phone, lower-cased e-mail, masked answers) and /v1/customers/tasks (open tasks, unassigned or
assigned to the asked associate, soonest due first), as sync/protocol_customers.py says),
`slow_seconds` (answer GETs that late, to test the look-up timeout), `crash_on` (event ids:
a push holding any of them gets a bare 500, nothing stored, as a real HQ that cannot even
quarantine them) and `crash_all` (every push gets a 500, /healthz still answers).

`FakeHQ(state, listening=False)` is an HQ that is down on a port it keeps: connections are
refused until `start()`, and no other program can take the port meanwhile.

Runs its own threads (ThreadingHTTPServer); the state is guarded by one lock.
"""
from __future__ import annotations

import json
import secrets
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from pydantic import ValidationError

from sync.protocol import (
    MAX_CHANGE_PAGE, Change, ChangePage, EnrolRequest, EnrolResponse, EventResult, PushRequest,
    PushResponse,
)
from tests.waiting import WAIT_S


class FakeHQState:
    def __init__(self, store_id: str = "", store_code: str = "HCM1") -> None:
        self.lock = threading.Lock()
        self.store_id, self.store_code = store_id, store_code
        self.codes: set[str] = set()
        self.devices: dict[str, str] = {}  # device_id -> secret
        self.events: dict[str, dict] = {}  # id -> event, stored once forever
        self.received_order: list[str] = []  # ids in the order HQ stored them
        self.quarantined: dict[str, str] = {}
        self.push_requests = 0  # every push request that reached the handler (duplicates too)
        self.changes: list[Change] = []
        self.fail_pushes: list[str] = []
        self.busy_next = 0
        self.profiles: dict[str, dict] = {}
        self.profile_reads: list[str] = []  # customer ids HQ served (it audits them)
        self.slow_seconds = 0.0
        self.crash_on: set[str] = set()  # event ids HQ answers 500 for (stores nothing)
        self.crash_all = False  # HQ answers 500 to every push (healthz still ok)
        self.crashed_requests = 0

    def add_device(self, device_id: str | None = None) -> tuple[str, str]:
        device_id = device_id or str(uuid.uuid4())
        secret = secrets.token_urlsafe(24)
        self.devices[device_id] = secret
        return device_id, secret

    def publish(self, entity: str, op: str, key: str, data: dict | None = None) -> None:
        seq = self.changes[-1].seq + 1 if self.changes else 1
        self.changes.append(Change(seq=seq, entity=entity, op=op, key=key, data=data))

    def stored_ids(self) -> list[str]:
        with self.lock:
            return list(self.received_order)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "FakeHQ"

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body, headers: dict | None = None) -> None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _drop(self) -> None:
        """Close without an answer (the client sees the connection end)."""
        self.close_connection = True

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _device(self) -> str | None:
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or "." not in auth:
            return None
        device_id, _, secret = auth[7:].partition(".")
        state = self.server.state
        return device_id if state.devices.get(device_id) == secret else None

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urlparse(self.path)
        if url.path == "/healthz":
            return self._send(200, {"status": "ok"})
        if self._device() is None:
            return self._send(401, {"detail": "unknown or revoked device"})
        if url.path.startswith("/v1/customers/"):
            return self._customers(url)
        if url.path == "/v1/changes":
            q = parse_qs(url.query)
            try:
                cursor, limit = int(q["cursor"][0]), int(q["limit"][0])
            except (KeyError, ValueError):
                return self._send(422, {"detail": "cursor and limit are required integers"})
            limit = max(1, min(limit, MAX_CHANGE_PAGE))
            with self.server.state.lock:
                after = [c for c in self.server.state.changes if c.seq > cursor]
            page = after[:limit]
            nxt = page[-1].seq if page else cursor
            return self._send(200, ChangePage(changes=page, next_cursor=nxt,
                                              has_more=len(after) > limit).model_dump())
        return self._send(404, {"detail": "not found"})

    def _customers(self, url) -> None:
        import time

        state = self.server.state
        if state.slow_seconds:
            time.sleep(state.slow_seconds)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        rest = url.path[len("/v1/customers/"):]
        with state.lock:
            profiles = list(state.profiles.values())
            if rest.endswith("/profile"):
                cid = rest[:-len("/profile")]
                if cid not in state.profiles:
                    return self._send(404, {"detail": "unknown customer"})
                state.profile_reads.append(cid)
                return self._send(200, state.profiles[cid])
        if rest == "tasks":
            who = q.get("assigned_to")
            tasks = [t for p in profiles for t in p["tasks"] if t["status"] == "open"
                     and t.get("assigned_to") in (None, who)]
            return self._send(200, {"tasks": sorted(tasks, key=lambda t: t["due_date"])})
        return self._send(404, {"detail": "not found"})

    def _duplicates(self, raw: bytes) -> None:
        """POST /v1/customers/duplicates: the phone and e-mail travel in the body."""
        from pos_app.services.customer_book import national_phone
        from sync.protocol import mask_email, mask_phone

        q = json.loads(raw or b"{}")
        phone, email = national_phone(q.get("phone")), (q.get("email") or "").lower()
        with self.server.state.lock:
            profiles = list(self.server.state.profiles.values())
        found = []
        for p in profiles:
            c = p["customer"]
            on = ("phone" if phone and national_phone(c.get("phone")) == phone else
                  "email" if email and (c.get("email") or "").lower() == email else None)
            if on:
                found.append({"id": c["id"], "name": c["name"],
                              "phone_masked": mask_phone(c.get("phone")),
                              "email_masked": mask_email(c.get("email")), "matched_on": on})
        return self._send(200, {"customers": found})

    def do_POST(self) -> None:  # noqa: N802
        state = self.server.state
        raw = self._body()
        if self.path == "/v1/customers/duplicates":
            if self._device() is None:
                return self._send(401, {"detail": "unknown or revoked device"})
            return self._duplicates(raw)
        if self.path == "/v1/enrol":
            try:
                req = EnrolRequest.model_validate_json(raw)
            except ValidationError as exc:
                return self._send(422, {"detail": str(exc)[:200]})
            with state.lock:
                if req.code not in state.codes:
                    return self._send(403, {"detail": "unknown or used enrolment code"})
                state.codes.discard(req.code)
                device_id, secret = state.add_device()
            return self._send(200, EnrolResponse(
                device_id=device_id, device_secret=secret, device_code="T09",
                store_id=state.store_id, store_code=state.store_code).model_dump())
        if self.path != "/v1/push":
            return self._send(404, {"detail": "not found"})
        if self._device() is None:
            return self._send(401, {"detail": "unknown or revoked device"})
        with state.lock:
            state.push_requests += 1
            if state.busy_next:
                state.busy_next -= 1
                return self._send(429, {"detail": "slow down"}, {"Retry-After": "0"})
            action = state.fail_pushes.pop(0) if state.fail_pushes else None
        if action == "before":
            return self._drop()
        try:
            req = PushRequest.model_validate_json(raw)
        except ValidationError as exc:
            return self._send(422, {"detail": str(exc)[:200]})
        with state.lock:  # an HQ that fails on some events, or on everything (500, no JSON)
            crash = state.crash_all or any(ev.id in state.crash_on for ev in req.events)
            if crash:
                state.crashed_requests += 1
        if crash:
            return self._send(500, "Internal Server Error")
        results = []
        with state.lock:
            for ev in req.events:
                if ev.id in state.quarantined:  # replay the verdict, never "duplicate"
                    results.append(EventResult(id=ev.id, status="quarantined",
                                               reason=state.quarantined[ev.id]))
                    continue
                if ev.id in state.events:
                    results.append(EventResult(id=ev.id, status="duplicate"))
                    continue
                state.events[ev.id] = ev.model_dump()
                state.received_order.append(ev.id)
                if ev.payload.get("poison") is True:
                    state.quarantined[ev.id] = "poison payload"
                    results.append(EventResult(id=ev.id, status="quarantined",
                                               reason="poison payload"))
                else:
                    results.append(EventResult(id=ev.id, status="accepted"))
        if action == "after":
            return self._drop()
        self._send(200, PushResponse(results=results).model_dump())


class FakeHQ(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, state: FakeHQState, port: int = 0, *, listening: bool = True) -> None:
        super().__init__(("127.0.0.1", port), _Handler, bind_and_activate=False)
        self.state = state
        self._thread: threading.Thread | None = None
        self._listening = False
        try:
            self.server_bind()  # the port is ours from here on
            if listening:
                self._listen()
        except BaseException:
            self.server_close()
            raise

    def _listen(self) -> None:
        if not self._listening:
            self.server_activate()
            self._listening = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> "FakeHQ":
        self._listen()
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:  # shutdown() waits for serve_forever: only if it runs
            self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(WAIT_S)
