"""Tests for pos_app.scanning.barcodes: what scans mean, and the messages staff see when they are wrong."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import ean

from pos_app.scanning.barcodes import (
    ScanResult,
    VariableMeasureRule,
    default_rules_us,
    default_rules_vn,
    ean13_with_check_digit,
    gtin_lookup_keys,
    parse_scan,
    price_check_digit,
)

KINDS = {"gtin", "variable_price", "variable_weight", "gs1", "internal", "invalid"}
digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def with_check(payload: str) -> str:
    return payload + ean.calc_check_digit(payload)


def assert_invalid(result: ScanResult, *fragments: str) -> None:
    assert result.kind == "invalid"
    assert result.gtin is None and result.item_code is None and result.embedded_value is None
    assert result.error
    for fragment in fragments:
        assert fragment in result.error, result.error


# --- oracle for the GS1 price check digit, written from the GS1 General Specifications text
# (7.9.2 weighting factors, 7.9.3 four-digit and 7.9.4 five-digit fields), not from biip's tables.

def _w(kind: str, d: int) -> int:
    product = d * {"2-": 2, "3": 3, "5+": 5, "5-": 5}[kind]
    tens, units = divmod(product, 10)
    if kind in ("2-", "5-"):
        return (units - tens) % 10
    if kind == "5+":
        return (units + tens) % 10
    return units


def oracle_price_check_digit(value: str) -> int:
    ds = [int(c) for c in value]
    if len(ds) == 4:
        return (3 * sum(_w(k, d) for k, d in zip(("2-", "2-", "3", "5-"), ds))) % 10
    target = (10 - sum(_w(k, d) for k, d in zip(("5+", "2-", "5-", "5+", "2-"), ds)) % 10) % 10
    return next(c for c in range(10) if _w("5-", c) == target)


def us_label(item: str, cents: str, check: str | None = None) -> str:
    pcd = check if check is not None else str(oracle_price_check_digit(cents))
    return with_check("2" + item + pcd + cents)


# --- GTINs --------------------------------------------------------------------------------

def test_valid_ean13_is_a_gtin_as_is():
    result = parse_scan("4006381333931")
    assert result == ScanResult(raw="4006381333931", kind="gtin", gtin="4006381333931")


def test_wrong_ean13_check_digit_names_the_expected_digit():
    assert_invalid(parse_scan("4006381333932"),
                   "Check digit is wrong for EAN-13 4006381333932: expected 1.")


def test_scanner_suffix_and_whitespace_are_stripped():
    result = parse_scan("  4006381333931\r\n")
    assert result.raw == "4006381333931" and result.gtin == "4006381333931"
    assert parse_scan("\t73513537\n").gtin == "73513537"


def test_ean8_is_kept_as_8_digits():
    assert parse_scan("73513537") == ScanResult(raw="73513537", kind="gtin", gtin="73513537")


def test_wrong_ean8_check_digit_names_the_expected_digit():
    assert_invalid(parse_scan("73513538"), "EAN-8 73513538", "expected 7")


def test_upc_a_and_its_zero_padded_ean13_form_give_the_same_gtin():
    assert parse_scan("036000291452").gtin == "0036000291452"
    assert parse_scan("0036000291452").gtin == "0036000291452"
    assert parse_scan("036000291452").kind == "gtin"


def test_wrong_upc_a_check_digit_names_the_expected_digit():
    assert_invalid(parse_scan("036000291453"), "UPC-A 036000291453", "expected 2")


def test_human_readable_digits_typed_with_spaces_are_accepted():
    assert parse_scan("0 36000 29145 2").gtin == "0036000291452"


# UPC-E (number system + D1..D6) -> UPC-A payload, built by hand from the GS1 expansion table
# (General Specifications 5.2.2.4.2).
@pytest.mark.parametrize(("upc_e7", "upc_a11"), [
    ("0123450", "01200000345"),  # D6 in 0-2: mfr D1 D2 D6 0 0, item 0 0 D3 D4 D5
    ("0123451", "01210000345"),
    ("1123452", "11220000345"),
    ("0123453", "01230000045"),  # D6 = 3: mfr D1 D2 D3 0 0, item 0 0 0 D4 D5
    ("0123454", "01234000005"),  # D6 = 4: mfr D1..D4 0, item 0 0 0 0 D5
    ("0123456", "01234500006"),  # D6 in 5-9: mfr D1..D5, item 0 0 0 0 D6
    ("0425261", "04210000526"),
])
def test_upc_e_is_expanded_to_upc_a_then_padded_to_13(upc_e7, upc_a11):
    upc_a = with_check(upc_a11)
    code = upc_e7 + upc_a[-1]  # UPC-E carries the UPC-A check digit
    with_aim = parse_scan("]E0" + code)  # "]E0" + 8 digits can only be UPC-E
    assert (with_aim.kind, with_aim.gtin) == ("gtin", "0" + upc_a)
    # Without an AIM identifier, 8 digits that are a valid EAN-8 are read as EAN-8.
    plain = parse_scan(code)
    assert plain.gtin == (code if ean.is_valid(code) else "0" + upc_a)


def test_known_upc_e_examples():
    assert parse_scan("04252614").gtin == "0042100005264"
    # 01234565 is also a valid EAN-8: only the AIM identifier (or a scanner set to expand
    # UPC-E) tells them apart.
    assert parse_scan("]E001234565").gtin == "0012345000065"
    assert parse_scan("01234565").gtin == "01234565"


def test_eight_digits_neither_ean8_nor_upc_e_give_both_expected_digits():
    assert_invalid(parse_scan("04252615"), "EAN-8 04252615", "expected 0", "or 4 if it is a UPC-E")


def test_aim_identifier_settles_ean8_versus_upc_e():
    # 01000009 is a valid EAN-8 and a valid UPC-E (for UPC-A 010000000009).
    assert parse_scan("01000009").gtin == "01000009"
    assert parse_scan("]E401000009").gtin == "01000009"
    assert parse_scan("]E001000009").gtin == "0010000000009"
    assert_invalid(parse_scan("]E004252615"), "UPC-E 04252615", "expected 4")
    assert_invalid(parse_scan("]E073513537"), "must start with 0 or 1")


def test_ean13_behind_an_aim_identifier():
    result = parse_scan("]E04006381333931")
    assert result.kind == "gtin" and result.gtin == "4006381333931"
    assert result.raw == "]E04006381333931"


def test_gtin14_with_leading_zero_normalises_to_13_and_keeps_indicator_otherwise():
    assert parse_scan("00036000291452").gtin == "0036000291452"
    assert parse_scan("10036000291459") == ScanResult(
        raw="10036000291459", kind="gtin", gtin="10036000291459")
    assert_invalid(parse_scan("10036000291458"), "GTIN-14 10036000291458", "expected 9")


def test_zero_padded_gtin8_is_found_under_its_ean8_key():
    assert parse_scan("00000073513537").gtin == "0000073513537"
    assert parse_scan("(01)00000073513537").gtin == "0000073513537"
    assert gtin_lookup_keys("0000073513537") == ["0000073513537", "000073513537", "73513537"]


@pytest.mark.parametrize("code", ["12", "12345", "1234567", "123456789", "1234567890", "12345678901"])
def test_numeric_codes_of_other_lengths_are_rejected_with_the_reason(code):
    assert_invalid(parse_scan(code), f"{len(code)} digits", "8, 12, 13 or 14")


# --- GS1 element strings ------------------------------------------------------------------

def test_gs1_human_readable_form_with_parentheses():
    result = parse_scan("(01)09501101530003(17)251231(10)ABC123(21)S1")
    assert result.kind == "gs1"
    assert (result.gtin, result.lot, result.serial, result.expiry) == (
        "9501101530003", "ABC123", "S1", "2025-12-31")


def test_gs1_128_with_symbology_identifier_and_group_separators():
    result = parse_scan("]C10109501101530003172512311012345\x1d21XYZ\r\n")
    assert (result.kind, result.gtin, result.lot, result.serial, result.expiry) == (
        "gs1", "9501101530003", "12345", "XYZ", "2025-12-31")


def test_gs1_datamatrix_identifier_and_lot_before_serial():
    result = parse_scan("]d201095011015300031726020010LOT7\x1d21SN99")
    assert (result.gtin, result.lot, result.serial) == ("9501101530003", "LOT7", "SN99")
    assert result.expiry == "2026-02-28"  # day 00 means the last day of the month


def test_gs1_without_separators_or_identifier():
    result = parse_scan("010950110153000317251231")
    assert (result.kind, result.gtin, result.expiry, result.lot) == (
        "gs1", "9501101530003", "2025-12-31", None)


def test_gs1_with_only_a_group_separator_and_no_identifier():
    result = parse_scan("0109501101530003\x1d10B-7")
    assert (result.kind, result.gtin, result.lot) == ("gs1", "9501101530003", "B-7")


def test_gs1_gtin14_with_packaging_indicator_keeps_14_digits():
    assert parse_scan("(01)10036000291459(10)A").gtin == "10036000291459"


def test_gs1_digital_link_uri():
    result = parse_scan("https://id.gs1.org/01/09501101530003/10/ABC?17=251231")
    assert (result.kind, result.gtin, result.lot, result.expiry) == (
        "gs1", "9501101530003", "ABC", "2025-12-31")


def test_gs1_wrong_gtin_check_digit_is_invalid():
    assert_invalid(parse_scan("(01)09501101530004(10)A"), "GTIN-14 09501101530004", "expected 3")


def test_gs1_without_ai01_is_invalid():
    assert_invalid(parse_scan("(00)095011015000000001"), "no product number (AI 01)", "(00)")


def test_gs1_bad_date_is_invalid():
    assert_invalid(parse_scan("]C10109501101530003172513311012"), "Not a valid GS1 barcode")


# --- variable measure ---------------------------------------------------------------------

def test_vn_price_label_in_dong():
    code = with_check("20" + "12345" + "45500")
    assert parse_scan(code, default_rules_vn()) == ScanResult(
        raw=code, kind="variable_price", item_code="12345", embedded_value=45500)


def test_vn_price_label_in_thousands_of_dong():
    result = parse_scan(with_check("21" + "00042" + "00125"), default_rules_vn())
    assert (result.kind, result.item_code, result.embedded_value) == (
        "variable_price", "00042", 125_000)


@pytest.mark.parametrize("prefix", ["22", "23", "24"])
def test_vn_weight_label_in_grams(prefix):
    result = parse_scan(with_check(prefix + "00077" + "01250"), default_rules_vn())
    assert (result.kind, result.gtin, result.item_code, result.embedded_value) == (
        "variable_weight", None, "00077", 1250)


def test_variable_label_with_wrong_overall_check_digit_is_invalid():
    code = with_check("2012345" + "45500")
    bad = code[:-1] + str((int(code[-1]) + 1) % 10)
    assert_invalid(parse_scan(bad, default_rules_vn()), f"EAN-13 {bad}", f"expected {code[-1]}")


def test_restricted_code_without_a_rule_is_just_a_gtin():
    code = with_check("20" + "12345" + "45500")
    assert parse_scan(code).kind == "gtin"
    assert parse_scan(code, default_rules_us(), 2).kind == "gtin"  # 13 digits, no leading 0


def test_us_type2_label_with_price_check_digit_12_and_13_digits():
    code = us_label("12345", "0125")
    assert code == "212345301258"
    for scanned in (code, "0" + code):
        result = parse_scan(scanned, default_rules_us(), currency_minor_digits=2)
        assert (result.kind, result.item_code, result.embedded_value) == (
            "variable_price", "12345", 125)


def test_us_label_wrong_price_check_digit_is_invalid_and_says_which_digit():
    code = us_label("12345", "0125", check="4")  # right one is 3; overall check digit is valid
    assert_invalid(parse_scan(code, default_rules_us(), 2),
                   "Price check digit is wrong", "expected 3", "0125")


def test_five_digit_price_check_digit_rule():
    rule = VariableMeasureRule("28", 4, "price", 5, 0, price_check_digit=True)
    good = with_check("28" + "0042" + "6" + "14685")  # GS1 GenSpecs 7.9.4 example: 14685 -> 6
    assert parse_scan(good, [rule]).embedded_value == 14685
    assert_invalid(parse_scan(with_check("28" + "0042" + "5" + "14685"), [rule]), "expected 6")


def test_price_with_more_decimals_than_the_currency_is_refused():
    rule = VariableMeasureRule("20", 5, "price", 5, 2)
    assert_invalid(parse_scan(with_check("2012345" + "01250"), [rule], currency_minor_digits=0),
                   "2 decimals", "currency has 0", "barcode rules")


def test_price_is_scaled_up_to_the_currency_minor_units():
    result = parse_scan(with_check("2012345" + "01250"), default_rules_vn(), 2)
    assert result.embedded_value == 125_000  # 1250 units with 0 decimals = 125000 cents


def test_weight_in_tens_of_grams():
    rule = VariableMeasureRule("25", 5, "weight", 5, 2)
    assert parse_scan(with_check("2512345" + "00125"), [rule]).embedded_value == 1250


def test_longest_prefix_wins():
    rules = [VariableMeasureRule("2", 6, "price", 5, 0),
             VariableMeasureRule("29", 5, "weight", 5, 3)]
    assert parse_scan(with_check("29" + "00001" + "00500"), rules).kind == "variable_weight"
    assert parse_scan(with_check("2" + "800001" + "00500"), rules).kind == "variable_price"


@pytest.mark.parametrize("kwargs", [
    dict(prefix="2a", item_digits=5, value_kind="price", value_digits=5, value_decimals=0),
    dict(prefix="20", item_digits=5, value_kind="volume", value_digits=5, value_decimals=0),
    dict(prefix="20", item_digits=5, value_kind="price", value_digits=3, value_decimals=0),
    dict(prefix="20", item_digits=4, value_kind="price", value_digits=6, value_decimals=0,
         price_check_digit=True),
    dict(prefix="22", item_digits=5, value_kind="weight", value_digits=5, value_decimals=4),
])
def test_impossible_rules_are_refused_when_configured(kwargs):
    with pytest.raises(ValueError):
        VariableMeasureRule(**kwargs)


def test_price_check_digit_matches_gs1_worked_examples():
    assert price_check_digit("2875") == 9  # GS1 GenSpecs 7.9.3
    assert price_check_digit("14685") == 6  # GS1 GenSpecs 7.9.4


# --- internal codes and garbage -----------------------------------------------------------

@pytest.mark.parametrize("code", ["SKU-00123", "A1", "AB1", "X.12_3", "123-456"])
def test_store_sku_labels(code):
    result = parse_scan(code)
    if len(code) < 3:
        assert_invalid(result, "too short")
    else:
        assert result == ScanResult(raw=code, kind="internal")


@pytest.mark.parametrize("raw", ["", "   ", "\r\n", "\t"])
def test_empty_scan(raw):
    assert_invalid(parse_scan(raw), "Empty scan")


@pytest.mark.parametrize("raw", ["hello", "HELLO", "Xin chào", "coca cola"])
def test_typed_words_are_not_barcodes(raw):
    assert_invalid(parse_scan(raw), "looks like typed text")


def test_other_garbage_gets_a_specific_reason():
    assert_invalid(parse_scan("sku-00123"), "'s' is not used in store codes")
    assert_invalid(parse_scan("4006\x00381333931"), "control characters")
    assert_invalid(parse_scan("SKU-" + "1" * 40), "too long for a store code")
    assert_invalid(parse_scan("9" * 600), "too long (600 characters)")
    assert_invalid(parse_scan("]"), "symbology identifier")
    assert_invalid(parse_scan("]E0"), "only a symbology identifier")


# --- look-up keys and demo helper ---------------------------------------------------------

def test_gtin_lookup_keys():
    assert gtin_lookup_keys("036000291452") == ["0036000291452", "036000291452"]
    assert gtin_lookup_keys("0036000291452") == ["0036000291452", "036000291452"]
    assert gtin_lookup_keys("4006381333931") == ["4006381333931"]
    assert gtin_lookup_keys("73513537") == ["73513537"]
    assert gtin_lookup_keys("10036000291459") == ["10036000291459"]
    for bad in ("SKU-1", "12345", ""):
        with pytest.raises(ValueError):
            gtin_lookup_keys(bad)


def test_ean13_with_check_digit():
    assert ean13_with_check_digit("400638133393") == "4006381333931"
    for bad in ("40063813339", "4006381333931", "40063813339x"):
        with pytest.raises(ValueError):
            ean13_with_check_digit(bad)


# --- properties ---------------------------------------------------------------------------

twelve = st.text(alphabet="0123456789", min_size=12, max_size=12)


@given(twelve)
def test_generated_ean13_parses_and_any_single_digit_change_is_caught(first12):
    code = ean13_with_check_digit(first12)
    result = parse_scan(code, rules=())
    assert result.kind == "gtin"
    assert result.gtin == gtin_lookup_keys(code)[0]
    for i, ch in enumerate(code):
        for other in "0123456789":
            if other != ch:
                changed = parse_scan(code[:i] + other + code[i + 1:], rules=())
                assert changed.kind == "invalid" and "expected" in changed.error


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_upc_a_and_padded_form_agree(first11):
    code = with_check(first11)
    assert parse_scan(code).gtin == parse_scan("0" + code).gtin == "0" + code


@given(st.text(alphabet="0123456789", min_size=4, max_size=5))
def test_price_check_digit_agrees_with_the_spec_oracle(value):
    assert price_check_digit(value) == oracle_price_check_digit(value)


@given(st.text(alphabet="0123456789", min_size=5, max_size=5),
       st.text(alphabet="0123456789", min_size=4, max_size=4),
       st.integers(0, 3), digits)
def test_us_label_any_single_price_digit_change_is_caught(item, cents, pos, new_digit):
    label = us_label(item, cents)
    parsed = parse_scan(label, default_rules_us(), 2)
    assert parsed.embedded_value == int(cents) and parsed.item_code == item
    if new_digit != cents[pos]:
        altered = cents[:pos] + new_digit + cents[pos + 1:]
        forged = with_check(label[:7] + altered)  # keeps the old price check digit
        assert_invalid(parse_scan(forged, default_rules_us(), 2), "Price check digit is wrong")


@given(st.text(alphabet="0123456789", min_size=5, max_size=5),
       st.text(alphabet="0123456789", min_size=5, max_size=5))
def test_vn_labels_round_trip(item, value):
    rules = default_rules_vn()
    price = parse_scan(with_check("20" + item + value), rules)
    weight = parse_scan(with_check("23" + item + value), rules)
    assert (price.kind, price.item_code, price.embedded_value) == ("variable_price", item, int(value))
    assert (weight.kind, weight.embedded_value) == ("variable_weight", int(value))


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=60),
                 st.text(alphabet="0123456789()]Cd\x1dABE-. ", max_size=40)))
def test_parse_scan_never_raises_and_is_self_consistent(raw):
    result = parse_scan(raw, default_rules_vn())
    assert result.kind in KINDS
    assert (result.kind == "invalid") == (result.error is not None)
    assert result.raw == raw.strip()
    if result.kind in ("gtin", "gs1"):
        assert result.gtin is not None and result.gtin == gtin_lookup_keys(result.gtin)[0]
