"""The README's first command: `python3 dev.py demo` runs a local HQ and an enrolled till."""
from __future__ import annotations

import importlib.util
import os
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _dev_module(demo_dir: Path):
    os.environ["STORELINE_DEMO_DIR"] = str(demo_dir)
    spec = importlib.util.spec_from_file_location("storeline_dev", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_seeds_hq_enrols_a_till_and_reopens_it(tmp_path, monkeypatch):
    demo_dir = tmp_path / "demo"
    dev = _dev_module(demo_dir)
    monkeypatch.delenv("STORELINE_DEMO_DIR")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    first = dev.run_demo(sys.executable, ["--screenshot", str(tmp_path / "1.png")], env)
    assert first == 0
    till = demo_dir / "till-hcm.sqlite3"
    with sqlite3.connect(till) as conn:
        settings = dict(conn.execute("SELECT key, value FROM settings").fetchall())
        variants = conn.execute("SELECT count(*) FROM variants").fetchone()[0]
    assert '"HCM1"' == settings["store_code"] and variants > 2000  # downloaded from HQ
    assert settings["hq_url"].startswith('"http://127.0.0.1:')
    # Second run: HQ gets a new port; the till is pointed at it and opens without enrolling.
    assert dev.run_demo(sys.executable, ["--screenshot", str(tmp_path / "2.png")], env) == 0
    with sqlite3.connect(till) as conn:
        url = conn.execute("SELECT value FROM settings WHERE key = 'hq_url'").fetchone()[0]
    assert url.startswith('"http://127.0.0.1:') and (tmp_path / "2.png").stat().st_size > 10_000
