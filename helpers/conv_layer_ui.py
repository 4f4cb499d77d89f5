"""Notebook 08's widgets: a whole convolutional layer as one matrix product, and where pooling sends gradients.

    conv_window_stepper()   step through the windows of a small batch of 2-channel images: each window
                            is a column of cols, the filters are the rows of K_mat, and the output entry
                            is that row times that column plus the bias
    pooling_stepper()       step through the pooling windows: the forward value, and where the window's
                            gradient goes (to the first maximum, or shared by average pooling)

Math comes from ``conv_layer.py``; this module only draws. Every number drawn in a cell is a Text
artist drawn once into the saved background; what moves at each step (outlines, the masks over
entries not computed yet, the gradient numbers) is animated and blitted over it.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib import rcParams
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.patches import Rectangle

from .conv_layer import (avgpool_backward, avgpool_forward, batch_im2col, conv_forward, layer_output_shape,
                         maxpool_backward, maxpool_forward, maxpool_winners)
from .live import Explorer, LiveFigure
from .flipbook import recipe
from .shapes import as_float_array

GREEN, ORANGE, BLUE, YELLOW, GREY = "#cdebc5", "#ffd8a8", "#cfe0f5", "#fff3bf", "#ececec"
HIGHLIGHT = "#e8590c"
RECEIVER = "#c2255c"  # the pixel(s) a pooling window's gradient goes to
INSET = 0.36  # half the side of their outline, in cells
MASK = np.array([*to_rgb(BLUE), 1.0])  # an entry not computed yet: blank blue


def number(v):
    """A cell's number as short text: ``3`` for whole numbers, ``0.25`` otherwise (−0 as 0), ``1.5e+06`` if huge."""
    v = float(v)
    if abs(v) >= 1e5:
        return f"{v:.2g}"
    return f"{round(v) + 0:d}" if v == round(v) else f"{v:.2f}"


