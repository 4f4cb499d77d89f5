"""Finite-difference gradient checks: the referee for every gradient in the series.

    ∂f/∂x_i ≈ (f(x + ε e_i) − f(x − ε e_i)) / (2ε)        (central differences)

    relative error = max|a − b| / max(tiny, max|a| + max|b|)

In float64 with ε = 1e-6, a correct analytic gradient agrees to a relative error below
1e-7 (usually near 1e-10); a wrong one (a missing σ', W where Wᵀ belongs) is off by
something like 1e-2 or more. Why ε = 1e-6: the central difference's truncation error is about
ε²·|f⁽³⁾|/6 (~1e-13 here) and its rounding error about 1e-16·|f|/ε (~1e-10 here); a much smaller
ε drowns the slope in rounding, a much larger one in truncation.

Only float64 works: in float32 (about 7 significant digits) a nudge of 1e-6 changes f by less
than f's own rounding, and in float16 x + 1e-6 rounds back to x (every slope comes out 0), so
``numerical_gradient`` refuses anything but a float64 array.
"""
import numbers

import numpy as np

from .shapes import as_float_array

GOOD = 1e-7  # below this, in float64, analytic and numerical gradients agree


def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of the scalar function ``f`` with respect to every entry of ``x``.

    Args:
        f: called as ``f(x)`` and returns a scalar. ``x`` is nudged in place, so ``f`` may
            also ignore its argument and read the same array from a closure.
        x: float64 ndarray of any shape (e.g. W, (m, n)). Restored exactly afterwards.
        eps: the step ε, a positive number.

    Returns:
        An array shaped like ``x``: entry i is (f(x + ε e_i) − f(x − ε e_i)) / (2ε).

    Raises:
        ValueError if ``x`` is not a writeable float64 array of finite numbers (float16/float32 give
        wrong slopes: convert with ``x.astype(float)``; integers cannot be nudged), if ``eps`` is not a
        positive finite number, if an entry of ``x`` is so large that ``x ± eps`` rounds away the step
        (|x| ≳ 1e7 for ε = 1e-6 in float64's 16 digits: the slope would come out wrong or 0), or if
        ``f`` returns something other than one finite real number.
    """
    if not callable(f):
        raise ValueError(f"f must be a function of x returning the loss; got f of type {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        advice = (": use x.astype(float), since a nudge of 1e-6 is lost in its rounding"
                  if isinstance(x, np.ndarray) and x.dtype.kind == "f" else "")
        raise ValueError(
            "x must be a float64 numpy array (it is nudged in place); "
            f"got {type(x).__name__} of dtype {getattr(x, 'dtype', None)}{advice}"
        )
    if (isinstance(eps, bool) or not isinstance(eps, numbers.Real) or not np.isfinite(eps)
            or eps <= 0):
        raise ValueError(f"eps must be a positive number (the step ε, e.g. 1e-6); got eps={eps!r}")
    if not x.flags.writeable:
        raise ValueError("x must be a writeable array (it is nudged in place); got a read-only one: "
                         "pass a copy, x.copy()")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x must hold finite numbers; got NaN or ±inf in x of shape {x.shape}")
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        if abs(((old + eps) - (old - eps)) - 2 * eps) > 1e-3 * eps:
            raise ValueError(
                f"eps={eps:g} is lost in the rounding of x{list(i)} = {old:g} (float64 keeps about 16 "
                f"significant digits, so x ± eps is not a step of eps there); use a larger eps, "
                f"e.g. eps={1e-6 * abs(old):.0e}")
        try:
            x[i] = old + eps
            f_plus = f(x)
            x[i] = old - eps
            f_minus = f(x)
        finally:
            x[i] = old
        for value in (f_plus, f_minus):
            if np.ndim(value) != 0:
                raise ValueError(f"f must return a scalar loss; got an array of shape {np.shape(value)}")
            if np.iscomplexobj(value) or not np.isfinite(value):
                raise ValueError(f"f must return a finite real number; got {value!r} at index {i}")
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b):
    """max|a − b| / max(tiny, max|a| + max|b|) for two arrays of the same shape.

    Raises:
        ValueError for arrays of different shapes, or holding NaN, ±inf or complex entries (a NaN
        gradient is a bug to report, not a number to compare).
    """
    a = as_float_array(a, "the first gradient", finite=True)
    b = as_float_array(b, "the second gradient", finite=True)
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

    Args:
        name: the gradient's name, a string (e.g. "dL/dW").
        analytic, numeric: arrays of the same shape (the derived and the finite-difference gradient).
        threshold: a positive number; below it the two agree.

    Raises:
        ValueError for a name that is not a string, a threshold that is not a positive number, or
        gradients ``relative_error`` refuses.
    """
    if not isinstance(name, str):
        raise ValueError(f"name must be a string naming the gradient, e.g. 'dL/dW'; got name={name!r}")
    if (isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not np.isfinite(threshold)
            or threshold <= 0):
        raise ValueError(f"threshold must be a positive number (e.g. 1e-7); got threshold={threshold!r}")
    err = relative_error(analytic, numeric)
    verdict = f"< {threshold:.0e}  ✓ agree" if err < threshold else f">= {threshold:.0e}  ✗ DISAGREE"
    print(f"{name:<8} relative error {err:.1e} {verdict}")
    return err
