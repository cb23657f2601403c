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
# {cite:t}`kinathil2016` recast the sequential market-making problem of {cite:t}`das2008` as a
# continuous-state POMDP {cite}`kaelbling1998` whose state is the (fixed, unknown) asset value
# $v$ and the market maker's inventory $i$. Every model component is a *case statement*:
# conditions linear in $v$ and $i$, values constant or linear. The paper's contribution is
# the symbolic machinery. Point-based value iteration (PBVI) {cite}`pineau2003`, done on case
# statements stored as XADDs {cite}`sanner2011`, yields $\alpha$-functions that are piecewise
# linear in $v$, in closed form. The paper's own claims are:
#
# * an exact, closed-form solution with inventory, arbitrary priors and trader models;
# * sequentially optimal policies (Fig. 2);
# * inventory-sensitive quotes (Fig. 3);
# * trader-model-sensitive $\alpha$-functions (Fig. 4);
# * tractable computation, "H = 30 or more" (Fig. 5).
#
# We only have the paper's extracted text, so its case statements are reconstructed in the
# spec (Part B). This chapter builds them and checks every figure against them:
#
# * `mmkit.symbolic.xadd`, a small exact XADD (rational arithmetic);
# * `mmkit.symbolic.inventory_pomdp`, the POMDP and an independent brute-force expectimax;
# * `mmkit.symbolic.pbvi`, symbolic PBVI and policy-tree extraction.
#
# **Why our own XADD and not `xaddpy`.** The Sanner lab's `xaddpy` prunes inconsistent paths
# with Gurobi LPs. Here every decision tests one variable ($v > c$ or $i \ge k$), so exact
# interval reasoning prunes everything with no solver. A 700-line module with `Fraction`
# arithmetic keeps values exact: ties in Fig. 2 are true ties, not float noise. It also keeps
# the decision diagrams canonical, so equal $\alpha$-functions are the same node. The
# benchmark `benchmarks/bench_pbvi.py` compares it with a naive sympy `Piecewise`
# implementation of the same backup.

# %%
import time
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np

from mmkit.symbolic.inventory_pomdp import (OBS, Belief, InventoryPOMDP, TraderModel, expectimax,
                                   fmt_action, make_actions, reachable_beliefs)
from mmkit.book.ledger import Ledger
from mmkit.symbolic.pbvi import policy_tree, solve, upper_surface
from mmkit.book.plotting import PALETTE, print_curve, print_table, subplots
from mmkit.symbolic.xadd import fmt_num

led = Ledger("kinathil2016")

# The paper's printed values (reference only; never used as results).
PAPER = {
    # Fig 2, read as a tree (spec B.6): path of observations -> (bid, ask) label
    "fig2_tree": {
        "root": "(0.0, 75.0)",
        "buy": "(0.0, 99.0)", "buy>buy": "(0.0, 99.0)", "buy>sell": "(0.0, 75.0)",
        "buy>hold": "(0.0, 99.0)",
        "sell": "(0.0, 75.0)", "sell>buy": "(0.0, 75.0)", "sell>sell": "(0.0, 51.0)",
        "sell>hold": "(0.0, 51.0)",
        "hold": "(0.0, 51.0)", "hold>buy": "(0.0, 99.0)", "hold>sell": "(0.0, 51.0)",
        "hold>hold": "(0.0, 49.0)",
    },
    # the 13 node labels in the order the seed text extracts them
    "fig2_labels_seed_order": ["(0.0, 99.0)", "(0.0, 99.0)", "(0.0, 75.0)", "(0.0, 99.0)",
                               "(0.0, 75.0)", "(0.0, 51.0)", "(0.0, 49.0)", "(0.0, 51.0)",
                               "(0.0, 75.0)", "(0.0, 75.0)", "(0.0, 51.0)", "(0.0, 51.0)",
                               "(0.0, 99.0)"],
    "fig1_nodes": ["R", "a", "b", "i", "i'", "o", "t", "u", "v", "v'"],
    "fig4a_actions": ["(0.0, 100.0)", "(0.0, 50.0)", "(0.0, 75.0)"],
    "horizon_claim": 30,
}
# Derived reference values from the spec (B.6), not printed in the paper: Fig 2 branch
# probabilities. They are compared separately and labelled as such.
SPEC_DERIVED = {"fig2_root_branch_probs": {"buy": "5/12", "sell": "1/6", "hold": "5/12"}}

# %% [markdown]
# ## The model as case statements
#
# The state is $\langle v, i\rangle$ and an action is a (bid, ask) pair. The observation is the
# trader's buy, sell or hold. A trader of type $t$ sees $v_t = v + \varepsilon_t$. We read
# the paper's case statements as in spec B.3:
#
# * an informed-type trader buys if $v > ask + \varepsilon_t$ *and* $i \ge 1$. It sells if
#   $v < bid + \varepsilon_t$ and holds otherwise. A buy blocked by $i = 0$ is observed as a hold.
# * an uninformed trader draws buy, sell or hold with probability 1/3 each.
# * the reward is pure cash flow: the ask on a sale, minus the bid on a purchase. Inventory left
#   at the end is worth nothing.
# * the value is static, $T(v'\mid v) = \delta(v'-v)$.
#
# The hard constraint (the paper's $-\infty$ reward for selling from an empty inventory) is
# enforced by the transition and asserted. Below, the manager `m.X` prints the informed
# trader's observation and reward case statements for one action. It also prints their
# expectations over the Glosten-Milgrom (GM) population, 50 % informed and 50 % uninformed.

# %%
A2 = make_actions([0, 25, 49, 51, 75, 99])
gm = TraderModel.glosten_milgrom(Fraction(1, 2))
m2 = InventoryPOMDP(A2, gm, gamma=Fraction(9, 10))
a75 = A2.index((0, 75))
X = m2.X
print(X.pretty(m2.omega[a75][("informed", None)]["buy"], "Ω(buy | informed, (0,75))", "v, i"))
print(X.pretty(m2.omega[a75][("informed", None)]["hold"], "Ω(hold | informed, (0,75))", "v, i"))
print(X.pretty(m2.reward[a75][("informed", None)], "R(informed, (0,75))", "v, i"))
print(X.pretty(m2.lik[a75]["buy"], "P(buy | v, i, (0,75))", "v, i"))
print(X.pretty(m2.rbar[a75], "E[R | v, i, (0,75)]", "v, i"))

# %% [markdown]
# ## Figure 1: the POMDP as a dynamic Bayes net
#
# The paper's Fig. 1 draws the model as a dynamic Bayes net. Only its node labels survive in
# the extracted text: $v, v', i, i', b, a, o, R$, with $t$ and $u$ named in the caption. The
# arrows are lost. We draw the net with the parents that the case statements of B.3 name:
#
# * $\Omega(o \mid i, v, b, a, t, u)$;
# * $T(i' \mid i, v, b, a, t, u)$;
# * $T(v' \mid v)$;
# * $R(\cdot \mid i, v, b, a, t, u)$.
#
# The variables each case statement actually depends on are read off the XADDs.

