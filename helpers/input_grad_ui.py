r"""Notebook 04's widgets: step through the backward pass of one dense layer, then of two.

    backward_stepper()             x → (W, b, σ) → a → L = ½‖a − y‖²,  5 steps
    two_layer_backward_stepper()   x → layer 1 → layer 2 → L = ½‖a⁽²⁾ − y‖²,  8 steps

One step per step of seed 000: the forward pass, the upstream gradient, the Hadamard product,
the outer product and bias, the transpose. Every number comes from the helpers
(``dense_forward``, ``dense_backward``), so the stepper shows exactly what they return.
``layer_steps`` builds the three backward steps of one layer for any names, so a deeper
network is a loop over layers.
"""
from dataclasses import replace
from functools import partial

import numpy as np

from .activations import get_activation
from .forward import dense_forward, finite
from .input_grad import dense_backward
from .latex import latex_matrix, latex_partial
from .shapes import dims
from .latex import latex_matrix as M   # 2 decimals (the one-layer stepper)
from .stepper import Step
from .stepper_ui import MatrixSliders, Stepper, check_decimals
from .flipbook import recipe

# σ'(z) in LaTeX, for any name of z (``.format(z="z^{(1)}")``)
SIGMA_PRIME = {"sigmoid": r"\sigma({z})(1 - \sigma({z}))", "tanh": r"1 - \tanh^2({z})",
               "relu": r"1 \text{{ where }} {z} > 0 \text{{, else }} 0", "identity": "1"}


def _ix(sym, index):
    r"""LaTeX of entry ``index`` of ``sym``: ``z_{i}``, and ``z^{(1)}_{i}`` for layer 1's z (the series'
    notation: the layer as a superscript in parentheses, the entry as a subscript)."""
    return rf"{sym}_{{{index}}}"


def layer_tex(name, l=""):
    r"""LaTeX of quantity ``name`` of layer ``l``: ``layer_tex("W", "2") -> "W^{(2)}"``; ``l=""`` gives ``name``."""
    return rf"{name}^{{({l})}}" if l else name


def transpose(tex):
    r"""LaTeX of the transpose of ``tex``: ``x^T``, but ``(a^{(1)})^T`` when ``tex`` has a superscript
    already (``a^{(1)}^T`` is a TeX double-superscript error)."""
    return rf"({tex})^T" if "^" in tex else rf"{tex}^T"


def grad(name):
    r"""LaTeX of ∂L/∂name (``helpers.latex.latex_partial`` with the loss L)."""
    return latex_partial(name, of="L")


def layer_symbols(l=""):
    """``{code name: LaTeX}`` for the quantities of layer ``l`` ("" for a single layer, "1", "2", …):
    code ``W2`` is ``W^{(2)}``, the series' layer notation (notebook 01's table)."""
    symbols = {f"{k}{l}": layer_tex(k, l) for k in ("W", "b", "z", "a")}
    symbols[f"sp{l}"] = rf"\sigma'({layer_tex('z', l)})"
    for k in ("a", "z", "W", "b"):
        symbols[f"dL_d{k}{l}"] = rf"\partial L/\partial {layer_tex(k, l)}"
    return symbols


