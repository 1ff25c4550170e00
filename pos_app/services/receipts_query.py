"""The till's past receipts: the latest ones, or one found by its number, for "Reprint".

Why: a customer comes back for a receipt, or the printer was out of paper an hour ago: the
cashier finds the sale on the Receipts screen (newest first, or by typing its number -- the
whole "HCM1-T01-000123" or just "123") and reprints it as a copy. Each row says whether the
original receipt printed (from `print_jobs`). Queries walk the (device_id, seq) index
backwards, so they cost the same with a year of sales.

Thread: the database worker (TillService.receipts), or a test.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

_COLUMNS = (
    "SELECT s.id, s.receipt_no, s.created_at, s.total, coalesce(a.name, ''),"
    " (SELECT p.status FROM print_jobs p WHERE p.sale_id = s.id AND p.copy = 0)"
    " FROM sales s LEFT JOIN associates a ON a.id = s.associate_id")
_TRAILING_NUMBER = re.compile(r"(\d+)\s*$")


@dataclass(frozen=True, slots=True)
class ReceiptRow:
    sale_id: str
    receipt_no: str
    created_at: str  # UTC "…Z"
    total: int  # minor units of the store's currency
    associate_name: str
    print_status: str | None  # pos_app.services.print_jobs.JobStatus value; None: no record


def latest_receipts(conn: Connection, device_id: str, limit: int = 100) -> list[ReceiptRow]:
    rows = conn.execute(text(_COLUMNS + " WHERE s.device_id = :d ORDER BY s.seq DESC"
                             " LIMIT :n"), {"d": device_id, "n": limit})
    return [ReceiptRow(*row) for row in rows]


def find_receipts(conn: Connection, device_id: str, query: str) -> list[ReceiptRow]:
    """The receipt whose number is `query` (any case), or this till's receipt with the
    sequence number `query` ends with ("123", "T01-000123")."""
    query = query.strip()
    if not query:
        return []
    params: dict = {"d": device_id, "no": query.upper(), "seq": -1}
    match = _TRAILING_NUMBER.search(query)
    if match and len(match.group(1)) <= 12:
        params["seq"] = int(match.group(1))
    rows = conn.execute(text(
        _COLUMNS + " WHERE s.receipt_no = :no UNION " + _COLUMNS
        + " WHERE s.device_id = :d AND s.seq = :seq"), params).all()
    found = {row[0]: ReceiptRow(*row) for row in rows}
    exact = [r for r in found.values() if r.receipt_no == params["no"]]
    return exact or sorted(found.values(), key=lambda r: r.created_at, reverse=True)
