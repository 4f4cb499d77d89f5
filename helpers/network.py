"""Notebook 05: the 3-4-2 sigmoid network of seed 001, row convention, trained by gradient descent.

Row convention: k examples are the ROWS of X, and a layer multiplies from the right.

    z1 = X·W + b1      X: (k, 3)   W: (3, 4)   b1: (1, 4)   z1, h: (k, 4)
    h  = σ(z1)
    z2 = h·V + b2      V: (4, 2)   b2: (1, 2)               z2, ŷ: (k, 2)
    ŷ  = σ(z2)
    C  = (1/k) Σ_rows ½ Σ_j (ŷ_j − y_j)²                     so ∂C/∂ŷ = (ŷ − y)/k

Every gradient has the shape of what it is taken with respect to (∂C/∂X is k×3, like X).
Backward pass (each line is a Hadamard product ⊙, an outer product, or a transpose):

    ∂C/∂z2 = (ŷ − y)/k ⊙ ŷ ⊙ (1 − ŷ)         (k, 2)   σ'(z2) = ŷ ⊙ (1 − ŷ)
    ∂C/∂V  = hᵀ · ∂C/∂z2                      (4, 2)   like V (for k = 1, a 4×1 by 1×2 outer product)
    ∂C/∂b2 = column sums of ∂C/∂z2           (1, 2)
    ∂C/∂h  = ∂C/∂z2 · Vᵀ                      (k, 4)   the transpose carries the gradient back
    ∂C/∂z1 = ∂C/∂h ⊙ h ⊙ (1 − h)              (k, 4)   σ'(z1) = h ⊙ (1 − h)
    ∂C/∂W  = Xᵀ · ∂C/∂z1                      (3, 4)   like W
    ∂C/∂b1 = column sums of ∂C/∂z1           (1, 4)

Gradient descent: p ← p − η ∂C/∂p for p in W, b1, V, b2 (seed 001: v_new = v_old − η ∂C/∂v).

The column convention of notebooks 01-04 is this, transposed (layers as superscripts, as in
notebook 01's table): W here is W⁽¹⁾ᵀ there, V is W⁽²⁾ᵀ, the rows z1, h, z2, ŷ here are the
columns z⁽¹⁾ᵀ, a⁽¹⁾ᵀ, z⁽²⁾ᵀ, a⁽²⁾ᵀ there, X (k, 3) is the (3, k) batch of columns transposed, and
hᵀ·∂C/∂z2 here is (∂L/∂z⁽²⁾·a⁽¹⁾ᵀ)ᵀ there.

Params are a dict ``{"W": (3, 4), "b1": (1, 4), "V": (4, 2), "b2": (1, 2)}``.
"""
import math
from numbers import Integral, Real
from typing import NamedTuple, Optional

import numpy as np

from .activations import sigmoid
from .shapes import as_float_array, dims

N_IN, N_HIDDEN, N_OUT = 3, 4, 2
SHAPES = {"W": (N_IN, N_HIDDEN), "b1": (1, N_HIDDEN), "V": (N_HIDDEN, N_OUT), "b2": (1, N_OUT)}
NAMES = tuple(SHAPES)  # the order every dict of params or gradients is written in


# ---------------------------------------------------------------- checks (the notebook's words)

def check_number(value, name, low=None, high=None, whole=False, low_open=False, what=None):
    """``value`` as a float (an int if ``whole``), checked against the bounds; else a ValueError.

    Args:
        value: what the caller passed; a real number (not a bool, a string or a complex number).
        name: the argument's name, for the message ("got eta = 0").
        low, high: optional bounds, inclusive (``low`` exclusive when ``low_open``).
        whole: the value must be a whole number (an ``int`` or numpy integer).
        what: how the message starts ("the learning rate eta"); default ``name``.
    """
    what = what or name
    kind = "a whole number" if whole else "a finite number"
    bounds = [f"> {low:g}" if low_open else f">= {low:g}"] if low is not None else []
    bounds += [f"<= {high:g}"] if high is not None else []
    expected = " ".join([kind, " and ".join(bounds)]).strip()
    if isinstance(value, bool) or not isinstance(value, Integral if whole else Real):
        raise ValueError(f"{what} must be {expected}; got {name} = {value!r}")
    number = int(value) if whole else float(value)
    too_low = low is not None and (number <= low if low_open else number < low)
    if not math.isfinite(number) or too_low or (high is not None and number > high):
        raise ValueError(f"{what} must be {expected}; got {name} = {value!r}")
    return number