# %% mystnb={"figure": {"caption": "Rebuilds Fig. 1 of {cite}`kinathil2016`: the market-making POMDP as a dynamic Bayes net, with parents read from our case statements (the paper's arrows are not recoverable).", "name": "fig-kinathil-1"}}
dep_omega = sorted(X.variables(m2.lik[a75]["buy"]))
dep_reward = sorted(X.variables(m2.rbar[a75]))
parents = {
    "o": ["v", "i", "b", "a", "t", "u"],
    "i'": ["i", "v", "b", "a", "t", "u"],
    "v'": ["v"],
    "R": ["v", "i", "b", "a", "t", "u"],
}
print("state variables in Ω(buy):", dep_omega, "| in E[R]:", dep_reward)
for k, ps in parents.items():
    print(f"{k:3s} <- {', '.join(ps)}")
pos = {"v": (0, 3), "i": (0, 2), "b": (0, 1), "a": (0, 0), "t": (1, 4), "u": (2, 4),
       "o": (1.5, 0.5), "R": (3, 1.5), "v'": (3, 3), "i'": (3, 2)}
fig, ax = subplots(width=6.0, height=3.8)
for child, ps in parents.items():
    for p in ps:
        (x0, y0), (x1, y1) = pos[p], pos[child]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops=dict(arrowstyle="->", color="0.55", lw=0.8,
                                    shrinkA=11, shrinkB=11))
for k, (x, y) in pos.items():
    ax.scatter([x], [y], s=620, color=PALETTE[0] if k in ("v", "i", "v'", "i'") else
               (PALETTE[1] if k in ("b", "a") else PALETTE[2]), zorder=3)
    ax.text(x, y, k, ha="center", va="center", color="white", fontsize=10, zorder=4)
ax.set_xlim(-0.5, 3.5)
ax.set_ylim(-0.6, 4.6)
ax.set_xlabel("time slice (left: current, right: next)")
ax.set_ylabel("variable (no units)")
ax.set_xticks([])
ax.set_yticks([])
plt.show()

# %%
ours_nodes = sorted(set(parents) | {p for ps in parents.values() for p in ps})
led.exact("Fig 1", "node labels of the Bayes net", paper=PAPER["fig1_nodes"], ours=ours_nodes)
led.not_attempted("Fig 1", "arrows of the Bayes net",
                  reason="only node labels survive in the extracted text; we draw the parents "
                         "named by the case statements (spec B.3)")

# %% [markdown]
# ## Figure 2: the sequentially optimal policy tree
#
# Setting: GM traders, the 15 actions $\{(bid, ask): bid < ask\}$ on the grid
# $\{0, 25, 49, 51, 75, 99\}$, and $H = 3$. The paper writes the initial belief as
# $\langle\{U[0,50], U[50,100]\}, 1.0\rangle$. We read it as *two* initial beliefs with
# $i = 1$ (spec B.6). The figure is the tree rooted at $v \sim U[50,100]$. The mixture reading,
# $U[0,100]$, gives root $(0, 99)$ and is rejected. The discount $\gamma$ is not stated; we
# use $\gamma = 0.9$ throughout unless a figure says otherwise.
#
# Symbolic PBVI runs over *all* beliefs reachable to the horizon, with the `"layered"`
# schedule: stage $h$ backs up the beliefs at depth $H-h$. This makes PBVI exact on every
# enumerated belief. At $i = 0$ nothing can be sold, so every ask is optimal. Such exact ties
# (rational arithmetic makes them exact) are broken towards the highest ask, as in the figure.

# %%
init2 = [Belief.uniform(0, 50, 1), Belief.uniform(50, 100, 1)]
t0 = time.perf_counter()
res2 = solve(m2, init2, 3, schedule="layered", check=True)
tree = policy_tree(res2, init2[1])
print(f"solved H = 3 over {sum(s.beliefs for s in res2.stats)} beliefs; "
      f"root value V3(U[50,100], i=1) = {float(tree.value):.4f}")
rows = []
for path, node in tree.walk():
    p = tree
    prob = Fraction(1)
    for o in path:
        q, p = p.children[o]
        prob = q
    rows.append((">".join(path) or "root", node.belief.inventory, fmt_num(prob) if path else "-",
                 m2.action_label(node.action), round(float(node.value), 4)))
print(f"{'node':10s} {'i':>2s} {'P(edge)':>8s}  {'action':12s} {'value':>8s}")
for r in rows:
    print(f"{r[0]:10s} {r[1]:2d} {r[2]:>8s}  {r[3]:12s} {r[4]:8.4f}")

# %% mystnb={"figure": {"caption": "Rebuilds Fig. 2 of {cite}`kinathil2016`: the optimal H = 3 policy tree from v ~ U[50,100], i = 1 (GM traders, gamma = 0.9). Nodes are (bid, ask) actions, edges are observations with their probabilities.", "name": "fig-kinathil-2"}}
fig, ax = subplots(width=9.0, height=4.2)
xy = {(): (0.0, 2.0)}
for k, o in enumerate(OBS):
    xy[(o,)] = (-3 + 3 * k, 1.0)
    for k2, o2 in enumerate(OBS):
        xy[(o, o2)] = (-3 + 3 * k - 1 + k2, 0.0)
for path, node in tree.walk():
    x, y = xy[path]
    for o, (p, ch) in node.children.items():
        x2, y2 = xy[path + (o,)]
        ax.plot([x, x2], [y, y2], color="0.6", lw=0.9, zorder=1)
        ax.text((x + x2) / 2, (y + y2) / 2 + 0.05, f"{o}\n{fmt_num(p) if len(fmt_num(p)) < 7 else f'{float(p):.3f}'}",
                fontsize=7, ha="center", va="bottom", color="0.3")
    ax.text(x, y, m2.action_label(node.action), ha="center", va="center", fontsize=8,
            bbox=dict(boxstyle="round", fc="white", ec=PALETTE[node.belief.inventory % 4]))
    branch = ", ".join(f"{o}: {float(p):.4f}" for o, (p, _) in node.children.items())
    print(f"{'/'.join(path) or 'root':<12} {m2.action_label(node.action):<12} i = {node.belief.inventory}"
          + (f"   branches {branch}" if branch else ""))
ax.set_xlim(-4.6, 4.6)
ax.set_ylim(-0.5, 2.5)
ax.set_yticks([0, 1, 2], ["h = 1", "h = 2", "h = 3"])
ax.set_ylabel("steps to go")
ax.set_xlabel("observation branches (box colour: inventory i)")
ax.set_xticks([])
plt.show()

# %% [markdown]
# Every label agrees with the paper. The tree is unchanged at $\gamma = 1$ (root value 64.21
# instead of 59.66). The paper's three verbal claims about the tree hold as well:
#
# * the ask is raised after a buy, lowered after a hold and unchanged after a sell;
# * the bid is always 0, because uninformed sellers give units away for free;
# * at $H = 1$ with $i \ge 1$ the ask lets the likely trader buy.

# %%
ours_tree = {(">".join(p) or "root"): m2.action_label(n.action) for p, n in tree.walk()}
led.exact("Fig 2", "13 node labels (path -> (bid, ask))", paper=PAPER["fig2_tree"],
          ours=ours_tree)
