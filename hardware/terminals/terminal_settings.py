"""One Adyen terminal's settings, checked with messages a store manager can act on.

Why: an installer describes a terminal with its address on the store network, its POIID
("P400Plus-123456789": model and serial number, printed on the terminal and shown in the
Customer Area), the shared key set up in the Customer Area (key identifier, key version,
passphrase), the Adyen root certificate file that terminal certificates chain to (the TEST or
LIVE one), the till's own SaleID, and the timeouts. Every mistake is caught here, before a
payment is tried, with the setting and the fix named.

The passphrase is a secret: it is left out of repr/str, out of `to_dict()` unless asked for,
and never appears in an error message. `from_dict` / `to_dict` keep the settings as JSON in
the device database (settings key `TERMINAL_SETTING`) like hardware/printer_settings.py.

Pure code (reads the CA file to check it): any thread.
"""
from __future__ import annotations

import re
import ssl
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

from pos_app.payments.terminal import TerminalError

TERMINAL_SETTING = "card_terminal"  # settings key suggested for the JSON of to_dict()
DEFAULT_PORT = 8443
NEXO_PATH = "/nexo"
ENVIRONMENTS = ("test", "live")
# Adyen's own libraries accept [model]-[serial]: 3+ letters/digits, a dash, 9-15 digits.
POIID_PATTERN = re.compile(r"[A-Za-z0-9]{3,}-[0-9]{9,15}")
SALE_ID_PATTERN = re.compile(r"[A-Za-z0-9._\-]{1,64}")
MAX_TIMEOUT_S = 600.0


class TerminalSettingsError(TerminalError, ValueError):
    """Terminal settings that cannot work; the message names the setting and the fix."""


@dataclass(frozen=True, slots=True)
class TerminalSettings:
    url: str  # "https://192.168.1.60:8443" (the path /nexo is added when missing)
    poiid: str  # "P400Plus-123456789"
    key_identifier: str  # the shared key's identifier in the Customer Area
    key_version: int
    passphrase: str = field(repr=False)  # the shared key's passphrase: a secret
    ca_file: str = ""  # PEM file of Adyen's terminal root certificate (TEST or LIVE)
    sale_id: str = "storeline-till"  # this till's SaleID, unique in the store
    environment: str = "test"  # "test" | "live": the certificate names [POIID].test|live....
    allow_legacy_certificate: bool = False  # accept legacy-terminal-certificate.<env>....
    connect_timeout_s: float = 5.0  # the terminal is on the store network: it answers fast
    # Adyen: a payment times out on the terminal after 120 s; ask the status if no answer
    # came within 150 s.
    payment_timeout_s: float = 150.0
    request_timeout_s: float = 30.0  # status, abort, reversal, refund

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", _normalised_url(self.url))
        if not isinstance(self.poiid, str) or not POIID_PATTERN.fullmatch(self.poiid):
            raise TerminalSettingsError(
                f"POIID {self.poiid!r} is not a terminal id such as P400Plus-123456789 (the "
                "model, a dash and the serial number, as the terminal and the Customer Area "
                "show it)")
        if not isinstance(self.key_identifier, str) or not self.key_identifier.strip():
            raise TerminalSettingsError("The key identifier is empty: copy it from the shared "
                                        "key set up for this terminal in the Customer Area")
        if not isinstance(self.key_version, int) or isinstance(self.key_version, bool) \
                or self.key_version < 0:
            raise TerminalSettingsError(f"The key version must be a whole number such as 1, "
                                        f"not {self.key_version!r}")
        if not isinstance(self.passphrase, str) or not self.passphrase:
            raise TerminalSettingsError("The passphrase of the shared key is missing")
        if not isinstance(self.sale_id, str) or not SALE_ID_PATTERN.fullmatch(self.sale_id):
            raise TerminalSettingsError(f"SaleID {self.sale_id!r} must be 1-64 letters, digits, "
                                        "dots, dashes or underscores")
        if self.environment not in ENVIRONMENTS:
            raise TerminalSettingsError(f"Environment must be 'test' or 'live', not "
                                        f"{self.environment!r}")
        for name in ("connect_timeout_s", "payment_timeout_s", "request_timeout_s"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not 0 < value <= MAX_TIMEOUT_S:
                raise TerminalSettingsError(f"{name} must be between 0 and {MAX_TIMEOUT_S:g} "
                                            "seconds")
        _check_ca_file(self.ca_file)

    def __str__(self) -> str:
        return f"Adyen terminal {self.poiid} at {self.url} (key {self.key_identifier} " \
               f"v{self.key_version}, {self.environment})"

    @property
    def expected_common_names(self) -> tuple[str, ...]:
        """The certificate common names this terminal may present (Adyen, "Protect local
        communications"): [POIID].<env>.terminal.adyen.com, and the shared legacy name only
        when allowed (it does not identify one terminal)."""
        names = [f"{self.poiid}.{self.environment}.terminal.adyen.com"]
        if self.allow_legacy_certificate:
            names.append(f"legacy-terminal-certificate.{self.environment}.terminal.adyen.com")
        return tuple(names)

    @classmethod
    def from_dict(cls, data: dict, passphrase: str | None = None) -> "TerminalSettings":
        """Settings from their JSON; `passphrase` when it is kept elsewhere than the JSON."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise TerminalSettingsError(f"Unknown terminal setting(s): "
                                        f"{', '.join(sorted(unknown))}")
        values = dict(data)
        if passphrase is not None:
            values["passphrase"] = passphrase
        missing = {"url", "poiid", "key_identifier", "key_version", "passphrase"} - set(values)
        if missing:
            raise TerminalSettingsError(f"Missing terminal setting(s): "
                                        f"{', '.join(sorted(missing))}")
        return cls(**values)

    def to_dict(self, include_passphrase: bool = False) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        if not include_passphrase:
            del out["passphrase"]
        return out


def _normalised_url(url: object) -> str:
    """"https://HOST:PORT/nexo"; the port defaults to 8443 and the path to /nexo."""
    if not isinstance(url, str) or not url:
        raise TerminalSettingsError("The terminal address is missing: https://IP:8443")
    parts = urlsplit(url.strip())
    if parts.scheme != "https":
        raise TerminalSettingsError(f"The terminal address {url!r} must start with https:// "
                                    "(Adyen terminals listen on https://IP:8443)")
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise TerminalSettingsError(f"The port in {url!r} is not a number") from None
    if not parts.hostname:
        raise TerminalSettingsError(f"The terminal address {url!r} has no host")
    if parts.query or parts.fragment or parts.username:
        raise TerminalSettingsError(f"The terminal address {url!r} has parts a terminal does "
                                    "not use (user, query or fragment)")
    path = parts.path.rstrip("/") or NEXO_PATH
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"https://{host}:{port}{path}"


def _check_ca_file(ca_file: object) -> None:
    if not isinstance(ca_file, str) or not ca_file:
        raise TerminalSettingsError("The CA file is missing: give the PEM file of Adyen's "
                                    "terminal root certificate (TEST or LIVE)")
    path = Path(ca_file)
    if not path.is_file():
        raise TerminalSettingsError(f"The CA file {ca_file} does not exist")
    try:
        ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, OSError, ValueError) as exc:
        raise TerminalSettingsError(f"The CA file {ca_file} is not a PEM certificate: "
                                    f"{exc}") from None
