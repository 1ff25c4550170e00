"""The Card terminal part of Settings (managers): set up the till's payment terminal, test it.

Why: whoever installs the till types the terminal's address on the store network
(https://192.168.1.60:8443), its POIID (printed on the terminal and in Adyen's Customer Area),
the shared key's identifier, version and passphrase, and picks the CA certificate its
certificate chains to; "Test" asks the terminal what became of a payment it never saw — a
working terminal answers "not found", so nothing is ever charged by a test, and a wrong key, a
certificate naming another terminal or an address nobody answers at each get their own
message. "Save" keeps the settings in the device database (the passphrase too: the database
is the till's own, like its device secret; it is never shown again nor logged) and the next
card payment uses them. Bad values get a specific message and change nothing.

UI thread only; the terminal is built and asked on the I/O pool.
"""
from __future__ import annotations

import uuid

from PySide6.QtWidgets import (QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

from hardware.terminals.adyen_terminal import AdyenTerminal
from hardware.terminals.terminal_settings import TerminalSettings, TerminalSettingsError
from pos_app.payments.authorisation import TerminalAuthoriser
from pos_app.payments.terminal import TerminalError, TerminalOutcome, TerminalResult
from pos_app.tenders import TenderType
from ui.payments.terminal_setting import CARD_TERMINAL_SETTING
from ui.services import AppServices


class TerminalSettingsPanel(QGroupBox):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TerminalSettings")
        self._services = services
        self._desk = services.payments
        self._saved_passphrase = ""
        self.url = QLineEdit(self)
        self.url.setObjectName("TerminalUrl")
        self.url.setPlaceholderText("https://192.168.1.60:8443")
        self.poiid = QLineEdit(self)
        self.poiid.setObjectName("TerminalPoiid")
        self.poiid.setPlaceholderText("P400Plus-123456789")
        self.key_id = QLineEdit(self)
        self.key_id.setObjectName("TerminalKeyId")
        self.key_version = QSpinBox(self)
        self.key_version.setObjectName("TerminalKeyVersion")
        self.key_version.setRange(1, 999)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("TerminalPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_file = QLineEdit(self)
        self.ca_file.setObjectName("TerminalCaFile")
        self.ca_file.setPlaceholderText("/etc/storeline/adyen-terminal-root.pem")
        self.save_btn = self._button("SaveTerminal", self.save, primary=True)
        self.test_btn = self._button("TestTerminal", self.test)
        self.remove_btn = self._button("RemoveTerminal", self.remove)
        self.message = QLabel(self)
        self.message.setObjectName("TerminalMessage")
        self.message.setWordWrap(True)
        self.labels = [QLabel(self) for _ in range(6)]
        form = QFormLayout()
        for label, field in zip(self.labels, (self.url, self.poiid, self.key_id,
                                              self.key_version, self.passphrase,
                                              self.ca_file)):
            form.addRow(label, field)
        buttons = QHBoxLayout()
        for b in (self.save_btn, self.test_btn, self.remove_btn):
            buttons.addWidget(b)
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addLayout(buttons)
        col.addWidget(self.message)
        self.retranslate()
        self.setEnabled(False)  # until the saved settings are on the form
        self._desk.read_setting(CARD_TERMINAL_SETTING, self.load)

    def _button(self, name: str, slot, primary: bool = False) -> QPushButton:
        btn = QPushButton(self)
        btn.setObjectName(name)
        if primary:
            btn.setProperty("role", "primary")
        btn.clicked.connect(slot)
        return btn

    def retranslate(self) -> None:
        self.setTitle(self.tr("Card terminal"))
        for label, text in zip(self.labels, (
                self.tr("Address"), self.tr("Terminal ID (POIID)"), self.tr("Key identifier"),
                self.tr("Key version"), self.tr("Key passphrase"),
                self.tr("CA certificate file"))):
            label.setText(text)
        self.passphrase.setPlaceholderText(self.tr("unchanged") if self._saved_passphrase
                                           else "")
        self.save_btn.setText(self.tr("Save"))
        self.test_btn.setText(self.tr("Test"))
        self.remove_btn.setText(self.tr("Remove terminal"))

    def load(self, data: dict | None) -> None:
        data = data or {}
        self.url.setText(data.get("url", ""))
        self.poiid.setText(data.get("poiid", ""))
        self.key_id.setText(data.get("key_identifier", ""))
        self.key_version.setValue(int(data.get("key_version", 1)))
        self.ca_file.setText(data.get("ca_file", ""))
        self._saved_passphrase = data.get("passphrase", "")
        self.passphrase.clear()
        self.retranslate()
        self.setEnabled(True)

    def form_settings(self) -> TerminalSettings | None:
        """The settings on the form, or None with the reason shown."""
        try:
            return TerminalSettings(
                url=self.url.text().strip(), poiid=self.poiid.text().strip(),
                key_identifier=self.key_id.text().strip(),
                key_version=self.key_version.value(),
                passphrase=self.passphrase.text() or self._saved_passphrase,
                ca_file=self.ca_file.text().strip(),
                sale_id=f"till-{self._services.ctx.device_code}")
        except TerminalSettingsError as exc:
            self._say(str(exc), error=True)
            return None

    def save(self) -> None:
        settings = self.form_settings()
        if settings is None:
            return
        self._say(self.tr("Saving…"))
        self._desk.write_setting(CARD_TERMINAL_SETTING, settings.to_dict(include_passphrase=True),
                                 lambda _r: self._saved(settings),
                                 lambda exc: self._say(str(exc), error=True))

    def _saved(self, settings: TerminalSettings) -> None:
        self._saved_passphrase = settings.passphrase
        self.passphrase.clear()
        self.retranslate()
        self._desk.set_authoriser(TenderType.CARD, TerminalAuthoriser(AdyenTerminal(settings)))
        self._say(self.tr("Saved. Card payments go to %1.").replace("%1", settings.poiid))

    def remove(self) -> None:
        def removed(_r) -> None:
            self._desk.set_authoriser(TenderType.CARD, None)
            self.load(None)
            self._say(self.tr("No card terminal is set up now."))
        self._desk.write_setting(CARD_TERMINAL_SETTING, None, removed,
                                 lambda exc: self._say(str(exc), error=True))

    def test(self) -> None:
        settings = self.form_settings()
        if settings is None:
            return
        self._say(self.tr("Asking the terminal…"))
        self.test_btn.setEnabled(False)

        def ask() -> TerminalResult | str:
            try:
                with AdyenTerminal(settings) as terminal:
                    return terminal.status(str(uuid.uuid4()))  # a payment it never saw
            except TerminalError as exc:
                return str(exc)

        self._services.tasks.run_io(ask, self._tested,
                                    lambda exc: self._tested(str(exc)))

    def _tested(self, answer) -> None:
        self.test_btn.setEnabled(True)
        if isinstance(answer, str):
            self._say(answer, error=True)
        elif answer.outcome is TerminalOutcome.NOT_FOUND:
            self._say(self.tr("The terminal answered: it is set up right. Nothing was "
                              "charged."))
        else:
            self._say(self.tr("The terminal did not answer as expected (%1). Check the "
                              "address and that it is switched on.").replace(
                                  "%1", answer.message or answer.outcome.value), error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e;" if error else "")
