"""Argument validation shared by the whole public API.

Every helper returns the value converted to its canonical type (``float``, ``int``, a float
``numpy`` array) or raises ``ValueError`` / ``TypeError`` whose message names the parameter and
the allowed range, e.g. ``"sigma must be a finite number in (0, inf), got nan"``.
Booleans are rejected where a number is expected (``True`` is not a count or a price).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "check_real",
    "check_finite",
    "check_positive",
    "check_nonnegative",
    "check_probability",
    "check_int",
    "check_positive_int",
    "check_nonnegative_int",
    "check_index",
    "check_array",
    "check_probability_vector",
    "check_stochastic_matrix",
    "check_discount",
    "check_choice",
    "check_bool",
    "check_trade",
    "check_real_array",
    "check_instance",
    "check_callable",
    "check_mapping",
    "check_sequence",
    "check_str",
    "check_axes",
    "check_axes_seq",
]


def _interval(lo: float | None, hi: float | None, lo_open: bool, hi_open: bool) -> str:
    left = "(" if lo_open or lo is None else "["
    right = ")" if hi_open or hi is None else "]"
    a = "-inf" if lo is None else f"{lo:g}"
    b = "inf" if hi is None else f"{hi:g}"
    return f"{left}{a}, {b}{right}"


def _bound(lo: float | None, hi: float | None, lo_open: bool, hi_open: bool) -> str:
    """``">= 1"``, ``"> 0"`` for one-sided ranges, else the interval ``"[0, 1)"``."""
    if hi is None and lo is not None:
        return f"{'>' if lo_open else '>='} {lo:g}"
    return "in " + _interval(lo, hi, lo_open, hi_open)


def _in(v: float, lo: float | None, hi: float | None, lo_open: bool, hi_open: bool) -> bool:
    if lo is not None and (v < lo or (lo_open and v == lo)):
        return False
    return not (hi is not None and (v > hi or (hi_open and v == hi)))


def check_real(
    x: Any,
    name: str,
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
) -> float:
    """Return ``x`` as a finite float in the interval ``lo..hi`` (``None``: unbounded).

    Raises ``TypeError`` for a non-number (strings, ``None``, booleans, arrays) and
    ``ValueError`` for NaN, infinities or a value outside the interval.
    """
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf":
            x = x.item()
        else:
            rng = _interval(lo, hi, lo_open, hi_open)
            raise TypeError(f"{name} must be a real number in {rng}, got {type(x).__name__} {x!r}")
    v = float(x)
    if not math.isfinite(v) or not _in(v, lo, hi, lo_open, hi_open):
        rng = _interval(lo, hi, lo_open, hi_open)  # formatted only for the message
        raise ValueError(
            f"{name} must be {_bound(lo, hi, lo_open, hi_open)}, got {x!r} (a finite number in {rng})"
        )
    return v


def check_finite(x: Any, name: str) -> float:
    """A finite real number (any sign)."""
    return check_real(x, name)


def check_positive(x: Any, name: str) -> float:
    """A finite number ``> 0``."""
    return check_real(x, name, 0.0, None, lo_open=True)


def check_nonnegative(x: Any, name: str) -> float:
    """A finite number ``>= 0``."""
    return check_real(x, name, 0.0, None)


def check_probability(x: Any, name: str, *, open_: bool = False) -> float:
    """A probability in ``[0, 1]`` (``(0, 1)`` with ``open_=True``)."""
    return check_real(x, name, 0.0, 1.0, lo_open=open_, hi_open=open_)


def check_int(x: Any, name: str, lo: int | None = None, hi: int | None = None) -> int:
    """Return ``x`` as an ``int`` in ``[lo, hi]``; integral floats (``3.0``) are refused."""
    rng = _interval(lo, hi, False, False).replace(".0", "")
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an integer in {rng}, got {type(x).__name__} {x!r}")
    v = int(x)
    if not _in(v, lo, hi, False, False):
        raise ValueError(f"{name} must be {_bound(lo, hi, False, False)}, got {v} (an integer in {rng})")
    return v


def check_positive_int(x: Any, name: str, hi: int | None = None) -> int:
    """An integer ``>= 1`` (and ``<= hi`` if given)."""
    return check_int(x, name, 1, hi)


def check_nonnegative_int(x: Any, name: str, hi: int | None = None) -> int:
    """An integer ``>= 0`` (and ``<= hi`` if given)."""
    return check_int(x, name, 0, hi)


def check_index(i: Any, n: int, name: str) -> int:
    """An index in ``[0, n - 1]``; negative indices are refused (no wrap-around)."""
    return check_int(i, name, 0, n - 1)


def check_array(
    x: Any,
    name: str,
    *,
    ndim: int | None = None,
    shape: tuple[int | None, ...] | None = None,
    finite: bool = True,
    nonempty: bool = True,
    lo: float | None = None,
    hi: float | None = None,
) -> NDArray[np.float64]:
    """A float array with the given ``ndim``/``shape`` (``None`` entries are free).

    ``finite`` refuses NaN and infinities; ``lo``/``hi`` bound every entry (inclusive).
    """
    if x is None or isinstance(x, (str, bytes, dict, set)):
        raise TypeError(f"{name} must be an array of numbers, got {type(x).__name__}")
    try:
        a = np.array(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of numbers ({exc})") from None
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {a.shape}")
    if shape is not None:
        ok = a.ndim == len(shape) and all(s is None or s == t for s, t in zip(shape, a.shape))
        if not ok:
            want = "(" + ", ".join("*" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} must have shape {want}, got {a.shape}")
    if nonempty and a.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {a.shape}")
    if finite and not np.isfinite(a).all():
        raise ValueError(f"{name} must have finite entries (no NaN or inf)")
    if lo is not None and a.size and np.nanmin(a) < lo:
        raise ValueError(
            f"{name} entries must be in {_interval(lo, hi, False, False)}, got min {np.nanmin(a):g}"
        )
    if hi is not None and a.size and np.nanmax(a) > hi:
        raise ValueError(
            f"{name} entries must be in {_interval(lo, hi, False, False)}, got max {np.nanmax(a):g}"
        )
    return a


def check_probability_vector(
    p: Any, name: str, n: int | None = None, tol: float = 1e-9
) -> NDArray[np.float64]:
    """A 1-D vector of entries in ``[0, 1]`` summing to 1 within ``tol`` (length ``n`` if given)."""
    a = check_array(p, name, shape=(n,), lo=0.0, hi=1.0)
    if abs(a.sum() - 1.0) > tol:
        raise ValueError(f"{name} must sum to 1 (within {tol:g}), got sum {a.sum():.12g}")
    return a


def check_stochastic_matrix(
    T: Any, name: str, n: int | None = None, tol: float = 1e-9
) -> NDArray[np.float64]:
    """A square row-stochastic matrix: finite entries in ``[0, 1]``, rows summing to 1 within ``tol``."""
    A = check_array(T, name, ndim=2)
    if A.shape[0] != A.shape[1] or (n is not None and A.shape[0] != n):
        want = f"{n}x{n}" if n is not None else "square"
        raise ValueError(f"{name} must be a {want} stochastic matrix, got shape {A.shape}")
    if A.min() < 0:
        raise ValueError(f"{name} must have entries >= 0 (in [0, 1]), got min {A.min():g}")
    rs = A.sum(axis=1)
    if np.max(np.abs(rs - 1.0)) > tol:
        raise ValueError(
            f"rows of {name} must sum to 1 (within {tol:g}), got sums {np.round(rs, 12).tolist()}"
        )
    return A


def check_discount(discount: Any, name: str = "discount") -> float:
    """A discount factor in ``[0, 1)``."""
    return check_real(discount, name, 0.0, 1.0, hi_open=True)


def check_choice(x: Any, name: str, choices: Iterable[Any]) -> Any:
    """``x`` must be one of ``choices`` (compared with ``==``; unhashable values are refused)."""
    opts = list(choices)
    try:
        ok = any(type(x) is type(c) and x == c for c in opts) or (
            isinstance(x, str) and any(isinstance(c, str) and x == c for c in opts)
        )
    except Exception:  # noqa: BLE001 - arrays etc.: refuse below
        ok = False
    if not ok:
        raise ValueError(f"{name} must be one of {opts!r}, got {x!r}")
    return x


def check_bool(x: Any, name: str) -> bool:
    """A ``bool`` (``numpy.bool_`` accepted); ``0``/``1`` and strings are refused."""
    if not isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(x).__name__} {x!r}")
    return bool(x)


def check_trade(x: Any, name: str = "trade") -> int:
    """A trade observation: ``+1`` (buy), ``0`` (no trade) or ``-1`` (sell), as an ``int``."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(
        x, (numbers.Integral, np.integer, float, np.floating)
    ):
        raise TypeError(
            f"{name} must be one of -1 (sell), 0 (no trade), +1 (buy), got {type(x).__name__} {x!r}"
        )
    if x not in (-1, 0, 1):
        raise ValueError(f"{name} must be one of -1 (sell), 0 (no trade), +1 (buy), got {x!r}")
    return int(x)


