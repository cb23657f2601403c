"""Sweeps of the PPO pipeline: seeds x configurations x beta, with budgets from checkpoints.

One *task* trains the whole chain (adversary, A, B1, B2, B-star) of one configuration and one
base seed into ``<out>/<config>/seed_<s>/`` (resuming whatever an interrupted run left) and
evaluates it (:func:`evaluate_run`); budgets are not separate runs because every run saves
log-spaced checkpoints (:func:`mmkit.marl.train.checkpoint_budgets`), which
:func:`evaluate_budgets` re-evaluates.

Backends: ``serial`` (in this process, task after task), ``pool`` (a local
``ProcessPoolExecutor`` of single-threaded processes) and ``ray`` (Ray core tasks; the optional
``ray`` extra, pinned in requirements/lock.txt). The pool and Ray split every task into the
*jobs* of its dependency graph (:func:`task_jobs`): adversary -> A -> {B1, B2, B-star} ->
evaluation. Each stage seeds everything it uses from the task (:func:`mmkit.marl.train.stage_seed`)
and reads only its prerequisite's files, so the three B stages of a chain run side by side and
the result does not depend on which process ran which stage: every backend returns
bit-identical results. The pool starts ready jobs longest-remaining-path first (training before
evaluation) and writes the jobs' start and end times to ``<out>/schedule.json``.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from mmkit.common.io import as_path, atomic_write_text, existing_folder
from mmkit.common.validation import (
    check_bool,
    check_choice,
    check_int,
    check_mapping,
    check_nonnegative_int,
    check_positive_int,
    check_real,
    check_sequence,
    check_str,
)

__all__ = [
    "PROTOCOLS",
    "Task",
    "run_task",
    "run_sweep",
    "task_config",
    "task_jobs",
    "run_job",
    "evaluate_run",
    "evaluate_budgets",
    "untrained_a_fix",
    "BACKENDS",
    "strip_wall",
    "publish",
    "evaluate_default",
    "fit_surrogates",
    "load_results",
    "load_curves",
]

#: Evaluation protocols: name -> (deterministic, normalised observations).
PROTOCOLS = {
    "sampled-norm": (False, True),
    "sampled-raw": (False, False),
    "mean-norm": (True, True),
    "mean-raw": (True, False),
}
BACKENDS = ("serial", "pool", "ray")


#: Protocols a task evaluates its final agents under (:func:`run_task`) unless told otherwise.
TASK_PROTOCOLS = ("sampled-norm", "sampled-raw")


@dataclass(frozen=True)
class Task:
    """One chain: configuration name, base seed, B-star's beta (``None``: the config's).

    ``n_episodes``, ``protocols`` and ``settings`` (``None``: all of Tables 5-7) choose the
    evaluation of the final agents; ``streams="batch"`` trains with the opt-in batch random
    streams (:class:`mmkit.marl.train.TrainConfig`; its folder gets a ``_batch`` tag).
    """

    config: str
    seed: int
    beta: float | None = None
    n_episodes: int = 100
    protocols: tuple[str, ...] = TASK_PROTOCOLS
    settings: tuple[str, ...] | None = None
    streams: str = "exact"

    def __post_init__(self) -> None:
        from mmkit.marl.core import check_streams
        from mmkit.marl.train import get_config

        get_config(check_str(self.config, "config"))
        check_nonnegative_int(self.seed, "seed")
        if self.beta is not None:
            check_real(self.beta, "beta", 0.0)
        check_int(self.n_episodes, "n_episodes", 2, 10**6)
        check_streams(self.streams)
        if not isinstance(self.protocols, tuple) or not set(self.protocols) <= set(PROTOCOLS):
            raise ValueError(
                f"protocols must be a tuple of names in {tuple(PROTOCOLS)}, got {self.protocols!r}"
            )
        if self.settings is not None and (
            not isinstance(self.settings, tuple) or not all(isinstance(x, str) for x in self.settings)
        ):
            raise TypeError(f"settings must be None or a tuple of setting names, got {self.settings!r}")

    def folder(self, out: str | Path) -> Path:
        tag = f"seed_{self.seed}" + ("" if self.beta is None else f"_beta_{self.beta:g}")
        tag += "" if self.streams == "exact" else f"_{self.streams}"
        return Path(out) / self.config / tag


def evaluate_run(
    folder: str | Path,
    protocols: Sequence[str] = ("sampled-norm",),
    n_episodes: int = 100,
    settings: Sequence[str] | None = None,
) -> dict:
    """Tables 5-7 settings of the agents in ``folder`` under each protocol.

    Returns ``{protocol: {setting: {metric: {"mean": [...], "std": [...]}}}}`` (episode mean and
    sample std over seeds ``0..n_episodes-1``).
    """
    from mmkit.marl.evaluation import PAIRS, SINGLE, run_setting, summary_to_json
    from mmkit.marl.policies import load_agent

    folder = existing_folder(folder)
    protocols = [check_choice(p, "protocols", PROTOCOLS) for p in check_sequence(protocols, "protocols")]
    check_int(n_episodes, "n_episodes", 2, 10**6)
    if settings is not None:
        settings = [
            check_choice(s, "settings", [n for n, _, _ in SINGLE + PAIRS])
            for s in check_sequence(settings, "settings")
        ]
    out = {}
    for name in protocols:
        det, norm = PROTOCOLS[name]
        ag = {
            r: load_agent(folder, r, deterministic=det, normalize=norm)
            for r in ("adversary", "A", "B1", "B2", "Bstar")
        }
        res = {}
        for s, role, mkt in SINGLE:
            if settings is None or s in settings:
                market = ag["adversary"] if mkt == "adversarial" else None
                res[s] = summary_to_json(run_setting([ag[role]], n_episodes, market)[1])
        for s, x, y in PAIRS:
            if settings is None or s in settings:
                res[s] = summary_to_json(run_setting([ag[x], ag[y]], n_episodes)[1])
        out[name] = res
    return out


#: Settings of the budget x protocol grid (the headline numbers).
GRID_SETTINGS = ("A_Fix", "A vs B2", "B1 vs B1")


def evaluate_budgets(folder: str | Path, n_episodes: int = 100) -> dict:
    """The log-spaced budgets of a chain's longest role under every protocol, on :data:`GRID_SETTINGS`.

    At budget ``b`` each role uses its latest checkpoint at or below ``b`` (``checkpoints/<role>/
    <steps>``), so a role whose own budget is smaller stays at its final policy; A's frozen
    opponent in the B stages was A's *final* policy during training. Returns
    ``{budget: evaluate_run(...)}``.
    """
    import shutil
    import tempfile

    from mmkit.marl.checkpoint import file_names

    folder = existing_folder(folder)
    check_int(n_episodes, "n_episodes", 2, 10**6)
    roles = ("adversary", "A", "B1", "B2", "Bstar")
    if not all((folder / "checkpoints" / r).is_dir() for r in roles):
        raise ValueError(f"folder must hold checkpoints/<role>/ for every role {roles}, got {str(folder)!r}")
    have = {
        r: sorted(int(p.name) for p in (folder / "checkpoints" / r).iterdir() if p.name.isdigit())
        for r in roles
    }
    from mmkit.marl.train import checkpoint_budgets

    budgets = checkpoint_budgets(max(max(h) for h in have.values()))
    out = {}
    for b in budgets:
        with tempfile.TemporaryDirectory() as tmp:
            for r in roles:
                c = max((x for x in have[r] if x <= b), default=have[r][0])
                for f in file_names(r).values():
                    shutil.copy(folder / "checkpoints" / r / str(c) / f, Path(tmp) / f)
            out[str(b)] = evaluate_run(tmp, tuple(PROTOCOLS), n_episodes, GRID_SETTINGS)
    return out


def untrained_a_fix(
    seeds: Sequence[int] = range(5), n_episodes: int = 100, progress: bool = False
) -> list[dict]:
    """Untrained SB3 ``MlpPolicy`` networks as agent A (``torch.manual_seed(s)`` before the
    orthogonal initialisation, log-std 0), mean actions on raw observations, alone in the fixed
    market: per seed, the A_Fix metrics."""
    import torch
    from tqdm.auto import tqdm

    from mmkit.marl.evaluation import run_setting, summary_to_json
    from mmkit.marl.policies import FrozenPolicy, build_policy

    seeds = [check_nonnegative_int(s, "seeds") for s in check_sequence(seeds, "seeds")]
    check_int(n_episodes, "n_episodes", 2, 10**6)
    rows = []
    for s in tqdm(seeds, desc="untrained", disable=not check_bool(progress, "progress")):
        torch.manual_seed(int(s))
        pol = build_policy("A", 0.0)
        agent = FrozenPolicy(
            pol, np.zeros(4), np.ones(4), 10.0, 1e-8, "A", deterministic=True, normalize=False
        )
        rows.append({"seed": int(s), **summary_to_json(run_setting([agent], n_episodes)[1])})
    return rows


def run_task(task: Task, out: str | Path, budgets: bool = True, progress: bool = False) -> dict:
    """Train (or resume) one chain and evaluate it; returns a JSON-able dict (also written to
    ``<folder>/result.json``)."""
    import torch

    from mmkit.marl.train import train_all

    if not isinstance(task, Task):
        raise TypeError(f"task must be a Task, got {type(task).__name__}")
    as_path(out, "out")
    budgets, progress = check_bool(budgets, "budgets"), check_bool(progress, "progress")
    torch.set_num_threads(1)
    cfg = task_config(task)
    folder = task.folder(out)
    runs = train_all(cfg, folder, progress=progress, log=lambda s: None)
    res: dict[str, Any] = {
        "config": task.config,
        "seed": task.seed,
        "beta": cfg.beta,
        "runs": runs,
        "eval": evaluate_run(folder, task.protocols, task.n_episodes, task.settings),
    }
    if task.streams != "exact":  # absent = exact: a default task's result is unchanged
        res["streams"] = task.streams
    if budgets:
        res["budgets"] = evaluate_budgets(folder, task.n_episodes)
    for r in res["runs"]:
        r["wall_seconds"] = round(float(r["wall_seconds"]), 1)
    atomic_write_text(folder / "result.json", json.dumps(res, indent=1, sort_keys=True) + "\n")
    return res


def task_config(task: Task):
    """The :class:`~mmkit.marl.train.TrainConfig` of a task (its config with its seed, beta, streams)."""
    from mmkit.marl.train import get_config

    if not isinstance(task, Task):
        raise TypeError(f"task must be a Task, got {type(task).__name__}")
    cfg = replace(get_config(task.config), seed=int(task.seed))
    if task.beta is not None:
        cfg = replace(cfg, beta=float(task.beta))
    if task.streams != "exact":
        cfg = replace(cfg, streams=task.streams)
    return cfg


#: A job of a task's graph: a training stage (a role) or ``"eval"`` (:func:`run_task` once every
#: stage is trained: it only evaluates).
JOB_KINDS = ("adversary", "A", "B1", "B2", "Bstar", "eval")


def task_jobs(task: Task) -> dict[str, tuple[tuple[str, ...], int]]:
    """The dependency graph of one task: ``{job: (prerequisites, priority)}``.

    ``adversary -> A -> {B1, B2, Bstar} -> eval``. The priority of a training stage is the
    number of training steps on its longest path to the end of the chain (so the adversary and
    A of every chain start before the B stages fill the workers); ``eval`` has priority 0.
    """
    from mmkit.marl.train import PREREQUISITE

    steps = task_config(task).steps
    b_max = max(steps[r] for r in ("B1", "B2", "Bstar"))
    prio = {"adversary": steps["adversary"] + steps["A"] + b_max, "A": steps["A"] + b_max}
    out: dict[str, tuple[tuple[str, ...], int]] = {}
    for role in JOB_KINDS[:-1]:
        need = PREREQUISITE.get(role)
        out[role] = ((need,) if need else (), prio.get(role, steps[role]))
    out["eval"] = (("B1", "B2", "Bstar"), 0)
    return out


def run_job(task: Task, job: str, out: str | Path, budgets: bool = True, *after: Any) -> dict:
    """Run one job of a task's graph (:func:`task_jobs`); ``after``: results of its prerequisites
    (ignored; Ray passes them so that a job waits for them).

    A training job trains its role (resuming, or skipping a finished role); ``"eval"`` runs
    :func:`run_task`, which finds every role trained and only evaluates. Returns
    ``{"timing": {"start", "end", "pid"}, "result": ...}`` (Unix times; the result is
    :func:`run_task`'s for ``"eval"``, ``None`` for a training job).
    """
    import torch

    from mmkit.marl.train import train_all

    if not isinstance(task, Task):
        raise TypeError(f"task must be a Task, got {type(task).__name__}")
    check_choice(job, "job", JOB_KINDS)
    as_path(out, "out")
    budgets = check_bool(budgets, "budgets")
    start = time.time()
    res = None
    if job == "eval":
        res = run_task(task, out, budgets)
    else:
        torch.set_num_threads(1)
        train_all(task_config(task), task.folder(out), roles=(job,), progress=False, log=lambda s: None)
    return {"timing": {"start": start, "end": time.time(), "pid": os.getpid()}, "result": res}


def _write_schedule(out: str, tasks: Sequence[Task], timings: dict, backend: str, workers: int) -> None:
    """``<out>/schedule.json``: every job's start and end (seconds from the first start) and the
    wall time of the training jobs (first start to last training end)."""
    if not timings:
        return
    t0 = min(t["start"] for t in timings.values())
    jobs = [
        {
            "config": tasks[i].config,
            "seed": tasks[i].seed,
            "beta": tasks[i].beta,
            "streams": tasks[i].streams,
            "job": job,
            "start_s": round(t["start"] - t0, 1),
            "end_s": round(t["end"] - t0, 1),
            "pid": t["pid"],
        }
        for (i, job), t in sorted(timings.items(), key=lambda kv: kv[1]["start"])
    ]
    train_end = [j["end_s"] for j in jobs if j["job"] != "eval"]
    doc = {
        "backend": backend,
        "workers": workers,
        "cpu_count": os.cpu_count(),
        "started_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(t0)),
        "training_wall_minutes": round(max(train_end) / 60, 1) if train_end else None,
        "total_wall_minutes": round(max(j["end_s"] for j in jobs) / 60, 1),
        "jobs": jobs,
    }
    atomic_write_text(Path(out) / "schedule.json", json.dumps(doc, indent=1) + "\n")


def _run_pool(tasks: Sequence[Task], out: str, workers: int, budgets: bool, bar) -> list[dict]:
    """Run every task's job graph on a local process pool, longest remaining path first."""
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    graphs = [task_jobs(t) for t in tasks]
    todo = {(i, j) for i, g in enumerate(graphs) for j in g}
    timings: dict[tuple[int, str], dict] = {}  # the finished jobs
    results: dict[int, dict] = {}
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=mp.get_context("spawn"),
        initializer=_exit_with_parent,
        initargs=(os.getpid(),),
    ) as ex:
        running: dict[Any, tuple[int, str]] = {}
        try:
            with _sigterm_as_exit():
                while todo or running:
                    ready = sorted(
                        (k for k in todo if all((k[0], d) in timings for d in graphs[k[0]][k[1]][0])),
                        key=lambda k: (-graphs[k[0]][k[1]][1], k[0], JOB_KINDS.index(k[1])),
                    )
                    for k in ready[: workers - len(running)]:
                        todo.discard(k)
                        running[ex.submit(run_job, tasks[k[0]], k[1], out, budgets)] = k
                    finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
                    for f in finished:
                        k = running.pop(f)
                        r = f.result()
                        timings[k] = r["timing"]
                        if k[1] == "eval":
                            results[k[0]] = r["result"]
                            bar.update()
                        _write_schedule(out, tasks, timings, "pool", workers)
        except BaseException:
            _terminate_workers(ex)  # no orphans: an interrupted sweep resumes from checkpoints
            raise
    return [results[i] for i in range(len(tasks))]


