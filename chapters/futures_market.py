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
# optimal. The code is in `mmkit.markov_market`, `mmkit.mdp` and `mmkit.p2p`.

# %%
import time

import numpy as np

from mmkit import markov_market as mm
from mmkit import mdp as md
from mmkit import p2p
from mmkit.ledger import Ledger
from mmkit.plotting import print_curve, print_table, subplots

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

# %% mystnb={"figure": {"caption": "Rebuilds the slides' claim 'a fully connected simulation gives the same results as the analytic model' {cite}`martinez_futures`: analytic M (left), empirical transition frequencies of 10^6 simulated steps of the two agents (middle), and their difference (right).", "name": "fig-futures-heatmaps"}}
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

# %% mystnb={"figure": {"caption": "Convergence behind the slides' simulation claim {cite}`martinez_futures`: the largest entry-wise error of the empirical transition matrix against the number of simulated steps, with the n^(-1/2) reference line.", "name": "fig-futures-convergence"}}
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
# The tick size $\kappa = 0.25$ is chosen so that the typical 200,000-epoch excursion
# (AR(1) approximation $\kappa\,\mathrm{sd}(S)\sqrt{T(1+\rho)/(1-\rho)}$, printed below) is of
# the order of the slides' range, about 1,000 ticks; with $\kappa = 1$ the driftless walk
# would wander to negative prices. The path is **illustrative**: it shows what the pressure
# chain implies, not the slides' data.

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
print(f"AR(1) excursion scale over {EPOCHS} epochs: "
      f"{KAPPA * S_price.std() * np.sqrt(EPOCHS * (1 + rho1) / (1 - rho1)):.0f} ticks")
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
# rebuild a P2P market (`mmkit.p2p`): 60 nodes on a random $d$-regular graph, one agent per
# node (30 with $T_2$ from the slides, 30 persistent buyers), orders flooded hop by hop, one
# epoch per hop, up to a time-to-live (TTL); every pub keeps the newest copy of each origin's
# order. A node's *observed pressure* is the sum of the orders in its pub: a delayed, partial
# view of the market. We fit $\hat S \approx a + b\,S$ by matching the first two moments of
# the observed distribution to the analytic stationary law of the whole market ($a$ = shift,
# $b$ = scale), averaged over the 60 observer nodes.
#
# Because agents are independent and stationary, a fixed delay does not change a term's law:
# without losses the observed pressure is exactly the pressure chain of the *reached* agents,
# so $b$ is predicted by the reach alone, $b = \mathrm{sd}(\sum_{k\in R} x_k)/\mathrm{sd}(S)$.
# What delays change is how well the view tracks the current market, measured by
# $\mathrm{corr}(\hat S_o(t), S(t))$.

# %%
T_buy = np.array([[0.60, 0.30, 0.10], [0.05, 0.75, 0.20], [0.02, 0.18, 0.80]])
p2p_groups = [mm.AgentGroup(T2, 30), mm.AgentGroup(T_buy, 30)]
N_P2P = 60
pS = mm.pressure_distribution(p2p_groups)
sv = np.arange(-N_P2P, N_P2P + 1)
mean_S = float(pS @ sv)
sd_S = float(np.sqrt(pS @ sv**2 - mean_S**2))
var_group = np.array([float(mm.stationary_distribution(g.T) @ mm.STATES**2
                             - (mm.stationary_distribution(g.T) @ mm.STATES) ** 2)
                      for g in p2p_groups])
print(f"analytic market pressure: mean {mean_S:.3f}, sd {sd_S:.3f}")

DEGREES, TTLS = [3, 4, 6, 8], [1, 2, 3, 4, 5]
rows = []
for d in DEGREES:
    for ttl in TTLS:
        res = p2p.simulate_p2p(p2p_groups, p2p.P2PConfig(degree=d, ttl=ttl, epochs=3000, seed=11))
        a_shift, b_scale = p2p.shift_scale(res.observed, mean_S, sd_S)
        # predicted scale from each node's reach (exact for independent agents without loss)
        H = p2p.flood(res.neigh, ttl, 0.0, np.random.default_rng(0)) >= 0
        var_node = var_group[res.agent_group]
        b_pred = float(np.mean([np.sqrt(var_node[H[o]].sum()) for o in range(N_P2P)]) / sd_S)
        corr = float(np.mean([np.corrcoef(res.observed[:, o], res.true_pressure)[0, 1]
                              for o in range(N_P2P)]))
        rows.append((d, ttl, res.reach.mean() / N_P2P, res.mean_delay.mean(), a_shift, b_scale,
                     b_pred, corr))
rows = np.array(rows)
print_table([f"d={int(r[0])} ttl={int(r[1])}" for r in rows],
            ["reach", "delay", "shift a", "scale b", "b pred", "corr"], rows[:, 2:], digits=3,
            title="P2P observed pressure vs the analytic chain (mean over 60 observers)")

