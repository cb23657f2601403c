"""Kinathil's MM against Das's (mmkit.experiments.kinathil_vs_das): the re-planning variant."""

import pytest

from mmkit.experiments import ShockedMarketConfig, kinathil_mpc_vs_das, kinathil_vs_das


def test_mpc_with_full_lookahead_plays_the_exact_tree():
    cfg = ShockedMarketConfig(rho=2.0, periods=2, runs=400, seed=3)
    tree = kinathil_vs_das(cfg)
    mpc = kinathil_mpc_vs_das(cfg, lookahead=2)
    k_tree = tree["results"]["Kinathil (symbolic PBVI)"]
    k_mpc = mpc["results"]["Kinathil (MPC, 2-step)"]
    # same draws, same (exact) policy of the same model: the same profit, run by run on average
    assert k_mpc[0] == pytest.approx(k_tree[0], abs=1e-9)
    assert mpc["results"]["Das optimal"] == pytest.approx(tree["results"]["Das optimal"][:2])
    assert mpc["paired_diff"][0] == pytest.approx(tree["paired_diff"][0], abs=1e-9)


def test_mpc_long_horizon_runs_and_reports_standard_errors():
    r = kinathil_mpc_vs_das(ShockedMarketConfig(rho=1.0, periods=6, runs=300, seed=0), lookahead=2)
    for mean, se in r["results"].values():
        assert se > 0 and abs(mean) < 10
    assert r["paired_diff"][1] > 0
    with pytest.raises(ValueError, match="lookahead"):
        kinathil_mpc_vs_das(ShockedMarketConfig(periods=2, runs=10), lookahead=0)


def test_summary_rows():
    from mmkit.experiments.kinathil_vs_das import summary_rows

    rows = [
        {"rho": 2.0, "x": 1, "results": {"A (x)": [0.5, 0.1], "B": [0.2, 0.1]}, "paired_diff": [0.3, 0.05]}
    ]
    assert summary_rows(rows) == [{"rho": 2.0, "A": 0.5, "B": 0.2, "K - Das opt.": 0.3, "s.e.": 0.05}]
    assert summary_rows(rows, ("rho", "x"))[0]["x"] == 1
