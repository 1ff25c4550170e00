"""Printer URIs: where a receipt printer is and how to talk to it.

    tcp://192.168.1.50:9100            network printer (raw port 9100 when no port is given)
    usb://04b8:0202                    USB printer by vendor:product id (hex), via pyusb
    usb://04b8:0202?interface=0&out_ep=0x01&in_ep=0x82     (endpoints found when omitted)
    serial:///dev/ttyUSB0?baudrate=19200                   (also serial://COM3 on Windows)
        options: baudrate, bytesize (7|8), parity (N|E|O), stopbits (1|2), rtscts, dsrdtr,
        xonxoff (0|1)
    cups://QUEUE                       a CUPS queue, sent raw (pycups, or the lp command)
    file:///dev/usb/lp0                a device node or a file the bytes are appended to

Why: one string in the printer settings says everything, an installer can type it on the
command line (`pos-app print-sample --printer URI`), and a mistake is reported with the exact
part that is wrong before anything is opened.

Pure code: safe on any thread.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

SCHEMES = ("tcp", "usb", "serial", "cups", "file")


class PrinterUriError(ValueError):
    """A printer URI that cannot be used; the message says which part and why."""


@dataclass(frozen=True, slots=True)
class TcpTarget:
    host: str
    port: int = 9100

    def __str__(self) -> str:
        return f"{self.host}:{self.port}" if ":" not in self.host else f"[{self.host}]:{self.port}"


@dataclass(frozen=True, slots=True)
class UsbTarget:
    vendor_id: int
    product_id: int
    interface: int = 0
    out_ep: int | None = None
    in_ep: int | None = None

    def __str__(self) -> str:
        return f"USB {self.vendor_id:04x}:{self.product_id:04x}"


@dataclass(frozen=True, slots=True)
class SerialTarget:
    device: str
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: int = 1
    rtscts: bool = False
    dsrdtr: bool = False
    xonxoff: bool = False

    def __str__(self) -> str:
        return f"{self.device} at {self.baudrate} baud"


@dataclass(frozen=True, slots=True)
class CupsTarget:
    queue: str

    def __str__(self) -> str:
        return f"CUPS queue {self.queue}"


@dataclass(frozen=True, slots=True)
class FileTarget:
    path: str

    def __str__(self) -> str:
        return self.path


Target = TcpTarget | UsbTarget | SerialTarget | CupsTarget | FileTarget


def parse_printer_uri(uri: str) -> Target:
    parts = urlsplit((uri or "").strip())
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise PrinterUriError(f"Printer URI {uri!r}: the scheme must be one of "
                              f"{', '.join(s + '://' for s in SCHEMES)}")
    query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    if scheme == "tcp":
        return _tcp(uri, parts, query)
    if scheme == "usb":
        return _usb(uri, parts.netloc, query)
    if scheme == "serial":
        return _serial(uri, unquote(parts.path) if not parts.netloc else parts.netloc, query)
    _no_options(uri, query)
    if scheme == "cups":
        queue = unquote(parts.netloc or parts.path.lstrip("/"))
        if not queue:
            raise PrinterUriError(f"Printer URI {uri!r}: name the CUPS queue (cups://QUEUE)")
        return CupsTarget(queue)
    path = unquote(parts.path)
    if parts.netloc not in ("", "localhost") or not path.startswith("/"):
        raise PrinterUriError(f"Printer URI {uri!r}: a file URI is file:///absolute/path")
    return FileTarget(path)


def _no_options(uri: str, query: dict) -> None:
    if query:
        raise PrinterUriError(f"Printer URI {uri!r}: unknown option(s) {', '.join(query)}")


def _tcp(uri: str, parts, query: dict) -> TcpTarget:
    _no_options(uri, query)
    try:
        port = parts.port or 9100
    except ValueError:
        raise PrinterUriError(f"Printer URI {uri!r}: the port must be a number 1-65535") from None
    if not parts.hostname:
        raise PrinterUriError(f"Printer URI {uri!r}: no host (tcp://HOST:9100)")
    return TcpTarget(parts.hostname, port)


def _hex_id(uri: str, text: str, what: str) -> int:
    try:
        value = int(text, 16)
    except ValueError:
        raise PrinterUriError(f"Printer URI {uri!r}: the {what} id {text!r} is not "
                              "hexadecimal (e.g. usb://04b8:0202)") from None
    if not 0 <= value <= 0xFFFF:
        raise PrinterUriError(f"Printer URI {uri!r}: the {what} id is 4 hex digits")
    return value


def _usb(uri: str, netloc: str, query: dict) -> UsbTarget:
    vid, sep, pid = netloc.partition(":")
    if not sep or not vid or not pid:
        raise PrinterUriError(f"Printer URI {uri!r}: a USB printer is usb://VID:PID in hex, "
                              "e.g. usb://04b8:0202 (see `lsusb`)")
    unknown = set(query) - {"interface", "out_ep", "in_ep"}
    if unknown:
        raise PrinterUriError(f"Printer URI {uri!r}: unknown option(s) {', '.join(unknown)}")

    def number(name: str) -> int | None:
        if name not in query:
            return None
        try:
            return int(query[name], 0)
        except ValueError:
            raise PrinterUriError(f"Printer URI {uri!r}: {name} must be a number") from None

    return UsbTarget(_hex_id(uri, vid, "vendor"), _hex_id(uri, pid, "product"),
                     number("interface") or 0, number("out_ep"), number("in_ep"))


def _serial(uri: str, device: str, query: dict) -> SerialTarget:
    if not device:
        raise PrinterUriError(f"Printer URI {uri!r}: name the port, e.g. "
                              "serial:///dev/ttyUSB0?baudrate=19200")
    allowed = {"baudrate", "bytesize", "parity", "stopbits", "rtscts", "dsrdtr", "xonxoff"}
    unknown = set(query) - allowed
    if unknown:
        raise PrinterUriError(f"Printer URI {uri!r}: unknown option(s) {', '.join(unknown)}")
    try:
        target = SerialTarget(
            device, baudrate=int(query.get("baudrate", 9600)),
            bytesize=int(query.get("bytesize", 8)), parity=query.get("parity", "N").upper(),
            stopbits=int(query.get("stopbits", 1)),
            rtscts=_flag(query.get("rtscts")), dsrdtr=_flag(query.get("dsrdtr")),
            xonxoff=_flag(query.get("xonxoff")))
    except ValueError as exc:
        raise PrinterUriError(f"Printer URI {uri!r}: {exc}") from None
    if target.baudrate not in (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200):
        raise PrinterUriError(f"Printer URI {uri!r}: baudrate {target.baudrate} is not a "
                              "printer speed (9600, 19200, 38400, 57600, 115200, ...)")
    if target.bytesize not in (7, 8) or target.parity not in ("N", "E", "O") \
            or target.stopbits not in (1, 2):
        raise PrinterUriError(f"Printer URI {uri!r}: bytesize 7|8, parity N|E|O, stopbits 1|2")
    return target


def _flag(value: str | None) -> bool:
    if value is None:
        return False
    if value.lower() in ("1", "true", "yes", "on", ""):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{value!r} is not 0 or 1")
