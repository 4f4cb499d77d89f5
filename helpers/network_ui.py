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
from .network import NAMES, backward, check_inputs, check_params, init_params, make_dataset, train_curves, training_verdict
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
    ax.text(1.5, 2.0, "W (3×4)\nh′ = x·W + b₁\nh = σ(h′)", ha="center", va="bottom", fontsize=10)
    ax.text(4.5, 2.0, "V (4×2)\ny′ = h·V + b₂\nŷ = σ(y′)", ha="center", va="bottom", fontsize=10)
    for layer, text in [("x", "input x\n1×3"), ("h", "hidden h\n1×4"), ("y", "output ŷ\n1×2")]:
        ax.text(xs[layer], -2.0, text, ha="center", va="top", fontsize=10, color="0.25")
    ax.set_xlim(-0.5, 6.5)
    ax.set_ylim(-2.9, 3.6)
    ax.set_aspect("equal")
    ax.axis("off")


# The η slider's grid: 10^-2 … 10^3 in quarter decades. Every grid point is trained when the
# explorer is built (all at once, see train_curves); any other η is trained on first use.
ETA_LOG_MIN, ETA_LOG_MAX, ETA_LOG_STEP = -2.0, 3.0, 0.25
LOSS_LIMITS = (1e-3, 1.0)


class EtaExplorer(Explorer):
    """A log-scale η slider and an epochs slider; the loss curve and the accuracy redraw in place.

    Each η is trained once for ``max_epochs`` (the whole grid at once when the widget is
    built); moving either slider only slices the stored curves, so a move costs a redraw.

    Attributes a test can read after moving a slider:
        eta_slider (FloatLogSlider), epochs_slider (IntSlider): the controls;
        eta, epochs: their current values;  losses (epochs + 1,), accuracies (epochs + 1,):
        the curves up to the chosen epoch (entry 0 = before training);
        loss, accuracy: C and the accuracy after ``epochs`` updates;  verdict: see
        ``training_verdict``;  loss_line, acc_line: the bold artists;  readout: the text line.
    """

    summary = "a log-scale learning-rate slider and an epochs slider; loss curve and accuracy"

    def __init__(self, X, Y, params, eta=10.0, epochs=300, max_epochs=1000):
        self.X, self.Y, self.params = X, Y, params
        self.max_epochs = max_epochs
        grid = 10 ** np.arange(ETA_LOG_MIN, ETA_LOG_MAX + ETA_LOG_STEP / 2, ETA_LOG_STEP)
        losses, accuracies = train_curves(X, Y, params, grid, max_epochs)
        self._curves = {self._key(e): (l, a) for e, l, a in zip(grid, losses, accuracies)}

        self.eta_slider = widgets.FloatLogSlider(
            value=eta, base=10, min=ETA_LOG_MIN, max=ETA_LOG_MAX, step=ETA_LOG_STEP,
            description="η", readout_format=".4g", continuous_update=True, layout={"width": "340px"})
        self.epochs_slider = widgets.IntSlider(
            value=epochs, min=0, max=max_epochs, step=10, description="epochs",
            continuous_update=True, layout={"width": "340px"})
        self.readout = self.make_readout()

        self.figure = LiveFigure(figsize=(8.0, 2.7), dpi=80)
        ax_loss, ax_acc = self.figure.fig.subplots(1, 2)
        epochs_axis = np.arange(max_epochs + 1)
        self.loss_ghost, = ax_loss.plot(epochs_axis, np.ones(max_epochs + 1), color="#4c72b0", lw=1, alpha=0.3)
        self.loss_line, = ax_loss.plot([], [], color="#4c72b0", lw=2)
        self.loss_dot, = ax_loss.plot([], [], "o", color="#4c72b0", ms=5)
        self.acc_ghost, = ax_acc.plot(epochs_axis, np.ones(max_epochs + 1), color="#dd8452", lw=1, alpha=0.3)
        self.acc_line, = ax_acc.plot([], [], color="#dd8452", lw=2)
        self.acc_dot, = ax_acc.plot([], [], "o", color="#dd8452", ms=5)
        ax_loss.text(0.97, 0.95, f"faint: all {max_epochs} epochs\nbold: up to the chosen one",
                     transform=ax_loss.transAxes, ha="right", va="top", fontsize=8, color="0.35")
        ax_loss.set_yscale("log")
        ax_loss.set_ylim(*LOSS_LIMITS)
        ax_loss.set_ylabel("cost $C$ (log scale)")
        ax_loss.set_title(r"$C = \frac{1}{k}\sum_{\text{rows}} \frac{1}{2}\sum_j (\hat y_j - y_j)^2$", fontsize=10)
        ax_acc.set_ylim(-0.03, 1.03)
        ax_acc.set_ylabel("accuracy (fraction right)")
        ax_acc.set_title(r"accuracy: largest $\hat y_j$ on the right class", fontsize=10)
        for ax in (ax_loss, ax_acc):
            ax.set_xlim(0, max_epochs)
            ax.set_xlabel("epoch (full-batch updates)")
        self.figure.animate(self.loss_ghost, self.loss_line, self.loss_dot,
                            self.acc_ghost, self.acc_line, self.acc_dot)
        # No text in the figure: drawing one label costs more than all six lines together.
        # η, C, the accuracy and the verdict are in the readout line below it.

        super().__init__([widgets.HBox([self.eta_slider, self.epochs_slider]), self.figure.image, self.readout])
        self.observe_controls(self.eta_slider, self.epochs_slider)
        self.update()

    @staticmethod
    def _key(eta):
        """Cache key of a learning rate: log10 η rounded (slider values come back as floats)."""
        return round(float(np.log10(eta)), 6)

    def curves(self, eta):
        """(losses, accuracies) for ``eta``, each (max_epochs + 1,); trained on first use, then kept."""
        key = self._key(eta)
        if key not in self._curves:
            losses, accuracies = train_curves(self.X, self.Y, self.params, [eta], self.max_epochs)
            self._curves[key] = (losses[0], accuracies[0])
        return self._curves[key]

    def update(self, *_):
        """Slice the stored curves at the chosen epoch and redraw the moving lines."""
        self.eta, self.epochs = float(self.eta_slider.value), int(self.epochs_slider.value)
        full_loss, full_acc = self.curves(self.eta)
        e = self.epochs
        self.losses, self.accuracies = full_loss[: e + 1], full_acc[: e + 1]
        self.loss, self.accuracy = float(self.losses[-1]), float(self.accuracies[-1])
        self.verdict = training_verdict(self.losses)
        shown = np.clip(full_loss, *LOSS_LIMITS)  # a log axis cannot show 0
        epochs_axis = np.arange(e + 1)
        self.loss_ghost.set_ydata(shown)
        self.acc_ghost.set_ydata(full_acc)
        self.loss_line.set_data(epochs_axis, shown[: e + 1])
        self.acc_line.set_data(epochs_axis, full_acc[: e + 1])
        self.loss_dot.set_data([e], [shown[e]])
        self.acc_dot.set_data([e], [full_acc[e]])
        self.readout.value = (f"<code>η = {self.eta:.4g}   epochs = {e}   C = {self.loss:.4f}   "
                              f"accuracy = {100 * self.accuracy:.1f} %   {self.verdict}</code>")
        self.figure.refresh()


