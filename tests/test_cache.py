"""The on-disk cache of derived artefacts, and the compiled automata kept in it."""

from __future__ import annotations

import pytest

from timeline import cache
from timeline.lang import load_language
from timeline.temporal import prefilter

needs_hyperscan = pytest.mark.skipif(prefilter.hyperscan is None,
                                     reason="Hyperscan is not installed on this platform")


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_a_payload_comes_back_under_its_key_only(cache_dir):
    assert cache.put("thing", "key-1", b"\x00payload")
    assert cache.get("thing", "key-1") == b"\x00payload"
    assert cache.get("thing", "key-2") is None
    assert cache.get("other", "key-1") is None


def test_a_damaged_entry_reads_as_missing_and_is_removed(cache_dir):
    cache.put("thing", "k", b"payload" * 100)
    (entry,) = cache_dir.glob("thing-*.bin")
    entry.write_bytes(entry.read_bytes()[:-10])  # truncated, as by a crash mid-write
    assert cache.get("thing", "k") is None
    assert not entry.exists()
    cache.put("thing", "k", b"payload")
    (entry,) = cache_dir.glob("thing-*.bin")
    data = bytearray(entry.read_bytes())
    data[-1] ^= 0xFF  # one flipped byte
    entry.write_bytes(bytes(data))
    assert cache.get("thing", "k") is None


def test_an_unwritable_cache_costs_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(blocker / "cache"))
    assert cache.put("thing", "k", b"x") is False
    assert cache.get("thing", "k") is None


def test_content_keys_change_with_any_input():
    assert cache.content_key("a", "bc") != cache.content_key("ab", "c")
    assert cache.content_key("a", b"b") == cache.content_key("a", "b")


@needs_hyperscan
def test_the_compiled_automaton_is_reused_from_the_cache_and_rebuilt_when_damaged(
        cache_dir, monkeypatch):
    language = load_language("id")
    text = "Pada Senin (11/11/2013) pukul 14.30 WIB, dua hari setelah serangan itu."
    monkeypatch.setattr(prefilter, "_COMPILED", {})
    built = prefilter.for_language(language)
    assert built is not None and list(cache_dir.glob("hyperscan-*.bin"))
    expected = built.hits(text)

    # A new process: nothing compiled yet, the cached copy is loaded without compiling.
    monkeypatch.setattr(prefilter, "_COMPILED", {})
    monkeypatch.setattr(prefilter, "_CACHE_MISSES", set())

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled although a cached copy exists")

    monkeypatch.setattr(prefilter, "_fitting", no_compiling)
    loaded = prefilter.when_worth_it(language, len(text))
    assert loaded is not None and loaded is not built
    assert loaded.hits(text) == expected
    monkeypatch.undo()

    # A damaged copy is rebuilt, and the rebuilt one finds the same.
    (entry,) = cache_dir.glob("hyperscan-*.bin")
    entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(cache_dir))
    monkeypatch.setattr(prefilter, "_COMPILED", {})
    rebuilt = prefilter.for_language(language)
    assert rebuilt is not None and rebuilt.hits(text) == expected
