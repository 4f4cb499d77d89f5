r"""Step-throughs of a computation, one equation at a time: what a step is, in pure Python.

The widget that walks the steps (Prev / Next / Play, a step slider, sliders for the inputs)
is ``helpers.stepper_ui.Stepper``; this module holds what it shows, so it can be tested and
reused without a browser. (Widgets live in ``*_ui`` modules; the maths modules stay free of
ipywidgets and matplotlib.)

How to define a step-through (all a caller needs)
-------------------------------------------------
1. ``compute()`` takes no arguments, reads the input sliders and returns the whole state as a
   dict ``{name: array}``: the inputs, the forward pass and every gradient. It is called again
   whenever a slider moves, so the numbers stay live while stepping.
2. Each ``Step`` names a title, an ``equation(state) -> str`` giving LaTeX (no ``$$``) with the
   live numbers written in, the names it ``reads`` and the names it ``writes``. A name nobody
   writes is an input: known from the start. A name is shown as "not computed yet" until the
   step that writes it.
3. ``Stepper(steps, compute, controls=[...], symbols={name: LaTeX})`` builds the widget;
   ``controls`` are the widgets that move the inputs (any widgets or boxes of widgets: every
   ``value`` inside is observed). ``MatrixSliders`` gives one slider per entry of a matrix.

Example (a one-weight layer, z = Wx, L = ½‖z − y‖²)::

    import numpy as np
    from helpers.latex import latex_matrix as M
    from helpers.stepper import Step
    from helpers.stepper_ui import MatrixSliders, Stepper

    x_in = MatrixSliders("x", [[1.0], [2.0]])          # 2×1: two sliders
    W_in = MatrixSliders("W", [[0.5, -1.0]])           # 1×2: two sliders
    y = np.array([[1.0]])

    def compute():
        x, W = x_in.array, W_in.array                   # fresh copies of the slider values
        z = W @ x
        dL_dz = z - y
        return {"x": x, "W": W, "y": y, "z": z, "dL_dz": dL_dz, "dL_dW": dL_dz @ x.T}

    steps = [
        Step("forward", lambda s: rf"z = Wx = {M(s['W'])}{M(s['x'])} = {M(s['z'])}",
             reads=("W", "x"), writes=("z",)),
        Step("the gradient from the loss", lambda s: rf"\frac{{\partial L}}{{\partial z}} = z - y = {M(s['dL_dz'])}",
             reads=("z", "y"), writes=("dL_dz",)),
        Step("outer product", lambda s: rf"\frac{{\partial L}}{{\partial W}} = "
             rf"\frac{{\partial L}}{{\partial z}} x^T = {M(s['dL_dz'])}{M(s['x'].T)} = {M(s['dL_dW'])}",
             reads=("dL_dz", "x"), writes=("dL_dW",), note="error at the output times the value at the input"),
    ]
    stepper = Stepper(steps, compute, controls=[x_in, W_in],
                      symbols={"dL_dz": r"\partial L/\partial z", "dL_dW": r"\partial L/\partial W"})
    stepper   # last line of a cell: shows it

``stepper.step.value = 3`` jumps to step 3 (1-based);
``stepper.state`` is the current dict; ``stepper.readout.value`` is a plain-text line with
the step's numbers. ``check_steps`` runs when the widget is built and rejects a step that
names an unknown quantity or reads one that only a later step writes.
"""
from dataclasses import dataclass
from typing import Callable, Tuple

import numpy as np

from .latex import check_decimals, number_text
from .shapes import as_float_array, dims


@dataclass(frozen=True)
class Step:
    """One step of a step-through.

    Attributes:
        title: a few words, e.g. "the Hadamard product".
        equation: ``equation(state) -> str``: the step's equation as LaTeX (without ``$$``),
            the live numbers of ``state`` (a dict of arrays) substituted, e.g. with
            ``helpers.latex.latex_matrix``.
        reads: names in ``state`` the step uses (highlighted as inputs of the step).
        writes: names in ``state`` the step produces (highlighted as its outputs).
        note: optional one-sentence reading of the equation (plain text or inline ``$…$``).
    """

    title: str
    equation: Callable[[dict], str]
    reads: Tuple[str, ...] = ()
    writes: Tuple[str, ...] = ()
    note: str = ""