led.exact("Fig 2", "label multiset (seed text order, sorted)",
          paper=sorted(PAPER["fig2_labels_seed_order"]), ours=sorted(ours_tree.values()))
led.exact("Fig 2", "root branch probabilities (spec-derived reference, not printed in paper)",
          paper=SPEC_DERIVED["fig2_root_branch_probs"],
          ours={o: fmt_num(p) for o, (p, _) in tree.children.items()}, reference="derived")
asks = {p: A2[n.action][1] for p, n in tree.walk()}
bids = {A2[n.action][0] for _, n in tree.walk()}
led.qualitative("Fig 2", "ask raised after buy, lowered after hold, unchanged after sell",
                paper="ask is raised after a buy, lowered after a hold, unchanged after a sell",
                ours=f"root ask {asks[()]}: buy -> {asks[('buy',)]}, hold -> "
                     f"{asks[('hold',)]}, sell -> {asks[('sell',)]}",
                holds=asks[("buy",)] > asks[()] > asks[("hold",)] and asks[("sell",)] == asks[()])
led.qualitative("Fig 2", "bid 0.0 at every node", paper="an optimal bid of 0.0 for all H",
                ours=f"bids used: {sorted(float(b) for b in bids)}", holds=bids == {0})
h1 = [(n.belief, n.action) for p, n in tree.walk() if len(p) == 2 and n.belief.inventory >= 1]
# at H = 1 with i >= 1, the chosen ask is the one a trader is most likely to pay: P(buy) > 0
pb = [float(m2.update(b, a, "buy")[0]) for b, a in h1]
led.qualitative("Fig 2", "at H = 1 the ask lets a trader buy when i >= 1",
                paper="at H = 1 the MM chooses actions that ensure a trader will buy, "
                      "contingent upon having positive inventory",
                ours=f"P(buy) at the {len(h1)} leaves with i >= 1: {[round(x, 3) for x in pb]}",
                holds=all(x > 0 for x in pb))
m2g1 = InventoryPOMDP(A2, gm, gamma=1)
tree_g1 = policy_tree(solve(m2g1, init2, 3), init2[1])
same = {(">".join(p) or "root"): m2g1.action_label(n.action) for p, n in tree_g1.walk()} == ours_tree
print(f"tree identical at gamma = 1: {same}; root value at gamma = 1: {float(tree_g1.value):.4f}")
led.show("Fig 2")

# %% [markdown]
# ### The closed-form $\alpha$-functions
#
# The root $\alpha$-function is the exact value of the 3-step plan of Fig. 2, as a function of
# the *state*. It is printed below as a readable case statement. It is piecewise constant in
# $v$ (spec B.8.6), with breakpoints only at the quoted prices, and it depends on $i$ only
# through $i \ge k$ tests. This is the "inventory-sensitive" structure: the same plan is worth
# less when the MM runs out of units to sell.

# %%
j_root = res2.best_alpha(init2[1], 3)[0]
al = res2.V[3][j_root]
print(f"V^3 holds {len(res2.V[3])} α-functions; the root's has "
      f"{X.node_count(al.node)} XADD nodes and {len(X.case_rows(al.node))} partitions")
print(res2.pretty(j_root, name="α_root(v, i)  [plan (0,75) -> ...]"))
print("check: α_root · b0 =", fmt_num(m2.dot(al.node, init2[1])), "=", float(m2.dot(al.node, init2[1])))

# %% [markdown]
# ### Cross-check: symbolic PBVI equals brute-force expectimax on every belief
#
# `expectimax` is independent of the symbolic code. It recurses over the belief tree with
# float mass vectors on cells, codes trader behaviour directly, and never builds a case
# statement. For every belief enumerated to the horizon, PBVI's exact value $V^{H-d}(b)$ at
# depth $d$ must equal the expectimax value.

# %%
diffs = []
for h in range(1, 4):
    for b, v in res2.values[h].items():
        diffs.append(abs(float(v) - expectimax(m2, b, h)[0]))
print(f"{len(diffs)} enumerated beliefs; max |PBVI - expectimax| = {max(diffs):.2e}")

# %% [markdown]
# ## Figure 3: inventory sensitivity
#
# Setting: GM traders with 50 % or 10 % uninformed, $H = 3$, and the 10 actions on
# $\{20, 40, 60, 80, 100\}$. The priors are $U[0,100]$ (panel a) and $U[49,51]$ (panel b), and
# the initial inventory is 0, 1 or 2. The plotted data are lost, so only the paper's claims are
# checkable. At $i = 0$ every ask ties; as in Fig. 2 we report the highest.

# %%
A3 = make_actions([20, 40, 60, 80, 100])
priors3 = {"U[0,100]": (0, 100), "U[49,51]": (49, 51)}
pops3 = {"50% uninf.": Fraction(1, 2), "10% uninf.": Fraction(1, 10)}
fig3, res3 = {}, {}
for pn, (lo, hi) in priors3.items():
    for qn, p in pops3.items():
        m3 = InventoryPOMDP(A3, TraderModel.glosten_milgrom(p), gamma=Fraction(9, 10))
        inits = [Belief.uniform(lo, hi, i) for i in range(3)]
        r3 = res3[(pn, qn)] = solve(m3, inits, 3)
        for i, b in enumerate(inits):
            a, q, _ = r3.choose(b, 3)
            fig3[(pn, qn, i)] = (A3[a], q)
print(f"{'prior':9s} {'population':11s} " + "  ".join(f"i={i}: (bid, ask) value" for i in range(3)))
for pn in priors3:
    for qn in pops3:
        print(f"{pn:9s} {qn:11s} " + "  ".join(
            f"({float(fig3[(pn, qn, i)][0][0]):.0f}, {float(fig3[(pn, qn, i)][0][1]):.0f}) "
            f"{float(fig3[(pn, qn, i)][1]):7.3f}" for i in range(3)))

# %% mystnb={"figure": {"caption": "Rebuilds Fig. 3 of {cite}`kinathil2016`: optimal H = 3 root bid and ask against initial inventory, for (a) v ~ U[0,100] and (b) v ~ U[49,51]; (bid1, ask1) with 50 % and (bid2, ask2) with 10 % uninformed traders (gamma = 0.9).", "name": "fig-kinathil-3"}}
fig, axes = subplots(1, 2, sharey=True)
for ax, pn in zip(axes, priors3):
    for k, qn in enumerate(pops3):
        inv = np.arange(3)
        bid = [float(fig3[(pn, qn, i)][0][0]) for i in inv]
        ask = [float(fig3[(pn, qn, i)][0][1]) for i in inv]
        off = -0.06 if k == 0 else 0.06
        ax.plot(inv + off, ask, "o-", color=PALETTE[k], label=f"ask{k + 1} ({qn})")
        ax.plot(inv + off, bid, "s--", color=PALETTE[k], label=f"bid{k + 1} ({qn})")
        print_curve(f"{pn} {qn} ask", inv, ask, digits=0)
        print_curve(f"{pn} {qn} bid", inv, bid, digits=0)
    ax.set_title(f"({'ab'[list(priors3).index(pn)]}) v ~ {pn}")
    ax.set_xlabel("initial inventory i (units)")
    ax.set_xticks([0, 1, 2])
