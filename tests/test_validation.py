"""Tests of the shared validators (mmkit.common.validation) that the bad-input suite relies on."""

from __future__ import annotations

import numpy as np
import pytest

from mmkit.common.validation import (
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
