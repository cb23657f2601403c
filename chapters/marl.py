# %% [markdown]
# # Multi-agent RL market making: competition without collusion
#
# {cite:t}`marl2025` build a three-layer market of learning agents. At the top, an
# **adversary** sets the order-arrival intensity $\lambda$ and the volatility $\sigma$ of a
# simulated market. In the middle, **agent A** is a market maker trained by PPO
# {cite}`schulman2017` in the market the adversary shapes. At the bottom, three competitors
# are trained against a frozen A:
#
# - **B1** maximises its own profit;
# - **B2** minimises A's profit (a zero-sum reward);
# - **B$^\star$** learns a weight $\omega$ between the two.
#
# The paper's evidence is three tables of agent-, market- and interaction-level metrics
# (Tables 5-7). It finds that B2 takes most of the order flow and B$^\star$ settles at
# $\omega \approx 0.7$. B$^\star$ wins market share while hurting its opponent less than B2
# does. There is no herding, except B1 against itself, and so "no collusion".
#
# This chapter rebuilds the market from the authors' public code (spec Part A in
# `shared/papers`), implements it as a vectorised numpy environment (`mmkit.marl`), and
# rebuilds Tables 5-7 in **three tiers**:
#
# 1. **Tier (i), policy-independent numbers.** These are price volatility, zero-fill steps,
#    and A's single-agent inventory volatility and market share. They depend only on the
#    random numbers, so they must match the paper to the printed 3 decimals. B1's
#    single-agent inventory volatility and market share turn out to carry one bit of B1's
#    policy; they reproduce exactly once that bit is identified.
# 2. **Tier (ii), constant-offset surrogates.** Each agent is replaced by constant quote
#    offsets, calibrated on the paper's aggressiveness, quote distances and one PnL. The
#    other columns are then predictions. This shows that the tables are driven by mean
#    offsets.
# 3. **Tier (iii), our PPO agents.** We train the agents with the pipeline of
#    `python -m mmkit marl-train` and load them from committed artifacts. We check the
#    paper's qualitative findings against them.

# %%
import json
import math

import numpy as np
import matplotlib.pyplot as plt
import pandas as pd

from mmkit.book.ledger import Ledger
from mmkit.marl import (BenchmarkQuoter, ConstantMarket, ConstantQuoter, FlatQuoter,
                        MarketConfig, episode_metrics, fill_weight, simulate, summarise)
from mmkit.marl.env import action_space, observation_space
from mmkit.marl.evaluation import (PAIRS, SINGLE, calibrate_pair, calibrate_single,
                                   convergence_table, natural_actions, parse_paper_table,
                                   ppo_reason, print_tables, record_cells, record_findings,
                                   record_printed, run_setting, surrogate_reason, value)
from mmkit.book.paths import artifacts_dir
from mmkit.book.plotting import print_curve, print_table, subplots

CFG = MarketConfig()
SEEDS = range(100)
led = Ledger("marl2025")
ART = artifacts_dir("marl")
pd.set_option("display.width", 200)
pd.set_option("display.max_colwidth", 60)
# %% [markdown]
# ## The paper's numbers
#
# The paper's Tables 5-7 are copied here as printed, "mean ± sample std" over 100 episodes
# and "X / Y" for the two agents of a pair. Tables 6 and 7 share their rows, so they are
# one block of six columns here (a lone `-` marks a row that a table does not have). They
# enter the ledger only as `paper=` values.

# %%
T5 = """
PnL_mean | 506.490 ± 35.698 | 626.421 ± 40.250 | 437.293 ± 32.030 | 538.535 ± 37.232
Sharpe_ratio | 1.749 ± 0.089 | 1.746 ± 0.080 | 1.742 ± 0.093 | 1.741 ± 0.086
Inventory_volatility | 28.335 ± 2.383 | 28.142 ± 2.443 | 28.335 ± 2.383 | 28.143 ± 2.443
Quote_aggressiveness | 2.480 ± 0.002 | 2.480 ± 0.003 | 2.095 ± 0.004 | 2.095 ± 0.005
Market_share | 0.997 ± 0.004 | 0.992 ± 0.005 | 0.995 ± 0.004 | 0.990 ± 0.005
Avg_spread | 4.959 ± 0.004 | 4.960 ± 0.005 | 4.189 ± 0.009 | 4.190 ± 0.010
Price_volatility | 0.402 ± 0.155 | 0.531 ± 0.205 | 0.402 ± 0.155 | 0.531 ± 0.205
Zero_fill_steps | 27.000 ± 4.273 | 16.870 ± 3.681 | 27.000 ± 4.273 | 16.870 ± 3.681
"""
T67 = """
PnL_mean | 192.696 ± 19.703 / 274.555 ± 19.114 | 81.476 ± 11.535 / 260.953 ± 22.088 | 218.835 ± 19.353 / 222.811 ± 22.410 | 104.629 ± 11.040 / 233.721 ± 21.782 | 172.469 ± 16.464 / 285.461 ± 26.194 | 215.023 ± 19.933 / 218.830 ± 24.131
Sharpe_ratio | 1.714 ± 0.127 / 1.772 ± 0.088 | 1.639 ± 0.113 / 1.769 ± 0.108 | 1.733 ± 0.104 / 1.748 ± 0.126 | 1.647 ± 0.097 / 1.754 ± 0.122 | 1.775 ± 0.123 / 1.742 ± 0.103 | 1.860 ± 0.117 / 1.647 ± 0.122
Inventory_volatility | 19.068 ± 3.313 / 9.977 ± 2.944 | 6.290 ± 2.699 / 22.628 ± 3.158 | 14.494 ± 3.238 / 14.451 ± 3.025 | 4.473 ± 1.821 / 24.794 ± 2.837 | 10.116 ± 3.555 / 18.983 ± 3.642 | 6.831 ± 2.015 / 22.244 ± 2.080
Quote_aggressiveness | 2.493 ± 0.011 / 2.126 ± 0.015 | 2.524 ± 0.028 / 1.482 ± 0.018 | 2.121 ± 0.011 / 2.119 ± 0.010 | 2.170 ± 0.030 / 1.476 ± 0.017 | 2.534 ± 0.032 / 2.100 ± 0.020 | 2.152 ± 0.017 / 2.127 ± 0.021
Market_share | 0.373 ± 0.017 / 0.627 ± 0.016 | 0.162 ± 0.016 / 0.836 ± 0.016 | 0.497 ± 0.030 / 0.500 ± 0.030 | 0.243 ± 0.014 / 0.756 ± 0.014 | 0.329 ± 0.021 / 0.670 ± 0.021 | 0.471 ± 0.028 / 0.526 ± 0.028
Mean_omega | - | - | - | - | - / 0.697 ± 0.002 | - / 0.695 ± 0.002
Avg_spread | 4.619 ± 0.013 | 4.007 ± 0.025 | 4.239 ± 0.013 | 3.646 ± 0.034 | 4.634 ± 0.031 | 4.280 ± 0.025
Price_volatility | 0.402 ± 0.155 | 0.402 ± 0.155 | 0.402 ± 0.155 | 0.402 ± 0.155 | 0.402 ± 0.155 | 0.402 ± 0.155
Fill_ratio | 1.000 ± 0.001 | 0.999 ± 0.003 | 0.997 ± 0.002 | 0.999 ± 0.002 | 0.999 ± 0.001 | 0.997 ± 0.003
Zero_fill_steps | 27.000 ± 4.273 | 27.000 ± 4.273 | 27.000 ± 4.273 | 27.000 ± 4.273 | 27.000 ± 4.273 | 27.000 ± 4.273
Joint_drawdown_ratio | 0.104 ± 0.019 | 0.153 ± 0.034 | 0.121 ± 0.021 | 0.149 ± 0.024 | 0.107 ± 0.026 | 0.115 ± 0.023
Herding_ratio | 0.000 ± 0.000 | 0.000 ± 0.000 | 0.467 ± 0.148 | 0.000 ± 0.000 | 0.000 ± 0.000 | 0.000 ± 0.000
Inventory_divergence | 11.067 ± 4.768 | 17.130 ± 5.312 | 7.038 ± 2.759 | 21.383 ± 4.257 | 11.293 ± 5.570 | 16.373 ± 3.319
Quote_distance_bid | 0.189 ± 0.016 | 1.002 ± 0.052 | 0.012 ± 0.005 | 0.759 ± 0.022 | 0.463 ± 0.049 | 0.252 ± 0.010
Quote_distance_ask | 0.558 ± 0.029 | 1.082 ± 0.029 | 0.056 ± 0.017 | 0.630 ± 0.072 | 0.477 ± 0.025 | 0.181 ± 0.033
Fill_overlap_ratio | 0.208 ± 0.027 | 0.124 ± 0.024 | 0.219 ± 0.026 | 0.162 ± 0.023 | 0.192 ± 0.025 | 0.208 ± 0.027
"""
PAPER = {**parse_paper_table(T5, [n for n, _, _ in SINGLE]),
         **parse_paper_table(T67, [n for n, _, _ in PAIRS])}
