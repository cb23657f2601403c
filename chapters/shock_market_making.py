# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Optimal market making after a shock
#
# {cite:t}`das2008` ask what a market maker should do right after a shock,
# when it knows much less about the new value of an asset than the traders
# who arrive. They work in the model of {cite:t}`glosten1985`. A *monopolist*
# who maximises discounted profit must trade exploitation (wide quotes, a
# high margin on each trade) against learning (narrow quotes, more trades
# and so more information). The paper's contributions, which this chapter
# rebuilds number by number, are
#
# 1. a Gaussian approximation of the market maker's belief, with a
#    closed-form update (the paper's Fig. 2) and a theorem that the belief's
#    variance never increases (Thm 2.1);
# 2. a single upward pass that solves the Bellman equation over the
#    *information disadvantage* $\rho = \sigma_t/\sigma_\varepsilon$;
# 3. simulations showing that the Gaussian world predicts the real one
#    (Fig. 3(a)) and the headline: after a large shock the optimal monopolist
#    quotes a **narrower** spread than zero-profit competitors, taking early
#    losses to learn faster (Figs. 3(b), 3(c) and 4).
#
# All model code is in `mmkit.glosten_milgrom`; this notebook calls it,
# prints and plots. The paper's numbers enter only as reference values from
# the claims registry `reproduction/targets/das2008.json`. Most were
# digitised from the vector drawings of the published figures, accurate to
# about 0.2 % of each axis range; the registry says for each one which
# figure it comes from. Where the paper is silent we say what we chose and
# why.
#
# ## The model
#
# At time 0 a shock fixes the value $V$ of the asset; it never moves again.
# In each period $t = 0, 1, \dots$ the market maker (MM) quotes a bid
# $b_t \le a_t$ ask for one unit. One trader arrives with the private
# estimate $w_t = V + \varepsilon_t$, with independent
# $\varepsilon_t \sim N(0, \sigma_\varepsilon^2)$; she buys if $w_t > a_t$,
# sells if $w_t < b_t$ and otherwise does nothing. The MM sees only the
# direction $x_t \in \{+1, 0, -1\}$ and earns $a_t - V$ on a buy and
# $V - b_t$ on a sell. Every experiment of the paper uses
# $\sigma_\varepsilon = 1$ and the discount factor $\gamma = 0.9$, and so do
# we. There are three market makers: **zero-profit** (competitive: zero
# expected profit on each side), **myopic** (maximises the next trade's
# expected profit) and **optimal** (maximises $\sum_t \gamma^t r_t$).
#
# The MM's belief about $V$ is a density $p_t$; an observation multiplies it
# by the likelihood $\Phi((z^+ - v)/\sigma_\varepsilon) -
# \Phi((z^- - v)/\sigma_\varepsilon)$ with $(z^+, z^-) = (\infty, a)$,
# $(a, b)$ or $(b, -\infty)$ for a buy, no trade or a sell. After a few
# steps the exact belief is a product of error functions; the paper replaces
# it by a Gaussian $N(\mu_t, \sigma_t^2)$ whose mean and variance match the
# updated density. With symmetric quotes $\mu_t \pm \delta_t$ everything
# depends on $\rho_t = \sigma_t/\sigma_\varepsilon$ and the normalised
# half-spread $q_t = \delta_t/(\sigma_\varepsilon\sqrt{1+\rho_t^2})$. Write
# $N$ and $\Phi$ for the standard normal density and distribution function,
# $Q = 1 - \Phi$ and $\lambda = N/Q$ (the inverse Mills ratio). The update is
#
# $$
# \begin{array}{llll}
# x_t & \text{probability} & \mu_{t+1} & \sigma_{t+1} \\
# +1 & Q(q) & \mu_t + \kappa\sigma_t & \alpha\sigma_t \\
# 0 & 2\Phi(q) - 1 & \mu_t & \beta\sigma_t \\
# -1 & Q(q) & \mu_t - \kappa\sigma_t & \alpha\sigma_t
# \end{array}
# \qquad
# \begin{aligned}
# \alpha^2 &= 1 - \tfrac{\rho^2}{1+\rho^2}\,\lambda(q)\,(\lambda(q) - q),\\
# \beta^2 &= 1 - \tfrac{\rho^2}{1+\rho^2}\,\tfrac{2qN(q)}{2\Phi(q)-1},\\
# \kappa &= \tfrac{\rho}{\sqrt{1+\rho^2}}\,\lambda(q).
# \end{aligned}
# $$ (eq-das-update)
#
# The expected profit of one period is
#
# $$
# r(\rho, q) = 2\sigma_\varepsilon\sqrt{1+\rho^2}\,
# \Big[q\,Q(q) - \frac{\rho^2}{1+\rho^2}\,N(q)\Big].
# $$ (eq-das-profit)
#
# The zero-profit MM sets $r = 0$, i.e. $q = \frac{\rho^2}{1+\rho^2}
# \lambda(q)$; the myopic MM maximises $r$, i.e. $q\,\lambda(q) = 1 + \rho^2$;
# the optimal MM maximises the right-hand side of the Bellman equation in
# $x = \rho^2$,
#
# $$
# V(x) = \max_q\; r(x, q) + \gamma\,\big[2Q(q)\,V(\alpha^2 x)
# + (2\Phi(q) - 1)\,V(\beta^2 x)\big].
# $$ (eq-das-bellman)

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

import mmkit.glosten_milgrom as gm
from mmkit.book.ledger import Ledger
from mmkit.book.paths import artifacts_dir
from mmkit.book.plotting import PALETTE, print_curve, subplots
from mmkit.glosten_milgrom import Q_STAR, GMParams

led = Ledger("das2008")
AT = {c["id"]: c.get("at") for c in led.registry.get("claims", [])}
P = GMParams(sigma_eps=1.0, gamma=0.9)
COLS, (OPT, MYO, ZERO) = [PALETTE[0], PALETTE[2], PALETTE[1]], range(3)
sol = gm.solve_dp(P)
np.set_printoptions(suppress=True)

# %% [markdown]
# `AT` holds the positions (values of $\rho$ or of $t$) at which the paper's
# points were read off its figures, `led.paper(id)` the values, and `sol`
# the solution of the dynamic programme described below, which several
# sections need.
#
# ## Fig. 2: the integrals and the closed-form update
#
# The update needs three integrals, which the paper gives in closed form
# (its Fig. 2):
#
# $$I(\alpha,\beta) = \int N(x)\,\Phi(\alpha-\beta x)\,dx,\quad
#   J(\alpha,\beta) = \int x N(x)\,\Phi(\alpha-\beta x)\,dx,\quad
#   K(\alpha,\beta) = \int x^2 N(x)\,\Phi(\alpha-\beta x)\,dx,$$
#
# with $I = \Phi(\alpha/s)$, $J = -(\beta/s)N(\alpha/s)$ and
# $K = I - \alpha\beta^2 s^{-3}N(\alpha/s)$, $s = \sqrt{1+\beta^2}$. The
# test suite proves them with sympy: each closed form has the same
# $\alpha$-derivative as its integral (the derivative is a plain Gaussian
# integral) and the same limit 0 as $\alpha \to -\infty$. That takes about
# 20 s, so here we compare them with adaptive quadrature at 50 seeded
# random points instead, which is independent of the algebra:

# %%
quad_err = gm.integrals_vs_quadrature(n=50, seed=0)
print("max |closed form - quadrature| < 1e-9:", quad_err < 1e-9)
led.record("fig2-ijk", holds=bool(quad_err < 1e-9), ours="to 1e-9")

