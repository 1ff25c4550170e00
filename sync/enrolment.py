"""First run: exchange a one-time enrolment code for device credentials, then download the store.

Why: HQ IT makes a code for a store; the first-run wizard types or scans it. After this the
device has an identity (device id, receipt code, store) and a full copy of its store's catalog,
prices, associates and customers, so it can sell offline from the first minute.

The credentials are written (one transaction) BEFORE the bootstrap: the code is one-time, so an
interrupted download must be resumable with the credentials already kept (the worker's pull
continues from the saved cursor).

Thread: a background task of the first-run wizard (network and database I/O), never the UI
thread; it runs before the SyncWorker starts.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import Engine

from pos_app.db import migrate
from pos_app.store_context import StoreContext, load_store_context, read_setting, write_setting
from sync.change_puller import bootstrap
from sync.hq_client import HQClient

SECRET_KEY = "device_secret"


class AlreadyEnrolled(RuntimeError):
    """This database already belongs to a device of a store: one database = one device."""


def enrol_device(engine: Engine, client: HQClient, code: str, device_name: str,
                 progress: Callable[[int], None] | None = None) -> StoreContext:
    """Enrol this device with `code`, keep the credentials, pull the store; its StoreContext.

    The device secret is kept in the device database (settings key "device_secret"). The OS
    keyring (Windows Credential Manager, macOS Keychain, Secret Service) would be better: the
    secret would not sit in the same file as the data and in its backups, and the OS would tie it
    to the user account. It is stored in the database for now because tablets and counter PCs
    run unattended under kiosk accounts where a keyring is often missing or locked, and the
    device DB is already the one thing that must be protected (it holds PIN hashes and
    customers). HQ keeps only a hash, and a stolen secret is revoked at HQ per device.
    Raises HQError from the client, AlreadyEnrolled, or whatever bootstrap raises (in which
    case the credentials are kept and the worker resumes the download).
    """
    migrate.ensure_current(engine)
    with engine.connect() as conn:
        if read_setting(conn, "device_id") is not None:
            raise AlreadyEnrolled("This database already belongs to an enrolled device")
    answer = client.enrol(code, device_name)
    with engine.begin() as conn:
        write_setting(conn, "device_id", answer.device_id)
        write_setting(conn, "device_code", answer.device_code)
        write_setting(conn, "store_id", answer.store_id)
        write_setting(conn, "store_code", answer.store_code)
        write_setting(conn, "device_name", device_name)
        write_setting(conn, SECRET_KEY, answer.device_secret)
    client.set_credentials(answer.device_id, answer.device_secret)
    bootstrap(engine, client, progress)
    with engine.connect() as conn:
        return load_store_context(conn)


def stored_credentials(engine: Engine) -> tuple[str, str] | None:
    """(device_id, secret) kept by enrol_device, for building the HQClient at start-up."""
    with engine.connect() as conn:
        device_id, secret = read_setting(conn, "device_id"), read_setting(conn, SECRET_KEY)
    return (device_id, secret) if device_id and secret else None
