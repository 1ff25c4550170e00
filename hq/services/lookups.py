"""Live look-ups for devices: customer search and profile, stock in every store, web orders.

Why: an associate finds a shopper among a million by name typed without accents, by a phone
number in any common format, by e-mail or by loyalty card, in well under 100 ms at HQ
(issue 5); the device falls back to its cache when HQ does not answer in time (DESIGN.md §4).

Customer search: `customer_search_terms` holds one row per search key (see
hq.db.models.customers.CustomerSearchTerm), so every kind of search is one range scan of one
primary-key btree, in key order, stopping at the page size: `term >= 'n:nguyen thi' AND
term < 'n:nguyen thj'`. The column is byte-ordered on PostgreSQL (COLLATE "C") and on SQLite
(BINARY), so the range is exactly the prefix, whatever the locale. Name keys are every
word-suffix of the folded name, so "nguyen thi", "thi mai" and "mai" all find "Nguyễn Thị Mai".
Keys are folded with the devices' own functions (sync.protocol.fold, phone_search_forms).
Every writer of `customers` calls `index_customers` in the same transaction.

Lists are privacy-safe: phone and e-mail are masked (sync.protocol.mask_phone/mask_email);
the unmasked profile is a separate call that appends an `audit_log` row naming the device.

Stock on hand is a store's opening balance (`stock_openings`, 0 when none) plus the sum of its
`stock_ledger` deltas (sales, ...): a ledger, never an overwritten total (DESIGN.md §4).

Plain functions on a Connection: run on a request thread; the caller commits.
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

from sqlalchemy import Connection, and_, delete, func, insert, or_, select

from hq.db.models.catalog import Product, StockOpening, Variant
from hq.db.models.customers import Customer, CustomerSearchTerm
from hq.db.models.organisation import AuditLog, Store
from hq.db.models.sales import StockMove
from hq.services.common import NotFound, ServiceError, utc_iso
from hq.services.enrolment import AuthenticatedDevice
from hq.services.orders import order_by_number
from sync.protocol import (MAX_CUSTOMER_SEARCH, CustomerDetail, CustomerSearchResult,
                           CustomerSummary, StockLevel, StockResult, WebOrder, fold,
                           mask_email, mask_phone, phone_search_forms)

TERM_MAX = 210
TOTAL_CAP = 500  # total_estimate counts matching keys up to this
MAX_QUERY = 100
_WORD = re.compile(r"\w+")
_PHONE_LIKE = re.compile(r"[\d\s+().\-/]+")
_NON_DIGIT = re.compile(r"\D+")
_CHUNK = 500


def _name_key(text: str) -> str:
    return " ".join(_WORD.findall(fold(text)))


def _card_key(card: str) -> str:
    return card.replace(" ", "").upper()


def customer_terms(name: str, phone: str | None, email: str | None,
                   loyalty_card: str | None) -> list[str]:
    """Every search key of one customer (pure: also used by the 0002 migration's backfill)."""
    words = _name_key(name).split()
    terms = ["n:" + " ".join(words[i:]) for i in range(len(words))]
    terms += ["p:" + form for form in phone_search_forms(phone)]
    if email:
        terms.append("e:" + email.strip().lower())
    if loyalty_card:
        terms.append("c:" + _card_key(loyalty_card))
    return list(dict.fromkeys(t[:TERM_MAX] for t in terms))


def index_customers(conn: Connection, ids: Iterable[str] | None = None) -> int:
    """(Re)write the search keys of the customers `ids` (None: every customer). Returns the
    number of keys written. Call it in the transaction that writes the customers."""
    table = CustomerSearchTerm.__table__
    query = select(Customer.id, Customer.name, Customer.phone, Customer.email,
                   Customer.loyalty_card)
    chunks: Iterable[Sequence[str] | None]
    if ids is None:
        conn.execute(delete(table))
        chunks = [None]
    else:
        id_list = list(ids)
        chunks = [id_list[i:i + _CHUNK] for i in range(0, len(id_list), _CHUNK)]
    written = 0
    for chunk in chunks:
        if chunk is not None:
            conn.execute(delete(table).where(table.c.customer_id.in_(chunk)))
        rows = conn.execute(query if chunk is None else query.where(Customer.id.in_(chunk)))
        batch = [{"term": t, "customer_id": r.id} for r in rows
                 for t in customer_terms(r.name, r.phone, r.email, r.loyalty_card)]
        for i in range(0, len(batch), 5000):
            conn.execute(insert(table), batch[i:i + 5000])
        written += len(batch)
    return written


# --- search ------------------------------------------------------------------------------------
def _successor(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _prefix_cond(prefix: str):
    term = CustomerSearchTerm.term
    return and_(term >= prefix, term < _successor(prefix))


def _ranges(q: str) -> list[tuple[str, bool]]:
    """(key, exact) pairs to look up for what was typed, best kind first."""
    ranges: list[tuple[str, bool]] = [("c:" + _card_key(q), True)]
    digits = _NON_DIGIT.sub("", q)
    if _PHONE_LIKE.fullmatch(q) and len(digits) >= 3:
        ranges.append(("p:" + digits, False))
        return ranges
    name = _name_key(q)
    if name:
        ranges.append(("n:" + name, False))
    if " " not in q:
        ranges.append(("e:" + q.lower(), False))
    return ranges


def _matching_ids(conn: Connection, key: str, exact: bool, want: int,
                  seen: dict[str, None]) -> None:
    """Add up to `want` new customer ids whose key matches, in key order, to `seen`."""
    term, cid = CustomerSearchTerm.term, CustomerSearchTerm.customer_id
    if exact:
        for (c,) in conn.execute(select(cid).where(term == key).limit(want)):
            seen.setdefault(c)
        return
    after: tuple[str, str] | None = None
    start = len(seen)
    for _round in range(5):  # a customer can match by several suffixes; page on by keyset
        stmt = select(term, cid).where(_prefix_cond(key))
        if after is not None:
            stmt = stmt.where(or_(term > after[0], and_(term == after[0], cid > after[1])))
        rows = conn.execute(stmt.order_by(term, cid).limit(want * 2)).all()
        for r in rows:
            if len(seen) - start >= want:
                return
            seen.setdefault(r.customer_id)
        if len(rows) < want * 2:
            return
        after = (rows[-1].term, rows[-1].customer_id)


def _count(conn: Connection, key: str, exact: bool, cap: int) -> int:
    term = CustomerSearchTerm.term
    sub = select(term).where(term == key if exact else _prefix_cond(key)).limit(cap)
    return conn.execute(select(func.count()).select_from(sub.subquery())).scalar_one()


def search_customers(conn: Connection, q: str, limit: int = 20) -> CustomerSearchResult:
    """Customers matching `q` (name prefix, phone, e-mail prefix or loyalty card), masked."""
    q = " ".join(q.split())
    if not q:
        raise ServiceError("q must contain something to search for")
    if len(q) > MAX_QUERY:
        raise ServiceError(f"q longer than {MAX_QUERY} characters")
    limit = max(1, min(limit, MAX_CUSTOMER_SEARCH))
    found: dict[str, None] = {}
    ranges = _ranges(q)
    for key, exact in ranges:
        if len(found) >= limit:
            break
        _matching_ids(conn, key, exact, limit - len(found), found)
    ids = list(found)[:limit]
    if len(ids) < limit:
        total = len(ids)
    else:
        total = 0
        for key, exact in ranges:  # counted up to the cap: a full page says "about N"
            total += _count(conn, key, exact, TOTAL_CAP - total)
            if total >= TOTAL_CAP:
                break
        total = min(TOTAL_CAP, max(limit, total))
    rows = {r.id: r for r in conn.execute(
        select(Customer.id, Customer.name, Customer.phone, Customer.email,
               Customer.loyalty_card, Customer.tier, Store.code.label("store_code"))
        .outerjoin(Store, Store.id == Customer.home_store_id)
        .where(Customer.id.in_(ids)))} if ids else {}
    return CustomerSearchResult(total_estimate=total, customers=[
        CustomerSummary(id=r.id, name=r.name, phone_masked=mask_phone(r.phone),
                        email_masked=mask_email(r.email), loyalty_card=r.loyalty_card,
                        tier=r.tier, home_store_code=r.store_code)
        for r in (rows[i] for i in ids if i in rows)])


# --- profile -----------------------------------------------------------------------------------
PROFILE_VIEWED = "customer.profile_viewed"


def customer_detail(conn: Connection, device: AuthenticatedDevice,
                    customer_id: str) -> CustomerDetail:
    """The unmasked contact details; records "profile viewed by device X" in audit_log."""
    r = conn.execute(
        select(Customer.id, Customer.name, Customer.phone, Customer.email,
               Customer.loyalty_card, Customer.tier, Store.code.label("store_code"))
        .outerjoin(Store, Store.id == Customer.home_store_id)
        .where(Customer.id == customer_id)).first()
    if r is None:
        raise NotFound(f"unknown customer {customer_id!r}")
    conn.execute(insert(AuditLog), [{
        "at": utc_iso(), "device_id": device.id, "store_id": device.store_id,
        "action": PROFILE_VIEWED, "subject": r.id,
        "detail": f"profile viewed by device {device.device_code} ({device.name}, {device.id})"}])
    return CustomerDetail(id=r.id, name=r.name, phone=r.phone, email=r.email,
                          loyalty_card=r.loyalty_card, tier=r.tier, home_store_code=r.store_code)


# --- stock -------------------------------------------------------------------------------------
def stock(conn: Connection, sku: str) -> StockResult:
    """On hand of `sku` in every store whose assortment carries it (ledger sum, 0 if none)."""
    sku = sku.strip()
    if not sku:
        raise ServiceError("sku must not be empty")
    ledger, opening = StockMove, StockOpening
    moved = (select(func.coalesce(func.sum(ledger.delta), 0))
             .where(ledger.store_id == Store.id, ledger.variant_id == Variant.id)
             .scalar_subquery())
    opened = (select(func.coalesce(func.sum(opening.quantity), 0))
              .where(opening.store_id == Store.id, opening.variant_id == Variant.id)
              .scalar_subquery())
    on_hand = moved + opened
    rows = conn.execute(
        select(Store.code, Store.name, Variant.sku, on_hand.label("on_hand"))
        .select_from(Variant)
        .join(Product, Product.id == Variant.product_id)
        .join(Store, or_(Product.store_id == Store.id, Product.store_id.is_(None)))
        .where(Variant.sku == sku)
        .order_by(Store.code)).all()
    if not rows:
        raise NotFound(f"unknown SKU {sku!r}")
    return StockResult(sku=sku, levels=[
        StockLevel(store_code=r.code, store_name=r.name, sku=r.sku, on_hand=int(r.on_hand))
        for r in rows])


# --- web orders --------------------------------------------------------------------------------
def web_order(conn: Connection, number: str) -> WebOrder:
    """The web order called `number`, whichever store or channel it belongs to (returns
    happen in any store); 404 with the reason when HQ has none (hq/services/orders.py)."""
    return order_by_number(conn, number)
