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
# {cite:t}`das2008` ask what a market maker should do right after a shock, when it knows much
# less about the new value of an asset than the traders who arrive. They work in the
# {cite:t}`glosten1985` model: a value $V$ is fixed by the shock, each trader sees
# $w_t = V + \varepsilon_t$ and buys at the ask or sells at the bid when $w_t$ lies outside the
# quotes, and the market maker (MM) sees only the direction of the trade. A *monopolist* who
# maximises discounted profit must trade off exploiting its current belief (wide quotes) against
# learning $V$ (narrow quotes, more trades). The paper's contributions, which this chapter
# rebuilds number by number:
#
# 1. a Gaussian approximation of the MM's belief with a closed-form update (their Fig. 2 table)
#    and the theorem that the variance never increases (Thm 2.1);
# 2. a single-pass dynamic programme over the *information disadvantage*
#    $\rho = \sigma_t/\sigma_\varepsilon$ that solves the Bellman equation;
# 3. simulations showing that the Gaussian world predicts the real one (Fig. 3(a)), and the
#    headline: after a large shock the optimal monopolist quotes a **narrower** spread than
#    zero-profit competitors, taking early losses to learn faster (Figs. 3(b), 3(c), 4).
#
# All model code is in `mmkit.glosten_milgrom`; this notebook calls it, prints and plots.
# The paper's numbers enter only as reference values, collected in the `PAPER` dictionary
# below. They were digitised from the vector drawings of the published PDF (accurate to about
# 0.2 % of each axis range). Where the paper is silent (the setup of Fig. 1, the exact quantity
# of Fig. 3(c)) we say what we chose and why.

# %%
import time

import numpy as np
import matplotlib.pyplot as plt
import sympy as sp

import mmkit.glosten_milgrom as gm
from mmkit.glosten_milgrom import (
    GMParams, GridBelief, Q_STAR, evaluate_policy, gaussian_update, half_spread, myopic_rule,
    one_step_profit, optimal_rule, q_myopic, q_zero_profit, simulate, solve_dp, sweep,
    trade_probability, update_factors, zero_profit_rule,
)
from mmkit.book.ledger import Ledger
from mmkit.book.paths import artifacts_dir
from mmkit.book.plotting import PALETTE, print_curve, print_table, subplots

led = Ledger("das2008")
P = GMParams(sigma_eps=1.0, gamma=0.9)  # every experiment of the paper uses these
C_OPT, C_MYO, C_ZERO = PALETTE[0], PALETTE[2], PALETTE[1]

# Reference values from Das & Magdon-Ismail (2008), digitised from the PDF figures.
PAPER = {
    "q_star": 0.7518, "V0": 3.399, "V_0.25": 3.208,
    # Fig. 1: (exact mean, exact sd, Gaussian mean, Gaussian sd) after 2, 5, 20 steps
    "fig1": {2: (3.04, 0.82, 3.10, 0.83), 5: (2.21, 0.52, 2.20, 0.53),
             20: (1.965, 0.258, 1.959, 0.261)},
    "fig3a_rho": [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4],
    "fig3a_opt_theory": [3.399, 2.916, 2.480, 2.183, 1.951, 1.756, 1.585, 1.433, 1.295],
    "fig3a_opt_real": [3.40, 2.913, 2.482, 2.187, 1.962, 1.782, 1.619, 1.478, 1.357],
    "fig3a_myo_theory": [3.399, 2.916, 2.468, 2.099, 1.687, 1.136, 0.449, 0.033, 0.002],
    "fig3a_myo_real": [3.40, 2.913, 2.465, 2.106, 1.719, 1.182, 0.484, 0.032, 0.001],
    "fig3a_zero_real": [0.00, -0.008, 0.013, 0.002, 0.015, 0.028, 0.037, 0.018, 0.001],
    "fig3b_rho": [0, 0.5, 1, 1.5, 2, 2.5, 3, 4],
    "fig3b_opt": [0.752, 0.962, 1.462, 2.099, 2.835, 3.652, 4.544, 6.510],
    "fig3b_myo": [0.752, 0.981, 1.688, 2.890, 4.606, 6.832, 9.567],    # rho = 0 ... 3
    "fig3b_zero": [0.0, 0.207, 0.866, 2.026, 3.716, 5.918, 8.634],     # rho = 0 ... 3
    "fig3b_exit_myo": 3.07, "fig3b_exit_zero": 3.22, "fig3b_cross": 1.55,
    "fig3a_rho3_real": {"Opt": 1.62, "Myopic": 0.48, "Zero": 0.04},  # A.9.6, +-0.03
    "fig4a_opt_t1": 9.08, "fig4b_opt_t1": 0.151,
    "fig3c_t": [1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 25, 30, 35],
    "fig3c_opt": [-0.861, -0.194, 0.002, 0.295, 0.390, 0.553, 0.665, 0.652, 0.706, 0.712,
                  0.723, 0.730, 0.720],
    "fig3c_myo_late_t": [20, 25, 30, 35], "fig3c_myo_late": [0.534, 0.691, 0.702, 0.701],
    "fig3c_myo_early_t": [1, 9], "fig3c_myo_early": [0.002, 0.071],
    "fig4a_opt_t": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 30, 40],
    "fig4a_opt": [9.084, 6.137, 4.235, 3.164, 2.597, 2.288, 2.107, 1.988, 1.907, 1.850,
                  1.702, 1.642, 1.590, 1.569],
    "fig4a_zero_t": [7, 8, 9, 10, 11, 12, 13, 15, 20, 30, 40],
    "fig4a_zero": [9.195, 6.972, 4.601, 2.528, 1.316, 0.821, 0.597, 0.390, 0.214, 0.114, 0.079],
    "fig4a_myo_t": [14, 15, 16, 17, 18, 19, 20, 25, 30, 40],
    "fig4a_myo": [9.688, 8.353, 6.961, 5.570, 4.335, 3.375, 2.740, 1.857, 1.704, 1.611],
    "fig4b_opt_t": [1, 2, 3, 4, 5, 10, 15, 20, 30, 35],
    "fig4b_opt": [0.150, 0.209, 0.259, 0.303, 0.324, 0.397, 0.419, 0.424, 0.440, 0.433],
    "fig4b_myo_t": [1, 10, 15, 20, 25, 30, 35],
    "fig4b_myo": [0.003, 0.017, 0.084, 0.306, 0.396, 0.423, 0.426],
    "fig4b_zero_t": [1, 2, 3, 4, 5, 10, 15, 20, 30, 35],
    "fig4b_zero": [0.006, 0.009, 0.012, 0.024, 0.035, 0.478, 0.861, 0.919, 0.955, 0.965],
    "fig4c_rho": [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.5, 1.7, 2.0, 2.5, 3.0,
                  3.4, 3.5, 3.6, 4.0, 4.5, 5.0],
    "fig4c_opt": [0, 1, 7, 10, 12, 13, 14, 14, 15, 16, 16, 17, 17, 18, 18, 19, 19, 19, 19,
                  20, 20],
    "fig4c_myo": [0, 2, 8, 11, 13, 14, 15, 15, 16, 17, 18, 19, 20, 24, 33, 53, 63, 75, ">80",
                  ">80", ">80"],
    "fig4c_zero": [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 5, 10, 20, 24, 30, 80, ">80", ">80"],
    "fig4c_zero_extra": {1.4: 2, 1.8: 3, 2.1: 4, 2.4: 5, 2.6: 6, 2.7: 7, 2.8: 8, 2.9: 9,
                         3.1: 12, 3.2: 14, 3.3: 16, 3.7: 37, 3.8: 47, 3.9: 61},
    "fig4c_myo_extra": {2.7: 27, 2.8: 28, 2.9: 31, 3.1: 37, 3.2: 41, 3.3: 46},
}

# %% [markdown]
# ## The model and the exact belief
#
# The MM's belief about $V$ is a density $p_t$. Quoting $b_t \le a_t$ and observing
# $x_t \in \{+1, 0, -1\}$ multiplies it by the likelihood
# $F_\varepsilon(z^+ - v) - F_\varepsilon(z^- - v)$, with $(z^+, z^-) = (\infty, a), (a, b),
# (b, -\infty)$ for a buy, no trade and a sell. After a few steps the exact belief is a product
# of error functions times the prior: `GridBelief` carries it on a
# grid. The MM earns $a_t - V$ on a buy and $V - b_t$ on a sell, and there are three MMs:
# **zero-profit** (competitive: zero expected profit on each side), **myopic** (maximises the
# next trade's profit) and **optimal** (maximises $\sum_t \gamma^t r_t$).
#
# The paper replaces $p_t$ by a Gaussian $N(\mu_t, \sigma_t^2)$ whose mean and variance are
# matched after each update. With Gaussian noise, $F_\varepsilon(x) = \Phi(x/\sigma_\varepsilon)$,
# and symmetric quotes $\mu_t \pm \delta_t$ everything depends on
# $\rho_t = \sigma_t / \sigma_\varepsilon$ and $q_t = \delta_t / (\sigma_\varepsilon
# \sqrt{1+\rho_t^2})$. The update needs three integrals (the paper's Fig. 2):
#
# $$I(\alpha,\beta) = \int N(x)\,\Phi(\alpha-\beta x)\,dx,\quad
#   J(\alpha,\beta) = \int x N(x)\,\Phi(\alpha-\beta x)\,dx,\quad
#   K(\alpha,\beta) = \int x^2 N(x)\,\Phi(\alpha-\beta x)\,dx .$$
#
# ## Fig. 2: the integrals and the closed-form update, checked with sympy
#
# sympy cannot integrate $\Phi(\alpha - \beta x)$ against a Gaussian directly, but it can
# differentiate under the integral: $\partial_\alpha$ of each integral is a plain Gaussian
# integral. If the claimed closed form has the same $\alpha$-derivative and the same limit as
# $\alpha \to -\infty$ (where all three integrals vanish), it is the integral.

