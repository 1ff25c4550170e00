"""The offline clienteling book: each store's customers, with their profiles, on its feed.

Why: without internet the store's own customers still come up (issue 5); docs/clienteling.md
"Offline clienteling book" says who is in a store's book: home store = the store, or bought /
ordered for pickup there in the last BOOK_DAYS days, or tier gold/platinum anywhere, and
ONLY with data-use consent. For each of them HQ publishes, to that store, the entity
`customer` (as today) and `customer_profile` (key = customer id; data = the JSON of
sync.protocol_customers.CustomerProfile as that store sees it: its prices and stock; never
audited: a cached read is audited by the till).

When: never in the push hot path. Writers only note the customer in `book_pending` (one
cheap insert, no shared row: the ingest fast path adds it to the batch's rows); the
`BookPublisher` thread claims the notes about every BOOK_INTERVAL seconds (each once,
deleted under the change feed's lock) and re-publishes those customers: a customer who buys
five times in a second is published once. A customer who leaves a book, or has no data-use
consent, gets `delete` of `customer_profile` wherever it was published, and of `customer`
in the stores that are not her home; a withdrawn data-use consent (the latest data-use
record in the consent log says "not granted") deletes `customer` at her home store too.
`publish_all_books` (re)publishes every book: `pos-hq demo-seed` runs it.

Speed: customers are published CLAIM_BATCH at a time, each section read once per batch
(hq/services/profile_data.py, recommendations.Suggestions; profile.assemble builds each
store's view) and the batch's changes appended with one catalog.publish: both demo books
(600 customers, 690 profiles) in about 1.7 s on SQLite, where one profile at a time took
16-50 s. The recommendation tables are rebuilt in short write transactions
(recommendations.refresh_in_chunks), so the thread never holds a long write lock.

Runs on the caller's thread and transaction (the publisher thread, the CLI, a test).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterable

from sqlalchemy import Connection, Engine, delete, func, null, select, union

from hq.db.models.customers import (BookPending, ConsentRecord, Customer, CustomerMerge,
                                    CustomerProfile, LoyaltyEntry)
from hq.db.models.organisation import FeedState, Store
from hq.db.models.sales import Sale
from hq.db.models.web_orders import WebOrder
from hq.services import catalog, loyalty, profile, profile_data, recommendations
from hq.services.common import utc_iso
from hq.services.customer_feed import chunks, customer_feed_data, feed_json
from hq.services.periodic import PeriodicJob

BOOK_DAYS = 365
BOOK_TIERS = ("gold", "platinum")
CLAIM_BATCH = 500
BOOK_INTERVAL = 2.0
PROFILE_ENTITY = "customer_profile"


def _since(days: int = BOOK_DAYS) -> str:
    return utc_iso(datetime.now(timezone.utc) - timedelta(days=days))


def _rows(conn: Connection, make, ids) -> list:
    out: list = []
    for chunk in chunks(ids):
        out += conn.execute(make(chunk)).all()
    return out


def book_stores(conn: Connection, customer_ids: list[str], all_stores: list[str]
                ) -> dict[str, set[str]]:
    """customer -> the stores whose book has her (consent not considered here)."""
    out: dict[str, set[str]] = {cid: set() for cid in customer_ids}
    for cid, home in _rows(conn, lambda c: select(Customer.id, Customer.home_store_id)
                           .where(Customer.id.in_(c)), customer_ids):
        if home:
            out[cid].add(home)
    for cid, qualifying in _rows(conn, lambda c: select(
            LoyaltyEntry.customer_id, func.sum(LoyaltyEntry.delta))
            .where(LoyaltyEntry.customer_id.in_(c), LoyaltyEntry.reason == loyalty.EARN)
            .group_by(LoyaltyEntry.customer_id), customer_ids):
        if loyalty.tier_for(int(qualifying or 0)) in BOOK_TIERS:
            out[cid] |= set(all_stores)
    owner = {cid: cid for cid in customer_ids}
    owner.update(_rows(conn, lambda c: select(CustomerMerge.from_id, CustomerMerge.into_id)
                       .where(CustomerMerge.into_id.in_(c)), customer_ids))
    since = _since()
    for cid, store in _rows(conn, lambda c: select(Sale.customer_id, Sale.store_id).where(
            Sale.customer_id.in_(c), Sale.created_at >= since).distinct(), list(owner)):
        out[owner[cid]].add(store)
    for cid, store in _rows(conn, lambda c: select(
            WebOrder.customer_id, WebOrder.fulfilment_store_id).where(
            WebOrder.customer_id.in_(c), WebOrder.fulfilment.in_(("pickup", "in_store")),
            WebOrder.created_at >= since).distinct(), customer_ids):
        if store:
            out[cid].add(store)
    return out


def _consent(conn: Connection, customer_ids: list[str]) -> dict[str, tuple[bool, bool]]:
    """customer -> (data-use consent now, explicitly withdrawn: the log's latest data-use
    record says "not granted")."""
    granted = dict(_rows(conn, lambda c: select(
        CustomerProfile.customer_id, CustomerProfile.data_use_consent)
        .where(CustomerProfile.customer_id.in_(c)), customer_ids))

    def latest(chunk: list[str]):
        rn = func.row_number().over(partition_by=ConsentRecord.customer_id,
                                    order_by=ConsentRecord.at.desc()).label("rn")
        sub = select(ConsentRecord.customer_id, ConsentRecord.granted, rn).where(
            ConsentRecord.customer_id.in_(chunk), ConsentRecord.kind == "data_use").subquery()
        return select(sub.c.customer_id, sub.c.granted).where(sub.c.rn == 1)

    withdrawn = {cid for cid, g in _rows(conn, latest, customer_ids) if g == 0}
    return {cid: (bool(granted.get(cid)), cid in withdrawn) for cid in customer_ids}


def _held(conn: Connection, customer_ids: list[str]) -> dict[tuple[str, str], dict]:
    """(entity, customer) -> {scope: data} of what the feed holds now (profiles' data
    left out: only where they are matters)."""
    out: dict[tuple[str, str], dict] = {}
    for entity in ("customer", PROFILE_ENTITY):
        data = FeedState.data if entity == "customer" else null()
        for key, scope, d in _rows(conn, lambda c, e=entity, d=data: select(
                FeedState.key, FeedState.scope, d).where(
                FeedState.entity == e, FeedState.key.in_(c)), customer_ids):
            out.setdefault((entity, key), {})[scope] = d
    return out


def publish_customers(conn: Connection, customer_ids: Iterable[str]) -> dict[str, int]:
    """(Re)publish the book entries of these customers, CLAIM_BATCH at a time (one query
    per section per batch, one bulk append to the feed); returns counts of profile upserts
    and of deletes. A `customer` row is published where the book or her home store needs it
    and the feed does not already hold exactly that data."""
    all_stores = sorted(conn.execute(select(Store.id)).scalars())
    counts = {"upserts": 0, "deletes": 0}
    catalog.lock_change_log(conn)
    for batch in chunks(dict.fromkeys(customer_ids), CLAIM_BATCH):
        changes = _batch_changes(conn, batch, all_stores)
        counts["upserts"] += sum(1 for c in changes
                                 if c["entity"] == PROFILE_ENTITY and c["op"] == "upsert")
        counts["deletes"] += sum(1 for c in changes if c["op"] == "delete")
        catalog.publish(conn, changes)
    return counts


def _batch_changes(conn: Connection, batch: list[str], all_stores: list[str]) -> list[dict]:
    feed = customer_feed_data(conn, batch)  # the customers HQ holds
    ids = list(feed)
    if not ids:
        return []
    consent, books, held = _consent(conn, ids), book_stores(conn, ids, all_stores), \
        _held(conn, ids)
    in_book = {cid: books[cid] if consent[cid][0] else set() for cid in ids}
    at = utc_iso()
    changes: list[dict] = []

    def change(entity: str, op: str, scope: str, cid: str, data: str | None = None) -> None:
        changes.append({"store_id": scope or None, "entity": entity, "op": op, "key": cid,
                        "data": data, "at": at})

    for cid in ids:  # her customer row first: a till holds her before her profile
        data, has = feed_json(feed[cid]), held.get(("customer", cid), {})
        home = feed[cid]["home_store_id"] or ("" if "" in has else None)
        keep = in_book[cid] | ({home} if home is not None and not consent[cid][1] else set())
        for scope in sorted(keep):
            if has.get(scope) != data:
                change("customer", "upsert", scope, cid, data)
        for scope in sorted(set(has) - keep):
            change("customer", "delete", scope, cid)
    wanted = [cid for cid in ids if in_book[cid]]
    stores = sorted({s for cid in wanted for s in in_book[cid]})
    pre = profile_data.fetch(conn, wanted, stores)
    recs = profile.suggestions(conn, pre, stores)
    for cid in ids:
        for scope in sorted(in_book[cid]):
            change(PROFILE_ENTITY, "upsert", scope, cid,
                   profile.assemble(pre, recs, cid, scope).model_dump_json())
        for scope in sorted(set(held.get((PROFILE_ENTITY, cid), {})) - in_book[cid]):
            change(PROFILE_ENTITY, "delete", scope, cid)
    return changes


def book_candidates(conn: Connection) -> list[str]:
    """Every customer who may be in some store's book (consent is checked per customer)."""
    since = _since()
    qualifying = (select(LoyaltyEntry.customer_id).where(LoyaltyEntry.reason == loyalty.EARN)
                  .group_by(LoyaltyEntry.customer_id)
                  .having(func.sum(LoyaltyEntry.delta) >= dict(loyalty.TIERS)["gold"]))
    q = union(select(Customer.id.label("id")).where(Customer.home_store_id.is_not(None)),
              select(Sale.customer_id).where(Sale.customer_id.is_not(None),
                                             Sale.created_at >= since),
              select(WebOrder.customer_id).where(
                  WebOrder.customer_id.is_not(None),
                  WebOrder.fulfilment.in_(("pickup", "in_store")),
                  WebOrder.created_at >= since),
              qualifying)
    return sorted(conn.execute(q).scalars())


