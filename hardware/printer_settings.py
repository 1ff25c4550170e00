"""One receipt printer's settings, and the paper geometry they resolve to.

Why: an installer describes a printer with a URI and a python-escpos profile (the printer
model in escpos-printer-db: its code pages, fonts, paper width in dots, barcode and QR
support). Everything else has a sensible default and can be overridden per printer: the paper
width (58 or 80 mm), how text is printed (auto: code pages where the profile has them, raster
images where not; or forced to one of them), the Vietnamese code page family, the drawer pin
and its sensor polarity, and the short timeouts. `from_dict` / `to_dict` let the lead's
settings screen keep the settings as JSON in the device database (settings key
`PRINTER_SETTING`).

The resolved profile is a private copy: python-escpos keeps profile data in class attributes
and writes into them (`_dpi`), and we fill in the paper width in dots, so printers never see
each other's changes.

Pure code: safe on any thread.
"""
from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, fields
from enum import Enum

from escpos.capabilities import CAPABILITIES, BaseProfile

from hardware.codepages import FAMILIES

PRINTER_SETTING = "receipt_printer"  # settings key suggested for the JSON of to_dict()
PAPER_WIDTHS = (58, 80)
DEFAULT_PIXELS = {58: 384, 80: 576}  # printable dots at 203 dpi
FONT_A_DOTS = 12  # width of a character of font A (12 x 24)


class TextMode(str, Enum):
    AUTO = "auto"  # code pages where the profile has them, a raster image for the rest
    CODEPAGE = "codepage"  # code pages only: text no page can print refuses the job
    RASTER = "raster"  # every text line as an image: slower, prints anything DejaVu has


class SettingsError(ValueError):
    """Printer settings that cannot work; the message names the setting and the fix."""


@dataclass(frozen=True, slots=True)
class PrinterSettings:
    uri: str  # tcp://HOST:9100, usb://VID:PID, serial:///dev/ttyUSB0?baudrate=19200, ...
    profile: str = "default"  # a python-escpos profile name, e.g. "TM-T88V", "POS-5890"
    width_mm: int | None = None  # 58 | 80; None: from the profile (80 when it does not say)
    text_mode: TextMode = TextMode.AUTO
    code_page: str | None = None  # "TCVN-3" | "CP1258"; None: TCVN-3 if the profile has it
    cut: bool = True
    native_codes: bool = True  # barcode and QR drawn by the printer when the profile can
    drawer_pin: int = 2  # 2 or 5: the kick-out connector pin the drawer is wired to
    drawer_open_when: str = "high"  # the sensor level (connector pin 3) of an open drawer
    query_status: bool = True  # ask DLE EOT before printing (skipped on one-way transports)
    connect_timeout_s: float = 2.0
    status_timeout_s: float = 0.5
    write_timeout_s: float = 10.0

    def __post_init__(self) -> None:
        if isinstance(self.text_mode, str) and not isinstance(self.text_mode, TextMode):
            try:
                object.__setattr__(self, "text_mode", TextMode(self.text_mode))
            except ValueError:
                raise SettingsError(f"Text mode {self.text_mode!r} is not one of "
                                    f"{', '.join(m.value for m in TextMode)}") from None
        if not self.uri or "://" not in self.uri:
            raise SettingsError(f"Printer URI {self.uri!r} is not a URI such as "
                                "tcp://192.168.1.50:9100 or usb://04b8:0202")
        if self.profile not in CAPABILITIES["profiles"]:
            raise SettingsError(f"Unknown printer profile {self.profile!r}; known profiles: "
                                f"{', '.join(sorted(CAPABILITIES['profiles']))}")
        if self.width_mm is not None and self.width_mm not in PAPER_WIDTHS:
            raise SettingsError(f"Paper width must be 58 or 80 mm, not {self.width_mm}")
        if self.code_page is not None and self.code_page not in FAMILIES:
            raise SettingsError(f"Vietnamese code page must be one of {', '.join(FAMILIES)}, "
                                f"not {self.code_page!r}")
        if self.drawer_pin not in (2, 5):
            raise SettingsError(f"The drawer is on pin 2 or 5, not {self.drawer_pin}")
        if self.drawer_open_when not in ("high", "low"):
            raise SettingsError("drawer_open_when is 'high' or 'low'")
        for name in ("connect_timeout_s", "status_timeout_s", "write_timeout_s"):
            if not 0 < getattr(self, name) <= 120:
                raise SettingsError(f"{name} must be between 0 and 120 seconds")

    @classmethod
    def from_dict(cls, data: dict) -> "PrinterSettings":
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise SettingsError(f"Unknown printer setting(s): {', '.join(sorted(unknown))}")
        return cls(**data)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["text_mode"] = self.text_mode.value
        return out


@dataclass(frozen=True, slots=True)
class PaperGeometry:
    width_mm: int
    pixels: int  # printable dots across
    columns: int  # characters of font A per line
    dpi: int


def profile_paper_width(data: dict) -> int | None:
    """58 or 80 from a profile's media width in mm; None when the profile does not say."""
    mm = data.get("media", {}).get("width", {}).get("mm")
    if not isinstance(mm, (int, float)):
        return None
    return 58 if mm < 60 else 80


def resolve_geometry(settings: PrinterSettings) -> PaperGeometry:
    """Dots and columns: the profile's own when it is for this paper width, else standard
    203-dpi values (384 dots / 32 columns on 58 mm, 576 / 48 on 80 mm)."""
    data = CAPABILITIES["profiles"][settings.profile]
    own_width = profile_paper_width(data)
    width = settings.width_mm or own_width or 80
    media = data.get("media", {})
    pixels = media.get("width", {}).get("pixels")
    columns = data.get("fonts", {}).get("0", {}).get("columns")
    dpi = media.get("dpi")
    dpi = dpi if isinstance(dpi, int) else 203
    if own_width != width or not isinstance(pixels, int):
        pixels = DEFAULT_PIXELS[width]
        columns = None
    if not isinstance(columns, int) or not pixels // (2 * FONT_A_DOTS) <= columns <= pixels // 8:
        columns = pixels // FONT_A_DOTS  # a profile's odd font table (e.g. 12 columns on 80mm)
    return PaperGeometry(width, pixels, columns, dpi)


def resolve_profile(settings: PrinterSettings, geometry: PaperGeometry) -> BaseProfile:
    """A private python-escpos profile object with the paper's dots and dpi filled in."""
    data = copy.deepcopy(CAPABILITIES["profiles"][settings.profile])
    media = data.setdefault("media", {})
    media["width"] = {"mm": geometry.width_mm, "pixels": geometry.pixels}
    media["dpi"] = geometry.dpi
    cls = type(f"Storeline{settings.profile.replace('-', '')}Profile", (BaseProfile,),
               {"profile_data": data})
    return cls()
