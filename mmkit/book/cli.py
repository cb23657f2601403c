"""Command line: ``python -m mmkit <command> ...`` (also installed as ``mmkit``).

Each book module that produces expensive results exposes ``add_cli(subparsers)``; list it in
``CLI_MODULES`` to make its commands available. Registering a command imports nothing heavy, so
``mmkit --help`` works in a core-only install; a command that needs an optional extra says which.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from mmkit import __version__

#: Modules with an ``add_cli(subparsers)`` function.
CLI_MODULES = [
    "mmkit.book.report",
    "mmkit.book.cli_das",
    "mmkit.book.cli_marl",
    "mmkit.book.cli_futures",
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


def _subparser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    """The parser of ``command`` (for its usage line in error messages)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            return action.choices[command]
    return parser  # pragma: no cover


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command; returns the exit status.

    Exit status: 0 on success; 2 for a usage error (bad option values, including values the
    library refuses with ``ValueError``/``TypeError``, or a missing optional extra); 1 for any
    other failure. Errors are one line on stderr, without a traceback (set ``MMKIT_DEBUG=1``
    to see it).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    sub = _subparser(parser, args.command)
    try:
        return int(args.func(args) or 0)
    except ModuleNotFoundError as exc:  # an optional extra is missing
        extra = "marl" if exc.name in {"torch", "gymnasium", "pettingzoo", "stable_baselines3"} else None
        hint = f"; install it with: pip install 'mmkit-book[{extra}]'" if extra else ""
        sub.print_usage(sys.stderr)
        parser.exit(2, f"{parser.prog} {args.command}: needs the missing package {exc.name!r}{hint}\n")
    except (ValueError, TypeError) as exc:
        if os.environ.get("MMKIT_DEBUG"):
            raise
        sub.error(str(exc))  # usage + message, exit 2
    except KeyboardInterrupt:
        parser.exit(130, f"{parser.prog} {args.command}: interrupted\n")
    except Exception as exc:  # noqa: BLE001 - a command line reports, it does not crash
        if os.environ.get("MMKIT_DEBUG"):
            raise
        parser.exit(1, f"{parser.prog} {args.command}: error: {type(exc).__name__}: {exc}\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
