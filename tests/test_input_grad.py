import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.activation_grad import activation_backward
from helpers.forward import dense_forward
from helpers.gradcheck import numerical_gradient
from helpers.input_grad import dense_backward, input_gradient
from helpers.weight_grad import bias_gradient, weight_gradient
from support import assert_gradients_agree

dims = st.integers(1, 5)


@given(dims, dims, dims, st.integers(0, 10_000))
def test_agrees_with_finite_differences(m, n, k, seed):
    rng = np.random.default_rng(seed)
    W, b, X, G = rng.normal(size=(m, n)), rng.normal(size=(m, 1)), rng.normal(size=(n, k)), rng.normal(size=(m, k))
    numeric = numerical_gradient(lambda X_: float(np.sum(G * (W @ X_ + b))), X)
    dX = input_gradient(W, G)
    assert dX.shape == (n, k)
    assert_gradients_agree(dX, numeric)


def test_fan_out_sum():
    W = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    g = np.array([[1.0], [-1.0], [2.0]])
    dx = input_gradient(W, g)
    for j in range(2):
        assert dx[j, 0] == sum(W[i, j] * g[i, 0] for i in range(3))


def test_square_W_without_transpose_is_wrong():
    W = np.array([[1.0, 2.0], [0.0, 1.0]])
    g = np.array([[1.0], [1.0]])
    assert not np.allclose(input_gradient(W, g), W @ g)  # the silent wrong answer a check must catch


def test_shape_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"^W is 4×3, so dL_dz needs 4 rows; got dL_dz of shape \(3, 1\)$"):
        input_gradient(np.ones((4, 3)), np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"dL_dz must be a column of shape \(4, 1\)"):
        input_gradient(np.ones((4, 3)), np.ones(4))
    with pytest.raises(ValueError, match=r"W must be a 2-D matrix"):
        input_gradient(np.ones(4), np.ones((4, 1)))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@given(dims, dims, dims, st.integers(0, 10_000))
def test_dense_backward_checks_every_gradient_of_a_layer(activation, m, n, k, seed):
    """L = ½‖σ(WX + b) − Y‖², differentiated numerically in W, b and X."""
    rng = np.random.default_rng(seed)
    W, b, X, Y = rng.normal(size=(m, n)), rng.normal(size=(m, 1)), rng.normal(size=(n, k)), rng.normal(size=(m, k))

    def loss(_):
        return 0.5 * float(np.sum((dense_forward(W, b, X, activation)[1] - Y) ** 2))

    z, a = dense_forward(W, b, X, activation)
    if activation == "relu" and np.min(np.abs(z)) < 1e-4:
        return  # a finite difference across relu's kink is meaningless
    dL_dz, dW, db, dX = dense_backward(a - Y, z, X, W, activation)
    np.testing.assert_array_equal(dL_dz, activation_backward(a - Y, z, activation))
    np.testing.assert_array_equal(dW, weight_gradient(dL_dz, X))
    np.testing.assert_array_equal(db, bias_gradient(dL_dz))
    for name, analytic, param in [("W", dW, W), ("b", db, b), ("X", dX, X)]:
        assert_gradients_agree(analytic, numerical_gradient(loss, param), name)


def test_dense_backward_refuses_an_input_that_does_not_fit_W():
    """x with the wrong number of rows would give a dL_dW of another shape than W."""
    W, z, dL_da = np.ones((4, 3)), np.zeros((4, 2)), np.ones((4, 2))
    with pytest.raises(ValueError, match=r"W is 4×3, so x needs 3 rows; got x of shape \(5, 2\)"):
        dense_backward(dL_da, z, np.ones((5, 2)), W)


W43 = np.array([[0.5, -0.2, 0.1], [0.3, 0.8, -0.5], [-0.6, 0.1, 0.4], [0.2, -0.3, 0.9]])
B4 = np.array([[0.1], [-0.2], [0.0], [0.3]])
X3 = np.array([[1.0], [2.0], [-1.0]])
D4 = np.array([[0.1], [-0.2], [0.3], [0.4]])

# every helper of notebooks 01-04, each argument in turn replaced by a bad one
CALLS = {
    "dense_forward": (dense_forward, [W43, B4, X3]),
    "activation_backward": (activation_backward, [D4, B4]),
    "weight_gradient": (weight_gradient, [D4, X3]),
    "bias_gradient": (bias_gradient, [D4]),
    "input_gradient": (input_gradient, [W43, D4]),
    "dense_backward": (dense_backward, [D4, B4, X3, W43]),
}


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("name", sorted(CALLS))
def test_nan_and_inf_entries_are_refused_naming_the_argument(name, bad):
    # once: NaN gradients without a word, and inf entries a RuntimeWarning "invalid value in matmul"
    fn, args = CALLS[name]
    for position in range(len(args)):
        spoilt = [a.copy() for a in args]
        spoilt[position][0, 0] = bad
        with pytest.raises(ValueError, match="finite numbers"):
            fn(*spoilt)


def test_products_that_overflow_float64_are_a_value_error_not_an_inf_and_a_warning():
    huge = np.full((4, 1), 1e308)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="overflows"):
            weight_gradient(huge, np.full((3, 1), 1e10))
        with pytest.raises(ValueError, match="overflows"):
            input_gradient(np.full((4, 3), 1e308), huge)
        with pytest.raises(ValueError, match="overflows"):
            bias_gradient(np.full((4, 2), 1e308))
        with pytest.raises(ValueError, match="overflows"):
            dense_forward(np.full((4, 3), 1e308), B4, np.full((3, 1), 10.0))
