# ---
# jupyter:
#   jupytext:
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
# # A Markovian futures market for computing power
#
# {cite:t}`martinez_futures` (slides by Martinez, Harrison and Harder, Imperial College)
# propose a world market for computing power in which agents trade *futures* contracts,
# because computing power itself cannot be stored. Each agent is a Markov chain on
# $\{-1, 0, 1\}$ (sell, hold, buy); the *market pressure* $S_t=\sum_k x_{k,t}$ is the price
# variation; a trader chooses positions by solving a discounted Markov decision process (MDP)
# through its dual linear program. The slides make three checkable claims:
#
# 1. a $5\times5$ market transition matrix $M$ for two agents, built from the agents' chains
#    "via generating functions, which use convolutions", printed to 6 decimals;
# 2. "an ideal simulation setup with a fully connected network gives the same results as the
#    analytic model", while a peer-to-peer (P2P) setup needs "shifting and scaling factors";
# 3. an optimal trading policy, found with GLPK from the dual LP, printed as a 25-state table.
#
# The paper behind the slides was not found, so the construction had to be recovered. This
# chapter shows that (1) and (2) hold, with the weighting that the slides leave implicit, and
# that (3) does **not** follow from the printed model: 12 of 25 entries agree under the literal
# reading, 20 at best under any reading we tried, and three printed entries are provably never
# optimal. The code is in `mmkit.markov_market.pressure`, `mmkit.common.mdp` and `mmkit.markov_market.p2p`.

# %%
import time

import numpy as np
from scipy.stats import norm

from mmkit import markov_market as mm
from mmkit.common import mdp as md
from mmkit.markov_market import p2p
from mmkit.book.ledger import Ledger
from mmkit.book.plotting import print_curve, print_table, subplots

led = Ledger("martinez_futures", digits=6)

# The slides' printed numbers: used only as `paper=` reference values below.
PAPER = {
    "M": [[0.120000, 0.250000, 0.330000, 0.210000, 0.090000],
          [0.120000, 0.238533, 0.326178, 0.213822, 0.101467],
          [0.111000, 0.236000, 0.329333, 0.222667, 0.101000],
          [0.102222, 0.231852, 0.331852, 0.231852, 0.102222],
          [0.090000, 0.240000, 0.340000, 0.240000, 0.090000]],
    # optimal action for S_{i,pos}: rows i = -2..2, columns pos = -2..2
    "policy": [[1, -1, 1, 0, -1],
               [0, -1, 1, -1, -1],
               [1, -1, -1, -1, -1],
               [0, -1, -1, -1, -1],
               [0, -1, -1, -1, -1]],
    "n_market_states_N2": 5,
}
# The slides' inputs (model parameters, not results).
T1 = np.array([[0.3, 0.4, 0.3]] * 3)
T2 = np.array([[0.4, 0.3, 0.3], [0.4, 0.2, 0.4], [0.3, 0.4, 0.3]])
C_PENALTY, DISCOUNT = 0.1, 0.95
S5 = [f"s={s:+d}" for s in range(-2, 3)]
D5 = [f"d={d:+d}" for d in range(-2, 3)]

# %% [markdown]
# ## 1. From agent chains to the market-pressure chain
#
# With two agents there are $3^2 = 9$ configurations but only 5 pressure levels. The pressure
# is not, in general, a Markov chain: the configurations that add up to $s$ move differently.
# $M(s, d)$ is therefore an *average* over the configurations with $\sum_k x_k = s$, and the
# slides do not say with which weights. The weighting that reproduces every printed entry is
# the long-run frequency of each configuration, $w(x) = \prod_k \pi_k(x_k)$ with $\pi_k$ agent
# $k$'s stationary law. In generating-function form, with
# $\Phi_k(y,z) = \sum_{x,x'} \pi_k(x) T_k(x,x') y^x z^{x'}$,
#
# $$ M(s,d) = \frac{[y^s z^d]\prod_k \Phi_k(y,z)}{[y^s]\prod_k \Phi_k(y,1)}, $$
#
# one 2-D convolution per agent (a group of $n$ identical agents contributes $\Phi^n$). The
# stationary laws are computed by the GTH state-reduction algorithm (no subtractions).

# %%
pi1, pi2 = mm.stationary_distribution(T1), mm.stationary_distribution(T2)
print("pi_1 =", np.round(pi1, 6), " pi_2 =", np.round(pi2, 6), "= (40, 33, 36)/109:",
      np.allclose(pi2 * 109, [40, 33, 36]))
M = mm.pressure_matrix([T1, T2], weighting="stationary")
M_unif = mm.pressure_matrix([T1, T2], weighting="uniform")
M_brute = mm.brute_force_pressure_matrix([T1, T2], weighting="stationary")
print_table(S5, D5, M, digits=6, title="M, stationary-product weighting (ours)")
print_table(S5, D5, np.array(PAPER["M"]), digits=6, title="M as printed in the slides")
print_table(S5, D5, M - np.array(PAPER["M"]), digits=7, title="ours - slides")
print_table(S5, D5, M_unif, digits=6, title="M with uniform weighting (alternative reading)")
gap_stat = float(np.max(np.abs(M - np.array(PAPER["M"]))))
gap_unif = float(np.max(np.abs(M_unif - np.array(PAPER["M"]))))
print(f"max |ours - slides|: stationary {gap_stat:.2e}, uniform {gap_unif:.6f}")
print("generating functions = brute-force enumeration:", np.allclose(M, M_brute, atol=1e-14, rtol=0))

# %%
led.compare("M matrix", "M(s,d), 25 entries, stationary-product weighting",
            paper=PAPER["M"], ours=M, atol=5e-7)
led.qualitative(
    "M matrix", "weighting of configurations within a pressure level",
    paper="M printed to 6 decimals (weighting not stated)",
    ours=(f"stationary-product weights reproduce all 25 entries (max gap {gap_stat:.1e}); "
          f"uniform weights do not (max gap {gap_unif:.4f}, e.g. row -1 = "
          f"{np.round(M_unif[1], 3).tolist()})"),
    holds=gap_stat <= 5e-7 < gap_unif)
led.exact("M matrix", "number of market states for N = 2 (2N+1)",
          paper=PAPER["n_market_states_N2"], ours=int(M.shape[0]))
led.show("M matrix")

# %% [markdown]
# The drift $E[S_{t+1}\mid S_t=s]$ and the stationary law of the pressure (which is also the
# stationary law of $M$, because $M$ is the conditional of a stationary pair) matter below.

# %%
drift = mm.expected_next(M)
p_S = mm.pressure_distribution([T1, T2])
print_table(["E[i'|i]", "P(S = i)", "(P M)(i)"], [f"i={s:+d}" for s in range(-2, 3)],
            np.vstack([drift, p_S, p_S @ M]), digits=6)

