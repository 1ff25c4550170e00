"""USB receipt printers through pyusb (libusb): usb://VID:PID.

Why: most counter printers are USB printer-class devices. The steps follow pyusb's tutorial
and python-escpos's `Usb` printer, with errors a cashier can act on: find the device by
vendor and product id; detach the kernel's usblp driver from the interface (Linux) so we can
claim it; use the active configuration (set the first one if none); take the interface's bulk
OUT endpoint (and its bulk IN endpoint, if any, for DLE EOT status) unless the URI names them;
claim the interface. Timeouts are in milliseconds, from the printer settings.

Without libusb (pyusb's NoBackendError), with no such device, or without permission (a udev
rule is needed on Linux), `connect` raises a TransportError saying so; nothing is sent.

Runs on the print worker thread.
"""
from __future__ import annotations

import errno

from hardware.printer_settings import PrinterSettings
from hardware.printer_uri import UsbTarget
from hardware.transport_base import PrinterUnreachable, SendFailed, TransportUnavailable


class UsbTransport:
    def __init__(self, usb, device, target: UsbTarget, out_ep, in_ep,
                 settings: PrinterSettings) -> None:
        self.usb, self.device, self.target = usb, device, target
        self.out_ep, self.in_ep, self.settings = out_ep, in_ep, settings
        self.two_way = in_ep is not None

    @classmethod
    def connect(cls, target: UsbTarget, settings: PrinterSettings) -> "UsbTransport":
        try:
            import usb.core
            import usb.util
        except ImportError:
            raise TransportUnavailable("USB printing needs the pyusb package, which is not "
                                       "installed.") from None
        try:
            device = usb.core.find(idVendor=target.vendor_id, idProduct=target.product_id)
        except usb.core.NoBackendError:
            raise TransportUnavailable("USB printing needs libusb, which is not installed on "
                                       "this machine (e.g. apt install libusb-1.0-0).") from None
        if device is None:
            raise PrinterUnreachable(f"No USB printer {target.vendor_id:04x}:"
                                     f"{target.product_id:04x} is connected. Check the cable "
                                     "and that the printer is switched on.")
        try:
            out_ep, in_ep = cls._claim(usb, device, target)
        except usb.core.USBError as exc:
            usb.util.dispose_resources(device)
            if exc.errno in (errno.EACCES, errno.EPERM):
                raise TransportUnavailable(
                    f"No permission to use the USB printer {target}: add a udev rule giving "
                    "the till's user access (see README, Printers).") from None
            if exc.errno == errno.EBUSY:
                raise PrinterUnreachable(f"The USB printer {target} is in use by another "
                                         "program.") from None
            raise PrinterUnreachable(f"The USB printer {target} cannot be opened "
                                     f"({exc.strerror or exc}).") from None
        return cls(usb, device, target, out_ep, in_ep, settings)

    @staticmethod
    def _claim(usb, device, target: UsbTarget):
        try:
            if device.is_kernel_driver_active(target.interface):
                device.detach_kernel_driver(target.interface)
        except NotImplementedError:  # backends without kernel drivers (Windows, libusb0)
            pass
        try:
            config = device.get_active_configuration()
        except usb.core.USBError:
            device.set_configuration()
            config = device.get_active_configuration()
        interface = config[(target.interface, 0)]

        def endpoint(direction, address):
            return usb.util.find_descriptor(interface, custom_match=lambda e: (
                e.bEndpointAddress == address if address is not None else
                usb.util.endpoint_direction(e.bEndpointAddress) == direction
                and usb.util.endpoint_type(e.bmAttributes) == usb.util.ENDPOINT_TYPE_BULK))

        out_ep = endpoint(usb.util.ENDPOINT_OUT, target.out_ep)
        if out_ep is None:
            raise usb.core.USBError(f"no bulk OUT endpoint on interface {target.interface}")
        in_ep = endpoint(usb.util.ENDPOINT_IN, target.in_ep)
        usb.util.claim_interface(device, target.interface)
        return out_ep, in_ep

    def write(self, data: bytes) -> None:
        timeout_ms = int(self.settings.write_timeout_s * 1000)
        sent = 0
        try:
            while sent < len(data):
                sent += self.out_ep.write(data[sent:], timeout=timeout_ms)
        except self.usb.core.USBTimeoutError:
            raise SendFailed(f"The USB printer {self.target} stopped taking data after "
                             f"{sent} of {len(data)} bytes: is it offline?", sent) from None
        except self.usb.core.USBError as exc:
            raise SendFailed(f"Writing to the USB printer {self.target} failed after {sent} "
                             f"of {len(data)} bytes ({exc.strerror or exc}).", sent) from None

    def read(self, size: int, timeout: float) -> bytes:
        if self.in_ep is None:
            return b""
        try:
            data = self.in_ep.read(max(size, self.in_ep.wMaxPacketSize),
                                   timeout=max(1, int(timeout * 1000)))
        except self.usb.core.USBError:  # includes USBTimeoutError: silence
            return b""
        return bytes(data)

    def finish(self) -> None:
        """Bulk writes return when the device has taken the data: nothing left to do."""

    def close(self) -> None:
        try:
            self.usb.util.release_interface(self.device, self.target.interface)
        except Exception:  # noqa: BLE001 - closing never fails the job
            pass
        self.usb.util.dispose_resources(self.device)
