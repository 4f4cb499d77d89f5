import base64

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers.network import init_params, make_dataset, train, training_verdict
from helpers.network_ui import EtaExplorer, draw_network, eta_explorer

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def explorer():
    return eta_explorer()


def test_default_is_the_notebooks_data_and_a_good_eta():
    explorer = eta_explorer()  # a fresh one: the shared fixture's sliders have been moved
    assert isinstance(explorer, EtaExplorer)
    assert explorer.eta == pytest.approx(10.0) and explorer.epochs == 300
    X, Y = make_dataset()
    np.testing.assert_array_equal(explorer.X, X)
    np.testing.assert_array_equal(explorer.Y, Y)
    assert explorer.verdict == "converging"


@pytest.mark.parametrize("eta, epochs", [(10**0.5, 120), (0.01, 40), (10**2.5, 200)])
def test_moving_the_sliders_shows_what_train_gives(explorer, eta, epochs):
    explorer.eta_slider.value = eta
    explorer.epochs_slider.value = epochs
    _, losses = train(explorer.X, explorer.Y, explorer.params, eta, epochs)
    assert explorer.losses.shape == (epochs + 1,)
    np.testing.assert_allclose(explorer.losses[1:], losses, rtol=1e-9)
    assert explorer.loss == pytest.approx(losses[-1], rel=1e-9)
    x, y = explorer.loss_line.get_data()
    np.testing.assert_array_equal(x, np.arange(epochs + 1))
    np.testing.assert_allclose(y, np.clip(explorer.losses, 1e-3, 1.0))
    assert f"η = {eta:.4g}" in explorer.readout.value
    assert f"epochs = {epochs}" in explorer.readout.value
    assert f"C = {losses[-1]:.4f}" in explorer.readout.value
    assert "bp-readout" in explorer.readout._dom_classes


def test_accuracy_matches_the_trained_network(explorer):
    from helpers.network import accuracy

    explorer.eta_slider.value = 10.0
    explorer.epochs_slider.value = 250
    trained, _ = train(explorer.X, explorer.Y, explorer.params, 10.0, 250)
    assert explorer.accuracy == accuracy(explorer.X, explorer.Y, trained)
    assert f"accuracy = {100 * explorer.accuracy:.1f} %" in explorer.readout.value


def test_small_eta_crawls_and_huge_eta_diverges(explorer):
    explorer.epochs_slider.value = 1000
    explorer.eta_slider.value = 0.01
    assert explorer.verdict == "crawling"
    crawl = explorer.loss
    explorer.eta_slider.value = 10.0
    assert explorer.verdict == "converging" and explorer.loss < 0.2 * crawl
    explorer.eta_slider.value = 1000.0
    assert explorer.verdict == "diverged" and explorer.loss > explorer.losses[0]
    assert "diverged" in explorer.readout.value
    assert "η = 1000 " in explorer.readout.value  # not "1e+03"
    assert explorer.eta_slider.readout_format == ".4g"


def test_an_eta_off_the_grid_is_trained_and_cached(explorer):
    eta = 7.0  # not a quarter decade
    explorer.eta_slider.value = eta
    explorer.epochs_slider.value = 50
    _, losses = train(explorer.X, explorer.Y, explorer.params, eta, 50)
    np.testing.assert_allclose(explorer.losses[1:], losses, rtol=1e-9)
    assert explorer.curves(eta)[0] is explorer.curves(eta)[0]  # kept, not retrained


def test_the_picture_is_redrawn_in_place(explorer):
    image = explorer.figure.image
    explorer.epochs_slider.value = 100
    first = image.value
    explorer.epochs_slider.value = 600
    assert explorer.figure.image is image
    assert image.value != first and image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_display_carries_a_png_and_stable_text(explorer):
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"].startswith("EtaExplorer: ")
    assert base64.b64decode(bundle["image/png"]) == explorer.figure.image.value


def test_callers_params_are_untouched():
    params = init_params(3)
    before = {k: v.copy() for k, v in params.items()}
    X, Y = make_dataset(k=10, seed=2)
    ex = eta_explorer(X, Y, params, eta=1.0, epochs=20, max_epochs=40)
    ex.eta_slider.value = 100.0
    for name in params:
        np.testing.assert_array_equal(params[name], before[name])


def test_verdicts():
    assert training_verdict([0.3]) == "not started"
    assert training_verdict([0.3, 0.2, 0.1]) == "converging"
    assert training_verdict([0.3, 0.29, 0.28]) == "crawling"
    assert training_verdict([0.3, 0.1, 0.2, 0.05]) == "oscillating"
    assert training_verdict([0.3, 0.4, 0.4]) == "diverged"
    with pytest.raises(ValueError, match="1-D curve"):
        training_verdict([[0.1, 0.2]])


def test_network_diagram_draws_every_weight():
    fig = Figure()
    ax = fig.subplots()
    params = init_params(0)
    draw_network(ax, params)
    assert len(ax.lines) == 3 * 4 + 4 * 2  # one edge per weight
    widths = [line.get_linewidth() for line in ax.lines]
    strongest = np.argmax(np.abs(np.concatenate([params["W"].ravel(), params["V"].ravel()])))
    assert np.argmax(widths) == strongest  # the thickest edge is the largest |weight|
    texts = {t.get_text() for t in ax.texts}
    assert {"x₁", "h₄", "ŷ₂", "w₁,₄", "v₄,₁"} <= texts


def test_network_stepper_shows_what_backward_returns():
    from helpers.network import backward
    from helpers.network_ui import network_stepper

    stepper = network_stepper()
    assert len(stepper.steps) == 7
    assert [s.description for s in stepper.x_sliders.sliders[0]] == ["x₁", "x₂", "x₃"]  # one row, as x
    stepper.x_sliders.sliders[0][0].value = 2.0  # x₁
    stepper.x_sliders.sliders[0][2].value = -1.5  # x₃
    x = np.array([[2.0, -1.0, -1.5]])
    b = backward(x, np.array([[1.0, 0.0]]), init_params(0))
    np.testing.assert_allclose(stepper.state["x"], x)
    for name in ("h", "y_hat", "delta_out", "dC_dh", "delta_hid"):
        np.testing.assert_allclose(stepper.state[name], b[name])
    np.testing.assert_allclose(stepper.state["dC_dV"], np.outer(b["h"], b["delta_out"]))  # 4×2 outer product
    assert stepper.state["dC_dW"].shape == (3, 4) and stepper.state["dC_dV"].shape == (4, 2)
    stepper.step.value = 4
    assert "writes dC_dV 4×2" in stepper.readout.value
    assert "h^T" in stepper.equation.value
    stepper.step.value = 7
    assert "writes dC_dW 3×4" in stepper.readout.value


def test_network_stepper_refuses_a_batch():
    from helpers.network_ui import network_stepper

    with pytest.raises(ValueError, match=r"one example: x must be a row of shape \(1, 3\); got x of shape \(2, 3\)"):
        network_stepper(x=np.ones((2, 3)), y=np.ones((2, 2)))