def check_eta(eta):
    """The learning rate η as a float; a ValueError unless it is a finite number > 0."""
    return check_number(eta, "eta", low=0.0, low_open=True, what="the learning rate eta")


def check_epochs(epochs, name="epochs"):
    """The number of epochs as an int; a ValueError unless it is a whole number ≥ 0."""
    return check_number(epochs, name, low=0, whole=True)


def check_params(params):
    """``params`` as a new dict of float arrays, each of the shape in ``SHAPES``; else ValueError.

    Args:
        params: dict with keys "W" (3, 4), "b1" (1, 4), "V" (4, 2), "b2" (1, 2).

    Returns:
        A dict with the same keys holding float64 copies (the caller's arrays are never shared).
    """
    if not isinstance(params, dict) or set(params) != set(SHAPES):
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params must be a dict with keys {list(NAMES)}; got {got}")
    checked = {}
    for name, shape in SHAPES.items():
        a = np.array(_numbers(params[name], name), dtype=float)  # a copy
        if a.shape != shape:
            raise ValueError(
                f"the 3-4-2 network needs {name} of shape {shape} ({dims(shape)}); got {name} of shape {a.shape}"
            )
        checked[name] = a
    return checked


def _numbers(a, name):
    """``a`` as a float array of finite real numbers; a ValueError naming ``name`` for anything else.

    ``None`` (a cell not run yet) and True/False arrays (a comparison, ``X > 0``, by mistake) are
    refused with their own message rather than read as NaN or as 0 and 1.
    """
    if a is None:
        raise ValueError(f"{name} must be an array of numbers; got None")
    if np.asarray(a).dtype == bool:
        raise ValueError(f"{name} must hold numbers; got True/False values (dtype bool) in {name}")
    return as_float_array(a, name, finite=True)


_NO_TARGETS = object()   # check_inputs(X) checks X alone; check_inputs(X, None) is a missing Y


def check_inputs(X, Y=_NO_TARGETS):
    """``X`` as a (k, 3) float matrix (one example per ROW) and ``Y`` as (k, 2); else ValueError.

    Args:
        X: (k, 3) inputs, k ≥ 1 examples as rows.
        Y: (k, 2) targets between 0 and 1 (ŷ = σ(z) is), one row per example; leave it out to check X alone.

    Returns:
        X, or (X, Y) when Y is given, as float arrays.
    """
    X = _numbers(X, "X")
    if X.ndim == 1 and X.shape[0] == N_IN:
        raise ValueError(
            f"X must be a row of shape (1, {N_IN}) (or (k, {N_IN}) for k examples); "
            f"got X of shape {X.shape}: use X.reshape(1, -1)"
        )
    if X.ndim != 2 or X.shape[1] != N_IN or X.shape[0] < 1:
        raise ValueError(
            f"W is {N_IN}×{N_HIDDEN}, so X needs {N_IN} columns (one example per row); got X of shape {X.shape}"
        )
    if Y is _NO_TARGETS:
        return X
    Y = _numbers(Y, "Y")
    k = X.shape[0]
    if Y.shape != (k, N_OUT):
        raise ValueError(
            f"X has {k} rows (examples), so Y needs shape ({k}, {N_OUT}); got Y of shape {Y.shape}"
        )
    outside = (Y < 0) | (Y > 1)
    if outside.any():
        r, j = (int(i) for i in np.argwhere(outside)[0])
        raise ValueError(
            f"Y holds targets for ŷ = σ(z), which lies between 0 and 1, so every entry of Y must too; "
            f"got Y[{r}, {j}] = {Y[r, j]:g}"
        )
    return X, Y


# ---------------------------------------------------------------- the maths, unchecked (one network)

