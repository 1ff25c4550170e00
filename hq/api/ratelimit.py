"""A per-device token bucket, in memory.

Why: issue 3 asks for per-device rate limits, so a device stuck in a retry loop cannot starve
the others. One process keeps its own buckets (good enough for one HQ process; a cluster would
need a shared store). Called from the API's request threads, hence the lock.
"""
from __future__ import annotations

import threading
import time


class TokenBuckets:
    def __init__(self, rate: float = 20.0, burst: float = 40.0, clock=time.monotonic) -> None:
        self.rate, self.burst, self._clock = rate, burst, clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Take one token for `key`; False when the bucket is empty (answer 429)."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1.0, now)
            return True
