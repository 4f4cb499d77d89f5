"""Notebook 06's pictures and widgets: the sliding window stepped through position by
position, and real filters on a real image.

    window_stepper()    Play / slider over the window positions; padding and stride controls
    filter_explorer()   pick or edit a 3×3 kernel, see Grace Hopper's portrait filtered in place

Math comes from ``conv.py``; this module only draws.
"""
import ipywidgets as widgets
import matplotlib.cbook as cbook
import matplotlib.image as mpimg
import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.patches import Rectangle

from .conv import KERNELS, SEED_IMAGE, SEED_KERNEL, convolve2d, correlate2d, pad2d, resolve_padding, window_positions
from .latex import latex_number
from .live import Explorer, LiveFigure

GREEN, ORANGE, GREY, BLUE = "#cdebc5", "#ffd8a8", "#ececec", "#cfe0f5"
WINDOW = "#e8590c"
MASK_RGBA = np.array([*to_rgb(BLUE), 1.0])  # an output cell not reached yet: blank blue


def number(v):
    """A cell's number as short text: ``1`` for whole numbers, ``0.25`` otherwise (−0 as 0)."""
    v = float(v)
    if v == round(v):
        return f"{round(v) + 0:d}"
    return f"{v:.2f}"


def draw_grid(ax, values, colors, fontsize=9, texts=True, index=True):
    """Draw ``values`` (r, c) as a table of coloured cells on ``ax``; row 0 at the top, cell (i, j) centred at (j, i).

    ``colors`` is one colour, or an (r, c) array of colour names. The cells are one image and
    the white lines between them one collection (cheap to draw); ``index`` writes the row and
    column numbers outside. Returns the (r, c) list of lists of Text artists (empty if ``texts``
    is False), so callers can change them.
    """
    values = np.asarray(values, dtype=float)
    rows, cols = values.shape
    names = np.broadcast_to(np.asarray(colors, dtype=object), (rows, cols))
    rgb = np.array([[to_rgb(c) for c in row] for row in names]).reshape(rows, cols, 3)
    ax.imshow(rgb, extent=(-0.5, cols - 0.5, rows - 0.5, -0.5), interpolation="nearest")
    ax.vlines(np.arange(cols + 1) - 0.5, -0.5, rows - 0.5, color="white", lw=1.5)
    ax.hlines(np.arange(rows + 1) - 0.5, -0.5, cols - 0.5, color="white", lw=1.5)
    labels = [[ax.text(j, i, number(values[i, j]) if texts else "", ha="center", va="center",
                       fontsize=fontsize) for j in range(cols)] for i in range(rows)]
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_xticks([])  # no tick objects at all: the title's placement would create them
    ax.set_yticks([])
    ax.axis("off")
    if index:  # row and column numbers: plain texts (ticks would cost two lines and a text each)
        style = {"fontsize": 7, "color": "0.45", "clip_on": False}
        for j in range(cols):
            ax.text(j, rows - 0.5 + 0.12, str(j), ha="center", va="top", **style)
        for i in range(rows):
            ax.text(-0.5 - 0.12, i, str(i), ha="right", va="center", **style)
    return labels


def panel_axes(fig, shapes, gap=0.45, margins=(0.3, 0.3, 0.35, 0.5)):
    """Axes side by side, one per (rows, cols) in ``shapes``, all with square cells of one size.

    Laid out by hand (left, right, bottom, top margins and the gap between panels, in inches),
    centred vertically: constrained layout would take ~0.3 s per redraw for these many labels.
    """
    width, height = fig.get_size_inches()
    left, right, bottom, top = margins
    cell = min((width - left - right - gap * (len(shapes) - 1)) / sum(c for _, c in shapes),
               (height - bottom - top) / max(r for r, _ in shapes))
    used = sum(c for _, c in shapes) * cell + gap * (len(shapes) - 1)
    x = left + (width - left - right - used) / 2
    axes = []
    for rows, cols in shapes:
        y = bottom + (height - bottom - top - rows * cell) / 2
        axes.append(fig.add_axes((x / width, y / height, cols * cell / width, rows * cell / height)))
        x += cols * cell + gap
    return axes


