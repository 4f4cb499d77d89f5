"""helpers.digits (the data, the split, training, ∂L/∂x, FGSM) and helpers.digits_ui (the two explorers)."""
import json
import re
import socket
from pathlib import Path

import numpy as np
import pytest

from helpers import digits
from helpers.digits import (CNN_RECIPE, MLP_RECIPE, confusion_matrix, default_data, evaluate, fgsm,
                            input_gradient_of_loss, load_digits_data, make_cnn, make_mlp, sgd_step, split_digits,
                            train, trained_cnn)
from helpers.gradcheck import numerical_gradient
from helpers.layers import Dense, Flatten, Sequential
from support import assert_gradients_agree

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "09_digits_capstone.ipynb"


@pytest.fixture
def no_sockets(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the digits must not need the network")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_the_digits_are_scikit_learns_bundled_ones_read_without_the_network(no_sockets):
    images, labels = load_digits_data()
    from sklearn.datasets import load_digits

    bunch = load_digits()
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    assert np.array_equal(images, bunch.images) and np.array_equal(labels, bunch.target)
    assert set(np.unique(images)) <= set(range(17)) and set(labels) == set(range(10))


def test_the_file_is_read_from_the_installed_package():
    path = digits._digits_file()
    assert path is not None and path.name == "digits.csv.gz" and "sklearn" in path.parts


def test_split_is_seeded_disjoint_complete_and_scaled():
    a, b, c = split_digits(), split_digits(), split_digits(seed=1)
    assert a["X_train"].shape == (1348, 1, 8, 8) and a["X_test"].shape == (449, 1, 8, 8)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["y_test"], c["y_test"])
    assert a["X_train"].min() == 0.0 and a["X_train"].max() == 1.0
    images, labels = load_digits_data()
    together = np.concatenate([a["X_train"], a["X_test"]])[:, 0] * 16
    order = np.lexsort(together.reshape(len(together), -1).T)
    reference = np.lexsort(images.reshape(len(images), -1).T)
    assert np.array_equal(together[order], images[reference])    # every example once, train or test
    with pytest.raises(ValueError, match="test_fraction must be a number between 0 and 1"):
        split_digits(test_fraction=1.5)


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    C = confusion_matrix(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 1]), m=3)
    assert np.array_equal(C, [[1, 1, 0], [0, 1, 0], [0, 1, 0]])
    with pytest.raises(ValueError, match="the same length"):
        confusion_matrix(np.array([0, 1]), np.array([0]))


def tiny_data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(40, 1, 8, 8))
    y = (X[:, 0, :4].sum(axis=(1, 2)) > X[:, 0, 4:].sum(axis=(1, 2))).astype(int)   # top half darker: class 1
    return {"X_train": X[:30], "y_train": y[:30], "X_test": X[30:], "y_test": y[30:]}


def test_sgd_step_is_one_step_down_the_batch_gradient():
    data = tiny_data()
    model = Sequential(Flatten(), Dense(64, 10, rng=0))
    W = model.params["1.W"].copy()
    X, y = data["X_train"][:5], data["y_train"][:5]
    from helpers.softmax import cross_entropy, cross_entropy_backward

    model.backward(cross_entropy_backward(model.forward(X), y))
    expected = W - 0.5 * model.grads["1.W"]
    loss = sgd_step(model, X, y, 0.5)
    assert loss == pytest.approx(cross_entropy(Sequential(Flatten(), Dense(64, 10, rng=0)).forward(X), y))
    assert np.allclose(model.params["1.W"], expected)


def test_train_records_every_epoch_learns_and_is_reproducible():
    data = tiny_data()
    runs = []
    for _ in range(2):
        model = Sequential(Flatten(), Dense(64, 10, rng=0))
        runs.append(train(model, data, epochs=5, batch_size=8, eta=0.5, decay=0.9, seed=3, keep=("1.W",)))
    h = runs[0]
    assert all(len(h[k]) == 6 for k in ("train_loss", "train_accuracy", "test_loss", "test_accuracy"))
    assert len(h["snapshots"]["1.W"]) == 6 and not np.array_equal(h["snapshots"]["1.W"][0], h["snapshots"]["1.W"][-1])
    assert h["train_loss"][-1] < h["train_loss"][0]
    assert runs[0]["train_loss"] == runs[1]["train_loss"]


