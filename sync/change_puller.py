"""Pull: apply HQ's paged change feed for this store, one page per local transaction.

Why (DESIGN.md §4): HQ is the source of truth for catalog, prices, tax, associates and
customers. A page and the cursor that follows it are committed in ONE transaction, so a crash
(or an error in the middle of a page) never skips a change and never leaves a page half
applied: the next pull simply fetches the same page again. The fetch happens before the write
transaction is opened, so no database lock is held while waiting on the network.

The shape of each change's `data` is documented in sync.change_apply.

Thread: the sync worker (or the enrolment task before the worker starts). Never the UI thread.
"""
from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy import Engine

from pos_app.ports import Clock, SystemClock, utc_iso
from pos_app.store_context import read_setting, write_setting
from sync.change_apply import ApplyResult, apply_changes
from sync.hq_client import HQClient
from sync.protocol import MAX_CHANGE_PAGE, ChangePage
from sync.status import LAST_PULL_OK

log = logging.getLogger(__name__)

CURSOR_KEY = "sync_cursor"


class FeedError(RuntimeError):
    """HQ sent a page the device cannot apply (bad cursor, broken change); nothing applied."""


def read_cursor(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(read_setting(conn, CURSOR_KEY, 0))


# Changes per local write transaction. The till's sales share the one SQLite writer with this
# worker (a sale's BEGIN IMMEDIATE waits for it), so a 2,000-change page is applied in slices
# that each hold the write lock for a few milliseconds, not the whole page's ~0.2 s.
APPLY_SLICE = 250


def apply_page(engine: Engine, page: ChangePage, cursor: int, clock: Clock | None = None,
               slice_size: int | None = None) -> ApplyResult:
    """Apply one fetched page and advance the cursor from `cursor`.

    Each slice of the page is committed together with the cursor of its last change (the feed
    is in seq order), so a crash between slices resumes after the last committed change: never
    a change skipped, never a slice half applied. The last slice writes `page.next_cursor`.
    """
    clock = clock or SystemClock()
    slice_size = slice_size or APPLY_SLICE
    if page.next_cursor < cursor:
        raise FeedError(f"HQ moved the cursor backwards ({cursor} -> {page.next_cursor})")
    total = ApplyResult()
    changes = page.changes
    starts = range(0, len(changes), slice_size) if changes else [0]
    for start in starts:
        part = changes[start:start + slice_size]
        last = start + slice_size >= len(changes)
        new_cursor = page.next_cursor if last else part[-1].seq
        with engine.begin() as conn:  # BEGIN IMMEDIATE; rolled back on any exception
            if int(read_setting(conn, CURSOR_KEY, 0)) != cursor:
                raise FeedError("the cursor moved while the page was fetched (two pullers?)")
            try:
                result = apply_changes(conn, part)
            except (KeyError, ValueError, TypeError) as exc:
                raise FeedError(f"a change could not be applied: {type(exc).__name__}: "
                                f"{exc}") from exc
            write_setting(conn, CURSOR_KEY, new_cursor)
            if last:
                write_setting(conn, LAST_PULL_OK, utc_iso(clock.now_utc()))
        cursor = new_cursor
        total.applied += result.applied
        total.ignored += result.ignored
        total.touched_variants |= result.touched_variants
    return total


def pull_once(engine: Engine, client: HQClient, page_size: int = 2000,
              clock: Clock | None = None) -> int:
    """Fetch and apply one page; the number of changes applied (ignored ones not counted).

    Raises HQError when HQ cannot be reached or refuses, FeedError for an unusable page
    (sqlalchemy errors, e.g. a variant whose product is unknown, propagate too); in every
    failure case nothing is applied and the cursor stays where it was.
    """
    return pull_page(engine, client, page_size, clock)[0].applied


def pull_page(engine: Engine, client: HQClient, page_size: int = 2000,
              clock: Clock | None = None) -> tuple[ApplyResult, bool]:
    """pull_once with the details: (what was applied and ignored, has_more)."""
    cursor = read_cursor(engine)
    page = client.changes(cursor, min(page_size, MAX_CHANGE_PAGE))
    if page.has_more and not page.changes and page.next_cursor == cursor:
        raise FeedError("HQ says there is more but sent nothing and kept the cursor")
    result = apply_page(engine, page, cursor, clock)
    if result.ignored:
        log.debug("pull: %d change(s) of kinds the device does not store yet", result.ignored)
    return result, page.has_more


def bootstrap(engine: Engine, client: HQClient, progress: Callable[[int], None] | None = None,
              page_size: int = 2000, clock: Clock | None = None) -> int:
    """Pull pages until HQ says there are no more; `progress(total applied so far)` per page.

    Also what the worker runs each cycle (catching up after days offline is the same loop).
    Each page is committed on its own, so an interrupted bootstrap resumes where it stopped.
    """
    total = 0
    while True:
        result, has_more = pull_page(engine, client, page_size, clock)
        total += result.applied
        if progress is not None:
            progress(total)
        if not has_more:
            return total