def layer_steps(l="", x="x", x_tex="x", dL_dx="dL_dx", dL_dx_tex=None, activation="sigmoid", last=True,
                decimals=2):
    """The three backward steps of one dense layer ``l``, for any names.

    Args:
        l: the layer's suffix in the state's names ("" gives W, z, dL_dz…; "2" gives W2, z2, dL_dz2…,
            written W^{(2)}, z^{(2)} in LaTeX).
        x, x_tex: the code name and LaTeX of the layer's input (``"a1"``, ``"a^{(1)}"`` for layer 2).
        dL_dx, dL_dx_tex: the code name and LaTeX of the gradient passed back (``"dL_da1"``).
        activation: the layer's σ (shown in the σ' formula).
        last: include the transpose step (leave it out for the first layer of a network if
            nobody needs ∂L/∂x).
        decimals: how many decimals the matrices in the equations show.

    Returns:
        A list of ``Step``: Hadamard (writes sp, dL_dz), outer product and bias (dL_dW, dL_db),
        transpose (``dL_dx``). Each equation substitutes the live numbers.

    Raises:
        ValueError for an unknown activation (naming the choices), a layer suffix that is not a
        string of digits, or ``decimals`` that is not a whole number from 0 to 6.
    """
    get_activation(activation)  # a ValueError naming the choices, not a KeyError below
    if not isinstance(l, str) or (l and not l.isdigit()):
        raise ValueError(f"l must be a layer number as a string (\"\", \"1\", \"2\", …); got l={l!r}")
    check_decimals(decimals)
    z, W, a, b = (layer_tex(k, l) for k in ("z", "W", "a", "b"))
    M = partial(latex_matrix, decimals=decimals)
    dL_dx_tex = dL_dx_tex or grad(x_tex)
    sp_formula = SIGMA_PRIME[activation].format(z=z)
    steps = [
        Step("the Hadamard product",
             lambda st: rf"{grad(z)} = {grad(a)} \odot \sigma'({z}) = "
                        rf"{M(st[f'dL_da{l}'])} \odot {M(st[f'sp{l}'])} = {M(st[f'dL_dz{l}'])}",
             reads=(f"dL_da{l}", f"z{l}"), writes=(f"sp{l}", f"dL_dz{l}"),
             note=rf"Entry by entry: each ${_ix(a, 'i')}$ depends on its own ${_ix(z, 'i')}$ only; $\sigma'({z}) = {sp_formula}$."),
        Step("the outer product and the bias",
             lambda st: rf"\begin{{aligned}} {grad(W)} &= {grad(z)}\, {transpose(x_tex)} = "
                        rf"{M(st[f'dL_dz{l}'])} {M(st[x].T)} = {M(st[f'dL_dW{l}'])} \\[4pt] "
                        rf"{grad(b)} &= {grad(z)} = {M(st[f'dL_db{l}'])} \end{{aligned}}",
             reads=(f"dL_dz{l}", x), writes=(f"dL_dW{l}", f"dL_db{l}"),
             note="Error at the output times the value at the input; the bias receives the gradient unchanged."),
    ]
    if last:
        steps.append(Step(
            "the transpose (back to the input)",
            lambda st: rf"{dL_dx_tex} = {transpose(W)} {grad(z)} = {M(st[f'W{l}'].T)} {M(st[f'dL_dz{l}'])} = {M(st[dL_dx])}",
            reads=(f"W{l}", f"dL_dz{l}"), writes=(dL_dx,),
            note=rf"Each input feeds every output, so its gradient sums over them: "
                 rf"$\partial L/\partial {_ix(x_tex, 'j')} = \sum_i {_ix(W, 'ij')}\, \partial L/\partial {_ix(z, 'i')}$."))
    return steps


def layer_state(W, x, dL_da, z, activation, l=""):
    """Backward through layer ``l`` with ``dense_backward``: its state entries (sp, dL_dz, dL_dW,
    dL_db, suffixed by ``l``) and, separately, the gradient dL_dx it passes back."""
    dL_dz, dL_dW, dL_db, dL_dx = dense_backward(dL_da, z, x, W, activation)
    return {f"sp{l}": get_activation(activation).prime(z), f"dL_dz{l}": dL_dz,
            f"dL_dW{l}": dL_dW, f"dL_db{l}": dL_db}, dL_dx


ONE_LAYER = {
    "W": [[0.5, -0.3, 0.8], [-0.6, 0.4, 0.2]],   # m × n = 2 × 3
    "b": [[0.1], [-0.2]],
    "x": [[1.0], [2.0], [-1.0]],
    "y": [[1.0], [0.0]],
}


