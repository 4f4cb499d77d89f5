"""Notebook 01: the forward pass of one dense layer, column convention.

    z = W x + b        W: (m, n)   x: (n, k)   b: (m, 1)   z: (m, k)
    a = σ(z)                                               a: (m, k)

Entry by entry, z_i = Σ_j W_ij x_j + b_i. With k examples as the columns of x, the
bias column b is added to every column of W x.
"""
from .activations import get_activation
from .shapes import as_bias_column, as_columns, as_matrix, dims


def dense_forward(W, b, x, activation="sigmoid"):
    """Forward pass of one dense layer: ``z = W @ x + b`` and ``a = σ(z)``.

    Args:
        W: (m, n) weights; row i holds the weights into output i.
        b: (m, 1) bias column (a 1-D array of length m is read as that column).
        x: (n, 1) input column, or (n, k) with k examples as columns.
        activation: "sigmoid", "tanh", "relu" or "identity".

    Returns:
        (z, a), both (m, k): the pre-activation z = W x + b and the activation a = σ(z).

    Raises:
        ValueError naming the shapes, e.g. "W is 4×3, so x needs 3 rows; got x of shape (2, 1)".
    """
    act = get_activation(activation)
    W = as_matrix(W, "W")
    m, n = W.shape
    x = as_columns(x, "x", n, f"W is {dims(W.shape)}, so x")
    b = as_bias_column(b, m, f"W is {dims(W.shape)}, so b")
    z = W @ x + b
    return z, act.f(z)
