"""The till's use cases, called by the UI through its database worker.

Why: one small facade over the local database for everything the Sell flow does — list the
associates for the login screen, check a PIN, approve an override, turn a scan into an item,
search, complete a sale — so that screens stay thin and every use case is testable without Qt.

Thread: every method runs on the database worker (ui.tasks.TaskManager.run_db) or in a test;
never on the UI thread (PIN checks are slow by design, queries touch the disk).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from pos_app.auth import Approval, Associate, Permission, Role, pin_key, verify_pin
from pos_app.basket import BasketSnapshot
from pos_app.catalog import SellableItem
from pos_app import promotions
from pos_app.db import catalog_queries
from pos_app.money import minor_digits
from pos_app.ports import Clock, utc_iso
from pos_app.services.checkout import CompletedSale, complete_sale
from pos_app.services.outbox_view import OutboxOverview, outbox_overview, release_held
from pos_app.services.receipts_query import ReceiptRow, find_receipts, latest_receipts
from pos_app.store_context import DEVICE_SECRET_SETTING, StoreContext, read_setting
from pos_app.tenders import Payment

if TYPE_CHECKING:
    from pos_app.scanning.barcodes import ScanResult


@dataclass(frozen=True, slots=True)
class ScanLookup:
    """What a scan turned into: an item to add (with a unit price and note) or a problem.

    `problem` is "invalid" (not a barcode we can read; `error` says why) or "unknown" (a
    valid code that is not in this store's catalog); the UI words both in its language.
    """

    scan: ScanResult
    item: SellableItem | None
    unit_price: int | None = None
    note: str | None = None
    error: str | None = None
    problem: str | None = None


class TillService:
    def __init__(self, ctx: StoreContext, writer: Engine, reader: Engine, clock: Clock) -> None:
        self.ctx = ctx
        self._writer = writer
        self._reader = reader
        self._clock = clock

    # --- associates ------------------------------------------------------------------------
    def associates(self) -> list[Associate]:
        with self._reader.connect() as conn:
            rows = conn.execute(text(
                "SELECT id, code, name, role FROM associates WHERE store_id = :s AND active = 1"
                " ORDER BY role DESC, name"), {"s": self.ctx.store_id}).all()
        return [Associate(r[0], r[1], r[2], Role(r[3])) for r in rows]

    def _pin_key(self, conn) -> bytes | None:
        """This till's key for the PIN verifiers HQ sent (None on a till without HQ)."""
        secret = read_setting(conn, DEVICE_SECRET_SETTING)
        return pin_key(secret) if secret else None

    def login(self, associate_id: str, pin: str) -> Associate | None:
        """The associate when the PIN matches, else None (and an audit row either way)."""
        with self._reader.connect() as conn:
            row = conn.execute(text(
                "SELECT id, code, name, role, pin_hash FROM associates"
                " WHERE id = :id AND store_id = :s AND active = 1"),
                {"id": associate_id, "s": self.ctx.store_id}).first()
            key = self._pin_key(conn)
        ok = row is not None and verify_pin(row[4], pin, key)
        self._audit("login" if ok else "login_failed", associate_id)
        return Associate(row[0], row[1], row[2], Role(row[3])) if ok else None

    def approve(self, pin: str, permission: Permission) -> Approval | None:
        """Find an active associate holding `permission` whose PIN this is (manager override)."""
        candidates = [a for a in self.associates() if a.can(permission)]
        with self._reader.connect() as conn:
            hashes = dict(conn.execute(text(
                "SELECT id, pin_hash FROM associates WHERE store_id = :s AND active = 1"),
                {"s": self.ctx.store_id}).all())
            key = self._pin_key(conn)
        for assoc in candidates:
            if verify_pin(hashes[assoc.id], pin, key):
                return Approval(permission, assoc.id, assoc.name)
        return None

    # --- start-up --------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load what the first scan needs while the associate types a PIN (database worker).

        The barcode parser's library (biip) takes a few hundred ms to import; importing it
        here, after the window is up, keeps it out of the launch time and out of the first
        scan. The queries warm SQLite's page cache for the catalog indexes.
        """
        import pos_app.scanning.barcodes  # noqa: F401 - imported for its side effect: loaded once

        with self._reader.connect() as conn:
            catalog_queries.find_by_barcode(conn, self.ctx.store_id, ["0"])
            catalog_queries.search_items(conn, self.ctx.store_id, "a", limit=1)

    # --- catalog ---------------------------------------------------------------------------
    def lookup_scan(self, raw: str) -> ScanLookup:
        from pos_app.scanning.barcodes import gtin_lookup_keys, parse_scan  # loaded by warm_up

        scan = parse_scan(raw, self.ctx.barcode_rules, minor_digits(self.ctx.currency))
        if scan.kind == "invalid":
            return ScanLookup(scan, None, error=scan.error, problem="invalid")
        with self._reader.connect() as conn:
            if scan.kind in ("gtin", "gs1"):
                item = catalog_queries.find_by_barcode(conn, self.ctx.store_id,
                                                       gtin_lookup_keys(scan.gtin or scan.raw))
            elif scan.kind == "internal":
                item = (catalog_queries.find_by_barcode(conn, self.ctx.store_id, [scan.raw])
                        or catalog_queries.find_by_sku(conn, self.ctx.store_id, scan.raw))
            else:  # variable price / weight: the item code is kept as an in-store barcode
                item = catalog_queries.find_by_barcode(
                    conn, self.ctx.store_id, [f"PLU-{scan.item_code}"])
            if item is not None:  # HQ's promotions ride along; the basket applies the best
                item = self._with_promotions(conn, [item])[0]
        if item is None:
            return ScanLookup(scan, None, problem="unknown",
                              error=f"Unknown barcode {scan.raw}: not in this store's catalog")
        if scan.kind == "variable_price":
            return ScanLookup(scan, item, unit_price=scan.embedded_value,
                              note=f"price label {scan.raw}")
        if scan.kind == "variable_weight":
            grams = scan.embedded_value or 0
            price = (item.price_minor * grams + 500) // 1000  # per-kg price, half-up to minor
            return ScanLookup(scan, item, unit_price=price, note=f"{grams / 1000:.3f} kg")
        return ScanLookup(scan, item)

    def search(self, query: str, limit: int = 30) -> list[SellableItem]:
        with self._reader.connect() as conn:
            return self._with_promotions(
                conn, catalog_queries.search_items(conn, self.ctx.store_id, query, limit))

    def _with_promotions(self, conn, items: list[SellableItem]) -> list[SellableItem]:
        return promotions.with_promotions(conn, self.ctx.store_id, items,
                                          utc_iso(self._clock.now_utc()))

    # --- sales -----------------------------------------------------------------------------
    def complete_sale(self, snap: BasketSnapshot, payments: tuple[Payment, ...],
                      associate_id: str, sale_id: str | None = None) -> CompletedSale:
        return complete_sale(self._writer, self.ctx, snap, payments, associate_id, self._clock,
                             sale_id)

    def checkpoint(self) -> tuple[int, int, int]:
        """Copy the write-ahead log into the database file now, while the till is idle.

        Why: SQLite otherwise checkpoints inside whichever commit crosses 1,000 WAL pages,
        and that sale waits ~300 ms for it. The UI calls this shortly after each sale, so the
        log stays a few pages long and every commit stays fast. PASSIVE never blocks a reader.
        Returns SQLite's (busy, log pages, checkpointed pages).
        """
        with self._writer.connect() as conn:
            raw = conn.connection.driver_connection
            return tuple(raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())

    def outbox_overview(self, limit: int = 200) -> OutboxOverview:
        return outbox_overview(self._reader, limit)

    def release_held_events(self) -> int:
        """Held outbox events back to the queue (the Sync screen's Retry, managers)."""
        return release_held(self._writer)

    def pending_events(self) -> int:
        with self._reader.connect() as conn:
            return conn.execute(text(
                "SELECT count(*) FROM outbox WHERE status = 'pending'")).scalar_one()

    # --- receipts and the cash drawer --------------------------------------------------------
    def receipts(self, query: str = "", limit: int = 100) -> list[ReceiptRow]:
        """This till's latest receipts, or the ones whose number matches `query`."""
        with self._reader.connect() as conn:
            if query.strip():
                return find_receipts(conn, self.ctx.device_id, query)
            return latest_receipts(conn, self.ctx.device_id, limit)

    def record_no_sale(self, actor_id: str | None, approved_by: str) -> str:
        """Audit a "No sale" drawer opening before the drawer is kicked; returns the row id.
        `approved_by` is the manager who allowed it (the actor themself when they may)."""
        return self._audit("no_sale", actor_id, approved_by=approved_by)

    def _audit(self, action: str, actor_id: str | None, detail: str = "{}",
               approved_by: str | None = None) -> str:
        row_id = str(uuid.uuid4())
        with self._writer.begin() as conn:
            conn.execute(text(
                "INSERT INTO audit_log(id, at, action, actor_id, approved_by, ref_id, detail)"
                " VALUES (:id, :at, :a, :actor, :approver, NULL, :d)"),
                {"id": row_id, "at": utc_iso(self._clock.now_utc()), "a": action,
                 "actor": actor_id, "approver": approved_by, "d": detail})
        return row_id
