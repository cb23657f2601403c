"""The benchmark cases: each mmkit routine beside the peer or limit a reader would compare it with.

Every factory takes ``quick`` and yields :class:`~benchmarks.harness.Case` objects one size at a
time (setup outside timing, memory released between sizes). The quick sizes are a subset of the
full sizes, so that a quick run can be compared with stored full results case by case.
Before a case is yielded, its two sides are run once and checked to do the same work
(same policy, same values, same numbers), so a ratio never compares different answers.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from fractions import Fraction

import numpy as np
import scipy.sparse as sp

from benchmarks.harness import Case, key_of

_DENSE = ([100, 300], [100, 200, 300, 500, 1000])
_BANDED = ([2000], [2000, 5000, 20000])
#: Problem sizes per case group: (quick, full). Quick sizes are a subset of full sizes.
SIZES: dict[str, tuple[list[int], list[int]]] = {
    "mdp_dense_build": _DENSE,
    "mdp_dense_vi": _DENSE,
    "mdp_dense_pi": _DENSE,
    "mdp_dense_mpi": _DENSE,
    "mdp_banded_vi": _BANDED,
    "mdp_banded_pi": _BANDED,
    "mdp_banded_mpi": _BANDED,
    "mdp_random_vi": ([2000], [2000, 5000, 20000]),
    "mdp_random_pi": ([], [500, 1000, 2000]),
    "mdp_random_mpi": ([2000], [2000, 5000, 20000]),
    "mdp_random_pi_vs_mpi": ([20000], [5000, 20000]),
    "mdp_dual_lp": ([25, 50], [25, 50, 100, 200]),
    "xadd_max": ([4, 6], [3, 4, 6, 8, 10]),
    "lmsr_trade_cost_numpy": ([1_000_000], [1_000_000]),
    "lmsr_trade_cost_numba": ([1_000_000], [1_000_000]),
    "lmsr_prices_numpy": ([1_000_000], [1_000_000]),
    "lmsr_buy_scalar": ([2, 4], [2, 4]),
    "marl_core_step": ([4096], [4096]),
    "marl_core_reset": ([4096], [4096]),
    "marl_core_reset_batch": ([4096], [4096]),
    "pressure_matrix": ([100], [50, 100, 200]),
    "pressure_matrix_fft": ([500], [200, 500, 1000]),
    "pbvi_exact": ([1, 2], [1, 2, 3, 4, 5, 6]),
    "pbvi_exact_xadd": ([1, 2], [1, 2, 3, 4]),
    "ppo_sb3": ([], [3200]),
    "ppo_lean": ([], [16000]),
}


def sizes(group: str, quick: bool) -> list[int]:
    """The sizes of ``group`` in quick or full mode."""
    return SIZES[group][0 if quick else 1]


def planned_keys(quick: bool) -> list[str]:
    """Keys of every case of a mode (whether or not optional peers are installed)."""
    return [key_of(g, n) for g in SIZES for n in sizes(g, quick)]


# ----------------------------------------------------------------------------- MDPs
DISCOUNT = 0.95
N_ACTIONS = 4
VI_TOL = 1e-6
MPI_K = 20
MAX_ITER = 100_000  # QuantEcon's default (250) would stop VI before its epsilon is met


def dense_mdp(n: int, n_actions: int = N_ACTIONS, seed: int = 0):
    """A random dense MDP: rewards U(0, 1), rows of P uniform then normalised."""
    from mmkit.common.mdp import FiniteMDP

    rng = np.random.default_rng(seed)
    R = rng.random((n, n_actions))
    P = rng.random((n, n_actions, n))
    P /= P.sum(axis=2, keepdims=True)
    return FiniteMDP.from_dense(R, P, DISCOUNT)


def sparse_mdp(n: int, structure: str, n_actions: int = N_ACTIONS, seed: int = 0):
    """A sparse MDP in pair form: ``banded`` (action a moves by a - 1 +/- 1, clipped) or
    ``random`` (5 random successors per pair)."""
    from mmkit.common.mdp import FiniteMDP

    rng = np.random.default_rng(seed)
    s_idx = np.repeat(np.arange(n), n_actions)
    a_idx = np.tile(np.arange(n_actions), n)
    L = n * n_actions
    if structure == "banded":
        cols = np.clip(s_idx[:, None] + a_idx[:, None] - 1 + np.array([-1, 0, 1])[None, :], 0, n - 1)
    elif structure == "random":
        cols = rng.integers(0, n, (L, 5))
    else:
        raise ValueError(f"structure must be 'banded' or 'random', got {structure!r}")
    w = rng.random(cols.shape) + 0.1
    w /= w.sum(axis=1, keepdims=True)
    rows = np.repeat(np.arange(L), cols.shape[1])
    P = sp.csr_matrix((w.ravel(), (rows, cols.ravel())), shape=(L, n))
    P.sum_duplicates()
    R = rng.random(L) - 0.3 * (a_idx != 1)
    return FiniteMDP(R, P, s_idx, a_idx, DISCOUNT, n_actions)


def _same_policy(p1, p2, what: str) -> None:
    if not np.array_equal(np.asarray(p1), np.asarray(p2)):
        raise AssertionError(f"{what}: the two solvers return different policies")


def _solvers() -> dict[str, tuple[Callable, Callable, str, str]]:
    """Per solver: ours(mdp), QuantEcon's(ddp), and their labels (same start, same stopping rule)."""
    from mmkit.common import mdp as md

    return {
        "vi": (
            lambda m: md.solve_value_iteration(m, epsilon=VI_TOL),
            lambda q: q.solve("value_iteration", epsilon=VI_TOL, max_iter=MAX_ITER),
            "solve_value_iteration",
            "QuantEcon DiscreteDP VI",
        ),
        "pi": (
            lambda m: md.solve_policy_iteration(m),
            lambda q: q.solve("policy_iteration"),
            "solve_policy_iteration",
            "QuantEcon DiscreteDP PI",
        ),
        "mpi": (
            lambda m: md.modified_policy_iteration(m, epsilon=VI_TOL, k=MPI_K),
            lambda q: q.solve("modified_policy_iteration", epsilon=VI_TOL, k=MPI_K, max_iter=MAX_ITER),
            f"modified_policy_iteration (k = {MPI_K})",
            f"QuantEcon DiscreteDP MPI (k = {MPI_K})",
        ),
    }