# %%
x, a = sp.symbols("x alpha", real=True)
b = sp.symbols("beta", positive=True)
Nf = lambda z: sp.exp(-z**2 / 2) / sp.sqrt(2 * sp.pi)  # noqa: E731
Phif = lambda z: (1 + sp.erf(z / sp.sqrt(2))) / 2  # noqa: E731
s = sp.sqrt(1 + b**2)
closed = {
    "I": Phif(a / s),
    "J": -b / s * Nf(a / s),
    "K": Phif(a / s) - a * b**2 * s**-3 * Nf(a / s),
}
sympy_ok = []
for k, (name, F) in enumerate(closed.items()):
    d_integral = sp.integrate(x**k * Nf(x) * Nf(a - b * x), (x, -sp.oo, sp.oo))
    residual = sp.simplify(sp.expand(sp.simplify((d_integral - sp.diff(F, a)).rewrite(sp.erf))))
    limit = sp.limit(F, a, -sp.oo)
    sympy_ok.append(residual == 0 and limit == 0)
    print(f"{name}: d/dalpha(integral) - d/dalpha(closed form) = {residual};  "
          f"closed form at alpha -> -oo = {limit}")

# %% [markdown]
# With $I, J, K$ in hand, a buy at the ask $a = \mu + \delta$ gives, in standardised units
# $z = (V-\mu)/\sigma$ and with $\alpha = q\sqrt{1+\rho^2}$, $\beta = \rho$:
# $A = E[\text{lik}] = 1 - I$, $B = E[z\,\text{lik}] = -J$ and
# $C = A - E[z^2\,\text{lik}] = K - I$. The paper's equations (2)-(3) are
# $\mu_{t+1} = \mu_t + \sigma_t B/A$ and $\sigma^2_{t+1} = \sigma_t^2 (1 - (AC + B^2)/A^2)$.
# sympy reduces them to the paper's table, and also derives the expected one-step profit
# $r = 2\sigma_\varepsilon\sqrt{1+\rho^2}\,[qQ(q) - \tfrac{\rho^2}{1+\rho^2}N(q)]$ from
# $r^{\text{ask}} = E[(a - V)\,\mathbb 1\{\text{buy}\}] = \sigma_\varepsilon(\alpha A + \rho J)$:

# %%
q, rho = sp.symbols("q rho", positive=True)
sr = sp.sqrt(1 + rho**2)
Nq, Qq = Nf(q), 1 - Phif(q)
at = lambda F, alpha: F.subs(b, rho).subs(a, alpha)  # noqa: E731
I_, J_, K_ = closed["I"], closed["J"], closed["K"]
# buy: (z+, z-) = (+oo, alpha)
A1, B1, C1 = 1 - at(I_, q * sr), -at(J_, q * sr), at(K_ - I_, q * sr)
kappa_res = sp.simplify(B1 / A1 - rho / sr * Nq / Qq)
alpha2_res = sp.simplify(1 - (A1 * C1 + B1**2) / A1**2
                         - (1 - rho**2 * Nq * (Nq - q * Qq) / ((1 + rho**2) * Qq**2)))
# no trade: (z+, z-) = (alpha, -alpha)
A0 = at(I_, q * sr) - at(I_, -q * sr)
B0 = at(J_, q * sr) - at(J_, -q * sr)
C0 = at(I_ - K_, q * sr) - at(I_ - K_, -q * sr)
beta2_res = sp.simplify(1 - (A0 * C0 + B0**2) / A0**2
                        - (1 - 2 * rho**2 * q * Nq / ((1 + rho**2) * (2 * Phif(q) - 1))))
prob_res = sp.simplify(A1 - Qq) , sp.simplify(A0 - (2 * Phif(q) - 1))
r_ask = q * sr * A1 + rho * at(J_, q * sr)
profit_res = sp.simplify(2 * r_ask - 2 * sr * (q * Qq - rho**2 / (1 + rho**2) * Nq))
print("kappa - rho/sqrt(1+rho^2) N/Q            =", kappa_res)
print("alpha^2 - table alpha^2                  =", alpha2_res)
print("beta^2  - table beta^2 (mean shift B0 = {})=".format(sp.simplify(B0)), beta2_res)
print("P(buy) - Q(q), P(no trade) - (2Phi(q)-1)  =", prob_res)
print("2 r_ask - r(rho, q) (sigma_eps = 1)       =", profit_res)
table_ok = all(e == 0 for e in (kappa_res, alpha2_res, beta2_res, *prob_res, profit_res))

# %% [markdown]
# The PDF's radical in $\kappa$ is ambiguous; the derivation fixes it as
# $\kappa = \frac{\rho}{\sqrt{1+\rho^2}}\,\frac{N(q)}{Q(q)}$. The same numbers from the other
# side: the closed-form table against the mean and sd of the *exact* one-step posterior on a
# fine grid, for a spread of cases.

# %%
cases = [(0.3, 0.2), (1.0, 0.75), (2.0, 1.4), (3.0, 0.5), (4.0, 3.0)]
rows, errs = [], []
v_fine = np.linspace(-60, 60, 120001)
for r_, q_ in cases:
    al, be, ka = update_factors(r_, q_)
    d = float(half_spread(r_, q_))
    prior = GridBelief.gaussian(0.0, r_, v_fine)
    out = []
    for xobs, (mu_c, sd_c) in ((1, (ka * r_, al * r_)), (0, (0.0, be * r_))):
        post = prior.update(-d, d, xobs, P)
        errs += [abs(float(post.mean()) - mu_c), abs(float(post.sd()) - sd_c)]
        out += [float(post.sd()) / r_, sd_c / r_]
    rows.append([float(al), float(be), float(ka)] + out)
print_table([f"rho={r_}, q={q_}" for r_, q_ in cases],
            ["alpha", "beta", "kappa", "exact sd'/sd buy", "table", "exact sd'/sd hold", "table"],
            rows, digits=6)
print(f"largest |exact - table| over means and sds: {max(errs):.1e}")

led.qualitative("Fig 2", "closed forms of I, J, K (sympy: same d/dalpha, same limit at -oo)",
                paper="I = Phi(a/s), J = -(b/s) N(a/s), K = I - a b^2 s^-3 N(a/s), s = sqrt(1+b^2)",
                ours="sympy residuals 0 and limits 0 for all three" if all(sympy_ok) else
                "a residual is not 0", holds=all(sympy_ok))
led.qualitative("Fig 2", "update table (alpha, beta, kappa, probabilities) follows from eqs (2)-(3)",
                paper="table of sec. 2.5", ours="sympy: all residuals simplify to 0"
                if table_ok else "a residual is not 0", holds=table_ok)
led.compare("Fig 2", "closed-form table vs exact one-step posterior moments (max abs error)",
            paper=0.0, ours=max(errs), atol=1e-7)

# %% [markdown]
# ## Theorem 2.1: the variance never increases
#
# The proof is in the paper's supplement, which we could not recover. The table makes the
# claim checkable: the state shrinks by $\alpha$ after a trade and by $\beta$ after no trade, so
# the theorem says $\alpha^2, \beta^2 < 1$ for every $(\rho, q)$, including the
# threshold (no-trade) observations. Over a dense grid (and, in `tests/`, as a hypothesis
# property for any quotes, symmetric or not):

# %% mystnb={"figure": {"caption": "Theorem 2.1 of {cite}`das2008` (no figure in the paper), checked numerically: the variance factors after a trade (alpha^2) and after no trade (beta^2) are below 1 on a dense (rho, q) grid.", "name": "fig-das-thm21"}}
rr = np.linspace(0.0, 5.0, 501)
qq = np.linspace(0.0, 6.0, 601)
AL, BE, _ = update_factors(rr[:, None], qq[None, :])
fig, axes = subplots(1, 2)
for ax, Z, name in ((axes[0], AL**2, r"$\alpha^2$ (after a trade)"),
                    (axes[1], BE**2, r"$\beta^2$ (after no trade)")):
    im = ax.pcolormesh(qq, rr, Z, shading="auto", cmap="viridis", vmin=0, vmax=1)
    ax.set_xlabel("q = normalised half-spread")
    ax.set_ylabel(r"$\rho = \sigma_t / \sigma_\varepsilon$")
    ax.set_title(name)
fig.colorbar(im, ax=axes, label="variance factor")
inner = np.broadcast_to(rr[:, None] > 0, AL.shape)
pos = rr > 0
gap_a, gap_b = 1 - (AL[pos] ** 2).max(), 1 - (BE[pos] ** 2).max()
print(f"grid points: {AL.size}; at rho = 0 both factors are 1 (nothing to learn)")
print(f"for rho > 0: smallest 1 - alpha^2 = {gap_a:.1e}, smallest 1 - beta^2 = {gap_b:.1e} "
      f"(no-trade at wide quotes carries almost no information)")
print(f"points with rho > 0 and a factor >= 1: {int(np.sum(inner & ((AL >= 1) | (BE >= 1))))}")
print_table(["alpha^2", "beta^2"], ["rho=0.5,q=0.5", "rho=1,q=1", "rho=3,q=1", "rho=5,q=6"],
            [[float(update_factors(r_, q_)[i] ** 2) for r_, q_ in ((0.5, .5), (1, 1), (3, 1), (5, 6))]
             for i in (0, 1)])
plt.show()
thm_ok = AL.max() <= 1 and BE.max() <= 1 and not np.any(inner & ((AL >= 1) | (BE >= 1)))
led.qualitative("Thm 2.1", "sigma_{t+1} <= sigma_t on every branch (alpha^2, beta^2 < 1)",
                paper="variance never increases, including no-trade observations",
                ours=f"on {AL.size} (rho, q) points (rho <= 5, q <= 6): both factors < 1 "
                     f"wherever rho > 0 (smallest gaps {gap_a:.1e}, {gap_b:.1e}), = 1 at rho = 0",
                holds=thm_ok)

