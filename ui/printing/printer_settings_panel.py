"""The Printers part of Settings (managers): set up the receipt printer, test it, read it.

Why: whoever installs the till types the printer's address (tcp://192.168.1.50:9100,
usb://04b8:0202, serial:///dev/ttyUSB0?baudrate=19200, cups://QUEUE), picks its model
(python-escpos profile: code pages, paper width, barcode and QR support), the paper width and
how text prints, then presses "Print test page" (every Vietnamese letter, a barcode and a QR
code) and "Check status" (online, paper, cover, cash drawer) -- before saving, with the
values on the form. "Save" stores the settings in the device database and the print queue
uses them from the next receipt on; receipts waiting for a printer are tried at once. Bad
values get a specific message and change nothing.

UI thread only; printers are built, tested and read on the I/O pool.
"""
from __future__ import annotations

from escpos.capabilities import CAPABILITIES
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout, QWidget)

from hardware.print_job_view import JobState, JobView
from hardware.printer import EscposPrinter
from hardware.printer_settings import PrinterSettings, TextMode
from hardware.printer_uri import parse_printer_uri
from hardware.sample import sample_receipt
from pos_app.receipts.printing import PrintJob, PrintOutcome, PrinterStatus
from ui.printing.print_bridge import PrintBridge
from ui.printing.wording import PrintWording
from ui.services import AppServices