print({k: len(v) for k, v in PAPER.items()})

# %% [markdown]
# ## The architecture (Figure 1) and the agents' interfaces (Table 1)
#
# The paper's Figure 1 is a diagram of the three layers. We draw it from the code. Each
# box lists the role's observation and action dimensions, read from the Gymnasium spaces
# of `mmkit.marl.env`. The arrows show who is trained against whom.

# %% mystnb={"figure": {"caption": "Rebuilds Fig. 1 of {cite}`marl2025`: the three-layer architecture, drawn from the environment's spaces (observation and action dimensions per role) and the training order of `mmkit.marl.train`.", "name": "fig-marl-1"}}
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

ROLE_TEXT = {"adversary": "Adversary\nsets (λ, σ)", "A": "Agent A\nself-interested",
             "B1": "B1\nself-interested", "B2": "B2\nzero-sum vs A", "Bstar": "B⋆\nω-weighted"}
POS = {"adversary": (0.5, 0.86), "A": (0.5, 0.52), "B1": (0.17, 0.14), "B2": (0.5, 0.14),
       "Bstar": (0.83, 0.14)}
fig, ax = subplots(width=7.0, height=4.6)
ax.set_xlim(0, 1); ax.set_ylim(0, 1); ax.axis("off")
rows = []
for role, (x, y) in POS.items():
    od, ad = observation_space(role, CFG).shape[0], action_space(role).shape[0]
    rows.append((role, od, ad))
    ax.add_patch(FancyBboxPatch((x - 0.13, y - 0.08), 0.26, 0.16, boxstyle="round,pad=0.01",
                                fc="#E8F1FA" if role != "adversary" else "#FBE9E0", ec="0.3"))
    ax.text(x, y + 0.02, ROLE_TEXT[role], ha="center", va="center", fontsize=9)
    ax.text(x, y - 0.055, f"obs dim {od}, action dim {ad}", ha="center", fontsize=7.5, color="0.3")
ax.text(0.86, 0.86, "benchmark quoting module\n(linear utility; the adversary's target)",
        ha="center", va="center", fontsize=7.5, style="italic")
for a, b, lab in [("adversary", "A", "stage 2: A trains in the\nadversary's market"),
                  ("A", "B1", ""), ("A", "B2", "stage 3: each B trains\nagainst frozen A"),
                  ("A", "Bstar", "")]:
    (x0, y0), (x1, y1) = POS[a], POS[b]
    ax.add_patch(FancyArrowPatch((x0, y0 - 0.09), (x1, y1 + 0.09), arrowstyle="-|>",
                                 mutation_scale=12, color="0.35"))
    if lab:
        ax.text((x0 + x1) / 2 + 0.03, (y0 + y1) / 2, lab, fontsize=7.5, va="center")
ax.set_title("Three-layer hierarchy (layers: top, mid, bottom)")
for r in rows:
    print(f"{r[0]:>9}: observation dim {r[1]}, action dim {r[2]}")
plt.show()

# %%
from mmkit.marl.train import STAGES

led.qualitative("Figure 1", "three layers: adversary, then A, then B1/B2/B-star against frozen A",
                paper="top: adversary (lambda, sigma); mid: A; bottom: B1, B2, B-star trained against a pre-trained A",
                ours=f"training stages {STAGES}; B roles load the frozen A, A loads the adversary",
                holds=STAGES == ("adversary", "A", "B1", "B2", "Bstar"))

# %% [markdown]
# Table 1 of the paper lists the observations and actions. Its cells did not survive text
# extraction, so the paper side comes from spec A.3. We record the dimensions as exact claims.

# %%
TABLE1_PAPER = {"adversary": [2, 2], "A": [4, 2], "B1": [4, 2], "B2": [4, 2], "Bstar": [4, 3]}
for role, od, ad in rows:
    led.exact("Table 1", f"{role}: (observation dim, action dim)", paper=TABLE1_PAPER[role],
              ours=[od, ad])
led.show("Table 1")

# %% [markdown]
# ## The market
#
# One step of $\Delta t = 0.005$ (200 steps per episode) runs as follows (spec A.2):
#
# 1. The market makers quote offsets $\delta^b, \delta^a \in [0, 5]$ around the
#    *pre-move* mid.
# 2. The mid moves, $P_{t+1} = P_t + \sigma\sqrt{\Delta t}\,Z_t$.
# 3. $N_t \sim \text{Poisson}(\lambda\Delta t)$ market orders arrive:
#    $\lfloor N_t/2\rfloor$ buys and $N_t - \lfloor N_t/2\rfloor$ sells.
# 4. Each side's orders are shared out by a multinomial with weights
#    $e^{-1.5 d}\,\mathbf 1\{0\le d\le 3.07\}$. Here $d$ is the quote's distance from the
#    *post-move* mid. Each agent gets at most 3 fills per side.
#
# Two things follow at once:
#
# - **The weight is a relative priority, not a fill probability.** A lone agent whose
#   quote lands in range gets every order, up to the cap.
# - **The sells outnumber the buys.** Whenever $N_t$ is odd there is one more sell than
#   buy. Market makers therefore accumulate inventory at
#   $P(N \text{ odd}) = (1-e^{-4})/2 = 0.4908$ units per step.
#
# The left panel below shows the weight. The right panel shows the market share of agent X
# against agent Y when both quote symmetric offsets. The closed form
# $1/(1+e^{1.5(\delta_X-\delta_Y)})$ holds while both quotes stay in range (spec A.8).