def _run_ray(tasks: Sequence[Task], out: str, budgets: bool, bar) -> list[dict]:
    """Run every task's job graph as Ray tasks (each job waits for its prerequisites' refs)."""
    import ray

    remote = ray.remote(num_cpus=1)(run_job)
    evals = []
    for t in tasks:
        refs: dict[str, Any] = {}
        for job, (need, _) in task_jobs(t).items():
            refs[job] = remote.remote(t, job, out, budgets, *(refs[n] for n in need))
        evals.append(refs["eval"])
    res = []
    for ref in evals:
        res.append(ray.get(ref)["result"])
        bar.update()
    return res


def strip_wall(res: dict) -> dict:
    """A task result without its wall-clock times (the part that is bit-identical across backends)."""
    check_mapping(res, "res", what='a task result with "runs"')
    runs = res.get("runs")
    if not isinstance(runs, list) or not all(isinstance(r, dict) for r in runs):
        raise ValueError('res must hold "runs", a list of per-role dicts')
    return {**res, "runs": [{k: v for k, v in r.items() if k != "wall_seconds"} for r in res["runs"]]}


def run_sweep(
    tasks: Sequence[Task],
    out: str | Path,
    backend: str = "pool",
    workers: int = 2,
    address: str | None = None,
    budgets: bool = True,
    progress: bool = False,
) -> list[dict]:
    """Run ``tasks`` on a backend (``serial``, ``pool`` or ``ray``); results in task order.

    Finished chains are resumed from their files, so an interrupted sweep restarts where it
    stopped. ``address``: a Ray cluster (``ray.init(address=...)``); default a local instance
    with ``workers`` CPUs.
    """
    check_choice(backend, "backend", BACKENDS)
    check_positive_int(workers, "workers", hi=1024)
    tasks = check_sequence(tasks, "tasks", what="a sequence of Task")
    for t in tasks:
        if not isinstance(t, Task):
            raise TypeError(f"tasks must hold Task objects, got {type(t).__name__}")
    out = str(as_path(out, "out"))
    if address is not None:
        check_str(address, "address")
    budgets = check_bool(budgets, "budgets")
    from tqdm.auto import tqdm

    bar = tqdm(total=len(tasks), desc="tasks", disable=not check_bool(progress, "progress"))
    if backend == "serial":
        res = []
        for t in tasks:
            res.append(run_task(t, out, budgets))
            bar.update()
    elif backend == "pool":
        res = _run_pool(tasks, out, workers, budgets, bar)
    else:
        try:
            import ray
        except ImportError as exc:
            raise ImportError("backend 'ray' needs Ray: pip install 'mmkit-book[ray]'") from exc
        started = not ray.is_initialized()
        if started:
            ray.init(address=address, num_cpus=None if address else workers, include_dashboard=False)
        try:
            res = _run_ray(tasks, out, budgets, bar)
        finally:
            if started:
                ray.shutdown()
    bar.close()
    return res


