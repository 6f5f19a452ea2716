"""Test configuration: hypothesis profiles.

`ci` (used when CI is set, see the Makefile) is bounded and has no deadline so that
runs are stable on a loaded 2-core machine; `dev` is the default; `long` searches
harder (HYPOTHESIS_PROFILE=long make test).
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=150, deadline=None)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or "dev")
