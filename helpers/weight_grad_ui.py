"""Notebook 03's widget: sliders for x and for dL/dz, and the heatmap of dL/dW = dL/dz · xᵀ
(with dL/db = dL/dz beside it) as a coloured HTML table, redrawn in place.

Math comes from ``weight_grad.py``; this module only draws.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib import colormaps

from .forward_ui import sub
from .live import Explorer
from .flipbook import recipe
from .shapes import as_matrix
from .stepper import plain_numbers
from .stepper_ui import MatrixSliders
from .weight_grad import bias_gradient, weight_gradient

LIMIT = 4.0  # colour scale ±LIMIT: beyond it a cell is simply the darkest colour
CMAP = colormaps["RdBu_r"]


def cell_style(value, limit=LIMIT):
    """CSS of one heatmap cell: background from the RdBu_r colour map (blue < 0 < red), text
    white on the darkest colours. ``limit`` (a positive number) is the value drawn darkest red.

    Raises:
        ValueError for a ``value`` that is not a finite number or a ``limit`` that is not positive.
    """
    if not (np.ndim(value) == 0 and np.isreal(value) and np.isfinite(value)):
        raise ValueError(f"value must be one finite number; got {value!r}")
    if isinstance(limit, bool) or not isinstance(limit, (int, float, np.integer, np.floating)) \
            or not (np.isfinite(limit) and limit > 0):
        raise ValueError(f"limit must be a positive number; got limit={limit!r}")
    r, g, b, _ = CMAP(0.5 + 0.5 * float(np.clip(value / limit, -1, 1)))
    text = "white" if abs(value) > 0.6 * limit else "black"
    return f"background:rgb({r * 255:.0f},{g * 255:.0f},{b * 255:.0f});color:{text}"


def html_heatmap(dL_dW, dL_db, x, dL_dz, limit=LIMIT):
    """dL/dW (m, n) and dL/db (m, 1) as one HTML table: a coloured cell per entry with its number,
    column j headed by x_j's value, row i by dL/dz_i's value.

    HTML, not a matplotlib figure: its text is crisp, readable by a screen reader, and it is
    redrawn in well under a millisecond (drawing 20 numbers with matplotlib takes ~100 ms).
    """
    m, n = dL_dW.shape
    td = "padding:6px 10px;text-align:right;font-family:monospace;min-width:3.2em"
    head = "".join(f"<th style='color:#1f4e99;padding:2px 8px'>x{sub(j + 1)} = {x[j, 0]:.1f}</th>"
                   for j in range(n))
    rows = []
    for i in range(m):
        cells = "".join(f"<td style='{td};{cell_style(v, limit)}'>{plain_numbers(v)}</td>" for v in dL_dW[i])
        rows.append(f"<tr><th style='color:#a0301f;text-align:right;padding:2px 8px'>"
                    f"∂L/∂z{sub(i + 1)} = {dL_dz[i, 0]:.1f}</th>{cells}<td style='width:18px'></td>"
                    f"<td style='{td};{cell_style(dL_db[i, 0], limit)}'>{plain_numbers(dL_db[i, 0])}</td></tr>")
    return ("<table style='border-collapse:separate;border-spacing:2px'>"
            f"<tr><th></th><th colspan='{n}' style='padding:4px'>∂L/∂W = ∂L/∂z · xᵀ</th><th></th>"
            "<th style='padding:4px'>∂L/∂b</th></tr>"
            f"<tr><th></th>{head}<th></th><th></th></tr>" + "".join(rows) + "</table>")


class WeightGradExplorer(Explorer):
    """Sliders for the input x (n×1) and the output error dL/dz (m×1); a heatmap of dL/dW (m×n)
    with dL/db (m×1) beside it, each cell labelled with its number, each column with the x_j
    and each row with the dL/dz_i that make it.

    Attributes after a move: x, dL_dz (the slider values), dL_dW, dL_db (from the helpers);
    x_sliders, dz_sliders (``MatrixSliders``); heatmap (the HTML widget drawing the table).
    """

    summary = "sliders for x and dL/dz; the heatmap of dL/dW = dL/dz · xᵀ and dL/db"

    def __init__(self, x, dL_dz):
        weight_gradient(dL_dz, x)  # validates the shapes up front
        x, dL_dz = as_matrix(x, "x"), as_matrix(dL_dz, "dL_dz")
        if x.shape[1] != 1:
            raise ValueError(f"the explorer shows one example: x and dL_dz must be columns (k = 1); "
                             f"got x of shape {x.shape} and dL_dz of shape {dL_dz.shape}")
        self.x_sliders = MatrixSliders("x", x)
        self.dz_sliders = MatrixSliders("∂L/∂z", dL_dz)
        self.heatmap = widgets.HTML()
        self.readout = self.make_readout()
        controls = widgets.HBox([self.x_sliders, self.dz_sliders])
        super().__init__([controls, self.heatmap, self.readout])
        self.observe_controls(*sum(self.x_sliders.sliders, []), *sum(self.dz_sliders.sliders, []))
        self.update()

    def update(self, *_):
        """Read the sliders, recompute dL/dW and dL/db with the helpers, redraw the table."""
        self.x, self.dL_dz = self.x_sliders.array, self.dz_sliders.array
        self.dL_dW = weight_gradient(self.dL_dz, self.x)
        self.dL_db = bias_gradient(self.dL_dz)
        self.heatmap.value = html_heatmap(self.dL_dW, self.dL_db, self.x, self.dL_dz)
        self.readout.value = (f"<code>dL/dW = {plain_numbers(self.dL_dW)}   "
                              f"dL/db = {plain_numbers(self.dL_db)}</code>")

    def _repr_mimebundle_(self, **kwargs):
        """Without a kernel (nbviewer, GitHub) the table at its current values is shown."""
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.heatmap.value
        return bundle


@recipe
def weight_gradient_explorer(x=None, dL_dz=None):
    """Build notebook 03's explorer. Defaults: x = (1.0, −0.5, 0.0)ᵀ (n = 3) and
    dL/dz = (0.5, −1.0, 1.5, −0.8)ᵀ (m = 4): the shapes of the notebook's layer, so the
    table of dL/dW is 4 × 3 like its W.

    Returns the widget (a ``WeightGradExplorer``); display it by leaving it last in a cell.

    Raises:
        ValueError naming the argument: x or dL_dz not a column (n, 1) / (m, 1), or an entry outside
        the sliders' range ±3.
    """
    x = np.array([[1.0], [-0.5], [0.0]]) if x is None else x
    dL_dz = np.array([[0.5], [-1.0], [1.5], [-0.8]]) if dL_dz is None else dL_dz
    return WeightGradExplorer(x, dL_dz)
