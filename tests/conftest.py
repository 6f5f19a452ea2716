"""Test configuration: hypothesis profiles, and the language folders of the tests.

`ci` (used when CI is set, see the Makefile) is bounded and has no deadline so that
runs are stable on a loaded 2-core machine; `dev` is the default; `long` searches
harder (HYPOTHESIS_PROFILE=long make test).

The small Portuguese folder of fixtures/languages is put on TIMELINE_LANG_PATH for
the whole suite: every test that runs over the languages found on disk runs over
it too, which shows that adding a language is adding a folder.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings

_FIXTURE_LANGUAGES = str(Path(__file__).resolve().parent.parent / "fixtures" / "languages")
os.environ["TIMELINE_LANG_PATH"] = os.pathsep.join(
    p for p in (_FIXTURE_LANGUAGES, os.environ.get("TIMELINE_LANG_PATH")) if p)

# Compiled artefacts go to a cache of the test run's own, not the user's: made by the
# run's first process (pytest itself, or pytest-xdist's controller) and shared by its
# workers, which inherit the variable. That process also starts compiling what every
# build needs (the rules' automata, the gazetteers) while the workers collect the tests;
# a worker that needs one of them first waits for it (timeline.cache.building) instead
# of compiling it again.
if not os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["TIMELINE_CACHE_DIR"] = tempfile.mkdtemp(prefix="timeline-test-cache-")
    subprocess.Popen(
        [sys.executable, "-c", "from timeline.pipeline.lines import warm_rules; "
         "from timeline.events.vocabulary import load_vocabulary; "
         "warm_rules(); load_vocabulary()"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

settings.register_profile(
    "ci", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=150, deadline=None)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or "dev")

#: Modules of long tests (builds, worker processes, a browser), run first: under
#: pytest-xdist the short tests then even out the end of the run, where a long test
#: started last would keep one core busy and the other idle.
LONG_FIRST = ("test_streaming_build", "test_processes", "test_hostile_inputs", "test_hostile",
              "test_charts_browser", "test_page_reading", "test_chronology_merge",
              "test_charts", "test_output_folder", "test_chronology_scale",
              "test_scanning_paths", "test_cli_reader", "test_cli_errors", "test_furniture")


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONG_FIRST)}

    def module_rank(item) -> int:
        module = getattr(item, "module", None)
        return rank.get(module.__name__.rpartition(".")[2] if module else "", len(rank))

    items.sort(key=module_rank)  # stable: each module's tests stay together, in order
