"""The wording of a printed receipt in English and Vietnamese.

Why: the receipt is laid out by the core (pos_app), which cannot use Qt's translations
(DESIGN.md §2: no Qt in pos_app), and a receipt speaks the store's language even when the
associate at the till reads the screens in another one. So the few phrases a receipt needs live
here, in one small table per language; `tests/pos_app/test_receipt_labels.py` checks both
tables have the same keys and placeholders.

Pure code: safe on any thread.
"""
from __future__ import annotations

from string import Formatter

LANGUAGES = ("en", "vi")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "SALES RECEIPT",
        "copy": "*** COPY ***",
        "copy_note": "Reprint of the original receipt",
        "receipt_no": "Receipt",
        "date": "Date",
        "served_by": "Served by",
        "customer": "Customer",
        "loyalty_card": "Loyalty card",
        "points_earned": "Points earned",
        "points_redeemed": "Points redeemed",
        "tier": "Tier",
        "quantity_price": "{quantity} x {price}",
        "price_changed": "Price changed from {price}",
        "discount": "Discount",
        "discount_reason": "Discount: {reason}",
        "subtotal": "Subtotal",
        "order_discount": "Order discount",
        "order_discount_reason": "Order discount: {reason}",
        "taxes_included": "Prices include tax",
        "tax_on": "{label} on {base}",
        "tax_total": "Tax",
        "total": "TOTAL",
        "items": "{count} item(s)",
        "savings": "You saved",
        "tendered": "Received",
        "change": "Change",
        "card": "Card {pan}",
        "auth": "Auth. code {code}",
        "footer_policy": "Returns and exchanges within 30 days with this receipt "
                         "and the tags attached.",
        "thanks": "Thank you for shopping with us!",
        "scan_hint": "Scan for your e-receipt and returns",
        "tender_cash": "Cash",
        "tender_card": "Card",
        "tender_qr_transfer": "QR bank transfer",
        "tender_gift_card": "Gift card",
        "tender_store_credit": "Store credit",
        "tender_loyalty": "Loyalty points",
        "date_pattern": "MM/dd/yyyy h:mm a",
    },
    "vi": {
        "title": "HÓA ĐƠN BÁN HÀNG",
        "copy": "*** BẢN SAO ***",
        "copy_note": "In lại từ hóa đơn gốc",
        "receipt_no": "Số HĐ",
        "date": "Ngày",
        "served_by": "Nhân viên",
        "customer": "Khách hàng",
        "loyalty_card": "Thẻ thành viên",
        "points_earned": "Điểm tích lũy",
        "points_redeemed": "Điểm đã dùng",
        "tier": "Hạng",
        "quantity_price": "{quantity} x {price}",
        "price_changed": "Giá gốc {price}",
        "discount": "Giảm giá",
        "discount_reason": "Giảm giá: {reason}",
        "subtotal": "Tạm tính",
        "order_discount": "Giảm giá đơn hàng",
        "order_discount_reason": "Giảm giá đơn hàng: {reason}",
        "taxes_included": "Giá đã bao gồm thuế",
        "tax_on": "{label} trên {base}",
        "tax_total": "Thuế",
        "total": "TỔNG CỘNG",
        "items": "{count} sản phẩm",
        "savings": "Bạn đã tiết kiệm",
        "tendered": "Khách đưa",
        "change": "Tiền thối lại",
        "card": "Thẻ {pan}",
        "auth": "Mã chuẩn chi {code}",
        "footer_policy": "Đổi trả trong vòng 30 ngày kèm hóa đơn này và nhãn mác còn nguyên.",
        "thanks": "Cảm ơn quý khách, hẹn gặp lại!",
        "scan_hint": "Quét mã để xem hóa đơn điện tử và đổi trả",
        "tender_cash": "Tiền mặt",
        "tender_card": "Thẻ",
        "tender_qr_transfer": "Chuyển khoản QR",
        "tender_gift_card": "Thẻ quà tặng",
        "tender_store_credit": "Tín dụng cửa hàng",
        "tender_loyalty": "Điểm thưởng",
        "date_pattern": "dd/MM/yyyy HH:mm",
    },
}


def language_of(locale: str) -> str:
    """The receipt language for a store locale: "vi_VN" -> "vi"; anything else -> "en"."""
    lang = (locale or "").replace("-", "_").split("_")[0].lower()
    return lang if lang in LABELS else "en"


def label(language: str, key: str, **values) -> str:
    """The phrase `key` in `language`, with its {placeholders} filled in.

    An unknown language is a programming error upstream (build_receipt checks it), so it
    raises rather than quietly printing English on a Vietnamese receipt.
    """
    try:
        phrase = LABELS[language][key]
    except KeyError as exc:
        raise KeyError(f"No receipt label {key!r} in language {language!r}") from exc
    return phrase.format(**values) if values else phrase


def placeholders(phrase: str) -> frozenset[str]:
    """The {names} a phrase expects (tests compare them across languages)."""
    return frozenset(name for _, name, _, _ in Formatter().parse(phrase) if name)