# %% [markdown]
# **Generating functions against brute force, and groups of identical agents.** For a mixed
# market of 11 agents (3 groups) the generating-function matrix equals the enumeration of all
# $3^{11} = 177{,}147$ configurations, and writing the agents as groups ($\Phi_g^{n_g}$) gives
# the same matrix as listing them one by one. For large $N$ the chapter uses exponential
# tilting with FFTs (see the module docstring); it agrees with the exact convolutions.

# %%
T_pers = np.array([[0.80, 0.15, 0.05], [0.10, 0.80, 0.10], [0.05, 0.15, 0.80]])
groups11 = [mm.AgentGroup(T1, 4), mm.AgentGroup(T2, 4), mm.AgentGroup(T_pers, 3)]
listed11 = [T1] * 4 + [T2] * 4 + [T_pers] * 3
M11 = mm.pressure_matrix(groups11, method="direct")
err_bf = float(np.max(np.abs(M11 - mm.brute_force_pressure_matrix(groups11))))
err_groups = float(np.max(np.abs(M11 - mm.pressure_matrix(listed11, method="direct"))))
groups120 = [mm.AgentGroup(T2, 60), mm.AgentGroup(T_pers, 60)]
err_fft = float(np.max(np.abs(mm.pressure_matrix(groups120, method="fft")
                              - mm.pressure_matrix(groups120, method="direct"))))
print(f"N = 11: max |GF - brute force| = {err_bf:.1e}; max |groups - listed| = {err_groups:.1e}")
print(f"N = 120: max |tilted FFT - direct convolution| = {err_fft:.1e}")
led.qualitative("generating functions", "GF/convolution construction equals enumeration of 3^N "
                "configurations; groups of identical agents give the same M",
                paper="M is calculated via generating functions (convolutions); simpler when "
                      "agents are equal",
                ours=f"N=11 mixed market: max gap {err_bf:.0e} vs brute force, {err_groups:.0e} "
                     f"groups vs listed; N=120: FFT vs direct {err_fft:.0e}",
                holds=max(err_bf, err_groups, err_fft) < 1e-9)

# %% [markdown]
# ## 2. Analytic against simulated
#
# We simulate the two agents individually (seeded; a random-map prefix scan makes the
# simulation vectorised) for $10^6$ steps and count the pressure transitions. The empirical
# frequencies converge to $M$ at the Monte Carlo rate $n^{-1/2}$.

# %%
STEPS = 1_000_000
X = mm.simulate_agents([T1, T2], STEPS, np.random.default_rng(2024))
S_path = X.sum(axis=1).astype(np.int64)
M_sim, visits = mm.empirical_transition_matrix(S_path, 2)
se = np.sqrt(M * (1 - M) / visits[:, None])          # binomial standard error per entry
z = (M_sim - M) / se
checkpoints = np.unique(np.logspace(3, 6, 13).astype(int))
errs = mm.convergence_curve(S_path, M, checkpoints)
slope = float(np.polyfit(np.log(checkpoints), np.log(errs), 1)[0])
print(f"visits per row: {visits.astype(int).tolist()}")
print(f"max |simulated - analytic| = {np.max(np.abs(M_sim - M)):.5f}, max |z| = {np.max(np.abs(z)):.2f}")
print(f"log-log slope of max error against steps: {slope:.3f} (Monte Carlo rate -0.5)")

# %% mystnb={"figure": {"caption": "Rebuilds the slides' claim 'a fully connected simulation gives the same results as the analytic model' {cite}`martinez_futures` (stated without a figure there): analytic M (left), empirical transition frequencies of 10^6 simulated steps of the two agents (middle), and their difference (right).", "name": "fig-futures-heatmaps"}}
fig, axes = subplots(1, 3, width=12.5, height=3.6)
for ax, A, title, cmap in [(axes[0], M, "analytic M", "viridis"),
                           (axes[1], M_sim, "simulated (10^6 steps)", "viridis"),
                           (axes[2], M_sim - M, "simulated - analytic", "RdBu_r")]:
    lim = (0, 0.35) if cmap == "viridis" else (-0.003, 0.003)
    im = ax.imshow(A, cmap=cmap, vmin=lim[0], vmax=lim[1], origin="upper",
                   extent=(-2.5, 2.5, 2.5, -2.5))
    ax.set_xlabel("next pressure d (ticks)")
    ax.set_ylabel("current pressure s (ticks)")
    ax.set_title(title)
    ax.grid(False)
    fig.colorbar(im, ax=ax, shrink=0.8, label="probability")
print_table(S5, D5, M_sim, digits=4, title="simulated frequencies")
print_table(S5, D5, M_sim - M, digits=4, title="simulated - analytic")
fig.show()

# %% mystnb={"figure": {"caption": "Beyond the slides (a claim without a figure there): convergence behind their simulation claim {cite}`martinez_futures`, the largest entry-wise error of the empirical transition matrix against the number of simulated steps, with the n^(-1/2) reference line.", "name": "fig-futures-convergence"}}
fig, ax = subplots()
ax.loglog(checkpoints, errs, "o-", label="max |empirical - M|")
ax.loglog(checkpoints, errs[0] * np.sqrt(checkpoints[0] / checkpoints), "--", label="slope -1/2")
ax.set_xlabel("simulated steps n")
ax.set_ylabel("max abs error (probability)")
ax.legend()
print_curve("max error", checkpoints, errs, points=7, digits=5, xdigits=0)
fig.show()

# %%
tol_sim = float(5 * np.max(se))
led.compare("analytic vs simulated", "empirical M from 10^6 simulated steps vs printed M",
            paper=PAPER["M"], ours=M_sim, atol=tol_sim)
led.qualitative("analytic vs simulated", "error decays at the Monte Carlo rate",
                paper="ideal (fully connected) simulation gives the same results as the analytic model",
                ours=f"max error vs steps has log-log slope {slope:.2f}; max |z| = {np.max(np.abs(z)):.2f} "
                     f"at 10^6 steps (tolerance = 5 binomial standard errors = {tol_sim:.4f})",
                holds=abs(slope + 0.5) < 0.15 and np.max(np.abs(z)) < 5)
led.show("analytic vs simulated")

# %% [markdown]
# ## 3. An illustrative price path
#
# The slides' "Spot price evolution" (200,000 epochs, prices about 1,000 to 7,000) came from
# the MaGoG peer-to-peer simulator, which is not public, so it cannot be rebuilt. **Modelling
# choice (ours):** the market pressure is the one-step price variation in ticks,
# $F_{t+1} = F_t + \kappa S_{t+1}$, the reading that the MDP's reward $r_1 = i\cdot pos$
# presupposes. We simulate $N = 50$ agents, half with the slides' $T_1$ and half with a
# symmetric persistent chain (so that pressure has momentum), and start at $F_0 = 4000$.
# The tick size $\kappa = 0.25$ keeps the typical 200,000-epoch excursion, whose scale is
# $\kappa\,\mathrm{sd}(S)\sqrt{T(1+\rho)/(1-\rho)}$ in the AR(1) approximation with $\rho$ the
# lag-1 autocorrelation of the pressure (printed below), inside the slides' price band of
# 1,000 to 7,000 around the start of 4,000. With $\kappa = 1$ the scale would be four times
# larger, and the driftless walk would go negative on about one path in four (reflection
# principle, $2\Phi(-4000/\text{scale})$, printed below). The path is
# **illustrative**: it shows what the pressure chain implies, not the slides' data.