axes[0].set_ylabel("optimal price ($)")
axes[1].legend(loc="center right", fontsize=7)
plt.show()

# %%
def spread(pn, qn, i):
    b, a = fig3[(pn, qn, i)][0]
    return float(a - b)


c1 = {(qn, i): (spread("U[49,51]", qn, i), spread("U[0,100]", qn, i)) for qn in pops3 for i in (1, 2)}
led.qualitative("Fig 3", "narrow belief -> narrower spread (except i = 0)",
                paper="with the exception of the i = 0 case, a narrow initial value belief has "
                      "a narrower optimal bid-ask spread",
                ours="; ".join(f"{qn} i={i}: {n:.0f} vs {w:.0f}" for (qn, i), (n, w) in c1.items()),
                holds=all(n < w for n, w in c1.values()),
                reason="holds at i = 2 for both populations and at i = 1 for 10 % uninformed; "
                       "with 50 % uninformed and i = 1 the narrow belief quotes ask 100 "
                       "(only uninformed traders buy there), a wider spread than U[0,100]. The "
                       "exact action values below show why (waiting for uninformed buyers at 100 "
                       "beats selling the single unit at 40), and it fails at i = 1 at γ = 0.8 "
                       "and 1 too: a property of the model, not a modelling slip")
c2 = {(pn, i): (float(fig3[(pn, "50% uninf.", i)][0][1]), float(fig3[(pn, "10% uninf.", i)][0][1]))
      for pn in priors3 for i in (1, 2)}
led.qualitative("Fig 3", "more uninformed traders -> higher asks",
                paper="the MM uses higher ask prices when the trader population comprises a "
                      "higher proportion of uninformed traders",
                ours="; ".join(f"{pn} i={i}: {x:.0f} vs {y:.0f}" for (pn, i), (x, y) in c2.items()),
                holds=all(x >= y for x, y in c2.values()) and any(x > y for x, y in c2.values()))
varies = {
    "belief": any(fig3[("U[0,100]", q, i)][0] != fig3[("U[49,51]", q, i)][0] for q in pops3 for i in range(3)),
    "population": any(fig3[(p, "50% uninf.", i)][0] != fig3[(p, "10% uninf.", i)][0] for p in priors3 for i in range(3)),
    "inventory": any(fig3[(p, q, 1)][0] != fig3[(p, q, 2)][0] for p in priors3 for q in pops3),
}
led.qualitative("Fig 3", "prices depend on belief, population and inventory",
                paper="the MM sets its bid and ask prices based on its initial beliefs, "
                      "characteristics of the trader population and inventory levels",
                ours=f"action changes with: {varies}", holds=all(varies.values()))
led.show("Fig 3")

# %% [markdown]
# ### Is the failure at $i = 1$ a modelling slip?
#
# With 50 % uninformed traders and one unit, the narrow belief $U[49,51]$ quotes ask 100, a
# wider spread than $U[0,100]$'s ask 80. The mechanism is in the exact value of each root
# action (bid 20, which is always optimal). The MM has one unit to sell within three periods.
# Ask 40 sells it at once to any informed trader, whose estimate is about 50. Ask 100 sells
# only to uninformed buyers, who arrive with probability 1/6 each period and pay any price,
# and the MM can still fall back to ask 40 in the last period. With half the population
# uninformed, waiting for a buyer at 100 beats selling at 40 now; with 10 % it does not.

# %%
Q_ASKS = (40, 60, 80, 100)
qrows, qlabels = [], []
for (pn, qn), r3 in res3.items():                # the Fig. 3 solutions, gamma = 0.9
    qv, _ = r3.q_values(Belief.uniform(*priors3[pn], 1), 3)
    qrows.append([float(qv[A3.index((20, k))]) for k in Q_ASKS])
    qlabels.append(f"{pn} {qn}")
print_table(qlabels, [f"ask {k}" for k in Q_ASKS], qrows, digits=3,
            title="exact H = 3 value of the root action (bid 20, ask k) at i = 1, γ = 0.9")


def claim1_by_gamma(g):
    """Narrow and wide root spreads at i = 1, 2 for both populations at discount g."""
    if g == "0.9":                                # already solved above
        return {(qn, i): (spread("U[49,51]", qn, i), spread("U[0,100]", qn, i))
                for qn in pops3 for i in (1, 2)}
    out = {}
    for qn, p in pops3.items():
        m3 = InventoryPOMDP(A3, TraderModel.glosten_milgrom(p), gamma=Fraction(g))
        inits = {(pn, i): Belief.uniform(lo, hi, i) for pn, (lo, hi) in priors3.items()
                 for i in (1, 2)}
        r3 = solve(m3, list(inits.values()), 3)
        sp_ = {k: float(A3[r3.choose(b, 3)[0]][1] - A3[r3.choose(b, 3)[0]][0])
               for k, b in inits.items()}
        for i in (1, 2):
            out[(qn, i)] = (sp_[("U[49,51]", i)], sp_[("U[0,100]", i)])
    return out


g_rows = {g: claim1_by_gamma(g) for g in ("0.8", "0.9", "1")}
keys1 = list(g_rows["0.9"])
print_table([f"{qn}, i={i}" for qn, i in keys1], [f"γ={g}" for g in g_rows],
            [[float(g_rows[g][k][0] < g_rows[g][k][1]) for g in g_rows] for k in keys1],
            digits=0, title="narrow spread < wide spread: holds (1) or not (0)")
fails_i1 = {g: [qn for qn, i in keys1 if i == 1 and not g_rows[g][(qn, i)][0] < g_rows[g][(qn, i)][1]]
            for g in g_rows}
print("populations where it fails at i = 1:", fails_i1)

# %% [markdown]
# The margin is not a rounding artefact: 37.8 against 33.1 (ask 100 against ask 40) with 50 %
# uninformed, the other way round with 10 %. The claim fails at $i = 1$ for some population
# at every $\gamma$ we tried, and holds at $i = 2$ at every $\gamma$. Two modelling readings
# could matter, and neither rescues it. The reward is cash only (spec B.3, confirmed by the
# Fig. 2 tree). Valuing leftover inventory instead would make holding the unit *more*
# attractive, so the ask would stay high. The uninformed trader buys at any price with
# probability 1/3 (spec B.2), and that is exactly what the paper's own Fig. 4 explanation
# relies on ("[0, 100] exploits uninformed traders"). We conclude the failure is a genuine
# property of the model as reconstructed. The paper's Fig. 3 may have been drawn with
# different settings, for example another action grid, horizon or $\gamma$; its data are lost.
#
# The bid is the lowest price, 20, in every setting: with a cash-only reward the MM pays as
# little as possible for units. At $i = 0$ the value can be *negative* (U[0,100], 50 %
# uninformed, printed below). Uninformed sellers force purchases at the bid, and leftover
# inventory is worthless. This is a consequence of the paper's reward, not a bug.

# %%
print("value at i = 0, U[0,100], 50% uninformed:",
      round(float(fig3[("U[0,100]", "50% uninf.", 0)][1]), 4))

