import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.activations import sigmoid
from helpers.forward import dense_forward


def layer(m, n, k, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(m, n)), rng.normal(size=(m, 1)), rng.normal(size=(n, k))


def test_entry_by_entry_definition():
    W, b, x = layer(4, 3, 1)
    z, a = dense_forward(W, b, x)
    for i in range(4):
        z_i = sum(W[i, j] * x[j, 0] for j in range(3)) + b[i, 0]
        assert z[i, 0] == pytest.approx(z_i)
    np.testing.assert_allclose(a, sigmoid(z))


@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 5), st.integers(0, 1000))
def test_batch_equals_each_column_alone(m, n, k, seed):
    W, b, X = layer(m, n, k, seed)
    Z, A = dense_forward(W, b, X, "tanh")
    assert Z.shape == A.shape == (m, k)
    for c in range(k):
        z, a = dense_forward(W, b, X[:, [c]], "tanh")
        np.testing.assert_allclose(Z[:, [c]], z, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(A[:, [c]], a, rtol=1e-12, atol=1e-12)


def test_one_dimensional_bias_is_a_column_even_for_a_square_batch():
    # the classic trap: x is 3×3 (3 examples), b is 1-D; b + (W@x) would add b along rows
    W, b, X = layer(3, 3, 3)
    z_col, _ = dense_forward(W, b, X)
    z_1d, _ = dense_forward(W, b.ravel(), X)
    np.testing.assert_array_equal(z_1d, z_col)
    np.testing.assert_allclose(z_1d[:, 0], W @ X[:, 0] + b.ravel())
    assert not np.allclose(z_1d, W @ X + b.ravel())  # what silent broadcasting would have given


def test_wrong_x_rows_names_the_shapes():
    W, b, _ = layer(4, 3, 1)
    with pytest.raises(ValueError, match=r"^W is 4×3, so x needs 3 rows; got x of shape \(2, 1\)$"):
        dense_forward(W, b, np.ones((2, 1)))


def test_flat_x_is_refused_with_the_fix():
    W, b, _ = layer(4, 3, 1)
    with pytest.raises(ValueError, match=r"x must be a column of shape \(3, 1\).*got x of shape \(3,\).*reshape"):
        dense_forward(W, b, np.ones(3))


@pytest.mark.parametrize("bad_b", [np.ones((1, 4)), np.ones((3, 1)), np.ones(3), np.ones((4, 2))])
def test_wrong_bias_names_the_shapes(bad_b):
    W, _, x = layer(4, 3, 2)
    with pytest.raises(ValueError, match=rf"W is 4×3, so b needs shape \(4, 1\) \(or 4 entries\); got b of shape {re_shape(bad_b.shape)}"):
        dense_forward(W, bad_b, x)


def re_shape(shape):
    return str(shape).replace("(", r"\(").replace(")", r"\)")


def test_W_must_be_a_matrix_and_activation_known():
    with pytest.raises(ValueError, match=r"W must be a 2-D matrix; got W of shape \(3,\)"):
        dense_forward(np.ones(3), np.ones(1), np.ones((3, 1)))
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        dense_forward(np.ones((1, 1)), np.ones(1), np.ones((1, 1)), "softplus")


def test_inputs_are_not_modified():
    W, b, x = layer(2, 3, 2)
    copies = [W.copy(), b.copy(), x.copy()]
    dense_forward(W, b, x, "relu")
    for before, after in zip(copies, [W, b, x]):
        np.testing.assert_array_equal(before, after)