# %% [markdown]
# ## Fig. 1: exact versus Gaussian belief
#
# Fig. 1 of the paper overlays the exact posterior (solid) and the Gaussian state (dashed) after
# 2, 5 and 20 steps, on a value axis from 1 to 5 with cells of 0.02. Its setup (prior, true
# value, MM policy, trade sequence) is not stated. The reproduction spec inferred a prior
# $N(3, 1)$, $V = 2$, $\sigma_\varepsilon = 1$ and zero-profit quotes. **We replace the prior
# width**, because $N(3,1)$ is inconsistent with the figure: after two steps the Gaussian sd is
# a product of two factors $\alpha$ or $\beta$, and from $\sigma_0 = 1$ it can only be
# 0.61 to 0.71 whichever of the three MMs quotes and whatever is observed, while the figure
# shows 0.83. From $\sigma_0 = 1.5$ the zero-profit MM reaches 0.74 to 0.85, bracketing it:

# %%
PATTERNS2 = [(x1, x2) for x1 in (1, 0, -1) for x2 in (1, 0, -1)]  # all two-step sequences


def two_step_states(rule, s0):
    """Gaussian state (mean, sd) after each two-step sequence, from the prior N(3, s0^2)."""
    out = {}
    for pattern in PATTERNS2:
        mu_, sg_ = np.array([3.0]), np.array([s0])
        for xo in pattern:
            bb, aa = rule(mu_, sg_)
            mu_, sg_ = gaussian_update(mu_, sg_, bb, aa, np.array([xo]), P)
        out[pattern] = (float(mu_[0]), float(sg_[0]))
    return out


sol = solve_dp(P)  # the DP, solved below; needed here for the optimal MM's quotes
rules3 = {"zero": zero_profit_rule(P), "myopic": myopic_rule(P), "optimal": optimal_rule(sol)}
states2 = {(n, s0): two_step_states(r_, s0) for s0 in (1.0, 1.5) for n, r_ in rules3.items()}
# by symmetry a sell-sell sequence has the sd of buy-buy, so four columns show every sd
show2 = [(1, 1), (1, 0), (0, 1), (0, 0)]
print_table([f"{n}, sigma0={s0}" for (n, s0) in states2],
            ["trade,trade", "trade,none", "none,trade", "none,none"],
            [[st[pt][1] for pt in show2] for st in states2.values()], digits=3,
            title="Gaussian sd after two steps (paper's Fig. 1: 0.83)")
means2 = np.array([m_ for st in states2.values() for m_, _ in st.values()])
gap_mu = np.abs(means2 - 3.10).min()
moved = np.abs(means2 - 3.0)[np.abs(means2 - 3.0) > 1e-9].min()
print(f"two-step Gaussian means, 9 sequences x 6 settings: closest to the paper's 3.10 is "
      f"{gap_mu:.3f} away; only 'no trade twice' keeps the mean at 3, every other sequence moves "
      f"it by at least {moved:.3f}")

# %% [markdown]
# Our setup: prior $N(3, 1.5^2)$, $V = 2$, $\sigma_\varepsilon = 1$, the zero-profit MM quoting
# from its Gaussian state, and the exact posterior computed with cells of 0.02 on a grid wide
# enough that nothing is truncated (the figure shows the window [1, 5]). The trade sequence
# is a nuisance we cannot recover, so we **fit it**: among 2,000 seeded random sequences we
# draw the one whose 12 moments (exact and Gaussian mean and sd at 2, 5, 20 steps) are closest
# to the digitised ones. The match of those moments is therefore by construction and is not
# evidence: the ledger records it as *not attempted*, with the fitted distance in the reason,
# so it does not count towards the reproduction. The evidence is the size of the
# approximation error over all 2,000 sequences, printed after the figure, which does not use
# the paper's numbers at all. The figure shows that our setup *can* produce a picture like
# the paper's; it cannot show that it is the paper's setup.

# %%
S0, V_TRUE, N_SEQ = 1.5, 2.0, 2000
v1 = np.arange(3 - 8 * S0, 3 + 8 * S0 + 1e-9, 0.02)
rng = np.random.default_rng(2008)
eps1 = rng.standard_normal((N_SEQ, 20))
zrule = zero_profit_rule(P)
mu1, sg1 = np.full(N_SEQ, 3.0), np.full(N_SEQ, S0)
bel1 = GridBelief.gaussian(mu1, sg1, v1)
snap = {}
for t in range(20):
    bq, aq = zrule(mu1, sg1)
    w = V_TRUE + eps1[:, t]
    xo = (w > aq).astype(int) - (w < bq)
    bel1 = bel1.update(bq, aq, xo, P)
    mu1, sg1 = gaussian_update(mu1, sg1, bq, aq, xo, P)
    if t + 1 in (2, 5, 20):
        snap[t + 1] = (bel1.p.copy(), bel1.mean(), bel1.sd(), mu1.copy(), sg1.copy())
mom = np.stack([np.stack(snap[k][1:]) for k in (2, 5, 20)])        # (step, 4, seq)
target = np.array([PAPER["fig1"][k] for k in (2, 5, 20)])            # (step, 4)
rms = np.sqrt(((mom - target[:, :, None]) ** 2).mean(axis=(0, 1)))
best = int(np.argmin(rms))
print(f"fitted sequence: #{best} of {N_SEQ} (RMS distance to the 12 digitised moments "
      f"{rms[best]:.4f}; median over sequences {np.median(rms):.3f})")

# %% mystnb={"figure": {"caption": "Rebuilds Fig. 1 of {cite}`das2008`: exact posterior (solid) and recursive Gaussian state (dashed) after 2, 5 and 20 steps, probability per 0.02 cell. Setup ours, as the paper does not state it: prior N(3, 1.5^2), V = 2, zero-profit quotes, and a trade sequence fitted to the paper's moments, so the agreement of the curves is by construction (a consistency check, not evidence); see the text.", "name": "fig-das-1"}}
fig, ax = subplots(width=6.4, height=4.0)
for k, col in zip((2, 5, 20), ("#D55E00", "#009E73", "#000000")):
    p_exact, m_e, s_e, m_g, s_g = (arr[best] for arr in snap[k])
    g = np.exp(-0.5 * ((v1 - m_g) / s_g) ** 2)
    g /= g.sum()
    win = (v1 >= 1 - 1e-9) & (v1 <= 5 + 1e-9)
    ax.plot(v1[win], p_exact[win], color=col, label=f"{k} steps: exact")
    ax.plot(v1[win], g[win], color=col, ls="--", label=f"{k} steps: Gaussian")
ax.set_xlabel("value v")
ax.set_ylabel("probability per cell of 0.02")
ax.legend(ncol=3, fontsize=8)
print_table([f"{k} steps" for k in (2, 5, 20)],
            ["exact mean", "exact sd", "Gauss mean", "Gauss sd"], mom[:, :, best], digits=3,
            title="ours (fitted sequence)")
print_table([f"{k} steps" for k in (2, 5, 20)],
            ["exact mean", "exact sd", "Gauss mean", "Gauss sd"], target, digits=3,
            title="paper (digitised)")
plt.show()

# %% [markdown]
# How close is the Gaussian state to the exact posterior in general? Over all 2,000 random
# sequences, the standardised mean error $|\mu^G - \mu^{\text{exact}}|/\sigma^{\text{exact}}$
# and the sd error $|\sigma^G/\sigma^{\text{exact}} - 1|$:

# %%
me = np.abs(mom[:, 2] - mom[:, 0]) / mom[:, 1]
se_ = np.abs(mom[:, 3] / mom[:, 1] - 1)
paper_me = np.abs(target[:, 2] - target[:, 0]) / target[:, 1]
paper_se = np.abs(target[:, 3] / target[:, 1] - 1)
print_table([f"{k} steps" for k in (2, 5, 20)],
            ["mean err median", "mean err p90", "sd err median", "sd err p90", "paper mean err",
             "paper sd err"],
            np.column_stack([np.median(me, 1), np.quantile(me, 0.9, 1), np.median(se_, 1),
                             np.quantile(se_, 0.9, 1), paper_me, paper_se]), digits=3)
fig1_ok = bool(np.quantile(me, 0.9, 1).max() <= 0.1 and np.quantile(se_, 0.9, 1).max() <= 0.05)
MOM_NAMES = [f"{q_} after {k} steps" for k in (2, 5, 20)
             for q_ in ("exact mean", "exact sd", "Gaussian mean", "Gaussian sd")]
fit_gap = np.abs(mom[:, :, best] - target).ravel()
led.not_attempted(
    "Fig 1", "12 moments after 2/5/20 steps for the fitted trade sequence", paper=target.ravel(),
    reason=f"Not counted as evidence: the paper does not state the setup; we chose the prior "
           f"N(3, 1.5^2) and V = 2 and fitted the trade sequence to these 12 digitised moments "
           f"(best of {N_SEQ} seeded sequences), so agreement is by construction. For the record: "
           f"RMS distance {rms[best]:.3f}, largest gap {fit_gap.max():.3f} "
           f"({MOM_NAMES[int(np.argmax(fit_gap))]}); no two-step sequence from a prior mean of 3 "
           f"comes within {gap_mu:.2f} of the paper's 3.10, so its prior mean was probably not 3. "
           "The approximation-quality claim of this item is the evidence.")
led.qualitative("Fig 1", "the Gaussian state closely tracks the exact posterior",
                paper="visually indistinguishable curves; digitised mean error <= 0.073 sd, "
                      "sd error <= 2 %",
                ours=f"over {N_SEQ} random sequences, 90th percentiles: mean error <= "
                     f"{np.quantile(me, 0.9, 1).max():.3f} sd, sd error <= "
                     f"{np.quantile(se_, 0.9, 1).max():.3f}", holds=fig1_ok)

