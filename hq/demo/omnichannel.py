"""`pos-hq demo-seed`, omnichannel part: one demo store's web orders, pickups, in-store
history, profiles, loyalty ledgers, online carts and wishlists, written in bulk, and the
store's feed entities "web_order" (open pickups) and "stock" (on hand per variant).

Why a module of its own: hq/demo/seed.py writes the catalog and the people; this turns them
into the shoppers' history (hq/demo/orders.py, hq/demo/clienteling.py) and writes it with one
multi-row INSERT per table (tests seed often: well under a second for both stores).

Takes the demo builders' plain rows (pos_app.demo.store/demo_catalog/demo_customers) as
arguments, so hq never imports pos_app here. Runs on the seed's thread and transaction.
"""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import Connection, Table, insert

from hq.db.models.customers import CartLine, CustomerProfile, LoyaltyEntry, WishlistItem
from hq.db.models.web_orders import WebOrder, WebOrderLine
from hq.demo.clienteling import cart_rows, loyalty_rows, profile_row, wishlist_rows
from hq.demo.orders import (DEMO_NOW, HISTORY_START, Item, Market, OrderMaker, Shopper)
from hq.demo.people import draw_consents, draw_taste, us_address, vn_address
from hq.services import orders, stock

# The demo catalogs' tax codes of children's items (pos_app.demo.catalog._tax_code).
KIDS_TAX_CODES = frozenset({"VAT8", "EXEMPT"})
APPAREL_SIZES = frozenset({"XS", "S", "M", "L", "XL"})
ORDER_PREFIX = {"VND": "VN", "USD": "US"}


def catalog_items(rows, store_id: str) -> list[Item]:
    """The store's sellable variants (demo_catalog.CatalogRows) with what orders need."""
    products = {r[0]: r for r in rows.products}
    prices = {vpk: amount for sid, vpk, amount in rows.prices if sid == store_id}
    sizes: dict[int, set] = {}
    for v in rows.variants:
        sizes.setdefault(v[2], set()).add(v[4])

    def kind(p) -> str | None:
        got = sizes[p[0]]
        if p[6] in KIDS_TAX_CODES:
            return "kids"
        if None in got:
            return None
        if got <= APPAREL_SIZES:
            return "apparel"
        return "shoes" if all(s.replace(".", "").isdigit() for s in got) else None
    kinds = {pk: kind(p) for pk, p in products.items()}
    items = []
    for vpk, vid, ppk, sku, size, colour, active in rows.variants:
        p = products[ppk]
        if not active or vpk not in prices:
            continue
        items.append(Item(variant_id=vid, sku=sku, style=p[2], name=p[3],
                          label=f"{colour} / {size}" if size else colour, size=size,
                          colour=colour, category=p[5], brand=p[4], tax_code=p[6],
                          price=prices[vpk], kind=kinds[ppk] if size else None))
    return items


def bulk_insert(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Many rows with the same keys into `table`, without SQLAlchemy's per-row parameter
    processing (plain values only): the DBAPI's executemany on SQLite, COPY on PostgreSQL."""
    if not rows:
        return
    columns = list(rows[0])
    values = [tuple(r[c] for c in columns) for r in rows]
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        names = ", ".join(f'"{c}"' for c in columns)
        with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in values:
                copy.write_row(row)
    elif conn.dialect.name == "sqlite":
        marks = ", ".join("?" * len(columns))
        raw.executemany(f'INSERT INTO "{table.name}" ({", ".join(columns)}) VALUES ({marks})',
                        values)
    else:
        conn.execute(insert(table), rows)


def market_of(spec, associate_ids: tuple[str, ...]) -> Market:
    return Market(key=spec.key, store_id=spec.store_id, store_code=spec.code,
                  currency=spec.currency, tax_mode=spec.tax_mode, lang=spec.lang,
                  timezone=spec.timezone, tax_ppm={c: ppm for c, ppm, _ in spec.tax_rates},
                  order_prefix=ORDER_PREFIX[spec.currency], associate_ids=associate_ids)


def seed_omnichannel(conn: Connection, spec, catalog_rows, customers,
                     associate_ids: tuple[str, ...]) -> dict[str, int]:
    """Write the store's omnichannel demo data and publish its pickups and stock. Returns the
    row counts written, by table."""
    market = market_of(spec, associate_ids)
    rng = random.Random(f"storeline-omnichannel-{spec.key}-{spec.seed}")
    maker = OrderMaker(market, catalog_items(catalog_rows, spec.store_id), rng)
    colours = sorted({i.colour for styles in maker.styles.values()
                      for variants in styles.values() for i in variants})
    address = vn_address if spec.lang == "vi" else us_address
    first_day, last_day = HISTORY_START - timedelta(days=120), DEMO_NOW - timedelta(days=60)
    shoppers, consents = [], {}
    for c in customers:
        since = first_day + timedelta(
            seconds=rng.randrange(int((last_day - first_day).total_seconds())))
        shoppers.append(Shopper(
            pk=c.pk, id=c.id, name=c.name, phone=c.phone, tier=c.tier, address=address(rng),
            taste=draw_taste(rng, spec.lang, maker.categories, colours, maker.kids_categories),
            since=since.replace(microsecond=0)))
        consents[c.id] = draw_consents(rng, associate_ids)
    completed = {s.id: maker.shopper_history(s) for s in shoppers}
    maker.open_pickups(shoppers)
    maker.number_orders()

    by_variant = {i.variant_id: i for styles in maker.styles.values()
                  for variants in styles.values() for i in variants}
    lines_by_order: dict[str, list[dict]] = {}
    for ln in maker.history.lines:
        lines_by_order.setdefault(ln["order_id"], []).append(ln)
    tables: dict = {CustomerProfile: [], WebOrder: maker.history.orders,
                    WebOrderLine: maker.history.lines, LoyaltyEntry: [], CartLine: [],
                    WishlistItem: []}
    for s in shoppers:
        bought = [by_variant[ln["variant_id"]] for o in completed[s.id]
                  for ln in lines_by_order[o["id"]]]
        tables[LoyaltyEntry] += loyalty_rows(market, s, completed[s.id], rng)
        tables[CustomerProfile].append(profile_row(s, consents[s.id], bought, rng))
        tables[CartLine] += cart_rows(maker, s)
        tables[WishlistItem] += wishlist_rows(maker, s)
    for table, rows in tables.items():  # parents first: profiles, orders, lines, ...
        bulk_insert(conn, table.__table__, rows)
    orders.publish_pickups(conn, maker.history.pickups)
    stock.publish_store(conn, spec.store_id)
    return {t.__tablename__: len(rows) for t, rows in tables.items()}
