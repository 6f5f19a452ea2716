"""The examples in docstrings are run, so they stay true."""

import doctest
import importlib

import pytest

MODULES = [
    "timeline", "timeline.types", "timeline.temporal", "timeline.temporal.calendar",
    "timeline.temporal.extract",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