#: The MDP groups: (structure, our solver, QuantEcon's solver, note). A group is named
#: ``mdp_<structure>_<ours>``, or ``..._vs_<peer>`` when QuantEcon's counterpart is another solver.
MDP_GROUPS = [
    (
        "dense",
        "build",
        "build",
        "FiniteMDP.from_dense checks P (two passes over it); DiscreteDP reads no entry",
    ),
    *[("dense", s, s, "") for s in ("vi", "pi", "mpi")],
    *[("banded", s, s, "") for s in ("vi", "pi", "mpi")],
    *[("random", s, s, "") for s in ("vi", "pi", "mpi")],
    (
        "random",
        "pi",
        "mpi",
        "our PI evaluates each policy by BiCGSTAB; QuantEcon's PI (sparse LU) does not finish at "
        "these sizes (fill-in), so its fastest solver is the counterpart",
    ),
]
_STRUCTURE_NOTE = {
    "dense": f"dense random P, {N_ACTIONS} actions, discount {DISCOUNT}, epsilon {VI_TOL:g}",
    "banded": f"sparse banded P (3 successors), {N_ACTIONS} actions, discount {DISCOUNT}",
    "random": f"sparse random P (5 random successors), {N_ACTIONS} actions, discount {DISCOUNT}",
}


def _mdp_group(structure: str, ours: str, peer: str) -> str:
    return f"mdp_{structure}_{ours}" + ("" if ours == peer else f"_vs_{peer}")


def _build_case(m, n: int, note: str) -> Case:
    """``FiniteMDP.from_dense`` (validated) beside ``DiscreteDP(R, Q, beta)`` on the same arrays."""
    from quantecon.markov import DiscreteDP

    from mmkit.common.mdp import FiniteMDP

    R, P = m.R.reshape(n, -1), m.P.reshape(n, -1, n)
    return Case(
        "mdp_dense_build",
        n,
        "states",
        lambda: FiniteMDP.from_dense(R, P, DISCOUNT),
        lambda: DiscreteDP(R, P, DISCOUNT),
        "FiniteMDP.from_dense (validated)",
        "QuantEcon DiscreteDP(R, Q, beta)",
        note=note,
    )


