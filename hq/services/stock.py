"""Stock on hand per store and variant, published to the store's change feed (entity "stock").

Why: an associate checks "do we have it here?" without HQ (DESIGN.md §4: reading never waits
on the network), so each device holds its store's on hand. At HQ stock stays a ledger of
deltas (`stock_ledger`, plus the go-live count in `stock_openings`); the feed carries the
*computed on hand*, not the deltas:

- Idempotent and order-proof: applying the same change twice, or a snapshot followed by
  older changes, cannot count a sale twice; the latest figure simply wins. Deltas would need
  the device to dedupe by ledger id forever and could never be compacted into the snapshot
  (feed_state keeps one row per key: here one per store and variant, not one per sale line).
- The device's own sales reach HQ as ledger deltas; until HQ acknowledges them the device
  knows which of its sales are not in HQ's figure yet (its outbox), so it shows
  "HQ's on hand - my unsent sales" and never double-subtracts.

When: not inside the push. Publishing appends to the change feed, which serialises every
writer on one lock until commit; doing that in each push made concurrent pushes wait for each
other (HQ ingest is budgeted at 5,000 sales/s). So the push only notes what it moved
(`note_sold`: one multi-row insert into `stock_pending` per batch: variant and delta, no shared
row touched), and the publisher (`publish_pending`, run by hq/services/stock_publisher.py every
two seconds, or by anyone) claims the notes (each exactly once: deleted under the feed's
lock), adds their deltas to the last figures published (`stock_levels`) and publishes the new
ones: work in proportion to what was sold, never to the ledger's length. A variant without a
figure yet starts from opening + ledger - the notes not yet claimed, in one statement (one
snapshot), so no delta is counted twice or missed. Every writer of `stock_ledger` writes its
note in the same transaction (`note_moves`); `rebuild_levels` repairs from the ledger.
A device sees a sale's effect on its store's feed a few seconds after the push.

Runs on the caller's thread and transaction (a push request, the publisher thread, the seed).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Mapping, Sequence

from sqlalchemy import Connection, delete, func, select, union_all

from hq.db.models.catalog import StockLevel, StockOpening, StockPending
from hq.db.models.sales import StockMove
from hq.services import catalog
from hq.services.bulk_insert import insert_rows
from hq.services.common import utc_iso
from sync.protocol import EventResult, OutboxEventIn
from sync.protocol_payments import GIFT_CARD_LINE_KIND

_CHUNK = 500
CLAIM_BATCH = 20_000  # notes claimed per publishing transaction


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def _sums(conn: Connection, store_id: str, ids: Sequence[str] | None,
          minus_pending: bool) -> dict[str, int]:
    """Opening + ledger deltas (- unclaimed notes) per variant, in ONE statement."""
    parts = [select(StockOpening.variant_id, StockOpening.quantity.label("q")).where(
                 StockOpening.store_id == store_id),
             select(StockMove.variant_id, StockMove.delta.label("q")).where(
                 StockMove.store_id == store_id)]
    if minus_pending:
        parts.append(select(StockPending.variant_id, (-StockPending.delta).label("q")).where(
            StockPending.store_id == store_id))
    if ids is not None:
        parts = [p.where(p.selected_columns[0].in_(ids)) for p in parts]
    u = union_all(*parts).subquery()
    rows = conn.execute(select(u.c.variant_id, func.sum(u.c.q)).group_by(u.c.variant_id))
    return {v: int(q) for v, q in rows}


def ledger_on_hand(conn: Connection, store_id: str,
                   variant_ids: Sequence[str] | None = None, *,
                   minus_pending: bool = False) -> dict[str, int]:
    """Opening + sum of ledger deltas per variant of the store (all variants with either, or
    only `variant_ids`): the definition of on hand; `/v1/stock` computes the same sum.
    `minus_pending`: less the notes not yet claimed, i.e. what the published figures must
    say once they have all been claimed before (the basis of a new figure)."""
    if variant_ids is None:
        return _sums(conn, store_id, None, minus_pending)
    out: dict[str, int] = {}
    for chunk in _chunks(list(variant_ids)):
        out.update(_sums(conn, store_id, chunk, minus_pending))
    return out


def _publish(conn: Connection, store_id: str, levels: Mapping[str, int], at: str) -> None:
    rows = [{"store_id": store_id, "variant_id": v, "on_hand": q, "updated_at": at}
            for v, q in sorted(levels.items())]
    catalog.upsert_many(conn, "stock", rows, store_id)


def publish_store(conn: Connection, store_id: str) -> int:
    """Compute and publish the on hand of every variant the store has an opening or ledger
    rows for (the seed; a store's go-live). Returns the number of levels published."""
    levels = ledger_on_hand(conn, store_id, minus_pending=True)
    _publish(conn, store_id, levels, utc_iso())
    return len(levels)


def _held(conn: Connection, store_id: str, ids: Sequence[str]) -> dict[str, int]:
    held: dict[str, int] = {}
    for chunk in _chunks(list(ids)):
        held.update(conn.execute(select(StockLevel.variant_id, StockLevel.on_hand).where(
            StockLevel.store_id == store_id, StockLevel.variant_id.in_(chunk))).all())
    return held


def note_moves(conn: Connection, store_id: str, deltas: Mapping[str, int]) -> None:
    """Note ledger deltas (variant -> sum of the deltas just written to stock_ledger, in this
    transaction) for the publisher. Every writer of stock_ledger calls this."""
    insert_rows(conn, StockPending.__table__, [
        {"store_id": store_id, "variant_id": v, "delta": d}
        for v, d in sorted(deltas.items()) if d])


def note_sold(conn: Connection, store_id: str, events: Sequence[OutboxEventIn],
              results: Sequence[EventResult]) -> None:
    """In the push transaction (hq/services/ingest.py): note what its accepted sales moved,
    one row per variant. A sale line's ledger delta is -quantity (ingest writes exactly
    that); duplicates and quarantined events moved nothing."""
    deltas: dict[str, int] = defaultdict(int)
    for ev, res in zip(events, results):
        if res.status == "accepted" and ev.topic == "sale.completed":
            for line in ev.payload["sale"]["lines"]:
                if line.get("kind") != GIFT_CARD_LINE_KIND:  # a gift card moves no stock
                    deltas[line["variant_id"]] -= line["quantity"]  # validated: an int
    note_moves(conn, store_id, deltas)


def publish_pending(conn: Connection, limit: int = CLAIM_BATCH) -> tuple[int, int]:
    """Claim up to `limit` notes and publish the new figures, in the caller's transaction.
    Returns (notes claimed, levels published); claimed == limit means more may wait.
    Serialised with every feed writer by the change-log lock: the figures read are the last
    published, and no two publishers claim one note."""
    if conn.execute(select(StockPending.seq).limit(1)).first() is None:
        return 0, 0  # the common case: no feed lock taken
    catalog.lock_change_log(conn)
    oldest = select(StockPending.seq).order_by(StockPending.seq).limit(limit)
    claimed = conn.execute(delete(StockPending).where(StockPending.seq.in_(oldest)).returning(
        StockPending.store_id, StockPending.variant_id, StockPending.delta)).all()
    moved: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for store_id, variant_id, delta in claimed:
        moved[store_id][variant_id] += delta
    published = 0
    for store_id, deltas in sorted(moved.items()):
        held = _held(conn, store_id, sorted(deltas))
        fresh = ledger_on_hand(conn, store_id, [v for v in deltas if v not in held],
                               minus_pending=True)  # the claimed notes are gone: included
        levels = {v: held[v] + d if v in held else fresh.get(v, 0)
                  for v, d in deltas.items()}
        changed = {v: q for v, q in levels.items() if q != held.get(v, 0)}  # no row: 0
        _publish(conn, store_id, changed, utc_iso())
        published += len(changed)
    return len(claimed), published


def rebuild_levels(conn: Connection, store_id: str) -> int:
    """Recompute every level of the store from the ledger; publish those that differ.
    Returns how many were published (0: the feed already says exactly the ledger's)."""
    catalog.lock_change_log(conn)
    truth = ledger_on_hand(conn, store_id, minus_pending=True)  # notes: the publisher's
    held = dict(conn.execute(select(StockLevel.variant_id, StockLevel.on_hand).where(
        StockLevel.store_id == store_id)).all())
    changed = {v: q for v, q in truth.items() if held.get(v, 0) != q}  # no row: 0
    changed.update({v: 0 for v in held if v not in truth and held[v] != 0})
    _publish(conn, store_id, changed, utc_iso())
    return len(changed)
