"""What HQ checks of ANY pushed event before it looks at its topic, how it stores one it
refuses, and which database errors are the event's fault.

Why (issue 18): one NUL in a customer note made PostgreSQL refuse the push, HQ answered 500
to the whole batch, and the till retried that batch for ever: no sale behind the note ever
reached HQ. DESIGN.md §4: a poison event is quarantined and shown, never blocks the queue.
So, per event:

1. Text: every string of the envelope's created_at and of the payload (keys included) obeys
   the one text rule (pos_app/text_rules.py, read through sync.protocol: `unsafe_in`,
   `check_text`). The reason names the field and character, e.g. "payload.text: control
   character U+0000 (NUL) at position 5 is not allowed in text".
2. Size: the payload's JSON is at most MAX_EVENT_BYTES (UTF-8) and no string in it is longer
   than MAX_TEXT_CHARS; a 15 MB junk field is quarantined, not stored as a sale.
3. A database error raised while storing ONE event (`event_db_error`) quarantines that event
   with the database's reason; the rest of the batch is stored. Errors that are not about the
   data (a lost connection, a lock timeout, a deadlock: OperationalError; a bug in HQ's SQL)
   are raised: the whole request is rolled back and answered 503/500, so the till's retry is
   safe and no good event is quarantined for HQ's own trouble.

Speed: the text rule walks every string in Python (~180 us a sale, most of the ingest
budget of 200 us). `_may_hold_unsafe` first scans the payload's JSON bytes (orjson, a few us):
orjson escapes every C0 control character as \\uXXXX or a short escape, writes DEL and C1
characters as their UTF-8 bytes and refuses surrogates, so a payload whose bytes show none of
these cannot break the rule; any hit (or false alarm, e.g. a typed backslash) runs the rule
itself, which decides. tests/hq/test_ingest_poison.py checks this over every code point.

Pure code: safe on any thread.
"""
from __future__ import annotations

import json
from typing import Any

import orjson
from sqlalchemy.exc import DataError, IntegrityError, StatementError

from sync.protocol import OutboxEventIn, check_text, first_unsafe, unsafe_in
from sync.protocol_payments import redact_pans

MAX_EVENT_BYTES = 256 * 1024  # UTF-8 bytes of the payload's JSON
MAX_TEXT_CHARS = 8_192  # any one string in a payload
MAX_REASON_CHARS = 1_000
_ESCAPES = (b"\\u00", b"\\b", b"\\f")  # how orjson writes C0 controls bar \t \n \r


def _may_hold_unsafe(data: bytes) -> bool:
    """False only if no string behind `data` (orjson's JSON text) can break the text rule.
    Single-byte searches first (memchr): most payloads hold no backslash at all."""
    if b"\\" in data and any(escape in data for escape in _ESCAPES):
        return True
    if b"\x7f" in data:  # DEL
        return True
    at = data.find(b"\xc2")
    while at >= 0:  # C1 controls U+0080-U+009F are C2 80 .. C2 9F in UTF-8
        if at + 1 < len(data) and 0x80 <= data[at + 1] <= 0x9F:
            return True
        at = data.find(b"\xc2", at + 1)
    return False


def payload_json(payload: dict[str, Any]) -> bytes | None:
    """The payload's JSON as orjson writes it, or None where orjson cannot (a lone surrogate,
    an integer beyond 64 bits)."""
    try:
        return orjson.dumps(payload)
    except (TypeError, orjson.JSONEncodeError):
        return None


def _long_string(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        return path if len(value) > MAX_TEXT_CHARS else None
    items = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and len(key) > MAX_TEXT_CHARS:
            return f"{path}.<key>"
        found = _long_string(item, f"{path}.{key}" if isinstance(key, str) else f"{path}[{key}]")
        if found:
            return found
    return None


def event_problem(ev: OutboxEventIn) -> str | None:
    """Why `ev` must be quarantined whatever its topic, or None (rules 1 and 2 above)."""
    try:
        check_text(ev.created_at, "created_at")
    except ValueError as exc:
        return str(exc)
    data = payload_json(ev.payload)
    if data is None or _may_hold_unsafe(data):
        unsafe = unsafe_in(ev.payload, "payload")
        if unsafe is not None:
            return str(unsafe)
    size = len(data) if data is not None else len(
        json.dumps(ev.payload, ensure_ascii=False).encode("utf-8"))
    if size > MAX_EVENT_BYTES:
        return f"payload too large: {size:,} bytes of JSON (at most {MAX_EVENT_BYTES:,})"
    if size > MAX_TEXT_CHARS:  # a smaller payload cannot hold a longer string
        where = _long_string(ev.payload, "payload")
        if where:
            return f"text too long: {where} (at most {MAX_TEXT_CHARS:,} characters)"
    return None


# --- storing a refused event -------------------------------------------------------------------
def sanitised(text: str, limit: int | None = None) -> str:
    """`text` with every character the text rule refuses replaced by U+FFFD (and cut to
    `limit`): for storing a refused input's envelope or a reason, never for accepting it."""
    while (hit := first_unsafe(text)) is not None:
        text = text[:hit[0]] + "\ufffd" + text[hit[0] + 1:]
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


def storable_payload(payload: dict[str, Any]) -> str:
    """The payload as JSON text any database stores: json.dumps escapes every control
    character, and a lone surrogate (which no UTF-8 text can hold) is written as its \\u
    escape by the ASCII form."""
    payload = redact_pans(payload)  # never store what could be a card number
    text = json.dumps(payload, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(payload, ensure_ascii=True)
    return text


# --- database errors ---------------------------------------------------------------------------
def _driver_data_errors() -> tuple[type[BaseException], ...]:
    """psycopg's own data errors: the COPY path (hq/services/bulk_insert.py) raises them
    unwrapped."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency of HQ
        return ()
    return (psycopg.DataError, psycopg.IntegrityError)


def event_db_error(exc: BaseException) -> str | None:
    """The quarantine reason when `exc`, raised while storing one event, is about that
    event's data (the database refused a value or a key); None when it is not (rule 3)."""
    if isinstance(exc, (DataError, IntegrityError)):
        cause = exc.orig
    elif isinstance(exc, StatementError) and isinstance(exc.orig, UnicodeError):
        cause = exc.orig
    elif isinstance(exc, (UnicodeError, *_driver_data_errors())):
        cause = exc
    else:
        return None
    message = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    return sanitised(f"the database refused the event: {type(cause).__name__}: {message}",
                     MAX_REASON_CHARS)
