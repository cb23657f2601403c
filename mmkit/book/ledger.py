r"""Claims ledger: how every chapter states what it reproduces, and how strong the evidence is.

Claims are data. The registry ``reproduction/targets/<source>.json`` lists every *item* of a source
(a figure, a table, a statement) and declares every *claim*: a short stable id, the item, the
quantity in words, the source's value and where it comes from, the tolerance or criterion, the
evidence class and, for a claim that does not reproduce, the reason specific to it. A chapter
computes our value and records it by id in one short call::

    led = Ledger("das2008")
    led.record("fig3a-opt-profit-rho1", ours=v, se=s)     # numeric, with Monte Carlo s.e.
    led.record("thm21-variance-shrinks", holds=bool(ok), ours="max alpha = 0.97")
    led.show()                                             # rendered table, narrow
    led.save()

Rewording the prose of a chapter changes nothing; the paper's numbers never appear in a notebook.

Evidence classes (``evidence``)
-------------------------------
``independent``
    Our model, computed from the source's description, against a number the source printed,
    digitised from its figures, or stated. Only these count as reproductions in the headlines.
``calibrated``
    Fitted to the source's numbers; agreement is by construction (only out-of-sample columns of a
    calibrated model are evidence, and those are declared ``independent``).
``identity``
    Definitions, structural facts, API conformance, results true by construction.
``extension``
    Ours, beyond the source: a finding with no source value (kind ``qualitative``; verdict
    ``holds`` or ``fails``).

Verdicts (computed, never written by hand)
------------------------------------------
Numeric, deterministic (no standard error on either side):
``reproduced`` if every :math:`|o - p| \le \text{atol} + \text{rtol}\,|p|` (the printed precision);
``close`` if within ``CLOSE_FACTOR`` (2) times that tolerance; else ``differs``.

Numeric, stochastic (``se`` recorded and/or ``paper_se`` declared): with the combined standard
error :math:`s = \sqrt{se^2 + se_p^2}`, ``reproduced`` if :math:`|o - p| \le tol + z s`
(``z`` = 2 unless declared), ``close`` if :math:`|o - p| \le tol + 3 s` (a narrow band: never
many standard errors), else ``differs``. The largest :math:`|o - p| / s` is stored as ``zscore``.

Exact: ``reproduced`` iff equal. Qualitative: ``reproduced`` iff the computed condition ``holds``
(``holds``/``fails`` for extensions). ``not attempted``: declared, not rebuilt, with a reason.
Every ``close``, ``differs``, ``fails`` or ``not attempted`` needs a declared ``reason``, specific to
the claim (:func:`check` fails when unrelated claims share one).

Integrity
---------
:meth:`Ledger.save` writes atomically, with the SHA-256 of the chapter source and of the registry
and a completion mark; :func:`check` recomputes every verdict from the recorded values and the
declared tolerance, and fails on a changed chapter or registry, a missing or extra claim, an
unclassified claim, a hand-edited verdict, a literal ``holds=True`` in the chapter, or a reason shared
by claims of different items. Under ``make test`` the chapters write their ledgers to a build
folder (``MMKIT_LEDGER_DIR``) and :func:`compare_ledgers` compares them with the committed ones by
claim id, verdict and value, so the work tree stays clean.

Outside the book's repository (a downloaded notebook) the registry is not found: the ledger then
records nothing, says so once, and :meth:`Ledger.paper` returns ``None``.
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mmkit.book.paths import find_repo_root, repo_root
from mmkit.common.io import atomic_write_text, sha256_bytes

__all__ = [
    "EVIDENCE",
    "KINDS",
    "REFERENCES",
    "VERDICTS",
    "CLOSE_FACTOR",
    "Ledger",
    "Decl",
    "verdict_of",
    "load_targets",
    "load_ledger",
    "all_sources",
    "check",
    "check_registry",
    "compare_ledgers",
    "ledger_dir",
]

EVIDENCE = ("independent", "calibrated", "identity", "extension")
KINDS = ("numeric", "exact", "qualitative", "not attempted")
#: Where the source's value comes from. ``printed``: a number printed in the source; ``digitised``:
#: read off one of its figures; ``derived``: not printed, derived from the source's text or model
#: (the claim's ``note`` says how); ``stated``: a qualitative statement of the source; ``none``:
#: no source value (extensions).
REFERENCES = ("printed", "digitised", "derived", "stated", "none")
VERDICTS = ("reproduced", "close", "differs", "not attempted", "holds", "fails")
GOOD = ("reproduced", "holds")
CLOSE_FACTOR = 2.0
CLOSE_Z = 3.0
DEFAULT_Z = 2.0
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
#: Relative precision at which a re-executed value must match the committed one.
VALUE_RTOL = 1e-6


# ---------------------------------------------------------------------------------- formatting
def _to_jsonable(x: Any) -> Any:
    if isinstance(x, np.ndarray):
        return [_to_jsonable(v) for v in x.tolist()]
    if isinstance(x, (list, tuple)):
        return [_to_jsonable(v) for v in x]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (np.floating, float)):
        v = float(x)  # 10 significant digits: stable across BLAS/libm differences
        return float(f"{v:.10g}") if math.isfinite(v) else str(v)
    if isinstance(x, np.integer):
        return int(x)
    return x


def _fmt(x: Any, digits: int) -> str:
    """A value for a table: rounded to ``digits``, lists shortened, tiny floats as ``~0``."""
    if x is None:
        return ""
    if isinstance(x, (bool, np.bool_)):
        return "yes" if x else "no"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        v = float(x)
        if not math.isfinite(v):
            return str(v)
        if v == 0:
            return "0"
        if abs(v) < 1e-9:  # below any stated precision: floating-point noise, shown as such
            return "~0"
        if abs(v) < 1e-3 or abs(v) >= 1e6:
            return f"{v:.{digits}g}"
        return f"{round(v, digits):.{digits}f}".rstrip("0").rstrip(".")
    if isinstance(x, (list, tuple, np.ndarray)):
        arr = list(np.asarray(x, dtype=object).ravel())
        body = ", ".join(_fmt(v, digits) for v in arr[:6])
        return f"[{body}{', ...' if len(arr) > 6 else ''}]"
    return str(x)


# ---------------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class Decl:
    """One declared claim of the registry (see the module docstring for the fields)."""

    id: str
    item: str
    quantity: str
    kind: str
    evidence: str
    reference: str
    paper: Any = None
    paper_se: Any = None
    atol: float = 0.0
    rtol: float = 0.0
    z: float = DEFAULT_Z
    reason: str = ""
    note: str = ""

    @classmethod
    def from_json(cls, d: dict, items: set[str], source: str) -> Decl:
        """Validate one registry entry; errors name the claim and the field."""
        cid = d.get("id")
        where = f"{source}: claim {cid!r}"
        if not isinstance(cid, str) or not ID_RE.match(cid):
            raise ValueError(f"{where}: id must match {ID_RE.pattern} (short, stable, lower case)")
        for key in ("item", "quantity", "kind", "evidence"):
            if not d.get(key):
                raise ValueError(f"{where}: field {key!r} is required")
        if d["item"] not in items:
            raise ValueError(
                f"{where}: item {d['item']!r} is not an item of {source}; allowed: {sorted(items)}"
            )
        if d["kind"] not in KINDS:
            raise ValueError(f"{where}: kind must be one of {KINDS}, got {d['kind']!r}")
        if d["evidence"] not in EVIDENCE:
            raise ValueError(f"{where}: evidence must be one of {EVIDENCE}, got {d['evidence']!r}")
        ref = d.get("reference", "none" if d["evidence"] == "extension" else None)
        if ref not in REFERENCES:
            raise ValueError(f"{where}: reference must be one of {REFERENCES}, got {ref!r}")
        if d["evidence"] == "extension":
            if d["kind"] != "qualitative":
                raise ValueError(f"{where}: an extension is a finding of ours: kind must be 'qualitative'")
            if d.get("paper") is not None:
                raise ValueError(f"{where}: an extension has no source value (paper must be absent)")
        elif d["kind"] in ("numeric", "exact", "qualitative") and d.get("paper") is None:
            raise ValueError(f"{where}: paper (the source's value or statement) is required")
        atol, rtol = float(d.get("atol", 0.0)), float(d.get("rtol", 0.0))
        if d["kind"] == "numeric":
            if not (math.isfinite(atol) and math.isfinite(rtol)) or atol < 0 or rtol < 0:
                raise ValueError(f"{where}: atol and rtol must be finite and >= 0")
            if atol == 0 and rtol == 0 and d.get("paper_se") is None:
                raise ValueError(f"{where}: a numeric claim needs atol or rtol > 0 (or paper_se)")
        z = float(d.get("z", DEFAULT_Z))
        if not (0 < z <= CLOSE_Z):
            raise ValueError(f"{where}: z must be in (0, {CLOSE_Z}], got {z}")
        return cls(
            id=cid,
            item=d["item"],
            quantity=d["quantity"],
            kind=d["kind"],
            evidence=d["evidence"],
            reference=ref,
            paper=d.get("paper"),
            paper_se=d.get("paper_se"),
            atol=atol,
            rtol=rtol,
            z=z,
            reason=str(d.get("reason", "")).strip(),
            note=str(d.get("note", "")),
        )


def _targets_dir(root: Path) -> Path:
    return root / "reproduction" / "targets"


def load_targets(source: str, root: Path | None = None) -> dict:
    """Read and validate ``reproduction/targets/<source>.json``.

    Returns the registry dict with ``decls``: an ordered ``{id: Decl}``.
    """
    if not isinstance(source, str) or not source:
        raise TypeError(f"source must be a non-empty str, got {source!r}")
    root = repo_root() if root is None else Path(root)
    path = _targets_dir(root) / f"{source}.json"
    if not path.exists():
        known = sorted(p.stem for p in _targets_dir(root).glob("*.json"))
        raise ValueError(f"source={source!r} is not registered; known sources: {known}")
    raw = path.read_bytes()
    reg = json.loads(raw)
    items = {it["id"] for it in reg["items"]}
    decls: dict[str, Decl] = {}
    for d in reg.get("claims", []):
        if not isinstance(d, dict):
            raise ValueError(f"{source}: registry claims must be objects with an id, got {d!r}")
        decl = Decl.from_json(d, items, source)
        if decl.id in decls:
            raise ValueError(f"{source}: claim id {decl.id!r} declared twice")
        decls[decl.id] = decl
    reg["decls"] = decls
    reg["sha256"] = sha256_bytes(raw)
    return reg


def all_sources(root: Path | None = None) -> list[str]:
    """Source keys in book order."""
    root = repo_root() if root is None else Path(root)
    regs = [json.loads(p.read_text()) for p in _targets_dir(root).glob("*.json")]
    return [r["source"] for r in sorted(regs, key=lambda r: (r.get("order", 99), r["source"]))]


# ---------------------------------------------------------------------------------- verdicts
def verdict_of(decl: Decl, ours: Any = None, se: Any = None, holds: Any = None) -> dict:
    """Compute the verdict of one claim from our recorded value (a pure function).

    Returns a dict with ``verdict``, ``diff`` (signed for scalars, largest absolute gap for
    arrays), ``zscore`` (largest gap over the combined standard error, when there is one) and
    ``criterion`` (the rule in words).
    """
    if decl.kind == "not attempted":
        return {"verdict": "not attempted", "diff": None, "zscore": None, "criterion": ""}
    if decl.kind == "qualitative":
        if not isinstance(holds, (bool, np.bool_)):
            raise TypeError(f"claim {decl.id!r}: holds must be a computed bool, got {type(holds).__name__}")
        ok = bool(holds)
        if decl.evidence == "extension":
            return {
                "verdict": "holds" if ok else "fails",
                "diff": None,
                "zscore": None,
                "criterion": "finding holds",
            }
        return {
            "verdict": "reproduced" if ok else "differs",
            "diff": None,
            "zscore": None,
            "criterion": "claim holds",
        }
    if decl.kind == "exact":
        p, o = _to_jsonable(decl.paper), _to_jsonable(ours)
        diff = None
        if isinstance(p, list) and isinstance(o, list) and len(p) == len(o):
            diff = float(sum(a != b for a, b in zip(p, o)))
        return {
            "verdict": "reproduced" if p == o else "differs",
            "diff": diff,
            "zscore": None,
            "criterion": "equal",
        }
    # numeric
    p = np.asarray(decl.paper, dtype=float)
    o = np.asarray(ours, dtype=float)
    if p.shape != o.shape:
        raise ValueError(
            f"claim {decl.id!r}: ours has shape {o.shape} but the paper's value has shape {p.shape}"
        )
    if not np.all(np.isfinite(o)):
        raise ValueError(f"claim {decl.id!r}: ours is not finite: {o}")
    s2 = np.zeros_like(p)
    for v, name in ((se, "se"), (decl.paper_se, "paper_se")):
        if v is not None:
            a = np.broadcast_to(np.asarray(v, dtype=float), p.shape)
            if not np.all(np.isfinite(a)) or np.any(a < 0):
                raise ValueError(f"claim {decl.id!r}: {name} must be finite and >= 0, got {v}")
            s2 = s2 + a**2
    s = np.sqrt(s2)
    gap = np.abs(o - p)
    tol = decl.atol + decl.rtol * np.abs(p)
    stochastic = bool(np.any(s > 0))
    if stochastic:
        ok, near = gap <= tol + decl.z * s, gap <= tol + CLOSE_Z * s
        with np.errstate(divide="ignore", invalid="ignore"):
            zs = np.where(s > 0, gap / np.where(s > 0, s, 1.0), np.where(gap <= tol, 0.0, np.inf))
        zscore = _to_jsonable(float(np.max(zs)))
        crit = " + ".join(
            x
            for x in (f"atol {decl.atol:g}" if decl.atol else "", f"rtol {decl.rtol:g}" if decl.rtol else "")
            if x
        )
        crit = f"{crit + ' + ' if crit else ''}{decl.z:g} s.e. (close: {CLOSE_Z:g} s.e.)"
    else:
        ok, near = gap <= tol, gap <= CLOSE_FACTOR * tol
        zscore = None
        crit = " + ".join(
            x
            for x in (f"atol {decl.atol:g}" if decl.atol else "", f"rtol {decl.rtol:g}" if decl.rtol else "")
            if x
        )
    verdict = "reproduced" if np.all(ok) else ("close" if np.all(near) else "differs")
    diff = _to_jsonable(float(o - p) if p.ndim == 0 else float(np.max(gap)))
    return {"verdict": verdict, "diff": diff, "zscore": zscore, "criterion": crit}


# ---------------------------------------------------------------------------------- the ledger
def ledger_dir(root: Path) -> Path:
    """Where ledgers are written: ``$MMKIT_LEDGER_DIR`` (a build folder, under test) or
    ``reproduction/ledger``."""
    env = os.environ.get("MMKIT_LEDGER_DIR")
    return Path(env) if env else root / "reproduction" / "ledger"


@dataclass
class Ledger:
    """Collects the claims of one source as a chapter computes them.

    Parameters
    ----------
    source : str
        Key of the source, a file stem of ``reproduction/targets/``.
    digits : int
        Significant decimals shown in tables (stored values keep 10 significant digits).
    root : Path, optional
        Repository root; found from the working directory when omitted. Outside the repository
        the ledger is inactive: it records nothing and says so once.
    """

    source: str
    digits: int = 4
    root: Path | None = None
    records: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.digits, int) or not 1 <= self.digits <= 12:
            raise ValueError(f"digits must be an int in [1, 12], got {self.digits!r}")
        root = find_repo_root() if self.root is None else Path(self.root)
        self.active = root is not None and (_targets_dir(root) / f"{self.source}.json").exists()
        if root is not None and not self.active and (_targets_dir(root)).is_dir():
            load_targets(self.source, root)  # raises: unknown source inside the repository
        if not self.active:
            print(
                f"mmkit: the registry reproduction/targets/{self.source}.json is not here (running "
                "outside the book's repository): claims are computed but not recorded."
            )
            self.registry: dict = {"decls": {}, "items": []}
            return
        self.root = root
        self.registry = load_targets(self.source, root)

    @property
    def decls(self) -> dict[str, Decl]:
        return self.registry["decls"]

    def _decl(self, cid: str) -> Decl:
        if cid not in self.decls:
            raise ValueError(f"claim {cid!r} is not declared in reproduction/targets/{self.source}.json")
        return self.decls[cid]

    # -------------------------------------------------------------- recording
    def paper(self, cid: str) -> Any:
        """The source's declared value of claim ``cid`` (``None`` outside the repository)."""
        if not self.active:
            return None
        return self._decl(cid).paper

    def record(self, cid: str, ours: Any = None, *, se: Any = None, holds: Any = None) -> str | None:
        """Record our value of declared claim ``cid``; returns the computed verdict.

        Parameters
        ----------
        cid : str
            The claim's id in the registry.
        ours : scalar, array or str
            Our value (numeric and exact claims); for qualitative claims an optional short
            piece of evidence (a number or a few words) shown beside the verdict.
        se : float or array, optional
            Standard error of ``ours`` (Monte Carlo, or across seeds), for stochastic claims.
        holds : bool
            For qualitative claims: the computed condition (never a literal).
        """
        if not self.active:
            return None
        decl = self._decl(cid)
        if cid in self.records:
            raise ValueError(f"claim {cid!r} recorded twice")
        if decl.kind == "not attempted":
            raise ValueError(f"claim {cid!r} is declared 'not attempted': do not record it")
        if decl.kind in ("numeric", "exact") and ours is None:
            raise ValueError(f"claim {cid!r} is {decl.kind}: ours= is required")
        if decl.kind != "qualitative" and holds is not None:
            raise ValueError(f"claim {cid!r} is {decl.kind}: holds= is only for qualitative claims")
        v = verdict_of(decl, ours, se, holds)
        if v["verdict"] not in GOOD and not decl.reason:
            raise ValueError(
                f"claim {cid!r} is {v['verdict']!r}: declare a reason specific to it in "
                f"reproduction/targets/{self.source}.json"
            )
        self.records[cid] = {
            "ours": _to_jsonable(ours),
            "se": _to_jsonable(se),
            "holds": None if holds is None else bool(holds),
            **v,
        }
        return v["verdict"]

    # -------------------------------------------------------------- output
    def rows(self, item: str | None = None) -> list[dict]:
        """One dict per claim (declared order), recorded or not attempted."""
        out = []
        for cid, d in self.decls.items():
            if item is not None and d.item != item:
                continue
            r = self.records.get(cid)
            if r is None and d.kind != "not attempted":
                continue
            r = r or {
                "ours": None,
                "se": None,
                "holds": None,
                "verdict": "not attempted",
                "diff": None,
                "zscore": None,
                "criterion": "",
            }
            out.append(
                {
                    "id": cid,
                    "item": d.item,
                    "quantity": d.quantity,
                    "kind": d.kind,
                    "evidence": d.evidence,
                    "reference": d.reference,
                    "paper": d.paper,
                    "paper_se": d.paper_se,
                    **r,
                    "reason": d.reason if r["verdict"] not in GOOD else "",
                }
            )
        return out

    def table(self, item: str | None = None):
        """The side-by-side table as a pandas DataFrame of formatted strings (narrow columns)."""
        import pandas as pd

        dg = self.digits
        rows = []
        for r in self.rows(item):
            ours = r["ours"] if r["kind"] != "qualitative" else (r["ours"] if r["ours"] is not None else "")
            se = f" ± {_fmt(r['se'], 2)}" if r["se"] is not None and not isinstance(r["se"], list) else ""
            pse = (
                f" ± {_fmt(r['paper_se'], 2)}"
                if r["paper_se"] is not None and not isinstance(r["paper_se"], list)
                else ""
            )
            rows.append(
                {
                    "claim": r["quantity"],
                    "source": ("(ours only)" if r["evidence"] == "extension" else _fmt(r["paper"], dg) + pse),
                    "ours": _fmt(ours, dg) + se,
                    "class": r["evidence"],
                    "verdict": r["verdict"],
                    "why": r["reason"],
                }
            )
        return pd.DataFrame(rows, columns=["claim", "source", "ours", "class", "verdict", "why"])

    def show(self, item: str | None = None):
        """Display the side-by-side table: rendered HTML in the book, short text under nbval."""
        from IPython.display import HTML, display

        if not self.active:
            print("(ledger inactive outside the repository)")
            return
        display(HTML(self.html(item)))

    def html(self, item: str | None = None) -> str:
        """The side-by-side table as HTML, verdicts colour-coded (CSS classes ``verdict-*``)."""
        import html as _html

        df = self.table(item)
        head = "".join(f"<th>{_html.escape(c)}</th>" for c in df.columns)
        body = []
        for row in df.itertuples(index=False):
            cells = []
            for col, val in zip(df.columns, row):
                text = _html.escape(str(val))
                if col == "verdict":
                    text = f'<span class="verdict verdict-{text.replace(" ", "-")}">{text}</span>'
                cells.append(f"<td>{text}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        return f'<table class="mmkit-ledger"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'

    def summary(self) -> dict[str, dict[str, int]]:
        """Counts per evidence class and verdict: ``{class: {verdict: n}}``."""
        out: dict[str, dict[str, int]] = {e: {} for e in EVIDENCE}
        for r in self.rows():
            out[r["evidence"]][r["verdict"]] = out[r["evidence"]].get(r["verdict"], 0) + 1
        return {e: v for e, v in out.items() if v}

    def verdict_table(self):
        """A short table of this source's verdicts by evidence class (a chapter's last cell)."""
        import pandas as pd
        from IPython.display import HTML, display

        if not self.active:
            print("(ledger inactive outside the repository)")
            return None
        s = self.summary()
        cols = [v for v in VERDICTS if any(v in c for c in s.values())]
        df = pd.DataFrame(
            [
                {"evidence": e, **{v: s[e].get(v, 0) for v in cols}, "total": sum(s[e].values())}
                for e in EVIDENCE
                if e in s
            ]
        )
        display(HTML(df.to_html(index=False, classes="mmkit-ledger", border=0)))
        return df

    def path(self) -> Path:
        assert self.root is not None
        return ledger_dir(Path(self.root)) / f"{self.source}.json"

    def save(self) -> None:
        """Write the ledger atomically (see :func:`ledger_dir`), with the chapter's and the
        registry's SHA-256 and a completion mark; raise if a declared claim was not recorded.

        Returns nothing, so a chapter's last cell shows no machine-dependent path; the file is
        at :meth:`path`."""
        if not self.active:
            print("mmkit: ledger not saved (outside the book's repository)")
            return
        root = Path(self.root)  # type: ignore[arg-type]
        missing = [
            cid for cid, d in self.decls.items() if d.kind != "not attempted" and cid not in self.records
        ]
        if missing:
            raise ValueError(
                f"{self.source}: declared claims were not recorded (a chapter may not drop a claim): {missing}"
            )
        chapter = chapter_source(self.registry, root)
        payload = {
            "source": self.source,
            "chapter": str(chapter.relative_to(root)) if chapter else None,
            "chapter_sha256": sha256_bytes(chapter.read_bytes()) if chapter else None,
            "registry_sha256": self.registry["sha256"],
            "complete": True,
            "claims": self.rows(),
        }
        atomic_write_text(self.path(), json.dumps(payload, indent=1, sort_keys=True) + "\n")


def chapter_source(registry: dict, root: Path) -> Path | None:
    """The chapter's jupytext source (``chapters/<name>.py``) named by the registry."""
    ch = registry.get("chapter")
    if not ch:
        return None
    p = (root / ch).with_suffix(".py")
    return p if p.exists() else None


# ---------------------------------------------------------------------------------- checks
def load_ledger(source: str, root: Path | None = None, folder: Path | None = None) -> dict | None:
    """A saved ledger (``None`` if the chapter has not saved one)."""
    root = repo_root() if root is None else Path(root)
    path = (root / "reproduction" / "ledger" if folder is None else Path(folder)) / f"{source}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())


def _literal_holds(py: Path) -> list[int]:
    """Lines of ``py`` where ``holds=`` is given a literal constant."""
    bad = []
    for node in ast.walk(ast.parse(py.read_text())):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "holds" and isinstance(kw.value, ast.Constant):
                    bad.append(node.lineno)
    return bad


def check(source: str, root: Path | None = None, folder: Path | None = None) -> list[str]:
    """Problems with a source's saved ledger (empty when it is complete, current and honest)."""
    root = repo_root() if root is None else Path(root)
    try:
        reg = load_targets(source, root)
    except ValueError as exc:
        return [str(exc)]
    led = load_ledger(source, root, folder)
    if led is None:
        return ["no saved ledger: execute the chapter"]
    problems = []
    if not led.get("complete"):
        problems.append("ledger has no completion mark (the chapter stopped early)")
    if led.get("registry_sha256") != reg["sha256"]:
        problems.append("registry changed since the chapter was executed: re-execute it")
    chapter = chapter_source(reg, root)
    if chapter is not None:
        if led.get("chapter_sha256") != sha256_bytes(chapter.read_bytes()):
            problems.append(f"{chapter.relative_to(root)} changed since it was executed: re-execute it")
        for line in _literal_holds(chapter):
            problems.append(f"{chapter.relative_to(root)}:{line}: holds= must be computed, not a literal")
    got = {c["id"]: c for c in led.get("claims", [])}
    for cid, d in reg["decls"].items():
        c = got.get(cid)
        if c is None:
            problems.append(f"declared claim missing from the ledger: {cid}")
            continue
        try:
            v = (
                verdict_of(d, c.get("ours"), c.get("se"), c.get("holds"))["verdict"]
                if d.kind != "not attempted"
                else "not attempted"
            )
        except (TypeError, ValueError) as exc:
            problems.append(f"claim {cid}: cannot recompute the verdict ({exc})")
            continue
        if v != c.get("verdict"):
            problems.append(
                f"claim {cid}: stored verdict {c.get('verdict')!r} but the recorded values give {v!r}"
            )
        if v not in GOOD and not d.reason:
            problems.append(f"claim {cid}: {v} without a declared reason")
    for cid in got.keys() - reg["decls"].keys():
        problems.append(f"claim {cid} in the ledger is not declared in the registry")
    by_reason: dict[str, set[str]] = {}
    for d in reg["decls"].values():
        if d.reason:
            by_reason.setdefault(d.reason, set()).add(d.item)
    for reason, items in by_reason.items():
        if len(items) > 1:
            problems.append(
                f"one reason shared by claims of {len(items)} items {sorted(items)} (make it specific): {reason[:80]!r}"
            )
    return problems


#: Backwards-compatible name used by the report.
check_registry = check


def compare_ledgers(
    built: Path, committed: Path, sources: Iterable[str] | None = None, root: Path | None = None
) -> list[str]:
    """Differences between ledgers written under test (``built``) and the committed ones, by claim
    id, verdict and value at ``VALUE_RTOL`` relative precision (not bytes)."""
    root = repo_root() if root is None else Path(root)
    problems = []
    for source in sources or all_sources(root):
        a, b = load_ledger(source, root, built), load_ledger(source, root, committed)
        if a is None:
            problems.append(
                f"{source}: the chapter wrote no ledger under test (it crashed or was not executed)"
            )
            continue
        if b is None:
            problems.append(f"{source}: no committed ledger")
            continue
        ca, cb = {c["id"]: c for c in a["claims"]}, {c["id"]: c for c in b["claims"]}
        for cid in sorted(ca.keys() ^ cb.keys()):
            problems.append(
                f"{source}: claim {cid} only in {'the built' if cid in ca else 'the committed'} ledger"
            )
        for cid in sorted(ca.keys() & cb.keys()):
            x, y = ca[cid], cb[cid]
            if x["verdict"] != y["verdict"]:
                problems.append(
                    f"{source}: claim {cid}: verdict {y['verdict']!r} committed, {x['verdict']!r} now"
                )
            elif not _same_value(x.get("ours"), y.get("ours")) or not _same_value(x.get("se"), y.get("se")):
                problems.append(
                    f"{source}: claim {cid}: value {y.get('ours')!r} committed, {x.get('ours')!r} now"
                )
    return problems


def _same_value(x: Any, y: Any) -> bool:
    if isinstance(x, (int, float)) and isinstance(y, (int, float)) and not isinstance(x, bool):
        return math.isclose(float(x), float(y), rel_tol=VALUE_RTOL, abs_tol=1e-12)
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(_same_value(a, b) for a, b in zip(x, y))
    return x == y