def check_real_array(
    x: Any,
    name: str,
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
    allow_inf: bool = False,
    allow_nan: bool = False,
    nonempty: bool = True,
) -> NDArray[np.float64]:
    """A real number or array of real numbers (vectorised arguments), finite and in ``lo..hi``.

    Strings, ``None``, booleans, complex and object arrays raise ``TypeError``; NaN,
    infinities, empty arrays and values outside the interval raise ``ValueError``.
    ``allow_inf=True`` accepts ``-inf``/``inf`` (interval ends of a distribution, say);
    ``allow_nan=True`` lets NaN entries through (elementwise special functions, where NaN in
    gives NaN out as in IEEE arithmetic; the interval is checked on the other entries);
    ``nonempty=False`` accepts an empty array (elementwise maps: empty in, empty out).
    """
    rng = _interval(lo, hi, lo_open, hi_open)
    if x is None or isinstance(x, (str, bytes, bool, np.bool_)):
        raise TypeError(
            f"{name} must be a real number or array of real numbers in {rng}, got {type(x).__name__}"
        )
    try:
        raw = np.asarray(x)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number or array of real numbers in {rng}") from None
    if raw.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must be a real number or array of real numbers in {rng}, got dtype {raw.dtype}"
        )
    a = raw.astype(float)
    if nonempty and a.size == 0:
        raise ValueError(f"{name} must not be empty")
    nan = np.isnan(a)
    if (not allow_nan and np.any(nan)) or not (allow_inf or np.all(np.isfinite(a) | nan)):
        what = {
            (True, True): "",
            (True, False): "not NaN",
            (False, True): "finite (no inf)",
            (False, False): "finite (no NaN or inf)",
        }[(allow_inf, allow_nan)]
        raise ValueError(f"{name} must be {what} and in {rng}, got {x!r}")
    ok = np.ones(a.shape, bool)
    if lo is not None:
        ok &= (a > lo) if lo_open else (a >= lo)
    if hi is not None:
        ok &= (a < hi) if hi_open else (a <= hi)
    if allow_nan:
        ok |= nan
    if not np.all(ok):
        raise ValueError(f"{name} must be in {rng}, got {x!r}")
    return a


