"""What a scanned or typed code means, before it becomes a basket line.

A scanner (keyboard wedge, serial or camera) hands the sell screen a string. This module says
whether it is a product GTIN (EAN-13, EAN-8, UPC-A, UPC-E, GTIN-14), a GS1 element string
(GS1-128, GS1 DataMatrix/QR/DataBar, or the human-readable "(01)...(17)..." form) carrying a GTIN
with lot, serial and expiry, an in-store variable-measure label printed by a scale (price or
weight embedded in a restricted-circulation "2x" code), the store's own SKU label, or something
that is not a barcode at all -- and when a code is wrong, it says exactly why, in a sentence staff
can act on (DESIGN.md section 6: "barcode content is validated and parsed").

Check digits come from python-stdnum; GS1 messages, symbology identifiers, UPC-E expansion and
the GS1 price/weight check digit come from biip. Only Storeline's own rules live here: the
per-store variable-measure layouts, the normalisation of GTINs for product look-up, and the
messages.

Pure: no Qt, no database, no I/O, no global mutable state. Safe to call on any thread, per scan.
Money is an integer count of minor units (DESIGN.md section 3); no float anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from biip import ParseError
from biip import parse as biip_parse
from biip.checksums import gs1_price_weight_check_digit
from biip.gs1_messages import GS1Message
from biip.symbology import GS1Symbology, SymbologyIdentifier
from biip.upc import Upc
from stdnum import ean

from pos_app.scanning.barcode_rules import VariableMeasureRule, default_rules_us, default_rules_vn

__all__ = ["ScanResult", "VariableMeasureRule", "default_rules_us", "default_rules_vn",
           "ean13_with_check_digit", "gtin_lookup_keys", "parse_scan", "price_check_digit"]

_DIGITS = re.compile(r"[0-9]+")
_INTERNAL = re.compile(r"[A-Z0-9._-]{3,32}")
_INTERNAL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
_TYPED_TEXT = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")  # words of letters, single spaces between
_GS = "\x1d"  # ASCII group separator: what scanners send for FNC1 inside GS1 codes
_MAX_LEN = 512  # no product barcode is longer; a paste of a document is not a scan
_GTIN_NAMES = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}


@dataclass(frozen=True)
class ScanResult:
    """What a scan means. See parse_scan for the kinds and the meaning of each field."""

    raw: str
    kind: str  # "gtin" | "variable_price" | "variable_weight" | "gs1" | "internal" | "invalid"
    gtin: str | None = None
    item_code: str | None = None
    embedded_value: int | None = None  # price: minor units of the currency; weight: grams
    lot: str | None = None
    serial: str | None = None
    expiry: str | None = None  # ISO date, e.g. "2025-12-31"
    error: str | None = None  # set only for kind == "invalid": a sentence for staff


def _invalid(raw: str, error: str) -> ScanResult:
    return ScanResult(raw=raw, kind="invalid", error=error)


def _canonical_gtin(code: str) -> str:
    """The form ScanResult.gtin holds: 8 digits stay 8 (EAN-8); 12-14 digits become GTIN-14,
    then drop its leading zero (13 digits, so UPC-A is "0" + 12) unless it is a packaging
    indicator (GTIN-14 starting 1-9 keeps 14 digits)."""
    if len(code) == 8:
        return code
    g14 = code.zfill(14)
    return g14[1:] if g14[0] == "0" else g14


def _check_digit_error(code: str) -> str | None:
    expected = ean.calc_check_digit(code[:-1])
    if expected == code[-1]:
        return None
    return f"Check digit is wrong for {_GTIN_NAMES[len(code)]} {code}: expected {expected}."


def price_check_digit(value: str) -> int:
    """GS1 price/weight check digit of a 4- or 5-digit value field.

    Source: GS1 General Specifications, section 7.9.2 (weighting factors 2-, 3, 5+, 5-),
    7.9.3 (4-digit field: weights 2-, 2-, 3, 5-; check = units digit of 3 x sum) and
    7.9.4 (5-digit field: weights 5+, 2-, 5-, 5+, 2-; check = the digit whose 5- product
    equals 10 minus the units digit of the sum). The spec's worked examples: "2875" -> 9,
    "14685" -> 6. The arithmetic is biip's (biip.checksums); this wrapper pins the contract.
    """
    return gs1_price_weight_check_digit(value)


def _match_rule(raw: str, code: str, rules: Sequence[VariableMeasureRule],
                minor_digits: int) -> ScanResult | None:
    """A variable-measure result (or an invalid one) if a rule claims the code, else None."""
    for rule in sorted(rules, key=lambda r: -len(r.prefix)):  # longest prefix wins
        body = code
        if rule.length == 12 and len(code) == 13 and code[0] == "0":
            body = code[1:]  # a UPC-A type-2 label sent zero-padded as EAN-13
        if len(body) != rule.length or not body.startswith(rule.prefix):
            continue
        error = _check_digit_error(code)
        if error:
            return _invalid(raw, error)
        pos = len(rule.prefix)
        item = body[pos:pos + rule.item_digits]
        pos += rule.item_digits
        printed_check = body[pos] if rule.price_check_digit else None
        pos += int(rule.price_check_digit)
        value = body[pos:pos + rule.value_digits]
        if printed_check is not None:
            expected = str(price_check_digit(value))
            if printed_check != expected:
                return _invalid(raw, f"Price check digit is wrong in {code}: expected {expected} "
                                     f"for the {rule.value_kind} {value}, found {printed_check}.")
        if rule.value_kind == "weight":
            grams = int(value) * 10 ** (3 - rule.value_decimals)
            return ScanResult(raw=raw, kind="variable_weight", item_code=item,
                              embedded_value=grams)
        if rule.value_decimals > minor_digits:
            return _invalid(raw, f"The barcode rule for prefix {rule.prefix} prints prices with "
                                 f"{rule.value_decimals} decimals but the store currency has "
                                 f"{minor_digits}: fix the store's barcode rules.")
        amount = int(value) * 10 ** (minor_digits - rule.value_decimals)
        return ScanResult(raw=raw, kind="variable_price", item_code=item, embedded_value=amount)
    return None


def _parse_eight(raw: str, code: str, modifier: str | None) -> ScanResult:
    """EAN-8, or UPC-E (number system 0/1 + 6 digits + check) when it is not a valid EAN-8.

    An AIM identifier settles the ambiguity: "]E4" is EAN-8, "]E0" with 8 digits is UPC-E.
    """
    ean8_expected = ean.calc_check_digit(code[:7])
    if modifier != "0" and ean8_expected == code[7]:
        return ScanResult(raw=raw, kind="gtin", gtin=code)
    upc = Upc.parse(code[:7]) if code[0] in "01" and modifier != "4" else None
    if upc is not None and str(upc.check_digit) == code[7]:
        return ScanResult(raw=raw, kind="gtin", gtin=_canonical_gtin(upc.as_upc_a()))
    if modifier == "0":
        if upc is None:
            return _invalid(raw, f"Not a UPC-E code: {code} must start with 0 or 1.")
        return _invalid(raw, f"Check digit is wrong for UPC-E {code}: "
                             f"expected {upc.check_digit}.")
    also = f" (or {upc.check_digit} if it is a UPC-E code)" if upc is not None else ""
    return _invalid(raw, f"Check digit is wrong for EAN-8 {code}: expected {ean8_expected}{also}.")


def _parse_numeric(raw: str, code: str, rules: Sequence[VariableMeasureRule],
                   minor_digits: int, modifier: str | None = None) -> ScanResult:
    n = len(code)
    if n in (12, 13):
        matched = _match_rule(raw, code, rules, minor_digits)
        if matched is not None:
            return matched
    if n == 8:
        return _parse_eight(raw, code, modifier)
    if n in (12, 13, 14):
        error = _check_digit_error(code)
        if error:
            return _invalid(raw, error)
        return ScanResult(raw=raw, kind="gtin", gtin=_canonical_gtin(code))
    return _invalid(raw, f"Not a barcode: {n} digits is not a length EAN/UPC codes have "
                         "(8, 12, 13 or 14).")


def _parse_gs1(raw: str, text: str) -> ScanResult:
    """GS1 element strings (machine form with or without GS, or "(AI)value" form) and
    GS1 Digital Link URIs; the result must carry a product GTIN in AI (01)."""
    try:
        if text.startswith("("):
            elements = GS1Message.parse_hri(text).element_strings
        else:
            parsed = biip_parse(text)
            if parsed.gs1_message is not None:
                elements = parsed.gs1_message.element_strings
            elif parsed.gs1_digital_link_uri is not None:
                elements = parsed.gs1_digital_link_uri.element_strings
            else:
                detail = parsed.gs1_message_error or parsed.gs1_digital_link_uri_error
                raise ParseError(detail or "unrecognised content")
    except ParseError as exc:
        return _invalid(raw, f"Not a valid GS1 barcode: {exc}")
    gtin_element = elements.get(ai="01")
    if gtin_element is None:
        found = ", ".join(f"({e.ai.ai})" for e in elements)
        return _invalid(raw, f"This GS1 barcode has no product number (AI 01); it holds {found}.")
    error = _check_digit_error(gtin_element.value)
    if error:
        return _invalid(raw, error)
    expiry_element = elements.get(ai="17")
    expiry = expiry_element.date if expiry_element is not None else None
    lot, serial = elements.get(ai="10"), elements.get(ai="21")
    return ScanResult(raw=raw, kind="gs1", gtin=_canonical_gtin(gtin_element.value),
                      lot=lot.value if lot is not None else None,
                      serial=serial.value if serial is not None else None,
                      expiry=expiry.isoformat() if expiry is not None else None)


def _parse_text(raw: str, text: str) -> ScanResult:
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        return _invalid(raw, "Not a barcode: it contains control characters.")
    if _TYPED_TEXT.fullmatch(text):
        return _invalid(raw, "Not a barcode: looks like typed text.")
    if _INTERNAL.fullmatch(text):
        return ScanResult(raw=raw, kind="internal")
    if len(text) > 32:
        return _invalid(raw, f"Not a barcode: {len(text)} characters is too long for a store "
                             "code (at most 32).")
    if len(text) < 3:
        return _invalid(raw, f"Not a barcode: {text!r} is too short for a store code "
                             "(at least 3 characters).")
    bad = next(c for c in text if c not in _INTERNAL_CHARS)
    return _invalid(raw, f"Not a barcode: {bad!r} is not used in store codes "
                         "(only A-Z, 0-9, '-', '_' and '.').")


def parse_scan(raw: str, rules: Sequence[VariableMeasureRule] = (),
               currency_minor_digits: int = 0) -> ScanResult:
    """Classify and validate one scan (or one code typed into the scan field).

    Surrounding whitespace and the scanner's CR/LF/tab suffix are dropped first. Then:
    "]xx" AIM symbology identifiers are honoured (GS1 symbologies go to the GS1 parser; EAN/UPC
    and plain symbologies continue with the content); codes with a GS separator, starting with
    "(" or "http", or of more than 14 digits are GS1; 12/13-digit codes matching a store rule
    are variable measure (their overall check digit, and the price check digit when the rule
    has one, must be right); 8/12/13/14 digits are GTINs (8 digits that are not a valid EAN-8
    may be UPC-E); non-numeric [A-Z0-9._-]{3,32} is a store SKU label ("internal"); anything
    else is "invalid" with a specific sentence in `error`.

    currency_minor_digits is the store currency's ISO 4217 exponent (VND 0, USD 2).
    """
    text = raw.strip()
    if not text:
        return _invalid(text, "Empty scan.")
    if len(text) > _MAX_LEN:
        return _invalid(text, f"Not a barcode: too long ({len(text)} characters).")
    modifier = None
    if text.startswith("]"):
        try:
            symbology = SymbologyIdentifier.extract(text)
        except (ParseError, IndexError, ValueError):
            return _invalid(text, f"Not a barcode: unknown symbology identifier {text[:3]!r}.")
        if symbology.gs1_symbology in GS1Symbology.with_gs1_messages():
            return _parse_gs1(text, text)
        if symbology.value.startswith("]E"):
            modifier = symbology.modifiers
        text_body = text[len(symbology):].strip()
        if not text_body:
            return _invalid(text, "Empty scan: only a symbology identifier was received.")
    else:
        text_body = text
    if _GS in text_body or text_body.startswith(("(", "http")):
        return _parse_gs1(text, text_body)
    compact = text_body.replace(" ", "")  # "0 36000 29145 2" typed from the printed digits
    if _DIGITS.fullmatch(compact):
        if len(compact) > 14:
            return _parse_gs1(text, compact)
        return _parse_numeric(text, compact, rules, currency_minor_digits, modifier)
    return _parse_text(text, text_body)


def gtin_lookup_keys(code: str) -> list[str]:
    """Equivalent forms of a GTIN to try against the product barcode table, canonical first.

    The first key is the form parse_scan returns in ScanResult.gtin and the one to store:
    UPC-A "036000291452" -> ["0036000291452", "036000291452"]; EAN-13 -> [itself] (plus its
    12-digit form when it starts with 0, and its 8-digit form when it is a zero-padded EAN-8);
    EAN-8 -> [itself]; GTIN-14 with a leading 0 -> as the 13-digit code. The check digit is not verified here. Raises ValueError for anything that
    is not 8, 12, 13 or 14 digits (pass ScanResult.gtin, not a raw scan).
    """
    text = code.strip()
    if not _DIGITS.fullmatch(text) or len(text) not in _GTIN_NAMES:
        raise ValueError(f"Not a GTIN (8, 12, 13 or 14 digits): {code!r}")
    canonical = _canonical_gtin(text)
    keys = [canonical]
    if len(canonical) == 13 and canonical[0] == "0":
        keys.append(canonical[1:])  # GTIN-12 (UPC-A)
        if canonical.startswith("00000"):
            keys.append(canonical[5:])  # GTIN-8 right-justified; GS1 issues no GTIN-13 there
    return keys


def ean13_with_check_digit(first12: str) -> str:
    """first12 plus its GS1 check digit: a valid EAN-13 (for demo and test data)."""
    if not (_DIGITS.fullmatch(first12) and len(first12) == 12):
        raise ValueError(f"Expected 12 digits, got {first12!r}")
    return first12 + ean.calc_check_digit(first12)
