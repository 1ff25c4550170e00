"""A receipt as a list of typed blocks: what every output draws, in order.

Why: the ESC/POS renderer (hardware/escpos_render.py), the Qt preview (ui) and plain-text
outputs (tests, logs, a file printer) must lay out the same receipt the same way. The layout
decides *what* goes where -- header, lines, totals, tenders, footer, barcode, QR -- and says
it with a handful of width-independent blocks: a line of text, a row with a label on the left
and an amount on the right, a rule, a feed, a barcode and a QR code. Each output fits the
blocks to its own width (columns of a printer font, pixels of a raster, a Qt widget);
`fit_row` and `wrap` are the column rules the text outputs share.

Style "with taste": only the store name is large; the total is tall and bold; everything else
is normal text, bold for headings. Money is formatted with Babel for the store's locale.

Pure code: safe on any thread.
"""
from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import Union

from babel.dates import format_datetime

from pos_app.money import Money
from pos_app.pricing import TaxMode
from pos_app.receipts.receipt import Receipt, ReceiptLine
from pos_app.receipts.labels import label
from pos_app.tenders import TenderType


class Align(str, Enum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class Size(str, Enum):
    NORMAL = "normal"
    TALL = "tall"  # double height: the total
    LARGE = "large"  # double width and height: the store name

    @property
    def width_factor(self) -> int:
        return 2 if self is Size.LARGE else 1


@dataclass(frozen=True, slots=True)
class TextBlock:
    text: str
    align: Align = Align.LEFT
    bold: bool = False
    size: Size = Size.NORMAL
    indent: int = 0  # in columns of normal text


@dataclass(frozen=True, slots=True)
class RowBlock:
    """A label on the left and a value (usually money) flush right on the same line."""

    left: str
    right: str
    bold: bool = False
    size: Size = Size.NORMAL
    indent: int = 0


@dataclass(frozen=True, slots=True)
class RuleBlock:
    heavy: bool = False  # "=" before the total, "-" elsewhere


@dataclass(frozen=True, slots=True)
class FeedBlock:
    lines: int = 1


@dataclass(frozen=True, slots=True)
class BarcodeBlock:
    """A CODE128 barcode of `data` (the receipt number), its text printed under it."""

    data: str


@dataclass(frozen=True, slots=True)
class QrBlock:
    data: str
    caption: str = ""  # one line under the code


Block = Union[TextBlock, RowBlock, RuleBlock, FeedBlock, BarcodeBlock, QrBlock]


def receipt_blocks(receipt: Receipt) -> tuple[Block, ...]:
    """The receipt, top to bottom."""
    lang = receipt.language

    def fmt(amount: Money) -> str:
        return amount.format(receipt.locale)

    out: list[Block] = [TextBlock(receipt.store_name, Align.CENTER, bold=True, size=Size.LARGE)]
    out += [TextBlock(line, Align.CENTER) for line in receipt.store_address.splitlines()
            if line.strip()]
    out += [TextBlock(line, Align.CENTER) for line in receipt.header_lines]
    if receipt.is_copy:
        out.append(TextBlock(label(lang, "copy"), Align.CENTER, bold=True, size=Size.TALL))
    out += [FeedBlock(), TextBlock(label(lang, "title"), Align.CENTER, bold=True),
            RowBlock(label(lang, "receipt_no"), receipt.receipt_no),
            RowBlock(label(lang, "date"), format_local_time(receipt))]
    if receipt.associate_name:
        out.append(RowBlock(label(lang, "served_by"), receipt.associate_name))
    if receipt.customer_name:
        out.append(RowBlock(label(lang, "customer"), receipt.customer_name))
    out += [RowBlock(name, value) for name, value in receipt.loyalty_lines]
    out.append(RuleBlock())
    for line in receipt.lines:
        out += _line_blocks(line, lang, fmt)
    out.append(RuleBlock())
    out += _totals_blocks(receipt, fmt)
    out += _tender_blocks(receipt, fmt)
    out.append(RuleBlock())
    footer = receipt.footer_lines or (label(lang, "footer_policy"),)
    out += [TextBlock(line, Align.CENTER) for line in footer]
    out += [TextBlock(label(lang, "thanks"), Align.CENTER, bold=True), FeedBlock(),
            BarcodeBlock(receipt.receipt_no),
            QrBlock(receipt.sale_code, caption=label(lang, "scan_hint"))]
    if receipt.is_copy:
        out += [TextBlock(label(lang, "copy_note"), Align.CENTER),
                TextBlock(label(lang, "copy"), Align.CENTER, bold=True, size=Size.TALL)]
    return tuple(out)


def format_local_time(receipt: Receipt) -> str:
    """The sale's local date and time in the receipt language's pattern."""
    return format_datetime(receipt.local_time, label(receipt.language, "date_pattern"),
                           locale=receipt.language)


def _line_blocks(line: ReceiptLine, lang: str, fmt) -> list[Block]:
    detail = " - ".join(part for part in (line.variant_label, line.sku) if part)
    blocks: list[Block] = [TextBlock(line.name, bold=True)]
    if detail:
        blocks.append(TextBlock(detail, indent=2))
    blocks.append(RowBlock(label(lang, "quantity_price", quantity=line.quantity,
                                 price=fmt(line.unit_price)), fmt(line.gross), indent=2))
    if line.price_changed:
        blocks.append(TextBlock(label(lang, "price_changed", price=fmt(line.list_price)),
                                indent=2))
    if line.line_discount:
        text = (label(lang, "discount_reason", reason=line.discount_reason)
                if line.discount_reason else label(lang, "discount"))
        blocks.append(RowBlock(text, fmt(-line.line_discount), indent=2))
    if line.note:
        blocks.append(TextBlock(line.note, indent=2))
    return blocks


def _totals_blocks(receipt: Receipt, fmt) -> list[Block]:
    lang = receipt.language
    blocks: list[Block] = [RowBlock(label(lang, "subtotal"), fmt(receipt.subtotal))]
    if receipt.order_discount:
        text = (label(lang, "order_discount_reason", reason=receipt.order_discount_reason)
                if receipt.order_discount_reason else label(lang, "order_discount"))
        blocks.append(RowBlock(text, fmt(-receipt.order_discount)))
    inclusive = receipt.tax_mode is TaxMode.INCLUSIVE
    if inclusive and receipt.taxes:
        blocks.append(TextBlock(label(lang, "taxes_included")))
    for tax in receipt.taxes:
        blocks.append(RowBlock(label(lang, "tax_on", label=tax.label, base=fmt(tax.base)),
                               fmt(tax.tax), indent=2 if inclusive else 0))
    if not inclusive and len(receipt.taxes) > 1:
        blocks.append(RowBlock(label(lang, "tax_total"), fmt(receipt.tax_total)))
    blocks += [RuleBlock(heavy=True),
               RowBlock(label(lang, "total"), fmt(receipt.total), bold=True, size=Size.TALL),
               TextBlock(label(lang, "items", count=receipt.item_count))]
    return blocks


def _tender_blocks(receipt: Receipt, fmt) -> list[Block]:
    lang = receipt.language
    blocks: list[Block] = []
    for tender in receipt.tenders:
        blocks.append(RowBlock(label(lang, f"tender_{tender.tender.value}"), fmt(tender.amount)))
        if tender.tender is TenderType.CASH and tender.tendered != tender.amount:
            blocks.append(RowBlock(label(lang, "tendered"), fmt(tender.tendered), indent=2))
        if tender.masked_pan:
            blocks.append(TextBlock(label(lang, "card", pan=tender.masked_pan), indent=2))
        if tender.auth_code:
            blocks.append(TextBlock(label(lang, "auth", code=tender.auth_code), indent=2))
        blocks.extend(TextBlock(line, indent=2) for line in tender.slip)
    if receipt.change or any(t.tender is TenderType.CASH for t in receipt.tenders):
        blocks.append(RowBlock(label(lang, "change"), fmt(receipt.change), bold=True))
    if receipt.savings:
        blocks.append(RowBlock(label(lang, "savings"), fmt(receipt.savings)))
    return blocks


# --- fitting text to columns (shared by the plain-text and ESC/POS text outputs) -----------
def text_width(text: str) -> int:
    """Columns a string takes on a receipt printer: one per character after NFC."""
    return len(unicodedata.normalize("NFC", text))


def wrap(text: str, width: int) -> list[str]:
    """Word-wrap to `width` columns, breaking words longer than a line; never empty."""
    text = unicodedata.normalize("NFC", text)
    return textwrap.wrap(text, max(1, width), break_on_hyphens=False) or [""]


def fit_row(left: str, right: str, width: int, indent: int = 0) -> list[str]:
    """Label left, value flush right; the label wraps and the value stays on its first line.

    When the value is so long that the label would get less than a third of the line, the
    value goes on a line of its own, flush right.
    """
    pad = " " * indent
    avail = max(1, width - indent)
    right = unicodedata.normalize("NFC", right)
    room = avail - text_width(right) - 1
    if room >= max(1, avail // 3):
        parts = wrap(left, room)
        first = parts[0] + " " * (avail - text_width(parts[0]) - text_width(right)) + right
        return [pad + first] + [pad + p for p in parts[1:]]
    lines = [pad + p for p in wrap(left, avail)] if left else []
    return lines + [pad + r.rjust(avail) for r in wrap(right, avail)]


def align_line(text: str, width: int, align: Align) -> str:
    if align is Align.CENTER:
        left = (width - text_width(text)) // 2
        return " " * max(0, left) + text
    if align is Align.RIGHT:
        return " " * max(0, width - text_width(text)) + text
    return text


def plain_text(blocks: "tuple[Block, ...] | list[Block]", columns: int) -> list[str]:
    """The blocks as lines of at most `columns` characters (a large block counts double).

    Barcodes and QR codes appear as a bracketed line naming their content.
    """
    out: list[str] = []
    for block in blocks:
        if isinstance(block, TextBlock):
            cols = columns // block.size.width_factor
            for part in wrap(block.text, cols - block.indent):
                out.append(align_line(" " * block.indent + part, cols, block.align))
        elif isinstance(block, RowBlock):
            cols = columns // block.size.width_factor
            out += fit_row(block.left, block.right, cols, block.indent)
        elif isinstance(block, RuleBlock):
            out.append(("=" if block.heavy else "-") * columns)
        elif isinstance(block, FeedBlock):
            out += [""] * block.lines
        elif isinstance(block, BarcodeBlock):
            out.append(align_line(f"[barcode {block.data}]", columns, Align.CENTER))
        elif isinstance(block, QrBlock):
            out += [align_line(p, columns, Align.CENTER) for p in wrap(f"[QR {block.data}]",
                                                                       columns)]
            if block.caption:
                out += [align_line(p, columns, Align.CENTER) for p in wrap(block.caption,
                                                                           columns)]
    return out