# %% [markdown]
# The zero-profit and myopic market makers of the paper's section 2.3 are defined for *any*
# belief, not only a Gaussian one: `GridBelief.zero_profit_quotes` solves
# $b = E[V \mid \text{sell}]$, $a = E[V \mid \text{buy}]$, and `GridBelief.myopic_quotes`
# maximises the next trade's expected profit, both on the exact grid posterior. On the
# fitted sequence, the quotes each MM would post from the exact posterior and from the
# Gaussian state differ by a few hundredths at most:

# %%
q_rows = []
for k in (2, 5, 20):
    p_exact, _, _, m_g, s_g = (arr[best] for arr in snap[k])
    exact_k = GridBelief(v1, p_exact)
    z_g = zrule(np.array([m_g]), np.array([s_g]))
    m_gq = rules3["myopic"](np.array([m_g]), np.array([s_g]))
    q_rows.append([*exact_k.zero_profit_quotes(P), float(z_g[0][0]), float(z_g[1][0]),
                   *exact_k.myopic_quotes(P), float(m_gq[0][0]), float(m_gq[1][0])])
print_table([f"{k} steps" for k in (2, 5, 20)],
            ["zero b exact", "a exact", "b Gauss", "a Gauss", "myopic b exact", "a exact",
             "b Gauss", "a Gauss"], q_rows, digits=3)
q_rows = np.array(q_rows)
print(f"largest |exact - Gaussian| quote: zero-profit "
      f"{np.abs(q_rows[:, :2] - q_rows[:, 2:4]).max():.3f}, myopic "
      f"{np.abs(q_rows[:, 4:6] - q_rows[:, 6:8]).max():.3f}")

# %% [markdown]
# ## The market makers and the single-pass DP
#
# For a Gaussian belief the three MMs quote $\mu_t \pm q\,\sigma_\varepsilon\sqrt{1+\rho_t^2}$:
#
# * zero-profit: $q = \frac{\rho^2}{1+\rho^2}\,\frac{N(q)}{Q(q)}$, which sets the one-step profit
#   $r(\rho, q)$ to 0;
# * myopic: $q\,N(q)/Q(q) = 1 + \rho^2$, the maximiser of $r(\rho, q)$;
# * optimal: the maximiser in the Bellman equation in $x = \rho^2$,
#
# $$V(x) = \max_q\; r(x, q) + \gamma\,\big[2Q(q)\,V(\alpha^2 x) + (2\Phi(q) - 1)\,V(\beta^2 x)\big].$$
#
# The paper says "10 standard fixed point iterations are sufficient"; we solve both fixed
# points by safeguarded Newton to $10^{-13}$ instead (both roots are unique: the
# functions are monotone). At $\rho = 0$ the MM knows $V$: the zero-profit spread is 0, the
# optimal and myopic MMs coincide at $q^*$ with $q^* N(q^*) = Q(q^*)$, and
# $V(0) = 2q^*Q(q^*)/(1-\gamma)$.
#
# By Thm 2.1 the right-hand side involves only states below $x$, so the paper computes $V(0)$
# and sweeps up a fine grid once, interpolating linearly between computed points. There is a
# catch at small $\rho$: one update shrinks $x$ only by $O(x^2)$, so the next states fall
# *between* the previous node $x_{k-1}$ and the node $x_k$ being computed. Their interpolated
# value involves the unknown $V(x_k)$. The right-hand side is then affine in it,
# $a(q) + b(q)V_k$ with $b < \gamma$, and the fixed point of the max is exactly
# $V_k = \max_q a(q)/(1 - b(q))$: no iteration is needed. Clamping those states to
# $V(x_{k-1})$ instead (the "naive" treatment) overstates $V$.

# %%
# NBVAL_IGNORE_OUTPUT
t0 = time.perf_counter()
sol = solve_dp(P)
print(f"DP on {sol.rho.size} rho nodes: {time.perf_counter() - t0:.2f} s wall")

# %%
print(f"q* = {Q_STAR:.6f}, V(0) = {float(sol.value(0.0)):.5f}, "
      f"V(0.25) = {float(sol.value(0.25)):.4f}")
led.compare("Fig 3(b)", "q* (half-spread at rho = 0, solves q N(q) = Q(q))",
            paper=PAPER["q_star"], ours=Q_STAR, atol=5e-5)
led.compare("Fig 3(a)", "V(0) = 2 q* Q(q*) / (1 - gamma)", paper=PAPER["V0"],
            ours=float(sol.value(0.0)), atol=5e-4)

# %% mystnb={"figure": {"caption": "The single-pass DP behind the theory curves of Figs. 3(a) and 3(b) of {cite}`das2008` (no figure of its own in the paper). Left: optimal value V(rho) and policy q*(rho). Right: how much the naive treatment of next states between grid nodes overstates V, for the spec grid (step 0.002 then 0.005) and two uniform grids; the self-consistent value does not depend on the grid.", "name": "fig-das-dp"}}
grids = {"spec grid (0.002 / 0.005)": sol.rho,
         "uniform 0.01": np.arange(0, 5 + 1e-9, 0.01),
         "uniform 0.02": np.arange(0, 5 + 1e-9, 0.02)}
fig, axes = subplots(1, 2)
ax = axes[0]
ax.plot(sol.rho, sol.v, color=C_OPT, label="V(rho) / sigma_eps")
ax.set_xlabel(r"$\rho$")
ax.set_ylabel("optimal value (units of sigma_eps)")
ax2 = ax.twinx()
ax2.plot(sol.rho, sol.q_grid_values, color=C_ZERO, ls="--", label="q*(rho)")
ax2.set_ylabel("optimal q*", color=C_ZERO)
ax.legend(loc="upper right")
naive_rows = []
for (label, g), col in zip(grids.items(), (C_OPT, C_MYO, C_ZERO)):
    sc = sol if g is sol.rho else solve_dp(P, g)
    nv = solve_dp(P, g, method="naive")
    gap = nv.v - sc.v
    axes[1].plot(g, gap, color=col, label=label)
    k = int(np.argmax(gap))
    naive_rows.append([float(sc.value(0.25)), float(nv.value(0.25)), gap.max(), g[k]])
axes[1].set_xlabel(r"$\rho$")
axes[1].set_ylabel("V naive - V self-consistent")
axes[1].set_xlim(0, 2)
axes[1].legend()
print_curve("V(rho)", sol.rho, sol.v, points=6)
print_curve("q*(rho)", sol.rho, sol.q_grid_values, points=6)
print_table(list(grids), ["V(0.25) self-cons.", "V(0.25) naive", "max overstatement", "at rho"],
            naive_rows, digits=4)
plt.show()

# %% [markdown]
# The self-consistent value at $\rho = 0.25$ is 3.206 to 3.207 on all three grids (it hardly
# depends on the grid); the paper's curve reads 3.208. The naive error grows with the grid step, roughly like
# $\gamma/(1-\gamma)\cdot|V'|\cdot\Delta\rho$: 0.03 on the spec's fine grid, 0.10 with steps of
# 0.02. The reproduction spec quotes "up to 0.11 (3.320 at 0.25)"; we get that size only on a
# coarse grid, so that figure must have come from a coarser grid than the one the spec lists.

# %%
led.compare("Fig 3(a)", "V(0.25), self-consistent single pass", paper=PAPER["V_0.25"],
            ours=float(sol.value(0.25)), atol=0.005)
naive_overstates = all(r_[1] - r_[0] > 0.01 for r_ in naive_rows)
led.qualitative("Fig 3(a)", "single pass: next states between nodes need the self-consistent fix",
                paper="V(0.25) = 3.208 on the published curve",
                ours="self-consistent: " + ", ".join(f"{r_[0]:.4f}" for r_ in naive_rows)
                     + "; naive clamping: " + ", ".join(f"{r_[1]:.4f}" for r_ in naive_rows)
                     + " (spec, 0.01, 0.02 grids)",
                holds=naive_overstates and abs(naive_rows[0][0] - PAPER["V_0.25"]) < 0.005)

# %% [markdown]
# ## Simulations: the real world and the Gaussian world
#
# Protocol of the paper (sec. 3): $V \sim N(0, \sigma^2)$ with $\sigma = \rho\,\sigma_\varepsilon$,
# drawn once per run (**the real world**); the MM starts at $N(0, \sigma^2)$, updates only by the
# Gaussian table and quotes from its own policy; 100 periods; at least 10,000 runs. The
# **Gaussian world**, where $V_t \sim N(\mu_t, \sigma_t^2)$ is redrawn every period, is the one in
# which the DP values are exact. `simulate` is vectorised over runs,
# and every MM sees the same values and traders (common random numbers). One rho, three MMs,
# 10,000 runs of 100 periods:

# %%
# NBVAL_IGNORE_OUTPUT
rules = [optimal_rule(sol), myopic_rule(P), zero_profit_rule(P)]
t0 = time.perf_counter()
for r_ in rules:
    simulate(r_, 3.0, P, n_runs=10_000, n_periods=100, seed=0)
print(f"3 MMs x 10,000 runs x 100 periods at rho = 3: {time.perf_counter() - t0:.2f} s wall")

# %% [markdown]
# The sweep over $\rho$ uses the grid of Fig. 3(a) (0, 0.002, ..., 0.01, 0.02, ..., 0.1, 0.2,
# ..., 4), extended to 5 for Fig. 4(c): 64 values, 10,000 runs each. The theoretical
# curves come from the DP (optimal) and from the same single pass with $q$ fixed to the
# myopic rule (myopic).

# %%
RHOS = np.round(np.concatenate([[0, 0.002, 0.004, 0.006, 0.008], np.arange(0.01, 0.1001, 0.01),
                                np.arange(0.2, 5.0001, 0.1)]), 4)
SW = sweep(rules, RHOS, P, n_runs=10_000, n_periods=100, seed=0)
OPT, MYO, ZERO = 0, 1, 2
myo_theory = evaluate_policy(q_myopic, P, sol.rho)


def at_rho(arr, rhos):
    return np.array([arr[int(np.argmin(np.abs(RHOS - r_)))] for r_ in rhos])


