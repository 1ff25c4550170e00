"""Rows of a demo catalog, made by code from pos_app.demo.words: products, variants, barcodes
and prices, as plain tuples ready for `executemany`.

Why: the demo store must be a believable fashion and footwear shop of a few thousand SKUs,
identical on every machine (tests rely on it), and quick to write. A seeded `random.Random`
makes the choices; ids are UUIDv5 of the store and SKU, so HQ or a second device that builds
the same demo gets the same ids. Barcodes are valid EAN-13 (Vietnam: GS1 prefix 893; US:
UPC-A kept as a zero-padded 13-digit GTIN, the form pos_app.scanning.barcodes looks up).

Pure code, no database: safe on any thread (called by pos_app.demo.store on the database
worker, and by tests).
"""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from typing import Iterable

from pos_app.scanning.barcodes import ean13_with_check_digit
from pos_app.demo.words import (
    BRANDS_BY_CATEGORY_EN,
    BRANDS_BY_CATEGORY_VI,
    BRANDS_EN,
    BRANDS_VI,
    COLOUR_EN,
    COLOUR_VI,
    COLOURS,
    PRODUCT_TYPES,
    SIZES_EN,
    SIZES_VI,
    ProductType,
)

DEMO_NAMESPACE = uuid.UUID("6f2b4a4e-3c51-4f7e-9a59-5d0c2e1b7a10")
LABEL_EVERY = 7  # every 7th variant also carries an internal shelf label ("HCM-000008")


def demo_uuid(store: str, kind: str, key: str) -> str:
    """A stable UUID for a demo record: the same store, kind and key give the same id."""
    return str(uuid.uuid5(DEMO_NAMESPACE, f"{store}/{kind}/{key}"))


@dataclass(frozen=True, slots=True)
class FixedProduct:
    """A hand-picked product whose first variant tests and the README rely on.

    Variants are colours x sizes; the variant (`first_colour`, `first_size`) comes first and
    gets the barcode built from `barcode_base` + "01"; the others follow with 02, 03, ...
    """

    style_code: str
    name: str
    brand: str
    category: str
    tax_code: str
    price: int  # minor units
    colours: tuple[str, ...]  # colour codes (demo_words.COLOURS)
    sizes: tuple[str | None, ...]
    first_colour: str
    first_size: str | None
    barcode_base: str  # first 10 digits of the 12 before the check digit

    def combos(self) -> list[tuple[str, str | None]]:
        combos = [(c, s) for c in self.colours for s in self.sizes]
        combos.remove((self.first_colour, self.first_size))
        return [(self.first_colour, self.first_size), *combos]


def fixed_barcode(base10: str, index: int) -> str:
    """The EAN-13 of the `index`-th (1-based) variant of a fixed product."""
    return ean13_with_check_digit(f"{base10}{index:02d}")


def sku_for(style_code: str, colour_code: str, size: str | None) -> str:
    return f"{style_code}-{colour_code}-{size}" if size else f"{style_code}-{colour_code}"


@dataclass
class CatalogRows:
    """Tuples in the column order of the INSERTs in pos_app.demo.store."""

    products: list[tuple] = field(default_factory=list)  # pk,id,style,name,brand,cat,tax,active
    variants: list[tuple] = field(default_factory=list)  # pk,id,product_pk,sku,size,colour,act.
    barcodes: list[tuple] = field(default_factory=list)  # code, variant_pk
    prices: list[tuple] = field(default_factory=list)  # store_id, variant_pk, amount_minor


class CatalogBuilder:
    """Assigns integer keys in insertion order and collects the rows of one store."""

    def __init__(self, store: str, store_id: str, label_prefix: str, lang: str) -> None:
        self.store, self.store_id, self.label_prefix, self.lang = store, store_id, label_prefix, lang
        self.rows = CatalogRows()
        self._next_product = 1
        self._next_variant = 1

    def colour_name(self, code: str) -> str:
        return (COLOUR_VI if self.lang == "vi" else COLOUR_EN)[code]

    def add_product(self, style_code: str, name: str, brand: str, category: str, tax_code: str,
                    price: int, variants: Iterable[tuple[str, str | None, str]]) -> None:
        """Add a product and its variants, given as (colour code, size, barcode) triples."""
        ppk = self._next_product
        self._next_product += 1
        self.rows.products.append((ppk, demo_uuid(self.store, "product", style_code),
                                   style_code, name, brand, category, tax_code, 1))
        for colour_code, size, barcode in variants:
            vpk = self._next_variant
            self._next_variant += 1
            sku = sku_for(style_code, colour_code, size)
            self.rows.variants.append((vpk, demo_uuid(self.store, "variant", sku), ppk, sku,
                                       size, self.colour_name(colour_code), 1))
            self.rows.barcodes.append((barcode, vpk))
            if vpk % LABEL_EVERY == 1:
                self.rows.barcodes.append((f"{self.label_prefix}-{vpk:06d}", vpk))
            self.rows.prices.append((self.store_id, vpk, price))

    def add_fixed(self, fixed: FixedProduct) -> None:
        self.add_product(
            fixed.style_code, fixed.name, fixed.brand, fixed.category, fixed.tax_code,
            fixed.price,
            [(c, s, fixed_barcode(fixed.barcode_base, i))
             for i, (c, s) in enumerate(fixed.combos(), start=1)],
        )


