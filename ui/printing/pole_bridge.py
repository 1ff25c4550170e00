"""Feeds the customer-facing pole display from the Sell screen: the item just added and the
running total; after the sale, the total and the change; between customers, the store name.

Why: the shopper should see what was rung up without leaning over the counter (issue 4,
item 9). The display speaks the store's language like the receipt (pos_app.receipts.labels),
folded to ASCII by hardware/pole_display.py. Writing to it is I/O, so it happens on the I/O
pool, and only the latest state is sent: a burst of scans costs one write, never a queue of
stale ones, and a dead display never slows the Sell screen.

Set up with the device setting "pole_display" ({"uri": "serial:///dev/ttyUSB1?baudrate=9600",
"columns": 20}); `pos-app --pole-display URI` writes it. UI thread; the display's own calls
run on the I/O pool.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from pos_app.receipts.labels import label, language_of

if TYPE_CHECKING:
    from hardware.pole_display import PoleDisplay
    from pos_app.services.checkout import CompletedSale
    from ui.sell.sell_screen import SellScreen

log = logging.getLogger(__name__)

POLE_DISPLAY_SETTING = "pole_display"


class PoleDisplayBridge(QObject):
    def __init__(self, sell: "SellScreen", uri: str, columns: int = 20) -> None:
        super().__init__(sell)
        self._sell = sell
        self._uri, self._columns = uri, columns
        self._display: PoleDisplay | None = None
        self._lang = language_of(sell.services.ctx.locale)
        self._pending: tuple[str, str] | None = None
        self._busy = False
        self.shown: tuple[str, str] | None = None  # the last lines the display took
        sell.basket_changed.connect(self._basket_changed)
        sell.sale_completed.connect(self._sale_completed)
        self._send(self._welcome())

    def _welcome(self) -> tuple[str, str]:
        return self._sell.services.ctx.store_name, ""

    def _basket_changed(self) -> None:
        basket, money = self._sell.basket, self._sell.services.money
        if basket.is_empty:
            self._send(self._welcome())
            return
        from hardware.pole_display import item_lines

        last = basket.lines[-1]
        name = f"{last.quantity} x {last.item.name}" if last.quantity > 1 else last.item.name
        self._send(item_lines(name, money(last.unit_price * last.quantity),
                              label(self._lang, "total"), money(basket.priced().total),
                              self._columns))

    def _sale_completed(self, sale: "CompletedSale") -> None:
        from hardware.pole_display import fit

        money = self._sell.services.money
        self._send((fit(label(self._lang, "total"), money(sale.total), self._columns),
                    fit(label(self._lang, "change"), money(sale.change), self._columns)))

    def _send(self, lines: tuple[str, str]) -> None:
        self._pending = lines
        if not self._busy:
            self._next()

    def _next(self) -> None:
        lines, self._pending = self._pending, None
        if lines is None:
            self._busy = False
            return
        self._busy = True
        self._sell.services.tasks.run_io(lambda: self._write(lines),
                                         lambda ok: self._written(lines, ok),
                                         lambda exc: self._written(lines, False))

    def _write(self, lines: tuple[str, str]) -> bool:  # I/O pool
        if self._display is None:
            from hardware.pole_display import PoleDisplay

            self._display = PoleDisplay(self._uri, self._columns)
        ok = self._display.show(*lines)
        if not ok:
            log.warning("pole display: %s", self._display.last_error)
        return ok

    def _written(self, lines: tuple[str, str], ok: bool) -> None:
        if ok:
            self.shown = lines
        self._next()

    def close(self) -> None:
        """App shutdown (after the I/O pool stopped)."""
        if self._display is not None:
            self._display.close()
