"""`pos-hq demo-seed`: the demo company at HQ (both demo stores), published to the feed.

Why: HQ IT loads the demo company, makes an enrolment code, and a new tablet bootstraps the
same store a `pos-app` demo database holds: same ids (UUIDv5 of store and SKU), names, prices,
barcodes, associates with their argon2 PIN hashes, and customers (made searchable for the live
look-ups), plus an opening stock balance per variant (`stock_openings`) so that stock look-ups
show realistic numbers, and the omnichannel side (hq/demo/omnichannel.py): the shoppers' web
orders, in-store history, open pickups, profiles, loyalty ledgers, online carts and wishlists,
with each store's open pickups and stock on hand published to its feed. Idempotent: a store
already at HQ is left as it is (one seeded before the omnichannel tables existed gets that
part added).

Demo data only; the service never imports pos_app at runtime: the pure demo builders are
imported inside `seed_demo` alone (DESIGN.md §2: hq shares only sync's wire schemas).

Runs on the CLI's main thread (or a test); writes each store in one transaction.
"""
from __future__ import annotations

import json
import random
from dataclasses import asdict

from sqlalchemy import Connection, Engine, insert, select

from hq.db.models.catalog import StockOpening
from hq.db.models.organisation import Store
from hq.db.models.web_orders import WebOrder
from hq.demo.omnichannel import seed_omnichannel
from hq.demo.orders import GO_LIVE
from hq.services import catalog, lookups, promotions
from hq.services.common import utc_iso


def seed_demo(engine: Engine) -> list[str]:
    """Write the demo stores that are missing; returns the codes of the stores written."""
    # demo data only; the service never imports pos_app at runtime
    from pos_app.auth import hash_pin, min_pin_length
    from pos_app.demo.customers import demo_customers
    from pos_app.demo.store import (DEMO_ASSOCIATES, DEMO_CUSTOMERS, DEMO_MARKDOWN_ITEM_CODE,
                                    DEMO_STORES, build_catalog, demo_uuid)

    written = []
    for key, spec in DEMO_STORES.items():
        with engine.begin() as conn:
            associate_ids = tuple(demo_uuid(key, "associate", a.code)
                                  for a in DEMO_ASSOCIATES[key])
            customers = demo_customers(key, spec.lang, spec.customer_count, spec.seed + 1,
                                       fixed=(DEMO_CUSTOMERS[key],))
            if conn.execute(select(Store.id).where(Store.code == spec.code)).first():
                if not conn.execute(select(WebOrder.id).where(
                        WebOrder.fulfilment_store_id == spec.store_id).limit(1)).first():
                    seed_omnichannel(conn, spec, build_catalog(spec), customers, associate_ids)
                    written.append(spec.code)
                continue
            sid = spec.store_id
            catalog.insert_new(conn, "store", [{
                "id": sid, "code": spec.code, "name": spec.name, "currency": spec.currency,
                "locale": spec.locale, "timezone": spec.timezone, "tax_mode": spec.tax_mode,
                "address": spec.address, "discount_threshold_bp": spec.discount_threshold_bp,
                "barcode_rules": json.dumps([asdict(r) for r in spec.barcode_rules])}], sid)
            catalog.insert_new(conn, "tax_rate", [
                {"store_id": sid, "tax_code": c, "rate_ppm": ppm, "label": label}
                for c, ppm, label in spec.tax_rates], sid)
            rows = build_catalog(spec)
            _write_catalog(conn, sid, rows, f"PLU-{DEMO_MARKDOWN_ITEM_CODE}", spec.fixed[0])
            promotions.insert_promotions(conn, _demo_promotions(key, sid, rows, demo_uuid))
            catalog.insert_new(conn, "associate", [{
                "id": demo_uuid(key, "associate", a.code), "store_id": sid, "code": a.code,
                "name": a.name, "role": a.role.value,
                "pin_hash": hash_pin(a.pin, min_pin_length(a.role)), "active": 1}
                for a in DEMO_ASSOCIATES[key]], sid)
            catalog.insert_new(conn, "customer", [{
                "id": c.id, "home_store_id": sid, "name": c.name, "phone": c.phone,
                "email": c.email, "loyalty_card": c.loyalty_card, "tier": c.tier}
                for c in customers], sid)
            lookups.index_customers(conn, [c.id for c in customers])
            _write_opening_stock(conn, sid, rows)
            seed_omnichannel(conn, spec, rows, customers, associate_ids)
            written.append(spec.code)
    return written