R3A = PAPER["fig3a_rho"]
theory_opt = sol.value(R3A)
theory_myo = np.interp(R3A, sol.rho, myo_theory)

# %% mystnb={"figure": {"caption": "Rebuilds Fig. 3(a) of {cite}`das2008`: realised discounted profit in the real world (markers, 10,000 runs per rho) and the Gaussian-world theory from the DP (thin black lines); crosses are the digitised paper values.", "name": "fig-das-3a"}}
fig, ax = subplots(width=6.4, height=4.2)
sel = RHOS <= 4.0001
for i, (lab, col, mk) in enumerate((("Opt.", C_OPT, "o"), ("Myopic", C_MYO, "s"),
                                    ("Zero profit", C_ZERO, "^"))):
    ax.plot(RHOS[sel], SW.profit_mean[i, sel], marker=mk, ms=3, color=col, label=f"{lab} realised")
ax.plot(sol.rho[sol.rho <= 4], sol.v[sol.rho <= 4], color="k", lw=0.8, label="theory (DP)")
ax.plot(sol.rho[sol.rho <= 4], myo_theory[sol.rho <= 4], color="k", lw=0.8)
for key, col in (("fig3a_opt_real", C_OPT), ("fig3a_myo_real", C_MYO),
                 ("fig3a_zero_real", C_ZERO)):
    ax.plot(R3A, PAPER[key], "x", color=col, ms=7)
ax.plot([], [], "x", color="grey", label="paper (digitised)")
ax.set_xlabel(r"MM information disadvantage $\rho = \sigma/\sigma_\varepsilon$")
ax.set_ylabel("discounted profit (units of sigma_eps)")
ax.set_xlim(0, 4)
ax.legend(fontsize=8)
print_table(["Opt theory", "Opt realised", "Myopic theory", "Myopic realised", "Zero realised"],
            [f"{r_:g}" for r_ in R3A],
            [theory_opt, at_rho(SW.profit_mean[OPT], R3A), theory_myo,
             at_rho(SW.profit_mean[MYO], R3A), at_rho(SW.profit_mean[ZERO], R3A)], digits=3)
print(f"largest Monte Carlo standard error: {SW.profit_se[:, sel].max():.4f}")
plt.show()

# %%
led.compare("Fig 3(a)", "Opt theoretical profit (Gaussian world, DP) at rho = 0..4",
            paper=PAPER["fig3a_opt_theory"], ours=theory_opt, atol=0.005)
led.compare("Fig 3(a)", "Myopic theoretical profit at rho = 0..4",
            paper=PAPER["fig3a_myo_theory"], ours=theory_myo, atol=0.005)
led.compare("Fig 3(a)", "Opt realised profit at rho = 0..4 (10,000 runs)",
            paper=PAPER["fig3a_opt_real"], ours=at_rho(SW.profit_mean[OPT], R3A), atol=0.05)
led.compare("Fig 3(a)", "Myopic realised profit at rho = 0..4",
            paper=PAPER["fig3a_myo_real"], ours=at_rho(SW.profit_mean[MYO], R3A), atol=0.05)
led.compare("Fig 3(a)", "Zero-profit realised profit at rho = 0..4",
            paper=PAPER["fig3a_zero_real"], ours=at_rho(SW.profit_mean[ZERO], R3A), atol=0.03)
k3 = int(np.argmin(np.abs(RHOS - 3.0)))
for i, lab in ((OPT, "Opt"), (MYO, "Myopic"), (ZERO, "Zero")):
    led.compare("Fig 3(a)", f"{lab} realised profit at rho = 3 (+-0.03)",
                paper=PAPER["fig3a_rho3_real"][lab],
                ours=SW.profit_mean[i, k3], atol=0.03)
hi = RHOS >= 3.6
myo_zero = max(SW.profit_mean[MYO, hi].max(), myo_theory[sol.rho >= 3.6].max())
led.qualitative("Fig 3(a)", "Myopic value is about 0 for rho >= 3.6 (almost nobody trades)",
                paper="myopic curves at 0.03 (3.5) and 0.00 (4)",
                ours=f"max over rho >= 3.6 of realised and theory: {myo_zero:.4f}",
                holds=myo_zero < 0.02)
big = RHOS[(RHOS >= 2.5) & (RHOS <= 4.0001)]
excess = at_rho(SW.profit_mean[OPT], big) / sol.value(big) - 1
led.qualitative("Fig 3(a)", "Opt realised exceeds theory by 1-5 % for rho >= 2.5",
                paper="realised 1.782/1.619/1.478/1.357 vs theory 1.756/1.585/1.433/1.295",
                ours=f"excess {100 * excess.min():.1f} % to {100 * excess.max():.1f} % over "
                     f"rho = 2.5..4", holds=bool(excess.min() > 0 and excess.max() < 0.07),
                reason="" if excess.min() > 0 else "realised below theory somewhere")
gap_om = at_rho(SW.profit_mean[OPT], [2.0, 3.0, 4.0]) - at_rho(SW.profit_mean[MYO], [2.0, 3.0, 4.0])
led.qualitative("Fig 3(a)", "the optimal MM significantly outperforms the myopic MM",
                paper="Opt above Myopic, by more than 1 at rho = 3",
                ours="Opt - Myopic realised at rho = 2, 3, 4: "
                     + ", ".join(f"{g_:.3f}" for g_ in gap_om), holds=bool(gap_om.min() > 0.2))

# %% [markdown]
# The realised (real-world) and theoretical (Gaussian-world) values agree within Monte Carlo
# error (standard errors about 0.01) up to $\rho \approx 2$; beyond it the realised profit of the optimal MM is a few per cent *above*
# the theory, as in the paper. The theory itself is exact in the Gaussian world, which we check
# by simulating it:

# %%
gw_rows, gw_ok = [], True
for r_ in (0.5, 1.0, 2.0, 3.0, 4.0):
    row = []
    for rule_, th in ((rules[0], float(sol.value(r_))),
                      (rules[1], float(np.interp(r_, sol.rho, myo_theory)))):
        m_, se_m = simulate(rule_, r_, P, n_runs=10_000, seed=1, world="gaussian") \
            .mean_discounted_profit()
        row += [th, m_, se_m]
        gw_ok &= abs(m_ - th) < 4 * se_m
    gw_rows.append(row)
print_table([f"rho={r_}" for r_ in (0.5, 1, 2, 3, 4)],
            ["Opt theory", "Opt Gauss world", "se", "Myo theory", "Myo Gauss world", "se"],
            gw_rows, digits=4)
led.qualitative("Fig 3(a)", "the theoretical value is the Gaussian-world value",
                paper="thin black lines: value function of the Gaussian approximation",
                ours="Gaussian-world simulation within 4 standard errors of the DP at "
                     "rho = 0.5, 1, 2, 3, 4 for Opt and Myopic" if gw_ok else
                     "a Gaussian-world mean is more than 4 se from the DP", holds=gw_ok)

# %% [markdown]
# ## Fig. 3(b): spreads
#
# The y axis of the paper's Fig. 3(b) is labelled "Spread ($2\delta/\sigma_\varepsilon$)", but
# the plotted values are the **half**-spread $\delta/\sigma_\varepsilon =
# q\sqrt{1+\rho^2}$: at $\rho = 0$ they equal $q^* = 0.752$, not $2q^* = 1.504$. We plot the
# half-spread to match the published numbers.

# %% mystnb={"figure": {"caption": "Rebuilds Fig. 3(b) of {cite}`das2008`: half-spread delta/sigma_eps against rho for the three market makers (the paper's axis label says 2 delta, its values are delta); crosses are the digitised paper values.", "name": "fig-das-3b"}}
rf = np.linspace(0, 4, 801)
hs_opt = sol.half_spread(rf)
hs_myo = half_spread(rf, q_myopic(rf))
hs_zero = half_spread(rf, q_zero_profit(rf))
fig, ax = subplots(width=6.0, height=4.0)
ax.plot(rf, hs_opt, color=C_OPT, lw=2.5, label="Opt.")
ax.plot(rf, hs_myo, color="k", lw=0.9, label="Myopic")
ax.plot(rf, hs_zero, color=C_ZERO, ls="--", label="Zero profit")
R3B = PAPER["fig3b_rho"]
ax.plot(R3B, PAPER["fig3b_opt"], "x", color=C_OPT)
ax.plot(R3B[:7], PAPER["fig3b_myo"], "x", color="k")
ax.plot(R3B[:7], PAPER["fig3b_zero"], "x", color=C_ZERO)
ax.set_ylim(0, 10)
ax.set_xlim(0, 4)
ax.set_xlabel(r"$\rho = \sigma/\sigma_\varepsilon$")
ax.set_ylabel(r"half-spread $\delta/\sigma_\varepsilon$")
ax.legend()
print_table(["Opt", "Myopic", "Zero"], [f"{r_:g}" for r_ in R3B],
            [sol.half_spread(R3B), half_spread(R3B, q_myopic(R3B)),
             half_spread(R3B, q_zero_profit(R3B))], digits=3)
plt.show()

# %%
from scipy.optimize import brentq  # noqa: E402

exit_myo = brentq(lambda r_: float(half_spread(r_, q_myopic(r_))) - 10, 2.5, 4)
exit_zero = brentq(lambda r_: float(half_spread(r_, q_zero_profit(r_))) - 10, 2.5, 4)
cross = brentq(lambda r_: float(sol.half_spread(r_) - half_spread(r_, q_zero_profit(r_))), 1, 2)
loss = brentq(lambda r_: float(sol.one_step_profit(r_)), 1, 2)
print(f"Myopic leaves the axis (delta = 10) at rho = {exit_myo:.3f}, Zero at {exit_zero:.3f}")
print(f"Opt half-spread drops below Zero's at rho = {cross:.3f}; "
      f"Opt's expected one-step profit turns negative at rho = {loss:.3f}")
