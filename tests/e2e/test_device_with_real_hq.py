"""End to end: a real `pos-hq` on loopback, a device enrolled by `pos-app --enrol`, the real
app selling online, then offline while HQ is down, then catching up by itself — each sale at
HQ exactly once, with an intact journal.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from hq.child_process import HQChild
from pos_app.demo.store import DEMO_ASSOCIATES
from sync.outbox_pusher import Backoff
from tests.ui.conftest import sell_one_tee, sign_in
from tests.waiting import WAIT_MS
from ui.app import build_app
from ui.theme import LayoutMode

ROOT = Path(__file__).resolve().parents[2]


def _hq_last_seq(server: HQChild) -> int:
    journal = server.admin("/v1/admin/journal")
    devices = journal if isinstance(journal, list) else journal.get("devices", journal)
    return max((d["last_seq"] for d in devices), default=0)


def test_enrol_sell_online_then_offline_and_catch_up(qtbot, qapp, tmp_path, hq):
    code = hq.cli("enrolment-code", "--store", "HCM1").split()[-1]
    device_db = tmp_path / "till.sqlite3"
    out = subprocess.run([sys.executable, "-m", "ui.app", "--db", str(device_db), "--hq", hq.url,
                          "--enrol", code, "--device-name", "Counter 1", "--screenshot",
                          str(tmp_path / "first.png")], cwd=ROOT, capture_output=True, text=True,
                         timeout=900, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Enrolled as T01 of Storeline Saigon Centre" in out.stdout
    # A second use of the same code is refused.
    again = subprocess.run([sys.executable, "-m", "ui.app", "--db", str(tmp_path / "b.sqlite3"),
                            "--hq", hq.url, "--enrol", code], cwd=ROOT, capture_output=True,
                           text=True, timeout=600, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert again.returncode == 1 and "Enrolment failed" in again.stderr

    app = build_app(device_db, layout=LayoutMode.COUNTER, lang="en", demo_store=None, qt=qapp)
    try:
        assert app.sync is not None  # enrolled: the background sync runs
        app.sync.worker.interval = 1.0
        # The backoff after failures grows with how long HQ was down -- on a busy machine,
        # longer. Capped here so that "catches up by itself" is seconds after HQ is back.
        app.sync.worker.backoff = Backoff(base=0.5, cap=2.0)
        qtbot.addWidget(app.window)
        app.window.show()
        qtbot.waitUntil(lambda: app.window.login.tiles.count() == 3, timeout=WAIT_MS)
        cashier = next(a for a in DEMO_ASSOCIATES["hcm"] if a.code == "C01")
        sign_in(qtbot, app, cashier.code, cashier.pin)
        sell = app.window.sell

        first = sell_one_tee(qtbot, sell).sale_id  # online: reaches HQ within seconds
        qtbot.waitUntil(lambda: _hq_last_seq(hq) == 1, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: app.sync.last is not None and app.sync.last.online
                        and app.sync.last.pending == 0, timeout=WAIT_MS)
        assert "Online" in app.window.sync_label.text()

        hq.stop()  # the internet goes down: the till keeps selling
        offline = [sell_one_tee(qtbot, sell).sale_id for _ in range(2)]
        app.sync.sync_now()
        # Statuses published between the two sales said 1 waiting; wait for the latest.
        qtbot.waitUntil(lambda: app.sync.last is not None and not app.sync.last.online
                        and app.sync.last.pending == 2, timeout=WAIT_MS)
        assert "Offline" in app.window.sync_label.text()

        hq.start()  # back: the worker catches up by itself
        qtbot.waitUntil(lambda: app.sync.last.online and app.sync.last.pending == 0,
                        timeout=60_000)
    finally:
        app.close()
    journal = hq.admin("/v1/admin/journal")
    devices = journal if isinstance(journal, list) else journal.get("devices", journal)
    mine = [d for d in devices if d["last_seq"] == 3]
    assert mine and mine[0]["received"] == 3 and mine[0]["gaps"] == [] \
        and mine[0]["chain_breaks"] == []
    assert {first, *offline}  # three distinct device-made sale ids, each once at HQ


def test_first_run_wizard_enrols_by_scanned_code(qtbot, qapp, tmp_path, hq, shots_dir):
    from ui.enrol_wizard import EnrolWizard
    from ui.tasks import TaskManager

    tasks = TaskManager()
    wizard = EnrolWizard(tmp_path / "new-till.sqlite3", tasks)
    qtbot.addWidget(wizard)
    wizard.resize(640, 480)
    wizard.show()
    wizard.hq.setText(hq.url)
    wizard.take_scan("WRONG-CODE-123")  # a QR from another system: refused, nothing written
    qtbot.mouseClick(wizard.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.error.isHidden(), timeout=WAIT_MS)
    assert "HQ refused the code" in wizard.error.text()
    code = hq.cli("enrolment-code", "--store", "NYC1").split()[-1]
    wizard.take_scan(code.lower())  # scanners may send lower case; HQ normalises
    with qtbot.waitSignal(wizard.enrolled, timeout=120_000) as got:
        qtbot.mouseClick(wizard.go, Qt.MouseButton.LeftButton)
    assert got.args[0].store_code == "NYC1"
    assert "Enrolled as" in wizard.status.text()
    wizard.grab().save(str(shots_dir / "enrol_wizard_done.png"))
    tasks.shutdown()
