"""A small CPU-time harness: each case runs beside its peer (or limit) in the same process.

Method
------
* Time is :func:`time.process_time` (CPU time of this process, all threads), not wall time:
  on a shared machine wall time moves with the load of other processes, CPU time much less.
  BLAS and OpenMP are pinned to one thread, so CPU time is also the single-core cost.
* Each side is calibrated once to a loop count ``number`` so that one sample lasts at least
  ``target`` seconds of CPU; a sample is the CPU time of ``number`` calls divided by ``number``.
* ``repeats`` samples of each side are taken *interleaved* (ours, peer, peer, ours, ...), so a
  slow phase of the machine hits both sides alike.
* Reported: the minimum and the median per-call time of each side, and the ratio of minima
  ``ours / peer`` (> 1: ours is slower). The minimum is the least disturbed estimate of the
  cost; the median shows the spread.

The regression gate (:func:`gate`) compares the ratios of a run with stored ones: a case fails
when its ratio grew by more than ``factor`` (ratios, not times, are compared, so a faster or
slower machine does not trip it).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["Case", "measure", "time_once", "run_case", "gate", "Regression", "key_of"]


@dataclass
class Case:
    """One comparison: ``ours`` beside ``peer`` at one problem ``size``.

    Attributes
    ----------
    group : str
        Family of cases that differ only in size (one line of the scaling figure).
    size : int
        Problem size (states, agents, trades, ...); its meaning is ``size_label``.
    ours, peer : callable
        Zero-argument callables doing the same work (setup is done before, outside timing).
    ours_label, peer_label : str
        What each side runs (shown in the table).
    kind : {"peer", "limit"}
        ``peer``: another implementation a reader could use; ``limit``: a lower bound on the cost
        (e.g. writing the output) rather than a competitor.
    note : str
        Anything a reader needs to interpret the ratio.
    """

    group: str
    size: int
    size_label: str
    ours: Callable[[], object]
    peer: Callable[[], object]
    ours_label: str
    peer_label: str
    kind: str = "peer"
    note: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in ("peer", "limit"):
            raise ValueError(f"kind must be 'peer' or 'limit', got {self.kind!r}")
        if int(self.size) < 1:
            raise ValueError(f"size must be >= 1, got {self.size}")

    @property
    def key(self) -> str:
        return key_of(self.group, self.size)


def key_of(group: str, size: int) -> str:
    """The identifier of a case in the results: ``group[size]``."""
    return f"{group}[{int(size)}]"


def time_once(
    f: Callable[[], object], number: int = 1, clock: Callable[[], float] = time.process_time
) -> float:
    """CPU seconds per call of ``f``, over ``number`` consecutive calls."""
    if number < 1:
        raise ValueError(f"number must be >= 1, got {number}")
    t0 = clock()
    for _ in range(number):
        f()
    return (clock() - t0) / number


def calibrate(
    f: Callable[[], object],
    target: float,
    max_number: int = 1_000_000,
    clock: Callable[[], float] = time.process_time,
) -> int:
    """Loop count so that ``number`` calls of ``f`` take at least ``target`` CPU seconds.

    The first call is a warm-up (caches, JIT compilation) and is not used.
    """
    if target < 0:
        raise ValueError(f"target must be >= 0, got {target}")
    f()
    t = time_once(f, 1, clock)
    if t >= target:
        return 1
    number = 1
    while number < max_number:
        number = min(max_number, max(number * 2, int(1.2 * target / max(t, 1e-9))))
        t = time_once(f, number, clock) * number
        if t >= target:
            break
    return number


def measure(
    ours: Callable[[], object],
    peer: Callable[[], object],
    repeats: int = 5,
    target: float = 0.1,
    clock: Callable[[], float] = time.process_time,
) -> dict:
    """Interleaved repeated timing of ``ours`` and ``peer``; per-call min, median and ratio."""
    if repeats < 1:
        raise ValueError(f"repeats must be >= 1, got {repeats}")
    n_o = calibrate(ours, target, clock=clock)
    n_p = calibrate(peer, target, clock=clock)
    t_o: list[float] = []
    t_p: list[float] = []
    for r in range(repeats):
        order = ((ours, n_o, t_o), (peer, n_p, t_p))
        for f, n, acc in order if r % 2 == 0 else order[::-1]:
            acc.append(time_once(f, n, clock))
    o_min, p_min = min(t_o), min(t_p)
    return {
        "ours_min": o_min,
        "ours_median": statistics.median(t_o),
        "peer_min": p_min,
        "peer_median": statistics.median(t_p),
        "ratio": o_min / p_min if p_min > 0 else float("inf"),
        "number_ours": n_o,
        "number_peer": n_p,
        "repeats": repeats,
    }


def run_case(case: Case, repeats: int, target: float) -> dict:
    """Measure one case and return its JSON record."""
    rec = {
        "key": case.key,
        "group": case.group,
        "size": int(case.size),
        "size_label": case.size_label,
        "ours": case.ours_label,
        "peer": case.peer_label,
        "kind": case.kind,
        "note": case.note,
    }
    rec.update(case.extra)
    rec.update(measure(case.ours, case.peer, repeats=repeats, target=target))
    return rec


@dataclass(frozen=True)
class Regression:
    """A case whose ratio grew by more than the allowed factor."""

    key: str
    stored: float
    current: float

    @property
    def factor(self) -> float:
        return self.current / self.stored

    def __str__(self) -> str:
        return f"{self.key}: ratio {self.current:.3g} vs stored {self.stored:.3g} ({self.factor:.2f}x worse)"


def gate(
    current: Iterable[dict], stored: Sequence[dict], factor: float = 2.0
) -> tuple[list[Regression], list[str]]:
    """Compare ratios with stored results.

    Returns the regressions (``current > factor * stored``) and the keys of current cases that
    have no stored counterpart (reported, not failed).
    """
    if not factor > 1:
        raise ValueError(f"factor must be > 1, got {factor}")
    ref = {r["key"]: r["ratio"] for r in stored}
    bad, missing = [], []
    for rec in current:
        s = ref.get(rec["key"])
        if s is None:
            missing.append(rec["key"])
        elif rec["ratio"] > factor * s:
            bad.append(Regression(rec["key"], s, rec["ratio"]))
    return bad, missing
