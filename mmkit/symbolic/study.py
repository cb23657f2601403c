r"""The analyses of the Kinathil et al. (2016) chapter, as tested library functions.

Each function rebuilds one figure's setting or checks one of the paper's claims on our
solution; the chapter only calls them and plots.

* Fig. 2: :func:`fig2_instance`, :func:`tree_table`, :func:`tree_labels`;
* Fig. 3: :func:`fig3_solve`, :func:`narrower_when_certain`, :func:`higher_ask_when_uninformed`,
  :func:`prices_vary`, :func:`fig3_root_q`;
* Fig. 4: :func:`fig4_surface`, :func:`fig4_claims`, :func:`exact_fig4_actions`,
  :func:`surface_fig4_actions`, :func:`three_actions`, :func:`widens`.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from mmkit.common.validation import (
    check_array,
    check_choice,
    check_instance,
    check_int,
    check_mapping,
    check_nonnegative_int,
    check_sequence,
)
from mmkit.symbolic.inventory_pomdp import Belief, InventoryPOMDP, TraderModel, expectimax, make_actions
from mmkit.symbolic.pbvi import PBVIResult, PolicyNode, solve, upper_surface
from mmkit.symbolic.xadd import Q, fmt_num

__all__ = [
    "fig2_instance",
    "tree_table",
    "tree_labels",
    "label",
    "FIG3_PRIORS",
    "FIG3_POPS",
    "fig3_solve",
    "spread",
    "narrower_when_certain",
    "higher_ask_when_uninformed",
    "prices_vary",
    "fig3_root_q",
    "FIG4_ACTIONS",
    "fig4_model",
    "fig4_surface",
    "fig4_claims",
    "three_actions",
    "widens",
    "surface_fig4_actions",
    "exact_fig4_actions",
]


# ----------------------------------------------------------------------------- Figure 2
def fig2_instance(gamma: Fraction | str | int = Fraction(9, 10)) -> tuple[InventoryPOMDP, list[Belief]]:
    """The Fig. 2 model (GM traders, 50 % uninformed, prices {0, 25, 49, 51, 75, 99}) and
    its two initial beliefs U[0,50] and U[50,100], each with one unit."""
    m = InventoryPOMDP(
        make_actions([0, 25, 49, 51, 75, 99]), TraderModel.glosten_milgrom(), gamma=Q(gamma, "gamma")
    )
    return m, [Belief.uniform(0, 50, 1), Belief.uniform(50, 100, 1)]


def label(a: tuple) -> str:
    """A (bid, ask) pair as ``(b,a)`` with whole numbers."""
    b, k = _pair(a, "a")
    return f"({float(b):.0f},{float(k):.0f})"


def _pair(a: object, name: str) -> tuple[Fraction, Fraction]:
    """A (bid, ask) action: two finite numbers."""
    items = check_sequence(a, name, what="a (bid, ask) pair")
    if len(items) != 2:
        raise ValueError(f"{name} must be a (bid, ask) pair of 2 numbers, got {len(items)} entries")
    return Q(items[0], name), Q(items[1], name)


def _pairs(x: object, name: str) -> list[tuple[Fraction, Fraction]]:
    """A non-empty sequence of (bid, ask) actions."""
    return [_pair(a, name) for a in check_sequence(x, name, what="a sequence of (bid, ask) pairs")]


def _check_tree(model: object, tree: object) -> None:
    check_instance(model, "model", InventoryPOMDP)
    check_instance(tree, "tree", PolicyNode)


def tree_labels(model: InventoryPOMDP, tree: PolicyNode) -> dict[str, str]:
    """Observation path (``buy>sell``; ``root``) -> the node's (bid, ask) label."""
    _check_tree(model, tree)
    return {(">".join(p) or "root"): model.action_label(n.action) for p, n in tree.walk()}


def tree_table(model: InventoryPOMDP, tree: PolicyNode) -> list[dict]:
    """One row per node of a policy tree: path, inventory, probability of the edge into it
    (exact fraction), action and value (rounded to 4 decimals)."""
    _check_tree(model, tree)
    rows = []
    for path, node in tree.walk():
        prob, p = None, tree
        for o in path:
            prob, p = p.children[o]
        rows.append(
            {
                "node": ">".join(path) or "root",
                "i": node.belief.inventory,
                "P(edge)": fmt_num(prob) if prob is not None else "-",
                "(bid, ask)": label(model.actions[node.action]),
                "value": round(float(node.value), 4),
            }
        )
    return rows


# ----------------------------------------------------------------------------- Figure 3
FIG3_PRIORS = {"U[0,100]": (0, 100), "U[49,51]": (49, 51)}
FIG3_POPS = {"50% uninf.": Fraction(1, 2), "10% uninf.": Fraction(1, 10)}
FIG3_ACTIONS = make_actions([20, 40, 60, 80, 100])


