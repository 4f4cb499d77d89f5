"""Notebook 06's pictures and widgets: the sliding window stepped through position by
position, and real filters on a real image.

    window_stepper()    Play / slider over the window positions; padding and stride controls
    filter_explorer()   pick or edit a 3×3 kernel, see Grace Hopper's portrait filtered in place

Math comes from ``conv.py``; this module only draws.
"""
import html
from functools import lru_cache

import ipywidgets as widgets
import matplotlib.cbook as cbook
import matplotlib.image as mpimg
import numpy as np
from matplotlib import rcParams
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import get_hinting_flag
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.patches import Rectangle

from .conv import (KERNELS, SEED_IMAGE, SEED_KERNEL, as_image, convolve2d, correlate2d, pad2d, resolve_padding,
                   window_positions)
from .shapes import dims
from .live import Explorer, LiveFigure
from .flipbook import recipe

GREEN, ORANGE, GREY, BLUE = "#cdebc5", "#ffd8a8", "#ececec", "#cfe0f5"
WINDOW = "#e8590c"
MASK_RGBA = np.array([*to_rgb(BLUE), 1.0])  # an output cell not reached yet: blank blue
STEPPER_MAX_SIDE = 20  # the stepper's padded image: at most 20×20 cells (a 1000-pixel padding took 100 s to draw)


def number(v):
    """A cell's number as short text: ``1`` for whole numbers, ``0.25`` otherwise (−0 as 0);
    ``1.23e+06`` from a million up, so a huge entry stays short."""
    v = float(v)
    if not abs(v) < 1e6:  # also inf and NaN, which the helpers refuse before anything is drawn
        return f"{v:.3g}"
    if v == round(v):
        return f"{round(v) + 0:d}"
    return f"{v:.2f}"


def text_ink(text, fontsize, dpi, path=None):
    """``text`` rendered once, as matplotlib's Agg backend renders a Text: an (h, w) coverage array in [0, 1].

    Same font (``path``, by default the current ``font.family``'s), size in points and hinting as
    ``ax.text``; cropped to its ink. Kept in a cache: a grid of numbers repeats a few short
    strings many times.
    """
    path = findfont(FontProperties(size=fontsize)) if path is None else path
    return _ink(text, path, float(fontsize), float(dpi))


@lru_cache(maxsize=512)
def _ink(text, path, fontsize, dpi):
    font = get_font(path)
    font.clear()
    font.set_size(fontsize, dpi)
    font.set_text(text, 0.0, flags=get_hinting_flag())
    font.draw_glyphs_to_bitmap(antialiased=True)
    ink = np.asarray(font.get_image(), dtype=float) / 255.0
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not rows.size:
        return np.zeros((0, 0))
    return ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def stamp(layer, ink, color, x, y, ha="center", va="center"):
    """Paint ``ink`` (h, w), from ``text_ink``, in ``color`` onto ``layer`` (H, W, 4: RGBA, row 0 at the top).

    (x, y) is the anchor in pixels from the top-left; ``ha`` is "center" / "right", ``va``
    "center" / "top" / "bottom", as for ``ax.text`` (aligning the ink, not the font's line box). Ink outside the layer is cut off.
    """
    h, w = ink.shape
    x0 = int(round(x - (w / 2 if ha == "center" else w if ha == "right" else 0)))
    y0 = int(round(y - (h / 2 if va == "center" else h if va == "bottom" else 0)))
    H, W = layer.shape[:2]
    top, left, bottom, right = max(y0, 0), max(x0, 0), min(y0 + h, H), min(x0 + w, W)
    if top >= bottom or left >= right:
        return
    ink = ink[top - y0:bottom - y0, left - x0:right - x0]
    region = layer[top:bottom, left:right]
    region[ink > 0, :3] = to_rgb(color)
    region[..., 3] = np.maximum(region[..., 3], ink)


