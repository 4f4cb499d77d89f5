"""Finite-difference gradient checks: the referee for every gradient in the series.

    ∂f/∂x_i ≈ (f(x + ε e_i) − f(x − ε e_i)) / (2ε)        (central differences)

    relative error = max|a − b| / max(tiny, max|a| + max|b|)

In float64 with ε = 1e-6, a correct analytic gradient agrees to a relative error below
1e-7 (usually near 1e-10); a wrong one (a missing σ', W where Wᵀ belongs) is off by
something like 1e-2 or more.
"""
import numpy as np

GOOD = 1e-7  # below this, in float64, analytic and numerical gradients agree


def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of the scalar function ``f`` with respect to every entry of ``x``.

    Args:
        f: called as ``f(x)`` and returns a scalar. ``x`` is nudged in place, so ``f`` may
            also ignore its argument and read the same array from a closure.
        x: float ndarray of any shape (e.g. W, (m, n)). Restored exactly afterwards.
        eps: the step ε.

    Returns:
        An array shaped like ``x``: entry i is (f(x + ε e_i) − f(x − ε e_i)) / (2ε).
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise ValueError(
            "x must be a float numpy array (it is nudged in place); "
            f"got {type(x).__name__} of dtype {getattr(x, 'dtype', None)}"
        )
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        try:
            x[i] = old + eps
            f_plus = f(x)
            x[i] = old - eps
            f_minus = f(x)
        finally:
            x[i] = old
        if np.ndim(f_plus) != 0:
            raise ValueError(f"f must return a scalar loss; got an array of shape {np.shape(f_plus)}")
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b):
    """max|a − b| / max(tiny, max|a| + max|b|) for two arrays of the same shape."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(
            f"cannot compare gradients of different shapes: got {a.shape} and {b.shape}"
        )
    if a.size == 0:
        return 0.0
    scale = max(np.finfo(float).tiny, np.max(np.abs(a)) + np.max(np.abs(b)))
    return float(np.max(np.abs(a - b)) / scale)


def gradient_check(name, analytic, numeric, threshold=GOOD):
    """Print one line comparing an analytic gradient with a numerical one; return the error.

    Example line: ``dL/dW  relative error 3.2e-11 < 1e-07  ✓ agree``.
    """
    err = relative_error(analytic, numeric)
    verdict = f"< {threshold:.0e}  ✓ agree" if err < threshold else f">= {threshold:.0e}  ✗ DISAGREE"
    print(f"{name:<8} relative error {err:.1e} {verdict}")
    return err