# --- the seeded part of the catalog -----------------------------------------------------------
def vnd_price(rng: random.Random, lo_k: int, hi_k: int) -> int:
    """A shelf price in dong as VN shops set them: 199.000, 449.000, 690.000, 1.290.000."""
    k = rng.randint(lo_k, hi_k)
    k = (round(k / 50) * 50 - 1) if k < 500 else (round(k / 100) * 100 - 10)
    return max(99, min(k, 2490 if hi_k >= 2490 else hi_k)) * 1000


def usd_price(rng: random.Random, lo_cents: int, hi_cents: int) -> int:
    """A shelf price in cents ending .99 or .00 ($24.99, $98.00), within $9.99-$249.00."""
    dollars = rng.randint(max(10, lo_cents // 100), max(10, hi_cents // 100))
    cents = dollars * 100 - (1 if rng.random() < 0.6 else 0)
    return max(999, min(cents, 24900))


def add_seeded_catalog(builder: CatalogBuilder, seed: int) -> None:
    """Append the seeded random part of a demo catalog (a few thousand variants).

    For every product type and descriptor, 2-3 products from different brands of that category,
    2-4 colours each, every size of the type. Deterministic for a given seed and word lists.
    """
    rng = random.Random(seed)
    vi = builder.lang == "vi"
    brands = BRANDS_VI if vi else BRANDS_EN
    by_category = BRANDS_BY_CATEGORY_VI if vi else BRANDS_BY_CATEGORY_EN
    # A made-up GS1 company prefix per brand: "893" + 5 digits (VN) or a UPC manufacturer
    # number (US); 10000-79999 keeps them apart from the fixed items (893 00000, 0 84000)
    # and from the benchmark's synthetic ranges (8939..., 08...).
    company = dict(zip(brands, rng.sample(range(10000, 80000), len(brands))))
    item_ref: dict[str, int] = {b: 0 for b in brands}
    style_no = 0
    for ptype in PRODUCT_TYPES:
        sizes = (SIZES_VI if vi else SIZES_EN)[ptype.size_kind]
        for desc_vi, desc_en in ptype.descriptors:
            makers = by_category[ptype.category_en]
            for brand_index in rng.sample(makers, min(len(makers), rng.randint(2, 3))):
                style_no += 1
                brand = brands[brand_index]
                colours = rng.sample([c for c, _v, _e in COLOURS],
                                     rng.randint(2, 4) if ptype.size_kind == "apparel"
                                     else rng.randint(1, 3))
                variants = []
                for colour in colours:
                    for size in sizes:
                        item_ref[brand] += 1
                        variants.append((colour, size,
                                         _brand_barcode(vi, company[brand], item_ref[brand])))
                builder.add_product(
                    style_code=f"{'VN' if vi else 'US'}{style_no:05d}",
                    name=f"{ptype.vi} {desc_vi}" if vi else f"{desc_en} {ptype.en}",
                    brand=brand,
                    category=ptype.category_vi if vi else ptype.category_en,
                    tax_code=_tax_code(ptype, vi),
                    price=(vnd_price(rng, *ptype.vnd_k) if vi
                           else usd_price(rng, *ptype.usd_cents)),
                    variants=variants,
                )


def _tax_code(ptype: ProductType, vi: bool) -> str:
    if vi:
        return "VAT8" if ptype.kids else "VAT10"
    return "EXEMPT" if ptype.kids else "SALES"


def _brand_barcode(vi: bool, company: int, item: int) -> str:
    if vi:  # EAN-13: 893 (Vietnam) + 5-digit company + 4-digit item reference + check digit
        return ean13_with_check_digit(f"893{company:05d}{item:04d}")
    # UPC-A: number system 0 + 5-digit manufacturer + 5-digit item + check, stored as GTIN-13
    return ean13_with_check_digit(f"00{company:05d}{item:05d}")