class WindowStepper(Explorer):
    """Step the kernel over the image one window at a time: window, product, sum, output.

    Attributes a test can read after moving a control:
        image (H, W), kernel (kh, kw): the inputs;  padded: the image with its zero border;
        Z: the whole output;  windows: ``window_positions(...)`` for the current padding and stride;
        window: the current one;  product (kh, kw): the window ⊙ kernel;  value: its sum, Z[i, j];
        output (out_h, out_w): Z with the entries not reached yet set to NaN;
        position, play, padding, stride: the controls;  sum_line: the HTMLMath of the sum.
    """

    summary = "step the kernel over the input: window, element-wise product, sum, output"

    def __init__(self, image, kernel, padding=0, stride=1, position=0):
        self.image = np.array(image, dtype=float)
        self.kernel = np.array(kernel, dtype=float)
        self.Z = correlate2d(self.image, self.kernel, padding, stride)  # validates everything up front
        last = self.Z.size - 1
        self.position = widgets.IntSlider(value=min(max(position, 0), last), min=0, max=last,
                                          description="window #", continuous_update=True,
                                          layout={"width": "340px"})
        self.play = widgets.Play(value=self.position.value, min=0, max=last, interval=700, description="play")
        widgets.jslink((self.play, "value"), (self.position, "value"))
        (H, W), (kh, kw) = self.image.shape, self.kernel.shape
        fits = max(0, -(-(kh - H) // 2), -(-(kw - W) // 2))  # the least padding that lets the kernel fit
        self.padding = widgets.IntSlider(value=padding, min=fits, max=max(kh - 1, padding, fits),
                                         description="padding p", layout={"width": "260px"})
        self.stride = widgets.IntSlider(value=stride, min=1, max=max(3, stride), description="stride s",
                                        layout={"width": "260px"})
        self.sum_line = widgets.HTMLMath()
        self.readout = self.make_readout()
        self._grids = {}  # (p, s) -> the values named in GRID_STATE
        self._build()
        controls = widgets.HBox([widgets.HBox([self.play, self.position]),
                                 widgets.VBox([self.padding, self.stride])])
        super().__init__([controls, self.figure.image, self.sum_line, self.readout])
        self.position.observe(self.update, names="value")
        self.padding.observe(self._regrid, names="value")
        self.stride.observe(self._regrid, names="value")
        self.update()

    GRID_STATE = ("figure", "Z", "windows", "padded", "window_box", "product_texts", "sum_text",
                  "mask", "output_box")

    def _build(self):
        """Set up the grid of windows for the current padding and stride, drawn once per (p, s).

        Every output number is drawn once; an animated mask (one image) hides the ones the kernel
        has not reached yet, so a step redraws a dozen artists, not the whole output. Each (p, s)
        gets its own figure (0.1–0.2 s to build), kept, so coming back to a setting is a redraw
        (~20 ms); all of them draw into the one Image widget on display.
        """
        key = (self.padding.value, self.stride.value)
        self._full = key not in self._grids  # a kept figure still has its background: blit
        if self._full:
            self._grids[key] = self._draw_grid(*key)
        for name, value in zip(self.GRID_STATE, self._grids[key]):
            setattr(self, name, value)

    def _draw_grid(self, p, s):
        """Build the figure for padding ``p`` and stride ``s``; return the values named in GRID_STATE."""
        Z = correlate2d(self.image, self.kernel, p, s)
        windows = window_positions(self.image.shape, self.kernel.shape, p, s)
        ph, pw = resolve_padding(p, self.kernel.shape, s)
        padded = pad2d(self.image, (ph, pw))
        H, W = self.image.shape
        (kh, kw), (oh, ow), (Hp, Wp) = self.kernel.shape, Z.shape, padded.shape

        figure = LiveFigure(figsize=(8.6, 3.2), dpi=80)
        if self._grids:  # share the Image widget on display
            figure.image = next(iter(self._grids.values()))[0].image
        fig = figure.fig
        fig.set_layout_engine("none")
        ax_x, ax_k, ax_p, ax_z = panel_axes(fig, [(Hp, Wp), (kh, kw), (kh, kw), (oh, ow)])
        fontsize = 9 if max(Hp, Wp) <= 7 else 8

        colors = np.full(padded.shape, GREEN, dtype=object)
        inside = np.zeros(padded.shape, bool)
        inside[ph:ph + H, pw:pw + W] = True
        colors[~inside] = GREY
        labels = draw_grid(ax_x, padded, colors, fontsize=fontsize)
        for (i, j) in zip(*np.nonzero(~inside)):
            labels[i][j].set_color("0.55")
        ax_x.set_title(f"input X, padded by p = {p}" if p else "input X", fontsize=10)
        window_box = ax_x.add_patch(Rectangle((-0.5, -0.5), kw, kh, fill=False, ec=WINDOW, lw=3, clip_on=False))

        draw_grid(ax_k, self.kernel, ORANGE)
        ax_k.set_title("kernel K", fontsize=10)

        product_texts = draw_grid(ax_p, np.zeros_like(self.kernel), "#fff3bf", texts=False, index=False)
        ax_p.set_title("window ⊙ K", fontsize=10)
        sum_text = ax_p.text(0.5, -0.05, "", transform=ax_p.transAxes, ha="center", va="top",
                             fontsize=11, color=WINDOW, fontweight="bold")

        draw_grid(ax_z, Z, BLUE, fontsize=fontsize)
        mask = ax_z.imshow(np.zeros((oh, ow, 4)), extent=(-0.5, ow - 0.5, oh - 0.5, -0.5), interpolation="nearest")
        ax_z.set_xlim(-0.5, ow - 0.5)
        ax_z.set_ylim(oh - 0.5, -0.5)
        ax_z.set_title(f"output Z ({oh}×{ow})", fontsize=10)
        output_box = ax_z.add_patch(Rectangle((-0.5, -0.5), 1, 1, fill=False, ec=WINDOW, lw=3, clip_on=False))

        figure.animate(mask, window_box, output_box, sum_text, *[t for row in product_texts for t in row])
        return figure, Z, windows, padded, window_box, product_texts, sum_text, mask, output_box

    def _regrid(self, *_):
        """Padding or stride changed: new grid of positions, new output size; keep k if it still exists."""
        self._build()
        last = len(self.windows) - 1
        self.position.unobserve(self.update, names="value")
        try:
            self.position.value = min(self.position.value, last)
            self.position.max = self.play.max = last
        finally:
            self.position.observe(self.update, names="value")
        self.update()

    def update(self, *_):
        """Show window number k = ``position.value``: outline it, write its product and sum, fill Z up to k."""
        k = self.position.value
        self.window = w = self.windows[k]
        window = self.padded[w.rows, w.cols]
        self.product = window * self.kernel
        self.value = float(self.product.sum())
        oh, ow = self.Z.shape
        self.output = np.full((oh, ow), np.nan)
        self.output.flat[:k + 1] = self.Z.flat[:k + 1]

        self.window_box.set_xy((w.left - 0.5, w.top - 0.5))
        for row_texts, row_values in zip(self.product_texts, self.product):
            for text, v in zip(row_texts, row_values):
                text.set_text(number(v))
        self.sum_text.set_text(f"sum = {number(self.value)}")
        mask = np.zeros((oh, ow, 4))
        mask[np.isnan(self.output)] = MASK_RGBA
        self.mask.set_data(mask)
        i, j = w.out
        self.output_box.set_xy((j - 0.5, i - 0.5))

        def short(v):
            """A number for the written-out sum: no decimals if it is whole."""
            return latex_number(v, 0 if v == round(v) else 2)

        terms = " + ".join(rf"{short(a)}\cdot{short(b)}" for a, b in zip(window.ravel(), self.kernel.ravel()))
        self.sum_line.value = (rf"$Z_{{{i},{j}}} = \sum_{{a,b}} X_p[{w.top}+a,\ {w.left}+b]\; K[a,b]"
                               rf" = {terms} = {number(self.value)}$")
        H, W = self.image.shape
        kh, kw = self.kernel.shape
        self.readout.value = (
            f"<code>window {k} (0–{len(self.windows) - 1})   Z[{i}, {j}] = {number(self.value)}   "
            f"window rows {w.top}–{w.top + kh - 1}, cols {w.left}–{w.left + kw - 1} of the padded input   "
            f"output {oh}×{ow} from {H}×{W}, p = {self.padding.value}, s = {self.stride.value}</code>"
        )
        self.figure.refresh(full=self._full)
        self._full = False


def window_stepper(image=None, kernel=None, padding=0, stride=1, position=0):
    """Build notebook 06's stepper. Defaults: the seed's 5×5 input and 3×3 kernel, no padding, stride 1.

    Args:
        image: (H, W);  kernel: (kh, kw);  padding: p ≥ 0;  stride: s ≥ 1 (1–3 on the slider);
        position: the window shown first (row-major, as the output fills).

    Returns the widget (a ``WindowStepper``).
    """
    image = SEED_IMAGE if image is None else image
    kernel = SEED_KERNEL if kernel is None else kernel
    return WindowStepper(image, kernel, padding=padding, stride=stride, position=position)


# ----------------------------------------------------------------------------- real image


def load_grace_hopper(factor=4):
    """Matplotlib's sample portrait of Grace Hopper as a grayscale float image in [0, 1].

    Shipped with matplotlib (no download). RGB → gray with the ITU-R 601 weights
    0.299 R + 0.587 G + 0.114 B, then shrunk by averaging ``factor``×``factor`` blocks:
    600×512 becomes 150×128 with ``factor=4``.
    """
    with cbook.get_sample_data("grace_hopper.jpg") as f:
        rgb = mpimg.imread(f).astype(float) / 255.0
    gray = rgb[..., :3] @ np.array([0.299, 0.587, 0.114])
    H, W = (gray.shape[0] // factor) * factor, (gray.shape[1] // factor) * factor
    return gray[:H, :W].reshape(H // factor, factor, W // factor, factor).mean(axis=(1, 3))


def display_range(kernel, Z):
    """The (black, white) values to show a filtered image ``Z`` (H, W) made with ``kernel`` (kh, kw).

    A kernel whose entries sum to more than 0 makes a brightness (blur, sharpen, identity sum to 1
    and keep it; 0.5 × identity halves it): show Z on the input's 0 to 1 scale, clipped. Entries
    that sum to 0 or less (Sobel, Laplacian: 0) make a signed response: shown with 0 as mid-grey,
    from −max|Z| to +max|Z|.
    """
    if float(np.sum(kernel)) > 1e-9:
        return 0.0, 1.0
    m = float(np.max(np.abs(Z)))
    return (-m, m) if m > 0 else (-1.0, 1.0)


class FilterExplorer(Explorer):
    """Pick or edit a 3×3 kernel; the filtered image is recomputed and redrawn in place.

    Padding 1 (at stride 1, "same": Z is as large as X). A stride s keeps every s-th window,
    so Z has about 1/s of the rows and columns; it is drawn over the same area as X, coarser.

    Attributes a test can read:
        image (H, W): the input;  kernel (3, 3): the current kernel;  output: the filtered image,
        ⌊(H + 2 − 3)/s⌋ + 1 by ⌊(W + 2 − 3)/s⌋ + 1;  preset, entries (3×3 FloatText), operation,
        stride: the controls;  updates: how many times the picture was recomputed.
    """

    summary = "pick or edit a 3×3 kernel and see the filtered image"

    def __init__(self, image, kernel="sobel x", operation="cross-correlation", stride=1):
        self.image = np.array(image, dtype=float)
        start = KERNELS[kernel] if isinstance(kernel, str) else np.array(kernel, dtype=float)
        correlate2d(self.image, start, "same")  # validates the image and kernel up front
        if start.shape != (3, 3):
            raise ValueError(f"the filter explorer edits a 3×3 kernel; got a kernel of shape {start.shape}")
        self.preset = widgets.Dropdown(options=[*KERNELS, "custom"],
                                       value=kernel if isinstance(kernel, str) else "custom",
                                       description="kernel", layout={"width": "240px"})
        self.entries = [[widgets.FloatText(value=float(start[i, j]), step=0.25, layout={"width": "64px"})
                         for j in range(3)] for i in range(3)]
        self.operation = widgets.ToggleButtons(options=["cross-correlation", "convolution"], value=operation,
                                               style={"button_width": "130px"})
        self.stride = widgets.IntSlider(value=stride, min=1, max=max(4, stride), description="stride s",
                                        layout={"width": "260px"})
        self.readout = self.make_readout()
        self.updates = 0  # how many times the picture was recomputed (one per user action)

        self.figure = LiveFigure(figsize=(6.4, 3.7), dpi=80)
        ax_in, ax_out = self.figure.fig.subplots(1, 2)
        ax_in.imshow(self.image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        ax_in.set_title("input X (grayscale, 0 to 1)", fontsize=10)
        self.picture = ax_out.imshow(self.image, cmap="gray", interpolation="nearest")
        self._extent = self.picture.get_extent()
        self.title = ax_out.set_title("", fontsize=10, math_fontfamily="cm")  # cm: a star you can see
        for ax in (ax_in, ax_out):
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
        self.figure.animate(self.picture, self.title)

        grid = widgets.GridBox([e for row in self.entries for e in row],
                               layout={"grid_template_columns": "repeat(3, 70px)"})
        controls = widgets.HBox([widgets.VBox([self.preset, self.operation, self.stride]),
                                 widgets.VBox([widgets.HTML("<b>K</b> (edit any entry)"), grid])])
        super().__init__([controls, self.figure.image, self.readout])
        self._quiet = False
        self.preset.observe(self._choose_preset, names="value")
        for e in (e for row in self.entries for e in row):
            e.observe(self._edit_entry, names="value")
        self.observe_controls(self.operation, self.stride)
        self.update()

    def _choose_preset(self, change):
        """A preset fills the nine entries, then the picture is recomputed once."""
        if change["new"] == "custom":
            return
        self._quiet = True
        try:
            for row, values in zip(self.entries, KERNELS[change["new"]]):
                for entry, v in zip(row, values):
                    entry.value = float(v)
        finally:
            self._quiet = False
        self.update()

    def _edit_entry(self, _):
        """An edited entry makes the kernel "custom" (unless a preset is being filled in)."""
        if self._quiet:
            return
        self._quiet = True
        try:
            if self.preset.value != "custom" and not np.array_equal(self._entries(), KERNELS[self.preset.value]):
                self.preset.value = "custom"
        finally:
            self._quiet = False
        self.update()

    def _entries(self):
        """The nine entries as a (3, 3) kernel."""
        return np.array([[e.value for e in row] for row in self.entries], dtype=float)

    def update(self, *_):
        """Read the kernel and stride, filter the image (padding 1), redraw the output in place."""
        self.updates += 1
        self.kernel = self._entries()
        op = correlate2d if self.operation.value == "cross-correlation" else convolve2d
        self.output = op(self.image, self.kernel, 1, self.stride.value)
        lo, hi = float(self.output.min()), float(self.output.max())
        self.picture.set_data(self.output)
        self.picture.set_extent(self._extent)  # the same area as X, however many pixels Z has
        self.picture.set_clim(*display_range(self.kernel, self.output))
        symbol = r"\star" if op is correlate2d else r"\ast"
        black, white = self.picture.get_clim()
        self.title.set_text(f"$Z = X {symbol} K$, from {black:.2f} (black) to {white:.2f} (white)")
        H, W = self.output.shape
        kernel_text = "[" + "; ".join(" ".join(number(v) for v in row) for row in self.kernel) + "]"
        self.readout.value = (f"<code>{self.operation.value}  K = {kernel_text}  s = {self.stride.value}  Z is {H}×{W}  "
                              f"min {lo:.3f}  max {hi:.3f}  mean {float(self.output.mean()):.3f}</code>")
        self.figure.refresh()


def filter_explorer(image=None, kernel="sobel x", operation="cross-correlation", stride=1):
    """Build notebook 06's filter explorer. Defaults: Grace Hopper (150×128 gray) and the Sobel x kernel.

    Args:
        image: (H, W) grayscale;  kernel: a name in ``KERNELS`` or a (3, 3) array;
        operation: "cross-correlation" or "convolution";  stride: s ≥ 1 (1–4 on the slider).

    Returns the widget (a ``FilterExplorer``).
    """
    return FilterExplorer(load_grace_hopper() if image is None else image, kernel, operation, stride)
