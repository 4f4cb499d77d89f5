import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.gradcheck import numerical_gradient
from helpers.weight_grad import bias_gradient, weight_gradient
from support import assert_gradients_agree

dims = st.integers(1, 5)


def layer(m, n, k, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(m, n)), rng.normal(size=(m, 1)), rng.normal(size=(n, k)), rng.normal(size=(m, k))


@given(dims, dims, dims, st.integers(0, 10_000))
def test_agrees_with_finite_differences(m, n, k, seed):
    """L = Σ G ⊙ (W X + b): its dL/dZ is G, whatever the numbers."""
    W, b, X, G = layer(m, n, k, seed)
    loss = lambda _: float(np.sum(G * (W @ X + b)))  # noqa: E731 (reads W and b as nudged)
    assert_gradients_agree(weight_gradient(G, X), numerical_gradient(loss, W), "dL/dW")
    assert_gradients_agree(bias_gradient(G), numerical_gradient(loss, b), "dL/db")


@given(dims, dims, dims, st.integers(0, 10_000))
def test_batch_is_the_sum_of_per_example_outer_products(m, n, k, seed):
    _, _, X, G = layer(m, n, k, seed)
    dW = weight_gradient(G, X)
    assert dW.shape == (m, n)
    np.testing.assert_allclose(dW, sum(np.outer(G[:, c], X[:, c]) for c in range(k)), atol=1e-12)
    np.testing.assert_allclose(dW, sum(weight_gradient(G[:, [c]], X[:, [c]]) for c in range(k)), atol=1e-12)
    db = bias_gradient(G)
    assert db.shape == (m, 1)
    np.testing.assert_allclose(db, sum(G[:, [c]] for c in range(k)), atol=1e-12)


def test_entry_ij_is_error_at_output_i_times_input_j():
    g = np.array([[2.0], [-1.0]])
    x = np.array([[3.0], [0.0], [0.5]])
    dW = weight_gradient(g, x)
    for i in range(2):
        for j in range(3):
            assert dW[i, j] == g[i, 0] * x[j, 0]
    assert np.all(dW[:, 1] == 0)  # a zero input zeroes its whole column
    np.testing.assert_array_equal(bias_gradient(g), g)  # one example: the bias gets dL/dz unchanged


def test_different_batch_sizes_name_the_shapes():
    with pytest.raises(ValueError, match=r"same number k of columns; got dL_dz of shape \(4, 2\) and x of shape \(3, 1\)"):
        weight_gradient(np.ones((4, 2)), np.ones((3, 1)))


def test_flat_vectors_are_refused_not_outer_multiplied():
    with pytest.raises(ValueError, match=r"dL_dz must be a 2-D matrix; got dL_dz of shape \(4,\)"):
        weight_gradient(np.ones(4), np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"x must be a 2-D matrix; got x of shape \(3,\)"):
        weight_gradient(np.ones((4, 1)), np.ones(3))
    with pytest.raises(ValueError, match=r"dL_dz must be a 2-D matrix"):
        bias_gradient(np.ones(4))
