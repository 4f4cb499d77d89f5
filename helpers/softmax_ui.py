"""Notebook 07's pictures and widgets: the softmax explorer (logits → probabilities, the full
Jacobian, ∂L/∂z next to the wrong Hadamard shortcut) and a train/test explorer in the spirit of
TensorFlow Playground (η, epochs, polynomial features; decision regions and both losses).

Math comes from ``softmax.py``; this module only draws.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.colors import to_rgb

from .forward_ui import sub
from .live import Explorer, LiveFigure
from .flipbook import recipe
from .shapes import as_bias_column, as_float_array, dims, whole_number
from .softmax import (as_logits, cross_entropy, cross_entropy_backward, one_hot, polynomial_features, softmax,
                      softmax_jacobian, standardize, three_blobs_split, train_softmax_classifier)
from .stepper import plain_numbers
from .weight_grad_ui import cell_style

CLASS_COLOURS = np.array([to_rgb(c) for c in ("#4c72b0", "#dd8452", "#55a868")])  # class 0, 1, 2
RIGHT_COLOUR, WRONG_COLOUR = "#4c72b0", "#c44e52"
Z_LIMIT = 6.0  # the logit sliders run from −6 to 6


def explorer_logits(z):
    """The explorer's logits as an (m, 1) column: z given as m numbers (a list) or a column (m, 1),
    m ≥ 2, each within the sliders' range −6..6; else ValueError (never clamped by a slider)."""
    z = as_float_array(z, "z")
    if not (z.ndim == 1 or (z.ndim == 2 and z.shape[1] == 1)) or z.shape[0] < 2:
        raise ValueError(f"z must be m logits (a list, or a column (m, 1)) with m ≥ 2; got z of shape {z.shape}")
    z = z.reshape(-1, 1)
    outside = ~(np.abs(z[:, 0]) <= Z_LIMIT)  # NaN is outside too
    if np.any(outside):
        i = int(np.argmax(outside))
        raise ValueError(f"the z sliders run from −6 to 6; got z{sub(i + 1)} = {z[i, 0]}")
    return z


def explorer_label(label, m):
    """The true class as an int 0..m−1 (0-based, as in code); anything else is a ValueError."""
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label < m:
        raise ValueError(f"label is the true class, 0-based: a whole number 0..{m - 1}; got label = {label!r}")
    return int(label)


def html_jacobian(J, p):
    """J = ∂p/∂z (m, m) as a coloured HTML table with its numbers; row i is headed by p_i.

    The colour scale is ±1/4, the largest any entry can be (p_i(1 − p_i) ≤ 1/4 and p_i p_j ≤ 1/4).
    """
    m = J.shape[0]
    td = "padding:5px 9px;text-align:right;font-family:monospace;min-width:3.4em"
    head = "".join(f"<th style='padding:2px 6px'>z{sub(j + 1)}</th>" for j in range(m))
    rows = "".join(
        f"<tr><th style='text-align:right;padding:2px 6px'>p{sub(i + 1)} = {p[i, 0]:.2f}</th>"
        + "".join(f"<td style='{td};{cell_style(v, 0.25)}'>{plain_numbers(v, 3)}</td>" for v in J[i])
        + "</tr>" for i in range(m))
    return ("<table style='border-collapse:separate;border-spacing:2px'>"
            f"<tr><th></th><th colspan='{m}' style='padding:4px'>J = ∂p/∂z = diag(p) − p pᵀ</th></tr>"
            f"<tr><th></th>{head}</tr>{rows}</table>")


