r"""A focused symbolic case calculus: extended algebraic decision diagrams (XADDs).

A *case statement* (Boutilier et al. 2001; Sanner et al. 2011) is a function

.. math::

    f(\mathbf{x}) = \begin{cases} \phi_1(\mathbf{x}) : & f_1(\mathbf{x}) \\ \vdots \\
    \phi_k(\mathbf{x}) : & f_k(\mathbf{x}) \end{cases}

whose conditions :math:`\phi_j` are conjunctions of linear inequalities in the state
variables and partition the state space, and whose values :math:`f_j` are linear
(LPWL) or constant (LPWC). An XADD stores a case statement as a reduced, ordered
decision diagram: every internal node tests one canonical linear inequality
:math:`\sum_k c_k x_k + c_0 \;(> \text{ or } \ge)\; 0`, every leaf holds a linear
expression, and equal sub-diagrams are shared (hash-consing). A test is dropped when it is
decided by the tests above it (exact interval reasoning) or when it is *redundant*: when
the branch taken where it holds already equals, restricted to where it fails, the other
branch. With single-variable tests (``x > c``, ``x >= c``, the only kind the market-making
POMDP creates) this makes the diagram canonical: two case statements are equal as
functions iff they are the same node (property-tested with hypothesis). Multi-variable
tests are normalised and ordered, but their implications are not derived, so diagrams with
them may keep a redundant test (:meth:`XADD.prune` removes infeasible paths with an LP).

This module is written for the one-dimensional piecewise-linear functions of the
market-making POMDP of :mod:`mmkit.symbolic.inventory_pomdp` (a continuous asset value ``v`` and a
discrete inventory ``i``). It supports what symbolic point-based value iteration needs:

* scalar operations, cross-sum :math:`\oplus`, cross-difference, cross-product
  :math:`\otimes` (one factor piecewise constant), ``max``/``min`` (which may introduce
  new linear decisions);
* substitution of a variable by a linear expression, hence integration against a
  Dirac transition :math:`\int \delta(x' - e(\mathbf{x}))\, f(x')\, dx' = f[x' := e]`;
* pruning of inconsistent partitions (exact interval reasoning for single-variable
  decisions, an LP for multi-variable ones);
* evaluation, exact integration over an interval and against a piecewise-uniform
  density, node counts (the paper's space measure) and readable printing.

Numbers are exact rationals (:class:`fractions.Fraction`), so equalities of values are
exact and canonical forms are reproducible. We do not use ``xaddpy`` (the Sanner lab's
Python XADD): it needs Gurobi for its LP-based pruning, whereas on this problem every
decision involves a single variable and interval reasoning prunes exactly.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

Number = int | float | Fraction | str

__all__ = ["Q", "LinExpr", "Decision", "XADD", "Case", "fmt_num"]


def Q(x: Number, name: str = "x") -> Fraction:
    """Exact rational from an int, a decimal string, a Fraction or a float (via its repr).

    ``Q(0.9) == Fraction(9, 10)`` (the float's shortest decimal, not its binary value).
    ``name`` is the parameter named in error messages.
    """
    if isinstance(x, Fraction):
        return x
    if isinstance(x, bool):
        raise TypeError(f"{name} must be a finite number, got a bool")
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            raise ValueError(f"{name} must be finite, got {x}")
        return Fraction(repr(x))
    if isinstance(x, str):
        try:
            return Fraction(x)
        except ValueError:
            raise ValueError(
                f"{name} must be a finite number (or a decimal/fraction string), got {x!r}"
            ) from None
    try:  # numpy scalars
        return Q(x.item(), name)
    except AttributeError:
        raise TypeError(f"{name} must be a finite number, got {type(x).__name__}") from None


def fmt_num(q: Fraction, digits: int = 6) -> str:
    """Readable exact number: ``3``, ``12.5``, ``5/12``; long fractions as rounded decimals."""
    q = Q(q, "q")
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 0:
        raise ValueError(f"digits must be an integer >= 0, got {digits!r}")
    if q.denominator == 1:
        return str(q.numerator)
    d = q.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        s = f"{float(q):.{digits}f}".rstrip("0").rstrip(".")
        if Fraction(s) == q:
            return s
    s = f"{q.numerator}/{q.denominator}"
    if len(s) <= 9:
        return s
    return f"{float(q):.{digits}g}"


# ----------------------------------------------------------------------------- linear expressions
class LinExpr:
    r"""Linear expression :math:`\sum_k c_k x_k + c_0` with rational coefficients (immutable)."""

    __slots__ = ("coeffs", "const", "_hash")

    def __init__(self, coeffs: Mapping[str, Number] | Iterable[tuple[str, Number]] = (), const: Number = 0):
        if not isinstance(coeffs, Mapping) and not hasattr(coeffs, "__iter__"):
            raise TypeError(f"coeffs must be a mapping variable -> coefficient, got {type(coeffs).__name__}")
        items = coeffs.items() if isinstance(coeffs, Mapping) else coeffs
        acc: dict[str, Fraction] = {}
        for k, c in items:
            if not isinstance(k, str):
                raise TypeError(f"coeffs keys must be variable names (str), got {k!r}")
            acc[k] = acc.get(k, Fraction(0)) + Q(c, "coeffs")
        self.coeffs: tuple[tuple[str, Fraction], ...] = tuple(
            sorted((k, c) for k, c in acc.items() if c != 0)
        )
        self.const: Fraction = Q(const, "const")
        self._hash = hash((self.coeffs, self.const))

    # identity
    def key(self) -> tuple:
        return (self.coeffs, self.const)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LinExpr) and self.key() == other.key()

    def is_const(self) -> bool:
        return not self.coeffs

    def vars(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.coeffs)

    def coef(self, var: str) -> Fraction:
        for k, c in self.coeffs:
            if k == var:
                return c
        return Fraction(0)

    # arithmetic
    def __add__(self, other: LinExpr | Number) -> LinExpr:
        if not isinstance(other, LinExpr):
            return LinExpr(self.coeffs, self.const + Q(other))
        return LinExpr(self.coeffs + other.coeffs, self.const + other.const)

    __radd__ = __add__

    def __neg__(self) -> LinExpr:
        return LinExpr([(k, -c) for k, c in self.coeffs], -self.const)

    def __sub__(self, other: LinExpr | Number) -> LinExpr:
        return self + (-other if isinstance(other, LinExpr) else -Q(other))

    def __rsub__(self, other: Number) -> LinExpr:
        return (-self) + other

    def scale(self, c: Number) -> LinExpr:
        c = Q(c)
        return LinExpr([(k, c * v) for k, v in self.coeffs], c * self.const)

    def __mul__(self, other: LinExpr | Number) -> LinExpr:
        if isinstance(other, LinExpr):
            if other.is_const():
                return self.scale(other.const)
            if self.is_const():
                return other.scale(self.const)
            raise ValueError("product of two non-constant linear expressions is not linear")
        return self.scale(other)

    __rmul__ = __mul__

    def subs(self, sub: Mapping[str, LinExpr | Number]) -> LinExpr:
        """Substitute variables by linear expressions or numbers."""
        out = LinExpr((), self.const)
        for k, c in self.coeffs:
            if k in sub:
                e = sub[k]
                out = out + (e.scale(c) if isinstance(e, LinExpr) else c * Q(e))
            else:
                out = out + LinExpr([(k, c)])
        return out

    def evaluate(self, assign: Mapping[str, Number]) -> Fraction:
        try:
            return self.const + sum((c * Q(assign[k]) for k, c in self.coeffs), Fraction(0))
        except KeyError as e:
            raise ValueError(f"assign lacks variable {e.args[0]!r}") from None

    def __repr__(self) -> str:
        return f"LinExpr({self})"

    def __str__(self) -> str:
        parts = []
        for k, c in self.coeffs:
            if c == 1:
                parts.append(f"+ {k}")
            elif c == -1:
                parts.append(f"- {k}")
            else:
                parts.append(f"{'+' if c > 0 else '-'} {fmt_num(abs(c))}*{k}")
        if self.const != 0 or not parts:
            parts.append(f"{'+' if self.const >= 0 else '-'} {fmt_num(abs(self.const))}")
        s = " ".join(parts)
        return s[2:] if s.startswith("+ ") else "-" + s[2:]


# ----------------------------------------------------------------------------- decisions
@dataclass(frozen=True)
class Decision:
    r"""Canonical linear inequality ``expr > 0`` (``strict``) or ``expr >= 0``.

    ``expr`` has leading coefficient +1 (the first variable in the manager's order). For an
    integer variable alone, ``strict`` is always False (``i > k`` is stored as ``i >= k+1``).
    """

    expr: LinExpr
    strict: bool

    def __post_init__(self) -> None:
        if not isinstance(self.expr, LinExpr) or self.expr.is_const():
            raise TypeError(f"expr must be a LinExpr with at least one variable, got {self.expr!r}")
        if not isinstance(self.strict, bool):
            raise TypeError(f"strict must be True or False, got {type(self.strict).__name__}")

    def single_var(self) -> str | None:
        v = self.expr.vars()
        return v[0] if len(v) == 1 else None

    def threshold(self) -> Fraction:
        """For a single-variable decision ``x + c (>|>=) 0``: the threshold ``-c``."""
        return -self.expr.const

    def sat(self, val: Fraction) -> bool:
        """Whether the value ``val`` of ``expr`` satisfies the inequality."""
        return val > 0 if self.strict else val >= 0

    def holds(self, assign: Mapping[str, Number]) -> bool:
        return self.sat(self.expr.evaluate(assign))

    def __str__(self) -> str:
        x = self.single_var()
        op = ">" if self.strict else "≥"
        if x is not None:
            return f"{x} {op} {fmt_num(self.threshold())}"
        lhs = LinExpr(self.expr.coeffs)
        return f"{lhs} {op} {fmt_num(-self.expr.const)}"


@dataclass(frozen=True)
class _Interval:
    lo: Fraction | None = None  # None = -inf
    lo_open: bool = True
    hi: Fraction | None = None  # None = +inf
    hi_open: bool = True

    def empty(self) -> bool:
        if self.lo is None or self.hi is None:
            return False
        return self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open))

    def meet(self, o: _Interval) -> _Interval:
        lo, lo_open = self.lo, self.lo_open
        if o.lo is not None and (lo is None or o.lo > lo or (o.lo == lo and o.lo_open)):
            lo, lo_open = o.lo, o.lo_open
        hi, hi_open = self.hi, self.hi_open
        if o.hi is not None and (hi is None or o.hi < hi or (o.hi == hi and o.hi_open)):
            hi, hi_open = o.hi, o.hi_open
        return _Interval(lo, lo_open, hi, hi_open)

    def subset(self, o: _Interval) -> bool:
        """self ⊆ o (self non-empty)."""
        if o.lo is not None:
            if self.lo is None or self.lo < o.lo or (self.lo == o.lo and o.lo_open and not self.lo_open):
                return False
        if o.hi is not None:
            if self.hi is None or self.hi > o.hi or (self.hi == o.hi and o.hi_open and not self.hi_open):
                return False
        return True


def _dec_interval(d: Decision, val: bool) -> _Interval:
    """The set of the decision's variable where ``d`` has truth value ``val``."""
    t = d.threshold()
    if val:
        return _Interval(t, d.strict, None, True)
    return _Interval(None, True, t, not d.strict)


# ----------------------------------------------------------------------------- the manager
class XADD:
    """Manager of a family of XADDs over declared variables (unique tables and caches).

    Nodes are integers. For a leaf, ``node(f)`` is the pair ``("L", expr)`` with a
    ``LinExpr``; for a decision it is ``("D", decision_id, hi, lo)``, where ``hi`` is the
    branch taken when the decision holds.

    Parameters
    ----------
    int_vars : sequence of str
        Discrete (integer-valued) variables, e.g. ``("i",)``. They come first in the order.
    real_vars : sequence of str
        Continuous variables, e.g. ``("v",)``.
    bounds : mapping, optional
        Domain as a mapping from variable to a closed interval ``(lo, hi)``, where ``None``
        means unbounded, e.g. ``{"i": (0, None)}``. Tests decided by the domain are removed
        and partitions outside it are pruned.

    """

    def __init__(
        self,
        int_vars: Sequence[str] = (),
        real_vars: Sequence[str] = ("v",),
        bounds: Mapping[str, tuple[Number | None, Number | None]] | None = None,
    ):
        for arg, val in (("int_vars", int_vars), ("real_vars", real_vars)):
            if (
                isinstance(val, str)
                or not hasattr(val, "__iter__")
                or not all(isinstance(v, str) for v in val)
            ):
                raise TypeError(f"{arg} must be a sequence of variable names (str), got {val!r}")
        if bounds is not None and not isinstance(bounds, Mapping):
            raise TypeError(f"bounds must be a mapping variable -> (lo, hi), got {type(bounds).__name__}")
        names = list(int_vars) + list(real_vars)
        if not names:
            raise ValueError("int_vars and real_vars must declare at least one variable")
        if len(set(names)) != len(names):
            raise ValueError(f"variable names must be distinct, got {names}")
        self.int_vars = tuple(int_vars)
        self.real_vars = tuple(real_vars)
        self.rank = {v: k for k, v in enumerate(names)}
        self.bounds: dict[str, _Interval] = {}
        for k, (lo, hi) in (bounds or {}).items():
            if k not in self.rank:
                raise ValueError(f"bounds names unknown variable {k!r}; declared: {names}")
            iv = _Interval(
                None if lo is None else Q(lo, "bounds"), False, None if hi is None else Q(hi, "bounds"), False
            )
            if iv.empty():
                raise ValueError(f"bounds for {k!r} must satisfy lo <= hi, got {(lo, hi)}")
            self.bounds[k] = iv
        self._nodes: list[tuple] = []
        self._unique: dict[tuple, int] = {}
        self._decs: list[Decision] = []
        self._dec_id: dict[Decision, int] = {}
        self._dec_key: list[tuple] = []
        self._dec_var: list[str | None] = []  # the variable of a single-variable test
        self._dec_rank: list[int] = []  # rank of the leading variable
        self._dec_iv: list[tuple] = []  # (interval where true, where false)
        self._dec_fixed: list[bool | None] = []  # decided by the variable's bounds
        self._cache: dict[tuple, int] = {}
        self._imp: dict[tuple, bool | None] = {}
        self._consts: dict[Fraction, int] = {}

    # ------------------------------------------------------------------ construction
    def node(self, f: int) -> tuple:
        return self._nodes[f]

    def decision(self, d: int) -> Decision:
        return self._decs[d]

    def leaf(self, expr: LinExpr | Number) -> int:
        e = expr if isinstance(expr, LinExpr) else LinExpr((), expr)
        for k in e.vars():
            if k not in self.rank:
                raise ValueError(f"unknown variable {k!r}; declared: {sorted(self.rank)}")
            if k in self.int_vars:
                raise ValueError(f"leaves must be linear in real variables only, got {k!r}")
        return self._intern(("L", e))

    def const(self, c: Number) -> int:
        return self._const_leaf(Q(c))

    def var(self, name: str) -> int:
        return self.leaf(LinExpr({name: 1}))

    def is_leaf(self, f: int) -> bool:
        return self._nodes[f][0] == "L"

    def leaf_expr(self, f: int) -> LinExpr:
        n = self._nodes[f]
        if n[0] != "L":
            raise ValueError(f"node {f} is not a leaf")
        return n[1]

    def make_decision(self, expr: LinExpr, op: str) -> tuple[int, bool]:
        """Canonical decision for ``expr op 0``; returns ``(decision_id, negated)``.

        ``op`` is one of ``>``, ``>=``, ``<``, ``<=``. ``negated`` is True when the
        inequality equals the *negation* of the returned decision.
        """
        if op not in (">", ">=", "<", "<="):
            raise ValueError(f"op must be one of >, >=, <, <=, got {op!r}")
        if expr.is_const():
            raise ValueError(f"condition {expr} {op} 0 has no variable")
        for k in expr.vars():
            if k not in self.rank:
                raise ValueError(f"unknown variable {k!r}; declared: {sorted(self.rank)}")
        negated = False
        if op in ("<", "<="):  # e < 0  <=>  not (e >= 0)
            op = ">=" if op == "<" else ">"
            negated = True
        strict = op == ">"
        lead = min(expr.vars(), key=self.rank.__getitem__)
        a = expr.coef(lead)
        e = expr.scale(1 / abs(a))
        if a < 0:  # -e > 0  <=>  not (e >= 0)
            e = -e
            strict = not strict
            negated = not negated
        if len(e.vars()) == 1 and lead in self.int_vars:
            t = -e.const  # i > t  <=> i >= floor(t)+1 ;  i >= t <=> i >= ceil(t)
            k_int = math.floor(t) + 1 if strict else math.ceil(t)
            e, strict = LinExpr({lead: 1}, -k_int), False
        d = Decision(e, strict)
        idx = self._dec_id.get(d)
        if idx is None:
            idx = len(self._decs)
            self._decs.append(d)
            self._dec_id[d] = idx
            others = tuple((self.rank[k], c) for k, c in e.coeffs if k != lead)
            self._dec_key.append((self.rank[lead], others, -e.const, strict))
            sv = d.single_var()
            self._dec_var.append(sv)
            self._dec_rank.append(self.rank[lead])
            fixed = None
            if sv is not None:
                dom = self.bounds.get(sv, _Interval())
                ivt, ivf = _dec_interval(d, True).meet(dom), _dec_interval(d, False).meet(dom)
                self._dec_iv.append((ivt, ivf))
                fixed = True if ivf.empty() else (False if ivt.empty() else None)
            else:
                self._dec_iv.append((None, None))
            self._dec_fixed.append(fixed)
        return idx, negated

    def _mk(self, d: int, hi: int, lo: int) -> int:
        if hi == lo:
            return hi
        return self._intern(("D", d, hi, lo))

    def _intern(self, key: tuple) -> int:
        """Hash-consing: the id of the node ``key`` (a leaf or a decision), created once."""
        f = self._unique.get(key)
        if f is None:
            f = len(self._nodes)
            self._nodes.append(key)
            self._unique[key] = f
        return f

    def _top(self, f: int) -> tuple | None:
        n = self._nodes[f]
        return None if n[0] == "L" else self._dec_key[n[1]]

    # ------------------------------------------------------------------ implication and restriction
    def _implies(self, d: int, val: bool, e: int) -> bool | None:
        """Truth of decision ``e`` whenever decision ``d`` has value ``val`` (None: unknown)."""
        if d == e:
            return val
        x = self._dec_var[d]
        if x is None or x != self._dec_var[e]:
            return None
        key = (d, val, e)
        if key not in self._imp:
            r: bool | None
            dom = self._dec_iv[d][0 if val else 1]
            if dom.empty():
                r = None
            elif dom.subset(self._dec_iv[e][0]):
                r = True
            elif dom.subset(self._dec_iv[e][1]):
                r = False
            else:
                r = None
            self._imp[key] = r
        return self._imp[key]

    def restrict(self, f: int, d: int, val: bool) -> int:
        """``f`` on the region where decision ``d`` has value ``val`` (implied tests removed)."""
        n = self._nodes[f]
        if n[0] == "L":
            return f
        x = self._dec_var[d]
        if x is not None:
            e = n[1]
            if self._dec_rank[e] > self._dec_rank[d]:
                return f  # ordered: nothing below tests d's variable
            if val and self._dec_var[e] == x and self._dec_key[d] < self._dec_key[e]:
                return f  # x > t (or >= t) implies no test x > s with a larger key
        key = ("r", f, d, val)
        r = self._cache.get(key)
        if r is not None:
            return r
        imp = self._implies(d, val, n[1])
        if imp is True:
            r = self.restrict(n[2], d, val)
        elif imp is False:
            r = self.restrict(n[3], d, val)
        else:
            r = self._mk(n[1], self.restrict(n[2], d, val), self.restrict(n[3], d, val))
        self._cache[key] = r
        return r

    def _cof(self, f: int, d: int, val: bool) -> int:
        n = self._nodes[f]
        if n[0] == "D" and n[1] == d:
            return n[2] if val else n[3]
        return f

    def ite(self, d: int, hi: int, lo: int) -> int:
        """Canonical ``if decision d then hi else lo`` (reorders and prunes as needed)."""
        if hi == lo:
            return hi
        fixed = self._dec_fixed[d]
        if fixed is not None:
            return hi if fixed else lo
        key = ("ite", d, hi, lo)
        r = self._cache.get(key)
        if r is not None:
            return r
        h = self.restrict(hi, d, True)
        l_ = self.restrict(lo, d, False)
        if h == l_:
            r = h
        elif self.restrict(h, d, False) == l_:  # redundant test: h already equals lo where d fails
            r = h
        elif self.restrict(l_, d, True) == h:  # redundant test: lo already equals h where d holds
            r = l_
        else:
            kd = self._dec_key[d]
            th, tl = self._top(h), self._top(l_)
            if (th is None or kd < th) and (tl is None or kd < tl):
                r = self._mk(d, h, l_)
            else:
                cands = [self._nodes[g][1] for g, t in ((h, th), (l_, tl)) if t is not None]
                t = min(cands, key=self._dec_key.__getitem__)
                r = self.ite(
                    t,
                    self.ite(d, self._cof(h, t, True), self._cof(l_, t, True)),
                    self.ite(d, self._cof(h, t, False), self._cof(l_, t, False)),
                )
        self._cache[key] = r
        return r

    def cond(self, expr: LinExpr, op: str, hi: int, lo: int) -> int:
        """Case ``{expr op 0 : hi ; otherwise : lo}`` for nodes ``hi`` and ``lo``."""
        d, neg = self.make_decision(expr, op)
        return self.ite(d, lo, hi) if neg else self.ite(d, hi, lo)

    def indicator(self, expr: LinExpr, op: str) -> int:
        """The 0/1 case statement of ``expr op 0``."""
        return self.cond(expr, op, self.const(1), self.const(0))

    # ------------------------------------------------------------------ binary operations
    _COMMUTATIVE = {"+", "*", "max", "min"}

    def _const_leaf(self, c: Fraction) -> int:
        f = self._consts.get(c)
        if f is None:
            f = self._consts[c] = self.leaf(LinExpr((), c))
        return f

    _ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul}

    def _leaf_op(self, op: str, a: LinExpr, b: LinExpr) -> int:
        arith = self._ARITH.get(op)
        if not a.coeffs and not b.coeffs:  # fast path: constants
            x, y = a.const, b.const
            if arith is not None:
                return self._const_leaf(arith(x, y))
            return self._const_leaf(max(x, y) if op == "max" else min(x, y))
        if arith is not None:
            return self.leaf(arith(a, b))
        diff = a - b
        if diff.is_const():
            big = a if diff.const >= 0 else b
            small = b if big is a else a
            return self.leaf(big if op == "max" else small)
        # a linear comparison enters the diagram as a new decision
        fa, fb = self.leaf(a), self.leaf(b)
        return self.cond(diff, ">", fa, fb) if op == "max" else self.cond(diff, ">", fb, fa)

    def apply(self, op: str, f: int, g: int) -> int:
        """Cross-operation ``f op g`` for op in ``+ - * max min``.

        Case-wise: the cross-product of the partitions, the operation on each pair of
        leaves, inconsistent pairs pruned. ``*`` requires one factor constant on each
        pair of leaves (LPWL times LPWC stays LPWL).
        """
        if op not in ("+", "-", "*", "max", "min"):
            raise ValueError(f"op must be one of + - * max min, got {op!r}")
        if op in self._COMMUTATIVE and g < f:
            f, g = g, f
        key = ("a", op, f, g)
        r = self._cache.get(key)
        if r is not None:
            return r
        nf, ng = self._nodes[f], self._nodes[g]
        if nf[0] == "L" and ng[0] == "L":
            r = self._leaf_op(op, nf[1], ng[1])
        else:
            tf, tg = self._top(f), self._top(g)
            if tg is None or (tf is not None and tf <= tg):
                d = nf[1]
            else:
                d = ng[1]
            r = self.ite(
                d,
                self.apply(op, self._cof(f, d, True), self._cof(g, d, True)),
                self.apply(op, self._cof(f, d, False), self._cof(g, d, False)),
            )
        self._cache[key] = r
        return r

    def add(self, f: int, g: int) -> int:
        return self.apply("+", f, g)

    def sub(self, f: int, g: int) -> int:
        return self.apply("-", f, g)

    def mul(self, f: int, g: int) -> int:
        return self.apply("*", f, g)

    def max(self, f: int, g: int) -> int:
        return self.apply("max", f, g)

    def min(self, f: int, g: int) -> int:
        return self.apply("min", f, g)

    def scale(self, f: int, c: Number) -> int:
        """Scalar multiplication ``c · f``."""
        return self.apply("*", f, self.const(c))

    def sum(self, fs: Iterable[int]) -> int:
        out = self.const(0)
        for f in fs:
            out = self.add(out, f)
        return out

    # ------------------------------------------------------------------ substitution and integration
    def substitute(self, f: int, sub: Mapping[str, LinExpr | Number]) -> int:
        """``f`` with variables replaced by linear expressions (re-canonicalised)."""
        subx = {k: (v if isinstance(v, LinExpr) else LinExpr((), v)) for k, v in sub.items()}
        for k in subx:
            if k not in self.rank:
                raise ValueError(f"unknown variable {k!r}; declared: {sorted(self.rank)}")
        skey = tuple(sorted((k, v.key()) for k, v in subx.items()))
        return self._subst(f, subx, skey)

    def _subst(self, f: int, sub: dict, skey: tuple) -> int:
        key = ("s", f, skey)
        r = self._cache.get(key)
        if r is not None:
            return r
        n = self._nodes[f]
        if n[0] == "L":
            r = self.leaf(n[1].subs(sub))
        else:
            hi, lo = self._subst(n[2], sub, skey), self._subst(n[3], sub, skey)
            D = self._decs[n[1]]
            e = D.expr.subs(sub)
            if e.is_const():
                r = hi if D.sat(e.const) else lo
            else:
                r = self.cond(e, ">" if D.strict else ">=", hi, lo)
        self._cache[key] = r
        return r

    def dirac_integral(self, f: int, var: str, expr: LinExpr | Number) -> int:
        r"""``∫ δ(var - expr) f d var = f[var := expr]`` (integration against a Dirac transition)."""
        return self.substitute(f, {var: expr})

    def evaluate(self, f: int, assign: Mapping[str, Number]) -> Fraction:
        """Exact value of ``f`` at a point (every variable on the path must be assigned)."""
        while True:
            n = self._nodes[f]
            if n[0] == "L":
                return n[1].evaluate(assign)
            f = n[2] if self._decs[n[1]].holds(assign) else n[3]

    def pieces(
        self, f: int, var: str, assign: Mapping[str, Number] | None = None
    ) -> list[tuple[Fraction | None, Fraction | None, LinExpr]]:
        """``f`` as a function of ``var`` alone, other variables fixed by ``assign``.

        Returns sorted ``(lo, hi, expr)`` pieces covering the real line (``None`` = ∓∞);
        ``expr`` is linear in ``var``. Boundary points (measure zero) are not resolved: use
        :meth:`evaluate` for point values.
        """
        assign = {} if assign is None else {k: Q(v) for k, v in assign.items()}
        out: list = []
        self._pieces(f, var, assign, None, None, out)
        out.sort(key=lambda p: -math.inf if p[0] is None else p[0])
        merged: list = []
        for p in out:
            if merged and merged[-1][2] == p[2] and merged[-1][1] == p[0]:
                merged[-1] = (merged[-1][0], p[1], p[2])
            else:
                merged.append(p)
        return merged

    def _pieces(self, f, var, assign, lo, hi, out) -> None:
        n = self._nodes[f]
        if n[0] == "L":
            e = n[1].subs(assign)
            if set(e.vars()) - {var}:
                raise ValueError(f"assign must fix every variable but {var!r}; leaf {e}")
            out.append((lo, hi, e))
            return
        D = self._decs[n[1]]
        e = D.expr.subs(assign)
        extra = set(e.vars()) - {var}
        if extra:
            raise ValueError(f"assign must fix every variable but {var!r}; missing {sorted(extra)}")
        if e.is_const():
            self._pieces(n[2] if D.sat(e.const) else n[3], var, assign, lo, hi, out)
            return
        a = e.coef(var)
        t = -e.const / a  # a*var + c > 0  <=> var > t (a>0) or var < t (a<0)
        up, down = (n[2], n[3]) if a > 0 else (n[3], n[2])
        if lo is None or t > lo:
            self._pieces(down, var, assign, lo, t if hi is None or t < hi else hi, out)
        if hi is None or t < hi:
            self._pieces(up, var, assign, t if lo is None or t > lo else lo, hi, out)

    def integrate(
        self, f: int, var: str, lo: Number, hi: Number, assign: Mapping[str, Number] | None = None
    ) -> Fraction:
        r"""Exact :math:`\int_{lo}^{hi} f\, d\,var` with the other variables fixed by ``assign``."""
        return self._integrate_pieces(self.pieces(f, var, assign), var, lo, hi)

    @staticmethod
    def _integrate_pieces(pcs: list, var: str, lo: Number, hi: Number) -> Fraction:
        """Integral over [lo, hi] of a function given by its sorted ``(lo, hi, expr)`` pieces."""
        lo, hi = Q(lo), Q(hi)
        if hi < lo:
            raise ValueError(f"hi must be >= lo, got lo={lo}, hi={hi}")
        total = Fraction(0)
        for a, b, e in pcs:
            a2 = lo if a is None or a < lo else a
            b2 = hi if b is None or b > hi else b
            if b2 > a2:
                s = e.coef(var)
                total += s * (b2 * b2 - a2 * a2) / 2 + e.const * (b2 - a2)
        return total

    def integrate_density(
        self,
        f: int,
        var: str,
        density: Sequence[tuple[Number, Number, Number]],
        assign: Mapping[str, Number] | None = None,
    ) -> Fraction:
        r"""Exact :math:`\int f(x)\, b(x)\, dx` for a piecewise-uniform density
        ``b = Σ_k d_k 1[lo_k < x < hi_k]`` given as ``(lo_k, hi_k, d_k)`` triples."""
        pcs = self.pieces(f, var, assign)  # once, not once per density piece
        return sum((Q(d) * self._integrate_pieces(pcs, var, lo, hi) for lo, hi, d in density), Fraction(0))

    # ------------------------------------------------------------------ pruning with an LP
    def prune(self, f: int) -> int:
        """Remove inconsistent paths. Single-variable tests are already pruned exactly by
        construction; paths with multi-variable tests are checked with an LP (scipy)."""
        return self._prune(f, ())

    def _split_path(
        self, path: tuple, with_bounds: bool = False
    ) -> tuple[dict[str, _Interval], list[tuple[Decision, bool]]]:
        """A path's single-variable tests as one interval per variable (intersected with the
        declared bounds when ``with_bounds``), and its multi-variable tests as (decision, value)."""
        ivs: dict[str, _Interval] = {}
        multi: list[tuple[Decision, bool]] = []
        for d, val in path:
            D = self._decs[d]
            x = D.single_var()
            if x is None:
                multi.append((D, val))
                continue
            start = ivs[x] if x in ivs else (self.bounds.get(x, _Interval()) if with_bounds else _Interval())
            ivs[x] = start.meet(_dec_interval(D, val))
        return ivs, multi

    def _consistent(self, path: tuple) -> bool:
        if not path:
            return True
        # exact per-variable intervals for single-variable tests
        ivs, multi = self._split_path(path)
        if any(iv.empty() for iv in ivs.values()):
            return False
        if not multi:
            return True
        import numpy as np
        from scipy.optimize import linprog

        names = sorted(self.rank)
        A, b = [], []
        for D, val in multi:  # closure: e >= 0 (val) or e <= 0 (not val)
            row = [float(D.expr.coef(k)) for k in names]
            c0 = float(D.expr.const)
            if val:
                A.append([-r for r in row])
                b.append(c0)
            else:
                A.append(row)
                b.append(-c0)
        bounds = []
        for k in names:
            iv = (
                ivs[k].meet(self.bounds[k])
                if k in ivs and k in self.bounds
                else ivs.get(k, self.bounds.get(k, _Interval()))
            )  # the path's interval within the declared domain
            if iv.empty():
                return False
            bounds.append((None if iv.lo is None else float(iv.lo), None if iv.hi is None else float(iv.hi)))
        res = linprog(np.zeros(len(names)), A_ub=np.array(A), b_ub=np.array(b), bounds=bounds, method="highs")
        return res.status != 2  # 2 = infeasible

    def _prune(self, f: int, path: tuple) -> int:
        n = self._nodes[f]
        if n[0] == "L":
            return f
        d = n[1]
        ok_t = self._consistent(path + ((d, True),))
        ok_f = self._consistent(path + ((d, False),))
        if ok_t and not ok_f:
            return self._prune(n[2], path)
        if ok_f and not ok_t:
            return self._prune(n[3], path)
        return self.ite(d, self._prune(n[2], path + ((d, True),)), self._prune(n[3], path + ((d, False),)))

    # ------------------------------------------------------------------ inspection
    def reachable(self, *fs: int) -> set[int]:
        seen: set[int] = set()
        stack = list(fs)
        while stack:
            g = stack.pop()
            if g in seen:
                continue
            seen.add(g)
            n = self._nodes[g]
            if n[0] == "D":
                stack.extend((n[2], n[3]))
        return seen

    def node_count(self, *fs: int) -> int:
        """Distinct nodes (decisions + leaves) reachable from the roots (shared ones once)."""
        return len(self.reachable(*fs))

    def variables(self, f: int) -> set[str]:
        """Variables that ``f`` depends on (in tests or leaves)."""
        out: set[str] = set()
        for g in self.reachable(f):
            n = self._nodes[g]
            out.update(n[1].vars() if n[0] == "L" else self._decs[n[1]].expr.vars())
        return out

    def paths(self, f: int) -> list[tuple[tuple[tuple[int, bool], ...], LinExpr]]:
        """Every root-to-leaf path as ``((decision_id, value), ...), leaf``."""
        out = []

        def walk(g, path):
            n = self._nodes[g]
            if n[0] == "L":
                out.append((path, n[1]))
            else:
                walk(n[2], path + ((n[1], True),))
                walk(n[3], path + ((n[1], False),))

        walk(f, ())
        return out

    def case_rows(self, f: int) -> list[tuple[str, LinExpr]]:
        """Readable partitions: per-variable intervals merged, e.g. ``i ≥ 1 ∧ 50 < v ≤ 75``.

        Adjacent intervals of the last real variable with equal values are shown as one row.
        """
        last = self.real_vars[-1] if self.real_vars else None
        raw = []
        for path, leaf in self.paths(f):
            ivs, path_conds = self._split_path(path, with_bounds=True)
            raw.append((ivs, [str(D) if val else f"¬({D})" for D, val in path_conds], leaf))
        # merge adjacent intervals of `last` sharing all other conditions and the value
        merged: list = []
        for ivs, multi, leaf in raw:
            if merged and last is not None:
                pivs, pmulti, pleaf = merged[-1]
                same_rest = {k: v for k, v in pivs.items() if k != last} == {
                    k: v for k, v in ivs.items() if k != last
                }
                a, b = pivs.get(last), ivs.get(last)
                if same_rest and pmulti == multi and pleaf == leaf and a is not None and b is not None:
                    lo_, hi_ = (b, a) if (b.hi is not None and a.lo is not None and b.hi == a.lo) else (a, b)
                    if lo_.hi is not None and hi_.lo is not None and lo_.hi == hi_.lo:
                        pivs = dict(pivs)
                        pivs[last] = _Interval(lo_.lo, lo_.lo_open, hi_.hi, hi_.hi_open)
                        merged[-1] = (pivs, pmulti, pleaf)
                        continue
            merged.append((ivs, multi, leaf))
        rows = []
        for ivs, multi, leaf in merged:
            conds = []
            for x in sorted(ivs, key=self.rank.__getitem__):
                iv = ivs[x]
                if x in self.int_vars:
                    lo = (
                        None if iv.lo is None else (math.floor(iv.lo) + 1 if iv.lo_open else math.ceil(iv.lo))
                    )
                    hi = (
                        None if iv.hi is None else (math.ceil(iv.hi) - 1 if iv.hi_open else math.floor(iv.hi))
                    )
                    if lo is not None and hi is not None and lo == hi:
                        conds.append(f"{x} = {lo}")
                    elif hi is None:
                        conds.append(f"{x} ≥ {lo}")
                    elif lo is None:
                        conds.append(f"{x} ≤ {hi}")
                    else:
                        conds.append(f"{lo} ≤ {x} ≤ {hi}")
                    continue
                if iv.lo is None and iv.hi is None:
                    continue
                s = ""
                if iv.lo is not None:
                    s += f"{fmt_num(iv.lo)} {'<' if iv.lo_open else '≤'} "
                s += x
                if iv.hi is not None:
                    s += f" {'<' if iv.hi_open else '≤'} {fmt_num(iv.hi)}"
                conds.append(s)
            rows.append((" ∧ ".join(conds + multi) or "true", leaf))
        return rows

    def pretty(self, f: int, name: str = "f", args: str | None = None) -> str:
        """The case statement as text, one partition per line."""
        rows = self.case_rows(f)
        args = args if args is not None else ", ".join(sorted(self.variables(f), key=self.rank.__getitem__))
        head = f"{name}({args}) = "
        w = max(len(c) for c, _ in rows)
        lines = []
        for k, (c, e) in enumerate(rows):
            pre = head if k == 0 else " " * len(head)
            brace = "{ " if k == 0 else "  "
            lines.append(f"{pre}{brace}{c.ljust(w)} : {e}")
        return "\n".join(lines)


# ----------------------------------------------------------------------------- a thin wrapper
def _check_manager(X: object) -> XADD:
    if not isinstance(X, XADD):
        raise TypeError(f"X must be an XADD, got {type(X).__name__}")
    return X


class Case:
    """A case statement bound to its manager, with arithmetic operators.

    >>> X = XADD(int_vars=("i",), real_vars=("v",))
    >>> v = Case.var(X, "v")
    >>> f = (v > 50).where(Case.const(X, 10), Case.const(X, 0)) + 1
    >>> f(v=60), f(v=40)
    (Fraction(11, 1), Fraction(1, 1))
    """

    __slots__ = ("X", "f")

    def __init__(self, X: XADD, f: int):
        _check_manager(X)
        if isinstance(f, bool) or not isinstance(f, int) or not 0 <= f < len(X._nodes):
            raise ValueError(f"f must be a node id of X, an int in [0, {len(X._nodes) - 1}], got {f!r}")
        self.X, self.f = X, f

    @classmethod
    def const(cls, X: XADD, c: Number) -> Case:
        return cls(_check_manager(X), X.const(Q(c, "c")))

    @classmethod
    def var(cls, X: XADD, name: str) -> Case:
        if not isinstance(name, str) or name not in _check_manager(X).rank:
            raise ValueError(f"name must be a variable of X, one of {sorted(X.rank)}, got {name!r}")
        return cls(X, X.var(name))

    def _other(self, o) -> int:
        return o.f if isinstance(o, Case) else self.X.const(o)

    def __add__(self, o):
        return Case(self.X, self.X.add(self.f, self._other(o)))

    __radd__ = __add__

    def __sub__(self, o):
        return Case(self.X, self.X.sub(self.f, self._other(o)))

    def __rsub__(self, o):
        return Case(self.X, self.X.sub(self._other(o), self.f))

    def __mul__(self, o):
        return Case(self.X, self.X.mul(self.f, self._other(o)))

    __rmul__ = __mul__

    def __neg__(self):
        return self * -1

    def maximum(self, o) -> Case:
        return Case(self.X, self.X.max(self.f, self._other(o)))

    def minimum(self, o) -> Case:
        return Case(self.X, self.X.min(self.f, self._other(o)))

    def _cmp(self, o, op) -> Condition:
        if not self.X.is_leaf(self.f) or (isinstance(o, Case) and not self.X.is_leaf(o.f)):
            raise ValueError("comparisons build conditions from linear (leaf) expressions only")
        rhs = self.X.leaf_expr(o.f) if isinstance(o, Case) else LinExpr((), o)
        return Condition(self.X, self.X.leaf_expr(self.f) - rhs, op)

    def __gt__(self, o):
        return self._cmp(o, ">")

    def __ge__(self, o):
        return self._cmp(o, ">=")

    def __lt__(self, o):
        return self._cmp(o, "<")

    def __le__(self, o):
        return self._cmp(o, "<=")

    def __eq__(self, o) -> bool:  # canonical: same function <=> same node
        return isinstance(o, Case) and o.X is self.X and o.f == self.f

    def __hash__(self) -> int:
        return hash((id(self.X), self.f))

    def __call__(self, **assign) -> Fraction:
        return self.X.evaluate(self.f, assign)

    def subs(self, **sub) -> Case:
        return Case(self.X, self.X.substitute(self.f, sub))

    def integrate(self, var: str, lo: Number, hi: Number, **assign) -> Fraction:
        return self.X.integrate(self.f, var, lo, hi, assign)

    @property
    def nodes(self) -> int:
        return self.X.node_count(self.f)

    def pretty(self, name: str = "f") -> str:
        return self.X.pretty(self.f, name)

    def __str__(self) -> str:
        return self.pretty()

    def __repr__(self) -> str:
        return f"Case(node={self.f}, nodes={self.nodes})"


class Condition:
    """A linear inequality ``expr op 0`` awaiting its two branches (see :meth:`where`)."""

    __slots__ = ("X", "expr", "op")

    def __init__(self, X: XADD, expr: LinExpr, op: str):
        self.X, self.expr, self.op = X, expr, op

    def where(self, hi: Case | Number, lo: Case | Number) -> Case:
        h = hi.f if isinstance(hi, Case) else self.X.const(hi)
        l_ = lo.f if isinstance(lo, Case) else self.X.const(lo)
        return Case(self.X, self.X.cond(self.expr, self.op, h, l_))

    def indicator(self) -> Case:
        return self.where(1, 0)
