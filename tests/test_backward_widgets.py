"""Notebook 02 and 03's widgets: move a control, assert what was recomputed and shown."""
import numpy as np
import pytest

from helpers.activations import get_activation
from helpers.activation_grad_ui import activation_gradient_explorer, depth_products
from helpers.stepper import plain_numbers
from helpers.weight_grad_ui import cell_style, weight_gradient_explorer


@pytest.fixture
def act():
    return activation_gradient_explorer()


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_activation_explorer_recomputes_dL_dz(act, name):
    act.activation.value = name
    act.scale.value = 2.0
    act.shift.value = -0.5
    z = 2.0 * act.z0 - 0.5
    prime = get_activation(name).prime(z)
    np.testing.assert_allclose(act.z, z)
    np.testing.assert_allclose(act.dL_dz, act.dL_da * prime)
    assert f"dL/dz = {plain_numbers(act.dL_da * prime)}" in act.readout.value
    np.testing.assert_allclose([b.get_height() for b in act.dz_bars], (act.dL_da * prime)[:, 0])
    np.testing.assert_allclose(act.points.get_ydata(), prime[:, 0])


def test_relu_blocks_exactly_the_negative_entries(act):
    act.activation.value = "relu"
    negative = act.z[:, 0] < 0
    assert negative.any() and (~negative).any()  # the default z has both kinds
    assert np.all(act.dL_dz[negative, 0] == 0)
    np.testing.assert_array_equal(act.dL_dz[~negative, 0], act.dL_da[~negative, 0])


def test_sigmoid_gradient_vanishes_with_depth_below_the_quarter_power(act):
    act.activation.value = "sigmoid"
    act.depth.value = 20
    assert act.magnitudes.shape == (20,)
    assert np.all(np.diff(act.magnitudes) < 0)
    assert np.all(act.magnitudes <= 0.25 ** np.arange(1, 21) + 1e-15)  # σ' ≤ 1/4 in every layer
    act.shift.value = 3.0  # saturated: even smaller
    assert act.magnitudes[-1] < 0.25**20 / 100
    assert f"after 20 layers: factor {act.magnitudes[-1]:.2e}" in act.readout.value
    assert len(act.depth_line.get_xdata()) == 20


def test_depth_factor_with_every_z_equal_is_a_power(act):
    act.scale.value = 0.0  # every z, in the left panel and in every layer of the depth panel, is the shift
    act.shift.value = 4.0
    act.depth.value = 12
    s = 1 / (1 + np.exp(-4.0))
    np.testing.assert_allclose(act.sigma_prime, s * (1 - s))
    np.testing.assert_allclose(act.magnitudes, (s * (1 - s)) ** np.arange(1, 13))
    assert f"after 12 layers: factor {(s * (1 - s)) ** 12:.2e}" in act.readout.value


def test_depth_products_is_the_product_of_sigma_primes():
    z = np.array([[0.0, 1.0], [2.0, -1.0], [0.5, 0.5]])
    s = get_activation("tanh").prime(z)
    np.testing.assert_allclose(depth_products(z, "tanh")[2], s[0] * s[1] * s[2])


def test_activation_picture_is_redrawn_in_place(act):
    image = act.figure.image
    first = image.value
    act.shift.value = 2.0
    assert act.figure.image is image and image.value != first


@pytest.fixture
def wg():
    return weight_gradient_explorer()


def test_weight_explorer_shows_the_outer_product(wg):
    wg.x_sliders.sliders[0][0].value = -1.5
    wg.dz_sliders.sliders[2][0].value = 2.0
    assert wg.dL_dW.shape == (4, 3)  # the shape of the notebook's W
    x = np.array([[-1.5], [-0.5], [0.0]])
    g = np.array([[0.5], [-1.0], [2.0], [-0.8]])
    np.testing.assert_allclose(wg.dL_dW, g @ x.T)
    np.testing.assert_allclose(wg.dL_db, g)
    assert f"dL/dW = {plain_numbers(g @ x.T)}" in wg.readout.value
    assert "x₁ = -1.5" in wg.heatmap.value and "∂L/∂z₃ = 2.0" in wg.heatmap.value
    assert f">{plain_numbers(2.0 * -1.5)}<" in wg.heatmap.value  # cell (3, 1) = 2.0 · (−1.5)


