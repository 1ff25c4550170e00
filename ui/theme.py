"""Look and feel: bundled font, colours and the two layouts (tablet portrait, counter landscape).

Why: text must render the same on every till, Vietnamese diacritics included, so we bundle
DejaVu Sans (free licence, full Vietnamese coverage) instead of trusting the OS. Touch targets
are at least 48 px high on the tablet layout. Runs on the UI thread at start-up.
"""
from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

FONTS = Path(__file__).resolve().parent.parent / "resources" / "fonts"


class LayoutMode(str, Enum):
    TABLET = "tablet"  # 10" portrait, touch first
    COUNTER = "counter"  # landscape, keyboard + scanner


PRIMARY = "#1f5f8b"
DANGER = "#b3261e"
OK = "#2e7d32"
SURFACE = "#f5f7fa"

_QSS = """
QMainWindow, #Shell { background: %(surface)s; }
QPushButton { min-height: %(target)dpx; padding: 4px 12px; border-radius: 6px;
              background: #e4e9f0; border: 1px solid #c8d1dc; }
QPushButton:pressed { background: #cdd6e2; }
QPushButton:disabled { color: #8a96a3; background: #eef1f5; }
QPushButton[role="primary"] { background: %(primary)s; color: white; border: none; font-weight: bold; }
QPushButton[role="primary"]:disabled { background: #9fb4c5; color: #eef2f6; }
QPushButton[role="danger"] { background: %(danger)s; color: white; border: none; }
QPushButton[role="nav"] { text-align: left; background: transparent; border: none; color: #dfe8f1; }
QPushButton[role="nav"]:checked { background: rgba(255,255,255,0.18); color: white; }
#NavRail { background: #17344d; }
#NavRail QLabel { color: #dfe8f1; }
QLineEdit { min-height: %(target)dpx; padding: 2px 8px; border: 1px solid #b9c4d0; border-radius: 6px; background: white; }
#Banner[level="error"], #PaymentMessage[level="error"] { background: #fde7e6; color: %(danger)s; border: 1px solid %(danger)s; border-radius: 6px; padding: 8px; margin: 2px 0; }
#Banner[level="none"] { background: transparent; border: 1px solid transparent; }
#Banner[level="info"], #PaymentMessage[level="info"] { background: #e7f1fb; color: %(primary)s; border: 1px solid #9cc2e5; border-radius: 6px; padding: 8px; margin: 2px 0; }
#TotalValue, #DueValue { font-size: %(total)dpx; font-weight: bold; }
#StatusBar { background: #e9eef3; border-top: 1px solid #d3dbe4; }
#StatusBar QLabel { font-size: %(small)dpx; }
#TotalLabel { font-size: %(base)dpx; }
"""


def load_fonts() -> str:
    """Register the bundled fonts; returns the family name to use."""
    family = "DejaVu Sans"
    for ttf in sorted(FONTS.glob("*.ttf")):
        ident = QFontDatabase.addApplicationFont(str(ttf))
        fams = QFontDatabase.applicationFontFamilies(ident) if ident >= 0 else []
        if fams:
            family = fams[0]
    return family


def apply_theme(app: QApplication, mode: LayoutMode) -> None:
    family = load_fonts()
    base = 17 if mode is LayoutMode.TABLET else 15
    # Size and colour come from the font and palette, not from a `QWidget {}` style rule:
    # such a rule routes every table cell through the (slow) style-sheet style, which cost
    # ~10 ms per basket repaint. Style rules below target only the widgets that need them.
    font = QFont(family)
    font.setPixelSize(base)
    app.setFont(font)
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#1d2733"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#1d2733"))
    palette.setColor(QPalette.ColorRole.Window, QColor(SURFACE))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#2f7fbf"))
    app.setPalette(palette)
    app.setStyleSheet(_QSS % {
        "base": base, "small": base - 3, "total": base + 15,
        "target": 52 if mode is LayoutMode.TABLET else 36,
        "primary": PRIMARY, "danger": DANGER, "surface": SURFACE,
    })