class PixelLayer(Artist):
    """An RGBA picture the size of the figure, drawn pixel for pixel over it (no resampling: ~1 ms).

    ``pixels`` is (height, width, 4) uint8, row 0 at the top, straight (not premultiplied) alpha.
    """

    def __init__(self, figure):
        super().__init__()
        self.set_figure(figure)
        width, height = (int(round(v)) for v in figure.bbox.size)
        self.pixels = np.zeros((height, width, 4), np.uint8)

    def draw(self, renderer):
        """Put ``pixels`` on the canvas with its top-left corner at the figure's."""
        if not self.get_visible():
            return
        gc = renderer.new_gc()
        renderer.draw_image(gc, 0, 0, self.pixels[::-1])  # Agg puts row 0 at the bottom
        gc.restore()


class GridPanel:
    """One table of coloured cells on ``ax``: cell (i, j) centred at data point (j, i), row 0 at the top.

    The cells are one image and the white lines between them one collection, both updated in
    place by ``show`` (no new artists when the table changes size). Its numbers are not Text
    artists: ``numbers`` stamps them onto a pixel layer (see ``WindowStepper``), ~100× cheaper
    to draw for a grid of 81.
    """

    def __init__(self, ax):
        self.ax = ax
        self.image = ax.imshow(np.zeros((1, 1, 3)), interpolation="nearest")
        self.lines = ax.add_collection(LineCollection([], colors="white", linewidths=1.5))
        ax.set_xticks([])  # no tick objects at all: the title's placement would create them
        ax.set_yticks([])
        ax.axis("off")
        self.shape = (1, 1)

    def show(self, colors, shape):
        """Colour the (rows, cols) = ``shape`` cells with ``colors`` (one colour or an array of them)."""
        rows, cols = self.shape = shape
        names = np.broadcast_to(np.asarray(colors, dtype=object), shape)
        rgb = {c: to_rgb(c) for c in set(names.ravel())}
        self.image.set_data(np.array([rgb[c] for c in names.ravel()]).reshape(rows, cols, 3))
        self.image.set_extent((-0.5, cols - 0.5, rows - 0.5, -0.5))
        xs, ys = np.arange(cols + 1) - 0.5, np.arange(rows + 1) - 0.5
        self.lines.set_segments([[(x, -0.5), (x, rows - 0.5)] for x in xs] +
                                [[(-0.5, y), (cols - 0.5, y)] for y in ys])
        self.ax.set_xlim(-0.5, cols - 0.5)
        self.ax.set_ylim(rows - 0.5, -0.5)

    def numbers(self, layer, values, colors, fontsize=9, index=True):
        """Stamp ``values`` (rows, cols), as ``number`` writes them, onto ``layer`` in ``colors``;
        with ``index``, the row numbers at the left and the column numbers below (7 pt, grey)."""
        rows, cols = self.shape
        dpi = self.ax.figure.dpi
        colors = np.broadcast_to(np.asarray(colors, dtype=object), (rows, cols))
        (x0, y0), (x1, y1) = self.ax.transData.transform([(0, 0), (1, 1)])  # pixels from the bottom
        height = layer.shape[0]

        def pixel(x, y):
            """Data point (x, y) in pixels from the top-left."""
            return x0 + x * (x1 - x0), height - (y0 + y * (y1 - y0))

        font = findfont(FontProperties(size=fontsize))
        for i in range(rows):
            for j in range(cols):
                stamp(layer, text_ink(number(values[i, j]), fontsize, dpi, font), colors[i, j], *pixel(j, i))
        if index:
            small = findfont(FontProperties(size=7))
            for j in range(cols):
                stamp(layer, text_ink(str(j), 7, dpi, small), "0.45", *pixel(j, rows - 0.5 + 0.12), va="top")
            for i in range(rows):
                stamp(layer, text_ink(str(i), 7, dpi, small), "0.45", *pixel(-0.5 - 0.12, i), ha="right")


