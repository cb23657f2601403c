"""The package's layers: chapters -> book -> experiments -> model families -> common.

Every ``import`` in ``mmkit`` (module level or inside a function) is read from the source with
``ast``; the test fails on an import cycle between modules, on an upward import across layers,
and on a model family importing another family or the book machinery.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "mmkit"
FAMILIES = ("cost_function", "glosten_milgrom", "symbolic", "markov_market", "marl")
RANK = {"common": 0, **{f: 1 for f in FAMILIES}, "experiments": 2, "book": 3}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    me = _module_name(path)
    pkg = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("mmkit"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.rsplit(".", node.level - 1)[0] if node.level > 1 else pkg
                mod = f"{base}.{node.module}" if node.module else base
            else:
                mod = node.module or ""
            if mod.startswith("mmkit"):
                out.add(mod)
                out.update(f"{mod}.{a.name}" for a in node.names)  # `from pkg import module`
    return out


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in PKG.rglob("*.py")}
    g = {}
    for name, path in files.items():
        g[name] = {m for m in _imports(path) if m in files and m != name}
    return g


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else None


def test_every_module_belongs_to_a_layer():
    loose = [m for m in _graph() if m.count(".") >= 1 and _layer(m) is None and m not in {"mmkit.__main__"}]
    assert not loose, f"modules outside the layers {sorted(RANK)}: {loose}"


def test_no_upward_or_sideways_imports():
    bad = []
    for mod, deps in _graph().items():
        lm = _layer(mod)
        if lm is None:
            continue
        for d in deps:
            ld = _layer(d)
            if ld is None:  # the top-level package holds only the docstring and __version__
                continue
            if RANK[ld] > RANK[lm]:
                bad.append((mod, d))
            elif RANK[ld] == RANK[lm] == 1 and ld != lm:
                bad.append((mod, d))  # one model family importing another
    assert not bad, "imports that break the layer rule:\n" + "\n".join(f"  {a} -> {b}" for a, b in bad)


def test_no_model_module_imports_the_book():
    offenders = [
        (m, d)
        for m, deps in _graph().items()
        if _layer(m) in set(FAMILIES) | {"common"}
        for d in deps
        if _layer(d) == "book"
    ]
    assert not offenders


def test_no_import_cycles():
    g = _graph()
    colour: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(u: str) -> None:
        colour[u] = 1
        stack.append(u)
        for v in sorted(g[u]):
            if colour.get(v, 0) == 0:
                visit(v)
            elif colour[v] == 1:
                cycles.append(stack[stack.index(v) :] + [v])
        stack.pop()
        colour[u] = 2

    for u in sorted(g):
        if colour.get(u, 0) == 0:
            visit(u)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("path", sorted(PKG.rglob("*.py")), ids=lambda p: str(p.relative_to(PKG)))
def test_detector_sees_function_level_imports(path):
    # sanity: the reader parses every module (a syntax error would hide imports)
    ast.parse(path.read_text())


def test_cli_help_needs_no_optional_extra():
    """``mmkit --help`` and ``--version`` import no optional extra (torch, gymnasium, SB3)."""
    import subprocess
    import sys

    code = (
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in {'torch','gymnasium','pettingzoo','stable_baselines3','ray'}:\n"
        "            raise ModuleNotFoundError(name, name=name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from mmkit.book.cli import main\n"
        "sys.argv=['mmkit','--help']\n"
        "main()\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "marl-train" in r.stdout and "das-sim" in r.stdout


def test_one_version_source():
    """``mmkit.__version__`` is the version; CITATION.cff and the changelog agree with it."""
    import re

    import mmkit

    root = PKG.parent
    cff = re.search(r"^version:\s*(\S+)", (root / "CITATION.cff").read_text(), re.M)
    assert cff and cff.group(1).strip("\"'") == mmkit.__version__
    assert f"## {mmkit.__version__}" in (root / "CHANGELOG.md").read_text()
    assert 'dynamic = ["version"]' in (root / "pyproject.toml").read_text()
