"""DESIGN.md §2: the direction of imports, enforced by reading every module's source.

`ui -> pos_app, sync, hardware`; `sync -> pos_app`; `hardware -> pos_app`; `pos_app` imports
none of the others (and no Qt, HTTP or printer library); `hq` never imports `ui` or hardware.
Every import counts, at any depth: inside functions, `if TYPE_CHECKING:` blocks, try/except,
relative imports, and `importlib.import_module("...")` / `__import__("...")` with a literal
name. A violation fails with the file, line and the import that broke the rule.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("pos_app", "sync", "hardware", "ui", "hq")

FORBIDDEN: dict[str, frozenset[str]] = {
    "pos_app": frozenset({"ui", "sync", "hardware", "hq", "PySide6", "shiboken6", "requests",
                          "escpos"}),
    "sync": frozenset({"ui", "hardware", "PySide6", "shiboken6"}),
    "hardware": frozenset({"ui", "sync"}),
    "hq": frozenset({"ui", "hardware", "PySide6", "shiboken6"}),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve_relative(module: str | None, level: int, importer: str, is_package: bool) -> str:
    """The absolute name of `from <.. level><module> import ...` inside `importer`."""
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    if level - 1 > len(package):
        return "<beyond top level>"
    base = package[: len(package) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def imported_modules(source: str, importer: str, is_package: bool = False
                     ) -> list[tuple[int, str]]:
    """Every (line, absolute module name) that `source` imports, anywhere in the module."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _resolve_relative(node.module, node.level, importer, is_package)
            else:
                base = node.module or ""
            found.append((node.lineno, base))
            # `from . import ui` imports the submodule `<base>.ui`
            found.extend((node.lineno, f"{base}.{alias.name}".lstrip(".")) for alias in node.names
                         if node.level and alias.name != "*")
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            arg = node.args[0]
            if name in ("import_module", "__import__") and isinstance(arg, ast.Constant) \
                    and isinstance(arg.value, str):
                found.append((node.lineno, arg.value))
    return found


def layering_violations(source: str, importer: str, filename: str = "<src>",
                        is_package: bool = False) -> list[str]:
    """The imports in `source` (module `importer`) that break DESIGN.md §2."""
    layer = importer.split(".")[0]
    banned = FORBIDDEN.get(layer, frozenset())
    return [f"{filename}:{line}: {layer} must not import {name}"
            for line, name in imported_modules(source, importer, is_package)
            if name.split(".")[0] in banned]


def _layer_files() -> list[Path]:
    return sorted(p for layer in LAYERS if (ROOT / layer).is_dir()
                  for p in (ROOT / layer).rglob("*.py"))


def test_every_layer_imports_only_in_the_allowed_direction():
    files = _layer_files()
    problems: list[str] = []
    for path in files:
        problems += layering_violations(path.read_text(encoding="utf-8"), _module_name(path),
                                        str(path.relative_to(ROOT)), path.name == "__init__.py")
    assert problems == [], "imports against DESIGN.md §2:\n" + "\n".join(problems)


def test_the_scan_really_reads_the_core():
    names = {_module_name(p) for p in _layer_files()}
    assert {"pos_app.money", "pos_app.services.checkout", "pos_app.db.engine"} <= names
    # and it sees what they import (so an empty result above is not a parsing accident)
    checkout = (ROOT / "pos_app/services/checkout.py").read_text(encoding="utf-8")
    imports = {m for _, m in imported_modules(checkout, "pos_app.services.checkout")}
    assert {"pos_app.journal", "sqlalchemy"} <= imports


BAD_CORE_MODULE = '''
"""A core module that breaks every rule, in every way an import can hide."""
import json
import requests
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

def print_receipt(sale):
    from escpos.printer import Network
    try:
        import ui.sell_screen as screen
    except ImportError:
        pass
    return Network

class Pusher:
    def push(self):
        from ...sync import pusher
        from ... import hardware
        from .. import journal
        import importlib
        return importlib.import_module("hq.api"), __import__("sync.client")
'''


def test_the_checker_flags_a_bad_core_module():
    problems = layering_violations(BAD_CORE_MODULE, "pos_app.services.bad", "bad.py")
    flagged = {p.split(" must not import ")[1] for p in problems}
    assert flagged == {"requests", "PySide6.QtWidgets", "escpos.printer", "ui.sell_screen",
                       "sync", "sync.pusher", "hardware", "hq.api", "sync.client"}
    assert "bad.py:4: pos_app must not import requests" in problems  # file:line of the import
    # `from .. import journal` inside pos_app.services is pos_app.journal: allowed
    assert not any("journal" in p for p in problems)