# %% [markdown]
# A buy at the ask $\mu + \delta$ gives, in standardised units
# $z = (V-\mu)/\sigma$ and with $\alpha = q\sqrt{1+\rho^2}$, $\beta = \rho$,
# the likelihood moments $A = E[\text{lik}] = 1 - I$, $B = E[z\,\text{lik}]
# = -J$ and $C = A - E[z^2\,\text{lik}] = K - I$; no trade is the
# difference of the integrals at $\pm\alpha$. The paper's equations (2)-(3)
# are $\mu_{t+1} = \mu_t + \sigma_t B/A$ and $\sigma_{t+1}^2 = \sigma_t^2(1 -
# (AC + B^2)/A^2)$. sympy reduces them to the table {eq}`eq-das-update`
# and derives the profit {eq}`eq-das-profit` from
# $r^{\text{ask}} = E[(a - V)\,\mathbb 1\{\text{buy}\}]$. Each row below is
# the derived expression minus the table's, simplified by sympy; a zero
# means the paper's entry is right. As a numerical cross-check, the general
# update through $A, B, C$ (which never uses the table) agrees with the
# table at 1,000 random states:

# %%
res = gm.verify_update_table_sympy()
display(pd.DataFrame({"residual": [str(v) for v in res.values()]}, res))
num_err = gm.table_vs_integrals(n=1000, seed=0)
print("max |update via A, B, C - table| < 1e-10:", num_err < 1e-10)
table_ok = all(v == 0 for v in res.values()) and num_err < 1e-10
led.record("fig2-table", holds=table_ok, ours="all residuals 0")

# %% [markdown]
# The PDF's radical in $\kappa$ is ambiguous; the derivation fixes it as
# $\kappa = \frac{\rho}{\sqrt{1+\rho^2}}\lambda(q)$. The same numbers from
# the other side: the table against the mean and sd of the *exact*
# one-step posterior of a Gaussian prior, computed on a grid of 120,001
# points, for five cases. The ratio of the posterior to the prior sd must
# equal $\alpha$ after a trade and $\beta$ after no trade. Since moment
# matching loses nothing in one step, agreement is true by construction:
# the ledger classes it as an *identity*, a check of the algebra and of our
# code rather than of a number the paper printed.

# %%
cases = [(0.3, 0.2), (1.0, 0.75), (2.0, 1.4), (3.0, 0.5), (4.0, 3.0)]
rows, err_table = gm.table_vs_exact(cases)
cols = ["alpha", "beta", "kappa", "sd'/sd buy", "alpha", "sd'/sd none", "beta"]
display(pd.DataFrame(rows, [f"{c}" for c in cases], cols).round(5))
print("max |exact - table| < 1e-9:", err_table < 1e-9)
led.record("fig2-vs-exact", ours=round(err_table, 9))

# %% [markdown]
# ## Theorem 2.1: the variance never increases
#
# The paper's proof is in a supplement we could not find, so we give our
# own. Let the belief be $V \sim N(\mu, \sigma^2)$ and $w = V + \varepsilon$.
# Every observation is an event $\{w \in (l, u)\}$: a buy is $w > a$, no
# trade $b \le w \le a$. The pair $(V, w)$ is jointly Gaussian; with
# $c = \sigma^2/(\sigma^2 + \sigma_\varepsilon^2) = \rho^2/(1+\rho^2)$ we
# have $E[V \mid w] = \mu + c\,(w - \mu)$ and
# $\mathrm{Var}(V \mid w) = (1-c)\,\sigma^2$. Since the event depends on
# $w$ alone, the law of total variance gives
#
# $$\mathrm{Var}(V \mid w \in (l, u)) = (1-c)\,\sigma^2 +
#   c^2\,\mathrm{Var}(w \mid w \in (l,u))
#   = \sigma^2\,\big[1 - c\,(1 - v)\big],$$ (eq-das-thm21)
#
# where $v$ is the variance of a standard normal truncated to the
# standardised interval. A normal truncated to an interval has $0 < v < 1$
# (truncation to an interval reduces the variance of any log-concave
# density, and the normal density is log-concave),
# so $(1-c)\,\sigma^2 < \sigma_{t+1}^2 < \sigma^2$: the variance falls after
# every observation, by at most the factor $1 - c$. For the paper's
# symmetric quotes both cases are explicit. After a buy,
# $v = 1 + q\lambda - \lambda^2$, and $v < 1$ is the Mills-ratio bound
# $\lambda(q) > q$, that is $Q(q) < N(q)/q$; this is
# $\alpha^2 = 1 - c\,\lambda(\lambda - q)$ of {eq}`eq-das-update`. After no
# trade, $v = 1 - 2qN(q)/(2\Phi(q) - 1)$, which is below 1 for every
# $q > 0$ and gives $\beta^2$. The argument also covers asymmetric quotes,
# and since the Gaussian update is exact for one step from a Gaussian
# belief, it holds for every step of the recursion. We check the identity
# and both bounds on a grid of 3,111 points $(\rho, q)$; the tests check
# the bound for random intervals against quadrature.

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Not in the source as a figure: Theorem 2.1 of {cite}`das2008` checked on a grid. The variance factors after a trade (alpha^2) and after no trade (beta^2) are below 1 everywhere on a (rho, q) grid, and equal 1 only at rho = 0.", "name": "fig-das-thm21"}, "image": {"alt": "Two heat maps over the normalised half-spread q from 0 to 6 and rho from 0 to 5, both equal to 1 at rho = 0; alpha squared (after a trade) falls below 0.3 for rho above about 1.5 and is smallest at large q; beta squared (after no trade) is small only at small q and close to 1 for q above 2, where not trading says little."}}
rr, qq = np.linspace(0.0, 5.0, 51), np.linspace(0.0, 6.0, 61)
th = gm.theorem21_grid(rr, qq)
fig, axes = subplots(1, 2)
titles = [r"$\alpha^2$ (trade)", r"$\beta^2$ (no trade)"]
Zs = [th["alpha2"], th["beta2"]]
im = gm.plot_heatmaps(axes, qq, rr, Zs, titles, xlabel="q", ylabel="rho")
fig.colorbar(im, ax=axes, label="variance factor")
print("at q = 1, rho = 1 and 3:", np.round([Z[[10, 30], 10] for Z in Zs], 4))
plt.show()

# %%
thm_ok = bool(th["max_factor"] < 1 and th["lower_ok"])
ident_ok = bool(th["identity_err"] < 1e-10)
print("factors < 1, >= 1 - c, identity:", thm_ok, ident_ok)
led.record("thm21-grid", holds=thm_ok, ours="max factor < 1")
led.record("thm21-bound", holds=thm_ok and ident_ok, ours="all hold")

# %% [markdown]
# ## Fig. 1: exact versus Gaussian belief
#
# Fig. 1 of the paper overlays the exact posterior (solid) and the Gaussian
# state (dashed) after 2, 5 and 20 steps, on a value axis from 1 to 5 with
# cells of 0.02. Its setup (prior, true value, quoting policy, trades) is
# not stated. A prior $N(3, 1)$ cannot produce it: after two steps the
# Gaussian sd is $\sigma_0$ times two factors $\alpha$ or $\beta$, and from
# $\sigma_0 = 1$ it is 0.61 to 0.71 whichever market maker quotes and
# whatever is observed, while the figure shows 0.83. From $\sigma_0 = 1.5$
# the zero-profit market maker reaches 0.74 to 0.85, bracketing it. The
# table gives the sd after each kind of two-step sequence, for both prior
# widths and all three market makers (a sell has the sd of a buy):

# %%
rules = [gm.optimal_rule(sol), gm.myopic_rule(P), gm.zero_profit_rule(P)]
sd2 = gm.two_step_table(rules, [1.0, 1.5], mu0=3.0, params=P)
display(sd2.round(3))
top1 = sd2.iloc[:3].to_numpy().max()
led.record("fig1-two-step-sd", holds=bool(top1 < 0.8), ours=f"{top1:.3f}")

# %% [markdown]
# Our setup: prior $N(3, 1.5^2)$, $V = 2$, $\sigma_\varepsilon = 1$, the
# zero-profit market maker quoting from its Gaussian state, and the exact
# posterior on cells of 0.02 over the prior mean $\pm$ 6 prior sd, wide
# enough that nothing is
# truncated. The trade sequence is a nuisance we cannot recover, so we
# **fit it**: of 300 seeded random sequences we take the one whose 12
# moments (exact and Gaussian mean and sd after 2, 5 and 20 steps) are
# closest to the digitised ones. The match of those moments is therefore
# by construction, and the ledger classes that claim as *calibrated*, not
# as evidence. The evidence is the size of the approximation error over
# all 300 sequences, which does not use the paper's numbers at all.

