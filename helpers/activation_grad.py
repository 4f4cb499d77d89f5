"""Notebook 02: backprop through the activation, a = σ(z), column convention.

    dL/dz = dL/da ⊙ σ'(z)          dL/da, z, dL/dz: all (m, k)

Entry by entry, ∂L/∂z_i = ∂L/∂a_i · σ'(z_i): a_i depends on z_i alone, so the Jacobian
∂a/∂z is the diagonal matrix diag(σ'(z)) and Jᵀ·(dL/da) = diag(σ'(z))·(dL/da) = dL/da ⊙ σ'(z).
Nobody builds that m×m matrix: the element-wise product gives the same numbers with m
multiplications instead of m².
"""
from .activations import get_activation
from .forward import finite
from .shapes import same_shape


def activation_backward(dL_da, z, activation="sigmoid"):
    """Backward pass through ``a = σ(z)``: ``dL_dz = dL_da * σ'(z)`` (Hadamard product).

    Pairs with ``helpers.forward.dense_forward`` (which returns ``z`` and ``a = σ(z)``).

    Args:
        dL_da: (m, k) upstream gradient ∂L/∂a, one column per example.
        z: (m, k) pre-activations the forward pass saved.
        activation: "sigmoid", "tanh", "relu" or "identity" (the σ of the forward pass).

    Returns:
        dL_dz: (m, k), ∂L/∂z_i = ∂L/∂a_i · σ'(z_i) entry by entry.

    Raises:
        ValueError if dL_da and z differ in shape (nothing is broadcast), hold NaN, ±inf or complex
        entries, or the activation is unknown.
    """
    act = get_activation(activation)
    dL_da = finite(dL_da, "dL_da")
    z = finite(z, "z")
    same_shape(dL_da, z, "dL_da", "z")
    return dL_da * act.prime(z)
