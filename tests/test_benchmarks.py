"""The benchmark harness (benchmarks/): timing arithmetic, the regression gate, the CLI gate
path, the page renderer, and that the stored results cover every quick case."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from benchmarks import run
from benchmarks.harness import Case, gate, key_of, measure, run_case

ROOT = Path(__file__).resolve().parent.parent
STORED = ROOT / "benchmarks" / "results" / "latest.json"


class FakeClock:
    """A clock that advances only when the timed functions say so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def work(self, seconds: float):
        def f():
            self.now += seconds

        return f


def test_measure_ratio_of_minima_with_a_deterministic_clock():
    clk = FakeClock()
    res = measure(clk.work(3e-3), clk.work(1e-3), repeats=4, target=0.01, clock=clk)
    assert res["ours_min"] == pytest.approx(3e-3)
    assert res["peer_min"] == pytest.approx(1e-3)
    assert res["ratio"] == pytest.approx(3.0)
    # calibrated so that one sample lasts >= target
    assert res["number_ours"] * 3e-3 >= 0.01 and res["number_peer"] * 1e-3 >= 0.01
    assert res["repeats"] == 4


def test_run_case_on_a_tiny_real_case():
    x = np.arange(2000.0)
    case = Case(
        "tiny_sum", 2000, "elements", lambda: x.sum(), lambda: sum(x.tolist()), "np.sum", "builtin sum"
    )
    rec = run_case(case, repeats=3, target=0.002)
    assert rec["key"] == "tiny_sum[2000]" == key_of("tiny_sum", 2000)
    assert rec["ours_min"] > 0 and rec["peer_min"] > 0
    assert rec["ours_min"] <= rec["ours_median"] and rec["peer_min"] <= rec["peer_median"]
    assert rec["ratio"] == pytest.approx(rec["ours_min"] / rec["peer_min"])


def test_case_and_measure_reject_bad_input():
    with pytest.raises(ValueError, match="kind"):
        Case("g", 1, "n", int, int, "a", "b", kind="rival")
    with pytest.raises(ValueError, match="size"):
        Case("g", 0, "n", int, int, "a", "b")
    with pytest.raises(ValueError, match="repeats"):
        measure(int, int, repeats=0)


def _rec(key: str, ratio: float) -> dict:
    return {"key": key, "ratio": ratio}


def test_gate_flags_an_injected_regression_and_names_the_case():
    stored = [_rec("a[1]", 1.0), _rec("b[2]", 10.0), _rec("c[3]", 0.5)]
    current = [_rec("a[1]", 2.5), _rec("b[2]", 19.0), _rec("c[3]", 0.2), _rec("new[4]", 1.0)]
    bad, missing = gate(current, stored, factor=2.0)
    assert [b.key for b in bad] == ["a[1]"]
    assert bad[0].factor == pytest.approx(2.5)
    assert "a[1]" in str(bad[0])
    assert missing == ["new[4]"]
    # within the factor (and improvements) pass
    assert gate([_rec("a[1]", 1.99)], stored, 2.0) == ([], [])
    with pytest.raises(ValueError, match="factor"):
        gate(current, stored, factor=1.0)


def _doc(ratio: float) -> dict:
    rec = {
        "key": "tiny[10]",
        "group": "tiny",
        "size": 10,
        "size_label": "n",
        "ours": "o",
        "peer": "p",
        "kind": "peer",
        "note": "",
        "ours_min": ratio * 1e-3,
        "ours_median": ratio * 1e-3,
        "peer_min": 1e-3,
        "peer_median": 1e-3,
        "ratio": ratio,
        "number_ours": 1,
        "number_peer": 1,
        "repeats": 1,
    }
    meta = run.metadata("quick")
    meta.update(cpu_seconds_total=0.0, notes=[])
    return {"meta": meta, "cases": [rec]}


def test_cli_gate_fails_on_an_injected_regression(tmp_path, monkeypatch, capsys):
    stored = tmp_path / "stored.json"
    stored.write_text(json.dumps(_doc(1.0)))
    monkeypatch.setattr(run, "run_suite", lambda *a, **k: _doc(5.0))
    rc = run.main(["--quick", "--out", str(tmp_path / "now.json"), "--check", str(stored)])
    out = capsys.readouterr().out
    assert rc == 1
    assert "FAILED" in out and "tiny[10]" in out
    assert "measuring them again" in out  # the failure was confirmed by a second measurement
    monkeypatch.setattr(run, "run_suite", lambda *a, **k: _doc(1.5))
    assert run.main(["--quick", "--out", str(tmp_path / "now.json"), "--check", str(stored)]) == 0
    assert json.loads((tmp_path / "now.json").read_text())["cases"][0]["ratio"] == 1.5


def test_cli_gate_remeasures_a_one_off_spike(tmp_path, monkeypatch, capsys):
    stored = tmp_path / "stored.json"
    stored.write_text(json.dumps(_doc(1.0)))
    results = iter([_doc(5.0), _doc(1.2)])  # a spike, then the case measured again
    calls = []

    def fake_run_suite(*a, **k):
        calls.append(k.get("keys"))
        return next(results)

    monkeypatch.setattr(run, "run_suite", fake_run_suite)
    rc = run.main(["--quick", "--out", str(tmp_path / "now.json"), "--check", str(stored)])
    assert rc == 0, capsys.readouterr().out
    assert calls == [None, {"tiny[10]"}]  # only the failing case is measured again
    rec = json.loads((tmp_path / "now.json").read_text())["cases"][0]
    assert rec["ratio"] == 1.2 and rec["remeasured"] is True


def test_render_writes_the_page_and_figure(tmp_path):
    from benchmarks.render import render

    doc = _doc(2.0)
    doc["cases"] = [
        dict(
            doc["cases"][0],
            group="pressure_matrix",
            key=f"pressure_matrix[{n}]",
            size=n,
            ours_min=1e-6 * n**2,
            peer_min=1e-8 * n**2,
        )
        for n in (10, 20, 40)
    ]
    page, fig = tmp_path / "performance.md", tmp_path / "scaling.png"
    render(doc, page, fig)
    text = page.read_text()
    assert text.startswith("# Performance") and "pressure_matrix" in text
    assert "~ N^2.00" in text  # the fitted exponent of t = c n^2
    assert fig.stat().st_size > 1000


def test_quick_sizes_are_a_subset_of_full_sizes():
    from benchmarks.cases import SIZES

    for group, (quick, full) in SIZES.items():
        assert set(quick) <= set(full), group


def test_stored_results_cover_every_quick_case():
    """Every case the quick gate runs has a stored ratio (else the gate could not check it)."""
    from benchmarks.cases import planned_keys

    doc = run.load(STORED)
    for field in ("cpu", "python", "packages", "date", "repeats", "mode"):
        assert field in doc["meta"]
    assert doc["meta"]["mode"] == "full"
    stored = {r["key"] for r in doc["cases"]}
    missing = sorted(set(planned_keys(quick=True)) - stored)
    assert not missing, f"missing from {STORED.name}: {missing}"


def test_performance_page_is_generated_from_the_stored_results(tmp_path):
    """performance.md is what --render makes of latest.json (regenerate: make bench-publish)."""
    from benchmarks.render import render

    page = tmp_path / "performance.md"
    render(run.load(STORED), page, tmp_path / "scaling.png")

    def body(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith(":::{figure}")]

    assert body(page.read_text()) == body((ROOT / "performance.md").read_text())