# %% mystnb={"figure": {"caption": "Not in the paper (spec A.8): the fill-priority weight exp(-1.5 d) with its cut-off at d_max = 3.07 (left), and the two-agent market share against the offset difference, simulated (dots, 100 episodes) vs the closed form 1/(1 + exp(1.5 \u0394)) (line).", "name": "fig-marl-fill"}}
d = np.linspace(-0.5, 4, 451)
w = fill_weight(d)
dd = np.array([-1.0, -0.6, -0.3, 0.0, 0.3, 0.6, 1.0])
share = []
for delta in dd:
    tr = simulate([ConstantQuoter(2.0 + delta / 2, 2.0 + delta / 2),
                   ConstantQuoter(2.0 - delta / 2, 2.0 - delta / 2)], SEEDS)
    share.append(summarise(episode_metrics(tr))["Market_share"].mean[0])
share = np.array(share)
closed = 1 / (1 + np.exp(1.5 * dd))
fig, (a1, a2) = subplots(1, 2)
a1.plot(d, w); a1.axvline(CFG.d_max, ls=":", c="0.5")
a1.set_xlabel("distance d of the quote from the post-move mid (price units)")
a1.set_ylabel("priority weight w(d)")
a2.plot(dd, closed, label="closed form"); a2.plot(dd, share, "o", label="simulated")
a2.set_xlabel("offset difference δ_X − δ_Y (price units)"); a2.set_ylabel("X's market share")
a2.legend()
print(f"d_max = {CFG.d_max:.4f}")
print_curve("w(d)", d, w, points=6, digits=4, xdigits=2)
print_table(["closed form", "simulated"], [f"{x:+.1f}" for x in dd], np.vstack([closed, share]),
            digits=3, title="X's market share vs δ_X − δ_Y")
plt.show()

# %% [markdown]
# The next figure shows what a lone agent with in-range quotes experiences (A_Fix-like
# offsets). The price is a driftless random walk with small steps, $\sigma\sqrt{\Delta t}=0.078$.
# The inventory climbs along the odd-batch ramp, about 98 units per episode. The
# cumulative PnL grows almost linearly, because the agent earns its offset on every fill.
#
# This linear growth explains the paper's Sharpe ratios. The paper's "Sharpe ratio" is
# $\text{mean}_t \text{PnL}_t / \text{std}_t \text{PnL}_t$ of the *cumulative* PnL path.
# For a straight line from 0 that ratio is $\sqrt 3 = 1.732$. That is why every Sharpe ratio
# in Tables 5-7 sits between 1.64 and 1.86. The metric measures how straight the PnL path
# is, not a risk-adjusted return.

# %% mystnb={"figure": {"caption": "Not in the paper (spec A.8): mid-price paths, the inventory ramp caused by odd order batches, and cumulative mark-to-market PnL paths of a lone agent quoting (2.588, 2.371) in the fixed market (seeds 0-4; dashed: the mean over 100 seeds).", "name": "fig-marl-paths"}}
lone = simulate([ConstantQuoter(2.588, 2.371)], SEEDS)
t = np.arange(1, CFG.n_steps + 1) * CFG.dt
fig, axs = subplots(1, 3, width=12)
for s in range(5):
    axs[0].plot(t, lone.price[s], lw=1)
    axs[1].plot(t, lone.q[s, :, 0], lw=1)
    axs[2].plot(t, lone.pnl[s, :, 0], lw=1)
axs[1].plot(t, lone.q[:, :, 0].mean(0), "k--", lw=1.5)
axs[1].plot(t, 0.4908 * np.arange(1, 201), ":", c="0.4", lw=1.2)
axs[2].plot(t, lone.pnl[:, :, 0].mean(0), "k--", lw=1.5)
for a, lab in zip(axs, ["mid-price P_t (price units)", "inventory q_t (units)",
                        "cumulative PnL_t (cash units)"]):
    a.set_xlabel("time t (episode fraction)"); a.set_ylabel(lab)
ramp = np.arange(1, 201, dtype=float)
print(f"mean final inventory {lone.q[:, -1, 0].mean():.2f} (odd-batch ramp 200 x 0.4908 = {200 * 0.4908:.2f})")
print(f"Sharpe of a straight line 1..200: {ramp.mean() / ramp.std():.4f} (sqrt 3 = {math.sqrt(3):.4f})")
print_curve("mean q_t", t, lone.q[:, :, 0].mean(0), points=5, digits=2, xdigits=3)
print_curve("mean PnL_t", t, lone.pnl[:, :, 0].mean(0), points=5, digits=2, xdigits=3)
plt.show()

# %% [markdown]
# ## Tier (i): the policy-independent numbers
#
# Price volatility (the std of the price *level* within an episode) and the count of
# zero-arrival steps depend only on the seeds. The authors draw the price and the arrivals
# from two generators `default_rng(seed)`, episodes seeded 0..99, and report the mean ±
# the sample std over episodes.
#
# A lone agent whose quotes stay within [0, 3.07] of the post-move mid gets every order up
# to the cap. Its inventory path, and hence its inventory volatility and market share, are
# then fixed by the seed as well.
#
# The adversarial columns are fingerprinted by a constant $\lambda=500$ and $\sigma=1.453$
# (spec A.7). The zero-fill count pins $\lambda$ at the upper bound, and $\sigma$ reproduces
# the price volatility. The criterion is the paper's printed precision,
# $|\text{ours}-\text{paper}|\le 0.0005$, applied to the mean and to the ± separately.
#
# Tier (i) holds the cells that need no assumption about the policy beyond "in range":
# price volatility and zero-fill steps in all ten columns, and A's inventory volatility
# and market share. B1's four cells of these two kinds follow in the next section.

# %%
ADV_SURROGATE = ConstantMarket(500.0, 1.453)
IN_RANGE = ConstantQuoter(2.5, 2.3)
tier1 = {name: run_setting([IN_RANGE], 100, ADV_SURROGATE if mkt == "adversarial" else None)[1]
         for name, _, mkt in SINGLE}
pair_s = run_setting([IN_RANGE, ConstantQuoter(2.1, 2.0)], 100)[1]
tier1.update({name: pair_s for name, _, _ in PAIRS})
cells = [(n, m) for n in tier1 for m in ("Price_volatility", "Zero_fill_steps")]
cells += [(n, m) for n in ("A_Fix", "A_Adversarial")
          for m in ("Inventory_volatility", "Market_share")]
