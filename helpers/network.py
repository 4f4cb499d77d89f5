"""Notebook 05: the 3-4-2 sigmoid network of seed 001, row convention, trained by gradient descent.

Row convention: k examples are the ROWS of X, and a layer multiplies from the right.

    h' = X·W + b1      X: (k, 3)   W: (3, 4)   b1: (1, 4)   h', h: (k, 4)
    h  = σ(h')
    y' = h·V + b2      V: (4, 2)   b2: (1, 2)               y', ŷ: (k, 2)
    ŷ  = σ(y')
    C  = (1/k) Σ_rows ½ Σ_j (ŷ_j − y_j)²                     so ∂C/∂ŷ = (ŷ − y)/k

Backward pass (each line is a Hadamard product ⊙, an outer product, or a transpose):

    δ_out = (ŷ − y)/k ⊙ ŷ ⊙ (1 − ŷ)          (k, 2)   = ∂C/∂y'
    ∂C/∂V  = hᵀ · δ_out                       (4, 2)   like V (for k = 1, a 4×1 by 1×2 outer product)
    ∂C/∂b2 = column sums of δ_out            (1, 2)
    δ_hid = (δ_out · Vᵀ) ⊙ h ⊙ (1 − h)       (k, 4)   = ∂C/∂h'
    ∂C/∂W  = Xᵀ · δ_hid                       (3, 4)   like W
    ∂C/∂b1 = column sums of δ_hid            (1, 4)

Gradient descent: p ← p − η ∂C/∂p for p in W, b1, V, b2 (seed 001: v_new = v_old − η ∂C/∂v).

The column convention of notebooks 01-04 is this, transposed: W here is W₁ᵀ there, V is W₂ᵀ,
and hᵀ·δ here is δ·hᵀ there.

Params are a dict ``{"W": (3, 4), "b1": (1, 4), "V": (4, 2), "b2": (1, 2)}``.
"""
import math
from numbers import Integral

import numpy as np

from .activations import sigmoid
from .shapes import as_float_array, dims

N_IN, N_HIDDEN, N_OUT = 3, 4, 2
SHAPES = {"W": (N_IN, N_HIDDEN), "b1": (1, N_HIDDEN), "V": (N_HIDDEN, N_OUT), "b2": (1, N_OUT)}
NAMES = tuple(SHAPES)  # the order every dict of params or gradients is written in


# ---------------------------------------------------------------- checks (the notebook's words)

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
        a = np.array(as_float_array(params[name], name), dtype=float)  # a copy
        if a.shape != shape:
            raise ValueError(
                f"the 3-4-2 network needs {name} of shape {shape} ({dims(shape)}); got {name} of shape {a.shape}"
            )
        checked[name] = a
    return checked


def check_inputs(X, Y=None):
    """``X`` as a (k, 3) float matrix (one example per ROW) and ``Y`` as (k, 2); else ValueError.

    Args:
        X: (k, 3) inputs, k ≥ 1 examples as rows.
        Y: (k, 2) targets, one row per example, or None to check X alone.

    Returns:
        X, or (X, Y) when Y is given, as float arrays.
    """
    X = as_float_array(X, "X")
    if X.ndim == 1 and X.shape[0] == N_IN:
        raise ValueError(
            f"X must be a row of shape (1, {N_IN}) (or (k, {N_IN}) for k examples); "
            f"got X of shape {X.shape}: use X.reshape(1, -1)"
        )
    if X.ndim != 2 or X.shape[1] != N_IN or X.shape[0] < 1:
        raise ValueError(
            f"W is {N_IN}×{N_HIDDEN}, so X needs {N_IN} columns (one example per row); got X of shape {X.shape}"
        )
    if Y is None:
        return X
    Y = as_float_array(Y, "Y")
    k = X.shape[0]
    if Y.shape != (k, N_OUT):
        raise ValueError(
            f"X has {k} rows (examples), so Y needs shape ({k}, {N_OUT}); got Y of shape {Y.shape}"
        )
    return X, Y


