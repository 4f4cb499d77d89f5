import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.activations import sigmoid
from helpers.gradcheck import numerical_gradient
from helpers.network import (
    SHAPES, accuracy, backward, forward, gradients, init_params, loss, make_dataset, predict, train,
    train_curves,
)
from support import assert_gradients_agree


def problem(k, seed):
    """Random inputs, random targets in (0, 1) and random params (biases too), all seeded."""
    rng = np.random.default_rng(seed)
    params = {name: rng.normal(0.0, 1.0, shape) for name, shape in SHAPES.items()}
    return rng.normal(size=(k, 3)), rng.uniform(size=(k, 2)), params


def test_init_params_shapes_and_reproducible():
    p, q, r = init_params(0), init_params(0), init_params(1)
    assert {name: a.shape for name, a in p.items()} == SHAPES
    for name in SHAPES:
        np.testing.assert_array_equal(p[name], q[name])
    assert not np.allclose(p["W"], r["W"])
    assert 0 < np.abs(p["W"]).max() < 3  # small, not zero


def test_predict_one_row_by_hand():
    X, _, p = problem(1, 3)
    h = [sigmoid(sum(X[0, i] * p["W"][i, j] for i in range(3)) + p["b1"][0, j]) for j in range(4)]
    y = [sigmoid(sum(h[i] * p["V"][i, j] for i in range(4)) + p["b2"][0, j]) for j in range(2)]
    np.testing.assert_allclose(predict(X, p), [y], rtol=1e-12)


def test_batch_rows_are_independent_examples():
    X, _, p = problem(5, 4)
    Y_hat = predict(X, p)
    assert Y_hat.shape == (5, 2)
    for r in range(5):
        np.testing.assert_allclose(Y_hat[[r]], predict(X[[r]], p), rtol=1e-12)


def test_loss_is_the_mean_over_rows_of_half_the_squared_error():
    X, Y, p = problem(4, 5)
    per_row = [0.5 * np.sum((predict(X[[r]], p) - Y[[r]]) ** 2) for r in range(4)]
    assert loss(X, Y, p) == pytest.approx(np.mean(per_row), rel=1e-12)
    assert isinstance(loss(X, Y, p), float)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 6), st.integers(0, 10_000))
def test_every_gradient_agrees_with_finite_differences(k, seed):
    X, Y, p = problem(k, seed)
    grads = gradients(X, Y, p)
    assert {name: g.shape for name, g in grads.items()} == SHAPES
    for name in SHAPES:
        numeric = numerical_gradient(lambda _: loss(X, Y, p), p[name])
        assert_gradients_agree(grads[name], numeric, name)


def test_backward_deltas_follow_the_equations():
    X, Y, p = problem(3, 6)
    b = backward(X, Y, p)
    y_hat, h = b["y_hat"], b["h"]
    d_out = (y_hat - Y) / 3 * y_hat * (1 - y_hat)
    np.testing.assert_allclose(b["delta_out"], d_out, rtol=1e-12)
    np.testing.assert_allclose(b["delta_hid"], (d_out @ p["V"].T) * h * (1 - h), rtol=1e-12)
    # one example: ∂C/∂V is the 4×1 by 1×2 outer product hᵀ·δ_out
    X1, Y1 = X[[0]], Y[[0]]
    b1 = backward(X1, Y1, p)
    np.testing.assert_allclose(gradients(X1, Y1, p)["V"], np.outer(b1["h"][0], b1["delta_out"][0]), rtol=1e-12)


