"""No NUL or other control character in text a person types or an event carries (issue 18).

One NUL in a customer note once stopped every sale of a till from reaching HQ; the rule is
pos_app/text_rules.py, and the till refuses such text where it is typed, saving nothing."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st
from sqlalchemy import text

from pos_app.pricing import Discount, DiscountKind
from pos_app.services.clienteling import ClienteleService, CustomerDraft
from pos_app.text_rules import (UnsafeText, check_text, describe_char, first_unsafe,
                                strip_unsafe, unsafe_in)
from tests.pos_app.fixture_catalog import VND_STORE

REFUSED = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1d", "\x7f", "\x85", "\x9f",
           "\ud800", "\udfff"]
ALLOWED = ["Áo sơ mi lụa", "line one\nline two", "tab\there", "CR\r\n", "🧥 €1,50", "\u200b",
           "中文", "Đặng Thị Ánh", "\ufeffBOM"]


@pytest.mark.parametrize("char", REFUSED)
def test_every_control_character_and_lone_surrogate_is_refused(char):
    value = f"Mai{char}x"
    assert first_unsafe(value) == (3, char)
    with pytest.raises(UnsafeText) as err:
        check_text(value, "note")
    assert (err.value.field, err.value.char, err.value.index) == ("note", char, 3)
    assert "position 4" in str(err.value) and f"U+{ord(char):04X}" in str(err.value)
    assert char not in str(err.value)  # the message never carries the character itself


@pytest.mark.parametrize("value", ALLOWED)
def test_text_of_every_script_newlines_and_tabs_is_allowed(value):
    assert first_unsafe(value) is None
    check_text(value, "note")


@given(st.text())
def test_strip_unsafe_leaves_nothing_refused_and_keeps_the_rest(value):
    cleaned = strip_unsafe(value)
    assert first_unsafe(cleaned) is None
    assert len(cleaned) == len(value)
    if first_unsafe(value) is None:
        assert cleaned == value


def test_unsafe_in_names_the_path_of_the_field_in_an_event():
    payload = {"sale": {"lines": [{"note": "ok"}, {"note": "bad\x00"}]}, "ok": ["a", 1, None]}
    found = unsafe_in(payload, "payload")
    assert found is not None and found.field == "payload.sale.lines[1].note"
    assert describe_char(found.char) == "U+0000 (NUL)"
    assert unsafe_in({"k\x00": "v"}).field == "<key>"
    assert unsafe_in({"a": [{"b": "fine"}]}) is None


@pytest.fixture
def service(device_db, clock):
    engine, ctx = device_db
    return ClienteleService(ctx, engine, engine, clock)


def _outbox(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM outbox")).scalar_one()


def test_the_till_refuses_a_nul_in_notes_tasks_and_customer_fields_and_writes_nothing(
        service, device_db):
    engine, _ = device_db
    mai = service.create_customer(CustomerDraft("Nguyễn Thị Mai", phone="0901 234 567"),
                                  VND_STORE.cashier_id)
    before = _outbox(engine)
    with pytest.raises(UnsafeText, match="note: control character U\\+0000"):
        service.add_note(mai.id, "Prefers linen\x00", VND_STORE.cashier_id)
    with pytest.raises(UnsafeText, match="task"):
        service.save_task(mai.id, "Call\x1b[2J", "2030-01-01", VND_STORE.cashier_id)
    with pytest.raises(UnsafeText, match="email"):
        service.edit_customer(mai.id, {"email": "mai\x00@example.com"}, VND_STORE.cashier_id)
    with pytest.raises(UnsafeText, match="Sizes"):
        service.edit_customer(mai.id, {"sizes": {"tops": "M\x00"}}, VND_STORE.cashier_id)
    with pytest.raises(UnsafeText, match="name"):
        service.create_customer(CustomerDraft("Eve\x00"), VND_STORE.cashier_id)
    assert _outbox(engine) == before  # nothing was written
    assert [n.text for n in service.notes(mai.id)] == []


def test_a_discount_reason_with_a_control_character_is_refused():
    with pytest.raises(UnsafeText, match="discount reason"):
        Discount(DiscountKind.PERCENT, 1000, "staff\x00")
    assert Discount(DiscountKind.PERCENT, 1000, "nhân viên").reason == "nhân viên"
