"""Connects the print queue (a plain worker thread in hardware/) to the Qt UI.

Why: the UI thread never does I/O (DESIGN.md §5) and hardware/ must not know Qt (§2). The
queue reports on its worker thread; emitting a signal of this UI-thread object from there
queues the call onto the UI thread, where `jobs` (the unfinished jobs) and `status` (the
printer's last known status) are updated before `job_changed` / `status_changed` reach the
screens. Everything that needs the printer or the database -- building a printer from new
settings (it loads fonts), receipt previews (a database read and drawing) -- runs on the
I/O pool; results come back through TaskManager callbacks.

Created once by the composition root (ui/app.py). UI thread, except `_from_worker_*`.
"""
from __future__ import annotations

import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from sqlalchemy import Engine

from hardware.print_job_view import JobView
from hardware.print_queue import PrintQueue
from pos_app.ports import ReceiptPrinter, SystemClock
from pos_app.receipts.receipt import Receipt
from pos_app.receipts.printing import PrinterStatus
from pos_app.services.checkout import CompletedSale
from pos_app.services.print_jobs import PrintJobStore, ReceiptReader, receipt_job_id
from pos_app.store_context import StoreContext, read_setting, write_setting
from ui.tasks import TaskManager

if TYPE_CHECKING:  # python-escpos, Pillow and the fonts load off the UI thread, on demand
    from hardware.escpos_render import ReceiptRenderer
    from hardware.printer_settings import PrinterSettings

log = logging.getLogger(__name__)

PRINTER_SETTING = "receipt_printer"  # = hardware.printer_settings.PRINTER_SETTING
_REMEMBERED = 50  # finished jobs kept for the screens that show a job's outcome


def load_printer_settings(writer: Engine) -> dict | None:
    """The saved receipt printer's settings as stored (start-up): None when none is set up.
    They are checked when the printer is built, on the print worker."""
    with writer.connect() as conn:
        return read_setting(conn, PRINTER_SETTING) or None


def save_printer_settings(writer: Engine, settings: "PrinterSettings | None") -> None:
    """Database worker (or start-up): None removes the printer."""
    with writer.begin() as conn:
        write_setting(conn, PRINTER_SETTING, settings.to_dict() if settings else None)


def build_printer(settings: "PrinterSettings") -> ReceiptPrinter:
    """An ESC/POS printer (loads python-escpos and the fonts): I/O pool or print worker."""
    from hardware.printer import EscposPrinter

    return EscposPrinter(settings)


def to_qimage(image) -> QImage:
    """A Pillow image as a grey QImage (any thread: QImage is not a QObject)."""
    grey = image.convert("L")
    data = grey.tobytes()
    return QImage(data, grey.width, grey.height, grey.width,
                  QImage.Format.Format_Grayscale8).copy()


