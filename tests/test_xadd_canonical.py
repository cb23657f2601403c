"""Canonical form of the XADD (mmkit.symbolic.xadd): equal functions are the same node.

Random case statements over an integer inventory ``i >= 0`` and a real value ``v``, with
single-variable tests (the only kind the market-making POMDP produces) and constant or
linear leaves; the identities must hold as *node identities*, not just pointwise.
"""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from mmkit.symbolic.xadd import XADD, LinExpr

X = XADD(int_vars=("i",), real_vars=("v",), bounds={"i": (0, None)})
V_T = [Fraction(t) for t in (0, 25, 49, 50, 51, 75, 99, 100)]
OPS = (">", ">=", "<", "<=")

leaf = st.tuples(st.integers(-3, 3), st.integers(-20, 20)).map(
    lambda sc: X.leaf(LinExpr({"v": sc[0]} if sc[0] else {}, sc[1]))
)


def _node(children):
    test = st.one_of(
        st.tuples(st.just("i"), st.integers(0, 4), st.sampled_from((">=", ">", "<", "<="))),
        st.tuples(st.just("v"), st.sampled_from(V_T), st.sampled_from(OPS)),
    )
    return st.tuples(test, children, children).map(
        lambda t: X.cond(LinExpr({t[0][0]: 1}, -t[0][1]), t[0][2], t[1], t[2])
    )


case = st.recursive(leaf, _node, max_leaves=8)
point = st.tuples(st.integers(0, 6), st.sampled_from(V_T + [Fraction(x, 3) for x in range(-30, 330, 7)]))


@settings(max_examples=150, deadline=None)
@given(case, case)
def test_add_then_subtract_is_the_same_node(f, g):
    assert X.sub(X.add(f, g), g) == f


@settings(max_examples=100, deadline=None)
@given(case)
def test_unit_and_idempotence(f):
    assert X.mul(f, X.const(1)) == f
    assert X.max(f, f) == f and X.min(f, f) == f
    assert X.add(f, X.const(0)) == f


@settings(max_examples=100, deadline=None)
@given(case, case, point)
def test_operations_are_pointwise(f, g, p):
    i, v = p
    at = {"i": i, "v": v}
    assert X.evaluate(X.add(f, g), at) == X.evaluate(f, at) + X.evaluate(g, at)
    assert X.evaluate(X.max(f, g), at) == max(X.evaluate(f, at), X.evaluate(g, at))


@settings(max_examples=100, deadline=None)
@given(case, point, st.integers(-2, 2).filter(bool), st.integers(-10, 10))
def test_substitution_then_evaluation(f, p, a, b):
    i, v = p
    g = X.substitute(f, {"v": LinExpr({"v": a}, b)})
    assert X.evaluate(g, {"i": i, "v": v}) == X.evaluate(f, {"i": i, "v": a * v + b})
    h = X.substitute(f, {"i": LinExpr({"i": 1}, 1)})
    assert X.evaluate(h, {"i": i, "v": v}) == X.evaluate(f, {"i": i + 1, "v": v})


def test_redundant_inventory_test_is_removed():
    one = X.indicator(LinExpr({"i": 1}, -1), ">=")
    two = X.indicator(LinExpr({"i": 1}, -2), ">=")
    assert X.mul(one, two) == two
    assert X.node_count(two) == 3
