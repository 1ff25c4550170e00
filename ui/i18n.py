"""English and Vietnamese through Qt translations (resources/i18n/storeline_<lang>.qm).

Why: associates pick their language; Qt's translator switches every tr() string. The .ts
sources are kept in the repo and compiled to .qm by `python -m ui.i18n` (pyside6-lrelease);
tests check the .qm is up to date. Runs on the UI thread.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

I18N = Path(__file__).resolve().parent.parent / "resources" / "i18n"
LANGUAGES = {"en": "English", "vi": "Tiếng Việt"}

_installed: list[QTranslator] = []


def install_language(app: QCoreApplication, lang: str) -> bool:
    """Switch the UI language; "en" removes translations. True when the language is active."""
    for tr in _installed:
        app.removeTranslator(tr)
    _installed.clear()
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if lang == "vi" else QLocale.Language.English))
    if lang == "en":
        return True
    translator = QTranslator(app)
    if not translator.load(str(I18N / f"storeline_{lang}.qm")):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


def compile_translations() -> None:
    """Compile every .ts into .qm with the lrelease shipped in PySide6."""
    from PySide6 import __file__ as pyside_init

    lrelease = Path(pyside_init).parent / "lrelease"
    for ts in I18N.glob("*.ts"):
        subprocess.check_call([str(lrelease), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))])


if __name__ == "__main__":
    compile_translations()
    sys.exit(0)
