"""The claims ledger: declared claims, computed verdicts, evidence classes, integrity checks."""

import json
import multiprocessing as mp
from pathlib import Path

import numpy as np
import pytest

from mmkit.book import report
from mmkit.book.ledger import (
    Ledger,
    all_sources,
    check,
    compare_ledgers,
    load_ledger,
    load_targets,
)
from mmkit.book.paths import repo_root

ROOT = repo_root()

CLAIMS = [
    {
        "id": "a",
        "item": "fig-1",
        "quantity": "a number",
        "kind": "numeric",
        "evidence": "independent",
        "reference": "printed",
        "paper": 1.0,
        "atol": 0.005,
    },
    {
        "id": "b",
        "item": "fig-1",
        "quantity": "a near miss",
        "kind": "numeric",
        "evidence": "independent",
        "reference": "printed",
        "paper": 1.0,
        "atol": 0.005,
        "reason": "the paper rounds b",
    },
    {
        "id": "c",
        "item": "fig-1",
        "quantity": "a miss",
        "kind": "numeric",
        "evidence": "independent",
        "reference": "printed",
        "paper": 1.0,
        "atol": 0.005,
        "reason": "our model differs in c",
    },
    {
        "id": "d",
        "item": "fig-1",
        "quantity": "an array",
        "kind": "numeric",
        "evidence": "calibrated",
        "reference": "digitised",
        "paper": [1.0, 2.0],
        "rtol": 1e-3,
    },
    {
        "id": "e",
        "item": "table-2",
        "quantity": "labels",
        "kind": "exact",
        "evidence": "identity",
        "reference": "printed",
        "paper": ["a", "b", "c"],
        "reason": "one label is garbled in e",
    },
    {
        "id": "f",
        "item": "table-2",
        "quantity": "it rises",
        "kind": "qualitative",
        "evidence": "independent",
        "reference": "stated",
        "paper": "it rises",
    },
    {
        "id": "g",
        "item": "table-2",
        "quantity": "lost data",
        "kind": "not attempted",
        "evidence": "independent",
        "reference": "printed",
        "reason": "the data of g are lost",
    },
    {
        "id": "h",
        "item": "table-2",
        "quantity": "a mean",
        "kind": "numeric",
        "evidence": "independent",
        "reference": "printed",
        "paper": 10.0,
        "paper_se": 0.3,
        "atol": 0.005,
        "reason": "h is many s.e. away",
    },
    {"id": "i", "item": "table-2", "quantity": "our finding", "kind": "qualitative", "evidence": "extension"},
]


def _write_registry(root: Path, claims=CLAIMS, chapter_text="x = 1\n") -> None:
    (root / "reproduction" / "targets").mkdir(parents=True, exist_ok=True)
    (root / "chapters").mkdir(exist_ok=True)
    (root / "chapters" / "toy.py").write_text(chapter_text)
    reg = {
        "source": "toy",
        "title": "Toy paper",
        "bibkey": "toy",
        "chapter": "chapters/toy.ipynb",
        "items": [
            {"id": "fig-1", "title": "a figure"},
            {"id": "table-2", "title": "a table"},
            {"id": "fig-3", "title": "unbuilt"},
        ],
        "claims": claims,
    }
    (root / "reproduction" / "targets" / "toy.json").write_text(json.dumps(reg))


