"""Notebook 04: the gradient passed back to the layer's input, column convention.

    dL/dx = Wᵀ · dL/dz        (n, m)(m, k) = (n, k)     ∂L/∂x_j = Σ_i W_ij ∂L/∂z_i

Each input x_j feeds every output z_i (through W_ij), so its gradient sums what comes back
from all of them: that fan-out sum is the product with Wᵀ. With W instead of Wᵀ the shapes
do not fit unless W is square, and then the answer is silently wrong.
"""
from .activation_grad import activation_backward
from .forward import finite, no_overflow
from .shapes import as_columns, as_matrix, dims
from .weight_grad import bias_gradient, weight_gradient


def input_gradient(W, dL_dz):
    """Gradient of the input of ``z = W @ x + b``: ``dL_dx = W.T @ dL_dz``.

    Pairs with ``helpers.forward.dense_forward``; ``dL_dx`` is the upstream gradient ∂L/∂a
    of the layer before.

    Args:
        W: (m, n) the layer's weights.
        dL_dz: (m, k) gradient of the loss with respect to z, one column per example.

    Returns:
        dL_dx: (n, k), ∂L/∂x_jc = Σ_i W_ij ∂L/∂z_ic.

    Raises:
        ValueError naming the shapes, e.g. "W is 4×3, so dL_dz needs 4 rows; got dL_dz of shape (3, 1)";
        for NaN, ±inf or complex entries; if the product overflows float64.
    """
    W = as_matrix(finite(W, "W"), "W")
    dL_dz = as_columns(finite(dL_dz, "dL_dz"), "dL_dz", W.shape[0], f"W is {dims(W.shape)}, so dL_dz")
    return no_overflow("dL_dx = W.T @ dL_dz", lambda: W.T @ dL_dz)


def dense_backward(dL_da, z, x, W, activation="sigmoid"):
    """The whole backward pass of one dense layer, the pair of ``dense_forward``.

    The four rules (notebooks 02-04), for ``z = W @ x + b`` and ``a = σ(z)``:

        dL_dz = dL_da ⊙ σ'(z)        (m, k)
        dL_dW = dL_dz @ x.T          (m, n)
        dL_db = Σ_columns dL_dz      (m, 1)
        dL_dx = W.T @ dL_dz          (n, k)   the dL_da of the layer before

    Args:
        dL_da: (m, k) upstream gradient.   z: (m, k) saved pre-activations.
        x: (n, k) the layer's input.       W: (m, n) its weights.
        activation: the σ used in the forward pass.

    Returns:
        (dL_dz, dL_dW, dL_db, dL_dx) with the shapes above.

    Raises:
        ValueError naming the shapes when they do not fit together, for NaN, ±inf or complex entries,
        or a product that overflows float64.
    """
    W = as_matrix(finite(W, "W"), "W")
    x = as_columns(finite(x, "x"), "x", W.shape[1], f"W is {dims(W.shape)}, so x")  # else dL_dW would not fit W
    dL_dz = activation_backward(dL_da, z, activation)
    return dL_dz, weight_gradient(dL_dz, x), bias_gradient(dL_dz), input_gradient(W, dL_dz)
