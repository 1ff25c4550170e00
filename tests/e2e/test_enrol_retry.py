"""End to end: HQ's enrolment answer is lost on the way to the till; the installer taps
"Enrol" again with the same code and the till gets its device (one device at HQ), while the
same code from another till is still refused."""
from __future__ import annotations

import pytest
import requests

from pos_app.db.engine import make_engine
from sync.enrolment import REQUEST_KEY, enrol_device
from sync.hq_client import HQClient, HQRejected, HQUnreachable
from tests.sync.fault_proxy import FaultProxy
from tests.waiting import PATIENT_HTTP


def test_a_lost_enrolment_answer_is_retried_with_the_same_request(tmp_path, hq):
    code = hq.cli("enrolment-code", "--store", "NYC1").split()[-1]
    proxy = FaultProxy(hq.port).start()
    try:
        proxy.plan = ["drop_mid"]  # HQ enrols the device; its answer never arrives whole
        engine = make_engine(tmp_path / "till.sqlite3")
        with pytest.raises(HQUnreachable):
            enrol_device(engine, HQClient(proxy.url, None, timeout=PATIENT_HTTP), code, "iPad 3")
        with engine.connect() as conn:
            from pos_app.store_context import read_setting
            assert read_setting(conn, "device_id") is None  # nothing half-enrolled
            kept = read_setting(conn, REQUEST_KEY)
        assert len(kept["id"]) == 36 and code not in str(kept)  # only a hash of the code
        # the network is back (straight to HQ: the proxy frames only Content-Length bodies,
        # and the store download after enrolment is a streamed snapshot)
        ctx = enrol_device(engine, HQClient(hq.url, None, timeout=PATIENT_HTTP), code, "iPad 3")
        assert ctx.store_code == "NYC1" and ctx.device_code == "T01"
        devices = hq.admin("/v1/admin/journal")["devices"]
        assert [d["device_id"] for d in devices] == [ctx.device_id]
        # the till works with the secret it received; another till cannot reuse the code
        client = HQClient(hq.url, None, timeout=PATIENT_HTTP)
        from sync.enrolment import stored_credentials
        client.set_credentials(*stored_credentials(engine))
        assert client.changes(0, 1).changes
        other = make_engine(tmp_path / "other.sqlite3")
        with pytest.raises(HQRejected, match="already used"):
            enrol_device(other, HQClient(hq.url, None, timeout=PATIENT_HTTP), code, "thief")
        engine.dispose()
        other.dispose()
    finally:
        proxy.stop()
    assert requests.get(f"{hq.url}/healthz", timeout=PATIENT_HTTP).ok


def test_an_interrupted_store_download_is_resumed_from_the_wizard_without_a_code(
        qtbot, qapp, tmp_path, hq, shots_dir):
    """The connection drops in the middle of the store download: the till is enrolled (the
    code is spent) but has no complete catalog, so it does not open for selling; the wizard
    comes back without asking for a code and "Resume the download" finishes it."""
    from PySide6.QtCore import Qt

    from ui.app import interrupted_download, is_provisioned
    from ui.enrol import enrol_till
    from ui.enrol_wizard import EnrolWizard
    from ui.tasks import TaskManager

    code = hq.cli("enrolment-code", "--store", "HCM1").split()[-1]
    db = tmp_path / "till.sqlite3"
    proxy = FaultProxy(hq.port).start()
    proxy_url = proxy.url
    try:
        proxy.plan = ["pass", "cut_after:30000"]  # enrolment answered; the snapshot cut short
        with pytest.raises(HQUnreachable):
            enrol_till(db, proxy.url, code, "Tablet 2")
    finally:
        proxy.stop()
    assert not is_provisioned(db)
    assert interrupted_download(db) == proxy_url
    tasks = TaskManager()
    wizard = EnrolWizard(db, tasks, hq.url, resuming=True)
    qtbot.addWidget(wizard)
    wizard.resize(640, 480)
    wizard.show()
    assert wizard.code.isHidden() and wizard.go.text() == "Resume the download"
    wizard.grab().save(str(shots_dir / "enrol_wizard_resume.png"))
    with qtbot.waitSignal(wizard.enrolled, timeout=120_000) as got:
        qtbot.mouseClick(wizard.go, Qt.MouseButton.LeftButton)
    assert got.args[0].store_code == "HCM1"
    assert is_provisioned(db) and interrupted_download(db) is None
    tasks.shutdown()
