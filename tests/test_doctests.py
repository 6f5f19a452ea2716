"""The examples in docstrings are run, for every module of the package, so they stay true."""

import doctest
import importlib
import pkgutil

import pytest

import timeline

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(timeline.__path__, prefix="timeline.")
    if not info.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"


def test_every_stage_has_examples():
    """The modules a reader starts from show how they are used."""
    for name in ("timeline", "timeline.types", "timeline.temporal", "timeline.temporal.calendar",
                 "timeline.temporal.extract", "timeline.lang", "timeline.events.mentions",
                 "timeline.chronology", "timeline.frames", "timeline.cache"):
        finder = doctest.DocTestFinder()
        tests = finder.find(importlib.import_module(name))
        assert any(t.examples for t in tests), f"{name} has no examples"