@contextmanager
def _sigterm_as_exit() -> Iterator[None]:
    """Turn SIGTERM into ``SystemExit`` in the main thread (so cleanup runs), then restore."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _exit(signum, frame):
        raise SystemExit(128 + signum)

    old = signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _exit_with_parent(ppid: int, every: float = 1.0) -> None:
    """Pool-worker initializer: a daemon thread ends the worker once its parent is gone (a parent
    killed by SIGKILL cannot stop its workers; without this they would train on as orphans)."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == ppid:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


def _terminate_workers(ex) -> None:
    """Stop a ``ProcessPoolExecutor``'s worker processes now (queued tasks are cancelled)."""
    procs = list((getattr(ex, "_processes", None) or {}).values())
    ex.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=10)


def publish(folder: str | Path, dest: str | Path) -> list[Path]:
    """Copy a finished chain's final policies, curves and ``result.json`` (not its checkpoints)
    from a scratch folder to ``dest`` (under ``artifacts/``; then refresh the manifest)."""
    import shutil

    from mmkit.marl.checkpoint import file_names

    folder, dest = existing_folder(folder), as_path(dest, "dest")
    if not (folder / "result.json").exists():
        raise ValueError(f"folder must be a finished chain (with result.json), got {str(folder)!r}")
    dest.mkdir(parents=True, exist_ok=True)
    names = ["result.json", "train_summary.json"]
    for r in ("adversary", "A", "B1", "B2", "Bstar"):
        names += [*file_names(r).values(), f"{r}_curve.csv"]
    out = []
    for n in names:
        shutil.copy(folder / n, dest / n)
        out.append(dest / n)
    return out


