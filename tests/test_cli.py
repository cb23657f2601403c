"""The command line behaves like a Unix tool: bad invocations exit non-zero with a usage message
and no traceback, and write no result file; every option has help text."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mmkit.book.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), MMKIT_ROOT=str(cwd))
    env.pop("MMKIT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "mmkit", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def _assert_usage_error(res: subprocess.CompletedProcess) -> None:
    assert res.returncode != 0, res.stdout
    assert "usage:" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr, res.stderr


BAD = {
    "das-sim": [
        ["--runs", "1"],
        ["--runs", "0"],
        ["--runs", "many"],
        ["--periods", "-1"],
        ["--periods", "2.5"],
        ["--rho", "nan"],
        ["--rho", "-1"],
        ["--rho", "inf"],
        ["--grid-points", "2"],
        ["--seed", "-1"],
        ["--bogus"],
    ],
    "marl-train": [
        ["--config", "huge"],
        ["--beta", "nan"],
        ["--beta", "-1"],
        ["--roles", "C"],
        ["--seed", "x"],
    ],
    "marl-eval": [
        ["--models", "no/such/folder"],
        ["--models", "empty"],
        ["--episodes", "0"],
        ["--episodes", "1"],
        ["--seed", "-3"],
    ],
    "marl-beta-sweep": [
        ["--models", "no/such/folder"],
        ["--models", "empty"],
        ["--steps", "0"],
        ["--betas", "nan"],
        ["--betas", "-1"],
    ],
}


@pytest.mark.parametrize("command", sorted(BAD))
def test_bad_invocations_exit_with_usage_and_write_nothing(command, tmp_path):
    (tmp_path / "empty").mkdir()
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    for args in BAD[command]:
        res = _run(command, *args, "--out", str(tmp_path / "result_out"), cwd=tmp_path)
        _assert_usage_error(res)
        assert res.returncode == 2, (args, res.returncode, res.stderr)
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert before == after  # no result file, no folder


def test_no_command_and_unknown_command_are_usage_errors(tmp_path):
    _assert_usage_error(_run(cwd=tmp_path))
    _assert_usage_error(_run("frobnicate", cwd=tmp_path))


def test_version(tmp_path):
    res = _run("--version", cwd=tmp_path)
    assert res.returncode == 0 and res.stdout.startswith("mmkit ")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


OWNED = ("das-sim", "marl-train", "marl-eval", "marl-beta-sweep")


@pytest.mark.parametrize("command", OWNED)
def test_every_option_has_help_and_random_commands_take_a_seed(command):
    sub = _subparsers(build_parser())[command]
    opts = [a for a in sub._actions if not isinstance(a, argparse._HelpAction)]
    for a in opts:
        assert a.help, f"{command} {a.option_strings} has no help text"
    assert any("--seed" in a.option_strings for a in opts)


def test_marl_names_match_the_training_module():
    train = pytest.importorskip("mmkit.marl.train")
    from mmkit.book import cli_marl

    assert tuple(cli_marl.CONFIG_NAMES) == tuple(train.CONFIGS)
    assert tuple(cli_marl.STAGE_NAMES) == tuple(train.STAGES)


def test_library_value_errors_become_usage_errors(monkeypatch, capsys):
    from mmkit.book import cli

    parser = build_parser()

    def boom(args):
        raise ValueError("n_runs must be an integer >= 2, got 1")

    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    sub = _subparsers(parser)["das-sim"]
    sub.set_defaults(func=boom)
    with pytest.raises(SystemExit) as exc:
        cli.main(["das-sim"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "n_runs must be" in err


# Every other subcommand: bad invocations, in process (no interpreter start per call). The
# library's and argparse's refusals both end in ``SystemExit(2)`` with the usage on stderr.
BAD_MORE = {
    "report": [["--bogus"], ["extra"]],
    "ledger": [["bogus"], ["check", "--bogus"]],
    "das-sweep": [["--runs", "1"], ["--periods", "0"], ["--seed", "-1"], ["--runs", "x"]],
    "marl-sweep": [
        ["--configs", "huge"],
        ["--seeds", "-1"],
        ["--betas", "nan"],
        ["--backend", "gpu"],
        ["--workers", "0"],
        ["--episodes", "1"],
    ],
    "marl-eval-default": [["--models", "no/such/folder"], ["--episodes", "1"]],
    "marl-surrogates": [["--lam", "nan"], ["--sigma", "-1"], ["--lam", "x"]],
    "marl-untrained": [["--seeds", "0"], ["--episodes", "1"]],
    "marl-convert": [["--folder", "no/such/folder"], ["--bogus"]],
    "artifacts-manifest": [["--bogus"], ["--check", "extra"]],
    "futures-artifacts": [["--only", "bogus"]],
    "kinathil-study": [
        ["--h-exact", "0"],
        ["--h-max", "5000"],
        ["--lookahead", "x"],
        ["--runs", "1"],
        ["--das-runs", "0"],
        ["--parts", "bogus"],
        ["--h-exact", "20", "--h-max", "10"],
        ["--lookahead", "12", "--h-max", "10"],
        ["--grid-sizes", "1"],
        ["--grid-sizes", "9", "5"],
    ],
}


def _has_out(command: str) -> bool:
    sub = _subparsers(build_parser())[command]
    return any("--out" in a.option_strings for a in sub._actions)


@pytest.mark.parametrize("command", sorted(BAD_MORE))
def test_bad_invocations_of_every_other_command(command, tmp_path, monkeypatch, capsys):
    from mmkit.book import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MMKIT_ROOT", str(tmp_path))
    monkeypatch.delenv("MMKIT_DEBUG", raising=False)
    out = ["--out", str(tmp_path / "result_out")] if _has_out(command) else []
    for args in BAD_MORE[command]:
        with pytest.raises(SystemExit) as exc:
            cli.main([command, *args, *out])
        err = capsys.readouterr().err
        assert exc.value.code == 2, (args, err)
        assert "usage:" in err and "Traceback" not in err, (args, err)
    assert sorted(tmp_path.rglob("*")) == []  # no result file, no folder


def test_every_subcommand_is_tested_for_bad_invocations():
    assert set(BAD) | set(BAD_MORE) == set(_subparsers(build_parser()))


@pytest.mark.parametrize("command", sorted(_subparsers(build_parser())))
def test_every_option_of_every_command_has_help(command):
    sub = _subparsers(build_parser())[command]
    for a in sub._actions:
        if not isinstance(a, argparse._HelpAction):
            assert a.help, f"{command} {a.option_strings or a.dest} has no help text"


#: Commands that run for minutes or more; each shows a progress bar unless --no-progress.
LONG = (
    "das-sim",
    "das-sweep",
    "marl-train",
    "marl-eval",
    "marl-beta-sweep",
    "marl-sweep",
    "marl-eval-default",
    "marl-surrogates",
    "marl-untrained",
    "futures-artifacts",
    "kinathil-study",
)


def test_every_long_command_has_a_progress_bar_switch():
    subs = _subparsers(build_parser())
    quick = {"report", "ledger", "marl-convert", "artifacts-manifest"}
    assert set(LONG) | quick == set(subs)
    for command in LONG:
        assert any("--no-progress" in a.option_strings for a in subs[command]._actions), command


def test_futures_artifacts_writes_each_requested_part(tmp_path, monkeypatch, capsys):
    from mmkit.book import cli, cli_futures

    monkeypatch.setattr(cli_futures, "p2p_sweeps", lambda: {"a": [1.0]})
    monkeypatch.setattr(cli_futures, "markov_error", lambda: {"b": [2.0]})
    monkeypatch.setattr(cli_futures, "readings_baseline", lambda: {"c": 3})
    monkeypatch.setattr(cli_futures, "scaling_rows", lambda: [("direct", 2, 0.5)])
    assert cli.main(["futures-artifacts", "--out", str(tmp_path), "--only", "readings", "scaling"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["readings_baseline.json", "scaling.csv"]
    assert (tmp_path / "scaling.csv").read_text() == "method,N,cpu_seconds\ndirect,2,0.500000\n"
    assert cli.main(["futures-artifacts", "--out", str(tmp_path), "--no-progress"]) == 0
    assert len(list(tmp_path.iterdir())) == 4
    assert "wrote" in capsys.readouterr().out


def test_kinathil_study_runs_the_requested_parts_and_keeps_the_others(tmp_path, monkeypatch):
    import json

    from mmkit.book import cli, cli_kinathil

    monkeypatch.setattr(cli_kinathil, "gamma_study", lambda: {"g": 1})
    monkeypatch.setattr(cli_kinathil, "bounds_study", lambda h, H, k, n: {"args": [h, H, k, n]})
    out = tmp_path / "study.json"
    out.write_text(json.dumps({"das": {"kept": True}}))
    argv = ["kinathil-study", "--parts", "bounds", "gamma", "--h-exact", "2", "--h-max", "4"]
    assert cli.main([*argv, "--lookahead", "1", "--runs", "5", "--out", str(out), "--no-progress"]) == 0
    data = json.loads(out.read_text())
    assert data["gamma"] == {"g": 1} and data["bounds"] == {"args": [2, 4, 1, 5]}
    assert data["das"] == {"kept": True}
