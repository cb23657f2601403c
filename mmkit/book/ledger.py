"""Claims ledger: one mechanism by which every chapter states what it reproduces.

A *target* is an item of a source (a figure, a table, a worked example) listed in
``reproduction/targets/<source>.json``. A *claim* is one checkable quantity of a
target: the paper's printed value, our rebuilt value, and the rule that turns the two
into a verdict.

Verdicts
--------
``reproduced``
    Numerical: ``|ours - paper| <= atol + rtol * |paper|`` (element-wise, worst case).
    Exact: the two values are equal. Qualitative: the stated criterion holds.
``close``
    Numerical only: the gap is within ``close_factor`` times the tolerance.
    A reason is required.
``differs``
    Anything else. A reason is required: a gap honestly explained is the point.
``not attempted``
    The claim is listed but not rebuilt; a reason is required.

The paper's numbers enter only through the ``paper=`` argument. Our numbers must be
computed by ``mmkit`` in the notebook that records the claim.

Examples
--------
>>> led = Ledger("pennock2006", root=None)               # doctest: +SKIP
>>> led.compare("worked-example", "buy 10 shares, cost ($)", paper=5.12,
...             ours=5.1249, atol=0.005)                 # doctest: +SKIP
>>> led.show()                                           # doctest: +SKIP
>>> led.save()                                           # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from mmkit.book.paths import repo_root

VERDICTS = ("reproduced", "close", "differs", "not attempted")
KINDS = ("numeric", "exact", "qualitative", "not attempted")
#: Where the ``paper=`` value comes from. ``printed``: a number printed in the source;
#: ``digitised``: read off one of its figures; ``derived``: not printed, but derived from the
#: source's text or model (by the spec or by us; the quantity says how); ``stated``: a
#: qualitative statement of the source.
REFERENCES = ("printed", "digitised", "derived", "stated")


@dataclass(frozen=True)
class Claim:
    """One reproduction target: a quantity of a figure/table, paper vs ours."""

    source: str
    target: str
    quantity: str
    kind: str
    paper: Any
    ours: Any
    criterion: str
    verdict: str
    diff: float | None = None
    reason: str = ""
    reference: str | None = None

    @property
    def id(self) -> str:
        return f"{self.target}::{self.quantity}"

    def to_json(self) -> dict:
        d = asdict(self)
        d["id"] = self.id
        return d


def _to_jsonable(x: Any) -> Any:
    if isinstance(x, np.ndarray):
        return [_to_jsonable(v) for v in x.tolist()]
    if isinstance(x, (list, tuple)):
        return [_to_jsonable(v) for v in x]
    if isinstance(x, (np.floating, float)):
        v = float(x)  # 10 significant digits: stable across BLAS/libm differences
        return float(f"{v:.10g}") if math.isfinite(v) else str(v)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.bool_,)):
        return bool(x)
    return x


def _fmt(x: Any, digits: int) -> str:
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
        return (
            f"{v:.{digits}g}"
            if abs(v) < 1e-3 or abs(v) >= 1e6
            else f"{round(v, digits):.{digits}f}".rstrip("0").rstrip(".")
        )
    if isinstance(x, (list, tuple, np.ndarray)):
        arr = list(np.asarray(x, dtype=object).ravel())
        body = ", ".join(_fmt(v, digits) for v in arr[:6])
        return f"[{body}{', ...' if len(arr) > 6 else ''}]"
    return str(x)


def load_targets(source: str, root: Path | None = None) -> dict:
    """Read ``reproduction/targets/<source>.json`` (the registry of items and claims)."""
    root = repo_root() if root is None else Path(root)
    path = root / "reproduction" / "targets" / f"{source}.json"
    if not path.exists():
        known = sorted(p.stem for p in (root / "reproduction" / "targets").glob("*.json"))
        raise ValueError(f"source={source!r} is not registered; known sources: {known}")
    return json.loads(path.read_text())


@dataclass
class Ledger:
    """Collects the claims of one source as a chapter computes them.

    Parameters
    ----------
    source : str
        Key of the source, a file stem of ``reproduction/targets/``.
    digits : int
        Decimals shown in the side-by-side table (stored values keep full precision).
    close_factor : float
        A numerical gap within ``close_factor * tolerance`` is ``close``.
    root : Path, optional
        Repository root; found from the working directory when omitted.
    """

    source: str
    digits: int = 4
    close_factor: float = 5.0
    root: Path | None = None
    claims: list[Claim] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.root = repo_root() if self.root is None else Path(self.root)
        self.registry = load_targets(self.source, self.root)
        self._items = {it["id"] for it in self.registry["items"]}
        self._ref_default = {it["id"]: it.get("reference", "printed") for it in self.registry["items"]}

    # ------------------------------------------------------------------ recording
    def _add(self, claim: Claim) -> None:
        if claim.target not in self._items:
            raise ValueError(
                f"target={claim.target!r} is not an item of {self.source}; allowed: {sorted(self._items)}"
            )
        if claim.reference is None:
            default = "stated" if claim.kind == "qualitative" else self._ref_default[claim.target]
            claim = replace(claim, reference=default)
        if claim.kind not in KINDS:  # internal: the recording methods set it
            raise ValueError(f"kind must be one of {KINDS}, got {claim.kind!r}")
        if claim.reference not in REFERENCES:
            raise ValueError(f"reference must be one of {REFERENCES}, got {claim.reference!r}")
        if any(c.id == claim.id for c in self.claims):
            raise ValueError(f"claim {claim.id!r} recorded twice")
        if claim.verdict in ("close", "differs", "not attempted") and not claim.reason.strip():
            raise ValueError(f"claim {claim.id!r} is {claim.verdict!r}: reason= must explain the gap")
        self.claims.append(claim)

    def compare(
        self,
        target: str,
        quantity: str,
        *,
        paper: Any,
        ours: Any,
        atol: float = 0.0,
        rtol: float = 0.0,
        reason: str = "",
        reference: str | None = None,
    ) -> None:
        """Numerical claim: verdict from ``|ours - paper| <= atol + rtol |paper|``.

        Arrays are compared element-wise; the worst element decides. ``diff`` stores the
        largest absolute difference ``ours - paper`` (signed for scalars).
        """
        if atol < 0 or rtol < 0 or (atol == 0 and rtol == 0):
            raise ValueError("atol and rtol must be >= 0 and not both 0")
        p = np.asarray(paper, dtype=float)
        o = np.asarray(ours, dtype=float)
        if p.shape != o.shape:
            raise ValueError(f"paper has shape {p.shape} but ours has shape {o.shape}")
        if not np.all(np.isfinite(o)):
            raise ValueError(f"ours for {target}::{quantity} is not finite: {o}")
        gap = np.abs(o - p)
        tol = atol + rtol * np.abs(p)
        if np.all(gap <= tol):
            verdict = "reproduced"
        elif np.all(gap <= self.close_factor * tol):
            verdict = "close"
        else:
            verdict = "differs"
        diff = _to_jsonable(float(o - p) if p.ndim == 0 else float(np.max(gap)))
        crit = " + ".join(
            s for s in (f"atol {atol:g}" if atol else "", f"rtol {rtol:g}" if rtol else "") if s
        )
        self._add(
            Claim(
                self.source,
                target,
                quantity,
                "numeric",
                _to_jsonable(paper),
                _to_jsonable(ours),
                crit,
                verdict,
                diff,
                reason,
                reference,
            )
        )

    def exact(
        self,
        target: str,
        quantity: str,
        *,
        paper: Any,
        ours: Any,
        reason: str = "",
        reference: str | None = None,
    ) -> None:
        """Exact claim (labels, integers, policies): reproduced iff equal."""
        p, o = _to_jsonable(paper), _to_jsonable(ours)
        verdict = "reproduced" if p == o else "differs"
        if isinstance(p, list) and isinstance(o, list) and len(p) == len(o):
            diff = float(sum(a != b for a, b in zip(p, o)))
            crit = "equal (diff = entries that differ)"
        else:
            diff, crit = None, "equal"
        self._add(Claim(self.source, target, quantity, "exact", p, o, crit, verdict, diff, reason, reference))

    def qualitative(
        self,
        target: str,
        quantity: str,
        *,
        paper: str,
        ours: str,
        holds: bool,
        reason: str = "",
        reference: str | None = None,
    ) -> None:
        """Qualitative claim: ``paper`` states it, ``ours`` is our evidence, ``holds`` decides."""
        verdict = "reproduced" if bool(holds) else "differs"
        self._add(
            Claim(
                self.source,
                target,
                quantity,
                "qualitative",
                paper,
                ours,
                "claim holds",
                verdict,
                None,
                reason,
                reference,
            )
        )

    def not_attempted(
        self, target: str, quantity: str, *, paper: Any = None, reason: str, reference: str | None = None
    ) -> None:
        """A listed quantity we do not rebuild, with the reason."""
        self._add(
            Claim(
                self.source,
                target,
                quantity,
                "not attempted",
                _to_jsonable(paper),
                None,
                "",
                "not attempted",
                None,
                reason,
                reference,
            )
        )

    # ------------------------------------------------------------------ output
    def table(self, target: str | None = None):
        """The side-by-side table (a pandas DataFrame of formatted strings)."""
        import pandas as pd

        rows = [
            {
                "target": c.target,
                "quantity": c.quantity,
                "paper": _fmt(c.paper, self.digits),
                "ref": c.reference,
                "ours": _fmt(c.ours, self.digits),
                "diff": _fmt(c.diff, self.digits),
                "criterion": c.criterion,
                "verdict": c.verdict,
                "why": c.reason,
            }
            for c in self.claims
            if target is None or c.target == target
        ]
        return pd.DataFrame(
            rows,
            columns=["target", "quantity", "paper", "ref", "ours", "diff", "criterion", "verdict", "why"],
        )

    def show(self, target: str | None = None):
        """Display the side-by-side table (rich HTML in the book, text under nbval)."""
        import pandas as pd
        from IPython.display import display

        with pd.option_context("display.max_colwidth", 200, "display.width", 250, "display.max_rows", 500):
            display(self.table(target))

    def summary(self) -> dict[str, int]:
        """Counts of claims per verdict."""
        return {v: sum(c.verdict == v for c in self.claims) for v in VERDICTS}

    def path(self) -> Path:
        return self.root / "reproduction" / "ledger" / f"{self.source}.json"

    def save(self) -> None:
        """Write ``reproduction/ledger/<source>.json`` (see :meth:`path`; sorted keys, stable order)."""
        out = self.path()
        out.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "source": self.source,
            "claims": [c.to_json() for c in self.claims],
        }
        out.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n")
        registered = set(self.registry.get("claims", []))
        missing = sorted(registered - {c.id for c in self.claims})
        if missing:
            raise ValueError(
                f"{self.source}: registered claims were not recorded (a chapter may not drop "
                f"a target): {missing}"
            )


def load_ledger(source: str, root: Path | None = None) -> list[dict]:
    """Claims saved by a chapter for ``source`` (empty list if the chapter has none yet)."""
    root = repo_root() if root is None else Path(root)
    path = root / "reproduction" / "ledger" / f"{source}.json"
    if not path.exists():
        return []
    return json.loads(path.read_text())["claims"]


def register(sources: Iterable[str] | None = None, root: Path | None = None) -> dict[str, int]:
    """Add every saved claim id to its source's registry; return counts added.

    Once registered, a claim must be recorded by every later execution of the chapter
    (``Ledger.save`` and ``tests/test_ledger.py`` enforce it).
    """
    root = repo_root() if root is None else Path(root)
    tdir = root / "reproduction" / "targets"
    added = {}
    for path in sorted(tdir.glob("*.json")):
        if sources is not None and path.stem not in set(sources):
            continue
        reg = json.loads(path.read_text())
        have = list(reg.get("claims", []))
        new = [c["id"] for c in load_ledger(path.stem, root) if c["id"] not in have]
        reg["claims"] = have + new
        path.write_text(json.dumps(reg, indent=1, ensure_ascii=False) + "\n")
        added[path.stem] = len(new)
    return added


def all_sources(root: Path | None = None) -> list[str]:
    root = repo_root() if root is None else Path(root)
    regs = [json.loads(p.read_text()) for p in (root / "reproduction" / "targets").glob("*.json")]
    return [r["source"] for r in sorted(regs, key=lambda r: (r.get("order", 99), r["source"]))]


def check_registry(source: str, root: Path | None = None) -> list[str]:
    """Problems with a source's ledger against its registry (empty when consistent)."""
    reg = load_targets(source, root)
    items = {it["id"] for it in reg["items"]}
    claims = load_ledger(source, root)
    ids = [c["id"] for c in claims]
    problems = []
    for cid in reg.get("claims", []):
        if cid not in ids:
            problems.append(f"registered claim dropped: {cid}")
    for c in claims:
        if c["target"] not in items:
            problems.append(f"claim {c['id']} refers to unknown item {c['target']}")
        if c["id"] not in reg.get("claims", []):
            problems.append(f"claim {c['id']} not registered (run `python -m mmkit ledger register`)")
        if c["verdict"] not in VERDICTS:
            problems.append(f"claim {c['id']} has unknown verdict {c['verdict']}")
        if c.get("reference") not in REFERENCES:
            problems.append(f"claim {c['id']} has no valid reference kind ({c.get('reference')!r})")
    return problems