class SoftmaxExplorer(Explorer):
    """Sliders for the logits z (m = 3) and the true class; the probabilities p = softmax(z), the
    Jacobian J = diag(p) − p pᵀ as a coloured table, and ∂L/∂z = p − y for L = −log p_true, beside
    what notebook 02's Hadamard rule ∂L/∂p ⊙ diag(J) would give.

    Attributes after a move: z (3, 1), label (0-based class index), y (3, 1) one-hot, p (3, 1),
    J (3, 3), loss, dL_dz (3, 1) = p − y, dL_dz_hadamard (3, 1); z_sliders, class_slider;
    p_bars, grad_bars, hadamard_bars (bar artists); jacobian (the HTML table); readout.
    """

    summary = "sliders for the logits z and the true class; p = softmax(z), its Jacobian and dL/dz"

    def __init__(self, z=(2.0, 1.0, -1.0), label=0):
        z = explorer_logits(z)
        m = z.shape[0]
        label = explorer_label(label, m)
        self.z_sliders = [widgets.FloatSlider(value=float(z[i, 0]), min=-Z_LIMIT, max=Z_LIMIT, step=0.1,
                                              description=f"z{sub(i + 1)}", readout_format=".1f",
                                              continuous_update=True, layout={"width": "300px"})
                          for i in range(m)]
        self.class_slider = widgets.IntSlider(value=label + 1, min=1, max=m, description="true class",
                                              continuous_update=True, layout={"width": "300px"},
                                              style={"description_width": "initial"})
        self.jacobian = widgets.HTML()
        self.readout = self.make_readout()

        self.figure = LiveFigure(figsize=(7.0, 2.5), dpi=80)
        ax_p, ax_g = self.figure.fig.subplots(1, 2)
        positions = np.arange(m)
        self.p_bars = ax_p.bar(positions, np.zeros(m), color="0.65")
        ax_p.set_ylim(0, 1.05)
        ax_p.set_xticks(positions, [f"p{sub(i + 1)}" for i in positions])
        ax_p.set_title(r"$p = \mathrm{softmax}(z)$ (true class dark)", fontsize=10)
        width = 0.38
        self.grad_bars = ax_g.bar(positions - width / 2, np.zeros(m), width, color=RIGHT_COLOUR,
                                  label=r"$p - y$ (right)")
        self.hadamard_bars = ax_g.bar(positions + width / 2, np.zeros(m), width, color="white",
                                      edgecolor=WRONG_COLOUR, hatch="///", label=r"$\partial L/\partial p \odot$ diag$(J)$ (02's rule: wrong)")
        ax_g.set_ylim(-1.05, 1.05)
        ax_g.axhline(0, color="0.4", lw=0.8)
        ax_g.set_xticks(positions, [f"∂L/∂z{sub(i + 1)}" for i in positions])
        ax_g.set_title(r"$\partial L/\partial z$ for $L = -\log p_{\mathrm{true}}$", fontsize=10)
        ax_g.legend(loc="lower left", fontsize=7, frameon=False)
        self.figure.animate(*self.p_bars, *self.grad_bars, *self.hadamard_bars)

        controls = widgets.VBox([widgets.HTML("<b>logits z</b>"), *self.z_sliders, self.class_slider])
        super().__init__([widgets.HBox([controls, self.jacobian]), self.figure.image, self.readout])
        self.observe_controls(*self.z_sliders, self.class_slider)
        self.update()

    def update(self, *_):
        """Read the sliders, recompute p, J, L and ∂L/∂z with the helpers, redraw in place."""
        self.z = np.array([[s.value] for s in self.z_sliders], dtype=float)
        self.label = int(self.class_slider.value) - 1
        m = self.z.shape[0]
        self.y = np.zeros((m, 1))
        self.y[self.label, 0] = 1.0
        self.p = softmax(self.z)
        self.J = softmax_jacobian(self.z)
        self.loss = cross_entropy(self.z, [self.label])
        self.dL_dz = cross_entropy_backward(self.z, [self.label])
        dL_dp = -self.y / self.p                         # ∂L/∂p_i = −y_i / p_i (only the true class)
        self.dL_dz_hadamard = dL_dp * np.diag(self.J).reshape(-1, 1)
        for i, (bar, value) in enumerate(zip(self.p_bars, self.p[:, 0])):
            bar.set_height(value)
            bar.set_color(RIGHT_COLOUR if i == self.label else "0.7")
        for bar, value in zip(self.grad_bars, self.dL_dz[:, 0]):
            bar.set_height(value)
        for bar, value in zip(self.hadamard_bars, self.dL_dz_hadamard[:, 0]):
            bar.set_height(value)
        self.jacobian.value = html_jacobian(self.J, self.p)
        self.readout.value = (f"<code>z = {plain_numbers(self.z)}   p = {plain_numbers(self.p, 3)}   "
                              f"true class {self.label + 1}   L = {self.loss:.3f}   "
                              f"∂L/∂z = p − y = {plain_numbers(self.dL_dz, 3)}   "
                              f"02's rule: {plain_numbers(self.dL_dz_hadamard, 3)}</code>")
        self.figure.refresh()


