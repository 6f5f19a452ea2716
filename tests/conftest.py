"""Test configuration: hypothesis profiles, and the language folders of the tests.

`ci` (used when CI is set, see the Makefile) is bounded and has no deadline so that
runs are stable on a loaded 2-core machine; `dev` is the default; `long` searches
harder (HYPOTHESIS_PROFILE=long make test).

The small Portuguese folder of fixtures/languages is put on TIMELINE_LANG_PATH for
the whole suite: every test that runs over the languages found on disk runs over
it too, which shows that adding a language is adding a folder.
"""

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings

_FIXTURE_LANGUAGES = str(Path(__file__).resolve().parent.parent / "fixtures" / "languages")
os.environ["TIMELINE_LANG_PATH"] = os.pathsep.join(
    p for p in (_FIXTURE_LANGUAGES, os.environ.get("TIMELINE_LANG_PATH")) if p)

# Compiled artefacts go to a cache of the test run's own, not the user's.
os.environ["TIMELINE_CACHE_DIR"] = tempfile.mkdtemp(prefix="timeline-test-cache-")

settings.register_profile(
    "ci", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=150, deadline=None)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or "dev")
