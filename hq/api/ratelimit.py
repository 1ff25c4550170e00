"""Token buckets in memory, and the limits `pos-hq serve` applies with them.

Why: issue 3 asks for per-device rate limits, so a device stuck in a retry loop cannot starve
the others; issue 18 adds limits on failed authentication and on enrolment attempts, so
secrets cannot be guessed at speed (hq/api/gate.py says who is limited by what). One process
keeps its own buckets (with `--workers N`, each worker keeps its own: the limits are then per
worker); a cluster would need a shared store.

Memory is bounded: an attacker who sends a new key with every request (a random device id, a
rotating address) would otherwise grow the table for ever. A bucket that has refilled is the
same as no bucket, so those are dropped first; past `max_keys` the least recently used go.

Threads: called from the API's request threads and its event loop, hence the lock.
"""
from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass, fields


class TokenBuckets:
    def __init__(self, rate: float = 20.0, burst: float = 40.0, clock=time.monotonic,
                 max_keys: int = 100_000) -> None:
        self.rate, self.burst, self._clock, self.max_keys = rate, burst, clock, max_keys
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill)
        self._lock = threading.Lock()

    def _tokens(self, key: str, now: float) -> float:
        tokens, last = self._buckets.get(key, (self.burst, now))
        return min(self.burst, tokens + max(0.0, now - last) * self.rate)

    def allow(self, key: str) -> bool:
        """Take one token for `key`; False when the bucket is empty (answer 429)."""
        now = self._clock()
        with self._lock:
            tokens = self._tokens(key, now)
            allowed = tokens >= 1.0
            self._buckets.pop(key, None)  # re-inserted last: the dict's order is recency
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            if len(self._buckets) > self.max_keys:
                self._shrink(now)
            return allowed

    def available(self, key: str) -> bool:
        """Whether `key` has a token now (none is taken)."""
        now = self._clock()
        with self._lock:
            return self._tokens(key, now) >= 1.0

    def retry_after(self, key: str) -> int:
        """Whole seconds until `key` has a token again (at least 1): the Retry-After header."""
        now = self._clock()
        with self._lock:
            missing = 1.0 - self._tokens(key, now)
        return max(1, math.ceil(missing / self.rate)) if self.rate > 0 else 60

    def _shrink(self, now: float) -> None:
        """Down to 90 % of max_keys, so that a flood of new keys costs one scan per tenth."""
        full = [k for k in self._buckets if self._tokens(k, now) >= self.burst]
        for key in full:
            del self._buckets[key]
        target = int(self.max_keys * 0.9)
        while len(self._buckets) > target:
            del self._buckets[next(iter(self._buckets))]  # the least recently used


@dataclass(frozen=True)
class Limits:
    """What `pos-hq serve` allows (its flags; the environment carries them to every worker).

    The defaults suit tills that poll every few seconds and people who mistype; an HQ whose
    stores all reach it through one address (a VPN concentrator, a carrier's NAT) raises
    `auth_failures_per_minute` and `enrolments_per_minute`, which are kept per address."""

    device_per_second: float = 20.0  # requests of one device (burst: twice as many)
    auth_failures_per_minute: float = 20.0  # per client address and per credential (burst: as many)
    enrolments_per_minute: float = 60.0  # attempts per client address (burst: 10 at most)

    ENV_PREFIX = "STORELINE_HQ_LIMIT_"

    @classmethod
    def from_env(cls, environ=os.environ) -> "Limits":
        """The limits in STORELINE_HQ_LIMIT_<FIELD> variables (defaults for those not set)."""
        given = {}
        for f in fields(cls):
            value = environ.get(cls.ENV_PREFIX + f.name.upper())
            if value:
                given[f.name] = positive_number(value)
        return cls(**given)

    def to_env(self) -> dict[str, str]:
        return {self.ENV_PREFIX + f.name.upper(): repr(getattr(self, f.name))
                for f in fields(self)}

    def device_requests(self, clock=time.monotonic) -> TokenBuckets:
        return TokenBuckets(self.device_per_second, 2 * self.device_per_second, clock)

    def auth_failures(self, clock=time.monotonic) -> TokenBuckets:
        rate = self.auth_failures_per_minute / 60.0
        return TokenBuckets(rate, max(1.0, self.auth_failures_per_minute), clock)

    def enrolments(self, clock=time.monotonic) -> TokenBuckets:
        rate = self.enrolments_per_minute / 60.0
        return TokenBuckets(rate, max(1.0, min(10.0, self.enrolments_per_minute)), clock)


def positive_number(text: str) -> float:
    """A limit given as text: a number above zero (ValueError otherwise)."""
    value = float(text)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"a limit must be a number above zero, not {text!r}")
    return value