dd = half_spread(sol.rho, q_myopic(sol.rho)) - sol.half_spread(sol.rho)
d1 = float(dd[np.argmin(np.abs(sol.rho - 1.0))])
print(f"Myopic - Opt half-spread: min over the grid {dd.min():.1e}; max for rho <= 0.3 "
      f"{dd[sol.rho <= 0.3].max():.4f}; at rho = 1 {d1:.3f}")

led.compare("Fig 3(b)", "Opt half-spread at rho = 0..4", paper=PAPER["fig3b_opt"],
            ours=sol.half_spread(R3B), atol=0.01)
led.compare("Fig 3(b)", "Myopic half-spread at rho = 0..3", paper=PAPER["fig3b_myo"],
            ours=half_spread(R3B[:7], q_myopic(R3B[:7])), atol=0.01)
led.compare("Fig 3(b)", "Zero-profit half-spread at rho = 0..3", paper=PAPER["fig3b_zero"],
            ours=half_spread(R3B[:7], q_zero_profit(R3B[:7])), atol=0.01)
led.compare("Fig 3(b)", "rho where Myopic leaves the axis", paper=PAPER["fig3b_exit_myo"],
            ours=exit_myo, atol=0.02)
led.compare("Fig 3(b)", "rho where Zero leaves the axis", paper=PAPER["fig3b_exit_zero"],
            ours=exit_zero, atol=0.02)
led.compare("Fig 3(b)", "rho above which Opt's spread is below Zero's", paper=PAPER["fig3b_cross"],
            ours=cross, atol=0.03)
led.compare("Fig 3(b)", "rho above which Opt's one-step expected profit is negative",
            paper=PAPER["fig3b_cross"], ours=loss, atol=0.03)
led.qualitative("Fig 3(b)", "Opt spread <= Myopic for every rho; equal at 0, close below 0.3",
                paper="Opt below Myopic, curves merge at small rho",
                ours=f"Myopic - Opt >= {dd.min():.1e}; <= {dd[sol.rho <= 0.3].max():.4f} "
                     f"for rho <= 0.3; {d1:.3f} at rho = 1",
                holds=bool(dd.min() > -1e-5 and dd[sol.rho <= 0.3].max() < 0.05))  # 1e-5: argmax precision
led.qualitative("Fig 3(b)", "y-axis label 2 delta / sigma_eps, plotted values delta / sigma_eps",
                paper="0.752 at rho = 0 on an axis labelled 2 delta / sigma_eps",
                ours=f"delta/sigma_eps = q* = {Q_STAR:.3f}; 2 delta/sigma_eps = {2 * Q_STAR:.3f}",
                holds=abs(Q_STAR - 0.752) < 0.001)

# %% [markdown]
# Above $\rho \approx 1.55$ the optimal monopolist quotes a *narrower* spread than competitive
# zero-profit market makers, and exactly there its expected profit on the next trade turns
# negative: it pays to learn.
#
# ## Fig. 3(c): profit over time
#
# Fig. 3(c) plots "profit" against time at $\rho = 3$ without saying which. Two readings:
# the mean profit per **period** (over all runs) and the mean profit per **executed trade**
# (total profit at $t$ over the number of runs that traded at $t$). The per-period profit of any
# MM is at most $2q^*Q(q^*)\sigma_\varepsilon = 0.34$, so it cannot reach the 0.72 of the paper's
# optimal curve; per trade, the limit is $q^*\sigma_\varepsilon = 0.75$. At $t = 1$ the
# per-trade profit of the optimal MM is known exactly,
# $r(\rho, q^*)/(2Q(q^*))$.

# %% mystnb={"figure": {"caption": "Rebuilds Fig. 3(c) of {cite}`das2008` at rho = 3 under two readings: profit per executed trade (left, matches the paper's Opt curve) and per period (right). Crosses: digitised paper values.", "name": "fig-das-3c"}}
tt = np.arange(1, 101)
ppt = SW.profit_per_trade[:, k3]
ppp = SW.profit_per_period[:, k3]
fig, axes = subplots(1, 2, width=10, height=3.8)
for ax, Y, title in ((axes[0], ppt, "per executed trade"), (axes[1], ppp, "per period")):
    for i, (lab, col, mk) in enumerate((("Opt.", "k", "s"), ("Myopic", C_MYO, "D"),
                                        ("Zero profit", C_ZERO, "^"))):
        ax.plot(tt[:35], Y[i, :35], marker=mk, ms=3, color=col, label=lab)
    ax.plot(PAPER["fig3c_t"], PAPER["fig3c_opt"], "x", color="k", ms=7, label="paper Opt.")
    ax.plot(PAPER["fig3c_myo_late_t"] + PAPER["fig3c_myo_early_t"],
            PAPER["fig3c_myo_late"] + PAPER["fig3c_myo_early"], "x", color=C_MYO, ms=7)
    ax.set_ylim(-1, 1)
    ax.set_xlabel("time step t (periods after the shock)")
    ax.set_ylabel("profit (units of sigma_eps)")
    ax.set_title(title)
axes[0].legend(fontsize=8)
t1_exact = float(sol.one_step_profit(3.0) / trade_probability(sol.q(3.0)))
print(f"Opt per-trade profit at t = 1: exact {t1_exact:.4f}, simulated {ppt[OPT, 0]:.4f}")
tsel = np.array(PAPER["fig3c_t"]) - 1
print_table(["Opt per trade", "Opt per period", "Myopic per trade", "Myopic per period",
             "Zero per trade"], [str(t_) for t_ in PAPER["fig3c_t"]],
            [ppt[OPT, tsel], ppp[OPT, tsel], ppt[MYO, tsel], ppp[MYO, tsel], ppt[ZERO, tsel]],
            digits=3)
plt.show()

# %%
tr3_ = SW.trade_rate[:, k3]
led.compare("Fig 3(c)", "Opt profit per executed trade at t = 1..35 (13 digitised points)",
            paper=PAPER["fig3c_opt"], ours=ppt[OPT, tsel], atol=0.1)
led.compare("Fig 3(c)", "Opt profit per trade at t = 1 (exact, r / P(trade))",
            paper=PAPER["fig3c_opt"][0], ours=t1_exact, atol=0.1)
first_above = int(np.argmax(ppt[OPT] > 0.6)) + 1
stays = bool(np.all(ppt[OPT, first_above - 1:] > 0.6))
led.qualitative("Fig 3(c)", "Opt per-trade profit exceeds 0.6 from t ~ 8 on",
                paper="0.665 at t = 8, 0.65-0.73 afterwards",
                ours=f"first above 0.6 at t = {first_above}; stays above: {stays}",
                holds=bool(6 <= first_above <= 9 and stays))
led.qualitative("Fig 3(c)", "the plotted quantity is profit per executed trade (Opt curve)",
                paper="Opt reaches 0.72",
                ours=f"per trade -> {ppt[OPT, 30:].mean():.3f} (limit q* = {Q_STAR:.3f}); per "
                     f"period <= {ppp.max():.3f} (limit 2 q* Q(q*) = "
                     f"{2 * Q_STAR * float(gm.nsf(Q_STAR)):.3f})",
                holds=bool(ppp.max() < 0.4 and ppt[OPT, 30:].mean() > 0.65))
late = np.array(PAPER["fig3c_myo_late_t"]) - 1
led.compare("Fig 3(c)", "Myopic profit per trade at t = 20, 25, 30, 35",
            paper=PAPER["fig3c_myo_late"], ours=ppt[MYO, late], atol=0.1)
early = np.array(PAPER["fig3c_myo_early_t"]) - 1
led.compare("Fig 3(c)", "Myopic profit at t = 1 and 9 (per-trade reading)",
            paper=PAPER["fig3c_myo_early"], ours=ppt[MYO, early], atol=0.1,
            reason=f"At t <= 9 almost no run trades with the myopic MM ({100 * tr3_[MYO, 0]:.1f} % "
                   "at t = 1), so the "
                   "per-trade mean is a ratio of a few hundred trades; the paper's early Myopic "
                   "values (0.002 rising to 0.071) fit neither reading (per period they are "
                   f"{ppp[MYO, 0]:.4f} and {ppp[MYO, 8]:.4f}). Its Opt curve and its late Myopic "
                   "values fit the per-trade reading.")
z_early = np.abs(ppt[ZERO, 1:9]).max()
# the same 10,000 zero-profit runs as the sweep at rho = 3 (same seed), for standard errors
zr3 = simulate(rules[2], 3.0, P, n_runs=10_000, seed=[0, 3_000_000])
z_tr = zr3.trades[:, 4] != 0
z5, z5_se = zr3.profit[z_tr, 4].mean(), zr3.profit[z_tr, 4].std(ddof=1) / np.sqrt(z_tr.sum())
print(f"Zero-profit MM, profit per trade at t = 5: {z5:.3f} +- {z5_se:.3f} "
      f"({int(z_tr.sum())} trades; same runs as the sweep: {np.isclose(z5, ppt[ZERO, 4])})")
led.qualitative("Fig 3(c)", "Zero-profit profit at t = 2..9 is small (|y| <= 0.035 except t = 5-7)",
                paper="|y| <= 0.035 except 0.066, 0.108, -0.214 at t = 5-7",
                ours=f"per trade: up to {z_early:.3f}; per period: up to "
                     f"{np.abs(ppp[ZERO, 1:9]).max():.3f}", holds=bool(z_early <= 0.25),
                reason="Per trade, the zero-profit MM earns 0.2-0.4 on the few early trades "
                       f"(1-6 % of runs trade; t = 5: {z5:.2f} +- {z5_se:.2f}, not noise): "
                       "its Gaussian belief is not the exact posterior, "
                       "so zero expected profit under the belief is not zero in the real world. "
                       "The paper's early Zero values are near 0, as our per-period values are, so "
                       "the paper's Zero (like its early Myopic) curve does not follow the "
                       "per-trade reading that fits its Opt curve.")
