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
# # Market making with inventory: a symbolic POMDP
#
# {cite:t}`kinathil2016` recast the sequential market-making problem of
# {cite:t}`das2008` as a continuous-state POMDP {cite}`kaelbling1998`. The
# hidden state is the asset's value $v$, fixed but unknown to the market
# maker (MM); its inventory $i$ is known. Every model component is a *case
# statement*: a function defined by cases whose conditions are linear in
# $v$ and $i$ and whose values are constant or linear. The paper's
# contribution is the symbolic machinery: point-based value iteration (PBVI)
# {cite}`pineau2003`, carried out on case statements stored as extended
# algebraic decision diagrams (XADDs) {cite}`sanner2011`, yields
# $\alpha$-functions that are piecewise linear in $v$, in closed form. The
# paper claims:
#
# * an exact, closed-form solution with inventory, arbitrary priors and
#   arbitrary trader models;
# * sequentially optimal policies (its Fig. 2);
# * quotes that depend on inventory (Fig. 3);
# * $\alpha$-functions that depend on the trader model (Fig. 4);
# * tractable computation, "H = 30 or more" (Fig. 5).
#
# Only the paper's text survives in our copy: its case statements, most of
# its parameters and all its plotted data are lost. We therefore restate the
# model below, say which reading we chose wherever the text is silent, and
# check every figure's claims against our solution. Three modules do the
# work: `mmkit.symbolic.xadd` (a small exact XADD in rational arithmetic),
# `mmkit.symbolic.inventory_pomdp` (the POMDP, and an independent
# brute-force solver) and `mmkit.symbolic.pbvi` (symbolic PBVI and policy
# trees). The chapter's analyses live in `mmkit.symbolic.study`, and the
# optimality bounds in `mmkit.symbolic.bounds`.
#
# **Why our own XADD and not `xaddpy`.** The Sanner lab's `xaddpy` prunes
# inconsistent paths with Gurobi LPs. In this model every decision tests one
# variable ($v > c$ or $i \ge k$), so exact interval reasoning prunes every
# inconsistent path without a solver. Rational arithmetic keeps values
# exact, so the ties of Fig. 2 are true ties, not floating-point noise.
#
# **What is canonical.** With tests on one variable, the only kind this
# model creates, the diagrams are *canonical*: every test is normalised,
# tests come in a fixed order, and a test decided by the tests above it or
# redundant (both branches agree where it matters) is dropped, so two case
# statements are equal as functions exactly when they are the same node.
# Property tests check this on random case statements: $(f + g) - g$ is
# $f$, $f \cdot 1$ is $f$, $\max(f, f)$ is $f$, and whenever two
# constructions of one function agree at every point that decides equality
# ($\max(f, g) + \min(f, g)$ against $f + g$, sums in either order, a
# product distributed over an indicator) they are the same node. With a
# test on several variables, say $v > i$, the tests are still normalised
# and ordered, but what such a test implies for the tests below it is not
# derived while the diagram is built. `prune` then removes the paths that a
# linear program (SciPy's HiGHS, over the declared domain $i \ge 0$) shows
# infeasible; a test shows a diagram that becomes the canonical node only
# after `prune`, and we do not claim canonicity for such diagrams.

# %% tags=["remove-cell"]
import json
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from mmkit.book.ledger import Ledger
from mmkit.book.paths import artifacts_dir
from mmkit.book.plotting import PALETTE, print_curve, subplots
from mmkit.experiments.kinathil_vs_das import summary_rows
from mmkit.experiments.kinathil_vs_das_grid import (
    convergence_rows,
    grid_verdict,
)
from mmkit.experiments.kinathil_vs_das_inventory import inventory_rows
from mmkit.symbolic import study as S
from mmkit.symbolic.bounds import gap_table
from mmkit.symbolic.figures import draw_dbn, draw_tree
from mmkit.symbolic.inventory_pomdp import expectimax, reachable_beliefs
from mmkit.symbolic.pbvi import policy_tree, solve
from mmkit.symbolic.xadd import fmt_num

led = Ledger("kinathil2016")
ART = json.loads((artifacts_dir("symbolic") / "study.json").read_text())

# %% [markdown]
# ## The model as case statements
#
# The state is $s = \langle v, i\rangle$ and an action is a quote, a
# (bid, ask) pair with bid $<$ ask, for one unit on each side. Each period
# one trader arrives, and the MM observes $o \in \{$buy, sell, hold$\}$. A
# trader of *informed type* $t$ sees $v_t = v + \varepsilon_t$. The paper
# gives the case statements only in outline; our reading is
#
# $$
# \Omega(o \mid v, i, a, t) = \begin{cases}
# \text{buy} & v > \text{ask} + \varepsilon_t \text{ and } i \ge 1,\\
# \text{sell} & v < \text{bid} + \varepsilon_t,\\
# \text{hold} & \text{otherwise},
# \end{cases}
# \qquad
# R = \begin{cases}
# \text{ask} & \text{on a buy},\\
# -\text{bid} & \text{on a sell},\\
# 0 & \text{on a hold}.
# \end{cases}
# $$ (eq-kin-case)
#
# An informed buy blocked by an empty inventory is observed as a hold: the
# paper's reward of $-\infty$ for selling from an empty inventory becomes a
# hard constraint. An *uninformed* trader buys, sells or holds with
# probability 1/3 each, whatever the quotes; its buy at $i = 0$ is seen but
# trades nothing. The reward is pure cash flow, so inventory
# left at the end is worth nothing. The value never moves,
# $T(v' \mid v) = \delta(v' - v)$, and the inventory moves by the trade:
# $i' = i - 1$ after a buy, $i + 1$ after a sell. The Glosten-Milgrom
# (GM) population has one informed type with $\varepsilon = 0$ (50 %) and
# the uninformed (50 %).
#
# Averaging over types gives the likelihood $L_{a,o}(v, i)$ and expected
# reward $\bar R_a(v, i)$, both piecewise constant in $v$. A belief $b(v)$
# is piecewise uniform, and Bayes' rule keeps it so:
#
# $$
# b^{a,o}(v) = \frac{L_{a,o}(v, i)\, b(v)}{P(o \mid b, a)}, \qquad
# P(o \mid b, a) = \int L_{a,o}(v, i)\, b(v)\, dv .
# $$ (eq-kin-update)
#
# The cell below prints, for the quote $(0, 75)$, the informed trader's
# buy case statement and the expected-reward case statement, exactly as
# the XADD stores them.

