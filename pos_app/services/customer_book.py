"""Customers created and edited on the till, and the likely-duplicate check of the local book.

Why: an associate must be able to sign a shopper up or fix her details with or without HQ
(docs/clienteling.md, "Events a till pushes"). The change shows at once on this till (the
`customers` row and its search row, indexed exactly like sync indexes HQ's customers:
pos_app.demo.customers.customer_search_text) and travels to HQ as a "customer.upserted"
event listing only the fields the associate set or changed, so HQ's field-level merge never
overwrites what it changed itself. Before creating, the associate is shown customers with the
same phone (normalised: digits, national form) or e-mail (lower-cased): HQ merges such a new
customer into the existing one anyway, better to pick her now.

Thread: the database worker (writes) or any reader connection (duplicates, reads).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from sqlalchemy import Connection, text

from pos_app.demo.customers import customer_search_text, phone_search_forms
from pos_app.text_rules import check_text
from pos_app.textfold import fold

EDITABLE_FIELDS = ("name", "phone", "email", "loyalty_card", "sizes", "preferences")
TOPIC_CUSTOMER_UPSERTED = "customer.upserted"
_PHONE_CHARS = re.compile(r"^\+?[\d\s().\-/]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CANDIDATES = 50  # FTS rows checked per duplicate probe


class ClientelingError(ValueError):
    """A clienteling change was refused; nothing was written. Shown to the associate as is."""


@dataclass(frozen=True, slots=True)
class CustomerDraft:
    """What the create/edit form holds. Empty strings mean "not given"."""

    name: str
    phone: str | None = None
    email: str | None = None
    loyalty_card: str | None = None
    sizes: dict[str, str] = field(default_factory=dict)
    preferences: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LocalCustomer:
    id: str
    name: str
    phone: str | None
    email: str | None
    loyalty_card: str | None
    tier: str | None
    sizes: dict[str, str]
    preferences: dict[str, str]
    home_store_id: str | None


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """A likely duplicate, with her contact details UNMASKED: mask them before showing
    (sync.live_lookup.LiveLookup.duplicates does, with HQ's masks)."""

    id: str
    name: str
    phone: str | None
    email: str | None
    matched_on: str  # "phone" | "email"


def national_phone(phone: str | None) -> str | None:
    """The phone as digits in national form ("+84 90 123 4567" -> "0901234567")."""
    forms = phone_search_forms(phone)
    if not forms:
        return None
    return forms[1] if len(forms) > 1 else forms[0]


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _clean_map(value, what: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ClientelingError(f"{what} must be a list of name: value pairs")
    out = {}
    for k, v in value.items():
        check_text(str(k), what)
        check_text(str(v) if v is not None else None, f"{what}: {str(k)[:40]}")
        k, v = _clean(str(k)), _clean(str(v) if v is not None else None)
        if k and v:
            if len(k) > 40 or len(v) > 200:
                raise ClientelingError(f"{what}: '{k[:40]}' is too long")
            out[k] = v
    return out


def normalise(values: dict) -> dict:
    """Validate and tidy the editable fields present in `values` (ClientelingError if bad;
    UnsafeText for a control character)."""
    out: dict = {}
    for name, value in values.items():
        if name not in EDITABLE_FIELDS:
            raise ClientelingError(f"'{name}' cannot be changed here")
        if name in ("sizes", "preferences"):
            out[name] = _clean_map(value or {}, "Sizes" if name == "sizes" else "Preferences")
            continue
        check_text(value, name)  # no NUL or other control character (pos_app/text_rules.py)
        value = _clean(value)
        if name == "name":
            if not value:
                raise ClientelingError("Enter the customer's name")
            if len(value) > 200:
                raise ClientelingError("The name is longer than 200 characters")
        elif name == "phone" and value is not None:
            digits = re.sub(r"\D", "", value)
            if not _PHONE_CHARS.match(value) or not 8 <= len(digits) <= 15:
                raise ClientelingError(f"'{value}' is not a phone number (8 to 15 digits)")
        elif name == "email" and value is not None:
            if not _EMAIL.match(value) or len(value) > 200:
                raise ClientelingError(f"'{value}' is not an e-mail address")
        elif name == "loyalty_card" and value is not None:
            value = value.replace(" ", "").upper()
            if len(value) > 64:
                raise ClientelingError("The loyalty card number is too long")
        out[name] = value
    return out


_SELECT = ("SELECT id, name, phone, email, loyalty_card, tier, sizes, preferences, home_store_id"
           " FROM customers")


def _row_to_customer(r) -> LocalCustomer:
    return LocalCustomer(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6] or "{}"),
                         json.loads(r[7] or "{}"), r[8])


