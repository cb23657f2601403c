"""Vectorised market core of the MARL market-making game (spec A.2 of marl2025).

One call of :meth:`MarketCore.step` advances ``B`` independent episodes by one step
``dt`` for ``M`` market makers quoting in the same market. The order of operations is
exactly the authors' code (spec A.2):

1. quotes are set on the pre-move mid: ``bid_k = P_t - delta^b_k``, ``ask_k = P_t + delta^a_k``;
2. the mid moves: ``P_{t+1} = P_t + mu dt + sigma_t sqrt(dt) Z_t``, ``Z_t ~ N(0, 1)``;
3. ``N_t ~ Poisson(lambda_t dt)`` market orders arrive, ``B_t = floor(N_t / 2)`` buys (lift
   asks) and ``S_t = N_t - B_t`` sells (hit bids);
4. fill weights are measured from the post-move mid, ``w(d) = exp(-alpha d)`` for
   ``0 <= d <= d_max = -ln(threshold) / alpha`` and 0 otherwise, with
   ``d^b = P_{t+1} - bid`` and ``d^a = ask - P_{t+1}``;
5. each side's orders are allocated by a multinomial draw with probabilities ``w / sum(w)``,
   then capped at ``cap`` per agent and side (excess orders are lost) and at the inventory
   room (``q_max - q`` bought, ``q + q_max`` sold);
6. ``q += n^b - n^a``, ``X += n^a ask - n^b bid``, ``PnL = X + q P_{t+1}``.

Random numbers. Episode ``e`` with seed ``s_e`` draws its price shocks and its arrivals from
two generators ``numpy.random.default_rng(s_e)`` (as the authors' code; this is what makes the
price volatility and zero-fill numbers of the paper reproducible exactly), and its allocation
uniforms from ``default_rng([s_e, 1])``. The multinomial is sampled order by order: the
``j``-th order of a side goes to the agent whose cumulative-probability interval holds the
order's uniform, so a batch of episodes is one vectorised comparison. With a time-varying
intensity (an adversary), arrivals are drawn at the upper bound ``lambda_ref`` and thinned
with keep probability ``lambda_t / lambda_ref`` (uniforms from ``default_rng([s_e, 2])``):
a thinned Poisson process is Poisson, and an adversary sitting at the bound reproduces the
un-thinned stream exactly.

Batch streams (opt-in, ``streams="batch"``; for training, where the paper's per-episode numbers
are not needed). Building ``3 B`` generators at every reset costs more than the draws themselves;
in batch mode one generator per reset, ``default_rng(SeedSequence(h, spawn_key=(0,)))`` with
``h`` the first 128 bits of the SHA-256 of the seeds (little-endian uint64), draws the same
quantities for the whole batch (shocks, arrivals, allocation uniforms, thinning uniforms, in
that order). Episodes are then a deterministic function of the *batch* of seeds, not of each
seed alone: same dynamics and distributions, different numbers from the exact mode.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mmkit.common.validation import (
    check_array,
    check_bool,
    check_choice,
    check_finite,
    check_nonnegative,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
    check_real,
)

__all__ = [
    "MarketConfig",
    "MarketCore",
    "StepResult",
    "fill_weight",
    "episode_streams",
    "STREAMS",
    "batch_rng",
]

#: Random-stream modes: ``exact`` (per-episode generators, the paper's numbers; the default) and
#: ``batch`` (one generator per reset batch; opt-in, faster resets, for training).
STREAMS = ("exact", "batch")


@dataclass(frozen=True)
class MarketConfig:
    """Parameters of the market (defaults: the authors' code, spec A.2).

    Attributes
    ----------
    p0, mu, sigma, lam, dt, n_steps
        Initial mid, drift, volatility, order intensity, step and episode length
        (``n_steps * dt = 1``).
    alpha, threshold
        Fill decay ``exp(-alpha d)`` and the weight at the maximum execution range,
        ``d_max = -ln(threshold) / alpha = 3.0701``.
    max_offset
        Upper end of the quote-offset action box ``[0, max_offset]``.
    cap
        Maximum fills per agent, side and step.
    q_max
        Inventory limits ``[-q_max, q_max]``.
    lam_bounds, sigma_bounds
        The adversary's action box for ``(lambda, sigma)``.
    zeta, eta
        Running and terminal inventory penalties of the reward (spec A.4).
    inventory_caps
        Cap fills at the inventory room. The authors' single-agent code does, their pair
        code does not; with ~1 net fill per step the cap never binds in 200 steps.
    """

    p0: float = 100.0
    mu: float = 0.0
    sigma: float = 1.1
    lam: float = 400.0
    dt: float = 0.005
    n_steps: int = 200
    alpha: float = 1.5
    threshold: float = 0.01
    max_offset: float = 5.0
    cap: int = 3
    q_max: int = 500
    lam_bounds: tuple[float, float] = (300.0, 500.0)
    sigma_bounds: tuple[float, float] = (0.2, 2.0)
    zeta: float = 0.0
    eta: float = 0.01
    inventory_caps: bool = True

    def __post_init__(self) -> None:
        for name in ("p0", "dt", "alpha", "max_offset"):
            check_positive(getattr(self, name), name)
        check_finite(self.mu, "mu")
        for name in ("sigma", "lam", "zeta", "eta"):
            check_nonnegative(getattr(self, name), name)
        check_positive_int(self.n_steps, "n_steps")
        check_real(self.threshold, "threshold", 0.0, 1.0, lo_open=True, hi_open=True)
        check_nonnegative_int(self.cap, "cap")
        check_nonnegative_int(self.q_max, "q_max")
        check_bool(self.inventory_caps, "inventory_caps")
        for name in ("lam_bounds", "sigma_bounds"):
            b = getattr(self, name)
            if not isinstance(b, (tuple, list)) or len(b) != 2:
                raise TypeError(f"{name} must be a pair (lo, hi) with 0 <= lo <= hi, got {b!r}")
            check_nonnegative(b[0], f"{name}[0]")
            check_nonnegative(b[1], f"{name}[1]")
        checks = [
            ("p0", self.p0 > 0, "> 0"),
            ("sigma", self.sigma >= 0, ">= 0"),
            ("lam", self.lam >= 0, ">= 0"),
            ("dt", self.dt > 0, "> 0"),
            ("n_steps", self.n_steps >= 1, ">= 1"),
            ("alpha", self.alpha > 0, "> 0"),
            ("threshold", 0 < self.threshold < 1, "in (0, 1)"),
            ("max_offset", self.max_offset > 0, "> 0"),
            ("cap", self.cap >= 0, ">= 0"),
            ("q_max", self.q_max >= 0, ">= 0"),
            ("zeta", self.zeta >= 0, ">= 0"),
            ("eta", self.eta >= 0, ">= 0"),
            ("lam_bounds", 0 <= self.lam_bounds[0] <= self.lam_bounds[1], "0 <= lo <= hi"),
            ("sigma_bounds", 0 <= self.sigma_bounds[0] <= self.sigma_bounds[1], "0 <= lo <= hi"),
        ]
        for name, ok, rng in checks:
            if not ok:
                raise ValueError(f"{name} must be {rng}, got {getattr(self, name)!r}")

    @property
    def d_max(self) -> float:
        """Maximum execution range ``-ln(threshold) / alpha`` (3.0701 by default)."""
        return -math.log(self.threshold) / self.alpha

    @property
    def horizon(self) -> float:
        return self.n_steps * self.dt


def fill_weight(d: np.ndarray, alpha: float = 1.5, d_max: float | None = None) -> np.ndarray:
    """Priority weight ``w(d) = exp(-alpha d) 1{0 <= d <= d_max}`` of a quote at distance ``d``.

    ``d`` is measured from the post-move mid; ``d_max`` defaults to ``-ln(0.01) / alpha``.
    """
    d = check_array(d, "d", finite=False)
    if np.any(np.isnan(d)):
        raise ValueError("d must not contain NaN (distances may be +-inf)")
    alpha = check_positive(alpha, "alpha")
    dm = -math.log(0.01) / alpha if d_max is None else check_positive(d_max, "d_max")
    return np.where((d >= 0) & (d <= dm), np.exp(-alpha * np.clip(d, 0, None)), 0.0)


@dataclass
class Streams:
    """Pre-drawn random numbers of a batch of episodes (see :func:`episode_streams`)."""

    z: np.ndarray  # (B, T) price shocks
    n: np.ndarray  # (B, T) arrivals (candidates when thinned)
    offset: np.ndarray  # (B, T) index of the step's first order in the flat arrays
    u_alloc: np.ndarray  # (B, K) allocation uniforms, one per order
    u_thin: np.ndarray | None  # (B, K) thinning uniforms (adversarial intensity only)


def check_streams(streams: str) -> str:
    """``streams`` must be one of :data:`STREAMS`."""
    return check_choice(streams, "streams", STREAMS)


def seed_array(seeds: Sequence[int] | np.ndarray) -> np.ndarray:
    """The episode seeds as an int64 array (each an integer >= 0; ``TypeError`` otherwise).

    A ``range`` or an integer ndarray is checked in one vectorised pass, anything else seed by seed.
    """
    if seeds is None or isinstance(seeds, (str, bytes)) or len(seeds) == 0:
        raise TypeError("seeds must be a non-empty sequence of integers >= 0")
    if isinstance(seeds, range) or (isinstance(seeds, np.ndarray) and seeds.dtype.kind in "iu"):
        arr = np.asarray(seeds)
        if arr.ndim == 1 and arr.min() >= 0 and arr.max() <= np.iinfo(np.int64).max:
            return arr.astype(np.int64)
    return np.array([check_nonnegative_int(s, "seeds") for s in seeds], dtype=np.int64)


def batch_rng(seeds: Sequence[int] | np.ndarray, key: int) -> np.random.Generator:
    """The batch-stream generator ``key`` of a batch of episodes (see the module notes).

    ``default_rng(SeedSequence(h, spawn_key=(key,)))``, ``h`` = the first 16 bytes (little-endian)
    of the SHA-256 of the seeds as little-endian uint64: hashing a batch of 4096 seeds takes
    microseconds where ``SeedSequence(seeds)`` would take milliseconds.
    """
    check_nonnegative_int(key, "key")
    digest = hashlib.sha256(seed_array(seeds).astype("<u8").tobytes()).digest()
    entropy = int.from_bytes(digest[:16], "little")
    return np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(int(key),)))


def _batch_streams(seeds: np.ndarray, config: MarketConfig, lam_ref: float, thin: bool) -> Streams:
    """Every random number of a batch from one generator (``streams="batch"``)."""
    B, T = len(seeds), config.n_steps
    rng = batch_rng(seeds, 0)
    z = rng.standard_normal((B, T))
    n = rng.poisson(lam_ref * config.dt, (B, T))
    K = int(n.sum(axis=1).max() + n.max()) + 1  # room for a full step past the end
    off = np.zeros((B, T), dtype=np.int64)
    np.cumsum(n[:, :-1], axis=1, out=off[:, 1:])
    u_alloc = rng.random((B, K))
    u_thin = rng.random((B, K)) if thin else None
    return Streams(z, n, off, u_alloc, u_thin)


def episode_streams(
    seeds: Sequence[int], config: MarketConfig, lam_ref: float, thin: bool = False, streams: str = "exact"
) -> Streams:
    """Draw every random number of the episodes ``seeds`` up front.

    ``streams="exact"`` (default): price ``default_rng(s).standard_normal(T)``; arrivals
    ``default_rng(s).poisson(lam_ref dt, T)`` (two generators with the same seed, as in the
    authors' code); allocation uniforms ``default_rng([s, 1])``; thinning uniforms
    ``default_rng([s, 2])``. ``streams="batch"``: the same quantities from one generator of
    the whole batch (:func:`batch_rng`); positions past an episode's last order are not 1 but
    random there (no step reads them).
    """
    if not isinstance(config, MarketConfig):
        raise TypeError(f"config must be a MarketConfig, got {type(config).__name__}")
    check_nonnegative(lam_ref, "lam_ref")
    check_bool(thin, "thin")
    if check_streams(streams) == "batch":
        return _batch_streams(seed_array(seeds), config, lam_ref, thin)
    if seeds is None or isinstance(seeds, (str, bytes)) or len(seeds) == 0:
        raise TypeError("seeds must be a non-empty sequence of integers >= 0")
    seeds = [check_nonnegative_int(s, "seeds") for s in seeds]
    T = config.n_steps
    B = len(seeds)
    z = np.empty((B, T))
    n = np.empty((B, T), dtype=np.int64)
    for i, s in enumerate(seeds):
        g = np.random.default_rng(s)
        fresh = g.bit_generator.state
        z[i] = g.standard_normal(T)
        g.bit_generator.state = fresh  # = a second default_rng(s), at a tenth of the cost
        n[i] = g.poisson(lam_ref * config.dt, T)
    tot = n.sum(axis=1)
    K = int(tot.max() + n.max()) + 1 if B else 1  # room for a full step past the end
    off = np.zeros((B, T), dtype=np.int64)
    np.cumsum(n[:, :-1], axis=1, out=off[:, 1:])
    u_alloc = np.ones((B, K))
    u_thin = np.ones((B, K)) if thin else None
    for i, s in enumerate(seeds):
        u_alloc[i, : tot[i]] = np.random.default_rng([s, 1]).random(tot[i])
        if u_thin is not None:
            u_thin[i, : tot[i]] = np.random.default_rng([s, 2]).random(tot[i])
    return Streams(z, n, off, u_alloc, u_thin)


@dataclass
class StepResult:
    """What one step did, per episode ``(B,)`` or per episode and agent ``(B, M)``."""

    price: np.ndarray  # post-move mid P_{t+1}
    arrivals: np.ndarray  # N_t
    bid: np.ndarray
    ask: np.ndarray
    fills_bid: np.ndarray  # n^b (agent buys)
    fills_ask: np.ndarray  # n^a (agent sells)
    q: np.ndarray
    cash: np.ndarray
    pnl: np.ndarray
    dpnl: np.ndarray
    t: int  # steps done after this one
    done: bool


def _allocate(w: np.ndarray, orders: np.ndarray, u: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Multinomial allocation of ``orders`` (B,) among agents with weights ``w`` (B, M).

    ``u`` (B, K) are the orders' uniforms, ``mask`` (B, K) marks the orders of this side.
    Order ``j`` goes to agent ``m`` with ``c_{m-1} <= u_j < c_m``, ``c`` the cumulative
    normalised weights; a side with ``sum w = 0`` fills nothing.
    """
    B, M = w.shape
    tot = w.sum(axis=1)
    live = tot > 0
    if M == 1:
        return np.where(live, orders, 0)[:, None]
    c = np.cumsum(w, axis=1) / np.where(live, tot, 1.0)[:, None]
    idx = np.zeros(u.shape, dtype=np.int64)
    for m in range(M - 1):
        idx += u >= c[:, m : m + 1]
    mask = mask & live[:, None]
    return np.stack([(mask & (idx == m)).sum(axis=1) for m in range(M)], axis=1)


class MarketCore:
    """``B`` episodes of the market with ``M`` market makers, stepped together.

    Parameters
    ----------
    config : MarketConfig
    n_agents : int
        Number of market makers ``M`` (>= 1).
    adversarial : bool
        If True, ``step`` takes per-episode ``lam`` and ``sigma``; arrivals are drawn at
        ``config.lam_bounds[1]`` and thinned.
    streams : {"exact", "batch"}
        Random streams (:func:`episode_streams`): per-episode generators (default, the paper's
        numbers) or one generator per reset batch (opt-in, faster resets).
    """

    def __init__(
        self,
        config: MarketConfig | None = None,
        n_agents: int = 1,
        adversarial: bool = False,
        streams: str = "exact",
    ) -> None:
        self.config = MarketConfig() if config is None else config
        if not isinstance(self.config, MarketConfig):
            raise TypeError(f"config must be a MarketConfig, got {type(config).__name__}")
        check_positive_int(n_agents, "n_agents")
        check_bool(adversarial, "adversarial")
        if n_agents < 1:
            raise ValueError(f"n_agents must be >= 1, got {n_agents}")
        self.n_agents = int(n_agents)
        self.adversarial = bool(adversarial)
        self.stream_mode = check_streams(streams)
        self.lam_ref = self.config.lam_bounds[1] if adversarial else self.config.lam
        self.streams: Streams | None = None

    # ------------------------------------------------------------------ state
    def reset(self, seeds: Sequence[int]) -> None:
        """Start ``len(seeds)`` episodes; episode ``e`` is driven by seed ``seeds[e]``."""
        cfg = self.config
        if self.stream_mode == "batch":
            self.seeds = seed_array(seeds)
            self.streams = _batch_streams(self.seeds, cfg, self.lam_ref, self.adversarial)
        else:
            if seeds is None or isinstance(seeds, (str, bytes)) or len(seeds) == 0:
                raise TypeError("seeds must be a non-empty sequence of integers >= 0")
            self.seeds = np.array([check_nonnegative_int(s, "seeds") for s in seeds], dtype=np.int64)
            self.streams = episode_streams(self.seeds.tolist(), cfg, self.lam_ref, thin=self.adversarial)
        B, M = len(self.seeds), self.n_agents
        self.B = B
        self.t = 0
        self.price = np.full(B, cfg.p0)
        self.q = np.zeros((B, M), dtype=np.int64)
        self.cash = np.zeros((B, M))
        self.pnl = np.zeros((B, M))
        self._rows = np.arange(B)[:, None]

    def observe(self) -> np.ndarray:
        """Observations ``(P_t, t, q_t, X_t)`` of every agent, shape (B, M, 4)."""
        B, M = self.q.shape
        obs = np.empty((B, M, 4))
        obs[:, :, 0] = self.price[:, None]
        obs[:, :, 1] = self.t * self.config.dt
        obs[:, :, 2] = self.q
        obs[:, :, 3] = self.cash
        return obs

    # ------------------------------------------------------------------ dynamics
    def step(
        self,
        bid_offset: np.ndarray,
        ask_offset: np.ndarray,
        lam: np.ndarray | None = None,
        sigma: np.ndarray | None = None,
    ) -> StepResult:
        """Advance every episode one step.

        Parameters
        ----------
        bid_offset, ask_offset : array (B, M)
            Offsets from the pre-move mid (any real number; only the quotes that land in
            ``[0, d_max]`` of the post-move mid can fill).
        lam, sigma : array (B,), optional
            Per-episode intensity and volatility of this step (adversarial market); by
            default ``config.lam`` and ``config.sigma``.
        """
        if self.streams is None:
            raise RuntimeError("call reset(seeds) before step")
        cfg, s, t = self.config, self.streams, self.t
        if t >= cfg.n_steps:
            raise RuntimeError(f"episode over after {cfg.n_steps} steps; call reset")
        shape = (self.B, self.n_agents)
        db = check_array(bid_offset, "bid_offset")
        da = check_array(ask_offset, "ask_offset")
        for name, arr in (("bid_offset", db), ("ask_offset", da)):
            if arr.size != self.B * self.n_agents:
                raise ValueError(f"{name} must have shape {shape} (episodes, agents), got {arr.shape}")
        db, da = db.reshape(shape), da.reshape(shape)
        if lam is not None and not self.adversarial:
            raise ValueError("lam (the arrival intensity) can be set only on an adversarial core")
        if lam is not None:
            lam = check_array(lam, "lam", shape=(self.B,))
        if sigma is not None:
            sigma = check_array(sigma, "sigma", shape=(self.B,), lo=0.0)
        P = self.price
        bid = P[:, None] - db
        ask = P[:, None] + da
        sig = cfg.sigma if sigma is None else np.asarray(sigma, dtype=float)
        P1 = P + cfg.mu * cfg.dt + sig * math.sqrt(cfg.dt) * s.z[:, t]

        nc = s.n[:, t]
        kmax = int(nc.max())
        cols = s.offset[:, t : t + 1] + np.arange(kmax)[None, :]
        kk = np.arange(kmax)[None, :]
        if self.adversarial and lam is not None:
            lam = np.asarray(lam, dtype=float)
            if np.any(lam < 0) or np.any(lam > self.lam_ref * (1 + 1e-12)):
                raise ValueError(f"lam must be in [0, {self.lam_ref}], got {lam.min()}..{lam.max()}")
            assert s.u_thin is not None  # drawn for an adversarial core
            keep = (s.u_thin[self._rows, cols] < (lam / self.lam_ref)[:, None]) & (kk < nc[:, None])
            # kept orders are renumbered 0..N-1 by a stable compaction of their uniforms
            n = keep.sum(axis=1)
            order = np.argsort(~keep, axis=1, kind="stable")
            u = s.u_alloc[self._rows, cols][self._rows, order] if kmax else np.empty((self.B, 0))
        else:
            if lam is not None:
                raise ValueError("lam per step needs MarketCore(adversarial=True)")
            n = nc
            u = s.u_alloc[self._rows, cols]
        nbuy = n // 2
        buy_mask = kk < nbuy[:, None]
        sell_mask = (kk >= nbuy[:, None]) & (kk < n[:, None])

        w_b = fill_weight(P1[:, None] - bid, cfg.alpha, cfg.d_max)
        w_a = fill_weight(ask - P1[:, None], cfg.alpha, cfg.d_max)
        fa = np.minimum(_allocate(w_a, nbuy, u, buy_mask), cfg.cap)
        fb = np.minimum(_allocate(w_b, n - nbuy, u, sell_mask), cfg.cap)
        if cfg.inventory_caps:
            fb = np.minimum(fb, cfg.q_max - self.q)
            fa = np.minimum(fa, self.q + cfg.q_max)

        self.q = self.q + fb - fa
        self.cash = self.cash + fa * ask - fb * bid
        pnl = self.cash + self.q * P1[:, None]
        dpnl = pnl - self.pnl
        self.pnl = pnl
        self.price = P1
        self.t = t + 1
        return StepResult(
            P1, n, bid, ask, fb, fa, self.q, self.cash, pnl, dpnl, self.t, self.t >= cfg.n_steps
        )
