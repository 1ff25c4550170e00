"""The discount form refuses what it cannot apply, with a message in the UI's language."""
from __future__ import annotations

import pytest

from pos_app.pricing import DiscountKind
from ui.i18n import install_language
from ui.sell.discount_dialog import DiscountDialog


@pytest.mark.parametrize("percent, value, reason, message_en, message_vi", [
    (True, "", "Damaged item", "Enter a value", "Nhập giá trị"),
    (True, "abc", "Damaged item", "Enter a percentage such as 15 or 12.5", "Nhập phần trăm"),
    (True, "150", "Damaged item", "A discount cannot be more than 100 %", "100 %"),
    (True, "0", "Damaged item", "Enter a discount above zero", "lớn hơn 0"),
    (False, "12.5", "Damaged item", "Enter an amount in the store's currency", "Nhập số tiền"),
    (True, "10", "", "Choose or type a reason", "lý do"),
    (True, "10", "Staff\x00", "Reason: an invisible control character (U+0000 (NUL)) at "
     "position 6", "Lý do: không thể lưu ký tự điều khiển ẩn (U+0000 (NUL)) ở vị trí 6"),
])
def test_refusals_are_specific_and_translated(qtbot, qapp, percent, value, reason,
                                              message_en, message_vi):
    for lang, expected in (("en", message_en), ("vi", message_vi)):
        install_language(qapp, lang)
        dlg = DiscountDialog("Basket discount", "VND")
        qtbot.addWidget(dlg)
        dlg.set_values(percent=percent, value=value, reason=reason)
        dlg.submit()
        assert dlg.discount is None and not dlg.error.isHidden()
        assert expected in dlg.error.text()
    install_language(qapp, "en")


def test_valid_discounts_are_exact(qtbot):
    dlg = DiscountDialog("Line discount", "VND")
    qtbot.addWidget(dlg)
    dlg.set_values(percent=True, value="12.5", reason="Price match")
    dlg.submit()
    assert (dlg.discount.kind, dlg.discount.value, dlg.discount.reason) == (
        DiscountKind.PERCENT, 1250, "Price match")
    dlg = DiscountDialog("Line discount", "VND")
    qtbot.addWidget(dlg)
    dlg.set_values(percent=False, value="50000", reason="Damaged item")
    dlg.submit()
    assert (dlg.discount.kind, dlg.discount.value) == (DiscountKind.AMOUNT, 50_000)
