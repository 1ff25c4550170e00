"""First run: exchange a one-time enrolment code for device credentials, then download the store.

Why: HQ IT makes a code for a store; the first-run wizard types or scans it. After this the
device has an identity (device id, receipt code, store) and a full copy of its store's catalog,
prices, associates and customers, so it can sell offline from the first minute.

The credentials are written (one transaction) BEFORE the bootstrap, together with the mark
that the store's download is incomplete (sync.snapshot_loader): the code is one-time, so an
interrupted download must be resumable with the credentials already kept, and until it has
finished the till is not provisioned (pos_app.store_context refuses it) so nobody sells from a
half-loaded catalog. Calling enrol_device again on such a database resumes the download with
the kept credentials (the code was spent and is not sent again). The download is a bulk
snapshot, then the feed's deltas; an older HQ without snapshots gets its feed replayed.

Thread: a background task of the first-run wizard (network and database I/O), never the UI
thread; it runs before the SyncWorker starts.
"""
from __future__ import annotations

import hashlib
import uuid
from typing import Callable

from sqlalchemy import Engine

from pos_app.db import migrate
from pos_app.store_context import (DEVICE_SECRET_SETTING, StoreContext, load_store_context,
                                   read_setting, write_setting)
from sync.hq_client import HQClient
from sync.protocol import normalise_enrolment_code
from sync.snapshot_loader import bootstrap, download_incomplete, mark_download_started

SECRET_KEY = DEVICE_SECRET_SETTING
REQUEST_KEY = "enrolment_request"  # {"code": sha256 of the normalised code, "id": request id}


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
    `progress(rows and changes applied so far)` runs on this thread.
    Raises HQError from the client, AlreadyEnrolled, or whatever bootstrap raises (in which
    case the credentials are kept, and enrol_device again or the worker resumes the download).
    """
    migrate.ensure_current(engine)
    with engine.connect() as conn:
        enrolled = read_setting(conn, "device_id") is not None
        resuming = enrolled and download_incomplete(conn)
    kept = stored_credentials(engine) if resuming else None
    if enrolled and kept is None:
        raise AlreadyEnrolled("This database already belongs to an enrolled device")
    if kept is not None:
        client.set_credentials(*kept)
    else:
        answer = client.enrol(code, device_name, enrolment_request_id(engine, code))
        with engine.begin() as conn:
            write_setting(conn, "device_id", answer.device_id)
            write_setting(conn, "device_code", answer.device_code)
            write_setting(conn, "store_id", answer.store_id)
            write_setting(conn, "store_code", answer.store_code)
            write_setting(conn, "device_name", device_name)
            write_setting(conn, SECRET_KEY, answer.device_secret)
            mark_download_started(conn)
        client.set_credentials(answer.device_id, answer.device_secret)
    bootstrap(engine, client, progress)
    with engine.connect() as conn:
        return load_store_context(conn)


def stored_credentials(engine: Engine) -> tuple[str, str] | None:
    """(device_id, secret) kept by enrol_device, for building the HQClient at start-up."""
    with engine.connect() as conn:
        device_id, secret = read_setting(conn, "device_id"), read_setting(conn, SECRET_KEY)
    return (device_id, secret) if device_id and secret else None


def enrolment_request_id(engine: Engine, code: str) -> str:
    """The request id for enrolling with `code`: made once and committed BEFORE HQ is asked,
    so that asking again with the same code (HQ's answer was lost, the app was killed while
    waiting) gets the same device from HQ instead of "code already used" (sync/protocol.py,
    "Enrol"). A different code gets a new id. Only a hash of the code is kept."""
    digest = hashlib.sha256(normalise_enrolment_code(code).encode()).hexdigest()
    with engine.begin() as conn:
        kept = read_setting(conn, REQUEST_KEY)
        if isinstance(kept, dict) and kept.get("code") == digest and kept.get("id"):
            return str(kept["id"])
        request_id = str(uuid.uuid4())
        write_setting(conn, REQUEST_KEY, {"code": digest, "id": request_id})
        return request_id
