"""Throughput of the MARL market environment and PPO wall time (printed figures, not tests).

1. Vectorised core (:class:`mmkit.marl.core.MarketCore`, constant quotes, two agents and one
   agent): env-steps per second at batch sizes 1 .. 4096, including the per-episode seeding
   at reset.
2. The same market stepped one episode at a time through the Gymnasium API
   (:class:`mmkit.marl.env.MarketMakerEnv`).
3. PPO (SB3, the default configuration's settings) wall time per 1e5 environment steps.

Run single-threaded: ``OMP_NUM_THREADS=1 python benchmarks/bench_marl_env.py [--quick]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def core_throughput(batch: int, n_agents: int, episodes_total: int) -> float:
    from mmkit.marl.core import MarketCore

    core = MarketCore(n_agents=n_agents)
    db = np.full((batch, n_agents), 2.3)
    da = np.full((batch, n_agents), 2.2)
    if n_agents == 2:
        db[:, 1], da[:, 1] = 2.0, 1.9
    reps = max(1, episodes_total // batch)
    t0 = time.perf_counter()
    for r in range(reps):
        core.reset(range(r * batch, (r + 1) * batch))
        for _ in range(core.config.n_steps):
            core.step(db, da)
    return reps * batch * core.config.n_steps / (time.perf_counter() - t0)


def gym_throughput(episodes: int) -> float:
    from mmkit.marl.agents import ConstantQuoter
    from mmkit.marl.env import MarketMakerEnv

    env = MarketMakerEnv("B1", opponent=ConstantQuoter(2.3, 2.2))
    a = np.array([-0.2, -0.24], dtype=np.float32)
    n = 0
    t0 = time.perf_counter()
    for s in range(episodes):
        env.reset(seed=s)
        done = False
        while not done:
            *_, done, _, _ = env.step(a)
            n += 1
    return n / (time.perf_counter() - t0)


def ppo_wall(steps: int, role: str) -> float:
    import tempfile

    import torch

    from mmkit.marl.train import get_config, train_role

    torch.set_num_threads(1)
    cfg = get_config("long")
    with tempfile.TemporaryDirectory() as d:
        if role != "adversary":
            raise ValueError("the benchmark trains the adversary stage (no frozen co-player needed)")
        t0 = time.perf_counter()
        train_role(role, cfg, d, progress=False, steps=steps)
        return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer episodes (CI smoke)")
    args = ap.parse_args()
    tot = 256 if args.quick else 4096
    print("vectorised core, constant quotes (env-steps/s; one env-step = one episode-step)")
    print(f"{'batch':>6} {'1 agent':>12} {'2 agents':>12}")
    for b in (1, 16, 256, 1024, 4096):
        if args.quick and b > 256:
            break
        e = max(tot, b) if b >= 256 else max(b * 4, 16)
        r1 = core_throughput(b, 1, e)
        r2 = core_throughput(b, 2, e)
        print(f"{b:>6} {r1:>12,.0f} {r2:>12,.0f}")
    g = gym_throughput(5 if args.quick else 20)
    print(f"Gymnasium API, one episode at a time (B1 vs constant A): {g:,.0f} env-steps/s")
    steps = 10_000 if args.quick else 100_000
    w = ppo_wall(steps, "adversary")
    print(
        f"PPO (default settings, adversary stage): {w:.1f} s wall for {steps:,} steps "
        f"= {w * 1e5 / steps:.1f} s per 1e5 steps"
    )


if __name__ == "__main__":
    main()