def publish_all_books(engine: Engine, refresh_recommendations: bool = True) -> int:
    """Publish every store's book (the seed; a repair). Returns customers looked at."""
    if refresh_recommendations:
        recommendations.refresh_in_chunks(engine)
    with engine.connect() as conn:
        ids = book_candidates(conn)
    for i in range(0, len(ids), CLAIM_BATCH):
        with engine.begin() as conn:
            publish_customers(conn, ids[i:i + CLAIM_BATCH])
    return len(ids)


def publish_pending(conn: Connection, limit: int = CLAIM_BATCH) -> int:
    """Claim up to `limit` notes and re-publish those customers; returns notes claimed."""
    if conn.execute(select(BookPending.seq).limit(1)).first() is None:
        return 0
    catalog.lock_change_log(conn)
    oldest = select(BookPending.seq).order_by(BookPending.seq).limit(limit)
    claimed = conn.execute(delete(BookPending).where(BookPending.seq.in_(oldest))
                           .returning(BookPending.customer_id)).scalars().all()
    publish_customers(conn, claimed)
    return len(claimed)


class BookPublisher(PeriodicJob):
    name = "book-publisher"

    """A daemon thread of the HQ service: book notes every `interval` seconds, derived
    recommendation tables when stale. A failed round is logged and retried next tick."""

    def __init__(self, engine: Engine, interval: float = BOOK_INTERVAL) -> None:
        super().__init__(interval)
        self.engine = engine

    def run_once(self) -> int:
        claimed = 0
        with self.engine.connect() as conn:
            stale = recommendations.is_stale(conn, utc_iso())
        if stale:  # in chunks: the ingest's writes go on meanwhile
            recommendations.refresh_in_chunks(self.engine)
        while True:
            with self.engine.begin() as conn:
                n = publish_pending(conn)
            claimed += n
            if n < CLAIM_BATCH:
                return claimed
