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
CONFIG_NAMES = ("smoke", "tiny", "authors", "seeds", "long", "default")
STAGE_NAMES = ("adversary", "A", "B1", "B2", "Bstar")


def _model_folder(text: str) -> Path:
    """``type=``: an existing folder holding at least one trained agent (``<role>.json``)."""
    p = existing_dir(text)
    if not any((p / f"{r}.json").exists() for r in STAGE_NAMES):
        raise argparse.ArgumentTypeError(f"must be a folder with trained agents (<role>.json), got {text!r}")
    return p


def _folder_with_A(text: str) -> Path:
    p = existing_dir(text)
    if not (p / "A.json").exists():
        raise argparse.ArgumentTypeError(
            f"must be a folder holding the trained agent A (A.json), got {text!r}"
        )
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
    if args.streams != "exact":
        cfg = replace(cfg, streams=args.streams)
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


def _run_sweep(args: argparse.Namespace) -> int:
    from mmkit.marl.sweep import Task, publish, run_sweep

    betas = args.betas or [None]
    tasks = [
        Task(c, s, b, args.episodes, streams=args.streams)
        for c in args.configs
        for s in args.seeds
        for b in betas
    ]
    res = run_sweep(
        tasks,
        args.out,
        args.backend,
        args.workers,
        args.address,
        budgets=not args.no_budgets,
        progress=not args.no_progress,
    )
    for t, r in zip(tasks, res):
        print(f"{t.config} seed {t.seed}: {sum(x['timesteps'] for x in r['runs'])} steps")
        if args.publish:
            publish(t.folder(args.out), t.folder(args.publish))
    return 0


def _untrained(args: argparse.Namespace) -> int:
    from mmkit.common.io import atomic_write_text
    from mmkit.marl.sweep import untrained_a_fix

    rows = untrained_a_fix(range(args.seeds), args.episodes, progress=not args.no_progress)
    atomic_write_text(args.out, json.dumps({"seeds": args.seeds, "rows": rows}, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0


def _eval_default(args: argparse.Namespace) -> int:
    import torch

    from mmkit.common.io import atomic_write_text
    from mmkit.marl.sweep import evaluate_default

    torch.set_num_threads(1)
    res = evaluate_default(args.models, args.episodes, progress=not args.no_progress)
    atomic_write_text(args.out, json.dumps(res, indent=1, sort_keys=True) + "\n")
    print(f"wrote {args.out}")
    return 0


def _surrogates(args: argparse.Namespace) -> int:
    from mmkit.book.ledger import load_targets
    from mmkit.common.io import atomic_write_text
    from mmkit.marl.agents import ConstantMarket
    from mmkit.marl.sweep import fit_surrogates
    from mmkit.marl.tables import paper_tables

    paper = paper_tables(load_targets("marl2025")["tables"])
    res = fit_surrogates(paper, ConstantMarket(args.lam, args.sigma), progress=not args.no_progress)
    out = {"adversarial_market": [args.lam, args.sigma], "offsets": res}
    atomic_write_text(args.out, json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {args.out}")
    return 0


def _convert(args: argparse.Namespace) -> int:
    from mmkit.marl.legacy import convert_folder

    for p in convert_folder(args.folder):
        print(f"converted {p}")
    return 0


def _manifest(args: argparse.Namespace) -> int:
    from mmkit.book.paths import artifacts_dir
    from mmkit.common.manifest import check_manifest, write_manifest

    root = Path(args.root) if args.root else artifacts_dir()
    if args.check:
        problems = check_manifest(root)
        for p in problems:
            print(p)
        return 1 if problems else 0
    print(f"wrote {write_manifest(root)}")
    return 0


def _streams_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--streams",
        default="exact",
        choices=["exact", "batch"],
        help="training random streams: per-episode (exact, default) or one generator per reset (batch, faster)",
    )


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
        "--seed",
        type=nonnegative_int,
        default=None,
        help="base seed (stage k uses seed + 1000 k; >= 0); default: the configuration's",
    )
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    _streams_arg(p)
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
    p.add_argument("--seed", type=nonnegative_int, default=123, help="base seed of the B-star runs (>= 0)")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=_sweep)

    p = subparsers.add_parser("marl-sweep", help="train and evaluate chains: configs x seeds x beta")
    p.add_argument(
        "--configs", nargs="+", default=["seeds"], choices=CONFIG_NAMES, help="training configurations"
    )
    p.add_argument("--seeds", type=nonnegative_int, nargs="+", default=[1, 2, 3], help="base seeds (>= 0)")
    p.add_argument(
        "--betas",
        type=nonnegative_float,
        nargs="*",
        help="B-star penalty weights (>= 0; default: the config's)",
    )
    p.add_argument(
        "--backend",
        default="pool",
        choices=["serial", "pool", "ray"],
        help="where tasks run: this process, local processes, or Ray (default pool)",
    )
    p.add_argument("--workers", type=int_at_least(1), default=2, help="processes (pool) or CPUs (local ray)")
    p.add_argument("--address", help="Ray cluster address (backend ray)")
    p.add_argument("--episodes", type=int_at_least(2), default=100, help="evaluation episodes (>= 2)")
    p.add_argument("--out", default="runs/marl_sweep", help="scratch folder (resumable)")
    p.add_argument("--publish", help="copy finished chains here (e.g. artifacts/marl/sweep)")
    p.add_argument("--no-budgets", action="store_true", help="skip the budget x protocol grid")
    _streams_arg(p)
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=_run_sweep)

    p = subparsers.add_parser("marl-eval-default", help="the default run under four protocols (+ histograms)")
    p.add_argument("--models", type=_model_folder, default="artifacts/marl", help="folder of trained agents")
    p.add_argument("--episodes", type=int_at_least(2), default=100, help="evaluation episodes (>= 2)")
    p.add_argument("--out", default="artifacts/marl/eval_protocols.json", help="output JSON")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=_eval_default)

    p = subparsers.add_parser("marl-surrogates", help="fit constant-offset surrogates to the paper's tables")
    p.add_argument(
        "--lam", type=nonnegative_float, default=500.0, help="surrogate adversarial market: lambda"
    )
    p.add_argument(
        "--sigma", type=nonnegative_float, default=1.453, help="surrogate adversarial market: sigma"
    )
    p.add_argument("--out", default="artifacts/marl/surrogates.json", help="output JSON")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=_surrogates)

    p = subparsers.add_parser("marl-untrained", help="untrained MlpPolicy networks as agent A (A_Fix)")
    p.add_argument("--seeds", type=int_at_least(1), default=5, help="untrained networks (seeds 0..n-1)")
    p.add_argument("--episodes", type=int_at_least(2), default=100, help="evaluation episodes (>= 2)")
    p.add_argument("--out", default="artifacts/marl/untrained.json", help="output JSON")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=_untrained)

    p = subparsers.add_parser(
        "marl-convert", help="rewrite 0.1 (zip + pickle) MARL checkpoints pickle-free, once"
    )
    p.add_argument("--folder", type=existing_dir, default="artifacts/marl", help="folder of 0.1 checkpoints")
    p.set_defaults(func=_convert)

    p = subparsers.add_parser("artifacts-manifest", help="(re)write or --check artifacts/MANIFEST.json")
    p.add_argument("--root", help="folder to list (default: artifacts/)")
    p.add_argument("--check", action="store_true", help="compare with the files; exit 1 on a difference")
    p.set_defaults(func=_manifest)
