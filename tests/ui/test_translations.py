"""Every UI string has a Vietnamese translation and the compiled .qm matches the .ts."""
from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6 import __file__ as pyside_init

from ui.i18n import I18N

ROOT = Path(__file__).resolve().parents[2]


def test_every_ui_string_is_in_the_ts_and_translated(tmp_path):
    lupdate = Path(pyside_init).parent / "lupdate"
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    fresh = tmp_path / "fresh.ts"
    shutil.copy(I18N / "storeline_vi.ts", fresh)
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh), "-no-obsolete", "-silent"],
                   check=True, capture_output=True)
    untranslated = [
        m.findtext("source") for m in ET.parse(fresh).iter("message")
        if not (m.findtext("translation") or "").strip()
        or m.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
    ]
    assert untranslated == [], f"Add Vietnamese for: {untranslated} (see README, Translations)"


def test_compiled_qm_is_up_to_date(tmp_path):
    lrelease = Path(pyside_init).parent / "lrelease"
    out = tmp_path / "check.qm"
    subprocess.run([str(lrelease), "-silent", str(I18N / "storeline_vi.ts"), "-qm", str(out)],
                   check=True)
    assert out.read_bytes() == (I18N / "storeline_vi.qm").read_bytes(), \
        "Run `python -m ui.i18n` and commit resources/i18n/storeline_vi.qm"
