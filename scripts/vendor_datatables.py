"""Copy DataTables (sortable, filterable tables) into _static/datatables, verified by SHA-256.

The report's long claim tables are made sortable and filterable by the maintained Sphinx extension
sphinx-datatables, which by default loads DataTables from a CDN. The book must work offline, so the
Makefile runs this before ``jupyter-book build``: it fetches the pinned npm tarballs once (from the
npm registry), checks their SHA-256, and extracts the script and style sheet; ``_config.yml`` points
``datatables_js`` / ``datatables_css`` at the copies. Nothing is fetched when the copies exist.
"""

import hashlib
import io
import tarfile
import urllib.request
from pathlib import Path

VERSION = "2.3.5"
PACKAGES = {  # npm package: (sha256 of the tarball, member to extract, file name in _static)
    "datatables.net": (
        "871a9b485c67b9243f56482a537bcc02cc4a13f2b6bf586e37165ee9d791cdc7",
        "package/js/dataTables.min.js",
        "dataTables.min.js",
    ),
    "datatables.net-dt": (
        "33b9bcdc7ee05a68194f553f058d9e3ce708a4b80cc551c1a642512d59ab98e1",
        "package/css/dataTables.dataTables.min.css",
        "dataTables.dataTables.min.css",
    ),
}
DST = Path(__file__).resolve().parents[1] / "_static" / "datatables"


def main() -> None:
    DST.mkdir(parents=True, exist_ok=True)
    for pkg, (sha, member, name) in PACKAGES.items():
        out = DST / name
        if out.exists():
            continue
        url = f"https://registry.npmjs.org/{pkg}/-/{pkg}-{VERSION}.tgz"
        data = urllib.request.urlopen(url, timeout=60).read()
        got = hashlib.sha256(data).hexdigest()
        if got != sha:
            raise SystemExit(f"{url}: SHA-256 {got} does not match the pinned {sha}")
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            f = tar.extractfile(member)
            if f is None:
                raise SystemExit(f"{url}: {member} missing")
            out.write_bytes(f.read())
    print(f"DataTables {VERSION} at {DST.relative_to(DST.parents[1])}")


if __name__ == "__main__":
    main()
