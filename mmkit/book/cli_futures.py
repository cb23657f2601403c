"""``python -m mmkit futures-artifacts``: the futures chapter's slow results, as committed files.

Writes, with fixed seeds, into ``artifacts/futures/`` (no pickle; ``np.load`` without
``allow_pickle``):

* ``p2p_sweep.npz``: the peer-to-peer sweeps (:func:`mmkit.markov_market.p2p.sweep`) over
  degrees and TTLs, without loss (5 seeds, 3,000 epochs) and with loss 0.3 (3 seeds, 1,000
  epochs), and the loss sweep at degree 4, TTL 4 (3 seeds, 1,500 epochs);
* ``markov_error.npz``: :func:`mmkit.markov_market.lumpability.error_grid` over market sizes
  and agent persistences;
* ``readings_baseline.json``: the best agreement that the wide readings search
  (:func:`mmkit.markov_market.readings.wide_search`) finds for random rearrangements of the
  slides' policy table (:func:`~mmkit.markov_market.readings.chance_baseline`, 40 tables);
* ``scaling.csv``: CPU seconds to build the pressure matrix by brute force, direct
  convolutions and the tilted FFT, against the number of agents (machine dependent).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from mmkit.common.io import atomic_write_text

T1 = np.array([[0.3, 0.4, 0.3]] * 3)
T2 = np.array([[0.4, 0.3, 0.3], [0.4, 0.2, 0.4], [0.3, 0.4, 0.3]])
T_BUY = np.array([[0.60, 0.30, 0.10], [0.05, 0.75, 0.20], [0.02, 0.18, 0.80]])
DEGREES, TTLS, SEEDS, LOSS = (3, 4, 6, 8), (1, 2, 3, 4, 5), (11, 12, 13, 14, 15), 0.3
LOSSES = (0.0, 0.2, 0.4)
SIZES, PERSISTENCES = (2, 3, 4, 5), (0.0, 0.2, 0.4, 0.6, 0.8, 0.9)


def p2p_sweeps() -> dict[str, np.ndarray]:
    """The three P2P sweeps of the chapter (fixed seeds)."""
    from mmkit import markov_market as mm
    from mmkit.markov_market import p2p

    groups = [mm.AgentGroup(T2, 30), mm.AgentGroup(T_BUY, 30)]
    lossless = p2p.sweep(groups, DEGREES, TTLS, SEEDS, loss=0.0, epochs=3000)
    lossy = p2p.sweep(groups, DEGREES, TTLS, SEEDS[:3], loss=LOSS, epochs=1000)
    by_loss = np.stack([p2p.sweep(groups, [4], [4], SEEDS[:3], loss=x, epochs=1500)[0, 0] for x in LOSSES])
    return {
        "lossless": lossless,
        "lossy": lossy,
        "by_loss": by_loss,
        "degrees": np.array(DEGREES),
        "ttls": np.array(TTLS),
        "losses": np.array(LOSSES),
        "loss": np.array(LOSS),
        "stats": np.array(p2p.VIEW_STATS),
    }


def markov_error() -> dict[str, np.ndarray]:
    """The Markov-error grid over sizes and persistences."""
    from mmkit.markov_market.lumpability import error_grid

    out = error_grid(SIZES, PERSISTENCES)
    return {**out, "sizes": np.array(SIZES), "persistences": np.array(PERSISTENCES)}


#: The slides' printed policy table (rows i = -2..2, columns pos = -2..2), an input of the
#: chance baseline; the chapter reads the same table from the registry.
SLIDE_TABLE = [
    [1, -1, 1, 0, -1],
    [0, -1, 1, -1, -1],
    [1, -1, -1, -1, -1],
    [0, -1, -1, -1, -1],
    [0, -1, -1, -1, -1],
]
N_RANDOM_TABLES, BASELINE_SEED = 40, 2025


def readings_baseline() -> dict:
    """Best wide-search agreement of random rearrangements of the slides' table."""
    from mmkit import markov_market as mm
    from mmkit.markov_market.readings import chance_baseline

    M = mm.pressure_matrix([T1, T2])
    best = chance_baseline(M, np.array(SLIDE_TABLE), N_RANDOM_TABLES, BASELINE_SEED)
    return {"n_tables": N_RANDOM_TABLES, "seed": BASELINE_SEED, "best": best.tolist()}


def _cpu(f) -> float:
    t0 = time.process_time()
    f()
    return time.process_time() - t0


def scaling_rows() -> list[tuple[str, int, float]]:
    """(method, N, CPU seconds) to build the pressure matrix."""
    from mmkit import markov_market as mm

    def groups(N: int):
        return [mm.AgentGroup(T1, N // 2), mm.AgentGroup(T2, N - N // 2)]

    rows = []
    for N in (2, 4, 6, 8, 10):
        rows.append(("brute force", N, _cpu(lambda: mm.brute_force_pressure_matrix(groups(N)))))
    for N in (2, 5, 10, 20, 50, 100, 200):
        rows.append(("direct", N, _cpu(lambda: mm.pressure_matrix(groups(N), method="direct"))))
    for N in (2, 5, 10, 20, 50, 100, 200, 500, 1000):
        rows.append(("tilted FFT", N, _cpu(lambda: mm.pressure_matrix(groups(N), method="fft"))))
    return rows


#: The artifacts of ``futures-artifacts``.
PARTS = ("p2p", "markov", "readings", "scaling")


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    which = set(args.only or PARTS)

    def scaling() -> None:
        lines = ["method,N,cpu_seconds"] + [f"{m},{n},{t:.6f}" for m, n, t in scaling_rows()]
        atomic_write_text(out / "scaling.csv", "\n".join(lines) + "\n")

    jobs = {
        "p2p": ("p2p_sweep.npz", lambda: _save_npz(out / "p2p_sweep.npz", p2p_sweeps())),
        "markov": ("markov_error.npz", lambda: _save_npz(out / "markov_error.npz", markov_error())),
        "readings": (
            "readings_baseline.json",
            lambda: atomic_write_text(
                out / "readings_baseline.json", json.dumps(readings_baseline(), indent=1) + "\n"
            ),
        ),
        "scaling": ("scaling.csv", scaling),
    }
    for part in tqdm([k for k in PARTS if k in which], desc="futures-artifacts", disable=args.no_progress):
        name, job = jobs[part]
        job()
        tqdm.write(f"wrote {out / name}")
    return 0


def add_cli(sub) -> None:
    """Register ``futures-artifacts``."""
    p = sub.add_parser(
        "futures-artifacts", help="the futures chapter's P2P sweeps, Markov-error grid, timings"
    )
    p.add_argument("--out", default="artifacts/futures", help="output folder (default: %(default)s)")
    p.add_argument("--only", nargs="*", choices=PARTS, help="a subset to rebuild")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=run)


def _save_npz(path: Path, arrays: dict) -> None:
    """Write ``arrays`` as ``.npz`` atomically (no pickle: plain arrays only)."""
    import io

    from mmkit.common.io import atomic_write_bytes

    buf = io.BytesIO()
    np.savez(buf, **arrays)
    atomic_write_bytes(path, buf.getvalue())