def _forward(X, p):
    """z1, h, z2, ŷ for checked inputs: the four lines of the forward pass."""
    z1 = X @ p["W"] + p["b1"]
    h = sigmoid(z1)
    z2 = h @ p["V"] + p["b2"]
    return {"z1": z1, "h": h, "z2": z2, "y_hat": sigmoid(z2)}


def _loss(y_hat, Y):
    """C = mean over the rows of ½ Σ_j (ŷ_j − y_j)²."""
    return 0.5 * np.sum((y_hat - Y) ** 2) / Y.shape[0]


def _backward(X, Y, p, cache):
    """∂C/∂ŷ, ∂C/∂z2, ∂C/∂h, ∂C/∂z1 and the four gradients, from a forward pass ``cache``."""
    h, y_hat = cache["h"], cache["y_hat"]
    dC_dyhat = (y_hat - Y) / Y.shape[0]
    dC_dz2 = dC_dyhat * y_hat * (1 - y_hat)        # Hadamard: σ'(z2) = ŷ(1 − ŷ)
    dC_dh = dC_dz2 @ p["V"].T                       # transpose
    dC_dz1 = dC_dh * h * (1 - h)                    # Hadamard: σ'(z1) = h(1 − h)
    return {
        "dC_dyhat": dC_dyhat, "dC_dz2": dC_dz2, "dC_dh": dC_dh, "dC_dz1": dC_dz1,
        "W": X.T @ dC_dz1, "b1": dC_dz1.sum(axis=0, keepdims=True),      # outer products, summed over rows
        "V": h.T @ dC_dz2, "b2": dC_dz2.sum(axis=0, keepdims=True),
    }


# ---------------------------------------------------------------- gradient descent: one loop
# train, train_curves and the η explorer all run _descend, so each shows what the others compute.
# It runs the same equations as _forward/_backward, written for speed (1000 epochs in ~20 ms):
# the four params live in one flat vector of 26 numbers, seen as two "augmented" matrices
#     A = [W; b1]  (4×4)  so that [X 1]·A = X·W + b1
#     B = [V; b2]  (5×2)  so that [h 1]·B = h·V + b2
# and every step writes into arrays made once (out=...), so an epoch is 20 numpy calls.

N_FLAT = N_IN * N_HIDDEN + N_HIDDEN + N_HIDDEN * N_OUT + N_OUT   # 26 numbers
MAX_KEPT_BYTES = 2**30                                            # train_history keeps at most 1 GB of steps
_A_SIZE = (N_IN + 1) * N_HIDDEN                                   # 16 of them in A


def _split(flat):
    """Views A (…, 4, 4) and B (…, 5, 2) of flat params (…, 26)."""
    lead = flat.shape[:-1]
    return (flat[..., :_A_SIZE].reshape(*lead, N_IN + 1, N_HIDDEN),
            flat[..., _A_SIZE:].reshape(*lead, N_HIDDEN + 1, N_OUT))


def _flatten(p):
    """The params dict as one flat vector of 26: W, b1 (= A), then V, b2 (= B)."""
    return np.concatenate([p[name].ravel() for name in NAMES])


def _unflatten(flat):
    """A new params dict (new arrays) from one flat vector of 26."""
    out, start = {}, 0
    for name in NAMES:
        size = int(np.prod(SHAPES[name]))
        out[name] = flat[start:start + size].reshape(SHAPES[name]).copy()
        start += size
    return out


def _sigmoid_into(z, out):
    """out = σ(z) = 1/(1 + e^(−z)), overwriting z. e^(−z) = inf for z < −709 gives σ = 0, as it should."""
    np.negative(z, out=z)
    _sigmoid_of_negated_into(z, out)


def _sigmoid_of_negated_into(minus_z, out):
    """out = σ(z) = 1/(1 + e^(−z)) from −z (overwritten)."""
    np.exp(minus_z, out=minus_z)
    minus_z += 1.0
    np.reciprocal(minus_z, out=out)


