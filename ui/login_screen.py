"""PIN login: tap your name, type your PIN. Also the lock screen after idle.

Why: every sale records who rang it up; associates share tills, so logging in must take two
seconds. The PIN check (argon2, slow by design) runs on the database worker. UI thread only.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pos_app.auth import Associate
from ui.pin_pad import PinPad
from ui.services import AppServices


class LoginScreen(QWidget):
    logged_in = Signal(object)  # Associate

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LoginScreen")
        self._services = services
        self._associates: list[Associate] = []
        self._selected: Associate | None = None

        self.title = QLabel(self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet("font-size: 26px; font-weight: bold;")
        self.store = QLabel(services.ctx.store_name, self)
        self.store.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tiles = QGridLayout()
        self.who = QLabel(self)
        self.who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pad = PinPad("PinField", self)
        self.pad.submitted.connect(self._submit)
        self.pin, self.error, self.keypad = self.pad.pin, self.pad.error, self.pad.keypad
        self.sign_in = QPushButton(self)
        self.sign_in.setProperty("role", "primary")
        self.sign_in.clicked.connect(self._submit)

        col = QVBoxLayout()
        col.addWidget(self.title)
        col.addWidget(self.store)
        col.addSpacing(12)
        col.addLayout(self.tiles)
        col.addSpacing(12)
        col.addWidget(self.who)
        col.addWidget(self.pad)
        col.addWidget(self.sign_in)
        col.addStretch(1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(col, 3)
        outer.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Sign in to Storeline"))
        self.pin.setPlaceholderText(self.tr("PIN"))
        self.sign_in.setText(self.tr("Sign in"))
        self._show_selected()

    def load(self) -> None:
        """Fetch the store's associates (database worker) and show a tile for each."""
        self._services.tasks.run_db(self._services.till.associates, self._show_associates)

    def _show_associates(self, associates: list[Associate]) -> None:
        self._associates = associates
        while self.tiles.count():
            self.tiles.takeAt(0).widget().deleteLater()
        for i, assoc in enumerate(associates):
            btn = QPushButton(f"{assoc.name}\n{assoc.code}", self)
            btn.setObjectName(f"tile_{assoc.code}")
            btn.setMinimumHeight(64)
            btn.clicked.connect(lambda _=False, a=assoc: self.select(a))
            self.tiles.addWidget(btn, i // 3, i % 3)
        if len(associates) == 1:
            self.select(associates[0])

    def select(self, assoc: Associate) -> None:
        self._selected = assoc
        self.error.hide()
        self.pin.clear()
        self.pin.setFocus()
        self._show_selected()

    def select_code(self, code: str) -> None:
        for assoc in self._associates:
            if assoc.code == code:
                self.select(assoc)
                return

    def _show_selected(self) -> None:
        self.who.setText(self._selected.name if self._selected else self.tr("Tap your name"))

    def _submit(self) -> None:
        if self._selected is None:
            self._fail(self.tr("Tap your name first"))
            return
        pin = self.pad.take_pin()
        self.sign_in.setEnabled(False)
        assoc_id = self._selected.id
        self._services.tasks.run_db(lambda: self._services.till.login(assoc_id, pin),
                                    self._done, lambda exc: self._fail(str(exc)))

    def _done(self, associate: Associate | None) -> None:
        self.sign_in.setEnabled(True)
        if associate is None:
            self._fail(self.tr("Wrong PIN. Try again."))
            return
        self.error.hide()
        self.logged_in.emit(associate)

    def _fail(self, message: str) -> None:
        self.sign_in.setEnabled(True)
        self.pad.show_error(message)
