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


def _cells(*fs):
    """Points that decide equality of case statements with single-variable tests: for every
    inventory up to one past the largest i-threshold, every v-threshold of the diagrams and two
    points strictly inside each interval between consecutive thresholds (a linear leaf is
    fixed by two points)."""
    ts_v, ts_i = set(), {0}
    for f in fs:
        for g in X.reachable(f):
            n = X.node(g)
            if n[0] == "D":
                D = X.decision(n[1])
                (ts_v if D.single_var() == "v" else ts_i).add(D.threshold())
    vs = sorted(ts_v) or [Fraction(0)]
    pts = [vs[0] - 1, vs[0] - 2, vs[-1] + 1, vs[-1] + 2, *vs]
    pts += [a + (b - a) * k / 3 for a, b in zip(vs, vs[1:]) for k in (1, 2)]
    return [(i, v) for i in range(int(max(ts_i)) + 2) for v in pts]


def _equal_as_functions(f, g):
    return all(X.evaluate(f, {"i": i, "v": v}) == X.evaluate(g, {"i": i, "v": v}) for i, v in _cells(f, g))


@settings(max_examples=100, deadline=None)
@given(case, case)
def test_max_plus_min_is_the_sum(f, g):
    """max(f, g) + min(f, g) = f + g: max and min create new tests on v where two linear leaves
    cross; the canonical sum must drop them all and be the very node of f + g."""
    lhs = X.add(X.max(f, g), X.min(f, g))
    assert _equal_as_functions(lhs, X.add(f, g))
    assert lhs == X.add(f, g)


@settings(max_examples=100, deadline=None)
@given(case, case, case)
def test_equal_functions_are_the_same_node(f, g, h):
    """Build the same function two ways (associativity, distributivity over an indicator);
    whenever the two are equal at every deciding point they are the same node."""
    a = X.add(X.add(f, g), h)
    b = X.add(f, X.add(g, h))
    assert _equal_as_functions(a, b) and a == b
    ind = X.indicator(LinExpr({"v": 1}, -50), ">")
    c = X.mul(X.add(f, g), ind)
    d = X.add(X.mul(f, ind), X.mul(g, ind))
    assert _equal_as_functions(c, d) and c == d


def test_multivariable_tests_need_prune_and_are_not_claimed_canonical():
    """With a test on several variables (v - i > 0) the implied single-variable test v > -1
    below it is not derived on construction, so two equal functions are different nodes;
    ``prune`` (an LP over the declared domain i >= 0) removes the infeasible path and then
    gives the same node. Canonicity is claimed (and property-tested above) for
    single-variable tests only."""
    one, zero = X.const(1), X.const(0)
    inner = X.cond(LinExpr({"v": 1}, 1), ">", one, zero)  # v > -1
    f = X.cond(LinExpr({"v": 1, "i": -1}), ">", inner, one)  # v > i ? [v > -1] : 1
    assert _equal_as_functions(f, one)
    assert f != one
    assert X.prune(f) == one