def evaluate_default(folder: str | Path, n_episodes: int = 100, progress: bool = False) -> dict:
    """The committed single-seed run under all four protocols, plus the per-step omega
    histogram of B-star (sampled, normalised) and the trained adversary's (lambda, sigma)
    histogram in A_Adversarial."""
    from tqdm.auto import tqdm

    from mmkit.marl.evaluation import run_setting
    from mmkit.marl.policies import load_agent

    folder = existing_folder(folder)
    check_int(n_episodes, "n_episodes", 2, 10**6)
    show = check_bool(progress, "progress")
    res: dict[str, Any] = {
        "protocols": {
            p: evaluate_run(folder, (p,), n_episodes)[p]
            for p in tqdm(PROTOCOLS, desc="protocols", disable=not show)
        }
    }
    ag = {r: load_agent(folder, r) for r in ("adversary", "A", "B1", "Bstar")}
    edges = np.linspace(0.0, 1.0, 41)
    res["omega_hist"] = {"edges": edges.tolist()}
    for name, x in (("A vs Bstar", "A"), ("B1 vs Bstar", "B1")):
        tr, _ = run_setting([ag[x], ag["Bstar"]], n_episodes)
        om = tr.omega[:, :, 1].ravel()
        res["omega_hist"][name] = {
            "counts": np.histogram(om, edges)[0].tolist(),
            "mean": float(om.mean()),
            "sd": float(om.std()),
        }
    tr, _ = run_setting([ag["A"]], n_episodes, ag["adversary"])
    lam_e, sig_e = np.linspace(300.0, 500.0, 31), np.linspace(0.2, 2.0, 31)
    h = np.histogram2d(tr.lam.ravel(), tr.sigma.ravel(), [lam_e, sig_e])[0]
    res["adversary"] = {
        "lam_edges": lam_e.tolist(),
        "sigma_edges": sig_e.tolist(),
        "counts": h.astype(int).tolist(),
        "lam_mean": float(tr.lam.mean()),
        "sigma_mean": float(tr.sigma.mean()),
    }
    return res


