"""The app shell: login/lock, navigation between screens, the sync state line, idle lock.

Why: later issues plug their screens (Customers, Returns, Pickups, Orders, Manager) into the
navigation without touching the Sell flow. Every screen shows the sync state (DESIGN.md §5);
until the HQ sync of a later issue exists it says plainly that sales are kept on this device.
The shell also routes scanner input to the screen that is showing. UI thread only.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QBoxLayout, QButtonGroup, QComboBox, QFormLayout,
                               QFrame, QGridLayout, QHBoxLayout, QLabel, QMainWindow,
                               QPushButton, QScrollArea, QStackedWidget, QVBoxLayout, QWidget)

from pos_app.auth import Associate, Role
from ui.customers.customers_screen import CustomersScreen
from ui.customers.desk import is_customer_code
from ui.i18n import LANGUAGES, install_language
from ui.login_screen import LoginScreen
from ui.printing.print_banner import PrinterStateLabel, PrintProblemBanner
from ui.printing.receipts_screen import ReceiptsScreen
from ui.sell.sell_screen import SellScreen
from ui.services import AppServices, local_time
from ui.sync_screen import SyncScreen
from ui.theme import LayoutMode

NAV = ["sell", "receipts", "customers", "returns", "pickups", "orders", "manager", "sync", "settings"]
MANAGER_ONLY = {"sync"}


class PlannedScreen(QWidget):
    """A navigation target whose screen arrives in a later release; says so plainly."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.label = QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        QVBoxLayout(self).addWidget(self.label)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(self.tr("This screen is not available in this version yet."))


class SettingsScreen(QWidget):
    """Language, store and device for everyone; the receipt printer for managers."""

    language_chosen = Signal(str)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.language = QComboBox(self)
        self.language.setObjectName("LanguageChoice")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(list(LANGUAGES).index(services.language))
        self.language.activated.connect(lambda i: self.language_chosen.emit(self.language.itemData(i)))
        # In a scroll area: with the printer's and the terminal's parts the form is taller
        # than a 768 px counter screen.
        inner = QWidget(self)
        self.form = QFormLayout(inner)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.lang_label = QLabel(self)
        self.store_label = QLabel(self)
        self.device_label = QLabel(self)
        ctx = services.ctx
        self.form.addRow(self.lang_label, self.language)
        self.form.addRow(self.store_label, QLabel(f"{ctx.store_name} ({ctx.store_code})", self))
        self.form.addRow(self.device_label, QLabel(f"{ctx.device_code} · {ctx.device_id}", self))
        self.printers = None  # built when a manager first opens Settings (python-escpos)
        self.terminal = None  # likewise the card terminal's part (hardware/terminals)
        self.printers_note = QLabel(self)
        self.printers_note.setWordWrap(True)
        self.form.addRow(self.printers_note)
        self._manager = False
        self.set_manager(False)
        self.retranslate()

    def set_manager(self, manager: bool) -> None:
        """Printers are set up by managers; others are told who can."""
        self._manager = manager
        for panel in (self.printers, self.terminal):
            if panel is not None:
                panel.setVisible(manager)
        self.printers_note.setVisible(not manager)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._manager and self.printers is None and self.services.printing is not None:
            from ui.printing.printer_settings_panel import PrinterSettingsPanel

            self.printers = PrinterSettingsPanel(self.services, self.services.printing, self)
            self.form.addRow(self.printers)
            self.printers.setVisible(self._manager)  # added to a shown screen: show it
        if self._manager and self.terminal is None and self.services.payments is not None:
            from ui.payments.terminal_settings_panel import TerminalSettingsPanel

            self.terminal = TerminalSettingsPanel(self.services, self)
            self.form.addRow(self.terminal)
            self.terminal.setVisible(self._manager)
        super().showEvent(event)

    def retranslate(self) -> None:
        self.lang_label.setText(self.tr("Language"))
        self.store_label.setText(self.tr("Store"))
        self.device_label.setText(self.tr("Device"))
        self.printers_note.setText(self.tr("A manager sets up the receipt printer and the "
                                           "card terminal here."))
        for panel in (self.printers, self.terminal):
            if panel is not None:
                panel.retranslate()


class _IdleWatcher(QObject):
    """Restarts the idle timer on any user input anywhere in the app."""

    def __init__(self, timer: QTimer) -> None:
        super().__init__()
        self._timer = timer

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                            QEvent.Type.TouchBegin):
            self._timer.start()
        return False