# %% [markdown]
# ## Figure 4: the upper surface of the $\alpha$-functions for two trader models
#
# Setting: $i = 1$ and the initial beliefs of Fig. 2. $B$ is every belief reachable to
# $H = 3$: 1,514 beliefs for GM and 623 for Discrete, counting duplicates as the spec does. The
# schedule is standard PBVI (`"all"`): every belief is backed up at every stage. The 9 actions
# are bid in $\{0, 25, 50, 75\}$ and ask in $\{50, 75, 100\}$. Discrete traders have
# $\varepsilon \in \{0, +10, -10\}$ with probability 1/3 each. The surface is
# $\max_{\alpha \in V^3} \int \alpha(v, 1)\, U[m-w, m+w](v)\, dv$ over mean $m$ and width $w$,
# coloured by the maximising action. At $w = 0$ it is the point value.
#
# **The discount factor matters here.** The paper never states $\gamma$. The spec found, and
# we confirm below, that the two panels' claims need different $\gamma$:
#
# * GM shows its three actions only for $\gamma$ below about 0.87;
# * Discrete widens its spread at $m = 70$ only for $\gamma$ above about 0.99 (on the grid
#   of $\gamma$ values below, only at 1).
#
# Both switch points are bracketed exactly below, together with a check that the conflict is
# not an artefact of PBVI's belief set.
#
# We therefore show GM at $\gamma = 0.8$ and $0.9$, and Discrete at $0.9$ and $1$. Every claim is
# recorded at our default $\gamma = 0.9$ and also at the $\gamma$ that reproduces it.

# %%
A4 = make_actions([0, 25, 50, 75], [50, 75, 100])
models4 = {"GM": gm, "Discrete": TraderModel.discrete(10)}
means = np.arange(0, 100.01, 2.5)
widths = np.arange(0, 50.01, 2.5)
grid_m = np.arange(0, 100.01, 5.0)
surf, counts4 = {}, {}
for name, tm in models4.items():
    for g in ["0.8", "0.85", "0.9", "0.95", "0.99", "1"]:
        m4 = InventoryPOMDP(A4, tm, gamma=Fraction(g))
        r4 = solve(m4, init2, 3, schedule="all")
        vals, arg = upper_surface(r4, 1, means, widths)
        acts = np.array([[r4.V[3][j].action for j in row] for row in arg])
        surf[(name, g)] = (vals, acts)
        counts4[name] = sum(len(L) for L in reachable_beliefs(m4, init2, 3, dedup=False))
print("|B| reachable to H = 3 (duplicates kept):", counts4)


def w0_asks(name, g):
    vals, acts = surf[(name, g)]
    sel = np.isin(means, grid_m)
    return [A4[a] for a in acts[0][sel]]


def lab(a):
    return f"({float(a[0]):.0f},{float(a[1]):.0f})"


for key in [("GM", "0.8"), ("GM", "0.9"), ("Discrete", "0.9"), ("Discrete", "1")]:
    print(f"{key[0]:8s} γ={key[1]:4s} w=0, m=0..100 step 5:",
          " ".join(lab(a) for a in w0_asks(*key)))

# %% mystnb={"figure": {"caption": "Rebuilds Fig. 4 of {cite}`kinathil2016`: optimal action (colour) and value (contours) of the upper surface of V^3 at i = 1 over beliefs v ~ U[m-w, m+w]; (a) Glosten-Milgrom at gamma = 0.8 and 0.9, (b) Discrete at gamma = 0.9 and 1.", "name": "fig-kinathil-4"}}
from matplotlib.colors import ListedColormap

cmap = ListedColormap([PALETTE[k % len(PALETTE)] for k in range(len(A4))])
fig, axes = subplots(1, 4, width=15.0, height=3.6, sharey=True)
panels = [("GM", "0.8"), ("GM", "0.9"), ("Discrete", "0.9"), ("Discrete", "1")]
for ax, key in zip(axes, panels):
    vals, acts = surf[key]
    ax.pcolormesh(means, widths, acts, cmap=cmap, vmin=-0.5, vmax=len(A4) - 0.5, shading="nearest")
    cs = ax.contour(means, widths, vals, levels=6, colors="k", linewidths=0.6)
    ax.clabel(cs, fontsize=6, fmt="%.0f")
    used = sorted(set(acts.ravel()))
    for a in used:
        ax.scatter([], [], color=cmap(a), label=lab(A4[a]), marker="s")
    ax.legend(fontsize=6, loc="upper left")
    ax.set_title(f"{'(a)' if key[0] == 'GM' else '(b)'} {key[0]}, γ = {key[1]}")
    ax.set_xlabel("belief mean m ($)")
    sub = np.ix_(np.isin(widths, [0, 10, 20, 30, 40, 50]), np.isin(means, [0, 25, 50, 70, 75, 100]))
    print_table([f"w={w:g}" for w in [0, 10, 20, 30, 40, 50]], [f"m={x:g}" for x in [0, 25, 50, 70, 75, 100]],
                vals[sub], digits=2, title=f"{key[0]} γ={key[1]}: upper-surface value")
axes[0].set_ylabel("belief width w ($)")
plt.show()

# %%
def claims4(name, g):
    asks = [float(a[1]) for a in w0_asks(name, g)]
    labs = [lab(a) for a in w0_asks(name, g)]
    vals, acts = surf[(name, g)]
    col = acts[:, list(means).index(70.0)]
    sp = [float(A4[a][1] - A4[a][0]) for a in col]
    return {
        "three": set(labs) == {"(0,100)", "(0,50)", "(0,75)"},
        "low_m_100": labs[0] == "(0,100)",
        "order": [k for k, _ in __import__("itertools").groupby(labs)] == ["(0,100)", "(0,50)", "(0,75)"],
        "nondecr": all(x <= y for x, y in zip(asks, asks[1:])),
        "widen70": sp[-1] > sp[0] and all(x <= y for x, y in zip(sp, sp[1:])),
    }


gammas = ["0.8", "0.85", "0.9", "0.95", "0.99", "1"]
tab = {(n, g): claims4(n, g) for n in models4 for g in gammas}
names = {"GM": ["three", "low_m_100", "order"], "Discrete": ["nondecr", "widen70"]}
for n, cl in names.items():
    print_table([f"{n}: {c}" for c in cl], [f"γ={g}" for g in gammas],
                [[float(tab[(n, g)][c]) for g in gammas] for c in cl], digits=0,
                title=f"claim holds (1) or not (0), {n}")

# %% [markdown]
# ### Where do the claims switch, and is it PBVI's belief set?
#
# The upper surface uses only the $\alpha$-functions backed up at the beliefs of $B$, so away
# from $B$ it is a lower bound on the optimal value, and its argmax need not be the optimal
# action. A claim that fails on the surface might hold for the exact optimal policy. We
# therefore bracket where each claim switches, by bisection on $\gamma$ in exact rationals
# (`mmkit.symbolic.pbvi.switch_point`), twice:
#
# * on the upper surface, as plotted;
# * for the exact optimal root action, from brute-force `expectimax` at every belief of the
#   test. Point beliefs become $U[m \pm 0.01]$, and the means are taken between prices
#   (2.5, 7.5, ..., 97.5) so that no point belief sits on a price.

