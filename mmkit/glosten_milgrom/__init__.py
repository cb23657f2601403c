r"""Glosten-Milgrom market making after a shock (Das & Magdon-Ismail 2008).

The model
---------
At time 0 a shock fixes the true value :math:`V \sim N(\mu_0, \sigma_0^2)`; it never moves
again. In every period :math:`t = 0, 1, \dots` the market maker (MM) quotes a bid
:math:`b_t \le a_t` ask for one unit. One trader arrives with a private estimate
:math:`w_t = V + \varepsilon_t`, :math:`\varepsilon_t \sim N(0, \sigma_\varepsilon^2)` i.i.d.,
buys if :math:`w_t > a_t`, sells if :math:`w_t < b_t`, otherwise does nothing. The MM sees only
the direction :math:`x_t \in \{+1, 0, -1\}` and earns :math:`a_t - V` on a buy, :math:`V - b_t`
on a sell. Objective: :math:`R = \sum_t \gamma^t r_t`. There are no uninformed traders in the
paper; ``GMParams.noise_share`` optionally adds them (Kinathil-style: a trader is uninformed
with that probability and then buys, sells or holds with probability 1/3 each). The closed forms,
the market makers for Gaussian beliefs and the DP need ``noise_share == 0``; the exact grid
update, the general moment-matched update and the simulator accept any share in [0, 1).

The MM's *information disadvantage* is :math:`\rho_t = \sigma_t/\sigma_\varepsilon`. With a
Gaussian belief :math:`N(\mu_t, \sigma_t^2)` and symmetric quotes
:math:`\mu_t \pm \delta_t`, write :math:`q_t = \delta_t / (\sigma_\varepsilon\sqrt{1+\rho_t^2})`.
Then (Das & Magdon-Ismail, sec. 2.5)

======  ==================  ===========================  ======================
 x_t     probability         mu_{t+1}                     sigma_{t+1}
======  ==================  ===========================  ======================
 +1      Q(q)                mu + kappa sigma             alpha sigma
  0      2 Phi(q) - 1        mu                           beta sigma
 -1      Q(q)                mu - kappa sigma             alpha sigma
======  ==================  ===========================  ======================

.. math::

    \alpha^2 = 1 - \frac{\rho^2}{1+\rho^2}\,\lambda(q)(\lambda(q) - q), \quad
    \beta^2 = 1 - \frac{\rho^2}{1+\rho^2}\,\frac{2 q N(q)}{2\Phi(q)-1}, \quad
    \kappa = \frac{\rho}{\sqrt{1+\rho^2}}\,\lambda(q),

with :math:`Q = 1-\Phi` and the inverse Mills ratio :math:`\lambda = N/Q`. Both factors are
< 1 (Theorem 2.1: the variance never increases). The expected one-step profit is
:math:`r(\rho, q) = 2\sigma_\varepsilon\sqrt{1+\rho^2}\,[q Q(q) - \tfrac{\rho^2}{1+\rho^2} N(q)]`.

Quick reference (all public)
----------------------------
Parameters and validation
    :class:`GMParams` (``sigma_eps``, ``gamma``, ``noise_share``). Bad input raises
    ``ValueError`` naming the parameter (``sigma_eps <= 0``, ``gamma`` outside (0, 1),
    ``rho < 0``, ``bid > ask``, a belief that cannot be normalised).
Normal helpers
    :func:`npdf`, :func:`ncdf`, :func:`nsf`, :func:`mills`.
Gaussian beliefs
    :func:`update_factors` (closed-form alpha, beta, kappa of the table), :func:`gaussian_update`
    (moment matching through the integrals A, B, C of :func:`abc_integrals`; any quotes, any
    noise share), :func:`I_integral`, :func:`J_integral`, :func:`K_integral`.
Market makers for Gaussian beliefs (functions of rho, in units of sigma_eps)
    :func:`q_zero_profit`, :func:`q_myopic`, :data:`Q_STAR`, :func:`one_step_profit`,
    :func:`trade_probability`, :func:`half_spread`.
Exact beliefs
    :class:`GridBelief` (one or a batch of beliefs on a shared grid: ``update``, ``mean``,
    ``sd``, and for one belief ``zero_profit_quotes``, ``myopic_quotes``), :func:`grid_likelihood`,
    :func:`belief_divergences`, :class:`AdaptiveGridPosterior` (one grid per simulated run that
    follows the posterior as it narrows).
Dynamic programme
    :func:`default_rho_grid`, :func:`solve_dp` returning :class:`DPSolution` (``value(rho)``,
    ``q(rho)``, ``half_spread(rho)``, ``one_step_profit(rho)``), :func:`evaluate_policy` (value
    of a fixed rule, e.g. the myopic one).
Quoting rules and simulation
    :class:`SymmetricRule`, :func:`zero_profit_rule`, :func:`myopic_rule`,
    :func:`optimal_rule`; :func:`simulate` returning :class:`SimResult` (per-run, per-period
    ``profit``, ``spread``, ``trades``, quotes and beliefs; ``discounted_profit()``,
    ``profit_per_trade()``, ``profit_per_period()``, ``trade_rate()``, ``mean_spread()``);
    :func:`sweep` returning :class:`SweepResult` (summaries over a rho grid);
    :func:`stabilisation_time`; :func:`exact_vs_gaussian` (Gaussian-state vs exact-state
    optimal MM, ``python -m mmkit das-sim`` in :mod:`mmkit.book`).
Fast sweep (:mod:`~mmkit.glosten_milgrom.fastsweep`)
    :func:`fast_sweep` returning :class:`FastSweep` (the sweep's summaries with standard
    errors and the price-discovery error; ``python -m mmkit das-sweep``), :class:`QuoteTable`,
    :func:`stabilisation_times`, :data:`SWEEP_RHOS`.
The paper's statements (:mod:`~mmkit.glosten_milgrom.theory`)
    :func:`verify_integrals_sympy`, :func:`verify_update_table_sympy` (Fig. 2 by sympy),
    :func:`truncated_normal_variance`, :func:`variance_factor` (Theorem 2.1),
    :func:`fixed_point_iterate`, :func:`iterations_needed` ("10 fixed point iterations").
Studies (:mod:`~mmkit.glosten_milgrom.studies`)
    :func:`two_step_states`, :func:`fig1_runs`, :func:`crossings`, :func:`stab_labels`,
    :func:`stabilisation_matches`, :func:`gamma_sensitivity`, :func:`noise_share_study`.

A quoting rule is any callable ``rule(mu, sigma) -> (bid, ask)`` on arrays of Gaussian belief
states (one entry per simulated run), so other chapters can plug in their own pricing, e.g.
``simulate(SymmetricRule(lambda rho: 1.2 + 0 * rho), rho=2.0,
params=GMParams(noise_share=0.5))`` quotes a fixed q = 1.2 in a market where half the
traders are uninformed (the MM's Gaussian update then accounts for them).

Examples
--------
>>> p = GMParams(sigma_eps=1.0, gamma=0.9)
>>> sol = solve_dp(p)                                  # about 1,000 rho nodes, < 1 s
>>> round(float(sol.value(0.0)), 4), round(float(sol.half_spread(3.0)), 2)
(3.3994, 4.54)
>>> res = simulate(optimal_rule(sol), rho=3.0, params=p, n_runs=2000, seed=0)
>>> res.profit.shape, res.spread.shape, res.trades.shape  # (runs, periods)
((2000, 100), (2000, 100), (2000, 100))
"""

