"""Vietnamese through printer code pages: TCVN-3's two pages, CP1258 decomposed, never "?".

Expected bytes are written out by hand from the code page tables (escpos-printer-db's
TCVN-3-1/-2 data, Windows-1258), not computed by the code under test.
"""
from __future__ import annotations

import unicodedata

import pytest
from escpos.capabilities import get_profile
from escpos.printer import Dummy

from hardware.codepages import (CodePagePlan, TextEncoder, UnencodableText, clean_text,
                                encode_char)
from tests.hardware.escpos_decode import decode

TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
VOWELS = "aăâeêioôơuưy"
LOWER = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES] + ["đ"]
ALL_LETTERS = LOWER + [c.upper() for c in LOWER]  # 134 letters


def encoder(profile: str, prefer: str | None = None) -> TextEncoder:
    return TextEncoder(CodePagePlan.for_profile(get_profile(profile).get_code_pages(), prefer))


def test_profiles_choose_their_vietnamese_family():
    assert CodePagePlan.for_profile(get_profile("TM-T88V").get_code_pages()).family == "TCVN-3"
    assert CodePagePlan.for_profile(get_profile("TM-T88IV-SA").get_code_pages()).family == \
        "TCVN-3"
    assert CodePagePlan.for_profile(get_profile("POS-5890").get_code_pages()).family == "CP1258"
    assert CodePagePlan.for_profile(get_profile("TM-T88IV").get_code_pages()).family is None
    forced = CodePagePlan.for_profile(get_profile("TM-T88V").get_code_pages(), "CP1258")
    assert forced.family == "CP1258" and forced.order[0] == "CP1258"
    with pytest.raises(ValueError, match="has no TCVN-3 code page"):
        CodePagePlan.for_profile(get_profile("POS-5890").get_code_pages(), "TCVN-3")


def test_tcvn3_lower_case_on_page_30_upper_case_on_page_31():
    enc = encoder("TM-T88V")
    # Á is 0xB8 on page 31 (upper case); ơ 0xAC and ụ 0xF4 on page 30 (lower case)
    assert enc.encode("Áo sơ mi lụa") == b"\x1bt\x1f\xb8o s\x1bt\x1e\xac mi l\xf4a"
    # the page stays selected between calls: no switch for more lower case
    assert enc.encode("ữ đỏ") == b"\xf7 \xae\xe1"
    # Vietnamese Đ (U+0110) is 0xA7 on page 31, which the database writes as "Ð" (U+00D0)
    assert enc.encode("ĐẦM") == b"\x1bt\x1f\xa7\xc7M"


def test_cp1258_writes_missing_letters_decomposed():
    enc = encoder("POS-5890")  # CP1258 in slot 94
    # "ữ" is not in CP1258: "ư" (0xFD) + combining tilde (0xDE); "ệ": "ê" (0xEA) + dot (0xF2)
    assert enc.encode("Những chữ Việt") == b"Nh\x1bt\x5e\xfd\xdeng ch\xfd\xde Vi\xea\xf2t"
    # letters CP1258 has precomposed stay precomposed; ₫ is 0xFE
    assert enc.encode("Áo đẹp 199.000\u00a0₫") == b"\xc1o \xf0e\xf2p 199.000 \xfe"
    assert encode_char("CP1258", "ữ") == b"\xfd\xde"
    assert encode_char("CP1258", "Ặ") == b"\xc3\xf2"  # Ă + dot below


@pytest.mark.parametrize("profile, family", [("TM-T88V", None), ("TM-T88V", "CP1258"),
                                             ("POS-5890", None), ("TM-T88IV-SA", None)])
def test_every_vietnamese_letter_prints_and_reads_back(profile, family):
    enc = encoder(profile, family)
    text = " ".join(ALL_LETTERS)
    printed = decode(enc.encode(text) + b"\n", get_profile(profile).get_code_pages())
    assert printed.lines[0].text == text
    assert "?" not in printed.text


def test_python_escpos_magic_encode_prints_question_marks_where_we_refuse():
    """Why we do not use python-escpos's text(): without a Vietnamese page it writes "?"."""
    magic = Dummy(profile="TM-T88IV")
    magic.text("chữ")
    assert magic.output.endswith(b"ch?")
    with pytest.raises(UnencodableText, match="LATIN SMALL LETTER U WITH HORN AND TILDE"):
        encoder("TM-T88IV").encode("chữ")


def test_faithful_stand_ins_only_when_no_page_has_the_character():
    # TM-T88IV-SA has TCVN-3 (with đ, 0xAE) but no CP1258 (the only page with ₫)
    assert encoder("TM-T88IV-SA").encode("10.000\u00a0₫") == b"10.000 \x1bt\x1e\xae"
    # without any Vietnamese page the dong sign is not faked: the line will go raster
    with pytest.raises(UnencodableText, match="DONG SIGN"):
        encoder("TM-T88IV").encode("10.000\u00a0₫")
    assert encoder("simple").encode("a – b “c” … €1") == b'a - b "c" ... EUR1'
    # but where a page has the character, it is printed, not replaced (CP1258 has ₫, –)
    assert encoder("POS-5890").encode("₫–") == b"\x1bt\x5e\xfe\x96"


def test_a_failed_line_leaves_the_selected_page_alone():
    enc = encoder("TM-T88IV")
    enc.encode("é")  # CP437
    before = enc.current
    with pytest.raises(UnencodableText):
        enc.encode("ồ")
    assert enc.current == before
    assert not enc.can_encode("ồ") and enc.can_encode("café")


def test_control_characters_cannot_inject_printer_commands():
    assert clean_text("A\x1b@B\x1dV\x00C\u200bD") == "A @B V C D"
    # a product name carrying ESC @ (reset) prints as text: ê 0xAA, ạ 0xB9 on page 30
    assert encoder("TM-T88V").encode("Tên\x1b@lạ") == b"T\x1bt\x1e\xaan @l\xb9"


def test_nfc_and_nfd_input_print_the_same():
    enc = encoder("TM-T88V")
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Lan")
    assert encoder("TM-T88V").encode(nfd) == enc.encode("Nguyễn Thị Lan")