# %%
from mmkit.symbolic.pbvi import switch_point  # noqa: E402

M_OFF = np.arange(2.5, 100, 5.0)
W70 = [Fraction(1, 100), 10, 20, 30, 40, 50]


def surface_actions(name, g):
    """Upper-surface actions at w = 0 (m = 0..100 step 5) and at m = 70 (w = 0..50 step 10)."""
    r4 = solve(InventoryPOMDP(A4, models4[name], gamma=Fraction(g)), init2, 3, schedule="all")
    _, arg = upper_surface(r4, 1, grid_m, np.arange(0, 50.01, 10.0))
    acts = [[A4[r4.V[3][j].action] for j in row] for row in arg]
    return acts[0], [row[list(grid_m).index(70.0)] for row in acts]


def exact_actions(name, g):
    """Exact optimal root actions (expectimax) at the same kinds of beliefs."""
    m = InventoryPOMDP(A4, models4[name], gamma=Fraction(g))
    act = lambda lo, hi: A4[expectimax(m, Belief.uniform(lo, hi, 1), 3)[1]]  # noqa: E731
    tiny = Fraction(1, 100)
    return ([act(Fraction(x) - tiny, Fraction(x) + tiny) for x in M_OFF],
            [act(70 - Fraction(w), 70 + Fraction(w)) for w in W70])


def three(acts_w0):
    return {lab(a) for a in acts_w0} == {"(0,100)", "(0,50)", "(0,75)"}


def widens(col):
    sp_ = [a[1] - a[0] for a in col]
    return sp_[-1] > sp_[0] and all(x <= y for x, y in zip(sp_, sp_[1:]))


switch = {
    ("GM three actions", "surface"): switch_point(lambda g: three(surface_actions("GM", g)[0]),
                                                  "0.85", "0.9", tol="0.005"),
    ("GM three actions", "exact"): switch_point(lambda g: three(exact_actions("GM", g)[0]),
                                                "0.85", "0.9", tol="0.005"),
    ("Discrete widening", "surface"): switch_point(
        lambda g: widens(surface_actions("Discrete", g)[1]), "0.99", "1", tol="0.001"),
    ("Discrete widening", "exact"): switch_point(
        lambda g: widens(exact_actions("Discrete", g)[1]), "0.85", "0.9", tol="0.005"),
}
for (claim, how), (a_, b_) in switch.items():
    side = "holds up to" if claim.startswith("GM") else "fails up to"
    print(f"{claim:18s} {how:8s}: {side} γ = {float(a_):.4f}, switches by γ = {float(b_):.4f}")
gm_max = {how: switch[("GM three actions", how)][1] for how in ("surface", "exact")}
d_min = {how: switch[("Discrete widening", how)][0] for how in ("surface", "exact")}
overlap = {how: gm_max[how] > d_min[how] for how in gm_max}
print("a γ where both hold exists:", overlap)

# %% [markdown]
# For GM the upper surface and the exact optimal policy switch at the same $\gamma$, between
# 0.872 and 0.875. The $(0, 50)$ band is a genuine trade-off of the model: with the value
# between 50 and 75 and one unit left, selling at 50 to the informed trader now competes with
# waiting for an uninformed buyer at 100, and a more patient MM waits. For Discrete the belief
# set does matter: the exact optimal policy already widens its spread at $m = 70$ from
# $\gamma \approx 0.89$ (at the widest belief, $w = 50$), the upper surface only from 0.993.
# Even the exact policy, though, needs a $\gamma$ above GM's switch point, so the conflict
# between the panels is a property of the reconstructed model, not an artefact of PBVI.

# %%
def g_ok(n, c):
    return [g for g in gammas if tab[(n, g)][c]]


led.qualitative("Fig 4", "(a) GM: three optimal actions (0,100), (0,50), (0,75) at w = 0, γ = 0.9",
                paper="three distinct optimal actions [0,100], [0,50], [0,75]",
                ours=" ".join(lab(a) for a in w0_asks("GM", "0.9")), holds=tab[("GM", "0.9")]["three"],
                reason="at γ = 0.9 (0,50) is never optimal; it appears for γ <= "
                       f"{float(switch[('GM three actions', 'surface')][0]):.3f} "
                       f"(holds at γ in {g_ok('GM', 'three')}; the exact optimal policy agrees)")
led.qualitative("Fig 4", "(a) GM: three optimal actions in order 100 -> 50 -> 75 as m rises, γ = 0.8",
                paper="[0,100] exploits uninformed traders at low mean; [0,50] and [0,75] take over "
                      "as the mean rises above their asks",
                ours=" ".join(lab(a) for a in w0_asks("GM", "0.8")), holds=tab[("GM", "0.8")]["order"])
led.qualitative("Fig 4", "(a) GM: (0,100) optimal at low mean, w = 0, γ = 0.9",
                paper="with width 0, [0.0, 100.0] exploits uninformed traders",
                ours=lab(w0_asks("GM", "0.9")[0]) + " at m = 0", holds=tab[("GM", "0.9")]["low_m_100"])
led.qualitative("Fig 4", "(b) Discrete: ask non-decreasing in m at w = 0, γ = 0.9",
                paper="when the MM is certain about the value, they select actions with increasing "
                      "ask prices",
                ours=" ".join(lab(a) for a in w0_asks("Discrete", "0.9")),
                holds=tab[("Discrete", "0.9")]["nondecr"])
col = lambda g: [lab(A4[a]) for a in surf[("Discrete", g)][1][::4, list(means).index(70.0)]]
led.qualitative("Fig 4", "(b) Discrete: wider spread at m = 70 as width grows, γ = 0.9",
                paper="when the MM becomes increasingly uncertain about a mean value of 70, they "
                      "use actions with a wider bid-ask spread",
                ours="w = 0,10,..,50: " + " ".join(col("0.9")), holds=tab[("Discrete", "0.9")]["widen70"],
                reason="at γ = 0.9 the action at m = 70 stays (0,75) for every width; on the surface "
                       "the widening to (0,100) appears only from γ = "
                       f"{float(switch[('Discrete widening', 'surface')][1]):.3f} (holds at γ in "
                       f"{g_ok('Discrete', 'widen70')}). The exact optimal policy (expectimax) "
                       "widens from γ = "
                       f"{float(switch[('Discrete widening', 'exact')][1]):.3f}, so at γ = 0.9 the "
                       "gap comes from PBVI's belief set, which the paper's figure shares")
led.qualitative("Fig 4", "(b) Discrete: wider spread at m = 70 as width grows, γ = 1",
                paper="wider spread under more uncertainty at m = 70",
                ours="w = 0,10,..,50: " + " ".join(col("1")), holds=tab[("Discrete", "1")]["widen70"])
both = [g for g in gammas if tab[("GM", g)]["three"] and tab[("Discrete", g)]["widen70"]]
sw_txt = {how: f"GM three actions up to γ = {float(switch[('GM three actions', how)][0]):.3f}, "
                f"Discrete widening from γ = {float(switch[('Discrete widening', how)][1]):.3f}"
          for how in ("surface", "exact")}
