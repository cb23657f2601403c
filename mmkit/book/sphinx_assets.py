"""A tiny Sphinx extension: every script loaded once per page; repository buttons only with a URL.

Several extensions of the Jupyter Book stack add their scripts again on every page (MathJax,
DataTables, the toggle-button and Thebe snippets appear twice in the HTML). Loading MathJax twice
typesets twice and slows the page. This extension runs last on ``html-page-context`` and keeps the
first occurrence of each script (by file name, or by body for inline scripts).

The repository's address is one setting, ``repository.url`` in ``_config.yml``. While it is empty
(the book is not public yet) no page shows a repository, issues, edit or launch button; once it is
set, this extension switches them all on.
"""

from __future__ import annotations

from typing import Any

__all__ = ["setup", "dedupe_scripts", "buttons_follow_the_repository"]


def _key(js: Any) -> str:
    name = str(getattr(js, "filename", js) or "")
    if name:
        return "file:" + name.split("?")[0]
    return "body:" + str(getattr(js, "attributes", {}).get("body", ""))


def dedupe_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Drop repeated entries of ``context['script_files']`` (keeping the first)."""
    files = context.get("script_files")
    if not files:
        return
    seen: set[str] = set()
    out = []
    for js in files:
        k = _key(js)
        if k in seen:
            continue
        seen.add(k)
        out.append(js)
    files[:] = out


def buttons_follow_the_repository(app: Any, config: Any) -> None:
    """Switch the repository, issues, edit and launch buttons on once ``repository.url`` is set.

    Jupyter Book refuses these buttons without a URL, so ``_config.yml`` keeps them off; this
    handler turns them on from the one setting, and leaves the launch buttons off without it.
    """
    opts = getattr(config, "html_theme_options", None)
    if not isinstance(opts, dict):
        return
    if opts.get("repository_url"):
        for key in ("use_repository_button", "use_issues_button", "use_edit_page_button"):
            opts[key] = True
    else:
        opts["launch_buttons"] = {}


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", buttons_follow_the_repository, priority=900)
    app.connect("html-page-context", dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
