"""Notebook 07's widgets without a browser: set a slider, assert what was recomputed and drawn."""
import base64

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers.gradcheck import numerical_gradient
from helpers.latex import number_text
from helpers.softmax import (cross_entropy, polynomial_features, softmax, softmax_jacobian, standardize,
                             three_blobs_split, train_softmax_classifier)
from helpers.softmax_ui import (SoftmaxExplorer, TrainTestExplorer, grid_points, overfitting_verdict,
                                plot_decision_regions, region_colours, softmax_explorer, train_test_explorer)
from support import assert_gradients_agree

matplotlib.use("Agg")


# ---------------------------------------------------------------- the softmax explorer


@pytest.fixture(scope="module")
def logits():
    return softmax_explorer()


def test_softmax_explorer_defaults():
    ex = softmax_explorer()
    assert isinstance(ex, SoftmaxExplorer)
    np.testing.assert_array_equal(ex.z, [[2.0], [1.0], [-1.0]])
    assert ex.label == 0 and ex.class_slider.value == 1
    assert [s.description for s in ex.z_sliders] == ["z₁", "z₂", "z₃"]
    assert "bp-readout" in ex.readout._dom_classes


@pytest.mark.parametrize("z, true_class", [((0.5, -2.0, 3.0), 2), ((-6.0, 6.0, 0.0), 1), ((1.0, 1.0, 1.0), 3)])
def test_moving_the_logits_recomputes_p_J_and_the_gradient(logits, z, true_class):
    for slider, value in zip(logits.z_sliders, z):
        slider.value = value
    logits.class_slider.value = true_class
    z = np.array(z).reshape(-1, 1)
    label = true_class - 1
    y = np.eye(3)[:, [label]]
    np.testing.assert_array_equal(logits.z, z)
    np.testing.assert_allclose(logits.p, softmax(z))
    np.testing.assert_allclose(logits.J, softmax_jacobian(z))
    assert logits.loss == pytest.approx(cross_entropy(z, [label]))
    numeric = numerical_gradient(lambda z_: cross_entropy(z_, [label]), z.copy())
    assert_gradients_agree(logits.dL_dz, numeric)
    np.testing.assert_allclose(logits.dL_dz, logits.p - y)
    # 02's rule keeps only the diagonal: right at the true class, 0 (wrong) at the others
    expected_wrong = np.where(y == 1, logits.p - 1, 0.0)
    np.testing.assert_allclose(logits.dL_dz_hadamard, expected_wrong, atol=1e-15)
    assert [b.get_height() for b in logits.p_bars] == pytest.approx(logits.p.ravel())
    assert [b.get_height() for b in logits.grad_bars] == pytest.approx(logits.dL_dz.ravel())
    assert [b.get_height() for b in logits.hadamard_bars] == pytest.approx(logits.dL_dz_hadamard.ravel())
    text = logits.readout.value
    assert f"true class {true_class}" in text and f"L = {logits.loss:.3f}" in text
    assert f"{logits.p[0, 0]:.3f}" in text
    for value in logits.J.ravel():
        assert number_text(value, 3) in logits.jacobian.value  # a tiny entry in significant figures, never 0.000


def test_softmax_explorer_redraws_in_place(logits):
    image = logits.figure.image
    logits.z_sliders[0].value = 0.0
    first = image.value
    logits.z_sliders[0].value = 4.0
    assert logits.figure.image is image and image.value != first
    assert image.value[:8] == b"\x89PNG\r\n\x1a\n"
    bundle = logits._repr_mimebundle_()
    assert bundle["text/plain"].startswith("SoftmaxExplorer: ")
    assert base64.b64decode(bundle["image/png"]) == image.value


def test_softmax_explorer_refuses_a_bad_label():
    with pytest.raises(ValueError, match=r"^label is the true class, 0-based: a whole number 0\.\.2; got label = 3$"):
        softmax_explorer(label=3)


# ---------------------------------------------------------------- the train/test explorer


@pytest.fixture(scope="module")
def playground():
    return train_test_explorer()


def test_train_test_explorer_defaults(playground):
    assert isinstance(playground, TrainTestExplorer)
    assert (playground.epochs, playground.eta, playground.degree) == (300, 1.0, 1)
    X_train, y_train, X_test, y_test = three_blobs_split()
    np.testing.assert_array_equal(playground.X_train, X_train)
    np.testing.assert_array_equal(playground.y_test, y_test)
    assert [s.description for s in (playground.epochs_slider, playground.eta_slider, playground.degree_slider)] == [
        "epochs", "η", "degree"]