led.qualitative("Fig 4", "one γ reproduces both panels",
                paper="(the paper uses one unstated γ for both panels)",
                ours=f"γ grid {gammas}: both claims hold at {both or 'none'}; upper surface: "
                     f"{sw_txt['surface']}; exact optimal policy: {sw_txt['exact']}",
                holds=bool(both),
                reason="no single γ fits on the upper surface; the exact optimal policy (expectimax, "
                       "free of PBVI's belief set) narrows the gap but "
                       + ("closes it" if overlap["exact"] else "does not close it")
                       + ". So either the paper's γ differs between panels or its model differs "
                       "from the spec's reconstruction in a detail the text does not show")
led.exact("Fig 4", "|B| reachable to H = 3, GM and Discrete (spec-derived reference)",
          paper={"GM": 1514, "Discrete": 623}, ours=counts4, reference="derived")
led.show("Fig 4")

# %% [markdown]
# **Our choice.** We keep $\gamma = 0.9$ as the chapter's default for three reasons:
#
# * the Fig. 2 tree is exact at it, and at every $\gamma \in [0.7, 1]$;
# * Fig. 3's first claim fails at $i = 1$ at every $\gamma$ we tried (0.8, 0.9, 1), so the
#   choice does not decide that verdict;
# * it respects the paper's own definition, $\gamma < 1$.
#
# Figure 4 is the only place where $\gamma$ changes a conclusion, and it does so in opposite
# directions for the two panels. We report that, rather than pick a $\gamma$ per panel to
# manufacture a match.
#
# ## Figure 5: time and space against the horizon, and H = 30
#
# The paper's Fig. 5 numbers are not recoverable: neither the model, nor the beliefs, nor the
# $H$ range survive. We run our own scaling study on the Fig. 2 instance. Space is measured as
# the paper does: the XADD nodes of all $\alpha$-functions of $V^h$, shared nodes counted once.
#
# * **Exact PBVI** over all beliefs reachable to $H$ (`"layered"`). Its cost grows with the
#   number of reachable beliefs, $O((3|A|)^{H-1})$, so we run it to $H = 4$. It is shown beside
#   the brute-force expectimax, which it must and does equal.
# * **Bounded PBVI**, to reach $H = 30$. The belief set is fixed to the root and its 14 distinct
#   one-step successors, and is backed up at every stage (`"fixed"`). We do not use the
#   model-predictive control the paper mentions. Every $\alpha$-function is the value of a
#   real conditional plan, so $V^{30}(b_0)$ is a guaranteed lower bound on the optimal value.
#   It is exact wherever the set covers the reachable beliefs: checked below for $H \le 3$.

# %%
# NBVAL_IGNORE_OUTPUT
root = init2[1]
exact_rows = []
for H in range(1, 5):
    t0 = time.perf_counter()
    rH = solve(InventoryPOMDP(A2, gm, gamma=Fraction(9, 10)), [root], H)
    t_pbvi = time.perf_counter() - t0
    t0 = time.perf_counter()
    vx = expectimax(m2, root, H)[0]
    t_ex = time.perf_counter() - t0
    exact_rows.append((H, t_pbvi, rH.stats[-1].nodes_shared, float(rH.value(root)), t_ex, vx))
    print(f"H={H}: exact PBVI {t_pbvi:.2f} s wall, {sum(s.beliefs for s in rH.stats)} beliefs, "
          f"nodes(V^H) = {rH.stats[-1].nodes_shared}, V = {float(rH.value(root)):.4f}; "
          f"expectimax {t_ex:.2f} s wall, V = {vx:.4f}")

# %%
# NBVAL_IGNORE_OUTPUT
B1 = [b for L in reachable_beliefs(m2, [root], 2) for b in L]
m30 = InventoryPOMDP(A2, gm, gamma=Fraction(9, 10))
t0 = time.perf_counter()
r30 = solve(m30, [root], 30, schedule="fixed", belief_set=B1)
t30 = time.perf_counter() - t0
print(f"bounded PBVI, |B| = {len(B1)}, H = 30: {t30:.1f} s wall")

# %%
print(f"H = 30 reached within 60 s: {t30 < 60}")
# the deterministic part of the timing cells above (nbval checks these; the timings it ignores)
for H, _, nodes_H, v_pbvi, _, v_ex in exact_rows:
    print(f"exact PBVI H={H}: nodes(V^H) = {nodes_H}, V = {v_pbvi:.4f}; expectimax V = {v_ex:.4f}")
print(f"lower bound V^30(U[50,100], i=1) = {float(r30.value(root)):.4f}")
print(f"root action at H = 30: {m30.action_label(r30.choose(root, 30)[0])}")
for H in (1, 2, 3):
    print(f"bounded vs exact at H={H}: {float(r30.value(root, H)):.4f} vs {exact_rows[H - 1][3]:.4f}")
for s in r30.stats[::3]:
    print(f"h={s.horizon:2d}: |V^h| = {s.alphas:2d}, nodes shared = {s.nodes_shared:5d}, "
          f"largest α = {s.nodes_max:4d} nodes")

# %% mystnb={"figure": {"caption": "Our study in place of Fig. 5 of {cite}`kinathil2016` (whose data are not recoverable): wall time and XADD nodes against the horizon on the Fig. 2 instance, for exact PBVI (all reachable beliefs), bounded PBVI (15 beliefs) and brute-force expectimax.", "name": "fig-kinathil-5"}}
# NBVAL_IGNORE_OUTPUT
fig, (ax1, ax2) = subplots(1, 2)
hs = np.array([s.horizon for s in r30.stats])
ax1.semilogy(hs, np.cumsum([s.seconds for s in r30.stats]), "o-", ms=3, label="bounded PBVI (cumulative)")
ax1.semilogy([r[0] for r in exact_rows], [r[1] for r in exact_rows], "s-", label="exact PBVI")
ax1.semilogy([r[0] for r in exact_rows], [max(r[4], 1e-3) for r in exact_rows], "^-", label="expectimax")
ax1.set_xlabel("horizon H (steps)")
ax1.set_ylabel("wall time (s)")
ax1.legend()
ax2.plot(hs, [s.nodes_shared for s in r30.stats], "o-", ms=3, label="bounded PBVI: nodes of V^h")
ax2.plot([r[0] for r in exact_rows], [r[2] for r in exact_rows], "s-", label="exact PBVI: nodes of V^H")
ax2.set_xlabel("horizon H (steps)")
ax2.set_ylabel("XADD nodes (count)")
ax2.legend()
print_curve("bounded PBVI nodes", hs, [s.nodes_shared for s in r30.stats], digits=0)
print_curve("bounded PBVI cumulative time (s)", hs, np.cumsum([s.seconds for s in r30.stats]), digits=2)
plt.show()

# %%
nodes = np.array([s.nodes_shared for s in r30.stats], dtype=float)
per_stage_t = np.array([s.seconds for s in r30.stats])
led.not_attempted("Fig 5", "paper's time and space numbers",
                  reason="the figure's data, model, beliefs and horizon range are not in the "
                         "extracted text; we report our own scaling study instead")
