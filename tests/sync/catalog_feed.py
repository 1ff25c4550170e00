"""Turn a device database (e.g. one made by load_demo) into the change feed HQ would publish.

Why: "a device that pulls the demo catalog from HQ ends with a catalog equivalent to
load_demo's" is tested by publishing exactly what load_demo wrote, in the data shapes documented
in sync.change_apply, then comparing the two databases by natural keys.
"""
from __future__ import annotations

import json

from sqlalchemy import text


def feed_from_device(engine) -> list[tuple[str, str, str, dict]]:
    """(entity, "upsert", key, data) for every catalog row, parents before children."""
    out: list[tuple[str, str, str, dict]] = []
    with engine.connect() as conn:
        q = lambda sql: conn.execute(text(sql)).mappings().all()  # noqa: E731
        for r in q("SELECT * FROM stores"):
            d = dict(r)
            d["barcode_rules"] = json.loads(d["barcode_rules"])
            out.append(("store", "upsert", d["id"], d))
        for r in q("SELECT * FROM tax_rates"):
            out.append(("tax_rate", "upsert", f"{r['store_id']}:{r['tax_code']}", dict(r)))
        for r in q("SELECT id, style_code, name, brand, category, tax_code, active FROM products"
                   " ORDER BY pk"):
            out.append(("product", "upsert", r["id"], dict(r)))
        for r in q("SELECT v.id, p.id AS product_id, v.sku, v.size, v.colour, v.active"
                   " FROM variants v JOIN products p ON p.pk = v.product_pk ORDER BY v.pk"):
            out.append(("variant", "upsert", r["id"], dict(r)))
        for r in q("SELECT b.code, v.id AS variant_id FROM barcodes b"
                   " JOIN variants v ON v.pk = b.variant_pk ORDER BY b.code"):
            out.append(("barcode", "upsert", r["code"], dict(r)))
        for r in q("SELECT pr.store_id, v.id AS variant_id, pr.amount_minor FROM prices pr"
                   " JOIN variants v ON v.pk = pr.variant_pk ORDER BY v.pk"):
            out.append(("price", "upsert", f"{r['store_id']}:{r['variant_id']}", dict(r)))
        for r in q("SELECT id, store_id, code, name, role, pin_hash, active FROM associates"):
            out.append(("associate", "upsert", r["id"], dict(r)))
        for r in q("SELECT id, name, phone, email, loyalty_card, tier FROM customers ORDER BY pk"):
            out.append(("customer", "upsert", r["id"], dict(r)))
    return out


def catalog_snapshot(engine) -> dict[str, set]:
    """The catalog by natural keys (no local pks), for comparing two devices."""
    queries = {
        "stores": "SELECT id, code, name, currency, locale, timezone, tax_mode, address,"
                  " discount_threshold_bp, barcode_rules FROM stores",
        "tax_rates": "SELECT store_id, tax_code, rate_ppm, label FROM tax_rates",
        "products": "SELECT id, style_code, name, brand, category, tax_code, active FROM products",
        "variants": "SELECT v.id, p.id, v.sku, v.size, v.colour, v.active FROM variants v"
                    " JOIN products p ON p.pk = v.product_pk",
        "barcodes": "SELECT b.code, v.sku FROM barcodes b JOIN variants v ON v.pk = b.variant_pk",
        "prices": "SELECT p.store_id, v.sku, p.amount_minor FROM prices p"
                  " JOIN variants v ON v.pk = p.variant_pk",
        # PIN verifiers are keyed per device (issue 18): compared by what they verify,
        # with each device's own key (pins_verify), not byte for byte
        "associates": "SELECT id, store_id, code, name, role, active FROM associates",
        "customers": "SELECT id, name, phone, email, loyalty_card, tier FROM customers",
        "variant_fts": "SELECT v.sku, f.text FROM variant_fts f JOIN variants v ON v.pk = f.rowid",
        "customer_fts": "SELECT c.id, f.text FROM customer_fts f JOIN customers c"
                        " ON c.pk = f.rowid",
    }
    with engine.connect() as conn:
        return {name: {tuple(r) for r in conn.execute(text(sql))} for name, sql in queries.items()}


def pins_verify(engine, pins: dict[str, str]) -> dict[str, bool]:
    """Associate code -> does the device accept that associate's PIN (`pins`: code -> PIN),
    with the device's own key, as its login screen would."""
    from sqlalchemy import text

    from pos_app.auth import pin_key, verify_pin
    from pos_app.store_context import DEVICE_SECRET_SETTING, read_setting

    with engine.connect() as conn:
        secret = read_setting(conn, DEVICE_SECRET_SETTING)
        rows = conn.execute(text("SELECT code, pin_hash FROM associates")).all()
    key = pin_key(secret) if secret else None
    return {code: verify_pin(stored, pins[code], key) for code, stored in rows if code in pins}
