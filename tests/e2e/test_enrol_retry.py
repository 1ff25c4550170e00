"""End to end: HQ's enrolment answer is lost on the way to the till; the installer taps
"Enrol" again with the same code and the till gets its device (one device at HQ), while the
same code from another till is still refused."""
from __future__ import annotations

import pytest
import requests

from hq.child_process import HQChild
from pos_app.db.engine import make_engine
from sync.enrolment import REQUEST_KEY, enrol_device
from sync.hq_client import HQClient, HQRejected, HQUnreachable
from tests.sync.fault_proxy import FaultProxy

ADMIN_TOKEN = "e2e-admin-token"


@pytest.fixture
def hq(tmp_path):
    server = HQChild(f"sqlite:///{tmp_path / 'hq.sqlite3'}", ADMIN_TOKEN)
    server.cli("demo-seed")
    server.start()
    yield server
    server.stop()


def test_a_lost_enrolment_answer_is_retried_with_the_same_request(tmp_path, hq):
    code = hq.cli("enrolment-code", "--store", "NYC1").split()[-1]
    proxy = FaultProxy(hq.port).start()
    try:
        proxy.plan = ["drop_mid"]  # HQ enrols the device; its answer never arrives whole
        engine = make_engine(tmp_path / "till.sqlite3")
        with pytest.raises(HQUnreachable):
            enrol_device(engine, HQClient(proxy.url, None, timeout=(2, 10)), code, "iPad 3")
        with engine.connect() as conn:
            from pos_app.store_context import read_setting
            assert read_setting(conn, "device_id") is None  # nothing half-enrolled
            kept = read_setting(conn, REQUEST_KEY)
        assert len(kept["id"]) == 36 and code not in str(kept)  # only a hash of the code
        # the network is back (straight to HQ: the proxy frames only Content-Length bodies,
        # and the store download after enrolment is a streamed snapshot)
        ctx = enrol_device(engine, HQClient(hq.url, None, timeout=(2, 60)), code, "iPad 3")
        assert ctx.store_code == "NYC1" and ctx.device_code == "T01"
        devices = hq.admin("/v1/admin/journal")["devices"]
        assert [d["device_id"] for d in devices] == [ctx.device_id]
        # the till works with the secret it received; another till cannot reuse the code
        client = HQClient(hq.url, None)
        from sync.enrolment import stored_credentials
        client.set_credentials(*stored_credentials(engine))
        assert client.changes(0, 1).changes
        other = make_engine(tmp_path / "other.sqlite3")
        with pytest.raises(HQRejected, match="already used"):
            enrol_device(other, HQClient(hq.url, None), code, "thief")
        engine.dispose()
        other.dispose()
    finally:
        proxy.stop()
    assert requests.get(f"{hq.url}/healthz", timeout=5).ok
