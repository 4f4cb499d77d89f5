"""Notebook 05's pictures and widgets: the 3-4-2 diagram, the learning-rate (η) explorer, and
the step-through of this network's backward pass.

Math comes from ``network.py``; this module only draws.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from .forward_ui import sub
from .latex import latex_matrix, latex_partial
from .live import Explorer, LiveFigure
from .flipbook import recipe
from .network import (NAMES, backward, check_inputs, check_number, check_params, init_params, make_dataset,
                      train_history, training_verdict)
from .stepper import Step
from .stepper_ui import MatrixSliders, Stepper

POSITIVE, NEGATIVE, NEUTRAL = "#4c72b0", "#c44e52", "0.55"


def _layer_y(count):
    """Heights of ``count`` nodes, centred on 0, one unit apart."""
    return np.arange(count)[::-1] - (count - 1) / 2


def draw_network(ax, params=None, label_edges=True):
    """Draw the 3-4-2 network on ``ax``: nodes x₁…x₃ → h₁…h₄ → ŷ₁, ŷ₂; every edge is one weight.

    Args:
        ax: a matplotlib Axes.
        params: optional {"W": (3, 4), "V": (4, 2), …}: edges are then coloured by sign
            (blue > 0, red < 0) and as thick as |weight|; without it all edges are grey.
        label_edges: write w₁,ⱼ on the edges leaving x₁ and vᵢ,₁ on those entering ŷ₁,
            so the picture shows which index is which (row convention: w_ij joins x_i to h_j).
    """
    if not hasattr(ax, "add_line") or not hasattr(ax, "add_patch"):
        raise ValueError(f"ax must be a matplotlib Axes (e.g. from plt.subplots()); got ax = {ax!r}")
    if not isinstance(label_edges, bool):
        raise ValueError(f"label_edges must be True or False; got label_edges = {label_edges!r}")
    params = None if params is None else check_params(params)
    xs = {"x": 0.0, "h": 3.0, "y": 6.0}
    ys = {"x": _layer_y(3), "h": _layer_y(4), "y": _layer_y(2)}
    blocks = [("x", "h", "W", "w"), ("h", "y", "V", "v")]
    for src, dst, name, letter in blocks:
        weights = None if params is None else np.asarray(params[name], dtype=float)
        scale = 1.0 if weights is None else max(np.abs(weights).max(), 1e-12)
        for i, y0 in enumerate(ys[src]):
            for j, y1 in enumerate(ys[dst]):
                if weights is None:
                    colour, width = NEUTRAL, 1.2
                else:
                    w = weights[i, j]
                    colour, width = (POSITIVE if w >= 0 else NEGATIVE), 0.5 + 3.5 * abs(w) / scale
                ax.add_line(Line2D([xs[src], xs[dst]], [y0, y1], color=colour, lw=width, zorder=1, alpha=0.85))
                if label_edges and ((i == 0) if letter == "w" else (j == 0)):
                    t = 0.55 if letter == "w" else 0.45  # the middle of the fan: labels stay apart
                    ax.text(xs[src] + t * (xs[dst] - xs[src]), y0 + t * (y1 - y0),
                            f"{letter}{sub(i + 1)},{sub(j + 1)}", fontsize=9, ha="center", va="center",
                            color="0.1", zorder=4,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "0.75", "lw": 0.5})
    labels = {"x": "x", "h": "h", "y": "ŷ"}
    fills = {"x": "#d8ecff", "h": "#e8e8e8", "y": "#f6d2d2"}
    for layer, heights in ys.items():
        for i, y in enumerate(heights):
            ax.add_patch(Circle((xs[layer], y), 0.3, fc=fills[layer], ec="0.3", zorder=3))
            ax.text(xs[layer], y, f"{labels[layer]}{sub(i + 1)}", ha="center", va="center", fontsize=11, zorder=5)
    ax.text(1.5, 2.0, "W (3×4)\n$z^{(1)} = xW + b^{(1)}$\n$h = \\sigma(z^{(1)})$", ha="center", va="bottom",
            fontsize=10)
    ax.text(4.5, 2.0, "V (4×2)\n$z^{(2)} = hV + b^{(2)}$\n$\\hat y = \\sigma(z^{(2)})$", ha="center",
            va="bottom", fontsize=10)
    for layer, text in [("x", "input x\n1×3"), ("h", "hidden h\n1×4"), ("y", "output ŷ\n1×2")]:
        ax.text(xs[layer], -2.0, text, ha="center", va="top", fontsize=10, color="0.25")
    ax.set_xlim(-0.5, 6.5)
    ax.set_ylim(-2.9, 3.6)
    ax.set_aspect("equal")
    ax.axis("off")


# The η slider's grid: 10^-2 … 10^3 in quarter decades, each rounded to the 4 significant
# digits the readout shows. Whatever float the slider sends (a browser's 10**2.5 may differ from
# numpy's in the last bit), the explorer trains float(f"{value:.4g}"): exactly the η it prints.
ETA_LOG_MIN, ETA_LOG_MAX, ETA_LOG_STEP = -2.0, 3.0, 0.25
ETA_DIGITS = ".4g"


def shown_eta(value):
    """The learning rate the explorer trains for a slider value: ``value`` to 4 significant digits."""
    return float(format(float(value), ETA_DIGITS))


ETA_GRID = tuple(shown_eta(10 ** (ETA_LOG_MIN + i * ETA_LOG_STEP))
                 for i in range(round((ETA_LOG_MAX - ETA_LOG_MIN) / ETA_LOG_STEP) + 1))
LOSS_LIMITS = (1e-3, 1.0)
TEST_EVERY = 10          # the test curves are drawn every 10 epochs (the epochs slider's step)
KEEP_OFF_GRID = 32       # learning rates off the grid kept trained (the oldest is dropped first)


class EtaExplorer(Explorer):
    """A log-scale η slider and an epochs slider; C and the accuracy, on the training set and on a
    held-out test set, redraw in place.

    Each η is trained once for ``max_epochs`` (``train_history``: the grid when the widget is built,
    any other η on first use); moving either slider then only slices the stored run.

    Attributes a test can read after moving a slider:
        eta_slider (FloatLogSlider), epochs_slider (IntSlider): the controls;
        eta: the learning rate trained and shown (the slider's value to 4 significant digits);
        epochs: the chosen epoch;  history: the ``History`` of the run at ``eta``;
        losses, accuracies (epochs + 1,): training C and accuracy up to the chosen epoch;
        loss, accuracy: their values at the chosen epoch;  verdict: ``training_verdict(losses)``;
        test_loss, test_accuracy: C and the accuracy on the test set at the chosen epoch (None without one);
        loss_line, acc_line, test_loss_line, test_acc_line: the bold artists;  readout: the text line.
    """

    summary = ("a log-scale learning-rate slider and an epochs slider; cost and accuracy on the "
               "training set and on a held-out test set")

    def __init__(self, X, Y, params, X_test=None, Y_test=None, eta=10.0, epochs=300, max_epochs=1000):
        self.X, self.Y = check_inputs(X, Y)
        self.params = check_params(params)
        if (X_test is None) != (Y_test is None):
            raise ValueError("give both X_test and Y_test (a held-out test set), or neither")
        self.X_test, self.Y_test = (None, None) if X_test is None else check_inputs(X_test, Y_test)
        self.max_epochs = check_number(max_epochs, "max_epochs", low=1, high=10_000, whole=True,
                                       what="max_epochs (every run of 21 learning rates is kept)")
        eta = check_number(eta, "eta", low=10 ** ETA_LOG_MIN, high=10 ** ETA_LOG_MAX,
                           what="eta (the η slider runs from 0.01 to 1000)")
        epochs = check_number(epochs, "epochs", low=0, high=self.max_epochs, whole=True,
                              what=f"epochs (at most max_epochs = {self.max_epochs})")
        self.test_epochs = np.arange(0, self.max_epochs + 1, TEST_EVERY)
        self._runs = {}
        self._grid_keys = set(ETA_GRID)   # trained now and always kept
        for grid_eta in ETA_GRID:
            self.run(grid_eta)

        self.eta_slider = widgets.FloatLogSlider(
            value=eta, base=10, min=ETA_LOG_MIN, max=ETA_LOG_MAX, step=ETA_LOG_STEP,
            description="η", readout_format=ETA_DIGITS, continuous_update=True, layout={"width": "340px"})
        self.epochs_slider = widgets.IntSlider(
            value=epochs, min=0, max=self.max_epochs, step=10, description="epochs",
            continuous_update=True, layout={"width": "340px"})
        self.readout = self.make_readout()
        self._build_figure()
        super().__init__([widgets.HBox([self.eta_slider, self.epochs_slider]), self.figure.image, self.readout])
        self.observe_controls(self.eta_slider, self.epochs_slider)
        self.update()

    def _build_figure(self):
        """Two panels, C (log scale) and the accuracy; faint = the whole run, bold = up to the chosen epoch."""
        self.figure = LiveFigure(figsize=(8.0, 2.9), dpi=80)
        ax_loss, ax_acc = self.figure.fig.subplots(1, 2)
        every = np.arange(self.max_epochs + 1)
        train_style, test_style = {"color": "#4c72b0"}, {"color": "#55a868", "ls": "--"}
        acc_style = {"color": "#dd8452"}
        self.loss_ghost, = ax_loss.plot(every, np.ones(every.size), lw=1, alpha=0.3, **train_style)
        self.loss_line, = ax_loss.plot([], [], lw=2, label="training set", **train_style)
        self.loss_dot, = ax_loss.plot([], [], "o", ms=5, **train_style)
        self.acc_ghost, = ax_acc.plot(every, np.ones(every.size), lw=1, alpha=0.3, **acc_style)
        self.acc_line, = ax_acc.plot([], [], lw=2, label="training set", **acc_style)
        self.acc_dot, = ax_acc.plot([], [], "o", ms=5, **acc_style)
        moving = [self.loss_ghost, self.loss_line, self.loss_dot, self.acc_ghost, self.acc_line, self.acc_dot]
        self.test_loss_line = self.test_acc_line = None
        if self.X_test is not None:
            n = self.X_test.shape[0]
            self.test_loss_ghost, = ax_loss.plot(self.test_epochs, np.ones(self.test_epochs.size), lw=1,
                                                 alpha=0.3, **test_style)
            self.test_loss_line, = ax_loss.plot([], [], lw=1.6, label=f"test set ({n} new)", **test_style)
            self.test_acc_ghost, = ax_acc.plot(self.test_epochs, np.ones(self.test_epochs.size), lw=1,
                                               alpha=0.3, **test_style)
            self.test_acc_line, = ax_acc.plot([], [], lw=1.6, label=f"test set ({n} new)", **test_style)
            moving += [self.test_loss_ghost, self.test_loss_line, self.test_acc_ghost, self.test_acc_line]
        ax_loss.set_yscale("log")
        ax_loss.set_ylim(*LOSS_LIMITS)
        ax_loss.set_ylabel("cost $C$ (log scale)")
        ax_loss.set_title(r"$C = \frac{1}{k}\sum_{\text{rows}} \frac{1}{2}\sum_j (\hat y_j - y_j)^2$", fontsize=10)
        ax_acc.set_ylim(-0.03, 1.03)
        ax_acc.set_ylabel("accuracy (fraction right)")
        ax_acc.set_title(r"accuracy: largest $\hat y_j$ on the right class", fontsize=10)
        for ax in (ax_loss, ax_acc):
            ax.set_xlim(0, self.max_epochs)
            ax.set_xlabel("epoch (full-batch updates)")
            ax.legend(loc="lower left", fontsize=8, frameon=False)
        ax_loss.text(0.97, 0.97, f"faint: all {self.max_epochs} epochs\nbold: up to the chosen one",
                     transform=ax_loss.transAxes, ha="right", va="top", fontsize=8, color="0.35")
        self.figure.animate(*moving)
        # No text in the figure moves: drawing one label costs more than all the lines together.
        # η, C, the accuracies and the verdict are in the readout line below it.

    def run(self, eta):
        """The stored run at learning rate ``eta`` (rounded as shown), trained on first use.

        Returns a dict: "history" (``History`` of ``max_epochs`` updates) and, with a test set,
        "test_loss", "test_accuracy" at the epochs ``self.test_epochs``.
        """
        key = shown_eta(check_number(eta, "eta", low=0.0, low_open=True))
        if key not in self._runs:
            history = train_history(self.X, self.Y, self.params, key, self.max_epochs)
            run = {"history": history}
            if self.X_test is not None:
                run["test_loss"], run["test_accuracy"] = history.evaluate(self.X_test, self.Y_test, self.test_epochs)
            off_grid = [k for k in self._runs if k not in self._grid_keys]
            if len(off_grid) >= KEEP_OFF_GRID:
                del self._runs[off_grid[0]]
            self._runs[key] = run
        return self._runs[key]

    def update(self, *_):
        """Slice the stored run at the chosen epoch, redraw the moving lines and the readout."""
        self.eta, self.epochs = shown_eta(self.eta_slider.value), int(self.epochs_slider.value)
        run = self.run(self.eta)
        self.history = history = run["history"]
        e = self.epochs
        self.losses, self.accuracies = history.losses[: e + 1], history.accuracies[: e + 1]
        self.loss, self.accuracy = float(self.losses[-1]), float(self.accuracies[-1])
        self.verdict = training_verdict(self.losses)
        shown = np.clip(history.losses, *LOSS_LIMITS)  # a log axis cannot show 0
        epochs_axis = np.arange(e + 1)
        self.loss_ghost.set_ydata(shown)
        self.acc_ghost.set_ydata(history.accuracies)
        self.loss_line.set_data(epochs_axis, shown[: e + 1])
        self.acc_line.set_data(epochs_axis, history.accuracies[: e + 1])
        self.loss_dot.set_data([e], [shown[e]])
        self.acc_dot.set_data([e], [history.accuracies[e]])
        text = (f"η = {self.eta:{ETA_DIGITS}}   epochs = {e}   training set ({self.X.shape[0]}): "
                f"C = {self.loss:.4f}, accuracy = {100 * self.accuracy:.1f} %")
        self.test_loss = self.test_accuracy = None
        if self.X_test is not None:
            self.test_loss, self.test_accuracy = history.evaluate(self.X_test, self.Y_test, e)
            upto = self.test_epochs <= e
            tests = np.clip(run["test_loss"], *LOSS_LIMITS)
            self.test_loss_ghost.set_ydata(tests)
            self.test_acc_ghost.set_ydata(run["test_accuracy"])
            self.test_loss_line.set_data(self.test_epochs[upto], tests[upto])
            self.test_acc_line.set_data(self.test_epochs[upto], run["test_accuracy"][upto])
            text += (f"   test set ({self.X_test.shape[0]}): C = {self.test_loss:.4f}, "
                     f"accuracy = {100 * self.test_accuracy:.1f} %")
        self.readout.value = f"<code>{text}   {self.verdict}</code>"
        self.figure.refresh()


@recipe
def eta_explorer(X=None, Y=None, params=None, X_test=None, Y_test=None, eta=10.0, epochs=300, max_epochs=1000):
    """Build notebook 05's learning-rate explorer.

    Args:
        X (k, 3), Y (k, 2): the training set; default ``make_dataset()`` (40 rows, seed 0).
        params: the starting point {"W": (3, 4), "b1": (1, 4), "V": (4, 2), "b2": (1, 2)}; default ``init_params(0)``.
        X_test (n, 3), Y_test (n, 2): held-out data from the same source, never trained on; default,
            when X and Y are the default too, ``make_dataset(1000, seed=1)``; else none unless given.
        eta: the starting η, from 0.01 to 1000 (the slider's range);  epochs: the starting epoch,
            from 0 to ``max_epochs``;  max_epochs: how long each run is, a whole number from 1 to 10000 (every
            run is kept, so that moving a slider only slices it).

    Returns the widget (an ``EtaExplorer``); display it by leaving it last in a cell.
    """
    if X is None and Y is None:
        X, Y = make_dataset()
        if X_test is None and Y_test is None:
            X_test, Y_test = make_dataset(1000, seed=1)
    elif X is None or Y is None:
        raise ValueError("give both X and Y (the training set), or neither for the notebook's data")
    params = init_params(0) if params is None else params
    return EtaExplorer(X, Y, params, X_test, Y_test, eta=eta, epochs=epochs, max_epochs=max_epochs)


def M(a):
    """A matrix as LaTeX with 3 decimals: two σ' ≤ ¼ factors make the hidden gradients small."""
    return latex_matrix(a, decimals=3)


def grad(name):
    r"""LaTeX of ∂C/∂name (``helpers.latex.latex_partial`` with the seed's cost C)."""
    return latex_partial(name, of="C")


DC_DYHAT = grad(r"\hat y")

NETWORK_SYMBOLS = {
    "x": "x", "y": "y", "W": "W", "b1": "b^{(1)}", "V": "V", "b2": "b^{(2)}", "z1": "z^{(1)}", "h": "h",
    "z2": "z^{(2)}", "y_hat": r"\hat y", "C": "C", "dC_dyhat": r"\partial C/\partial \hat y",
    "dC_dz2": r"\partial C/\partial z^{(2)}", "dC_dV": r"\partial C/\partial V",
    "dC_db2": r"\partial C/\partial b^{(2)}", "dC_dh": r"\partial C/\partial h",
    "dC_dz1": r"\partial C/\partial z^{(1)}", "dC_dW": r"\partial C/\partial W",
    "dC_db1": r"\partial C/\partial b^{(1)}",
}


def _hadamard_step(z, incoming, incoming_tex, act, act_tex, note):
    """The step ∂C/∂z = incoming ⊙ act ⊙ (1 − act): the sigmoid's σ'(z) = act ⊙ (1 − act), entry by entry."""
    layer = {"z2": "output", "z1": "hidden layer"}[z]
    z_tex = f"z^{{({z[1]})}}"
    return Step(
        f"the Hadamard product at the {layer}",
        lambda s: rf"{grad(z_tex)} = {incoming_tex} \odot {act_tex} \odot "
                  rf"(1 - {act_tex}) = {M(s[incoming])} \odot {M(s[act] * (1 - s[act]))} = {M(s['dC_d' + z])}",
        reads=(incoming, act), writes=(f"dC_d{z}",), note=note)


def _outer_product_step(weights, bias, inp, z, note):
    """The step ∂C/∂weights = inpᵀ·∂C/∂z (an outer product for one example) and ∂C/∂bias = ∂C/∂z."""
    bias_tex = f"b^{{({bias[1]})}}"
    z_tex = f"z^{{({z[1]})}}"
    return Step(
        f"the outer product and the bias ({weights}, b⁽{'¹²'[int(bias[1]) - 1]}⁾)",
        lambda s: rf"\begin{{aligned}} {grad(weights)} &= {inp}^T {grad(z_tex)} = {M(s[inp].T)} "
                  rf"{M(s['dC_d' + z])} = {M(s['dC_d' + weights])} \\[4pt] {grad(bias_tex)} &= "
                  rf"{grad(z_tex)} = {M(s['dC_d' + bias])} \end{{aligned}}",
        reads=(inp, f"dC_d{z}"), writes=(f"dC_d{weights}", f"dC_d{bias}"), note=note)


def network_steps():
    """The 7 steps of the 3-4-2 network's forward and backward pass, row convention, one example.

    Forward; ∂C/∂ŷ; the Hadamard product at the output (∂C/∂z⁽²⁾); the outer product hᵀ·∂C/∂z⁽²⁾ and
    the bias; the transpose ∂C/∂z⁽²⁾·Vᵀ; the Hadamard product at the hidden layer (∂C/∂z⁽¹⁾); the outer
    product xᵀ·∂C/∂z⁽¹⁾ and the bias. The state names are those of ``NETWORK_SYMBOLS``.
    """
    return [
        Step("the forward pass",
             lambda s: rf"\begin{{aligned}} z^{{(1)}} &= x W + b^{{(1)}} = {M(s['x'])} {M(s['W'])} + {M(s['b1'])} "
                       rf"\\[4pt] &= {M(s['z1'])}, \qquad h = \sigma(z^{{(1)}}) = {M(s['h'])} \\[4pt] "
                       rf"z^{{(2)}} &= h V + b^{{(2)}} = {M(s['z2'])}, \qquad \hat y = \sigma(z^{{(2)}}) = "
                       rf"{M(s['y_hat'])}, \qquad "
                       rf"C = \tfrac12 \lVert \hat y - y \rVert^2 = {s['C']:.4f} \end{{aligned}}",
             reads=("x", "W", "b1", "V", "b2", "y"), writes=("z1", "h", "z2", "y_hat", "C"),
             note="Row convention: the example is a 1×3 row and every layer multiplies from the right."),
        Step("where the gradient starts: ∂C/∂ŷ",
             lambda s: rf"{DC_DYHAT} = \hat y - y = {M(s['y_hat'])} - {M(s['y'])} = {M(s['dC_dyhat'])}",
             reads=("y_hat", "y"), writes=("dC_dyhat",),
             note=r"One example, so $k = 1$: $\partial C/\partial \hat y = (\hat y - y)/k$ is just $\hat y - y$."),
        _hadamard_step("z2", "dC_dyhat", DC_DYHAT, "y_hat", r"\hat y",
                       r"$\sigma'(z^{(2)}) = \hat y \odot (1 - \hat y)$, entry by entry."),
        _outer_product_step("V", "b2", "h", "z2", "A 4×1 column times a 1×2 row: 4×2, like V. "
                                                  "Seed 001 stops at the 2-vector ∂C/∂z⁽²⁾: h is missing."),
        Step("the transpose (back to h)",
             lambda s: rf"{grad('h')} = {grad('z^{(2)}')} V^T = {M(s['dC_dz2'])} {M(s['V'].T)} = {M(s['dC_dh'])}",
             reads=("dC_dz2", "V"), writes=("dC_dh",),
             note=r"Each $h_i$ feeds both outputs, so its gradient sums over them: "
                  r"$\partial C/\partial h_i = \sum_j v_{i,j}\, \partial C/\partial z^{(2)}_j$."),
        _hadamard_step("z1", "dC_dh", grad("h"), "h", "h",
                       r"The same rule as at the output, with $\sigma'(z^{(1)}) = h \odot (1 - h)$."),
        _outer_product_step("W", "b1", "x", "z1", "A 3×1 column times a 1×4 row: 3×4, like W. "
                                                  "Done: every parameter has its gradient."),
    ]


@recipe
def network_stepper(x=None, y=None, params=None):
    """Step through the 3-4-2 network's backward pass for one example, with sliders for x.

    Args:
        x: (1, 3) the example, a row (default (1.0, −1.0, 0.5));  y: (1, 2) its target (default (1, 0));
        params: {"W": (3, 4), "b1": (1, 4), "V": (4, 2), "b2": (1, 2)} (default ``init_params(0)``).

    Returns:
        A ``Stepper`` (notebook 04's widget) with the 7 steps of ``network_steps``; every number
        comes from ``helpers.network.backward``. Attribute ``x_sliders`` (a ``MatrixSliders``:
        one row of three sliders x₁, x₂, x₃).
    """
    x, y = check_inputs([[1.0, -1.0, 0.5]] if x is None else x, [[1.0, 0.0]] if y is None else y)
    if x.shape[0] != 1:
        raise ValueError(f"the step-through shows one example: x must be a row of shape (1, 3); got x of shape {x.shape}")
    params = check_params(init_params(0) if params is None else params)
    x_in = MatrixSliders("x", x)  # a row of three sliders, as x is a row

    def compute():
        """Forward and backward with ``helpers.network.backward``, from the sliders' x."""
        x = x_in.array
        b = backward(x, y, params)
        state = {"x": x, "y": y, **params, "C": 0.5 * float(np.sum((b["y_hat"] - y) ** 2))}
        state.update({k: b[k] for k in ("z1", "h", "z2", "y_hat", "dC_dyhat", "dC_dz2", "dC_dh", "dC_dz1")})
        state.update({f"dC_d{name}": b[name] for name in NAMES})
        return state

    stepper = Stepper(network_steps(), compute, controls=[x_in], symbols=NETWORK_SYMBOLS,
                      order=list(NETWORK_SYMBOLS), decimals=3,
                      title="<b>The 3-4-2 network, backwards (row convention).</b> "
                            "Move x₁, x₂, x₃ at any step: every number follows.")
    stepper.x_sliders = x_in
    return stepper