record_printed(led, "tier i", PAPER, tier1, cells,
               reason="a policy-independent number that does not reproduce")
t1 = led.table()
t1 = t1[t1.quantity.str.startswith("tier i:")]
print(t1.verdict.value_counts().to_string())
led.show()

# %% [markdown]
# All 24 policy-independent numbers reproduce to the printed 3 decimals, means and ±
# alike.
#
# ### B1's single-agent cells: one bit of B1's policy
#
# B1's inventory volatility and market share (Table 5) are *not* policy-independent,
# although the paper prints them next to A's:
#
# - **Market share.** B1 prints 0.995 and 0.990, 0.002 below A's 0.997 and 0.992.
# - **Adversarial inventory volatility.** B1 prints 28.143 where A prints 28.142, while in
#   the fixed market both print 28.335.
#
# A fill lost at step $\tau$ shifts the rest of the inventory ramp by one unit. That moves
# an episode's inventory volatility by a few tenths for a mid-episode $\tau$, but by
# nothing at $\tau = 1$, where it shifts the whole path (printed below). So B1 must lose
# its fills at the very start. A share gap of 0.002 is 0.8
# orders in 400, which is the expected number of *buy* orders in one step,
# $E\lfloor N/2\rfloor = 1 - (1-e^{-4})/4 = 0.755$ (sells would cost 1.245). So we test
# one-bit hypotheses. In each, B1 quotes constant in-range offsets, except that one side
# sits at the top of the action box, $\delta = 5$ (out of the fill range), at the start:
#
# 1. **never**: always in range (the tier (i) assumption);
# 2. **ask at t = 0**: the ask is out of range at the first step only;
# 3. **ask while flat**: the ask is out of range until B1's first trade ($q = X = 0$), so
#    B1 does not sell short from a flat book;
# 4. **bid while flat**: the same on the bid side.

# %%
B1_HYP = {"never": IN_RANGE,
          "ask at t = 0": FlatQuoter(2.37, 1.82, side="ask", first_step_only=True),
          "ask while flat": FlatQuoter(2.37, 1.82, side="ask"),
          "bid while flat": FlatQuoter(2.37, 1.82, side="bid")}
B1_CELLS = [(n, m) for n in ("B1_Fix", "B1_Adversarial")
            for m in ("Inventory_volatility", "Market_share")]
hyp = {h: {name: run_setting([q], 100, ADV_SURROGATE if mkt == "adversarial" else None)[1]
           for name, role, mkt in SINGLE if role == "B1"} for h, q in B1_HYP.items()}
q_in = simulate([IN_RANGE], SEEDS).q[:, :, 0]
eff = np.array([np.abs((q_in - (np.arange(CFG.n_steps) >= tau)).std(1) - q_in.std(1)).mean()
                for tau in range(CFG.n_steps)])
print(f"mean |change| of an episode's inventory volatility from one fill lost at step tau: "
      f"{eff.mean():.3f} averaged over tau, {eff[CFG.n_steps // 2]:.3f} mid-episode, "
      f"{eff[0]:.3f} at tau = 1")
cols = [f"{m[:9]} {n}" for n, m in B1_CELLS]
fmt = lambda s, n, m: f"{value(s[n], m):.3f} ± {value(s[n], m, what='std'):.3f}"
hyp_table = pd.DataFrame({**{"paper (B1)": [fmt(PAPER, n, m) for n, m in B1_CELLS]},
                          **{h: [fmt(s, n, m) for n, m in B1_CELLS] for h, s in hyp.items()}},
                         index=cols)
hits = {h: sum(hyp_table[h][c] == hyp_table["paper (B1)"][c] for c in cols) for h in hyp}
print(hyp_table.to_string())
print("cells matching the paper to the printed 3 decimals:", hits)
record_printed(led, "B1 fingerprint", PAPER, hyp["ask while flat"], B1_CELLS,
               reason="the ask-while-flat hypothesis misses this cell")
led.show("Table 5")

# %% [markdown]
# Only "ask while flat" reproduces all eight printed numbers. "Ask at t = 0" shifts the
# whole inventory path by a constant, so it leaves the inventory volatility unchanged and
# misses the adversarial 28.143. The bid side would cost 0.003 of market share, not 0.002.
#
# So the paper's B1 did not sell until it had bought. A plausible mechanism is the
# authors' evaluation code, which feeds the policies *raw* observations rather than the
# normalised ones they were trained on (spec A.5). The inventory and the cash are then
# large inputs that grow through the episode (the cash reaches thousands within a few
# steps), and $q = X = 0$ is the one state in which both are zero, so B1's output there
# need not resemble its output anywhere else. These four cells are therefore a one-bit fingerprint of B1's policy, not
# policy-independent numbers. They reproduce exactly under that hypothesis, and the
# ledger records them under "B1 fingerprint", outside tier (i).

# %% [markdown]
# ## Tier (ii): constant-offset surrogates
#
# Spec A.7 shows that the rest of Tables 5-7 follows almost entirely from the agents'
# *mean* offsets, so we calibrate constant quoters as follows:
#
# - **Single agent.** The bid/ask split that gives the paper's aggressiveness is fitted to
#   the paper's Mean PnL.
# - **Pair X-Y.** Y's offsets average to Y's aggressiveness. X's offsets differ from Y's
#   by the paper's quote distances, with the wider agent wider on both sides; in B1-B⋆,
#   B⋆'s ask is the wider one. The single free parameter, Y's bid offset, is fitted to Y's
#   Mean PnL.
#
# The fitted numbers are therefore inputs, not results. Everything else is a prediction:
# X's PnL, the market shares, inventory volatilities, joint drawdowns, overlaps and so on.
# We judge a prediction "reproduced" when it is within two standard errors of a
# difference of two 100-episode means, $2\sqrt{2}\,s/\sqrt{100}$, where $s$ is the
# paper's ± for that cell.

# %%
sur_agents, sur = {}, {}
for name, role, mkt in SINGLE:
    market = ADV_SURROGATE if mkt == "adversarial" else None
    q = calibrate_single(value(PAPER[name], "Quote_aggressiveness"),
                         value(PAPER[name], "PnL_mean"), market)
    sur_agents[name] = [q]
    sur[name] = run_setting([q], 100, market)[1]
for name, x, y in PAIRS:
    p = PAPER[name]
    ax_, ay_ = (value(p, "Quote_aggressiveness", k) for k in (0, 1))
    X, Y = calibrate_pair(ay_, value(p, "Quote_distance_bid"), value(p, "Quote_distance_ask"),
                          value(p, "PnL_mean", 1), x_wider_bid=ax_ >= ay_,
                          x_wider_ask=(ax_ >= ay_) and name != "B1 vs Bstar")
    sur_agents[name] = [X, Y]
    sur[name] = run_setting([X, Y], 100)[1]
