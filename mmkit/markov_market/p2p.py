r"""A peer-to-peer futures market: orders travel hop by hop and pubs keep copies.

Setting (after the MaGoG description in Martinez, Harrison and Harder's slides): every node
hosts one agent and a *pub*, a trading floor. At each epoch :math:`t` the agent at node
:math:`k` issues an order :math:`x_k(t) \in \{-1, 0, 1\}` (its Markov chain's state). The
order is a message :math:`(k, t, x_k(t))` that is flooded over the network: a node that
receives a message for the first time keeps a copy in its pub and forwards it to all its
neighbours at the next epoch, while the hop count is below the time-to-live ``ttl``; each
transmission over a link is lost independently with probability ``loss``. A pub keeps, for
every origin, the newest order it has received (older copies are replaced, missing ones are
not: a stale copy stays until a newer message arrives).

The *observed pressure* at node :math:`o` is the sum of the orders in its pub,

.. math::  \hat S_o(t) = \sum_{k \in \mathcal{K}_o(t)} x_k(\tau_{ok}(t)),

where :math:`\tau_{ok}(t)` is the issue epoch of the newest copy from :math:`k` held at
:math:`o`. Without loss, :math:`\tau_{ok}(t) = t - h_{ok}` with :math:`h_{ok}` the hop distance
(if :math:`h_{ok} \le` ``ttl``), so the node sees a *delayed, partial* market.

The network is a random :math:`d`-regular graph (``degree`` :math:`d`), or the complete graph
when ``degree = n_nodes - 1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mmkit.common.validation import (
    check_array,
    check_bool,
    check_finite,
    check_int,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
    check_real,
)
from mmkit.markov_market.pressure import (
    STATES,
    as_groups,
    n_agents,
    pressure_distribution,
    simulate_agents,
    stationary_distribution,
)

__all__ = [
    "P2PConfig",
    "P2PResult",
    "random_regular_graph",
    "flood",
    "simulate_p2p",
    "shift_scale",
    "ViewStats",
    "VIEW_STATS",
    "view_stats",
    "sweep",
]


@dataclass(frozen=True)
class P2PConfig:
    """Parameters of the peer-to-peer market.

    Attributes
    ----------
    degree : int
        Neighbours per node, ``1 <= degree <= n_nodes - 1`` (``n_nodes * degree`` even).
    ttl : int
        Time-to-live: the largest number of hops a message travels, ``ttl >= 0``.
    loss : float
        Probability that one transmission over one link is lost, in [0, 1).
    epochs : int
        Recorded epochs (after ``burn_in``), ``>= 2``.
    burn_in : int
        Epochs simulated before recording, so that pubs are filled; ``>= ttl`` recommended.
    seed : int
        Seed of the generator (graph, agent placement, orders, losses).
    """

    degree: int = 4
    ttl: int = 3
    loss: float = 0.0
    epochs: int = 2000
    burn_in: int = 20
    seed: int = 0

    def __post_init__(self) -> None:
        check_positive_int(self.degree, "degree")
        check_nonnegative_int(self.ttl, "ttl")
        check_real(self.loss, "loss", 0.0, 1.0, hi_open=True)
        check_int(self.epochs, "epochs", 2)
        check_nonnegative_int(self.burn_in, "burn_in")
        check_nonnegative_int(self.seed, "seed")

    def validate(self, n_nodes: int) -> None:
        if not (1 <= self.degree <= n_nodes - 1):
            raise ValueError(f"degree must be in [1, n_nodes - 1] = [1, {n_nodes - 1}], got {self.degree}")
        if (n_nodes * self.degree) % 2:
            raise ValueError(f"degree * n_nodes must be even, got {self.degree} * {n_nodes}")
        if self.ttl < 0:
            raise ValueError(f"ttl must be >= 0, got {self.ttl}")
        if not (0.0 <= self.loss < 1.0):
            raise ValueError(f"loss must be in [0, 1), got {self.loss}")
        if self.epochs < 2:
            raise ValueError(f"epochs must be >= 2, got {self.epochs}")
        if self.burn_in < 0:
            raise ValueError(f"burn_in must be >= 0, got {self.burn_in}")


def _check_rng(rng: object) -> None:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")


def random_regular_graph(n: int, d: int, rng: np.random.Generator, max_tries: int = 1000) -> np.ndarray:
    """Neighbour table ``(n, d)`` of a uniform-ish random simple ``d``-regular graph.

    Pairing model with incremental rejection (Steger and Wormald 1999): stubs are paired at
    random among pairs that create neither a loop nor a double edge; restart if stuck.
    ``d = n - 1`` gives the complete graph.
    """
    n = check_int(n, "n", 2)
    d = check_int(d, "d (degree)", 1, n - 1)
    check_positive_int(max_tries, "max_tries")
    _check_rng(rng)
    if not (1 <= d <= n - 1) or (n * d) % 2:
        raise ValueError(f"degree must be in [1, {n - 1}] with n * degree even, got {d}")
    if d == n - 1:
        return np.array([[j for j in range(n) if j != i] for i in range(n)])
    for _ in range(max_tries):
        adj: list[set[int]] = [set() for _ in range(n)]
        stubs = list(np.repeat(np.arange(n), d))
        ok = True
        while stubs:
            for _attempt in range(100):
                i, j = rng.choice(len(stubs), size=2, replace=False)
                u, v = stubs[i], stubs[j]
                if u != v and v not in adj[u]:
                    break
            else:
                ok = False
                break
            adj[u].add(v)
            adj[v].add(u)
            for idx in sorted((i, j), reverse=True):
                stubs.pop(idx)
        if ok:
            return np.array([sorted(a) for a in adj])
    raise RuntimeError("could not build a simple regular graph")  # pragma: no cover


def _drop(sent: np.ndarray, loss: float, rng: np.random.Generator) -> None:
    """Lose each actual transmission (a ``True`` entry of ``sent``) with probability ``loss``.

    Draws one uniform per transmission that takes place (not per potential link), in place.
    """
    idx = np.flatnonzero(sent)
    if idx.size:
        sent.flat[idx] = rng.random(idx.size) >= loss


def flood(neigh: np.ndarray, ttl: int, loss: float, rng: np.random.Generator) -> np.ndarray:
    """Hop-by-hop flooding of one message from every node; arrival hops ``(receiver, origin)``.

    Hop 0: the origin holds its own message. At hop ``h + 1`` a node receives the message if
    a neighbour first received it at hop ``h`` and that transmission was not lost. Returns
    ``-1`` where the message never arrived within ``ttl`` hops.
    """
    neigh = np.asarray(neigh) if neigh is not None and not isinstance(neigh, str) else neigh
    if (
        not isinstance(neigh, np.ndarray)
        or neigh.dtype.kind not in "iu"
        or neigh.ndim != 2
        or neigh.size == 0
    ):
        raise TypeError("neigh must be a non-empty (n, d) integer neighbour table")
    if neigh.min() < 0 or neigh.max() >= neigh.shape[0]:
        raise ValueError(f"neigh entries must be node indices in [0, {neigh.shape[0] - 1}]")
    check_nonnegative_int(ttl, "ttl")
    loss = check_real(loss, "loss", 0.0, 1.0, hi_open=True)
    _check_rng(rng)
    n, d = neigh.shape
    H = np.full((n, n), -1, dtype=np.int64)
    front = np.eye(n, dtype=bool)  # front[node, origin]: received at this hop
    seen = front.copy()
    H[front] = 0
    for h in range(1, ttl + 1):
        sent = front[neigh]  # (n, d, origins): neighbour sent at hop h-1
        if loss > 0:
            _drop(sent, loss, rng)
        front = sent.any(axis=1) & ~seen
        if not front.any():
            break
        seen |= front
        H[front] = h
    return H


@dataclass(frozen=True)
class P2PResult:
    """Output of :func:`simulate_p2p`.

    ``true_pressure`` (epochs,), ``observed`` (epochs, n_nodes), ``reach`` (n_nodes,) the number
    of origins a node ever holds, ``mean_delay`` (n_nodes,) the mean age in epochs of the
    orders in its pub, ``agent_group`` (n_nodes,) the group index of each node's agent,
    ``neigh`` the neighbour table and ``held`` (n_nodes, n_nodes) whether node ``o`` ever
    holds an order of origin ``k``.
    """

    true_pressure: np.ndarray
    observed: np.ndarray
    reach: np.ndarray
    mean_delay: np.ndarray
    agent_group: np.ndarray
    neigh: np.ndarray
    held: np.ndarray


def simulate_p2p(agents, config: P2PConfig, hop_by_hop: bool = False) -> P2PResult:
    """Simulate the agents, the flooding of their orders and every node's pub.

    One agent per node (``n_nodes`` = number of agents); agents are placed on the nodes in a
    random order. With ``loss = 0`` every message follows the same hops, so the arrival table
    of :func:`flood` is computed once; with ``loss > 0`` each epoch's messages are flooded
    afresh and pubs update with the newest copy. ``hop_by_hop=True`` forces the per-epoch
    message loop also without loss (a check of the shortcut).
    """
    if not isinstance(config, P2PConfig):
        raise TypeError(f"config must be a P2PConfig, got {type(config).__name__}")
    check_bool(hop_by_hop, "hop_by_hop")
    groups = as_groups(agents)
    n = n_agents(groups)
    config.validate(n)
    rng = np.random.default_rng(config.seed)
    neigh = random_regular_graph(n, config.degree, rng)
    place = rng.permutation(n)  # node -> agent
    group_of_agent = np.repeat(np.arange(len(groups)), [g.n for g in groups])
    total = config.burn_in + config.epochs
    X = simulate_agents(groups, total - 1, rng)[:, place].astype(np.int64)  # (total, n) by node
    true = X.sum(axis=1)[config.burn_in :]
    if config.loss == 0.0 and not hop_by_hop:
        H = flood(neigh, config.ttl, 0.0, rng)
        known = H >= 0
        epochs_idx = np.arange(config.burn_in, total)
        lag = np.where(known, H, 0)
        obs = np.zeros((config.epochs, n), dtype=np.int64)
        for o in range(n):
            ks = np.nonzero(known[o])[0]
            obs[:, o] = X[epochs_idx[:, None] - lag[o, ks][None, :], ks[None, :]].sum(axis=1)
        held = known
        reach = known.sum(axis=1)
        mean_delay = np.array([H[o, known[o]].mean() for o in range(n)])
    else:
        last = np.full((n, n), -1, dtype=np.int64)  # issue epoch of newest copy
        val = np.zeros((n, n), dtype=np.int64)
        inflight: list[tuple[int, np.ndarray, np.ndarray]] = []  # (issue epoch, front, seen)
        obs = np.zeros((config.epochs, n), dtype=np.int64)
        age_sum = np.zeros(n)
        age_cnt = np.zeros(n)
        for t in range(total):
            new_inflight = []
            for tau, front, seen in inflight:
                sent = front[neigh]
                if config.loss > 0:
                    _drop(sent, config.loss, rng)
                front = sent.any(axis=1) & ~seen
                seen = seen | front
                upd = front & (last < tau)
                last[upd] = tau
                val[upd] = X[tau][np.nonzero(upd)[1]]
                if t - tau < config.ttl and front.any():
                    new_inflight.append((tau, front, seen))
            own = np.eye(n, dtype=bool)
            last[own] = t
            val[own] = X[t]
            if config.ttl > 0:
                new_inflight.append((t, own, own.copy()))
            inflight = new_inflight
            if t >= config.burn_in:
                obs[t - config.burn_in] = np.where(last >= 0, val, 0).sum(axis=1)
                k = last >= 0
                age_sum += np.where(k, t - last, 0).sum(axis=1)
                age_cnt += k.sum(axis=1)
        held = last >= 0
        reach = held.sum(axis=1)
        mean_delay = age_sum / np.maximum(age_cnt, 1)
    return P2PResult(true, obs, reach, mean_delay, group_of_agent[place], neigh, held)


def shift_scale(observed: np.ndarray, mean_ref: float, sd_ref: float) -> tuple[float, float]:
    r"""Affine map :math:`\hat S \approx a + b S` matching the first two moments:
    :math:`b = \mathrm{sd}(\hat S)/\mathrm{sd}(S)`, :math:`a = E\hat S - b\,E S`."""
    sd_ref = check_positive(sd_ref, "sd_ref")
    mean_ref = check_finite(mean_ref, "mean_ref")
    obs = check_array(observed, "observed")
    if obs.size < 2:
        raise ValueError(f"observed must hold at least 2 values, got {obs.size}")
    b = float(obs.std() / sd_ref)
    return float(obs.mean() - b * mean_ref), b


#: Names of the fields of :class:`ViewStats`, in order (columns of :func:`sweep`'s array).
VIEW_STATS = ("reach", "age", "shift", "shift_pred", "scale", "scale_pred", "corr", "lag1")


@dataclass(frozen=True)
class ViewStats:
    r"""How a P2P market's observed pressure relates to the analytic chain (means over observers).

    Attributes
    ----------
    reach : float
        Fraction of the agents whose orders a node ever holds.
    age : float
        Mean age (epochs) of the orders in a pub.
    shift, scale : float
        :func:`shift_scale` of all observers' views pooled, against the analytic stationary
        law of the whole market: :math:`\hat S \approx a + b S`.
    shift_pred, scale_pred : float
        The same predicted from the reach alone. With :math:`R_o` the origins node :math:`o`
        holds, :math:`\mu_o = \sum_{k\in R_o} E_{\pi_k} x_k` and
        :math:`v_o = \sum_{k\in R_o} \mathrm{Var}_{\pi_k} x_k`, the pooled views have mean
        :math:`\bar\mu = \mathrm{mean}_o \mu_o` and variance
        :math:`\mathrm{mean}_o v_o + \mathrm{var}_o \mu_o`, so
        :math:`b = \sqrt{\cdot}/\mathrm{sd}(S)` and :math:`a = \bar\mu - b\,E S`.
        Exact in expectation, with or without loss: the ages of the copies are independent of
        the orders, so each held term has its agent's stationary law and the terms are
        independent.
    corr : float
        Mean over observers of :math:`\mathrm{corr}(\hat S_o(t), S(t))`, how well a view tracks
        the current market.
    lag1 : float
        Mean lag-1 autocorrelation of the views (staleness shows up as persistence).
    """

    reach: float
    age: float
    shift: float
    shift_pred: float
    scale: float
    scale_pred: float
    corr: float
    lag1: float

    def as_tuple(self) -> tuple[float, ...]:
        return tuple(getattr(self, k) for k in VIEW_STATS)


def _mean_column_corr(a: np.ndarray, b: np.ndarray) -> float:
    """Mean over columns of the Pearson correlation of ``a[:, o]`` and ``b[:, o]``."""
    a = a - a.mean(axis=0)
    b = b - b.mean(axis=0)
    den = np.sqrt((a**2).sum(axis=0) * (b**2).sum(axis=0))
    return float(np.mean((a * b).sum(axis=0) / den))


def view_stats(res: P2PResult, agents) -> ViewStats:
    """Summarise a :func:`simulate_p2p` run against the analytic chain of ``agents``."""
    if not isinstance(res, P2PResult):
        raise TypeError(f"res must be a P2PResult (from simulate_p2p), got {type(res).__name__}")
    groups = as_groups(agents)
    n = n_agents(groups)
    if n != len(res.agent_group):
        raise ValueError(f"agents must be the {len(res.agent_group)} agents of the simulated run, got {n}")
    pS = pressure_distribution(groups)
    sv = np.arange(-n, n + 1)
    mean_S = float(pS @ sv)
    sd_S = float(np.sqrt(pS @ sv**2 - mean_S**2))
    mu_group, var_group = [], []
    for g in groups:
        pi = stationary_distribution(g.T)
        mu_group.append(float(pi @ STATES))
        var_group.append(float(pi @ STATES**2 - (pi @ STATES) ** 2))
    held = res.held.astype(float)
    mu_o = held @ np.asarray(mu_group)[res.agent_group]  # mean of each observer's view
    v_o = held @ np.asarray(var_group)[res.agent_group]  # variance of each observer's view
    scale_pred = float(np.sqrt(v_o.mean() + mu_o.var()) / sd_S)
    shift_pred = float(mu_o.mean() - scale_pred * mean_S)
    a, b = shift_scale(res.observed, mean_S, sd_S)
    obs = res.observed.astype(float)
    true = np.repeat(res.true_pressure[:, None].astype(float), obs.shape[1], axis=1)
    return ViewStats(
        reach=float(res.reach.mean() / n),
        age=float(res.mean_delay.mean()),
        shift=a,
        shift_pred=shift_pred,
        scale=b,
        scale_pred=scale_pred,
        corr=_mean_column_corr(obs, true),
        lag1=_mean_column_corr(obs[:-1], obs[1:]),
    )


def sweep(
    agents,
    degrees: Sequence[int],
    ttls: Sequence[int],
    seeds: Sequence[int],
    loss: float = 0.0,
    epochs: int = 2000,
) -> np.ndarray:
    """:func:`view_stats` over a grid of degrees, TTLs and seeds.

    Returns an array of shape ``(len(degrees), len(ttls), len(seeds), len(VIEW_STATS))``;
    each seed draws its own graph, agent placement, orders and losses.
    """
    for name, vals in (("degrees", degrees), ("ttls", ttls), ("seeds", seeds)):
        if vals is None or isinstance(vals, (str, bytes)) or len(vals) == 0:
            raise TypeError(f"{name} must be a non-empty sequence of integers")
        for v in vals:
            check_int(v, name, 1 if name == "degrees" else 0)
    check_real(loss, "loss", 0.0, 1.0, hi_open=True)
    check_int(epochs, "epochs", 2)
    out = np.empty((len(degrees), len(ttls), len(seeds), len(VIEW_STATS)))
    for i, d in enumerate(degrees):
        for j, ttl in enumerate(ttls):
            for k, seed in enumerate(seeds):
                cfg = P2PConfig(degree=int(d), ttl=int(ttl), loss=loss, epochs=epochs, seed=int(seed))
                out[i, j, k] = view_stats(simulate_p2p(agents, cfg), agents).as_tuple()
    return out
