"""The "How to cite" page, generated from ``CITATION.cff`` so the two can never disagree.

``python -m mmkit report`` writes it beside the reproduction report; ``report --check`` fails when
it is stale. Each chapter gets its own BibTeX entry (an ``@incollection`` in the book), and the
page reminds readers to cite the original source as well.
"""

from __future__ import annotations

import json
from pathlib import Path

from mmkit.book.paths import repo_root

__all__ = ["render_cite", "CITE_PATH", "citation"]

CITE_PATH = Path("cite.md")


def citation(root: Path | None = None) -> dict:
    """The fields of ``CITATION.cff`` the page uses (title, version, year, authors, url)."""
    import yaml

    root = repo_root() if root is None else Path(root)
    cff = yaml.safe_load((root / "CITATION.cff").read_text())
    authors = " and ".join(
        a.get("name") or f"{a.get('family-names', '')}, {a.get('given-names', '')}" for a in cff["authors"]
    )
    return {
        "title": cff["title"],
        "version": str(cff["version"]),
        "year": str(cff["date-released"])[:4],
        "authors": authors,
        "url": cff.get("repository-code") or cff.get("url") or "",
        "license": cff.get("license", ""),
    }


def chapter_title(root: Path, chapter: str) -> str:
    """The first heading of a chapter's jupytext source (``# # Title``)."""
    src = (root / chapter).with_suffix(".py")
    for line in src.read_text().splitlines():
        if line.startswith("# # "):
            return line[4:].strip()
    return Path(chapter).stem


def _bib(kind: str, key: str, fields: dict[str, str]) -> str:
    body = ",\n".join(f"  {k:<9} = {{{v}}}" for k, v in fields.items() if v)
    return f"@{kind}{{{key},\n{body}\n}}"


def render_cite(root: Path | None = None) -> str:
    """The page as MyST Markdown."""
    root = repo_root() if root is None else Path(root)
    c = citation(root)
    book = {
        "author": c["authors"],
        "title": c["title"],
        "year": c["year"],
        "version": c["version"],
        "note": "Jupyter Book and Python package mmkit (distribution mmkit-book)",
        "url": c["url"],
    }
    lines = [
        "# How to cite",
        "",
        "If you use this book, a chapter, or the `mmkit` package, cite the book (the entry below is",
        "generated from the repository's `CITATION.cff`, which GitHub and Zenodo read too) **and** the",
        "original source that the chapter reproduces: a reproduction is evidence about a paper, not a",
        "replacement for it.",
        "",
        "## The book",
        "",
        "```bibtex",
        _bib("software", "mmkit", book),
        "```",
        "",
        "## One chapter",
        "",
        "| chapter | source it reproduces |",
        "|---|---|",
    ]
    regs = sorted(
        (json.loads(p.read_text()) for p in (root / "reproduction" / "targets").glob("*.json")),
        key=lambda r: r.get("order", 99),
    )
    entries = []
    for r in regs:
        name = Path(r["chapter"]).stem
        title = chapter_title(root, r["chapter"])
        lines.append(f"| {r.get('order', '')}. {title} | {{cite:t}}`{r['bibkey']}` |")
        entries.append(
            _bib(
                "incollection",
                f"mmkit_{name}",
                {
                    "author": c["authors"],
                    "title": title,
                    "booktitle": c["title"],
                    "year": c["year"],
                    "edition": f"version {c['version']}",
                    "chapter": str(r.get("order", "")),
                    "url": c["url"],
                },
            )
        )
    lines += [
        "",
        "```bibtex",
        "\n\n".join(entries),
        "```",
        "",
        f"Version {c['version']}; license {c['license']}.",
        "",
    ]
    return "\n".join(lines)