def fig3_solve(gamma: Fraction | str | int = Fraction(9, 10), inventories=(0, 1, 2)) -> tuple[dict, dict]:
    """Optimal H = 3 root action and value for every Fig. 3 prior, population and inventory.

    Returns ``(best, results)``: ``best[(prior, pop, i)] = ((bid, ask), value)`` and the
    PBVI results per ``(prior, pop)``.
    """
    gamma = Q(gamma, "gamma")
    inventories = [
        check_nonnegative_int(i, "inventories", hi=10) for i in check_sequence(inventories, "inventories")
    ]
    best, res = {}, {}
    for pn, (lo, hi) in FIG3_PRIORS.items():
        for qn, p in FIG3_POPS.items():
            m = InventoryPOMDP(FIG3_ACTIONS, TraderModel.glosten_milgrom(p), gamma=gamma)
            inits = [Belief.uniform(lo, hi, i) for i in inventories]
            r = res[(pn, qn)] = solve(m, inits, 3)
            for i, b in zip(inventories, inits):
                a, q, _ = r.choose(b, 3)
                best[(pn, qn, i)] = (FIG3_ACTIONS[a], q)
    return best, res


def spread(best: dict, prior: str, pop: str, i: int) -> float:
    """Root ask minus bid."""
    check_choice(prior, "prior", FIG3_PRIORS)
    check_choice(pop, "pop", FIG3_POPS)
    i = check_nonnegative_int(i, "i")
    _check_best(best, (i,))
    b, a = best[(prior, pop, i)][0]
    return float(a - b)


def _check_best(best: object, inventories: tuple[int, ...] = (0, 1, 2)) -> None:
    """``best`` as :func:`fig3_solve` returns it, with every prior, population and inventory."""
    b = check_mapping(best, "best", what="a mapping (prior, pop, i) -> ((bid, ask), value) from fig3_solve")
    for key in itertools.product(FIG3_PRIORS, FIG3_POPS, inventories):
        if key not in b:
            raise ValueError(
                f"best must have an entry for every (prior, pop, i) of fig3_solve; missing {key}"
            )
        entry = b[key]
        if not isinstance(entry, tuple) or len(entry) != 2:
            raise TypeError(f"best values must be ((bid, ask), value) pairs, got {entry!r} at {key}")
        _pair(entry[0], "best action")


def narrower_when_certain(best: dict) -> dict:
    """Claim 1 of Fig. 3: (narrow-prior spread, wide-prior spread) at i = 1, 2 per population."""
    _check_best(best, (1, 2))
    return {
        (qn, i): (spread(best, "U[49,51]", qn, i), spread(best, "U[0,100]", qn, i))
        for qn in FIG3_POPS
        for i in (1, 2)
    }


def higher_ask_when_uninformed(best: dict) -> dict:
    """Claim 2 of Fig. 3: (ask with 50 %, ask with 10 % uninformed) at i = 1, 2 per prior."""
    _check_best(best, (1, 2))
    return {
        (pn, i): (float(best[(pn, "50% uninf.", i)][0][1]), float(best[(pn, "10% uninf.", i)][0][1]))
        for pn in FIG3_PRIORS
        for i in (1, 2)
    }


def prices_vary(best: dict) -> dict[str, bool]:
    """Claim 3 of Fig. 3: does the root action change with the belief, the population, the
    inventory (1 vs 2)?"""
    _check_best(best)
    P, Q_ = list(FIG3_PRIORS), list(FIG3_POPS)
    return {
        "belief": any(best[(P[0], q, i)][0] != best[(P[1], q, i)][0] for q in Q_ for i in (0, 1, 2)),
        "population": any(best[(p, Q_[0], i)][0] != best[(p, Q_[1], i)][0] for p in P for i in (0, 1, 2)),
        "inventory": any(best[(p, q, 1)][0] != best[(p, q, 2)][0] for p in P for q in Q_),
    }


def fig3_root_q(results: dict, asks=(40, 60, 80, 100), bid: int = 20) -> dict[str, list[float]]:
    """Exact H = 3 value (float) of the root action (bid, ask k) at i = 1, per setting."""
    check_mapping(
        results, "results", nonempty=True, what="a mapping (prior, pop) -> PBVIResult from fig3_solve"
    )
    for key, r in results.items():
        if not (isinstance(key, tuple) and len(key) == 2 and key[0] in FIG3_PRIORS and key[1] in FIG3_POPS):
            raise ValueError(f"results keys must be (prior, pop) pairs of fig3_solve, got {key!r}")
        check_instance(r, "results value", PBVIResult)
    bid = check_int(bid, "bid")
    asks = [check_int(k, "asks") for k in check_sequence(asks, "asks")]
    for k in asks:
        if (bid, k) not in FIG3_ACTIONS:
            raise ValueError(
                f"bid and asks must form actions of FIG3_ACTIONS {FIG3_ACTIONS}, got ({bid}, {k})"
            )
    out = {}
    for (pn, qn), r in results.items():
        qv, _ = r.q_values(Belief.uniform(*FIG3_PRIORS[pn], 1), 3)
        out[f"{pn} {qn}"] = [float(qv[FIG3_ACTIONS.index((bid, k))]) for k in asks]
    return out


