"""A receipt's blocks rendered to ESC/POS bytes with python-escpos, for one printer.

Why: the printer gets one ready byte string per job, rendered before the connection opens,
so the first byte leaves as soon as the socket connects and a retry resends the same bytes.
The rendering goes through python-escpos's command methods (`set`, `image`, `qr`,
`cashdraw`, `cut`) on its `Dummy` printer -- the single `_raw(bytes)` seam -- which also makes
every command testable byte for byte. Text never goes through python-escpos's `text()`: its
"magic encode" prints "?" for what it cannot encode and switches code pages behind our back;
`hardware.codepages.TextEncoder` encodes instead.

Per text block, by the printer's text mode: the profile's code pages (Vietnamese via TCVN-3 or
CP1258); a raster image drawn with DejaVu Sans (`hardware.raster_text`) when the code pages
cannot print a character (auto) or always (raster); in codepage mode such a character refuses
the job (`UnencodableText`). Columns come from the profile for the paper width.

Layout of the job: ESC @; the drawer kick first when asked (the drawer opens while the
receipt prints); the blocks; feed and partial cut.

Runs on the print worker (or a test, the CLI, the preview): `render` keeps its state in a
per-call job, so one renderer may serve several threads.
"""
from __future__ import annotations

import qrcode
from barcode import Code128
from barcode.writer import ImageWriter
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image, ImageDraw

from hardware.codepages import CodePagePlan, TextEncoder, UnencodableText
from hardware.printer_settings import (PaperGeometry, PrinterSettings, SettingsError, TextMode,
                                       resolve_geometry, resolve_profile)
from hardware.raster_text import RasterText
from pos_app.receipts.receipt import Receipt
from pos_app.receipts.layout import (Align, BarcodeBlock, Block, FeedBlock, QrBlock, RowBlock,
                                    RuleBlock, Size, TextBlock, fit_row, receipt_blocks, wrap)

IMAGE_IMPLS = ("bitImageRaster", "graphics", "bitImageColumn")
QR_DOTS_PER_MODULE = {58: 5, 80: 6}
BARCODE_HEIGHT = 64  # dots: 8 mm at 203 dpi
BARCODE_MODULE = 2  # dots per narrow bar: 178 modules of a receipt number fit 58 mm paper
RASTER_FRAGMENT_ROWS = 960  # python-escpos's fragment height for tall images
_INVERT = bytes(255 - i for i in range(256))


