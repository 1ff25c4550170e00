"""Catalog look-ups for the Sell screen: by barcode and search-as-you-type, over 1M variants.

Why: a scan must show a line in well under 30 ms and a search keystroke in under 50 ms with a
million products (DESIGN.md §8). Both are single indexed queries: a barcode is a primary-key
probe; a search takes at most `CANDIDATE_CAP` FTS5 matches (never ranking the whole match set)
and orders only those. Nothing here loads a table into memory.

Runs on whichever thread owns the connection it is given (the UI's reader worker, a test, a
benchmark) — never the UI thread itself.
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Iterable, Sequence

from sqlalchemy import Connection, text

from pos_app.catalog import SellableItem
from pos_app.textfold import fold, fts_prefix_query

CANDIDATE_CAP = 200
_INDEX_CHUNK = 500

_ITEM_COLUMNS = """
    v.pk, v.id, v.sku, p.name, v.size, v.colour, pr.amount_minor, s.currency, p.tax_code,
    tr.rate_ppm
"""
_ITEM_JOINS = """
    JOIN products p ON p.pk = v.product_pk
    JOIN prices pr ON pr.variant_pk = v.pk AND pr.store_id = :store
    JOIN stores s ON s.id = :store
    JOIN tax_rates tr ON tr.store_id = :store AND tr.tax_code = p.tax_code
"""


def _item(row, barcode: str | None = None) -> SellableItem:
    return SellableItem(
        variant_pk=row[0], variant_id=row[1], sku=row[2], name=row[3], size=row[4],
        colour=row[5], price_minor=row[6], currency=row[7], tax_code=row[8],
        tax_rate=Decimal(row[9]) / Decimal(1_000_000), barcode=barcode,
    )


def find_by_barcode(conn: Connection, store_id: str, codes: Sequence[str]) -> SellableItem | None:
    """The active variant sold in this store under any of `codes` (equivalent GTIN forms)."""
    for code in codes:
        row = conn.execute(
            text(f"SELECT {_ITEM_COLUMNS} FROM barcodes b JOIN variants v ON v.pk = b.variant_pk"
                 f" {_ITEM_JOINS} WHERE b.code = :code AND v.active = 1 AND p.active = 1"),
            {"store": store_id, "code": code},
        ).first()
        if row is not None:
            return _item(row, code)
    return None


def find_by_sku(conn: Connection, store_id: str, sku: str) -> SellableItem | None:
    row = conn.execute(
        text(f"SELECT {_ITEM_COLUMNS} FROM variants v {_ITEM_JOINS}"
             " WHERE v.sku = :sku AND v.active = 1 AND p.active = 1"),
        {"store": store_id, "sku": sku},
    ).first()
    return _item(row) if row is not None else None


def search_items(conn: Connection, store_id: str, query: str, limit: int = 30) -> list[SellableItem]:
    """Search as you type: every typed word is a prefix, accents and case ignored.

    Takes the first CANDIDATE_CAP FTS matches in rowid order, then ranks only those: a SKU
    typed in full first, then names that start with the first typed word, then shorter names,
    then SKU.
    """
    match = fts_prefix_query(query)
    if match is None:
        return []
    rows = conn.execute(
        text(f"""
            WITH cand AS (SELECT rowid AS pk FROM variant_fts WHERE variant_fts MATCH :match
                          LIMIT {CANDIDATE_CAP})
            SELECT {_ITEM_COLUMNS} FROM cand JOIN variants v ON v.pk = cand.pk {_ITEM_JOINS}
            WHERE v.active = 1 AND p.active = 1
        """),
        {"store": store_id, "match": match},
    ).all()
    first = fold(query).split()[0] if query.split() else ""
    typed_sku = query.strip().casefold()

    def rank(row) -> tuple:
        name = fold(row[3])
        # a SKU typed in full is the item meant, even when its words prefix-match others
        return (row[2].casefold() != typed_sku, not name.startswith(first), len(name), row[2])

    return [_item(r) for r in sorted(rows, key=rank)[:limit]]


def variant_search_text(name: str, brand: str, colour: str | None, size: str | None,
                        sku: str, style_code: str) -> str:
    """The folded text indexed for one variant (what a person may type to find it)."""
    return fold(" ".join(p for p in (name, brand, colour or "", size or "", sku, style_code) if p))


def index_variants(conn: Connection, pks: Iterable[int] | None = None) -> int:
    """(Re)build the search index rows for `pks`, or for every variant when None.

    Called by whoever writes the catalog (demo loader, sync) inside the same transaction.
    """
    select = """
        SELECT v.pk, sl_fold(p.name || ' ' || p.brand || ' ' || coalesce(v.colour, '') || ' ' ||
                             coalesce(v.size, '') || ' ' || v.sku || ' ' || p.style_code)
        FROM variants v JOIN products p ON p.pk = v.product_pk
    """
    if pks is None:
        conn.execute(text("DELETE FROM variant_fts"))
        result = conn.execute(text(f"INSERT INTO variant_fts(rowid, text) {select}"))
        return result.rowcount
    # In chunks through a JSON array: two statements per 500 variants, not two per variant
    # (a bootstrap indexes a million of them; DESIGN.md §8 gives it 60 s).
    wanted = sorted(set(pks))
    for start in range(0, len(wanted), _INDEX_CHUNK):
        chunk = json.dumps(wanted[start:start + _INDEX_CHUNK])
        conn.execute(text("DELETE FROM variant_fts WHERE rowid IN"
                          " (SELECT value FROM json_each(:pks))"), {"pks": chunk})
        conn.execute(text(f"INSERT INTO variant_fts(rowid, text) {select}"
                          " WHERE v.pk IN (SELECT value FROM json_each(:pks))"), {"pks": chunk})
    return len(wanted)
