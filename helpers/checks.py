"""Self-check cells for the exercises: each prints a plain ✅ (right) or ❌ (not yet, and why).

A self-check never raises and never accepts a wrong answer. Whatever the exercise cell left
behind (``...``, ``None``, a list, the wrong shape, a function that raises), the learner sees
one line: ✅, or ❌ with a hint that names what is off (the shape, a flipped sign, a
transpose, a constant factor, the largest difference). They return nothing, so a self-check
cell shows the verdict line and no stray ``True``/``False``.

    check_close("Z for the batch", Z, expected)            # an array: shape first, then values
    check_number("(1/4)^12", answer, 0.25 ** 12, digits=3)  # a number typed by hand, to 3 figures
    check_that("dL/dW passes the gradient check",          # any test, run safely: an exception
               lambda: relative_error(dW, numeric) < 1e-7,  # inside counts as ❌, with its message
               hint="Compare with numerical_gradient.")
    check_function("my_backward", my_backward, reference, cases)  # a function, on fresh copies
"""
import copy
import math

import numpy as np

RIGHT = "✅"
WRONG = "❌"
NOT_YET = "Replace the ... with your answer and run the cell again."


def _verdict(what, ok, hint=""):
    if ok:
        print(f"{RIGHT} {what}: correct.")
    else:
        print(f"{WRONG} {what}: not yet." + (f" {hint}" if hint else ""))


def _describe_error(err):
    return f"{type(err).__name__}: {err}".strip()


def check_true(what, ok, hint=""):
    """Print ✅ if ``ok`` is exactly true (``True``, ``np.True_``), else ❌ with ``hint``.

    Anything that is not a plain truth value (an array, ``...``, ``None``) counts as ❌, so an
    unfinished exercise or an ambiguous comparison never passes.
    """
    if ok is Ellipsis or ok is None:
        _verdict(what, False, NOT_YET)
        return
    truth = isinstance(ok, (bool, np.bool_)) and bool(ok)
    if not isinstance(ok, (bool, np.bool_)):
        hint = f"Expected True or False; got {type(ok).__name__}. " + hint
    _verdict(what, truth, hint.strip())


def check_that(what, test, hint=""):
    """Run ``test()`` (no arguments) and print ✅ if it returns True, else ❌.

    ``test`` may also return ``(ok, hint)``. If it raises (the learner's array has the wrong
    shape, their function is not defined yet…), the verdict is ❌ and the hint names the error.
    """
    try:
        result = test()
    except Exception as err:  # the learner's code may raise anything: never let it escape
        if "ellipsis" in str(err):  # a `...` still waiting for the answer
            _verdict(what, False, NOT_YET)
        else:
            _verdict(what, False, f"Your code raised {_describe_error(err)}. {hint}".strip())
        return
    own_hint = ""
    if isinstance(result, tuple) and len(result) == 2:
        result, own_hint = result
    check_true(what, result, " ".join(h for h in (own_hint, hint) if h))


def check_close(what, got, expected, rtol=1e-6, atol=1e-9):
    """Compare the learner's array ``got`` with ``expected`` (same shape, close values).

    Prints ✅, or ❌ naming the first thing that is off: no answer yet (``None`` or ``...``),
    not numbers, complex or NaN entries, the shape (got vs expected), or the values (with a
    diagnosis: transposed, sign flipped, off by a constant factor, or the largest difference).
    """
    try:
        ok, hint = _compare(got, expected, rtol, atol)
    except Exception as err:  # pragma: no cover (a last guard: _compare is meant not to raise)
        ok, hint = False, f"Could not read your answer ({_describe_error(err)})."
    _verdict(what, ok, hint)


def _as_real_array(got):
    """(array, None) for something that is an array of real numbers, else (None, hint)."""
    if got is None or got is Ellipsis:
        return None, NOT_YET
    if isinstance(got, (tuple, list)) and any(item is Ellipsis for item in got):
        return None, NOT_YET
    if callable(got) and not isinstance(got, np.ndarray):
        return None, f"Expected numbers; got a {type(got).__name__} (did you forget to call it?)."
    try:
        with np.errstate(all="ignore"):
            raw = np.asarray(got)
    except Exception:
        return None, f"Expected numbers; got {type(got).__name__}."
    if raw.dtype.kind == "c":
        return None, "Expected real numbers; got complex ones."
    if raw.dtype.kind in "US":
        return None, f"Expected numbers; got text ({type(got).__name__}): remove the quotes."
    try:
        return raw.astype(float), None
    except Exception:
        return None, f"Expected numbers; got {type(got).__name__}."