# %%
N_PRICE, EPOCHS = 50, 200_000
price_groups = [mm.AgentGroup(T1, 25), mm.AgentGroup(T_pers, 25)]
Xp = mm.simulate_agents(price_groups, EPOCHS, np.random.default_rng(7))
S_price = Xp.sum(axis=1).astype(np.int64)
KAPPA = 0.25
F = mm.price_path(S_price, F0=4000.0, kappa=KAPPA)
rho1 = float(np.corrcoef(S_price[:-1], S_price[1:])[0, 1])
print(f"pressure: mean {S_price.mean():.3f}, sd {S_price.std():.3f}, lag-1 autocorrelation "
      f"{rho1:.3f}")
scale1 = S_price.std() * np.sqrt(EPOCHS * (1 + rho1) / (1 - rho1))     # kappa = 1
print(f"AR(1) excursion scale over {EPOCHS} epochs: {KAPPA * scale1:.0f} ticks "
      f"(kappa = 1: {scale1:.0f}; P(path goes below 0) ~ 2 Phi(-4000/scale) = "
      f"{2 * norm.cdf(-4000 / scale1):.2f})")
print(f"price: min {F.min():.0f}, max {F.max():.0f}, final {F[-1]:.0f}")

# %% mystnb={"figure": {"caption": "Illustrative substitute for the slides' 'Spot price evolution' plot {cite}`martinez_futures` (not reproducible: MaGoG's simulator is not public): a futures price driven by the market pressure of 50 Markov agents, F(t+1) = F(t) + 0.25 S(t+1).", "name": "fig-futures-price"}}
fig, ax = subplots(width=7.5)
ax.plot(np.arange(EPOCHS + 1)[::50], F[::50], lw=0.8)
ax.set_xlabel("time (epochs)")
ax.set_ylabel("futures price (ticks)")
ax.set_title("illustrative: pressure-driven price, N = 50 agents")
print_curve("price", np.arange(EPOCHS + 1), F, points=9, digits=0, xdigits=0)
fig.show()

# %%
led.not_attempted("spot price plot", "spot price path, 0-200,000 epochs (MaGoG simulator)",
                  reason="produced by the MaGoG peer-to-peer simulator, which is not public; the "
                         "chapter shows an illustrative pressure-driven path instead")

# %% [markdown]
# ## 4. Beyond the slides: a peer-to-peer market
#
# The slides say that in a P2P setup "shifting and scaling factors need to be found". We
# rebuild a P2P market (`mmkit.markov_market.p2p`): 60 nodes on a random $d$-regular graph, one agent per
# node (30 with $T_2$ from the slides, 30 persistent buyers), orders flooded hop by hop, one
# epoch per hop, up to a time-to-live (TTL); every pub keeps the newest copy of each origin's
# order. A node's *observed pressure* $\hat S_o(t)$ is the sum of the orders in its pub: a
# delayed, partial view of the market. We fit $\hat S \approx a + b\,S$ by matching the first
# two moments of the observed distribution, pooled over the 60 observer nodes, to the analytic
# stationary law of the whole market ($a$ = shift, $b$ = scale).
#
# **A prediction.** Agents are independent and stationary, and the age of the copy a pub holds
# does not depend on the order it carries, so each term of $\hat S_o$ has its agent's
# stationary law and the terms are independent, whatever the delays and losses. With $R_o$
# the set of agents node $o$ ever hears from, $\mu_o = \sum_{k \in R_o} E_{\pi_k}x_k$ and
# $v_o = \sum_{k\in R_o}\mathrm{Var}_{\pi_k}x_k$, the pooled views therefore have mean
# $\bar\mu = \mathrm{mean}_o\,\mu_o$ and variance $\mathrm{mean}_o v_o + \mathrm{var}_o\,\mu_o$:
#
# $$ b = \frac{\sqrt{\mathrm{mean}_o v_o + \mathrm{var}_o\,\mu_o}}{\mathrm{sd}(S)}, \qquad
#    a = \bar\mu - b\,E[S] . $$
#
# The shift and scale are set by the *reach* alone. Delays and losses change something else:
# how well a view tracks the current market, $\mathrm{corr}(\hat S_o(t), S(t))$, and how
# persistent it is (its lag-1 autocorrelation). We check this on a grid of degrees and TTLs,
# without loss (5 seeds per configuration, 3,000 epochs) and with each transmission lost with
# probability 0.3 (3 seeds, 1,000 epochs); every seed draws its own graph, placement of the
# agents, orders and losses, and the tables show the mean and standard deviation over seeds.

# %%
T_buy = np.array([[0.60, 0.30, 0.10], [0.05, 0.75, 0.20], [0.02, 0.18, 0.80]])
p2p_groups = [mm.AgentGroup(T2, 30), mm.AgentGroup(T_buy, 30)]
N_P2P = 60
pS = mm.pressure_distribution(p2p_groups)
sv = np.arange(-N_P2P, N_P2P + 1)
mean_S = float(pS @ sv)
sd_S = float(np.sqrt(pS @ sv**2 - mean_S**2))
print(f"analytic market pressure: mean {mean_S:.3f}, sd {sd_S:.3f}")

DEGREES, TTLS, SEEDS, LOSS = [3, 4, 6, 8], [1, 2, 3, 4, 5], [11, 12, 13, 14, 15], 0.3
K = {name: j for j, name in enumerate(p2p.VIEW_STATS)}
sw_lossless = p2p.sweep(p2p_groups, DEGREES, TTLS, SEEDS, loss=0.0, epochs=3000)
sw_lossy = p2p.sweep(p2p_groups, DEGREES, TTLS, SEEDS[:3], loss=LOSS, epochs=1000)


def sweep_table(sw: np.ndarray, title: str) -> None:
    mean, sd = sw.mean(axis=2), sw.std(axis=2, ddof=1)
    cols = [("reach", mean, "reach"), ("age", mean, "age"),
            ("shift", mean, "shift a"), ("shift", sd, "sd"), ("shift_pred", mean, "a pred"),
            ("scale", mean, "scale b"), ("scale", sd, "sd"), ("scale_pred", mean, "b pred"),
            ("corr", mean, "corr"), ("corr", sd, "sd"), ("lag1", mean, "lag-1 ac")]
    vals = np.stack([arr[:, :, K[k]].ravel() for k, arr, _ in cols], axis=1)
    print_table([f"d={d} ttl={t}" for d in DEGREES for t in TTLS], [c[2] for c in cols],
                vals, digits=3, title=title)


sweep_table(sw_lossless, f"no loss: mean and sd over {len(SEEDS)} seeds (60 observers each)")
sweep_table(sw_lossy, f"loss {LOSS}: mean and sd over {len(SEEDS[:3])} seeds")

