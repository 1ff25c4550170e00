"""The device's HTTP client for HQ (sync.protocol over requests), with a small error hierarchy.

Why: the pusher, the puller and the worker must tell "HQ is not there, try later" apart from
"HQ said no" without knowing anything about HTTP. Every transport failure becomes one of:

    HQUnreachable   connection refused / reset / dropped mid-response / timeout  (retryable)
    HQServerError   5xx, or a 2xx whose body is not what the protocol says        (retryable)
    HQBusy          429 Too Many Requests, with the Retry-After seconds          (retryable)
    HQRejected      any other 4xx, with HQ's reason                              (not retryable)

One `requests.Session` keeps connections alive between calls; a request whose kept-alive
connection turns out closed by HQ is sent once more on a new one. The device secret travels only in
the Authorization header; it never appears in a repr, an exception or a log line.

Thread: an HQClient is used by one thread at a time (the sync worker; the enrolment wizard's
background task before the worker starts). requests.Session is not documented as thread-safe.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Iterator

import requests
import urllib3
from pydantic import BaseModel, ValidationError

from sync.protocol import (
    SNAPSHOT_MEDIA_TYPE, ChangePage, EnrolRequest, EnrolResponse, JournalStatus, OutboxEventIn,
    PushRequest, PushResponse,
)
from sync.protocol_payments import (
    Authorisation, GiftCardBalance, PaymentSettings, StoreCreditBalance, TransferIntent,
    TransferIntentIn, VoidResult,
)

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (3.05, 10.0)  # (connect, read) seconds: short, the caller falls back/retries
# Live payment look-ups (a transfer's state while the customer waits, a balance): shorter
# still; the till polls again or says HQ cannot be reached (DESIGN.md §4).
LOOKUP_TIMEOUT = (2.0, 3.0)


class HQError(Exception):
    """Base of every failure talking to HQ. `retryable`: try the same request again later."""

    retryable = True


class HQUnreachable(HQError):
    """No answer: refused, reset, dropped mid-response or timed out. HQ may or may not have
    processed the request (push is idempotent, so resending is safe)."""


class HQServerError(HQError):
    """HQ answered 5xx, or with a body that does not parse as the protocol says."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"HQ server error {status}: {reason}")
        self.status, self.reason = status, reason


class HQBusy(HQError):
    """429: HQ rate-limits this device; wait `retry_after` seconds (None if HQ did not say)."""

    def __init__(self, retry_after: float | None, reason: str = "rate limited") -> None:
        super().__init__(f"HQ busy ({reason}); retry after {retry_after} s")
        self.status, self.retry_after, self.reason = 429, retry_after, reason


class HQRejected(HQError):
    """4xx (not 429): the request is wrong or the device is not allowed (401 revoked, ...).
    Sending the same thing again will fail again."""

    retryable = False

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"HQ rejected the request ({status}): {reason}")
        self.status, self.reason = status, reason


def _reason(resp: requests.Response) -> str:
    """HQ's explanation: FastAPI's {"detail": ...}, a {"reason": ...}, or the start of the text."""
    try:
        body = resp.json()
    except ValueError:
        return (resp.text or resp.reason or "")[:200]
    if isinstance(body, dict):
        for key in ("reason", "detail", "error"):
            if key in body:
                return str(body[key])[:500]
    return str(body)[:200]


def _aborted(exc: requests.ConnectionError) -> bool:
    """The connection was closed or reset before an answer came, as happens to a kept-alive
    connection the server has just closed. Sending again on a new connection is safe: every
    request of the protocol is idempotent (push by event ids, enrol by request id, reads).
    Not a refused connection or a timeout: those say HQ is away, and are not retried."""
    return isinstance(exc.args[0] if exc.args else None, urllib3.exceptions.ProtocolError)