print_table(list(sur_agents), ["δb X", "δa X", "δb Y", "δa Y"],
            [[a.bid, a.ask] + ([b.bid, b.ask] if len(v) > 1 else [np.nan, np.nan])
             for v in sur_agents.values() for a, b in [(v[0], v[-1])]],
            digits=3, title="calibrated surrogate offsets (price units)")

# %%
print_tables(PAPER, sur, "surrogate")

# %% [markdown]
# The surrogate claims are recorded below. Cells that were fitted are not claims: a lone
# agent's Mean PnL, and Y's Mean PnL and aggressiveness in a pair. The tier-(i) cells are
# not repeated here either.

# %%
SINGLE_NAMES = [n for n, _, _ in SINGLE]
PAIR_NAMES = [n for n, _, _ in PAIRS]
SUR_PAIR = ["PnL_mean X", "Market_share", "Inventory_volatility", "Sharpe_ratio",
            "Quote_aggressiveness X", "Avg_spread", "Fill_ratio", "Joint_drawdown_ratio",
            "Herding_ratio", "Inventory_divergence", "Fill_overlap_ratio"]
record_cells(led, "ii", PAPER, sur, SINGLE_NAMES, ["Sharpe_ratio"], surrogate_reason)
for name in SINGLE_NAMES:
    ps, os_ = value(PAPER[name], "PnL_mean", what="std"), value(sur[name], "PnL_mean", what="std")
    led.compare("Table 5", f"tier ii: PnL_mean ± ({name})", paper=ps, ours=os_, rtol=0.05,
                reason="" if abs(os_ - ps) <= 0.05 * ps else "surrogate's episode-to-episode spread")
record_cells(led, "ii", PAPER, sur, PAIR_NAMES, SUR_PAIR, surrogate_reason)
t2 = led.table()
t2 = t2[t2.quantity.str.startswith("tier ii:")]
print(t2.verdict.value_counts().to_string())
with pd.option_context("display.max_rows", 200):
    print(t2[["quantity", "paper", "ours", "verdict"]].to_string(index=False))

# %% [markdown]
# Constant offsets reproduce most of the tables' structure: who wins the order flow and by
# how much, the inventory asymmetries, the joint-drawdown and overlap ratios. This confirms
# spec A.7's conclusion: **Tables 5-7 are, to first order, a readout of the agents' mean
# offsets through the priority weight $e^{-1.5\,d}$**.
#
# What constant quotes cannot produce is B1-B1's herding ratio of 0.467. Two B1 copies
# match quotes within 0.01 on both sides 47% of the time. That needs time-varying quotes
# that are nearly deterministic: with Gaussian exploration noise it needs an action std
# of about 0.003 or less (the herding diagnostic in tier iii).

# %% [markdown]
# ## Tier (iii): our PPO agents
#
# The three stages were trained by `python -m mmkit marl-train --config default` (the
# exact commands and step counts are in `artifacts/marl/README.md`). Stage 1 is the
# adversary against the benchmark module. Stage 2 is A in the adversary's market. Stage 3
# is B1, B2 and B⋆, each against a frozen, stochastically acting A in the fixed market.
#
# The PPO settings are the authors' (spec A.5) with four changes, which we argue for here:
#
# - **Learning rate $3\cdot10^{-4}$** (the SB3 default) instead of $10^{-4}$.
# - **No entropy bonus** (0 instead of 0.02).
# - **Initial action std $e^{-1}$** instead of 1.
# - **8 environments × 200 steps per rollout** instead of 4 × 400 (the same 1,600 samples
#   per update).
#
# Why: the paper's agents are nearly deterministic. A's aggressiveness varies by only
# ±0.002 across episodes, which bounds its action std at about 0.016 (derivation in the
# herding diagnostic below). Starting from std 1 with
# an entropy bonus, PPO at $10^{-4}$ needs millions of steps to get there. In a 200k-step
# trial (an exploratory run, not committed) the std only fell from 1 to 0.77.
#
# Our two B⋆ choices are:
#
# - **The $\omega$ head.** A sigmoid on the Gaussian mean of the third action, with a
#   zero-initialised bias so that $\omega_0 = 1/2$, clamped to [0, 1].
# - **The penalty weight $\beta = 10$.** The argument is in the sensitivity section below.
#
# The notebook loads the committed models with their VecNormalize statistics and
# evaluates them live. Each setting runs 100 episodes (seeds 0..99) with **stochastic**
# actions, as the authors' evaluation code does (`deterministic=False`, spec A.6). The
# policies' noise is drawn from numpy generators seeded per episode, so the evaluation is
# deterministic.

# %%
from mmkit.marl.policies import load_agent

ppo = {r: load_agent(ART, r) for r in ("adversary", "A", "B1", "B2", "Bstar")}
meta = {r: json.loads((ART / f"{r}.json").read_text()) for r in ppo}
print_table(list(meta), ["timesteps", "beta"],
            [[meta[r]["timesteps"], meta[r]["beta"]] for r in meta], digits=0,
            title="trained models (steps, B-star penalty weight)")
ours, traj = {}, {}
for name, role, mkt in SINGLE:
    traj[name], ours[name] = run_setting([ppo[role]], 100,
                                         ppo["adversary"] if mkt == "adversarial" else None)
for name, x, y in PAIRS:
    traj[name], ours[name] = run_setting([ppo[x], ppo[y]], 100)
print_tables(PAPER, ours, "PPO")

# %% [markdown]
# ### Learning curves
#
# The default run's step counts are in the table above. The figure shows, per rollout of
# 1,600 steps, the mean raw episode return, the mean actions in natural units (quote
# offsets of the market makers; the adversary's $\lambda$ is in the table below), and the
# policy's action std. The table below compares the last 20% of each run with the 20%
# before it.

# %% mystnb={"figure": {"caption": "Not in the paper: learning curves of the five PPO agents from the committed training logs `artifacts/marl/<role>_curve.csv`: mean raw episode return per rollout (left, 10-rollout mean), the market makers' mean bid (solid) and ask (dashed) offsets (middle), and the policy's action std (right).", "name": "fig-marl-curves"}}
curves = {r: pd.read_csv(ART / f"{r}_curve.csv") for r in ppo}
fig, (a1, a2, a3) = subplots(1, 3, width=13)
for r, c in curves.items():
    sm = c.episode_return.rolling(10, min_periods=1).mean()
    a1.plot(c.timesteps, sm, label=r)
    a3.plot(c.timesteps, c.action_std, label=r)
    if r != "adversary":
        bid, ask = natural_actions(r, c.a1.to_numpy(), c.a2.to_numpy())
        line, = a2.plot(c.timesteps, pd.Series(bid).rolling(10, min_periods=1).mean(), label=r)
        a2.plot(c.timesteps, pd.Series(ask).rolling(10, min_periods=1).mean(), "--",
                c=line.get_color())