# %%
m0, s0 = sw_lossless.mean(axis=2), sw_lossless.std(axis=2, ddof=1)
m1 = sw_lossy.mean(axis=2)
gap_scale = np.abs(np.r_[sw_lossless[..., K["scale"]].ravel(), sw_lossy[..., K["scale"]].ravel()]
                   - np.r_[sw_lossless[..., K["scale_pred"]].ravel(), sw_lossy[..., K["scale_pred"]].ravel()])
scale_loss_gap = float(np.max(np.abs(m1[..., K["scale"]] - m0[..., K["scale"]])))
corr0, corr1 = m0[..., K["corr"]], m1[..., K["corr"]]
lag0, lag1 = m0[..., K["lag1"]], m1[..., K["lag1"]]
print(f"|simulated scale - predicted scale| over all {gap_scale.size} runs: max {gap_scale.max():.3f}, "
      f"mean {gap_scale.mean():.3f}")
print(f"largest change of the mean scale caused by loss {LOSS}: {scale_loss_gap:.3f}")
print(f"corr(view, market): no loss {corr0.min():.3f} to {corr0.max():.3f}; "
      f"loss {LOSS}: {corr1.min():.3f} to {corr1.max():.3f}")
print(f"mean age of the orders in a pub: no loss {m0[..., K['age']].min():.2f} to "
      f"{m0[..., K['age']].max():.2f} epochs; loss {LOSS}: {m1[..., K['age']].min():.2f} to "
      f"{m1[..., K['age']].max():.2f}")
print(f"lag-1 autocorrelation of a view: no loss {lag0.min():.3f} to {lag0.max():.3f}; "
      f"loss {LOSS}: {lag1.min():.3f} to {lag1.max():.3f}")
print("corr at TTL 5 by degree (no loss):",
      {d: round(float(corr0[i, -1]), 3) for i, d in enumerate(DEGREES)})

# %% [markdown]
# The simulated scale follows the prediction run by run, with and without loss, and losing
# almost a third of all transmissions leaves it where it was: the shift and scale factors the
# slides ask for are a property of the reach, and can be computed from the network before any
# simulation. The shift comes from the buyers' positive mean: a node that hears from a
# fraction $f$ of the market sees about $f$ of its mean but about $\sqrt f$ of its spread, so
# at partial reach the view is shifted down and narrowed. What the network does change is the
# *timing*. A node's view correlates only weakly with the current market pressure (the range
# is printed above): the orders that arrive are one to four epochs old, and the slides' $T_2$
# agents have almost no memory, so a wider reach adds mostly stale orders. A higher degree
# helps more than a longer TTL because it shortens the delays as well as widening the reach.
# Losses make the copies older still, lower the correlation further and make the view
# persistent: its lag-1 autocorrelation, about the same in every lossless configuration,
# rises with the TTL under loss, most at low degree where a lost copy has few other paths
# (ranges printed above).

# %% mystnb={"figure": {"caption": "Beyond the slides, extending their P2P remark ('shifting and scaling factors need to be found') {cite}`martinez_futures`: scale b and shift a of the observed pressure distribution, the correlation of a node's view with the current market pressure, and the view's lag-1 autocorrelation, against the message TTL for network degrees 3, 4, 6 and 8 (60 nodes); solid: no loss (mean and sd over 5 seeds), dashed: transmissions lost with probability 0.3 (3 seeds).", "name": "fig-futures-p2p"}}
fig, axes = subplots(2, 2, width=10.5, height=7.0)
axes = axes.ravel()
panels = [("scale", "scale b (observed sd / market sd)"), ("shift", "shift a (ticks)"),
          ("corr", "corr(observed, current pressure)"), ("lag1", "lag-1 autocorrelation of the view")]
for ax, (key, lab) in zip(axes, panels):
    for i, d in enumerate(DEGREES):
        line = ax.errorbar(TTLS, m0[i, :, K[key]], yerr=s0[i, :, K[key]], marker="o", ms=4,
                           capsize=2, label=f"degree {d}")
        ax.plot(TTLS, m1[i, :, K[key]], ls="--", marker="x", color=line[0].get_color())
    ax.set_xlabel("message time-to-live (hops)")
    ax.set_ylabel(lab)
    ax.set_xticks(TTLS)
axes[0].axhline(1.0, color="k", lw=0.8, ls=":")
axes[1].axhline(0.0, color="k", lw=0.8, ls=":")
axes[0].legend()
axes[3].plot([], [], "k-o", ms=4, label="no loss (mean, sd over 5 seeds)")
axes[3].plot([], [], "k--x", label=f"loss {LOSS} (mean over 3 seeds)")
axes[3].legend()
for key in ("scale", "shift", "corr", "lag1"):
    for i, d in enumerate(DEGREES):
        print_curve(f"{key}, degree {d}, no loss", TTLS, m0[i, :, K[key]], digits=3, xdigits=0)
        print_curve(f"{key}, degree {d}, loss {LOSS}", TTLS, m1[i, :, K[key]], digits=3, xdigits=0)
fig.show()

# %% [markdown]
# **The loss rate.** At degree 4 and TTL 4, raising the loss probability leaves the reach and
# the scale unchanged (up to the spread between seeds) while the copies age and the view
# becomes more persistent and less informative about the current market.

# %%
LOSSES = [0.0, 0.2, 0.4]
loss_sw = np.stack([p2p.sweep(p2p_groups, [4], [4], SEEDS[:3], loss=l, epochs=1500)[0, 0]
                    for l in LOSSES])                       # (loss, seed, stat)
lm_, ls_ = loss_sw.mean(axis=1), loss_sw.std(axis=1, ddof=1)
print_table([f"loss={l:.1f}" for l in LOSSES],
            ["reach", "mean age", "shift a", "scale b", "sd", "b pred", "corr", "lag-1 ac", "sd"],
            np.c_[lm_[:, K["reach"]], lm_[:, K["age"]], lm_[:, K["shift"]], lm_[:, K["scale"]],
                  ls_[:, K["scale"]], lm_[:, K["scale_pred"]], lm_[:, K["corr"]], lm_[:, K["lag1"]],
                  ls_[:, K["lag1"]]],
            digits=3, title="degree 4, TTL 4: mean and sd over 3 seeds")

# %%
part, full = m0[0, 0], m0[-1, -1]          # degree 3, TTL 1 and degree 8, TTL 5
led.qualitative(
    "p2p shift and scale", "P2P view needs shift and scale factors, set by degree and TTL",
    paper="for a non-ideal (peer-to-peer) setup, shifting and scaling factors need to be found",
    ours=(f"degree 3, TTL 1: reach {part[K['reach']]:.2f}, shift {part[K['shift']]:.2f}, scale "
          f"{part[K['scale']]:.2f}; degree 8, TTL 5: reach {full[K['reach']]:.2f}, shift "
          f"{full[K['shift']]:.2f}, scale {full[K['scale']]:.2f} (means over {len(SEEDS)} seeds)"),
    holds=bool(part[K["scale"]] < 0.8 and abs(part[K["shift"]]) > 1
               and abs(full[K["scale"]] - 1) < 0.1))