@pytest.mark.parametrize("kwargs, message", [
    ({"epochs": -1}, "epochs must be a whole number ≥ 0"),
    ({"batch_size": 0}, "batch_size must be a whole number ≥ 1"),
    ({"eta": 0.0}, "the learning rate η must be a finite number > 0"),
    ({"eta": "0.1"}, "the learning rate η must be a finite number > 0"),
    ({"decay": None}, r"decay must be a number in \(0, 1\]"),
    ({"decay": 1.5}, r"decay must be a number in \(0, 1\]"),
    ({"keep": ("9.W",)}, "keep names parameters of the model"),
])
def test_train_refuses_bad_settings(kwargs, message):
    settings = {"epochs": 1, "batch_size": 4, "eta": 0.1, **kwargs}
    with pytest.raises(ValueError, match=message):
        train(Sequential(Flatten(), Dense(64, 10)), tiny_data(), **settings)


def test_decay_shrinks_the_step_each_epoch():
    """With one batch of every example per epoch the shuffle does not matter: epochs at η, η·decay by hand."""
    data = tiny_data()
    decayed, by_hand, constant = (Sequential(Flatten(), Dense(64, 10, rng=0)) for _ in range(3))
    train(decayed, data, epochs=2, batch_size=30, eta=0.5, decay=0.5)
    train(by_hand, data, epochs=1, batch_size=30, eta=0.5)
    train(by_hand, data, epochs=1, batch_size=30, eta=0.25)
    train(constant, data, epochs=2, batch_size=30, eta=0.5)
    assert np.allclose(decayed.params["1.W"], by_hand.params["1.W"], rtol=1e-12, atol=1e-14)
    assert not np.allclose(decayed.params["1.W"], constant.params["1.W"], rtol=1e-6)


@pytest.fixture(scope="module")
def cnn():
    return trained_cnn()


def test_the_notebooks_models_reach_their_goals_and_the_notebook_prints_those_figures(cnn):
    data = default_data()
    mlp = make_mlp(data, seed=MLP_RECIPE["seed"])
    train(mlp, data, **MLP_RECIPE)
    mlp_accuracy, cnn_accuracy = evaluate(mlp, data["X_test"], data["y_test"])[1], evaluate(cnn, data["X_test"], data["y_test"])[1]
    assert mlp_accuracy >= 0.95 and cnn_accuracy >= 0.97
    printed = "".join("".join(o.get("text", "")) for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
                      if c["cell_type"] == "code" for o in c.get("outputs", []))
    assert f"MLP test accuracy: {100 * mlp_accuracy:.1f} %" in printed
    assert f"CNN test accuracy: {100 * cnn_accuracy:.1f} %" in printed
    # the notebook trains with the same recipes as the helpers (the widgets' default model)
    source = NOTEBOOK.read_text(encoding="utf-8")
    for name, recipe in [("mlp", MLP_RECIPE), ("cnn", CNN_RECIPE)]:
        call = re.search(rf"train\({name}, data, ([^)]*)\)", source).group(1)
        call = re.sub(r", keep=\[[^]]*\]", "", call)
        assert call == ", ".join(f"{k}={v}" for k, v in recipe.items()), call


def test_the_test_accuracy_cannot_flip_on_another_cpu(cnn):
    """Every test prediction wins by a margin far above the ~1e-15 that other SIMD code paths change."""
    Z = cnn.forward(default_data()["X_test"])
    top2 = np.sort(Z, axis=0)[-2:]
    assert np.min(top2[1] - top2[0]) > 1e-6


def test_input_gradient_of_loss_matches_finite_differences():
    data = default_data()
    model = make_cnn(data, seed=3, filters=2)
    x = data["X_test"][[4]] + 0.01 * np.random.default_rng(0).normal(size=(1, 1, 8, 8))   # no pooling ties
    from helpers.softmax import cross_entropy

    loss, dL_dx, p = input_gradient_of_loss(model, x, 7)
    assert loss == pytest.approx(-np.log(p[7])) and p.shape == (10,) and p.sum() == pytest.approx(1)
    assert_gradients_agree(dL_dx, numerical_gradient(lambda x_: cross_entropy(model.forward(x_), np.array([7])), x.copy()))
    with pytest.raises(ValueError, match=r"x must be one 8×8 image, shape \(1, 1, 8, 8\)"):
        input_gradient_of_loss(model, data["X_test"][:2], 7)


