"""The chapter's analyses (mmkit.symbolic.study) and drawing helpers (mmkit.symbolic.figures)."""

from fractions import Fraction

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from mmkit.symbolic import study as S  # noqa: E402
from mmkit.symbolic.figures import draw_dbn, draw_tree  # noqa: E402
from mmkit.symbolic.pbvi import policy_tree, solve  # noqa: E402


@pytest.fixture(scope="module")
def fig2():
    m, init = S.fig2_instance()
    return m, policy_tree(solve(m, init, 3), init[1])


def test_tree_table_and_labels(fig2):
    m, tree = fig2
    rows = S.tree_table(m, tree)
    assert len(rows) == 13
    assert rows[0]["node"] == "root" and rows[0]["P(edge)"] == "-"
    assert {r["node"]: r["P(edge)"] for r in rows}["buy"] == "5/12"
    labs = S.tree_labels(m, tree)
    assert labs["root"] == "(0.0, 75.0)" and labs["hold>hold"] == "(0.0, 49.0)"


def _best(actions):
    """A fake Fig. 3 result: prior, pop, i -> ((bid, ask), value)."""
    return {k: (a, Fraction(0)) for k, a in actions.items()}


def test_fig3_claim_functions():
    keys = [(p, q, i) for p in S.FIG3_PRIORS for q in S.FIG3_POPS for i in range(3)]
    base = {k: (20, 80) for k in keys}
    narrow = {k: ((20, 40) if k[0] == "U[49,51]" else v) for k, v in base.items()}
    best = _best(narrow)
    assert all(n < w for n, w in S.narrower_when_certain(best).values())
    assert S.prices_vary(best) == {"belief": True, "population": False, "inventory": False}
    best2 = _best({k: ((20, 100) if k[1] == "50% uninf." else (20, 60)) for k in keys})
    c2 = S.higher_ask_when_uninformed(best2)
    assert all(x > y for x, y in c2.values())
    assert S.spread(best2, "U[0,100]", "50% uninf.", 1) == 80.0


def test_fig3_solve_small():
    best, res = S.fig3_solve("0.9", inventories=(1,))
    assert set(best) == {(p, q, 1) for p in S.FIG3_PRIORS for q in S.FIG3_POPS}
    q = S.fig3_root_q(res)
    assert len(q) == 4 and all(len(v) == 4 for v in q.values())


def test_fig4_claims_on_constructed_surface():
    A = S.FIG4_ACTIONS
    m = S.FIG4_MEANS
    acts = np.full((len(S.FIG4_WIDTHS), len(m)), A.index((0, 75)))
    acts[0, m < 40] = A.index((0, 100))
    acts[0, (m >= 40) & (m < 60)] = A.index((0, 50))
    c = S.fig4_claims(acts)
    assert c["three"] and c["order"] and c["low_m_100"]
    assert not c["nondecr"] and not c["widen70"]
    acts[-1, list(m).index(70.0)] = A.index((0, 100))
    assert S.fig4_claims(acts)["widen70"]


def test_three_actions_and_widens():
    assert S.three_actions([(0, 100), (0, 50), (0, 75), (0, 75)])
    assert not S.three_actions([(0, 100), (0, 75)])
    assert S.widens([(0, 75), (0, 75), (0, 100)])
    assert not S.widens([(0, 100), (0, 75), (0, 100)])
    assert not S.widens([(0, 75), (0, 75)])


def test_fig4_model_rejects_unknown():
    with pytest.raises(ValueError, match="name"):
        S.fig4_model("Kyle", "0.9")


def test_drawing_helpers(fig2):
    import matplotlib.pyplot as plt

    m, tree = fig2
    fig, (a1, a2) = plt.subplots(1, 2)
    labels = draw_dbn(a1, ["r", "g", "b"])
    assert labels == sorted(["R", "a", "b", "i", "i'", "o", "t", "u", "v", "v'"])
    draw_tree(a2, m, tree, ["r", "g", "b", "k"])
    assert len(a2.texts) == 13 + 12
    plt.close(fig)


def test_fig2_tree_is_the_same_for_gamma_from_0_7_to_1(fig2):
    m, tree = fig2
    ref = S.tree_labels(m, tree)
    for g in ("0.7", "0.8", "1"):
        mg, init = S.fig2_instance(g)
        assert S.tree_labels(mg, policy_tree(solve(mg, init, 3), init[1])) == ref
