"""The composition root: builds the object graph once and starts the Qt app.

Why: DESIGN.md §2 — one place creates engines, services, workers and windows; nothing is
created at import time. `pos-app --demo` opens the demo store (created on first run in the
user data directory, or wherever --db points).

    pos-app --demo [--store hcm|nyc] [--layout counter|tablet] [--lang en|vi] [--db PATH]
    pos-app --db PATH --hq URL --enrol CODE [--device-name NAME]   # enrol, download, open
    pos-app --db PATH [--hq URL]                                    # an enrolled till
    ... [--printer URI [--printer-profile NAME]]   # set the receipt printer (kept in the db)
    ... [--pole-display URI]                         # set the customer display (kept too)

Runs on the main (UI) thread; start-up database work (migrations, demo load, store context)
runs before the window exists, which is the one time the UI has nothing to show yet.
"""
from __future__ import annotations

import argparse
import gc
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from pos_app.db.engine import make_engine
from pos_app.db.migrate import ensure_current
from pos_app.ports import SystemClock
from pos_app.services.till import TillService
from pos_app.store_context import (HQ_URL_KEY, NotProvisioned, load_store_context,
                                   read_setting, write_setting)
from pos_app.scanning.wedge_detector import WedgeSettings
from ui.i18n import install_language
from ui.payments.terminal_setting import CARD_TERMINAL_SETTING
from ui.printing.pole_bridge import POLE_DISPLAY_SETTING, PoleDisplayBridge
from ui.printing.print_bridge import PrintBridge, load_printer_settings, save_printer_settings
from ui.scanner_filter import WedgeScannerFilter
from ui.services import AppServices
from ui.shell import MainWindow
from ui.tasks import TaskManager
from ui.theme import LayoutMode, apply_theme

if TYPE_CHECKING:
    from hardware.printer_settings import PrinterSettings
    from ui.customers.desk import CustomerDesk
    from ui.payments.payment_desk import PaymentDesk
    from ui.sync_bridge import SyncBridge


@dataclass
class App:
    """Everything the running app owns; `close()` releases it (tests call it too)."""

    qt: QApplication
    services: AppServices
    window: MainWindow
    scanner: WedgeScannerFilter
    engines: tuple
    sync: "SyncBridge | None" = None
    printing: PrintBridge | None = None
    pole: PoleDisplayBridge | None = None

    def close(self) -> None:
        if self.sync is not None:
            self.sync.stop()
        if self.printing is not None:
            self.printing.stop()
        self.scanner.uninstall()
        self.window.idle_timer.stop()
        self.window.sync_timer.stop()
        QApplication.instance().removeEventFilter(self.window._idle)
        self.window.close()
        self.window.deleteLater()
        self.services.tasks.shutdown()
        if self.pole is not None:
            self.pole.close()
        for engine in self.engines:
            engine.dispose()


def default_db_path(store: str) -> Path:
    return Path(user_data_dir("storeline", "storeline")) / f"demo-{store}.sqlite3"


def default_till_path() -> Path:
    """Where an enrolled till keeps its database unless --db says otherwise."""
    return Path(user_data_dir("storeline", "storeline")) / "till.sqlite3"


