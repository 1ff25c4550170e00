"""The reference local customer search used by the benchmarks (until pos_app has its own).

Why: DESIGN.md §8 — customer search as you type p99 < 50 ms over 1M customers, and §4 — the
associate searches the local cache when HQ does not answer. pos_app has no customer query
module yet, so this is the query the benchmarks measure, built like
pos_app.db.catalog_queries.search_items: at most CANDIDATE_CAP FTS5 matches (never ranking the
whole match set) over `customer_fts`, as pos_app.demo.customers.customer_search_text fills it.
When pos_app gets its own customer search, the scenarios should call that instead.

Kept outside bench.scenarios so the memory probe can import it without the benchmark runner.
Runs on whichever thread owns the connection (the benchmark's main thread).
"""
from __future__ import annotations

from sqlalchemy import Connection, text

from pos_app.textfold import fold, fts_prefix_query

CANDIDATE_CAP = 200


def search_customers(conn: Connection, query: str, limit: int = 30) -> list[tuple]:
    """(pk, id, name, phone, email, loyalty_card, tier) of customers matching every typed
    word as a prefix; names starting with the first word first, then by name."""
    match = fts_prefix_query(query)
    if match is None:
        return []
    rows = conn.execute(text(f"""
        WITH cand AS (SELECT rowid AS pk FROM customer_fts WHERE customer_fts MATCH :match
                      LIMIT {CANDIDATE_CAP})
        SELECT c.pk, c.id, c.name, c.phone, c.email, c.loyalty_card, c.tier
        FROM cand JOIN customers c ON c.pk = cand.pk
    """), {"match": match}).all()
    first = fold(query).split()[0]
    return sorted(rows, key=lambda r: (not fold(r[2]).startswith(first), r[2]))[:limit]
