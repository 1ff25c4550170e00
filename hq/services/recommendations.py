"""Recommendations for a customer, from real order data (web orders + store sales).

Why: the profile suggests what to show her, each with its reason (docs/clienteling.md
"Recommendations"), and must open in well under 300 ms among a million customers. So the
expensive part is precomputed (`refresh`, run by the book publisher thread when older than
REFRESH_SECONDS, by `pos-hq demo-seed`, or on demand):

- `co_purchases`: for each pair of products (styles), in how many orders/sales both were
  bought (non-cancelled web orders and store sales; support >= MIN_SUPPORT kept);
- `variant_popularity`: units sold per variant.

At profile time (`Suggestions`, for a batch of customers; `recommend` for one) bounded,
indexed look-ups turn her purchases into:

1. "bought_together": products most often bought with hers (the support of each of her
   products' top _PARTNERS partners, summed), reason {"item": the product of hers it came
   from};
2. "history_category": top sellers of the categories she buys most, not bought yet, reason
   {"category": ...};
3. "history_size": top sellers in her recorded sizes, not bought yet, reason {"size": ...}.

Only items the asking store sells (a price there) are suggested, in the variant of her size
where one exists; one per product, best first, at most MAX_RECOMMENDATIONS.

Plain functions on a Connection: the caller's thread and transaction.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from sqlalchemy import Connection, Engine, bindparam, delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite

from hq.db.models.catalog import CoPurchase, Price, Product, Variant, VariantPopularity
from hq.services.common import utc_iso
from hq.services.customer_feed import chunks
from sync.protocol_customers import Recommendation

MIN_SUPPORT = 2
MAX_RECOMMENDATIONS = 12
REFRESH_SECONDS = 6 * 3600
WRITE_CHUNK = 5000  # rows per write transaction of refresh_in_chunks
_CANDIDATES = 16
_PARTNERS = 2 * _CANDIDATES  # co-purchase partners kept per product
_TOP_VARIANTS = 4 * _CANDIDATES  # top-selling variants read per category or size

_BASKETS = """
baskets AS (
    SELECT DISTINCT l.order_id AS basket, v.product_id AS product
    FROM web_order_lines l
    JOIN web_orders o ON o.id = l.order_id
    JOIN variants v ON v.id = l.variant_id
    WHERE o.status <> 'cancelled'
    UNION
    SELECT DISTINCT s.sale_id, v.product_id
    FROM sale_lines s JOIN variants v ON v.id = s.variant_id
)"""
_CO_PAIRS = f"""
SELECT a.product, b.product, COUNT(*)
FROM baskets a JOIN baskets b ON a.basket = b.basket AND a.product <> b.product
GROUP BY a.product, b.product
HAVING COUNT(*) >= {MIN_SUPPORT}"""
_CO_SELECT = f"WITH {_BASKETS}{_CO_PAIRS}"
_CO_SQL = (f"WITH {_BASKETS}\nINSERT INTO co_purchases (product_id, other_product_id, support)"
           f"{_CO_PAIRS}")
_POPULARITY_SELECT = """
SELECT u.variant_id, SUM(u.q) FROM (
    SELECT l.variant_id AS variant_id, l.quantity AS q
    FROM web_order_lines l JOIN web_orders o ON o.id = l.order_id
    WHERE o.status <> 'cancelled'
    UNION ALL
    SELECT variant_id, quantity FROM sale_lines) u