@pytest.mark.parametrize("epochs, eta, degree", [(300, 1.0, 1), (40, 10**-0.5, 2), (1000, 10.0, 5), (0, 0.1, 3)])
def test_moving_the_sliders_shows_what_training_gives(playground, epochs, eta, degree):
    playground.degree_slider.value = degree
    playground.eta_slider.value = eta
    playground.epochs_slider.value = epochs
    assert (playground.epochs, playground.degree) == (epochs, degree)
    assert playground.eta == pytest.approx(eta)
    F_train, F_test = standardize(polynomial_features(playground.X_train, degree),
                                  polynomial_features(playground.X_test, degree))
    run = train_softmax_classifier(F_train, playground.y_train, F_test, playground.y_test, [eta], epochs,
                                   every=max(epochs, 1))
    np.testing.assert_allclose(playground.W, run["W"][0, -1], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(playground.b, run["b"][0, -1], rtol=1e-9, atol=1e-12)
    assert playground.W.shape == (3, degree * (degree + 3) // 2)
    assert playground.train_loss == pytest.approx(run["train_loss"][0, -1], rel=1e-9)
    assert playground.test_loss == pytest.approx(run["test_loss"][0, -1], rel=1e-9)
    assert playground.test_accuracy == run["test_accuracy"][0, -1]
    assert playground.train_losses.shape == (epochs // 10 + 1,)
    x, y = playground.test_line.get_data()
    np.testing.assert_array_equal(x, np.arange(0, epochs + 1, 10))
    np.testing.assert_allclose(y, np.clip(playground.test_losses, 0.0, 1.5))
    # the picture: the regions are the classifier's probabilities on the grid
    F_grid = standardize(polynomial_features(playground.X_train, degree),
                         polynomial_features(playground.grid, degree))[1]
    P = softmax(playground.W @ F_grid + playground.b)
    np.testing.assert_allclose(np.asarray(playground.regions.get_array()).reshape(-1, 3), region_colours(P),
                               rtol=1e-9)
    text = playground.readout.value
    assert f"degree {degree}" in text and f"epoch {epochs}" in text and f"η = {eta:.3g}" in text
    assert f"test: L = {playground.test_loss:.3f}, accuracy {100 * playground.test_accuracy:.1f} %" in text
    assert playground.verdict in text


def test_degree_five_overfits_and_the_plain_layer_does_not(playground):
    playground.eta_slider.value = 1.0
    playground.epochs_slider.value = 1000
    playground.degree_slider.value = 1
    assert not playground.verdict.startswith("overfitting")
    plain_test = playground.test_loss
    playground.degree_slider.value = 5
    assert playground.verdict.startswith("overfitting")
    assert playground.train_loss < 0.8 * 0.413 and playground.test_loss > 2 * plain_test
    assert "overfitting" in playground.readout.value


def test_each_degree_is_trained_once(playground):
    playground.degree_slider.value = 2
    run = playground.run
    playground.epochs_slider.value = 500
    playground.degree_slider.value = 3
    playground.degree_slider.value = 2
    assert playground.run is run


def test_train_test_explorer_redraws_in_place(playground):
    image = playground.figure.image
    playground.epochs_slider.value = 100
    first = image.value
    playground.epochs_slider.value = 110
    assert playground.figure.image is image and image.value != first
    bundle = playground._repr_mimebundle_()
    assert bundle["text/plain"].startswith("TrainTestExplorer: ")


def test_overfitting_verdict():
    assert overfitting_verdict([1.1], [1.1], [0]) == "test loss flat"
    assert overfitting_verdict([1.1, 0.5, 0.4], [1.1, 0.5, 0.4], [0, 10, 20]) == "test loss still falling"
    assert overfitting_verdict([1.1, 0.5, 0.45], [1.1, 0.5, 0.51], [0, 10, 20]) == "test loss flat"
    assert overfitting_verdict([1.1, 0.4, 0.3], [1.1, 0.4, 0.6], [0, 10, 20]) == (
        "overfitting: test loss 0.20 above its lowest (0.40 at epoch 10)")


def test_plot_decision_regions_colours_by_the_classifier():
    fig = Figure()
    ax = fig.subplots()
    W = np.array([[0.0, 3.0], [-3.0, -1.0], [3.0, -1.0]])
    X_train, y_train, X_test, y_test = three_blobs_split()
    plot_decision_regions(ax, W, np.zeros((3, 1)), X_train, y_train, X_test, y_test, size=21)
    image = ax.images[0].get_array()
    assert image.shape == (21, 21, 3)
    top_middle, bottom_left = image[0, 10], image[-1, 0]
    np.testing.assert_allclose(top_middle, region_colours(softmax(W @ np.array([[0.0], [2.6]]))).ravel())
    np.testing.assert_allclose(bottom_left, region_colours(softmax(W @ np.array([[-2.6], [-2.6]]))).ravel())
    assert len(ax.lines) == 6  # one marker line per class, training and test
    np.testing.assert_allclose(grid_points(1.0, 3)[:, 0], [-1.0, 1.0])  # first pixel: top left


def test_what_the_notebook_says_to_try_in_the_softmax_explorer():
    ex = softmax_explorer()
    for slider in ex.z_sliders:
        slider.value = 1.5
    np.testing.assert_allclose(ex.p, 1 / 3)
    np.testing.assert_allclose(np.diag(ex.J), 2 / 9)  # 0.222
    np.testing.assert_allclose(ex.J[~np.eye(3, dtype=bool)], -1 / 9)  # −0.111
    ex.z_sliders[1].value = 6.0
    ex.z_sliders[0].value = ex.z_sliders[2].value = -6.0
    assert np.abs(ex.J).max() < 1e-4  # saturated: J → 0
    ex.class_slider.value = 2  # the confident class is the true one: nothing to learn
    assert np.abs(ex.dL_dz).max() < 1e-4
    ex.class_slider.value = 1  # confidently wrong: ∂L/∂z stays near ±1
    np.testing.assert_allclose(ex.dL_dz.ravel(), [-1, 1, 0], atol=1e-4)


def test_what_the_notebook_says_to_try_in_the_train_test_explorer():
    ex = train_test_explorer()
    ex.epochs_slider.value = 1000
    ex.degree_slider.value = 1
    ex.eta_slider.value = 10.0  # overshoots: the training loss is lowest at epoch 10, then rises
    train = ex.train_losses
    assert int(np.argmin(train)) == 1 and f"{train[1]:.3f}" == "0.413" and f"{train[-1]:.3f}" == "0.436"
    assert ex.verdict.endswith("the training loss rose too: η too large, not overfitting")  # the readout blames η
    for eta in (0.1, 10**-0.5, 1.0, 10**0.5):  # the curves stay close
        ex.eta_slider.value = eta
        assert abs(ex.test_loss - ex.train_loss) < 0.05 and not ex.verdict.startswith("overfitting")
    ex.degree_slider.value = 5
    ex.eta_slider.value = 1.0
    assert ex.run["epochs"][np.argmin(ex.test_losses)] == 30 and ex.verdict.startswith("overfitting")
    ex.eta_slider.value = 0.1
    assert ex.run["epochs"][np.argmin(ex.test_losses)] == 250


# ---------------------------------------------------------------- found by a hostile review: bad arguments


@pytest.mark.parametrize("z, message", [
    ((100.0, 0.0, 0.0), r"^the z sliders run from −6 to 6; got z₁ = 100\.0$"),
    ((1.0, 2.0, -6.5), r"^the z sliders run from −6 to 6; got z₃ = -6\.5$"),
    ((1j, 0, 0), r"^z must hold real numbers"),
    ("abc", r"^z must hold numbers"),
    (None, r"^z must hold numbers; got None"),
    ([[1, 2], [3, 4]], r"^z must be m logits \(a list, or a column \(m, 1\)\) with m ≥ 2; got z of shape \(2, 2\)$"),
    ((1.0,), r"^z must be m logits .* with m ≥ 2; got z of shape \(1,\)$"),
    (5, r"^z must be m logits"),
    ((np.nan, 0, 0), r"^the z sliders run from −6 to 6; got z₁ = nan$"),
])
def test_softmax_explorer_refuses_logits_it_cannot_show(z, message):
    with pytest.raises(ValueError, match=message):
        softmax_explorer(z)


def test_softmax_explorer_takes_a_column_too():
    ex = softmax_explorer(np.array([[0.5], [1.0]]), 1)
    np.testing.assert_array_equal(ex.z, [[0.5], [1.0]])
    assert ex.label == 1


@pytest.mark.parametrize("label", [[0], True, 1.5, None, "0", 3, -1])
def test_softmax_explorer_refuses_a_label_that_is_not_a_class(label):
    with pytest.raises(ValueError, match=r"^label is the true class, 0-based: a whole number 0\.\.2; got label = "):
        softmax_explorer((2.0, 1.0, -1.0), label)


@pytest.fixture(scope="module")
def blobs():
    return three_blobs_split()


@pytest.mark.parametrize("kwargs, message", [
    ({"epochs": 305}, r"^epochs must be a multiple of 10 from 0 to 1000 \(the slider's steps\); got epochs = 305$"),
    ({"epochs": -10}, r"^epochs must be a multiple of 10 from 0 to 1000"),
    ({"epochs": 2000}, r"^epochs must be a multiple of 10 from 0 to 1000"),
    ({"epochs": 1.5}, r"^epochs must be a multiple of 10 from 0 to 1000"),
    ({"eta": 0.5}, r"^η must be one of the slider's values 0\.1, 0\.316, 1, 3\.16, 10; got eta = 0\.5$"),
    ({"eta": np.nan}, r"^η must be one of the slider's values"),
    ({"eta": "1"}, r"^η must be one of the slider's values"),
    ({"degree": 0}, r"^degree must be a whole number from 1 to 5; got degree = 0$"),
    ({"degree": 6}, r"^degree must be a whole number from 1 to 5; got degree = 6$"),
    ({"degree": 2.5}, r"^degree must be a whole number from 1 to 5"),
    ({"degree": True}, r"^degree must be a whole number from 1 to 5"),
])
def test_train_test_explorer_refuses_slider_values_it_would_clamp_or_snap(blobs, kwargs, message):
    with pytest.raises(ValueError, match=message):
        train_test_explorer(*blobs, **kwargs)


def test_train_test_explorer_refuses_labels_it_cannot_colour(blobs):
    X_train, y_train, X_test, y_test = blobs
    with pytest.raises(ValueError, match=r"^the explorer colours three classes, so the labels y_train must be in 0\.\.2; "
                                         r"got y_train\[\d+\] = 3$"):
        train_test_explorer(X_train, np.where(y_train == 2, 3, y_train), X_test, y_test)
    with pytest.raises(ValueError, match=r"^y_train must be 60 class labels, shape \(60,\); got y_train of shape \(3, 60\)$"):
        train_test_explorer(X_train, np.eye(3)[:, y_train], X_test, y_test)
    with pytest.raises(ValueError, match=r"^X_train must hold points of the plane, 2 rows"):
        train_test_explorer(X_train[:, :, None], y_train, X_test, y_test)


def test_train_test_explorer_with_two_of_the_three_classes(blobs):
    X_train, y_train, X_test, y_test = blobs
    ex = train_test_explorer(X_train[:, y_train < 2], y_train[y_train < 2], X_test[:, y_test < 2], y_test[y_test < 2])
    assert ex.W.shape == (3, 2) and ex.test_accuracy > 0.8


@pytest.mark.parametrize("kwargs, message", [
    ({"max_epochs": 0, "epochs": 0}, r"^max_epochs must be a whole number ≥ 10 \(one step of the epochs slider\); got max_epochs = 0$"),
    ({"every": 0}, r"^every must be a whole number ≥ 1; got every = 0$"),
    ({"limit": -1.0}, r"^limit must be a finite number > 0"),
    ({"size": 0}, r"^size must be a whole number ≥ 2; got size = 0$"),
])
def test_train_test_explorer_class_refuses_bad_settings(blobs, kwargs, message):
    with pytest.raises(ValueError, match=message):
        TrainTestExplorer(*blobs, **kwargs)


def test_overfitting_verdict_does_not_blame_overfitting_when_the_training_loss_rises_too():
    """Degree 1 at η = 10: both losses rise after epoch 10 because the steps overshoot."""
    assert overfitting_verdict([1.1, 0.41, 0.44], [1.1, 0.40, 0.44], [0, 10, 20]) == (
        "test loss 0.04 above its lowest (0.40 at epoch 10), but the training loss rose too: "
        "η too large, not overfitting")


@pytest.mark.parametrize("args", [([], [], []), ([1.0, np.nan], [1.0, 0.5], [0, 10]), ([1.0], [1.0, 0.5], [0, 10])])
def test_overfitting_verdict_refuses_curves_it_cannot_read(args):
    with pytest.raises(ValueError, match=r"^train_losses, test_losses and epochs must be"):
        overfitting_verdict(*args)


def test_plot_decision_regions_checks_the_layer_in_words(blobs):
    X_train, y_train, X_test, y_test = blobs
    ax = Figure().subplots()
    with pytest.raises(ValueError, match=r"^W must be 3×F \(one row per class\); got W of shape \(2, 3\)$"):
        plot_decision_regions(ax, np.zeros((2, 3)), np.zeros((3, 1)), X_train, y_train)
    with pytest.raises(ValueError, match=r"^W is 3×2, so b needs shape \(3, 1\) \(or 3 entries\); got b of shape \(1, 3\)$"):
        plot_decision_regions(ax, np.zeros((3, 2)), np.zeros((1, 3)), X_train, y_train)
    with pytest.raises(ValueError, match=r"^W is 3×5, so features\(points\) must have 5 rows; got shape \(2, 441\)$"):
        plot_decision_regions(ax, np.zeros((3, 5)), np.zeros((3, 1)), X_train, y_train, size=21)
    plot_decision_regions(ax, np.zeros((3, 2)), np.zeros(3), X_train, y_train, size=5)  # a flat b is its column
    with pytest.raises(ValueError, match=r"^y_train must be 60 class labels"):
        plot_decision_regions(ax, np.zeros((3, 2)), np.zeros((3, 1)), X_train, y_train[:59], size=5)
