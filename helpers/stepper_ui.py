"""The step-through widget: Prev / Next / Play over a list of ``Step``, numbers kept live.

How to define the steps, with an example: see the docstring of ``helpers.stepper``.
This module builds the widget:

    Stepper(steps, compute, controls=(), symbols=None, title="", interval=2000)
    MatrixSliders(name, values)     one slider per entry of a matrix; ``.array`` reads them

Play is an ``ipywidgets.Play`` linked to the step slider: it ticks in the browser and never
blocks the kernel (no sleep loop). Callbacks only set widget properties; nothing is printed.
"""
import html

import ipywidgets as widgets
import numpy as np

from .forward_ui import sub
from .latex import check_decimals, latex_label_html, number_text
from .live import Explorer, _CalmMath
from .shapes import as_matrix
from .stepper import check_steps, known_at, quantity_array, shape_text, step_readout

SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"
READ_COLOUR = "#d8ecff"   # quantities a step reads: blue, as the inputs in notebook 01's graph
WRITE_COLOUR = "#ffe08a"  # quantities it writes: the highlight yellow of helpers.latex
LEGEND = (f"<span style='background:{READ_COLOUR};padding:0 4px'>read by this step</span> "
          f"<span style='background:{WRITE_COLOUR};padding:0 4px'>written by this step</span>")


class MatrixSliders(widgets.VBox):
    """One slider per entry of a matrix, laid out as the matrix (row i, column j is ``name_ij``).

    Args:
        name: the matrix's name in captions, e.g. "W" gives sliders "W₁₁", "W₁₂", …
        values: (r, c) starting values (a column x is (n, 1)).
        low, high, step: the range and step of every slider.

    ``array`` is a fresh (r, c) float copy of the current values; ``sliders[i][j]`` is the
    slider of entry (i, j). Any ``value`` change of a slider changes ``array``.

    Raises:
        ValueError if a value lies outside low…high (a slider would silently clamp it), or the
        range or step make no slider (low ≥ high, step ≤ 0, a non-finite number).
    """

    def __init__(self, name, values, low=-3.0, high=3.0, step=0.1):
        if not isinstance(name, str) or not name:
            raise ValueError(f"name must be the matrix's name, a non-empty string such as 'W'; got name={name!r}")
        values = as_matrix(values, name)
        real = all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                   for v in (low, high, step))
        if not (real and np.isfinite([low, high, step]).all() and low < high and step > 0):
            raise ValueError(f"the sliders of {name} need finite numbers low < high and step > 0; "
                             f"got low={low!r}, high={high!r}, step={step!r}")
        self.name, self.low, self.high = name, float(low), float(high)
        self._check_range(values)
        self.sliders = [
            [widgets.FloatSlider(value=float(v), min=low, max=high, step=step, readout_format=".1f",
                                 description=self.caption(i, j, values.shape), continuous_update=True,
                                 style={"description_width": "initial"}, layout={"width": "230px"})
             for j, v in enumerate(row)]
            for i, row in enumerate(values)
        ]
        super().__init__([widgets.HTML(f"<b>{html.escape(name)}</b>")]
                         + [widgets.HBox(row) for row in self.sliders])

    def caption(self, i, j, shape):
        """The caption of entry (i, j) (0-based): "x₂" in a column or a row, "W₂₃" in a matrix,
        and "W₁[2,3]" when the name already ends in a subscript (layer 1's W: "W₁₂₃" is ambiguous)."""
        if 1 in shape:  # a column or a row vector: one index
            index = (i if shape[1] == 1 else j) + 1
            return f"{self.name}[{index}]" if self.name[-1:] in SUBSCRIPT_DIGITS else f"{self.name}{sub(index)}"
        if self.name[-1:] in SUBSCRIPT_DIGITS:
            return f"{self.name}[{i + 1},{j + 1}]"
        return f"{self.name}{sub(i + 1)}{sub(j + 1)}"

    def _check_range(self, values):
        """Raise ``ValueError`` if an entry of ``values`` is outside low…high or not finite."""
        outside = (values < self.low) | (values > self.high) | ~np.isfinite(values)
        if outside.any():
            i, j = np.argwhere(outside)[0]
            raise ValueError(f"every entry of {self.name} must lie in the sliders' range {self.low:g}…{self.high:g} "
                             f"(a slider would silently clamp it); got {self.name}[{i}, {j}] = {float(values[i, j])!r}")

    @property
    def array(self):
        """The current slider values as a new (r, c) float array."""
        return np.array([[s.value for s in row] for row in self.sliders], dtype=float)

    def set(self, values):
        """Move every slider to ``values`` (an array of the same (r, c) shape)."""
        values = as_matrix(values, self.name)
        if values.shape != (len(self.sliders), len(self.sliders[0])):
            raise ValueError(f"{self.name} has {len(self.sliders)}×{len(self.sliders[0])} sliders; "
                             f"got values of shape {values.shape}")
        self._check_range(values)
        for row, vals in zip(self.sliders, values):
            for s, v in zip(row, vals):
                s.value = float(v)


