"""Tests of the shared validators (mmkit.common.validation) that the bad-input suite relies on."""

from __future__ import annotations

import numpy as np
import pytest

from mmkit.common.io import existing_file
from mmkit.common.validation import (
    check_axes,
    check_axes_seq,
    check_callable,
    check_instance,
    check_mapping,
    check_real_array,
    check_sequence,
    check_str,
)


def test_check_real_array_allow_inf_keeps_refusing_nan():
    np.testing.assert_array_equal(check_real_array([-np.inf, 1.0], "lo", allow_inf=True), [-np.inf, 1.0])
    with pytest.raises(ValueError, match="lo must be not NaN"):
        check_real_array([np.nan], "lo", allow_inf=True)
    with pytest.raises(ValueError, match="lo must be finite"):
        check_real_array([np.inf], "lo")


def test_check_instance_and_callable_name_the_parameter_and_type():
    assert check_instance(3, "n", int) == 3
    with pytest.raises(TypeError, match="cfg must be a int or float, got str"):
        check_instance("x", "cfg", (int, float))
    assert check_callable(len, "rule") is len
    with pytest.raises(TypeError, match="rule must be callable, got int"):
        check_callable(3, "rule")


def test_check_mapping_and_sequence():
    assert check_mapping({"a": 1}, "m") == {"a": 1}
    with pytest.raises(TypeError, match="m must be a mapping"):
        check_mapping([("a", 1)], "m")
    with pytest.raises(ValueError, match="m must be a mapping with at least one entry"):
        check_mapping({}, "m", nonempty=True)
    assert check_sequence((1, 2), "xs") == [1, 2]
    assert check_sequence(range(2, 4), "xs") == [2, 3]
    for bad in ("ab", None, {"a": 1}, 3):
        with pytest.raises(TypeError, match="xs must be a sequence"):
            check_sequence(bad, "xs")
    with pytest.raises(ValueError, match="xs must be a sequence with at least one entry"):
        check_sequence([], "xs")
    assert check_sequence([], "xs", nonempty=False) == []


def test_check_str():
    assert check_str("A", "role") == "A"
    with pytest.raises(TypeError, match="role must be a str"):
        check_str(3, "role")
    with pytest.raises(ValueError, match="role must be a non-empty str"):
        check_str("", "role")


def test_check_real_array_allow_nan_and_empty():
    """Elementwise special functions: NaN passes (the bounds apply to the other entries),
    infinities only with allow_inf, an empty array only with nonempty=False."""
    out = check_real_array([np.nan, 1.0], "x", 0.0, allow_nan=True)
    assert np.isnan(out[0]) and out[1] == 1.0
    with pytest.raises(ValueError, match="x must be in"):
        check_real_array([np.nan, -1.0], "x", 0.0, allow_nan=True)
    with pytest.raises(ValueError, match="b must be finite \\(no inf\\)"):
        check_real_array([np.nan, np.inf], "b", allow_nan=True)
    assert check_real_array([], "x", nonempty=False).size == 0
    with pytest.raises(ValueError, match="x must not be empty"):
        check_real_array([], "x")
    with pytest.raises(TypeError, match="x must be a real number"):
        check_real_array(1j, "x", allow_nan=True, allow_inf=True)


def test_check_axes_and_axes_seq(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axs = plt.subplots(1, 2)
    assert check_axes(axs[0], "ax") is axs[0]
    assert check_axes_seq(axs, "axs", 2) == list(axs)
    with pytest.raises(TypeError, match="ax must be a Axes"):
        check_axes("ax", "ax")
    with pytest.raises(ValueError, match="axs must hold exactly 3 Axes"):
        check_axes_seq(axs, "axs", 3)
    with pytest.raises(TypeError, match="axs entry must be a Axes"):
        check_axes_seq([axs[0], 3], "axs")
    plt.close(fig)
    (tmp_path / "f.npz").write_bytes(b"x")
    assert existing_file(tmp_path / "f.npz") == tmp_path / "f.npz"
    with pytest.raises(ValueError, match="path must be an existing file"):
        existing_file(tmp_path)
