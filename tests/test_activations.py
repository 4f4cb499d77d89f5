import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers.activations import ACTIVATIONS, get_activation, relu_prime, sigmoid, sigmoid_prime, tanh_prime
from helpers.gradcheck import numerical_gradient

finite = st.floats(-30, 30, allow_nan=False)


def test_sigmoid_known_values():
    assert sigmoid(0.0) == 0.5
    np.testing.assert_allclose(sigmoid(np.array([-2.0, 2.0])), [1 / (1 + np.e**2), 1 / (1 + np.e**-2)], rtol=1e-15)


def test_sigmoid_has_the_minus_sign_the_seed_lost():
    # seed 001 writes 1/(1+exp(z)); the real sigmoid grows with z
    assert sigmoid(3.0) > 0.95
    assert sigmoid(-3.0) < 0.05


def test_sigmoid_is_stable_for_huge_inputs():
    z = np.array([-1e4, -800.0, -40.0, 40.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(z)
    assert np.all(np.isfinite(s))
    assert s[0] == 0.0 and s[-1] == 1.0
    assert s[2] == pytest.approx(np.exp(-40.0), rel=1e-12)  # tiny values keep full precision


@given(arrays(float, st.integers(1, 20), elements=finite))
def test_sigmoid_symmetry(z):
    np.testing.assert_allclose(sigmoid(z) + sigmoid(-z), 1.0, rtol=1e-12)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_prime_matches_finite_differences(name):
    act = get_activation(name)
    z = np.array([-2.5, -0.7, 0.3, 1.1, 4.0])  # away from relu's kink at 0
    for i in range(z.size):
        num = numerical_gradient(lambda v: float(act.f(v)[i]), z)
        assert num[i] == pytest.approx(act.prime(z)[i], rel=1e-6, abs=1e-9)


def test_derivative_ceilings():
    z = np.linspace(-10, 10, 2001)
    assert sigmoid_prime(z).max() == pytest.approx(0.25)
    assert tanh_prime(z).max() == pytest.approx(1.0)


def test_relu_prime_is_zero_at_zero_and_binary():
    assert relu_prime(0.0) == 0.0
    np.testing.assert_array_equal(relu_prime(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 1.0])


@given(arrays(float, st.tuples(st.integers(1, 4), st.integers(1, 4)), elements=finite))
def test_shapes_are_kept(z):
    for act in ACTIVATIONS.values():
        assert act.f(z).shape == z.shape
        assert act.prime(z).shape == z.shape


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown activation 'softmax'.*'sigmoid'.*'tanh'.*'relu'"):
        get_activation("softmax")


@pytest.mark.parametrize("z, expected", [
    (37.0, 8.533047625744065e-17),    # 1 − σ(37) rounds to 0 in float64
    (50.0, 1.9287498479639178e-22),
    (-50.0, 1.9287498479639178e-22),
    (0.3, 0.24445831169074586),
])
def test_sigmoid_prime_keeps_its_precision_in_the_tails(z, expected):
    # reference values from 50-digit decimal arithmetic
    assert sigmoid_prime(z) == pytest.approx(expected, rel=1e-13, abs=0)


@pytest.mark.parametrize("z, expected", [
    (20.0, 1.6993417021166355e-17),   # 1 − tanh(20)² rounds to 0 in float64
    (-20.0, 1.6993417021166355e-17),
    (0.3, 0.9151369618266292),
    (3.0, 0.00986603716544019),
])
def test_tanh_prime_keeps_its_precision_in_the_tails(z, expected):
    assert tanh_prime(z) == pytest.approx(expected, rel=1e-13, abs=0)


def test_derivatives_do_not_overflow_or_warn_far_out():
    z = np.array([-1e4, -800.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for prime in (sigmoid_prime, tanh_prime):
            assert np.all(prime(z) == 0.0)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_non_numbers_are_a_value_error(name):
    act = get_activation(name)
    for fn in (act.f, act.prime):
        with pytest.raises(ValueError, match="z must hold numbers"):
            fn("abc")


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_complex_input_is_refused_not_cut_to_its_real_part(name):
    act = get_activation(name)
    for fn in (act.f, act.prime):
        with pytest.raises(ValueError, match="complex"):
            fn(np.array([1.0 + 2.0j, 0.5]))


def test_derivatives_do_not_overflow_or_warn_at_the_largest_floats():
    # tanh' once computed e^(−2|z|) as exp(−2.0·|z|): −2·1e308 overflows to −inf with a RuntimeWarning
    z = np.array([-1.7e308, -1e308, 1e308, 1.7e308, -np.inf, np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ACTIVATIONS:
            if name in ("sigmoid", "tanh"):
                assert np.all(get_activation(name).prime(z) == 0.0)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_a_nan_stays_nan_through_every_derivative(name):
    # relu' once read NaN as 0 (NaN > 0 is False) and identity' as 1: a NaN silently dropped
    out = get_activation(name).prime(np.array([np.nan, 1.0]))
    assert np.isnan(out[0]) and out[1] > 0
    assert np.isnan(get_activation(name).prime(np.nan))