def _index(value, name, count, what):
    """``value`` as a whole number from 0 to count − 1 (a control's starting value), or a ValueError."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or not 0 <= value < count:
        raise ValueError(f"{name} must be a whole number from 0 to {count - 1} ({what}); got {name}={value!r}")
    return int(value)


def _grid(ax, values, color, fontsize=8, texts=True):
    """Draw ``values`` (rows, cols) as a table of ``color`` cells on ``ax``; cell (i, j) centred at (j, i).

    Returns the Text artists, (rows, cols), or None without ``texts``.
    """
    rows, cols = values.shape
    ax.imshow(np.broadcast_to(np.array(to_rgb(color)), (rows, cols, 3)), interpolation="nearest",
              extent=(-0.5, cols - 0.5, rows - 0.5, -0.5))
    lines = [[(x, -0.5), (x, rows - 0.5)] for x in np.arange(cols + 1) - 0.5]
    lines += [[(-0.5, y), (cols - 0.5, y)] for y in np.arange(rows + 1) - 0.5]
    ax.add_collection(LineCollection(lines, colors="white", linewidths=1.2))
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.grid(False)
    if not texts:
        return None
    return np.array([[ax.text(j, i, number(values[i, j]), ha="center", va="center", fontsize=fontsize)
                      for j in range(cols)] for i in range(rows)], dtype=object)


def _box(ax, color=HIGHLIGHT, lw=2.5):
    """An outline rectangle on ``ax`` (moved with ``set_xy`` / ``set_width`` / ``set_height``)."""
    return ax.add_patch(Rectangle((-0.5, -0.5), 1, 1, fill=False, ec=color, lw=lw, clip_on=False, zorder=5))


def _mask(ax, shape):
    """An RGBA image over a grid of ``shape`` that hides the entries not computed yet (animated)."""
    rows, cols = shape
    return ax.imshow(np.zeros((rows, cols, 4)), interpolation="nearest", extent=(-0.5, cols - 0.5, rows - 0.5, -0.5),
                     zorder=4)


# ----------------------------------------------------------------------------- the layer as one product

LAYER_X = np.array([[[[1, 2, 0], [0, 1, 3], [2, 1, 1]],
                     [[0, 1, 1], [2, 0, 1], [1, 3, 0]]],
                    [[[3, 0, 1], [1, 2, 2], [0, 1, 0]],
                     [[1, 1, 0], [0, 2, 1], [2, 0, 3]]]], dtype=float)
LAYER_K = np.array([[[[1, 0], [0, -1]], [[0, 1], [1, 0]]],
                    [[[1, 1], [1, 1]], [[-1, 0], [0, 2]]]], dtype=float)
LAYER_B = np.array([1.0, -2.0])
"""The stepper's example: a batch of N = 2 images with C = 2 channels of 3×3 (LAYER_X, 2×2×3×3), F = 2
filters of 2×2×2 (LAYER_K) and biases LAYER_B. No padding, stride 1: each image has 2×2 windows, so
cols is 8×8 (C·kh·kw = 8 numbers per window, N·2·2 = 8 windows) and Z is 2×2×2×2."""


class ConvWindowStepper(Explorer):
    """Step through the windows of a batch: window q is column q of cols; Z entry = row f of K_mat · column q + b_f.

    Attributes a test can read after moving a control:
        X (N, C, H, W), K (F, C, kh, kw), b (F,): the layer;  cols (C·kh·kw, N·Q): ``batch_im2col(X, ...)``;
        K_mat (F, C·kh·kw): the filters as rows;  Z_mat (F, N·Q) = K_mat · cols + b;  Z: ``conv_forward``;
        q, f: the current window (column) and filter (row);  n, out: the window's example and output (i, j);
        column (C·kh·kw,): cols[:, q];  value: Z_mat[f, q];  computed (F, N·Q): Z_mat with the entries
        not reached yet (columns after q) as NaN;  window, play, filter: the controls;
        sum_line: the HTMLMath of the sum.
    """

    summary = "step through the windows: each window is a column of cols, each filter a row of K_mat"

    def __init__(self, X, K, b, window=0, filter=0):
        self.Z = conv_forward(X, K, b)  # validates everything up front (complex, NaN, shapes, channels)
        self.X = np.array(X, dtype=float)
        self.K = np.array(K, dtype=float)
        self.b = np.array(b, dtype=float)
        N, C, H, W = self.X.shape
        F, _, kh, kw = self.K.shape
        _, _, self.oh, self.ow = self.Z.shape
        self._check_size()
        self.cols = batch_im2col(self.X, (kh, kw))
        self.K_mat = self.K.reshape(F, -1)
        self.Z_mat = self.K_mat @ self.cols + self.b[:, None]
        count = self.cols.shape[1]
        window = _index(window, "window", count, f"the {count} windows, columns of cols")
        filter = _index(filter, "filter", F, f"the {F} filters, rows of K_mat")
        last = count - 1
        self.window = widgets.IntSlider(value=window, min=0, max=last, description="window q",
                                        layout={"width": "340px"})
        self.play = widgets.Play(value=self.window.value, min=0, max=last, interval=900, description="play")
        widgets.link((self.play, "value"), (self.window, "value"))  # in the kernel: see conv_ui
        self.filter = widgets.IntSlider(value=filter, min=0, max=F - 1, description="filter f",
                                        layout={"width": "260px"})
        self.sum_line = widgets.HTMLMath()
        self.readout = self.make_readout()
        self._build()
        controls = widgets.HBox([self.play, self.window, self.filter])
        super().__init__([controls, self.figure.image, self.sum_line, self.readout])
        self.observe_controls(self.window, self.filter)
        self.update()

    FIGSIZE = (9.6, 3.9)  # inches
    CELL, SIDE = 0.22, 0.28  # inches per cell: the matrix product (bottom), the input channels (top)

    def _check_size(self):
        """Refuse a layer whose tables would not fit the figure (every number is drawn)."""
        N, C, H, W = self.X.shape
        F, _, kh, kw = self.K.shape
        rows, n_cols = C * kh * kw, N * self.oh * self.ow
        cell, side = self.CELL, self.SIDE
        wide_top = 0.75 + N * (C * W * side + (C - 1) * 0.3 + 0.8) - 0.8
        wide_bottom = 0.75 + rows * cell + 0.2 + 0.75 + n_cols * cell + 0.25 + 0.2 + cell + 0.3 + 0.25 + n_cols * cell
        high = 2.6 + H * side + 0.45  # the example's caption above its channels
        tallest = max(rows, F)  # K_mat, b and Z_mat (F rows) are centred on cols (C·kh·kw rows)
        if 0.3 + (rows + tallest) * cell / 2 + 0.25 > 2.6 or 0.3 + (rows - tallest) * cell / 2 < 0.05:
            high = float("inf")  # the product must fit between the figure's bottom and the input channels
        width, height = self.FIGSIZE
        if max(wide_top, wide_bottom) > width or high > height:
            raise ValueError(
                f"conv_window_stepper draws every number, so the layer must be small: X of shape {self.X.shape} "
                f"with K of shape {self.K.shape} makes cols {rows}×{n_cols} (C·kh·kw × N·Q) and does not fit its "
                f"{width}×{height} inch picture; the default is 2 examples with 2 channels of 3×3 and 2 filters of 2×2"
            )

    def _build(self):
        N, C, H, W = self.X.shape
        F, _, kh, kw = self.K.shape
        rows, n_cols = self.cols.shape
        self.figure = LiveFigure(figsize=self.FIGSIZE, dpi=80)
        fig = self.figure.fig
        fig.set_layout_engine("none")
        # top: the N·C input channels; bottom: K_mat · cols + b = Z_mat, the matrix product
        cell = self.CELL  # inches per cell in the bottom row
        width, height = fig.get_size_inches()

        def axes(x, y, cols_, rows_, size=cell):
            """New axes for a table of rows_ × cols_ cells of ``size`` inches, bottom-left at (x, y) inches."""
            return fig.add_axes((x / width, y / height, cols_ * size / width, rows_ * size / height))

        self.input_axes = []
        x, y_top, side = 0.75, 2.6, self.SIDE
        for n in range(N):
            left = x
            for c in range(C):
                ax = axes(x, y_top, W, H, side)
                _grid(ax, self.X[n, c], GREEN)
                ax.set_title(f"X[{n}, {c}]", fontsize=8)
                self.input_axes.append(ax)
                x += W * side + (0.3 if c < C - 1 else 0.8)
            middle = (left + x - 0.8) / 2
            fig.text(middle / width, (y_top + H * side + 0.3) / height, f"example n = {n}: " + (f"channels c = 0…{C - 1}" if C > 1 else "channel c = 0"),
                     fontsize=8, ha="center", va="bottom")
        self.window_boxes = [_box(ax) for ax in self.input_axes]
        for box in self.window_boxes:
            box.set_width(kw)
            box.set_height(kh)

        y_cols = 0.3
        x = 0.75
        ax_k = axes(x, y_cols + (rows - F) * cell / 2, rows, F)
        _grid(ax_k, self.K_mat, ORANGE)
        ax_k.set_title("K_mat (filters as rows)", fontsize=8)
        ax_k.set_yticks(range(F), [f"f={f}" for f in range(F)], fontsize=7)
        ax_k.tick_params(length=0)
        x += rows * cell + 0.2
        fig.text(x / width, (y_cols + rows * cell / 2) / height, "·", fontsize=16, ha="center", va="center")
        x += 0.75  # room for cols' row labels
        ax_c = axes(x, y_cols, n_cols, rows)
        _grid(ax_c, self.cols, YELLOW)
        ax_c.set_title("cols (one window per column)", fontsize=8)
        ax_c.set_yticks(range(rows), [f"c{r // (kh * kw)} ({r % (kh * kw) // kw},{r % kw})" for r in range(rows)],
                        fontsize=6)
        ax_c.set_xticks(range(n_cols), [str(q) for q in range(n_cols)], fontsize=7)
        ax_c.tick_params(length=0)
        x += n_cols * cell + 0.25
        fig.text(x / width, (y_cols + rows * cell / 2) / height, "+", fontsize=14, ha="center", va="center")
        x += 0.2
        ax_b = axes(x, y_cols + (rows - F) * cell / 2, 1, F)
        _grid(ax_b, self.b[:, None], ORANGE)
        ax_b.set_title("b", fontsize=8)
        x += cell + 0.3
        fig.text(x / width, (y_cols + rows * cell / 2) / height, "=", fontsize=14, ha="center", va="center")
        x += 0.25
        ax_z = axes(x, y_cols + (rows - F) * cell / 2, n_cols, F)
        _grid(ax_z, self.Z_mat, BLUE)
        ax_z.set_title("Z_mat = K_mat · cols + b", fontsize=8)
        ax_z.set_xticks(range(n_cols), [str(q) for q in range(n_cols)], fontsize=7)
        ax_z.tick_params(length=0)
        self.mask = _mask(ax_z, self.Z_mat.shape)
        self.column_box = _box(ax_c)
        self.column_box.set_height(rows)
        self.row_box = _box(ax_k)
        self.row_box.set_width(rows)
        self.bias_box = _box(ax_b)
        self.entry_box = _box(ax_z)
        self.ax_cols, self.ax_K, self.ax_b, self.ax_Z = ax_c, ax_k, ax_b, ax_z
        self.figure.animate(self.mask, *self.window_boxes, self.column_box, self.row_box, self.bias_box,
                            self.entry_box)

    def update(self, *_):
        """Show window q (column q of cols) and filter f (row f of K_mat): outline both, fill Z_mat up to column q."""
        N, C, H, W = self.X.shape
        F, _, kh, kw = self.K.shape
        q, f = self.window.value, self.filter.value
        per_example = self.oh * self.ow
        self.q, self.f = q, f
        self.n, k = divmod(q, per_example)
        self.out = divmod(k, self.ow)
        self.column = self.cols[:, q]
        self.value = float(self.Z_mat[f, q])
        self.computed = np.full(self.Z_mat.shape, np.nan)
        self.computed[:, :q + 1] = self.Z_mat[:, :q + 1]

        i, j = self.out
        for index, box in enumerate(self.window_boxes):
            box.set_visible(index // C == self.n)
            box.set_xy((j - 0.5, i - 0.5))
        self.column_box.set_xy((q - 0.5, -0.5))
        self.row_box.set_xy((-0.5, f - 0.5))
        self.bias_box.set_xy((-0.5, f - 0.5))
        self.entry_box.set_xy((q - 0.5, f - 0.5))
        mask = np.zeros(self.Z_mat.shape + (4,))
        mask[np.isnan(self.computed)] = MASK
        self.mask.set_data(mask)

        def factor(v):
            """A number in the written-out sum; negative ones in parentheses."""
            return f"({number(v)})" if v < 0 else number(v)

        terms = " + ".join(rf"{factor(a)}\cdot{factor(c)}" for a, c in zip(self.K_mat[f], self.column))
        self.sum_line.value = (
            rf"$Z_{{{self.n},{f},{i},{j}}} = (\text{{row }} {f} \text{{ of }} K_{{\text{{mat}}}})"
            rf"\cdot(\text{{column }} {q} \text{{ of cols}}) + b_{{{f}}} = {terms} + {factor(self.b[f])}"
            rf" = {number(self.value)}$"
        )
        self.readout.value = (
            f"<code>window q = {q} (0–{self.cols.shape[1] - 1}): example n = {self.n}, output ({i}, {j})   "
            f"filter f = {f}   Z[{self.n}, {f}, {i}, {j}] = {number(self.value)}   "
            f"column q = [{' '.join(number(v) for v in self.column)}]</code>"
        )
        self.figure.refresh()


@recipe
def conv_window_stepper(X=None, K=None, b=None, window=0, filter=0):
    """Build notebook 08's layer stepper. Defaults: LAYER_X (2×2×3×3), LAYER_K (2×2×2×2), LAYER_B.

    Args:
        X: (N, C, H, W);  K: (F, C, kh, kw);  b: (F,): a small layer (no padding, stride 1), small enough to
            draw every number (images of at most 3×3; cols of about 8×8 at most);  window: the column q shown
            first, 0 to N·Q − 1;  filter: the row f shown first, 0 to F − 1.

    Returns the widget (a ``ConvWindowStepper``).

    Raises:
        ValueError for what ``conv_forward`` refuses, a layer too large to draw, or a window or filter
        that is not a whole number in its range (never clamped).
    """
    return ConvWindowStepper(LAYER_X if X is None else X, LAYER_K if K is None else K,
                             LAYER_B if b is None else b, window, filter)


# ----------------------------------------------------------------------------- pooling

POOL_X = np.array([[[[1, 3, 2, 0],
                     [3, 0, 1, 1],
                     [4, 1, 5, 5],
                     [0, 2, 1, 3]]]], dtype=float)
"""The pooling stepper's 1×1×4×4 input: its top-left 2×2 window holds two 3s (a tie: the first in
row-major order, at (0, 1), wins) and its bottom-right window two 5s."""


class PoolingStepper(Explorer):
    """Step through the pooling windows of one channel: the value Y[i, j] and where its gradient dY[i, j] goes.

    size 2; stride 2 (side by side) or 1 (overlapping: a pixel can collect several gradients).
    dY[i, j] = q + 1 for window q, so every gradient can be told apart.

    Attributes a test can read after moving a control:
        X (H, W): the input channel;  Y, dY (out_h, out_w);  q: the window;  out: its (i, j);
        winner: (row, col) of its maximum (max pooling);  dX (H, W): the gradient of windows 0..q
        only (``maxpool_backward`` / ``avgpool_backward`` of dY with the later entries set to 0);
        window, play, mode, stride: the controls.
    """

    summary = "step through the pooling windows: the forward value and where its gradient goes"

    def __init__(self, X, mode="max", stride=2, window=0):
        X = as_float_array(X, "X")  # refuses complex entries and text, never drops them
        shape = X.shape
        if X.ndim == 2:
            X = X[None, None]
        elif X.ndim != 4 or X.shape[:2] != (1, 1):
            raise ValueError(f"the pooling stepper shows one channel: X must be H×W or 1×1×H×W; got X of shape {shape}")
        maxpool_forward(X, 1)  # refuses NaN and ±inf
        self.X4 = X
        H, W = self.X4.shape[2:]
        if not (2 <= H <= 4 and 2 <= W <= 4):
            raise ValueError(f"the pooling stepper draws a channel of 2×2 to 4×4 pixels; got X of shape {shape}")
        if mode not in ("max", "average"):
            raise ValueError(f"mode must be 'max' or 'average'; got mode={mode!r}")
        if isinstance(stride, (bool, np.bool_)) or stride not in (1, 2):
            raise ValueError(f"stride must be 1 or 2 (the stepper's slider); got stride={stride!r}")
        count = maxpool_forward(self.X4, 2, int(stride)).size
        window = _index(window, "window", count, f"the {count} pooling windows at stride {stride}")
        self.X = self.X4[0, 0]
        self.stride = widgets.IntSlider(value=stride, min=1, max=2, description="stride", layout={"width": "220px"})
        self.mode = widgets.ToggleButtons(options=["max", "average"], value=mode, style={"button_width": "80px"})
        self.window = widgets.IntSlider(value=0, min=0, max=0, description="window q", layout={"width": "300px"})
        self.play = widgets.Play(value=0, min=0, max=0, interval=900, description="play")
        widgets.link((self.play, "value"), (self.window, "value"))  # in the kernel: see conv_ui
        self.readout = self.make_readout()
        self._quiet = False
        self._build()
        self._regrid()
        self.window.value = window
        controls = widgets.HBox([self.play, self.window, self.stride, self.mode])
        super().__init__([controls, self.figure.image, self.readout])
        self.window.observe(self.update, names="value")
        self.mode.observe(self.update, names="value")
        self.stride.observe(self._regrid, names="value")
        self.update()

    def _build(self):
        H, W = self.X.shape
        self.figure = LiveFigure(figsize=(8.0, 2.5), dpi=80)
        fig = self.figure.fig
        fig.set_layout_engine("none")
        width, height = fig.get_size_inches()
        cell = 0.4
        big = 3  # the largest out_h = out_w (stride 1 on 4×4)

        def rect(x, rows, cols_):
            """The axes rectangle (figure fractions) of a rows × cols_ table at x inches, centred vertically."""
            y = (height - 0.4 - rows * cell) / 2 + 0.05
            return x / width, y / height, cols_ * cell / width, rows * cell / height

        self._rect = rect
        self._x_Y, self._x_dY = 0.3 + W * cell + 0.5, 0.3 + (W + big) * cell + 1.0
        self.ax_X = fig.add_axes(rect(0.3, H, W))
        _grid(self.ax_X, self.X, GREEN)
        self.ax_X.set_title("X (one channel)", fontsize=9)
        self.ax_Y = fig.add_axes(rect(self._x_Y, big, big))
        self.ax_dY = fig.add_axes(rect(self._x_dY, big, big))
        self.ax_Y.set_title("Y (forward)", fontsize=9)
        self.ax_dY.set_title("dY (from above)", fontsize=9)
        self.ax_dX = fig.add_axes(rect(0.3 + (W + 2 * big) * cell + 1.5, H, W))
        _grid(self.ax_dX, np.zeros((H, W)), GREY, texts=False)
        self.ax_dX.set_title("dX: where the gradients went", fontsize=9)
        # the pixels that receive the gradient: an inner outline on X (its numbers stay in the background),
        # a shaded cell on dX (whose numbers are redrawn over it)
        self.winner_boxes = [self.ax_X.add_patch(Rectangle((-INSET, -INSET), 2 * INSET, 2 * INSET, fill=False,
                                                           ec=RECEIVER, lw=2.5, zorder=5)) for _ in range(4)]
        self.dX_boxes = [self.ax_dX.add_patch(Rectangle((-0.5, -0.5), 1, 1, fc=ORANGE, ec="none", zorder=0.5))
                         for _ in range(4)]
        self.window_box = _box(self.ax_X)
        self.window_box.set_width(2)
        self.window_box.set_height(2)
        self.dX_texts = np.array([[self.ax_dX.text(j, i, "", ha="center", va="center", fontsize=8)
                                   for j in range(W)] for i in range(H)], dtype=object)
        self.y_texts = np.array([[self.ax_Y.text(j, i, "", ha="center", va="center", fontsize=8)
                                  for j in range(big)] for i in range(big)], dtype=object)
        self.entry_boxes = [_box(self.ax_Y), _box(self.ax_dY)]
        self.figure.animate(*self.winner_boxes, *self.dX_boxes, self.window_box, *self.entry_boxes,
                            *self.dX_texts.ravel(), *self.y_texts.ravel())

    def _regrid(self, *_):
        """A new stride: new window positions, new Y and dY sizes (the figure is drawn again in full)."""
        s = self.stride.value
        self.Y_max = maxpool_forward(self.X4, 2, s)[0, 0]
        self.Y_avg = avgpool_forward(self.X4, 2, s)[0, 0]
        oh, ow = self.Y_max.shape
        self.dY = np.arange(1.0, oh * ow + 1).reshape(oh, ow)
        rows, cols = maxpool_winners(self.X4, 2, s)
        self.winners = np.stack([rows[0, 0], cols[0, 0]], axis=-1)  # (oh, ow, 2)
        keep = set(self.y_texts.ravel())
        for ax in (self.ax_Y, self.ax_dY):
            for artist in [*ax.images, *ax.collections, *(t for t in ax.texts if t not in keep)]:
                artist.remove()
        self.ax_Y.set_position(self._rect(self._x_Y, oh, ow))
        self.ax_dY.set_position(self._rect(self._x_dY, oh, ow))
        _grid(self.ax_Y, np.zeros((oh, ow)), BLUE, texts=False)
        _grid(self.ax_dY, self.dY, YELLOW)
        for (i, j), text in np.ndenumerate(self.y_texts):
            text.set_visible(i < oh and j < ow)
        last = oh * ow - 1
        self._quiet = True  # one update below, not one per changed property
        try:
            self.window.value = min(self.window.value, last)
            self.window.max = self.play.max = last
        finally:
            self._quiet = False
        self._full = True
        self.update()

    def update(self, *_):
        """Show window q: outline it, mark the pixel(s) its gradient goes to, add dY[i, j] into dX."""
        if self._quiet:
            return
        s, q, mode = self.stride.value, self.window.value, self.mode.value
        Y = self.Y_max if mode == "max" else self.Y_avg
        oh, ow = Y.shape
        self.q, self.out = q, divmod(q, ow)
        i, j = self.out
        self.Y = Y
        partial = np.where(np.arange(oh * ow).reshape(oh, ow) <= q, self.dY, 0.0)[None, None]
        backward = maxpool_backward if mode == "max" else avgpool_backward
        self.dX = backward(partial, self.X4, 2, s)[0, 0]
        self.winner = tuple(int(v) for v in self.winners[i, j])
        self.receivers = [self.winner] if mode == "max" else [(s * i + u, s * j + v) for u in range(2) for v in range(2)]

        self.window_box.set_xy((s * j - 0.5, s * i - 0.5))
        for boxes, half in ((self.winner_boxes, INSET), (self.dX_boxes, 0.5)):
            for k, box in enumerate(boxes):
                box.set_visible(k < len(self.receivers))
                if k < len(self.receivers):
                    r, c = self.receivers[k]
                    box.set_xy((c - half, r - half))
        for (r, c), text in np.ndenumerate(self.dX_texts):
            text.set_text(number(self.dX[r, c]))
        for (a, b), text in np.ndenumerate(self.y_texts):
            text.set_text(number(Y[a, b]) if a < oh and b < ow and a * ow + b <= q else "")
        for box in self.entry_boxes:
            box.set_xy((j - 0.5, i - 0.5))
        if mode == "max":
            goes = f"all of dY[{i}, {j}] = {number(self.dY[i, j])} goes to X[{self.winner[0]}, {self.winner[1]}]"
        else:
            goes = f"dY[{i}, {j}]/4 = {number(self.dY[i, j] / 4)} goes to each of the window's 4 pixels"
        self.readout.value = (
            f"<code>{mode} pooling, size 2, stride {s}   window q = {q} (0–{oh * ow - 1}), Y[{i}, {j}] = "
            f"{number(Y[i, j])}   {goes}   dX sums to {number(self.dX.sum())}</code>"
        )
        self.figure.refresh(full=self._full)
        self._full = False


@recipe
def pooling_stepper(X=None, mode="max", stride=2, window=0):
    """Build notebook 08's pooling stepper. Default: POOL_X (a 4×4 channel with ties), max pooling, size 2, stride 2.

    Args:
        X: (H, W) or (1, 1, H, W), one channel of 2×2 to 4×4 pixels;  mode: "max" or "average";
        stride: 2 (windows side by side) or 1 (overlapping);  window: the window shown first (row-major).

    Returns the widget (a ``PoolingStepper``).

    Raises:
        ValueError for anything else: complex, NaN or infinite entries, several channels, another size,
        mode, stride, or a window that does not exist (never clamped).
    """
    return PoolingStepper(POOL_X if X is None else X, mode, stride, window)
