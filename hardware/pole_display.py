"""The customer-facing pole display: two lines of 20 characters, ESC/POS display commands.

Why: the shopper across the counter watches each item and the running total appear (issue 4,
item 9). Pole displays (Epson DM-D and the many compatible VFDs) take ESC/POS display
commands on a serial port, or through a receipt printer's display port, where ESC = 2 routes
the bytes to the display and ESC = 1 back to the printer. They show ASCII only, so
Vietnamese is folded ("Áo sơ mi lụa" -> "Ao so mi lua", "199.000 ₫" -> "199.000 d"); case is
kept. Each update rewrites both lines in overwrite mode, so the display never shows half of
an old line.

    ESC @       initialise            US C 0   cursor off
    FF          clear the screen      US $ x y move to column x, row y (1-based)
    US 1        overwrite mode        ESC = n  select the printer (1) or the display (2)

`PoleDisplay` keeps its serial port open between updates (re-opening toggles the control
lines, which resets some displays) and re-opens it after an error; it never raises for
display trouble (the sale goes on) and says what went wrong in `last_error`.

Thread: one caller at a time (a lock): the UI's I/O pool. `frame`, `to_display_text` and
`item_lines` are pure.
"""
from __future__ import annotations

import logging
import threading
import unicodedata

from hardware.printer_settings import PrinterSettings
from hardware.printer_uri import parse_printer_uri
from hardware.transport_base import Transport, TransportError
from hardware.transports import open_transport

log = logging.getLogger(__name__)

COLUMNS = 20
INIT = b"\x1b@"
CLEAR = b"\x0c"
OVERWRITE = b"\x1f\x01"
CURSOR_OFF = b"\x1f\x43\x00"
SELECT_DISPLAY = b"\x1b=\x02"
SELECT_PRINTER = b"\x1b=\x01"
_SPECIAL = str.maketrans({"đ": "d", "Đ": "D", "₫": "d", "€": "E", "–": "-", "—": "-",
                          "·": "-", "\u00a0": " ", "\u202f": " ", "’": "'", "…": "..."})


def to_display_text(text: str) -> str:
    """ASCII a display can show: accents dropped, case kept, anything else as "?"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if 32 <= ord(c) < 127 else "?" for c in plain)


def fit(left: str, right: str, columns: int = COLUMNS) -> str:
    """`left` cut to leave room, `right` flush right: exactly `columns` characters."""
    left, right = to_display_text(left), to_display_text(right)[:columns]
    room = columns - len(right) - (1 if right else 0)
    return (left[:max(0, room)].ljust(max(0, room)) + (" " if right else "") + right
            )[:columns].ljust(columns)


def item_lines(name: str, price: str, total_label: str, total: str,
               columns: int = COLUMNS) -> tuple[str, str]:
    """Item added: its name and price on top, the running total below."""
    return fit(name, price, columns), fit(total_label, total, columns)


def frame(line1: str, line2: str, *, columns: int = COLUMNS, via_printer: bool = False
          ) -> bytes:
    """The bytes that show two lines (already fitted or not) from a clean state."""
    rows = [fit(line, "", columns).encode("ascii") for line in (line1, line2)]
    body = (INIT + OVERWRITE + CURSOR_OFF + CLEAR
            + b"\x1f$\x01\x01" + rows[0] + b"\x1f$\x01\x02" + rows[1])
    return SELECT_DISPLAY + body + SELECT_PRINTER if via_printer else body


class PoleDisplay:
    """A display on its own serial port (serial:///dev/ttyUSB1?baudrate=9600) or any
    printer URI (`via_printer`: a display hanging on that printer's display port)."""

    def __init__(self, uri: str, columns: int = COLUMNS, via_printer: bool = False) -> None:
        self.settings = PrinterSettings(uri=uri, write_timeout_s=2.0, connect_timeout_s=2.0)
        self.target = parse_printer_uri(uri)  # PrinterUriError (ValueError): a bad URI
        self.columns = columns
        self.via_printer = via_printer
        self.last_error: str | None = None
        self._link: Transport | None = None
        self._lock = threading.Lock()

    def show(self, line1: str, line2: str) -> bool:
        """Show two lines; False (and `last_error`) when the display did not take them."""
        data = frame(line1, line2, columns=self.columns, via_printer=self.via_printer)
        with self._lock:
            try:
                if self._link is None:
                    self._link = open_transport(self.target, self.settings)
                self._link.write(data)
                self._link.finish()
            except TransportError as exc:
                self.last_error = exc.message
                self._drop()
                return False
            except Exception as exc:  # noqa: BLE001 - a display never stops a sale
                log.exception("pole display %s", self.target)
                self.last_error = str(exc)
                self._drop()
                return False
            self.last_error = None
            return True

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        if self._link is not None:
            self._link.close()
            self._link = None
