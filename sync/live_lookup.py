"""Live HQ look-ups with a short timeout and a labelled fallback to the device's cache.

Why: reading never waits on the network (DESIGN.md §4). A customer search, a profile, a web
order or other stores' stock is asked of HQ with a short timeout (default 0.8 s to connect,
1.5 s to read); when HQ does not answer (HQUnreachable), fails (HQServerError) or is busy
(HQBusy), the answer comes from the device database instead, and every result says which it
is, so the screen can show "offline — saved data from <as_of>":

    LookupResult(data, source="live",  as_of=<now>,            error=None)
    LookupResult(data, source="cache", as_of=<last good pull>, error="offline: ...")
    LookupResult(data, source="live",  as_of=<now>,            error=<HQ's reason>)  # 4xx

The cache: customers come from the store's clienteling book (`customers` + `customer_fts`,
searched like pos_app.db.catalog_queries searches products), phone and e-mail masked exactly as
HQ masks them (sync.protocol.mask_phone/mask_email); `as_of` is the device's last successful
pull (settings "sync_last_pull_ok_at"). Stock elsewhere and web orders have no cache yet: the
result is empty, labelled "cache", with the reason.

After HQ failed to answer, the next look-ups within `retry_live_after` seconds go straight to
the cache (no typing lag while offline); the first one after that tries HQ again.

Threads: every method blocks for up to the timeout, so call it on the UI's I/O pool, never on
the UI thread (DESIGN.md §5). A LiveLookup may be shared by the pool's threads: with a client
factory each thread gets its own HQClient (requests.Session is not documented thread-safe);
with a single HQClient instance, calls take turns on a lock. Give it its own client, not the
sync worker's (the look-up timeout is set on it). The local engine is only read.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, replace
from typing import Callable, Generic, Literal, TypeVar, Union

from pydantic import ValidationError
from sqlalchemy import Engine, text

from pos_app.loyalty import LiveBalance
from pos_app.store_context import read_setting
from pos_app.text_rules import strip_unsafe
from pos_app.textfold import fold, fts_prefix_query
from sync.hq_client import HQBusy, HQClient, HQRejected, HQServerError, HQUnreachable
from sync.protocol import (MAX_CUSTOMER_SEARCH, CustomerDetail, CustomerSearchResult,
                           CustomerSummary, StockLevel, StockResult, WebOrder, mask_email,
                           mask_phone)
from sync.profile_fallback import cached_profile, local_duplicates, local_my_tasks
from sync.protocol_customers import (CustomerProfile, CustomerSummaryRef, DuplicateCandidates,
                                     TaskList, TaskView)
from sync.protocol_lookups import MAX_SEARCH_TEXT, CustomerSearchRequest, DuplicatesRequest
from sync.status import LAST_PULL_OK

T = TypeVar("T")
Source = Literal["live", "cache"]
LIVE_TIMEOUT = (0.8, 1.5)  # (connect, read) seconds
CANDIDATE_CAP = 300  # FTS matches ranked per local search
_PHONE_LIKE = re.compile(r"[\d\s+().\-/]+")
_NON_DIGIT = re.compile(r"\D+")
_FALLBACK = (HQUnreachable, HQServerError, HQBusy)

OFFLINE_STOCK = "offline: stock at other stores needs HQ"
OFFLINE_ORDER = "offline: web orders need HQ"


@dataclass(frozen=True, slots=True)
class LookupResult(Generic[T]):
    data: T
    source: Source  # "live": HQ answered now; "cache": the device's saved data
    as_of: str | None  # UTC ISO-8601: when the data was true (now, or the last good pull)
    error: str | None = None  # why it is not live, or HQ's reason for refusing

    @property
    def live(self) -> bool:
        return self.source == "live"


def _typed(text: str) -> str:
    """What a person typed, as it is looked up: control characters (a scanner's GS, a stray
    NUL) become spaces, runs of white space one space (HQ refuses control characters)."""
    return " ".join(strip_unsafe(text, " ").split())


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class LiveLookup:
    """Look-ups that try HQ briefly, then the device cache. See the module docstring."""

    def __init__(self, client_factory: Union[Callable[[], HQClient], HQClient],
                 local_engine: Engine, timeout: tuple[float, float] = LIVE_TIMEOUT,
                 retry_live_after: float = 3.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.engine = local_engine
        self.timeout = timeout
        self.retry_live_after = retry_live_after
        self._clock = clock
        self._offline_until = 0.0
        self._local = threading.local()
        if isinstance(client_factory, HQClient):
            self._shared: HQClient | None = client_factory
            self._shared.timeout = timeout
            self._factory: Callable[[], HQClient] | None = None
        else:
            self._shared, self._factory = None, client_factory
        self._lock = threading.Lock()
        self._profile_as_of = threading.local()  # the cached profile's as_of, per thread

    # --- the look-ups --------------------------------------------------------------------
    def search_customers(self, q: str, limit: int = 20) -> LookupResult[list[CustomerSummary]]:
        """Customers matching what was typed: name, phone, e-mail or loyalty card. Asked in a
        POST body (sync/protocol_lookups.py): what was typed stays out of HQ's logs."""
        q = _typed(q)
        if not q:
            return LookupResult([], "live", _now(), None)
        request = CustomerSearchRequest(q=q[:MAX_SEARCH_TEXT].strip(),
                                        limit=max(1, min(limit, MAX_CUSTOMER_SEARCH)))
        result = self._lookup(
            lambda c: c._call("POST", "/v1/customers/search", CustomerSearchResult,
                              json=request.model_dump()).customers,
            lambda: self._local_search(q, limit), on_rejected=[])
        if result.live and not result.error:
            unsynced = self._unsynced_matches(q, limit)
            known = {c.id for c in result.data}
            extra = [c for c in unsynced if c.id not in known]
            if extra:  # created (or edited) on this till, not at HQ yet: she is found at once
                result = replace(result, data=(extra + list(result.data))[:limit])
        return result

    def profile(self, customer_id: str) -> LookupResult[CustomerProfile | None]:
        """Her 360° profile (HQ audits the view). Offline: the cached profile merged with this
        till's notes, tasks and consents not yet in it (sync/profile_fallback.py), as_of =
        the cached copy's; the UI then calls ClienteleService.record_profile_view."""
        now = _now()

        def fallback():
            with self.engine.connect() as conn:
                profile, as_of = cached_profile(conn, customer_id, self._as_of() or now)
            if profile is None:
                return None, "offline: this customer's profile is not saved on this till", False
            self._profile_as_of.value = as_of
            return profile, None, True

        self._profile_as_of.value = None
        result = self._lookup(
            lambda c: c._call("GET", f"/v1/customers/{customer_id}/profile", CustomerProfile),
            fallback, on_rejected=None)
        held = getattr(self._profile_as_of, "value", None)
        return replace(result, as_of=held) if result.source == "cache" and held else result

    def duplicates(self, phone: str | None, email: str | None
                   ) -> LookupResult[list[CustomerSummaryRef]]:
        """Likely duplicates (same normalised phone or e-mail), masked: HQ's, else the book's.
        A phone without a digit or a blank e-mail cannot match anyone: it is not asked."""
        phone, email = _typed(phone or "") or None, _typed(email or "") or None
        if phone is not None and not any("0" <= c <= "9" for c in phone):
            phone = None
        if phone is None and email is None:
            return LookupResult([], "live", _now(), None)
        try:
            request = DuplicatesRequest(phone=phone, email=email)
        except ValidationError as exc:  # longer than any phone or address: HQ would refuse it
            return LookupResult([], "live", _now(), exc.errors()[0]["msg"])

        def fallback():
            with self.engine.connect() as conn:
                return local_duplicates(conn, phone, email), None, True
        return self._lookup(
            lambda c: c._call("POST", "/v1/customers/duplicates", DuplicateCandidates,
                              json=request.model_dump(exclude_none=True)).customers,
            fallback, on_rejected=[])

    def my_tasks(self, associate_id: str) -> LookupResult[list[TaskView]]:
        """Open tasks of the store for `associate_id` (or unassigned), soonest due first."""
        def fallback():
            with self.engine.connect() as conn:
                return local_my_tasks(conn, associate_id), None, True
        return self._lookup(
            lambda c: c._call("GET", "/v1/customers/tasks", TaskList,
                              params={"assigned_to": associate_id}).tasks,
            fallback, on_rejected=[])

    def loyalty_balance(self, customer_id: str) -> LookupResult[LiveBalance | None]:
        """Her balance as HQ tells it now (data None when not live: the till then uses its
        cached profile and the offline limit, pos_app.services.clienteling.redeemable)."""
        result = self.profile(customer_id)
        if not result.live or result.data is None:
            return replace(result, data=None)
        loyalty = result.data.loyalty
        return replace(result, data=LiveBalance(loyalty.balance,
                                                frozenset(e.id for e in loyalty.entries)))

    def customer(self, customer_id: str) -> LookupResult[CustomerDetail | None]:
        """The profile's contact details (HQ audits the view), or the cached ones."""
        return self._lookup(
            lambda c: c._call("GET", f"/v1/customers/{customer_id}", CustomerDetail),
            lambda: self._local_customer(customer_id), on_rejected=None)

    def stock(self, sku: str) -> LookupResult[list[StockLevel]]:
        """On hand in every store carrying `sku`. No cache yet: offline gives []."""
        return self._lookup(
            lambda c: c._call("GET", "/v1/stock", StockResult, params={"sku": sku}).levels,
            lambda: ([], OFFLINE_STOCK, False), on_rejected=[])

    def web_order(self, number: str) -> LookupResult[WebOrder | None]:
        """A web order by number. No cache yet: offline gives None."""
        return self._lookup(
            lambda c: c._call("GET", f"/v1/orders/{number}", WebOrder),
            lambda: (None, OFFLINE_ORDER, False), on_rejected=None)

    # --- plumbing ------------------------------------------------------------------------
    def _client(self) -> HQClient:
        client = getattr(self._local, "client", None)
        if client is None:
            assert self._factory is not None
            client = self._local.client = self._factory()
            client.timeout = self.timeout
        return client

    def _ask(self, call: Callable[[HQClient], T]) -> T:
        if self._shared is not None:
            with self._lock:
                return call(self._shared)
        return call(self._client())

    def _lookup(self, call: Callable[[HQClient], T], fallback: Callable[[], tuple],
                on_rejected) -> LookupResult:
        reason = "offline: HQ did not answer recently"
        if self._clock() >= self._offline_until:
            try:
                return LookupResult(self._ask(call), "live", _now(), None)
            except HQRejected as exc:  # HQ answered: the request itself is refused (404, ...)
                return LookupResult(on_rejected, "live", _now(), exc.reason)
            except _FALLBACK as exc:
                if isinstance(exc, HQUnreachable):
                    self._offline_until = self._clock() + self.retry_live_after
                reason = f"offline: {exc}"
        data, why, has_as_of = fallback()
        return LookupResult(data, "cache", self._as_of() if has_as_of else None, why or reason)

    def _as_of(self) -> str | None:
        with self.engine.connect() as conn:
            return read_setting(conn, LAST_PULL_OK)

    # --- the device cache ----------------------------------------------------------------
    _COLUMNS = "c.id, c.name, c.phone, c.email, c.loyalty_card, c.tier"

    def _local_search(self, q: str, limit: int) -> tuple[list[CustomerSummary], None, bool]:
        digits = _NON_DIGIT.sub("", q)
        if _PHONE_LIKE.fullmatch(q) and len(digits) >= 3:
            match: str | None = f'"{digits}"*'
        else:
            match = fts_prefix_query(q)
        card = q.replace(" ", "").upper()
        with self.engine.connect() as conn:
            card_hits = conn.execute(text(
                f"SELECT {self._COLUMNS} FROM customers c WHERE c.loyalty_card = :card"),
                {"card": card}).all()
            rows = conn.execute(text(f"""
                WITH cand AS (SELECT rowid AS pk FROM customer_fts
                              WHERE customer_fts MATCH :match LIMIT {CANDIDATE_CAP})
                SELECT {self._COLUMNS} FROM cand JOIN customers c ON c.pk = cand.pk"""),
                {"match": match}).all() if match is not None else []
        folded = fold(q)
        seen: dict[str, object] = {}
        ranked = list(card_hits) + sorted(rows, key=lambda r: (
            not fold(r.name).startswith(folded), fold(r.name), r.id))
        for r in ranked:
            seen.setdefault(r.id, r)
        return [CustomerSummary(id=r.id, name=r.name, phone_masked=mask_phone(r.phone),
                                email_masked=mask_email(r.email), loyalty_card=r.loyalty_card,
                                tier=r.tier, home_store_code=None)
                for r in list(seen.values())[:limit]], None, True

    def _unsynced_matches(self, q: str, limit: int) -> list[CustomerSummary]:
        """Local hits for `q` among customers whose customer.upserted is still in the outbox."""
        with self.engine.connect() as conn:
            pending = {r[0] for r in conn.execute(text(
                "SELECT json_extract(payload, '$.customer.id') FROM outbox"
                " WHERE topic = 'customer.upserted' AND status = 'pending'"))}
        if not pending:
            return []
        return [c for c in self._local_search(q, CANDIDATE_CAP)[0] if c.id in pending][:limit]

    def _local_customer(self, customer_id: str) -> tuple[CustomerDetail | None, str | None, bool]:
        with self.engine.connect() as conn:
            r = conn.execute(text(f"SELECT {self._COLUMNS} FROM customers c WHERE c.id = :id"),
                             {"id": customer_id}).first()
        if r is None:
            return None, "offline: this customer is not in the store's saved data", True
        return CustomerDetail(id=r.id, name=r.name, phone=r.phone, email=r.email,
                              loyalty_card=r.loyalty_card, tier=r.tier), None, True
