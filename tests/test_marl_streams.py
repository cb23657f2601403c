"""Random streams of the MARL market: the default (paper-exact, per-episode) path is frozen, and the
opt-in batch streams of the fast training mode are a different, still seeded, market.

``tests/data/marl_default_streams.json`` was written by ``python tests/test_marl_streams.py`` on
the code before the batch streams existed (commit 8a409c6); the default path must reproduce it:
integer paths (arrivals, fills, inventories) exactly, float paths (prices, PnL, rewards) to
``1e-9`` (an exact float hash would also flag a different libm/SIMD ``exp`` on another CPU).
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mmkit.marl.agents import BenchmarkQuoter, ConstantQuoter  # noqa: E402
from mmkit.marl.env import RoleMarket, simulate  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "data" / "marl_default_streams.json"
SEEDS = [0, 1, 7, 12345, 2**31 - 5]


@dataclass(frozen=True)
class NoisyQuoter:
    """A quoting agent that uses its exploration noise (exercises the co-player streams)."""

    noise_dim: int = 2

    def quote(self, obs, eps):
        return np.stack([2.1 + 0.3 * eps[:, 0], 2.0 + 0.3 * eps[:, 1]], axis=1)


@dataclass(frozen=True)
class NoisyMarket:
    """An adversary with noise: lambda in (350, 450), sigma in (0.8, 1.4) (thinned arrivals)."""

    noise_dim: int = 2

    def market(self, obs, eps):
        return 400.0 + 50.0 * np.tanh(eps[:, 0]), 1.1 + 0.3 * np.tanh(eps[:, 1])


def _ints(x) -> str:
    return hashlib.sha256(np.ascontiguousarray(np.asarray(x), dtype=np.int64).tobytes()).hexdigest()


def _floats(x) -> list[float]:
    """Sum, sum of squares, and the last column: a float path in three numbers."""
    x = np.asarray(x, dtype=float).reshape(len(SEEDS), -1)
    return [float(x.sum()), float((x**2).sum()), *x[:, -1].tolist()]


def _simulated(**kw) -> dict:
    tr = simulate([BenchmarkQuoter(), NoisyQuoter()], SEEDS, **kw)
    return {
        "int": {k: _ints(getattr(tr, k)) for k in ("arrivals", "fills_bid", "fills_ask", "q")},
        "float": {k: _floats(getattr(tr, k)) for k in ("price", "pnl", "lam", "sigma")},
    }


def _role(role: str, **kw) -> dict:
    """A role's episodes under seeded random actions (as MarketVecEnv steps RoleMarket)."""
    sim = RoleMarket(role, **kw)
    rng = np.random.default_rng(99)
    obs = [sim.reset(SEEDS)]
    rew = []
    done = False
    while not done:
        o, r, done, _ = sim.step(rng.uniform(-1.0, 1.0, (len(SEEDS), sim.act_dim)))
        obs.append(o)
        rew.append(r)
    obs_a = np.stack(obs, axis=1)
    return {
        "int": {"q": _ints(obs_a[..., 2]) if obs_a.shape[-1] > 2 else ""},
        "float": {"price": _floats(obs_a[..., 0]), "reward": _floats(np.stack(rew, axis=1))},
    }


def default_paths() -> dict:
    """Everything the frozen default path produces, by scenario."""
    return {
        "simulate fixed": _simulated(),
        "simulate adversarial": _simulated(market=NoisyMarket()),
        "role adversary": _role("adversary"),
        "role A adversarial": _role("A", adversary=NoisyMarket()),
        "role B2": _role("B2", opponent=NoisyQuoter()),
        "role Bstar": _role("Bstar", opponent=ConstantQuoter(2.3, 2.2)),
    }


# ----------------------------------------------------------------------------- tests
def _close(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 1e-9 * max(1.0, abs(y)) for x, y in zip(a, b))


def test_default_streams_reproduce_the_frozen_paths():
    import pytest

    golden = json.loads(GOLDEN.read_text())
    now = default_paths()
    assert set(now) == set(golden)
    for scenario, g in golden.items():
        assert now[scenario]["int"] == g["int"], scenario  # exactly
        for k, v in g["float"].items():
            assert _close(now[scenario]["float"][k], v), (scenario, k)
    # the comparison can fail: one fill moved changes the hash
    assert _ints(np.zeros(3)) != _ints(np.eye(1, 3)[0])
    with pytest.raises(AssertionError):
        assert _close([1.0], [1.0 + 1e-6])


def _authors_streams(seeds, cfg, lam_ref, thin):
    """The exact streams written as the authors' code draws them (the reference of the default)."""
    T = cfg.n_steps
    z = np.stack([np.random.default_rng(s).standard_normal(T) for s in seeds])
    n = np.stack([np.random.default_rng(s).poisson(lam_ref * cfg.dt, T) for s in seeds])
    u = [np.random.default_rng([s, 1]).random(int(k)) for s, k in zip(seeds, n.sum(axis=1))]
    v = [np.random.default_rng([s, 2]).random(int(k)) for s, k in zip(seeds, n.sum(axis=1))] if thin else None
    return z, n, u, v