# ----------------------------------------------------------------------------- Figure 4
FIG4_ACTIONS = make_actions([0, 25, 50, 75], [50, 75, 100])
FIG4_MEANS = np.arange(0, 100.01, 2.5)
FIG4_WIDTHS = np.arange(0, 50.01, 2.5)
FIG4_GRID_M = np.arange(0, 100.01, 5.0)


def fig4_model(name: str, gamma) -> InventoryPOMDP:
    """The Fig. 4 model: ``"GM"`` (50 % uninformed) or ``"Discrete"`` (ε in {0, ±10})."""
    traders = {"GM": TraderModel.glosten_milgrom, "Discrete": lambda: TraderModel.discrete(10)}
    check_choice(name, "name", traders)
    return InventoryPOMDP(FIG4_ACTIONS, traders[name](), gamma=Q(gamma, "gamma"))


def fig4_surface(name: str, gamma, means=FIG4_MEANS, widths=FIG4_WIDTHS) -> tuple[np.ndarray, np.ndarray]:
    """Upper surface of V^3 at i = 1 over U[m-w, m+w]: values and optimal action indices
    (into :data:`FIG4_ACTIONS`), shape ``(len(widths), len(means))``. Standard PBVI over
    every belief reachable to H = 3 from the Fig. 2 beliefs."""
    m = fig4_model(name, gamma)
    means = check_array(means, "means", ndim=1)
    widths = check_array(widths, "widths", ndim=1, lo=0.0)
    r = solve(m, [Belief.uniform(0, 50, 1), Belief.uniform(50, 100, 1)], 3, schedule="all")
    vals, arg = upper_surface(r, 1, means, widths)
    return vals, np.array([[r.V[3][j].action for j in row] for row in arg])


def three_actions(acts_w0) -> bool:
    """GM claim: the three actions (0,100), (0,50), (0,75) and no other at w = 0."""
    _pairs(acts_w0, "acts_w0")
    return {label(a) for a in acts_w0} == {"(0,100)", "(0,50)", "(0,75)"}


def widens(col) -> bool:
    """Discrete claim: the spread at m = 70 never narrows as the width grows, and widens."""
    sp = [a - b for b, a in _pairs(col, "col")]
    return sp[-1] > sp[0] and all(x <= y for x, y in zip(sp, sp[1:]))


def fig4_claims(acts: np.ndarray, means=FIG4_MEANS) -> dict[str, bool]:
    """The paper's Fig. 4 claims on one surface (action indices from :func:`fig4_surface`).

    ``acts``: integer indices into :data:`FIG4_ACTIONS`, shape ``(widths, len(means))``;
    ``means`` must contain 70 and the grid :data:`FIG4_GRID_M`.
    """
    means = check_array(means, "means", ndim=1)
    if not np.isin(FIG4_GRID_M, means).all():
        raise ValueError("means must contain 70 and every point of FIG4_GRID_M (0, 5, ..., 100)")
    a = check_array(acts, "acts", shape=(None, means.size), lo=0, hi=len(FIG4_ACTIONS) - 1)
    if np.any(a != np.round(a)):
        raise ValueError(f"acts must be integer indices in [0, {len(FIG4_ACTIONS) - 1}] (into FIG4_ACTIONS)")
    acts = a.astype(int)
    w0 = [FIG4_ACTIONS[a] for a in acts[0][np.isin(means, FIG4_GRID_M)]]
    labs = [label(a) for a in w0]
    asks = [float(a[1]) for a in w0]
    col = [FIG4_ACTIONS[a] for a in acts[:, list(means).index(70.0)]]
    return {
        "three": three_actions(w0),
        "low_m_100": labs[0] == "(0,100)",
        "order": [k for k, _ in itertools.groupby(labs)] == ["(0,100)", "(0,50)", "(0,75)"],
        "nondecr": all(x <= y for x, y in zip(asks, asks[1:])),
        "widen70": widens(col),
    }


def surface_fig4_actions(name: str, gamma) -> tuple[list, list]:
    """Upper-surface actions at w = 0 (m = 0..100 step 5) and at m = 70 (w = 0..50 step 10)."""
    _, acts = fig4_surface(name, gamma, FIG4_GRID_M, np.arange(0, 50.01, 10.0))
    a = [[FIG4_ACTIONS[k] for k in row] for row in acts]
    return a[0], [row[list(FIG4_GRID_M).index(70.0)] for row in a]


def exact_fig4_actions(name: str, gamma) -> tuple[list, list]:
    """Exact optimal root actions (expectimax) at near-point beliefs U[m ± 0.01] with m
    between prices (2.5, 7.5, ..., 97.5) and at U[70 ± w], w = 0.01, 10, ..., 50."""
    m = fig4_model(name, gamma)

    def act(lo, hi):
        return FIG4_ACTIONS[expectimax(m, Belief.uniform(lo, hi, 1), 3)[1]]

    tiny = Fraction(1, 100)
    w0 = [act(Fraction(x) - tiny, Fraction(x) + tiny) for x in np.arange(2.5, 100, 5.0)]
    col = [act(70 - Fraction(w), 70 + Fraction(w)) for w in (tiny, 10, 20, 30, 40, 50)]
    return w0, col