def mdp_cases(quick: bool) -> Iterator[Case]:
    """mmkit.common.mdp beside QuantEcon's DiscreteDP: the same MDP, start and stopping rule,
    and the same policy (checked before timing)."""
    from mmkit.common import mdp as md

    solvers = _solvers()
    for structure in ("dense", "banded", "random"):
        groups = [g for g in MDP_GROUPS if g[0] == structure]
        all_n = sorted({n for g in groups for n in sizes(_mdp_group(*g[:3]), quick)})
        for n in all_n:
            m = dense_mdp(n) if structure == "dense" else sparse_mdp(n, structure)
            q = md.to_quantecon(m)
            for _, ours, peer, note in groups:
                group = _mdp_group(structure, ours, peer)
                if n not in sizes(group, quick):
                    continue
                note = "; ".join(x for x in (_STRUCTURE_NOTE[structure], note) if x)
                if ours == "build":
                    yield _build_case(m, n, note)
                    continue
                f_o, f_p = solvers[ours][0], solvers[peer][1]
                run_o = lambda m=m, f=f_o: f(m)
                run_p = lambda q=q, f=f_p: f(q)
                so, sq = run_o(), run_p()
                _same_policy(so.policy, sq.sigma, f"{group} n={n}")
                yield Case(
                    group,
                    n,
                    "states",
                    run_o,
                    run_p,
                    solvers[ours][2],
                    solvers[peer][3],
                    note=note,
                    extra={"iterations_ours": int(so.iterations), "iterations_peer": int(sq.num_iter)},
                )
            del m, q


def lp_cases(quick: bool) -> Iterator[Case]:
    """The dual LP (HiGHS) beside our own policy iteration on the same dense MDP."""
    from mmkit.common import mdp as md

    for n in sizes("mdp_dual_lp", quick):
        m = dense_mdp(n)
        lp = lambda m=m: md.solve_dual_lp(m)
        pi = lambda m=m: md.solve_policy_iteration(m)
        _same_policy(lp().policy, pi().policy, f"dual LP n={n}")
        yield Case(
            "mdp_dual_lp",
            n,
            "states",
            lp,
            pi,
            "solve_dual_lp (HiGHS)",
            "mmkit solve_policy_iteration",
            kind="limit",
            note="same optimum; the LP (the slides' formulation, HiGHS interior point, the fastest of "
            "its methods here) has no QuantEcon counterpart: its cost is what the occupation measure costs",
        )


# ----------------------------------------------------------------------------- XADD
def _case_functions(K: int) -> list[tuple[int, int, int, int]]:
    """K case functions ``f_k(v) = a_k v + b_k if v > t_k else c_k`` (integer coefficients)."""
    rng = np.random.default_rng(0)
    t, a = rng.integers(1, 100, K), rng.integers(-5, 6, K)
    b, c = rng.integers(-50, 50, K), rng.integers(-50, 50, K)
    return list(zip(t.tolist(), a.tolist(), b.tolist(), c.tolist()))


def xadd_max_ours(K: int) -> tuple[int, float]:
    """max of the K case functions with mmkit.symbolic.xadd; (node count, value at v = 37)."""
    from mmkit.symbolic.xadd import XADD, LinExpr

    X = XADD()
    acc = None
    for t, a, b, c in _case_functions(K):
        f = X.cond(LinExpr({"v": 1}, -t), ">", X.leaf(LinExpr({"v": a}, b)), X.const(c))
        acc = f if acc is None else X.max(acc, f)
    return X.node_count(acc), float(X.evaluate(acc, {"v": 37}))


