"""LiveLookup against the real HQ app (uvicorn on loopback, SQLite, demo company): answers are
labelled "live" while HQ is up; with HQ stopped the device's saved data comes back quickly,
labelled "cache" with the time of the last good pull; a silent HQ costs at most the timeout.

"Quickly" and "at most the timeout" are checked by what happened, not by a stopwatch: a
stopped HQ refuses at once (the reason says so, not a timeout), a silent one is given up on at
the look-up's timeout (the reason names it), and the look-ups after a failure do not ask HQ at
all (a clock the test holds still keeps them inside `retry_live_after`)."""
from __future__ import annotations

import socket
import threading

import pytest
import uvicorn
from sqlalchemy import select

from hq.api.app import create_app
from hq.db.engine import make_engine as make_hq_engine
from hq.db.migrate import upgrade
from hq.db.models.organisation import AuditLog
from hq.demo.seed import seed_demo
from hq.services.enrolment import create_enrolment_code, enrol
from pos_app.demo.store import DEMO_CUSTOMERS, DEMO_VN_TEE_SKU
from pos_app.store_context import write_setting
from sync.hq_client import HQClient
from sync.live_lookup import LIVE_TIMEOUT, OFFLINE_STOCK, LiveLookup
from sync.status import LAST_PULL_OK
from tests.waiting import PATIENT_HTTP, WAIT_S, wait_for

MAI = DEMO_CUSTOMERS["hcm"]
LAST_PULL = "2026-11-22T08:30:00.000000Z"


class ThreadedHQ:
    """The real HQ app under uvicorn on a loopback port, in a thread; stoppable.

    The socket is bound here and handed to uvicorn, so the port is ours from the start (a port
    picked, released and bound again later may be taken in between on a busy machine)."""

    def __init__(self, engine) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(
            create_app(engine, admin_token="adm"), host="127.0.0.1", port=self.port,
            log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)

    def start(self) -> "ThreadedHQ":
        self.thread.start()
        wait_for(lambda: self.server.started or not self.thread.is_alive(), what="HQ's start")
        assert self.server.started, "HQ did not start"
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(WAIT_S)
        assert not self.thread.is_alive()
        self.sock.close()  # uvicorn closed it already; a no-op then


@pytest.fixture
def hq_and_device(tmp_path, device):
    """(running HQ, device engine, credentials): a demo HQ on SQLite, the HCM device enrolled."""
    engine, _ctx = device
    hq_engine = make_hq_engine(f"sqlite:///{tmp_path / 'hq.db'}")
    upgrade(hq_engine)
    seed_demo(hq_engine)
    with hq_engine.begin() as conn:
        code, _ = create_enrolment_code(conn, "HCM1", 10)
        resp = enrol(conn, code, "lookup tablet")
    with engine.begin() as conn:
        write_setting(conn, LAST_PULL_OK, LAST_PULL)
    hq = ThreadedHQ(hq_engine).start()
    yield hq, engine, (resp.device_id, resp.device_secret), hq_engine
    if hq.thread.is_alive():
        hq.stop()
    hq_engine.dispose()


def test_live_while_hq_is_up_then_saved_data_labelled_cache_when_it_is_down(hq_and_device):
    hq, engine, creds, hq_engine = hq_and_device
    clients: list[HQClient] = []

    def factory() -> HQClient:
        clients.append(HQClient(hq.url, creds))
        return clients[-1]

    # the look-up's short timeout by default (0.8 s to connect, 1.5 s to read) ...
    assert LiveLookup(factory, engine).timeout == LIVE_TIMEOUT == (0.8, 1.5)
    # ... but this HQ is up and the machine may be busy: a slow answer must not read as "down"
    now = [1000.0]  # seconds; held still: `retry_live_after` never runs out by itself
    lookup = LiveLookup(factory, engine, timeout=PATIENT_HTTP, clock=lambda: now[0])
    live = lookup.search_customers("nguyen thi mai")
    assert (live.source, live.error) == ("live", None) and live.as_of > LAST_PULL
    assert MAI.id in [c.id for c in live.data]
    hit = next(c for c in live.data if c.id == MAI.id)
    assert (hit.phone_masked, hit.email_masked, hit.home_store_code) == (
        "+84 90* *** *67", "m***n@example.com", "HCM1")
    assert clients and clients[0].timeout == PATIENT_HTTP  # the look-up's timeout is set on it

    stock = lookup.stock(DEMO_VN_TEE_SKU)
    assert stock.source == "live" and {lv.store_code for lv in stock.data} == {"HCM1", "NYC1"}
    profile = lookup.customer(MAI.id)
    assert profile.source == "live" and profile.data.phone == MAI.phone
    with hq_engine.connect() as conn:
        assert conn.execute(select(AuditLog.subject, AuditLog.device_id)).all() == [
            (MAI.id, creds[0])]
    refused = lookup.stock("NO-SUCH-SKU")  # HQ answered: live, with its reason
    assert (refused.source, refused.data) == ("live", []) and "unknown SKU" in refused.error

    hq.stop()
    reasons = []
    for q in ("nguyen thi mai", "0901 234 567", "+84901234567", "SLVN0000000001"):
        cached = lookup.search_customers(q)
        assert (cached.source, cached.as_of) == ("cache", LAST_PULL), q
        assert cached.error.startswith("offline"), q
        assert cached.data and cached.data[0].id == MAI.id, (q, cached.data[:3])
        assert (cached.data[0].phone_masked, cached.data[0].email_masked) == (
            "+84 90* *** *67", "m***n@example.com")
        reasons.append(cached.error)
    # quickly: the first asked HQ and was refused at once (no timeout was waited for); the
    # others did not ask HQ at all
    assert "ConnectionError" in reasons[0] and "Timeout" not in reasons[0], reasons[0]
    assert reasons[1:] == ["offline: HQ did not answer recently"] * 3
    offline_stock = lookup.stock(DEMO_VN_TEE_SKU)  # not asked either: no cache of it yet
    assert (offline_stock.data, offline_stock.source, offline_stock.error) == (
        [], "cache", OFFLINE_STOCK)
    offline_profile = lookup.customer(MAI.id)
    assert offline_profile.source == "cache" and offline_profile.data.phone == MAI.phone
    for client in clients:
        client.close()


def test_a_silent_hq_costs_at_most_the_timeout_then_the_cache_answers(device):
    engine, _ctx = device
    with engine.begin() as conn:
        write_setting(conn, LAST_PULL_OK, LAST_PULL)
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        client = HQClient(url, ("00000000-0000-4000-8000-000000000000", "secret"))
        now = [1000.0]  # held still: "recently" does not run out while the test runs
        lookup = LiveLookup(client, engine, timeout=(0.3, 0.5), retry_live_after=60,
                            clock=lambda: now[0])
        assert client.timeout == (0.3, 0.5)  # what the look-up waits for, at most
        first = lookup.search_customers("nguyen thi mai")
        assert (first.source, first.as_of) == ("cache", LAST_PULL)
        assert "Timeout" in first.error, first.error  # HQ was asked and given up on
        assert MAI.id in [c.id for c in first.data]
        # HQ just failed to answer: the next look-ups go straight to the cache, not asking
        again = lookup.search_customers("mai")
        assert (again.source, again.error) == ("cache", "offline: HQ did not answer recently")
        now[0] += 61  # once `retry_live_after` has passed, HQ is asked again
        assert "Timeout" in lookup.search_customers("mai").error
        client.close()