a1.set_xlabel("environment steps"); a1.set_ylabel("episode return (reward units, 10-rollout mean)")
a2.set_xlabel("environment steps"); a2.set_ylabel("mean offset (price units; bid solid, ask dashed)")
a3.set_xlabel("environment steps"); a3.set_ylabel("policy action std (raw action units)")
a3.set_yscale("log"); a1.legend(); a2.legend(); a3.legend()
for r, c in curves.items():
    sm = c.episode_return.rolling(10, min_periods=1).mean()
    print_curve(f"{r} return", c.timesteps, sm, points=5, digits=1, xdigits=0)
    print_curve(f"{r} std", c.timesteps, c.action_std, points=3, digits=3, xdigits=0)
conv = convergence_table(curves)
print("action1/action2: bid/ask offsets (lambda/sigma for the adversary), last 20% of the run")
print(conv.round(3).to_string())
plt.show()

# %% [markdown]
# How converged is the default run? The table answers three questions.
#
# - **Returns.** They have flattened. The market makers' mean return rises by only a few
#   percent between the last two 20% windows (`return_prev` to `return_last`). The rise is
#   still several standard errors (`return_se`), so it is not zero yet: it comes from the
#   shrinking action noise, which keeps paying a little.
# - **Mean actions.** The mean quote offsets move by at most about a tenth of a price unit
#   between the windows (`d_action`). These offsets drive the tables (tier ii). The
#   adversary's $\lambda$ sits just above its lower bound of 300. Its $\sigma$ still
#   wanders, because the adversary's objective barely depends on $\sigma$ (next section).
# - **Action std.** It has not converged, and it cannot: with no entropy bonus the
#   optimum is deterministic, and PPO shrinks a state-independent log-std geometrically
#   (`std_ratio`: the std still falls by about a fifth over the last 20% of each run). A's
#   std is already below the paper's bound of about 0.016.
#
# Doubling the steps would therefore mostly shrink the noise further, not move the mean
# offsets. The previous default (adversary 200k steps, A 1.5M, each B 1M) stopped while
# the adversary's $\lambda$ and A's offsets were still moving.

# %% [markdown]
# ### What the adversary learned
#
# The adversary's reward is minus the benchmark module's reward. The benchmark earns
# roughly its half-spread on every fill, so its profit rises with the order intensity and
# hardly depends on $\sigma$. The adversary should therefore push $\lambda$ *down* to 300.
# Ours does exactly that.
#
# The paper's adversarial columns, however, fingerprint $\lambda$ at the **upper** bound:
# zero-fill steps are 16.870, which is exactly $\lambda=500$. So the paper's adversary did
# not act as a minimiser of the benchmark's PnL. Whatever the reason, the "adversarial"
# market of Table 5 is a *busier* market (more orders), which is why both agents earn more
# in it. That matches the paper's own reading: "more abundant trading opportunities".

# %% mystnb={"figure": {"caption": "Not in the paper: the adversary's objective. Left: the benchmark module's mean final PnL in a constant market, against \u03bb for three \u03c3 (100 episodes each); the adversary minimises it. Right: the (\u03bb, \u03c3) actions of our trained adversary over the 100 A_Adversarial evaluation episodes.", "name": "fig-marl-adversary"}}
lams = np.array([300.0, 350.0, 400.0, 450.0, 500.0])
sigs = [0.2, 1.1, 2.0]
bench = np.array([[simulate([BenchmarkQuoter()], SEEDS, market=ConstantMarket(l, s)).pnl[:, -1, 0].mean()
                   for l in lams] for s in sigs])
tra = traj["A_Adversarial"]
fig, (a1, a2) = subplots(1, 2, width=10)
for s, row in zip(sigs, bench):
    a1.plot(lams, row, "o-", label=f"σ = {s}")
a1.set_xlabel("order intensity λ (orders per unit time)")
a1.set_ylabel("benchmark final PnL (cash units)"); a1.legend()
a2.hist2d(tra.lam.ravel(), tra.sigma.ravel(), bins=30, cmap="Blues")
a2.set_xlabel("adversary's λ (orders per unit time)"); a2.set_ylabel("adversary's σ (price units)")
print_table([f"sigma={s}" for s in sigs], [f"lam={l:.0f}" for l in lams], bench, digits=1,
            title="benchmark mean final PnL")
print(f"trained adversary: mean lambda {tra.lam.mean():.1f}, mean sigma {tra.sigma.mean():.3f}")
plt.show()

# %% [markdown]
# ### B⋆'s $\omega$ and the penalty weight
#
# With reward $\omega R^{\text{self}} - (1-\omega) R^{\text{opp}} - \beta(\omega-\tfrac12)^2$,
# the per-step optimum is the following, clipped to [0, 1]:
#
# $$\omega^\star = \tfrac12 + \frac{E[R^{\text{self}} + R^{\text{opp}}]}{2\beta}$$
#
# Here $\omega$ does not move the state, so it is a one-step problem.
#
# The paper's $\omega \approx 0.697$ is consistent with this formula. Its per-step PnL
# rates in Table 7 are about 2.85 (B⋆) and 1.72 (A), which give $\beta \approx 11.6$. We
# take $\beta = 10$, a round number of the same size (spec A.4).
#
# The penalty weight is not public, so we show the sensitivity with short, clearly
# labelled runs: `python -m mmkit marl-beta-sweep`. These are **B⋆-only retrainings of
# 100k steps** against the same frozen A, far shorter than the default run. In the right
# panel, the line is $\omega^\star(\beta)$ evaluated at the per-step rates of our default
# A-B⋆ evaluation.

# %% mystnb={"figure": {"caption": "Rebuilds Table 7's Mean_omega as a distribution (not in the paper): per-step \u03c9 of our B\u22c6 in the A-B\u22c6 and B1-B\u22c6 evaluations (left); sensitivity of the learned mean \u03c9 to the penalty weight \u03b2 from short B\u22c6-only runs, with the one-step optimum \u00bd + E[R_self + R_opp]/(2\u03b2) (right).", "name": "fig-marl-omega"}}
om_a = traj["A vs Bstar"].omega[:, :, 1].ravel()
om_b = traj["B1 vs Bstar"].omega[:, :, 1].ravel()
sweep = json.loads((ART / "beta_sweep" / "beta_sweep.json").read_text())
sw = pd.DataFrame(sweep["summary"])
rate = (ours["A vs Bstar"]["PnL_mean"].mean.sum()) * 2 / CFG.n_steps
bgrid = np.geomspace(sw.beta.min(), sw.beta.max(), 50)
fig, (a1, a2) = subplots(1, 2, width=10)
a1.hist([om_a, om_b], bins=np.linspace(0, 1, 41), label=["A vs B⋆", "B1 vs B⋆"], density=True)
a1.set_xlabel("ω per step (weight on own reward)"); a1.set_ylabel("density (per unit ω)"); a1.legend()
a2.plot(sw.beta, sw.omega, "o", label="learned (short runs)")
a2.plot(bgrid, np.clip(0.5 + rate / (2 * bgrid), 0, 1), label="one-step optimum")
a2.set_xscale("log"); a2.set_xlabel("penalty weight β (reward units)")
a2.set_ylabel("mean ω"); a2.legend()
print(f"A vs B*: mean omega {om_a.mean():.3f}, sd {om_a.std():.3f}; B1 vs B*: {om_b.mean():.3f}, sd {om_b.std():.3f}")
print(f"per-step PnL rate of A + B* (default run): {rate:.3f}")
print(sw.round(3).to_string(index=False))
plt.show()

