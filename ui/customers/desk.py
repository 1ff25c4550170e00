"""The customer screens' one gateway to clienteling: live HQ look-ups with the labelled
fallback (sync.live_lookup.LiveLookup) and the till's customer use cases
(pos_app.services.clienteling), plus the two local reads only the UI needs (which customer a
scanned receipt belongs to, which catalog item an online-cart line is).

Why: the Customers screen, the Sell screen's quick attach and "My tasks" all ask the same
questions; one object built by the composition root (ui/app.py) answers them, so no widget
builds an HQ client or opens an engine (DESIGN.md §2). A till that is not enrolled with HQ
gets a LiveLookup whose HQ is "not set up": every answer then comes from the store's saved
book, labelled as such, through the same code path an offline till uses.

Threads: every method here BLOCKS (HTTP with a short timeout, or SQLite). Look-ups
(`search`, `profile`, `duplicates`) run on the I/O pool (`TaskManager.run_io`); the others
on the database worker (`run_db`). Never call them on the UI thread.
"""
from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Callable

from sqlalchemy import Engine, text

from pos_app.catalog import SellableItem
from pos_app.db import catalog_queries
from pos_app.services.clienteling import ClienteleService
from pos_app.receipts.code import NotASaleCode, parse_sale_code
from pos_app.store_context import StoreContext
if TYPE_CHECKING:
    from sync.hq_client import HQClient
    from sync.live_lookup import LiveLookup, LookupResult
    from sync.protocol import CustomerSummary
    from sync.protocol_customers import CustomerProfile, CustomerSummaryRef

# Loyalty cards are "SL" + country + digits (pos_app.demo.customers); receipts carry "SLR1:".
_LOYALTY_CARD = re.compile(r"^SL[A-Z]{2}\d{6,}$")


def is_customer_code(code: str) -> bool:
    """True for what a scanner reads off a loyalty card or an e-receipt's QR (pure)."""
    cleaned = code.strip().upper()
    return bool(_LOYALTY_CARD.match(cleaned)) or "SLR1:" in cleaned


class _HQNotSetUp:
    """The HQ client of a till that is not enrolled: it never answers, so LiveLookup says
    "offline" and reads the device's book (the honest label for such a till)."""

    timeout = None

    def _call(self, *_args, **_kwargs):
        from sync.hq_client import HQUnreachable

        raise HQUnreachable("HQ sync is not set up on this till")


class CustomerDesk:
    """See the module docstring. Built once by ui/app.py; shared by the customer widgets."""

    def __init__(self, ctx: StoreContext, reader: Engine, writer: Engine,
                 client_factory: Callable[[], HQClient] | None, clock) -> None:
        self.ctx = ctx
        self.reader, self.writer = reader, writer
        self.clock = clock
        self.enrolled = client_factory is not None
        self._client_factory = client_factory
        self._lookup: "LiveLookup | None" = None
        self._lookup_lock = threading.Lock()
        # The use cases (database worker): create/edit, notes, tasks, consent, loyalty.
        self.service = ClienteleService(ctx, writer, reader, clock)

    # --- look-ups: the I/O pool ------------------------------------------------------------
    @property
    def lookup(self) -> "LiveLookup":
        """Built on first use (an I/O thread), so launching the till never loads the HTTP
        stack before someone looks a customer up."""
        with self._lookup_lock:
            if self._lookup is None:
                from sync.live_lookup import LiveLookup

                self._lookup = LiveLookup(self._client_factory or _HQNotSetUp, self.reader,
                                          retry_live_after=3.0 if self.enrolled else 1e9)
            return self._lookup

    def search(self, query: str) -> LookupResult[list["CustomerSummary"]]:
        return self.lookup.search_customers(query, limit=30)

    def profile(self, customer_id: str) -> LookupResult["CustomerProfile | None"]:
        """The 360° profile, live (HQ audits the view) or from the saved book (the caller
        then records the view: `service.record_profile_view` on the database worker)."""
        return self.lookup.profile(customer_id)

    def duplicates(self, phone: str | None, email: str | None
                   ) -> LookupResult[list["CustomerSummaryRef"]]:
        return self.lookup.duplicates(phone, email)

    # --- local reads: the database worker --------------------------------------------------
    def customer_for_code(self, code: str) -> str | None:
        """The customer id a scanned loyalty card or e-receipt QR names (None: nobody known).

        A receipt QR names a sale; the sale's customer is read from this till's sales (HQ's
        copy of other tills' sales reaches the profile's history, not this look-up).
        """
        cleaned = code.strip().upper()
        with self.reader.connect() as conn:
            if "SLR1:" in cleaned:
                try:
                    sale = parse_sale_code(cleaned)
                except NotASaleCode:
                    return None
                row = conn.execute(text("SELECT customer_id FROM sales WHERE id = :id"),
                                   {"id": sale.sale_id}).first()
                return row[0] if row else None
            row = conn.execute(text("SELECT id FROM customers WHERE loyalty_card = :c"),
                               {"c": cleaned}).first()
            return row[0] if row else None

    def sellable(self, sku: str) -> SellableItem | None:
        """The catalog item of an online-cart, wishlist or suggested line, in this store."""
        with self.reader.connect() as conn:
            return catalog_queries.find_by_sku(conn, self.ctx.store_id, sku)