def test_fgsm_moves_each_pixel_by_at_most_epsilon_in_the_sign_of_the_gradient(cnn):
    data = default_data()
    x, label = data["X_test"][[0]], int(data["y_test"][0])
    _, g, _ = input_gradient_of_loss(cnn, x, label)
    x_adv = fgsm(cnn, x, label, 0.2)
    assert np.array_equal(x_adv, np.clip(x + 0.2 * np.sign(g), 0, 1))
    assert x_adv.min() >= 0 and x_adv.max() <= 1 and np.abs(x_adv - x).max() <= 0.2 + 1e-12
    assert input_gradient_of_loss(cnn, x_adv, label)[0] > input_gradient_of_loss(cnn, x, label)[0]
    assert np.array_equal(fgsm(cnn, x, label, 0.0), x)
    target = 4
    x_t = fgsm(cnn, x, label, 0.1, target=target)
    assert input_gradient_of_loss(cnn, x_t, target)[0] < input_gradient_of_loss(cnn, x, target)[0]
    for bad in (-0.1, float("nan"), "0.1", None):
        with pytest.raises(ValueError, match="epsilon must be a finite number ≥ 0"):
            fgsm(cnn, x, label, bad)


# ---------------------------------------------------------------- the widgets, without a browser

def test_digit_explorer_recomputes_for_the_chosen_digit(cnn):
    from helpers.digits_ui import digit_explorer

    data = default_data()
    w = digit_explorer(cnn, data, index=0)
    first_png = w.figure.image.value
    w.slider.value = 5
    x = data["X_test"][[5]]
    loss, g, p = input_gradient_of_loss(cnn, x, int(data["y_test"][5]))
    assert w.index == 5 and w.label == data["y_test"][5]
    assert np.array_equal(w.dL_dx, g) and np.array_equal(w.p, p) and w.loss == loss
    assert w.predicted == int(np.argmax(p))
    assert f"test digit #5: label {w.label}, predicted {w.predicted}" in w.readout.value
    assert np.array_equal(w.image.get_array(), x[0, 0]) and np.array_equal(w.heat.get_array(), g[0, 0])
    assert [b.get_height() for b in w.bars] == list(p)
    assert w.figure.image.value != first_png
    with pytest.raises(ValueError, match="index must pick one of the 449 test digits"):
        digit_explorer(cnn, data, index=449)


def test_adversarial_explorer_flips_the_prediction_as_epsilon_grows(cnn):
    from helpers.digits_ui import adversarial_explorer

    data = default_data()
    w = adversarial_explorer(cnn, data, index=0)
    assert np.array_equal(w.x_adv, w.x) and "not flipped" in w.readout.value
    assert w.target.label.startswith("none: raise the true label") and w.goal is None   # shown, not blank
    w.epsilon.value = 0.3
    assert np.array_equal(w.x_adv, fgsm(cnn, w.x, w.label, 0.3))
    assert w.predicted_adv != w.label and ", flipped" in w.readout.value
    assert np.array_equal(w.image_adv.get_array(), w.x_adv[0, 0])
    assert [b.get_height() for b in w.bars] == list(w.p_adv)
    w.target.value = 3
    assert np.array_equal(w.x_adv, fgsm(cnn, w.x, w.label, 0.3, target=3)) and w.predicted_adv == 3
    assert "target 3" in w.readout.value
    with pytest.raises(ValueError, match="target must be None or a class 0..9"):
        adversarial_explorer(cnn, data, target=10)