led.qualitative(
    "p2p shift and scale", "the shift and scale follow from the reach alone, with or without loss",
    paper="shifting and scaling factors need to be found to design the architecture (no method given)",
    ours=(f"reach-based prediction within {gap_scale.max():.3f} of the simulated scale in all "
          f"{gap_scale.size} runs (20 degree/TTL configurations, loss 0 and {LOSS}); loss {LOSS} "
          f"moves the mean scale by at most {scale_loss_gap:.3f} but lowers corr(view, market) "
          f"from {corr0.mean():.3f} to {corr1.mean():.3f} on average"),
    holds=bool(gap_scale.max() < 0.05 and scale_loss_gap < 0.03 and corr1.mean() < corr0.mean()))

# %% [markdown]
# ## 5. The trading MDP and its dual LP
#
# States $S_{i,pos} = (i, |i|, pos)$ with $i, pos \in \{-2..2\}$ (the middle component is
# redundant), actions buy/hold/sell within $|pos| \le 2$, transition
# $p((j, pos+a)\mid(i,pos),a) = M(i,j)$, and, literally,
#
# $$ r(s,a) = \sum_j M(i,j)\,\big[\, j\,(pos+a) - c\max(|pos+a| - |j|, 0) \big],
#    \qquad c = 0.1,\ \lambda = 0.95 .$$
#
# We solve the slides' dual LP (uniform $\alpha(j) = 1/25$) with SciPy's HiGHS, take
# $d(s) = \arg\max_a x(s,a)$, and cross-check against value iteration, policy iteration and
# QuantEcon's `DiscreteDP` (policy iteration), the field's reference implementation.

# %%
mdp = mm.trading_mdp(M, c=C_PENALTY, discount=DISCOUNT, reading="literal")
lp = md.solve_dual_lp(mdp)
vi = md.value_iteration(mdp, tol=1e-12)
pi_sol = md.policy_iteration(mdp)
import quantecon  # noqa: E402  (numba-compiled; imported here, after the fast part)
qe = md.to_quantecon(mdp).solve(method="policy_iteration")
V_star = pi_sol.V
print(f"LP objective {lp.objective:.6f} = alpha . V* = {V_star.mean():.6f}")
print(f"max |V_LP - V_PI| = {np.max(np.abs(lp.V - V_star)):.1e}, "
      f"max |V_VI - V_PI| = {np.max(np.abs(vi.V - V_star)):.1e}, "
      f"max |V_QE - V_PI| = {np.max(np.abs(qe.v - V_star)):.1e}")
same = [bool(np.array_equal(p, pi_sol.policy)) for p in (lp.policy, vi.policy, qe.sigma)]
print("LP, VI, QuantEcon policies equal PI's:", same)
occ = md.occupation_measure(mdp, lp.policy)
print(f"max |x_LP - occupation measure of the LP policy| = {np.max(np.abs(lp.x - occ)):.1e}")
opt_mask = md.optimal_action_mask(mdp, V_star, tol=1e-9)
print("states with tied optimal actions:", int(np.sum(opt_mask.sum(axis=1) > 1)))
led.qualitative("dual LP", "dual LP solution is the optimal policy; cross-checked",
                paper="discounted MDP solved as the dual LP (GLPK simplex, equal alpha(j)); "
                      "decision rule = argmax_a x(s,a)",
                ours=f"HiGHS LP objective {lp.objective:.6f} = mean V*; LP, value iteration, "
                     f"policy iteration and QuantEcon DiscreteDP give the same policy; x equals "
                     f"the occupation measure",
                holds=all(same) and abs(lp.objective - V_star.mean()) < 1e-8
                and np.max(np.abs(lp.x - occ)) < 1e-8)

# %%
ours_tab = mm.policy_table(lp.policy, 2)
slide_tab = np.array(PAPER["policy"])
rows_i = [f"i={i:+d}" for i in range(-2, 3)]
cols_p = [f"pos={p:+d}" for p in range(-2, 3)]
print_table(rows_i, cols_p, slide_tab, digits=0, title="slides' policy")
print_table(rows_i, cols_p, ours_tab, digits=0, title="our optimum (literal reading)")
agree = ours_tab == slide_tab
print(f"agreement: {agree.sum()} of 25")
print("mismatches (i, pos): ours vs slides")
for i, p in zip(*np.nonzero(~agree)):
    print(f"  ({i - 2:+d}, {p - 2:+d}): {ours_tab[i, p]:+d} vs {slide_tab[i, p]:+d}")
# one-step (myopic) reward of holding position p' after observing i, and its best position
pos_vals = np.arange(-2, 3)
r_myopic = np.array([[M[i] @ (pos_vals * p_ - C_PENALTY * np.maximum(abs(p_) - np.abs(pos_vals), 0))
                      for p_ in pos_vals] for i in range(5)])
target = pos_vals[np.argmax(r_myopic, axis=1)]
print_table(rows_i, [f"pos'={p:+d}" for p in pos_vals], r_myopic, digits=4,
            title="one-step expected reward r(i, pos') = m(i) pos' - c E[max(|pos'| - |j|, 0)]")
print("myopic target position by i:", dict(zip(range(-2, 3), target.tolist())))
toward = np.sign(target[:, None] - pos_vals[None, :])
print("optimal policy = one contract per step towards the myopic target:",
      bool(np.array_equal(ours_tab, toward)))
pol_lam0 = mm.policy_table(md.policy_iteration(mm.trading_mdp(M, C_PENALTY, 0.0)).policy, 2)
print("optimal policy at lambda = 0.95 equals the one at lambda = 0:",
      bool(np.array_equal(ours_tab, pol_lam0)))

# %% [markdown]
# The economics of our optimum. The drift $m(i) = E[i'\mid i]$ is $\le 0$ in every state (table
# in Section 1) and zero at $i \in \{1, 2\}$, so a long position never pays in expectation,
# and the penalty $c\max(|pos'|-|j|,0)$ taxes every position larger than the next volume.
# The one-step trade-off $m(i)\,pos' - c\,E[\max(|pos'|-|j|,0)]$ has a best position for
# each $i$: $-2$ at $i=-2$ (the strongest downward drift), $-1$ at $i \in \{-1, 0\}$, and
# $0$ at $i \ge 1$ (no drift to earn, only penalty to pay). The optimal policy moves one
# contract per step towards that myopic target (checked above), and it is the same policy
# as for $\lambda = 0$: with $r(i,\cdot)$ concave in $pos'$, the best one-step move is the
# step towards the target, and looking ahead ($\lambda = 0.95$) changes nothing. At $i = 0$ the edge of $-1$ over $0$ is tiny (printed above), so this
# entry is fragile, but it is not a tie. The slides' table, by contrast, sells almost
# everywhere, and in three states with a negative drift it takes or keeps a long position
# (buys at $pos = 0$ for $i = -1, -2$; holds $+1$ at $i = -2$).