def xadd_max_xaddpy(K: int) -> tuple[int, float]:
    """The same maximum with xaddpy (no Gurobi: no LP pruning); (node count, value at v = 37)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import symengine as se
        from xaddpy.xadd.xadd import XADD as PyXADD

    ctx = PyXADD()
    v = se.Symbol("v")
    acc = None
    for t, a, b, c in _case_functions(K):
        f = ctx.get_dec_node(v > t, se.Integer(c), a * v + b)
        acc = f if acc is None else ctx.apply(acc, f, "max")
    nodes: set = set()
    ctx.get_exist_node(acc).collect_nodes(nodes)
    return len(nodes), float(ctx.evaluate(acc, {}, {v: 37}))


def xaddpy_version() -> str | None:
    try:
        from importlib.metadata import version

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import xaddpy  # noqa: F401
        return version("xaddpy")
    except Exception:  # noqa: BLE001 - any import failure means: not available
        return None


def xadd_cases(quick: bool) -> Iterator[Case]:
    """max of K one-variable case functions: mmkit.symbolic.xadd beside xaddpy."""
    if xaddpy_version() is None:
        return
    for K in sizes("xadd_max", quick):
        (no, vo), (np_, vp) = xadd_max_ours(K), xadd_max_xaddpy(K)
        if abs(vo - vp) > 1e-9:
            raise AssertionError(f"XADD K={K}: values differ ({vo} vs {vp})")
        yield Case(
            "xadd_max",
            K,
            "case functions",
            lambda K=K: xadd_max_ours(K),
            lambda K=K: xadd_max_xaddpy(K),
            "mmkit.symbolic.xadd",
            f"xaddpy {xaddpy_version()}",
            note="xaddpy without Gurobi prunes nothing: its diagram grows much faster",
            extra={"nodes_ours": no, "nodes_peer": np_},
        )


# ----------------------------------------------------------------------------- LMSR
LMSR_B = 100.0


def lmsr_inputs(n_trades: int, n_outcomes: int = 2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    q = rng.normal(0, 300, (n_trades, n_outcomes))
    return q, q + rng.normal(0, 20, (n_trades, n_outcomes))


def lmsr_bare_numpy(q: np.ndarray, q_new: np.ndarray, b: float = LMSR_B) -> np.ndarray:
    """``C(q_new) - C(q)`` with one shared shift, no checks: the numpy floor."""
    m = np.maximum(q.max(axis=1), q_new.max(axis=1))[:, None]
    return b * (np.log(np.exp((q_new - m) / b).sum(axis=1)) - np.log(np.exp((q - m) / b).sum(axis=1)))


def lmsr_bare_prices(q: np.ndarray, b: float = LMSR_B) -> np.ndarray:
    """``softmax(q / b)`` over the last axis, no checks: the numpy floor for prices."""
    z = q / b
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def lmsr_py_buy(q: list[float], i: int, k: float, b: float = LMSR_B) -> float:
    """The closed form ``b ln(1 - p_i + p_i e^{k/b})`` in pure Python (no checks, no shift)."""
    s = sum(math.exp(x / b) for x in q)
    p = math.exp(q[i] / b) / s
    return b * math.log(1 - p + p * math.exp(k / b))


LMSR_BUY_Q = [50.0, 10.0, -20.0, 5.0]  # the first n entries are the scalar case's share vector

_NUMBA_LMSR: Callable | None = None


def lmsr_numba() -> Callable | None:
    """A compiled loop over trades (None if numba is missing)."""
    global _NUMBA_LMSR
    if _NUMBA_LMSR is not None:
        return _NUMBA_LMSR
    try:
        import numba
    except ImportError:
        return None

    @numba.njit(cache=False)
    def trade_costs(q, q_new, b):  # pragma: no cover - compiled
        n, k = q.shape
        out = np.empty(n)
        for i in range(n):
            m = q[i, 0]
            for j in range(k):
                m = max(m, q[i, j], q_new[i, j])
            s0 = 0.0
            s1 = 0.0
            for j in range(k):
                s0 += math.exp((q[i, j] - m) / b)
                s1 += math.exp((q_new[i, j] - m) / b)
            out[i] = b * (math.log(s1) - math.log(s0))
        return out

    _NUMBA_LMSR = trade_costs
    return trade_costs


def lmsr_cases(quick: bool) -> Iterator[Case]:
    """LMSR trade costs of a batch of trades: mmkit beside bare numpy and a numba loop."""
    from mmkit.cost_function.scoring_rules import LMSR

    mm = LMSR(LMSR_B)
    nb = lmsr_numba()
    for n in sizes("lmsr_trade_cost_numpy", quick):
        q, q1 = lmsr_inputs(n)
        ours = lambda q=q, q1=q1: mm.trade_cost(q, q1)
        ref = ours()
        bare = lambda q=q, q1=q1: lmsr_bare_numpy(q, q1)
        if np.max(np.abs(bare() - ref)) > 1e-9:
            raise AssertionError("LMSR: bare numpy differs from mmkit")
        yield Case(
            "lmsr_trade_cost_numpy",
            n,
            "trades",
            ours,
            bare,
            "LMSR.trade_cost",
            "bare numpy log-sum-exp",
            kind="limit",
            note="2 outcomes, b = 100; issue 15's target: within 1.2x",
        )
        prices, bare_p = (lambda q=q: mm.prices(q)), (lambda q=q: lmsr_bare_prices(q))
        if np.max(np.abs(prices() - bare_p())) > 1e-12:
            raise AssertionError("LMSR: bare numpy prices differ from mmkit")
        yield Case(
            "lmsr_prices_numpy",
            n,
            "trades",
            prices,
            bare_p,
            "LMSR.prices",
            "bare numpy softmax",
            kind="limit",
            note="2 outcomes, b = 100; issue 15's target: within 1.2x",
        )
        if nb is not None:
            jit = lambda q=q, q1=q1: nb(q, q1, LMSR_B)
            if np.max(np.abs(jit() - ref)) > 1e-9:
                raise AssertionError("LMSR: numba loop differs from mmkit")
            yield Case(
                "lmsr_trade_cost_numba",
                n,
                "trades",
                ours,
                jit,
                "LMSR.trade_cost",
                "numba loop",
                kind="limit",
                note="2 outcomes, b = 100; one fused pass, no temporaries",
            )
    for n in sizes("lmsr_buy_scalar", quick):
        qs = LMSR_BUY_Q[:n]
        buy, py = (lambda qs=qs: mm.buy(qs, 0, 10.0)), (lambda qs=qs: lmsr_py_buy(qs, 0, 10.0))
        if abs(buy() - py()) > 1e-9:
            raise AssertionError("LMSR: scalar buy differs from the closed form")
        yield Case(
            "lmsr_buy_scalar",
            n,
            "outcomes",
            buy,
            py,
            "LMSR.buy (one trade, list input, validated)",
            "closed form in pure Python (no checks)",
            kind="limit",
            note="b = 100, 10 shares of outcome 0; issue 15's target: within 3x",
        )


# ----------------------------------------------------------------------------- MARL market core
class MinimalCore:
    """The market core's dynamics in the fewest numpy operations (two agents, fixed lambda).

    Reads the same pre-drawn streams as :class:`mmkit.marl.core.MarketCore`, so both produce
    the same trajectories; no checks, no result object.
    """

    def __init__(self, core) -> None:
        cfg = core.config
        self.s, self.cfg = core.streams, cfg
        B, M = core.q.shape
        self.B, self.rows = B, np.arange(B)[:, None]
        self.drift, self.vol = cfg.mu * cfg.dt, cfg.sigma * math.sqrt(cfg.dt)
        self.reset()

    def reset(self) -> None:
        B = self.B
        self.t = 0
        self.price = np.full(B, self.cfg.p0)
        self.q = np.zeros((B, 2), dtype=np.int64)
        self.cash = np.zeros((B, 2))

    def step(self, db: np.ndarray, da: np.ndarray) -> np.ndarray:
        cfg, s, t = self.cfg, self.s, self.t
        bid, ask = self.price[:, None] - db, self.price[:, None] + da
        P1 = self.price + self.drift + self.vol * s.z[:, t]
        n = s.n[:, t]
        kk = np.arange(n.max())[None, :]
        u = s.u_alloc[self.rows, s.offset[:, t : t + 1] + kk]
        nbuy = (n // 2)[:, None]
        fills = []
        for d, mask in (
            (ask - P1[:, None], kk < nbuy),
            (P1[:, None] - bid, (kk >= nbuy) & (kk < n[:, None])),
        ):
            w = np.where((d >= 0) & (d <= cfg.d_max), np.exp(-cfg.alpha * d), 0.0)
            tot = w.sum(axis=1)
            live = (tot > 0)[:, None]
            to0 = u < (w[:, :1] / np.where(live[:, 0], tot, 1.0)[:, None])
            k0 = (mask & to0 & live).sum(axis=1)
            k1 = (mask & ~to0 & live).sum(axis=1)
            fills.append(np.minimum(np.stack([k0, k1], axis=1), cfg.cap))
        fa, fb = fills
        fb = np.minimum(fb, cfg.q_max - self.q)
        fa = np.minimum(fa, self.q + cfg.q_max)
        self.q = self.q + fb - fa
        self.cash = self.cash + fa * ask - fb * bid
        self.price = P1
        self.t = t + 1
        return self.cash + self.q * P1[:, None]


MARL_STEPS = 20


def marl_cases(quick: bool) -> Iterator[Case]:
    """MarketCore.step (two agents) beside a minimal numpy step of the same dynamics."""
    from mmkit.marl.core import MarketCore

    for B in sizes("marl_core_step", quick):
        core = MarketCore(n_agents=2)
        core.reset(range(B))
        mini = MinimalCore(core)
        db = np.tile([2.3, 2.0], (B, 1))
        da = np.tile([2.2, 1.9], (B, 1))

        def ours(core=core, db=db, da=da):
            core.t = 0  # replay the same stretch of the same streams
            for _ in range(MARL_STEPS):
                r = core.step(db, da)
            return r.pnl

        def peer(mini=mini, db=db, da=da):
            mini.reset()
            for _ in range(MARL_STEPS):
                pnl = mini.step(db, da)
            return pnl

        core.price[:] = core.config.p0
        core.q[:] = 0
        core.cash[:] = 0
        core.pnl[:] = 0
        a, b = ours(), peer()
        if np.max(np.abs(a - b)) > 1e-9:
            raise AssertionError("MARL: minimal step differs from MarketCore")
        yield Case(
            "marl_core_step",
            B,
            "episodes (batch)",
            ours,
            peer,
            "MarketCore.step",
            "minimal numpy step",
            kind="limit",
            note=f"2 agents, {MARL_STEPS} steps per call; same streams, same PnL "
            "(MarketCore's state is not reset between calls: the cost per step is the same)",
        )
        seeds = list(range(B))
        T = core.config.n_steps
        lam_dt = core.config.lam * core.config.dt

        def draw_one_generator(B=B, T=T):
            rng = np.random.default_rng(0)
            z = rng.standard_normal((B, T))
            n = rng.poisson(lam_dt, (B, T))
            return z, n, rng.random((B, int(n.sum(axis=1).max()) + 1))

        yield Case(
            "marl_core_reset",
            B,
            "episodes (batch)",
            lambda: core.reset(seeds),
            draw_one_generator,
            "MarketCore.reset (per-episode generators)",
            "one generator, vectorised draws",
            kind="limit",
            note="the same numbers of draws; per-episode seeding is what makes episodes reproducible",
        )
        batch = MarketCore(n_agents=2, streams="batch")
        batch.reset(seeds)
        z, n, _ = draw_one_generator()
        if batch.streams is None or batch.streams.z.shape != z.shape or batch.streams.n.shape != n.shape:
            raise AssertionError("MARL: batch streams differ in size from one vectorised generator")
        yield Case(
            "marl_core_reset_batch",
            B,
            "episodes (batch)",
            lambda: batch.reset(seeds),
            draw_one_generator,
            'MarketCore.reset (streams="batch")',
            "one generator, vectorised draws",
            kind="limit",
            note="opt-in training mode: one generator per reset (seeded by a hash of the batch's seeds); "
            "the same draws as the limit, plus the order offsets and the state",
        )


# ----------------------------------------------------------------------------- pressure matrix
def pressure_groups(N: int):
    from mmkit.markov_market import AgentGroup

    T1 = np.array([[0.3, 0.4, 0.3]] * 3)
    T2 = np.array([[0.4, 0.3, 0.3], [0.4, 0.2, 0.4], [0.3, 0.4, 0.3]])
    return [AgentGroup(T1, N // 2), AgentGroup(T2, N - N // 2)]


def write_floor(N: int) -> np.ndarray:
    """The cost of producing the output at all: allocate the (2N+1)^2 matrix and fill it."""
    M = np.empty((2 * N + 1, 2 * N + 1))
    M.fill(1.0 / (2 * N + 1))
    return M


#: Pressure-matrix groups: method, label, note.
PRESSURE_METHODS = {
    "pressure_matrix": (
        "auto",
        "pressure_matrix (default: direct)",
        "two agent groups; the default method, direct convolutions of non-negative numbers "
        "(relative accuracy on every entry), O(N^3)",
    ),
    "pressure_matrix_fft": (
        "fft",
        "pressure_matrix(method='fft')",
        "two agent groups; tilted FFT, opt-in: absolute accuracy only (about 1e-11 per entry)",
    ),
}


def pressure_cases(quick: bool) -> Iterator[Case]:
    from mmkit.markov_market import pressure_matrix

    for group, (method, label, note) in PRESSURE_METHODS.items():
        for N in sizes(group, quick):
            g = pressure_groups(N)
            yield Case(
                group,
                N,
                "agents",
                lambda g=g, method=method: pressure_matrix(g, method=method),
                lambda N=N: write_floor(N),
                label,
                "np.empty + fill of the output",
                kind="limit",
                note=note,
            )


# ----------------------------------------------------------------------------- symbolic PBVI
def pbvi_cases(quick: bool) -> Iterator[Case]:
    """Exact symbolic PBVI beside numerical expectimax (Kinathil et al. Fig. 2 instance): the
    default cell-grid path (``pbvi_exact``) and the rational reference path (``pbvi_exact_xadd``,
    every alpha.b integrated from its case statement in Fractions, the solver before 0.3)."""
    from mmkit.symbolic.inventory_pomdp import Belief, InventoryPOMDP, TraderModel, expectimax, make_actions
    from mmkit.symbolic.pbvi import solve

    acts = make_actions([0, 25, 49, 51, 75, 99])
    root = Belief.uniform(50, 100, 1)

    def model():
        return InventoryPOMDP(acts, TraderModel.glosten_milgrom(), gamma=Fraction(9, 10))

    for group, method, label in (
        ("pbvi_exact", "cells", "pbvi.solve (exact; float decisions, exact ties)"),
        ("pbvi_exact_xadd", "xadd", "pbvi.solve(method='xadd') (rational reference)"),
    ):
        for H in sizes(group, quick):
            exact = lambda H=H, method=method: solve(model(), [root], H, method=method)  # noqa: E731
            numeric = lambda H=H: expectimax(model(), root, H)  # noqa: E731
            v_x, v_n = float(exact().value(root)), numeric()[0]
            if abs(v_x - v_n) > 1e-9 * max(1.0, abs(v_n)):
                raise AssertionError(f"PBVI H={H} ({method}): exact {v_x} vs expectimax {v_n}")
            yield Case(
                group,
                H,
                "horizon",
                exact,
                numeric,
                label,
                "expectimax (float)",
                kind="limit",
                note="both build the model; PBVI builds every alpha-function (case statements) and exact "
                "values at every reachable belief, expectimax gives the float value at the root only"
                + (
                    "; the two PBVI paths return identical results (tests/test_pbvi_cells.py)"
                    if method == "xadd"
                    else ""
                ),
            )


# ----------------------------------------------------------------------------- PPO
def _ppo_env(ppo, market):
    """The adversary stage's training environment (as mmkit.marl.train builds it)."""
    from stable_baselines3.common.vec_env import VecNormalize

    from mmkit.marl.vec_env import MarketVecEnv

    venv = MarketVecEnv("adversary", ppo.n_envs, seed=123, config=market)
    return VecNormalize(venv, norm_obs=True, norm_reward=True, gamma=ppo.gamma)


