"""Batched look-ahead (mmkit.symbolic.lookahead) and the grid-refinement study
(mmkit.experiments.kinathil_vs_das_grid)."""

import math

import numpy as np
import pytest

from mmkit.experiments import ShockedMarketConfig, kinathil_mpc_vs_das
from mmkit.experiments.kinathil_vs_das import kinathil_model
from mmkit.experiments.kinathil_vs_das_grid import (
    convergence_rows,
    grid_refinement_study,
    grid_verdict,
    refined_grid,
)
from mmkit.symbolic.bounds import CellDP
from mmkit.symbolic.lookahead import BatchedCellDP


@pytest.mark.parametrize("n", [3, 5, 7])
def test_batched_q_equals_the_node_by_node_recursion(n):
    cfg = ShockedMarketConfig(rho=2.0, periods=4, runs=2, price_grid=refined_grid(1.5, n))
    model, prior = kinathil_model(cfg)
    slow, fast = CellDP(model, prior), BatchedCellDP(model, prior)
    rng = np.random.default_rng(7)
    err = 0.0
    for _ in range(10):
        m = rng.dirichlet(np.ones(len(slow.mids)))
        for h in (1, 2, 3):
            for i in (0, h - 1, h, 5):  # i < h takes the fallback, i >= h the batched path
                err = max(err, float(np.abs(slow.q(m, i, h) - fast.q(m, i, h)).max()))
    assert err < 1e-12
    assert fast.planned >= 10 * 3 * 2  # at least i = h and i = 5 (inner calls of the fallback too)
    # buys depend on the ask only, sales on the bid only: fewer distinct rows than (a, o)
    assert fast._D.shape[0] < 3 * len(model.actions)


def test_grid_study_reproduces_the_unbatched_mpc_comparison():
    cfg = ShockedMarketConfig(rho=1.0, periods=4, runs=300, seed=2, price_grid=refined_grid(1.5, 3))
    ref = kinathil_mpc_vs_das(cfg, lookahead=3)
    r = grid_refinement_study(cfg, (3, 5), 1.5, lookahead=3)
    assert r["rows"][0]["paired_diff"][0] == pytest.approx(ref["paired_diff"][0], abs=1e-12)
    assert r["das_optimal"][0] == pytest.approx(ref["results"]["Das optimal"][0], abs=1e-12)
    # the change between grids is the paired difference of the two paired differences
    ch = r["steps"][0]["change"]
    assert ch[0] == pytest.approx(r["rows"][1]["paired_diff"][0] - r["rows"][0]["paired_diff"][0], abs=1e-12)
    assert ch[1] > 0 and r["rows"][1]["planned"] > 0


def test_refined_grid_is_nested():
    coarse, fine = refined_grid(1.5, 5), refined_grid(1.5, 9)
    assert coarse == (-1.5, -0.75, 0.0, 0.75, 1.5)
    assert set(coarse) <= set(fine) and fine[1] - fine[0] == pytest.approx(0.375)
    with pytest.raises(ValueError, match="n"):
        refined_grid(1.5, 1)
    with pytest.raises(ValueError, match="sizes"):
        grid_refinement_study(ShockedMarketConfig(runs=2, periods=1), (9, 5), 1.5)


def _study(diffs, changes):
    return {
        "setting": "base",
        "rho": 1.0,
        "rows": [{"prices": n, "paired_diff": d} for n, d in zip((5, 9, 17), diffs)],
        "steps": [{"from": 0, "to": 0, "change": c} for c in changes],
    }


def test_grid_verdict_settles_only_a_contracting_sequence_far_from_zero():
    s = _study([(-0.4, 0.01), (-0.2, 0.01), (-0.18, 0.01)], [(0.2, 0.01), (0.02, 0.005)])
    v = grid_verdict(s)
    assert v["contracting"] and v["settled"] and v["winner"] == "Das optimal"
    assert v["tail"] == pytest.approx(0.02 * 0.1 / 0.9)
    # the same last grid but growing changes: not settled
    assert not grid_verdict(
        _study([(-0.4, 0.01), (-0.38, 0.01), (-0.18, 0.01)], [(0.02, 0.01), (0.2, 0.01)])
    )["settled"]
    # contracting but the difference within the tail and 2 s.e. of zero: not settled
    w = grid_verdict(_study([(-0.4, 0.01), (-0.1, 0.01), (0.01, 0.01)], [(0.3, 0.01), (0.11, 0.01)]))
    assert w["contracting"] and not w["settled"] and w["winner"] == "Kinathil"
    with pytest.raises(ValueError, match="three grids"):
        grid_verdict({"rows": s["rows"][:2], "steps": s["steps"][:1]})


def test_convergence_rows():
    rows = convergence_rows(
        [_study([(-0.4, 0.01), (-0.2, 0.01), (-0.18, 0.01)], [(0.2, 0.01), (0.02, 0.005)])]
    )
    assert [r["prices"] for r in rows] == [5, 9, 17]
    assert math.isnan(rows[0]["change"]) and rows[2]["change"] == 0.02 and rows[1]["s.e."] == 0.01
    with pytest.raises(TypeError, match="rows"):
        convergence_rows({"rows": []})
    with pytest.raises(ValueError, match="setting"):
        convergence_rows([{"rows": [], "steps": []}])
