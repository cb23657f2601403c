"""Tests of the fast sweep, the checks of the paper's statements and the chapter's studies
(mmkit.glosten_milgrom.fastsweep / theory / studies), each against an independent computation:
the per-run simulator, scipy's truncated normal, grid quadrature, Newton's method, sympy."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

import mmkit.glosten_milgrom as gm
from mmkit.glosten_milgrom import (
    Q_STAR,
    TWO_STEP_PATTERNS,
    GMParams,
    GridBelief,
    QuoteTable,
    SymmetricRule,
    crossings,
    fast_sweep,
    fig1_runs,
    fixed_point_iterate,
    gamma_sensitivity,
    gaussian_update,
    half_spread,
    iterations_needed,
    myopic_rule,
    noise_share_study,
    nsf,
    optimal_rule,
    q_myopic,
    q_zero_profit,
    simulate,
    solve_dp,
    stab_labels,
    stabilisation_matches,
    stabilisation_time,
    stabilisation_times,
    sweep,
    truncated_normal_variance,
    two_step_states,
    update_factors,
    variance_factor,
    verify_integrals_sympy,
    verify_update_table_sympy,
    zero_profit_rule,
)
from mmkit.glosten_milgrom.fastsweep import FastSweep

P = GMParams()


@pytest.fixture(scope="module")
def sol():
    return solve_dp(P)


@pytest.fixture(scope="module")
def rules(sol):
    return [optimal_rule(sol), myopic_rule(P), zero_profit_rule(P)]


# ----------------------------------------------------------------------------- fast sweep
def test_fast_sweep_equals_the_per_run_simulator(rules):
    rhos = [0.0, 0.5, 3.0]
    slow = sweep(rules, rhos, P, n_runs=400, n_periods=30, seed=5)
    fast = fast_sweep(rules, rhos, P, n_runs=400, n_periods=30, seed=5)
    for k in ("profit_mean", "profit_se", "mean_spread", "trade_rate", "profit_per_period"):
        np.testing.assert_allclose(getattr(fast, k), getattr(slow, k), rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(
        fast.profit_per_trade, slow.profit_per_trade, rtol=1e-9, atol=1e-11, equal_nan=True
    )
    np.testing.assert_array_equal(fast.stab_time, slow.stab_time)


def test_fast_sweep_standard_errors_and_price_error(rules):
    fast = fast_sweep(rules, [2.0], P, n_runs=300, n_periods=12, seed=1)
    for i, rule in enumerate(rules):
        res = simulate(rule, 2.0, P, n_runs=300, n_periods=12, seed=[1, 2_000_000])
        n = res.n_runs
        np.testing.assert_allclose(
            fast.spread_se[i, 0], res.spread.std(0, ddof=1) / np.sqrt(n), rtol=1e-6, atol=1e-12
        )
        np.testing.assert_allclose(
            fast.profit_per_period_se[i, 0], res.profit.std(0, ddof=1) / np.sqrt(n), rtol=1e-6
        )
        err = np.abs(res.mu[:, 1:] - res.value[:, None])
        np.testing.assert_allclose(fast.price_error[i, 0], err.mean(0), rtol=1e-9)
        np.testing.assert_allclose(fast.price_error_se[i, 0], err.std(0, ddof=1) / np.sqrt(n), rtol=1e-6)
        tr = res.trades != 0
        for t in range(12):
            pt = res.profit[tr[:, t], t]
            if pt.size > 1:
                want = pt.std(ddof=1) / np.sqrt(pt.size)
                np.testing.assert_allclose(fast.profit_per_trade_se[i, 0, t], want, rtol=1e-6)


def test_fast_sweep_round_trips_through_npz(rules, tmp_path):
    fast = fast_sweep(rules[:1], [1.0, 2.0], P, n_runs=50, n_periods=5, seed=3)
    fast.to_npz(tmp_path / "s.npz")
    back = FastSweep.from_npz(tmp_path / "s.npz")
    assert back.names == fast.names and back.seed == 3 and back.n_runs == 50
    np.testing.assert_array_equal(back.mean_spread, fast.mean_spread)
    np.testing.assert_array_equal(back.at("profit_mean", [2.0]), fast.profit_mean[:, [1]])


def test_fast_sweep_rejects_bad_input(rules):
    with pytest.raises(ValueError, match="noise_share"):
        fast_sweep(rules, [1.0], GMParams(noise_share=0.1))
    with pytest.raises(TypeError, match="SymmetricRule"):
        fast_sweep([lambda m, s: (m - 1, m + 1)], [1.0], P)
    with pytest.raises(ValueError, match="n_runs"):
        fast_sweep(rules, [1.0], P, n_runs=1)
    with pytest.raises(ValueError, match="rho"):
        fast_sweep(rules, [-1.0], P)


@pytest.mark.parametrize("f", [q_zero_profit, q_myopic])
def test_quote_table_matches_newton(f):
    tab = QuoteTable(f)
    r = np.linspace(0, 5, 20001)
    assert np.abs(tab(r) - f(r)).max() < 1e-10
    assert abs(float(tab(5.5)) - float(f(5.5))) < 1e-13  # above the table: exact solver


def test_quote_table_rejects_bad_input():
    with pytest.raises(ValueError, match="q_of_rho"):
        QuoteTable(np.sqrt)
    with pytest.raises(ValueError, match="step"):
        QuoteTable(q_myopic, step=0.0)
    with pytest.raises(ValueError, match="rho_max"):
        QuoteTable(q_myopic, rho_max=-1.0)


def test_stabilisation_times_vectorise_the_scalar_definition():
    rng = np.random.default_rng(0)
    ms = rng.uniform(1.0, 3.0, size=(3, 4, 30))
    ms[0, 0] = 5.0  # never reached
    got = stabilisation_times(ms, factor=1.2)
    for idx in np.ndindex(3, 4):
        want = stabilisation_time(ms[idx], factor=1.2)
        assert got[idx] == (-1 if want is None else want)
    with pytest.raises(ValueError, match="factor"):
        stabilisation_times(ms, factor=0.0)


# ----------------------------------------------------------------------------- Theorem 2.1
@pytest.mark.parametrize("lo, hi", [(0.5, np.inf), (-1.0, 1.0), (-np.inf, 0.2), (3.0, 9.0), (-7.0, -6.5)])
def test_truncated_normal_variance_matches_scipy(lo, hi):
    assert truncated_normal_variance(lo, hi) == pytest.approx(stats.truncnorm(lo, hi).var(), rel=1e-9)


def test_truncated_normal_variance_rejects_empty_interval():
    with pytest.raises(ValueError, match="lo < hi"):
        truncated_normal_variance(1.0, 1.0)


def test_variance_factor_is_the_update_table():
    r, q = np.meshgrid(np.linspace(0.05, 5, 40), np.linspace(0.01, 6, 50))
    a, b, _ = update_factors(r, q)
    np.testing.assert_allclose(variance_factor(r, q, np.inf), a**2, rtol=1e-9, atol=1e-13)
    np.testing.assert_allclose(variance_factor(r, -q, q), b**2, rtol=1e-9, atol=1e-13)


@settings(max_examples=60, deadline=None)
@given(
    rho=st.floats(0.05, 5.0),
    lo=st.floats(-4.0, 4.0),
    width=st.floats(0.05, 6.0),
)
def test_theorem_21_bound_for_any_quotes(rho, lo, width):
    """(1 - c) < sigma'^2 / sigma^2 < 1 for any interval event, and it is the exact one-step
    posterior variance of a Gaussian prior (grid quadrature)."""
    hi = lo + width
    f = float(variance_factor(rho, lo, hi))
    c = rho**2 / (1 + rho**2)
    assert 1 - c < f < 1
    # independent: posterior of V ~ N(0, rho^2) after the trader estimate w = V + eps lies in
    # (lo, hi) * sqrt(1 + rho^2) (sigma_eps = 1), by quadrature on a grid
    s = np.sqrt(1 + rho**2)
    v = np.linspace(-10 * rho, 10 * rho, 40001)
    lik = stats.norm.cdf(hi * s - v) - stats.norm.cdf(lo * s - v)
    post = stats.norm.pdf(v / rho) * lik
    post /= integrate.trapezoid(post, v)
    m = integrate.trapezoid(v * post, v)
    var = integrate.trapezoid((v - m) ** 2 * post, v)
    assert var / rho**2 == pytest.approx(f, rel=1e-6, abs=1e-9)


# ----------------------------------------------------------------------------- fixed points
@pytest.mark.parametrize("kind, root", [("zero-profit", q_zero_profit), ("myopic", q_myopic)])
def test_fixed_point_iteration_converges_to_the_newton_root(kind, root):
    r = np.array([0.3, 1.0, 2.0])
    np.testing.assert_allclose(fixed_point_iterate(kind, r, 1.0, 600), root(r), rtol=1e-10)


@pytest.mark.parametrize("kind, root", [("zero-profit", q_zero_profit), ("myopic", q_myopic)])
def test_iterations_needed_is_the_first_iteration_within_tolerance(kind, root):
    r = np.array([0.5, 1.5, 3.0])
    n = iterations_needed(kind, r, rtol=1e-4)
    for rho, k in zip(r, n):
        q_true = float(root(rho))
        assert abs(float(fixed_point_iterate(kind, rho, 1.0, k)) - q_true) <= 1e-4 * q_true
        assert abs(float(fixed_point_iterate(kind, rho, 1.0, k - 1)) - q_true) > 1e-4 * q_true
    warm = iterations_needed(kind, r, rtol=1e-4, warm=True)
    assert warm[0] == n[0]  # the first node starts cold
    assert abs(
        float(fixed_point_iterate(kind, 1.5, float(root(0.5)), warm[1])) - float(root(1.5))
    ) <= 1.5e-4 * float(root(1.5))


def test_fixed_point_functions_reject_bad_input():
    with pytest.raises(ValueError, match="kind"):
        fixed_point_iterate("optimal", 1.0)
    with pytest.raises(ValueError, match="n_iter"):
        fixed_point_iterate("myopic", 1.0, n_iter=-1)
    with pytest.raises(ValueError, match="rhos"):
        iterations_needed("myopic", [0.0, 1.0])
    with pytest.raises(ValueError, match="increasing"):
        iterations_needed("myopic", [2.0, 1.0], warm=True)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        # each of these returned a result before (issue 11): a str flag, zero iterations, a
        # string interval end, a string start, a negative tolerance, a grid with a zero rho
        (lambda: iterations_needed("myopic", [1.0, 2.0], warm="yes"), "warm"),
        (lambda: gm.cold_start_error(3.0, n_iter=0), "n_iter"),
        (lambda: gm.cold_start_error(0.0), "rho"),
        (lambda: truncated_normal_variance("1.0", 2.0), "lo"),
        (lambda: fixed_point_iterate("myopic", 1.0, q0="1.0"), "q0"),
        (lambda: iterations_needed("myopic", [1.0], max_iter=2.5), "max_iter"),
        (lambda: gm.fixed_point_table([1.0, 2.0], [1.0], tols=(-1e-3,)), "tols"),
        (lambda: gm.table_vs_exact([(0.0, 1.0)]), "cases"),
        (lambda: gm.theorem21_grid([0.0], [1.0]), "rho"),
        (lambda: stab_labels([1.5, 3]), "times"),
    ],
)
def test_theory_helpers_refuse_what_they_used_to_accept(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


def test_iterations_needed_bounds_its_work():
    with pytest.raises(ValueError, match="max_iter"):
        iterations_needed("myopic", [1.0], max_iter=10**9)


# ----------------------------------------------------------------------------- sympy (slow)
def test_sympy_update_table_residuals_are_zero():
    assert all(v == 0 for v in verify_update_table_sympy().values())


@pytest.mark.slow
def test_sympy_closed_forms_of_the_integrals():
    assert all(res == 0 and lim == 0 for res, lim in verify_integrals_sympy().values())


# ----------------------------------------------------------------------------- studies
def test_two_step_states_follow_the_update_by_hand():
    rule = zero_profit_rule(P)
    out = two_step_states(rule, 3.0, 1.5, P)
    assert set(out) == set(TWO_STEP_PATTERNS)
    mu, sg = np.array([3.0]), np.array([1.5])
    for x in (1, 0):
        b, a = rule(mu, sg)
        mu, sg = gaussian_update(mu, sg, b, a, np.array([x]), P)
    assert out[(1, 0)] == pytest.approx((float(mu[0]), float(sg[0])), rel=1e-12)
    assert out[(1, 1)][1] == pytest.approx(out[(-1, -1)][1], rel=1e-12)  # symmetry
    with pytest.raises(ValueError, match="sigma0"):
        two_step_states(rule, 3.0, 0.0)


def test_fig1_runs_carry_the_exact_posterior():
    rule = zero_profit_rule(P)
    runs = fig1_runs(rule, n_seq=5, steps=(1, 3), seed=1)
    eps = np.random.default_rng(1).standard_normal((5, 3))
    bel = GridBelief.gaussian(3.0, 1.5, runs.v)
    mu, sg = np.array([3.0]), np.array([1.5])
    for t in range(3):  # sequence 2 by hand, one belief at a time
        b, a = rule(mu, sg)
        w = 2.0 + eps[2, t]
        x = int(w > a[0]) - int(w < b[0])
        bel = bel.update(b[0], a[0], x, P)
        mu, sg = gaussian_update(mu, sg, b, a, np.array([x]), P)
    np.testing.assert_allclose(runs.moments[1, :, 2], [bel.mean(), bel.sd(), mu[0], sg[0]], rtol=1e-10)
    best, rms = runs.closest(runs.moments[:, :, 4])
    assert best == 4 and rms[4] == 0
    me, se_ = runs.errors()
    assert me.shape == se_.shape == (2, 5)


def test_crossings_are_roots(sol):
    c = crossings(sol)
    assert abs(float(half_spread(c["myopic_exit"], q_myopic(c["myopic_exit"]))) - 10) < 1e-9
    assert abs(float(half_spread(c["zero_exit"], q_zero_profit(c["zero_exit"]))) - 10) < 1e-9
    assert abs(float(sol.one_step_profit(c["opt_loss"]))) < 1e-9
    assert 1.0 < c["opt_below_zero"] < 2.0


def test_stab_labels_and_matches():
    assert stab_labels([0, 80, 81, -1]) == [0, 80, ">80", ">80"]
    T = 50
    ms = np.full((2, 3, T), 10.0)
    ms[0, 0, 5:] = 1.0  # rule 0, rho 0: stabilises at 5
    ms[1, 1, 7:] = 1.7  # rule 1, rho 1: 1.7 <= 1.1 * 2 q* = 1.654? no; <= 1.2 * 1.504 = 1.804 yes
    pts = {"a": (0, [0.0], [5]), "b": (1, [1.0], [7])}
    got = stabilisation_matches(ms, np.array([0.0, 1.0, 2.0]), pts, [1.1, 1.2], cap=80)
    np.testing.assert_array_equal(got["a"], [1, 1])
    np.testing.assert_array_equal(got["b"], [0, 1])
    np.testing.assert_array_equal(got["total"], [1, 2])


def test_gamma_sensitivity_value_at_zero_is_closed_form():
    g = gamma_sensitivity([0.5, 0.9], rho=[1.0])
    want = 2 * Q_STAR * float(nsf(Q_STAR)) / (1 - g["gamma"])
    np.testing.assert_allclose(g["v0"], want, rtol=1e-9)
    assert g["half_spread"].shape == (2, 1)
    assert np.all(np.isfinite(g["opt_below_zero"]))


def test_noise_share_study_at_zero_share_is_the_plain_simulation(sol):
    out = noise_share_study(sol, [0.0, 0.3], rho=2.0, n_runs=200, n_periods=10, seed=4)
    res = simulate(optimal_rule(sol), 2.0, P, n_runs=200, n_periods=10, seed=4)
    np.testing.assert_allclose(out["spread"][0, 0], res.mean_spread(), rtol=1e-12)
    np.testing.assert_allclose(out["trades"][0, 0], np.cumsum(res.trade_rate()), rtol=1e-12)
    assert out["profit"].shape == (2, 2)
    assert np.all(out["max_sd_ratio"][0] <= 1 + 1e-12)  # Theorem 2.1 with informed traders only
    assert not np.allclose(out["spread"][1], out["spread"][0])


def test_symmetric_rule_q_is_used_by_noise_study(sol):
    r = SymmetricRule(q_zero_profit, 1.0, "z")
    b, a = r(np.array([0.0]), np.array([2.0]))
    assert float(a[0]) == pytest.approx(float(half_spread(2.0, q_zero_profit(2.0))))


# ----------------------------------------------------------------------------- chapter helpers
def test_integrals_vs_quadrature_is_small_and_validates():
    assert gm.integrals_vs_quadrature(n=20, seed=3) < 1e-9
    with pytest.raises(ValueError, match="n"):
        gm.integrals_vs_quadrature(n=0)


def test_table_vs_exact_rows_are_the_update_factors():
    rows, err = gm.table_vs_exact([(1.0, 0.75), (3.0, 0.5)], v_grid=np.linspace(-40, 40, 40001))
    a, b, k = update_factors(np.array([1.0, 3.0]), np.array([0.75, 0.5]))
    np.testing.assert_allclose(rows[:, :3], np.column_stack([a, b, k]), rtol=1e-12)
    np.testing.assert_allclose(rows[:, 3], rows[:, 4], rtol=1e-8)  # exact sd ratio = alpha
    np.testing.assert_allclose(rows[:, 5], rows[:, 6], rtol=1e-8)  # exact sd ratio = beta
    assert err < 1e-8


def test_theorem21_grid_summary():
    th = gm.theorem21_grid(np.linspace(0, 4, 41), np.linspace(0, 5, 51))
    assert th["n"] == 41 * 51 and th["lower_ok"]
    assert 0.9 < th["max_factor"] < 1 and th["identity_err"] < 1e-10
    assert th["alpha2"].shape == (41, 51) and np.all(th["alpha2"][0] == 1.0)  # rho = 0


def test_fixed_point_table_and_cold_start_error():
    cold = np.array([0.5, 1.0, 3.0])
    tab = gm.fixed_point_table(np.array([0.1, 0.2, 0.3]), cold, tols=(1e-3,))
    want = iterations_needed("myopic", cold, rtol=1e-3).max()
    assert tab.loc[("myopic", "0.001"), "max cold"] == want
    err = gm.cold_start_error(3.0, n_iter=10)
    assert err["myopic"] == pytest.approx(
        float(fixed_point_iterate("myopic", 3.0, 1.0, 10) / q_myopic(3.0)) - 1
    )


def test_two_step_table_and_quote_table(sol):
    rules = [zero_profit_rule(P), myopic_rule(P)]
    tab = gm.two_step_table(rules, [1.5])
    assert tab.loc["Myopic, sigma0=1.5", "trade, none"] == pytest.approx(
        two_step_states(rules[1], 3.0, 1.5)[(1, 0)][1], rel=1e-12
    )
    runs = fig1_runs(rules[0], n_seq=3, steps=(2,), seed=0)
    qt = gm.fig1_quote_table(runs, 1, {"zero": rules[0], "myopic": rules[1]})
    g = GridBelief(runs.v, runs.p[2][1])
    assert qt.loc[2, ("zero", "exact", "ask")] == pytest.approx(g.zero_profit_quotes(P)[1])
    b, a = rules[1](runs.moments[0, 2, [1]], runs.moments[0, 3, [1]])
    assert qt.loc[2, ("myopic", "Gauss", "bid")] == pytest.approx(float(b[0]))


def test_convergence_times():
    m = np.array([[5.0, 3.0, 1.6, 1.5, 1.5], [5.0, 0.1, 2.0, 0.1, 0.05]])
    np.testing.assert_array_equal(gm.convergence_times(m, [1.5, 0.0], 0.15), [2, 3])
    np.testing.assert_array_equal(gm.convergence_times(m, [1.5, 3.0], 0.15), [2, -1])
    with pytest.raises(ValueError, match="tol"):
        gm.convergence_times(m, [1.5, 0.0], 0.0)
    with pytest.raises(ValueError, match="limits"):
        gm.convergence_times(m, [1.5], 0.1)


def test_gaussian_world_check_against_the_dp(sol):
    out = gm.gaussian_world_check([(optimal_rule(sol), sol.v)], sol.rho, [1.0, 3.0], P, n_runs=1500)
    np.testing.assert_allclose(out[0, :, 0], sol.value([1.0, 3.0]), rtol=1e-12)
    assert np.all(np.abs(out[0, :, 1] - out[0, :, 0]) < 4 * out[0, :, 2])


def test_figure_helpers_draw_curves_crosses_and_maps():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mmkit.glosten_milgrom import paper_points, plot_curves, plot_heatmaps

    np.testing.assert_array_equal(np.isnan(paper_points([1, ">80", 2.5])), [False, True, False])
    fig, (ax, ax2) = plt.subplots(1, 2)
    plot_curves(
        ax,
        [0, 1, 2],
        [[1, 2, 3], [3, 2, 1]],
        ["r", "b"],
        labels=["a", "b"],
        paper=[([0, 1], [1, ">80"]), None],
    )
    assert len(ax.lines) == 2 + 1 + 1  # two curves, one set of crosses, the legend proxy
    assert ax.get_legend() is not None
    with pytest.raises(ValueError, match="colors"):
        plot_curves(ax, [0, 1], [[1, 2], [2, 3]], ["r"])
    im = plot_heatmaps([ax2], [0, 1], [0, 1, 2], [np.zeros((3, 2))], ["t"], xlabel="x", ylabel="y")
    assert im is not None and ax2.get_title() == "t"
    plt.close(fig)


@pytest.mark.parametrize("rule", [myopic_rule(P), zero_profit_rule(P)])
def test_rule_table_matches_the_closed_forms(rule):
    from mmkit.glosten_milgrom.fastsweep import _RuleTable

    x = np.linspace(0, 5, 20001)
    h, a, b, k = _RuleTable(rule, 5.0)(x)
    q = rule.q_of_rho(x)
    A, B, K = update_factors(x, q)
    np.testing.assert_allclose(h, q * np.sqrt(1 + x * x), atol=1e-10)
    for got, want in ((a, A), (b, B), (k, K)):
        np.testing.assert_allclose(got, want, atol=1e-10)


def test_fig1_runs_and_gamma_sensitivity_validate_and_pass_grids():
    with pytest.raises(ValueError, match="width"):
        fig1_runs(zero_profit_rule(P), n_seq=2, width=0.0)
    narrow = fig1_runs(zero_profit_rule(P), n_seq=2, steps=(2,), width=6.0)
    assert narrow.v[0] == pytest.approx(3.0 - 6 * 1.5) and narrow.v[-1] == pytest.approx(3.0 + 6 * 1.5)
    g = gamma_sensitivity(
        [0.9], rho=[1.0], rho_grid=np.arange(0, 2.0001, 0.05), q_grid=np.arange(0.3, 3, 0.01)
    )
    assert g["solutions"][0].rho[-1] == pytest.approx(2.0)
    assert g["v0"][0] == pytest.approx(2 * Q_STAR * float(nsf(Q_STAR)) / 0.1, rel=1e-9)


@pytest.mark.slow
def test_exact_vs_gaussian_artifact_is_current(sol):
    """The committed das-sim artifact equals a recomputation of its first rho (the chapter
    loads it without recomputing, to stay within its CPU budget)."""
    from mmkit.book.paths import artifacts_dir
    from mmkit.glosten_milgrom import exact_vs_gaussian

    with np.load(artifacts_dir("glosten_milgrom") / "exact_vs_gaussian.npz", allow_pickle=False) as d:
        ev = {k: d[k] for k in d.files}
    n_runs, n_per, n_grid, seed = (int(v) for v in ev["n"])
    got = exact_vs_gaussian(
        sol,
        ev["rho"][:1],
        n_runs=n_runs,
        n_periods=n_per,
        seed=seed,
        grid_points=n_grid,
        divergence_at=ev["div_t"],
    )
    for k in ("profit_gauss", "profit_exact", "diff", "kl", "w1_rel"):
        np.testing.assert_allclose(got[k][0], ev[k][0], rtol=1e-8, atol=1e-9)  # diff ~ 0: round-off


def test_table_vs_integrals_agrees_and_validates():
    assert gm.table_vs_integrals(n=200, seed=1) < 1e-10
    with pytest.raises(ValueError, match="n"):
        gm.table_vs_integrals(n=0)


def test_fast_sweep_progress_bar_changes_nothing_but_stderr(capsys):
    rules = [myopic_rule()]
    quiet = fast_sweep(rules, [0.5, 1.0], n_runs=20, n_periods=3, seed=1)
    assert capsys.readouterr().err == ""
    shown = fast_sweep(rules, [0.5, 1.0], n_runs=20, n_periods=3, seed=1, progress=True)
    assert "rho" in capsys.readouterr().err
    np.testing.assert_array_equal(quiet.mean_spread, shown.mean_spread)