@recipe
def backward_stepper(W=None, b=None, x=None, y=None, activation="sigmoid"):
    """Step through the backward pass of one dense layer (notebook 04's defaults: 2×3, sigmoid).

    Args:
        W: (m, n) starting weights (sliders);  b: (m, 1) bias;  x: (n, 1) starting input (sliders);
        y: (m, 1) target of the loss L = ½‖a − y‖²;  activation: σ.

    Returns:
        A ``Stepper`` with 5 steps (forward, upstream gradient, Hadamard, outer product and bias,
        transpose) and attributes ``x_sliders``, ``W_sliders`` (``MatrixSliders``).

    Raises:
        ValueError naming the argument: shapes that do not fit, NaN/±inf/complex entries, an entry of
        x or W outside its sliders' range ±3, an unknown activation.
    """
    W, b, x, y = (np.array(finite(ONE_LAYER[k] if v is None else v, k))
                  for k, v in dict(W=W, b=b, x=x, y=y).items())
    z, a = dense_forward(W, b, x, activation)  # validates the shapes before any widget is built
    if y.shape != a.shape:
        raise ValueError(f"the target y must have the shape of a, {a.shape}; got y of shape {y.shape}")
    x_in, W_in = MatrixSliders("x", x), MatrixSliders("W", W)

    def compute():
        """Forward and backward with the helpers, from the sliders' current x and W."""
        x, W = x_in.array, W_in.array
        z, a = dense_forward(W, b, x, activation)
        state = {"x": x, "W": W, "b": b, "y": y, "z": z, "a": a,
                 "L": 0.5 * float(np.sum((a - y) ** 2)), "dL_da": a - y}
        grads, state["dL_dx"] = layer_state(W, x, state["dL_da"], z, activation)
        return {**state, **grads}

    steps = [
        Step("the forward pass",
             lambda s: rf"\begin{{aligned}} z &= Wx + b = {M(s['W'])} {M(s['x'])} + {M(s['b'])} = {M(s['z'])} \\[4pt] "
                       rf"a &= \sigma(z) = {M(s['a'])}, \qquad L = \tfrac12 \lVert a - y \rVert^2 = {s['L']:.4f} "
                       r"\end{aligned}",
             reads=("W", "x", "b", "y"), writes=("z", "a", "L"),
             note="Saved for the way back: $x$, $z$ (for $\\sigma'$) and $W$ (for the transpose)."),
        Step("the upstream gradient",
             lambda s: rf"{grad('a')} = a - y = {M(s['a'])} - {M(s['y'])} = {M(s['dL_da'])}",
             reads=("a", "y"), writes=("dL_da",),
             note=r"The derivative of $L = \frac12 \sum_i (a_i - y_i)^2$ with respect to each $a_i$."),
        *layer_steps(activation=activation),
    ]
    stepper = Stepper(steps, compute, controls=[x_in, W_in], symbols={
        "x": "x", "y": "y", "L": "L", "dL_dx": r"\partial L/\partial x", **layer_symbols()},
        order=["x", "W", "b", "y", "z", "a", "L", "dL_da", "sp", "dL_dz", "dL_dW", "dL_db", "dL_dx"],
        title="<b>One dense layer, backwards.</b> Move $x$ and $W$ at any step: every number follows.")
    stepper.x_sliders, stepper.W_sliders = x_in, W_in
    return stepper


TWO_LAYERS = {
    "W1": [[0.6, -0.4], [0.3, 0.8], [-0.7, 0.2]],   # 3 × 2: 2 inputs → 3 hidden
    "b1": [[0.0], [0.1], [-0.1]],
    "W2": [[0.5, -0.6, 0.9], [-0.3, 0.7, 0.4]],     # 2 × 3: 3 hidden → 2 outputs
    "b2": [[0.2], [-0.1]],
    "x": [[1.0], [-0.5]],
    "y": [[1.0], [0.0]],
}