def value_widgets(controls):
    """Every widget with a ``value`` inside ``controls`` (widgets and boxes, searched deeply)."""
    found = []
    for control in controls:
        if isinstance(control, widgets.Box):
            found += value_widgets(control.children)
        elif control.has_trait("value") and not isinstance(control, (widgets.HTML, widgets.HTMLMath,
                                                                     widgets.Label, widgets.Image)):
            found.append(control)
    return found


def html_matrix(value, decimals=2):
    """A number or matrix as a small HTML table of right-aligned numbers (fast to show: no MathJax).

    Numbers as ``helpers.latex.number_text`` writes them: a tiny non-zero one in two significant
    figures (``4.5e-05``), so it never looks like an exact 0.

    Raises:
        ValueError for complex or non-numeric entries, more than 2 dimensions, or ``decimals`` not
        a whole number from 0 to 6.
    """
    a = quantity_array(value, decimals, "html_matrix")
    if a.ndim == 0:
        return f"<div class='bp-num' style='font-family:monospace'>{number_text(a, decimals)}</div>"
    a = a.reshape(a.shape[0], -1)
    rows = "".join("<tr>" + "".join(f"<td>{number_text(v, decimals)}</td>" for v in row) + "</tr>" for row in a)
    return ("<table style='border-left:1.5px solid #333;border-right:1.5px solid #333;"
            "border-collapse:separate;border-spacing:6px 1px;font-family:monospace;"
            "text-align:right;margin:2px 0'>" + rows + "</table>")


