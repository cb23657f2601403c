"""Commands of the MARL chapter: ``python -m mmkit marl-train | marl-eval | marl-beta-sweep``."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from mmkit.book.cli_types import (
    atomic_write_text,
    existing_dir,
    int_at_least,
    nonnegative_float,
    nonnegative_int,
)

#: Names of the training configurations and stages (kept here so that parsing imports no torch;
#: ``tests/test_cli.py`` checks them against :mod:`mmkit.marl.train`).
CONFIG_NAMES = ("smoke", "default")
STAGE_NAMES = ("adversary", "A", "B1", "B2", "Bstar")


def _model_folder(text: str) -> Path:
    """``type=``: an existing folder holding at least one trained agent (``<role>.zip``)."""
    p = existing_dir(text)
    if not any((p / f"{r}.zip").exists() for r in STAGE_NAMES):
        raise argparse.ArgumentTypeError(f"must be a folder with trained agents (<role>.zip), got {text!r}")
    return p


def _folder_with_A(text: str) -> Path:
    p = existing_dir(text)
    if not (p / "A.zip").exists():
        raise argparse.ArgumentTypeError(f"must be a folder holding the trained agent A.zip, got {text!r}")
    return p


def _train(args: argparse.Namespace) -> int:
    import torch

    from mmkit.marl.train import STAGES, get_config, train_all

    torch.set_num_threads(1)
    cfg = get_config(args.config)
    if args.beta is not None:
        cfg = replace(cfg, beta=args.beta)
    if args.seed is not None:
        cfg = replace(cfg, seed=args.seed)
    roles = tuple(args.roles) if args.roles else STAGES
    train_all(cfg, args.out, roles=roles, progress=not args.no_progress)
    return 0


def _eval(args: argparse.Namespace) -> int:
    import torch

    from mmkit.marl.evaluation import evaluate_ppo

    torch.set_num_threads(1)
    res = evaluate_ppo(
        args.models, n_episodes=args.episodes, progress=not args.no_progress, first_seed=args.seed
    )
    atomic_write_text(Path(args.out), json.dumps(res, indent=1, sort_keys=True) + "\n")
    print(f"wrote {args.out}")
    return 0


def _sweep(args: argparse.Namespace) -> int:
    import torch

    from mmkit.marl.evaluation import beta_sweep

    torch.set_num_threads(1)
    res = beta_sweep(
        args.models, args.betas, steps=args.steps, out=args.out, progress=not args.no_progress, seed=args.seed
    )
    print(json.dumps(res["summary"], indent=1))
    return 0


def add_cli(subparsers) -> None:
    """Register the three MARL commands (they need the ``marl`` extra)."""
    p = subparsers.add_parser("marl-train", help="three-stage PPO training (adversary, A, B1/B2/B-star)")
    p.add_argument("--config", default="default", choices=CONFIG_NAMES, help="training configuration")
    p.add_argument("--out", default="artifacts/marl", help="output folder for models and curves")
    p.add_argument(
        "--roles", nargs="*", choices=STAGE_NAMES, help="subset of stages to (re)train, in stage order"
    )
    p.add_argument("--beta", type=nonnegative_float, help="override B-star's omega-penalty weight (>= 0)")
    p.add_argument(
        "--seed", type=nonnegative_int, default=None, help="override the configuration's seed (>= 0)"
    )
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=_train)

    p = subparsers.add_parser("marl-eval", help="evaluate trained agents (100 episodes, seeds 0..99)")
    p.add_argument("--models", type=_model_folder, default="artifacts/marl", help="folder of trained agents")
    p.add_argument("--out", default="artifacts/marl/eval_ppo.json", help="output JSON file")
    p.add_argument(
        "--episodes", type=int_at_least(2), default=100, help="evaluation episodes per setting (>= 2)"
    )
    p.add_argument(
        "--seed", type=nonnegative_int, default=0, help="first episode seed (episodes use seed..seed+n-1)"
    )
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=_eval)

    p = subparsers.add_parser("marl-beta-sweep", help="B-star omega-penalty sensitivity (small runs)")
    p.add_argument(
        "--models", type=_folder_with_A, default="artifacts/marl", help="folder holding the frozen A"
    )
    p.add_argument(
        "--betas",
        type=nonnegative_float,
        nargs="+",
        default=[1.0, 3.0, 10.0, 30.0, 100.0],
        help="penalty weights",
    )
    p.add_argument(
        "--steps",
        type=int_at_least(1),
        default=100_000,
        help="PPO steps per beta (at least one rollout, 1600)",
    )
    p.add_argument("--out", default="artifacts/marl/beta_sweep", help="output folder")
    p.add_argument("--seed", type=nonnegative_int, default=None, help="override the training seed (>= 0)")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=_sweep)
