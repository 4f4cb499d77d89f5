"""Notebook 03: the gradients of the parameters of z = Wx + b, column convention.

    dL/dW = dL/dz · xᵀ       (m, k)(k, n) = (m, n)     ∂L/∂W_ij = Σ_c ∂L/∂z_ic · x_jc
    dL/db = Σ_c dL/dz[:, c]  (m, 1)                    ∂L/∂b_i  = Σ_c ∂L/∂z_ic

For one example (k = 1) dL/dW is the outer product of the output error ∂L/∂z (m×1) with the
input x (n×1): "error at the output times the value at the input", and dL/db = dL/dz (the
bias receives the gradient unchanged). For k examples as columns, dL/dz · xᵀ is the sum of
the k per-example outer products, and the bias gradient sums the k columns (b is added to
every column in the forward pass).
"""
from .forward import finite, no_overflow
from .shapes import as_matrix


def weight_gradient(dL_dz, x):
    """Gradient of the weights of ``z = W @ x + b``: ``dL_dW = dL_dz @ x.T``.

    Pairs with ``helpers.forward.dense_forward`` (forward) and ``input_gradient`` (the
    gradient passed on to the layer before).

    Args:
        dL_dz: (m, k) gradient of the loss with respect to z, one column per example.
        x: (n, k) the layer's input, the same k examples as columns.

    Returns:
        dL_dW: (m, n) = Σ_c dL_dz[:, c] x[:, c]ᵀ, the sum of the k outer products.

    Raises:
        ValueError naming the shapes if dL_dz and x do not have the same number k of columns; for
        NaN, ±inf or complex entries; if the product overflows float64.
    """
    dL_dz = as_matrix(finite(dL_dz, "dL_dz"), "dL_dz")
    x = as_matrix(finite(x, "x"), "x")
    if dL_dz.shape[1] != x.shape[1]:
        raise ValueError(
            "dL_dz and x need one column per example, the same number k of columns; "
            f"got dL_dz of shape {dL_dz.shape} and x of shape {x.shape}"
        )
    return no_overflow("dL_dW = dL_dz @ x.T", lambda: dL_dz @ x.T)


def bias_gradient(dL_dz):
    """Gradient of the bias of ``z = W @ x + b``: ``dL_db = dL_dz.sum(axis=1, keepdims=True)``.

    Args:
        dL_dz: (m, k) gradient of the loss with respect to z, one column per example.

    Returns:
        dL_db: (m, 1), ∂L/∂b_i = Σ_c ∂L/∂z_ic (for k = 1 simply dL/dz).

    Raises:
        ValueError if dL_dz is not a matrix (a flat vector is refused: write it as a column), holds
        NaN, ±inf or complex entries, or its sum overflows float64.
    """
    dL_dz = as_matrix(finite(dL_dz, "dL_dz"), "dL_dz")
    return no_overflow("dL_db = the sum of dL_dz's columns", lambda: dL_dz.sum(axis=1, keepdims=True))