def fit_surrogates(paper: dict, market_adv, progress: bool = False) -> dict:
    """Constant-offset surrogates calibrated on the paper's tables (see
    :func:`mmkit.marl.evaluation.calibrate_single` and ``calibrate_pair``): ``{setting:
    [[bid, ask], ...]}`` per agent."""
    from mmkit.marl.evaluation import (
        ALL_SETTINGS,
        PAIRS,
        SINGLE,
        _check_agent,
        calibrate_pair,
        calibrate_single,
        value,
    )
    from mmkit.marl.metrics import check_tables

    check_tables(paper, "paper", ALL_SETTINGS)
    for n in ALL_SETTINGS:
        need = ["Quote_aggressiveness", "PnL_mean"] + (
            ["Quote_distance_bid", "Quote_distance_ask"] if " vs " in n else []
        )
        if any(m not in paper[n] for m in need):
            raise ValueError(f"paper must hold {need} for setting {n!r}")
    _check_agent(market_adv, "market_adv", "market")
    from tqdm.auto import tqdm

    bar = tqdm(total=len(SINGLE) + len(PAIRS), desc="calibrate", disable=not check_bool(progress, "progress"))
    out = {}
    for name, _, mkt in SINGLE:
        q = calibrate_single(
            value(paper[name], "Quote_aggressiveness"),
            value(paper[name], "PnL_mean"),
            market_adv if mkt == "adversarial" else None,
        )
        out[name] = [[q.bid, q.ask]]
        bar.update()
    for name, _, _ in PAIRS:
        p = paper[name]
        ax, ay = (value(p, "Quote_aggressiveness", k) for k in (0, 1))
        X, Y = calibrate_pair(
            ay,
            value(p, "Quote_distance_bid"),
            value(p, "Quote_distance_ask"),
            value(p, "PnL_mean", 1),
            x_wider_bid=ax >= ay,
            x_wider_ask=(ax >= ay) and name != "B1 vs Bstar",
        )
        out[name] = [[X.bid, X.ask], [Y.bid, Y.ask]]
        bar.update()
    bar.close()
    return out


