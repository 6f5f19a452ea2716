"""The page's own script and style (timeline/charts/assets/) pass their linters.

ESLint checks the script (syntax, names used but never declared, unreachable
code, ...; ``eslint.config.mjs``) and stylelint the style (unknown properties and
values, syntax; ``stylelint.config.mjs``). Both come from npm at the versions
pinned in ``package-lock.json``; ``make test`` installs them (``make node-tools``,
which runs ``npm ci``). Each linter is also shown a broken copy of its file, so a
configuration that lints nothing would fail here too.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "node_modules" / ".bin"
SCRIPT = Path("timeline/charts/assets/page.js")
STYLE = Path("timeline/charts/assets/page.css")


def lint(tool: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    program = BIN / tool
    if not program.exists():
        pytest.fail(f"{tool} is not installed: `make node-tools` installs the page's linters "
                    "(npm ci)")
    return subprocess.run([str(program), "--max-warnings", "0", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=300, check=False)


def broken(path: Path, old: str, new: str) -> str:
    """The file's text with one change, which must be there to make."""
    text = (ROOT / path).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} once"
    return text.replace(old, new)


def test_page_script_passes_eslint() -> None:
    result = lint("eslint", str(SCRIPT))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("old", "new", "error"), [
    ("const DAY = 86400000;", "const DAY = 86400000 +;", "Parsing error"),
    ("const PAGE_SIZE = 50;", "const PAGE_ROWS = 50;", "'PAGE_SIZE' is not defined"),
])
def test_eslint_finds_a_broken_page_script(old: str, new: str, error: str) -> None:
    result = lint("eslint", "--stdin", "--stdin-filename", str(SCRIPT),
                  stdin=broken(SCRIPT, old, new))
    assert result.returncode == 1, result.stdout + result.stderr
    assert error in result.stdout


def test_page_style_passes_stylelint() -> None:
    result = lint("stylelint", str(STYLE))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("old", "new", "error"), [
    ("* { box-sizing: border-box; }", "* { box-sizng: border-box; }", "property-no-unknown"),
    ("* { box-sizing: border-box; }", "* { box-sizing: border-box;", "CssSyntaxError"),
])
def test_stylelint_finds_a_broken_page_style(old: str, new: str, error: str) -> None:
    result = lint("stylelint", "--stdin-filename", str(STYLE), stdin=broken(STYLE, old, new))
    assert result.returncode == 2, result.stdout + result.stderr
    assert error in result.stdout + result.stderr