@recipe
def softmax_explorer(z=(2.0, 1.0, -1.0), label=0):
    """Build notebook 07's softmax explorer: logits z (m ≥ 2 entries in −6..6, the sliders' range;
    default (2, 1, −1)) and the true class ``label`` (0-based, like the labels in code; the slider
    shows it 1-based, like p₁…p_m). Values a slider could not show are a ValueError, never clamped.

    Returns the widget (a ``SoftmaxExplorer``); display it by leaving it last in a cell.
    """
    return SoftmaxExplorer(z, label)


# ---------------------------------------------------------------- decision regions

def region_colours(P):
    """The colour of each point of a grid from its class probabilities P (3, G): the class
    colours mixed in proportion to P and lightened, so a confident region is a clear colour
    and a boundary a grey mix. Returns (G, 3) RGB in [0, 1]."""
    P = as_float_array(P, "P")
    if P.ndim != 2 or P.shape[0] != 3:
        raise ValueError(f"P must be 3×G (three classes' probabilities, one column per point); got P of shape {P.shape}")
    return 0.45 + 0.55 * (P.T @ CLASS_COLOURS)


def grid_points(limit, size):
    """A size × size grid over [−limit, limit]², as points (2, size²) in row-major image order
    (first row at the top, y = +limit)."""
    if (isinstance(limit, bool) or not isinstance(limit, (int, float, np.integer, np.floating))
            or not np.isfinite(limit) or limit <= 0):
        raise ValueError(f"limit must be a finite number > 0 (the plane shown is [−limit, limit]²); got limit = {limit!r}")
    size = whole_number(size, "size", 2)
    ticks = np.linspace(-limit, limit, size)
    gx, gy = np.meshgrid(ticks, ticks[::-1])
    return np.vstack([gx.ravel(), gy.ravel()])


def plot_decision_regions(ax, W, b, X_train, y_train, X_test=None, y_test=None, features=None,
                          limit=2.6, size=200):
    """Colour the plane by the classifier's probabilities, softmax(W f(x) + b), and draw the points.

    Args:
        ax: a matplotlib Axes.   W: (3, F), b: (3, 1) the trained layer.
        X_train: (2, k) training points, drawn as filled dots; y_train: (k,) their labels 0..2.
        X_test, y_test: optional held-out points, drawn as hollow rings.
        features: f, a function from points (2, G) to the layer's input (F, G); default the points themselves.
        limit, size: the square [−limit, limit]² drawn, and its resolution (size × size).
    """
    W = as_float_array(W, "W")
    if W.ndim != 2 or W.shape[0] != 3:
        raise ValueError(f"W must be 3×F (one row per class); got W of shape {W.shape}")
    b = as_bias_column(b, 3, f"W is {dims(W.shape)}, so b")
    grid = grid_points(limit, size)
    F = grid if features is None else as_float_array(features(grid), "features(points)")
    if F.ndim != 2 or F.shape != (W.shape[1], grid.shape[1]):
        raise ValueError(f"W is {dims(W.shape)}, so features(points) must have {W.shape[1]} rows; got shape {F.shape}")
    P = softmax(W @ F + b)
    ax.imshow(region_colours(P).reshape(size, size, 3), extent=(-limit, limit, -limit, limit),
              interpolation="bilinear")
    draw_points(ax, X_train, y_train, X_test, y_test)
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)


def plane_points_and_labels(X, y, name_X, name_y):
    """(X, y) checked: X (2, k) points of the plane, y (k,) class labels 0..2 (the three colours)."""
    X = as_float_array(X, name_X)
    if X.ndim != 2 or X.shape[0] != 2 or X.shape[1] < 1:
        raise ValueError(f"{name_X} must hold points of the plane, 2 rows (x₁, x₂), one point per column; "
                         f"got {name_X} of shape {X.shape}")
    X = as_logits(X, name_X)  # finite
    k = X.shape[1]
    try:
        labels = np.asarray(y)
    except ValueError:  # ragged lists
        labels = np.asarray(None)
    if labels.ndim != 1 or labels.shape[0] != k:
        raise ValueError(f"{name_y} must be {k} class labels, shape ({k},); got {name_y} of shape {labels.shape}")
    if labels.dtype.kind in "iuf":
        outside = (labels < 0) | (labels > 2)  # NaN is left to one_hot's "whole numbers" message
        if np.any(outside):
            j = int(np.argmax(outside))
            raise ValueError(f"the explorer colours three classes, so the labels {name_y} must be in 0..2; "
                             f"got {name_y}[{j}] = {labels[j]}")
    Y = one_hot(labels, 3, k, name_y)  # whole numbers, not bools or text
    return X, np.argmax(Y, axis=0)


