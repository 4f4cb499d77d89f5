import base64
import re

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers.network import accuracy, gradients, init_params, loss, make_dataset, train, training_verdict
from helpers.network_ui import ETA_GRID, KEEP_OFF_GRID, EtaExplorer, draw_network, eta_explorer, shown_eta

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def explorer():
    return eta_explorer()


def test_default_is_the_notebooks_data_a_test_set_and_a_good_eta():
    explorer = eta_explorer()  # a fresh one: the shared fixture's sliders have been moved
    assert isinstance(explorer, EtaExplorer)
    assert explorer.eta == 10.0 and explorer.epochs == 300
    X, Y = make_dataset()
    np.testing.assert_array_equal(explorer.X, X)
    np.testing.assert_array_equal(explorer.Y, Y)
    X_test, Y_test = make_dataset(1000, seed=1)
    np.testing.assert_array_equal(explorer.X_test, X_test)
    np.testing.assert_array_equal(explorer.Y_test, Y_test)
    assert explorer.verdict == "converging"
    assert "training set (40): C = 0.0464" in explorer.readout.value
    assert "test set (1000): C = " in explorer.readout.value


def test_the_grid_is_what_the_readout_shows():
    assert len(ETA_GRID) == 21 and ETA_GRID[0] == 0.01 and ETA_GRID[-1] == 1000.0
    for eta in ETA_GRID:
        assert float(f"{eta:.4g}") == eta  # the printed η, read back, is the trained η
    assert ETA_GRID[18] == 316.2 and ETA_GRID[17] == 177.8


# Ways to compute the same slider position that differ in the last bit on some CPUs:
# Python's 10 ** x, numpy's 10 ** np.arange (SIMD), and one ulp either side.
SOURCES = {
    "python": lambda x: 10 ** x,
    "numpy": lambda x: float((10 ** np.arange(-2.0, 3.125, 0.25))[round((x + 2) / 0.25)]),
    "ulp up": lambda x: float(np.nextafter(10 ** x, np.inf)),
    "ulp down": lambda x: float(np.nextafter(10 ** x, -np.inf)),
}


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("position, epochs", [(0.5, 120), (-2.0, 40), (2.25, 200), (2.5, 200), (3.0, 300)])
def test_the_explorer_trains_exactly_the_eta_it_shows(explorer, source, position, epochs):
    """Not a comparison of two computations (at η ≈ 178 training is chaotic: one ulp of η, or of an
    exp, changes C by 20 %): the explorer's numbers ARE train()'s for the η it prints, whatever
    float the slider sent."""
    value = SOURCES[source](position)
    explorer.eta_slider.value = value
    explorer.epochs_slider.value = epochs
    shown = re.search(r"η = (\S+)", explorer.readout.value).group(1)
    assert explorer.eta == float(shown) == shown_eta(value) == ETA_GRID[round((position + 2) / 0.25)]
    trained, losses = train(explorer.X, explorer.Y, explorer.params, explorer.eta, epochs)
    assert explorer.losses.shape == (epochs + 1,)
    np.testing.assert_array_equal(explorer.losses[1:], losses)   # one code path: the same numbers
    assert explorer.accuracy == accuracy(explorer.X, explorer.Y, trained)
    assert explorer.verdict == training_verdict([explorer.history.losses[0]] + losses)
    assert f"epochs = {epochs}" in explorer.readout.value
    assert f"C = {losses[-1]:.4f}" in explorer.readout.value
    x, y = explorer.loss_line.get_data()
    np.testing.assert_array_equal(x, np.arange(epochs + 1))
    np.testing.assert_array_equal(y, np.clip(explorer.losses, 1e-3, 1.0))
    assert "bp-readout" in explorer.readout._dom_classes


@pytest.mark.parametrize("eta, epochs", [(3.162, 120), (0.01, 40), (10.0, 300), (56.23, 500)])
def test_where_training_is_not_chaotic_the_explorer_agrees_with_plain_gradient_steps(explorer, eta, epochs):
    explorer.eta_slider.value = eta
    explorer.epochs_slider.value = epochs
    p = dict(explorer.params)
    for _ in range(epochs):
        g = gradients(explorer.X, explorer.Y, p)
        p = {name: p[name] - eta * g[name] for name in p}
    assert explorer.loss == pytest.approx(loss(explorer.X, explorer.Y, p), rel=1e-8)
    assert explorer.test_loss == pytest.approx(loss(explorer.X_test, explorer.Y_test, p), rel=1e-8)
    assert explorer.test_accuracy == accuracy(explorer.X_test, explorer.Y_test, p)


