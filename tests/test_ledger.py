"""The claims ledger: verdict rules, honesty guards, registry (no dropped targets), report."""

import json
from pathlib import Path

import numpy as np
import pytest

from mmkit.book import report
from mmkit.book.ledger import Ledger, all_sources, check_registry, load_ledger, register
from mmkit.book.paths import repo_root

ROOT = repo_root()


@pytest.fixture
def tmp_root(tmp_path: Path) -> Path:
    (tmp_path / "reproduction" / "targets").mkdir(parents=True)
    reg = {
        "source": "toy",
        "title": "Toy paper",
        "bibkey": "toy",
        "chapter": "chapters/toy.ipynb",
        "items": [{"id": "Fig 1", "title": "a figure"}, {"id": "Table 2", "title": "a table"}],
        "claims": [],
    }
    (tmp_path / "reproduction" / "targets" / "toy.json").write_text(json.dumps(reg))
    return tmp_path


def test_verdicts_are_computed(tmp_root):
    led = Ledger("toy", root=tmp_root)
    led.compare("Fig 1", "a", paper=1.0, ours=1.004, atol=0.005)
    led.compare("Fig 1", "b", paper=1.0, ours=1.02, atol=0.005, reason="rounding")
    led.compare("Fig 1", "c", paper=1.0, ours=1.5, atol=0.005, reason="model differs")
    led.compare("Fig 1", "d", paper=[1.0, 2.0], ours=np.array([1.0, 2.001]), rtol=1e-3)
    led.exact("Table 2", "labels", paper=["a", "b", "c"], ours=["a", "x", "c"], reason="one label")
    led.qualitative("Table 2", "q", paper="it rises", ours="it rises", holds=True)
    led.not_attempted("Table 2", "n", reason="data lost")
    v = [c.verdict for c in led.claims]
    assert v == ["reproduced", "close", "differs", "reproduced", "differs", "reproduced", "not attempted"]
    assert led.claims[4].diff == 1.0
    assert led.summary() == {"reproduced": 3, "close": 1, "differs": 2, "not attempted": 1}


def test_gaps_must_be_explained(tmp_root):
    led = Ledger("toy", root=tmp_root)
    with pytest.raises(ValueError, match="reason= must explain"):
        led.compare("Fig 1", "a", paper=1.0, ours=2.0, atol=0.1)
    with pytest.raises(ValueError, match="reason= must explain"):
        led.qualitative("Fig 1", "q", paper="x", ours="y", holds=False)
    with pytest.raises(ValueError, match="not an item"):
        led.compare("Fig 9", "a", paper=1.0, ours=1.0, atol=0.1)
    with pytest.raises(ValueError, match="not finite"):
        led.compare("Fig 1", "a", paper=1.0, ours=float("nan"), atol=0.1)
    with pytest.raises(ValueError, match="atol and rtol"):
        led.compare("Fig 1", "a", paper=1.0, ours=1.0)
    led.compare("Fig 1", "a", paper=1.0, ours=1.0, atol=0.1)
    with pytest.raises(ValueError, match="recorded twice"):
        led.compare("Fig 1", "a", paper=1.0, ours=1.0, atol=0.1)
    with pytest.raises(ValueError, match="not registered"):
        Ledger("nope", root=tmp_root)


def test_dropping_a_registered_claim_fails(tmp_root):
    led = Ledger("toy", root=tmp_root)
    led.compare("Fig 1", "a", paper=1.0, ours=1.0, atol=0.1)
    led.compare("Fig 1", "b", paper=1.0, ours=1.0, atol=0.1)
    led.save()
    assert check_registry("toy", tmp_root) == [
        "claim Fig 1::a not registered (run `python -m mmkit ledger register`)",
        "claim Fig 1::b not registered (run `python -m mmkit ledger register`)",
    ]
    assert register(["toy"], tmp_root) == {"toy": 2}
    assert check_registry("toy", tmp_root) == []
    # the chapter is changed and stops recording claim b
    led2 = Ledger("toy", root=tmp_root)
    led2.compare("Fig 1", "a", paper=1.0, ours=1.0, atol=0.1)
    with pytest.raises(ValueError, match="may not drop"):
        led2.save()
    assert check_registry("toy", tmp_root) == ["registered claim dropped: Fig 1::b"]


def test_report_lists_unbuilt_items_as_not_yet(tmp_root):
    led = Ledger("toy", root=tmp_root)
    led.compare("Fig 1", "a", paper=1.0, ours=1.0, atol=0.1)
    led.save()
    text = report.render(tmp_root)
    assert "| Fig 1 | a figure | 1 | reproduced |" in text
    assert "| Table 2 | a table | 0 | not yet |" in text
    assert "partial" in text


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
def test_project_ledgers_consistent_with_registry(source):
    """A chapter may not drop a registered claim, nor record an unregistered one."""
    assert check_registry(source, ROOT) == []


@pytest.mark.parametrize("source", all_sources(ROOT))
def test_registry_items_have_chapters_and_bibkeys(source):
    reg = json.loads((ROOT / "reproduction" / "targets" / f"{source}.json").read_text())
    assert reg["items"], "every source lists its figures and tables"
    assert (
        "@" in (ROOT / "references.bib").read_text()
        and reg["bibkey"] in (ROOT / "references.bib").read_text()
    )
    if load_ledger(source, ROOT):
        assert (ROOT / reg["chapter"]).exists()


def test_report_page_is_current():
    assert (ROOT / report.REPORT_PATH).read_text() == report.render(ROOT), (
        "reproduction/report.md is stale: run `python -m mmkit report`"
    )


def test_item_and_source_status():
    rep = {"verdict": "reproduced"}
    close = {"verdict": "close"}
    diff = {"verdict": "differs"}
    assert report.item_status([]) == "not yet"
    assert report.item_status([rep, rep]) == "reproduced"
    assert report.item_status([rep, close]) == "close (1/2 reproduced, 1 close)"
    assert report.item_status([rep, diff]) == "partial (1/2 reproduced)"
    assert report.item_status([diff]) == "differs"
    items = [{"id": "a"}, {"id": "b"}]
    assert report.source_status(items, {"a": [rep], "b": [rep]}) == "full"
    assert report.source_status(items, {"a": [rep], "b": [close]}) == "full, with 1 close claim"
    assert report.source_status(items, {"a": [rep]}) == "partial"
    assert report.source_status(items, {}) == "not yet"


def test_reference_kinds(tmp_root):
    reg = json.loads((tmp_root / "reproduction" / "targets" / "toy.json").read_text())
    reg["items"][0]["reference"] = "digitised"
    (tmp_root / "reproduction" / "targets" / "toy.json").write_text(json.dumps(reg))
    led = Ledger("toy", root=tmp_root)
    led.compare("Fig 1", "a", paper=1.0, ours=1.0, atol=0.1)  # item default
    led.compare("Fig 1", "b", paper=1.0, ours=1.0, atol=0.1, reference="derived")  # override
    led.compare("Table 2", "c", paper=1.0, ours=1.0, atol=0.1)  # global default
    led.qualitative("Table 2", "d", paper="x", ours="x", holds=True)
    assert [c.reference for c in led.claims] == ["digitised", "derived", "printed", "stated"]
    with pytest.raises(ValueError, match="reference must be one of"):
        led.compare("Fig 1", "e", paper=1.0, ours=1.0, atol=0.1, reference="guessed")
    led.save()
    assert "1 digitised, 1 derived, 1 printed, 1 stated" not in report.render(tmp_root)  # order fixed:
    assert "1 printed, 1 digitised, 1 derived, 1 stated" in report.render(tmp_root)
