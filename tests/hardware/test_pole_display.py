"""The pole display over a real pseudo-terminal: what the shopper reads, byte for byte."""
from __future__ import annotations

from hardware.pole_display import (SELECT_DISPLAY, SELECT_PRINTER, PoleDisplay, fit, frame,
                                   item_lines, to_display_text)
from tests.waiting import wait_for


def screen(data: bytes, columns: int = 20) -> list[str]:
    """What a 2 x 20 display shows after `data` (the commands PoleDisplay sends)."""
    rows = [[" "] * columns, [" "] * columns]
    x = y = 0
    i = 0
    while i < len(data):
        b = data[i]
        if data[i:i + 2] == b"\x1b@":
            i += 2
        elif data[i:i + 3] in (b"\x1b=\x01", b"\x1b=\x02", b"\x1fC\x00"):
            i += 3
        elif data[i:i + 2] == b"\x1f\x01":
            i += 2
        elif b == 0x0C:
            rows = [[" "] * columns, [" "] * columns]
            x = y = 0
            i += 1
        elif data[i:i + 2] == b"\x1f$":
            x, y = data[i + 2] - 1, data[i + 3] - 1
            i += 4
        else:
            assert 32 <= b < 127, f"not display text: {b:#x} at {i}"
            assert x < columns, "text runs off the line"
            rows[y][x] = chr(b)
            x += 1
            i += 1
    return ["".join(r) for r in rows]


def test_vietnamese_is_folded_to_ascii_keeping_case():
    assert to_display_text("Áo sơ mi lụa ĐỎ") == "Ao so mi lua DO"
    assert to_display_text("199.000\xa0₫") == "199.000 d"
    assert to_display_text("Tổng cộng · 😀") == "Tong cong - ?"


def test_an_item_and_the_total_fit_twenty_columns():
    top, bottom = item_lines("Áo sơ mi lụa tơ tằm cao cấp", "1.290.000 ₫", "TỔNG CỘNG",
                             "2.580.000 ₫")
    assert top == "Ao so mi 1.290.000 d" and len(top) == 20
    assert bottom == "TONG CON 2.580.000 d"  # the amount is never cut; the label gives way
    assert fit("Total", "$12.50") == "Total         $12.50"


def test_the_display_on_a_serial_port_shows_both_lines(pty_printer):
    display = PoleDisplay(pty_printer.uri(9600))
    try:
        assert display.show(*item_lines("Áo thun cổ tròn", "199.000 ₫", "TỔNG CỘNG",
                                        "199.000 ₫"))
        assert display.show(*item_lines("Giày thể thao", "1.290.000 ₫", "TỔNG CỘNG",
                                        "1.489.000 ₫"))
        expected = frame("Giay the 1.290.000 d", "TONG CON 1.489.000 d")
        wait_for(lambda: pty_printer.received.endswith(expected), what="the second frame")
    finally:
        display.close()
    received = pty_printer.received
    assert received.endswith(expected)
    assert screen(received) == ["Giay the 1.290.000 d", "TONG CON 1.489.000 d"]
    assert display.last_error is None


def test_through_the_printer_the_bytes_are_routed_to_the_display_and_back():
    data = frame("Xin chào", "Cảm ơn", via_printer=True)
    assert data.startswith(SELECT_DISPLAY) and data.endswith(SELECT_PRINTER)
    assert screen(data) == ["Xin chao".ljust(20), "Cam on".ljust(20)]


def test_a_missing_display_is_reported_not_raised(tmp_path):
    display = PoleDisplay(f"serial://{tmp_path}/no-such-tty?baudrate=9600")
    assert display.show("a", "b") is False
    assert "cannot be opened" in display.last_error
