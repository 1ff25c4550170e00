"""Certificates for the terminal simulator, made with `cryptography` like Adyen's own chain.

Why: a real Adyen terminal presents a leaf certificate whose common name is
"[POIID].test.terminal.adyen.com" (".live." on live terminals), issued by an Adyen
intermediate that the terminal sends along, under the Adyen terminal root that the till
trusts (Adyen, "Protect local communications"). The simulator builds the same shape: a test
root (the CA file given to the till), an intermediate, and a leaf for its POIID; or, for the
impostor tests, a leaf naming another terminal, or a whole chain under a root the till does
not trust. EC P-256 keys keep start-up fast.

`make_pki(dir)` writes ca.pem (root), chain.pem (leaf + intermediate) and key.pem (leaf key)
and reuses them when they are already there with the same common name, so a simulator
restarted on the same directory keeps serving what the till was set up with.

Test helper: runs on the thread that starts the simulator.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class Pki:
    ca_file: Path  # the root the till trusts
    chain_file: Path  # leaf + intermediate, served by the terminal
    key_file: Path
    common_name: str


def terminal_common_name(poiid: str, environment: str = "test") -> str:
    return f"{poiid}.{environment}.terminal.adyen.com"


def make_pki(directory: Path, common_name: str, untrusted: bool = False) -> Pki:
    """The chain for a terminal named `common_name` under a test root in `directory`.
    `untrusted`: the leaf and intermediate are issued under a second root that is not the
    one in ca.pem (a device that is not an Adyen terminal)."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_file, chain_file, key_file = (directory / n for n in ("ca.pem", "chain.pem", "key.pem"))
    stamp = directory / "leaf-name.txt"
    wanted = f"{common_name}|{'untrusted' if untrusted else 'trusted'}"
    if ca_file.exists() and chain_file.exists() and key_file.exists() \
            and stamp.exists() and stamp.read_text() == wanted:
        return Pki(ca_file, chain_file, key_file, common_name)
    root_key, root = _root("Storeline Test Terminal Root CA")
    issuer_key, issuer = root_key, root
    if untrusted:
        issuer_key, issuer = _root("Not Adyen Root CA")
    inter_key = ec.generate_private_key(ec.SECP256R1())
    inter = _issue(issuer, issuer_key, inter_key, "Storeline Test Terminal Intermediate CA",
                   ca=True)
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = _issue(inter, inter_key, leaf_key, common_name, ca=False)
    pem = serialization.Encoding.PEM
    ca_file.write_bytes(root.public_bytes(pem))
    chain_file.write_bytes(leaf.public_bytes(pem) + inter.public_bytes(pem))
    key_file.write_bytes(leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()))
    stamp.write_text(wanted)
    return Pki(ca_file, chain_file, key_file, common_name)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Storeline test terminals"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _root(common_name: str):
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(common_name))
            .issuer_name(_name(common_name)).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
            .add_extension(_ca_usage(), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


def _issue(issuer: x509.Certificate, issuer_key, subject_key, common_name: str, ca: bool):
    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(_name(common_name))
               .issuer_name(issuer.subject).public_key(subject_key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1))
               .not_valid_after(now + dt.timedelta(days=825))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None),
                              critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(
                   subject_key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   issuer_key.public_key()), critical=False))
    if ca:
        builder = builder.add_extension(_ca_usage(), critical=True)
    else:
        builder = (builder
                   .add_extension(x509.KeyUsage(
                       digital_signature=True, content_commitment=False, key_encipherment=False,
                       data_encipherment=False, key_agreement=False, key_cert_sign=False,
                       crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                                  critical=False))
    return builder.sign(issuer_key, hashes.SHA256())


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=False, content_commitment=False,
                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                         key_cert_sign=True, crl_sign=True, encipher_only=False,
                         decipher_only=False)