# %% [markdown]
# ### Tier (iii) claims
#
# The numerical claims use the same two-standard-error criterion as tier (ii). Our agents
# were trained on a different budget and with different exploration settings from the
# paper's, so we expect many numbers to differ. The qualitative claims carry the paper's
# findings: `record_findings` evaluates each finding on the paper's tables (the `paper`
# text) and on ours (the `ours` text and the verdict).

# %%
record_cells(led, "iii", PAPER, ours, SINGLE_NAMES,
             ["PnL_mean", "Quote_aggressiveness", "Sharpe_ratio"], ppo_reason)
record_cells(led, "iii", PAPER, ours, PAIR_NAMES,
             SUR_PAIR + ["PnL_mean Y", "Quote_aggressiveness Y", "Quote_distance_bid",
                         "Quote_distance_ask"], ppo_reason)
record_cells(led, "iii", PAPER, ours, ["A vs Bstar", "B1 vs Bstar"], ["Mean_omega"], ppo_reason)
holds = record_findings(led, PAPER, ours)
t3 = led.table()
t3 = t3[t3.quantity.str.startswith("tier iii:")]
print(t3.verdict.value_counts().to_string())
with pd.option_context("display.max_rows", 300):
    print(t3[["quantity", "paper", "ours", "verdict"]].to_string(index=False))
print("\nthe paper's findings: do they hold on the paper's tables and on ours?")
print(holds.to_string())

# %% [markdown]
# ### A diagnostic: where B1-B1's herding comes from
#
# Herding counts the steps at which both quotes of two agents are within 0.01 of each
# other. Two copies of the same policy can only do that often if their quotes are nearly
# deterministic, so that they differ only through the agents' different inventories.
#
# Did the paper evaluate with deterministic (mean) actions? The evidence says no: the
# authors' evaluation code samples (`deterministic=False`, spec A.6), and so does our
# tier (iii). But their code also feeds the policies raw, un-normalised observations
# (spec A.5), and their agents' action noise was small: A's aggressiveness varies by only
# ±0.002 across episodes, which bounds its per-step action std at about
# $0.002\sqrt{200}\cdot\sqrt2/2.5 \approx 0.016$ (B1's ±0.004 gives 0.032). We therefore
# evaluate our B1-B1 pair four ways: sampled or mean actions, normalised or raw
# observations.

# %%
B1_VARIANTS = {(det, norm): load_agent(ART, "B1", deterministic=det, normalize=norm)
               for det in (False, True) for norm in (True, False)}
rows_det = ["Herding_ratio", "Quote_distance_bid", "Quote_distance_ask", "Inventory_divergence",
            "PnL_mean"]
diag = {"paper": PAPER["B1 vs B1"]}
for (det, norm), b1 in B1_VARIANTS.items():
    label = f"{'mean' if det else 'sampled'}, {'normalised' if norm else 'raw'} obs"
    diag[label] = run_setting([b1, b1], 100)[1]
print(pd.DataFrame({k: [s[m].fmt(3) for m in rows_det] for k, s in diag.items()},
                   index=rows_det).to_string())
from scipy.special import erfinv

h = value(PAPER["B1 vs B1"], "Herding_ratio")
bound = 0.01 / (2 * erfinv(math.sqrt(h))) / (CFG.max_offset / 2)
print(f"our B1's final action std: {curves['B1'].action_std.iloc[-1]:.3f}; largest action std "
      f"at which two copies with equal mean quotes herd {h:.3f} of the time: {bound:.4f}")

# %% [markdown]
# Sampled quotes never herd, with normalised or raw observations. Mean quotes do. With the
# raw observations of the authors' code, our B1-B1 pair herds about as often as the
# paper's, and its bid distance falls to a few hundredths. In every variant the two PnLs
# stay near the paper's level.
#
# How small must sampling noise be for herding at the paper's level? Take two copies
# with equal mean quotes and independent Gaussian noise of action std $s$. A side matches
# within 0.01 with probability $\operatorname{erf}(0.01/(2\cdot 2.5\,s))$, and both sides must
# match. Reaching the paper's 0.467 then needs $s$ of about 0.003 (printed above), an
# order of magnitude below our B1's std. Different mean quotes, from different
# inventories, would need even less noise.
#
# So we keep the authors' protocol (sampled actions) for tier (iii) and read the paper's
# B1-B1 herding as follows: its B1 was effectively deterministic at evaluation. That is
# not evidence of coordination. The two copies share a policy and see similar states.

# %%
def both(name, m, k=0):
    return value(PAPER[name], m, k), value(ours[name], m, k)


ratio = lambda n1, n2: tuple(a / b for a, b in zip(both(n1, "PnL_mean"), both(n2, "PnL_mean")))
key = {
    "A alone, fixed: quote aggressiveness": both("A_Fix", "Quote_aggressiveness"),
    "A alone, fixed: market share": both("A_Fix", "Market_share"),
    "A alone: PnL adversarial / fixed": ratio("A_Adversarial", "A_Fix"),
    "adversary: mean lambda (paper: zero-fill fingerprint)": (ADV_SURROGATE.lam,
                                                              float(tra.lam.mean())),
    "adversary: mean sigma (paper: price-volatility fingerprint)": (ADV_SURROGATE.sigma,
                                                                    float(tra.sigma.mean())),
    "A vs B2: B2's quote aggressiveness": both("A vs B2", "Quote_aggressiveness", 1),
    "A vs B2: B2's market share": both("A vs B2", "Market_share", 1),
    "B1 vs B2: B2's market share": both("B1 vs B2", "Market_share", 1),
    "A vs B2: A's PnL": both("A vs B2", "PnL_mean"),
    "B1 vs B2: B1's PnL": both("B1 vs B2", "PnL_mean"),
    "A vs B-star: omega": both("A vs Bstar", "Mean_omega", 1),
    "B1 vs B-star: omega": both("B1 vs Bstar", "Mean_omega", 1),
    "A vs B-star: B-star's market share": both("A vs Bstar", "Market_share", 1),
    "B1 vs B-star: B-star's market share": both("B1 vs Bstar", "Market_share", 1),
    "A vs B-star: A's PnL": both("A vs Bstar", "PnL_mean"),
    "B1 vs B1: herding, sampled actions": both("B1 vs B1", "Herding_ratio"),
    "B1 vs B1: herding, mean actions": (value(PAPER["B1 vs B1"], "Herding_ratio"),
                                        value(diag["mean, normalised obs"], "Herding_ratio")),
}
print(pd.DataFrame(key, index=["paper", "ours"]).T.round(3).to_string())