def draw_points(ax, X_train, y_train, X_test=None, y_test=None):
    """Training points as filled dots, test points as hollow rings, in their class colours.

    Args:
        X_train: (2, k) points, y_train: (k,) labels 0..2; X_test, y_test: the same for k_test points, or None.

    Returns the artists, one marker line per class and set (test ones first, drawn below).
    """
    points = []
    for X, y, filled, suffix in [(X_test, y_test, False, "_test"), (X_train, y_train, True, "_train")]:
        if X is None:
            continue
        X, y = plane_points_and_labels(X, y, "X" + suffix, "y" + suffix)
        for c, colour in enumerate(CLASS_COLOURS):
            style = ({"mfc": colour, "mec": "black", "mew": 0.6, "ms": 5} if filled
                     else {"mfc": "none", "mec": colour, "mew": 0.9, "ms": 4})
            points += ax.plot(X[0, y == c], X[1, y == c], "o", ls="none", **style)
    return points


# ---------------------------------------------------------------- the train/test explorer

ETA_LOG_MIN, ETA_LOG_MAX, ETA_LOG_STEP = -1.0, 1.0, 0.5  # η = 0.1, 0.32, 1, 3.2, 10
MAX_DEGREE = 5
LOSS_LIMITS = (0.0, 1.5)  # a larger loss is drawn at the top edge; the readout has the number


def overfitting_verdict(train_losses, test_losses, epochs):
    """One phrase about the loss curves up to now.

    Args:
        train_losses, test_losses: (s,) the training and test loss at the epochs ``epochs`` (s,),
            entry 0 before training.

    Returns, when the last test loss is more than 5 % above the lowest so far: "overfitting: …"
    if the training loss has fallen since that lowest test loss (the model fits the training
    points better and new points worse), else "… the training loss rose too: η too large, not
    overfitting" (the steps overshoot). Otherwise "test loss still falling" or "test loss flat".
    """
    curves = [np.asarray(a, dtype=float) if np.asarray(a).dtype.kind in "biuf" else None
              for a in (train_losses, test_losses, epochs)]
    if (any(c is None or c.ndim != 1 for c in curves) or curves[0].size == 0
            or not curves[0].shape == curves[1].shape == curves[2].shape
            or not all(np.all(np.isfinite(c)) for c in curves)):
        raise ValueError("train_losses, test_losses and epochs must be 1-D arrays of finite numbers, one entry per "
                         f"kept epoch, all of the same length ≥ 1; got shapes {[np.shape(a) for a in (train_losses, test_losses, epochs)]}")
    train_losses, test_losses, epochs = curves
    best = int(np.argmin(test_losses))
    last, low = float(test_losses[-1]), float(test_losses[best])
    if last > 1.05 * low:
        rise = f"test loss {last - low:.2f} above its lowest ({low:.2f} at epoch {epochs[best]:.0f})"
        if train_losses[-1] < train_losses[best]:
            return f"overfitting: {rise}"
        return f"{rise}, but the training loss rose too: η too large, not overfitting"
    if len(test_losses) > 1 and test_losses[-1] < test_losses[-2]:
        return "test loss still falling"
    return "test loss flat"


