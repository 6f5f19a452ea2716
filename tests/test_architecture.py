"""The layout is the architecture: who may import whom, read from the source.

Layers, from the bottom (a module imports only its own layer and those below):

0. the kernel at the package top (``types``, ``frames``, ``limits``, ``errors`` ...);
1. the language data and its grammar (``lang``, ``gazetteers``);
2. the stages, in pipeline order: ``corpus``, ``temporal``, ``events``,
   ``chronology``, ``charts``, ``evaluation``;
3. the build (``pipeline``), which composes the stages;
4. the command line (``cli``).

Also: no import circle (imports inside functions included), no private name
imported from another module, an import inside a function only with a comment
saying why it is there, and no module of more than ~600 lines.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "timeline"

#: Top-level name under timeline -> layer (stages get one layer each, in order).
LAYERS = {
    "types": 0, "frames": 0, "limits": 0, "jsonio": 0, "disjoint": 0, "cache": 0,
    "errors": 0, "schemas": 0, "characters": 0,
    "lang": 1, "gazetteers": 1,
    "corpus": 2, "temporal": 3, "events": 4, "chronology": 5, "charts": 6, "evaluation": 7,
    "testing": 8, "pipeline": 9, "cli": 10,
}
#: Lines a module may have (data files are not modules).
MAX_LINES = 650


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@functools.cache
def _imports(name: str) -> list[tuple[str, ast.stmt, bool]]:
    """(imported module, statement, inside a function) for each import of ``timeline``."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                found.extend((alias.name, child, nested) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in child.names:
                    sub = f"{base}.{alias.name}"
                    found.append((sub if sub in MODULES else base, child, nested))
            visit(child, inner)

    visit(tree, False)
    return [(target, stmt, nested) for target, stmt, nested in found
            if target == "timeline" or target.startswith("timeline.")]


def _layer(name: str) -> int | None:
    parts = name.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


@functools.cache
def _type_checking_only(name: str) -> frozenset[int]:
    """Line numbers of imports under ``if TYPE_CHECKING:`` (no import at run time)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    lines.add(inner.lineno)
    return frozenset(lines)


def test_every_part_of_the_package_has_a_layer():
    unplaced = sorted({name.split(".")[1] for name in MODULES if "." in name} - set(LAYERS))
    assert not unplaced, f"give these a layer in LAYERS (and the README's map): {unplaced}"


def test_imports_only_go_down():
    upward = []
    for name in MODULES:
        own = _layer(name)
        if own is None:  # the package's own __init__: the public names, imported lazily
            continue
        for target, stmt, _ in _imports(name):
            theirs = _layer(target)
            if theirs is not None and theirs > own:
                upward.append(f"{name}:{stmt.lineno} imports {target}")
    assert not upward, "imports that climb a layer:\n" + "\n".join(upward)


def test_no_import_circle():
    graph = {name: {t for t, stmt, _ in _imports(name) if t in MODULES and t != name
                    and stmt.lineno not in _type_checking_only(name)}
             for name in MODULES}
    # Tarjan's strongly connected components, iteratively
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    circles = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))
    assert not circles, f"import circles: {circles}"


def test_no_private_name_is_imported_from_another_module():
    private = []
    for name in MODULES:
        for _, stmt, _ in _imports(name):
            if isinstance(stmt, ast.ImportFrom):
                for alias in stmt.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        private.append(f"{name}:{stmt.lineno} imports {alias.name}")
    assert not private, "\n".join(sorted(set(private)))


def test_an_import_inside_a_function_says_why():
    silent = []
    for name, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    above = lines[max(0, inner.lineno - 4): inner.lineno]
                    if not any(line.strip().startswith("#") or "  # " in line
                               for line in above):
                        silent.append(f"{name}:{inner.lineno}: {lines[inner.lineno - 1].strip()}")
    assert not silent, ("imports inside functions without a comment saying why (a lazy "
                        "import that measurably speeds the command line):\n" + "\n".join(silent))


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_module_does_one_job(name):
    n_lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert n_lines <= MAX_LINES, f"{name}: {n_lines} lines; split it by job"


def _timeline_imports(path: Path) -> list[tuple[int, str, str]]:
    """(line, module, name) of every ``from timeline... import name`` in a file, also
    inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "timeline":
            found += [(node.lineno, node.module or "", alias.name) for alias in node.names]
    return found


@pytest.mark.parametrize("path", sorted((PACKAGE.parent / "bench").glob("*.py"))
                         + sorted((PACKAGE.parent / "scripts").glob("*.py")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_tools_outside_the_package_import_what_the_package_has(path):
    """Benchmarks and scripts import the package lazily too: a name the package moved
    must not wait for the benchmark's run to fail."""
    import importlib  # here: only this test needs it

    missing = []
    for line, module, name in _timeline_imports(path):
        imported = importlib.import_module(module)
        if not hasattr(imported, name):
            try:
                importlib.import_module(f"{module}.{name}")
            except ModuleNotFoundError:
                missing.append(f"line {line}: from {module} import {name}")
    assert not missing, missing
