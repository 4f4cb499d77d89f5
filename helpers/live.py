"""Widgets that update in place: a matplotlib figure drawn into an Image widget, and a
base class for every explorer in the series.

Why not ``plt.show()`` inside an ``interact`` callback? Each move would build a new figure
(~100 ms, a visible flicker) and print into an Output widget, which strict nbval cannot
compare. Here the figure is built once. A slider move changes only the artists that move
(bars, lines, numbers), draws just those over a saved background (blitting, off-screen
with Agg) and swaps the PNG bytes of one ``ipywidgets.Image``: no new figure, no flicker,
nothing printed, a few milliseconds.

Sharp at any screen: a figure of ``figsize`` inches at ``dpi`` is *shown* ``figsize × dpi`` CSS
pixels wide (the Image's CSS width is set, so the page never stretches it) and *drawn* for the
screen's pixel ratio, which the page reports (``ScreenPixelRatio``, a hidden part of every
explorer with a figure): 1 device pixel per CSS pixel on an ordinary screen, 2 on a HiDPI laptop
or a projector zoomed to 200 %. Until the page has reported (and where no page is, as when nbval
runs a notebook) it draws at 2. ``BP_PIXEL_RATIO=1`` (1 to 4) in the environment fixes the ratio.
"""
import asyncio
import base64
import io
import os
import struct
import time
import zlib

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from PIL import Image as PILImage

from .flipbook import Flipbook, building_shadow


class LiveFigure:
    """A matplotlib ``Figure`` that renders into an ``ipywidgets.Image`` on ``refresh()``.

    Usage: build axes and artists once from ``self.fig``; pass the artists that change to
    ``animate(...)``; in a callback change them (``set_height``, ``set_data``, ``set_text``,
    ``set_array``…) and call ``refresh()``. Call ``refresh(full=True)`` when something
    else changed too (axis limits, titles): it redraws the whole figure.
    """

    def __init__(self, figsize=(6.0, 2.6), dpi=80):
        self.pixel_ratio = pixel_ratio()
        self.dpi = dpi  # CSS pixels per inch: the size the page shows
        self.fig = Figure(figsize=figsize, dpi=dpi * self.pixel_ratio, layout="constrained")
        self.canvas = FigureCanvasAgg(self.fig)
        self.image = widgets.Image(format="png")
        # shown at figsize × dpi CSS pixels whatever the page's width: never stretched (blurry);
        # narrower only if the window is (max-width), keeping its proportions (height auto)
        self.css_size = tuple(round(inches * dpi) for inches in figsize)
        self.image.layout = widgets.Layout(width=f"{self.css_size[0]}px", max_width="100%", height="auto",
                                           object_fit="contain", align_self="flex-start")
        self.animated = []
        self._background = None
        self._laid_out = False

    def animate(self, *artists):
        """Mark ``artists`` as the ones that change: only they are redrawn on ``refresh()``."""
        for artist in artists:
            artist.set_animated(True)
            self.animated.append(artist)

    def _draw(self, full):
        if full or self._background is None:
            if isinstance(self.fig.get_layout_engine(), ConstrainedLayoutEngine):
                self._laid_out = True  # (a figure placed by hand, layout engine "none", keeps its places)
            self.canvas.draw()  # everything but the animated artists
            self.fig.set_layout_engine("none")  # lay out once; moving bars must not move axes
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self.animated:
            if artist.get_visible():
                self.fig.draw_artist(artist)

    def set_pixel_ratio(self, ratio):
        """Draw with ``ratio`` device pixels per CSS pixel from now on (the next ``refresh`` is a
        full one: the figure is laid out again and its background drawn again at the new size)."""
        self.pixel_ratio = ratio
        self.fig.set_dpi(self.dpi * ratio)
        if self._laid_out:  # constrained layout placed the axes for the old size: place them again
            self.fig.set_layout_engine("constrained")
        self._background = None

    def png(self, full=False):
        """Draw the figure now and return it as PNG bytes (light compression: fast)."""
        self._draw(full)
        return png_bytes(np.asarray(self.canvas.buffer_rgba()))

    def refresh(self, full=False):
        """Redraw (only the animated artists unless ``full``) and show it in ``self.image``."""
        self.image.value = self.png(full)


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(rgba):
    """An (h, w, 4) uint8 picture as PNG bytes, fast: a live figure is encoded on every slider move.

    An opaque picture (every alpha 255, as a figure with its white background) is written as RGB
    with PNG's "Up" filter (each row minus the row above: the long flat runs of a plot become
    zeros) and zlib level 1: about half the time of Pillow's encoder at ``compress_level=1`` for
    the same size (measured on the series' figures at 2×). Pictures with transparency go through
    Pillow unchanged.
    """
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
        raise ValueError(f"png_bytes needs an (h, w, 4) uint8 RGBA array; got {rgba.dtype} of shape {rgba.shape}")
    if rgba[..., 3].min() < 255:
        buffer = io.BytesIO()
        PILImage.fromarray(rgba).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()
    h, w, _ = rgba.shape
    rows = np.empty((h, 1 + 3 * w), np.uint8)  # each row: its filter type, then its bytes
    flat = rgba[..., :3].reshape(h, 3 * w)
    rows[:, 0] = 2  # Up
    rows[0, 1:] = flat[0]
    np.subtract(flat[1:], flat[:-1], out=rows[1:, 1:])  # uint8 wraps around, as PNG's filter does
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + _png_chunk(b"IEND", b""))