def _compare(got, expected, rtol, atol):
    """(ok, hint) for the learner's ``got`` against ``expected``."""
    got, hint = _as_real_array(got)
    if got is None:
        return False, hint
    expected = np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        if got.size == expected.size and got.ndim <= 2 and expected.ndim <= 2 and got.shape == expected.shape[::-1]:
            hint = " Is it transposed?" if np.allclose(got.T, expected, rtol=rtol, atol=atol) else ""
            return False, f"Shape {got.shape}, expected {expected.shape}.{hint}"
        return False, f"Shape {got.shape}, expected {expected.shape}."
    if not np.all(np.isfinite(got)):
        return False, "Your answer holds NaN or infinite entries."
    if np.allclose(got, expected, rtol=rtol, atol=atol):
        return True, ""
    if np.allclose(-got, expected, rtol=rtol, atol=atol):
        return False, "The sign is flipped."
    if got.ndim == 2 and got.shape[0] == got.shape[1] and np.allclose(got.T, expected, rtol=rtol, atol=atol):
        return False, "It is the transpose of the answer."
    factor = _constant_factor(got, expected)
    if factor is not None:
        return False, f"Off by a constant factor: yours is {factor:.4g} × the answer."
    diff = np.abs(got - expected)
    where = np.unravel_index(np.argmax(diff), diff.shape)
    return False, f"Largest difference {diff[where]:.3g} at index {tuple(int(i) for i in where)}."


def _constant_factor(got, expected):
    """c if got ≈ c·expected for one constant c ≠ 1 (a missing 1/k, a factor 2), else None."""
    nonzero = np.abs(expected) > 1e-12
    if not nonzero.any() or not np.all(np.abs(got[~nonzero]) <= 1e-12):
        return None
    ratios = got[nonzero] / expected[nonzero]
    c = float(np.median(ratios))
    if c == 0 or not np.allclose(got, c * expected, rtol=1e-6, atol=1e-12):
        return None
    return c


def check_number(what, got, expected, digits=3):
    """A number typed by hand, right to ``digits`` significant figures (``5.96e-8`` for 0.25**12).

    Accepts an int, a float, a numpy scalar or a one-entry array. Rejects an answer rounded to
    fewer figures than asked, a wrong power of ten, a flipped sign.
    """
    arr, hint = _as_real_array(got)
    if arr is None:
        _verdict(what, False, hint)
        return
    if arr.size != 1:
        _verdict(what, False, f"Expected one number; got an array of shape {arr.shape}.")
        return
    value, expected = float(arr.reshape(())), float(expected)
    if not math.isfinite(value):
        _verdict(what, False, f"Your answer is {value}.")
        return
    tolerance = 0.5 * 10 ** (math.floor(math.log10(abs(expected))) - digits + 1) if expected else 0.0
    if abs(value - expected) <= tolerance * (1 + 1e-9):
        _verdict(what, True)
    elif expected and value and math.copysign(1, value) != math.copysign(1, expected):
        _verdict(what, False, "The sign is flipped.")
    elif expected and value and abs(math.log10(abs(value / expected))) > 0.5:
        _verdict(what, False, f"{value:.3g} is off by about a factor of {value / expected:.3g}: check the power of ten.")
    else:
        _verdict(what, False, f"{value:.6g} is not right to {digits} significant figures.")


def check_function(what, learner_fn, reference_fn, cases, rtol=1e-6, atol=1e-9):
    """Call the learner's function and a reference on each case; ✅ if every output agrees.

    Args:
        learner_fn: what the learner wrote (may be ``...``, not callable, or raise).
        reference_fn: the right answer, called with the same arguments.
        cases: a list of argument tuples. Each call gets deep copies, so a function that
            changes its inputs in place cannot spoil the next call or the caller's arrays.

    Outputs are compared as arrays; a tuple of outputs is compared item by item.
    """
    if learner_fn is None or learner_fn is Ellipsis:
        _verdict(what, False, NOT_YET)
        return
    if not callable(learner_fn):
        _verdict(what, False, f"Expected a function; got {type(learner_fn).__name__}.")
        return
    for number, args in enumerate(cases, 1):
        expected = reference_fn(*copy.deepcopy(args))
        try:
            got = learner_fn(*copy.deepcopy(args))
        except Exception as err:
            if "ellipsis" in str(err):
                _verdict(what, False, NOT_YET)
            else:
                _verdict(what, False, f"On test case {number} your function raised {_describe_error(err)}.")
            return
        if got is None:
            _verdict(what, False, "Your function returned None: replace the ... in it, or add the missing `return`.")
            return
        if got is Ellipsis:
            _verdict(what, False, NOT_YET)
            return
        if isinstance(expected, tuple) and (not isinstance(got, (tuple, list)) or len(got) != len(expected)):
            _verdict(what, False, f"Return {len(expected)} things (a tuple); got {type(got).__name__}.")
            return
        pairs = list(zip(got, expected)) if isinstance(expected, tuple) else [(got, expected)]
        for item, (g, e) in enumerate(pairs, 1):
            try:
                ok, hint = _compare(g, e, rtol, atol)
            except Exception as err:  # pragma: no cover (a last guard: _compare is meant not to raise)
                ok, hint = False, f"Could not read your answer ({_describe_error(err)})."
            if not ok:
                which = f", output {item}" if len(pairs) > 1 else ""
                _verdict(what, False, f"Test case {number}{which}: {hint}")
                return
    _verdict(what, True)