def panel_rects(size, shapes, gap=0.45, margins=(0.3, 0.3, 0.35, 0.5)):
    """Axes rectangles (figure fractions) side by side, one per (rows, cols) in ``shapes``, square cells of one size.

    ``size`` is the figure's (width, height) in inches; ``margins`` the left, right, bottom and
    top margins and ``gap`` the space between panels, in inches. Centred vertically.
    Laid out by hand: constrained layout would take ~0.3 s per redraw for these many cells.
    """
    width, height = size
    left, right, bottom, top = margins
    cell = min((width - left - right - gap * (len(shapes) - 1)) / sum(c for _, c in shapes),
               (height - bottom - top) / max(r for r, _ in shapes))
    used = sum(c for _, c in shapes) * cell + gap * (len(shapes) - 1)
    x = left + (width - left - right - used) / 2
    rects = []
    for rows, cols in shapes:
        y = bottom + (height - bottom - top - rows * cell) / 2
        rects.append((x / width, y / height, cols * cell / width, rows * cell / height))
        x += cols * cell + gap
    return rects


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
        self.image = as_image(image, "image").copy()
        self.kernel = as_image(kernel, "kernel").copy()
        self.Z = correlate2d(self.image, self.kernel, padding, stride)  # validates everything up front
        padding = _one_padding(padding, self.kernel.shape)
        (H, W), (kh, kw) = self.image.shape, self.kernel.shape
        if max(H, W) + 2 * padding > STEPPER_MAX_SIDE or max(kh, kw) > STEPPER_MAX_SIDE:
            raise ValueError(
                f"the stepper writes every pixel's number in a cell, so the padded image can have at most "
                f"{STEPPER_MAX_SIDE} rows and columns; got a {H}×{W} image with padding {padding} "
                f"({H + 2 * padding}×{W + 2 * padding}) and a {kh}×{kw} kernel: use a smaller image or padding"
            )
        last = self.Z.size - 1
        if isinstance(position, bool) or not isinstance(position, (int, np.integer)) or not 0 <= position <= last:
            raise ValueError(
                f"position must be a window number from 0 to {last} (this {dims(self.Z.shape)} output has "
                f"{last + 1} windows); got position={position!r}"
            )
        self.position = widgets.IntSlider(value=int(position), min=0, max=last,
                                          description="window #", continuous_update=True,
                                          layout={"width": "340px"})
        self.play = widgets.Play(value=self.position.value, min=0, max=last, interval=700, description="play")
        # linked in the kernel, not the page (jslink): with jslink every slider move also sent
        # Play's new value to the kernel, a second request (busy, idle) per move of a drag
        widgets.link((self.play, "value"), (self.position, "value"))
        fits = max(0, -(-(kh - H) // 2), -(-(kw - W) // 2))  # the least padding that lets the kernel fit
        most = min(max(kh - 1, kw - 1, padding, fits), (STEPPER_MAX_SIDE - max(H, W)) // 2)
        self.padding = widgets.IntSlider(value=padding, min=fits, max=max(most, padding),
                                         description="padding p", layout={"width": "260px"})
        self.stride = widgets.IntSlider(value=stride, min=1, max=max(3, stride), description="stride s",
                                        layout={"width": "260px"})
        self.sum_line = widgets.HTMLMath()
        self.readout = self.make_readout()
        self._settings = {}  # (p, s) -> its Z, windows, padded, pixel layer and drawn background
        self._build()
        self._layout()
        controls = widgets.HBox([widgets.HBox([self.play, self.position]),
                                 widgets.VBox([self.padding, self.stride])])
        super().__init__([controls, self.figure.image, self.sum_line, self.readout])
        self.position.observe(self.update, names="value")
        self.padding.observe(self._regrid, names="value")
        self.stride.observe(self._regrid, names="value")
        self.update()

    def _build(self):
        """Create the figure and every artist once; ``_layout`` resizes them for a padding and stride.

        Four panels (X_p, K, window ⊙ K, Z), each a ``GridPanel``. The numbers in the cells are
        one pixel layer (``fig.figimage``) of pre-rendered text, not ~130 Text artists: a new
        padding or stride then redraws in ~35 ms instead of ~200 ms. What moves at each step
        (window and output outlines, the products and their sum, the mask that hides the outputs
        not reached yet) is animated: a step redraws a dozen artists over the saved background.
        """
        self.figure = LiveFigure(figsize=(8.6, 3.2), dpi=80)
        fig = self.figure.fig
        fig.set_layout_engine("none")
        self.panels = [GridPanel(fig.add_axes((0, 0, 1, 1))) for _ in range(4)]
        ax_x, ax_k, ax_p, ax_z = (panel.ax for panel in self.panels)
        self.numbers = fig.add_artist(PixelLayer(fig))  # the cells' numbers and the panel titles
        self.numbers.set_zorder(1)  # over the panels
        kh, kw = self.kernel.shape
        self.window_box = ax_x.add_patch(Rectangle((-0.5, -0.5), kw, kh, fill=False, ec=WINDOW, lw=3,
                                                   clip_on=False))
        self.product_texts = [[ax_p.text(j, i, "", ha="center", va="center", fontsize=9) for j in range(kw)]
                              for i in range(kh)]
        self.sum_text = ax_p.text(0.5, -0.05, "", transform=ax_p.transAxes, ha="center", va="top",
                                  fontsize=11, color=WINDOW, fontweight="bold")
        self.mask = ax_z.imshow(np.zeros((1, 1, 4)), interpolation="nearest")
        self.output_box = ax_z.add_patch(Rectangle((-0.5, -0.5), 1, 1, fill=False, ec=WINDOW, lw=3, clip_on=False))
        self.figure.animate(self.mask, self.window_box, self.output_box, self.sum_text,
                            *[t for row in self.product_texts for t in row])

    def _layout(self):
        """Resize the panels and redraw the numbers for the current padding and stride.

        A setting seen before reuses its numbers and its drawn background (kept per (p, s)), so
        coming back to it only redraws the animated artists.
        """
        p, s = self.padding.value, self.stride.value
        seen = self._settings.get((p, s))
        if seen is None:
            Z = correlate2d(self.image, self.kernel, p, s)
            windows = window_positions(self.image.shape, self.kernel.shape, p, s)
            ph, pw = resolve_padding(p, self.kernel.shape, s)
            padded = pad2d(self.image, (ph, pw))
            inside = np.zeros(padded.shape, bool)
            inside[ph:ph + self.image.shape[0], pw:pw + self.image.shape[1]] = True
            seen = self._settings[(p, s)] = {"Z": Z, "windows": windows, "padded": padded, "inside": inside,
                                              "pixels": None, "background": None}
        self.Z, self.windows, self.padded, inside = seen["Z"], seen["windows"], seen["padded"], seen["inside"]
        (oh, ow), (Hp, Wp) = self.Z.shape, self.padded.shape
        fig = self.figure.fig
        cells = [np.where(inside, GREEN, GREY), ORANGE, "#fff3bf", BLUE]
        shapes = [self.padded.shape, self.kernel.shape, self.kernel.shape, self.Z.shape]
        for panel, rect, shape, colors in zip(self.panels, panel_rects(fig.get_size_inches(), shapes), shapes, cells):
            panel.ax.set_position(rect)
            panel.show(colors, shape)
        panel_x, panel_k, panel_p, panel_z = self.panels
        self.mask.set_extent((-0.5, ow - 0.5, oh - 0.5, -0.5))
        panel_z.ax.set_xlim(-0.5, ow - 0.5)  # the mask's extent must not move the view
        panel_z.ax.set_ylim(oh - 0.5, -0.5)
        if seen["pixels"] is not None:
            self.numbers.pixels = seen["pixels"]
            self._full = seen["background"] is None
            if not self._full:
                self.figure._background = seen["background"]  # LiveFigure's saved background: blit over it
            return

        ink = rcParams["text.color"]
        text_colors = np.where(inside, ink, "0.55").astype(object)
        fontsize = 9 if max(Hp, Wp) <= 7 else 8
        layer = np.zeros(self.numbers.pixels.shape)
        panel_x.numbers(layer, self.padded, text_colors, fontsize)
        panel_k.numbers(layer, self.kernel, ink)
        panel_z.numbers(layer, self.Z, ink, fontsize)
        titles = [f"input X, padded by p = {p}" if p else "input X", "kernel K", "window ⊙ K", f"output Z ({oh}×{ow})"]
        for panel, title in zip(self.panels, titles):  # 6 points above the panel, like an axes title
            (left, _), (right, top) = panel.ax.transAxes.transform([(0, 0), (1, 1)])
            stamp(layer, text_ink(title, 10, fig.dpi), ink, (left + right) / 2, layer.shape[0] - top - 6 * fig.dpi / 72,
                  va="bottom")
        self.numbers.pixels = seen["pixels"] = np.round(layer * 255).astype(np.uint8)
        self._full = True

    def _regrid(self, *_):
        """Padding or stride changed: new grid of positions, new output size; keep window q if it still exists."""
        self._layout()
        last = len(self.windows) - 1
        self.position.unobserve(self.update, names="value")
        try:
            self.position.value = min(self.position.value, last)
            self.position.max = self.play.max = last
        finally:
            self.position.observe(self.update, names="value")
        self.update()

    def redraw_for_pixel_ratio(self):
        """A new pixel ratio: the numbers' pixel layer and the saved backgrounds are the old size;
        make the layer the figure's new size, forget every setting's pictures and draw again."""
        width, height = (int(round(v)) for v in self.figure.fig.bbox.size)
        self.numbers.pixels = np.zeros((height, width, 4), np.uint8)
        self._settings.clear()
        self._layout()
        self.update()

    def update(self, *_):
        """Show window number q = ``position.value``: outline it, write its product and sum, fill Z up to q."""
        q = self.position.value
        self.window = w = self.windows[q]
        window = self.padded[w.rows, w.cols]
        self.product = window * self.kernel
        self.value = float(self.product.sum())
        oh, ow = self.Z.shape
        self.output = np.full((oh, ow), np.nan)
        self.output.flat[:q + 1] = self.Z.flat[:q + 1]

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
        terms = " + ".join(rf"{number(a)}\cdot{number(b)}" for a, b in zip(window.ravel(), self.kernel.ravel()))
        self.sum_line.value = (rf"$Z_{{{i},{j}}} = \sum_{{a,b}} X_p[{w.top}+a,\ {w.left}+b]\; K[a,b]"
                               rf" = {terms} = {number(self.value)}$")
        H, W = self.image.shape
        kh, kw = self.kernel.shape
        self.readout.value = (
            f"<code>window {q} (0–{len(self.windows) - 1})   Z[{i}, {j}] = {number(self.value)}   "
            f"window rows {w.top}–{w.top + kh - 1}, cols {w.left}–{w.left + kw - 1} of the padded input   "
            f"output {oh}×{ow} from {H}×{W}, p = {self.padding.value}, s = {self.stride.value}</code>"
        )
        self.figure.refresh(full=self._full)
        if self._full:
            self._settings[(self.padding.value, self.stride.value)]["background"] = self.figure._background
        self._full = False


def _one_padding(padding, kernel_shape):
    """The padding as the one whole number p the stepper's slider shows ("valid" is 0, "same" (kh − 1)/2)."""
    ph, pw = resolve_padding(padding, kernel_shape)
    if ph != pw:
        raise ValueError(
            f"the stepper's padding slider sets one p for rows and columns; padding={padding!r} with a "
            f"{dims(kernel_shape)} kernel would need {ph} rows and {pw} columns: pass a whole number p"
        )
    return ph


@recipe
def window_stepper(image=None, kernel=None, padding=0, stride=1, position=0):
    """Build notebook 06's stepper. Defaults: the seed's 5×5 input and 3×3 kernel, no padding, stride 1.

    Args:
        image: (H, W);  kernel: (kh, kw);  padding: p ≥ 0, "valid" or "same" (odd square kernels);
        stride: s ≥ 1 (1–3 on the slider);  position: the window shown first, 0 to out_h·out_w − 1
        (row-major, as the output fills).

    Raises:
        ValueError for anything the slider cannot show: a position outside the output, a padding
        that is not one number for rows and columns, and whatever ``correlate2d`` refuses.

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


def short(v):
    """A value for a label: two decimals, or three significant figures beyond ±10 000."""
    return f"{v:.2f}" if abs(v) < 1e4 else f"{v:.3g}"


def display_range(kernel, Z):
    """The (black, white) values to show a filtered image ``Z`` (H, W) made with ``kernel`` (kh, kw).

    A kernel whose entries sum to more than 0 makes a brightness (blur, sharpen, identity sum to 1
    and keep it; 0.5 × identity halves it): show Z on the input's 0 to 1 scale, clipped. Entries
    that sum to 0 or less (Sobel, Laplacian: 0) make a signed response: shown with 0 as mid-grey,
    from −max|Z| to +max|Z|.
    """
    scale = float(np.max(np.abs(kernel))) or 1.0  # the sum's sign without overflow (entries up to 1e308)
    if float(np.sum(kernel / scale)) > 1e-9 / scale:
        return 0.0, 1.0
    m = float(np.max(np.abs(Z)))
    return (-m, m) if m > 0 else (-1.0, 1.0)


OPERATIONS = ("cross-correlation", "convolution")


def _shown_range(kernel, Z):
    """(black, white, min, max, mean) of the filtered image ``Z`` (H, W) made with ``kernel`` (3, 3).

    A ValueError if Z cannot be drawn: its spread or its mean beyond the largest float64
    (entries of ±1e308 give a finite Z whose max − min is infinite: no colour scale).
    """
    try:
        with np.errstate(over="raise", invalid="raise"):
            black, white = display_range(kernel, Z)
            lo, hi = float(Z.min()), float(Z.max())
            _ = (white - black) + (hi - lo)  # matplotlib scales the picture by these widths
            mean = float(Z.mean())
    except FloatingPointError as err:
        raise ValueError(
            f"K's entries are too large to draw the output: Z reaches {float(np.max(np.abs(Z))):.3g}, so its "
            f"mean or its range of values overflows float64 (largest {np.finfo(float).max:.3g}); use smaller numbers"
        ) from err
    return black, white, lo, hi, mean


class FilterExplorer(Explorer):
    """Pick or edit a 3×3 kernel; the filtered image is recomputed and redrawn in place.

    Padding 1 (at stride 1, "same": Z is as large as X). A stride s keeps every s-th window,
    so Z has about 1/s of the rows and columns; it is drawn over the same area as X, coarser.

    Attributes a test can read:
        image (H, W): the input;  kernel (3, 3): the kernel shown;  output: the filtered image,
        ⌊(H + 2 − 3)/s⌋ + 1 by ⌊(W + 2 − 3)/s⌋ + 1;  preset, entries (3×3 FloatText), operation,
        stride: the controls;  updates: how many times the picture was recomputed;
        message: an HTML line, empty unless the typed entries cannot be used (NaN, ±inf, or so
        large that the sums overflow): then it says why, and the picture, ``kernel`` and
        ``output`` keep the last kernel that worked.

    The figure's texts never change with the numbers (the black and white values are in the
    readout): matplotlib keeps every string it has laid out in a cache, so a title with the
    values in it grew memory by ~2 KB per edit.
    """

    summary = "pick or edit a 3×3 kernel and see the filtered image"

    def __init__(self, image, kernel="sobel x", operation="cross-correlation", stride=1):
        self.image = as_image(image, "image").copy()
        if isinstance(kernel, str) and kernel not in KERNELS:
            raise ValueError(f"kernel must be one of {', '.join(map(repr, KERNELS))} or a 3×3 array; got kernel={kernel!r}")
        start = KERNELS[kernel] if isinstance(kernel, str) else as_image(kernel, "kernel")
        if start.shape != (3, 3):
            raise ValueError(f"the filter explorer edits a 3×3 kernel; got a kernel of shape {start.shape}")
        if operation not in OPERATIONS:
            raise ValueError(f"operation must be {' or '.join(map(repr, OPERATIONS))}; got operation={operation!r}")
        correlate2d(self.image, start, 1, stride)  # validates the image, the kernel and the stride up front
        if self.image.min() < 0 or self.image.max() > 1:
            raise ValueError(
                f"the filter explorer shows X in grayscale from 0 (black) to 1 (white); got values from "
                f"{self.image.min():.3g} to {self.image.max():.3g}: scale the image first (e.g. divide by 255)"
            )
        self.preset = widgets.Dropdown(options=[*KERNELS, "custom"],
                                       value=kernel if isinstance(kernel, str) else "custom",
                                       description="kernel", layout={"width": "240px"})
        self.entries = [[widgets.FloatText(value=float(start[i, j]), step=0.25, layout={"width": "64px"})
                         for j in range(3)] for i in range(3)]
        self.operation = widgets.ToggleButtons(options=list(OPERATIONS), value=operation,
                                               style={"button_width": "130px"})
        self.stride = widgets.IntSlider(value=stride, min=1, max=max(4, stride), description="stride s",
                                        layout={"width": "260px"})
        self.readout = self.make_readout()
        self.message = widgets.HTML()  # why the typed kernel cannot be used; empty when it can
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
        super().__init__([controls, self.message, self.figure.image, self.readout])
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

    def shows_only_its_values(self):
        """False while the typed entries cannot be used: the picture is then the last kernel that
        worked, which depends on the way there (see ``Explorer.shows_only_its_values``)."""
        return not self.message.value

    def _entries(self):
        """The nine entries as a (3, 3) kernel."""
        return np.array([[e.value for e in row] for row in self.entries], dtype=float)

    def update(self, *_):
        """Read the kernel and stride, filter the image (padding 1), redraw the output in place.

        Entries that cannot be used (NaN, ±inf, sums that overflow) are not drawn: ``message``
        says why and everything else stays as it was. A callback never raises.
        """
        self.updates += 1
        kernel = self._entries()
        op = correlate2d if self.operation.value == "cross-correlation" else convolve2d
        try:
            output = op(self.image, as_image(kernel, "K"), 1, self.stride.value)
            black, white, lo, hi, mean = _shown_range(kernel, output)
        except ValueError as err:
            self.message.value = f"<span style='color:#c92a2a'>⚠ {html.escape(str(err))}</span>"
            return
        self.message.value = ""
        self.kernel, self.output = kernel, output
        self.picture.set_data(self.output)
        self.picture.set_extent(self._extent)  # the same area as X, however many pixels Z has
        self.picture.set_clim(black, white)
        symbol = r"\star" if op is correlate2d else r"\ast"
        self.title.set_text(f"output $Z = X {symbol} K$")  # two strings only: the numbers go to the readout
        H, W = self.output.shape
        kernel_text = "[" + "; ".join(" ".join(number(v) for v in row) for row in self.kernel) + "]"
        self.readout.value = (f"<code>{self.operation.value}  K = {kernel_text}  s = {self.stride.value}  Z is {H}×{W}  "
                              f"min {lo:.3f}  max {hi:.3f}  mean {mean:.3f}  "
                              f"shown from {short(black)} (black) to {short(white)} (white)</code>")
        self.figure.refresh()


@recipe
def filter_explorer(image=None, kernel="sobel x", operation="cross-correlation", stride=1):
    """Build notebook 06's filter explorer. Defaults: Grace Hopper (150×128 gray) and the Sobel x kernel.

    Args:
        image: (H, W) grayscale;  kernel: a name in ``KERNELS`` or a (3, 3) array;
        operation: "cross-correlation" or "convolution";  stride: s ≥ 1 (1–4 on the slider).

    Returns the widget (a ``FilterExplorer``).

    Raises:
        ValueError for an unknown kernel name or operation, a stride below 1, a kernel that is
        not 3×3, and whatever ``correlate2d`` refuses (NaN, ±inf, complex numbers).
    """
    return FilterExplorer(load_grace_hopper() if image is None else image, kernel, operation, stride)