# %%
m2, init2 = S.fig2_instance()
a75 = m2.actions.index((0, 75))
X = m2.X
print(X.pretty(m2.omega[a75][("informed", None)]["buy"], "Ω(buy|informed)"))
print(X.pretty(m2.lik[a75]["buy"], "P(buy | v, i)"))
print(X.pretty(m2.rbar[a75], "E[R | v, i]"))

# %% [markdown]
# ## Figure 1: the POMDP as a dynamic Bayes net
#
# The paper's Fig. 1 draws the model as a dynamic Bayes net. Only its node
# labels survive in the extracted text: $v, v', i, i', b, a, o, R$, with the
# trader type $t$ and the uninformed trader's action $u$ named in the
# caption. The arrows are lost, so we draw the parents that our case
# statements {eq}`eq-kin-case` name ({numref}`fig-kinathil-1`).

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Rebuilds Fig. 1 of {cite}`kinathil2016`: the market-making POMDP as a dynamic Bayes net, with parents read from our case statements (the paper's arrows are not recoverable).", "name": "fig-kinathil-1"}, "image": {"alt": "A dynamic Bayes net: value v, inventory i, bid b and ask a on the left, trader type t and uninformed action u on top, with arrows into the observation o, the reward R and the next value and inventory on the right."}}
fig, ax = subplots(width=6.0, height=3.8)
labels = draw_dbn(ax, PALETTE)
ax.set_xlabel("time slice (left: current, right: next)")
ax.set_ylabel("variable (no units)")
print("nodes:", labels)
plt.show()

# %% tags=["remove-output"]
led.record("fig1-labels", ours=labels)

# %% [markdown]
# ## Figure 2: the sequentially optimal policy tree
#
# Setting: GM traders; the 15 quotes $(\text{bid}, \text{ask})$ with
# bid $<$ ask on the price grid $\{0, 25, 49, 51, 75, 99\}$; horizon
# $H = 3$. The paper writes the initial belief as
# $\langle\{U[0,50], U[50,100]\}, 1.0\rangle$. We read it as *two* initial
# beliefs, each with $i = 1$, and the figure as the tree rooted at
# $v \sim U[50,100]$. (The mixture reading, $U[0,100]$, gives the root
# $(0, 99)$, which contradicts the figure.) The paper never states the
# discount factor $\gamma$; we use $\gamma = 0.9$ throughout unless a
# section says otherwise.
#
# PBVI backs up, at stage $h$, each belief $b$ of a set $B$: for every
# action and observation it picks the best $\alpha$-function of $V^{h-1}$
# at the updated belief, and keeps the best action,
#
# $$
# \alpha^{h}_b(v, i) = \bar R_{a^*}(v, i) + \gamma \sum_o L_{a^*,o}(v, i)\,
# \alpha^{h-1}_{j(a^*,o)}\bigl(v, i'(i, o)\bigr),
# \qquad V^h(b) = \max_{\alpha \in V^h} \int \alpha(v, i_b)\, b(v)\, dv .
# $$ (eq-kin-backup)
#
# Each $\alpha$-function is the exact value of a conditional plan, so
# $V^h(b)$ never exceeds the optimal value. We back up, at stage $h$, every
# belief reachable at depth $H - h$, which makes PBVI exact on all of them.
# At $i = 0$ nothing can be sold and every ask is optimal; exact
# arithmetic detects those ties, and we break them towards the highest ask,
# as the figure does ({numref}`fig-kinathil-2`).
#
# The solver does not integrate every $\alpha$-function against every
# belief in rationals. The belief edges and the likelihoods' breakpoints
# cut $v$ into cells on which every likelihood is constant, so a belief is
# a vector of cell masses, stored exactly as integers, and an
# $\alpha$-function enters only through its cell averages, which
# {eq}`eq-kin-backup` updates cell by cell. Every argmax is taken in
# floating point; the candidates within a relative $10^{-9}$ of the maximum
# are compared exactly, and the value of every backed-up belief is an
# exact rational. The result is identical, node for node, to integrating
# the case statements in rationals (a test compares both on random
# instances). On the Fig. 2 instance at $H = 6$ it costs 1.3 to 2.2 times
# a floating-point expectimax (three runs on a shared machine), where
# integrating in rationals costs 21 to 28 times at $H = 3$ and 4 (the
# book's Performance page).

# %%
res2 = solve(m2, init2, 3, schedule="layered", check=True)
tree = policy_tree(res2, init2[1])
pd.DataFrame(S.tree_table(m2, tree))

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Rebuilds Fig. 2 of {cite}`kinathil2016`: the optimal H = 3 policy tree from v ~ U[50,100] with one unit (GM traders, gamma = 0.9). Nodes are (bid, ask) quotes framed by the inventory's colour; edges carry the observation and its exact probability.", "name": "fig-kinathil-2"}, "image": {"alt": "A three-level tree of quotes: root (0, 75); after a buy (0, 99), after a sell (0, 75), after a hold (0, 51); the leaves quote asks 99, 75, 51 or 49, all with bid 0."}}
fig, ax = subplots(width=9.0, height=4.2)
draw_tree(ax, m2, tree, PALETTE)
ax.set_ylabel("steps to go")
ax.set_xlabel("observation branches (box colour: inventory i)")
print(S.tree_labels(m2, tree))
plt.show()

# %% [markdown]
# Every one of the 13 labels agrees with the paper's figure. The paper
# reads three rules off the tree, and we check each one. The ask rises after
# a buy, falls after a hold and stays after a sell: this follows from the
# labels themselves, so it is no separate evidence. The bid is always 0,
# because uninformed sellers hand over units for free; the paper says this
# holds "for all H", so we also check the exact optimal root quote for
# $H = 1, \dots, 6$ (computed by the exact solver of the optimality section
# below). At the last step, with a unit in hand, the ask lets some trader
# buy.

# %% tags=["remove-output"]
labs = S.tree_labels(m2, tree)
led.record("fig2-tree", ours=labs)
root_p = {o: str(p) for o, (p, _) in tree.children.items()}
led.record("fig2-branch-probs", ours=root_p)
asks = {p: m2.actions[n.action][1] for p, n in tree.walk()}
moves = asks[("buy",)] > asks[()] > asks[("hold",)]
moves = moves and asks[("sell",)] == asks[()]
led.record("fig2-ask-moves", holds=bool(moves), ours=f"root ask {asks[()]}")

# %%
tree_bids = {float(m2.actions[n.action][0]) for _, n in tree.walk()}
root_bids = ART["bounds"]["exact_root_bids"]
zero = tree_bids == {0.0} and set(root_bids) == {0.0}
led.record("fig2-bid-zero", holds=bool(zero), ours=f"H=1..6: {root_bids}")
leaves = [n for p, n in tree.walk() if len(p) == 2 and n.belief.inventory]
pb = [float(m2.update(n.belief, n.action, "buy")[0]) for n in leaves]
led.record("fig2-h1-buy", holds=min(pb) > 0, ours=f"min P(buy) {min(pb):.3f}")
print("P(buy) at the leaves with a unit:", [round(x, 3) for x in pb])
led.show("Fig 2")

# %% [markdown]
# ### The closed-form $\alpha$-functions
#
# The root's $\alpha$-function is the exact value of the three-step plan
# of {numref}`fig-kinathil-2`, as a function of the *state*. It is piecewise
# constant in $v$, with breakpoints only at the quoted prices, and it
# depends on $i$ only through tests $i \ge k$. That is the paper's
# "inventory-sensitive" structure: the same plan is worth less when the MM
# runs out of units to sell.

# %%
j_root = res2.best_alpha(init2[1], 3)[0]
al = res2.V[3][j_root]
print(
    f"{len(res2.V[3])} α-functions in V^3; the root's has "
    f"{X.node_count(al.node)} XADD nodes"
)
print(res2.pretty(j_root, name="α_root(v, i)"))
print("α_root · b0 =", fmt_num(m2.dot(al.node, init2[1])))

# %% [markdown]
# ### Cross-check against brute force
#
# `expectimax` shares no code with the symbolic solver. It recurses over
# the tree of beliefs with floating-point mass vectors on the cells between
# breakpoints, codes the traders directly from {eq}`eq-kin-case` and never
# builds a case statement. For every belief enumerated to the horizon,
# PBVI's exact value must equal the expectimax value.

# %%
diffs = [
    abs(float(v) - expectimax(m2, b, h)[0])
    for h in range(1, 4)
    for b, v in res2.values[h].items()
]
ok = max(diffs) < 1e-9
led.record("ext-pbvi-exact", holds=ok, ours=f"{len(diffs)} beliefs")
print(f"{len(diffs)} beliefs; max |PBVI - expectimax| < 1e-9: {ok}")

# %% [markdown]
# ## Figure 3: inventory sensitivity
#
# Setting: GM traders with 50 % or 10 % uninformed; $H = 3$; the 10
# quotes on the grid $\{20, 40, 60, 80, 100\}$; priors $U[0,100]$ (panel a)
# and $U[49,51]$ (panel b); initial inventory 0, 1 or 2. The plotted data
# are lost, so only the paper's stated claims can be checked. At $i = 0$
# every ask ties, and as in Fig. 2 we report the highest.

# %%
best3, res3 = S.fig3_solve("0.9")
pd.DataFrame(
    [
        {
            "prior": p,
            "traders": q,
            "i": i,
            "(bid, ask)": S.label(a),
            "value": round(float(v), 3),
        }
        for (p, q, i), (a, v) in best3.items()
    ]
)

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Rebuilds Fig. 3 of {cite}`kinathil2016`: optimal H = 3 root bid and ask against the initial inventory, for (a) v ~ U[0,100] and (b) v ~ U[49,51]; (bid1, ask1) with 50 % and (bid2, ask2) with 10 % uninformed traders (gamma = 0.9).", "name": "fig-kinathil-3"}, "image": {"alt": "Two panels of optimal prices against inventory 0, 1, 2: bids stay at 20 in every setting; asks range from 40 to 100 and are higher with 50 % uninformed traders."}}
fig, axes = subplots(1, 2, sharey=True)
for ax, (k, pn) in zip(axes, enumerate(S.FIG3_PRIORS)):
    for c, qn in enumerate(S.FIG3_POPS):
        q = [best3[(pn, qn, i)][0] for i in range(3)]
        for j, (mk, nm) in enumerate([("s--", "bid"), ("o-", "ask")]):
            y = [float(a[j]) for a in q]
            ax.plot(range(3), y, mk, color=PALETTE[c], label=f"{nm}{c + 1}")
            print_curve(f"{pn} {qn} {nm}", range(3), y, digits=0)
    ax.set_title(f"({'ab'[k]}) v ~ {pn}")
    ax.set_xlabel("initial inventory i (units)")
axes[0].set_ylabel("optimal price ($)")
axes[1].legend(loc="center right")
plt.show()

# %% [markdown]
# The paper makes three claims about its Fig. 3 ({numref}`fig-kinathil-3`).
# A narrow belief quotes a narrower spread, except at $i = 0$. More
# uninformed traders mean higher asks. Prices depend on the belief, the
# population and the inventory.

# %% tags=["remove-output"]
c1 = S.narrower_when_certain(best3)
led.record(
    "fig3-narrow",
    holds=all(n < w for n, w in c1.values()),
    ours="; ".join(
        f"{q} i={i}: {n:.0f} vs {w:.0f}" for (q, i), (n, w) in c1.items()
    ),
)
c2 = S.higher_ask_when_uninformed(best3)
hi = all(x >= y for x, y in c2.values()) and any(x > y for x, y in c2.values())
led.record("fig3-uninformed-ask", holds=hi, ours=f"{len(c2)} settings")
vary = S.prices_vary(best3)
led.record("fig3-depends", holds=all(vary.values()), ours=str(vary))

# %%
led.show("Fig 3")

# %% [markdown]
# ### The exception at $i = 1$
#
# With 50 % uninformed traders and one unit, the narrow belief $U[49,51]$
# quotes ask 100: a wider spread than $U[0,100]$'s ask 80. The exact value
# of each root quote (bid 20, which is always optimal) shows the mechanism.
# The MM has one unit to sell within three periods. Ask 40 sells it at once
# to any informed trader, whose estimate is about 50. Ask 100 sells only to
# uninformed buyers, who arrive with probability 1/6 each period and pay any
# price, and the MM can still fall back to ask 40 in the last period. With
# half the population uninformed, waiting for a buyer at 100 beats selling
# at 40 now; with 10 % it does not.

# %%
q3 = S.fig3_root_q(res3)
pd.DataFrame(q3, index=["ask 40", "ask 60", "ask 80", "ask 100"]).T.round(3)

# %% [markdown]
# The margin is not a rounding artefact: 37.8 against 33.1 (ask 100
# against ask 40) with 50 % uninformed, the other way round with 10 %. Two
# modelling readings could matter, and neither rescues the claim. Valuing
# leftover inventory instead of discarding it would make holding the unit
# *more* attractive, so the ask would stay high. The uninformed trader who
# buys at any price with probability 1/3 is exactly what the paper's own
# explanation of Fig. 4 relies on ("[0, 100] exploits uninformed traders").
# Nor is it the discount factor: the table below, from a sweep over
# $\gamma$ (computed by `python -m mmkit kinathil-study`, see the
# artifacts' README), shows the claim failing at $i = 1$ at every $\gamma$
# we tried and holding at $i = 2$.

# %%
g3 = pd.DataFrame(ART["gamma"]["fig3_narrow_holds"])
i1 = not g3.loc["50% uninf., i=1"].any()
i2 = g3.loc[[k for k in g3.index if k.endswith("i=2")]].all().all()
led.record("fig3-i1-robust", holds=bool(i1 and i2), ours="γ = 0.8, 0.9, 1")
g3.rename(columns=lambda g: f"γ={g}")

# %% [markdown]
# We conclude that the exception is a property of the model as we read it.
# The paper's Fig. 3 may have been drawn with other settings (another price
# grid, horizon or $\gamma$); its data are lost. The bid is the lowest
# price, 20, in every setting: with a cash-only reward the MM pays as little
# as possible for units.
#
# ## Figure 4: the upper surface for two trader models
#
# Setting: $i = 1$; $B$ is every belief reachable to $H = 3$ from the two
# Fig. 2 beliefs, backed up at every stage (standard PBVI). The 9 quotes
# have bid in $\{0, 25, 50, 75\}$ and ask in $\{50, 75, 100\}$. The
# Discrete population has three informed types with
# $\varepsilon \in \{0, +10, -10\}$, probability 1/3 each. The surface is
#
# $$
# \bar V(m, w) = \max_{\alpha \in V^3} \frac{1}{2w}\int_{m-w}^{m+w}
# \alpha(v, 1)\, dv ,
# $$ (eq-kin-surface)
#
# coloured by the maximising quote; at $w = 0$ it is the point value
# $\max_\alpha \alpha(m, 1)$.
#
# **The discount factor matters here.** The paper never states $\gamma$,
# and the two panels' claims need different values. GM shows its three
# quotes only for $\gamma$ below about 0.87; Discrete widens its spread at
# $m = 70$ only for $\gamma$ above about 0.99. We show GM at $\gamma = 0.8$
# and 0.9 and Discrete at 0.9 and 1 ({numref}`fig-kinathil-4`), record
# every claim at our default $\gamma = 0.9$, and record the $\gamma$ that
# reproduces a claim as *calibrated*: chosen because it works.

# %%
panels = [("GM", "0.8"), ("GM", "0.9"), ("Discrete", "0.9"), ("Discrete", "1")]
surf = {k: S.fig4_surface(*k) for k in panels}
claims4 = {k: S.fig4_claims(acts) for k, (_, acts) in surf.items()}
pd.DataFrame(claims4).T.astype(int)

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Rebuilds Fig. 4 of {cite}`kinathil2016`: optimal quote (colour) and value (contours) on the upper surface of V^3 at i = 1 over beliefs v ~ U[m-w, m+w]; (a) Glosten-Milgrom at gamma = 0.8 and 0.9, (b) Discrete at gamma = 0.9 and 1.", "name": "fig-kinathil-4"}, "image": {"alt": "Four heat maps over belief mean (x) and width (y): GM at gamma 0.8 shows bands of quotes (0,100), (0,50), (0,75) along the mean at zero width, GM at 0.9 lacks the (0,50) band; Discrete panels show asks rising with the mean."}}
fig, axes = subplots(2, 2, width=9.0, height=6.4, sharey=True)
for ax, k in zip(axes.ravel(), panels):
    vals, acts = surf[k]
    ax.pcolormesh(
        S.FIG4_MEANS,
        S.FIG4_WIDTHS,
        acts,
        cmap="tab10",
        vmin=-0.5,
        vmax=9.5,
        shading="nearest",
    )
    ax.contour(S.FIG4_MEANS, S.FIG4_WIDTHS, vals, levels=6, colors="k")
    ax.set_title(f"{k[0]}, γ = {k[1]}")
    ax.set_xlabel("belief mean m ($)")
    ax.set_ylabel("belief width w ($)")
    print(
        k,
        "quotes used:",
        sorted(S.label(S.FIG4_ACTIONS[a]) for a in set(acts.ravel())),
    )
plt.show()

# %% [markdown]
# The sweep over $\gamma$ (from the artifact) tells where each claim holds.
# Its entries at $\gamma = 0.8, 0.9, 1$ are computed the same way as the
# surfaces above, and the cell checks that they agree.

# %%
c4 = ART["gamma"]["fig4_claims"]
same = all(c4[f"{n} {g}"] == claims4[(n, g)] for n, g in panels)
print("artifact agrees with the surfaces above:", same)
pd.DataFrame(c4).T.astype(int)

# %% [markdown]
# ### Where do the claims switch, and is it PBVI's belief set?
#
# The upper surface uses only the $\alpha$-functions backed up at the
# beliefs of $B$. Away from $B$ it is a lower bound on the optimal value,
# and its maximiser need not be the optimal quote. A claim that fails on
# the surface might hold for the exact optimal policy, so we bracket, by
# bisection on $\gamma$ in exact rationals, where each claim switches,
# twice: on the upper surface as plotted, and for the exact optimal root
# quote from `expectimax` at beliefs $U[m \pm 0.01]$ with the means taken
# between prices (2.5, 7.5, ..., 97.5), so that no belief sits on a price.

# %%
sw = {
    k: [float(Fraction(x)) for x in v]
    for k, v in ART["gamma"]["switch"].items()
}
pd.DataFrame(sw, index=["from γ", "to γ"]).T.round(4)

# %% [markdown]
# For GM the upper surface and the exact optimal policy switch at the same
# $\gamma$, between 0.872 and 0.875. The $(0, 50)$ band is a genuine
# trade-off of the model: with the value between 50 and 75 and one unit
# left, selling at 50 to an informed trader now competes with waiting for
# an uninformed buyer at 100, and a more patient MM waits. For Discrete the
# belief set does matter: the exact optimal policy widens its spread at
# $m = 70$ from $\gamma \approx 0.89$, the upper surface only from 0.993.
# Even the exact policy needs a $\gamma$ above GM's switch point, so the
# conflict between the panels is a property of the model as we read it, not
# an artefact of PBVI.

# %% tags=["remove-output"]
gm9, gm8 = claims4[("GM", "0.9")], claims4[("GM", "0.8")]
d9, d1 = claims4[("Discrete", "0.9")], claims4[("Discrete", "1")]
led.record("fig4a-three", holds=gm9["three"], ours="γ = 0.9")
led.record("fig4a-order", holds=gm8["order"], ours="γ = 0.8")
led.record("fig4a-low-mean", holds=gm9["low_m_100"], ours="γ = 0.9")
led.record("fig4b-nondecr", holds=d9["nondecr"], ours="γ = 0.9")
led.record("fig4b-widen", holds=d9["widen70"], ours="γ = 0.9")
led.record("fig4b-widen-g1", holds=d1["widen70"], ours="γ = 1")
both = [
    g
    for g in ("0.8", "0.85", "0.9", "0.95", "0.99", "1")
    if c4[f"GM {g}"]["three"] and c4[f"Discrete {g}"]["widen70"]
]
led.record("fig4-one-gamma", holds=bool(both), ours=f"{both or 'none'}")

# %%
m4 = {n: S.fig4_model(n, "0.9") for n in ("GM", "Discrete")}
n4 = {
    n: sum(len(L) for L in reachable_beliefs(m, init2, 3, dedup=False))
    for n, m in m4.items()
}
led.record("fig4-beliefs", ours=n4)
print("|B| reachable to H = 3 (duplicates kept):", n4)
led.show("Fig 4")

# %% [markdown]
# **Our choice.** We keep $\gamma = 0.9$ as the chapter's default: the
# Fig. 2 tree is exact at it (and, as the tests check, at $\gamma = 0.7$,
# 0.8 and 1); Fig. 3's
# first claim fails at $i = 1$ whatever $\gamma$; and it respects the
# paper's definition $\gamma < 1$. Fig. 4 is the only place where $\gamma$
# changes a conclusion, in opposite directions for the two panels. We
# report that, rather than pick a $\gamma$ per panel to manufacture a match.
#
# ## Figure 5 and beyond: how far can we solve, and how well?
#
# The paper's Fig. 5 numbers are not recoverable: neither its model, nor
# its beliefs, nor its range of $H$ survive. It says that "we can
# effectively solve for H = 30 or more", using model-predictive control.
# We study the Fig. 2 instance, $v \sim U[50,100]$ with one unit, and
# sandwich the optimal value $V_H$ between computable bounds:
#
# $$
# \underline V_H \;\le\; V_H \;\le\; \bar V_H
# = \sum_c b(c)\, V^{\rm full}_H(c, i_0).
# $$ (eq-kin-bounds)
#
# * **Exact values** $V_H$. Every belief reached from the root is the root
#   times a product of likelihood vectors, which take few distinct values.
#   So distinct beliefs grow *polynomially* with depth, not as
#   $(3|A|)^d$: an exact dynamic program that de-duplicates beliefs
#   (`mmkit.symbolic.bounds.CellDP`) reaches $H = 12$ in seconds.
# * **Lower bound** $\underline V_H$: bounded PBVI. The belief set is fixed
#   to the root and its 14 distinct one-step successors, and is backed up
#   at every stage. Every $\alpha$-function is the value of a real plan, so
#   $V^H(b_0)$ is a guaranteed lower bound.
# * **Upper bound** $\bar V_H$: the full-information bound. If the cell of
#   $v$ between consecutive breakpoints were revealed before the first
#   step, only the inventory would remain a state; the value
#   $V^{\rm full}_H(c, i)$ of that small dynamic program, averaged over the
#   belief, bounds $V_H$ from above, because an informed MM can do anything
#   the uninformed one can.
# * **Receding horizon (MPC)**: with $h$ steps to go, play the first quote
#   of the optimal $\min(3, h)$-step plan from the current belief, observe,
#   update, re-plan. We evaluate this policy exactly on the de-duplicated
#   belief tree, and check the evaluation by simulation.
#
# The bounds and the MPC policy are computed by `python -m mmkit
# kinathil-study` (about a minute of CPU) and loaded here. In the table,
# NaN marks a value not computed (exact values stop at $H = 12$; the MPC
# policy is evaluated at a few horizons).

# %%
B = ART["bounds"]
H = np.arange(1, B["h_max"] + 1)
lo, up = np.array(B["pbvi_lower"]), np.array(B["upper"])
ex = np.full(len(H), np.nan)
ex[: B["h_exact"]] = B["exact"]
gap = gap_table(lo, up)
mpc = dict(zip(B["mpc_h"], B["mpc"]))

# %%
rows = [
    {
        "H": h,
        "lower (PBVI)": lo[h - 1],
        "exact": ex[h - 1],
        "MPC": mpc.get(h, np.nan),
        "upper": up[h - 1],
        "gap %": 100 * gap[h - 1],
    }
    for h in (1, 2, 3, 4, 6, 8, 10, 12, 15, 20, 25, 30)
]
pd.DataFrame(rows).round(3)

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Not in the source: lower bound (bounded PBVI, 15 beliefs), exact value (H <= 12), receding-horizon (MPC) policy value and full-information upper bound against the horizon on the Fig. 2 instance (left), and the relative gap between the bounds (right).", "name": "fig-kinathil-gap"}, "image": {"alt": "Left: four value curves rising with the horizon, the exact and MPC values lying between the PBVI lower bound and the upper bound. Right: the relative gap between the bounds growing with the horizon to a few per cent."}}
fig, (ax1, ax2) = subplots(1, 2)
ax1.plot(H, up, "-", label="upper (full information)")
ax1.plot(H, ex, "o", ms=3, label="exact")
ax1.plot(list(mpc), list(mpc.values()), "^", label="MPC (3-step)")
ax1.plot(H, lo, "--", label="lower (bounded PBVI)")
ax1.set_xlabel("horizon H (steps)")
ax1.set_ylabel("value at U[50,100], i = 1 ($)")
ax1.legend()
ax2.plot(H, 100 * gap, "o-", ms=3)
ax2.set_xlabel("horizon H (steps)")
ax2.set_ylabel("(upper - lower) / upper (%)")
print_curve("gap %", H, 100 * gap, points=6, digits=2, xdigits=0)
plt.show()

# %% [markdown]
# At every $H \le 12$ the exact value lies inside the bounds. Bounded PBVI
# equals it for the first few horizons (printed below) and then falls
# slowly behind; the full-information bound is looser, because knowing the
# cell of $v$ is worth a lot to a market maker. The receding-horizon policy
# stays within a small fraction of a per cent of the exact value wherever
# both are known, and above the PBVI bound at every horizon we evaluated.
# Its simulated value agrees with its exact policy evaluation, which checks
# the evaluation.

# %% tags=["remove-output"]
k = B["h_exact"]
sand = bool(np.all(lo[:k] <= ex[:k] + 1e-9) and np.all(ex[:k] <= up[:k]))
led.record("ext-sandwich", holds=sand, ours=f"H = 1..{k}")
above = all(v >= lo[h - 1] - 1e-9 for h, v in mpc.items())
led.record("ext-mpc", holds=above, ours=f"{len(mpc)} horizons")
sim, se = B["mpc_sim"][0]
led.record(
    "ext-mpc-sim",
    holds=abs(sim - mpc[30]) < 3 * se,
    ours=f"{sim:.2f} ± {se:.2f}",
)

# %%
print(
    f"simulated MPC value at H = 30: {sim:.2f} ± {se:.2f} (s.e.), "
    f"exact evaluation {mpc[30]:.2f}"
)
print(f"gap of the bounds at H = 30: {100 * gap[-1]:.1f} %")
print("exact value minus MPC value, H = 10:", round(ex[9] - mpc[10], 3))
n_eq = int(np.argmax(np.abs(lo[:k] - ex[:k]) > 1e-9))
print(f"bounded PBVI equals the exact value for H <= {n_eq}")

# %% [markdown]
# **The cost grows polynomially.** The number of *distinct* beliefs
# reachable at each depth, and the exact solver's work (distinct
# (belief, inventory, steps-to-go) triples evaluated), are deterministic
# measures of cost:

# %%
db = B["distinct_beliefs"]
ratios = [b / a for a, b in zip(db[1:], db[2:])]
poly = all(x > y for x, y in zip(ratios, ratios[1:]))
led.record("ext-beliefs-poly", holds=poly, ours=f"{db}")
pd.DataFrame(
    {
        "depth": range(len(db)),
        "distinct beliefs": db,
        "(3|A|)^depth": [45**d for d in range(len(db))],
    }
)

# %% [markdown]
# The growth ratio from one depth to the next falls (about 5, 3.2, 2.4,
# ...), as a polynomial's does: distinct beliefs are not
# $O((3|A|)^{H-1})$, and an exact solution to $H = 12$ is cheap. Bounded
# PBVI, in turn, reaches $H = 30$. Its space, measured as the paper does
# (XADD nodes of all $\alpha$-functions of $V^h$, shared nodes counted
# once, in the canonical diagrams, so no redundant test inflates the
# count), and its time, measured by the number of memoised XADD operations
# per stage rather than by the clock, are plotted in
# {numref}`fig-kinathil-5`.

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Our study in place of Fig. 5 of {cite}`kinathil2016` (whose data are not recoverable): bounded PBVI on the Fig. 2 instance, XADD nodes of V^h (space) and XADD operations per stage (time, a deterministic count) against the stage h.", "name": "fig-kinathil-5"}, "image": {"alt": "Two curves against the stage h from 1 to 30 on a log scale: XADD nodes of the value function and XADD operations per stage, both rising quickly at first and then slowly."}}
st = pd.DataFrame(B["pbvi_stats"]).set_index("h")
fig, ax = subplots()
ax.semilogy(st.index, st["nodes"], "o-", ms=3, label="space: nodes of V^h")
ax.semilogy(st.index, st["ops"], "s-", ms=3, label="time: operations")
ax.set_xlabel("stage h (steps to go)")
ax.set_ylabel("count")
ax.legend()
print_curve("nodes", st.index, st["nodes"], digits=0, xdigits=0)
print_curve("operations", st.index, st["ops"], digits=0, xdigits=0)
plt.show()

# %%
grow_s = st["nodes"][30] / st["nodes"][10]
grow_t = st["ops"][30] / st["ops"][10]
grows = bool(st["nodes"][30] > st["nodes"][10] > st["nodes"][1])
led.record("fig5-space-grows", holds=grows, ours=f"x{grow_s:.2f}")
led.record(
    "fig5-space-vs-time",
    holds=bool(grow_s > grow_t),
    ours=f"space x{grow_s:.2f}, time x{grow_t:.2f}",
)
led.record(
    "fig5-h30",
    holds=bool(len(lo) >= 30 and gap[29] < 0.10),
    ours=f"gap {100 * gap[29]:.1f} %",
)
print(f"h = 10 -> 30: space x{grow_s:.2f}, time (operations) x{grow_t:.2f}")

# %% [markdown]
# The wall-clock time of the study, which depends on the machine, is shown
# for information only:

# %%
# NBVAL_IGNORE_OUTPUT
print(
    f"bounded PBVI to H = 30: {B['pbvi_cpu_s']:.1f} s CPU; exact DP to "
    f"H = {B['h_exact']}: {B['exact_cpu_s'][-1]:.1f} s CPU"
)

# %% [markdown]
# Space grows with $h$ because a plan that is $h$ steps long can sell up to
# $h$ units, so its $\alpha$-function needs the tests
# $i \ge 1, \dots, i \ge h$, each with its own partition of $v$: the
# paper's "inflation in the number of observation partitions per
# $\alpha$-function", made concrete. Whether space grows *faster than time*
# is the ledger's verdict below; on our run the operations per stage grow
# at least as fast as the nodes, so the paper's statement is not confirmed
# by our data.

# %%
led.show("Fig 5")
led.show("Optimality")

# %% [markdown]
# ## Beyond the paper: Kinathil's MM against Das's optimal MM
#
# The paper says it generalises {cite:t}`das2008`, but never runs the two
# market makers side by side. We put both on Das's shocked
# Glosten-Milgrom market: $V \sim N(0, \rho^2)$ drawn once; traders see
# $w = V + Z$ with $Z \sim N(0, 1)$; profit is marked to market ($a - V$
# on a sale, $V - b$ on a purchase), discounted with $\gamma = 0.9$, over
# $T = 3$ periods and 20,000 runs with common random numbers. Das's MMs
# (the dynamic-programming optimal MM and the myopic MM) come unchanged
# from `mmkit.glosten_milgrom`; both keep a Gaussian belief and quote
# continuous prices. Kinathil's MM follows its exact $H = 3$ policy tree,
# planned in its own model class with an approximation of that market:
#
# * a piecewise-uniform prior on the normal's quantiles;
# * discrete noise $\varepsilon \in \{0, \pm 1.2\}$ (the standard deviation
#   of $Z$) and a 1 % uninformed share, so that every observation has
#   positive probability;
# * prices on a grid scaled by $\sqrt{1+\rho^2}$ (the scale of Das's
#   quotes): five prices $\{0, \pm 0.75, \pm 1.5\}$ and, to test whether
#   the result survives a change of grid, seven prices in the same range,
#   $\{0, \pm 0.5, \pm 1, \pm 1.5\}$, and seven over a wider range,
#   $\{0, \pm 0.75, \pm 1.5, \pm 2.25\}$;
# * the mark-to-market reward, whose leaves are *linear* in $v$, so the
#   $\alpha$-functions are piecewise linear: the general case of the
#   paper's closure argument;
# * an inventory of $T$ units, so the no-short constraint never binds.

# %%
rows = ART["das"]["rows"]
das = pd.DataFrame(summary_rows(rows, ("setting", "rho")))
das.round(3)

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Not in the source: mean discounted profit over T = 3 periods of Kinathil's MM minus Das and Magdon-Ismail's optimal MM on the same shocked Glosten-Milgrom market (20,000 runs, common random numbers, bars: 2 s.e.), for three price grids, against the initial information disadvantage rho.", "name": "fig-kinathil-vs-das"}, "image": {"alt": "Paired profit differences, Kinathil minus Das optimal, against rho = 1, 2, 4 for three price grids, with error bars; all lie below zero except the wider grid at rho = 4."}}
fig, ax = subplots()
for k, (g, d) in enumerate(das.groupby("setting", sort=False)):
    ax.errorbar(
        d["rho"] + 0.05 * k,
        d["K - Das opt."],
        yerr=2 * d["s.e."],
        fmt="o-",
        capsize=3,
        label=g,
        color=PALETTE[k],
    )
    print_curve(g, d["rho"], d["K - Das opt."], digits=3, xdigits=1)
ax.axhline(0, color="0.5", lw=0.8)
ax.set_xlabel("initial information disadvantage ρ = σ0/σε")
ax.set_ylabel("profit difference (units of σε)")
ax.legend()
plt.show()

# %% tags=["remove-output"]
base = das[das["setting"] == "base"]
ref = das[das["setting"] == "7 prices"]
lose = (base["K - Das opt."] + 2 * base["s.e."] < 0).all()
led.record("ext-das-base", holds=bool(lose), ours=f"{len(base)} rho")
lose7 = (ref["K - Das opt."] + 2 * ref["s.e."] < 0).all()
led.record("ext-das-refined", holds=bool(lose7), ours=f"{len(ref)} rho")
wide = das[das["setting"] == "7 prices, wider"]
lose_w = (wide["K - Das opt."] + 2 * wide["s.e."] < 0).all()
led.record("ext-das-wider", holds=bool(lose_w), ours=f"{len(wide)} rho")

# %% [markdown]
# Over three periods the winner depends on the range of the price grid.
# With five prices, or seven in the same range, Das's optimal MM earns more
# at every $\rho$, by many standard errors. Widening the grid to
# $\pm 2.25$ lets Kinathil's MM win at $\rho = 4$, where Das's optimal
# MM, which invests in learning, loses money over the first three periods.
# So the three-period comparison is not grid-converged.
#
# Three periods are not Das's objective either, which discounts profit
# over an unbounded horizon. For long horizons Kinathil's MM re-plans every
# period: it plays the first quote of the optimal three-step plan of its
# own model from its current belief, sees the trade, updates its belief
# with {eq}`eq-kin-update` and re-plans (the receding-horizon policy of the
# optimality section). The table gives each MM's mean discounted profit
# over $T = 10$ periods ($\gamma^{10} \approx 0.35$, so most of the
# discounted objective) on the same 20,000 runs, for the five-price and
# the wider seven-price grid, with the paired difference and its standard
# error.

# %%
dl = ART["das_long"]["rows"]
long = pd.DataFrame(summary_rows(dl, ("setting", "rho")))
behind = bool((long["K - Das opt."] + 2 * long["s.e."] < 0).all())
led.record("ext-das-long", holds=behind, ours=f"{len(long)} settings")
long.round(3)

# %% [markdown]
# Over ten periods the verdict does not depend on the grid: Das's optimal
# MM, which quotes from a continuum and models the Gaussian noise exactly,
# earns more than Kinathil's re-planning MM at every $\rho$, with either
# grid. The wider grid narrows the gap, most at $\rho = 4$ (from about
# 1.5 to 0.5), but does not close it. With the five-price grid at $\rho = 4$ Kinathil's MM even
# loses money: its prices are fixed at the scale of the initial
# uncertainty (spacing $0.75\sqrt{17} \approx 3.1$ in units of
# $\sigma_\varepsilon$), far coarser than the quotes a market maker needs
# once it has learned the value. In short: Kinathil's MM can win a short
# game against a learning Das MM when its grid is wide, and loses every
# long one we ran. Its exactness is relative to *its* model (a few prices
# against a continuum, three noise types against a Gaussian, a histogram
# prior). What the symbolic POMDP offers in return is what Das's closed
# forms cannot: hard inventory constraints, arbitrary priors and trader
# mixes, and exact values on a discrete model.
#
# Two grids show that the verdict does not depend on the grid, not that
# the difference has converged as the grid is refined. So we refine: 5, 9
# and 17 equally spaced prices over the base range $\pm 1.5$ and the
# wider $\pm 2.25$, each refinement halving the spacing (the 17-price grid
# has 136 quotes), at $\rho = 1, 2, 4$, with the same ten periods and the
# same 20,000 runs for every grid, so the change from one grid to the next
# is a paired difference with its own standard error. The table gives,
# per grid, the paired difference Kinathil minus Das optimal, its s.e.,
# and the change from the next coarser grid with its s.e.

# %%
grid = ART["das_grid"]["rows"]
conv = pd.DataFrame(convergence_rows(grid))
conv.round(3)

# %% tags=["remove-output"]
verdicts = [grid_verdict(r) for r in grid]
behind_all = bool((conv["K - Das opt."] + 2 * conv["s.e."] < 0).all())
n_con = sum(v["contracting"] for v in verdicts)
limit = behind_all and all(v["settled"] for v in verdicts if v["contracting"])
led.record(
    "ext-das-grid-limit", holds=limit, ours=f"{n_con} of {len(grid)} contract"
)
z_last = [abs(v["last_change"]) / v["last_change_se"] for v in verdicts]
led.record(
    "ext-das-grid-converged",
    holds=bool(max(z_last) < 2),
    ours=f"last change {min(z_last):.0f}-{max(z_last):.0f} s.e.",
)
print("ahead on every grid:", behind_all, "contracting:", n_con)
print("last change in s.e.:", [round(z) for z in z_last])
print("tail bounds:", [round(v["tail"], 3) for v in verdicts])

# %% [markdown]
# Refining the grid never hurts Kinathil's MM, and Das's optimal MM stays
# ahead on every grid by many standard errors. From 5 to 9 prices the
# difference moves by up to 0.32, from 9 to 17 by at most 0.16. It has not
# converged to within its standard error: the last refinement still moves
# it by 5 to 33 standard errors of the change, so 17 prices is not the
# limit. Where the changes contract (five of the six settings, ratios 0.1
# to 0.66) a geometric tail bounds what further halvings can add (at most
# 0.17), and the difference stays below zero by more than that bound plus
# two standard errors: Das's optimal MM wins in the grid limit there. On
# the wider range at $\rho = 4$ the 5- and 9-price grids give the same
# quotes, so no rate can be measured; there the last change (0.03) is
# about a fourteenth of the gap (0.44). A 33-price grid (528 quotes) needs
# about ninety times the arithmetic of the 17-price grid per planned
# belief, beyond this study's budget.
#
# The hard inventory constraint is the case where Kinathil's MM should
# gain, because Das's MM has no inventory at all. So we rerun the ten
# periods with a constraint that binds: every MM starts with 0 or 1 units
# and cannot sell from an empty inventory (a trader's buy then does not
# execute). Kinathil's MM plans with the constraint, as in its model. Das's
# MMs keep their quotes $\mu_t \pm \delta$, but at zero inventory they post
# no ask, so "no trade" tells them only $w_t \ge b_t$, and they update their
# Gaussian belief with that censored observation. The table gives the mean
# discounted profits, the paired differences to Das's optimal and myopic
# MMs with their standard errors (20,000 runs, common random numbers), and
# the share of periods each MM spends at zero inventory.

# %%
inv_rows = ART["das_inventory"]["rows"]
pd.DataFrame(inventory_rows(inv_rows))

# %% tags=["remove-output"]
k_opt = np.array([r["paired_diff"] for r in inv_rows])
k_myo = np.array([r["diff_vs_myopic"] for r in inv_rows])
opt_wins = bool((k_opt[:, 0] + 2 * k_opt[:, 1] < 0).all())
myo_wins = bool((k_myo[:, 0] + 2 * k_myo[:, 1] < 0).all())
led.record(
    "ext-das-inventory", holds=opt_wins, ours=f"{len(inv_rows)} settings"
)
led.record(
    "ext-das-inventory-myopic",
    holds=myo_wins,
    ours=f"{len(inv_rows)} settings",
)
z_opt = (-k_opt[:, 0] / k_opt[:, 1]).min()
z_myo = (-k_myo[:, 0] / k_myo[:, 1]).min()
print(f"closest K - Das opt.: {k_opt[:, 0].max():.3f} ({z_opt:.0f} s.e.)")
print(f"closest K - Das myopic: {k_myo[:, 0].max():.3f} ({z_myo:.0f} s.e.)")

# %% [markdown]
# The constraint binds: an MM that starts empty spends more than half of
# the periods at zero inventory. It costs Das's MMs in every setting
# (compare the ten-period table) but not always Kinathil's, which plans
# with it: at $\rho = 4$ with five prices it loses about 0.6 instead of
# 1.1. The gap to Das's optimal MM narrows, but the ranking does not move: Das's
# optimal MM earns more than Kinathil's in all twelve settings, by at least
# 0.16 (20 standard errors or more), and Das's myopic MM earns more than
# Kinathil's in all twelve too (by 8 standard errors or more). Planning
# with the constraint shows in the inventory path: starting with one unit
# at $\rho = 4$, Kinathil's MM almost never sells it (at zero inventory in
# 2 to 9 % of the periods, Das's optimal MM in 22 %). Which market maker
# wins where, then: Kinathil's MM only in the three-period game with the
# wide grid at $\rho = 4$; Das's optimal MM in every other setting we
# ran, including those where inventory binds, and in the grid limit
# wherever the refinement contracts.
# "Generalises Das" holds for the model class, not for solution quality on
# Das's own problem.

# %%
led.show("Das comparison")

# %% [markdown]
# ## Verdicts

# %%
led.verdict_table()
_ = led.save()
