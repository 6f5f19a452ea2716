"""`make demo` writes reports/ that hold no path of the machine it ran on."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _demo():
    """scripts/demo.py, which lives beside the package (it reads the repository's fixtures)."""
    spec = importlib.util.spec_from_file_location("demo", ROOT / "scripts" / "demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_demo_reports_name_inputs_relative_to_the_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # run from elsewhere; the cwd is restored afterwards
    monkeypatch.setattr("timeline.charts.screenshot", lambda page, path, **size: path)  # no browser
    out = tmp_path / "reports"
    _demo().main(["-o", str(out), "--corpus", str(ROOT / "fixtures" / "seeds")])
    report = json.loads((out / "ingest_report.json").read_text(encoding="utf-8"))
    inputs = [entry["input"] for entry in report["entries"]]
    assert inputs and all(i.startswith("fixtures/seeds/") for i in inputs), inputs
    for path in out.iterdir():
        if path.suffix in (".json", ".jsonl", ".csv", ".md", ".html"):
            text = path.read_text(encoding="utf-8")
            assert str(ROOT) not in text and str(tmp_path) not in text, path.name
