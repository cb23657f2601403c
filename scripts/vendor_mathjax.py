"""Copy MathJax 3 (from the django-static-mathjax wheel) into _static/mathjax.

The book must render its equations offline (the default MathJax comes from a CDN). The Makefile
runs this before `jupyter-book build`; `_config.yml` points `mathjax_path` at the copy.
"""

import shutil
from pathlib import Path

import mathjax  # the django-static-mathjax distribution: static files only

src = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
dst = Path(__file__).resolve().parents[1] / "_static" / "mathjax"
if not (dst / "tex-chtml.js").exists():
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src / "tex-chtml.js", dst / "tex-chtml.js")
    shutil.copytree(
        src / "output" / "chtml" / "fonts" / "woff-v2",
        dst / "output" / "chtml" / "fonts" / "woff-v2",
        dirs_exist_ok=True,
    )
print(f"MathJax at {dst.relative_to(dst.parents[1])}")