class Stepper(Explorer):
    """Walk a list of ``Step`` (see ``helpers.stepper``) with Prev / Next / Play and a step slider.

    Args:
        steps: list of ``helpers.stepper.Step``.
        compute: ``compute() -> dict`` of every named quantity (arrays or numbers); it reads the
            sliders itself and is called again whenever one of ``controls`` changes.
        controls: widgets shown above the steps; every ``value`` inside them is observed.
        symbols: ``{name: LaTeX}`` for each quantity's label (default: the name).
        title: a heading shown above everything (HTML; inline ``$…$`` maths is typeset).
        interval: Play's time per step, in ms.
        order: the names shown in the quantities panel, in order (default: all, in the
            order ``compute()`` returns them).
        decimals: how many decimals the quantities panel prints (0-6; a non-zero number too small
            for them is shown in two significant figures, never as 0.00).

    Raises:
        ValueError for ``interval`` ≤ 0 or ``decimals`` outside 0-6, and (from ``check_steps``) for
        steps that do not fit what ``compute()`` returns.

    Attributes for tests and curious learners: ``state`` (the current dict), ``index`` (the
    0-based step), ``step`` (IntSlider, 1-based), ``play``, ``prev_button``, ``next_button``,
    ``equation`` (HTMLMath: title, equation, note), ``quantities`` (HTML: every quantity
    with its shape; read ones blue, written ones yellow, later ones "not computed yet"),
    ``readout`` (plain text: the step's shapes and numbers).
    """

    summary = "step through the backward pass with Prev / Next / Play; sliders keep the numbers live"

    def __init__(self, steps, compute, controls=(), symbols=None, title="", interval=2000, order=None,
                 decimals=2):
        check_decimals(decimals)
        if isinstance(interval, bool) or not isinstance(interval, (int, float, np.integer, np.floating)) \
                or not interval > 0:
            raise ValueError(f"interval must be a positive number of milliseconds; got interval={interval!r}")
        if not all(isinstance(control, widgets.Widget) for control in controls):
            raise ValueError(f"controls must be widgets (sliders, boxes of sliders); got {list(controls)!r}")
        if not callable(compute):
            raise ValueError(f"compute must be a function of no arguments returning a dict; got {compute!r}")
        if symbols is not None and not isinstance(symbols, dict):
            raise ValueError(f"symbols must be a dict {{name: LaTeX}}; got {type(symbols).__name__}")
        self.steps = list(steps)
        self.decimals = decimals
        self.compute = compute
        self.symbols = dict(symbols or {})
        self.state = compute()
        if not isinstance(self.state, dict):
            raise ValueError(f"compute() must return a dict {{name: value}}; got {type(self.state).__name__}")
        check_steps(self.steps, self.state)
        self.order = list(order) if order is not None else list(self.state)
        unknown = [name for name in self.order if name not in self.state]
        if unknown:
            raise ValueError(f"order names {unknown}, which compute() does not return; it returns {sorted(self.state)}")
        count = len(self.steps)

        self.step = widgets.IntSlider(value=1, min=1, max=count, description="step",
                                      continuous_update=True, layout={"width": "260px"})
        self.play = widgets.Play(value=1, min=1, max=count, interval=interval, description="Play",
                                 show_repeat=False)
        widgets.link((self.play, "value"), (self.step, "value"))
        self.prev_button = widgets.Button(description="◀ Prev", layout={"width": "80px"})
        self.next_button = widgets.Button(description="Next ▶", layout={"width": "80px"})
        self.prev_button.on_click(lambda _: self.go(self.step.value - 1))
        self.next_button.on_click(lambda _: self.go(self.step.value + 1))
        self.equation = widgets.HTMLMath()
        self._label_html = {}
        for name in self.order:
            try:
                self._label_html[name] = latex_label_html(self.label(name))
            except ValueError as error:
                given = f"symbols[{name!r}]" if name in self.symbols else f"the name {name!r} (no symbol given)"
                raise ValueError(f"quantity {name!r}: cannot write {given} as a label: {error}; give it a "
                                 rf"symbol such as symbols={{{name!r}: r'\partial L/\partial W'}}") from error
        self.quantities = widgets.HTML()
        self.readout = self.make_readout()

        children = [widgets.HTMLMath(title)] if title else []
        if controls:
            children.append(widgets.HBox(list(controls), layout={"flex_flow": "row wrap"}))
        children += [widgets.HBox([self.prev_button, self.play, self.next_button, self.step]),
                     self.equation, self.quantities, self.readout]
        super().__init__(children)
        self.observe_controls(*value_widgets(controls))
        # the numbers (plain HTML) follow every move of a drag; the typeset equation at least
        # every 0.25 s and as soon as the drag pauses (Prev / Next / step: at once)
        self._calm_math = [_CalmMath(self.equation, value_widgets(controls))]
        self.step.observe(self.show, names="value")
        self.show()

    @property
    def index(self):
        """The current step, 0-based."""
        return self.step.value - 1

    def go(self, number):
        """Go to step ``number`` (1-based), clamped to the first and last step (Prev on step 1 stays there).

        Raises:
            ValueError unless ``number`` is a whole number.
        """
        if isinstance(number, bool) or not isinstance(number, (int, np.integer)):
            raise ValueError(f"number must be a whole step number, 1 to {len(self.steps)}; got {number!r}")
        self.step.value = int(np.clip(number, 1, len(self.steps)))

    def update(self, *_):
        """An input moved: recompute the whole state with ``compute()``, then show the step."""
        self.state = self.compute()
        self.show()

    def label(self, name):
        """The LaTeX label of quantity ``name`` (its symbol, or the name)."""
        return self.symbols.get(name, name)

    def show(self, *_):
        """Show the current step from ``self.state``: equation, quantities panel, readout."""
        k, step = self.index, self.steps[self.index]
        self.prev_button.disabled = k == 0
        self.next_button.disabled = k == len(self.steps) - 1
        note = f"<div style='color:#444'>{step.note}</div>" if step.note else ""
        self.equation.value = (f"<b>Step {k + 1} of {len(self.steps)}: {html.escape(step.title)}</b>"
                               f"$$ {step.equation(self.state)} $$" + note)
        self.quantities.value = self.panel(k)
        self.readout.value = "<code>" + html.escape(step_readout(self.steps, k, self.state)) + "</code>"

    def panel(self, k):
        """HTML of every quantity at step ``k``: its symbol, shape and numbers, coloured by role.

        Plain HTML, no MathJax: the symbols are written by ``helpers.latex.latex_label_html``. This
        panel changes on every slider move, and the page re-typesets every ``$…$`` of a changed
        widget, measuring the fonts around each one (a forced layout of the page per label).
        """
        step = self.steps[k]
        known = set(known_at(self.steps, k, self.order))
        cells = []
        for name in self.order:
            value = self.state[name]
            if name in step.writes:
                style, role = f"background:{WRITE_COLOUR};border:1.5px solid #b58900", "writes"
            elif name in step.reads:
                style, role = f"background:{READ_COLOUR};border:1.5px solid #4c72b0", "reads"
            else:
                style, role = "border:1px solid #ccc", ""
            body = (html_matrix(value, self.decimals) if name in known
                    else "<div style='color:#999;font-style:italic'>not computed yet</div>")
            cells.append(
                f"<div class='bp-quantity' style='{style};border-radius:6px;padding:3px 8px;margin:3px;line-height:1.3'>"
                f"<span class='bp-symbol' style='font-family:serif;font-size:110%'>{self._label_html[name]}</span> "
                f"<span style='color:#666'>{shape_text(value)}</span>"
                f"{' <b>' + role + '</b>' if role else ''}{body}</div>"
            )
        return (LEGEND + "<div style='display:flex;flex-wrap:wrap;align-items:flex-start'>"
                + "".join(cells) + "</div>")

    def _repr_mimebundle_(self, **kwargs):
        """Without a kernel (nbviewer, GitHub) the current step is shown as HTML."""
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.equation.value + self.quantities.value
        return bundle