# %%
runs = gm.fig1_runs(rules[ZERO], n_seq=300, width=6, seed=2008, params=P)
best, rms = runs.closest(np.reshape(led.paper("fig1-moments-fit"), (3, 4)))
print(f"fitted #{best}: RMS {rms[best]:.3f} (median {np.median(rms):.3f})")
led.record("fig1-moments-fit", ours=runs.moments[:, :, best].ravel())

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Rebuilds Fig. 1 of {cite}`das2008`: exact posterior (solid) and recursive Gaussian state (dashed) after 2, 5 and 20 steps, probability per 0.02 cell. The setup is ours (the paper does not state it): prior N(3, 1.5^2), V = 2, zero-profit quotes, and a trade sequence fitted to the paper's moments, so the match with the paper is by construction.", "name": "fig-das-1"}, "image": {"alt": "Three pairs of bell-shaped curves on the value axis 1 to 5, narrowing and moving left towards 2 after 2, 5 and 20 steps; in each pair the exact and the Gaussian curve almost coincide."}}
win = (runs.v >= 1 - 1e-9) & (runs.v <= 5 + 1e-9)
v, (m_g, s_g) = runs.v[win], runs.moments[:, 2:, best].T
exact = [runs.p[k][best][win] for k in runs.steps]
gauss = 0.02 * np.exp(-0.5 * ((v[:, None] - m_g) / s_g) ** 2) / s_g / 2.5066
fig, ax = subplots(width=6.4, height=4.0)
gm.plot_curves(ax, v, exact, PALETTE, labels=["2 steps", "5", "20"])
gm.plot_curves(ax, v, gauss.T, PALETTE, labels=[None] * 3, ls="--")
ax.set(xlabel="value v", ylabel="probability per cell of 0.02")
print(np.round(runs.moments[:, :, best], 3))
plt.show()

# %% [markdown]
# How close is the Gaussian state to the exact posterior in general? Over
# all 300 sequences, the standardised mean error
# $|\mu^G - \mu^{\text{exact}}|/\sigma^{\text{exact}}$ and the sd error
# $|\sigma^G/\sigma^{\text{exact}} - 1|$; the paper's digitised curves
# give a mean error of at most 0.073 sd and an sd error of at most 2 %:

# %%
me1, sde1 = runs.errors()
q90 = np.quantile([me1, sde1], 0.9, axis=2)
display(
    pd.DataFrame(q90.T, runs.steps, ["mean err p90", "sd err p90"]).round(3)
)
fig1_ok = bool(q90[0].max() <= 0.1 and q90[1].max() <= 0.05)
led.record("fig1-tracks", holds=fig1_ok, ours=f"p90 <= {q90.max():.3f}")

# %% [markdown]
# The zero-profit and myopic market makers are defined for *any* belief,
# not only a Gaussian one: `GridBelief.zero_profit_quotes` solves
# $b = E[V \mid \text{sell}]$, $a = E[V \mid \text{buy}]$ and
# `GridBelief.myopic_quotes` maximises the next trade's expected profit,
# both on the exact posterior. On the fitted sequence the quotes from the
# exact posterior and from the Gaussian state differ by a few hundredths:

# %%
qt = gm.fig1_quote_table(runs, best, dict(zero=rules[2], myopic=rules[1]))
display(qt.round(3))
gap_q = (
    np.abs(qt.xs("exact", axis=1, level=1) - qt.xs("Gauss", axis=1, level=1))
    .max()
    .max()
)
led.record("fig1-quotes", holds=bool(gap_q < 0.05), ours=f"{gap_q:.3f}")

# %% [markdown]
# ## The single-pass dynamic programme
#
# At $\rho = 0$ the market maker knows $V$: the zero-profit spread is 0,
# the optimal and myopic market makers coincide at $q^*$ with
# $q^* N(q^*) = Q(q^*)$, and $V(0) = 2q^*Q(q^*)\sigma_\varepsilon/(1-\gamma)$.
# By Theorem 2.1 the right-hand side of {eq}`eq-das-bellman` involves only
# states below $x$, so the DP computes $V(0)$ and sweeps once up a grid of
# $\rho$ (step 0.002 up to 0.1, then 0.005 up to 5: 1,031 nodes),
# interpolating linearly in $x$ between nodes. The maximisation over $q$
# uses a grid of step 0.0025 on $[0.3, 6]$, refined three times around
# the best point, to about $10^{-6}$.
#
# There is a catch at small $\rho$: one update shrinks $x$ only by
# $O(x^2)$, so the next states fall *between* the previous node $x_{k-1}$
# and the node $x_k$ being computed, and their interpolated value involves
# the unknown $V(x_k)$. The right-hand side is then affine in it,
# $a(q) + b(q)V_k$ with $b < \gamma$, and the fixed point of the maximum
# is exactly $V_k = \max_q a(q)/(1 - b(q))$: no iteration is needed.
# Clamping those states to $V(x_{k-1})$ instead (the "naive" treatment)
# overstates $V$.

# %%
v0, v25 = float(sol.value(0.0)), float(sol.value(0.25))
print(f"q* = {Q_STAR:.6f}, V(0) = {v0:.5f}, V(0.25) = {v25:.4f}")
led.record("fig3b-qstar", ours=Q_STAR)
led.record("fig3a-v0", ours=v0)
led.record("fig3a-v025", ours=v25)

# %% [markdown]
# The figure shows the value and the policy, and how much the naive
# treatment overstates the value on two uniform grids:

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Not in the source as a figure: the single-pass DP behind the theory curves of Figs. 3(a) and 3(b) of {cite}`das2008`. Left: optimal value V(rho) and policy q*(rho). Right: how much the naive treatment of next states between grid nodes overstates V on two uniform grids of rho in [0, 1].", "name": "fig-das-dp"}, "image": {"alt": "Left: the value falls from 3.4 at rho = 0 to about 1 at rho = 5 while q* rises from 0.75. Right: the naive error is a hump below rho = 1, about twice as high for step 0.02 as for step 0.01."}}
grid = np.arange(0, 1 + 1e-9, 0.01)
qg = np.arange(0.3, 2.0, 0.0025)  # q* < 1.1 for rho <= 1
sc = [gm.solve_dp(P, grid[::k], q_grid=qg) for k in (1, 2)]
nv = [gm.solve_dp(P, grid[::k], q_grid=qg, method="naive") for k in (1, 2)]
fig, axes = subplots(1, 2)
gap = [nv[0].v - sc[0].v, np.interp(grid, grid[::2], nv[1].v - sc[1].v)]
labels = [["V(rho) / sigma_eps", "q*(rho)"], ["step 0.01", "step 0.02"]]
gm.plot_curves(
    axes[0], sol.rho, [sol.v, sol.q_grid_values], COLS, labels=labels[0]
)
gm.plot_curves(axes[1], grid, gap, COLS[1:], labels=labels[1])
axes[0].set(xlabel="rho", ylabel="value and policy")
axes[1].set(xlabel="rho", ylabel="V naive - V self-consistent")
print_curve("V(rho)", sol.rho, sol.v, points=6)
plt.show()

# %% [markdown]
# At $\rho = 0.25$ the self-consistent value hardly depends on the grid,
# while the naive error grows with the grid step, roughly like
# $\gamma/(1-\gamma)\,|V'|\,\Delta\rho$; the paper's curve reads 3.208:

# %%
v25s = np.array([[float(s.value(0.25)) for s in x] for x in (sc, nv)])
cols = ["V(0.25), step 0.01", "step 0.02"]
display(pd.DataFrame(v25s, ["self-consistent", "naive"], cols).round(4))
fix_ok = (v25s[1] - v25s[0]).min() > 0.01 and abs(v25 - 3.208) < 0.005
led.record("fig3a-self-consistent", holds=bool(fix_ok), ours="naive > +0.01")