GROUP BY u.variant_id"""
_POPULARITY_SQL = ("INSERT INTO variant_popularity (variant_id, units, computed_at) "
                   + _POPULARITY_SELECT.replace("SUM(u.q) FROM", "SUM(u.q), :now FROM", 1))


def refresh(conn: Connection) -> tuple[int, int]:
    """Recompute both derived tables from the order data, in the caller's transaction.
    Returns (co-purchase pairs, variants with sales)."""
    conn.execute(delete(CoPurchase))
    conn.execute(delete(VariantPopularity))
    conn.execute(text(_CO_SQL))
    now = utc_iso()
    conn.execute(text(_POPULARITY_SQL), {"now": now})
    pairs = conn.execute(select(func.count()).select_from(CoPurchase)).scalar_one()
    variants = conn.execute(select(func.count()).select_from(VariantPopularity)).scalar_one()
    if not variants:  # no sales at all: one marker row so "when computed" is known
        conn.execute(VariantPopularity.__table__.insert(),
                     [{"variant_id": "-", "units": 0, "computed_at": now}])
    return pairs, variants


def refresh_in_chunks(engine: Engine, chunk: int = WRITE_CHUNK) -> tuple[int, int]:
    """`refresh` without a long write lock (the book publisher thread's way): both
    aggregates are computed in a read-only transaction (on SQLite a reader blocks no writer),
    then written in transactions of at most `chunk` rows each, as upserts, and the rows that
    vanished are deleted last; so sale pushes interleave with the rebuild, and a profile read
    meanwhile sees each pair's old or new support, never an empty table.
    Returns (co-purchase pairs, variants with sales)."""
    with engine.connect() as conn:
        pairs = [tuple(r) for r in conn.execute(text(_CO_SELECT))]
        held = set(map(tuple, conn.execute(select(CoPurchase.product_id,
                                                  CoPurchase.other_product_id))))
        units = [tuple(r) for r in conn.execute(text(_POPULARITY_SELECT))]
    now = utc_iso()
    co, pop = CoPurchase.__table__, VariantPopularity.__table__
    _upsert_chunks(engine, co, [co.c.product_id, co.c.other_product_id], ["support"],
                   [{"product_id": a, "other_product_id": b, "support": int(n)}
                    for a, b, n in pairs], chunk)
    gone = sorted(held - {(a, b) for a, b, _ in pairs})
    for k in range(0, len(gone), chunk):
        with engine.begin() as conn:
            conn.execute(co.delete().where(co.c.product_id == bindparam("a"),
                                           co.c.other_product_id == bindparam("b")),
                         [{"a": a, "b": b} for a, b in gone[k:k + chunk]])
    _upsert_chunks(engine, pop, [pop.c.variant_id], ["units", "computed_at"],
                   [{"variant_id": v, "units": int(n), "computed_at": now} for v, n in units]
                   or [{"variant_id": "-", "units": 0, "computed_at": now}], chunk)
    with engine.begin() as conn:  # variants no longer sold (and the "nothing sold" marker)
        conn.execute(delete(VariantPopularity).where(VariantPopularity.computed_at < now))
    return len(pairs), len(units)


def _upsert_chunks(engine: Engine, table, keys: list, columns: list[str], rows: list[dict],
                   chunk: int) -> None:
    for k in range(0, len(rows), chunk):
        with engine.begin() as conn:
            stmt = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(table)
            conn.execute(stmt.on_conflict_do_update(
                index_elements=keys, set_={c: stmt.excluded[c] for c in columns}),
                rows[k:k + chunk])


def computed_at(conn: Connection) -> str | None:
    return conn.execute(select(func.max(VariantPopularity.computed_at))).scalar()


def is_stale(conn: Connection, now_iso: str, max_age_s: int = REFRESH_SECONDS) -> bool:
    from datetime import datetime, timedelta, timezone

    last = computed_at(conn)
    if last is None:
        return True
    cutoff = datetime.fromisoformat(now_iso.replace("Z", "+00:00")) - timedelta(
        seconds=max_age_s)
    return last < utc_iso(cutoff.astimezone(timezone.utc))


# --- at profile time ---------------------------------------------------------------------------
class Suggestions:
    """The suggestions of many customers at once (the book publisher's batch; the live
    profile is a batch of one), each priced in any of `store_ids`.

    Reads, whatever the batch size: her variants' products and categories (one query per
    CHUNK variants), the top _PARTNERS co-purchase partners of each of those products (one
    windowed query per CHUNK products), the top _TOP_VARIANTS sellers of each category and
    each size asked about (one indexed query each, shared by everyone in the batch), and the
    store-priced variants of the candidates (one query per CHUNK products)."""

    def __init__(self, conn: Connection, bought_variants: dict[str, Sequence[str]],
                 sizes: dict[str, dict[str, str]], store_ids: Iterable[str]) -> None:
        self._conn = conn
        variants = sorted({v for vs in bought_variants.values() for v in vs if v})
        facts = {r.id: (r.product_id, r.category) for r in _rows(conn, lambda c: (
            select(Variant.id, Variant.product_id, Product.category)
            .join(Product, Product.id == Variant.product_id).where(Variant.id.in_(c))),
            variants)}
        self._bought: dict[str, list[str]] = {}
        self._categories: dict[str, list[str]] = {}
        for cid, vs in bought_variants.items():
            products: list[str] = []
            categories: Counter = Counter()
            for v in dict.fromkeys(vs):
                if v in facts:
                    products.append(facts[v][0])
                    if facts[v][1]:
                        categories[facts[v][1]] += 1
            self._bought[cid] = list(dict.fromkeys(products))
            self._categories[cid] = [c for c, _ in categories.most_common(3)]
        self._sizes = {cid: sorted({s for s in m.values() if s}) for cid, m in sizes.items()}
        self._partners = self._load_partners({p for ps in self._bought.values() for p in ps})
        self._by_category: dict[str, list] = {}
        self._by_size: dict[str, list] = {}
        self._candidates = {cid: self._rank(cid) for cid in bought_variants}
        wanted = {p for groups in self._candidates.values() for g in groups for p, _, _ in g}
        wanted |= {src for groups in self._candidates.values() for p, src, _ in groups[0]}
        self._catalog = _Catalog(conn, list(dict.fromkeys(store_ids)), wanted)

    def _load_partners(self, products: set[str]) -> dict[str, list[tuple[str, int]]]:
        def top_partners(chunk: list[str]):
            rn = func.row_number().over(partition_by=CoPurchase.product_id,
                                        order_by=(CoPurchase.support.desc(),
                                                  CoPurchase.other_product_id)).label("rn")
            sub = select(CoPurchase.product_id, CoPurchase.other_product_id,
                         CoPurchase.support, rn).where(CoPurchase.product_id.in_(chunk)) \
                .subquery()
            return select(sub.c.product_id, sub.c.other_product_id, sub.c.support).where(
                sub.c.rn <= _PARTNERS)

        out: dict[str, list[tuple[str, int]]] = {}
        for r in _rows(self._conn, top_partners, sorted(products)):
            out.setdefault(r.product_id, []).append((r.other_product_id, int(r.support)))
        return out

    def _top(self, cache: dict[str, list], key: str, column) -> list:
        """The top sellers (product, units) of one category or size, best first, cached."""
        if key not in cache:
            cache[key] = self._conn.execute(
                select(Variant.product_id, VariantPopularity.units)
                .join(Variant, Variant.id == VariantPopularity.variant_id)
                .join(Product, Product.id == Variant.product_id)
                .where(Product.active == 1, column == key)
                .order_by(VariantPopularity.units.desc(), Variant.id)
                .limit(_TOP_VARIANTS)).all()
        return cache[key]

    def _rank(self, cid: str) -> list[list[tuple[str, str, int]]]:
        """[bought together (product, her product, support), by category (product,
        category, units), by size (product, size, units)], each best first."""
        bought = self._bought[cid]
        mine = set(bought)
        best: dict[str, tuple[str, int]] = {}
        totals: Counter = Counter()
        for source in bought:
            for other, support in self._partners.get(source, ()):
                if other in mine:
                    continue
                totals[other] += support
                if other not in best or support > best[other][1]:
                    best[other] = (source, support)
        together = [(p, best[p][0], n) for p, n in
                    sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:_CANDIDATES]]
        return [together,
                self._sellers(mine, self._categories[cid], self._by_category, Product.category),
                self._sellers(mine, self._sizes.get(cid, []), self._by_size, Variant.size)]

    def _sellers(self, mine: set[str], keys: Sequence[str], cache: dict, column
                 ) -> list[tuple[str, str, int]]:
        merged = sorted(((int(r.units), key, r.product_id) for key in keys
                         for r in self._top(cache, key, column)),
                        key=lambda t: -t[0])
        out: dict[str, tuple[str, int]] = {}
        for units, key, product in merged:
            if product not in mine:
                out.setdefault(product, (key, units))
        return [(p, why, units) for p, (why, units) in out.items()][:_CANDIDATES]

    def for_store(self, cid: str, store_id: str, currency: str) -> list[Recommendation]:
        """Her suggestions priced in `store_id`, best first (see the module docstring)."""
        together, by_category, by_size = self._candidates[cid]
        wanted = set(self._sizes.get(cid, []))
        out: list[Recommendation] = []
        seen: set[str] = set()

        def add(product_id: str, code: str, args: dict[str, str], score: float) -> None:
            if product_id in seen or len(out) >= MAX_RECOMMENDATIONS:
                return
            v = self._catalog.pick(store_id, product_id, wanted)
            p = self._catalog.products.get(product_id)
            if v is None or p is None:
                return
            seen.add(product_id)
            label = " / ".join(x for x in (v.colour, v.size) if x)
            out.append(Recommendation(
                variant_id=v.id, sku=v.sku, name=p.name, variant_label=label,
                unit_price=int(v.amount_minor), currency=currency, reason_code=code,
                reason_args=args, score=round(score, 3)))

        for product_id, source, support in together:
            src = self._catalog.products.get(source)
            add(product_id, "bought_together", {"item": src.name if src else ""},
                float(support))
        for product_id, category, units in by_category:
            add(product_id, "history_category", {"category": category}, units / 1000)
        for product_id, size, units in by_size:
            add(product_id, "history_size", {"size": size}, units / 1000)
        return out


def _rows(conn: Connection, make, ids: Sequence[str]) -> list:
    out: list = []
    for chunk in chunks(ids):
        out += conn.execute(make(chunk)).all()
    return out


class _Catalog:
    """Product and variant facts of the candidates, with the stores' prices."""

    def __init__(self, conn: Connection, store_ids: list[str], product_ids: Iterable[str]
                 ) -> None:
        ids = sorted(set(product_ids))
        self.products = {r.id: r for r in _rows(conn, lambda c: select(
            Product.id, Product.name, Product.category).where(Product.id.in_(c)), ids)}
        self.variants: dict[tuple[str, str], list] = {}
        if not store_ids:
            return
        for r in _rows(conn, lambda c: (
                select(Variant.id, Variant.product_id, Variant.sku, Variant.size,
                       Variant.colour, Price.store_id, Price.amount_minor,
                       func.coalesce(VariantPopularity.units, 0).label("units"))
                .join(Price, Price.variant_id == Variant.id)
                .outerjoin(VariantPopularity, VariantPopularity.variant_id == Variant.id)
                .where(Variant.product_id.in_(c), Variant.active == 1,
                       Price.store_id.in_(store_ids))), ids):
            self.variants.setdefault((r.store_id, r.product_id), []).append(r)

    def pick(self, store_id: str, product_id: str, sizes: set[str]):
        """Her size where the store sells one, else the best seller of the product."""
        options = self.variants.get((store_id, product_id)) or []
        if not options:
            return None
        return max(options, key=lambda v: (v.size in sizes, v.units, v.sku))


def recommend(conn: Connection, store_id: str, currency: str, bought_variants: Sequence[str],
              sizes: dict[str, str]) -> list[Recommendation]:
    """One customer's suggestions in one store (a batch of one)."""
    return Suggestions(conn, {"": list(bought_variants)}, {"": sizes}, [store_id]).for_store(
        "", store_id, currency)