def test_training_explorer_shows_the_kept_filters_of_the_chosen_epoch():
    from helpers.digits import trained_cnn_history
    from helpers.digits_ui import mosaic, training_explorer

    history = trained_cnn_history()
    w = training_explorer(history, epoch=0)
    assert "the random start" in w.title_k.get_text()
    w.slider.value = 5
    assert w.epoch == 5 and w.K is history["snapshots"]["1.K"][5]
    assert np.array_equal(w.filters.get_array().filled(np.nan), mosaic(w.K[:, 0], 8), equal_nan=True)
    assert f"test loss {history['test_loss'][5]:.3f}, accuracy {100 * history['test_accuracy'][5]:.1f} %" in w.readout.value
    assert np.array_equal(history["snapshots"]["1.K"][-1], trained_cnn().params["1.K"])
    assert training_explorer().slider.value == len(history["train_loss"]) - 1
    with pytest.raises(ValueError, match="keeps no snapshots of '1.K'"):
        training_explorer({"snapshots": {}})


def test_widget_factories_run_with_no_arguments():
    from helpers.digits_ui import adversarial_explorer, digit_explorer

    assert digit_explorer().model is trained_cnn()
    assert adversarial_explorer().data is default_data()


def test_the_bug_hunts_pooling_layer_still_learns_as_the_notebook_says():
    """Exercise 2 says: trained with the recipe, the CNN with the wrong pooling backward reads 97.6 % (correct: 98.0 %)."""
    from helpers.conv_layer import avgpool_backward
    from helpers.layers import MaxPool2D

    class MyMaxPool2D(MaxPool2D):
        def backward(self, dOut):
            return avgpool_backward(dOut, self._saved, self.size)

    data = default_data()
    model = make_cnn(data, seed=CNN_RECIPE["seed"])
    model.layers[3] = MyMaxPool2D(2)
    train(model, data, **CNN_RECIPE)
    buggy = evaluate(model, data["X_test"], data["y_test"])[1]
    right = evaluate(trained_cnn(), data["X_test"], data["y_test"])[1]
    text = "".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                   for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"])
    assert f"reads {100 * buggy:.1f} % of the test digits (the correct one: {100 * right:.1f} %)" in text.replace("\n", " ")


def _model():
    return make_cnn(default_data(), filters=2)


X4 = default_data()["X_train"][:4]
Y4 = default_data()["y_train"][:4]