def _type_name(t: type | tuple[type, ...]) -> str:
    ts = t if isinstance(t, tuple) else (t,)
    return " or ".join(x.__name__ for x in ts)


def check_instance(x: Any, name: str, types: type | tuple[type, ...]) -> Any:
    """``x`` must be an instance of ``types`` (``TypeError`` naming the expected type otherwise)."""
    if not isinstance(x, types):
        raise TypeError(f"{name} must be a {_type_name(types)}, got {type(x).__name__} {_short(x)}")
    return x


def check_callable(x: Any, name: str) -> Any:
    """``x`` must be callable (a function, a rule object, ...)."""
    if not callable(x):
        raise TypeError(f"{name} must be callable, got {type(x).__name__} {_short(x)}")
    return x


def check_mapping(x: Any, name: str, *, nonempty: bool = False, what: str = "a mapping") -> Mapping[Any, Any]:
    """``x`` must be a mapping (``dict`` and the like); ``nonempty`` refuses ``{}``.

    ``what`` describes the expected mapping in the message, e.g. ``"a mapping metric -> Summary"``.
    """
    if not isinstance(x, Mapping):
        raise TypeError(f"{name} must be {what}, got {type(x).__name__} {_short(x)}")
    if nonempty and not x:
        raise ValueError(f"{name} must be {what} with at least one entry, got an empty mapping")
    return x


def check_sequence(x: Any, name: str, *, nonempty: bool = True, what: str = "a sequence") -> list[Any]:
    """``x`` as a ``list``: any iterable except a string, bytes or a mapping; ``nonempty``
    refuses an empty one. Arrays are accepted (their rows become the entries)."""
    if x is None or isinstance(x, (str, bytes, Mapping)) or not isinstance(x, Iterable):
        raise TypeError(f"{name} must be {what} (list or tuple), got {type(x).__name__} {_short(x)}")
    out = list(x)
    if nonempty and not out:
        raise ValueError(f"{name} must be {what} with at least one entry, got an empty one")
    return out


def check_str(x: Any, name: str, *, nonempty: bool = True) -> str:
    """``x`` must be a ``str`` (non-empty unless ``nonempty=False``)."""
    if not isinstance(x, str):
        raise TypeError(f"{name} must be a str, got {type(x).__name__} {_short(x)}")
    if nonempty and not x:
        raise ValueError(f"{name} must be a non-empty str, got ''")
    return x


def check_axes(ax: Any, name: str = "ax") -> Any:
    """``ax`` must be a Matplotlib ``Axes`` (imported here only when called)."""
    from matplotlib.axes import Axes

    return check_instance(ax, name, Axes)


def check_axes_seq(axs: Any, name: str, n: int | None = None) -> list[Any]:
    """A sequence of Matplotlib ``Axes`` (exactly ``n`` of them if given; arrays of axes count)."""
    out = check_sequence(
        np.ravel(axs) if isinstance(axs, np.ndarray) else axs, name, what="a sequence of Axes"
    )
    if n is not None and len(out) != n:
        raise ValueError(f"{name} must hold exactly {n} Axes, got {len(out)}")
    for ax in out:
        check_axes(ax, f"{name} entry")
    return out


def _short(x: Any) -> str:
    r = repr(x).replace("\n", " ")
    return r if len(r) <= 60 else r[:57] + "..."
