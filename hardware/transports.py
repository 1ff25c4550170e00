"""Byte pipes to printers: network (raw TCP 9100), serial, file; USB and CUPS in their modules.

Why: python-escpos's printer classes open their connection lazily, log instead of raising,
and wait without limits; a till needs the opposite: short timeouts, and a failure that says
what to do ("refused the connection: is it switched on?", "no permission on /dev/ttyUSB0:
add the user to the dialout group"). Each transport is small: `write`, `read` (b"" when
nothing came within the timeout), `finish` (make sure the bytes left: drain, flush, spool) and
`close` (never raises). `two_way` says whether status can be read back.

What a transport is and how it fails (`Transport`, the `TransportError`s) live in
hardware/transport_base.py, which the USB and CUPS modules import too; this module picks the
transport for a target.

Runs on the print worker thread; a transport is used by one thread at a time.
"""
from __future__ import annotations

import errno
import os
import socket
import stat
import time

from hardware.printer_settings import PrinterSettings
from hardware.printer_uri import (CupsTarget, FileTarget, SerialTarget, Target, TcpTarget,
                                  UsbTarget)
from hardware.transport_base import (PrinterUnreachable, SendFailed, Transport,
                                     TransportUnavailable)


def open_transport(target: Target, settings: PrinterSettings) -> Transport:
    """Connect to the printer; raises a TransportError with a message for the cashier."""
    if isinstance(target, TcpTarget):
        return TcpTransport.connect(target, settings)
    if isinstance(target, SerialTarget):
        return SerialTransport.connect(target, settings)
    if isinstance(target, FileTarget):
        return FileTransport.connect(target)
    if isinstance(target, UsbTarget):
        from hardware.transport_usb import UsbTransport

        return UsbTransport.connect(target, settings)
    if isinstance(target, CupsTarget):
        from hardware.transport_cups import CupsTransport

        return CupsTransport.connect(target, settings)
    raise TypeError(f"Not a printer target: {target!r}")


class TcpTransport:
    two_way = True

    def __init__(self, sock: socket.socket, target: TcpTarget, settings: PrinterSettings):
        self.sock, self.target, self.settings = sock, target, settings

    @classmethod
    def connect(cls, target: TcpTarget, settings: PrinterSettings) -> "TcpTransport":
        where = f"The printer at {target}"
        try:
            sock = socket.create_connection((target.host, target.port),
                                            timeout=settings.connect_timeout_s)
        except socket.gaierror:
            raise PrinterUnreachable(f"The printer address {target.host!r} cannot be found. "
                                     "Check the printer URI.") from None
        except ConnectionRefusedError:
            raise PrinterUnreachable(f"{where} refused the connection. Check that it is "
                                     "switched on and that the port in the printer URI is "
                                     "right.") from None
        except TimeoutError:
            raise PrinterUnreachable(f"{where} did not answer within "
                                     f"{settings.connect_timeout_s:g} s. Check that it is "
                                     "switched on and connected to the network.") from None
        except OSError as exc:
            raise PrinterUnreachable(f"{where} cannot be reached: "
                                     f"{exc.strerror or exc}.") from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(sock, target, settings)

    def write(self, data: bytes) -> None:
        sent = 0
        view = memoryview(data)
        self.sock.settimeout(self.settings.write_timeout_s)
        try:
            while sent < len(data):
                sent += self.sock.send(view[sent:])
        except TimeoutError:
            raise SendFailed(f"The printer at {self.target} stopped taking data after {sent} "
                             f"of {len(data)} bytes.", sent) from None
        except OSError as exc:
            raise SendFailed(f"The connection to the printer at {self.target} broke after "
                             f"{sent} of {len(data)} bytes ({exc.strerror or exc}).",
                             sent) from None

    def read(self, size: int, timeout: float) -> bytes:
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(size)
        except (TimeoutError, OSError):
            return b""

    def finish(self) -> None:
        """Half-close and read until the printer closes (or a short while): closing a socket
        with unread input resets the connection, which can drop bytes not yet delivered. A
        printer that resets the connection instead of closing it did not take the job."""
        try:
            self.sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + self.settings.status_timeout_s
            while (left := deadline - time.monotonic()) > 0:
                self.sock.settimeout(left)
                if not self.sock.recv(4096):
                    break
        except TimeoutError:
            return  # the printer keeps the connection open: fine, everything was sent
        except OSError as exc:
            raise SendFailed(f"The printer at {self.target} dropped the connection before "
                             f"taking the whole job ({exc.strerror or exc}).") from None

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


