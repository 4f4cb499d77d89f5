import base64

import numpy as np
import pytest

from helpers.forward import dense_forward
from helpers.forward_ui import format_vector, forward_explorer
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


def test_slider_ranges_keep_every_bar_inside_its_axis(explorer):
    """At the sliders' extremes no z (or relu/identity a) bar leaves the fixed axes."""
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
