"""Command line: ``python -m mmkit <command> ...`` (also installed as ``mmkit``).

Each book module that produces expensive results exposes ``add_cli(subparsers)``; list it in
``CLI_MODULES`` to make its commands available. Registering a command imports nothing heavy, so
``mmkit --help`` works in a core-only install; a command that needs an optional extra says which.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from mmkit import __version__

#: Modules with an ``add_cli(subparsers)`` function.
CLI_MODULES = [
    "mmkit.book.report",
    "mmkit.book.cli_das",
    "mmkit.book.cli_marl",
    "mmkit.book.cli_kinathil",
]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m mmkit", description="mmkit: market-making models, the book's commands"
    )
    parser.add_argument("--version", action="version", version=f"mmkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in CLI_MODULES:
        importlib.import_module(name).add_cli(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ModuleNotFoundError as exc:  # an optional extra is missing
        extra = "marl" if exc.name in {"torch", "gymnasium", "pettingzoo", "stable_baselines3"} else None
        hint = f"; install it with: pip install 'mmkit-book[{extra}]'" if extra else ""
        parser.exit(2, f"{parser.prog} {args.command}: needs the missing package {exc.name!r}{hint}\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
