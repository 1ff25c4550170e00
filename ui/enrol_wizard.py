"""First run on a new till: enrol it with HQ using a one-time code, then download the store.

Why: issue 3 — HQ IT makes an enrolment code (text and QR) for a store; on the new tablet the
installer types HQ's address once and types the code or scans its QR (a 2D scanner types it
into the focused field like any wedge scanner). The exchange and the catalog download run on
the I/O pool with progress; the UI thread only shows it. UI thread only, except `_enrol`.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
                               QVBoxLayout, QWidget)

from sync.hq_client import HQError, HQRejected
from ui.enrol import enrol_till
from ui.pin_pad import error_banner
from ui.tasks import TaskManager


class EnrolWizard(QWidget):
    enrolled = Signal(object)  # the StoreContext of the new till
    progress = Signal(int)  # changes downloaded so far (emitted from the I/O thread)

    def __init__(self, db_path: Path, tasks: TaskManager, hq_url: str = "",
                 parent: QWidget | None = None, resuming: bool = False) -> None:
        """`resuming`: the till is enrolled but its download was cut off; it continues with
        the credentials it kept (the one-time code is spent), so no code is asked."""
        super().__init__(parent)
        self.resuming = resuming
        self.setObjectName("EnrolWizard")
        self.setWindowTitle("Storeline")
        self._db_path = db_path
        self._tasks = tasks
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 24px; font-weight: bold;")
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.hq = QLineEdit(hq_url, self)
        self.hq.setObjectName("HqAddress")
        self.hq.setPlaceholderText("https://hq.example.com")
        self.code = QLineEdit(self)
        self.code.setObjectName("EnrolCode")
        self.code.returnPressed.connect(self.submit)
        self.name = QLineEdit(self)
        self.name.setObjectName("DeviceName")
        self.error = error_banner(self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.bar.hide()
        self.status = QLabel(self)
        self.go = QPushButton(self)
        self.go.setObjectName("EnrolButton")
        self.go.setProperty("role", "primary")
        self.go.clicked.connect(self.submit)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.lbl_hq, self.lbl_code, self.lbl_name = QLabel(self), QLabel(self), QLabel(self)
        self.form.addRow(self.lbl_hq, self.hq)
        self.form.addRow(self.lbl_code, self.code)
        self.form.addRow(self.lbl_name, self.name)
        col = QVBoxLayout(self)
        col.addWidget(self.title)
        col.addWidget(self.explain)
        col.addLayout(self.form)
        col.addWidget(self.error)
        col.addWidget(self.bar)
        col.addWidget(self.status)
        col.addWidget(self.go)
        col.addStretch(1)
        for widget in (self.lbl_code, self.code, self.lbl_name, self.name):
            widget.setVisible(not resuming)
        self.progress.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Set up this till"))
        self.explain.setText(self.tr("Ask HQ IT for an enrolment code for your store. Type it, "
                                     "or scan its QR code with the till's scanner."))
        self.lbl_hq.setText(self.tr("HQ address"))
        self.lbl_code.setText(self.tr("Enrolment code"))
        self.lbl_name.setText(self.tr("Name of this till"))
        self.name.setPlaceholderText(self.tr("e.g. Counter 1"))
        self.go.setText(self.tr("Enrol and download the store"))
        if self.resuming:
            self.explain.setText(self.tr("This till is enrolled, but downloading the store "
                                         "did not finish. Resume it: no new code is needed."))
            self.go.setText(self.tr("Resume the download"))

    def take_scan(self, text: str) -> None:
        """A scanned QR: the code goes into the code field (wired to the wedge filter)."""
        self.code.setText(text.strip())

    def submit(self) -> None:
        url, code = self.hq.text().strip().rstrip("/"), self.code.text().strip().upper()
        name = self.name.text().strip() or "Till"
        if not url.startswith(("http://", "https://")):
            self._fail(self.tr("Type HQ's address, starting with https:// (or http:// on a "
                               "test network)."))
            return
        if self.resuming:
            code = "RESUME"  # not sent: the kept credentials are used (sync.enrolment)
        elif len(code) < 6:
            self._fail(self.tr("The enrolment code is at least 6 characters."))
            return
        self.error.hide()
        self.go.setEnabled(False)
        self.bar.show()
        self.status.setText(self.tr("Contacting HQ…"))
        self._tasks.run_io(lambda: self._enrol(url, code, name), self._done, self._failed)

    def _enrol(self, url: str, code: str, name: str):  # I/O pool thread
        return enrol_till(self._db_path, url, code, name, progress=self.progress.emit)

    def _show_progress(self, applied: int) -> None:
        self.status.setText(self.tr("Downloading the store: %1 items").replace("%1", str(applied)))

    def _done(self, ctx) -> None:
        self.bar.hide()
        self.status.setText(self.tr("Enrolled as %1 of %2.").replace("%1", ctx.device_code)
                            .replace("%2", ctx.store_name))
        self.enrolled.emit(ctx)

    def _failed(self, exc: BaseException) -> None:
        self.go.setEnabled(True)
        self.bar.hide()
        self.status.setText("")
        if isinstance(exc, HQRejected):
            self._fail(self.tr("HQ refused the code: %1. Ask HQ IT for a new one.")
                       .replace("%1", exc.reason))
        elif isinstance(exc, HQError):
            self._fail(self.tr("HQ cannot be reached at that address. Check the address and "
                               "the network, then try again."))
        else:
            self._fail(str(exc))

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