class PrinterSettingsPanel(QGroupBox):
    def __init__(self, services: AppServices, bridge: PrintBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PrinterSettings")
        self._services = services
        self._bridge = bridge
        self._wording = PrintWording(self)
        self._test_job: str | None = None
        self._want_status = False
        self.uri = QLineEdit(self)
        self.uri.setObjectName("PrinterUri")
        self.uri.setPlaceholderText("tcp://192.168.1.50:9100")
        self.profile = QComboBox(self)
        self.profile.setObjectName("PrinterProfile")
        for name in sorted(CAPABILITIES["profiles"], key=str.lower):
            self.profile.addItem(name, name)
        self.width = QComboBox(self)
        self.width.setObjectName("PaperWidth")
        self.text_mode = QComboBox(self)
        self.text_mode.setObjectName("TextMode")
        self.save_btn = self._button("SavePrinter", self.save, primary=True)
        self.test_btn = self._button("PrintTestPage", self.print_test_page)
        self.status_btn = self._button("CheckPrinterStatus", self.check_status)
        self.remove_btn = self._button("RemovePrinter", self.remove)
        self.message = QLabel(self)
        self.message.setObjectName("PrinterMessage")
        self.message.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("PrinterStatusReadout")
        self.status.setWordWrap(True)
        self.form = QFormLayout()
        self.labels = [QLabel(self) for _ in range(4)]
        for label, field in zip(self.labels, (self.uri, self.profile, self.width,
                                              self.text_mode)):
            self.form.addRow(label, field)
        buttons = QHBoxLayout()
        for btn in (self.save_btn, self.test_btn, self.status_btn, self.remove_btn):
            buttons.addWidget(btn)
        col = QVBoxLayout(self)
        col.addLayout(self.form)
        col.addLayout(buttons)
        col.addWidget(self.message)
        col.addWidget(self.status)
        bridge.job_changed.connect(self._job_changed)
        bridge.status_changed.connect(self._status_changed)
        bridge.settings_changed.connect(lambda: self.load(bridge.settings))
        self.retranslate()
        self.load(bridge.settings)

    def _button(self, name: str, slot, primary: bool = False) -> QPushButton:
        btn = QPushButton(self)
        btn.setObjectName(name)
        if primary:
            btn.setProperty("role", "primary")
        btn.clicked.connect(slot)
        return btn

    def retranslate(self) -> None:
        self.setTitle(self.tr("Receipt printer"))
        for label, text in zip(self.labels, (self.tr("Address (URI)"), self.tr("Model (profile)"),
                                             self.tr("Paper width"), self.tr("Text"))):
            label.setText(text)
        self._fill(self.width, [(self.tr("From the model"), None), ("58 mm", 58),
                                ("80 mm", 80)])
        self._fill(self.text_mode, [
            (self.tr("Automatic: the printer's characters, pictures where needed"), "auto"),
            (self.tr("The printer's characters only"), "codepage"),
            (self.tr("Everything as pictures (slower, prints any text)"), "raster")])
        self.save_btn.setText(self.tr("Save"))
        self.test_btn.setText(self.tr("Print test page"))
        self.status_btn.setText(self.tr("Check status"))
        self.remove_btn.setText(self.tr("Remove printer"))
        self._show_status(self._bridge.status)

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[str, object]]) -> None:
        current = combo.currentData()
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(0, combo.findData(current)))

    def load(self, settings: PrinterSettings | None) -> None:
        """Show saved settings (or the defaults for a new printer)."""
        settings = settings or PrinterSettings(uri="tcp://0.0.0.0:9100", profile="TM-T88V")
        self.uri.setText(settings.uri if self._bridge.settings else "")
        self.profile.setCurrentIndex(max(0, self.profile.findData(settings.profile)))
        self.width.setCurrentIndex(max(0, self.width.findData(settings.width_mm)))
        self.text_mode.setCurrentIndex(max(0, self.text_mode.findData(settings.text_mode.value)))

    def form_settings(self) -> PrinterSettings | None:
        """The settings on the form, or None after showing what is wrong with them."""
        uri = self.uri.text().strip()
        if not uri:
            self._say(self.tr("Type the printer's address, e.g. tcp://192.168.1.50:9100."),
                      error=True)
            return None
        base = self._bridge.settings
        try:
            parse_printer_uri(uri)
            values = base.to_dict() if base else {}
            values.update(uri=uri, profile=self.profile.currentData(),
                          width_mm=self.width.currentData(),
                          text_mode=TextMode(self.text_mode.currentData()))
            return PrinterSettings(**values)
        except ValueError as exc:  # SettingsError, PrinterUriError: say which value and why
            self._say(str(exc), error=True)
            return None

    def save(self) -> None:
        settings = self.form_settings()
        if settings is None:
            return
        self._say(self.tr("Saving…"))
        self._bridge.apply_settings(
            settings, lambda _p: self._say(self.tr("Saved. Receipts print on %1.")
                                           .replace("%1", settings.uri)),
            lambda exc: self._say(str(exc), error=True))

    def remove(self) -> None:
        self.uri.clear()
        self._bridge.apply_settings(None, lambda _p: self._say(
            self.tr("No receipt printer is set up now.")),
            lambda exc: self._say(str(exc), error=True))

    def print_test_page(self) -> None:
        settings = self.form_settings()
        if settings is None:
            return
        sample = sample_receipt("vi" if self._services.ctx.locale.startswith("vi") else "en")
        self._say(self.tr("Printing the test page…"))
        if settings == self._bridge.settings:  # the saved printer: through its queue
            self._test_job = self._bridge.print_test_page(sample)
            return
        self._services.tasks.run_io(
            lambda: EscposPrinter(settings).send(PrintJob(sample)), self._tested,
            lambda exc: self._say(str(exc), error=True))

    def check_status(self) -> None:
        settings = self.form_settings()
        if settings is None:
            return
        self._say(self.tr("Asking the printer…"))
        if settings == self._bridge.settings:
            self._want_status = True
            self._bridge.request_status()
            return
        self._services.tasks.run_io(lambda: EscposPrinter(settings).status(),
                                    self._status_read, lambda exc: self._say(str(exc), True))

    def _tested(self, outcome: PrintOutcome) -> None:
        if outcome.ok:
            self._say(self.tr("The test page was printed."))
        else:
            self._say(self._wording.problem(outcome.problem, outcome.message), error=True)
        if outcome.status is not None:
            self._show_status(outcome.status)

    def _job_changed(self, view: JobView) -> None:
        if view.job_id == self._test_job and view.finished:
            self._test_job = None
            self._tested(PrintOutcome(view.state is JobState.PRINTED, view.message,
                                      view.problem))

    def _status_changed(self, status: PrinterStatus) -> None:
        self._show_status(status)
        if self._want_status:
            self._want_status = False
            self._say("")

    def _status_read(self, status: PrinterStatus) -> None:
        self._say("")
        self._show_status(status)

    def _show_status(self, status: PrinterStatus | None) -> None:
        if status is None:
            self.status.setText("")
            return
        lines = [self._wording.status(status, True)]
        if not status.reachable and status.detail:
            lines.append(status.detail)
        lines += [f"{what}: {state}" for what, state in self._wording.status_details(status)]
        self.status.setText("\n".join(lines))

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e;" if error else "")