@recipe
def two_layer_backward_stepper(x=None, W1=None, b1=None, W2=None, b2=None, y=None, activation="sigmoid",
                               decimals=3):
    """Step through backprop in x → layer 1 → layer 2 → L = ½‖a⁽²⁾ − y‖² (defaults 2 → 3 → 2, sigmoid).

    Args:
        x: (n, 1) input;  W1: (h, n), b1: (h, 1) layer 1;  W2: (m, h), b2: (m, 1) layer 2;
        y: (m, 1) target;  activation: σ of both layers. x, W1 and W2 get sliders.
        decimals: decimals of every number shown (3: layer 1's gradients are a few thousandths).

    Returns:
        A ``Stepper`` with 8 steps: forward, upstream gradient, then Hadamard, outer product and
        bias, transpose for layer 2, and the same for layer 1 (its transpose gives ∂L/∂x).
        Attributes ``x_sliders``, ``W1_sliders``, ``W2_sliders``.

    Raises:
        ValueError naming the argument: shapes that do not fit, NaN/±inf/complex entries, an entry of
        x, W1 or W2 outside its sliders' range ±3, an unknown activation, decimals outside 0-6.
    """
    M = partial(latex_matrix, decimals=decimals)
    p = {k: np.array(finite(TWO_LAYERS[k] if v is None else v, k))
         for k, v in dict(x=x, W1=W1, b1=b1, W2=W2, b2=b2, y=y).items()}
    _, a1 = dense_forward(p["W1"], p["b1"], p["x"], activation)
    if p["W2"].ndim != 2 or p["W2"].shape[1] != a1.shape[0]:
        raise ValueError(f"W2 needs one column per unit of layer 1: W1 is {dims(p['W1'].shape)}, so W2 needs "
                         f"{a1.shape[0]} columns; got W2 of shape {p['W2'].shape}")
    _, a2 = dense_forward(p["W2"], p["b2"], a1, activation)
    if p["y"].shape != a2.shape:
        raise ValueError(f"the target y must have the shape of a2, {a2.shape}; got y of shape {p['y'].shape}")
    sliders = {k: MatrixSliders(k.replace("1", "⁽¹⁾").replace("2", "⁽²⁾"), p[k]) for k in ("x", "W1", "W2")}

    def compute():
        """Forward through both layers, then backward with the helpers, from the sliders."""
        x, W1, W2 = (sliders[k].array for k in ("x", "W1", "W2"))
        b1, b2, y = p["b1"], p["b2"], p["y"]
        z1, a1 = dense_forward(W1, b1, x, activation)
        z2, a2 = dense_forward(W2, b2, a1, activation)
        state = {"x": x, "W1": W1, "b1": b1, "z1": z1, "a1": a1, "W2": W2, "b2": b2, "z2": z2, "a2": a2,
                 "y": y, "L": 0.5 * float(np.sum((a2 - y) ** 2)), "dL_da2": a2 - y}
        grads2, state["dL_da1"] = layer_state(W2, a1, state["dL_da2"], z2, activation, "2")
        grads1, state["dL_dx"] = layer_state(W1, x, state["dL_da1"], z1, activation, "1")
        return {**state, **grads2, **grads1}

    steps = [
        Step("the forward pass",
             lambda s: rf"\begin{{aligned}} a^{{(1)}} &= \sigma(W^{{(1)}} x + b^{{(1)}}) = \sigma\Big({M(s['W1'])} {M(s['x'])} + "
                       rf"{M(s['b1'])}\Big) = {M(s['a1'])} \\[4pt] a^{{(2)}} &= \sigma(W^{{(2)}} a^{{(1)}} + b^{{(2)}}) = {M(s['a2'])}, "
                       rf"\qquad L = \tfrac12 \lVert a^{{(2)}} - y \rVert^2 = {s['L']:.4f} \end{{aligned}}",
             reads=("x", "W1", "b1", "W2", "b2", "y"), writes=("z1", "a1", "z2", "a2", "L")),
        Step("the upstream gradient",
             lambda s: rf"{grad('a^{(2)}')} = a^{{(2)}} - y = {M(s['a2'])} - {M(s['y'])} = {M(s['dL_da2'])}",
             reads=("a2", "y"), writes=("dL_da2",)),
        *[replace(st, title=f"layer 2: {st.title}") for st in layer_steps("2", x="a1", x_tex="a^{(1)}", dL_dx="dL_da1",
                                                                      activation=activation, decimals=decimals)],
        *[replace(st, title=f"layer 1: {st.title}") for st in layer_steps("1", x="x", x_tex="x", dL_dx="dL_dx",
                                                                      activation=activation, decimals=decimals)],
    ]
    symbols = {"x": "x", "y": "y", "L": "L", "dL_dx": r"\partial L/\partial x",
               **layer_symbols("1"), **layer_symbols("2")}
    order = ["x", "W1", "b1", "z1", "a1", "W2", "b2", "z2", "a2", "y", "L", "dL_da2", "sp2", "dL_dz2",
             "dL_dW2", "dL_db2", "dL_da1", "sp1", "dL_dz1", "dL_dW1", "dL_db1", "dL_dx"]
    stepper = Stepper(steps, compute, controls=list(sliders.values()), symbols=symbols, order=order, decimals=decimals,
                      title="<b>Two layers, backwards.</b> Layer 2's transpose hands "
                            "$\\partial L/\\partial a^{(1)}$ to layer 1, which applies the same three rules.")
    stepper.x_sliders, stepper.W1_sliders, stepper.W2_sliders = sliders["x"], sliders["W1"], sliders["W2"]
    return stepper