z_late = np.abs(ppt[ZERO, 10:35]).max()
led.qualitative("Fig 3(c)", "Zero-profit profit per trade is about 0 after t = 10",
                paper="|y| < 0.01 after t = 10", ours=f"max |y| over t = 11..35: {z_late:.4f}",
                holds=bool(z_late < 0.03))

# %% [markdown]
# The per-trade reading reproduces the optimal MM's curve point by point: a loss of about 0.8
# per trade at $t = 1$, break-even at $t = 3$, above 0.6 from $t = 8$, and the late myopic
# values. It does not fit the paper's early myopic values (which fit neither reading) nor its
# early zero-profit values, which look like per-period profits. Our conclusion: the Opt curve
# of Fig. 3(c) is profit per executed trade; the figure's other two curves cannot be pinned to
# one definition.
#
# ## Fig. 4: spread dynamics, trading activity and time to stabilisation (rho = 3)

# %% mystnb={"figure": {"caption": "Rebuilds Fig. 4(a) of {cite}`das2008`: mean bid-ask spread a - b over runs at rho = 3 (here the full spread). Crosses: digitised paper values.", "name": "fig-das-4a"}}
MM3 = (("Opt", "Opt.", C_OPT, "opt"), ("Myopic", "Myopic", C_MYO, "myo"),
       ("Zero", "Zero profit", C_ZERO, "zero"))


def plot_over_time(Y, fig_key, n_t, ylabel):
    """Our three curves over the first n_t periods, the digitised paper points as crosses,
    and the plotted numbers printed."""
    fig, ax = subplots(width=6.0, height=4.0)
    for i, (short, lab, col, k) in enumerate(MM3):
        ax.plot(tt[:n_t], Y[i, :n_t], color=col, label=lab)
        ax.plot(PAPER[f"{fig_key}_{k}_t"], PAPER[f"{fig_key}_{k}"], "x", color=col)
        print_curve(short, tt[:n_t], Y[i, :n_t], points=8, digits=3, xdigits=0)
    ax.set_xlabel("time step t (periods after the shock)")
    ax.set_ylabel(ylabel)
    ax.legend()
    return ax


ms3 = SW.mean_spread[:, k3]
ax = plot_over_time(ms3, "fig4a", 40, "mean spread a - b (units of sigma_eps)")
ax.set_ylim(0, 10)
plt.show()

# %%
def tsel_(key):
    return np.array(PAPER[key + "_t"]) - 1


led.compare("Fig 4(a)", "Opt mean spread at t = 1..40", paper=PAPER["fig4a_opt"],
            ours=ms3[OPT, tsel_("fig4a_opt")], atol=0.05)
led.compare("Fig 4(a)", "Zero-profit mean spread at t = 7..40", paper=PAPER["fig4a_zero"],
            ours=ms3[ZERO, tsel_("fig4a_zero")], atol=0.3)
led.compare("Fig 4(a)", "Myopic mean spread at t = 14..40", paper=PAPER["fig4a_myo"],
            ours=ms3[MYO, tsel_("fig4a_myo")], atol=0.3)
led.compare("Fig 4(a)", "Opt spread at t = 1 (2 q*(3) sqrt(10), deterministic)",
            paper=PAPER["fig4a_opt_t1"],
            ours=float(2 * sol.half_spread(3.0)), atol=0.01)
below2 = int(np.argmax(ms3[OPT] < 2)) + 1
led.qualitative("Fig 4(a)", "Opt falls below 2 by t = 8-9; Zero and Myopic start above 17",
                paper="Opt 1.988 at t = 8; Zero and Myopic off-axis, about 17.3 and 19.1",
                ours=f"Opt first below 2 at t = {below2}; Zero starts at {ms3[ZERO, 0]:.2f}, "
                     f"Myopic at {ms3[MYO, 0]:.2f}",
                holds=bool(below2 in (8, 9) and ms3[ZERO, 0] > 17 and ms3[MYO, 0] > 17))
led.qualitative("Fig 4(a)", "limits: Opt and Myopic -> 2 q* = 1.504, Zero -> 0",
                paper="Opt 1.569 and Myopic 1.611 at t = 40, Zero 0.079",
                ours=f"at t = 100: Opt {ms3[OPT, -1]:.3f}, Myopic {ms3[MYO, -1]:.3f}, "
                     f"Zero {ms3[ZERO, -1]:.3f}",
                holds=bool(abs(ms3[OPT, -1] - 2 * Q_STAR) < 0.05
                           and abs(ms3[MYO, -1] - 2 * Q_STAR) < 0.1 and ms3[ZERO, -1] < 0.1))
lower = ms3[OPT] < ms3[ZERO]
led.qualitative("Fig 4(a)", "the optimal MM starts with the lowest spread (more liquidity)",
                paper="optimal MM initially has significantly lower spread, even compared with "
                      "the zero profit market-maker",
                ours=f"Opt spread below Zero's for t = 1..{int(np.argmin(lower))} "
                     f"(at t = 1: {ms3[OPT, 0]:.2f} vs {ms3[ZERO, 0]:.2f})",
                holds=bool(lower[:8].all()))

# %% mystnb={"figure": {"caption": "Rebuilds Fig. 4(b) of {cite}`das2008`: fraction of runs with a trade at each time step, rho = 3. Crosses: digitised paper values.", "name": "fig-das-4b"}}
tr3 = SW.trade_rate[:, k3]
ax = plot_over_time(tr3, "fig4b", 35, "trade probability (fraction of runs)")
ax.axhline(2 * float(gm.nsf(Q_STAR)), color="grey", lw=0.7, ls=":")
plt.show()

# %%
for i, key, lab in ((OPT, "fig4b_opt", "Opt"), (MYO, "fig4b_myo", "Myopic"),
                    (ZERO, "fig4b_zero", "Zero-profit")):
    led.compare("Fig 4(b)", f"{lab} trade probability", paper=PAPER[key],
                ours=tr3[i, tsel_(key)], atol=0.02)
p1 = float(trade_probability(sol.q(3.0)))
led.compare("Fig 4(b)", "Opt first-period trade probability 2 Q(q*(3))",
            paper=PAPER["fig4b_opt_t1"], ours=p1,
            atol=0.002)
led.qualitative("Fig 4(b)", "Myopic and Zero first-period trade probability below 0.01",
                paper="0.003 and 0.006", ours=f"{tr3[MYO, 0]:.4f} and {tr3[ZERO, 0]:.4f}",
                holds=bool(tr3[MYO, 0] < 0.01 and tr3[ZERO, 0] < 0.01))

# %% [markdown]
# Fig. 4(c) plots a "time to stabilisation" of the spread against $\rho$, in whole periods.
# The definition is not stated; the one recovered in the reproduction spec is: the number of
# periods before the first period whose mean spread (over runs) is at most
# $1.1 \times 2q^*\sigma_\varepsilon = 1.654$ (`stabilisation_time`).
# Under it our sweep reproduces the paper's integers exactly.

# %% mystnb={"figure": {"caption": "Rebuilds Fig. 4(c) of {cite}`das2008`: periods until the mean spread first falls to 1.1 x 2 q* sigma_eps, against rho. Crosses: digitised paper values (values above 80 are off the paper's axis).", "name": "fig-das-4c"}}
def stab_at(i, rhos):
    v_ = at_rho(SW.stab_time[i], rhos)
    return [int(s_) if 0 <= s_ <= 80 else ">80" for s_ in v_]


R4C = PAPER["fig4c_rho"]
fig, ax = subplots(width=6.0, height=4.0)
for i, (lab, col, key) in enumerate((("Opt.", C_OPT, "fig4c_opt"), ("Myopic", C_MYO, "fig4c_myo"),
                                     ("Zero profit", C_ZERO, "fig4c_zero"))):
    st_ = SW.stab_time[i].astype(float)
    st_[st_ < 0] = np.nan
    ax.plot(RHOS, st_, marker=".", color=col, label=lab)
    pv = [np.nan if s_ == ">80" else s_ for s_ in PAPER[key]]
    ax.plot(R4C, pv, "x", color=col)
ax.set_ylim(0, 82)
ax.set_xlabel(r"$\rho = \sigma/\sigma_\varepsilon$")
ax.set_ylabel("time to stabilisation (periods)")
ax.legend()
for i, lab in enumerate(("Opt", "Myopic", "Zero")):
    print(f"{lab:7s}", stab_at(i, R4C))
plt.show()

# %%
small = RHOS <= 0.2001
led.exact("Fig 4(c)", "Opt time to stabilisation at 21 rho values", paper=PAPER["fig4c_opt"],
          ours=stab_at(OPT, R4C))
led.exact("Fig 4(c)", "Myopic time to stabilisation at 21 rho values", paper=PAPER["fig4c_myo"],
          ours=stab_at(MYO, R4C))
led.exact("Fig 4(c)", "Zero-profit time to stabilisation at 21 rho values",
          paper=PAPER["fig4c_zero"], ours=stab_at(ZERO, R4C))
ze, me_ = PAPER["fig4c_zero_extra"], PAPER["fig4c_myo_extra"]
led.exact("Fig 4(c)", "Zero-profit time to stabilisation, 14 further rho values",
          paper=list(ze.values()), ours=stab_at(ZERO, list(ze)))
led.exact("Fig 4(c)", "Myopic time to stabilisation, 6 further rho values",
          paper=list(me_.values()), ours=stab_at(MYO, list(me_)))
led.qualitative("Fig 4(c)", "all three stabilise at once (0 periods) for rho <= 0.2",
                paper="0 for rho <= 0.2", ours=f"max over the {int(small.sum())} sweep values "
                f"rho <= 0.2: {int(SW.stab_time[:, small].max())}",
                holds=bool(SW.stab_time[:, small].max() == 0))

