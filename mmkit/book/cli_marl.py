"""Commands of the MARL chapter: ``python -m mmkit marl-train | marl-eval | marl-beta-sweep``."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path


def _train(args: argparse.Namespace) -> int:
    import torch

    from mmkit.marl.train import STAGES, get_config, train_all

    torch.set_num_threads(1)
    cfg = get_config(args.config)
    if args.beta is not None:
        cfg = replace(cfg, beta=args.beta)
    roles = tuple(args.roles) if args.roles else STAGES
    train_all(cfg, args.out, roles=roles, progress=not args.no_progress)
    return 0


def _eval(args: argparse.Namespace) -> int:
    import torch

    from mmkit.marl.evaluation import evaluate_ppo

    torch.set_num_threads(1)
    res = evaluate_ppo(args.models, n_episodes=args.episodes, progress=not args.no_progress)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=1, sort_keys=True) + "\n")
    print(f"wrote {out}")
    return 0


def _sweep(args: argparse.Namespace) -> int:
    import torch

    from mmkit.marl.evaluation import beta_sweep

    torch.set_num_threads(1)
    res = beta_sweep(args.models, args.betas, steps=args.steps, out=args.out, progress=not args.no_progress)
    print(json.dumps(res["summary"], indent=1))
    return 0


def add_cli(subparsers) -> None:
    p = subparsers.add_parser("marl-train", help="three-stage PPO training (adversary, A, B1/B2/B-star)")
    p.add_argument("--config", default="default", help="smoke | default")
    p.add_argument("--out", default="artifacts/marl", help="output folder for models and curves")
    p.add_argument("--roles", nargs="*", help="subset of stages to (re)train, in stage order")
    p.add_argument("--beta", type=float, help="override B-star's omega-penalty weight")
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(func=_train)

    p = subparsers.add_parser("marl-eval", help="evaluate trained agents (100 episodes, seeds 0..99)")
    p.add_argument("--models", default="artifacts/marl")
    p.add_argument("--out", default="artifacts/marl/eval_ppo.json")
    p.add_argument("--episodes", type=int, default=100)
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(func=_eval)

    p = subparsers.add_parser("marl-beta-sweep", help="B-star omega-penalty sensitivity (small runs)")
    p.add_argument("--models", default="artifacts/marl", help="folder holding the frozen A")
    p.add_argument("--betas", type=float, nargs="+", default=[1.0, 3.0, 10.0, 30.0, 100.0])
    p.add_argument("--steps", type=int, default=100_000)
    p.add_argument("--out", default="artifacts/marl/beta_sweep")
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(func=_sweep)