# %% [markdown]
# The per-node agent variances differ between the two groups, so the prediction above sums
# the variances of the agents actually reached (the node-to-agent placement is part of the
# seeded simulation). The simulated scale follows the prediction; the shift comes from the
# buyers' positive mean: a node that sees a fraction $f$ of the market sees about $f$ of its
# mean but only about $\sqrt f$ of its spread. The correlation of a node's view with the
# current market pressure stays low (0.1 to 0.17) at every degree and TTL: the orders that
# arrive are 1 to 4 epochs old and the slides' $T_2$ agents have almost no memory, so a wider
# reach adds mostly stale orders. Higher degree helps more than a longer TTL because it
# shortens the delays as well as widening the reach.

# %% mystnb={"figure": {"caption": "Extends the slides' P2P remark ('shifting and scaling factors need to be found') {cite}`martinez_futures`: scale b and shift a of the observed pressure distribution against the message TTL, for network degrees 3, 4, 6 and 8 (60 nodes, mean over observers).", "name": "fig-futures-p2p"}}
fig, axes = subplots(1, 3, width=12.5, height=3.5)
for d in DEGREES:
    sel = rows[:, 0] == d
    axes[0].plot(rows[sel, 1], rows[sel, 5], "o-", label=f"degree {d}")
    axes[1].plot(rows[sel, 1], rows[sel, 4], "o-", label=f"degree {d}")
    axes[2].plot(rows[sel, 1], rows[sel, 7], "o-", label=f"degree {d}")
    print_curve(f"scale b, degree {d}", rows[sel, 1], rows[sel, 5], digits=3, xdigits=0)
    print_curve(f"shift a, degree {d}", rows[sel, 1], rows[sel, 4], digits=3, xdigits=0)
    print_curve(f"corr, degree {d}", rows[sel, 1], rows[sel, 7], digits=3, xdigits=0)
axes[0].axhline(1.0, color="k", lw=0.8, ls=":")
axes[1].axhline(0.0, color="k", lw=0.8, ls=":")
for ax, lab in zip(axes, ["scale b (observed sd / market sd)", "shift a (ticks)",
                          "corr(observed, true pressure)"]):
    ax.set_xlabel("message time-to-live (hops)")
    ax.set_ylabel(lab)
axes[0].legend()
fig.show()

# %% [markdown]
# **Lost messages and stale copies.** With a loss probability per transmission, the newest
# copy in a pub is sometimes old: the view becomes staler and its dynamics more persistent
# than the agents', although the marginal scale is unchanged when the reach is the same.

# %%
loss_rows = []
for loss in [0.0, 0.2, 0.4]:
    res = p2p.simulate_p2p(p2p_groups, p2p.P2PConfig(degree=4, ttl=4, loss=loss, epochs=1500,
                                                     seed=11))
    a_shift, b_scale = p2p.shift_scale(res.observed, mean_S, sd_S)
    corr = float(np.mean([np.corrcoef(res.observed[:, o], res.true_pressure)[0, 1]
                          for o in range(N_P2P)]))
    ac1 = float(np.mean([np.corrcoef(res.observed[:-1, o], res.observed[1:, o])[0, 1]
                         for o in range(N_P2P)]))
    loss_rows.append((loss, res.reach.mean() / N_P2P, res.mean_delay.mean(), a_shift, b_scale,
                      corr, ac1))
loss_rows = np.array(loss_rows)
print_table([f"loss={r[0]:.1f}" for r in loss_rows],
            ["reach", "mean age", "shift a", "scale b", "corr", "lag-1 ac"], loss_rows[:, 1:],
            digits=3, title="degree 4, TTL 4")

# %%
full = rows[(rows[:, 0] == 8) & (rows[:, 1] == 5)][0]
part = rows[(rows[:, 0] == 3) & (rows[:, 1] == 1)][0]
led.qualitative(
    "p2p shift and scale", "P2P view needs shift and scale factors, set by degree and TTL",
    paper="for a non-ideal (peer-to-peer) setup, shifting and scaling factors need to be found",
    ours=(f"degree 3, TTL 1: reach {part[2]:.2f}, shift {part[4]:.2f}, scale {part[5]:.2f}; "
          f"degree 8, TTL 5: reach {full[2]:.2f}, shift {full[4]:.2f}, scale {full[5]:.2f}; "
          f"scale follows the reach prediction within {np.max(np.abs(rows[:, 5] - rows[:, 6])):.3f}"),
    holds=bool(part[5] < 0.8 and abs(part[4]) > 1 and abs(full[5] - 1) < 0.1))

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

# %% [markdown]
# The economics of our optimum: the drift $E[i'\mid i]$ is $\le 0$ in every state (table
# above) and zero at $i \in \{1, 2\}$, so a long position never pays in expectation. At
# $i<0$ the trader sells towards the short bound one contract at a time; at $i \ge 1$ the
# penalty $c\max(|pos'|-|j|,0)$ pulls the position towards 0. The slides' table, by contrast,
# sells almost everywhere and buys in three states with a negative drift.

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

