"""Show which environment variables change the floating-point kernels numpy, scipy and torch run.

    python scripts/cpu_dispatch_check.py            # table: which settings change which bits
    python scripts/cpu_dispatch_check.py --env      # the second configuration, as VAR=value pairs
    python scripts/cpu_dispatch_check.py --probe    # (internal) print the fingerprints of this process

Each candidate setting is applied to a fresh Python process, which computes a fixed set of
seeded results (BLAS products, LAPACK solves, vectorised ufuncs, torch layers) and prints the
SHA-256 of their bits and the hex of one element. A setting "changes bits" when a fingerprint
differs from the default process: the kernels, and so the last bits of the results, differ,
which is exactly what a machine with another CPU does to a chapter. ``make test-cpu2`` re-executes
every chapter under :data:`SECOND_CONFIGURATION`, which this script shows to change bits.
Exit status 1 if the second configuration changes no bit here (then it would prove nothing).
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Mapping

# The configuration `make test-cpu2` exports (the Makefile reads it with --env). Each variable is
# shown by this script to change result bits on an AVX2 machine, and each is a downgrade, safe on
# any x86-64 CPU with AVX:
SECOND_CONFIGURATION = {
    "OPENBLAS_CORETYPE": "Sandybridge",  # numpy's and scipy's OpenBLAS: AVX kernels, no AVX2/FMA
    "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",  # numpy's own SIMD loops
    "ATEN_CPU_CAPABILITY": "default",  # torch's vectorised ATen kernels without AVX2/AVX-512
    "MKL_CBWR": "COMPATIBLE",  # torch's MKL BLAS on its SSE2 reproducibility code path
}

# Settings tried one at a time.
CANDIDATES = [
    {"OPENBLAS_CORETYPE": "Haswell"},
    {"OPENBLAS_CORETYPE": "Sandybridge"},
    {"OPENBLAS_CORETYPE": "Prescott"},
    {"NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR"},
    {"ATEN_CPU_CAPABILITY": "default"},
    {"MKL_ENABLE_INSTRUCTIONS": "AVX"},  # Intel CPUs only: MKL ignores it on AMD
    {"MKL_CBWR": "COMPATIBLE"},
    SECOND_CONFIGURATION,
]
# Variables that must not leak from the caller into the default run.
DISPATCH_VARS = sorted({k for c in CANDIDATES for k in c})


def second_configuration(environ: Mapping[str, str]) -> dict[str, str]:
    """The second configuration for this machine.

    Some machines set ``OPENBLAS_CORETYPE`` (or ``OPENBLAS_L2_SIZE``) themselves, because an
    OpenBLAS kernel is wrong or crashes on their processor; such a setting is kept, never
    overridden, and the other variables still change numpy's, scipy's and torch's kernels.
    """
    if "OPENBLAS_CORETYPE" in environ or "OPENBLAS_L2_SIZE" in environ:
        return {k: v for k, v in SECOND_CONFIGURATION.items() if k != "OPENBLAS_CORETYPE"}
    return dict(SECOND_CONFIGURATION)


def _fingerprint(array) -> list[str]:
    """SHA-256 (first 16 hex digits) of the bits, and the hex of the element at index 7."""
    import numpy as np

    a = np.ascontiguousarray(np.asarray(array, dtype=np.float64))
    return [hashlib.sha256(a.tobytes()).hexdigest()[:16], float(a.ravel()[7]).hex()]


def probe() -> dict[str, list[str]]:
    """Seeded results whose last bits depend on the kernels the process dispatched to."""
    import numpy as np
    import scipy.linalg
    import scipy.special

    rng = np.random.default_rng(20260101)
    a, b = rng.standard_normal((2, 301, 301))
    x = rng.standard_normal(100_003)
    out = {
        "numpy matmul (OpenBLAS dgemm)": a @ b,
        "numpy matvec (OpenBLAS dgemv)": a @ b[0],
        "numpy solve (LAPACK dgesv)": np.linalg.solve(a, b),
        "numpy eigh (LAPACK dsyevd)": np.linalg.eigh(a + a.T)[0],
        "numpy exp/log/sin (SIMD ufuncs)": np.exp(x) + np.log1p(x * x) + np.sin(x),
        "numpy tanh (SIMD ufunc)": np.tanh(x),
        "numpy sum/dot (SIMD reductions)": [x.sum(), x @ x, np.cumsum(x)[-1]] * 3,
        "scipy lu_solve (its own OpenBLAS)": scipy.linalg.lu_solve(scipy.linalg.lu_factor(a), b),
        "scipy logsumexp": [scipy.special.logsumexp(x[i::9]) for i in range(9)],
    }
    try:
        import torch
    except ImportError:
        pass
    else:
        torch.manual_seed(0)
        ta, tb = torch.from_numpy(a).float(), torch.from_numpy(b).float()
        mlp = torch.nn.Sequential(torch.nn.Linear(301, 64), torch.nn.Tanh(), torch.nn.Linear(64, 8))
        with torch.no_grad():
            out["torch float32 mm (MKL sgemm)"] = (ta @ tb).double().numpy()
            out["torch float64 mm (MKL dgemm)"] = (torch.from_numpy(a) @ torch.from_numpy(b)).numpy()
            out["torch exp/tanh (ATen SIMD)"] = (torch.tanh(ta) + torch.exp(-ta * ta)).double().numpy()
            out["torch MLP + softmax"] = torch.softmax(mlp(ta), dim=-1).double().numpy()
    return {name: _fingerprint(value) for name, value in out.items()}


def run_probe(settings: dict[str, str]) -> dict[str, list[str]]:
    """Fingerprints from a fresh process with `settings` added to a clean environment."""
    env = {k: v for k, v in os.environ.items() if k not in DISPATCH_VARS}
    env.update(settings)
    done = subprocess.run(
        [sys.executable, __file__, "--probe"], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return {"(process failed)": [str(done.returncode), done.stderr.strip()[-200:]]}
    return json.loads(done.stdout)


def _label(settings: dict[str, str]) -> str:
    return " ".join(f"{k}={v!r}" if " " in v else f"{k}={v}" for k, v in settings.items())


def main() -> int:
    if sys.argv[1:] == ["--probe"]:
        print(json.dumps(probe()))
        return 0
    if sys.argv[1:] == ["--env"]:  # for the Makefile: VAR=value pairs, shell-quoted
        print(" ".join(f"{k}={shlex.quote(v)}" for k, v in second_configuration(os.environ).items()))
        return 0
    default = run_probe({})
    print("default configuration (no dispatch variable set):")
    for name, (digest, hexval) in default.items():
        print(f"  {name:34s} {digest}  x[7] = {hexval}")
    second_changes = 0
    for settings in CANDIDATES:
        result = run_probe(settings)
        changed = [name for name in default if result.get(name) != default[name]]
        print(f"\n{_label(settings)}: changes {len(changed)} of {len(default)} results")
        for name in changed:
            d, h = result.get(name, ["missing", ""])
            print(f"  {name:34s} {d}  x[7] = {h}  (default {default[name][1]})")
        if settings is SECOND_CONFIGURATION:
            second_changes = len(changed)
    print(f"\nsecond configuration (make test-cpu2) changes {second_changes} result(s) here")
    return 0 if second_changes else 1


if __name__ == "__main__":
    sys.exit(main())