def read_customer(conn: Connection, customer_id: str) -> LocalCustomer | None:
    r = conn.execute(text(_SELECT + " WHERE id = :id"), {"id": customer_id}).first()
    return _row_to_customer(r) if r else None


def customer_fields_payload(c: LocalCustomer) -> dict:
    """The "customer" object of a customer.upserted event (CustomerFields)."""
    return {"id": c.id, "name": c.name, "phone": c.phone, "email": c.email,
            "loyalty_card": c.loyalty_card, "home_store_id": c.home_store_id,
            "sizes": c.sizes, "preferences": c.preferences}


def insert_customer(conn: Connection, customer_id: str, values: dict, home_store_id: str) -> None:
    conn.execute(text(
        "INSERT INTO customers(id, name, phone, email, loyalty_card, tier, sizes, preferences,"
        " home_store_id) VALUES (:id, :name, :phone, :email, :card, NULL, :sizes, :prefs,"
        " :home)"),
        {"id": customer_id, "name": values["name"], "phone": values.get("phone"),
         "email": values.get("email"), "card": values.get("loyalty_card"),
         "sizes": json.dumps(values.get("sizes") or {}, ensure_ascii=False),
         "prefs": json.dumps(values.get("preferences") or {}, ensure_ascii=False),
         "home": home_store_id})
    reindex_customer(conn, customer_id)


def update_customer(conn: Connection, customer_id: str, changed: dict) -> None:
    cols = {k: (json.dumps(v, ensure_ascii=False) if k in ("sizes", "preferences") else v)
            for k, v in changed.items()}
    sets = ", ".join(f"{k} = :{k}" for k in cols)
    conn.execute(text(f"UPDATE customers SET {sets} WHERE id = :id"), {**cols, "id": customer_id})
    if {"name", "phone", "email"} & changed.keys():
        reindex_customer(conn, customer_id)


def reindex_customer(conn: Connection, customer_id: str) -> None:
    """Rewrite her customer_fts row (rowid = customers.pk), as sync/change_apply.py does."""
    r = conn.execute(text("SELECT pk, name, phone, email FROM customers WHERE id = :id"),
                     {"id": customer_id}).first()
    if r is None:
        return
    conn.execute(text("DELETE FROM customer_fts WHERE rowid = :pk"), {"pk": r[0]})
    conn.execute(text("INSERT INTO customer_fts(rowid, text) VALUES (:pk, :t)"),
                 {"pk": r[0], "t": customer_search_text(r[1], r[2], r[3])})


def find_duplicates(conn: Connection, phone: str | None, email: str | None,
                    exclude_id: str | None = None) -> list[DuplicateMatch]:
    """Customers of the local book with the same normalised phone or lower-cased e-mail.

    Probes the search index (the phone's digit forms and the e-mail's words are in it; the
    e-mail also through its column index) and confirms each candidate exactly, so it stays
    fast over a million customers. Phone and e-mail come back unmasked: mask before showing.
    """
    found: dict[str, DuplicateMatch] = {}
    want_phone = national_phone(phone)
    want_email = (email or "").strip().lower() or None
    probes = []
    if want_phone:
        probes.append(("phone", f'"{want_phone}"'))
    if want_email:
        words = re.findall(r"[0-9a-z]+", fold(want_email))
        if words:
            probes.append(("email", " AND ".join(f'"{w}"' for w in words)))
    rows_by_index = conn.execute(text(  # exact (or lower-cased) e-mail: the column's index
        "SELECT id, name, phone, email FROM customers WHERE email IN (:raw, :low)"),
        {"raw": (email or "").strip(), "low": want_email}).all() if want_email else []
    for r in rows_by_index:
        if r[0] != exclude_id:
            found[r[0]] = DuplicateMatch(r[0], r[1], r[2], r[3], "email")
    for kind, match in probes:
        rows = conn.execute(text(
            f"WITH cand AS (SELECT rowid AS pk FROM customer_fts WHERE customer_fts MATCH :m"
            f" LIMIT {_CANDIDATES}) SELECT c.id, c.name, c.phone, c.email FROM cand"
            " JOIN customers c ON c.pk = cand.pk"), {"m": match}).all()
        for r in rows:
            same = (national_phone(r[2]) == want_phone if kind == "phone"
                    else (r[3] or "").strip().lower() == want_email)
            if same and r[0] != exclude_id and r[0] not in found:
                found[r[0]] = DuplicateMatch(r[0], r[1], r[2], r[3], kind)
    return list(found.values())