def eta_explorer(X=None, Y=None, params=None, eta=10.0, epochs=300, max_epochs=1000):
    """Build notebook 05's learning-rate explorer. Defaults: ``make_dataset()`` (40 rows) and
    ``init_params(0)``, η = 10, 300 of at most 1000 epochs.

    Returns the widget (an ``EtaExplorer``); display it by leaving it last in a cell.
    """
    if X is None or Y is None:
        X, Y = make_dataset()
    params = init_params(0) if params is None else params
    return EtaExplorer(X, Y, params, eta=eta, epochs=epochs, max_epochs=max_epochs)


def M(a):
    """A matrix as LaTeX with 3 decimals: two σ' ≤ ¼ factors make the hidden deltas small."""
    return latex_matrix(a, decimals=3)


def grad(name):
    r"""LaTeX of ∂C/∂name (``helpers.latex.latex_partial`` with the seed's cost C)."""
    return latex_partial(name, of="C")


DC_DYHAT = grad(r"\hat y")

NETWORK_SYMBOLS = {
    "x": "x", "y": "y", "W": "W", "b1": "b_1", "V": "V", "b2": "b_2", "h_pre": "h'", "h": "h",
    "y_pre": "y'", "y_hat": r"\hat y", "C": "C", "dC_dyhat": r"\partial C/\partial \hat y",
    "delta_out": r"\delta_{out}", "dC_dV": r"\partial C/\partial V", "dC_db2": r"\partial C/\partial b_2",
    "dC_dh": r"\partial C/\partial h", "delta_hid": r"\delta_{hid}", "dC_dW": r"\partial C/\partial W",
    "dC_db1": r"\partial C/\partial b_1",
}


def _hadamard_step(delta, upstream, upstream_tex, act, act_tex, note):
    """The step δ = upstream ⊙ act ⊙ (1 − act): the sigmoid's σ' = act(1 − act), entry by entry."""
    layer = {"out": "output", "hid": "hidden layer"}[delta]
    return Step(
        f"the Hadamard product at the {layer}",
        lambda s: rf"\delta_{{{delta}}} = {upstream_tex} \odot {act_tex} \odot (1 - {act_tex}) = "
                  rf"{M(s[upstream])} \odot {M(s[act] * (1 - s[act]))} = {M(s['delta_' + delta])}",
        reads=(upstream, act), writes=(f"delta_{delta}",), note=note)