def _descend(X, Y, start, eta, epochs):
    """Full-batch gradient descent from params ``start``: ``epochs`` updates p ← p − η ∂C/∂p.

    Returns (flat, y_hat): the params after e updates as ``flat[e]`` (epochs + 1, 26), and the
    predictions ŷ they make on X as ``y_hat[e]`` (epochs + 1, k, 2). Row 0 is the starting point.

    Two sign tricks save numpy calls: the inputs are stored negated, −[X 1], so that
    −[X 1]·A = −z1 goes straight into e^(−z1); and B is stored negated, −B, so that
    [h 1]·(−B) = −z2. Then (−B) ← (−B) + η ∂C/∂B, and ∂C/∂h = ∂C/∂z2·Vᵀ comes out negated,
    which makes the A row of the same vector −η ∂C/∂A: one addition updates all 26 numbers.
    """
    k = X.shape[0]
    X1 = np.hstack([X, np.ones((k, 1))])                  # [X 1]: (k, 4)
    minus_X1 = -X1
    flat = np.empty((epochs + 1, N_FLAT))                  # row e: A and −B after e updates
    flat[0] = _flatten(start)
    flat[0, _A_SIZE:] *= -1.0
    A_of, minus_B_of = _split(flat)                        # (epochs + 1, 4, 4) and (epochs + 1, 5, 2) views
    y_hat = np.empty((epochs + 1, k, N_OUT))
    change = np.empty(N_FLAT)                              # the A part: −η ∂C/∂A; the B part: +η ∂C/∂B
    change_A, change_B = _split(change)
    minus_z1, minus_z2 = np.empty((k, N_HIDDEN)), np.empty((k, N_OUT))
    h1 = np.ones((k, N_HIDDEN + 1))                        # [h 1]: (k, 5)
    h = h1[:, :N_HIDDEN]
    d2, err = np.empty((k, N_OUT)), np.empty((k, N_OUT))
    d1, s1 = np.empty((k, N_HIDDEN)), np.empty((k, N_HIDDEN))
    scale = eta / k                                        # η times the 1/k of the mean
    with np.errstate(over="ignore", invalid="ignore"):     # a huge η may overflow: C then shows inf/NaN
        for e in range(epochs + 1):
            minus_V = minus_B_of[e][:N_HIDDEN]
            np.dot(minus_X1, A_of[e], out=minus_z1)        # −z1 = −(X·W + b1)
            _sigmoid_of_negated_into(minus_z1, h)          # h = σ(z1)
            np.dot(h1, minus_B_of[e], out=minus_z2)        # −z2 = −(h·V + b2)
            y = y_hat[e]
            _sigmoid_of_negated_into(minus_z2, y)          # ŷ = σ(z2)
            if e == epochs:
                break
            np.subtract(y, Y, out=err)                     # ŷ − y
            np.subtract(1.0, y, out=d2)
            d2 *= y
            d2 *= err
            d2 *= scale                                    # η ∂C/∂z2 = η (ŷ − y)/k ⊙ ŷ ⊙ (1 − ŷ)
            np.dot(h1.T, d2, out=change_B)                 # η ∂C/∂V = hᵀ·(η ∂C/∂z2); last row: η ∂C/∂b2
            np.dot(d2, minus_V.T, out=d1)                  # −η ∂C/∂h = (η ∂C/∂z2)·(−V)ᵀ
            np.subtract(1.0, h, out=s1)
            s1 *= h
            d1 *= s1                                       # −η ∂C/∂z1 = −η ∂C/∂h ⊙ h ⊙ (1 − h)
            np.dot(X1.T, d1, out=change_A)                 # −η ∂C/∂W = Xᵀ·(−η ∂C/∂z1); last row: −η ∂C/∂b1
            np.add(flat[e], change, out=flat[e + 1])       # A ← A − η ∂C/∂A and (−B) ← (−B) + η ∂C/∂B
    flat[:, _A_SIZE:] *= -1.0                              # B, not −B, in the history
    return flat, y_hat