def check_eta(eta):
    """The learning rate η as a float; a ValueError unless it is finite and > 0."""
    try:
        value = float(eta)
    except (TypeError, ValueError):
        raise ValueError(f"the learning rate eta must be a number > 0; got eta = {eta!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"the learning rate eta must be finite and > 0; got eta = {eta!r}")
    return value


def check_epochs(epochs):
    """The number of epochs as an int; a ValueError unless it is a whole number ≥ 0."""
    if isinstance(epochs, bool) or not isinstance(epochs, Integral) or epochs < 0:
        raise ValueError(f"epochs must be a whole number >= 0; got epochs = {epochs!r}")
    return int(epochs)


# ---------------------------------------------------------------- the maths, unchecked
# Written with @, swapaxes(-1, -2) and sums over axis -2 so that the same lines also run
# on a stack of networks (params with a leading axis, one network per η): see train_curves.

def _forward(X, p):
    """h', h, y', ŷ for checked inputs (any leading stack axes in p carry through)."""
    h_pre = X @ p["W"] + p["b1"]
    h = sigmoid(h_pre)
    y_pre = h @ p["V"] + p["b2"]
    return {"h_pre": h_pre, "h": h, "y_pre": y_pre, "y_hat": sigmoid(y_pre)}


def _loss(y_hat, Y):
    """C = mean over rows of ½ Σ_j (ŷ_j − y_j)² (over the last two axes)."""
    return 0.5 * np.sum((y_hat - Y) ** 2, axis=(-2, -1)) / Y.shape[-2]


def _backward(X, Y, p, cache):
    """δ_out, δ_hid and the four gradients, from a forward pass ``cache``."""
    h, y_hat = cache["h"], cache["y_hat"]
    dC_dyhat = (y_hat - Y) / Y.shape[-2]
    d_out = dC_dyhat * y_hat * (1 - y_hat)
    dC_dh = d_out @ np.swapaxes(p["V"], -1, -2)
    d_hid = dC_dh * h * (1 - h)
    return {
        "dC_dyhat": dC_dyhat,
        "delta_out": d_out,
        "dC_dh": dC_dh,
        "delta_hid": d_hid,
        "W": np.swapaxes(X, -1, -2) @ d_hid,
        "b1": d_hid.sum(axis=-2, keepdims=True),
        "V": np.swapaxes(h, -1, -2) @ d_out,
        "b2": d_out.sum(axis=-2, keepdims=True),
    }


def _descend(X, Y, p, eta, epochs):
    """Full-batch gradient descent on checked inputs; ``p`` is updated in place.

    Yields, for epochs 0, 1, …, epochs, the forward pass of the params at that epoch
    (after that many updates). ``eta`` is a number, or an array that broadcasts against
    the stack axes of ``p`` (one η per network).
    """
    cache = _forward(X, p)
    yield cache
    for _ in range(epochs):
        grads = _backward(X, Y, p, cache)
        for name in NAMES:
            p[name] -= eta * grads[name]
        cache = _forward(X, p)
        yield cache


# ---------------------------------------------------------------- the public functions

def init_params(seed=0, scale=0.5):
    """Small random weights for the 3-4-2 network, reproducible from ``seed``.

    W (3, 4) and V (4, 2) are drawn from N(0, scale²); the biases b1 (1, 4) and b2 (1, 2)
    start at zero. Returns ``{"W": W, "b1": b1, "V": V, "b2": b2}``.
    """
    rng = np.random.default_rng(seed)
    return {
        "W": rng.normal(0.0, scale, SHAPES["W"]),
        "b1": np.zeros(SHAPES["b1"]),
        "V": rng.normal(0.0, scale, SHAPES["V"]),
        "b2": np.zeros(SHAPES["b2"]),
    }


def forward(X, params):
    """Forward pass, keeping every intermediate: h' = X·W + b1, h = σ(h'), y' = h·V + b2, ŷ = σ(y').

    Args:
        X: (k, 3) inputs, one example per row.
        params: {"W": (3, 4), "b1": (1, 4), "V": (4, 2), "b2": (1, 2)}.

    Returns:
        dict with "h_pre" (k, 4) = h', "h" (k, 4), "y_pre" (k, 2) = y', "y_hat" (k, 2) = ŷ.
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

    Returns a dict with the forward pass ("h_pre", "h", "y_pre", "y_hat") and
        "dC_dyhat"  (k, 2) = (ŷ − y)/k
        "delta_out" (k, 2) = ∂C/∂y' = (ŷ − y)/k ⊙ ŷ ⊙ (1 − ŷ)
        "dC_dh"     (k, 4) = δ_out·Vᵀ (the transpose carries the error back to h)
        "delta_hid" (k, 4) = ∂C/∂h' = (δ_out·Vᵀ) ⊙ h ⊙ (1 − h)
        "W" (3, 4) = Xᵀ·δ_hid,  "b1" (1, 4) = column sums of δ_hid,
        "V" (4, 2) = hᵀ·δ_out,  "b2" (1, 2) = column sums of δ_out.
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
        ``losses[e]`` is C after update e + 1 (so ``losses[-1] == loss(X, Y, new_params)``).
    """
    X, Y = check_inputs(X, Y)
    p = check_params(params)
    eta, epochs = check_eta(eta), check_epochs(epochs)
    steps = _descend(X, Y, p, eta, epochs)
    next(steps)  # epoch 0: the starting point
    losses = [float(_loss(cache["y_hat"], Y)) for cache in steps]
    return p, losses


def accuracy(X, Y, params):
    """The fraction of rows whose largest ŷ is where the largest y is (argmax over the 2 outputs)."""
    X, Y = check_inputs(X, Y)
    y_hat = _forward(X, check_params(params))["y_hat"]
    return float(np.mean(np.argmax(y_hat, axis=-1) == np.argmax(Y, axis=-1)))


def train_curves(X, Y, params, etas, epochs):
    """Train one copy of ``params`` per learning rate, all at once; record C and accuracy each epoch.

    The same arithmetic as ``train``, run on a stack of networks (one per η), so a whole
    grid of learning rates costs about as much as a few single runs.

    Args:
        X: (k, 3) inputs; Y: (k, 2) targets; params: the common starting point (not modified).
        etas: E learning rates, each finite and > 0.
        epochs: the number of updates, ≥ 0.

    Returns:
        (losses, accuracies), both (E, epochs + 1): entry [i, e] is C (or the accuracy) of
        the network trained with ``etas[i]`` after e updates; column 0 is the starting point.
    """
    X, Y = check_inputs(X, Y)
    start = check_params(params)
    etas = np.array([check_eta(e) for e in np.ravel(etas)])
    epochs = check_epochs(epochs)
    E = etas.size
    p = {name: np.repeat(a[None], E, axis=0) for name, a in start.items()}  # (E, …) stacks
    losses = np.empty((E, epochs + 1))
    accuracies = np.empty((E, epochs + 1))
    labels = np.argmax(Y, axis=-1)
    for e, cache in enumerate(_descend(X, Y, p, etas[:, None, None], epochs)):
        losses[:, e] = _loss(cache["y_hat"], Y)
        accuracies[:, e] = np.mean(np.argmax(cache["y_hat"], axis=-1) == labels, axis=-1)
    return losses, accuracies


def make_dataset(k=40, seed=0, noise=1.0):
    """A small synthetic two-class data set in the row convention: X (k, 3), one-hot Y (k, 2).

    Each row of X is drawn from N(0, 1) in 3 features. The class is 1 where
    x₁ + x₂ − x₃ + noise > 0 (a tilted plane, blurred by N(0, noise²) so points near
    it may sit on the wrong side), else 0; row i of Y is (1, 0) for class 0 and (0, 1) for class 1.
    """
    if isinstance(k, bool) or not isinstance(k, Integral) or k < 1:
        raise ValueError(f"k must be a whole number of examples >= 1; got k = {k!r}")
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(k, N_IN))
    label = (X[:, 0] + X[:, 1] - X[:, 2] + rng.normal(0.0, noise, k) > 0).astype(int)
    Y = np.eye(N_OUT)[label]
    return X, Y


def training_verdict(losses, rise=1e-4, crawl=0.5):
    """One word or phrase for a loss curve ``losses`` (1-D, entry 0 = C before training).

    In this order:
        "diverged"     the last C is above the first: training made things worse;
        "oscillating"  C went up by more than ``rise`` between two epochs (η overshoots);
        "crawling"     C is still above ``crawl`` (half) of its start (η too small, or too few epochs);
        "converging"   otherwise; "not started" for a curve of one point (0 epochs).
    """
    losses = np.asarray(losses, dtype=float)
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError(f"losses must be a 1-D curve of at least one value; got shape {losses.shape}")
    if losses.size == 1:
        return "not started"
    if losses[-1] > losses[0]:
        return "diverged"
    if np.max(np.diff(losses)) > rise:
        return "oscillating"
    if losses[-1] > crawl * losses[0]:
        return "crawling"
    return "converging"
