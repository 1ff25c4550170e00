"""Demo customers (the clienteling book) and the text the customer search index holds.

Why: associates look shoppers up by name typed without accents, by the digits of a phone
number as the shopper says them ("0901 234 ...") or by e-mail. `customer_search_text` is the
one definition of what goes into `customer_fts` for a customer (rowid = customers.pk), used by
the demo loader and the benchmark generator; sync must index customers the same way.

Pure code, no database: safe on any thread.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

from pos_app.demo.catalog import demo_uuid
from pos_app.demo.words import (
    AREA_CODES_US,
    EMAIL_DOMAINS,
    FAMILY_VI,
    FIRST_EN,
    GIVEN_VI,
    LAST_EN,
    MIDDLE_VI,
    MOBILE_PREFIXES_VN,
    TIERS,
)
from pos_app.textfold import fold

_NON_DIGIT = re.compile(r"\D+")
# E.164 country code -> national trunk prefix (what people dial at home before the number).
_TRUNK = {"84": "0", "1": ""}




def phone_search_forms(phone: str | None) -> list[str]:
    """Digit strings a person may type for `phone`: international, national, subscriber.

    "+84901234567" -> ["84901234567", "0901234567", "901234567"].
    """
    digits = _NON_DIGIT.sub("", phone or "")
    if not digits:
        return []
    forms = [digits]
    for cc, trunk in _TRUNK.items():
        if phone and phone.startswith("+" + cc) and len(digits) > len(cc) + 6:
            subscriber = digits[len(cc):]
            forms += [trunk + subscriber, subscriber]
            break
    return list(dict.fromkeys(forms))


def customer_search_text(name: str, phone: str | None, email: str | None) -> str:
    """What customer_fts indexes for one customer: folded name, phone digit forms, e-mail."""
    return " ".join([fold(name), *phone_search_forms(phone),
                     fold(email or "")]).strip()


@dataclass(frozen=True, slots=True)
class DemoCustomer:
    pk: int
    id: str
    name: str
    phone: str
    email: str
    loyalty_card: str
    tier: str

    def row(self) -> tuple:
        return (self.pk, self.id, self.name, self.phone, self.email, self.loyalty_card,
                self.tier)


def _email_local(first: str, last: str, n: int) -> str:
    clean = lambda s: re.sub(r"[^a-z]", "", fold(s))  # noqa: E731 - tiny local helper
    return f"{clean(first)}.{clean(last)}{n}"


def vn_customer(rng: random.Random, store: str, pk: int) -> DemoCustomer:
    family, middle, given = rng.choice(FAMILY_VI), rng.choice(MIDDLE_VI), rng.choice(GIVEN_VI)
    national = rng.choice(MOBILE_PREFIXES_VN) + f"{rng.randrange(10_000_000):07d}"
    return DemoCustomer(
        pk=pk, id=demo_uuid(store, "customer", str(pk)), name=f"{family} {middle} {given}",
        phone=f"+84{national}",
        email=f"{_email_local(given, family, rng.randint(1, 99))}@{rng.choice(EMAIL_DOMAINS)}",
        loyalty_card=f"SLVN{pk:010d}", tier=rng.choice(TIERS),
    )


def us_customer(rng: random.Random, store: str, pk: int) -> DemoCustomer:
    first, last = rng.choice(FIRST_EN), rng.choice(LAST_EN)
    # 555-01xx is the range reserved for fiction; beyond 100 customers use 555-xxxx.
    line = f"01{pk % 100:02d}" if pk < 100 else f"{rng.randrange(10_000):04d}"
    return DemoCustomer(
        pk=pk, id=demo_uuid(store, "customer", str(pk)), name=f"{first} {last}",
        phone=f"+1{rng.choice(AREA_CODES_US)}555{line}",
        email=f"{_email_local(first, last, rng.randint(1, 99))}@{rng.choice(EMAIL_DOMAINS)}",
        loyalty_card=f"SLUS{pk:010d}", tier=rng.choice(TIERS),
    )


def demo_customers(store: str, lang: str, count: int, seed: int,
                   fixed: tuple[DemoCustomer, ...] = ()) -> list[DemoCustomer]:
    """`fixed` customers first (their pks must be 1..len(fixed)), then seeded ones."""
    rng = random.Random(seed)
    make = vn_customer if lang == "vi" else us_customer
    made = list(fixed)
    for pk in range(len(fixed) + 1, count + 1):
        made.append(make(rng, store, pk))
    return made