# %% mystnb={"figure": {"caption": "Rebuilds the slides' optimal-policy table {cite}`martinez_futures`: the slides' actions (left), our LP optimum under the literal reading (middle), and the optimal value V*(i, pos) (right).", "name": "fig-futures-policy"}}
fig, axes = subplots(1, 3, width=12.5, height=3.6)
for ax, tab, title in [(axes[0], slide_tab, "slides' policy"),
                       (axes[1], ours_tab, "our optimum (literal)")]:
    im = ax.imshow(tab, cmap="RdBu", vmin=-1, vmax=1, extent=(-2.5, 2.5, 2.5, -2.5))
    for i in range(5):
        for p in range(5):
            ax.text(p - 2, i - 2, f"{tab[i, p]:+d}", ha="center", va="center",
                    fontweight="bold" if not agree[i, p] else "normal")
    ax.set_title(title)
    ax.grid(False)
    fig.colorbar(im, ax=ax, shrink=0.8, label="action (contracts)")
Vtab = V_star.reshape(5, 5)
im = axes[2].imshow(Vtab, cmap="viridis", extent=(-2.5, 2.5, 2.5, -2.5))
axes[2].set_title("V*(i, pos)")
axes[2].grid(False)
fig.colorbar(im, ax=axes[2], shrink=0.8, label="value (ticks)")
for ax in axes:
    ax.set_xlabel("open position pos (contracts)")
    ax.set_ylabel("price variation i (ticks)")
print_table(rows_i, cols_p, Vtab, digits=4, title="V*(i, pos)")
fig.show()

# %% mystnb={"figure": {"caption": "Beyond the slides (which print only the policy): the dual LP's solution for the slides' MDP {cite}`martinez_futures`, the discounted occupation measure x(s, a) of each state-action pair (alpha = 1/25), summed over actions (left) and for the chosen action's share (right).", "name": "fig-futures-occupation"}}
X_sa = np.zeros((25, 3))
X_sa[mdp.s_indices, mdp.a_indices] = lp.x
occ_state = X_sa.sum(axis=1).reshape(5, 5)
share = (X_sa.max(axis=1) / X_sa.sum(axis=1)).reshape(5, 5)
fig, axes = subplots(1, 2, width=9.5, height=3.6)
for ax, A, title, lab in [(axes[0], occ_state, "sum_a x(s, a)", "discounted visits"),
                          (axes[1], share, "max_a x(s,a) / sum_a x(s,a)", "share")]:
    im = ax.imshow(A, cmap="magma", extent=(-2.5, 2.5, 2.5, -2.5))
    ax.set_title(title)
    ax.set_xlabel("open position pos (contracts)")
    ax.set_ylabel("price variation i (ticks)")
    ax.grid(False)
    fig.colorbar(im, ax=ax, shrink=0.8, label=lab)
print_table(rows_i, cols_p, occ_state, digits=4, title="sum_a x(s,a)")
print(f"total occupation {lp.x.sum():.4f} = 1/(1 - lambda) = {1 / (1 - DISCOUNT):.4f}")
fig.show()

# %% [markdown]
# ### Can any reading give the slides' table?
#
# We solved the MDP under a range of readings: the position in the reward before or after
# the action, the current or next price variation in $r_1$, the current or next volume in the
# penalty, actions restricted or clipped at the bounds, $M^\top$ instead of $M$, minimising
# instead of maximising (GLPK minimises by default), a range of penalties $c$ and discounts
# $\lambda$, the 6 relabelings of the action codes, and the table read with rows and columns
# swapped. For each we count the entries of the LP policy that agree with the slides and,
# because some readings have ties, the slide entries that are *among* the optimal actions
# ("slide action optimal": the best agreement that *any* optimal policy of that reading can
# reach). The source notes for this chapter report a wider search (all 120 relabelings of
# $M$'s states, wrap-around and exit rules at the bounds, LP index-decoding slips) with the
# same best match; we do not repeat it here.

# %%
def match_counts(mdp_: md.FiniteMDP) -> tuple[int, int]:
    sol = md.policy_iteration(mdp_)
    tab = mm.policy_table(md.solve_dual_lp(mdp_).policy, 2)
    mask = md.optimal_action_mask(mdp_, sol.V, tol=1e-9)
    return int((tab == slide_tab).sum()), int(mask[np.arange(25), slide_tab.ravel() + 1].sum())

reading_rows, names = [], []
for name in mm.READINGS:
    reading_rows.append(match_counts(mm.trading_mdp(M, C_PENALTY, DISCOUNT, name)))
    names.append(name)
for c_alt in [0.0, -0.1, 0.5, 1.0]:
    reading_rows.append(match_counts(mm.trading_mdp(M, c_alt, DISCOUNT)))
    names.append(f"literal, c={c_alt:g}")
reading_rows.append(match_counts(mm.trading_mdp(M_unif, C_PENALTY, DISCOUNT)))
names.append("uniform-weighted M")
print_table(names, ["LP policy agrees", "slide action optimal"], np.array(reading_rows), digits=0)
# relabelings of the action codes and the transposed table, literal reading
perm_best = 0
import itertools  # noqa: E402
for perm in itertools.permutations([-1, 0, 1]):
    relab = np.vectorize(dict(zip([-1, 0, 1], perm)).get)(ours_tab)
    perm_best = max(perm_best, int((relab == slide_tab).sum()), int((relab.T == slide_tab).sum()))
print("best agreement over the 6 action relabelings x {table, transposed table}:", perm_best)

# %%
c_grid = np.round(np.arange(-1.0, 2.0001, 0.02), 2)
lam_grid = [0.0, 0.3, 0.5, 0.8, 0.9, 0.95, 0.99]
best = (0, None)
sweep = np.zeros((len(lam_grid), len(c_grid)), dtype=int)
for li, lam in enumerate(lam_grid):
    for ci, c_val in enumerate(c_grid):
        for bnd in ("restrict", "clip"):
            m_ = mm.trading_mdp(M, c_val, lam, mm.TradingReading(bounds=bnd))
            sol = md.policy_iteration(m_)
            ok_ = md.optimal_action_mask(m_, sol.V, tol=1e-9)
            k = int(ok_[np.arange(25), slide_tab.ravel() + 1].sum())   # tie-aware
            sweep[li, ci] = max(sweep[li, ci], k)
            if k > best[0]:
                best = (k, (c_val, lam, bnd))
print(f"most printed entries that are optimal, over c in [-1, 2] (step 0.02), lambda in {lam_grid}, restrict/clip: "
      f"{best[0]}/25 at c = {best[1][0]}, lambda = {best[1][1]}, {best[1][2]}")
print_table([f"lambda={l}" for l in lam_grid], [f"c={c:g}" for c in c_grid[::25]],
            sweep[:, ::25], digits=0, title="agreement (max over bounds), selected c")
