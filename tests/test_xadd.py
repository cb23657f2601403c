"""Tests of the exact XADD case calculus (mmkit.symbolic.xadd)."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmkit.symbolic.xadd import XADD, Case, LinExpr, Q, fmt_num


def step(X, thresholds, values):
    """Piecewise constant in v: values[k] on (t_{k-1}, t_k] (built right to left)."""
    f = X.const(values[-1])
    for t, val in sorted(zip(thresholds, values[:-1]), reverse=True):
        f = X.cond(LinExpr({"v": 1}, -t), ">", f, X.const(val))
    return f


def ref_step(thresholds, values, x):
    for t, val in sorted(zip(thresholds, values[:-1])):
        if x <= t:
            return val
    return values[-1]


def test_q_and_formatting():
    assert Q(0.9) == Fraction(9, 10)
    assert Q("1/3") == Fraction(1, 3)
    assert fmt_num(Fraction(5, 12)) == "5/12" and fmt_num(Fraction(25, 2)) == "12.5"
    with pytest.raises(ValueError, match="x must be finite"):
        Q(float("inf"))


def test_canonical_form_is_order_independent():
    X = XADD(int_vars=("i",), real_vars=("v",))
    v = Case.var(X, "v")
    f = (v > 50).where(10, 0) + (v > 75).where(5, 0)
    g = (v > 75).where(5, 0) + (v > 50).where(10, 0)
    assert f == g and f.nodes == 5  # 2 decisions, 3 leaves
    h = (v <= 50).where(0, 10) + (v > 75).where(5, 0)  # same function, negated test
    assert h == f


def test_pruning_of_implied_tests():
    X = XADD(real_vars=("v",))
    inner = X.cond(LinExpr({"v": 1}, -25), ">", X.const(1), X.const(2))  # v > 25 ? 1 : 2
    f = X.cond(LinExpr({"v": 1}, -50), ">", inner, X.const(3))  # under v > 50: v > 25 holds
    assert X.node_count(f) == 3
    assert X.evaluate(f, {"v": 60}) == 1 and X.evaluate(f, {"v": 10}) == 3


def test_bounds_remove_decided_tests():
    X = XADD(int_vars=("i",), real_vars=("v",), bounds={"i": (0, None)})
    f = X.cond(LinExpr({"i": 1}), ">=", X.const(1), X.const(7))  # i >= 0 always
    assert f == X.const(1)
    g = X.substitute(X.indicator(LinExpr({"i": 1}, -1), ">="), {"i": LinExpr({"i": 1}, 1)})
    assert g == X.const(1)  # i + 1 >= 1


def test_lp_pruning_of_multivariable_tests():
    X = XADD(real_vars=("x", "y"))
    xy = X.cond(LinExpr({"x": 1, "y": 1}, -1), ">", X.const(1), X.const(2))  # x + y > 1
    f = X.cond(LinExpr({"x": 1}, -2), ">", X.cond(LinExpr({"y": 1}), ">", xy, X.const(3)), X.const(4))
    g = X.prune(f)
    assert X.node_count(g) < X.node_count(f)
    for x, y in [(3, 1), (3, -1), (1, 0.5), (0, 5)]:
        assert X.evaluate(g, {"x": x, "y": y}) == X.evaluate(f, {"x": x, "y": y})


def test_max_introduces_linear_decision_and_integrates_exactly():
    X = XADD(real_vars=("v",))
    f = X.max(X.const(10), X.leaf(LinExpr({"v": Fraction(1, 5)})))  # max(10, v/5)
    assert X.evaluate(f, {"v": 40}) == 10 and X.evaluate(f, {"v": 60}) == 12
    # ∫_0^100 max(10, v/5) dv = 50*10 + (100^2 - 50^2)/10 = 1250
    assert X.integrate(f, "v", 0, 100) == 1250
    assert X.integrate_density(f, "v", [(0, 50, Fraction(1, 100)), (50, 100, Fraction(1, 100))]) == Fraction(
        25, 2
    )


def test_product_of_two_linear_leaves_rejected_and_bad_input():
    X = XADD(real_vars=("v",))
    with pytest.raises(ValueError, match="not linear"):
        X.mul(X.var("v"), X.var("v"))
    with pytest.raises(ValueError, match="op must be"):
        X.apply("/", X.const(1), X.const(2))
    with pytest.raises(ValueError, match="unknown variable"):
        X.var("w")
    with pytest.raises(ValueError, match="hi must be >= lo"):
        X.integrate(X.const(1), "v", 2, 1)


def test_pretty_printing_rows():
    X = XADD(int_vars=("i",), real_vars=("v",), bounds={"i": (0, None)})
    f = X.mul(X.indicator(LinExpr({"i": 1}, -1), ">="), step(X, [50, 75], [0, 10, 15]))
    text = X.pretty(f, "f")
    assert "i ≥ 1 ∧ 50 < v ≤ 75 : 10" in text and "i = 0" in text


values = st.lists(st.integers(-20, 20), min_size=3, max_size=3)
thresh = st.lists(st.integers(0, 100), min_size=2, max_size=2, unique=True)


@settings(max_examples=60, deadline=None)
@given(
    t1=thresh,
    v1=values,
    t2=thresh,
    v2=values,
    c=st.integers(-3, 3),
    s=st.integers(-2, 2),
    op=st.sampled_from(["+", "-", "max", "min", "*"]),
)
def test_cross_operations_match_pointwise(t1, v1, t2, v2, c, s, op):
    X = XADD(real_vars=("v",))
    f = step(X, t1, v1)
    g = X.add(step(X, t2, v2), X.leaf(LinExpr({"v": Fraction(s, 10)}))) if op != "*" else step(X, t2, v2)
    h = X.apply(op, f, g)
    xs = np.arange(-10.5, 111, 3.0)
    for x in xs:
        a = ref_step(t1, v1, x)
        b = ref_step(t2, v2, x) + (s / 10 * x if op != "*" else 0)
        want = {"+": a + b, "-": a - b, "max": max(a, b), "min": min(a, b), "*": a * b}[op]
        assert abs(float(X.evaluate(h, {"v": Q(float(x))})) - want) < 1e-9
    # substitution v := v + c is a shift
    sh = X.substitute(h, {"v": LinExpr({"v": 1}, c)})
    for x in xs[::4]:
        assert X.evaluate(sh, {"v": Q(float(x))}) == X.evaluate(h, {"v": Q(float(x)) + c})


@settings(max_examples=40, deadline=None)
@given(t1=thresh, v1=values, lo=st.integers(-10, 60), w=st.integers(1, 60), s=st.integers(-3, 3))
def test_exact_integral_matches_quadrature(t1, v1, lo, w, s):
    X = XADD(real_vars=("v",))
    f = X.add(step(X, t1, v1), X.leaf(LinExpr({"v": Fraction(s, 7)})))
    hi = lo + w
    # piecewise linear: integrate each piece analytically with numpy on the known breakpoints
    pts = sorted({lo, hi, *[t for t in t1 if lo < t < hi]})
    ref = 0.0
    for a, b in zip(pts, pts[1:]):
        m = (a + b) / 2
        ref += (ref_step(t1, v1, m) + s / 7 * m) * (b - a)
    assert abs(float(X.integrate(f, "v", lo, hi)) - ref) < 1e-9
