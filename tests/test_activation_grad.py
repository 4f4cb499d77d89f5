import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.activation_grad import activation_backward
from helpers.activations import get_activation
from helpers.gradcheck import numerical_gradient
from support import assert_gradients_agree


def loss_through(activation, z, g):
    """L = Σ g ⊙ σ(z): its gradient dL/da is g, so dL/dz must be g ⊙ σ'(z)."""
    return float(np.sum(g * get_activation(activation).f(z)))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "identity"])
@given(m=st.integers(1, 5), k=st.integers(1, 4), seed=st.integers(0, 10_000))
def test_agrees_with_finite_differences(activation, m, k, seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(m, k))
    z[np.abs(z) < 1e-3] = 0.5  # keep away from relu's kink
    g = rng.normal(size=(m, k))
    numeric = numerical_gradient(lambda z_: loss_through(activation, z_, g), z)
    assert_gradients_agree(activation_backward(g, z, activation), numeric)


def test_equals_the_diagonal_jacobian_product():
    rng = np.random.default_rng(1)
    z, g = rng.normal(size=(6, 1)), rng.normal(size=(6, 1))
    J = np.zeros((6, 6))  # ∂a_i/∂z_j, by finite differences, column by column
    for j in range(6):
        J[:, j] = numerical_gradient(lambda z_: float(get_activation("tanh").f(z_)[j, 0]), z).ravel()
    J = J.T  # row i: ∂a_i/∂z
    np.testing.assert_allclose(J, np.diag(np.diag(J)), atol=1e-9)  # diagonal
    np.testing.assert_allclose(activation_backward(g, z, "tanh"), J.T @ g, rtol=1e-6)


def test_entry_by_entry_scalar_chain_rule():
    z = np.array([[-1.0], [0.0], [2.0]])
    g = np.array([[2.0], [3.0], [-1.0]])
    s = 1 / (1 + np.exp(-z))
    for i in range(3):
        assert activation_backward(g, z)[i, 0] == pytest.approx(g[i, 0] * s[i, 0] * (1 - s[i, 0]))


def test_relu_blocks_where_z_is_negative():
    z = np.array([[-2.0, 1.0], [0.5, -0.1]])
    g = np.full((2, 2), 7.0)
    np.testing.assert_array_equal(activation_backward(g, z, "relu"), [[0.0, 7.0], [7.0, 0.0]])


@pytest.mark.parametrize("g_shape", [(3, 1), (1, 3), (3,), (3, 2)])
def test_refuses_to_broadcast(g_shape):
    z = np.zeros((3, 1)) if g_shape != (3, 1) else np.zeros((3, 2))
    with pytest.raises(ValueError, match=rf"dL_da and z must have the same shape.*got dL_da of shape {re_shape(g_shape)} and z of shape {re_shape(z.shape)}"):
        activation_backward(np.ones(g_shape), z)


def re_shape(shape):
    return str(tuple(shape)).replace("(", r"\(").replace(")", r"\)")


def test_unknown_activation_and_inputs_untouched():
    z, g = np.ones((2, 1)), np.ones((2, 1))
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        activation_backward(g, z, "softmax")
    activation_backward(g, z)
    np.testing.assert_array_equal(z, np.ones((2, 1)))
    np.testing.assert_array_equal(g, np.ones((2, 1)))