@pytest.fixture
def tmp_root(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.delenv("MMKIT_LEDGER_DIR", raising=False)
    _write_registry(tmp_path)
    return tmp_path


def _full(led: Ledger) -> Ledger:
    led.record("a", 1.004)
    led.record("b", 1.008)
    led.record("c", 1.5)
    led.record("d", np.array([1.0, 2.001]))
    led.record("e", ["a", "x", "c"])
    led.record("f", "it rises", holds=np.bool_(True))
    led.record("h", 12.0, se=0.2)
    led.record("i", "it does", holds=bool(3 > 2))
    return led


def test_verdicts_are_computed(tmp_root):
    led = _full(Ledger("toy", root=tmp_root))
    v = {r["id"]: r["verdict"] for r in led.rows()}
    assert v == {
        "a": "reproduced",
        "b": "close",
        "c": "differs",
        "d": "reproduced",
        "e": "differs",
        "f": "reproduced",
        "g": "not attempted",
        "h": "differs",
        "i": "holds",
    }
    assert led.summary()["calibrated"] == {"reproduced": 1}
    assert led.summary()["extension"] == {"holds": 1}


def test_stochastic_verdict_uses_combined_standard_error(tmp_root):
    from mmkit.book.ledger import Decl, verdict_of

    d = Decl(
        id="m",
        item="fig-1",
        quantity="q",
        kind="numeric",
        evidence="independent",
        reference="printed",
        paper=10.0,
        paper_se=0.3,
    )
    s = float(np.hypot(0.3, 0.4))
    assert verdict_of(d, 10.0 + 1.9 * s, se=0.4)["verdict"] == "reproduced"
    assert verdict_of(d, 10.0 + 2.9 * s, se=0.4)["verdict"] == "close"
    assert verdict_of(d, 10.0 + 3.1 * s, se=0.4)["verdict"] == "differs"
    assert verdict_of(d, 10.0 + 3.1 * s, se=0.4)["zscore"] == pytest.approx(3.1)


def test_declarations_are_validated(tmp_root):
    bad = [dict(CLAIMS[0], evidence=None)]
    _write_registry(tmp_root, bad)
    with pytest.raises(ValueError, match="evidence"):
        Ledger("toy", root=tmp_root)
    _write_registry(tmp_root, [dict(CLAIMS[0], evidence="strong")])
    with pytest.raises(ValueError, match="evidence must be one of"):
        Ledger("toy", root=tmp_root)
    _write_registry(tmp_root, [dict(CLAIMS[0], id="Fig 1::a number")])
    with pytest.raises(ValueError, match="id must match"):
        Ledger("toy", root=tmp_root)
    _write_registry(tmp_root, [dict(CLAIMS[8], paper=3.0)])
    with pytest.raises(ValueError, match="extension has no source value"):
        Ledger("toy", root=tmp_root)


def test_gaps_need_a_declared_reason_and_holds_a_bool(tmp_root):
    _write_registry(tmp_root, [dict(CLAIMS[0]), dict(CLAIMS[5])])
    led = Ledger("toy", root=tmp_root)
    with pytest.raises(ValueError, match="declare a reason"):
        led.record("a", 2.0)
    with pytest.raises(TypeError, match="holds must be a computed bool"):
        led.record("f", "x", holds="yes")
    with pytest.raises(ValueError, match="not declared"):
        led.record("zz", 1.0)
    with pytest.raises(ValueError, match="not finite"):
        led.record("a", float("nan"))
    led.record("a", 1.0)
    with pytest.raises(ValueError, match="recorded twice"):
        led.record("a", 1.0)


def test_save_check_and_forgery(tmp_root):
    _full(Ledger("toy", root=tmp_root)).save()
    assert check("toy", tmp_root) == []
    path = tmp_root / "reproduction" / "ledger" / "toy.json"
    saved = json.loads(path.read_text())
    # a verdict edited by hand is caught (recomputed from the recorded values)
    forged = json.loads(path.read_text())
    next(c for c in forged["claims"] if c["id"] == "c")["verdict"] = "reproduced"
    path.write_text(json.dumps(forged))
    assert any("stored verdict 'reproduced'" in p for p in check("toy", tmp_root))
    # a value edited by hand to pass is caught by the compare against a fresh build
    path.write_text(json.dumps(saved))
    # no completion mark
    half = dict(saved, complete=False)
    path.write_text(json.dumps(half))
    assert any("completion mark" in p for p in check("toy", tmp_root))
    # the chapter changed since it was executed
    path.write_text(json.dumps(saved))
    (tmp_root / "chapters" / "toy.py").write_text("x = 2\n")
    assert any("changed since it was executed" in p for p in check("toy", tmp_root))


def test_dropping_a_declared_claim_fails(tmp_root):
    led = _full(Ledger("toy", root=tmp_root))
    del led.records["c"]
    with pytest.raises(ValueError, match="may not drop"):
        led.save()


def test_literal_holds_and_shared_reasons_fail_the_check(tmp_root):
    _write_registry(tmp_root, chapter_text="led.record('f', 'x', holds=True)\n")
    _full(Ledger("toy", root=tmp_root)).save()
    assert any("holds= must be computed" in p for p in check("toy", tmp_root))
    claims = [dict(c) for c in CLAIMS]
    claims[2]["reason"] = claims[4]["reason"] = "canned"
    _write_registry(tmp_root, claims)
    _full(Ledger("toy", root=tmp_root)).save()
    assert any("one reason shared" in p for p in check("toy", tmp_root))


def test_crashed_chapter_is_caught_by_the_build_comparison(tmp_root, monkeypatch):
    _full(Ledger("toy", root=tmp_root)).save()
    built = tmp_root / "_build" / "ledger"
    monkeypatch.setenv("MMKIT_LEDGER_DIR", str(built))
    # the chapter crashes before save(): nothing written under test
    assert any(
        "wrote no ledger" in p
        for p in compare_ledgers(built, tmp_root / "reproduction" / "ledger", ["toy"], tmp_root)
    )
    _full(Ledger("toy", root=tmp_root)).save()
    assert compare_ledgers(built, tmp_root / "reproduction" / "ledger", ["toy"], tmp_root) == []
    led = Ledger("toy", root=tmp_root)
    _full(led)
    led.records["a"]["ours"] = 1.0041
    led.save()
    assert any(
        "claim a: value" in p
        for p in compare_ledgers(built, tmp_root / "reproduction" / "ledger", ["toy"], tmp_root)
    )


def _writer(args):
    root, k = args
    led = _full(Ledger("toy", root=Path(root)))
    for _ in range(20):
        led.save()
    return k


def test_concurrent_writers_never_leave_a_broken_file(tmp_root):
    with mp.get_context("fork").Pool(2) as pool:
        pool.map(_writer, [(str(tmp_root), k) for k in range(4)])
    saved = load_ledger("toy", tmp_root)
    assert saved is not None and saved["complete"]
    assert not list((tmp_root / "reproduction" / "ledger").glob(".*.tmp"))


def test_outside_the_repository_nothing_is_recorded(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("MMKIT_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    led = Ledger("pennock2006", root=tmp_path)
    assert "not recorded" in capsys.readouterr().out
    assert led.record("anything", 1.0) is None and led.paper("anything") is None and led.save() is None


def test_report_lists_unbuilt_items_as_not_yet(tmp_root):
    _full(Ledger("toy", root=tmp_root)).save()
    text = report.render_source("toy", tmp_root)
    assert "| fig-3 | unbuilt | 0 | not yet |" in text
    assert "| fig-1 | a figure | 4 | partial (2/4) |" in text
    assert "verdict-differs" in text and "our model differs in c" in text
    overview = report.render(tmp_root)
    assert "| [toy](toy.md) | 2 / 1 / 2 (+1 n.a.) | 1 / 0 / 0 | 0 / 0 / 1 | 1 / 0 | partial |" in overview


# --------------------------------------------------------------------- the project's own ledgers
def test_all_five_sources_registered():
    assert set(all_sources(ROOT)) == {
        "pennock2006",
        "das2008",
        "kinathil2016",
        "martinez_futures",
        "marl2025",
    }


@pytest.mark.parametrize("source", all_sources(ROOT))
def test_every_claim_is_declared_with_a_class(source):
    reg = load_targets(source, ROOT)
    assert reg["decls"], "every source declares its claims"
    assert all(d.evidence for d in reg["decls"].values())


@pytest.mark.parametrize("source", all_sources(ROOT))
def test_project_ledgers_pass_the_check(source):
    """Complete, current (chapter and registry unchanged), verdicts recomputed, reasons specific."""
    assert check(source, ROOT) == []


@pytest.mark.parametrize("source", all_sources(ROOT))
def test_registry_items_have_chapters_and_bibkeys(source):
    reg = json.loads((ROOT / "reproduction" / "targets" / f"{source}.json").read_text())
    assert reg["items"], "every source lists its figures and tables"
    assert reg["bibkey"] in (ROOT / "references.bib").read_text()
    assert (ROOT / reg["chapter"]).exists()


def test_report_page_is_current():
    assert (ROOT / report.REPORT_PATH).read_text() == report.render(ROOT), (
        "reproduction/report.md is stale: run `python -m mmkit report`"
    )
