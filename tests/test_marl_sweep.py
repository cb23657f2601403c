"""Sweep runner: results identical across backends; findings and seed statistics."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest

from mmkit.book.ledger import load_targets
from mmkit.marl.findings import FINDING_IDS, seed_means, text_findings
from mmkit.marl.sweep import Task, run_sweep, strip_wall, task_jobs
from mmkit.marl.tables import compare_frame, paper_tables


@pytest.fixture(scope="module")
def paper():
    return paper_tables(load_targets("marl2025")["tables"])


def test_findings_on_the_papers_tables(paper):
    f = text_findings(paper)
    assert tuple(f) == FINDING_IDS
    # the paper's own numbers: A earns more in its adversarial market, B2 dominates A ...
    assert f["f51-a-adv-pnl"][1] and f["f53-b2-dominates-a"][1] and f["f55-bstar-wins"][1]
    # ... but its B1-B1 row contradicts "combined PnL falls in every pair" (441.6 > 437.3)
    assert not f["x-combined-every-pair"][1]
    assert "+4.4" in f["x-combined-every-pair"][0]


def test_every_finding_is_declared():
    decls = load_targets("marl2025")["decls"]
    assert set(FINDING_IDS) <= set(decls)


def test_seed_means_and_interval():
    runs = [{"s": {"m": {"mean": [x, None], "std": [1.0, None]}}} for x in (1.0, 2.0, 3.0)]
    means, spread = seed_means(runs)
    assert means["s"]["m"].mean[0] == 2.0 and np.isnan(means["s"]["m"].mean[1])
    assert spread["s"]["m"]["se"][0] == pytest.approx(1 / np.sqrt(3))
    assert spread["s"]["m"]["ci95"][0] == pytest.approx(4.302653 / np.sqrt(3), rel=1e-6)
    with pytest.raises(ValueError, match="per_seed"):
        seed_means([])


def test_compare_frame_is_narrow(paper):
    df = compare_frame(paper, paper, ["A vs B1", "A vs B2"])
    assert df.shape[1] == 4 and max(len(str(i)) for i in df.index) <= 20


def test_bad_backend():
    with pytest.raises(ValueError, match="backend"):
        run_sweep([], "x", backend="spark")
    with pytest.raises(ValueError, match="workers"):
        run_sweep([], "x", workers=0)


#: The CI sweep: two chains of the ``tiny`` config (800 steps per role, every stage), each
#: evaluated on one protocol, two settings (a single agent in the adversarial market, a pair)
#: and 2 episodes: the backends' comparison costs seconds of training, not minutes of evaluation.
TINY = [
    Task("tiny", s, n_episodes=2, protocols=("sampled-norm",), settings=("A_Adversarial", "A vs B2"))
    for s in (11, 12)
]


@pytest.fixture(scope="module")
def pool_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("pool")
    return out, run_sweep(TINY, out, backend="pool", workers=2, budgets=False)


@pytest.fixture(scope="module")
def pool_results(pool_run):
    return pool_run[1]


def test_task_graph():
    """adversary -> A -> {B1, B2, Bstar} -> eval; longer remaining paths first."""
    g = task_jobs(Task("default", 1))
    assert {j: need for j, (need, _) in g.items()} == {
        "adversary": (),
        "A": ("adversary",),
        "B1": ("A",),
        "B2": ("A",),
        "Bstar": ("A",),
        "eval": ("B1", "B2", "Bstar"),
    }
    prio = {j: p for j, (_, p) in g.items()}
    assert prio == {
        "adversary": 5_500_000,
        "A": 5_000_000,
        "B1": 2_000_000,
        "B2": 2_000_000,
        "Bstar": 2_000_000,
        "eval": 0,
    }


def test_pool_schedule_respects_the_graph(pool_run):
    """Every job starts after its prerequisites ended; both workers took jobs."""
    out, _ = pool_run
    doc = json.loads((out / "schedule.json").read_text())
    assert doc["backend"] == "pool" and doc["workers"] == 2 and len(doc["jobs"]) == 6 * len(TINY)
    t = {(j["seed"], j["job"]): j for j in doc["jobs"]}
    for seed in (11, 12):
        for job, (need, _) in task_jobs(TINY[0]).items():
            for n in need:
                assert t[seed, job]["start_s"] >= t[seed, n]["end_s"]
    assert doc["training_wall_minutes"] <= doc["total_wall_minutes"]
    assert len({j["pid"] for j in doc["jobs"]}) == 2


def test_backends_give_identical_results(tmp_path, pool_results):
    serial = run_sweep(TINY, tmp_path / "serial", backend="serial", budgets=False)
    assert [strip_wall(r) for r in serial] == [strip_wall(r) for r in pool_results]
    assert serial[0]["eval"] != serial[1]["eval"]  # the seeds matter
    assert set(serial[0]["eval"]["sampled-norm"]) == {"A_Adversarial", "A vs B2"}


def test_ray_backend_matches_the_pool(tmp_path, pool_results):
    """A local Ray instance (2 CPUs, no dashboard) runs the same tiny sweep bit for bit."""
    if importlib.util.find_spec("ray") is None:
        pytest.fail("ray is not installed: it is in requirements/lock.txt (make venv reinstalls the lock)")
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        ray_res = run_sweep(TINY, tmp_path, backend="ray", budgets=False)
    finally:
        ray.shutdown()
    assert [strip_wall(r) for r in ray_res] == [strip_wall(r) for r in pool_results]


def test_default_task_is_unchanged():
    """Defaults of a task: both sampled protocols, every setting, exact streams, no folder tag."""
    t = Task("tiny", 3)
    assert t.protocols == ("sampled-norm", "sampled-raw") and t.settings is None and t.streams == "exact"
    assert t.folder("o").as_posix() == "o/tiny/seed_3"
    assert Task("tiny", 3, streams="batch").folder("o").as_posix() == "o/tiny/seed_3_batch"
    with pytest.raises(ValueError, match="protocols"):
        Task("tiny", 3, protocols=("mean",))
    with pytest.raises(ValueError, match="streams"):
        Task("tiny", 3, streams="fast")


def test_interrupted_sweep_resumes(tmp_path):
    """A finished chain is not retrained: its result comes back from its files."""
    t = Task("tiny", 13, n_episodes=2, protocols=("sampled-norm",), settings=("A_Fix",))
    a = run_sweep([t], tmp_path, backend="serial", budgets=False)[0]
    b = run_sweep([t], tmp_path, backend="serial", budgets=False)[0]
    assert strip_wall(a) == strip_wall(b)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, exited but not reaped, counts as stopped)."""
    import os
    from pathlib import Path

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGKILL"])
def test_a_killed_sweep_stops_its_pool_workers(tmp_path, sig):
    """SIGTERM (the parent stops its workers) or SIGKILL (each worker notices its parent is gone)
    to a pool sweep: no worker is left training (an interrupted sweep resumes from its
    checkpoints). Regression: killed parents left orphans."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    (tmp_path / "slowtask.py").write_text(
        "import os, time\n\n\n"
        "def run(task, job, out, budgets, *after):\n"
        "    open(os.path.join(out, f'pid_{os.getpid()}'), 'w').close()\n"
        "    time.sleep(300)\n"
    )
    (tmp_path / "main.py").write_text(
        "import slowtask\n"
        "from mmkit.marl import sweep\n\n"
        "if __name__ == '__main__':\n"
        "    sweep.run_job = slowtask.run\n"
        "    tasks = [sweep.Task('tiny', s) for s in (1, 2)]\n"
        f"    sweep.run_sweep(tasks, {str(tmp_path)!r}, 'pool', 2, progress=False)\n"
    )
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(root)])}
    proc = subprocess.Popen([sys.executable, str(tmp_path / "main.py")], env=env)
    pids: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while len(list(tmp_path.glob("pid_*"))) < 2:
            assert proc.poll() is None, "the sweep exited before its workers started"
            assert time.monotonic() < deadline, "the workers did not start within 120 s"
            time.sleep(0.2)
        pids = [int(p.name[4:]) for p in tmp_path.glob("pid_*")]
        proc.send_signal(getattr(signal, sig))
        assert proc.wait(timeout=60) != 0
        deadline = time.monotonic() + 30
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [p for p in pids if _alive(p)], "worker processes outlived the sweep"
    finally:
        if proc.poll() is None:
            proc.kill()
        for p in pids:  # a failing run must not leave sleepers behind
            if _alive(p):
                os.kill(p, signal.SIGKILL)