def _scores(y_hat, Y):
    """C and the accuracy of predictions ``y_hat`` (…, k, 2) against Y (k, 2), over the leading axes."""
    with np.errstate(invalid="ignore"):
        losses = 0.5 * np.sum((y_hat - Y) ** 2, axis=(-2, -1)) / Y.shape[0]
    right = np.argmax(y_hat, axis=-1) == np.argmax(Y, axis=-1)
    return losses, np.mean(right, axis=-1)


def _predict_flat(X, flat):
    """ŷ (m, k, 2) of m flat param vectors (m, 26) on X (k, 3): the forward pass of _descend, batched."""
    A, B = _split(flat)
    X1 = np.hstack([X, np.ones((X.shape[0], 1))])
    with np.errstate(over="ignore", invalid="ignore"):
        z1 = X1 @ A                                                      # (m, k, 4)
        h1 = np.ones(z1.shape[:-1] + (N_HIDDEN + 1,))
        _sigmoid_into(z1, h1[..., :N_HIDDEN])
        z2 = h1 @ B                                                      # (m, k, 2)
        _sigmoid_into(z2, z2)
    return z2


class History:
    """Where gradient descent went: the params after every update, and C and the accuracy there.

    Made by ``train_history``. Attributes:
        eta: the learning rate;  epochs: the number of updates;
        flat (epochs + 1, 26): the params after e updates, flattened (W, b1, V, b2);
        losses, accuracies (epochs + 1,): C and the accuracy on the training set after e updates
            (entry 0 = before training).
    """

    def __init__(self, eta, flat, losses, accuracies):
        self.eta, self.flat, self.losses, self.accuracies = eta, flat, losses, accuracies
        self.epochs = flat.shape[0] - 1

    def params(self, epoch):
        """The params after ``epoch`` updates, a new dict {"W": (3, 4), "b1": (1, 4), "V": (4, 2), "b2": (1, 2)}."""
        return _unflatten(self.flat[self._epoch(epoch)])

    def evaluate(self, X, Y, epochs=None):
        """C and the accuracy on other data X (n, 3), Y (n, 2) (a test set), after the given updates.

        Args:
            X, Y: the data, one example per row.
            epochs: which epochs (a whole number or a list of them); default every one, 0 … self.epochs.

        Returns:
            (losses, accuracies): floats for one epoch, else arrays shaped like ``epochs``.
        """
        X, Y = check_inputs(X, Y)
        if epochs is None:
            epochs = range(self.epochs + 1)
        chosen = np.array([self._epoch(e) for e in np.ravel(epochs)], dtype=int).reshape(np.shape(epochs))
        losses, accuracies = np.empty(chosen.size), np.empty(chosen.size)
        rows = max(1, 8_000 // X.shape[0])           # ~300 KB at a time: big temporaries cost page faults
        for start in range(0, chosen.size, rows):
            part = chosen.ravel()[start:start + rows]
            losses[start:start + rows], accuracies[start:start + rows] = _scores(_predict_flat(X, self.flat[part]), Y)
        if chosen.ndim == 0:
            return float(losses[0]), float(accuracies[0])
        return losses.reshape(chosen.shape), accuracies.reshape(chosen.shape)

    def _epoch(self, epoch):
        return check_number(epoch, "epoch", low=0, high=self.epochs, whole=True)


# ---------------------------------------------------------------- the public functions

def init_params(seed=0, scale=0.5):
    """Small random weights for the 3-4-2 network, reproducible from ``seed``.

    W (3, 4) and V (4, 2) are drawn from N(0, scale²); the biases b1 (1, 4) and b2 (1, 2)
    start at zero. ``seed`` is a whole number ≥ 0, ``scale`` a number from 0 to 1e6 (far beyond
    it every sigmoid saturates anyway, and near 1e308 the draws overflow).
    Returns ``{"W": W, "b1": b1, "V": V, "b2": b2}``.
    """
    rng = np.random.default_rng(check_number(seed, "seed", low=0, whole=True))
    scale = check_number(scale, "scale", low=0.0, high=1e6)
    return {
        "W": rng.normal(0.0, scale, SHAPES["W"]),
        "b1": np.zeros(SHAPES["b1"]),
        "V": rng.normal(0.0, scale, SHAPES["V"]),
        "b2": np.zeros(SHAPES["b2"]),
    }


def forward(X, params):
    """Forward pass, keeping every intermediate: z1 = X·W + b1, h = σ(z1), z2 = h·V + b2, ŷ = σ(z2).

    Args:
        X: (k, 3) inputs, one example per row.
        params: {"W": (3, 4), "b1": (1, 4), "V": (4, 2), "b2": (1, 2)}.

    Returns:
        dict with "z1" (k, 4), "h" (k, 4), "z2" (k, 2), "y_hat" (k, 2) = ŷ.
    """
    return _forward(check_inputs(X), check_params(params))


def predict(X, params):
    """ŷ = σ(σ(X·W + b1)·V + b2), shape (k, 2), for X of shape (k, 3) (one example per row)."""
    return forward(X, params)["y_hat"]


def loss(X, Y, params):
    """C = (1/k) Σ_rows ½ Σ_j (ŷ_j − y_j)² as a float, for X (k, 3) and targets Y (k, 2)."""
    X, Y = check_inputs(X, Y)
    return float(_loss(_forward(X, check_params(params))["y_hat"], Y))


def backward(X, Y, params):
    """The backward pass with its intermediates, for X (k, 3) and Y (k, 2).

    Returns a dict with the forward pass ("z1", "h", "z2", "y_hat") and
        "dC_dyhat" (k, 2) = (ŷ − y)/k
        "dC_dz2"   (k, 2) = (ŷ − y)/k ⊙ ŷ ⊙ (1 − ŷ)        (Hadamard, σ'(z2) = ŷ ⊙ (1 − ŷ))
        "dC_dh"    (k, 4) = ∂C/∂z2 · Vᵀ                      (the transpose carries it back to h)
        "dC_dz1"   (k, 4) = ∂C/∂h ⊙ h ⊙ (1 − h)             (Hadamard, σ'(z1) = h ⊙ (1 − h))
        "W" (3, 4) = Xᵀ·∂C/∂z1,  "b1" (1, 4) = column sums of ∂C/∂z1,
        "V" (4, 2) = hᵀ·∂C/∂z2,  "b2" (1, 2) = column sums of ∂C/∂z2.
    """
    X, Y = check_inputs(X, Y)
    p = check_params(params)
    cache = _forward(X, p)
    return {**cache, **_backward(X, Y, p, cache)}


def gradients(X, Y, params):
    """∂C/∂p for each p in params, same keys and shapes: {"W": (3, 4), "b1": (1, 4), "V": (4, 2), "b2": (1, 2)}.

    X is (k, 3) and Y is (k, 2); see ``backward`` for the equations.
    """
    back = backward(X, Y, params)
    return {name: back[name] for name in NAMES}


def train_history(X, Y, params, eta, epochs):
    """Full-batch gradient descent, keeping every step: ``epochs`` times p ← p − η ∂C/∂p.

    The one loop behind ``train``, ``train_curves`` and notebook 05's η explorer.

    Args:
        X: (k, 3) inputs; Y: (k, 2) targets.
        params: the starting point, {"W": (3, 4), "b1": (1, 4), "V": (4, 2), "b2": (1, 2)} (not modified).
        eta: the learning rate η, finite and > 0.
        epochs: how many updates, a whole number ≥ 0 (every step is kept: (epochs + 1)·(26 + 2k)
            numbers, at most 1 GB).

    Returns:
        A ``History``: the params after every update, and C and the accuracy on (X, Y) there.
    """
    X, Y = check_inputs(X, Y)
    start = check_params(params)
    eta, epochs = check_eta(eta), check_epochs(epochs)
    kept = (epochs + 1) * (N_FLAT + N_OUT * X.shape[0]) * 8      # bytes: the params and ŷ after every update
    if kept > MAX_KEPT_BYTES:
        raise ValueError(
            f"training keeps every step: {epochs} epochs on {X.shape[0]} examples would take "
            f"{kept / 2**30:.1f} GB, more than {MAX_KEPT_BYTES / 2**30:.0f} GB; use fewer epochs or examples"
        )
    flat, y_hat = _descend(X, Y, start, eta, epochs)
    losses, accuracies = _scores(y_hat, Y)
    return History(eta, flat, losses, accuracies)


def train(X, Y, params, eta, epochs):
    """Full-batch gradient descent: ``epochs`` times, p ← p − η ∂C/∂p for every p in params.

    Args:
        X: (k, 3) inputs; Y: (k, 2) targets.
        params: the starting point, {"W": (3, 4), "b1": (1, 4), "V": (4, 2), "b2": (1, 2)};
            neither the dict nor its arrays are modified.
        eta: the learning rate η, finite and > 0.
        epochs: how many updates, a whole number ≥ 0.

    Returns:
        (new_params, losses): a new dict of new arrays, and a list of ``epochs`` floats where
        ``losses[e]`` is C after update e + 1 (so ``losses[-1]`` is ``loss(X, Y, new_params)``,
        up to rounding).
    """
    history = train_history(X, Y, params, eta, epochs)
    return history.params(history.epochs), history.losses[1:].tolist()


def accuracy(X, Y, params):
    """The fraction of rows whose largest ŷ is where the largest y is (argmax over the 2 outputs)."""
    X, Y = check_inputs(X, Y)
    y_hat = _forward(X, check_params(params))["y_hat"]
    return float(np.mean(np.argmax(y_hat, axis=-1) == np.argmax(Y, axis=-1)))


class Curves(NamedTuple):
    """What ``train_curves`` returns: four (E, epochs + 1) arrays, row i for the i-th η.

    Entry [i, e] is after e updates (column 0 is the starting point). ``test_loss`` and
    ``test_accuracy`` are None when no test set was given.
    """

    loss: np.ndarray
    accuracy: np.ndarray
    test_loss: Optional[np.ndarray]
    test_accuracy: Optional[np.ndarray]


def train_curves(X, Y, params, etas, epochs, X_test=None, Y_test=None):
    """Train one copy of ``params`` per learning rate; record C and the accuracy after every update.

    Args:
        X: (k, 3) inputs; Y: (k, 2) targets; params: the common starting point (not modified).
        etas: E learning rates, each finite and > 0.
        epochs: the number of updates, a whole number ≥ 0.
        X_test, Y_test: optional held-out data (n, 3), (n, 2) from the same source, never trained on.

    Returns:
        ``Curves(loss, accuracy, test_loss, test_accuracy)``, each (E, epochs + 1): C and the
        accuracy on the training set (and on the test set) of the network trained with ``etas[i]``
        after e updates. Each row is ``train_history(X, Y, params, etas[i], epochs)``'s.
    """
    X, Y = check_inputs(X, Y)
    if (X_test is None) != (Y_test is None):
        raise ValueError("give both X_test and Y_test (a held-out test set), or neither")
    if X_test is not None:
        X_test, Y_test = check_inputs(X_test, Y_test)
    if np.ndim(etas) > 1:
        raise ValueError(f"etas must be a list of learning rates (1-D); got etas of shape {np.shape(etas)}")
    etas = np.ravel(etas)
    if etas.size == 0:
        raise ValueError("etas must hold at least one learning rate; got none")
    histories = [train_history(X, Y, params, eta, epochs) for eta in etas]
    tests = [h.evaluate(X_test, Y_test) for h in histories] if X_test is not None else None
    return Curves(np.array([h.losses for h in histories]), np.array([h.accuracies for h in histories]),
                  None if tests is None else np.array([t[0] for t in tests]),
                  None if tests is None else np.array([t[1] for t in tests]))


def make_dataset(k=40, seed=0, noise=1.0):
    """A small synthetic two-class data set in the row convention: X (k, 3), one-hot Y (k, 2).

    Each row of X is drawn from N(0, 1) in 3 features. The class is 1 where
    x₁ + x₂ − x₃ + noise > 0 (a tilted plane, blurred by N(0, noise²) so points near
    it may sit on the wrong side), else 0; row i of Y is (1, 0) for class 0 and (0, 1) for class 1.
    A different ``seed`` gives fresh examples from the same source (a test set).

    Args:
        k: the number of examples, a whole number from 1 to 10⁷;  seed: a whole number ≥ 0;
        noise: the standard deviation of the blur, a number ≥ 0 (0: the plane decides every label).
    """
    k = check_number(k, "k", low=1, high=10_000_000, whole=True, what="k (the number of examples)")
    rng = np.random.default_rng(check_number(seed, "seed", low=0, whole=True))
    noise = check_number(noise, "noise", low=0.0)
    X = rng.normal(size=(k, N_IN))
    label = (X[:, 0] + X[:, 1] - X[:, 2] + rng.normal(0.0, noise, k) > 0).astype(int)
    Y = np.eye(N_OUT)[label]
    return X, Y


VERDICTS = ("not started", "not finite", "stuck", "diverging", "oscillating", "crawling", "converging")


def training_verdict(losses, rise=1e-4, crawl=0.5, flat=1e-5, recent=0.1):
    """One word for a loss curve ``losses`` (1-D, entry 0 = C before training), about where it is now.

    The "recent" epochs are the last ``recent`` fraction of them, at least 10 but at most half of
    them (rounded up), so that a short curve is judged by where it is now, not by its first step:
    a C that jumped up on step 1 and has not moved since is "stuck" at epoch 10, not "diverging".
    The first that applies:
        "not finite"   C is NaN or ±inf somewhere: the arithmetic broke down (η far too large);
        "not started"  no update yet (a curve of one point);
        "stuck"        over the recent epochs C moved by less than ``flat`` of itself per epoch,
                       and is still above ``crawl`` (half) of its start: nothing is being learnt
                       (with sigmoids, typically saturated: σ' ≈ 0 kills every gradient);
        "diverging"    C is above where it started, and went up over the recent epochs;
        "oscillating"  C went up by more than ``rise`` on some recent epoch (η overshoots);
        "crawling"     C goes down, but is still above ``crawl`` of its start (or even above the start);
        "converging"   C goes down and is at most ``crawl`` of its start.

    Args:
        losses: (epochs + 1,) C after 0, 1, … updates; real numbers ≥ 0 (C is a mean of squares) or NaN/±inf.
        rise: a step up larger than this is an overshoot (absolute, in units of C), ≥ 0.
        crawl: the fraction of the starting C that counts as real progress, in [0, 1].
        flat: relative change per epoch below which C has stopped moving, ≥ 0.
        recent: the fraction of the epochs that describes "now", in (0, 1].
    """
    if losses is None or np.asarray(losses).dtype == bool:
        raise ValueError(f"losses must be a 1-D curve of C values (numbers); got {losses!r}")
    losses = as_float_array(losses, "losses")
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError(f"losses must be a 1-D curve of at least one value; got shape {losses.shape}")
    negative = np.isfinite(losses) & (losses < 0)   # NaN and ±inf are the verdict "not finite"
    if negative.any():
        raise ValueError(f"losses must be values of the cost C, which is never negative; "
                         f"got {losses[negative][0]:g} at epoch {int(np.argmax(negative))}")
    rise = check_number(rise, "rise", low=0.0)
    crawl = check_number(crawl, "crawl", low=0.0, high=1.0)
    flat = check_number(flat, "flat", low=0.0)
    recent = check_number(recent, "recent", low=0.0, high=1.0, low_open=True)
    epochs = losses.size - 1
    if not np.all(np.isfinite(losses)):
        return "not finite"
    if epochs == 0:
        return "not started"
    window = max(math.ceil(recent * epochs), min(10, math.ceil(epochs / 2)))
    tail = losses[-window - 1:]
    first, last = losses[0], losses[-1]
    change, size = abs(float(tail[-1] - tail[0])), window * abs(float(last))
    moved = change / size if size > 0 else (math.inf if change > 0 else 0.0)   # relative change per epoch
    if moved < flat and last > crawl * first:
        return "stuck"
    if last > first and tail[-1] > tail[0]:
        return "diverging"
    if np.max(np.diff(tail)) > rise:
        return "oscillating"
    if last > crawl * first:
        return "crawling"
    return "converging"