@pytest.mark.parametrize("call, message", [
    (lambda: split_digits(seed=-1), r"seed must be a whole number ≥ 0; got seed = -1"),
    (lambda: split_digits(seed="a"), r"seed must be a whole number ≥ 0"),
    (lambda: split_digits(test_fraction=1e-5), r"holds out 0 of the 1797 examples"),
    (lambda: split_digits(test_fraction=0.99999), r"leaving 0 for training"),
    (lambda: sgd_step(_model(), X4, Y4, float("nan")), r"the learning rate η must be a finite number > 0"),
    (lambda: sgd_step(_model(), X4, Y4, -1), r"the learning rate η must be a finite number > 0"),
    (lambda: sgd_step(_model(), X4, Y4, "0.1"), r"the learning rate η must be a finite number > 0"),
    (lambda: sgd_step(_model(), X4[:0], Y4[:0], 0.1), r"shape \(N, 1, 8, 8\) with N ≥ 1"),
    (lambda: sgd_step(_model(), X4, Y4[:3], 0.1), r"X_batch holds 4 images, so y_batch needs 4 labels; got 3"),
    (lambda: evaluate(None, X4, Y4), r"model must be a network with forward, backward"),
    (lambda: evaluate(_model(), X4, Y4 + 0.5), r"y must hold classes, whole numbers 0..9; got \d\.5 at index 0"),
    (lambda: train(_model(), {"X_train": X4}, 1, 4, 0.1), r"data must be split_digits\(\)'s dict"),
    (lambda: train(_model(), default_data(), 2, 32, 1e3), r"overflows"),
    (lambda: confusion_matrix([0, 10], [1, 2]), r"y_true must hold classes, whole numbers 0..9; got 10 at index 1"),
    (lambda: confusion_matrix([0, -1], [1, 2]), r"got -1 at index 1"),
    (lambda: confusion_matrix([0.5], [1]), r"got 0.5 at index 0"),
    (lambda: confusion_matrix([0], [0], m=0), r"m must be a whole number ≥ 1"),
    (lambda: input_gradient_of_loss(_model(), X4[[0]], [3]), r"label must be one class, a whole number 0..9; got label = \[3\]"),
    (lambda: input_gradient_of_loss(_model(), X4[[0]], True), r"label must be one class"),
    (lambda: fgsm(_model(), X4[[0]], 99, 0.1, target=3), r"label must be one class, a whole number 0..9; got label = 99"),
    (lambda: fgsm(_model(), X4[[0]], 3, 0.1, target=2.5), r"target must be one class"),
    (lambda: fgsm(_model(), 16 * X4[[0]], 3, 0.1), r"x's pixels must be in 0..1"),
    (lambda: make_cnn(None), r"data must be split_digits\(\)'s dict"),
])
def test_digits_helpers_refuse_bad_input_in_the_notebooks_words(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_keep_takes_one_name_or_none_and_the_model_is_unchanged_by_a_refused_step():
    data = tiny_data()
    model = Sequential(Flatten(), Dense(64, 10, rng=0))
    assert len(train(model, data, epochs=1, batch_size=8, eta=0.1, keep="1.W")["snapshots"]["1.W"]) == 2
    assert train(model, data, epochs=0, batch_size=8, eta=0.1, keep=None)["snapshots"] == {}
    model.params["1.b"][...] = 1.79e308               # a step up by 1e308 · (a share of 0.9) passes float64's largest
    W = model.params["1.W"].copy()
    with pytest.raises(ValueError, match="overflows float64"):
        sgd_step(model, data["X_train"][:4], data["y_train"][:4], 1e308)
    assert np.array_equal(model.params["1.W"], W)
    assert confusion_matrix([], []).sum() == 0


def test_the_raw_digits_disagreement_is_one_window_with_two_equal_maxima_as_the_notebook_says():
    """Notebook 09 blames the ✗ DISAGREE on raw digits on a pooling window with two equal maxima; noise removes it."""
    from helpers.layers import Conv2D, MaxPool2D, ReLU, Standardize

    data = default_data()
    X = data["X_train"]
    r = np.random.default_rng(1)
    model = Sequential(Standardize(X.mean(), X.std()), Conv2D(1, 2, 3, padding=1, rng=r), ReLU(), MaxPool2D(2))
    A = model.layers[2].forward(model.layers[1].forward(model.layers[0].forward(X[:3])))
    windows = A.reshape(3, 2, 4, 2, 4, 2)
    counts = (windows.max(axis=(3, 5), keepdims=True) - windows < 1e-9).sum(axis=(3, 5))   # equal to 1e-9
    positive = windows.max(axis=(3, 5)) > 0
    assert np.argwhere((counts > 1) & positive).tolist() == [[0, 1, 2, 0]] and counts[0, 1, 2, 0] == 2
    text = NOTEBOOK.read_text(encoding="utf-8")
    assert "two equal maxima" in text and "four equal" not in text
    noisy = X[:3] + 0.01 * np.random.default_rng(7).normal(size=(3, 1, 8, 8))
    A = model.layers[2].forward(model.layers[1].forward(model.layers[0].forward(noisy))).reshape(3, 2, 4, 2, 4, 2)
    assert not np.any(((A.max(axis=(3, 5), keepdims=True) - A < 1e-9).sum(axis=(3, 5)) > 1) & (A.max(axis=(3, 5)) > 0))


@pytest.mark.parametrize("make, message", [
    (lambda ui, ax: ui.adversarial_explorer(trained_cnn(), default_data(), epsilon=0.8), r"epsilon must be a number 0..0.5"),
    (lambda ui, ax: ui.adversarial_explorer(trained_cnn(), default_data(), epsilon=-0.1), r"epsilon must be a number 0..0.5"),
    (lambda ui, ax: ui.adversarial_explorer(trained_cnn(), default_data(), epsilon="0.2"), r"epsilon must be a number"),
    (lambda ui, ax: ui.adversarial_explorer(trained_cnn(), default_data(), epsilon=0.123), r"in steps of 0.01"),
    (lambda ui, ax: ui.adversarial_explorer(trained_cnn(), default_data(), epsilon=None), r"epsilon must be a number"),
    (lambda ui, ax: ui.digit_explorer(trained_cnn(), {"X_test": default_data()["X_test"]}), r"data must be split_digits"),
    (lambda ui, ax: ui.digit_explorer("cnn", default_data()), r"model must be a network"),
    (lambda ui, ax: ui.training_explorer({"snapshots": {"1.K": [np.zeros((16, 1, 3, 3))]}}), r"history must be train\(\)'s dict"),
    (lambda ui, ax: ui.training_explorer([1, 2]), r"history must be train\(\)'s dict"),
    (lambda ui, ax: ui.show_digit(ax, np.zeros((7, 7))), r"image must be one 8×8 image"),
    (lambda ui, ax: ui.show_digit(ax, np.full((8, 8), np.nan)), r"with NaN or ±inf"),
    (lambda ui, ax: ui.mosaic(np.zeros((3, 2, 2)), 0), r"cols must be a whole number ≥ 1"),
    (lambda ui, ax: ui.mosaic(np.zeros((2, 2)), 2), r"tiles must be \(n, h, w\)"),
    (lambda ui, ax: ui.plot_digit_grid(ax, default_data()["X_test"][:3], default_data()["y_test"][:10]), r"one label per image"),
    (lambda ui, ax: ui.plot_digit_grid(ax, default_data()["X_test"], default_data()["y_test"], rows=0), r"rows must be"),
    (lambda ui, ax: ui.plot_digit_grid(ax, default_data()["X_test"][:5], default_data()["y_test"][:5], predicted=[1]),
     r"predicted needs one label per image"),
    (lambda ui, ax: ui.plot_history(ax, {"a": {}}), r"axes must be two matplotlib axes"),
    (lambda ui, ax: ui.plot_history([ax, ax], {}), r"histories must be a dict"),
    (lambda ui, ax: ui.plot_history([ax, ax], {"a": {"train_loss": [1]}}), r"history 'a' must be train\(\)'s dict"),
    (lambda ui, ax: ui.plot_confusion(ax, [10], [1]), r"y_true must hold classes"),
    (lambda ui, ax: ui.plot_filters(ax, np.zeros((16, 3, 3))), r"K must be filters"),
    (lambda ui, ax: ui.plot_filters(ax, np.ones((4, 2, 3, 3))), r"one-channel filters"),
    (lambda ui, ax: ui.plot_maps(ax, np.zeros((1, 16, 8, 8))), r"maps must be feature maps \(F, h, w\)"),
])
def test_pictures_and_widgets_refuse_bad_input_instead_of_clamping_or_failing_obscurely(make, message):
    import matplotlib.pyplot as plt

    from helpers import digits_ui as ui

    fig, ax = plt.subplots()
    try:
        with pytest.raises(ValueError, match=message):
            make(ui, ax)
    finally:
        plt.close(fig)


def test_an_all_zero_gradient_is_reported_as_zero_not_as_the_fallback_scale():
    from helpers.digits_ui import digit_explorer
    from helpers.layers import Dense, Flatten, Sequential

    data = default_data()
    model = Sequential(Flatten(), Dense(64, 10, rng=0))
    model.layers[1].params["W"][...] = 0.0          # logits independent of the pixels: ∂L/∂x = 0
    w = digit_explorer(model, data, index=0)
    assert np.all(w.dL_dx == 0) and "largest |∂L/∂x| = 0 " in w.readout.value and "(±0)" in w.title_g.get_text()


def test_the_notebook_backs_its_standardize_claim_with_a_run_on_raw_pixels():
    """Notebook 09 says centred inputs make gradient descent converge faster: it prints a raw-pixel MLP beside the real one."""
    from helpers.layers import ReLU

    data = default_data()
    r = np.random.default_rng(0)
    raw = train(Sequential(Flatten(), Dense(64, 32, rng=r), ReLU(), Dense(32, 10, rng=r)), data, epochs=3,
                batch_size=16, eta=0.1, decay=0.9, seed=0)
    mlp = make_mlp(data, seed=MLP_RECIPE["seed"])
    standardised = train(mlp, data, **{**MLP_RECIPE, "epochs": 3})
    assert all(raw["test_accuracy"][e] < standardised["test_accuracy"][e] for e in (1, 2, 3))
    printed = "".join("".join(o.get("text", "")) for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
                      if c["cell_type"] == "code" for o in c.get("outputs", []))
    for e in (1, 2, 3):
        assert (f"after epoch {e}: test accuracy {100 * raw['test_accuracy'][e]:.1f} % on raw pixels, "
                f"{100 * standardised['test_accuracy'][e]:.1f} % standardised") in printed
