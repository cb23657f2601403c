"""Command line: ``python -m mmkit <command> ...``.

Each concept module that produces expensive results exposes ``add_cli(subparsers)``;
list it in ``_CLI_MODULES`` to make its commands available.
"""
from __future__ import annotations

import argparse
import importlib
import sys

#: Modules with an ``add_cli(subparsers)`` function (imported lazily).
_CLI_MODULES = [
    "mmkit.report",
    "mmkit.glosten_milgrom",
    "mmkit.marl.cli",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m mmkit", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in _CLI_MODULES:
        importlib.import_module(name).add_cli(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
