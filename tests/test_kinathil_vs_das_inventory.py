"""Kinathil's MM against Das's where inventory binds (mmkit.experiments.kinathil_vs_das_inventory)."""

import numpy as np
import pytest

from mmkit import glosten_milgrom as gmm
from mmkit.experiments import ShockedMarketConfig
from mmkit.experiments.kinathil_vs_das_inventory import _paired as paired
from mmkit.experiments.kinathil_vs_das_inventory import das_with_inventory, inventory_binds_study

PARAMS = gmm.GMParams(sigma_eps=1.0, gamma=0.9)


def draws(rho: float, runs: int, T: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    V = rho * rng.standard_normal(runs)
    return V, V[:, None] + rng.standard_normal((runs, T))


def test_unconstrained_das_equals_the_glosten_milgrom_simulator():
    """With more units than periods the constraint never binds: the same profits as
    gmm.simulate on the same seed (its draws are V, then the trader noise)."""
    rule = gmm.optimal_rule(gmm.solve_dp(PARAMS))
    V, W = draws(2.0, 3000, 8)
    prof, at_zero, inv = das_with_inventory(rule, 2.0, PARAMS, V, W, inventory=8)
    ref = gmm.simulate(rule, 2.0, PARAMS, n_runs=3000, n_periods=8, seed=0).discounted_profit()
    assert np.abs(prof - ref).max() < 1e-9
    assert at_zero.sum() == 0 and inv.min() >= 0


def test_zero_inventory_blocks_buys_and_never_goes_short():
    rule = gmm.myopic_rule(PARAMS)
    V, W = draws(2.0, 2000, 6, seed=1)
    prof, at_zero, inv = das_with_inventory(rule, 2.0, PARAMS, V, W, inventory=0)
    free, _, _ = das_with_inventory(rule, 2.0, PARAMS, V, W, inventory=6)
    assert inv.min() >= 0
    assert at_zero[:].min() >= 1  # every run starts at zero: the constraint binds
    assert not np.allclose(prof, free)


def test_study_reports_every_difference_with_a_standard_error():
    cfg = ShockedMarketConfig(rho=2.0, periods=4, runs=400, seed=0, inventory=0)
    r = inventory_binds_study(cfg, lookahead=2)
    assert r["inventory"] == 0
    for key in ("paired_diff", "diff_vs_myopic", "das_opt_vs_myopic"):
        mean, se = r[key]
        assert se > 0 and abs(mean) < 10
    names = list(r["results"])
    assert names[0].startswith("Kinathil") and set(r["zero_share"]) == set(names)
    # the three differences are consistent: (K - opt) - (K - myopic) = myopic - opt
    assert r["paired_diff"][0] - r["diff_vs_myopic"][0] == pytest.approx(
        -r["das_opt_vs_myopic"][0], abs=1e-12
    )
    assert min(r["zero_share"].values()) >= 1 / 4  # all start at 0


def test_paired_and_inputs_are_validated():
    assert paired(np.array([1.0, 3.0]), np.array([0.0, 0.0])) == pytest.approx((2.0, 1.0))
    with pytest.raises(ValueError, match="runs"):
        paired(np.array([1.0]), np.array([0.0]))
    with pytest.raises(ValueError, match="inventory"):
        das_with_inventory(gmm.myopic_rule(PARAMS), 1.0, PARAMS, np.zeros(3), np.zeros((3, 2)), -1)
    with pytest.raises(TypeError, match="params"):
        das_with_inventory(gmm.myopic_rule(PARAMS), 1.0, None, np.zeros(3), np.zeros((3, 2)), 0)


def test_inventory_rows_format_each_difference_with_its_standard_error():
    from mmkit.experiments.kinathil_vs_das_inventory import inventory_rows

    row = {
        "setting": "base",
        "inventory": 0,
        "rho": 2.0,
        "results": {
            "Kinathil (MPC, 3-step)": [0.1, 0.01],
            "Das optimal": [0.5, 0.01],
            "Das myopic": [0.3, 0.01],
        },
        "paired_diff": [-0.4, 0.012],
        "diff_vs_myopic": [-0.2, 0.0111],
        "zero_share": {"Kinathil (MPC, 3-step)": 0.5, "Das optimal": 0.25, "Das myopic": 0.2},
    }
    (r,) = inventory_rows([row])
    assert r["K - opt."] == "-0.400 ± 0.012" and r["K - myopic"] == "-0.200 ± 0.011"
    assert r["at 0 (K / opt.)"] == "0.50 / 0.25" and r["Kinathil"] == 0.1
    with pytest.raises(ValueError, match="keys"):
        inventory_rows([{"setting": "base"}])
