"""Notebook 01's pictures and widget: the computation graph, the activations, and the
forward-pass explorer (sliders for x and one row of W; z and a as numbers and bars).

Math comes from ``forward.py`` and ``activations.py``; this module only draws.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.patches import FancyBboxPatch

from .activations import ACTIVATIONS, get_activation
from .forward import dense_forward
from .latex import latex_matrix
from .live import Explorer, LiveFigure

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(i):
    """``sub(3) -> "₃"``: 1-based indices as Unicode subscripts for slider captions."""
    return str(i).translate(SUBSCRIPTS)


def format_vector(v, decimals=2):
    """A column as plain text, ``"(0.10, -2.00)"``: the readout line of a widget."""
    return "(" + ", ".join(f"{float(e):.{decimals}f}" for e in np.ravel(v)) + ")"


def draw_computation_graph(ax, m=4, n=3):
    """Draw L ← a ← z ← (W, b, x) on ``ax``, each node labelled with its shape.

    Arrows point the way the forward pass computes; backprop walks them in reverse.
    """
    nodes = {
        "x": (0.08, 0.80, rf"$x$" + "\n" + rf"${n}\times 1$"),
        "W": (0.08, 0.50, rf"$W$" + "\n" + rf"${m}\times {n}$"),
        "b": (0.08, 0.20, rf"$b$" + "\n" + rf"${m}\times 1$"),
        "z": (0.40, 0.50, r"$z = Wx + b$" + "\n" + rf"${m}\times 1$"),
        "a": (0.66, 0.50, r"$a = \sigma(z)$" + "\n" + rf"${m}\times 1$"),
        "L": (0.90, 0.50, r"$L = L(a)$" + "\n" + "scalar"),
    }
    colors = {"x": "#d8ecff", "W": "#ffe3c2", "b": "#ffe3c2", "z": "#e8e8e8", "a": "#e8e8e8", "L": "#f6d2d2"}
    for key, (cx, cy, text) in nodes.items():
        width = 0.17 if key in "zaL" else 0.11
        ax.add_patch(FancyBboxPatch((cx - width / 2, cy - 0.1), width, 0.2,
                                    boxstyle="round,pad=0.01", fc=colors[key], ec="0.3"))
        ax.text(cx, cy, text, ha="center", va="center", fontsize=10)
    for start, end in [("x", "z"), ("W", "z"), ("b", "z"), ("z", "a"), ("a", "L")]:
        (x0, y0, _), (x1, y1, _) = nodes[start], nodes[end]
        x0 += 0.06 if start in "xWb" else 0.09
        ax.annotate("", xy=(x1 - 0.09, y1), xytext=(x0, y0),
                    arrowprops={"arrowstyle": "-|>", "color": "0.3", "lw": 1.2})
    ax.set_xlim(0, 1)
    ax.set_ylim(0.05, 0.95)
    ax.axis("off")
    ax.set_title("forward: left to right;   backprop: right to left", fontsize=10)


def plot_activations(axes, z=np.linspace(-5, 5, 401)):
    """Plot σ(z) for sigmoid, tanh and ReLU, one per axis in ``axes`` (three axes)."""
    for ax, name in zip(axes, ["sigmoid", "tanh", "relu"]):
        ax.plot(z, get_activation(name).f(z), lw=2)
        ax.axhline(0, color="0.5", lw=0.8)
        ax.axvline(0, color="0.5", lw=0.8)
        ax.set_title(f"{name}")
        ax.set_xlabel("$z$")
    axes[0].set_ylabel(r"$a = \sigma(z)$")


# Slider ranges, and the y-ranges they need: with |x_j| ≤ 2 and |W_1j| ≤ 1.5, |z_1| ≤ 9 + |b_1|;
# the default rows of W keep the other z_i far smaller. Bars beyond a limit are clipped, and the
# readout and equation still give the number.
X_LIMIT, W_LIMIT, Z_LIMIT = 2.0, 1.5, 10.0
A_LIMITS = {"sigmoid": (-0.05, 1.05), "tanh": (-1.05, 1.05), "relu": (-0.5, Z_LIMIT),
            "identity": (-Z_LIMIT, Z_LIMIT)}


class ForwardExplorer(Explorer):
    """Sliders for the entries of x (n×1) and for row ``row`` of W; shows z = Wx + b and a = σ(z).

    Attributes a test (or a curious learner) can read after moving a slider:
        x (n, 1), W (m, n), b (m, 1): the current inputs;  z, a (m, 1): what they give;
        x_sliders, w_sliders, activation: the controls;  equation: the HTMLMath shown;
        z_bars, a_bars: the bar artists of the figure.
    """

    summary = "sliders for x and one row of W; z = Wx + b and a = σ(z) as numbers and bars"

    def __init__(self, W, b, x, activation="sigmoid", row=0):
        z, _ = dense_forward(W, b, x, activation)  # validates every shape once, up front
        self.W = np.array(W, dtype=float)
        self.b = np.asarray(b, dtype=float).reshape(-1, 1)
        self.x = np.array(x, dtype=float)
        self.row = row
        m, n = self.W.shape

        def slider(value, caption, limit):
            """One slider for one entry, −limit…limit in steps of 0.1."""
            return widgets.FloatSlider(value=float(value), min=-limit, max=limit, step=0.1,
                                       description=caption, continuous_update=True,
                                       readout_format=".1f", layout={"width": "260px"})

        self.x_sliders = [slider(self.x[j, 0], f"x{sub(j + 1)}", X_LIMIT) for j in range(n)]
        self.w_sliders = [slider(self.W[row, j], f"W{sub(row + 1)}{sub(j + 1)}", W_LIMIT) for j in range(n)]
        self.activation = widgets.Dropdown(options=list(ACTIVATIONS), value=activation,
                                           description="σ", layout={"width": "200px"})
        self.equation = widgets.HTMLMath()
        self.readout = self.make_readout()

        self.figure = LiveFigure(figsize=(6.0, 2.4), dpi=80)
        ax_z, ax_a = self.figure.fig.subplots(1, 2)
        self.z_bars = ax_z.bar(range(m), z[:, 0], color="#4c72b0")
        self.a_bars = ax_a.bar(range(m), z[:, 0], color="#dd8452")
        for ax, name in [(ax_z, "z"), (ax_a, "a")]:
            ax.set_xticks(range(m), [f"{name}{sub(i + 1)}" for i in range(m)])
            ax.axhline(0, color="0.4", lw=0.8)
        ax_z.set_title(r"$z = Wx + b$")
        ax_a.set_title(r"$a = \sigma(z)$")
        ax_z.set_ylim(-Z_LIMIT, Z_LIMIT)
        ax_z.set_ylabel("pre-activation")
        ax_a.set_ylabel("activation")
        self.ax_a = ax_a
        self.figure.animate(*self.z_bars, *self.a_bars)
        self.activation.observe(self._set_activation_axis, names="value")
        self._set_activation_axis()

        controls = widgets.HBox([
            widgets.VBox([widgets.HTML("<b>input x</b>"), *self.x_sliders]),
            widgets.VBox([widgets.HTML(f"<b>row {row + 1} of W</b>"), *self.w_sliders]),
            widgets.VBox([widgets.HTML("<b>activation</b>"), self.activation]),
        ])
        super().__init__([controls, self.equation, self.figure.image, self.readout])
        self.observe_controls(*self.x_sliders, *self.w_sliders, self.activation)
        self.update()

    def update(self, *_):
        """Read the sliders, recompute z and a with ``dense_forward``, redraw in place."""
        for j, s in enumerate(self.x_sliders):
            self.x[j, 0] = s.value
        for j, s in enumerate(self.w_sliders):
            self.W[self.row, j] = s.value
        self.z, self.a = dense_forward(self.W, self.b, self.x, self.activation.value)
        self.equation.value = (
            r"$$z = Wx + b = " + latex_matrix(self.W) + latex_matrix(self.x) + " + "
            + latex_matrix(self.b) + " = " + latex_matrix(self.z) + r"$$"
            + rf"$$a = \mathrm{{{self.activation.value}}}(z) = " + latex_matrix(self.a) + r"$$"
        )
        self.readout.value = f"<code>z = {format_vector(self.z)}   a = {format_vector(self.a)}</code>"
        for bar, value in zip(self.z_bars, self.z[:, 0]):
            bar.set_height(value)
        for bar, value in zip(self.a_bars, self.a[:, 0]):
            bar.set_height(value)
        self.figure.refresh(full=self._axis_changed)
        self._axis_changed = False

    def _set_activation_axis(self, *_):
        """Each activation has its own output range; set it before the bars are redrawn."""
        self.ax_a.set_ylim(*A_LIMITS[self.activation.value])
        self._axis_changed = True


# Notebook 01's layer: m = 4 outputs, n = 3 inputs.
W_DEFAULT = [[0.5, -0.2, 0.1], [0.3, 0.8, -0.5], [-0.6, 0.1, 0.4], [0.2, -0.3, 0.9]]
B_DEFAULT = [[0.1], [-0.2], [0.0], [0.3]]
X_DEFAULT = [[1.0], [2.0], [-1.0]]


def forward_explorer(W=W_DEFAULT, b=B_DEFAULT, x=X_DEFAULT, activation="sigmoid", row=0):
    """Build notebook 01's explorer: W (m, n), b (m, 1), x (n, 1); defaults are the notebook's layer.

    Returns the widget (a ``ForwardExplorer``); display it by leaving it last in a cell.
    """
    return ForwardExplorer(W, b, x, activation=activation, row=row)