print(f"best agreement with a positive penalty (c > 0, the slides' c in R+): {sweep[:, c_grid > 0].max()}/25; "
      f"c = 0: {sweep[:, c_grid == 0].max()}/25; c < 0: {sweep[:, c_grid < 0].max()}/25")

# %%
# c = 0 has ties (zero drift at i >= 1): among the optimal actions we take the printed one
# whenever it is optimal, i.e. the optimal policy closest to the slides.
mdp_c0 = mm.trading_mdp(M, 0.0, DISCOUNT)
sol_c0 = md.policy_iteration(mdp_c0)
mask_c0 = md.optimal_action_mask(mdp_c0, sol_c0.V, tol=1e-9)
slide_ok_c0 = mask_c0[np.arange(25), slide_tab.ravel() + 1].reshape(5, 5)
tab_c0 = np.where(slide_ok_c0, slide_tab, mm.policy_table(sol_c0.policy, 2))
print("states with tied optimal actions at c = 0:", int(np.sum(mask_c0.sum(axis=1) > 1)))
print_table(rows_i, cols_p, tab_c0, digits=0,
            title="optimum with c = 0 closest to the slides (no liquidation penalty)")
print("mismatches with c = 0:", [(int(i) - 2, int(p) - 2) for i, p in zip(*np.nonzero(tab_c0 != slide_tab))])

# %% [markdown]
# Agreement peaks where the liquidation penalty does not bind: at $c = 0$, and for negative
# $c$ (a "penalty" that rewards large positions) with heavy discounting. With a positive
# penalty, as the slides specify ($c \in \mathbb{R}^+$), it reaches at most 16 of 25 (printed above).
# Without a penalty the trader faces only the drift, which is never positive, so being short
# is never worse than being flat: the closest optimal policy sells everywhere and holds at
# the short bound. Its five mismatches are the three entries of the next section, which no
# $c \ge 0$ can produce, and two buy-backs from the short bound, $(-2,-2)\to+1$ and
# $(0,-2)\to+1$, which only a binding penalty could motivate, and that penalty then moves
# many other entries away from the table.

# %% [markdown]
# ### Three printed entries are never optimal
#
# The slides' entries $(i,pos) = (-1,0)\to+1$, $(-2,0)\to+1$ and $(-2,1)\to0$ all take or keep
# a *long* position in a state whose drift $m(i) = E[i'\mid i]$ is negative. Under the
# literal model they are never optimal, for every $c \ge 0$ and every $\lambda\in[0,1)$, with
# restricted or clipped bounds.
#
# **Proof.** Two facts are used: (a) the drift satisfies $m(i) \le 0$ in every state, with
# $m(-1), m(-2) < 0$ (table in Section 1); (b) the penalty $c\max(|pos'|-|j|, 0)$ is
# non-decreasing in $|pos'|$, and the pressure path $(i_t)$ does not depend on the trader.
# A position $p_t$ is chosen after $i_{t-1}$ is seen and before $i_t$ is drawn, so its
# expected reward is $m(i_{t-1})\,p_t - c\,E[\max(|p_t| - |i_t|, 0)\mid i_{t-1}]$.
#
# Take any policy that starts in $s$ with the printed action and let $p_1, p_2, \dots$ be its
# positions; $p_1 = 1$ in all three cases. Let $\tau$ be the first $t$ with $p_t = 0$
# ($\tau = \infty$ if none). Positions move by at most one per step, so $p_t \ge 1$ for
# $t < \tau$. Define a mirrored policy on the same pressure path: $q_t = -p_t$ (from $(i, 0)$)
# or $q_t = 1 - p_t$ (from $(-2, 1)$) for $t < \tau$, and $q_t = p_t$ from $\tau$ on. It is
# feasible: its steps are those of $p$ mirrored, the step at $\tau$ is from $-1$ to $0$ (or from
# $0$ to $0$), and $|q_t| \le 2$; its first action is a sell. For $t < \tau$,
# $q_t - p_t \le -1$, so $m(i_{t-1})(q_t - p_t) \ge 0$, and $|q_t| \le |p_t|$, so its penalty is
# no larger; from $\tau$ on the two policies earn the same. At $t = 1$ the gain is
# $m(i_0)(q_1 - p_1)$: $-2m(i_0) > 0$ from $(i, 0)$, $-m(-2) > 0$ from $(-2, 1)$. Applying this
# to an optimal continuation after the printed action, and since a history-dependent policy
# cannot beat $V^\star$,
# $V^\star(s) \ge Q^\star(s, a_{\text{slide}}) + (\text{first-step gain}) > Q^\star(s, a_{\text{slide}})$.
# $\square$
#
# The proof gives more than a sign: since the coupled policy is feasible,
# $V^\star(s) - Q^\star(s, a_{\text{slide}}) \ge -2m(i)$ for the two buys at $pos = 0$ and
# $\ge -m(-2)$ for the hold at $(-2, 1)$, whatever $c \ge 0$ and $\lambda$. Numerically: over
# $c \in [0, 5]$ (step 0.01), $\lambda \in \{0, 0.5, 0.9, 0.95, 0.99\}$ and both bound conventions
# we compute the margin $V^\star(s) - Q^\star(s, a_{\text{slide}})$ and compare its minimum with
# this bound (attained at $\lambda = 0$, where only the first step counts).

# %%
IMPOSSIBLE = [(-1, 0, 1), (-2, 0, 1), (-2, 1, 0)]   # (i, pos, printed action)
for i, p, a in IMPOSSIBLE:
    assert PAPER["policy"][i + 2][p + 2] == a
cells = np.array([(i + 2) * 5 + (p + 2) for i, p, _ in IMPOSSIBLE])
acts = np.array([a + 1 for _, _, a in IMPOSSIBLE])
margins, n_pol, n_taken = [], 0, 0
for lam in [0.0, 0.5, 0.9, 0.95, 0.99]:
    for c_val in np.round(np.arange(0.0, 5.0001, 0.01), 2):
        for bnd in ("restrict", "clip"):
            m_ = mm.trading_mdp(M, c_val, lam, mm.TradingReading(bounds=bnd))
            sol = md.policy_iteration(m_)
            q = md.q_values(m_, sol.V)
            Qfull = np.full((25, 3), -np.inf)
            Qfull[m_.s_indices, m_.a_indices] = q
            margins.append(sol.V[cells] - Qfull[cells, acts])
            n_pol += 1
            n_taken += int(np.sum(mm.policy_table(sol.policy, 2).ravel()[cells] == acts - 1))
margins = np.array(margins)
print(f"{n_pol} optimal policies; times a printed impossible action is chosen: {n_taken}")
# the proof's lower bound on the margin: the first-step gain of the coupled policy
bound = np.array([-2 * drift[-1 + 2], -2 * drift[-2 + 2], -drift[-2 + 2]])
print_table([f"({i:+d},{p:+d})->{a:+d}" for i, p, a in IMPOSSIBLE],
            ["min margin", "mean margin", "proof's bound"],
            np.c_[margins.min(axis=0), margins.mean(axis=0), bound], digits=5,
            title="V*(s) - Q*(s, printed action) over the grid")