class MainWindow(QMainWindow):
    def __init__(self, services: AppServices) -> None:
        super().__init__()
        self.services = services
        self.associate: Associate | None = None
        self.setWindowTitle("Storeline")
        self.login = LoginScreen(services, self)
        self.login.logged_in.connect(self.on_login)
        self.sell = SellScreen(services, self)
        self.sell.sale_completed.connect(lambda _s: self.refresh_sync_state())
        if services.printing is not None:  # the receipt starts printing right after the commit
            self.sell.sale_completed.connect(services.printing.print_sale)
        self.receipts = ReceiptsScreen(services, self)
        self.settings = SettingsScreen(services, self)
        self.settings.language_chosen.connect(self.set_language)
        self.sync = SyncScreen(services, self)
        self.sync.sync_now_requested.connect(self.sync_now)
        self.customers = CustomersScreen(services, self)
        self.customers.attach_requested.connect(self._attach_to_sale)
        self.customers.add_lines_requested.connect(self._add_to_basket)
        self.screens: dict[str, QWidget] = {"sell": self.sell, "settings": self.settings,
                                            "sync": self.sync, "receipts": self.receipts,
                                            "customers": self.customers}
        for key in NAV:
            self.screens.setdefault(key, PlannedScreen(key, self))

        self.content = QStackedWidget(self)
        for key in NAV:
            self.content.addWidget(self.screens[key])
        self.nav_group = QButtonGroup(self)
        self.nav_buttons: dict[str, QPushButton] = {}
        nav = QWidget(self)
        nav.setObjectName("NavRail")
        tablet = services.layout is LayoutMode.TABLET
        # Tablet: a bottom bar of two rows (nine places do not fit a 10" portrait screen's
        # width in one row, in Vietnamese least of all); counter: a rail on the left.
        nav_layout = QGridLayout(nav)
        nav_layout.setContentsMargins(6, 6, 6, 6)
        columns = (len(NAV) + 1) // 2 if tablet else 1
        for i, key in enumerate(NAV):
            btn = QPushButton(nav)
            btn.setObjectName(f"nav_{key}")
            btn.setProperty("role", "nav")
            btn.setCheckable(True)
            btn.clicked.connect(lambda _=False, k=key: self.show_screen(k))
            self.nav_group.addButton(btn)
            self.nav_buttons[key] = btn
            nav_layout.addWidget(btn, i // columns, i % columns)
        if not tablet:
            nav_layout.setRowStretch(len(NAV), 1)

        self.who = QLabel(self)
        self.who.setObjectName("WhoLabel")
        self.lock_btn = QPushButton(self)
        self.lock_btn.setObjectName("LockButton")
        self.lock_btn.clicked.connect(self.lock)
        top = QHBoxLayout()
        top.setContentsMargins(8, 4, 8, 0)
        self.store_title = QLabel(f"<b>{services.ctx.store_name}</b>", self)
        top.addWidget(self.store_title)
        top.addStretch(1)
        top.addWidget(self.who)
        top.addWidget(self.lock_btn)

        status = QWidget(self)
        status.setObjectName("StatusBar")
        status_row = QHBoxLayout(status)
        status_row.setContentsMargins(8, 2, 8, 2)
        self.sync_label = QLabel(self)
        self.sync_label.setObjectName("SyncState")
        status_row.addWidget(self.sync_label)
        status_row.addStretch(1)
        self.printer_state = (PrinterStateLabel(services.printing, self)
                              if services.printing is not None else None)
        if self.printer_state is not None:
            status_row.addWidget(self.printer_state)

        body = QWidget(self)
        body_col = QVBoxLayout(body)
        body_col.setContentsMargins(0, 0, 0, 0)
        body_col.addLayout(top)
        self.print_banner = (PrintProblemBanner(services.printing, self)
                             if services.printing is not None else None)
        if self.print_banner is not None:  # a stuck receipt shows on every screen
            body_col.addWidget(self.print_banner)
        body_col.addWidget(self.content, 1)
        main = QWidget(self)
        main_layout = QBoxLayout(QBoxLayout.Direction.TopToBottom if tablet else QBoxLayout.Direction.LeftToRight, main)
        main_layout.setContentsMargins(0, 0, 0, 0)
        main_layout.setSpacing(0)
        if tablet:
            main_layout.addWidget(body, 1)
            main_layout.addWidget(nav)
        else:
            main_layout.addWidget(nav)
            main_layout.addWidget(body, 1)

        self.root = QStackedWidget(self)
        self.root.addWidget(self.login)
        shell = QWidget(self)
        shell.setObjectName("Shell")
        shell_col = QVBoxLayout(shell)
        shell_col.setContentsMargins(0, 0, 0, 0)
        shell_col.setSpacing(0)
        shell_col.addWidget(main, 1)
        shell_col.addWidget(status)
        self.root.addWidget(shell)
        self.setCentralWidget(self.root)

        self.idle_timer = QTimer(self, singleShot=True)
        self.idle_timer.setInterval(max(services.ctx.idle_lock_seconds, 10) * 1000)
        self.idle_timer.timeout.connect(self.lock)
        self._idle = _IdleWatcher(self.idle_timer)
        QApplication.instance().installEventFilter(self._idle)
        self.sync_timer = QTimer(self, interval=5000)
        self.sync_timer.timeout.connect(self.refresh_sync_state)
        self.retranslate()
        self.show_screen("sell")
        self.root.setCurrentWidget(self.login)
        self.login.load()

    # --- session -------------------------------------------------------------------------------
    def on_login(self, associate: Associate) -> None:
        self.associate = associate
        self.sell.set_associate(associate)
        self.customers.set_associate(associate)
        self._show_who()
        for key in MANAGER_ONLY:
            self.nav_buttons[key].setVisible(associate.role is Role.MANAGER)
        self.settings.set_manager(associate.role is Role.MANAGER)
        self.root.setCurrentIndex(1)
        self.idle_timer.start()
        self.sync_timer.start()
        self.refresh_sync_state()
        self.sell.search.setFocus()

    def _show_who(self) -> None:
        if self.associate is None:
            self.who.setText("")
            return
        roles = {"associate": self.tr("Associate"), "cashier": self.tr("Cashier"),
                 "manager": self.tr("Manager")}
        self.who.setText(f"{self.associate.name} · {roles[self.associate.role.value]}")

    def lock(self) -> None:
        """Lock the till (idle or on request): the basket is kept for the next sign-in."""
        if self.sell.active_dialog is not None:
            self.sell.active_dialog.reject()
        self.associate = None
        self.sell.set_associate(None)
        self.customers.set_associate(None)
        self.idle_timer.stop()
        self.root.setCurrentWidget(self.login)
        self.login.load()

    def handle_scan(self, code: str) -> None:
        """Scanner input from the app-wide wedge filter (or a serial scanner)."""
        if self.associate is None:
            return  # locked: scans are ignored; the login screen does not take barcodes
        if is_customer_code(code):  # a loyalty card or e-receipt QR: whose is it?
            if self.content.currentWidget() is self.sell:
                self.sell.customer.attach_by_code(code)
            else:
                self.show_screen("customers")
                self.customers.handle_scan(code)
            return
        self.show_screen("sell")
        self.sell.handle_scan(code)

    def _attach_to_sale(self, profile) -> None:
        """"Attach to sale" on a profile: she goes on the basket, the Sell screen shows."""
        self.sell.customer.attach(profile, self.customers.profile.live)
        self.show_screen("sell")

    def _add_to_basket(self, profile, lines: list) -> None:
        self.sell.customer.add_lines(profile, lines)
        self.show_screen("sell")

    def show_screen(self, key: str) -> None:
        self.content.setCurrentWidget(self.screens[key])
        self.nav_buttons[key].setChecked(True)
        if key == "sync":
            self.sync.refresh()
        elif key == "receipts":
            self.receipts.refresh()

    def sync_now(self) -> None:
        """Ask the background sync to run now; without HQ sync set up, say so."""
        if self.services.sync_now is None:
            self.sync.summary.setText(self.tr("HQ sync is not set up on this device yet. "
                                              "Sales stay safely on this device."))
            return
        self.services.sync_now()
        self.sync.refresh()

    # --- language and status -------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        install_language(QApplication.instance(), lang)
        self.services.language = lang
        self.retranslate()

    def retranslate(self) -> None:
        names = {"sell": self.tr("Sell"), "receipts": self.tr("Receipts"),
                 "customers": self.tr("Customers"),
                 "returns": self.tr("Returns"), "pickups": self.tr("Pickups"),
                 "orders": self.tr("Orders"), "manager": self.tr("Manager"),
                 "sync": self.tr("Sync"),
                 "settings": self.tr("Settings")}
        for key, btn in self.nav_buttons.items():
            btn.setText(names[key])
        self.lock_btn.setText(self.tr("Lock"))
        self._show_who()
        for screen in (self.login, *self.screens.values(), self.print_banner,
                       self.printer_state):
            if hasattr(screen, "retranslate"):
                screen.retranslate()
        self.refresh_sync_state()

    def refresh_sync_state(self) -> None:
        if self.services.sync_status is not None:  # an enrolled device: the worker reports
            self.show_sync_status(self.services.sync_status())
            return
        self.services.tasks.run_db(self.services.till.pending_events, self._show_local_only,
                                   lambda _e: None)

    def _show_local_only(self, pending: int) -> None:
        self.sync_label.setText(
            self.tr("Offline: HQ sync is not set up · sales kept on this device, waiting to sync: %1")
            .replace("%1", str(pending)))

    def show_payment_resolutions(self, resolved) -> None:
        """Start-up: the payments a crash interrupted, and what became of them (UI thread)."""
        from ui.payments.recovery_report import report

        self.payment_report = report(self, self.services, resolved)

    def show_sync_status(self, status) -> None:
        """Render a sync.status.SyncStatus (UI thread): online/offline, waiting, last sync."""
        if status is None:
            return
        last = status.last_push_ok_at or status.last_pull_ok_at
        when = local_time(last, self.services.ctx.timezone) if last else self.tr("never")
        if status.online:
            text = self.tr("Online · waiting to sync: %1 · last sync %2")
        else:
            text = self.tr("Offline — sales are kept on this device · waiting to sync: %1 · "
                           "last sync %2")
        text = text.replace("%1", str(status.pending)).replace("%2", when)
        if status.quarantined:
            text += " · " + self.tr("refused by HQ: %1 (see Sync)").replace(
                "%1", str(status.quarantined))
        if status.held:
            text += " · " + self.tr("held at this till: %1 (see Sync)").replace(
                "%1", str(status.held))
        self.sync_label.setText(text)
