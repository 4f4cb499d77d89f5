"""Self-check cells for the exercises: each prints a plain ✅ (right) or ❌ (not yet, and why).

They return nothing, so a self-check cell shows the verdict line and no stray ``True``/``False``.

    check_close("Z for the batch", Z, expected)   # shapes first, then values
    check_true("dL/dW passes the gradient check", err < 1e-7, hint="...")
"""
import numpy as np

RIGHT = "✅"
WRONG = "❌"


def check_true(what, ok, hint=""):
    """Print ✅ or ❌ for ``what``; on ❌ add ``hint``."""
    if ok:
        print(f"{RIGHT} {what}: correct.")
    else:
        print(f"{WRONG} {what}: not yet." + (f" {hint}" if hint else ""))


def check_close(what, got, expected, rtol=1e-6, atol=1e-9):
    """Compare the learner's array ``got`` with ``expected``; print ✅ or ❌ with the reason.

    The reason names the first thing that is off: no answer yet (``None`` or ``...``), the
    shape (got vs expected), or the largest difference and where it is.
    """
    check_true(what, *_compare(got, expected, rtol, atol))


def _compare(got, expected, rtol, atol):
    """(ok, hint) for the learner's ``got`` against ``expected``."""
    if got is None or got is Ellipsis:
        return False, "Replace the ... with your answer and run the cell again."
    expected = np.asarray(expected, dtype=float)
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False, f"Expected numbers; got {type(got).__name__}."
    if got.shape != expected.shape:
        return False, f"Shape {got.shape}, expected {expected.shape}."
    if np.allclose(got, expected, rtol=rtol, atol=atol):
        return True, ""
    diff = np.abs(got - expected)
    where = np.unravel_index(np.argmax(diff), diff.shape)
    return False, f"Largest difference {diff[where]:.3g} at index {tuple(int(i) for i in where)}."