def test_the_test_set_is_in_the_readout_and_the_picture(explorer):
    explorer.eta_slider.value = 10.0
    explorer.epochs_slider.value = 250
    trained, _ = train(explorer.X, explorer.Y, explorer.params, 10.0, 250)
    assert explorer.test_loss == pytest.approx(loss(explorer.X_test, explorer.Y_test, trained), rel=1e-12)
    assert explorer.test_accuracy == accuracy(explorer.X_test, explorer.Y_test, trained)
    assert (f"test set (1000): C = {explorer.test_loss:.4f}, accuracy = {100 * explorer.test_accuracy:.1f} %"
            in explorer.readout.value)
    assert f"accuracy = {100 * explorer.accuracy:.1f} %" in explorer.readout.value
    x, y = explorer.test_acc_line.get_data()
    np.testing.assert_array_equal(x, np.arange(0, 251, 10))
    assert y[-1] == explorer.test_accuracy


def test_overfitting_training_accuracy_up_test_accuracy_down(explorer):
    """The notebook's claim, in numbers: at η = 31.62 the training set is learnt perfectly while the
    test accuracy falls below where it was after 10 epochs, and far below what the plane behind the
    labels gets."""
    explorer.eta_slider.value = 31.62
    explorer.epochs_slider.value = 10
    early = explorer.test_accuracy
    explorer.epochs_slider.value = 1000
    assert explorer.accuracy == 1.0
    assert explorer.test_accuracy < early - 0.05
    Xt, Yt = explorer.X_test, explorer.Y_test
    plane = np.mean((Xt[:, 0] + Xt[:, 1] - Xt[:, 2] > 0) == (Yt[:, 1] == 1))
    assert explorer.test_accuracy < plane - 0.1


def test_verdicts_small_eta_crawls_huge_eta_jumps_up_then_sticks(explorer):
    explorer.epochs_slider.value = 1000
    explorer.eta_slider.value = 0.01
    assert explorer.verdict == "crawling"
    crawl = explorer.loss
    explorer.eta_slider.value = 10.0
    assert explorer.verdict == "converging" and explorer.loss < 0.2 * crawl
    explorer.eta_slider.value = 1000.0
    explorer.epochs_slider.value = 10   # C went up on the first step and has not moved since: stuck, not diverging
    assert explorer.verdict == "stuck" and explorer.loss > explorer.losses[0]
    assert np.all(explorer.losses[2:] == explorer.losses[1])
    explorer.epochs_slider.value = 1000
    assert explorer.verdict == "stuck" and "stuck" in explorer.readout.value
    assert "η = 1000 " in explorer.readout.value  # not "1e+03"
    assert explorer.eta_slider.readout_format == ".4g"


def test_an_eta_off_the_grid_is_trained_and_kept(explorer):
    eta = 7.0  # not a quarter decade
    explorer.eta_slider.value = eta
    explorer.epochs_slider.value = 50
    _, losses = train(explorer.X, explorer.Y, explorer.params, eta, 50)
    np.testing.assert_array_equal(explorer.losses[1:], losses)
    assert explorer.run(eta) is explorer.run(eta)  # kept, not retrained
    explorer.eta_slider.value = 7.000001  # shown as 7: trained as 7
    assert explorer.eta == 7.0 and explorer.run(7.000001) is explorer.run(7.0)


def test_off_grid_runs_kept_are_bounded():
    ex = eta_explorer(eta=1.0, epochs=10, max_epochs=20)
    for i in range(KEEP_OFF_GRID + 10):
        ex.eta_slider.value = 1.0 + 0.01 * (i + 1)
    assert len(ex._runs) <= len(ETA_GRID) + KEEP_OFF_GRID
    assert all(eta in ex._runs for eta in ETA_GRID)


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
    assert ex.test_loss is None and "test set" not in ex.readout.value  # none given
    for name in params:
        np.testing.assert_array_equal(params[name], before[name])