print("every margin >= the proof's bound:", bool(np.all(margins >= bound - 1e-9)),
      "; minimum equals the bound:", bool(np.allclose(margins.min(axis=0), bound, atol=1e-9)))

# %%
led.exact("policy table", "optimal action for the 25 states S_(i,pos), literal reading "
          "(rows i=-2..2, cols pos=-2..2)",
          paper=np.array(PAPER["policy"]).ravel(), ours=ours_tab.ravel(),
          reason=f"the literal model's optimum (HiGHS LP, checked by VI, PI and QuantEcon) agrees "
                 f"in {agree.sum()}/25 entries; the printed table sells almost everywhere and buys "
                 f"where the drift is negative")
led.exact("policy table", "optimal action for the 25 states, best variant reading (c = 0, ties towards the slides)",
          paper=np.array(PAPER["policy"]).ravel(), ours=tab_c0.ravel(),
          reason=f"no reading tried reproduces the table (readings, c in [-1,2], 7 discounts, "
                 f"bounds, M transposed, min/max, action relabelings); at most {best[0]}/25 "
                 f"printed entries are optimal, with no binding liquidation penalty (c = 0, ties "
                 f"broken towards the slides)")
led.qualitative(
    "policy table", "printed table is an optimal policy of the printed model",
    paper="table of optimal actions for c = 0.1, lambda = 0.95 (GLPK)",
    ours=(f"entries (-1,0)->+1, (-2,0)->+1, (-2,1)->0 are never optimal: proof by coupling "
          f"(drift <= 0 everywhere; margin >= first-step gain -2m(i) or -m(-2)) and {n_pol} "
          f"optimal policies over c in [0,5], 5 discounts, 2 bound rules, none choosing them; "
          f"smallest margins {np.round(margins.min(axis=0), 4).tolist()} equal the proof's bounds "
          f"{np.round(bound, 4).tolist()}"),
    holds=False,
    reason="three printed entries are provably suboptimal for any c >= 0 and discount; the table "
           "must come from an unreported model variant or an implementation slip")
led.show("policy table")

# %% [markdown]
# ## 6. Scale
#
# The generating-function construction handles large markets: with exponential tilting and
# FFTs, $N = 1000$ agents (2001 pressure states) take well under a second (timed below);
# brute-force enumeration of $3^N$ configurations is feasible only to $N \approx 12$
# (`benchmarks/bench_markov_market.py` prints both against $N$). The trading MDP for $N = 50$
# ($101^2 = 10{,}201$ states, 30,401 state-action pairs) is solved by policy iteration in
# well under a second (two iterations); the dual LP takes about 15 s with HiGHS's
# interior-point method and one to two minutes with the simplex method the slides used (see the
# benchmark), and all give the same policy. The LP is the right tool for the slides' small
# example, policy iteration for large markets. Timings below vary from run to run.

# %%
# NBVAL_IGNORE_OUTPUT
groups1000 = [mm.AgentGroup(T1, 500), mm.AgentGroup(T2, 500)]
t0 = time.perf_counter()
M1000 = mm.pressure_matrix(groups1000)
t_gf = time.perf_counter() - t0
t0 = time.perf_counter()
mdp50 = mm.trading_mdp(mm.pressure_matrix([mm.AgentGroup(T1, 25), mm.AgentGroup(T2, 25)]))
sol50 = md.policy_iteration(mdp50)
t_pi = time.perf_counter() - t0
print(f"N = 1000: M ({M1000.shape[0]} states) in {t_gf:.2f} s elapsed")
print(f"N = 50 trading MDP ({mdp50.n_states} states): policy iteration in {t_pi:.2f} s elapsed")

# %% mystnb={"figure": {"caption": "Beyond the slides: scale of their generating-function construction {cite}`martinez_futures`, seconds to build M against the number of agents N, by brute-force enumeration of 3^N configurations, exact 2-D convolutions, and the tilted FFT (timings vary between runs; benchmarks/bench_markov_market.py prints the full table).", "name": "fig-futures-scaling"}}
# NBVAL_IGNORE_OUTPUT
def _secs(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0

scale_groups = lambda N: [mm.AgentGroup(T1, N // 2), mm.AgentGroup(T2, N - N // 2)]
N_bf = [2, 4, 6, 8, 10]
N_dir = [2, 5, 10, 20, 50, 100, 200]
N_fft = [2, 5, 10, 20, 50, 100, 200, 500, 1000]
t_bf = [_secs(lambda: mm.brute_force_pressure_matrix(scale_groups(N))) for N in N_bf]
t_dir = [_secs(lambda: mm.pressure_matrix(scale_groups(N), method="direct")) for N in N_dir]
t_fft = [_secs(lambda: mm.pressure_matrix(scale_groups(N), method="fft")) for N in N_fft]
fig, ax = subplots()
ax.loglog(N_bf, t_bf, "o-", label="brute force (3^N configurations)")
ax.loglog(N_dir, t_dir, "s-", label="GF, direct 2-D convolutions")
ax.loglog(N_fft, t_fft, "^-", label="GF, tilted FFT")
ax.set_xlabel("number of agents N")
ax.set_ylabel("time to build M (s)")
ax.legend()
print_curve("brute force (s)", N_bf, t_bf, digits=4, xdigits=0)
print_curve("direct (s)", N_dir, t_dir, points=7, digits=4, xdigits=0)
print_curve("tilted FFT (s)", N_fft, t_fft, points=9, digits=4, xdigits=0)
fig.show()

# %%
print(f"N = 1000: rows sum to 1 within {np.max(np.abs(M1000.sum(axis=1) - 1)):.0e}, "
      f"min entry {M1000.min():.1e}, stationary law invariant within "
      f"{np.max(np.abs(mm.pressure_distribution(groups1000) @ M1000 - mm.pressure_distribution(groups1000))):.0e}")
pol50 = mm.policy_table(sol50.policy, 50)
print("N = 50 optimal actions at pos = 0 for i = -50, -25, -1, 0, 1, 25, 50:",
      pol50[[0, 25, 49, 50, 51, 75, 100], 50].tolist())

# %% [markdown]
# ## Summary
#
# The market-pressure matrix is reproduced exactly, once one sees that the slides weight each
# configuration by its stationary frequency; the fully connected simulation agrees with it
# at the Monte Carlo rate; a P2P view is a shifted and scaled market whose factors follow
# from the reach of the messages alone, with or without lost messages, while delays and
# losses degrade only how well the view tracks the current market. The optimal trading policy, however, is not reproducible:
# the printed table disagrees with the literal model's optimum in 13 of 25 states, no reading
# we tried does better than 20 of 25, and three printed entries cannot be optimal under the
# printed model at all.

# %%
led.show()
print(led.summary())
led.save();