def build_app(db_path: Path, *, layout: LayoutMode, lang: str | None, demo_store: str | None,
              qt: QApplication | None = None, printer: "PrinterSettings | None" = None,
              pole_display: str | None = None) -> App:
    """Open (and upgrade) the database, load the store, and build the window. `printer` and
    `pole_display` (a URI) replace the saved devices (pos-app --printer, --pole-display)."""
    qt = qt or QApplication.instance() or QApplication(sys.argv[:1])
    writer = make_engine(db_path)
    ensure_current(writer)
    try:
        with writer.connect() as conn:
            ctx = load_store_context(conn)
    except NotProvisioned:
        if not demo_store:
            raise
        from pos_app.demo.store import load_demo  # first run only: builds the demo catalog

        load_demo(writer, demo_store)
        with writer.connect() as conn:
            ctx = load_store_context(conn)
    reader = make_engine(db_path, readonly=True)
    lang = lang or ("vi" if ctx.locale.startswith("vi") else "en")  # the store's language
    apply_theme(qt, layout)
    install_language(qt, lang)
    tasks = TaskManager()
    till = TillService(ctx, writer, reader, SystemClock())
    services = AppServices(ctx=ctx, till=till, tasks=tasks, layout=layout, language=lang)
    if printer is not None:
        save_printer_settings(writer, printer)
    if pole_display is not None:
        with writer.begin() as conn:
            write_setting(conn, POLE_DISPLAY_SETTING, {"uri": pole_display, "columns": 20})
    with writer.connect() as conn:
        pole_setting = read_setting(conn, POLE_DISPLAY_SETTING)
    printing = PrintBridge(tasks, writer, reader, ctx, load_printer_settings(writer))
    services.printing = printing
    sync = None
    with writer.connect() as conn:
        enrolled = read_setting(conn, HQ_URL_KEY) is not None
    if enrolled:  # imported only here: a standalone till never loads the HTTP stack
        from ui.sync_bridge import SyncBridge

        sync = SyncBridge.for_device(writer)
    if sync is not None:
        services.sync_now = sync.sync_now
        services.sync_status = lambda: sync.last
    services.customers = _customer_desk(ctx, reader, writer, enrolled)
    services.payments = _payment_desk(tasks, writer, reader)
    window = MainWindow(services)
    tasks.run_db(till.warm_up)
    printing.start()  # resumes receipts a crash or a close left unprinted
    # card payments a crash left open end voided (or failed) before the first sale
    services.payments.resolve_open(window.show_payment_resolutions)
    pole = (PoleDisplayBridge(window.sell, pole_setting["uri"], pole_setting.get("columns", 20))
            if pole_setting else None)
    if sync is not None:
        sync.status_changed.connect(window.show_sync_status)
        window.sell.sale_completed.connect(lambda _sale: sync.sync_now())
        sync.start()
    scanner = WedgeScannerFilter(WedgeSettings(), qt)
    scanner.scanned.connect(window.handle_scan)
    scanner.install(qt)
    if layout is LayoutMode.TABLET:
        window.resize(800, 1280)
    else:
        window.resize(1366, 768)
    # Everything built so far lives as long as the app: move it out of the garbage
    # collector's sight so that collections during a sale stay short (scan p99, §8).
    gc.collect()
    gc.freeze()
    return App(qt, services, window, scanner, (writer, reader), sync, printing, pole)


def _payment_desk(tasks: TaskManager, writer, reader) -> "PaymentDesk":
    """The till's payment authorisers: the card terminal when one is set up (its settings
    are kept in the database; hardware/terminals/ loads only then)."""
    from pos_app.payments.intents import IntentStore
    from ui.payments.payment_desk import PaymentDesk

    desk = PaymentDesk(tasks, IntentStore(writer, reader, SystemClock()), writer=writer)
    with writer.connect() as conn:
        terminal = read_setting(conn, CARD_TERMINAL_SETTING)
    if terminal:
        from hardware.terminals.adyen_terminal import AdyenTerminal
        from hardware.terminals.terminal_settings import TerminalSettings
        from pos_app.payments.authorisation import TerminalAuthoriser
        from pos_app.tenders import TenderType

        desk.set_authoriser(TenderType.CARD, TerminalAuthoriser(
            AdyenTerminal(TerminalSettings.from_dict(terminal))))
    return desk


def _customer_desk(ctx, reader, writer, enrolled: bool) -> "CustomerDesk":
    """The Customers screens' gateway: live HQ look-ups (own HQ client per I/O thread, not
    the sync worker's) when enrolled, else the store's saved book only."""
    from ui.customers.desk import CustomerDesk

    factory = None
    if enrolled:
        from sync.enrolment import SECRET_KEY
        from sync.hq_client import HQClient

        with writer.connect() as conn:
            url, device, secret = (read_setting(conn, k) for k in (HQ_URL_KEY, "device_id",
                                                                    SECRET_KEY))
        if url and device and secret:
            factory = lambda: HQClient(url, (device, secret))  # noqa: E731 - one per thread
    return CustomerDesk(ctx, reader, writer, factory, SystemClock())


def point_at_hq(db_path: Path, hq_url: str) -> None:
    """An enrolled device whose HQ moved (a new address): remember the new one."""
    engine = make_engine(db_path)
    try:
        with engine.begin() as conn:
            write_setting(conn, HQ_URL_KEY, hq_url)
    finally:
        engine.dispose()


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="pos-app", description="Storeline point of sale")
    p.add_argument("--demo", action="store_true", help="open the demo store (created on first run)")
    p.add_argument("--store", choices=["hcm", "nyc"], default="hcm", help="which demo store")
    p.add_argument("--db", type=Path, help="device database file")
    p.add_argument("--layout", choices=[m.value for m in LayoutMode], default="counter")
    p.add_argument("--lang", choices=["en", "vi"], default=None)
    p.add_argument("--screenshot", type=Path, help="save the first screen to this PNG and quit")
    p.add_argument("--hq", help="HQ address for enrolment, e.g. https://hq.example.com")
    p.add_argument("--enrol", metavar="CODE", help="enrol this device with HQ using CODE")
    p.add_argument("--device-name", default="Till", help="how HQ lists this device")
    p.add_argument("--printer", metavar="URI",
                   help="receipt printer, e.g. tcp://192.168.1.50:9100 (saved for next time)")
    p.add_argument("--printer-profile", default="default",
                   help="python-escpos printer profile, e.g. TM-T88V (with --printer)")
    p.add_argument("--pole-display", metavar="URI",
                   help="customer display, e.g. serial:///dev/ttyUSB1?baudrate=9600")
    return p.parse_args(argv)


