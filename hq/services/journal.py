"""Journal completeness per device: last sequence, gaps and chain breaks.

Why: DESIGN.md §3 — HQ checks each device's receipt sequence for gaps and its hash chain for
breaks and says so (endpoint, `pos-hq audit`). Computed in SQL with window functions (SQLite
3.25+ and PostgreSQL), so a device with millions of receipts is never loaded into memory:
only the few rows that are a problem come back.

Read-only functions on a Connection: run on a request thread or the CLI.
"""
from __future__ import annotations

from sqlalchemy import Connection, func, select, text

from hq.db.models.devices import Device
from hq.db.models.organisation import Store
from hq.db.models.sales import Event, JournalRecord
from sync.protocol import GENESIS, JournalStatus

_PROBLEMS = text("""
SELECT seq, prev_hash, pseq, phash FROM (
    SELECT seq, prev_hash,
           LAG(seq) OVER (ORDER BY seq) AS pseq,
           LAG(hash) OVER (ORDER BY seq) AS phash
    FROM journal WHERE device_id = :d
) AS j
WHERE (pseq IS NULL AND (seq > 1 OR prev_hash <> :genesis))
   OR (pseq IS NOT NULL AND (pseq < seq - 1 OR phash <> prev_hash))
ORDER BY seq
""")


def journal_status(conn: Connection, device_id: str) -> JournalStatus:
    last, received = conn.execute(
        select(func.max(JournalRecord.seq), func.count())
        .where(JournalRecord.device_id == device_id)).one()
    gaps: list[tuple[int, int]] = []
    breaks: list[int] = []
    for seq, prev_hash, pseq, phash in conn.execute(_PROBLEMS, {"d": device_id,
                                                               "genesis": GENESIS}):
        if pseq is None:
            if seq > 1:
                gaps.append((1, seq - 1))
            elif prev_hash != GENESIS:
                breaks.append(seq)
        elif pseq < seq - 1:
            gaps.append((pseq + 1, seq - 1))
        elif phash != prev_hash:
            breaks.append(seq)
    return JournalStatus(device_id=device_id, last_seq=last or 0, received=received,
                         gaps=gaps, chain_breaks=breaks)


def all_journal_status(conn: Connection) -> list[dict]:
    """Every device with its store code, name, revocation and journal status."""
    out = []
    rows = conn.execute(select(Device.id, Device.name, Device.device_code, Device.revoked_at,
                               Store.code).join(Store, Store.id == Device.store_id)
                        .order_by(Store.code, Device.device_code)).all()
    for row in rows:
        status = journal_status(conn, row.id)
        out.append({"store_code": row.code, "device_code": row.device_code, "name": row.name,
                    "revoked_at": row.revoked_at, **status.model_dump()})
    return out


def quarantined_events(conn: Connection, limit: int = 1000) -> list[dict]:
    rows = conn.execute(select(Event.id, Event.device_id, Event.position, Event.topic,
                               Event.received_at, Event.reason)
                        .where(Event.status == "quarantined")
                        .order_by(Event.received_at, Event.id).limit(limit)).all()
    return [dict(r._mapping) for r in rows]
