"""The VietQR code as a picture: what the customer-facing screen shows and what
`pos-app qr-sample` writes to a PNG.

Why here: drawing needs the `qrcode` library and Pillow, which pos_app may not import
(DESIGN.md §2); the payload itself is pos_app/payments/vietqr.py's. Banking apps read a code
off a phone-lit or glossy screen at an angle, so the code has error correction M (15 % of it
may be unreadable) and the full 4-module quiet zone the QR standard asks for (a receipt's code,
hardware/escpos_render.py, makes do with 2 on white paper).

Speed: the tap-to-code path has 100 ms (bench/scenarios/vietqr_show.py). `qrcode` builds the
matrix (a few ms for a VietQR payload); the picture is drawn one pixel per module and scaled
up with nearest-neighbour, never module by module with rectangles.

Pure computation on whatever thread calls it (the UI's I/O pool, or the CLI's main thread):
no I/O except `write_png`.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import qrcode
from PIL import Image

QUIET_ZONE = 4  # modules of white around the code (ISO/IEC 18004)
DEFAULT_MODULE_PX = 8  # a version-6 code is (41 + 8) * 8 = 392 px: a phone reads it at 1 m


@dataclass(frozen=True, slots=True)
class QRPicture:
    """A drawn code: `image` is 8-bit grey (0 black, 255 white), `modules` the side of the
    symbol without its quiet zone (21 for version 1, +4 per version)."""

    image: Image.Image
    version: int
    modules: int
    module_px: int

    @property
    def side_px(self) -> int:
        return self.image.width


def qr_matrix(payload: str) -> tuple[int, list[list[bool]]]:
    """(version, rows of modules, True = dark) with the quiet zone: the smallest version that
    holds `payload` at error correction M."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(payload)
    code.make(fit=True)
    return code.version, code.get_matrix()


def render(payload: str, module_px: int = DEFAULT_MODULE_PX) -> QRPicture:
    """The code of `payload`, each module `module_px` pixels square."""
    version, rows = qr_matrix(payload)
    return draw(version, rows, module_px)


def draw(version: int, rows: list[list[bool]], module_px: int = DEFAULT_MODULE_PX
         ) -> QRPicture:
    """The picture of a matrix from `qr_matrix`: one grey pixel per module, scaled up."""
    if not isinstance(module_px, int) or not 1 <= module_px <= 64:
        raise ValueError(f"module size must be 1 to 64 pixels, got {module_px!r}")
    side = len(rows)
    pixels = bytes(0 if dark else 255 for row in rows for dark in row)
    small = Image.frombytes("L", (side, side), pixels)
    image = small.resize((side * module_px, side * module_px), Image.Resampling.NEAREST)
    return QRPicture(image, version, side - 2 * QUIET_ZONE, module_px)


def png_bytes(picture: QRPicture) -> bytes:
    """The picture as a 1-bit PNG (a few kB)."""
    out = io.BytesIO()
    picture.image.convert("1").save(out, format="PNG")
    return out.getvalue()


def write_png(picture: QRPicture, path: Path) -> None:
    """Write the PNG whole or not at all: a half-written file never looks like a code."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(png_bytes(picture))
    partial.replace(path)