def _retry_after(resp: requests.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:  # an HTTP date: not worth parsing, the worker's backoff applies
        return None


class HQClient:
    """Typed calls to HQ's /v1 API. `credentials` = (device_id, secret), None before enrolment.
    `lookup_timeout`: of the live payment look-ups (a transfer's state, a balance)."""

    def __init__(self, base_url: str, credentials: tuple[str, str] | None = None,
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT,
                 session: requests.Session | None = None,
                 lookup_timeout: tuple[float, float] = LOOKUP_TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout, self.lookup_timeout = timeout, lookup_timeout
        self._session = session or requests.Session()
        self._auth: str | None = None
        self.device_id: str | None = None
        if credentials is not None:
            self.set_credentials(*credentials)

    def __repr__(self) -> str:  # never the secret
        return f"HQClient({self.base_url!r}, device_id={self.device_id!r})"

    def set_credentials(self, device_id: str, secret: str) -> None:
        """Use these credentials from now on (after enrolment)."""
        self.device_id = device_id
        self._auth = f"Bearer {device_id}.{secret}"

    def close(self) -> None:
        self._session.close()

    # --- the protocol's endpoints --------------------------------------------------------
    def enrol(self, code: str, device_name: str, request_id: str | None = None
              ) -> EnrolResponse:
        """`request_id`: made and kept by the caller, so a retry after a lost answer gets the
        same device (sync/protocol.py, "Enrol")."""
        body = EnrolRequest(code=code, device_name=device_name,
                            request_id=request_id).model_dump()
        return self._call("POST", "/v1/enrol", EnrolResponse, json=body, auth=False)

    def push(self, events: list[OutboxEventIn]) -> PushResponse:
        body = PushRequest(events=events).model_dump(mode="json")
        return self._call("POST", "/v1/push", PushResponse, json=body)

    def changes(self, cursor: int, limit: int) -> ChangePage:
        return self._call("GET", "/v1/changes", ChangePage,
                          params={"cursor": cursor, "limit": limit})

    @contextmanager
    def snapshot(self, gzip: bool = False) -> Iterator[Iterator[bytes]]:
        """GET /v1/snapshot as an iterator of NDJSON lines (bytes, without the "\\n"), read as
        they arrive: the body is never held whole. The status is checked before this yields
        (an older HQ answers 404: HQRejected with status 404); a connection that drops or
        times out mid-body raises HQUnreachable from the iterator. `gzip`: ask HQ to compress
        (worth it on a store's uplink, not on loopback). The response is closed on exit."""
        headers = {"Accept": SNAPSHOT_MEDIA_TYPE, "Accept-Encoding": "gzip" if gzip else
                   "identity"}
        resp = self._send("GET", "/v1/snapshot", headers, stream=True)
        try:
            if not 200 <= resp.status_code < 300:
                try:
                    _ = resp.content  # a short error body: read it for the reason
                except requests.RequestException:
                    pass
                self._check_status(resp)
            yield self._lines(resp)
        finally:
            resp.close()

    @staticmethod
    def _lines(resp: requests.Response) -> Iterator[bytes]:
        pending = b""
        try:
            for chunk in resp.iter_content(chunk_size=1 << 20):
                parts = (pending + chunk if pending else chunk).split(b"\n")
                pending = parts.pop()
                yield from parts
        except requests.RequestException as exc:
            log.info("HQ GET /v1/snapshot dropped mid-body: %s", type(exc).__name__)
            raise HQUnreachable(f"HQ unreachable ({type(exc).__name__})") from None
        if pending:
            yield pending  # an unterminated last line: the reader sees it is not the end

    def journal_status(self) -> JournalStatus:
        return self._call("GET", "/v1/devices/me/journal", JournalStatus)

    # --- payments (sync/protocol_payments.py; every call is safe to repeat) -------------
    def register_transfer_intent(self, intent: TransferIntentIn) -> TransferIntent:
        """Register a VietQR intent (idempotent by its id; again with
        `accepted_offline_by` once a manager accepted it unconfirmed)."""
        return self._call("POST", "/v1/payments/intents", TransferIntent,
                          json=intent.model_dump())

    def transfer_intent(self, intent_id: str) -> TransferIntent:
        """The intent's state at HQ ("confirmed" once the bank's credit matched); a short
        timeout: the payment screen polls this."""
        return self._call("GET", f"/v1/payments/intents/{intent_id}", TransferIntent,
                          timeout=self.lookup_timeout)

    def cancel_transfer_intent(self, intent_id: str) -> TransferIntent:
        return self._call("POST", f"/v1/payments/intents/{intent_id}/cancel", TransferIntent)

    def payment_settings(self) -> PaymentSettings:
        return self._call("GET", "/v1/payments/settings", PaymentSettings,
                          timeout=self.lookup_timeout)

    def gift_card_balance(self, card: str, pin: str) -> GiftCardBalance:
        """403 wrong PIN / card locked, 404 unknown card: HQRejected with HQ's reason."""
        return self._call("POST", "/v1/payments/gift-cards/balance", GiftCardBalance,
                          json={"card": card, "pin": pin}, timeout=self.lookup_timeout)

    def redeem_gift_card(self, payment_id: str, card: str, pin: str, amount: int,
                         currency: str) -> Authorisation:
        """Approved or declined (`Authorisation.decline`); any error: ask again with the
        same payment id, or void it."""
        return self._call("POST", "/v1/payments/gift-cards/redeem", Authorisation, json={
            "payment_id": payment_id, "card": card, "pin": pin, "amount": amount,
            "currency": currency})

    def void_gift_card(self, payment_id: str, card: str) -> VoidResult:
        return self._call("POST", "/v1/payments/gift-cards/void", VoidResult,
                          json={"payment_id": payment_id, "card": card})

    def store_credit_balance(self, customer_id: str) -> StoreCreditBalance:
        return self._call("GET", f"/v1/payments/store-credit/{customer_id}/balance",
                          StoreCreditBalance, timeout=self.lookup_timeout)

    def redeem_store_credit(self, payment_id: str, customer_id: str, amount: int,
                            currency: str) -> Authorisation:
        return self._call("POST", "/v1/payments/store-credit/redeem", Authorisation, json={
            "payment_id": payment_id, "customer_id": customer_id, "amount": amount,
            "currency": currency})

    def void_store_credit(self, payment_id: str, customer_id: str) -> VoidResult:
        return self._call("POST", "/v1/payments/store-credit/void", VoidResult,
                          json={"payment_id": payment_id, "customer_id": customer_id})

    def health(self) -> bool:
        """True when HQ answers /healthz with {"status": "ok"}; never raises."""
        try:
            resp = self._session.get(self.base_url + "/healthz", timeout=self.timeout)
            return resp.status_code == 200 and resp.json().get("status") == "ok"
        except (requests.RequestException, ValueError, AttributeError):
            return False

    # --- plumbing ------------------------------------------------------------------------
    def _send(self, method: str, path: str, headers: dict, *, auth: bool = True,
              **kwargs: Any) -> requests.Response:
        if auth:
            if self._auth is None:
                raise HQRejected(401, "this device is not enrolled (no credentials)")
            headers["Authorization"] = self._auth
        timeout = kwargs.pop("timeout", None) or self.timeout
        for attempt in (1, 2):
            try:
                resp = self._session.request(method, self.base_url + path, headers=headers,
                                             timeout=timeout, **kwargs)
                if not kwargs.get("stream"):
                    _ = resp.content  # read the whole body here: a drop mid-body raises here
                return resp
            except requests.ConnectionError as exc:
                if attempt == 1 and _aborted(exc):
                    continue  # a kept-alive connection HQ had closed: once more, on a new one
                log.info("HQ %s %s unreachable: %s", method, path, type(exc).__name__)
                raise HQUnreachable(f"HQ unreachable ({type(exc).__name__})") from None
            except requests.RequestException as exc:
                # Timeout, ChunkedEncodingError (dropped mid-response), ...
                log.info("HQ %s %s unreachable: %s", method, path, type(exc).__name__)
                raise HQUnreachable(f"HQ unreachable ({type(exc).__name__})") from None
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    @staticmethod
    def _check_status(resp: requests.Response) -> None:
        status = resp.status_code
        if status == 429:
            raise HQBusy(_retry_after(resp), _reason(resp))
        if 400 <= status < 500:
            raise HQRejected(status, _reason(resp))
        if status >= 500 or status < 200 or status >= 300:
            raise HQServerError(status, _reason(resp))

    def _call(self, method: str, path: str, model: type[BaseModel], *, auth: bool = True,
              **kwargs: Any):
        resp = self._send(method, path, {"Accept": "application/json"}, auth=auth, **kwargs)
        content = resp.content
        status = resp.status_code
        self._check_status(resp)
        try:
            return model.model_validate_json(content)
        except ValidationError as exc:
            raise HQServerError(status, f"response is not a valid {model.__name__}: "
                                        f"{exc.error_count()} error(s)") from None