def _write_catalog(conn: Connection, sid: str, rows, plu_code: str, tee) -> None:
    """The builder's tuples (keyed by integer pk) as HQ rows keyed by the stable ids."""
    product_ids = {r[0]: r[1] for r in rows.products}
    variant_ids = {r[0]: r[1] for r in rows.variants}
    catalog.insert_new(conn, "product", [{
        "id": r[1], "store_id": sid, "style_code": r[2], "name": r[3], "brand": r[4],
        "category": r[5], "tax_code": r[6], "active": r[7]} for r in rows.products], sid)
    catalog.insert_new(conn, "variant", [{
        "id": r[1], "product_id": product_ids[r[2]], "sku": r[3], "size": r[4],
        "colour": r[5], "active": r[6]} for r in rows.variants], sid)
    barcodes = [{"code": code, "variant_id": variant_ids[vpk]} for code, vpk in rows.barcodes]
    # The markdown-label code of the tee, as the device demo adds it (pos_app.demo.store).
    tee_sku = f"{tee.style_code}-{tee.first_colour}-{tee.first_size}"
    tee_id = next(r[1] for r in rows.variants if r[3] == tee_sku)
    barcodes.append({"code": plu_code, "variant_id": tee_id})
    catalog.insert_new(conn, "barcode", barcodes, sid)
    catalog.insert_new(conn, "price", [{
        "store_id": store_id, "variant_id": variant_ids[vpk], "amount_minor": amount}
        for store_id, vpk, amount in rows.prices], sid)


# Two promotions per demo store, for the whole of 2026 (the demo's "today" is in Nov 2026), on
# products that are not the fixed demo items (whose prices scripted demos and tests expect).
_DEMO_PROMOTIONS = {
    "hcm": (("Khuyến mãi áo khoác -20%", "percent_off", 2000, "category", "Áo khoác"),
            ("Giảm 50.000₫ chân váy", "amount_off", 50_000, "category", "Chân váy")),
    "nyc": (("$5 off sneakers", "amount_off", 500, "product", "Sneakers"),
            ("20% off outerwear", "percent_off", 2000, "category", "Outerwear")),
}


def _demo_promotions(key: str, sid: str, rows, demo_uuid) -> list[dict]:
    """The store's demo promotions; a "product" target names the first seeded (not fixed)
    product whose name contains it."""
    out = []
    for name, kind, value, target_kind, target in _DEMO_PROMOTIONS.get(key, ()):
        if target_kind == "product":
            target = next(r[1] for r in rows.products
                          if target in r[3] and not r[2].startswith("DEMO-"))
        out.append({"id": demo_uuid(key, "promotion", name), "store_id": sid, "name": name,
                    "kind": kind, "value": value, "target_kind": target_kind,
                    "target": target, "starts_at": "2026-01-01T00:00:00Z",
                    "ends_at": "2027-01-01T00:00:00Z", "active": 1})
    return out


def _write_opening_stock(conn: Connection, sid: str, rows) -> None:
    """An opening balance per variant of the store: 0-24 units, about 1 in 8 sold out, counted
    at the demo's go-live. Deterministic (seeded by the store id)."""
    rng = random.Random(sid)
    at = utc_iso(GO_LIVE)
    conn.execute(insert(StockOpening), [{
        "store_id": sid, "variant_id": r[1], "at": at,
        "quantity": 0 if rng.random() < 0.125 else rng.randint(1, 24)} for r in rows.variants])