def _learn(config: str, steps: int, lean: bool = False):
    """A PPO model of ``config``'s settings trained for ``steps`` env steps on the adversary stage
    (seed 123, one torch thread), by :class:`mmkit.marl.ppo.LeanPPO` or SB3's ``PPO``."""
    import torch
    from stable_baselines3 import PPO

    from mmkit.marl.ppo import LeanPPO
    from mmkit.marl.train import get_config

    torch.set_num_threads(1)
    cfg = get_config(config)
    model = (LeanPPO if lean else PPO)("MlpPolicy", _ppo_env(cfg.ppo, cfg.market), **cfg.ppo.sb3_kwargs(123))
    model.learn(total_timesteps=steps)
    return model


def sb3_ppo(steps: int) -> int:
    """SB3 PPO, the ``long`` configuration's settings, adversary stage: ``steps`` env steps."""
    return int(_learn("long", steps).num_timesteps)


def default_ppo(steps: int, lean: bool) -> list:
    """The default configuration's PPO (32 envs x 50 steps) for ``steps`` env steps, by LeanPPO
    (``lean``) or SB3's ``PPO``; returns the trained parameters."""
    return [v.clone() for v in _learn("default", steps, lean).policy.state_dict().values()]


def torch_ppo(steps: int) -> int:
    """The same PPO work in plain torch: same environment (with VecNormalize), separate 64-64 tanh
    actor and critic, state-independent log-std, n_steps x n_envs rollouts, GAE, n_epochs passes of
    Adam minibatch steps on the clipped loss with entropy and value terms, gradient clip 0.5."""
    import torch
    from torch import nn

    from mmkit.marl.train import get_config

    torch.set_num_threads(1)
    torch.manual_seed(123)
    cfg = get_config("long")
    p = cfg.ppo
    env = _ppo_env(p, cfg.market)
    lo, hi = env.action_space.low, env.action_space.high
    n_obs, n_act = env.observation_space.shape[0], env.action_space.shape[0]

    def mlp(n_out: int) -> nn.Module:
        return nn.Sequential(
            nn.Linear(n_obs, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, n_out)
        )

    actor, critic = mlp(n_act), mlp(1)
    log_std = nn.Parameter(torch.full((n_act,), float(p.log_std_init)))
    params = [*actor.parameters(), *critic.parameters(), log_std]
    opt = torch.optim.Adam(params, lr=p.learning_rate, eps=1e-5)
    T, E = p.n_steps, p.n_envs
    obs = torch.as_tensor(env.reset(), dtype=torch.float32)
    done_steps = 0
    while done_steps < steps:
        O, A, LP, R, D, V = [], [], [], [], [], []
        with torch.no_grad():
            for _ in range(T):
                mu, v = actor(obs), critic(obs).squeeze(-1)
                dist = torch.distributions.Normal(mu, log_std.exp())
                a = dist.sample()
                o2, r, d, _ = env.step(np.clip(a.numpy(), lo, hi))
                O.append(obs), A.append(a), LP.append(dist.log_prob(a).sum(-1)), V.append(v)
                (
                    R.append(torch.as_tensor(r, dtype=torch.float32)),
                    D.append(torch.as_tensor(d, dtype=torch.float32)),
                )
                obs = torch.as_tensor(o2, dtype=torch.float32)
            last_v = critic(obs).squeeze(-1)
            adv, gae = torch.zeros(T, E), torch.zeros(E)
            for t in reversed(range(T)):
                nv = last_v if t == T - 1 else V[t + 1]
                delta = R[t] + p.gamma * nv * (1 - D[t]) - V[t]
                gae = delta + p.gamma * p.gae_lambda * (1 - D[t]) * gae
                adv[t] = gae
        ret = (adv + torch.stack(V)).reshape(-1)
        O_, A_, LP_, adv_ = (
            torch.stack(O).reshape(T * E, -1),
            torch.stack(A).reshape(T * E, -1),
            torch.stack(LP).reshape(-1),
            adv.reshape(-1),
        )
        for _ in range(p.n_epochs):
            for idx in torch.randperm(T * E).split(p.batch_size):
                dist = torch.distributions.Normal(actor(O_[idx]), log_std.exp())
                lp = dist.log_prob(A_[idx]).sum(-1)
                ad = adv_[idx]
                ad = (ad - ad.mean()) / (ad.std() + 1e-8)
                ratio = (lp - LP_[idx]).exp()
                pg = -torch.min(ad * ratio, ad * ratio.clamp(1 - p.clip_range, 1 + p.clip_range)).mean()
                vf = ((critic(O_[idx]).squeeze(-1) - ret[idx]) ** 2).mean()
                loss = pg - p.ent_coef * dist.entropy().sum(-1).mean() + p.vf_coef * vf
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(params, 0.5)
                opt.step()
        done_steps += T * E
    return done_steps