# %% [markdown]
# ### What our trained agents say about the paper's findings
#
# The numbers differ, often by far more than sampling error, yet the qualitative story
# mostly survives. The table above collects the numbers this section uses.
#
# - **A quotes wider than the paper's A.** A lone market maker whose quote is in range
#   gets *every* order whatever its offset. Its best reply is therefore to quote as wide
#   as it can while its quotes stay within the 3.07 cut-off after the price move. As PPO's
#   exploration noise shrinks, the mean offsets walk out towards that bound. Our A learned
#   in the adversary's quiet market, where $\sigma$ is low and the price moves little, so
#   it quotes close to the cut-off. In the fixed market ($\sigma = 1.1$) larger moves then
#   push its quotes out of range, and A alone keeps a visibly smaller market share than the
#   paper's. The paper's 2.48 is what a noisier, less converged policy would choose.
# - **"Adversarial" is quieter for us, busier in the paper.** Our adversary lowers
#   $\lambda$ to its lower bound, as its objective demands, so A earns *less* in the
#   adversarial market than in the fixed one. The paper reports +24%, because its
#   adversarial market ran at $\lambda = 500$ (tier i). The paper's robustness reading of
#   Table 5 is therefore a statement about order intensity, not about adversarial training.
# - **B2 dominates, even more than in the paper.** Our B2 ignores its own PnL and
#   converges to very tight offsets that still fill. It takes almost all of the flow from
#   A and from B1 and cuts their PnL to a small fraction of their solo PnL. The paper's B2
#   shows the same direction, much less extreme.
# - **B⋆ reproduces the paper's central contrast.** Its $\omega$ settles close to the
#   paper's 0.697 and 0.695. It wins the larger share against both opponents, and A keeps
#   far more PnL against B⋆ than against B2. The level of $\omega$ is not an emergent
#   behaviour, though. The sensitivity panel shows it is pinned by the penalty weight and
#   the per-step PnL rates, $\omega^\star = \tfrac12 + E[R^{\text{self}}+R^{\text{opp}}]/(2\beta)$.
#   With the paper's $\beta$ unknown, "$\omega \approx 0.7$" measures $\beta$ more than it
#   measures B⋆'s disposition. At small $\beta$ the optimum is the bound $\omega = 1$. A
#   Gaussian policy whose mean sits near that bound, clamped to [0, 1], averages below it,
#   hence the plateau of the short runs at $\beta = 1$ and 3.
# - **No herding, including B1-B1.** Two copies of our sampled B1 almost never match
#   quotes within 0.01 on both sides, against the paper's 46.7%; the diagnostic above
#   explains why. Elsewhere "no collusion" holds trivially, since the agents cannot see
#   each other's quotes and the price is exogenous.
# - **Combined PnL falls in every pair.** For our agents it is always below the better
#   solo agent's PnL. The paper says the same of its B⋆ pairs, but its own B1-B1 pair
#   earns slightly more than B1 alone (441.6 against 437.3), so on the paper's tables the
#   finding holds in five pairs of six. Competition moves flow to whoever quotes tighter,
#   and total revenue is the spread earned per fill, so it shrinks.

# %% [markdown]
# ## Tables 2-4: the metric definitions
#
# Tables 2-4 define the metrics. We implement them exactly as the authors' code does
# (spec A.6, `mmkit.marl.metrics`), and three checks tie our definitions to the printed
# numbers:
#
# - Tier (i) reproduces exactly, which pins the sample std (ddof = 1) and the
#   price-*level* volatility.
# - A pair's Avg_spread equals the sum of the two agents' aggressiveness, since it is the
#   mean of the two spreads.
# - Zero-fill steps equal the zero-arrival steps.

# %%
spread_gap = max(abs(value(PAPER[n], "Avg_spread") - value(PAPER[n], "Quote_aggressiveness")
                     - value(PAPER[n], "Quote_aggressiveness", 1)) for n in PAIR_NAMES)
our_gap = max(abs(value(ours[n], "Avg_spread") - value(ours[n], "Quote_aggressiveness")
                  - value(ours[n], "Quote_aggressiveness", 1)) for n in PAIR_NAMES)
zero_arr = float(np.mean([(np.random.default_rng(s).poisson(2.0, 200) == 0).sum() for s in SEEDS]))
zf = [round(value(tier1["A_Fix"], "Zero_fill_steps", what=w), 3) for w in ("mean", "std")]
led.exact("Table 2", "mean ± is over 100 episodes with the sample std (ddof = 1): zero-fill steps",
          paper=[27.0, 4.273], ours=zf)
led.compare("Table 3", "pair Avg_spread = aggr_X + aggr_Y (max gap over six pairs)",
            paper=spread_gap, ours=our_gap, atol=0.03)
led.exact("Table 3", "zero-fill steps = zero-arrival steps (mean over seeds 0..99)",
          paper=27.0, ours=round(zero_arr, 3))
led.qualitative("Table 4", "interaction metrics implemented as the authors' code",
                paper="joint drawdown, herding (0.01 threshold), inventory divergence, quote distances, fill overlap",
                ours="mmkit.marl.metrics.episode_metrics; unit-tested on hand-made trajectories",
                holds=True)
print(f"paper: max |Avg_spread - (aggr_X + aggr_Y)| = {spread_gap:.3f}; ours (PPO) = {our_gap:.2e}")
led.show("Table 3")

# %% [markdown]
# ## Performance
#
# `benchmarks/bench_marl_env.py` measures throughput on one core of the book's shared
# 2-core machine.
#
# - **Vectorised core.** With constant quotes it steps $3.3\cdot10^6$ env-steps per second
#   for one agent and $2.1\cdot10^6$ for a pair, at a batch of 4,096 episodes. This
#   includes drawing every episode's seeded random streams at reset.
# - **Gymnasium API.** The same market stepped one episode at a time through the
#   Gymnasium API runs at about $1.2\cdot10^4$ env-steps per second, about 280 times slower.
# - **PPO.** SB3 PPO with the default settings takes about 10 s of wall time per $10^5$
#   steps when no frozen co-player is present. With a frozen co-player acting inside the
#   environment it takes longer, depending on the load from other jobs.
#
# The wall times of the committed default run, stage by stage, are below (from
# `artifacts/marl/train_summary.json`).

# %%
runs = pd.DataFrame(json.loads((ART / "train_summary.json").read_text())["runs"]).set_index("role")
runs["s per 1e5 steps"] = 1e5 * runs.wall_seconds / runs.timesteps
runs.loc["all"] = [runs.timesteps.sum(), runs.wall_seconds.sum(),
                   1e5 * runs.wall_seconds.sum() / runs.timesteps.sum()]
print(runs.round(1).to_string())
print(f"default training: {runs.timesteps['all'] / 1e6:.1f} million steps in "
      f"{runs.wall_seconds['all'] / 60:.0f} minutes")

# %% [markdown]
# ## Summary

# %%
print(led.summary())
led.save();
