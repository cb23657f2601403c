"""Structure of the book: toc, notebooks executed in order, jupytext pairs in sync, config."""

import json

import jupytext
import pytest
import yaml

from mmkit.book.paths import repo_root

ROOT = repo_root()
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))


def toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for entry in toc.get("chapters", []):
        files.append(entry["file"])
    return files


def test_every_chapter_is_in_the_toc_and_exists():
    files = toc_files()
    for nb in NOTEBOOKS:
        assert f"chapters/{nb.stem}" in files, f"{nb.name} is not in _toc.yml"
    for f in files:
        assert any((ROOT / f).with_suffix(s).exists() for s in (".md", ".ipynb")), f


def test_jupyter_book_1x_and_strict_build():
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert cfg["execute"]["execute_notebooks"] == "off"
    assert cfg["bibtex_bibfiles"] == ["references.bib"]
    assert "-W" in (ROOT / "Makefile").read_text()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executed_in_order_without_errors(path):
    nb = json.loads(path.read_text())
    counts = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or not "".join(cell["source"]).strip():
            continue
        counts.append(cell["execution_count"])
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"stored error in {path.name}"
            if out["output_type"] == "stream":
                assert out["name"] == "stdout", f"{path.name}: stderr output (warnings/progress bars)"
    assert None not in counts, f"{path.name} has unexecuted cells"
    assert counts == list(range(1, len(counts) + 1)), f"{path.name} executed out of order"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_jupytext_pair_in_sync(path):
    """The percent-format source and the executed notebook hold the same cells."""
    py = path.with_suffix(".py")
    assert py.exists(), f"{py.name} (the paired source) is missing"
    a = jupytext.read(py)
    b = jupytext.read(path)
    src = lambda nb: [(c.cell_type, c.source.strip()) for c in nb.cells]
    assert src(a) == src(b), f"{path.name} is out of sync with {py.name}: run make execute NB={py}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_figure_cells_have_captions_and_print_numbers(path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        has_image = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        if has_image:
            cap = cell["metadata"].get("mystnb", {}).get("figure", {}).get("caption", "")
            assert cap, f"{path.name}: a figure cell without a caption"
            prints = any(o["output_type"] == "stream" for o in cell["outputs"])
            assert prints, (
                f"{path.name}: figure '{cap[:40]}' does not print its numbers (nbval ignores images)"
            )
