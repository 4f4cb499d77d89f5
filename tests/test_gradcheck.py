import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.gradcheck import GOOD, gradient_check, numerical_gradient, relative_error


@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 10_000))
def test_gradient_of_a_quadratic_form(m, n, seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(m, m))
    X = rng.normal(size=(m, n))
    num = numerical_gradient(lambda X_: float(np.sum(X_ * (A @ X_))), X)
    assert relative_error(num, (A + A.T) @ X) < 1e-8


def test_x_is_left_exactly_unchanged_even_if_f_raises():
    x = np.array([[0.1, 0.2], [0.3, 0.4]])
    before = x.copy()
    numerical_gradient(lambda v: float(np.sum(np.sin(v))), x)
    np.testing.assert_array_equal(x, before)

    def boom(v):
        raise RuntimeError("f failed")

    with pytest.raises(RuntimeError):
        numerical_gradient(boom, x)
    np.testing.assert_array_equal(x, before)


def test_closure_style_f_sees_the_nudge():
    W = np.array([[1.0, 2.0]])
    num = numerical_gradient(lambda _: float(np.sum(W**2)), W)
    np.testing.assert_allclose(num, 2 * W, rtol=1e-8)


def test_refuses_integer_arrays_and_vector_valued_f():
    with pytest.raises(ValueError, match="float64 numpy array"):
        numerical_gradient(lambda v: 0.0, np.array([1, 2]))
    with pytest.raises(ValueError, match=r"scalar loss; got an array of shape \(2,\)"):
        numerical_gradient(lambda v: v * 2, np.array([1.0, 2.0]))


def test_relative_error_definition():
    a, b = np.array([1.0, -2.0]), np.array([1.0, -2.5])
    assert relative_error(a, b) == pytest.approx(0.5 / (2.0 + 2.5))
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    with pytest.raises(ValueError, match=r"different shapes: got \(2,\) and \(3,\)"):
        relative_error(np.zeros(2), np.zeros(3))


def test_gradient_check_prints_a_verdict(capsys):
    good = gradient_check("dL/dW", np.ones(3), np.ones(3) * (1 + 1e-10))
    assert good < GOOD
    bad = gradient_check("dL/dx", np.ones(3), np.array([1.0, 2.0, 1.0]))
    assert bad > GOOD
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("dL/dW") and lines[0].endswith("✓ agree")
    assert lines[1].startswith("dL/dx") and lines[1].endswith("✗ DISAGREE")


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_low_precision_arrays_are_refused_not_answered_wrongly(dtype):
    # float16: x + 1e-6 rounds back to x, every slope came out 0; float32: off by percents
    x = np.array([0.3, -1.2, 2.0], dtype=dtype)
    with pytest.raises(ValueError, match=rf"float64.*got ndarray of dtype {np.dtype(dtype).name}.*astype\(float\)"):
        numerical_gradient(lambda v: float(np.sum(v**2)), x)


@pytest.mark.parametrize("eps", [0, -1e-6, np.inf, np.nan, "1e-6", True])
def test_eps_must_be_a_positive_number(eps):
    with pytest.raises(ValueError, match="eps must be a positive number"):
        numerical_gradient(lambda v: float(np.sum(v)), np.ones(2), eps=eps)


@pytest.mark.parametrize("value", [np.nan, np.inf, 1 + 2j])
def test_a_loss_that_is_not_a_finite_real_number_is_refused(value):
    with pytest.raises(ValueError, match="finite real number"):
        numerical_gradient(lambda v: value, np.ones(2))


def test_f_must_be_a_function():
    with pytest.raises(ValueError, match="f must be a function of x returning the loss; got f of type float"):
        numerical_gradient(1.0, np.ones(2))


@pytest.mark.parametrize("big", [1e8, -3e12, 1e300])
def test_an_entry_too_large_for_the_step_is_refused_not_given_slope_zero(big):
    # float64 x = 1e12: x + 1e-6 rounds to x, so the central difference of f(x) = x came out 0, not 1
    x = np.array([1.0, big])
    with pytest.raises(ValueError, match=r"eps=1e-06 is lost in the rounding of x\[1\]"):
        numerical_gradient(lambda x_: float(np.sum(x_)), x)
    assert np.allclose(numerical_gradient(lambda x_: float(np.sum(x_)), x, eps=abs(big) * 1e-6), 1.0)


def test_large_but_honest_entries_still_work():
    x = np.array([1e6, -2e6])
    assert np.allclose(numerical_gradient(lambda x_: float(np.sum(x_)), x), 1.0, rtol=1e-3)


def test_read_only_and_non_finite_x_are_refused_with_a_message():
    x = np.ones(3)
    x.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        numerical_gradient(lambda x_: float(np.sum(x_)), x)
    for bad in (np.nan, np.inf):
        with pytest.raises(ValueError, match="finite numbers"):
            numerical_gradient(lambda x_: 0.0, np.array([1.0, bad]))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_relative_error_refuses_nan_and_inf_instead_of_a_nan_or_a_warning(bad):
    # inf in a gradient once gave inf/inf: a RuntimeWarning and a NaN verdict
    with pytest.raises(ValueError, match="finite numbers"):
        relative_error(np.array([1.0, bad]), np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="finite numbers"):
        gradient_check("dL/dW", np.array([1.0, 2.0]), np.array([bad, 2.0]))


@pytest.mark.parametrize("name, threshold", [(np.array([1.0]), GOOD), (None, GOOD), ("dL/dW", np.nan),
                                             ("dL/dW", -1e-7), ("dL/dW", "1e-7"), ("dL/dW", True), ("dL/dW", 0)])
def test_gradient_check_names_a_bad_name_or_threshold(name, threshold):
    # once: TypeError "unsupported format string passed to numpy.ndarray.__format__", or "≥ nan ✗"
    with pytest.raises(ValueError, match="name must be a string|threshold must be a positive number"):
        gradient_check(name, np.ones(2), np.ones(2), threshold)
