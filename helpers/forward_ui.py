"""Notebook 01's pictures and widget: the computation graph, the activations, and the
forward-pass explorer (sliders for x and one row of W; z and a as numbers and bars).

Math comes from ``forward.py`` and ``activations.py``; this module only draws.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.patches import FancyBboxPatch

from .activations import ACTIVATIONS, get_activation
from .forward import dense_forward
from .latex import latex_matrix, number_text
from .live import Explorer, LiveFigure
from .flipbook import recipe

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(i):
    """``sub(3) -> "₃"``: 1-based indices as Unicode subscripts for slider captions."""
    return str(i).translate(SUBSCRIPTS)


def format_vector(v, decimals=2):
    """A column as plain text, ``"(0.10, -2.00)"``: the readout line of a widget (a non-zero
    number too small for the decimals in two significant figures, ``4.5e-05``)."""
    return "(" + ", ".join(number_text(e, decimals) for e in np.ravel(v)) + ")"


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


# Slider ranges. The z axis is not fixed: it is the smallest of Z_SCALES that holds every |z_i|
# with 15 % to spare, so the bars fill the panel at the default values (max |z| = 2.2: ±3) and
# still fit when the sliders push z out (|x_j| ≤ 2 and |W_1j| ≤ 1.5 give |z_1| ≤ 9 + |b_1|).
X_LIMIT, W_LIMIT = 2.0, 1.5
Z_SCALES = (1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000)


def z_axis_limit(z):
    """The half-height of the z panel for pre-activations ``z``: the smallest of ``Z_SCALES`` at
    least 1.15·max|z_i|, or beyond them the next power of ten (a W with huge entries in the rows
    without sliders must not push its bars off the panel)."""
    need = 1.15 * float(np.max(np.abs(z)))
    return next((s for s in Z_SCALES if s >= need), None) or 10.0 ** np.ceil(np.log10(need))


def a_axis_limits(activation, z_limit):
    """The (bottom, top) of the a panel: each activation has its own output range.

    Raises:
        ValueError for an unknown activation (naming the choices).
    """
    get_activation(activation)
    return {"sigmoid": (-0.05, 1.05), "tanh": (-1.05, 1.05), "relu": (-0.05 * z_limit, z_limit),
            "identity": (-z_limit, z_limit)}[activation]


class KeyedBackgrounds:
    """Remember a ``LiveFigure``'s drawn background per key (activation, axis scale).

    Switching back to a key already seen restores its background and redraws only the moving
    artists (a few ms) instead of the whole figure (~40 ms and more on a busy machine).
    It relies on ``LiveFigure`` keeping the background it restores in ``_background``.
    """

    def __init__(self, figure):
        self.figure = figure
        self.saved = {}

    def refresh(self, key, set_axes):
        """Show the figure for ``key``: ``set_axes()`` (the moving artists need the key's axis ranges),
        then restore the key's background, or draw the whole figure once and remember it."""
        set_axes()
        if key in self.saved:
            self.figure._background = self.saved[key]
            self.figure.refresh()
        else:
            self.figure.refresh(full=True)
            self.saved[key] = self.figure._background


class ForwardExplorer(Explorer):
    """Sliders for the entries of x (n×1) and for row ``row`` of W; shows z = Wx + b and a = σ(z).

    Attributes a test (or a curious learner) can read after moving a slider:
        x (n, 1), W (m, n), b (m, 1): the current inputs;  z, a (m, 1): what they give;
        x_sliders, w_sliders, activation: the controls;  equation: the HTMLMath shown;
        z_bars, a_bars: the bar artists of the figure.
    """

    summary = "sliders for x and one row of W; z = Wx + b and a = σ(z) as numbers and bars"

    def __init__(self, W, b, x, activation="sigmoid", row=0):
        z, _ = dense_forward(W, b, x, activation)  # validates every shape and the name, up front
        self.W = np.array(W, dtype=float)
        self.b = np.asarray(b, dtype=float).reshape(-1, 1)
        self.x = np.array(x, dtype=float)
        m, n = self.W.shape
        if self.x.shape[1] != 1:
            raise ValueError(f"the explorer shows one example: x must be a column of shape ({n}, 1); "
                             f"got x of shape {self.x.shape}")
        if isinstance(row, bool) or not isinstance(row, (int, np.integer)) or not 0 <= row < m:
            raise ValueError(f"row must be a 0-based row number of W, 0 to {m - 1} (W is {m}×{n}); "
                             f"got row={row!r}")
        for name, values, limit in [("x", self.x, X_LIMIT), (f"row {row} of W", self.W[row], W_LIMIT)]:
            if np.any(np.abs(values) > limit):
                raise ValueError(f"every entry of {name} must lie in the sliders' range ±{limit:g} "
                                 f"(a slider would silently clamp it); got {values.ravel().tolist()}")
        self.row = row

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
        ax_z.set_ylabel("pre-activation")
        ax_a.set_ylabel("activation")
        self.ax_z, self.ax_a = ax_z, ax_a
        self.figure.animate(*self.z_bars, *self.a_bars)
        self.backgrounds = KeyedBackgrounds(self.figure)

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
        name, self.z_limit = self.activation.value, z_axis_limit(self.z)
        self.backgrounds.refresh((name, self.z_limit), lambda: self._set_axes(name, self.z_limit))

    def redraw_for_pixel_ratio(self):
        """A new pixel ratio: the saved backgrounds are the old size; drop them and draw again."""
        self.backgrounds.saved.clear()
        self.update()

    def _set_axes(self, activation, z_limit):
        """The panels' ranges: z from −z_limit to z_limit, a as the activation's output needs."""
        self.ax_z.set_ylim(-z_limit, z_limit)
        self.ax_a.set_ylim(*a_axis_limits(activation, z_limit))

    def warm_up(self):
        """Draw the background of every activation at the current z scale once, so that the first
        switch of the dropdown to each is as fast as the later ones. Returns the widget."""
        shown = self.activation.value
        for name in self.activation.options:
            key = (name, self.z_limit)
            if key not in self.backgrounds.saved:
                self._set_axes(name, self.z_limit)
                self.figure.png(full=True)
                self.backgrounds.saved[key] = self.figure._background
        self._set_axes(shown, self.z_limit)
        self.figure._background = self.backgrounds.saved[(shown, self.z_limit)]
        return self


# Notebook 01's layer: m = 4 outputs, n = 3 inputs.
W_DEFAULT = [[0.5, -0.2, 0.1], [0.3, 0.8, -0.5], [-0.6, 0.1, 0.4], [0.2, -0.3, 0.9]]
B_DEFAULT = [[0.1], [-0.2], [0.0], [0.3]]
X_DEFAULT = [[1.0], [2.0], [-1.0]]


@recipe
def forward_explorer(W=W_DEFAULT, b=B_DEFAULT, x=X_DEFAULT, activation="sigmoid", row=0):
    """Build notebook 01's explorer: W (m, n), b (m, 1), x (n, 1); defaults are the notebook's layer.

    ``row`` (0-based) is the row of W that gets sliders; ``activation`` one of "sigmoid", "tanh",
    "relu", "identity". The entries of x must lie in ±2 and those of W's row in ±1.5 (the
    sliders' ranges).

    Returns the widget (a ``ForwardExplorer``); display it by leaving it last in a cell.

    Raises:
        ValueError naming the argument: shapes that do not fit, x with more than one column, a
        row outside W, a value outside its slider's range, an unknown activation.
    """
    return ForwardExplorer(W, b, x, activation=activation, row=row).warm_up()