class PrintBridge(QObject):
    job_changed = Signal(object)  # JobView, UI thread
    status_changed = Signal(object)  # PrinterStatus, UI thread
    settings_changed = Signal()  # the printer was built, set up, changed or removed
    _job_from_worker = Signal(object)
    _status_from_worker = Signal(object)
    _settings_from_worker = Signal(object)  # (PrinterSettings | None, problem | None)

    def __init__(self, tasks: TaskManager, writer: Engine, reader: Engine, ctx: StoreContext,
                 saved: dict | None = None) -> None:
        super().__init__()
        self._tasks = tasks
        self._writer = writer
        self.saved = saved  # the stored settings; checked when the printer is built
        self.settings: PrinterSettings | None = None  # once built (or applied)
        self.settings_problem: str | None = None  # why the saved settings are unusable
        self.jobs: dict[str, JobView] = {}  # unfinished, oldest first
        self.recent: OrderedDict[str, JobView] = OrderedDict()  # latest view of each job
        self.status: PrinterStatus | None = None
        self.receipts = ReceiptReader(reader)
        self._preview_renderer: ReceiptRenderer | None = None
        self._job_from_worker.connect(self._remember_job)
        self._status_from_worker.connect(self._remember_status)
        self._settings_from_worker.connect(self._remember_settings)
        self.queue = PrintQueue(None, self.receipts,
                                PrintJobStore(writer, reader, SystemClock()),
                                device_id=ctx.device_id, on_job=self._job_from_worker.emit,
                                on_status=self._status_from_worker.emit)

    # --- life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker: it builds the saved printer, then resumes unfinished receipts."""
        self.queue.start(resume=True, printer_factory=self._saved_printer)

    def stop(self) -> None:
        self.queue.stop(timeout=3)

    @property
    def has_printer(self) -> bool:
        return self.saved is not None and self.settings_problem is None

    def _saved_printer(self) -> ReceiptPrinter | None:  # print worker
        if not self.saved:
            return None
        from hardware.printer_settings import PrinterSettings

        try:
            settings = PrinterSettings.from_dict(self.saved)
            printer = build_printer(settings)
        except (ValueError, TypeError) as exc:  # SettingsError, PrinterUriError, bad JSON
            log.warning("receipt printer settings are unusable: %s", exc)
            self._settings_from_worker.emit((None, str(exc)))
            return None
        self._settings_from_worker.emit((settings, None))
        return printer

    def _remember_settings(self, packed: tuple) -> None:
        self.settings, self.settings_problem = packed
        self.settings_changed.emit()

    # --- what screens ask for (UI thread) -------------------------------------------------
    def print_sale(self, sale: CompletedSale) -> str:
        """Print a sale's receipt right after its commit (and open the drawer of a cash sale)."""
        return self.queue.submit_sale(sale.sale_id, open_drawer=sale.opens_drawer)

    def receipt_job_id(self, sale_id: str) -> str:
        return receipt_job_id(sale_id)

    def reprint(self, sale_id: str) -> str:
        return self.queue.reprint(sale_id)

    def open_drawer(self) -> str:
        return self.queue.open_drawer()

    def print_test_page(self, receipt: Receipt) -> str:
        return self.queue.print_receipt(receipt)

    def retry(self, job_id: str | None = None) -> None:
        self.queue.retry(job_id)

    def discard(self, job_id: str) -> None:
        self.queue.discard(job_id)

    def request_status(self) -> None:
        self.queue.request_status()

    def stuck_jobs(self) -> list[JobView]:
        return [view for view in self.jobs.values() if view.stuck]

    def apply_settings(self, settings: PrinterSettings | None,
                       on_done: Callable[[object], None] | None = None,
                       on_error: Callable[[BaseException], None] | None = None) -> None:
        """Save new printer settings and use them from the next attempt on; stuck receipts
        are tried again at once. The printer is built (fonts loaded) and the settings saved
        off the UI thread; `on_done` / `on_error` run on the UI thread."""

        def build_and_save():
            printer = build_printer(settings) if settings is not None else None
            save_printer_settings(self._writer, settings)
            return printer

        def applied(printer) -> None:
            self.settings, self.settings_problem = settings, None
            self.saved = settings.to_dict() if settings is not None else None
            self._preview_renderer = None
            self.status = None
            self.queue.set_printer(printer)
            self.settings_changed.emit()
            if on_done is not None:
                on_done(printer)

        self._tasks.run_io(build_and_save, applied, on_error)

    def preview(self, sale_id: str, copy: bool, on_done: Callable[[QImage], None],
                on_error: Callable[[BaseException], None]) -> None:
        """The sale's receipt drawn as it prints (raster), for the screen; I/O pool."""

        def draw() -> QImage:
            return to_qimage(self.preview_renderer().preview_image(self.receipts(sale_id, copy)))

        self._tasks.run_io(draw, on_done, on_error)

    def preview_renderer(self) -> "ReceiptRenderer":
        """The configured printer's paper width, or 80 mm without a printer (I/O pool)."""
        from hardware.escpos_render import ReceiptRenderer
        from hardware.printer_settings import PrinterSettings

        renderer = self._preview_renderer
        if renderer is None:
            fallback = PrinterSettings(uri="file:///dev/null", profile="TM-T88V")  # 80 mm
            try:
                renderer = ReceiptRenderer(self.settings or fallback)
            except ValueError:
                renderer = ReceiptRenderer(fallback)
            self._preview_renderer = renderer
        return renderer

    # --- from the worker (queued onto the UI thread) ---------------------------------------
    def _remember_job(self, view: JobView) -> None:
        if view.finished:
            self.jobs.pop(view.job_id, None)
        else:
            self.jobs[view.job_id] = view
        self.recent[view.job_id] = view
        self.recent.move_to_end(view.job_id)
        while len(self.recent) > _REMEMBERED:
            self.recent.popitem(last=False)
        self.job_changed.emit(view)

    def _remember_status(self, status: PrinterStatus) -> None:
        self.status = status
        self.status_changed.emit(status)