def load_results(folder: str | Path) -> list[dict]:
    """The ``result.json`` of every published chain under ``folder`` (checked against the
    manifest), in seed order."""
    from mmkit.common.manifest import read_json

    folder = existing_folder(folder)
    paths = sorted(folder.glob("seed_*/result.json"), key=lambda p: int(p.parent.name.split("_")[1]))
    if not paths:
        raise ValueError(f"folder must hold published chains (seed_<s>/result.json), got {str(folder)!r}")
    return [read_json(p) for p in paths]


def load_curves(folder: str | Path, role: str):
    """Learning curves of ``role`` for every published seed under ``folder``: ``(timesteps, rows)``
    with one row per seed of (episode return, action std, a1, a2)."""
    import io

    import pandas as pd

    from mmkit.common.manifest import read_verified
    from mmkit.marl.agents import check_role

    folder = existing_folder(folder)
    check_role(role)
    if not any(folder.glob("seed_*")):
        raise ValueError(f"folder must hold published chains (seed_<s>/), got {str(folder)!r}")
    dfs = [
        pd.read_csv(io.BytesIO(read_verified(p / f"{role}_curve.csv")))
        for p in sorted(Path(folder).glob("seed_*"), key=lambda p: int(p.name.split("_")[1]))
    ]
    n = min(len(d) for d in dfs)
    return dfs[0].timesteps.to_numpy()[:n], {
        c: np.stack([d[c].to_numpy()[:n] for d in dfs]) for c in dfs[0].columns
    }