# %% [markdown]
# ### "10 standard fixed point iterations are sufficient"
#
# The paper solves the zero-profit and myopic equations by plain
# iteration, $q \leftarrow \frac{\rho^2}{1+\rho^2}\lambda(q)$ and
# $q \leftarrow (1+\rho^2)/\lambda(q)$, and says ten iterations suffice. We
# solve both by safeguarded Newton to $10^{-13}$ instead (both roots are
# unique, the functions being monotone) and count how many plain
# iterations reach a relative error of $10^{-3}$ (about the precision of
# the figures) and of $10^{-6}$. *Warm* starts each node of the DP grid
# from the root at the previous node; *cold* starts from $q_0 = 1$ (our
# choice: the paper gives none) on the grid $\rho = 0.1, 0.2, \dots, 5$.

# %%
cold_grid = np.round(np.arange(0.1, 5.0001, 0.1), 4)
fp = gm.fixed_point_table(sol.rho[1:], cold_grid)
display(fp)
err10 = gm.cold_start_error(3.0, n_iter=10)
print(
    "error after 10 cold iterations, rho = 3:", np.round([*err10.values()], 3)
)

# %%
n_warm = int(fp.xs("0.001", level="rtol")["max warm"].max())
n_cold = int(fp.xs("0.001", level="rtol")["max cold"].max())
led.record("sec3-fp-warm", holds=n_warm <= 10, ours=f"max {n_warm}")
led.record("sec3-fp-cold", holds=n_cold <= 10, ours=f"max {n_cold}")

# %% [markdown]
# Warm-started along a fine grid, ten iterations are plenty at the
# figures' precision, though not at $10^{-6}$. From a cold start they are
# not: the slope of each map tends to 1 in absolute value as $\rho$ grows,
# so the iteration crawls, and at $\rho = 3$ ten iterations leave $q$ 8 %
# (zero-profit) and 16 % (myopic) short of the root. Newton's method
# avoids the question.
#
# ## Simulations: the real world and the Gaussian world
#
# The paper's protocol (its sec. 3): $V \sim N(0, \sigma^2)$ with
# $\sigma = \rho\,\sigma_\varepsilon$, drawn once per run (**the real
# world**); the market maker starts from the belief $N(0, \sigma^2)$,
# updates it only by {eq}`eq-das-update` and quotes from its own policy;
# 100 periods; at least 10,000 runs. In the **Gaussian world**,
# $V_t \sim N(\mu_t, \sigma_t^2)$ is redrawn every period, and there the DP
# values are exact.
#
# The sweep over $\rho$ uses the grid of Fig. 3(a) (0, 0.002, ..., 0.01,
# 0.02, ..., 0.1, 0.2, ..., 4), extended to 5 for Fig. 4(c): 64 values,
# 10,000 runs of 100 periods each. All three market makers see the same
# values and traders (the seed at $\rho$ is `[0, round(rho * 1e6)]`). The
# sweep draws each $\rho$'s values and noise once for all three rules,
# keeps its arrays time-major and reads the zero-profit and myopic
# half-spreads and update factors from a cubic table accurate to
# $10^{-11}$ instead of solving the fixed points in every period. That
# takes 2.7 times less CPU time than simulating run by run
# (`benchmarks/bench_glosten_milgrom.py`), with the same outputs to
# round-off (tested). The whole sweep still takes about 35 s of CPU, so
# `python -m mmkit das-sweep` stores it
# in `artifacts/glosten_milgrom/rho_sweep.npz` (the folder's README gives
# the command). We load it and recompute $\rho = 3$ to show that it is
# current.

# %%
SW = gm.FastSweep.from_npz(artifacts_dir("glosten_milgrom") / "rho_sweep.npz")
k3, tt = SW.k(3.0), np.arange(1, SW.n_periods + 1)
chk = gm.fast_sweep(rules, [3.0], P, n_runs=SW.n_runs, seed=SW.seed)
pairs = [(getattr(chk, a)[:, 0], getattr(SW, a)[:, k3]) for a in chk.ARRAYS]
same = all(np.allclose(x, y, 1e-9, 1e-12, equal_nan=True) for x, y in pairs)
print(f"{SW.n_runs} runs at {SW.rho.size} rho; rho = 3 identical: {same}")

# %% [markdown]
# ## Fig. 3(a): profit against the size of the shock
#
# The theoretical curves come from the DP (optimal) and from the same
# single pass with $q$ fixed to the myopic rule (myopic); the realised
# values are the means over the 10,000 runs, with standard errors stored
# in the ledger.

# %%
myo_theory = gm.evaluate_policy(gm.q_myopic, P, sol.rho)
R3A = AT["fig3a-opt-theory"]
theory = [sol.value(R3A), np.interp(R3A, sol.rho, myo_theory)]
real, real_se = SW.at("profit_mean", R3A), SW.at("profit_se", R3A)
MM = ("opt", "myo", "zero")
paper3a = [(R3A, led.paper(f"fig3a-{m}-real")) for m in MM]

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Rebuilds Fig. 3(a) of {cite}`das2008`: realised discounted profit in the real world (markers, 10,000 runs per rho) and the Gaussian-world theory from the DP (thin black lines); crosses are the digitised paper values.", "name": "fig-das-3a"}, "image": {"alt": "Profit against rho from 0 to 4: the optimal market maker falls smoothly from 3.4 to about 1.35, the myopic one falls to 0 by rho = 3.5, the zero-profit one stays at 0; the paper's crosses lie on our markers."}}
fig, ax = subplots(width=6.4, height=4.2)
gm.plot_curves(ax, SW.rho, SW.profit_mean, COLS, marker=".", paper=paper3a)
gm.plot_curves(
    ax,
    sol.rho,
    [sol.v, myo_theory],
    "kk",
    lw=0.8,
    labels=["theory (DP)", None],
)
ax.set(xlabel="rho", xlim=(0, 4), ylabel="discounted profit (sigma_eps)")
print(np.round(np.vstack([theory, real]), 3))
plt.show()

# %%
led.record("fig3a-opt-theory", ours=theory[0])
led.record("fig3a-myo-theory", ours=theory[1])
for i, m in enumerate(MM):
    led.record(f"fig3a-{m}-real", ours=real[i], se=real_se[i])
print(f"largest Monte Carlo standard error: {real_se.max():.4f}")

# %% [markdown]
# Three statements of the paper about Fig. 3(a): the myopic market maker
# earns about nothing beyond $\rho \approx 3.6$ (its quotes are so wide
# that almost nobody trades), the optimal one's realised profit exceeds
# the theory at large shocks, and the optimal market maker clearly beats
# the myopic one. The table gives the excess of realised over theoretical
# profit in standard errors:

# %%
big = [2.5, 3.0, 3.5, 4.0]
pm, pse = SW.at("profit_mean", big)[OPT], SW.at("profit_se", big)[OPT]
z_ex = (pm - sol.value(big)) / pse
display(pd.DataFrame({"(real - theory) / s.e.": z_ex}, big).round(1))
myo_hi = max(SW.profit_mean[MYO, -15:].max(), myo_theory[sol.rho >= 3.6].max())
gap_om = np.subtract(*SW.at("profit_mean", [2.0, 3.0, 4.0])[[OPT, MYO]])

# %%
led.record("fig3a-myo-zero-high", holds=bool(myo_hi < 0.02), ours=myo_hi)
zs = f"{z_ex.min():.1f} to {z_ex.max():.1f} s.e."
led.record("fig3a-opt-excess", holds=bool(z_ex.min() > 0), ours=zs)
gs = f"Opt - Myopic >= {gap_om.min():.2f}"
led.record("fig3a-opt-beats-myo", holds=bool(gap_om.min() > 0.2), ours=gs)