def test_default_streams_are_the_authors_draws_bit_for_bit():
    from mmkit.marl.core import MarketConfig, episode_streams

    cfg = MarketConfig()
    seeds = [*range(40), 2**40, 2**62]
    for thin, lam_ref in ((False, 400.0), (True, 500.0)):
        st = episode_streams(seeds, cfg, lam_ref, thin=thin)
        z, n, u, v = _authors_streams(seeds, cfg, lam_ref, thin)
        assert np.array_equal(st.z, z) and np.array_equal(st.n, n)
        for i, ui in enumerate(u):
            assert np.array_equal(st.u_alloc[i, : len(ui)], ui)
            assert np.all(st.u_alloc[i, len(ui) :] == 1.0)
            if thin:
                assert st.u_thin is not None and np.array_equal(st.u_thin[i, : len(ui)], v[i])


def test_batch_streams_are_seeded_and_differ_from_the_exact_ones():
    from mmkit.marl.core import MarketCore, episode_streams

    cfg_core = MarketCore(n_agents=2)
    ex = episode_streams(SEEDS, cfg_core.config, 400.0)
    b1 = episode_streams(SEEDS, cfg_core.config, 400.0, streams="batch")
    b2 = episode_streams(np.array(SEEDS), cfg_core.config, 400.0, streams="batch")
    for k in ("z", "n", "offset", "u_alloc"):
        assert np.array_equal(getattr(b1, k), getattr(b2, k))  # a function of the seeds
    assert not np.array_equal(ex.z, b1.z)
    other = episode_streams([*SEEDS[:-1], 3], cfg_core.config, 400.0, streams="batch")
    assert not np.array_equal(other.z[0], b1.z[0])  # ... of the whole batch of seeds
    # same distributions: shocks N(0, 1), arrivals Poisson(lam dt = 2) over 5 x 200 draws
    assert abs(b1.z.mean()) < 4 / np.sqrt(b1.z.size) and abs(b1.z.std() - 1) < 0.05
    assert abs(b1.n.mean() - 2.0) < 4 * np.sqrt(2.0 / b1.n.size)
    # every order of every step has its uniform inside the drawn block
    assert (b1.offset[:, -1] + b1.n[:, -1]).max() < b1.u_alloc.shape[1]


def test_batch_streams_in_the_env_and_in_training_are_opt_in():
    import pytest

    from mmkit.marl.core import MarketCore

    assert MarketCore().stream_mode == "exact" and RoleMarket("A").streams == "exact"
    tr = simulate([BenchmarkQuoter(), NoisyQuoter()], SEEDS, streams="batch")
    again = simulate([BenchmarkQuoter(), NoisyQuoter()], SEEDS, streams="batch")
    exact = simulate([BenchmarkQuoter(), NoisyQuoter()], SEEDS)
    assert np.array_equal(tr.pnl, again.pnl) and not np.array_equal(tr.pnl, exact.pnl)
    adv = simulate([NoisyQuoter()], SEEDS, market=NoisyMarket(), streams="batch")
    assert adv.arrivals.mean() < 2.5  # thinned from lam_ref = 500 to lam in (350, 450)
    with pytest.raises(ValueError, match="streams"):
        RoleMarket("A", streams="fast")
    train = pytest.importorskip("mmkit.marl.train")
    assert train.get_config("default").streams == "exact"
    with pytest.raises(ValueError, match="streams"):
        train.TrainConfig("x", streams="fast")


def test_batch_training_records_its_mode_and_is_not_resumed_as_exact(tmp_path):
    import pytest

    train = pytest.importorskip("mmkit.marl.train")
    from dataclasses import replace

    cfg = replace(train.get_config("tiny"), streams="batch")
    r = train.train_role("adversary", cfg, tmp_path, progress=False)  # one rollout, 4 x 200 steps
    assert r["timesteps"] == cfg.steps["adversary"] == 800
    meta = json.loads((tmp_path / "adversary.json").read_text())
    assert meta["streams"] == "batch"
    assert train.role_done(tmp_path, "adversary", cfg)
    assert not train.role_done(tmp_path, "adversary", replace(cfg, streams="exact"))


def test_gymnasium_ids_make_the_env():
    import gymnasium as gym

    from mmkit.marl.agents import ConstantQuoter
    from mmkit.marl.env import GYM_IDS, MarketMakerEnv

    assert {"mmkit/MarketMaker-v0", "mmkit/MarketAdversary-v0"} <= set(gym.registry)
    env = gym.make("mmkit/MarketMaker-v0", role="B1", opponent=ConstantQuoter(2.3, 2.2))
    ref = MarketMakerEnv("B1", opponent=ConstantQuoter(2.3, 2.2))
    assert isinstance(env.unwrapped, MarketMakerEnv)
    o1, _ = env.reset(seed=5)
    o2, _ = ref.reset(seed=5)
    a = np.array([-0.2, -0.1], dtype=np.float32)
    for _ in range(10):
        s1, s2 = env.step(a), ref.step(a)
        assert np.array_equal(s1[0], s2[0]) and s1[1] == s2[1]
    adv = gym.make("mmkit.marl:mmkit/MarketAdversary-v0")  # "module:id" imports mmkit.marl first
    assert adv.unwrapped.sim.role == "adversary" and adv.observation_space.shape == (2,)
    from gymnasium.utils.env_checker import check_env

    check_env(gym.make("mmkit/MarketMaker-v0").unwrapped, skip_render_check=True)
    assert set(GYM_IDS) == {"mmkit/MarketMaker-v0", "mmkit/MarketAdversary-v0"}


if __name__ == "__main__":
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(default_paths(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN}")
