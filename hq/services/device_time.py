"""Times a device writes (a sale's created_at, an edit's edited_at, a note's at): parsed and
bounded before HQ compares or stores them.

Why (issue 18): HQ compared the client's raw strings, so an edit stamped "9999-12-31..." won
every later last-writer-wins comparison for ever and "zzzz not a date" was accepted. The rule
(docs/clienteling.md "Device times"):

- A time is ISO-8601 date and time (`datetime.fromisoformat`: "2026-11-22T10:00:00Z",
  "...+07:00", "2026-11-22 10:00:00.123456"). With an offset it is converted to UTC; without
  one it is taken as UTC (devices write UTC, DESIGN.md §3). Anything else, including a date
  without a time, is refused: the event is quarantined with the reason.
- A time more than MAX_CLOCK_SKEW after HQ's receive time is clamped to the receive time, not
  refused: a device whose clock is wrong must not lose an edit (nor reorder or reject sales,
  DESIGN.md §3). Past times are kept as they are (a till may be offline for days).
- Stored as fixed-width UTC text ("2026-11-22T10:00:00.000000Z", hq.services.common.utc_iso),
  so comparisons in SQL and Python are comparisons of time. Ties (and so a clamped time
  against one written in the same microsecond) go to the event HQ receives later: writers
  compare with ">=".

Pure code: safe on any thread.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import NamedTuple

from hq.services.common import utc_iso

MAX_CLOCK_SKEW = timedelta(minutes=10)
_MAX_SHOWN = 40  # characters of a refused value quoted in a reason


class DeviceTime(NamedTuple):
    iso: str  # the time HQ uses: UTC, fixed width
    clamped: bool  # True: the device's time was in the future and HQ used its receive time


def _quoted(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN - 3] + "..."


def parse_device_time(value: object) -> datetime | None:
    """`value` as an aware UTC datetime, or None when it is not an ISO-8601 date and time."""
    if not isinstance(value, str) or not 10 < len(value) <= 40 or not value[:4].isdigit():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:  # e.g. "0001-01-01T00:00:00+01:00"
        return None


def _canonical(value: object) -> bool:
    """True when `value` (a time that parsed) is already written as utc_iso writes it:
    "YYYY-MM-DDTHH:MM:SS.ffffffZ" (what tills send: the common case is free)."""
    return (isinstance(value, str) and len(value) == 27 and value[10] == "T"
            and value[19] == "." and value[26] == "Z")


def bounded(value: object, received: datetime, field: str) -> DeviceTime | str:
    """The device time `value` of `field` as HQ uses it, or the reason it is refused."""
    moment = parse_device_time(value)
    if moment is not None and moment <= received + MAX_CLOCK_SKEW and _canonical(value):
        return DeviceTime(value, False)  # already HQ's form: no need to write it again
    if moment is None:
        return (f"invalid payload: {field}: not an ISO-8601 date and time with a time zone "
                f"(UTC assumed without one): {_quoted(value)}")
    if moment > received + MAX_CLOCK_SKEW:
        return DeviceTime(utc_iso(received), True)
    return DeviceTime(utc_iso(moment), False)
