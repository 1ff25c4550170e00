"""One terminal's settings (hardware/terminals/terminal_settings.py): clear refusals, and a
passphrase that never shows."""
from __future__ import annotations

from pathlib import Path

import pytest

from hardware.terminals.terminal_settings import TerminalSettings, TerminalSettingsError
from pos_app.payments.terminal import TerminalError
from tests.hardware.terminal_sim_pki import make_pki

SECRET = "never-show-this-passphrase"


@pytest.fixture(scope="module")
def ca_file(tmp_path_factory) -> str:
    return str(make_pki(tmp_path_factory.mktemp("pki"), "P400Plus-123456789.test.terminal."
                                                          "adyen.com").ca_file)


def settings(default_ca: str, **changes) -> TerminalSettings:
    values = dict(url="https://192.168.1.60:8443", poiid="P400Plus-123456789",
                  key_identifier="StorelineKey", key_version=1, passphrase=SECRET,
                  ca_file=default_ca)
    values.update(changes)
    return TerminalSettings(**values)


@pytest.mark.parametrize("given, expected", [
    ("https://192.168.1.60:8443", "https://192.168.1.60:8443/nexo"),
    ("https://192.168.1.60", "https://192.168.1.60:8443/nexo"),
    ("https://192.168.1.60:8443/nexo/", "https://192.168.1.60:8443/nexo"),
    ("https://[fe80::1]:8443", "https://[fe80::1]:8443/nexo"),
])
def test_the_address_gets_the_terminal_port_and_path(ca_file, given, expected):
    assert settings(ca_file, url=given).url == expected


@pytest.mark.parametrize("changes, message", [
    ({"url": "http://192.168.1.60:8443"}, "must start with https://"),
    ({"url": "https://:8443"}, "has no host"),
    ({"url": "https://192.168.1.60:port"}, "not a number"),
    ({"url": "https://192.168.1.60:8443/nexo?x=1"}, "parts a terminal does not use"),
    ({"poiid": "P400Plus"}, "not a terminal id such as P400Plus-123456789"),
    ({"poiid": "P400Plus-123"}, "not a terminal id"),
    ({"key_identifier": " "}, "key identifier is empty"),
    ({"key_version": "1"}, "key version must be a whole number"),
    ({"passphrase": ""}, "passphrase of the shared key is missing"),
    ({"sale_id": "till 7"}, "SaleID"),
    ({"environment": "prod"}, "'test' or 'live'"),
    ({"payment_timeout_s": 0}, "payment_timeout_s must be between 0 and 600"),
    ({"connect_timeout_s": 601}, "connect_timeout_s must be between"),
    ({"ca_file": ""}, "CA file is missing"),
    ({"ca_file": "/nonexistent/adyen-root.pem"}, "does not exist"),
])
def test_wrong_settings_are_refused_with_the_fix(ca_file, changes, message):
    with pytest.raises(TerminalSettingsError, match=message) as raised:
        settings(ca_file, **changes)
    assert SECRET not in str(raised.value)
    assert isinstance(raised.value, TerminalError) and isinstance(raised.value, ValueError)


def test_a_ca_file_that_is_not_a_certificate_is_refused(tmp_path: Path):
    bogus = tmp_path / "root.pem"
    bogus.write_text("this is not a certificate\n")
    with pytest.raises(TerminalSettingsError, match="is not a PEM certificate"):
        settings(str(bogus))


def test_the_passphrase_never_shows(ca_file):
    s = settings(ca_file)
    assert SECRET not in repr(s) and SECRET not in str(s) and SECRET not in f"{s!r} {s}"
    assert "passphrase" not in s.to_dict()
    assert s.to_dict(include_passphrase=True)["passphrase"] == SECRET


def test_from_dict_round_trips_and_refuses_unknown_or_missing_settings(ca_file):
    s = settings(ca_file, environment="live", allow_legacy_certificate=True)
    assert TerminalSettings.from_dict(s.to_dict(), passphrase=SECRET) == s
    assert TerminalSettings.from_dict(s.to_dict(include_passphrase=True)) == s
    with pytest.raises(TerminalSettingsError, match="Unknown terminal setting"):
        TerminalSettings.from_dict({**s.to_dict(), "pin": "1234"}, passphrase=SECRET)
    with pytest.raises(TerminalSettingsError, match="Missing terminal setting.*passphrase"):
        TerminalSettings.from_dict(s.to_dict())


def test_the_certificate_names_the_terminal(ca_file):
    assert settings(ca_file).expected_common_names == (
        "P400Plus-123456789.test.terminal.adyen.com",)
    assert settings(ca_file, environment="live", allow_legacy_certificate=True
                    ).expected_common_names == (
        "P400Plus-123456789.live.terminal.adyen.com",
        "legacy-terminal-certificate.live.terminal.adyen.com")