def writers(steps):
    """``{name: index of the first step that writes it}`` (0-based) for a list of ``Step``."""
    first = {}
    for k, step in enumerate(steps):
        for name in step.writes:
            first.setdefault(name, k)
    return first


def check_steps(steps, state):
    """Raise ``ValueError`` unless ``steps`` fit ``state`` (the dict ``compute()`` returned).

    Each step needs a title and a callable equation; every name it reads or writes must be a
    key of ``state``; a step may not read a quantity first written by a later step.
    """
    if not steps:
        raise ValueError("a step-through needs at least one Step; got none")
    first = writers(steps)
    for k, step in enumerate(steps):
        if not isinstance(step, Step) or not callable(step.equation):
            raise ValueError(f"step {k + 1} must be a Step with a callable equation; got {step!r}")
        missing = [n for n in (*step.reads, *step.writes) if n not in state]
        if missing:
            raise ValueError(
                f"step {k + 1} ({step.title!r}) names {missing}, which compute() does not return; "
                f"it returns {sorted(state)}"
            )
        early = [n for n in step.reads if first.get(n, -1) > k]
        if early:
            raise ValueError(
                f"step {k + 1} ({step.title!r}) reads {early} before the step that writes it "
                f"(step {first[early[0]] + 1})"
            )


def known_at(steps, k, names):
    """The names among ``names`` that are known at step ``k`` (0-based): inputs, and whatever
    steps 0…k wrote. A quantity written by a later step is not known yet."""
    first = writers(steps)
    return [n for n in names if first.get(n, -1) <= k]


def shape_text(value):
    """How a quantity's size is written: ``"4×3"`` for a matrix, ``"scalar"`` for a number."""
    shape = np.shape(value)
    return dims(shape) if shape else "scalar"


def quantity_array(value, decimals, writer):
    """``value`` as a float array of at most 2 dimensions for ``writer`` (a function's name, for the
    message) to print with ``decimals`` decimals; a ValueError for complex or non-numeric entries,
    more than 2 dimensions, or ``decimals`` not a whole number from 0 to 6."""
    check_decimals(decimals)
    a = as_float_array(value, "the quantity")
    if a.ndim > 2:
        raise ValueError(f"{writer} writes a number, a vector or a matrix; got an array of shape {a.shape}")
    return a


def plain_numbers(value, decimals=2):
    """A quantity as one line of plain text: ``"0.50"``, ``"(0.10, -2.00)"`` for a column,
    ``"[0.10 -2.00; 1.00 0.00]"`` (rows split by ``;``) for a matrix.

    Each number as ``helpers.latex.number_text`` writes it: ``decimals`` decimals, but a non-zero
    number too small for them in two significant figures (``4.5e-05``), never a misleading 0.00.

    Raises:
        ValueError for complex or non-numeric entries, more than 2 dimensions, or ``decimals`` not
        a whole number from 0 to 6.
    """
    a = quantity_array(value, decimals, "plain_numbers")
    fmt = lambda v: number_text(v, decimals)  # noqa: E731
    if a.ndim == 0:
        return fmt(a)
    if a.ndim == 1 or a.shape[1] == 1:
        return "(" + ", ".join(fmt(v) for v in a.ravel()) + ")"
    return "[" + "; ".join(" ".join(fmt(v) for v in row) for row in a) + "]"


def step_readout(steps, k, state, labels=None):
    """The plain-text line a step-through shows for step ``k`` (0-based).

    ``"step 3/5 · outer product and bias · reads dL_dz 2×1, x 3×1 · writes dL_dW 2×3 =
    [..]; dL_db 2×1 = (..)"``. ``labels`` maps a name to the text to print for it (default
    the name itself).
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k < len(steps):
        raise ValueError(f"k must be a 0-based step number, 0 to {len(steps) - 1}; got k={k!r}")
    labels = labels or {}
    step = steps[k]
    label = lambda n: labels.get(n, n)  # noqa: E731
    reads = ", ".join(f"{label(n)} {shape_text(state[n])}" for n in step.reads)
    writes = "; ".join(f"{label(n)} {shape_text(state[n])} = {plain_numbers(state[n])}" for n in step.writes)
    parts = [f"step {k + 1}/{len(steps)}", step.title]
    if reads:
        parts.append(f"reads {reads}")
    if writes:
        parts.append(f"writes {writes}")
    return " · ".join(parts)