def test_a_zero_input_zeroes_its_column(wg):
    wg.x_sliders.sliders[1][0].value = 0.0
    assert np.all(wg.dL_dW[:, 1] == 0) and np.all(wg.dL_dW[:, 0] != 0)
    wg.dz_sliders.sliders[0][0].value = 0.0  # and a zero error zeroes its row
    assert np.all(wg.dL_dW[0] == 0) and wg.dL_db[0, 0] == 0


def rgb(style):
    return [int(v) for v in style.split("rgb(")[1].split(")")[0].split(",")]


def test_heatmap_colours_follow_the_sign():
    assert min(rgb(cell_style(0.0))) > 240 and "color:black" in cell_style(0.0)  # zero is near white
    r, _, b = rgb(cell_style(3.9))
    assert r > 2 * b and "color:white" in cell_style(3.9)
    r, _, b = rgb(cell_style(-3.9))
    assert b > 2 * r and "color:white" in cell_style(-3.9)
    assert rgb(cell_style(40.0)) == rgb(cell_style(4.0))  # clipped at the scale's end


def test_weight_explorer_display_has_a_table_fallback(wg):
    bundle = wg._repr_mimebundle_()
    assert bundle["text/plain"].startswith("WeightGradExplorer: ")
    assert bundle["text/html"] == wg.heatmap.value


def test_bad_shapes_are_refused_before_any_widget_is_built():
    with pytest.raises(ValueError, match=r"same number k of columns"):
        weight_gradient_explorer(x=np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"x and dL_dz must be columns"):
        weight_gradient_explorer(x=np.ones((3, 2)), dL_dz=np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"every entry of x must lie in the sliders' range"):
        weight_gradient_explorer(x=[[9.0], [0.0], [0.0]])


@pytest.mark.parametrize("kwargs, match", [
    ({"activation": "identity"}, r"activation must be one of 'sigmoid', 'tanh', 'relu'; got activation='identity'"),
    ({"activation": "softmax"}, r"activation must be one of"),
    ({"scale": 9.0}, r"scale must be a number from 0 to 5"),
    ({"shift": -6}, r"shift must be a number from -5 to 5"),
    ({"depth": 0}, r"depth must be a whole number from 1 to 30"),
    ({"depth": 31}, r"depth must be a whole number from 1 to 30"),
    ({"m": 0}, r"m must be a positive whole number"),
    ({"units": 2.5}, r"units must be a positive whole number"),
])
def test_activation_explorer_refuses_bad_arguments_by_name(kwargs, match):
    with pytest.raises(ValueError, match=match):
        activation_gradient_explorer(**kwargs)


def count_full_draws(explorer, monkeypatch):
    """Count whole-figure draws (``canvas.draw``) from now on; partial redraws do not call it."""
    calls = []
    draw = explorer.figure.canvas.draw
    monkeypatch.setattr(explorer.figure.canvas, "draw", lambda *a, **k: (calls.append(1), draw(*a, **k)))
    return calls


def test_switching_sigma_redraws_only_the_moving_artists(act, monkeypatch):
    """The σ dropdown took 43-70 ms because it redrew the whole figure; now the σ' curve moves
    like the bars do (the speed itself is measured in bench/, not here)."""
    calls = count_full_draws(act, monkeypatch)
    for name in ["tanh", "relu", "sigmoid", "relu"]:
        before = act.figure.image.value
        act.activation.value = name
        assert act.figure.image.value != before
        np.testing.assert_allclose(act.curve.get_ydata(), get_activation(name).prime(act.grid))
    assert calls == []


def test_activation_picture_after_a_switch_is_what_a_full_redraw_draws(act):
    for name in ["tanh", "relu", "sigmoid"]:
        act.activation.value = name
        assert act.figure.image.value == act.figure.png(full=True), name


def test_depth_products_and_cell_style_refuse_bad_input_by_name():
    # once: a ComplexWarning (imaginary part dropped), a 1-D array read as layers, ZeroDivisionError
    with pytest.raises(ValueError, match="complex"):
        depth_products(np.zeros((2, 2)) + 1j, "sigmoid")
    with pytest.raises(ValueError, match="2-D matrix"):
        depth_products(np.zeros(3), "sigmoid")
    with pytest.raises(ValueError, match="unknown activation"):
        depth_products(np.zeros((2, 2)), "softmax")
    with pytest.raises(ValueError, match="limit must be a positive number"):
        cell_style(1.0, 0)
    with pytest.raises(ValueError, match="one finite number"):
        cell_style(np.nan)
