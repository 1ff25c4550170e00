"""The message line above a screen's work: an error (red), an info (blue), or nothing.

Why: a bad scan, a refused edit or a drawer that did not open must be seen at once, without
a dialog to dismiss. Screens and the actions on them (the Sell screen, "No sale", the basket's
customer) all speak through one Banner, so they need the banner, not the screen that shows it.
A message clears itself after 6 s. The "level" property ("error", "info", "none") picks the
theme's style (ui/theme.py, #Banner[level=...]); `error_shown` lets the screen add its own cue
(the Sell screen flashes its search field).

Fast on purpose (scan budget): the banner is always present at a fixed height, so a message,
or its end, repaints the banner alone; a banner that appeared and vanished would re-lay-out
and repaint the screen on every scan. Re-styling costs milliseconds, so it happens only when
the level changes. UI thread only.
"""
from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

ERROR, INFO, NONE = "error", "info", "none"
SHOWN_MS = 6000  # how long a message stays


class Banner(QLabel):
    error_shown = Signal()  # after an error's text is up

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setWordWrap(True)
        self.setContentsMargins(8, 4, 8, 4)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 20)  # two lines of text
        self.setProperty("level", NONE)
        self._timer = QTimer(self, singleShot=True, interval=SHOWN_MS)
        self._timer.timeout.connect(self.clear_message)

    @property
    def level(self) -> str:
        """"error", "info" or "none": what the associate sees."""
        return self.property("level")

    def show_error(self, message: str) -> None:
        self._show(ERROR, message)
        self.error_shown.emit()

    def show_info(self, message: str) -> None:
        self._show(INFO, message)

    def clear_message(self) -> None:
        self._show(NONE, "")
        self._timer.stop()

    def _show(self, level: str, message: str) -> None:
        if self.property("level") != level:  # re-styling costs ms: only on change
            self.setProperty("level", level)
            self.style().unpolish(self)
            self.style().polish(self)
        self.setText(message)
        self._timer.start()

    def boxed(self, parent: QWidget | None = None) -> QWidget:
        """The banner in a fixed-height box of its own, to put in a layout: a new message
        re-lays-out the box, not the whole screen."""
        box = QWidget(parent)
        box.setFixedHeight(self.height())
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self)
        return box