def test_gradient_of_a_batch_is_the_mean_of_the_single_example_gradients():
    X, Y, p = problem(4, 7)
    batch = gradients(X, Y, p)
    singles = [gradients(X[[r]], Y[[r]], p) for r in range(4)]
    for name in SHAPES:
        np.testing.assert_allclose(batch[name], np.mean([g[name] for g in singles], axis=0), rtol=1e-10)


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 5), st.integers(0, 10_000), st.floats(0.01, 20.0), st.integers(0, 6))
def test_train_equals_repeated_manual_steps(k, seed, eta, epochs):
    X, Y, p = problem(k, seed)
    manual = copy.deepcopy(p)
    manual_losses = []
    for _ in range(epochs):
        g = gradients(X, Y, manual)
        manual = {name: manual[name] - eta * g[name] for name in SHAPES}
        manual_losses.append(loss(X, Y, manual))
    trained, losses = train(X, Y, p, eta, epochs)
    for name in SHAPES:
        np.testing.assert_allclose(trained[name], manual[name], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(losses, manual_losses, rtol=1e-12)
    assert len(losses) == epochs


def test_train_does_not_touch_the_callers_params():
    X, Y, p = problem(3, 8)
    before = copy.deepcopy(p)
    arrays = {name: p[name] for name in p}
    trained, _ = train(X, Y, p, 1.0, 5)
    assert set(p) == set(SHAPES)
    for name in SHAPES:
        assert p[name] is arrays[name]
        np.testing.assert_array_equal(p[name], before[name])
        assert trained[name] is not p[name]
        assert not np.shares_memory(trained[name], p[name])


def test_zero_epochs_returns_a_copy_and_no_losses():
    X, Y, p = problem(2, 9)
    trained, losses = train(X, Y, p, 0.5, 0)
    assert losses == []
    for name in SHAPES:
        np.testing.assert_array_equal(trained[name], p[name])
        assert trained[name] is not p[name]


def test_training_with_a_sensible_eta_lowers_the_loss_and_learns_the_data():
    X, Y = make_dataset()
    p = init_params()
    trained, losses = train(X, Y, p, 10.0, 300)
    assert losses[-1] == pytest.approx(loss(X, Y, trained))
    assert losses[-1] < 0.2 * loss(X, Y, p)
    assert np.all(np.diff(losses) <= 1e-12)  # small enough η: every step goes downhill
    assert accuracy(X, Y, trained) >= 0.9 > 0.5 > accuracy(X, Y, p)


def test_train_curves_match_train_for_each_eta():
    X, Y = make_dataset(k=12, seed=3)
    p = init_params(2)
    etas = [0.05, 2.0, 300.0]
    losses, accs = train_curves(X, Y, p, etas, 30)
    assert losses.shape == accs.shape == (3, 31)
    for i, eta in enumerate(etas):
        trained, one = train(X, Y, p, eta, 30)
        assert losses[i, 0] == pytest.approx(loss(X, Y, p), rel=1e-12)
        np.testing.assert_allclose(losses[i, 1:], one, rtol=1e-9)
        assert accs[i, -1] == accuracy(X, Y, trained)
    np.testing.assert_array_equal(p["W"], init_params(2)["W"])


def test_make_dataset_is_seeded_one_hot_and_has_both_classes():
    X, Y = make_dataset(k=30, seed=1)
    X2, Y2 = make_dataset(k=30, seed=1)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    assert X.shape == (30, 3) and Y.shape == (30, 2)
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    assert 0 < Y[:, 1].sum() < 30
    with pytest.raises(ValueError, match="k must be a whole number of examples >= 1; got k = 0"):
        make_dataset(k=0)


def test_forward_keeps_the_intermediates():
    X, _, p = problem(2, 10)
    f = forward(X, p)
    np.testing.assert_allclose(f["h_pre"], X @ p["W"] + p["b1"])
    np.testing.assert_allclose(f["y_pre"], f["h"] @ p["V"] + p["b2"])
    assert [f[k].shape for k in ("h_pre", "h", "y_pre", "y_hat")] == [(2, 4), (2, 4), (2, 2), (2, 2)]


@pytest.mark.parametrize("X, message", [
    (np.ones((2, 4)), r"W is 3×4, so X needs 3 columns \(one example per row\); got X of shape \(2, 4\)"),
    (np.ones((3, 2)), r"so X needs 3 columns .*got X of shape \(3, 2\)"),
    (np.ones(3), r"X must be a row of shape \(1, 3\).*got X of shape \(3,\): use X.reshape\(1, -1\)"),
    (np.ones((0, 3)), r"got X of shape \(0, 3\)"),
])
def test_bad_X_is_named(X, message):
    _, _, p = problem(1, 0)
    with pytest.raises(ValueError, match=message):
        predict(X, p)


@pytest.mark.parametrize("Y", [np.ones((3, 1)), np.ones((2, 2)), np.ones((2, 3)), np.ones(6)])
def test_bad_Y_is_named(Y):
    X, _, p = problem(3, 0)
    with pytest.raises(ValueError, match=rf"X has 3 rows \(examples\), so Y needs shape \(3, 2\); got Y of shape"):
        loss(X, Y, p)
    with pytest.raises(ValueError, match="so Y needs shape"):
        train(X, Y, p, 0.1, 1)


@pytest.mark.parametrize("eta", [0, -0.1, float("nan"), float("inf"), "fast", None])
def test_bad_eta_is_named(eta):
    X, Y, p = problem(2, 0)
    with pytest.raises(ValueError, match="learning rate eta must be"):
        train(X, Y, p, eta, 3)


@pytest.mark.parametrize("epochs", [-1, 2.5, "10", True])
def test_bad_epochs_is_named(epochs):
    X, Y, p = problem(2, 0)
    with pytest.raises(ValueError, match="epochs must be a whole number >= 0"):
        train(X, Y, p, 0.1, epochs)


def test_bad_params_are_named():
    X, Y, p = problem(2, 0)
    with pytest.raises(ValueError, match=r"params must be a dict with keys \['W', 'b1', 'V', 'b2'\]"):
        loss(X, Y, {"W": p["W"]})
    wrong = dict(p, V=p["V"].T)  # the column convention's W₂ by mistake
    with pytest.raises(ValueError, match=r"needs V of shape \(4, 2\) \(4×2\); got V of shape \(2, 4\)"):
        gradients(X, Y, wrong)
    flat_bias = dict(p, b1=np.zeros(4))  # a flat bias is refused, not broadcast
    with pytest.raises(ValueError, match=r"needs b1 of shape \(1, 4\)"):
        predict(X, flat_bias)