@pytest.mark.parametrize("layer, source, line, banned", [
    ("sync", "def f():\n    import PySide6\n", 2, "PySide6"),
    ("sync", "from hardware.printers import escpos_printer\n", 1, "hardware.printers"),
    ("hardware", "from sync.client import HQClient\n", 1, "sync.client"),
    ("hardware", "import os\nimport ui.widgets\n", 2, "ui.widgets"),
    ("hq", "from ui import app\n", 1, "ui"),
    ("hq", "class A:\n    def f(self):\n        from hardware.drawer import D\n", 3,
     "hardware.drawer"),
])
def test_the_checker_flags_each_forbidden_direction(layer, source, line, banned):
    assert layering_violations(source, f"{layer}.module") == [
        f"<src>:{line}: {layer} must not import {banned}"]


@pytest.mark.parametrize("layer, source", [
    ("ui", "import PySide6.QtWidgets\nfrom sync.client import HQClient\nimport hardware\n"),
    ("sync", "import requests\nfrom pos_app.money import Money\n"),
    ("hardware", "from escpos.printer import Dummy\nfrom pos_app.ports import CashDrawer\n"),
    ("hq", "from sync.protocol import SaleEvent\nimport requests\n"),
    ("pos_app", "from pos_app.money import Money\nfrom . import pricing\nimport sqlalchemy\n"),
])
def test_the_checker_allows_the_permitted_directions(layer, source):
    assert layering_violations(source, f"{layer}.module") == []


def test_relative_imports_are_resolved_before_judging():
    # inside pos_app/db/engine.py, "from ..textfold import fold" is pos_app.textfold: fine
    # (an imported name may be a submodule, so it is listed too: judged by its top package)
    assert imported_modules("from ..textfold import fold\n", "pos_app.db.engine") == [
        (1, "pos_app.textfold"), (1, "pos_app.textfold.fold")]
    # inside a package __init__, "from . import x" is the package's own submodule
    assert imported_modules("from . import x\n", "sync", is_package=True) == [
        (1, "sync"), (1, "sync.x")]


# --- import circles and module size (issue 19) ------------------------------------------------
MAX_LINES = 600  # a module longer than this is two modules
LONG_MODULES: frozenset[str] = frozenset()  # exceptions, by path: none today


def _project_files() -> list[Path]:
    """Every Python file of the project: the layers, the benchmarks, the tests, dev.py."""
    return sorted(p for top in (*LAYERS, "bench", "tests") if (ROOT / top).is_dir()
                  for p in (ROOT / top).rglob("*.py")) + [ROOT / "dev.py"]


def import_graph(sources: dict[str, tuple[str, bool]]) -> dict[str, set[str]]:
    """module -> the project modules it imports (anywhere in it), from {module: (source,
    is_package)}. `from pkg import mod` counts as importing `pkg.mod` when that is a module;
    an import of `a.b.c.Name` counts as `a.b.c`."""
    graph: dict[str, set[str]] = {}
    for name, (source, is_package) in sources.items():
        deps: set[str] = set()
        tree_names = imported_modules(source, name, is_package)
        for node in ast.walk(ast.parse(source)):  # absolute `from pkg import module`
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                tree_names += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        for _line, target in tree_names:
            parts = target.split(".")
            while parts and ".".join(parts) not in sources:
                parts.pop()
            if parts and ".".join(parts) != name:
                deps.add(".".join(parts))
        graph[name] = deps
    return graph


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or round a longer circle
    (strongly connected components with more than one module; Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    circles.append(sorted(group))
    return circles


def test_no_import_circle_between_the_projects_modules():
    sources = {_module_name(p): (p.read_text(encoding="utf-8"), p.name == "__init__.py")
               for p in _project_files()}
    circles = import_circles(import_graph(sources))
    assert circles == [], "modules that import each other (move what both need into a " \
                          "module of its own):\n" + "\n".join(" <-> ".join(c) for c in circles)


def test_no_module_is_over_600_lines():
    long = {str(p.relative_to(ROOT)): n for p in _project_files()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert set(long) <= LONG_MODULES, f"split these modules (lines): {long}"
    assert LONG_MODULES <= set(long), "a listed exception is short now: remove it from the list"


def test_the_circle_finder_sees_direct_and_long_circles_and_nothing_else():
    sources = {
        "a.x": ("from a.y import thing\n", False),
        "a.y": ("def f():\n    import a.x\n", False),  # a circle hidden in a function
        "a": ("", True),
        "b.one": ("from b import two\n", False),  # b.one -> b.two -> b.three -> b.one
        "b.two": ("from b.three import T\n", False),
        "b.three": ("import b.one\n", False),
        "b": ("", True),
        "c.leaf": ("import a.x\nimport json\n", False),  # imports a circle, is not in one
        "c": ("from . import leaf\n", True),
    }
    graph = import_graph(sources)
    assert graph["b.one"] == {"b", "b.two"} and graph["c"] == {"c.leaf"}
    assert sorted(import_circles(graph)) == [["a.x", "a.y"], ["b.one", "b.three", "b.two"]]
    assert import_circles({"p": {"q"}, "q": set()}) == []
