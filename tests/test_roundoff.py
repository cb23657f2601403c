"""No stored output prints a number beyond a precision that survives another CPU's kernels.

The scan rules live in :mod:`mmkit.book.roundoff`; ``scripts/scan_roundoff.py`` runs the same scan
standalone. The sanitize file used by nbval must mask only genuinely variable text, never a number
a reader relies on.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest

from mmkit.book.roundoff import scan_notebook, scan_paths, scan_text

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(ROOT.glob("chapters/*.ipynb"))
REPORTS = sorted(ROOT.glob("reproduction/*.md"))


def _rules(text: str) -> list[tuple[str, str]]:
    return [(f.number, f.rule) for f in scan_text(text, "t")]


@pytest.mark.parametrize(
    "text, number",
    [
        ("max |exact - table| = 1.2e-13", "1.2e-13"),
        ("Das: 9.3e-15", "9.3e-15"),
        ("ours (PPO) = 2.22e-15", "2.22e-15"),
        ("FFT vs direct 5.6e-11", "5.6e-11"),
        ("rows sum to 1 within 4e-16", "4e-16"),  # one digit, but no comparison sign: round-off
        ("gap -3.0E-10", "-3.0E-10"),
        ("lost mass 1.7e-09", "1.7e-09"),
    ],
)
def test_scientific_roundoff_is_flagged(text: str, number: str) -> None:
    assert _rules(text) == [(number, "scientific")]


@pytest.mark.parametrize(
    "text, number, rule",
    [
        ("0.1 + 0.2 = 0.30000000000000004", "0.30000000000000004", "digits"),
        ("v = 12.3456789012345", "12.3456789012345", "digits"),
        ("residual 0.000000000093", "0.000000000093", "tiny-fixed"),
        ("change -0.000", "-0.000", "negative-zero"),
    ],
)
def test_fixed_point_roundoff_is_flagged(text: str, number: str, rule: str) -> None:
    assert _rules(text) == [(number, rule)]


@pytest.mark.parametrize(
    "text",
    [
        "residual < 1e-12",
        "residual &lt; 1e-12",  # HTML output
        "max |V - V*| <= 5e-10",
        "within tolerance 1e-12 and 1.0e-09",
        "zero: 0.0e+00 and 0e+00",
        "p = 3.2e-05, q = 6.4e-05",  # exponent above -9: survives any machine at 2 digits
        "price 0.123456789012 (12 digits)",
        "torch 2.13.0, numpy 2.4.6",
        "sha256 1e9f3a0c7d2e-11ab",  # hex, not a number
        "seed 123456789012345 and 0.000 and +0.5",
        "x_1e-12 and var1.5e-13",  # glued to a name
    ],
)
def test_safe_text_passes(text: str) -> None:
    assert _rules(text) == []


def test_only_outputs_are_scanned(tmp_path: Path) -> None:
    nb = (
        '{"cells": [{"cell_type": "code", "source": ["x = 9.3e-15"], "outputs": ['
        '{"output_type": "stream", "text": ["ok 1.0\\n", "bad 2.2e-15\\n"]},'
        '{"output_type": "execute_result", "data": {"text/plain": ["0.5"],'
        ' "text/html": ["<td>7.3e-12</td>"], "image/png": "iVBOR1e-99"}}]},'
        '{"cell_type": "markdown", "source": ["3.1e-20"]}], "metadata": {}}'
    )
    path = tmp_path / "x.ipynb"
    path.write_text(nb)
    found = scan_notebook(path)
    assert [(f.cell, f.line, f.number) for f in found] == [(0, 2, "2.2e-15"), (0, 1, "7.3e-12")]
    assert "x.ipynb cell 0 line 2" in str(found[0])


@pytest.mark.skipif(not NOTEBOOKS, reason="no executed chapters")
def test_stored_outputs_print_no_roundoff() -> None:
    """Every chapter output and every generated report: residuals as bounds, floats rounded."""
    findings = scan_paths(NOTEBOOKS + REPORTS)
    listing = "\n".join(str(f).replace(f"{ROOT}/", "") for f in findings)
    if findings:
        pytest.fail(f"{len(findings)} number(s) printed beyond a safe precision:\n{listing}")


# ---------------------------------------------------------------- the nbval sanitize file

REAL_NUMBERS = [
    "0.123",
    "-1.5e-3",
    "42",
    "3 s",
    "12.5 s",
    "spread 0.25 s.d.",
    "1024 states, 0.016 s per sweep",
    "<td>3.14</td>",
    "sha 1e9f3a0c7d2e",
    "value 0x1 at 12",
]
VARIABLE_TEXT = [
    "<Figure size 640x480 with 1 Axes>",
    "<matplotlib.legend.Legend at 0x7f3a2b1c4d50>",
    "solved in 12.3 s elapsed",
    "0.52 s wall",
]


def _sanitize_patterns() -> list[re.Pattern[str]]:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    return [re.compile(cfg[section]["regex"]) for section in cfg.sections()]


def test_sanitize_never_hides_a_real_number() -> None:
    for text in REAL_NUMBERS:
        for pattern in _sanitize_patterns():
            assert not pattern.search(text), f"{pattern.pattern!r} masks {text!r}"


def test_sanitize_masks_the_variable_text() -> None:
    for text in VARIABLE_TEXT:
        assert any(p.search(text) for p in _sanitize_patterns()), text
