"""Open the built book in headless Chromium, as a reader would, at a desktop and a phone width.

Usage: ``python scripts/check_site.py _build/html [--out _build/site-check]``

For every page of the book, at 1366 px and at 390 px wide, it checks that the page loads with its
expected content (titles, figures with captions, rendered equations, the report's tables), that no
output table of a chapter scrolls sideways (the issue a wide printed table causes), that the page
itself does not scroll sideways, that MathJax is loaded once, and it saves a screenshot. Exits
non-zero if Chromium is missing or any check fails.

Chromium: Debian package ``chromium`` (``.ci/run`` installs it); driven through Playwright's Python
API with the system browser (``executable_path``), so no browser is downloaded.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# page -> strings that must appear in the rendered page
CHECKS = {
    "intro.html": ["executable companion", "reproduction report"],
    "chapters/lmsr.html": ["Hanson", "Fig. 1.1", "mjx-container"],
    "api.html": ["LMSR", "Ledger"],
    "cite.html": ["@software", "@incollection"],
    "reproduction/report.html": ["Reproduction report", "independent", "calibrated", "extension"],
    "bibliography.html": ["Glosten", "Hanson", "Schulman"],
    "performance.html": ["Performance", "QuantEcon", "ratio of minima", "<img"],
}

# JavaScript run in the page: horizontally scrolling output tables, page overflow, MathJax loads.
PROBE = """() => {
  const scrolling = [];
  for (const t of document.querySelectorAll('.cell_output table, .output table, table.mmkit-ledger')) {
    let el = t;
    for (let k = 0; k < 4 && el; k++, el = el.parentElement) {
      const st = getComputedStyle(el);
      if ((st.overflowX === 'auto' || st.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 2) {
        scrolling.push((t.innerText || '').slice(0, 60).replace(/\\s+/g, ' '));
        break;
      }
    }
  }
  const wide = [];
  for (const pre of document.querySelectorAll('.cell_output pre')) {
    if (pre.scrollWidth > pre.clientWidth + 2) wide.push((pre.innerText || '').slice(0, 60).replace(/\\s+/g, ' '));
  }
  const mathjax = [...document.querySelectorAll('script[src]')].filter(s => /mathjax/i.test(s.src)).length;
  return {scrolling, wide, mathjax,
          pageOverflow: document.documentElement.scrollWidth > window.innerWidth + 2,
          text: document.body.innerText.length, html: document.documentElement.outerHTML};
}"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the report readable
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    handler = functools.partial(QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, httpd.server_address[1]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("chromium not found: apt-get install chromium")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("html", type=Path, help="the built site (_build/html)")
    ap.add_argument("--out", type=Path, default=Path("_build/site-check"), help="screenshot folder")
    args = ap.parse_args()
    if not (args.html / "index.html").exists():
        ap.error(f"{args.html} holds no built site (run make book)")
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    pages = dict(CHECKS)
    for extra in sorted((args.html / "chapters").glob("*.html")):
        pages.setdefault(f"chapters/{extra.name}", ["Rebuilds", "<img"])
    for extra in sorted((args.html / "reproduction").glob("*.html")):
        pages.setdefault(f"reproduction/{extra.name}", ["All claims", "verdict"])
    httpd, port = serve(args.html)
    failures = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=FLAGS)
        for label, (w, h) in WIDTHS.items():
            ctx = browser.new_context(viewport={"width": w, "height": h})
            page = ctx.new_page()
            for name, needles in pages.items():
                for _ in range(3):  # a first load can race the local server: retry an empty page
                    page.goto(f"http://127.0.0.1:{port}/{name}", wait_until="networkidle")
                    page.wait_for_timeout(500)
                    r = page.evaluate(PROBE)
                    if r["text"] and all(n.lower() in r["html"].lower() for n in needles):
                        break
                missing = [n for n in needles if n.lower() not in r["html"].lower()]
                shot = args.out / f"{label}_{name.replace('/', '_').replace('.html', '.png')}"
                page.screenshot(path=str(shot), full_page=False)
                problems = []
                if missing:
                    problems.append(f"missing {missing}")
                if name.startswith("chapters/") and r["scrolling"]:
                    problems.append(
                        f"{len(r['scrolling'])} output table(s) scroll sideways: {r['scrolling'][:3]}"
                    )
                chapter = name.startswith("chapters/")
                if chapter and label == "desktop" and r["wide"]:
                    problems.append(f"{len(r['wide'])} printed output(s) scroll sideways: {r['wide'][:3]}")
                if r["pageOverflow"] and (chapter or label == "desktop"):
                    problems.append("the page scrolls sideways")
                if r["mathjax"] > 1:
                    problems.append(f"MathJax loaded {r['mathjax']} times")
                failures += bool(problems)
                print(
                    f"{'ok  ' if not problems else 'FAIL'} {label:7s} {name}: {r['text']} chars"
                    + ("; " + "; ".join(problems) if problems else "")
                )
            ctx.close()
        browser.close()
    httpd.shutdown()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