led.qualitative("Fig 5", "H = 30 solvable (ours: bounded PBVI within 60 s)",
                paper="we can effectively solve for H = 30 or more",
                ours=f"H = {r30.horizon} solved with {len(B1)} backup beliefs, "
                     f"nodes(V^30) = {r30.stats[-1].nodes_shared}",
                holds=r30.horizon == PAPER["horizon_claim"] and t30 < 60)
grow_nodes = nodes[-1] / nodes[9]
led.qualitative("Fig 5", "space grows with H because alpha-functions gain partitions",
                paper="the space requirement grows ... due to an inflation in the number of "
                      "observation partitions per alpha-function",
                ours=f"nodes(V^h) grow from {nodes[0]:.0f} (h=1) to {nodes[9]:.0f} (h=10) and "
                     f"{nodes[-1]:.0f} (h=30); largest α {r30.stats[-1].nodes_max} nodes",
                holds=bool(nodes[-1] > nodes[9] > nodes[0]),
                reason="" if nodes[-1] > nodes[9] > nodes[0] else "node counts did not grow")
led.show("Fig 5")

# %% [markdown]
# The growth is in the inventory dimension. A plan that is $h$ steps long can sell at most $h$
# units, so its $\alpha$-function needs the tests $i \ge 1, \dots, i \ge h$. Each of them
# carries its own partition of $v$. That is the paper's "inflation in the number of
# observation partitions per $\alpha$-function", made concrete.

# %% [markdown]
# Two honest observations on cost:
#
# * On a *single* initial belief, memoised brute-force expectimax is faster than exact PBVI at
#   every horizon we ran. Exact PBVI pays for building closed-form $\alpha$-functions, and
#   those are what it buys: each one is a valid value function over *all* states, and hence
#   over all beliefs (Fig. 4 evaluates them on 861 beliefs nobody backed up).
# * Against a naive sympy `Piecewise` implementation of the same backups, the XADD is two to
#   three orders of magnitude faster. `benchmarks/bench_pbvi.py` builds the 15
#   $\alpha$-functions of the $H = 3$ solution both ways, with identical results: 2 to 3 s in
#   sympy against 0.01 s with the XADD, on this machine.
#
# ## Beyond the paper: Kinathil's MM against Das's optimal MM on a shocked market
#
# The paper says it generalises {cite:t}`das2008`, but it never runs the two market makers
# side by side. We put both on Das's own shocked Glosten-Milgrom market:
#
# * $V \sim N(0, \rho^2)$, drawn once;
# * traders see $w = V + Z$ with $Z \sim N(0, 1)$, so $\sigma_\varepsilon = 1$;
# * profit is marked to market ($a - V$ on a sale, $V - b$ on a purchase), with $\gamma = 0.9$;
# * there are $T = 3$ periods and 20,000 runs, with common random numbers.
#
# The Das MMs come from the Das chapter's module `mmkit.glosten_milgrom`, imported unchanged:
# the DP-optimal MM and the myopic MM. Both keep a Gaussian belief and quote continuous prices.
# The Kinathil MM follows its exact $H = 3$ policy tree. It needs the market in its own model
# class, so it plans with an approximation of that market:
#
# * a piecewise-uniform prior on the normal's quantiles;
# * discrete noise $\varepsilon \in \{0, \pm 1.2\}$ (the standard deviation of $Z$);
# * a 1 % uninformed share, so that every observation has positive probability;
# * five prices at $\{0, \pm 0.75, \pm 1.5\}\sqrt{1+\rho^2}$ (the scale of Das's quotes);
# * the mark-to-market reward. Its leaves are *linear* in $v$, so the $\alpha$-functions are
#   LPWL, not LPWC: the general case the paper's closure argument covers;
# * an inventory of $T$ units, so the no-short constraint never binds and both MMs face the
#   same problem.

# %%
from mmkit.experiments import ShockedMarketConfig, kinathil_vs_das

cmp = {rho: kinathil_vs_das(ShockedMarketConfig(rho=rho, periods=3, runs=20_000, seed=0))
       for rho in (1.0, 2.0, 4.0)}
mms = list(cmp[1.0]["results"])
print(f"{'rho':>4} " + " ".join(f"{n:>26s}" for n in mms) + "   Kinathil - Das opt.   Kinathil model value")
for rho, r in cmp.items():
    cells = " ".join(f"{r['results'][n][0]:9.4f} ± {r['results'][n][1]:.4f} ({r['results'][n][2][1]:5.2f})"
                     for n in mms)
    print(f"{rho:4.1f} {cells}   {r['paired_diff'][0]:8.4f} ± {r['paired_diff'][1]:.4f}   "
          f"{r['model_value']:8.4f}")
print("(mean discounted profit over 3 periods ± s.e.; root ask in parentheses)")
r2 = cmp[2.0]
j = r2["result"].best_alpha(r2["prior"], 3)[0]
txt = r2["result"].pretty(j, name="α_root (rho = 2, mark-to-market)").splitlines()
print("\n".join(txt[:8]), f"\n... ({len(txt)} partitions; linear leaves in v)")

# %% mystnb={"figure": {"caption": "Not in the paper: mean discounted profit over T = 3 periods of the Kinathil MM (exact policy tree of its approximate model) and of Das & Magdon-Ismail's optimal and myopic MMs on the same shocked Glosten-Milgrom market (20,000 runs, common random numbers), against the initial information disadvantage rho.", "name": "fig-kinathil-vs-das"}}
fig, ax = subplots()
rhos = np.array(list(cmp))
for k, n in enumerate(mms):
    mean = np.array([cmp[r]["results"][n][0] for r in rhos])
    se = np.array([cmp[r]["results"][n][1] for r in rhos])
    ax.errorbar(rhos + 0.06 * (k - 1), mean, yerr=2 * se, fmt="o-", capsize=3, label=n, color=PALETTE[k])
    print_curve(n, rhos, mean, digits=4, xdigits=1)
ax.axhline(0, color="0.5", lw=0.8)
ax.set_xlabel("initial information disadvantage ρ = σ0/σε")
ax.set_ylabel("discounted profit over 3 periods (units of σε)")
ax.legend()
plt.show()

# %% [markdown]
# On Das's market, with Das's objective, Das's market makers win:
#
# * the Kinathil MM earns less than the DP-optimal MM at every $\rho$, by 0.08 to 0.24 over
#   three periods, far outside the paired standard errors;
# * over three periods the myopic MM does best of all (tied with the optimal MM at
#   $\rho = 1$). The optimal MM invests in exploration
#   that pays off only later, and at $\rho = 4$ the myopic MM quotes so wide that it simply
#   stops trading.
#
# The Kinathil MM's exactness is relative to *its* model, and that model is only an
# approximation of this market: five prices against a continuum, three noise types against a
# Gaussian, a histogram prior. Its own predicted value (table, last column) is within 0.1 of
# the realised one, a little pessimistic at $\rho = 2$ and 4, so the loss comes mostly from
# the coarse action grid and noise model, not from the solver. What the symbolic POMDP offers in return is what Das's closed forms
# cannot:
#
# * hard inventory constraints;
# * arbitrary priors and trader mixes;
# * exact values on a discrete model.
#
# "Generalises Das" is true of the model class. It is not true of the solution quality on
# Das's own problem at an affordable grid size.

# %%
led.show()
led.save()
print(led.summary())