def ppo_cases(quick: bool) -> Iterator[Case]:
    """SB3 PPO beside a plain-torch PPO loop of the same size (full mode only; slow)."""
    try:
        import stable_baselines3  # noqa: F401
        import torch  # noqa: F401
    except ImportError:
        return
    for n in sizes("ppo_sb3", quick):
        if sb3_ppo(n) != torch_ppo(n):
            raise AssertionError("PPO: SB3 and the torch loop did different numbers of env steps")
        yield Case(
            "ppo_sb3",
            n,
            "env steps",
            lambda n=n: sb3_ppo(n),
            lambda n=n: torch_ppo(n),
            "SB3 PPO (mmkit.marl settings)",
            "plain-torch PPO loop",
            kind="limit",
            note="default config (8 envs x 200 steps, batch 200, 6 epochs, 64-64 tanh), adversary stage, "
            "one torch thread; both include building the model and the environment",
        )


def lean_ppo_cases(quick: bool) -> Iterator[Case]:
    """LeanPPO beside SB3's PPO, which it reproduces bit for bit (full mode only; slow)."""
    try:
        import stable_baselines3  # noqa: F401
        import torch
    except ImportError:
        return
    for n in sizes("ppo_lean", quick):
        a, b = default_ppo(n, True), default_ppo(n, False)
        if len(a) != len(b) or not all(torch.equal(x, y) for x, y in zip(a, b)):
            raise AssertionError("PPO: LeanPPO and SB3 PPO trained different parameters")
        yield Case(
            "ppo_lean",
            n,
            "env steps",
            lambda n=n: default_ppo(n, True),
            lambda n=n: default_ppo(n, False),
            "LeanPPO (mmkit.marl.ppo)",
            "SB3 PPO",
            note="default config (32 envs x 50 steps, batch 200, 6 epochs, 64-64 tanh), adversary stage, "
            "one torch thread, same seed: identical parameters after training (checked before timing); "
            "both include building the model and the environment",
        )


FACTORIES: dict[str, Callable[[bool], Iterator[Case]]] = {
    "mdp": mdp_cases,
    "lp": lp_cases,
    "xadd": xadd_cases,
    "lmsr": lmsr_cases,
    "marl": marl_cases,
    "pressure": pressure_cases,
    "pbvi": pbvi_cases,
    "ppo": ppo_cases,
    "ppo_lean": lean_ppo_cases,
}