class SerialTransport:
    two_way = True

    def __init__(self, port, target: SerialTarget, settings: PrinterSettings) -> None:
        self.port, self.target, self.settings = port, target, settings

    @classmethod
    def connect(cls, target: SerialTarget, settings: PrinterSettings) -> "SerialTransport":
        try:
            import serial
        except ImportError:
            raise TransportUnavailable("Serial printing needs the pyserial package, which is "
                                       "not installed.") from None
        try:
            port = serial.Serial(
                port=target.device, baudrate=target.baudrate, bytesize=target.bytesize,
                parity=target.parity, stopbits=target.stopbits, rtscts=target.rtscts,
                dsrdtr=target.dsrdtr, xonxoff=target.xonxoff,
                timeout=settings.status_timeout_s, write_timeout=settings.write_timeout_s)
        except serial.SerialException as exc:
            code = getattr(exc, "errno", None)
            cause = os.strerror(code) if code else str(exc)
            if code in (errno.EACCES, errno.EPERM):
                raise TransportUnavailable(
                    f"No permission to open the serial port {target.device}: add the till's "
                    "user to the 'dialout' group.") from None
            raise PrinterUnreachable(f"The serial port {target.device} cannot be opened "
                                     f"({cause}). Check the cable and the port name.") from None
        return cls(port, target, settings)

    def write(self, data: bytes) -> None:
        import serial

        # Slow lines take time: 10 bits a byte (a raster receipt at 9600 baud takes a
        # minute), plus the usual allowance for the printer pausing us with flow control.
        self.port.write_timeout = self.settings.write_timeout_s + \
            1.5 * len(data) * 10 / self.target.baudrate
        try:
            self.port.write(data)
        except serial.SerialTimeoutException:
            raise SendFailed(f"The printer on {self.target.device} stopped taking data "
                             "(flow control): is it offline?") from None
        except (serial.SerialException, OSError) as exc:
            raise SendFailed(f"Writing to {self.target.device} failed ({exc}).") from None

    def read(self, size: int, timeout: float) -> bytes:
        try:
            self.port.timeout = timeout
            return self.port.read(size)
        except Exception:  # noqa: BLE001 - a port that vanished reads as silence
            return b""

    def finish(self) -> None:
        try:
            self.port.flush()  # tcdrain: returns when the last byte has left the UART
        except Exception as exc:  # noqa: BLE001
            raise SendFailed(f"Writing to {self.target.device} failed ({exc}).") from None

    def close(self) -> None:
        try:
            self.port.close()
        except Exception:  # noqa: BLE001
            pass


class FileTransport:
    """A device node (/dev/usb/lp0) or a file: bytes appended; no status."""

    two_way = False

    def __init__(self, handle, target: FileTarget) -> None:
        self.handle, self.target = handle, target

    @classmethod
    def connect(cls, target: FileTarget) -> "FileTransport":
        try:
            handle = open(target.path, "ab", buffering=0)
        except PermissionError:
            raise TransportUnavailable(f"No permission to write to {target.path}: add the "
                                       "till's user to the 'lp' group.") from None
        except FileNotFoundError:
            raise PrinterUnreachable(f"There is no {target.path}. Is the printer plugged in "
                                     "and switched on?") from None
        except OSError as exc:
            raise PrinterUnreachable(f"{target.path} cannot be opened "
                                     f"({exc.strerror or exc}).") from None
        return cls(handle, target)

    def write(self, data: bytes) -> None:
        try:
            self.handle.write(data)
        except OSError as exc:
            raise SendFailed(f"Writing to {self.target.path} failed "
                             f"({exc.strerror or exc}).") from None

    def read(self, size: int, timeout: float) -> bytes:
        return b""

    def finish(self) -> None:
        try:
            if stat.S_ISREG(os.fstat(self.handle.fileno()).st_mode):
                os.fsync(self.handle.fileno())
        except OSError as exc:
            raise SendFailed(f"Writing to {self.target.path} failed "
                             f"({exc.strerror or exc}).") from None

    def close(self) -> None:
        try:
            self.handle.close()
        except OSError:
            pass
