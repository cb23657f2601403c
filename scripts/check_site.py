"""Open the built book in headless Chromium: every page loads, figures render, report present.

Usage: ``python scripts/check_site.py _build/html [--out _build/site-check]``

For each page it (1) dumps the DOM after JavaScript ran and checks the expected content (the
chapter title, its figure images with their captions, the report's source table), and (2) saves a
full-window screenshot (PNG) to look at. Exits non-zero if Chromium is missing or a check fails.
Chromium: Debian package ``chromium`` (``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1280,2200",
    "--virtual-time-budget=5000",
]

# page -> strings that must appear in the rendered DOM
CHECKS = {
    "intro.html": ["executable companion", "reproduction report"],
    "chapters/lmsr.html": ["Hanson", "worked example", "Rebuilds", "reproduced", "<img", "mjx-container"],
    "api.html": ["LMSR", "Ledger"],
    "reproduction/report.html": [
        "Reproduction report",
        "pennock2006",
        "das2008",
        "kinathil2016",
        "martinez_futures",
        "marl2025",
        "not yet",
    ],
    "bibliography.html": ["Glosten", "Hanson", "Schulman"],
    "performance.html": ["Performance", "QuantEcon", "ratio of minima", "<img"],
}


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("chromium not found: apt-get install chromium")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the report readable
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    handler = functools.partial(QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, httpd.server_address[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("html", type=Path)
    ap.add_argument("--out", type=Path, default=Path("_build/site-check"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    browser = chromium()
    httpd, port = serve(args.html)
    failures = 0
    pages = dict(CHECKS)
    for extra in sorted((args.html / "chapters").glob("*.html")):
        pages.setdefault(f"chapters/{extra.name}", ["Rebuilds", "<img"])
    with tempfile.TemporaryDirectory() as profile:
        for page, needles in pages.items():
            url = f"http://127.0.0.1:{port}/{page}"
            base = [browser, *FLAGS, f"--user-data-dir={profile}"]
            dom = subprocess.run(
                [*base, "--dump-dom", url], capture_output=True, text=True, timeout=120
            ).stdout
            shot = args.out / (page.replace("/", "_").replace(".html", ".png"))
            subprocess.run([*base, f"--screenshot={shot}", url], capture_output=True, timeout=120)
            missing = [n for n in needles if n.lower() not in dom.lower()]
            imgs = len(re.findall(r"<img", dom))
            ok = not missing and shot.exists() and len(dom) > 1000
            failures += not ok
            print(
                f"{'ok  ' if ok else 'FAIL'} {page}: {len(dom)} bytes of DOM, {imgs} images, "
                f"screenshot {shot if shot.exists() else 'missing'}"
                + (f", missing {missing}" if missing else "")
            )
    httpd.shutdown()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
