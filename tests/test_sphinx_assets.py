"""The book's Sphinx helpers: scripts once per page, repository buttons from one setting."""

from types import SimpleNamespace

from mmkit.book.sphinx_assets import buttons_follow_the_repository, dedupe_scripts


class JS(SimpleNamespace):
    pass


def test_each_script_is_loaded_once_per_page():
    files = [
        JS(filename="_static/mathjax/tex-chtml.js", attributes={"defer": "defer"}),
        JS(filename="_static/datatables/dataTables.min.js", attributes={}),
        JS(filename="", attributes={"body": "var x = 1;"}),
        JS(filename="_static/mathjax/tex-chtml.js?v=2", attributes={}),
        JS(filename="", attributes={"body": "var x = 1;"}),
        JS(filename="_static/datatables/dataTables.min.js", attributes={}),
    ]
    ctx = {"script_files": files}
    dedupe_scripts(None, "p", "t", ctx, None)
    names = [j.filename for j in ctx["script_files"]]
    assert names == ["_static/mathjax/tex-chtml.js", "_static/datatables/dataTables.min.js", ""]
    assert ctx["script_files"][0].attributes == {"defer": "defer"}  # the first (deferred) one is kept


def test_buttons_appear_only_with_a_repository_url():
    off = SimpleNamespace(
        html_theme_options={"repository_url": "", "launch_buttons": {"binderhub_url": "https://mybinder.org"}}
    )
    buttons_follow_the_repository(None, off)
    assert off.html_theme_options["launch_buttons"] == {}
    assert not off.html_theme_options.get("use_repository_button")
    on = SimpleNamespace(
        html_theme_options={
            "repository_url": "https://github.com/o/r",
            "launch_buttons": {"binderhub_url": "https://mybinder.org"},
        }
    )
    buttons_follow_the_repository(None, on)
    assert on.html_theme_options["use_repository_button"] and on.html_theme_options["use_edit_page_button"]
    assert on.html_theme_options["launch_buttons"] == {"binderhub_url": "https://mybinder.org"}