from __future__ import annotations

# The family's public names are its modules' ``__all__``, re-exported (one list per module).
from mmkit.glosten_milgrom import (
    dp,
    exact,
    fastsweep,
    figures,
    gaussian,
    params,
    quotes,
    rules,
    simulation,
    studies,
    theory,
)
from mmkit.glosten_milgrom.dp import *  # noqa: F403
from mmkit.glosten_milgrom.exact import *  # noqa: F403
from mmkit.glosten_milgrom.fastsweep import *  # noqa: F403
from mmkit.glosten_milgrom.figures import *  # noqa: F403
from mmkit.glosten_milgrom.gaussian import *  # noqa: F403
from mmkit.glosten_milgrom.params import *  # noqa: F403
from mmkit.glosten_milgrom.quotes import *  # noqa: F403
from mmkit.glosten_milgrom.rules import *  # noqa: F403
from mmkit.glosten_milgrom.simulation import *  # noqa: F403
from mmkit.glosten_milgrom.studies import *  # noqa: F403
from mmkit.glosten_milgrom.theory import *  # noqa: F403

__all__: list[str] = []
__all__ += params.__all__
__all__ += gaussian.__all__
__all__ += quotes.__all__
__all__ += exact.__all__
__all__ += dp.__all__
__all__ += rules.__all__
__all__ += simulation.__all__
__all__ += fastsweep.__all__
__all__ += figures.__all__
__all__ += studies.__all__
__all__ += theory.__all__