def quiet_echo(widget):
    """Stop the kernel echoing each control's own new value back to the page (ipywidgets 8's
    ``echo_update``), for every control under ``widget``.

    A slider move sends its value to the kernel; the kernel's answer was one message per
    changed widget *plus* the slider's own value sent back, which the page then processes
    (one more message per move, on a busy page). The echo only matters when two pages show
    the same widget at once; the kernel's own changes to a control are still sent.
    """
    for control in controls_in(widget):
        control._value_metadata = {"echo_update": False}  # traitlets reads per-instance metadata here


MATH_INTERVAL = 0.25  # s: during a drag, a live equation is re-typeset at most this often
MATH_PAUSE = 0.06  # s: no new value for this long, and the drag has paused or ended


class _CalmMath:
    """Keeps a live ``HTMLMath`` from being re-typeset on every slider move of a drag.

    MathJax typesets an equation on the page's main thread, the thread that must also show the
    next picture: re-typesetting a matrix equation on each of ~30 moves a second slows the
    whole drag down (20-30 ms a move on the 2-core test machine). While a change comes from the
    page (a control is in the middle of a page update: ipywidgets' property lock), the equation
    is sent at once if it has not been sent for ``MATH_INTERVAL`` seconds; otherwise its latest
    value is sent once the drag pauses (no new value for ``MATH_PAUSE`` seconds: during a drag
    the next value follows each answer within a few ms) and at the latest ``MATH_INTERVAL``
    after the last one sent. A change made in Python (a test, a notebook cell) is sent at once,
    as always; ``value`` is always current in the kernel.
    """

    def __init__(self, math, controls):
        self.math, self.controls = math, controls
        self.sent_at, self.pending = -1e9, None
        self.original = math._should_send_property
        math._should_send_property = self.should_send

    def should_send(self, key, value):
        """ipywidgets' ``_should_send_property`` for the equation: False while it waits its turn."""
        if not self.original(key, value):
            return False
        if key != "value" or not any(c._property_lock for c in self.controls):
            self.sent_at = time.monotonic()
            return True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return True
        now = time.monotonic()
        if self.pending is None and now - self.sent_at >= MATH_INTERVAL:
            self.sent_at = now
            return True
        if self.pending is not None:
            self.pending.cancel()
        wait = min(MATH_PAUSE, max(0.0, self.sent_at + MATH_INTERVAL - now))
        self.pending = loop.call_later(wait, self.flush)
        return False

    def flush(self):
        """Send the equation's latest value (the trailing update of a drag)."""
        self.pending = None
        self.sent_at = time.monotonic()
        self.math.send_state("value")


def controls_in(widget):
    """Every control (a widget with a synced ``value`` that is not an output) under ``widget``."""
    found = []
    if "value" in getattr(widget, "keys", ()) and not isinstance(widget, OUTPUTS):
        found.append(widget)
    for child in getattr(widget, "children", ()):
        found.extend(controls_in(child))
    return found


def pixel_ratio():
    """Device pixels drawn per CSS pixel before the page reports its own: ``$BP_PIXEL_RATIO`` (1 to 4),
    by default 2 (sharp everywhere; the page then asks for what its screen needs)."""
    text = os.environ.get("BP_PIXEL_RATIO", "2")
    try:
        ratio = float(text)
    except ValueError:
        ratio = float("nan")
    if not 1 <= ratio <= 4:
        raise ValueError(f"BP_PIXEL_RATIO must be a number from 1 to 4; got {text!r}")
    return ratio


def drawing_ratio(device_ratio):
    """The pixel ratio to draw at for a screen whose ``devicePixelRatio`` is ``device_ratio``.

    Rounded *up* to a multiple of 0.5 (a 125 % Windows screen gets 1.5: a picture is downscaled
    a little, never upscaled) and kept within 1 to 4; ``$BP_PIXEL_RATIO``, when set, wins. Anything
    that is not a positive finite number (a page that could not tell) gives ``pixel_ratio()``.
    """
    if "BP_PIXEL_RATIO" in os.environ:
        return pixel_ratio()
    if isinstance(device_ratio, bool) or not isinstance(device_ratio, (int, float)) \
            or not np.isfinite(device_ratio) or device_ratio <= 0:
        return pixel_ratio()
    return float(min(4.0, max(1.0, np.ceil(device_ratio * 2) / 2)))