def interrupted_download(db_path: Path) -> str | None:
    """HQ's address when this till was enrolled but its store download did not finish (the
    wizard then offers to resume it, no code needed); None otherwise. Start-up only."""
    from sync.snapshot_loader import download_incomplete

    if not db_path.exists():
        return None
    engine = make_engine(db_path)
    try:
        with engine.connect() as conn:
            if read_setting(conn, "device_id") and download_incomplete(conn):
                return str(read_setting(conn, HQ_URL_KEY, ""))
        return None
    finally:
        engine.dispose()


def is_provisioned(db_path: Path) -> bool:
    """True when the file is a till of a store (demo or enrolled); False for a new till."""
    if not db_path.exists():
        return False
    engine = make_engine(db_path)
    try:
        ensure_current(engine)
        with engine.connect() as conn:
            load_store_context(conn)
        return True
    except NotProvisioned:
        return False
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "print-sample":  # installer's printer test (hardware/cmdline.py)
        from hardware.cmdline import main as print_sample

        return print_sample(argv[1:])
    if argv and argv[0] == "terminal-test":  # card terminal test (hardware/terminals/cmdline.py)
        from hardware.terminals.cmdline import main as terminal_test

        return terminal_test(argv[1:])
    if argv and argv[0] == "qr-sample":  # installer's VietQR code test (hardware/qr_cmdline.py)
        from hardware.qr_cmdline import main as qr_sample

        return qr_sample(argv[1:])
    args = parse_args(argv)
    db_path = args.db or (default_db_path(args.store) if args.demo else default_till_path())
    if args.enrol:
        if not args.hq:
            print("--enrol needs --hq URL (the HQ that made the code).", file=sys.stderr)
            return 2
        try:
            from ui.enrol import enrol_till  # the HTTP stack, only when enrolling

            ctx = enrol_till(db_path, args.hq, args.enrol, args.device_name)
        except Exception as exc:  # noqa: BLE001 - shown to the installer, then exit
            print(f"Enrolment failed: {exc}", file=sys.stderr)
            return 1
        print(f"Enrolled as {ctx.device_code} of {ctx.store_name}.", flush=True)
    elif args.hq and db_path.exists():
        point_at_hq(db_path, args.hq)
    lang = args.lang or (("vi" if args.store == "hcm" else "en") if args.demo else None)
    printer = None
    if args.printer or args.pole_display:
        from hardware.printer_settings import PrinterSettings
        from hardware.printer_uri import parse_printer_uri

        try:
            if args.printer:
                printer = PrinterSettings(uri=args.printer, profile=args.printer_profile)
                parse_printer_uri(printer.uri)
            if args.pole_display:
                parse_printer_uri(args.pole_display)
        except ValueError as exc:
            print(f"--printer / --pole-display: {exc}", file=sys.stderr)
            return 2
    qt = QApplication(sys.argv[:1])
    running: list[App] = []

    def open_till() -> None:
        app = build_app(db_path, layout=LayoutMode(args.layout), lang=lang,
                        demo_store=args.store if args.demo else None, qt=qt, printer=printer,
                        pole_display=args.pole_display)
        running.append(app)
        app.window.show()
        print(f"Storeline: {app.services.ctx.store_name} · database {db_path}", flush=True)
        if args.screenshot:
            def snap() -> None:
                if app.window.login.tiles.count() == 0:  # associates still loading
                    QTimer.singleShot(50, snap)
                    return
                app.window.grab().save(str(args.screenshot))
                qt.quit()
            QTimer.singleShot(50, snap)

    wizard_tasks = None
    if args.demo or is_provisioned(db_path):
        open_till()
    else:  # a new till: enrol it with HQ first
        from ui.enrol_wizard import EnrolWizard

        wizard_tasks = TaskManager()
        apply_theme(qt, LayoutMode(args.layout))
        install_language(qt, lang or "en")
        resume_url = interrupted_download(db_path)
        wizard = EnrolWizard(db_path, wizard_tasks, args.hq or resume_url or "",
                             resuming=resume_url is not None)
        scanner = WedgeScannerFilter(WedgeSettings(), qt)
        scanner.scanned.connect(wizard.take_scan)
        scanner.install(qt)

        def enrolled(_ctx) -> None:
            scanner.uninstall()
            wizard.close()
            open_till()

        wizard.enrolled.connect(enrolled)
        wizard.resize(640, 480)
        wizard.show()
        if args.screenshot:
            QTimer.singleShot(300, lambda: (wizard.grab().save(str(args.screenshot)), qt.quit()))
    code = qt.exec()
    for app in running:
        app.close()
    if wizard_tasks is not None:
        wizard_tasks.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main())
