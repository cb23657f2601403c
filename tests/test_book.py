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

    def walk(entries):
        for entry in entries:
            files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        walk(part["chapters"])
    return files


def test_chapters_are_numbered_per_chapter():
    """Figures and equations read Fig. 3.2 and (3.1): numbered chapters, section depth 1."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    chapters_part = next(
        p for p in toc["parts"] if any(c["file"].startswith("chapters/") for c in p["chapters"])
    )
    assert chapters_part.get("numbered") is True
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]
    assert cfg["numfig"] and cfg["math_numfig"] and cfg["numfig_secnum_depth"] == 1


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


CHAPTER_SOURCES = sorted((ROOT / "chapters").glob("*.py"))


@pytest.mark.parametrize("path", CHAPTER_SOURCES, ids=lambda p: p.name)
def test_chapter_reads_like_a_lecture(path):
    """QuantEcon-style targets: prose per code line, short cells, no definitions, no long lines."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("chapter_stats", ROOT / "scripts" / "chapter_stats.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    s = mod.stats(path)
    assert s["definitions"] == 0, f"{path.name}: function/class definitions belong in mmkit"
    assert s["words_per_code_line"] >= mod.MIN_WORDS_PER_CODE_LINE, s
    assert s["median_cell_lines"] <= mod.MAX_MEDIAN_CELL_LINES, s
    assert s["longest_code_line"] <= 88, (
        f"{path.name}: code lines scroll sideways ({s['longest_code_line']} chars)"
    )


@pytest.mark.parametrize("path", CHAPTER_SOURCES, ids=lambda p: p.name)
def test_chapter_is_self_contained(path):
    """No reference to documents outside the book (the recovered specs are not part of it)."""
    import re

    text = path.read_text()
    hits = [m.group(0) for m in re.finditer(r"(?i)\b(recovered )?spec(ification)?s?\b(?! ?[=(])", text)]
    assert not hits, f"{path.name} refers to a spec outside the book: {hits[:5]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_figures_are_legible_and_described(path):
    """Stored figures fit the content column (text >= 10 px) and carry alt text and a source."""
    import base64
    import struct

    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if not png:
                continue
            raw = base64.b64decode(png if isinstance(png, str) else "".join(png))
            width, height = struct.unpack(">II", raw[16:24])
            assert width <= 800, f"{path.name}: a figure {width} px wide is shrunk below legibility"
            meta = cell["metadata"].get("mystnb", {})
            alt = meta.get("image", {}).get("alt", "")
            cap = meta.get("figure", {}).get("caption", "")
            assert len(alt.split()) >= 5, f"{path.name}: figure '{cap[:40]}' needs alt text describing it"
            low = cap.lower()
            names_source = "{cite" in cap and any(w in low for w in ("fig", "table", "slide"))
            ours = any(
                w in low for w in ("not in the source", "beyond", "not in the paper", "not in the post")
            )
            assert names_source or ours, (
                f"{path.name}: caption must name the source figure it rebuilds (or say it is not in the source): {cap[:60]}"
            )
