"""Notebook 02's pictures and widget: σ'(z) for each activation, the product of σ' through
depth (vanishing and blocked gradients), and the activation-gradient explorer.

Math comes from ``activation_grad.py`` and ``activations.py``; this module only draws.
"""
import ipywidgets as widgets
import numpy as np

from .activation_grad import activation_backward
from .activations import get_activation
from .live import Explorer, LiveFigure
from .flipbook import recipe
from .shapes import as_float_array, as_matrix
from .stepper import plain_numbers

CEILING = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}
COLOURS = {"sigmoid": "#4c72b0", "tanh": "#dd8452", "relu": "#55a868"}


def plot_activation_derivatives(axes, z=np.linspace(-6, 6, 481)):
    """Plot σ'(z) for sigmoid, tanh and ReLU, one per axis of ``axes`` (three axes), each
    with its largest value marked (1/4, 1, 1)."""
    for ax, name in zip(axes, ["sigmoid", "tanh", "relu"]):
        prime = get_activation(name).prime(z)
        if name == "relu":  # draw the jump at 0 as a jump, not a steep line
            prime = np.where(np.isclose(z, 0), np.nan, prime)
        ax.plot(z, prime, lw=2, color=COLOURS[name])
        ax.axhline(CEILING[name], color="0.4", lw=0.8, ls="--")
        ax.text(-5.8, CEILING[name] + 0.03, f"max {CEILING[name]:g}", fontsize=9, color="0.3", va="bottom")
        ax.set_title(f"{name}'(z)")
        ax.set_xlabel("$z$")
        ax.set_ylim(-0.05, 1.2)
    axes[0].set_ylabel(r"$\sigma'(z)$")


def depth_products(z_layers, activation):
    """The running product of σ' through the layers, entry by entry.

    Args:
        z_layers: (d, m) pre-activations, row l for layer l + 1.
        activation: the σ of every layer.

    Returns:
        (d, m): row l is σ'(z⁽¹⁾) ⊙ … ⊙ σ'(z⁽ˡ⁺¹⁾), the factor by which a gradient arriving at the
        top of l + 1 layers is scaled on its way down (the weights left out).

    Raises:
        ValueError for z_layers that is not a (d, m) matrix of real numbers, or an unknown activation.
    """
    prime = get_activation(activation).prime  # a ValueError naming the choices for an unknown name
    return np.cumprod(prime(as_matrix(z_layers, "z_layers")), axis=0)


