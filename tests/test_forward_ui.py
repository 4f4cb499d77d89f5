import base64

import numpy as np
import pytest

from helpers.forward import dense_forward
from helpers.forward_ui import a_axis_limits, format_vector, forward_explorer
from helpers.latex import latex_matrix


@pytest.fixture
def explorer():
    return forward_explorer()


def test_moving_an_x_slider_recomputes_z_and_a(explorer):
    explorer.x_sliders[1].value = -1.5
    x = np.array([[1.0], [-1.5], [-1.0]])
    z, a = dense_forward(explorer.W, explorer.b, x, "sigmoid")
    np.testing.assert_allclose(explorer.x, x)
    np.testing.assert_allclose(explorer.z, z)
    np.testing.assert_allclose(explorer.a, a)
    assert latex_matrix(z) in explorer.equation.value
    assert latex_matrix(a) in explorer.equation.value
    assert f"z = {format_vector(z)}" in explorer.readout.value
    assert f"a = {format_vector(a)}" in explorer.readout.value
    assert "bp-readout" in explorer.readout._dom_classes
    np.testing.assert_allclose([bar.get_height() for bar in explorer.z_bars], z[:, 0])
    np.testing.assert_allclose([bar.get_height() for bar in explorer.a_bars], a[:, 0])


def test_moving_a_weight_slider_changes_only_that_row(explorer):
    W_before = explorer.W.copy()
    z_before = explorer.z.copy()
    explorer.w_sliders[2].value = W_before[0, 2] + 1.0
    assert explorer.W[0, 2] == pytest.approx(W_before[0, 2] + 1.0)
    np.testing.assert_allclose(explorer.W[1:], W_before[1:])
    # z_1 moves by exactly x_3 · 1.0, the other outputs do not move
    assert explorer.z[0, 0] - z_before[0, 0] == pytest.approx(explorer.x[2, 0])
    np.testing.assert_allclose(explorer.z[1:], z_before[1:])


@pytest.mark.parametrize("name", ["tanh", "relu", "identity"])
def test_choosing_an_activation(explorer, name):
    explorer.activation.value = name
    _, a = dense_forward(explorer.W, explorer.b, explorer.x, name)
    np.testing.assert_allclose(explorer.a, a)
    assert rf"\mathrm{{{name}}}" in explorer.equation.value


def test_the_picture_is_redrawn_in_place(explorer):
    image = explorer.figure.image
    first = image.value
    explorer.x_sliders[0].value = -1.5
    assert explorer.figure.image is image  # same widget, new pixels
    assert image.value != first and image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_display_carries_a_png_and_stable_text(explorer):
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"].startswith("ForwardExplorer: ")
    assert base64.b64decode(bundle["image/png"]) == explorer.figure.image.value
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_bad_layer_is_refused_before_any_widget_is_built():
    with pytest.raises(ValueError, match=r"W is 4×3, so x needs 3 rows; got x of shape \(2, 1\)"):
        forward_explorer(x=np.ones((2, 1)))


@pytest.mark.parametrize("kwargs, match", [
    ({"row": -1}, r"row must be a 0-based row number of W, 0 to 3 \(W is 4×3\); got row=-1"),
    ({"row": 4}, r"got row=4"),
    ({"row": 1.0}, r"got row=1.0"),
    ({"x": [[3.0], [0.0], [0.0]]}, r"every entry of x must lie in the sliders' range ±2"),
    ({"W": [[5.0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]}, r"every entry of row 0 of W must lie in .* ±1.5"),
    ({"x": np.ones((3, 2))}, r"x must be a column of shape \(3, 1\)"),
    ({"activation": "softmax"}, r"unknown activation 'softmax'; choose one of"),
])
def test_bad_arguments_are_a_value_error_naming_them(kwargs, match):
    # row=-1 used to build sliders labelled W₀₁…; x = 3 was clamped to 2 by the slider
    with pytest.raises(ValueError, match=match):
        forward_explorer(**kwargs)


def test_the_z_axis_fits_the_values_so_the_default_bars_are_visible(explorer):
    # at the defaults max |z| = 2.2: the panel spans ±3 (it was ±10, bars a tenth of its height)
    assert explorer.ax_z.get_ylim() == (-3, 3)
    low, high = explorer.ax_z.get_ylim()
    assert max(abs(explorer.z)) > 0.7 * high
    for s in explorer.x_sliders:
        s.value = 0.0                                    # z = b: max |z| = 0.3
    assert explorer.ax_z.get_ylim() == (-1, 1)


def test_switching_the_activation_redraws_only_the_bars(explorer, monkeypatch):
    """Each activation's axes are drawn once (warm_up); then the dropdown only redraws the bars
    (the speed itself is measured in bench/, not here)."""
    calls = []
    draw = explorer.figure.canvas.draw
    monkeypatch.setattr(explorer.figure.canvas, "draw", lambda *a, **k: (calls.append(1), draw(*a, **k)))
    for name in ["tanh", "relu", "identity", "sigmoid", "relu"]:
        explorer.activation.value = name
        assert explorer.ax_a.get_ylim() == pytest.approx(a_axis_limits(name, 3))
        _, a = dense_forward(explorer.W, explorer.b, explorer.x, name)
        np.testing.assert_allclose([bar.get_height() for bar in explorer.a_bars], a[:, 0])
    assert calls == []


def test_a_kept_background_draws_exactly_what_a_full_redraw_draws(explorer):
    """Switching σ restores the kept background of that activation and redraws the bars: the
    picture must be the very pixels a redraw of the whole figure gives."""
    first = explorer.figure.image.value
    for name in ["tanh", "relu", "identity", "sigmoid"]:
        explorer.activation.value = name
        explorer.x_sliders[0].value = 1.5 if name != "sigmoid" else 1.0
        assert explorer.figure.image.value == explorer.figure.png(full=True), name
    assert explorer.figure.image.value == first  # back at the start: the same picture


def test_slider_ranges_keep_every_bar_inside_its_axis(explorer):
    """At the sliders' extremes no z (or relu/identity a) bar leaves its axes."""
    for name in ["relu", "identity"]:
        explorer.activation.value = name
        for sign in (1, -1):
            for j, s in enumerate(explorer.x_sliders):
                s.value = sign * s.max * np.sign(explorer.W[0, j] or 1)
            for j, s in enumerate(explorer.w_sliders):
                s.value = s.max * np.sign(explorer.x[j, 0] or 1)
            low, high = explorer.z_bars[0].axes.get_ylim()
            assert low <= explorer.z.min() and explorer.z.max() <= high
            low, high = explorer.ax_a.get_ylim()
            assert low <= explorer.a.min() and explorer.a.max() <= high


def test_a_axis_limits_names_an_unknown_activation():
    # once: KeyError 'softmax'
    from helpers.forward_ui import a_axis_limits
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        a_axis_limits("softmax", 3)
    assert a_axis_limits("tanh", 3) == (-1.05, 1.05)


def test_huge_entries_in_rows_without_sliders_stay_on_the_panel():
    # once: the z axis stopped at ±1000, so a z of 1e6 drew its bar far off the panel without a word
    W = [[0.5, -0.2, 0.1], [0.3, 0.8, -0.5], [-0.6, 0.1, 0.4], [1e6, 0.0, 0.0]]
    explorer = forward_explorer(W=W)
    assert explorer.z_limit >= np.max(np.abs(explorer.z))
    assert explorer.ax_z.get_ylim()[1] >= 1e6