@pytest.mark.parametrize("kwargs, message", [
    ({"eta": 0}, r"eta \(the η slider runs from 0.01 to 1000\) must be a finite number >= 0.01 and <= 1000; "
                 r"got eta = 0"),
    ({"eta": 5000}, r"got eta = 5000"),
    ({"eta": "10"}, r"got eta = '10'"),
    ({"epochs": -1}, r"epochs \(at most max_epochs = 1000\) must be a whole number >= 0 and <= 1000; got epochs = -1"),
    ({"epochs": 2000}, r"got epochs = 2000"),
    ({"epochs": 0, "max_epochs": 0}, r"max_epochs \(every run of 21 learning rates is kept\) must be a whole number >= 1 and <= 10000; got max_epochs = 0"),
    ({"X": np.ones((4, 3))}, r"give both X and Y"),
    ({"X_test": np.ones((4, 3)), "X": np.ones((4, 3)), "Y": np.eye(2)[[0, 1, 0, 1]]}, r"give both X_test and Y_test"),
    ({"params": {"W": np.ones((3, 4))}}, r"params must be a dict with keys"),
])
def test_bad_arguments_are_refused_by_name(kwargs, message):
    with pytest.raises(ValueError, match=message):
        eta_explorer(**kwargs)


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
    for name in ("z1", "h", "z2", "y_hat", "dC_dz2", "dC_dh", "dC_dz1"):
        np.testing.assert_allclose(stepper.state[name], b[name])
    np.testing.assert_allclose(stepper.state["dC_dV"], np.outer(b["h"], b["dC_dz2"]))  # 4×2 outer product
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


@pytest.mark.parametrize("kwargs, message", [
    ({"ax": None}, "ax must be a matplotlib Axes"),
    ({"params": {"W": 1}}, r"params must be a dict with keys \['W', 'b1', 'V', 'b2'\]"),
    ({"label_edges": "yes"}, "label_edges must be True or False; got label_edges = 'yes'"),
])
def test_draw_network_names_a_bad_argument(kwargs, message):
    args = {"ax": Figure().subplots(), "params": init_params(0), **kwargs}
    with pytest.raises(ValueError, match=message):
        draw_network(**args)


@pytest.mark.parametrize("kwargs, message", [
    ({"x": [[1 + 1j, 0.0, 0.0]]}, "X must hold real numbers; got complex entries"),
    ({"x": "abc"}, "X must hold numbers; got 'abc'"),
    ({"y": [[2.0, 0.0]]}, r"Y holds targets for ŷ = σ\(z\), which lies between 0 and 1"),
    ({"x": [[True, False, True]]}, r"X must hold numbers; got True/False values"),
])
def test_network_stepper_refuses_bad_input_in_the_notebooks_words(kwargs, message):
    from helpers.network_ui import network_stepper

    with pytest.raises(ValueError, match=message):
        network_stepper(**kwargs)


def test_the_stepper_and_the_diagram_write_layers_as_superscripts():
    """Notebook 01's notation: z^{(1)}, b^{(2)}; a subscript is an entry (z^{(2)}_j), never a layer."""
    from helpers.network_ui import network_stepper

    stepper = network_stepper()
    shown = []
    for step in range(1, len(stepper.steps) + 1):
        stepper.step.value = step
        shown.append(stepper.equation.value)
    text = " ".join(shown)
    assert not re.search(r"\b[zb]_\{?[12]\b", text), re.search(r"\b[zb]_\{?[12]\b", text)
    for promise in [r"z^{(1)} &= x W + b^{(1)}", r"\frac{\partial C}{\partial z^{(2)}}",
                    r"\frac{\partial C}{\partial b^{(1)}}", r"\partial C/\partial z^{(2)}_j"]:
        assert promise in text, promise
    fig = Figure()
    ax = fig.subplots()
    draw_network(ax)
    texts = {t.get_text() for t in ax.texts}
    assert "W (3×4)\n$z^{(1)} = xW + b^{(1)}$\n$h = \\sigma(z^{(1)})$" in texts
    assert not any("z₁" in t or "b₂" in t for t in texts)
