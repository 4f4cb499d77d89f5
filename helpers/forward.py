"""Notebook 01: the forward pass of one dense layer, column convention.

    z = W x + b        W: (m, n)   x: (n, k)   b: (m, 1)   z: (m, k)
    a = σ(z)                                               a: (m, k)

Entry by entry, z_i = Σ_j W_ij x_j + b_i. With k examples as the columns of x, the
bias column b is added to every column of W x.
"""
import numpy as np

from .activations import get_activation
from .shapes import as_bias_column, as_columns, as_float_array, as_matrix, dims


def finite(a, name):
    """``a`` as a float array of finite numbers: NaN, ±inf and complex entries are a ValueError naming
    ``name`` (a gradient or a forward pass built on them would be NaN or a numpy warning)."""
    return as_float_array(a, name, finite=True)


def no_overflow(what, compute):
    """``compute()`` (numpy arithmetic on finite inputs), or a ValueError if an entry of its result
    overflowed float64 (beyond about ±1.8e308) instead of an inf and a RuntimeWarning.

    ``what`` names the result in the message, e.g. ``"z = W @ x + b"``.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        result = compute()
    if not np.all(np.isfinite(result)):
        raise ValueError(f"{what} overflows: an entry is beyond float64's largest number (about 1.8e308); "
                         "the inputs are too large")
    return result


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
        ValueError naming the shapes, e.g. "W is 4×3, so x needs 3 rows; got x of shape (2, 1)";
        for NaN, ±inf or complex entries in W, b or x; if W @ x + b overflows float64.
    """
    act = get_activation(activation)
    W = as_matrix(finite(W, "W"), "W")
    m, n = W.shape
    x = as_columns(finite(x, "x"), "x", n, f"W is {dims(W.shape)}, so x")
    b = as_bias_column(finite(b, "b"), m, f"W is {dims(W.shape)}, so b")
    z = no_overflow("z = W @ x + b", lambda: W @ x + b)
    return z, act.f(z)