def _centred(image: Image.Image, width: int) -> Image.Image:
    if image.width == width:
        return image
    out = Image.new("1", (width, image.height), 1)
    out.paste(image.convert("1"), ((width - image.width) // 2, 0))
    return out


def _stack(images: list[Image.Image]) -> Image.Image:
    """Images of one width, top to bottom, as one."""
    out = Image.new("1", (images[0].width, sum(i.height for i in images)), 1)
    top = 0
    for image in images:
        out.paste(image, (0, top))
        top += image.height
    return out


def code128_escpos_data(data: str) -> str:
    """GS k CODE128 data for `data`: code set B, switching to C for a trailing run of at
    least four digits (two per symbol), which keeps a receipt number narrow enough for
    58 mm paper. Set C values are sent as bytes 0..99, as ESC/POS expects."""
    run = len(data) - len(data.rstrip("0123456789"))
    run -= run % 2
    if run < 4:
        return "{B" + data
    head, digits = data[:-run], data[-run:]
    pairs = "".join(chr(int(digits[i:i + 2])) for i in range(0, run, 2))
    return ("{B" + head + "{C" + pairs) if head else ("{C" + pairs)


class _Job:
    """One job being rendered: the Dummy printer collecting bytes, the code page and style
    the printer is in, and raster text images waiting to go out as one image.

    Consecutive raster text blocks are stacked and sent as one GS v 0 image (fewer commands,
    one conversion): `printer` sends them before anything else is written.
    """

    def __init__(self, profile, encoder: TextEncoder, send_images) -> None:
        self._printer = Dummy()
        self._printer.profile = profile  # get_profile() takes names or Profile objects only
        self.encoder = encoder
        self.align, self.bold, self.size = Align.LEFT, False, Size.NORMAL
        self.pending: list[Image.Image] = []
        self.send_images = send_images  # (printer, images) -> None

    @property
    def printer(self) -> Dummy:
        if self.pending:
            images, self.pending = self.pending, []
            self.send_images(self._printer, images)
        return self._printer


class ReceiptRenderer:
    """Renders receipts (or a drawer kick) to bytes for one printer's settings."""

    def __init__(self, settings: PrinterSettings) -> None:
        self.settings = settings
        self.geometry: PaperGeometry = resolve_geometry(settings)
        self.profile = resolve_profile(settings, self.geometry)
        try:
            self.plan = CodePagePlan.for_profile(self.profile.get_code_pages(),
                                                 settings.code_page)
        except ValueError as exc:
            raise SettingsError(f"Printer profile {settings.profile}: {exc}") from None
        impls = [i for i in IMAGE_IMPLS if self.profile.supports(i)]
        self.image_impl = impls[0] if impls else None
        if self.image_impl is None and settings.text_mode is TextMode.RASTER:
            raise SettingsError(f"Printer profile {settings.profile} prints no images: "
                                "raster text is impossible; use text mode 'codepage'")
        self.raster = RasterText(self.geometry.pixels, self.geometry.columns)

    @property
    def columns(self) -> int:
        return self.geometry.columns

    def render(self, receipt: Receipt | None, *, open_drawer: bool = False) -> bytes:
        """The whole job: init, optional drawer kick, the receipt's blocks, feed and cut."""
        return self.render_blocks(receipt_blocks(receipt) if receipt else (),
                                  open_drawer=open_drawer, cut=receipt is not None)

    def render_blocks(self, blocks, *, open_drawer: bool = False, cut: bool = True) -> bytes:
        job = _Job(self.profile, TextEncoder(self.plan), self._send_raster)
        job.printer.hw("INIT")  # ESC @: code page 0, left, normal size, bold off
        if open_drawer:
            job.printer.cashdraw(self.settings.drawer_pin)
        for block in blocks:
            self._block(job, block)
        if cut and self.settings.cut:
            self._set(job, Align.LEFT, False, Size.NORMAL)
            job.printer.cut(mode="PART")
        return job.printer.output

    def preview_image(self, receipt: Receipt) -> Image.Image:
        """The receipt drawn the way it prints in raster mode, as one black-and-white image
        the paper's width in dots: for an on-screen preview (convert to a QImage) or a file.
        Pure Pillow: any thread, no printer needed."""
        width = self.geometry.pixels
        parts: list[Image.Image] = []
        for block in receipt_blocks(receipt):
            if isinstance(block, TextBlock):
                parts.append(self.raster.text_block(block))
            elif isinstance(block, RowBlock):
                parts.append(self.raster.row_block(block))
            elif isinstance(block, RuleBlock):
                rule = Image.new("1", (width, 12), 1)
                draw = ImageDraw.Draw(rule)
                if block.heavy:
                    draw.line([(0, 4), (width, 4)], fill=0)
                    draw.line([(0, 7), (width, 7)], fill=0)
                else:
                    for x in range(0, width, 8):
                        draw.line([(x, 6), (x + 4, 6)], fill=0)
                parts.append(rule)
            elif isinstance(block, FeedBlock):
                parts.append(Image.new("1", (width, 24 * block.lines), 1))
            elif isinstance(block, BarcodeBlock):
                parts.append(self.barcode_image(block.data))
            elif isinstance(block, QrBlock):
                parts.append(self.qr_image(block.data))
                if block.caption:
                    parts.append(self.raster.caption(block.caption))
        return _stack([_centred(part, width) for part in parts])

    # --- blocks -------------------------------------------------------------------------------
    def _block(self, job: _Job, block: Block) -> None:
        if isinstance(block, (TextBlock, RowBlock)):
            self._text(job, block)
        elif isinstance(block, RuleBlock):
            self._set(job, Align.LEFT, False, Size.NORMAL)
            job.printer._raw((b"=" if block.heavy else b"-") * self.columns + b"\n")
        elif isinstance(block, FeedBlock):
            job.printer._raw(b"\n" * block.lines)
        elif isinstance(block, BarcodeBlock):
            self._set(job, Align.CENTER, False, Size.NORMAL)
            self._barcode(job.printer, block.data)
        elif isinstance(block, QrBlock):
            self._set(job, Align.CENTER, False, Size.NORMAL)
            self._qr(job.printer, block.data)
            if block.caption:
                self._text(job, TextBlock(block.caption, Align.CENTER))
        else:
            raise TypeError(f"Not a receipt block: {block!r}")

    def _text(self, job: _Job, block: "TextBlock | RowBlock") -> None:
        lines = self._text_lines(block)
        mode = self.settings.text_mode
        if mode is not TextMode.RASTER:
            try:
                encoded = [job.encoder.encode(line) for line in lines]
            except UnencodableText:
                if mode is TextMode.CODEPAGE or self.image_impl is None:
                    raise
            else:
                align = block.align if isinstance(block, TextBlock) else Align.LEFT
                self._set(job, align, block.bold, block.size)
                job.printer._raw(b"".join(line + b"\n" for line in encoded))
                return
        job.pending.append(self.raster.text_block(block) if isinstance(block, TextBlock)
                           else self.raster.row_block(block))

    def _text_lines(self, block: "TextBlock | RowBlock") -> list[str]:
        cols = self.columns // block.size.width_factor
        if isinstance(block, RowBlock):
            return fit_row(block.left, block.right, cols, block.indent)
        return [" " * block.indent + part for part in wrap(block.text, cols - block.indent)]

    def _set(self, job: _Job, align: Align, bold: bool, size: Size) -> None:
        """Send only the style changes (ESC a, ESC E, ESC !)."""
        changes: dict = {}
        if align is not job.align:
            changes["align"] = align.value
        if bold != job.bold:
            changes["bold"] = bold
        if size is not job.size:
            changes["normal_textsize"] = size is Size.NORMAL
            changes["double_height"] = size is not Size.NORMAL
            changes["double_width"] = size is Size.LARGE
            changes["bold"] = bold  # python-escpos sizes with ESC !, which clears bold
        if changes:
            job.printer.set(**changes)
            job.align, job.bold, job.size = align, bold, size

    # --- images, barcode, QR -------------------------------------------------------------------
    def _image(self, p: Dummy, image: Image.Image, center: bool = False) -> None:
        if self.image_impl is None:
            raise SettingsError(f"Printer profile {self.settings.profile} prints no images")
        p.image(image, impl=self.image_impl, center=center)

    def _send_raster(self, p: Dummy, images: list[Image.Image]) -> None:
        """Stacked full-width text images as GS v 0 raster, in fragments of at most 960
        rows: the bytes python-escpos's `image(impl="bitImageRaster")` sends for the same
        picture, without its per-pixel RGBA/greyscale round trip (10x faster on a receipt)."""
        image = images[0] if len(images) == 1 else _stack(images)
        if self.image_impl != "bitImageRaster" or image.width % 8:
            self._image(p, image)
            return
        width_bytes = image.width // 8
        ink = image.tobytes().translate(_INVERT)  # "1" images store white as 1; ESC/POS ink
        for top in range(0, image.height, RASTER_FRAGMENT_ROWS):
            rows = min(RASTER_FRAGMENT_ROWS, image.height - top)
            p._raw(b"\x1dv0\x00" + p._int_low_high(width_bytes, 2) + p._int_low_high(rows, 2)
                   + ink[top * width_bytes:(top + rows) * width_bytes])

    def _barcode(self, p: Dummy, data: str) -> None:
        if self.settings.native_codes and self.profile.supports("barcodeB"):
            p._hw_barcode(code128_escpos_data(data), "CODE128", height=BARCODE_HEIGHT,
                          width=BARCODE_MODULE, pos="BELOW", font="B", align_ct=True,
                          function_type="B")
            p._raw(b"\n")
            return
        self._image(p, self.barcode_image(data), center=True)

    def barcode_image(self, data: str) -> Image.Image:
        """A CODE128 of `data` drawn at the printer's resolution, its text underneath, with
        the widest quiet zone (up to 2 mm a side) that fits the paper."""
        dot_mm = 25.4 / self.geometry.dpi
        for quiet_mm in (2.0, 1.0, 0.5):
            image = Code128(data, writer=ImageWriter()).render(writer_options={
                "module_width": BARCODE_MODULE * dot_mm,
                "module_height": BARCODE_HEIGHT * dot_mm, "quiet_zone": quiet_mm,
                "font_size": 8, "text_distance": 4.0, "dpi": self.geometry.dpi})
            if image.width <= self.geometry.pixels:
                return image.convert("1")
        raise SettingsError(f"The barcode of {data!r} is {image.width} dots wide; the paper "
                            f"has {self.geometry.pixels}")

    def _qr(self, p: Dummy, data: str) -> None:
        module = QR_DOTS_PER_MODULE[self.geometry.width_mm]
        if self.settings.native_codes and self.profile.supports("qrCode"):
            p.qr(data, ec=QR_ECLEVEL_M, size=module, native=True)
            p._raw(b"\n")
            return
        self._image(p, self.qr_image(data), center=True)

    def qr_image(self, data: str) -> Image.Image:
        """The QR code as an image with a 2-module quiet zone, error correction M."""
        module = QR_DOTS_PER_MODULE[self.geometry.width_mm]
        code = qrcode.QRCode(box_size=module, border=2,
                             error_correction=qrcode.constants.ERROR_CORRECT_M)
        code.add_data(data)
        code.make(fit=True)
        return code.make_image(fill_color="black", back_color="white").get_image().convert("1")
