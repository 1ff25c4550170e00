"""Who may call HQ: devices and the admin authenticated, failures and requests limited.

Why (issue 18): 500 wrong device secrets took 2.9 s and 500 wrong admin tokens 0.9 s, never a
429; and the enrolment limit keyed on an address the client could choose. The route classes
(hq/api/routing.py) call this gate before FastAPI reads a request's body or parameters.

The policy, and why:

- No credentials at all: 401, not counted (nothing was guessed, nothing was looked up).
- Wrong credentials (a malformed bearer, a wrong secret or admin token) count one failure
  against the client's address AND one against the credential they name: the device id of
  `Bearer <device_id>.<secret>`, or the fingerprint of the admin token presented (the limiter
  never holds a token). Each has AUTH_FAILURES a minute, as a burst.
- An address that has spent its failures is answered 429 with Retry-After before anything it
  sends is looked at: one address cannot guess at speed, nor make HQ hash and query for it.
  A till that shares that address (one NAT for a store) waits with it: an address is all HQ
  knows of a client before it authenticates; the operator can raise the limit
  (`pos-hq serve --auth-failures-per-minute`) where many tills share one address.
- A credential that has spent its failures gets 429 instead of 401 for every further WRONG
  attempt, from any address, but the RIGHT secret still passes. Refusing it too would let
  anyone who learned a device id (it is on every push) take that till offline from anywhere;
  and a device secret is 256 random bits, so letting the right one in costs no safety. The
  admin token is the operator's choice: `pos-hq serve` warns when it is short.
- A revoked device presents the right secret: 401 "device revoked", not counted.
- Authenticated devices: at most `Limits.device_per_second` requests (issue 3), then 429.
- Enrolment (no credentials: the one-time code is the secret): attempts per client address.

The client address is the TCP peer, or what a trusted proxy says it forwarded
(`pos-hq serve --trusted-proxy`); forwarded headers from anyone else are ignored.

Threads: `device` queries the database: call it on the threadpool. `admin` and `enrol` only
touch the in-memory buckets: any thread, the event loop included.
"""
from __future__ import annotations

import hashlib
import hmac
import time

from fastapi import HTTPException
from sqlalchemy import Engine

from hq.api.ratelimit import Limits, TokenBuckets
from hq.services import enrolment
from hq.services.common import AuthError

UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


def too_many(reason: str, retry_after: int) -> HTTPException:
    return HTTPException(429, f"{reason}; retry after {retry_after} s",
                         headers={"Retry-After": str(retry_after)})


class AuthGate:
    def __init__(self, engine: Engine, admin_token: str, limits: Limits | None = None, *,
                 requests: TokenBuckets | None = None, enrolments: TokenBuckets | None = None,
                 failures: TokenBuckets | None = None, clock=time.monotonic) -> None:
        limits = limits or Limits()
        self.engine, self._admin_token = engine, admin_token.encode()
        self.requests = requests or limits.device_requests(clock)
        self.enrolments = enrolments or limits.enrolments(clock)
        self.failures = failures or limits.auth_failures(clock)

    def device(self, authorization: str | None, client: str) -> enrolment.AuthenticatedDevice:
        """The device behind the header, or 401/429. Request thread (queries the database)."""
        if not authorization:
            raise AuthError("missing bearer token")
        self._refuse_spent_address(client)
        try:
            with self.engine.begin() as conn:
                device = enrolment.authenticate(conn, authorization)
        except enrolment.BadCredentials as exc:
            key = enrolment.bearer_device_id(authorization)
            self._count_failure(client, f"device:{key}" if key else None, "device")
            raise exc from None
        if not self.requests.allow(device.id):
            raise too_many("too many requests from this device; slow down", 1)
        return device

    def admin(self, authorization: str | None, client: str) -> None:
        """Returns when the header holds the admin token; 401/429 otherwise. Any thread."""
        refused = HTTPException(401, "admin token required", headers=UNAUTHORIZED)
        if not authorization:
            raise refused
        self._refuse_spent_address(client)
        given = authorization.removeprefix("Bearer ").strip().encode()
        if given and hmac.compare_digest(given, self._admin_token):
            return
        fingerprint = hashlib.sha256(given).hexdigest()[:16]
        self._count_failure(client, f"admin:{fingerprint}", "admin token")
        raise refused

    def enrol(self, client: str) -> None:
        """Returns when `client` may try an enrolment code now; 429 otherwise. Any thread."""
        if not self.enrolments.allow(client):
            raise too_many("too many enrolment attempts from this address",
                           self.enrolments.retry_after(client))

    def _refuse_spent_address(self, client: str) -> None:
        if not self.failures.available(f"address:{client}"):
            raise too_many("too many failed authentications from this address",
                           self.failures.retry_after(f"address:{client}"))

    def _count_failure(self, client: str, key: str | None, what: str) -> None:
        """Count one failure; 429 when the address or the credential has none left."""
        address_ok = self.failures.allow(f"address:{client}")
        key_ok = self.failures.allow(key) if key else True
        if not address_ok:
            raise too_many("too many failed authentications from this address",
                           self.failures.retry_after(f"address:{client}"))
        if not key_ok:
            raise too_many(f"too many failed authentications for this {what}",
                           self.failures.retry_after(key))
