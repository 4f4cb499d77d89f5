"""helpers.shapes: what every helper refuses before any maths is done."""
import numpy as np
import pytest

from helpers.shapes import as_float_array, whole_number


@pytest.mark.parametrize("bad, words", [
    (None, "must hold numbers; got None"), ("1.5", "must hold numbers"), (b"1", "must hold numbers"),
    ([1.0, None], "must hold numbers"), ([[1, 2], [3]], "must hold numbers"),
    ([1 + 2j], "real numbers; got complex"), (np.array([1.0, 2.0]) + 0j, "real numbers; got complex"),
    ([10 ** 400], "fit a float64"), (["x"] * 200, "must hold numbers"),
])
def test_as_float_array_refuses_what_is_not_real_numbers(bad, words):
    with pytest.raises(ValueError, match=words) as info:
        as_float_array(bad, "x")
    assert len(str(info.value)) < 200  # a long input is cut in the message


def test_as_float_array_refuses_non_finite_only_when_asked():
    assert np.isnan(as_float_array([np.nan], "x")[0])
    with pytest.raises(ValueError, match="finite numbers; got NaN or ±inf in K"):
        as_float_array([[1.0, np.inf]], "K", finite=True)


def test_as_float_array_gives_float64():
    out = as_float_array([[1, 2]], "x")
    assert out.dtype == np.float64 and out.shape == (1, 2)


@pytest.mark.parametrize("bad", [0, -1, 1.0, 1.5, True, None, "2", np.float64(2)])
def test_whole_number_refuses_anything_but_a_whole_number_at_least_the_least(bad):
    with pytest.raises(ValueError, match="must be a whole number ≥ 1; got n = "):
        whole_number(bad, "n")


def test_whole_number_accepts_ints_and_numpy_ints():
    assert whole_number(3, "n") == 3 and whole_number(np.int64(0), "n", least=0) == 0


def test_first_non_finite_names_the_first_bad_entry_in_row_major_order():
    from helpers.shapes import first_non_finite

    a = np.array([[1.0, 2.0], [np.inf, np.nan]])
    where, value = first_non_finite(a)
    assert where == (1, 0) and value == np.inf
    assert first_non_finite(np.array([[1.0, -2.0]])) is None
    assert first_non_finite(np.array([np.nan]))[0] == (0,)


def test_as_float_array_finite_names_the_entry_it_refuses():
    from helpers.shapes import as_float_array

    with pytest.raises(ValueError, match=r"got NaN or ±inf in K of shape \(2, 2\) \(K\[0, 1\] = nan\)"):
        as_float_array([[1.0, float("nan")], [2.0, 3.0]], "K", finite=True)