class ActivationGradExplorer(Explorer):
    """Choose σ, slide the scale and shift of the pre-activations z and the depth d.

    z = scale · z₀ + shift for m fixed normal z₀; the upstream gradient dL/da is fixed.
    Shows σ'(z) with the points z_i, the bars dL/da and dL/dz = dL/da ⊙ σ'(z), and, on a log
    scale, the factor σ'(z⁽¹⁾) ⊙ … ⊙ σ'(z⁽ᵈ⁾) after d layers (weights left out), averaged over
    the entries. The depth panel uses its own z's: fresh ones for every layer (the rows of
    ``z0_deep``, shape (max_depth, units)), with the same scale and shift, not the m z_i.

    Attributes after a change: z, dL_da, sigma_prime, dL_dz (m, 1); magnitudes (d,): the mean
    |factor| after 1 … d layers; controls activation, scale, shift, depth.
    """

    summary = "choose σ, slide the scale and shift of z and the depth; σ'(z), dL/dz and the factor after d layers"

    def __init__(self, z0, dL_da, z0_deep, activation="sigmoid", scale=1.0, shift=0.0, depth=10):
        self.z0 = as_matrix(z0, "z0")
        self.dL_da = as_float_array(dL_da, "dL_da")
        self.z0_deep = as_matrix(z0_deep, "z0_deep")
        m, max_depth = self.z0.shape[0], self.z0_deep.shape[0]
        if self.z0.shape[1] != 1:
            raise ValueError(f"z0 must be a column (m, 1) of pre-activations; got z0 of shape {self.z0.shape}")
        activation_backward(self.dL_da, self.z0, "sigmoid")  # the same shape as z0, nothing broadcast
        if activation not in CEILING:
            raise ValueError(f"activation must be one of {', '.join(map(repr, CEILING))}; got activation={activation!r}")
        for name, value, low, high in [("scale", scale, 0.0, 5.0), ("shift", shift, -5.0, 5.0)]:
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                    or not low <= value <= high:
                raise ValueError(f"{name} must be a number from {low:g} to {high:g} (the slider's range); "
                                 f"got {name}={value!r}")
        if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or not 1 <= depth <= max_depth:
            raise ValueError(f"depth must be a whole number from 1 to {max_depth} (the rows of z0_deep); "
                             f"got depth={depth!r}")

        self.activation = widgets.Dropdown(options=["sigmoid", "tanh", "relu"], value=activation,
                                           description="σ", layout={"width": "180px"})
        self.scale = widgets.FloatSlider(value=scale, min=0.0, max=5.0, step=0.1, description="scale",
                                         readout_format=".1f", layout={"width": "280px"})
        self.shift = widgets.FloatSlider(value=shift, min=-5.0, max=5.0, step=0.1, description="shift",
                                         readout_format=".1f", layout={"width": "280px"})
        self.depth = widgets.IntSlider(value=depth, min=1, max=max_depth, description="depth d",
                                       layout={"width": "280px"})
        self.readout = self.make_readout()

        self.figure = LiveFigure(figsize=(9.0, 2.6), dpi=80)
        ax_curve, ax_bars, ax_depth = self.figure.fig.subplots(1, 3, width_ratios=[1.1, 1.1, 1.2])
        grid = np.linspace(-7, 7, 561)
        self.grid = grid
        (self.curve,) = ax_curve.plot(grid, grid * 0, lw=2)
        (self.points,) = ax_curve.plot(self.z0[:, 0], self.z0[:, 0] * 0, "o", ms=6, color="#c44e52")
        ax_curve.set(xlim=(-7, 7), ylim=(-0.05, 1.1), xlabel="$z$", ylabel=r"$\sigma'(z)$",
                     title=r"$\sigma'(z)$ at the $z_i$ of one layer")

        index = np.arange(m)
        self.da_bars = ax_bars.bar(index - 0.2, self.dL_da[:, 0], 0.4, color="0.7", label=r"$\partial L/\partial a$")
        self.dz_bars = ax_bars.bar(index + 0.2, self.dL_da[:, 0], 0.4, color="#c44e52",
                                   label=r"$\partial L/\partial z$")
        ax_bars.set_xticks(index, [str(i + 1) for i in index])
        ax_bars.set(ylim=(-1.6, 1.6), xlabel="entry $i$", title=r"$\partial L/\partial z = \partial L/\partial a \odot \sigma'(z)$")
        ax_bars.axhline(0, color="0.4", lw=0.8)
        ax_bars.legend(loc="lower right", fontsize=8, ncols=2)

        layers = np.arange(1, max_depth + 1)
        (self.ceiling_line,) = ax_depth.semilogy(layers, 0.25**layers, "--", color="0.5", lw=1,
                                                 label=r"$(1/4)^d$, sigmoid's best")
        (self.depth_line,) = ax_depth.semilogy(layers, np.ones(max_depth), "o-", ms=3, color="#c44e52",
                                               label=r"mean $|\sigma'(z^{(1)})\odot\cdots\odot\sigma'(z^{(d)})|$")
        ax_depth.set(xlim=(0.5, max_depth + 0.5), ylim=(1e-22, 10), xlabel="layers passed $d$", ylabel="factor (log scale)",
                     title="$\\sigma'$ factors after $d$ layers (no $W$)")
        ax_depth.legend(loc="lower left", fontsize=8)
        # what moves is animated (redrawn on every change over a saved background), the σ' curve
        # too: switching σ then redraws a few artists, not the whole figure (~5 ms, not ~50 ms)
        self.figure.animate(self.curve, self.points, *self.dz_bars, self.depth_line)
        self._curve_of = None

        controls = widgets.HBox([widgets.VBox([self.activation, self.depth]), widgets.VBox([self.scale, self.shift])])
        super().__init__([controls, self.figure.image, self.readout])
        self.observe_controls(self.activation, self.scale, self.shift, self.depth)
        self.update()

    def update(self, *_):
        """Recompute z, σ'(z), dL/dz (with ``activation_backward``) and the depth products; redraw."""
        name, scale, shift, d = self.activation.value, self.scale.value, self.shift.value, self.depth.value
        act = get_activation(name)
        self.z = scale * self.z0 + shift
        self.sigma_prime = act.prime(self.z)
        self.dL_dz = activation_backward(self.dL_da, self.z, name)
        # each layer multiplies by its σ'(z) entry by entry (fresh z's per layer, weights left out)
        self.magnitudes = np.mean(np.abs(depth_products(scale * self.z0_deep[:d] + shift, name)), axis=1)

        if name != self._curve_of:
            self.curve.set_ydata(act.prime(self.grid))
            self.curve.set_color(COLOURS[name])
            self._curve_of = name
        self.points.set_data(self.z[:, 0], self.sigma_prime[:, 0])
        for bar, value in zip(self.dz_bars, self.dL_dz[:, 0]):
            bar.set_height(value)
        layers = np.arange(1, d + 1)
        self.depth_line.set_data(layers, np.maximum(self.magnitudes, 1e-30))
        self.readout.value = (
            f"<code>σ = {name}   σ'(z) = {plain_numbers(self.sigma_prime)}   "
            f"dL/dz = {plain_numbers(self.dL_dz)}   after {d} layers: factor {self.magnitudes[-1]:.2e}</code>"
        )
        self.figure.refresh()


@recipe
def activation_gradient_explorer(activation="sigmoid", scale=1.0, shift=0.0, depth=10, m=6, max_depth=30,
                                 units=1000):
    """Build notebook 02's explorer. Defaults: m = 6 entries, z₀ and dL/da seeded, depth up to 30,
    and for the depth panel ``units`` = 1000 fresh z's per layer (as in the notebook's table).

    Returns the widget (an ``ActivationGradExplorer``); display it by leaving it last in a cell.

    Raises:
        ValueError naming the argument: an activation other than "sigmoid", "tanh", "relu", a scale
        outside 0…5 or a shift outside −5…5 (the sliders' ranges), m, max_depth or units not a
        positive whole number, or a depth outside 1…max_depth.
    """
    for name, value in [("m", m), ("max_depth", max_depth), ("units", units)]:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive whole number; got {name}={value!r}")
    rng = np.random.default_rng(2)
    z0 = np.round(rng.normal(0, 1.5, (m, 1)), 2)
    dL_da = np.round(rng.uniform(0.5, 1.2, (m, 1)) * rng.choice([-1, 1], (m, 1)), 2)
    z0_deep = rng.normal(0, 1.5, (max_depth, units))
    return ActivationGradExplorer(z0, dL_da, z0_deep, activation, scale, shift, depth)