class ScreenPixelRatio(anywidget.AnyWidget):
    """A hidden widget that tells the kernel the page's ``devicePixelRatio`` (``ratio``; 0 until a
    page has shown it), and tells it again when it changes (browser zoom, a window moved to
    another screen). Each ``Explorer`` with a figure holds one and redraws for the new ratio.

    The page part is a few lines of JavaScript run by anywidget (no build step, nothing fetched).
    """

    _esm = """
    function render({ model }) {
      let media = null;
      const report = () => {
        const ratio = window.devicePixelRatio || 1;
        if (model.get("ratio") !== ratio) { model.set("ratio", ratio); model.save_changes(); }
        media = window.matchMedia(`(resolution: ${ratio}dppx)`);  // fires once the ratio changes
        media.addEventListener("change", report, { once: true });
      };
      report();
      return () => media && media.removeEventListener("change", report);
    }
    export default { render };
    """
    ratio = traitlets.Float(0.0).tag(sync=True)


OUTPUTS = (widgets.HTML, widgets.HTMLMath, widgets.Label, widgets.Image)


def widgets_of(widget, kind):
    """Every widget of class ``kind`` under ``widget`` (itself included), depth first."""
    found = [widget] if isinstance(widget, kind) else []
    for child in getattr(widget, "children", ()):
        found.extend(widgets_of(child, kind))
    return found


def wrap_rows(widget):
    """Let every ``HBox`` under ``widget`` wrap its children onto the next line when the page is narrow.

    Without it a row of sliders wider than the notebook (a 1024-px window with JupyterLab's
    file browser open) is clipped, and the values at its right end are hidden.
    """
    if isinstance(widget, widgets.HBox) and not widget.layout.flex_flow:
        widget.layout.flex_flow = "row wrap"
    for child in getattr(widget, "children", ()):
        wrap_rows(child)


class Explorer(widgets.VBox):
    """Base class of the series' widgets: a VBox whose display also carries a picture.

    In JupyterLab with a running kernel the live widget is shown. Where no kernel runs (a
    code host, nbviewer, an untrusted notebook) the PNG of the figure at its current
    values is shown instead. The plain-text form is a fixed sentence, so strict nbval
    compares something stable rather than a widget's long repr.

    Subclasses set ``self.figure`` (a ``LiveFigure``, optional) and implement ``update()``.
    """

    figure = None
    summary = "an interactive explorer"

    def __init__(self, children=(), **kwargs):
        self.flipbook = None
        if self.figure is not None and not building_shadow():  # hidden: reports the screen's pixel ratio
            self.screen = ScreenPixelRatio(layout={"display": "none"})
            self.screen.observe(self._screen_changed, names="ratio")
            children = (*children, self.screen)
        if not building_shadow():  # hidden: keeps the next states in the page (helpers.flipbook)
            self.flipbook = Flipbook(self)
            children = (*children, self.flipbook)
        super().__init__(children, **kwargs)
        wrap_rows(self)
        quiet_echo(self)
        if self.figure is not None:  # the figure is the picture; its equations may follow it a little later
            controls = controls_in(self)
            self._calm_math = [_CalmMath(m, controls) for m in widgets_of(self, widgets.HTMLMath)]

    def _screen_changed(self, change):
        ratio = drawing_ratio(change["new"])
        if ratio != self.figure.pixel_ratio:
            self.figure.set_pixel_ratio(ratio)
            if self.flipbook is not None:  # its states were drawn at the old ratio
                self.flipbook.reset()
            self.redraw_for_pixel_ratio()

    def redraw_for_pixel_ratio(self):
        """The figure now draws at a new pixel ratio (``self.figure.pixel_ratio``): show it again.

        By default a full redraw of the figure as it stands. An explorer that keeps pictures of
        its own at the old size (saved backgrounds, pre-rendered text) overrides this to drop them.
        """
        self.figure.refresh(full=True)

    @staticmethod
    def make_readout():
        """A plain-text line of the key numbers (CSS class ``bp-readout``).

        LaTeX is for reading; this line is for finding: a browser test (or a screen reader)
        reads these numbers as text, which typeset maths does not offer.
        """
        readout = widgets.HTML()
        readout.add_class("bp-readout")
        return readout

    def update(self, *_):
        """Recompute from the controls and redraw in place. Subclasses override this."""
        raise NotImplementedError

    def shows_only_its_values(self):
        """True when what the explorer shows now follows from its controls' values alone, not from
        the way it got there. The flip book (``helpers.flipbook``) draws only such states ahead."""
        return True

    def observe_controls(self, *controls):
        """Call ``update`` whenever the ``value`` of any of ``controls`` changes."""
        for control in controls:
            control.observe(self.update, names="value")

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = (
            f"{type(self).__name__}: {self.summary} (run the notebook to use the controls)"
        )
        if self.figure is not None and self.figure.image.value:
            bundle["image/png"] = base64.b64encode(self.figure.image.value).decode("ascii")
        return bundle
