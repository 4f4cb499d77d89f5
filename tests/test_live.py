"""helpers.live: pictures drawn for their size and pixel ratio, encoded fast and exactly; explorers
that wrap on a narrow page and send no echo; the server extension that turns Nagle off."""
import asyncio
import io

import ipywidgets as widgets
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from helpers import live
from helpers.forward_ui import forward_explorer


def decoded(png):
    """PNG bytes back to an (h, w, 4) uint8 array."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


@given(arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 40), st.just(3))), st.booleans())
def test_png_bytes_decode_to_exactly_the_pixels(rgb, transparent):
    """Every pixel survives the fast encoder (opaque: RGB with the Up filter) and the fallback
    (any transparency: Pillow), whatever the values (the filter's uint8 wrap-around included)."""
    alpha = np.full(rgb.shape[:2] + (1,), 255, np.uint8)
    if transparent:
        alpha[0, 0, 0] = 17
    rgba = np.concatenate([rgb, alpha], axis=2)
    assert np.array_equal(decoded(live.png_bytes(rgba)), rgba)


@pytest.mark.parametrize("bad", [np.zeros((4, 4, 3), np.uint8), np.zeros((4, 4, 4)), np.zeros((4, 4), np.uint8)])
def test_png_bytes_refuses_what_is_not_rgba_bytes(bad):
    with pytest.raises(ValueError, match=r"\(h, w, 4\) uint8 RGBA.*got"):
        live.png_bytes(bad)


def test_a_live_figure_is_drawn_at_twice_the_size_it_is_shown(monkeypatch):
    """A 6 × 2.4 in figure at 80 dpi is shown 480 px wide (CSS), never wider, drawn 960 px wide."""
    monkeypatch.delenv("BP_PIXEL_RATIO", raising=False)
    explorer = forward_explorer()
    layout = explorer.figure.image.layout
    assert (layout.width, layout.max_width, layout.height) == ("480px", "100%", "auto")
    assert decoded(explorer.figure.image.value).shape[:2] == (384, 960)


@pytest.mark.parametrize("text, ratio", [("1", 1.0), ("1.5", 1.5), ("3", 3.0)])
def test_the_pixel_ratio_comes_from_the_environment(monkeypatch, text, ratio):
    monkeypatch.setenv("BP_PIXEL_RATIO", text)
    assert live.pixel_ratio() == ratio
    figure = live.LiveFigure(figsize=(2.0, 1.0), dpi=50)
    assert figure.fig.dpi == 50 * ratio and figure.css_size == (100, 50)


@pytest.mark.parametrize("text", ["0", "0.5", "5", "two", "nan"])
def test_a_pixel_ratio_out_of_range_is_refused(monkeypatch, text):
    monkeypatch.setenv("BP_PIXEL_RATIO", text)
    with pytest.raises(ValueError, match="BP_PIXEL_RATIO must be a number from 1 to 4; got"):
        live.pixel_ratio()


def test_explorer_rows_wrap_and_controls_send_no_echo():
    explorer = forward_explorer()
    rows = [w for w in explorer.children if isinstance(w, widgets.HBox)]
    assert rows and all(r.layout.flex_flow == "row wrap" for r in rows)
    slider = explorer.x_sliders[0]
    assert slider.trait_metadata("value", "echo_update", True) is False
    assert slider.trait_metadata("value", "sync") is True  # still synced
    assert widgets.FloatSlider().trait_metadata("value", "echo_update", True) is True  # others keep it
    assert explorer.readout.trait_metadata("value", "echo_update", True) is True


def test_a_slider_move_still_sends_the_kernels_changes(sends_as_in_a_kernel):
    """Without the echo, what the kernel changes (readout, picture) still goes to the page."""
    explorer = forward_explorer()
    sent = []
    explorer.readout._send = lambda msg, buffers=None: sent.append(msg)
    explorer.figure.image._send = lambda msg, buffers=None: sent.append(msg)
    slider = explorer.x_sliders[0]
    slider._send = lambda msg, buffers=None: sent.append(("slider", msg))
    slider.set_state({"value": 1.5})  # as a message from the page does
    assert not [m for m in sent if isinstance(m, tuple)], "the slider's own value was echoed"
    assert {tuple(m["state"]) for m in sent} >= {("value",)} and len(sent) == 2


def test_the_nodelay_extension_turns_nagle_off_on_kernel_websockets():
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

    from helpers import nodelay

    calls = []

    class Fake:
        def set_nodelay(self, value):
            calls.append(value)

    original = KernelWebsocketHandler.open
    try:
        async def fake_open(self, *args, **kwargs):
            calls.append("opened")

        KernelWebsocketHandler.open = fake_open
        nodelay.enable()
        nodelay.enable()  # idempotent: wrapped once
        import asyncio

        asyncio.run(KernelWebsocketHandler.open(Fake(), "kernel-id"))
    finally:
        KernelWebsocketHandler.open = original
    assert calls == [True, "opened"]
    assert nodelay._jupyter_server_extension_points() == [{"module": "helpers.nodelay"}]


def equation_messages(explorer):
    """Capture what the explorer's (or stepper's) equation (an HTMLMath) sends to the page: a list of values
    (with the ``sends_as_in_a_kernel`` fixture, so that it sends at all)."""
    sent = []
    explorer.equation._send = lambda msg, buffers=None: sent.append(msg["state"].get("value"))
    return sent


def test_during_a_drag_the_equation_is_retypeset_at_most_every_math_interval(monkeypatch, sends_as_in_a_kernel):
    """Moves from the page (a running event loop, the slider's property lock held): the first
    equation goes at once, the next ones wait, and the latest one follows MATH_INTERVAL later
    (a drag that never pauses: here MATH_PAUSE is longer than the whole test)."""
    monkeypatch.setattr(live, "MATH_PAUSE", 10.0)
    explorer = forward_explorer()
    sent = equation_messages(explorer)
    slider = explorer.x_sliders[0]

    async def drag():
        await asyncio.sleep(live.MATH_INTERVAL)  # the equation sent when the explorer was built is old
        for value in (1.1, 1.2, 1.3, 1.4):
            slider.set_state({"value": value})  # as the page's message does
            await asyncio.sleep(0.01)
        assert len(sent) == 1 and "1.10" in sent[0]
        await asyncio.sleep(live.MATH_INTERVAL + 0.1)

    asyncio.run(drag())
    assert len(sent) == 2 and "1.40" in sent[1], "the final equation was not sent"
    assert "1.40" in explorer.equation.value


def test_when_the_drag_pauses_the_latest_equation_follows_at_once(monkeypatch, sends_as_in_a_kernel):
    """No new value for MATH_PAUSE: the drag paused or ended, the latest equation is sent then,
    not MATH_INTERVAL after the last one."""
    monkeypatch.setattr(live, "MATH_PAUSE", 0.05)
    monkeypatch.setattr(live, "MATH_INTERVAL", 5.0)
    explorer = forward_explorer()
    sent = equation_messages(explorer)
    slider = explorer.x_sliders[0]
    explorer._calm_math[0].sent_at = -1e9

    async def drag():
        slider.set_state({"value": 1.1})  # sent at once: none for MATH_INTERVAL
        slider.set_state({"value": 1.2})  # held
        assert len(sent) == 1
        await asyncio.sleep(1.0)  # far less than MATH_INTERVAL

    asyncio.run(drag())
    assert len(sent) == 2 and "1.20" in sent[1]


def test_a_stepper_equation_waits_during_a_drag_but_not_for_a_step(sends_as_in_a_kernel):
    from helpers.input_grad_ui import backward_stepper

    stepper = backward_stepper()
    sent = equation_messages(stepper)
    stepper._calm_math[0].sent_at = -1e9

    async def drag():
        sliders = [s for s in live.controls_in(stepper) if s.description.startswith("x")]
        sliders[0].set_state({"value": 0.5})
        sliders[0].set_state({"value": 0.6})
        assert len(sent) == 1  # the second waits for a pause
        stepper.next_button.click()  # a step is sent at once, whatever the drag
        assert len(sent) == 2 and "Step 2" in sent[1]

    asyncio.run(drag())


def test_a_change_made_in_python_sends_the_equation_at_once(sends_as_in_a_kernel):
    explorer = forward_explorer()
    sent, shown = equation_messages(explorer), []

    async def moves():
        for value in (1.1, 1.2, 1.3):
            explorer.x_sliders[0].value = value
            shown.append(explorer.equation.value)
        await asyncio.sleep(0)

    asyncio.run(moves())
    explorer.x_sliders[0].value = -1.5  # no event loop at all
    shown.append(explorer.equation.value)
    assert sent == shown and len(set(shown)) == 4


@pytest.mark.parametrize("device, drawn", [(1, 1.0), (1.0, 1.0), (1.25, 1.5), (1.5, 1.5), (2, 2.0), (2.2, 2.5),
                                           (3, 3.0), (6, 4.0), (0.5, 1.0), (0.9, 1.0)])
def test_the_drawing_ratio_follows_the_screen_rounded_up(monkeypatch, device, drawn):
    monkeypatch.delenv("BP_PIXEL_RATIO", raising=False)
    assert live.drawing_ratio(device) == drawn


@pytest.mark.parametrize("device", [0, -1, float("nan"), float("inf"), None, True, "2"])
def test_a_screen_that_cannot_tell_gets_the_default(monkeypatch, device):
    monkeypatch.delenv("BP_PIXEL_RATIO", raising=False)
    assert live.drawing_ratio(device) == 2.0


def test_bp_pixel_ratio_wins_over_the_screen(monkeypatch):
    monkeypatch.setenv("BP_PIXEL_RATIO", "1")
    assert live.drawing_ratio(2) == 1.0
    explorer = forward_explorer()
    before = explorer.figure.image.value
    explorer.screen.ratio = 2.0
    assert explorer.figure.pixel_ratio == 1.0 and explorer.figure.image.value == before


def _explorers_with_figures():
    import importlib
    import inspect
    from pathlib import Path

    for path in sorted(Path(live.__file__).parent.glob("*_ui.py")):
        module = importlib.import_module(f"helpers.{path.stem}")
        for name, factory in inspect.getmembers(module, inspect.isfunction):
            if name.endswith(("_explorer", "_stepper")) and factory.__module__ == module.__name__:
                yield name, factory


def _first_slider(explorer):
    from tools.browser import sliders_in

    found = [s for s in sliders_in(explorer) if "Range" not in s._view_name]
    return found[0] if found else None


def _step(slider):
    from tools.browser import at_top, key_step

    key_step(slider, "ArrowLeft" if at_top(slider) else "ArrowRight")


@pytest.mark.parametrize("name, factory", list(_explorers_with_figures()))
def test_every_figure_is_redrawn_for_the_pixel_ratio_the_page_reports(monkeypatch, name, factory):
    """Drawn at 2 until the page reports; at the page's ratio after, on every later move too."""
    monkeypatch.delenv("BP_PIXEL_RATIO", raising=False)
    explorer = factory()
    if explorer.figure is None:
        return
    css_width, css_height = explorer.figure.css_size
    assert explorer.screen in explorer.children and explorer.screen.layout.display == "none"
    assert decoded(explorer.figure.image.value).shape[1] == 2 * css_width
    for ratio, expected in [(1.0, 1), (3.0, 3), (1.0, 1)]:
        explorer.screen.ratio = ratio
        height, width, _ = decoded(explorer.figure.image.value).shape
        assert (width, height) == (expected * css_width, pytest.approx(expected * css_height, abs=1)), name
        slider = _first_slider(explorer)
        if slider is not None:
            _step(slider)
            assert decoded(explorer.figure.image.value).shape[1] == expected * css_width, f"{name}: a move after"


@pytest.mark.parametrize("factory_name, control, values", [
    ("forward_explorer", "activation", ["relu", "tanh", "sigmoid"]),   # backgrounds saved per activation
    ("window_stepper", "stride", [2, 1, 2]),                           # backgrounds and text per setting
])
def test_pictures_saved_at_the_old_ratio_are_not_reused(monkeypatch, factory_name, control, values):
    """Seen settings keep pictures at the old size: after a new ratio, coming back to one draws
    exactly what an explorer built at that ratio draws."""
    from helpers import conv_ui, forward_ui

    factory = getattr(forward_ui, factory_name, None) or getattr(conv_ui, factory_name)
    monkeypatch.delenv("BP_PIXEL_RATIO", raising=False)
    explorer = factory()
    for value in values:  # every setting seen (and saved) at ratio 2
        setattr(getattr(explorer, control), "value", value)
    explorer.screen.ratio = 1.0
    monkeypatch.setenv("BP_PIXEL_RATIO", "1")
    fresh = factory()
    for value in values:
        setattr(getattr(explorer, control), "value", value)
        setattr(getattr(fresh, control), "value", value)
        assert np.array_equal(decoded(explorer.figure.image.value), decoded(fresh.figure.image.value)), value


def _moves(explorer):
    """Every control of ``explorer`` as (path, value) moves: each slider to its top, its bottom and
    back, each option of a dropdown / toggle buttons, each checkbox both ways, each button (a
    preset) clicked (value None). ``path`` finds the same control in another explorer."""
    moves = []

    def walk(widget, path):
        if isinstance(widget, (live.ScreenPixelRatio, widgets.Play, *live.OUTPUTS)):
            return  # (Play is linked to the slider it drives)
        if isinstance(widget, widgets.Button):
            moves.append((path, None))
        elif isinstance(widget, (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons)):
            values = [o[1] if isinstance(o, tuple) else o for o in widget.options]
            moves.extend((path, v) for v in [*values[::-1], widget.value])
        elif isinstance(widget, (widgets.Checkbox, widgets.ToggleButton)):
            moves.extend([(path, not widget.value), (path, widget.value)])
        elif isinstance(widget, widgets.FloatLogSlider):
            moves.extend((path, v) for v in [widget.base ** widget.max, widget.base ** widget.min, widget.value])
        elif isinstance(widget, (widgets.IntSlider, widgets.FloatSlider, widgets.BoundedIntText,
                                 widgets.BoundedFloatText)):
            moves.extend((path, v) for v in [widget.max, widget.min, widget.value])
        elif isinstance(widget, (widgets.FloatText, widgets.IntText)):
            moves.extend([(path, type(widget.value)(2)), (path, widget.value)])
        else:
            assert "value" not in getattr(widget, "keys", ()), f"a control this test cannot move: {widget!r}"
        for k, child in enumerate(getattr(widget, "children", ())):
            walk(child, (*path, k))

    walk(explorer, ())
    return moves


def _make(explorer, move):
    path, value = move
    widget = explorer
    for k in path:
        widget = widget.children[k]
    if value is None:
        widget.click()
    else:
        widget.value = value
    return widget


RELAID_OUT = {"activation_gradient_explorer", "train_test_explorer", "training_explorer"}
"""Figures whose constrained layout, run again at the new ratio, places an axes a pixel or two off
where a fresh one at that ratio places it (tick labels measured at another size): same size, a
picture differing by that shift."""


@pytest.mark.parametrize("ratio", [1.0])  # (3.0 too, by hand: same result, 20 s more; sizes at 3 are tested above)
@pytest.mark.parametrize("name, factory", list(_explorers_with_figures()))
def test_after_a_new_ratio_every_control_draws_what_a_fresh_explorer_draws(monkeypatch, name, factory, ratio):
    """Every setting seen (and whatever was saved for it) at ratio 2, then the page reports
    ``ratio``: each move of each control shows the picture an explorer built at ``ratio`` shows,
    of its size, and nothing left over from before (the same as drawing the figure afresh)."""
    monkeypatch.delenv("BP_PIXEL_RATIO", raising=False)
    explorer = factory()
    if explorer.figure is None:
        return
    moves = _moves(explorer)
    for move in moves:
        _make(explorer, move)
    explorer.screen.ratio = ratio
    monkeypatch.setenv("BP_PIXEL_RATIO", str(ratio))
    fresh = factory()
    for move in moves:
        control = _make(explorer, move)
        _make(fresh, move)
        what = f"{name}: {getattr(control, 'description', '') or type(control).__name__} = {move[1]!r}"
        shown = decoded(explorer.figure.image.value)
        assert shown.shape == decoded(fresh.figure.image.value).shape, what
        if name not in RELAID_OUT:  # (at 3× a mathtext "=" can differ by a few levels of antialiasing at its ends)
            assert np.abs(shown.astype(int) - decoded(fresh.figure.image.value)).max() <= 8, what
    explorer.figure.refresh(full=True)
    assert np.array_equal(shown, decoded(explorer.figure.image.value)), f"{name}: a full redraw differs"