# %% [markdown]
# Realised and theoretical values agree within Monte Carlo error up to
# $\rho \approx 2$; beyond it the optimal market maker's realised profit
# is a few per cent *above* the theory, as in the paper. The theory itself
# is exact in the Gaussian world, which we check by simulating that world
# (1,000 runs per point; the table gives the DP value, the simulated mean
# and its standard error). That is true by construction, so it checks our
# DP and simulator (an *identity* in the ledger), not the paper:

# %%
rv = [(rules[0], sol.v), (rules[1], myo_theory)]
gw = gm.gaussian_world_check(rv, sol.rho, [0.5, 2, 4], P, n_runs=1000)
idx = [f"{m}, rho={r}" for m in ("Opt", "Myopic") for r in (0.5, 2, 4)]
display(pd.DataFrame(gw.reshape(6, 3), idx, ["DP", "sim.", "se"]).round(4))
z_gw = np.abs(gw[..., 1] - gw[..., 0]) / gw[..., 2]
led.record(
    "fig3a-gauss-world",
    holds=bool(z_gw.max() < 3),
    ours=f"largest |z| {z_gw.max():.1f}",
)

# %% [markdown]
# ## Fig. 3(b): spreads
#
# The y axis of the paper's Fig. 3(b) is labelled "Spread
# ($2\delta/\sigma_\varepsilon$)", but the plotted values are the
# **half**-spread $\delta/\sigma_\varepsilon = q\sqrt{1+\rho^2}$: at
# $\rho = 0$ they equal $q^* = 0.752$, not $2q^* = 1.504$. We plot the
# half-spread to match the published numbers.

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Rebuilds Fig. 3(b) of {cite}`das2008`: half-spread delta/sigma_eps against rho for the three market makers (the paper's axis label says 2 delta, its values are delta); crosses are the digitised paper values.", "name": "fig-das-3b"}, "image": {"alt": "Half-spread against rho from 0 to 4: the myopic and zero-profit curves rise steeply and leave the axis at 10 near rho = 3.1 and 3.2; the optimal curve rises slowly to 6.5 and crosses below the zero-profit curve near rho = 1.55."}}
rf = np.linspace(0, 4, 801)
hs = np.array(
    [
        sol.half_spread(rf),
        gm.half_spread(rf, gm.q_myopic(rf)),
        gm.half_spread(rf, gm.q_zero_profit(rf)),
    ]
)
paper3b = [(AT[f"fig3b-{m}"], led.paper(f"fig3b-{m}")) for m in MM]
fig, ax = subplots(width=6.0, height=4.0)
gm.plot_curves(ax, rf, hs, COLS, paper=paper3b)
ax.set(ylim=(0, 10), xlabel="rho", ylabel="half-spread delta / sigma_eps")
print(np.round(hs[:, ::100], 3))
plt.show()

# %% [markdown]
# The half-spreads at the digitised points, and where the curves cross:
# the myopic and zero-profit curves leave the paper's axis (half-spread
# 10), the optimal curve drops below the zero-profit one, and the optimal
# market maker's expected profit on the next trade turns negative:

# %%
R3B = np.array(AT["fig3b-opt"])
led.record("fig3b-opt", ours=sol.half_spread(R3B))
led.record("fig3b-myo", ours=gm.half_spread(R3B[:7], gm.q_myopic(R3B[:7])))
led.record(
    "fig3b-zero", ours=gm.half_spread(R3B[:7], gm.q_zero_profit(R3B[:7]))
)
cr = gm.crossings(sol)
display(pd.DataFrame({"rho": cr}).round(3))
for cid, key in zip(("myo-exit", "zero-exit", "cross", "loss"), cr):
    led.record(f"fig3b-{cid}", ours=cr[key])

# %% [markdown]
# The optimal spread is never above the myopic one (up to $10^{-5}$, the
# precision of the DP's maximisation over $q$), and the two nearly merge
# for small shocks:

# %%
dd = hs[MYO] - hs[OPT]
small_gap = dd[rf <= 0.3].max()
le_ok = bool(dd.min() > -1e-5 and small_gap < 0.05)
print(f"Myopic - Opt >= -1e-5: {le_ok}; at rho = 1: {dd[200]:.3f}")
led.record("fig3b-opt-le-myo", holds=le_ok, ours=f"{small_gap:.4f}")
led.record("fig3b-axis-label", holds=abs(Q_STAR - 0.752) < 0.001, ours=Q_STAR)

# %% [markdown]
# Above $\rho \approx 1.55$ the optimal monopolist quotes a *narrower*
# spread than competitive zero-profit market makers, and exactly there its
# expected profit on the next trade turns negative: it pays to learn.
#
# ## Fig. 3(c): profit over time
#
# Fig. 3(c) plots "profit" against time at $\rho = 3$ without saying
# which. Two readings: the mean profit per **period** (over all runs) and
# the mean profit per **executed trade** (over the runs that traded at
# $t$). The per-period profit of any market maker is at most
# $2q^*Q(q^*)\sigma_\varepsilon = 0.34$, so it cannot reach the 0.72 of the
# paper's optimal curve; per trade, the limit is $q^*\sigma_\varepsilon =
# 0.75$. At $t = 1$ the optimal market maker's per-trade profit is known
# exactly, $r(\rho, q^*)/(2Q(q^*))$.

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Rebuilds Fig. 3(c) of {cite}`das2008` at rho = 3 under two readings: profit per executed trade (left, matches the paper's Opt curve) and per period (right). Crosses: digitised paper values.", "name": "fig-das-3c"}, "image": {"alt": "Two panels of profit against time 1 to 35: per trade, the optimal market maker starts at a loss of about 0.8 and rises to 0.72, following the paper's crosses; per period, all curves stay between -0.15 and 0.34."}}
ppt, ppp = SW.profit_per_trade[:, k3], SW.profit_per_period[:, k3]
paper3c = [(AT[c], led.paper(c)) for c in ("fig3c-opt", "fig3c-myo-late")]
fig, axes = subplots(1, 2)
gm.plot_curves(axes[0], tt[:35], ppt[:, :35], COLS, paper=paper3c + [None])
gm.plot_curves(axes[1], tt[:35], ppp[:, :35], COLS, legend=False)
for ax, title in zip(axes, ("per executed trade", "per period")):
    ax.set(ylim=(-1, 1), title=title, xlabel="t", ylabel="profit (sigma_eps)")
print(np.round(ppt[:, :35:5], 3))
plt.show()

# %% [markdown]
# The optimal market maker's curve point by point, its exact first value,
# and whether it stays above 0.6 from period 8 as the paper's does:

# %%
se_ppt = SW.profit_per_trade_se[:, k3]
t_opt = np.array(AT["fig3c-opt"]) - 1
t1 = float(sol.one_step_profit(3.0) / gm.trade_probability(sol.q(3.0)))
print(f"Opt at t = 1: exact {t1:.4f}, simulated {ppt[OPT, 0]:.4f}")
led.record("fig3c-opt", ours=ppt[OPT, t_opt], se=se_ppt[OPT, t_opt])
led.record("fig3c-opt-t1", ours=t1)
above = int(np.argmax(ppt[OPT] > 0.6)) + 1
stays = bool(np.all(ppt[OPT, above - 1 :] > 0.6))
ok_06 = bool(6 <= above <= 9 and stays)
led.record("fig3c-opt-above-06", holds=ok_06, ours=f"from t = {above}")

# %% [markdown]
# Which reading fits, and the myopic and zero-profit curves under the
# per-trade reading:

# %%
late, top = ppt[OPT, 30:].mean(), ppp.max()
ev = f"per trade {late:.3f}; per period <= {top:.3f}"
led.record("fig3c-per-trade", holds=bool(top < 0.4 and late > 0.65), ours=ev)
for cid in ("fig3c-myo-late", "fig3c-myo-early"):
    ti = np.array(AT[cid]) - 1
    led.record(cid, ours=ppt[MYO, ti], se=se_ppt[MYO, ti])
z_early, z_late = np.abs(ppt[ZERO, 1:9]).max(), np.abs(ppt[ZERO, 10:35]).max()
print(f"Zero per trade, t = 5: {ppt[ZERO, 4]:.2f} +- {se_ppt[ZERO, 4]:.2f}")
led.record("fig3c-zero-early", holds=bool(z_early <= 0.25), ours=z_early)
led.record("fig3c-zero-late", holds=bool(z_late < 0.03), ours=f"{z_late:.4f}")

# %% [markdown]
# The per-trade reading reproduces the optimal market maker's curve point
# by point: a loss of about 0.8 per trade at $t = 1$, break-even at
# $t = 3$, above 0.6 from $t = 8$, and the late myopic values. It does not
# fit the paper's early myopic values (which fit neither reading) nor its
# early zero-profit values, which look like per-period profits. At
# $t \le 9$ almost no run trades with the myopic market maker, and the
# zero-profit one earns 0.2 to 0.45 on its few early trades: its Gaussian
# belief is not the exact posterior, so zero expected profit under the
# belief is not zero in the real world. Our conclusion: the Opt curve of
# Fig. 3(c) is profit per executed trade; the figure's other two curves
# cannot be pinned to one definition.
#
# ## Fig. 4: spread dynamics and trading activity at $\rho = 3$

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Rebuilds Fig. 4(a) of {cite}`das2008`: mean bid-ask spread a - b over runs at rho = 3 (the full spread). Crosses: digitised paper values.", "name": "fig-das-4a"}, "image": {"alt": "Mean spread against time 1 to 40: the optimal market maker starts at 9.1 and falls below 2 by period 8; the zero-profit and myopic ones start off the axis above 17 and fall below 10 only at periods 7 and 14; the paper's crosses lie on the curves."}}
ms3 = SW.mean_spread[:, k3]
paper4a = [(AT[f"fig4a-{m}"], led.paper(f"fig4a-{m}")) for m in MM]
fig, ax = subplots(width=6.0, height=4.0)
gm.plot_curves(ax, tt[:40], ms3[:, :40], COLS, paper=paper4a)
ax.set(
    ylim=(0, 10),
    xlabel="t (periods after the shock)",
    ylabel="mean spread a - b (sigma_eps)",
)
print(np.round(ms3[:, :40:5], 3))
plt.show()

# %% [markdown]
# Our spreads at the digitised points (with their standard errors), the
# deterministic first spread of the optimal market maker, and the
# paper's statements about the start and the limits of the curves:

# %%
for i, m in enumerate(MM):
    ti = np.array(AT[f"fig4a-{m}"]) - 1
    led.record(f"fig4a-{m}", ours=ms3[i, ti], se=SW.spread_se[i, k3, ti])
led.record("fig4a-opt-t1", ours=float(2 * sol.half_spread(3.0)))
below2 = int(np.argmax(ms3[OPT] < 2)) + 1
start = ms3[1:, 0].min()
led.record(
    "fig4a-below-2",
    holds=bool(below2 in (8, 9) and start > 17),
    ours=f"t = {below2}; others start >= {start:.1f}",
)

# %%
lim = ms3[:, -1]
lim_ok = np.all(np.abs(lim - [2 * Q_STAR, 2 * Q_STAR, 0]) < [0.05, 0.1, 0.1])
led.record("fig4a-limits", holds=bool(lim_ok), ours=str(np.round(lim, 3)))
lower = ms3[OPT] < ms3[ZERO]
led.record(
    "fig4a-opt-lowest",
    holds=bool(lower[:8].all()),
    ours=f"below Zero for t = 1..{int(np.argmin(lower))}",
)

# %% [markdown]
# The caption of Fig. 4(a) adds that the optimal market maker "converges
# quickest to equilibrium". Equilibrium is not defined. Measured against
# each market maker's own long-run spread ($2q^*$ for the optimal and
# myopic ones, 0 for zero-profit), the number of periods before the mean
# spread stays within $0.1 \times 2q^*$ of it puts the optimal market
# maker first. Under the paper's own Fig. 4(c) threshold (below) the
# zero-profit market maker, whose spread falls through $1.1 \times 2q^*$ on
# its way to 0, gets there first:

# %%
own = gm.convergence_times(ms3, [2 * Q_STAR, 2 * Q_STAR, 0], 0.2 * Q_STAR)
stab3 = SW.stab_time[:, k3]
display(pd.DataFrame({"own limit": own, "Fig. 4(c)": stab3}, SW.names))
led.record(
    "fig4a-quickest",
    holds=bool(own[OPT] < own[1:].min()),
    ours=f"{own[0]}, {own[1]}, {own[2]} periods",
)
led.record(
    "fig4a-quickest-stab",
    holds=bool(stab3[OPT] < stab3[1:].min()),
    ours=f"Opt {stab3[OPT]}, Zero {stab3[ZERO]}",
)

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Rebuilds Fig. 4(b) of {cite}`das2008`: fraction of runs with a trade at each time step, rho = 3; the dotted line is the long-run 2 Q(q*) of the optimal and myopic market makers. Crosses: digitised paper values.", "name": "fig-das-4b"}, "image": {"alt": "Trade probability against time 1 to 35: the optimal market maker trades with probability 0.15 from the first period, rising to 0.44; the myopic and zero-profit ones start near 0, the zero-profit one jumps to 0.48 by period 10 and approaches 1."}}
tr3 = SW.trade_rate[:, k3]
paper4b = [(AT[f"fig4b-{m}"], led.paper(f"fig4b-{m}")) for m in MM]
fig, ax = subplots(width=6.0, height=4.0)
gm.plot_curves(ax, tt[:35], tr3[:, :35], COLS, paper=paper4b)
ax.axhline(float(gm.trade_probability(Q_STAR)), color="grey", ls=":")
ax.set(xlabel="t (periods after the shock)", ylabel="trade probability")
print(np.round(tr3[:, :35:5], 3))
plt.show()

# %% [markdown]
# The trade probabilities at the digitised points, with the binomial
# standard error $\sqrt{p(1-p)/n}$, the exact first-period probability of
# the optimal market maker, $2Q(q^*(3))$, and the near-absence of early
# trades with the other two:

# %%
for i, m in enumerate(MM):
    ti = np.array(AT[f"fig4b-{m}"]) - 1
    led.record(f"fig4b-{m}", ours=tr3[i, ti], se=SW.trade_rate_se[i, k3, ti])
led.record("fig4b-opt-t1", ours=float(gm.trade_probability(sol.q(3.0))))
led.record(
    "fig4b-t1-low",
    holds=bool(tr3[1:, 0].max() < 0.01),
    ours=f"{tr3[MYO, 0]:.4f} and {tr3[ZERO, 0]:.4f}",
)

# %% [markdown]
# ## Fig. 4(c): time to stabilisation
#
# Fig. 4(c) plots a "time to stabilisation" of the spread against $\rho$,
# in whole periods, without defining it. We use the number of periods
# before the first period whose mean spread (over runs) is at most
# $f \times 2q^*\sigma_\varepsilon$, with the factor $f = 1.1$. That factor
# was **chosen by fitting**, so we split the paper's 83 integers: the
# optimal market maker's 21 values are the calibration set (that claim is
# classed *calibrated*), the myopic and zero-profit market makers' 62
# values are held out. The fit is sharp, which makes the held-out test
# strong: among factors in $[1.0, 1.2]$ only $[1.1000, 1.1004]$
# reproduces the optimal row. The table counts the points each factor
# reproduces:

# %%
rows4c = dict(opt=0, myo=1, zero=2, **{"myo-extra": 1, "zero-extra": 2})
pts = {
    c: (r, AT[f"fig4c-{c}"], led.paper(f"fig4c-{c}"))
    for c, r in rows4c.items()
}
factors = [1.08, 1.0996, 1.1, 1.1004, 1.1008, 1.12]
match = gm.stabilisation_matches(SW.mean_spread, SW.rho, pts, factors)
display(pd.DataFrame(match, [f"f = {f}" for f in factors]).T)

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Rebuilds Fig. 4(c) of {cite}`das2008`: periods until the mean spread first falls to 1.1 x 2 q* sigma_eps, against rho. Crosses: digitised paper values (values above 80 are off the paper's axis). The factor 1.1 is fitted to the Opt row; the other rows are held out.", "name": "fig-das-4c"}, "image": {"alt": "Time to stabilisation against rho from 0 to 5: the optimal market maker rises to about 15 by rho = 1 and slowly to 20; the myopic one rises steeply beyond rho = 2.5 and leaves the axis at 80 near rho = 3.7; the zero-profit one stays at 0 up to rho = 0.9 and then rises to 80 at rho = 4."}}
stab = np.where(SW.stab_time < 0, np.nan, SW.stab_time)
fig, ax = subplots(width=6.0, height=4.0)
gm.plot_curves(
    ax, SW.rho, stab, COLS, paper=[p[1:] for p in pts.values()], marker="."
)
ax.set(ylim=(0, 82), xlabel="rho", ylabel="time to stabilisation (periods)")
print(SW.stab_time[:, ::4])
plt.show()

# %%
for c, (row, rhos, _) in pts.items():
    led.record(f"fig4c-{c}", gm.stab_labels(SW.at("stab_time", rhos)[row]))
small = SW.stab_time[:, SW.rho <= 0.2001].max()
led.record("fig4c-small-rho", holds=bool(small == 0), ours=f"max {small}")
tot = dict(zip(factors, match["total"]))
sharp = tot[1.1] > max(tot[1.08], tot[1.12])
led.record(
    "fig4c-sensitivity",
    holds=bool(sharp),
    ours=f"{tot[1.08]} / {tot[1.1]} / {tot[1.12]}",
)

# %% [markdown]
# At $f = 1.08$ or $1.12$ only about 40 of the 83 points match: the
# optimal and myopic spreads approach $2q^*$ slowly, so the crossing
# period moves a lot with the threshold, while the zero-profit values
# hardly depend on it. Every factor that reproduces the optimal row also
# reproduces all 62 held-out values. So the *definition* is calibrated,
# but given it, the myopic and zero-profit curves are independent
# reproductions.
#
# ## Beyond the paper: how good is the Gaussian approximation really?
#
# The paper asserts that maintaining the exact state "leads to no
# significant differences" but does not show it. At each $\rho$ two
# optimal market makers face the same 4,000 runs: the paper's, quoting
# from its Gaussian state while we carry each run's exact posterior
# alongside it on a grid of 201 points that follows the posterior as it
# narrows; and an *exact-state* market maker that quotes
# $\mu^{\text{exact}} \pm \delta^*(\sigma^{\text{exact}})$. This takes
# about three minutes, so `python -m mmkit das-sim` precomputes it (seed
# 0; the folder's README gives the command) and we load it. The table
# gives the DP value, both market makers' realised profit, their paired
# difference with its standard error, and the largest belief error:

# %%
EV = dict(np.load(artifacts_dir("glosten_milgrom") / "exact_vs_gaussian.npz"))
ev = ["theory", "profit_gauss", "profit_exact", "diff", "se_diff"]
ev = pd.DataFrame({k: EV[k] for k in ev}, EV["rho"]).assign(
    w1_peak=EV["w1_rel"].max(1)
)
display(ev.round(4))

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Beyond the paper's figures. Left: realised discounted profit of the optimal market maker quoting from its Gaussian state and from the exact posterior (same runs), with the DP theory. Right: belief error of the Gaussian state, Wasserstein-1 distance to the exact posterior in units of the exact sd, over time for several rho.", "name": "fig-das-exact"}, "image": {"alt": "Left: the two profit curves and the theory line almost coincide from rho = 0.25 to 4. Right: the Wasserstein error stays near 0.01 for rho = 0.25 but peaks near 0.2 around period 3 for rho = 4 before shrinking."}}
fig, axes = subplots(1, 2)
gm.plot_curves(
    axes[0],
    EV["rho"],
    ev.iloc[:, [1, 2, 0]].T,
    COLS[:2] + ["k"],
    labels=["Gaussian-state MM", "exact-state MM", "DP"],
    marker=".",
)
gm.plot_curves(
    axes[1],
    EV["div_t"],
    EV["w1_rel"][1::2],
    PALETTE,
    labels=[f"rho = {r:g}" for r in EV["rho"][1::2]],
    marker=".",
)
axes[0].set(xlabel="rho", ylabel="discounted profit (sigma_eps)")
axes[1].set(xscale="symlog", xlabel="t", ylabel="W1(exact, Gaussian) / sd")
print_curve("peak W1/sd", EV["rho"], EV["w1_rel"].max(1), points=10)
plt.show()

# %%
rel = EV["diff"] / EV["profit_gauss"]
z_pair = (EV["diff"] / EV["se_diff"])[EV["rho"] >= 3]
print(
    f"exact-state minus Gaussian-state: {100 * rel.min():.2f} % to "
    f"{100 * rel.max():.2f} %; at rho >= 3: {z_pair.min():.1f} to "
    f"{z_pair.max():.1f} s.e."
)
led.record(
    "fig3a-exact-state",
    holds=bool(np.abs(rel).max() < 0.03),
    ours=f"|difference| <= {100 * np.abs(rel).max():.1f} %",
)

# %% [markdown]
# The Gaussian state is an excellent approximation up to $\rho \approx 1$
# (belief error about 1 % of an sd). The error grows with the shock: at
# $\rho = 4$ the Wasserstein distance peaks at 0.2 sd around period 3
# before the posterior sharpens and the two converge. Quoting from the
# exact posterior earns slightly more, by 1 to 2 % at $\rho \ge 3$ (2 to 3
# standard errors of the paired difference): "no significant difference"
# holds in the economic sense, not as a statistical statement at large
# shocks. Both market makers realise more than the DP value at large
# $\rho$, so the paper's "realised exceeds theory" is not caused by the
# Gaussian quoting rule. Our reading: the DP value is the value in the
# Gaussian world, and the real world is kinder at large shocks, since the
# exact posterior is narrower than the Gaussian state: the market maker
# learns faster than its model assumes.
#
# ## The social outcome: liquidity and price discovery
#
# The paper's conclusion is that after a large shock the monopolist
# "provides greater liquidity than competitive zero-profit market-makers
# ... in order to learn more quickly, and in doing so offers the better
# social outcome". Trading here is zero-sum between the market maker and
# the traders (there are no gains from trade), so we measure the social
# outcome by its two observable parts: **liquidity**, the expected number
# of trades, and **price discovery**, the mean distance $E|\mu_t - V|$
# between the market maker's price (the mid-quote $\mu_t$ after period
# $t$) and the value, in units of $\sigma_\varepsilon$.

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Not in the source: the social outcome that {cite}`das2008` state in words. Left: price discovery, mean |mu_t - V| over runs at rho = 3 for the three market makers. Right: cumulative expected number of trades at rho = 2, 3, 4, optimal monopolist (solid) against zero-profit competition (dashed).", "name": "fig-das-social"}, "image": {"alt": "Left: the optimal market maker's price error falls from about 1.8 after the first period to 0.3 by period 10, while the zero-profit one's stays above 2 for five periods and the myopic one's for twelve. Right: the optimal market maker's cumulative trades grow steadily from the first period for every shock; zero-profit trading overtakes it from period 4 at rho = 2, from period 16 at rho = 3, and hardly starts at rho = 4."}}
cum = np.cumsum(SW.at("trade_rate", [2.0, 3.0, 4.0])[:, :, :40], axis=2)
fig, axes = subplots(1, 2)
gm.plot_curves(axes[0], tt[:40], SW.price_error[:, k3, :40], COLS)
gm.plot_curves(
    axes[1], tt[:40], cum[OPT], PALETTE, labels=["rho = 2", "3", "4"]
)
gm.plot_curves(axes[1], tt[:40], cum[ZERO], PALETTE, ls="--", legend=False)
axes[0].set(xlabel="periods since the shock", ylabel="mean |mu_t - V|")
axes[1].set(xlabel="periods since the shock", ylabel="cumulative trades")
print(np.round(SW.price_error[:, k3, :40:5], 3))
plt.show()

# %% [markdown]
# Ten periods after shocks of three sizes: the mean price error of each
# market maker and the number of trades so far.

# %%
r_soc = [2.0, 3.0, 4.0]
pe10 = SW.at("price_error", r_soc)[:, :, 9]
pe10_se = SW.at("price_error_se", r_soc)[:, :, 9]
n10 = SW.at("trade_rate", r_soc)[:, :, :10].sum(-1)
soc = pd.DataFrame(pe10.T, r_soc, SW.names).assign(
    trades_opt=n10[OPT], trades_zero=n10[ZERO]
)
display(soc.round(3))

# %%
z_soc = (pe10[ZERO, 1] - pe10[OPT, 1]) / np.hypot(*pe10_se[[ZERO, OPT], 1])
led.record("concl-social", holds=bool(z_soc > 3), ours=f"{z_soc:.0f} s.e.")
more = np.all(n10[OPT, 1:] > n10[ZERO, 1:])
led.record(
    "concl-liquidity",
    holds=bool(more),
    ours=f"{n10[0, 1]:.2f} vs {n10[2, 1]:.2f}",
)
led.record(
    "concl-price-error",
    holds=bool(np.all(pe10.argmin(0) == OPT)),
    ours="smallest at rho = 2, 3, 4",
)

# %% [markdown]
# At $\rho = 3$, ten periods after the shock, the monopolist's price is
# on average within 0.34 $\sigma_\varepsilon$ of the value, half the
# zero-profit market's error of 0.70, and it has traded about 3.1 times
# against 1.2. After a moderate shock ($\rho = 2$) the picture is mixed:
# the zero-profit market trades more (6.3 against 3.4 trades by period 10)
# while the two price errors are close, so the liquidity advantage of the
# monopolist is a large-shock phenomenon, as the paper says. Competition
# does win in the long run: once both have learnt
# $V$, the zero-profit spread falls towards 0 while the monopolist's
# settles at $2q^*\sigma_\varepsilon$.
#
# ## Sensitivity: the discount factor and uninformed traders
#
# The paper fixes $\gamma = 0.9$ and traders who all hold noisy
# information. How much depends on those choices? First the discount
# factor: we solve the DP for four values of $\gamma$ on a coarser grid
# (step 0.04 in $\rho$ up to 4, candidate $q$ of step 0.01 before the
# refinement; at $\gamma = 0.9$ this moves values by less than 0.005 and
# half-spreads by less than 0.02 from the fine solution) and find the
# shock size above which the optimal market maker quotes inside the
# zero-profit spread.

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Not in the source: the optimal half-spread against rho for four discount factors, with the zero-profit half-spread (black, dashed), which does not depend on gamma.", "name": "fig-das-gamma"}, "image": {"alt": "Four optimal half-spread curves rising with rho, lower for larger gamma; each crosses below the steeper dashed zero-profit curve, between rho = 1.5 and 2.3."}}
gam = gm.gamma_sensitivity(
    [0.5, 0.8, 0.9, 0.95],
    rho=[1.0, 2.0, 3.0],
    rho_grid=np.arange(0, 4 + 1e-9, 0.04),
    q_grid=np.arange(0.3, 6.0, 0.01),
)
hs_g = [s.half_spread(rf) for s in gam["solutions"]] + [hs[ZERO]]
fig, ax = subplots(width=6.0, height=4.0)
gm.plot_curves(
    ax,
    rf,
    hs_g,
    PALETTE[:4] + ["k"],
    labels=[f"gamma = {g:g}" for g in gam["gamma"]] + ["zero profit"],
)
ax.set(ylim=(0, 8), xlabel="rho", ylabel="half-spread delta / sigma_eps")
print(np.round(gam["half_spread"], 3))
plt.show()

# %%
cross_g = gam["opt_below_zero"]
display(
    pd.DataFrame(
        {"V(0)": gam["v0"], "Opt inside Zero from rho": cross_g}, gam["gamma"]
    ).round(3)
)
mono = np.all(np.isfinite(cross_g)) and np.all(np.diff(cross_g) <= 0)
led.record("sens-gamma", holds=bool(mono), ours=str(np.round(cross_g, 2)))

# %% [markdown]
# The headline survives every discount factor we tried: the more patient
# the monopolist, the smaller the shock above which it out-quotes
# competition, since learning is worth more to it. Even at $\gamma = 0.5$
# it does so for large enough shocks.
#
# Second, the noise model. A share $s$ of traders is uninformed: they buy,
# sell or hold with probability 1/3 each whatever the quotes. The market
# makers keep the quoting policies derived for $s = 0$ (the DP policy
# $q^*(\rho)$ and the zero-profit rule) but update their Gaussian belief
# with the correct likelihood $s/3 + (1-s)(\dots)$. We simulate both at
# $\rho = 3$, 1,000 runs of 40 periods, for $s = 0, 0.2, 0.4$.

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Not in the source: price discovery at rho = 3 when a share s of traders is uninformed, optimal policy (solid) against the zero-profit rule (dashed), both derived for s = 0 and updating their belief for s.", "name": "fig-das-noise"}, "image": {"alt": "Mean price error against time 1 to 40 for three shares of uninformed traders; in each case the optimal policy's error falls faster than the zero-profit rule's, and more uninformed traders slow learning for both."}}
shares = [0.0, 0.2, 0.4]
ns = gm.noise_share_study(sol, shares, rho=3.0, n_runs=1000, n_periods=40)
fig, ax = subplots(width=6.0, height=4.0)
for j, ls in ((0, "-"), (1, "--")):
    gm.plot_curves(
        ax,
        tt[:40],
        ns["price_error"][:, j],
        PALETTE,
        ls=ls,
        labels=[f"s = {s}" if j == 0 else None for s in shares],
    )
ax.set(xlabel="periods since the shock", ylabel="mean |mu_t - V|")
print(np.round(ns["price_error"][:, :, ::5], 3))
plt.show()

# %% [markdown]
# Ten periods after the shock: the price errors of the two policies, their
# difference in standard errors, and the largest one-period growth factor
# of the optimal market maker's belief sd:

# %%
pe_ns, se_ns = ns["price_error"][:, :, 9], ns["price_error_se"][:, :, 9]
z_ns = (pe_ns[:, 1] - pe_ns[:, 0]) / np.hypot(se_ns[:, 1], se_ns[:, 0])
display(
    pd.DataFrame(pe_ns, shares, ["Opt", "Zero"])
    .assign(z=z_ns, max_sd_ratio=ns["max_sd_ratio"][:, 0])
    .round(3)
)
led.record(
    "sens-noise-learning",
    holds=bool(z_ns[1:].min() > 3),
    ours=f"z = {z_ns[1]:.0f}, {z_ns[2]:.0f}",
)
grow = ns["max_sd_ratio"][1:].max()
led.record("sens-noise-variance", holds=bool(grow > 1.001), ours=f"{grow:.2f}")

# %% [markdown]
# With uninformed traders the optimal policy still learns the value faster
# than the zero-profit rule. One thing changes: Theorem 2.1 no longer
# holds. A trade may now come from an uninformed trader, so the updated
# belief is a mixture of "the trade was informative" and "it was not", and
# the variance of such a mixture can exceed the prior's: in our runs the
# Gaussian belief's sd grows by up to the factor in the table in a single
# period. The proof above needed every observation to be an event on $w$
# alone.
#
# ## Reproduction summary
#
# Every claim of this chapter, with the paper's value, ours, the evidence
# class and the verdict. Only *independent* claims count as reproductions:
# *calibrated* claims were fitted to the paper's numbers, *identity* claims
# are true by construction (checks of our own code), and *extensions* are
# findings of ours with no paper value:

# %%
led.show()

# %%
led.verdict_table()
led.save()
