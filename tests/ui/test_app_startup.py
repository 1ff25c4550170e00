"""Start-up as a user meets it: the README's demo command, and an older database upgraded."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from alembic import command

from pos_app.db.engine import make_engine
from pos_app.db.migrate import HEAD, _config
from pos_app.demo.store import DEMO_VN_TEE_BARCODE, load_demo
from tests.waiting import WAIT_MS
from ui.app import build_app
from ui.theme import LayoutMode

ROOT = Path(__file__).resolve().parents[2]


def test_demo_command_opens_the_demo_store(tmp_path):
    """`pos-app --demo` (what `python3 dev.py demo` runs) creates the store and shows it."""
    db, shot = tmp_path / "demo.sqlite3", tmp_path / "first-screen.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-m", "ui.app", "--demo", "--db", str(db),
                          "--screenshot", str(shot)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=600)  # a hang guard
    assert out.returncode == 0, out.stderr
    assert "Storeline Saigon Centre" in out.stdout
    assert shot.stat().st_size > 10_000  # a real picture of the login screen
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM variants").fetchone()[0] > 1000
        assert conn.execute("SELECT count(*) FROM barcodes WHERE code = ?",
                            (DEMO_VN_TEE_BARCODE,)).fetchone() == (1,)


def test_a_new_till_opens_the_enrolment_wizard(tmp_path):
    """No demo and no enrolled database: the first-run wizard asks for HQ and a code."""
    shot = tmp_path / "wizard.png"
    out = subprocess.run([sys.executable, "-m", "ui.app", "--db", str(tmp_path / "new.sqlite3"),
                          "--screenshot", str(shot)], cwd=ROOT, capture_output=True, text=True,
                         timeout=600, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert shot.stat().st_size > 5_000


def test_app_upgrades_an_older_database_and_keeps_its_sales(qtbot, qapp, tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    load_demo(engine, "hcm")
    with engine.begin() as conn:  # a sale recorded by the older version
        conn.exec_driver_sql(
            "INSERT INTO sales(id, device_id, store_id, seq, receipt_no, associate_id, currency,"
            " tax_mode, subtotal, discount_total, tax_total, total, created_at)"
            " SELECT 'old-sale', 'd', id, 1, 'OLD-1', 'a', 'VND', 'inclusive', 1, 0, 0, 1,"
            " '2026-01-01T00:00:00.000000Z' FROM stores")
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")  # as the first release left it
    engine.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)

    app = build_app(path, layout=LayoutMode.COUNTER, lang="en", demo_store=None, qt=qapp)
    try:
        qtbot.addWidget(app.window)
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
            assert conn.execute("SELECT receipt_no FROM sales").fetchall() == [("OLD-1",)]
            assert conn.execute("SELECT count(*) FROM audit_log").fetchone() is not None
        qtbot.waitUntil(lambda: app.window.login.tiles.count() == 3, timeout=WAIT_MS)
    finally:
        app.close()
