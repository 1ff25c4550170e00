"""The code printed as a QR on every receipt: which sale this is, in a tamper-evident way.

Why: a return, an exchange or an e-receipt starts from the paper receipt. The QR must name
the sale exactly (receipt number and the sale's device-made UUID) and must not be forgeable by
editing it: a shopper who changes the receipt number or the UUID in a code should be refused,
not handed somebody else's sale.

Format (version 1), chosen to fit QR's dense alphanumeric mode (upper case, digits, ":-"):

    SLR1:<receipt no>:<sale UUID, 32 hex digits, upper case>:<tag>
    SLR1:HCM1-T02-000001:5B0E6F0A000040008000000000000001:3FA9C2D41B7E

The tag is the first 12 hex digits (48 bits) of the sale's journal hash (DESIGN.md §3): the
SHA-256 that chains the sale's journal record, which the till and HQ both hold (HQ receives
it with the sale event). No new secret is needed, and anybody holding the journal -- this till
for its own sales, HQ for every store -- can verify a code. Changing the receipt number or the
UUID breaks the match with the journal; guessing the tag of another sale is a 1 in 2^48 shot.
The tag is not a secret: it only proves the code was printed from this sale's record.

`parse_sale_code` checks the shape (any text, e.g. a URL of the e-receipt ending in the code);
`verify_sale_code` checks it against the local journal and raises a `SaleCodeError` whose
message says what is wrong, in words a cashier can act on.

Pure code except `verify_sale_code`, which reads the device database (database worker).
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, text

SCHEME = "SLR1"
TAG_LENGTH = 12

_CODE = re.compile(
    r"SLR1:(?P<receipt>[A-Z0-9][A-Z0-9._/-]{0,46}):(?P<uuid>[0-9A-F]{32}):(?P<tag>[0-9A-F]{12})")


class SaleCodeError(ValueError):
    """A receipt code was refused; the message says why and is shown as is."""


class NotASaleCode(SaleCodeError):
    """The text is not a Storeline receipt code at all (or a damaged one)."""


class UnknownSale(SaleCodeError):
    """A well-formed code for a sale this till does not hold (another till: ask HQ)."""


class TamperedSaleCode(SaleCodeError):
    """A well-formed code that does not match the journal: edited, or forged."""


@dataclass(frozen=True, slots=True)
class SaleCode:
    receipt_no: str
    sale_id: str  # canonical UUID text, lower case with dashes (as stored in the database)
    tag: str  # 12 upper-case hex digits

    def __str__(self) -> str:
        return f"{SCHEME}:{self.receipt_no}:{uuid.UUID(self.sale_id).hex.upper()}:{self.tag}"


def make_sale_code(receipt_no: str, sale_id: str, journal_hash: str) -> str:
    """The QR text for a sale, from its receipt number, UUID and journal hash."""
    if len(journal_hash) < TAG_LENGTH or not re.fullmatch(r"[0-9a-fA-F]+", journal_hash):
        raise ValueError(f"Not a journal hash: {journal_hash!r}")
    code = SaleCode(receipt_no.upper(), str(uuid.UUID(sale_id)),
                    journal_hash[:TAG_LENGTH].upper())
    text_ = str(code)
    if not _CODE.fullmatch(text_):
        raise ValueError(f"Receipt number {receipt_no!r} cannot go into a receipt code")
    return text_


def parse_sale_code(scanned: str) -> SaleCode:
    """The sale a scanned or typed code names; raises NotASaleCode for anything else.

    Accepts the bare code or any text that ends with it (an e-receipt URL ".../SLR1:...").
    """
    cleaned = (scanned or "").strip()
    start = cleaned.upper().rfind(f"{SCHEME}:")
    match = _CODE.fullmatch(cleaned[start:].upper()) if start >= 0 else None
    if match is None:
        if start < 0:
            raise NotASaleCode("This is not a Storeline receipt code.")
        raise NotASaleCode("This receipt code is damaged or incomplete; scan it again or "
                           "type the receipt number.")
    return SaleCode(match["receipt"], str(uuid.UUID(hex=match["uuid"])), match["tag"])


def verify_sale_code(conn: Connection, scanned: "str | SaleCode") -> SaleCode:
    """Check a code against this till's journal; return it when it names a real sale exactly.

    Raises UnknownSale when the sale is not on this till, TamperedSaleCode when the receipt
    number or the tag does not match the journal record of that sale.
    """
    code = scanned if isinstance(scanned, SaleCode) else parse_sale_code(scanned)
    row = conn.execute(
        text("SELECT s.receipt_no, j.hash FROM sales s JOIN journal j ON j.ref_id = s.id"
             " WHERE s.id = :id"), {"id": code.sale_id}).first()
    if row is None:
        raise UnknownSale(f"Receipt {code.receipt_no} is not a sale of this till; "
                          "look it up at HQ.")
    receipt_no, journal_hash = row
    if receipt_no.upper() != code.receipt_no:
        raise TamperedSaleCode(
            f"This code says receipt {code.receipt_no} but names sale {receipt_no}: "
            "it was altered. Ask for the original receipt.")
    if journal_hash[:TAG_LENGTH].upper() != code.tag:
        raise TamperedSaleCode(
            f"The code of receipt {code.receipt_no} does not match the sales journal: it was "
            "altered or printed by another system. Ask for the original receipt.")
    return code