# %% [markdown]
# ## Beyond the paper: how good is the Gaussian approximation really?
#
# The paper validates the Gaussian state indirectly: realised (real-world) profit matches the
# Gaussian-world theory. It also asserts that maintaining the exact state "leads to no
# significant differences" but does not show it. We measure both directly. At each $\rho$ two
# optimal MMs face the same 4,000 runs: the paper's MM, quoting from its Gaussian state while
# we carry each run's exact posterior alongside it on its own grid
# (`AdaptiveGridPosterior`, which follows the posterior as it
# narrows); and an *exact-state* MM that quotes $\mu^{\text{exact}} \pm
# \delta^*(\sigma^{\text{exact}})$. This takes about three minutes, so it is precomputed by
# `python -m mmkit das-sim` (see `artifacts/glosten_milgrom/README.md`); we load it, and
# recompute one $\rho$ here to show the artifact is current.

# %%
EV = dict(np.load(artifacts_dir("glosten_milgrom") / "exact_vs_gaussian.npz"))
n_runs_ev, n_per_ev, n_grid_ev, seed_ev = (int(v_) for v_ in EV["n"])
k_chk = int(np.argmin(np.abs(EV["rho"] - 1.0)))
chk = gm.exact_vs_gaussian(sol, [EV["rho"][k_chk]], n_runs=n_runs_ev, n_periods=n_per_ev,
                           seed=seed_ev, grid_points=n_grid_ev, divergence_at=EV["div_t"])
same = all(np.allclose(chk[k_][0], EV[k_][k_chk], rtol=1e-10, atol=1e-12)
           for k_ in ("profit_gauss", "profit_exact", "kl", "w1_rel"))
print(f"artifact: {n_runs_ev} runs x {n_per_ev} periods, grid {n_grid_ev} points, seed {seed_ev}; "
      f"rho = {EV['rho'][k_chk]:g} recomputed here: identical = {same}")

# %% mystnb={"figure": {"caption": "Beyond the paper. Left: realised discounted profit of the optimal MM quoting from its Gaussian state and from the exact posterior (same runs), with the DP theory. Right: belief error of the Gaussian state against the exact posterior, Wasserstein-1 distance in units of the exact sd, over time for several rho.", "name": "fig-das-exact"}}
fig, axes = subplots(1, 2, width=10, height=3.9)
ax = axes[0]
ax.errorbar(EV["rho"], EV["profit_gauss"], yerr=2 * EV["se_gauss"], fmt="o-", ms=3,
            color=C_OPT, label="Gaussian-state MM (paper)")
ax.errorbar(EV["rho"], EV["profit_exact"], yerr=2 * EV["se_exact"], fmt="s--", ms=3,
            color=C_ZERO, label="exact-state MM")
ax.plot(EV["rho"], EV["theory"], color="k", lw=0.8, label="theory (DP)")
ax.set_xlabel(r"$\rho$")
ax.set_ylabel("discounted profit (units of sigma_eps)")
ax.legend(fontsize=8)
ax = axes[1]
dt = EV["div_t"]
for kk, col in zip([1, 3, 5, 7, 9], PALETTE):
    ax.plot(dt, EV["w1_rel"][kk], marker=".", color=col, label=fr"$\rho$ = {EV['rho'][kk]:g}")
ax.set_xscale("symlog", linthresh=1)
ax.set_xlabel("time step t (periods after the shock)")
ax.set_ylabel(r"$W_1$(exact, Gaussian) / exact sd")
ax.legend(fontsize=8)
print_table([f"rho={r_:g}" for r_ in EV["rho"]],
            ["theory", "Gauss MM", "exact MM", "diff", "se diff", "peak W1/sd", "peak KL",
             "peak |dmu|/sd", "peak sd ratio"],
            np.column_stack([EV["theory"], EV["profit_gauss"], EV["profit_exact"], EV["diff"],
                             EV["se_diff"], EV["w1_rel"].max(1), EV["kl"].max(1),
                             EV["mean_err"].max(1), EV["sd_ratio"].max(1)]), digits=4)
print(f"largest posterior mass lost when re-gridding: {EV['lost_mass'].max():.1e}")
k4 = int(np.argmin(np.abs(EV["rho"] - 4.0)))
print(f"rho = 4: |dmu|/sd peaks at t = {dt[np.argmax(EV['mean_err'][k4])]}, W1/sd at "
      f"t = {dt[np.argmax(EV['w1_rel'][k4])]} (periods where divergences are recorded: "
      f"{', '.join(map(str, dt))})")
big_ev = EV["rho"] >= 3
z_g = (EV["profit_gauss"] - EV["theory"]) / EV["se_gauss"]
z_e = (EV["profit_exact"] - EV["theory"]) / EV["se_exact"]
print_table([f"rho={r_:g}" for r_ in EV["rho"][big_ev]],
            ["exact - Gauss (%)", "z paired", "Gauss MM - theory", "z", "exact MM - theory", "z"],
            np.column_stack([100 * EV["diff"] / EV["profit_gauss"], EV["diff"] / EV["se_diff"],
                             EV["profit_gauss"] - EV["theory"], z_g,
                             EV["profit_exact"] - EV["theory"], z_e])[big_ev], digits=2,
            title="large shocks: the two MMs against each other and against the DP value "
                  "(z = difference / standard error)")
plt.show()

# %% [markdown]
# The Gaussian state is an excellent approximation up to $\rho \approx 1$ (belief error about
# 1 % of an sd, profit the same to 0.002). The error grows with the shock: at $\rho = 4$ the
# Gaussian mean is off by up to 0.14 sd on average (around periods 5 to 7), its sd is up to 3 %
# too large, and the Wasserstein distance peaks at 0.2 sd around period 3, before the
# posterior sharpens and the two converge. Quoting from the exact posterior earns slightly more,
# by 1 to 2 % at $\rho \ge 3$ (2.1 to 3.2 standard errors of the paired difference):
# "no significant difference" holds in the economic sense, not as a statistical statement at
# large shocks. Both MMs realise clearly more than the DP value at $\rho = 3.5$ and 4 (3 to 7
# standard errors); at $\rho = 3$ these 4,000 runs cannot tell them from it, while the
# 10,000-run sweep of Fig. 3(a) puts the Gaussian-state MM about 1.4 % above. So the paper's
# "realised exceeds theory" is not caused by the Gaussian quoting rule. Our reading: the DP
# value is the value in the Gaussian world, and the real world is kinder at large shocks,
# since the exact posterior is narrower than the Gaussian state (sd ratio up to 1.03): the MM
# learns faster than its model assumes.

# %%
rel = EV["diff"] / EV["profit_gauss"]
led.qualitative("Fig 3(a)", "maintaining the exact state gives no significant difference (sec. 3)",
                paper="computationally prohibitive, and leads to no significant differences",
                ours=f"exact-state minus Gaussian-state MM: {100 * rel.min():.2f} % to "
                     f"{100 * rel.max():.2f} % of profit over rho = 0.25..4 (largest "
                     f"{EV['diff'].max():.3f} +- {EV['se_diff'][np.argmax(EV['diff'])]:.3f})",
                holds=bool(np.abs(rel).max() < 0.03))

# %% [markdown]
# ## The headline: a monopolist provides more liquidity after a shock
#
# The paper's conclusion in one picture: after a shock, the spread quoted by the optimal
# monopolist against the spread of zero-profit competition, over time, for three sizes of
# shock; and the cumulative number of trades, the volume the market actually gets.

# %% mystnb={"figure": {"caption": "Beyond the paper's figures: the liquidity result that {cite}`das2008` state in words. Left: mean spread after a shock of size rho = 2, 3, 4, optimal monopolist (solid) against zero-profit competition (dashed), log scale. Right: cumulative expected number of trades.", "name": "fig-das-liquidity"}}
fig, axes = subplots(1, 2, width=10, height=3.9)
rows_l = []
for r_, col in zip((2.0, 3.0, 4.0), (C_MYO, C_OPT, PALETTE[3])):
    kk = int(np.argmin(np.abs(RHOS - r_)))
    so, sz = SW.mean_spread[OPT, kk, :40], SW.mean_spread[ZERO, kk, :40]
    axes[0].semilogy(tt[:40], so, color=col, label=fr"Opt., $\rho$ = {r_:g}")
    axes[0].semilogy(tt[:40], sz, color=col, ls="--", label=fr"Zero profit, $\rho$ = {r_:g}")
    co, cz = np.cumsum(SW.trade_rate[OPT, kk]), np.cumsum(SW.trade_rate[ZERO, kk])
    axes[1].plot(tt[:40], co[:40], color=col)
    axes[1].plot(tt[:40], cz[:40], color=col, ls="--")
    above = so > sz
    cross_t = f"{int(np.argmax(above)) + 1}" if above.any() else "> 40"
    rows_l.append((f"rho = {r_:g}", cross_t, co[9], cz[9], co[19], cz[19]))
axes[0].set_xlabel("time since the shock (periods)")
axes[0].set_ylabel("mean spread a - b (log scale)")
axes[0].legend(fontsize=7, ncol=2)
axes[1].set_xlabel("time since the shock (periods)")
axes[1].set_ylabel("cumulative expected trades per run")
print("shock     Opt spread above Zero's from t   trades by t=10: Opt  Zero   by t=20: Opt  Zero")
for lab, ct, a10, b10, a20, b20 in rows_l:
    print(f"{lab:9s} {ct:>31s}   {a10:17.2f} {b10:5.2f} {a20:13.2f} {b20:5.2f}")
plt.show()

# %% [markdown]
# The bigger the shock, the longer the monopolist's advantage lasts. At $\rho = 2$ competition
# is ahead from the third period. At $\rho = 3$ the monopolist's spread is below the
# competitive one for the first 10 periods, and by period 10 it has traded more than twice as
# often. At $\rho = 4$ the zero-profit quotes are so wide that almost nobody trades with them for
# the whole 40 periods shown, while the monopolist trades from the first period. Once both have
# learnt $V$, competition wins: its spread falls towards zero while the monopolist's settles at
# $2q^*\sigma_\varepsilon$.
#
# ## Reproduction summary
#
# Every claim recorded above, with its verdict:

# %%
led.show()
print(led.summary())
led.save();