def _outer_product_step(weights, bias, inp, delta, note):
    """The step ∂C/∂weights = inpᵀ·δ (an outer product for one example) and ∂C/∂bias = δ."""
    bias_tex = f"b_{bias[1]}"
    return Step(
        f"the outer product and the bias ({weights}, b{sub(int(bias[1]))})",
        lambda s: rf"\begin{{aligned}} {grad(weights)} &= {inp}^T \delta_{{{delta}}} = {M(s[inp].T)} "
                  rf"{M(s['delta_' + delta])} = {M(s['dC_d' + weights])} \\[4pt] {grad(bias_tex)} &= "
                  rf"\delta_{{{delta}}} = {M(s['dC_d' + bias])} \end{{aligned}}",
        reads=(inp, f"delta_{delta}"), writes=(f"dC_d{weights}", f"dC_d{bias}"), note=note)


def network_steps():
    """The 7 steps of the 3-4-2 network's forward and backward pass, row convention, one example.

    Forward; ∂C/∂ŷ; the Hadamard product at the output (δ_out); the outer product hᵀ·δ_out and
    the bias; the transpose δ_out·Vᵀ; the Hadamard product at the hidden layer (δ_hid); the outer
    product xᵀ·δ_hid and the bias. The state names are those of ``NETWORK_SYMBOLS``.
    """
    return [
        Step("the forward pass",
             lambda s: rf"\begin{{aligned}} h' &= x W + b_1 = {M(s['x'])} {M(s['W'])} + {M(s['b1'])} \\[4pt] "
                       rf"&= {M(s['h_pre'])}, \qquad h = \sigma(h') = {M(s['h'])} \\[4pt] "
                       rf"\hat y &= \sigma(h V + b_2) = {M(s['y_hat'])}, \qquad "
                       rf"C = \tfrac12 \lVert \hat y - y \rVert^2 = {s['C']:.4f} \end{{aligned}}",
             reads=("x", "W", "b1", "V", "b2", "y"), writes=("h_pre", "h", "y_pre", "y_hat", "C"),
             note="Row convention: the example is a 1×3 row and every layer multiplies from the right."),
        Step("the upstream gradient",
             lambda s: rf"{DC_DYHAT} = \hat y - y = {M(s['y_hat'])} - {M(s['y'])} = {M(s['dC_dyhat'])}",
             reads=("y_hat", "y"), writes=("dC_dyhat",),
             note=r"One example, so $k = 1$: $\partial C/\partial \hat y = (\hat y - y)/k$ is just $\hat y - y$."),
        _hadamard_step("out", "dC_dyhat", DC_DYHAT, "y_hat", r"\hat y",
                       r"$\sigma'(y') = \hat y (1 - \hat y)$, entry by entry: $\delta_{out} = \partial C/\partial y'$."),
        _outer_product_step("V", "b2", "h", "out", "A 4×1 column times a 1×2 row: 4×2, like V. "
                                                   "Seed 001 stops at the 2-vector δ_out: h is missing."),
        Step("the transpose (back to h)",
             lambda s: rf"{grad('h')} = \delta_{{out}} V^T = {M(s['delta_out'])} {M(s['V'].T)} = {M(s['dC_dh'])}",
             reads=("delta_out", "V"), writes=("dC_dh",),
             note=r"Each $h_i$ feeds both outputs, so its gradient sums over them: "
                  r"$\partial C/\partial h_i = \sum_j v_{i,j}\, \delta_{out,j}$."),
        _hadamard_step("hid", "dC_dh", grad("h"), "h", "h",
                       r"The same rule as at the output, with $\sigma'(h') = h(1 - h)$: "
                       r"$\delta_{hid} = \partial C/\partial h'$."),
        _outer_product_step("W", "b1", "x", "hid", "A 3×1 column times a 1×4 row: 3×4, like W. "
                                                   "Done: every parameter has its gradient."),
    ]


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
    x = np.array([[1.0, -1.0, 0.5]] if x is None else x, dtype=float)
    y = np.array([[1.0, 0.0]] if y is None else y, dtype=float)
    x, y = check_inputs(x, y)
    if x.shape[0] != 1:
        raise ValueError(f"the step-through shows one example: x must be a row of shape (1, 3); got x of shape {x.shape}")
    params = check_params(init_params(0) if params is None else params)
    x_in = MatrixSliders("x", x)  # a row of three sliders, as x is a row

    def compute():
        """Forward and backward with ``helpers.network.backward``, from the sliders' x."""
        x = x_in.array
        b = backward(x, y, params)
        state = {"x": x, "y": y, **params, "C": 0.5 * float(np.sum((b["y_hat"] - y) ** 2))}
        state.update({k: b[k] for k in ("h_pre", "h", "y_pre", "y_hat", "dC_dyhat", "delta_out", "dC_dh",
                                        "delta_hid")})
        state.update({f"dC_d{name}": b[name] for name in NAMES})
        return state

    stepper = Stepper(network_steps(), compute, controls=[x_in], symbols=NETWORK_SYMBOLS,
                      order=list(NETWORK_SYMBOLS), decimals=3,
                      title="<b>The 3-4-2 network, backwards (row convention).</b> "
                            "Move x₁, x₂, x₃ at any step: every number follows.")
    stepper.x_sliders = x_in
    return stepper