# %% mystnb={"figure": {"caption": "The dual LP's solution for the slides' MDP {cite}`martinez_futures`: the discounted occupation measure x(s, a) of each state-action pair (alpha = 1/25), summed over actions (left) and for the chosen action's share (right).", "name": "fig-futures-occupation"}}
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
# (In the table below, "slide action optimal" counts ties in the slides' favour; it is the
# best agreement that *any* optimal policy of that reading can reach.)
#
# We solved the MDP under every reading we could think of: the position in the reward before
# or after the action, the current or next price variation in $r_1$, the current or next
# volume in the penalty, actions restricted or clipped at the bounds, $M^\top$ instead of
# $M$, minimising instead of maximising (GLPK minimises by default), a range of penalties $c$
# and discounts $\lambda$, the 6 relabelings of the action codes, and the table read with
# rows and columns swapped. We count the entries of the LP policy that agree and, because
# some readings have ties, the slide entries that are *among* the optimal actions.

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
# ### Three printed entries are never optimal
#
# The slides' entries $(i,pos) = (-1,0)\to+1$, $(-2,0)\to+1$ and $(-2,1)\to0$ all take or keep
# a *long* position in a state whose drift $m(i) = E[i'\mid i]$ is negative. Under the
# literal model they are never optimal, for every $c \ge 0$ and every $\lambda\in[0,1)$, with
# restricted or clipped bounds. **Proof.** Only two facts are used: $m(i)\le 0$ in every
# state and $m(-1), m(-2) < 0$ (table in Section 1), and the penalty
# $c\max(|pos'|-|j|,0)$ is non-decreasing in $|pos'|$. Let $p_1, p_2, \dots$ be the positions
# held by any policy that starts with the printed action, so $p_1 = 1$, and let $\tau$ be the
# first $t$ with $p_t = 0$ (positions move by at most 1 per step). Couple it with the policy
# that holds $q_t = -p_t$ (from $(i, 0)$) or $q_t = 1 - p_t$ (from $(-2, 1)$) for $t < \tau$ and
# $q_t = p_t$ afterwards; $q$ moves by at most 1 per step and stays in $[-2, 2]$, so it is
# feasible, and $q_1 = -1$ (sell) or $q_1 = 0$ (sell). Because $p_{t}$ is chosen before
# $i_{t}$ is drawn, $E[i_t p_t] = E[m(i_{t-1}) p_t]$. For $t < \tau$, $p_t \ge 1$, so
# $m(i_{t-1})(q_t - p_t) \ge 0$ and $|q_t| \le |p_t|$ (no larger penalty); for $t \ge \tau$ the
# two coincide; and at $t = 1$ the gain is $-2m(i_0) > 0$ or $-m(-2) > 0$. So the coupled
# policy earns strictly more, and $Q^\star(s, \text{printed action}) < V^\star(s)$. $\square$
#
# Numerically: over $c \in [0, 5]$ (step 0.01), $\lambda \in \{0, 0.5, 0.9, 0.95, 0.99\}$ and
# both bound conventions we compute the smallest margin $V^\star(s) - Q^\star(s, a_{\text{slide}})$.

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
print_table([f"({i:+d},{p:+d})->{a:+d}" for i, p, a in IMPOSSIBLE], ["min margin", "mean margin"],
            np.c_[margins.min(axis=0), margins.mean(axis=0)], digits=5,
            title="V*(s) - Q*(s, printed action) over the grid")

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
          f"(drift <= 0 everywhere) and {n_pol} optimal policies over c in [0,5], 5 discounts, "
          f"2 bound rules, none choosing them (min margin {margins.min():.4f})"),
    holds=False,
    reason="three printed entries are provably suboptimal for any c >= 0 and discount; the table "
           "must come from an unreported model variant or an implementation slip")
led.show("policy table")

# %% [markdown]
# ## 6. Scale
#
# The generating-function construction handles large markets: with exponential tilting and
# FFTs, $N = 1000$ agents (2001 pressure states) take about a second; brute-force enumeration
# of $3^N$ configurations is feasible only to $N \approx 12$
# (`benchmarks/bench_markov_market.py` prints both against $N$). The trading MDP for $N = 50$
# ($101^2 = 10{,}201$ states) is solved by policy iteration in well under a second; the dual
# LP with HiGHS takes minutes at that size (see the benchmark), so the LP is the right tool
# for the slides' small example and policy iteration for large markets. Timings below vary
# from run to run.

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

# %% mystnb={"figure": {"caption": "Scale of the slides' generating-function construction {cite}`martinez_futures`: seconds to build M against the number of agents N, by brute-force enumeration of 3^N configurations, exact 2-D convolutions, and the tilted FFT (timings vary between runs; benchmarks/bench_markov_market.py prints the full table).", "name": "fig-futures-scaling"}}
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
# from the reach of the messages. The optimal trading policy, however, is not reproducible:
# the printed table disagrees with the literal model's optimum in 13 of 25 states, no reading
# we tried does better than 20 of 25, and three printed entries cannot be optimal under the
# printed model at all.

# %%
led.show()
print(led.summary())
led.save();
