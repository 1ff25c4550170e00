"""Settings for the whole suite.

Hypothesis: no per-example deadline and no "too slow" health check. Both measure the machine,
not the code (DESIGN.md §7): an example that took 250 ms on a busy CI machine once and 1 ms on
replay fails as "Unreliable test timings" under Hypothesis's default 200 ms deadline. A test
can still set its own @settings; what it does not set comes from this profile.
"""
from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile("storeline", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("storeline")