class TrainTestExplorer(Explorer):
    """TensorFlow-Playground-style: epochs, learning rate η and the features' polynomial degree;
    the decision regions at that epoch and the training and test losses as curves.

    One dense layer Z = W f(x) + b with softmax and cross-entropy, trained from W = 0 by full-batch
    gradient descent (``train_softmax_classifier``) on f(x) = every product x₁^a x₂^b with
    1 ≤ a + b ≤ degree, standardized on the training set. Every degree is trained when the widget
    is built, for every η of the slider at once and all epochs; a move only reads the stored runs
    and redraws.

    Attributes after a move: epochs, eta, degree (the slider values); run (the stored dict of
    ``train_softmax_classifier`` for this degree); W (3, F), b (3, 1) at the chosen epoch;
    train_loss, test_loss, train_accuracy, test_accuracy (floats at that epoch); train_losses,
    test_losses (the curves up to it, one value per kept epoch); verdict; regions (the image
    artist); readout; epochs_slider, eta_slider, degree_slider.
    """

    summary = "epochs, learning rate and features; decision regions, training and test loss"

    def __init__(self, X_train, y_train, X_test, y_test, epochs=300, eta=1.0, degree=1,
                 max_epochs=1000, every=10, limit=2.6, size=80):
        self.X_train, self.y_train = plane_points_and_labels(X_train, y_train, "X_train", "y_train")
        self.X_test, self.y_test = plane_points_and_labels(X_test, y_test, "X_test", "y_test")
        every = whole_number(every, "every", 1)
        if isinstance(max_epochs, bool) or not isinstance(max_epochs, (int, np.integer)) or max_epochs < every:
            raise ValueError(f"max_epochs must be a whole number ≥ {every} (one step of the epochs slider); "
                             f"got max_epochs = {max_epochs!r}")
        self.max_epochs, self.every, self.size = int(max_epochs), every, whole_number(size, "size", 2)
        self.etas = 10 ** np.arange(ETA_LOG_MIN, ETA_LOG_MAX + ETA_LOG_STEP / 2, ETA_LOG_STEP)
        if (isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer))
                or not 0 <= epochs <= max_epochs or epochs % every):
            raise ValueError(f"epochs must be a multiple of {every} from 0 to {max_epochs} (the slider's steps); "
                             f"got epochs = {epochs!r}")
        on_slider = (not isinstance(eta, bool) and isinstance(eta, (int, float, np.integer, np.floating))
                     and np.any(np.isclose(eta, self.etas, rtol=1e-6, atol=0)))
        if not on_slider:
            raise ValueError("η must be one of the slider's values " + ", ".join(f"{e:.3g}" for e in self.etas)
                             + f"; got eta = {eta!r}")
        if isinstance(degree, bool) or not isinstance(degree, (int, np.integer)) or not 1 <= degree <= MAX_DEGREE:
            raise ValueError(f"degree must be a whole number from 1 to {MAX_DEGREE}; got degree = {degree!r}")
        self.grid = grid_points(limit, size)
        self._runs = {}
        for d in range(1, MAX_DEGREE + 1):  # all at build time: every slider move is then a lookup
            self.runs(d)

        self.epochs_slider = widgets.IntSlider(value=epochs, min=0, max=max_epochs, step=every,
                                               description="epochs", continuous_update=True,
                                               layout={"width": "330px"})
        self.eta_slider = widgets.FloatLogSlider(value=eta, base=10, min=ETA_LOG_MIN, max=ETA_LOG_MAX,
                                                 step=ETA_LOG_STEP, description="η", readout_format=".3g",
                                                 continuous_update=True, layout={"width": "330px"})
        self.degree_slider = widgets.IntSlider(value=degree, min=1, max=MAX_DEGREE, description="degree",
                                               continuous_update=True, layout={"width": "330px"})
        self.readout = self.make_readout()

        self.figure = LiveFigure(figsize=(7.6, 2.9), dpi=80)
        ax_map, ax_loss = self.figure.fig.subplots(1, 2, width_ratios=[1, 1.35])
        self.regions = ax_map.imshow(np.ones((size, size, 3)), extent=(-limit, limit, -limit, limit),
                                     interpolation="nearest")
        points = draw_points(ax_map, self.X_train, self.y_train, self.X_test, self.y_test)
        ax_map.set_xlim(-limit, limit)
        ax_map.set_ylim(-limit, limit)
        ax_map.set_aspect("equal")
        ax_map.grid(False)
        ax_map.set_title("decision regions (dots: training, rings: test)", fontsize=9)
        kept = np.arange(0, max_epochs + 1, every)
        ones = np.ones(kept.size)
        self.train_ghost, = ax_loss.plot(kept, ones, color="#4c72b0", lw=1, alpha=0.3)
        self.test_ghost, = ax_loss.plot(kept, ones, color="#c44e52", lw=1, alpha=0.3)
        self.train_line, = ax_loss.plot([], [], color="#4c72b0", lw=2, label="training loss")
        self.test_line, = ax_loss.plot([], [], color="#c44e52", lw=2, label="test loss")
        self.train_dot, = ax_loss.plot([], [], "o", color="#4c72b0", ms=5)
        self.test_dot, = ax_loss.plot([], [], "o", color="#c44e52", ms=5)
        ax_loss.set_ylim(*LOSS_LIMITS)
        ax_loss.set_xlim(0, max_epochs)
        ax_loss.set_xlabel("epoch (full-batch updates)")
        ax_loss.set_ylabel("cross-entropy (clipped at 1.5)")
        ax_loss.legend(loc="upper right", fontsize=8, frameon=False)
        ax_loss.set_title("faint: all epochs, bold: up to the chosen one", fontsize=9)
        self.figure.animate(self.regions, *points, self.train_ghost, self.test_ghost, self.train_line, self.test_line,
                            self.train_dot, self.test_dot)

        controls = widgets.HBox([self.epochs_slider, self.eta_slider, self.degree_slider])
        super().__init__([controls, self.figure.image, self.readout])
        self.observe_controls(self.epochs_slider, self.eta_slider, self.degree_slider)
        self.update()

    def features(self, degree):
        """(F_train, F_test, F_grid): the polynomial features of the training, test and grid
        points, standardized with the training set's mean and std."""
        return standardize(*(polynomial_features(X, degree) for X in (self.X_train, self.X_test, self.grid)))

    def runs(self, degree):
        """``train_softmax_classifier`` for ``degree``, every η of the slider: trained once, then kept."""
        if degree not in self._runs:
            F_train, F_test, F_grid = self.features(degree)
            run = train_softmax_classifier(F_train, self.y_train, F_test, self.y_test, self.etas,
                                           self.max_epochs, self.every, m=3)
            run["F_grid"] = F_grid
            self._runs[degree] = run
        return self._runs[degree]

    def update(self, *_):
        """Read the sliders, take the stored run at the chosen epoch, redraw regions and curves."""
        self.epochs = int(self.epochs_slider.value) // self.every * self.every
        self.degree = int(self.degree_slider.value)
        e = int(round((np.log10(self.eta_slider.value) - ETA_LOG_MIN) / ETA_LOG_STEP))
        e = min(max(e, 0), len(self.etas) - 1)
        self.eta = float(self.etas[e])
        self.run = self.runs(self.degree)
        s = self.epochs // self.every
        self.W, self.b = self.run["W"][e, s], self.run["b"][e, s]
        self.train_losses = self.run["train_loss"][e, : s + 1]
        self.test_losses = self.run["test_loss"][e, : s + 1]
        self.train_loss, self.test_loss = float(self.train_losses[-1]), float(self.test_losses[-1])
        self.train_accuracy = float(self.run["train_accuracy"][e, s])
        self.test_accuracy = float(self.run["test_accuracy"][e, s])
        self.verdict = overfitting_verdict(self.train_losses, self.test_losses, self.run["epochs"][: s + 1])

        P = softmax(self.W @ self.run["F_grid"] + self.b)
        self.regions.set_data(region_colours(P).reshape(self.size, self.size, 3))
        kept = self.run["epochs"]
        shown = {name: np.clip(self.run[name][e], *LOSS_LIMITS) for name in ("train_loss", "test_loss")}
        self.train_ghost.set_ydata(shown["train_loss"])
        self.test_ghost.set_ydata(shown["test_loss"])
        self.train_line.set_data(kept[: s + 1], shown["train_loss"][: s + 1])
        self.test_line.set_data(kept[: s + 1], shown["test_loss"][: s + 1])
        self.train_dot.set_data([self.epochs], [shown["train_loss"][s]])
        self.test_dot.set_data([self.epochs], [shown["test_loss"][s]])
        n_features = self.W.shape[1]
        self.readout.value = (
            f"<code>degree {self.degree} ({n_features} features, {self.W.size + self.b.size} weights)   "
            f"η = {self.eta:.3g}   epoch {self.epochs}   "
            f"training: L = {self.train_loss:.3f}, accuracy {100 * self.train_accuracy:.1f} %   "
            f"test: L = {self.test_loss:.3f}, accuracy {100 * self.test_accuracy:.1f} %   {self.verdict}</code>")
        self.figure.refresh()


@recipe
def train_test_explorer(X_train=None, y_train=None, X_test=None, y_test=None, epochs=300, eta=1.0, degree=1):
    """Build notebook 07's train/test explorer. Defaults: ``three_blobs_split()`` (60 training points,
    240 test points), 300 epochs of at most 1000, η = 1, degree 1 (the plain x₁, x₂).

    Values the sliders cannot show (epochs not a multiple of 10 in 0..1000, η not one of 0.1, 0.316,
    1, 3.16, 10, degree not 1..5) are a ValueError, never clamped or snapped.

    Returns the widget (a ``TrainTestExplorer``); display it by leaving it last in a cell.
    """
    if X_train is None:
        X_train, y_train, X_test, y_test = three_blobs_split()
    return TrainTestExplorer(X_train, y_train, X_test, y_test, epochs=epochs, eta=eta, degree=degree)
