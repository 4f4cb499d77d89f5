import copy
import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.activations import sigmoid
from helpers.gradcheck import numerical_gradient
from helpers.network import (
    SHAPES, VERDICTS, accuracy, backward, forward, gradients, init_params, loss, make_dataset, predict, train,
    train_curves, train_history, training_verdict,
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
    dC_dz2 = (y_hat - Y) / 3 * y_hat * (1 - y_hat)
    np.testing.assert_allclose(b["dC_dz2"], dC_dz2, rtol=1e-12)
    np.testing.assert_allclose(b["dC_dh"], dC_dz2 @ p["V"].T, rtol=1e-12)
    np.testing.assert_allclose(b["dC_dz1"], (dC_dz2 @ p["V"].T) * h * (1 - h), rtol=1e-12)
    assert b["dC_dz1"].shape == b["z1"].shape and b["dC_dz2"].shape == b["z2"].shape  # ∂C/∂z has z's shape
    # one example: ∂C/∂V is the 4×1 by 1×2 outer product hᵀ·∂C/∂z2
    X1, Y1 = X[[0]], Y[[0]]
    b1 = backward(X1, Y1, p)
    np.testing.assert_allclose(gradients(X1, Y1, p)["V"], np.outer(b1["h"][0], b1["dC_dz2"][0]), rtol=1e-12)


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
    # C near 0 is a sum of squares of ŷ − y, a difference of nearly equal numbers: a last-bit change in
    # ŷ (≈ 1e-16) moves C by about 2·|ŷ − y|·1e-16 < 1e-15, however small C is (found by Hypothesis:
    # C = 1.6e-8 off by 2e-20, relative 1.4e-12). Hence the atol, as for the params.
    np.testing.assert_allclose(losses, manual_losses, rtol=1e-12, atol=1e-15)
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
    X_test, Y_test = make_dataset(k=50, seed=4)
    p = init_params(2)
    etas = [0.05, 2.0, 300.0]
    curves = train_curves(X, Y, p, etas, 30, X_test, Y_test)
    assert curves.loss.shape == curves.accuracy.shape == curves.test_loss.shape == (3, 31)
    for i, eta in enumerate(etas):
        trained, one = train(X, Y, p, eta, 30)
        np.testing.assert_array_equal(curves.loss[i, 1:], one)  # one loop behind both: the same numbers
        assert curves.loss[i, 0] == pytest.approx(loss(X, Y, p), rel=1e-12)
        assert curves.accuracy[i, -1] == accuracy(X, Y, trained)
        assert curves.test_loss[i, -1] == pytest.approx(loss(X_test, Y_test, trained), rel=1e-9)
        assert curves.test_accuracy[i, -1] == accuracy(X_test, Y_test, trained)
    np.testing.assert_array_equal(p["W"], init_params(2)["W"])
    assert train_curves(X, Y, p, etas, 3).test_loss is None
    with pytest.raises(ValueError, match="give both X_test and Y_test"):
        train_curves(X, Y, p, etas, 3, X_test=X_test)


def test_history_keeps_every_step_and_scores_a_test_set():
    X, Y = make_dataset(k=20, seed=5)
    X_test, Y_test = make_dataset(k=30, seed=6)
    p = init_params(1)
    history = train_history(X, Y, p, 3.0, 40)
    assert history.epochs == 40 and history.flat.shape == (41, 26) and history.losses.shape == (41,)
    for e in (0, 7, 40):
        trained, _ = train(X, Y, p, 3.0, e)
        at_e = history.params(e)
        for name in SHAPES:
            np.testing.assert_allclose(at_e[name], trained[name], rtol=1e-12, atol=1e-15)
        assert history.losses[e] == pytest.approx(loss(X, Y, at_e), rel=1e-12)
        assert history.accuracies[e] == accuracy(X, Y, at_e)
        C, acc = history.evaluate(X_test, Y_test, e)
        assert C == pytest.approx(loss(X_test, Y_test, at_e), rel=1e-12) and acc == accuracy(X_test, Y_test, at_e)
    losses, accs = history.evaluate(X_test, Y_test, [0, 10, 20])
    assert losses.shape == accs.shape == (3,)
    with pytest.raises(ValueError, match=r"epoch must be a whole number >= 0 and <= 40; got epoch = 41"):
        history.params(41)


def test_saturated_network_is_stuck_and_its_gradients_vanish():
    """The claim behind the verdict "stuck": with a huge η the sigmoids saturate and every gradient vanishes."""
    X, Y = make_dataset()
    p = init_params(0)
    for eta in (562.3, 1000.0):
        history = train_history(X, Y, p, eta, 300)
        assert training_verdict(history.losses[:2]) == "diverging"  # the first step makes C worse...
        for e in range(2, 301):
            assert training_verdict(history.losses[: e + 1]) == "stuck"  # ...then nothing moves, at any count
        trained = history.params(300)
        y_hat = predict(X, trained)
        assert np.max(y_hat * (1 - y_hat)) < 1e-5  # σ'(z2) ≈ 0 on every example
        assert max(np.abs(g).max() for g in gradients(X, Y, trained).values()) < 1e-7
        assert history.losses[300] > history.losses[0]


def test_good_eta_converges_and_tiny_eta_crawls_at_every_epoch_count():
    X, Y = make_dataset()
    p = init_params(0)
    tiny = train_history(X, Y, p, 0.01, 1000).losses
    good = train_history(X, Y, p, 10.0, 1000).losses
    for e in range(10, 1001, 10):
        assert training_verdict(tiny[: e + 1]) == "crawling"
        assert training_verdict(good[: e + 1]) in ("crawling", "converging")
    assert training_verdict(good) == "converging" and np.all(np.diff(good) < 0)


def test_verdicts():
    assert set(VERDICTS) == {"not started", "not finite", "stuck", "diverging", "oscillating", "crawling",
                             "converging"}
    assert training_verdict([0.3]) == "not started"
    assert training_verdict([0.3, 0.2, 0.1]) == "converging"
    assert training_verdict([0.3, 0.29, 0.28]) == "crawling"
    assert training_verdict([0.3, 0.1, 0.2, 0.05]) == "oscillating"
    assert training_verdict([0.3, 0.4, 0.5]) == "diverging"
    assert training_verdict([0.3, 0.45] + list(np.linspace(0.44, 0.40, 20))) == "crawling"  # worse than the start, going down
    assert training_verdict([0.3] + [0.4] * 50) == "stuck"          # saturated: flat and high
    assert training_verdict([0.3] + list(np.geomspace(0.1, 0.09, 50))) == "converging"  # flat but low: done
    assert training_verdict([4.0, 0.0]) == "converging" and training_verdict([0.0, 0.0]) == "converging"  # C = 0
    with pytest.raises(ValueError, match="1-D curve"):
        training_verdict([[0.1, 0.2]])


@pytest.mark.parametrize("curve", [[0.3, 0.2, float("nan")], [0.3, float("nan"), 0.1], [0.3, float("inf")],
                                   [float("nan")] * 3])
def test_a_curve_with_nan_or_inf_is_not_finite(curve):
    assert training_verdict(curve) == "not finite"


@pytest.mark.parametrize("kwargs, message", [
    ({"rise": -1}, "rise must be a finite number >= 0; got rise = -1"),
    ({"crawl": 2}, "crawl must be a finite number >= 0 and <= 1; got crawl = 2"),
    ({"flat": "small"}, "flat must be a finite number >= 0; got flat = 'small'"),
    ({"recent": 0}, "recent must be a finite number > 0 and <= 1; got recent = 0"),
])
def test_bad_verdict_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        training_verdict([0.3, 0.2], **kwargs)


def test_make_dataset_is_seeded_one_hot_and_has_both_classes():
    X, Y = make_dataset(k=30, seed=1)
    X2, Y2 = make_dataset(k=30, seed=1)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    assert X.shape == (30, 3) and Y.shape == (30, 2)
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    assert 0 < Y[:, 1].sum() < 30
    with pytest.raises(ValueError, match=r"k \(the number of examples\) must be a whole number >= 1 and <= 1e\+07; got k = 0"):
        make_dataset(k=0)


def test_forward_keeps_the_intermediates():
    X, _, p = problem(2, 10)
    f = forward(X, p)
    np.testing.assert_allclose(f["z1"], X @ p["W"] + p["b1"])
    np.testing.assert_allclose(f["z2"], f["h"] @ p["V"] + p["b2"])
    assert [f[k].shape for k in ("z1", "h", "z2", "y_hat")] == [(2, 4), (2, 4), (2, 2), (2, 2)]


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


@pytest.mark.parametrize("eta", [0, -0.1, float("nan"), float("inf"), "fast", None, "10", True, 1j,
                                 np.complex128(1.0)])
def test_bad_eta_is_named(eta):
    X, Y, p = problem(2, 0)
    with pytest.raises(ValueError, match="learning rate eta must be"):
        train(X, Y, p, eta, 3)


@pytest.mark.parametrize("epochs", [-1, 2.5, "10", True, 10.0, None])
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


@pytest.mark.parametrize("call, message", [
    (lambda: init_params(seed=-1), "seed must be a whole number >= 0; got seed = -1"),
    (lambda: init_params(seed=1.5), "seed must be a whole number >= 0; got seed = 1.5"),
    (lambda: init_params(scale=-0.5), r"scale must be a finite number >= 0 and <= 1e\+06; got scale = -0.5"),
    (lambda: init_params(scale=float("nan")), "scale must be a finite number"),
    (lambda: make_dataset(k=2.0), r"k \(the number of examples\) must be a whole number >= 1 and <= 1e\+07; got k = 2.0"),
    (lambda: make_dataset(seed="a"), "seed must be a whole number >= 0; got seed = 'a'"),
    (lambda: make_dataset(noise=-1.0), "noise must be a finite number >= 0; got noise = -1.0"),
    (lambda: train_curves(np.ones((2, 3)), np.ones((2, 2)), init_params(), [], 3), "etas must hold at least one"),
])
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("name", ["X", "Y", "W", "b2"])
def test_nan_or_inf_inputs_are_refused_not_propagated(name):
    X, Y, p = problem(3, 1)
    data = {"X": X, "Y": Y, **p}
    data[name] = data[name].copy()
    data[name].flat[1] = np.nan if name in ("X", "W") else np.inf
    params = {n: data[n] for n in SHAPES}
    with pytest.raises(ValueError, match=rf"{name} must hold finite numbers; got NaN or ±inf in {name}"):
        train(data["X"], data["Y"], params, 1.0, 2)


def test_complex_inputs_are_refused_not_cut_to_their_real_part():
    X, Y, p = problem(2, 1)
    with pytest.raises(ValueError, match="X must hold real numbers; got complex"):
        loss(X + 0j, Y, p)
    with pytest.raises(ValueError, match="V must hold real numbers; got complex"):
        train(X, Y, dict(p, V=p["V"] + 1e-3j), 1.0, 1)


def test_the_notebooks_claims_about_each_eta():
    """Cell "Play: the learning rate" of notebook 05, claim by claim (η = 177.8 only by robust properties)."""
    X, Y = make_dataset()
    p = init_params(0)

    def run(eta):
        history = train_history(X, Y, p, eta, 1000)
        return history, {e: training_verdict(history.losses[: e + 1]) for e in range(1, 1001)}

    history, verdict = run(31.62)
    assert verdict[10] == "oscillating" and all(verdict[e] == "converging" for e in range(20, 1001, 10))
    assert history.accuracies[1000] == 1.0
    _, verdict = run(56.23)
    assert all(verdict[e] == "oscillating" for e in range(10, 71, 10)) and verdict[80] == verdict[1000] == "converging"
    _, verdict = run(100.0)
    assert verdict[10] == verdict[140] == "oscillating"
    assert all(verdict[e] == "converging" for e in range(150, 1001, 10))
    history, verdict = run(316.2)
    assert verdict[1] == "diverging" and verdict[10] == "stuck" and all(verdict[e] == "crawling" for e in (40, 50, 60))
    assert all(verdict[e] == "stuck" for e in range(80, 1001, 10))
    assert np.argmax(history.losses) == 63 and history.accuracies[1000] == 0.6
    # chaotic: one ulp of η moves C by more than 1 % somewhere, yet both runs end stuck at 60 %
    a, _ = run(177.8)
    b, verdict_b = run(float(np.nextafter(177.8, np.inf)))
    assert np.max(np.abs(a.losses - b.losses) / a.losses) > 0.01
    for history, v in ((a, None), (b, verdict_b)):
        assert training_verdict(history.losses) == "stuck" and history.accuracies[1000] == 0.6
        assert np.all(np.argmax(predict(X, history.params(1000)), axis=1) == 0)  # always class 1


def test_the_notebooks_claims_about_training_and_test_cost():
    X, Y = make_dataset()
    X_test, Y_test = make_dataset(1000, seed=1)
    p = init_params(0)
    for eta in (1.0, 1.778, 3.162, 5.623, 10.0, 17.78):
        assert np.all(np.diff(train_history(X, Y, p, eta, 1000).losses) < 0)  # every step downhill
    first = train_history(X, Y, p, 31.62, 1).losses
    assert first[1] > first[0]                             # the first η on the grid whose first step goes up
    history = train_history(X, Y, p, 100.0, 1000).losses
    assert np.nonzero(np.diff(history) > 0)[0].max() + 1 == 134   # η = 100: the last step up is epoch 134
    stuck = train_history(X, Y, p, 1000.0, 1000).losses
    assert np.all(stuck[1:] == stuck[1]) and stuck[1] > stuck[0]  # up once, then not a digit moves
    curves = train_curves(X, Y, p, [10.0, 31.62], 1000, X_test, Y_test)
    for i in range(2):
        low = np.argmin(curves.test_loss[i])
        assert low < 100 and curves.test_loss[i, -1] > 1.2 * curves.test_loss[i, low]  # test C rises...
        assert curves.loss[i, -1] < 0.3 * curves.loss[i, low]                            # ...training C falls
        best = np.argmax(curves.test_accuracy[i])
        assert best < 50 and curves.test_accuracy[i, best] > 0.79 > 0.78 > curves.test_accuracy[i, -1]
    assert np.argmax(curves.test_accuracy[1]) == 8 and curves.test_accuracy[1, 8] == pytest.approx(0.796)  # summary


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.0, 10.0), min_size=1, max_size=40), st.integers(0, 39),
       st.sampled_from([float("nan"), float("inf"), -float("inf")]))
def test_any_nan_or_inf_makes_the_verdict_not_finite(curve, where, bad):
    assert training_verdict(curve) in VERDICTS and training_verdict(curve) != "not finite"
    curve = curve + [0.1]            # at least two points: one update
    curve[where % len(curve)] = bad
    assert training_verdict(curve) == "not finite"


def test_a_curve_that_jumped_once_and_then_froze_is_stuck_not_diverging():
    """Judged by where it is now: the first step's jump does not make a frozen curve "diverging"."""
    assert training_verdict([0.285, 0.4]) == "diverging"
    for flat in range(1, 30):
        assert training_verdict([0.285] + [0.4] * (flat + 1)) == "stuck", flat
    assert training_verdict([0.285] + list(np.linspace(0.40, 0.45, 10))) == "diverging"  # still rising: diverging
    X, Y = make_dataset()
    losses = train_history(X, Y, init_params(0), 1000.0, 20).losses
    assert [training_verdict(losses[: e + 1]) for e in (1, 2, 10, 20)] == ["diverging", "stuck", "stuck", "stuck"]


@pytest.mark.parametrize("curve, message", [
    ([True, False], "losses must be a 1-D curve of C values"),
    (None, "losses must be a 1-D curve of C values"),
    ([0.3, -0.1], "the cost C, which is never negative; got -0.1 at epoch 1"),
])
def test_a_curve_that_is_not_a_cost_is_refused(curve, message):
    with pytest.raises(ValueError, match=message):
        training_verdict(curve)


def test_a_one_point_curve_of_nan_is_not_finite():
    assert training_verdict([float("nan")]) == "not finite" and training_verdict([0.3]) == "not started"


@pytest.mark.parametrize("Y_bad, message", [
    (np.full((3, 2), 1e300), r"every entry of Y must too; got Y\[0, 0\] = 1e\+300"),
    (np.array([[0.5, 0.5], [1.0, -0.2], [0, 1]]), r"got Y\[1, 1\] = -0.2"),
])
def test_targets_outside_0_1_are_refused_not_overflowed(Y_bad, message):
    X, _, p = problem(3, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for call in (loss, gradients, accuracy):
            with pytest.raises(ValueError, match="targets for ŷ = σ\\(z\\), which lies between 0 and 1.*" + message[-20:]):
                call(X, Y_bad, p)


@pytest.mark.parametrize("where, value, message", [
    ("X", None, "X must be an array of numbers; got None"),
    ("X", "bool", r"X must hold numbers; got True/False values \(dtype bool\)"),
    ("W", None, "W must be an array of numbers; got None"),
    ("W", "bool", r"W must hold numbers; got True/False values"),
    ("Y", None, "Y must be an array of numbers; got None"),
])
def test_none_and_true_false_arrays_are_refused_by_name(where, value, message):
    X, Y, p = problem(3, 3)
    data = {"X": X, "Y": Y, **p}
    data[where] = None if value is None else data[where] > 0
    with pytest.raises(ValueError, match=message):
        loss(data["X"], data["Y"], {n: data[n] for n in SHAPES})


def test_a_huge_init_scale_is_refused_not_overflowed():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="scale must be a finite number >= 0 and <= 1e\\+06; got scale = 1e\\+308"):
            init_params(scale=1e308)
    assert np.abs(init_params(scale=1e6)["W"]).max() > 1e5


NOTEBOOK_05 = Path(__file__).resolve().parent.parent / "notebooks" / "05_sigmoid_network.ipynb"
LAYER_AS_SUBSCRIPT = {
    r"\b[zbWa]_\{?[12]\}?(?![\dj])": "a layer as a subscript (z_1, b_2, W_1): notebook 01 writes z^{(1)}, b^{(2)}",
    r"\b[zb]_\{[12],": "an entry of a layer as z_{1,j}: write z^{(1)}_j",
    r"\^(\w|\{(?:[^{}]|\{[^{}]*\})*\})\^": "a double superscript (W^{(1)}^T is a MathJax error)",
}


def test_notebook_05_writes_layers_as_notebook_01_does():
    """Notebook 01's table: a subscript is an entry, a layer a superscript in parentheses."""
    nb = json.loads(NOTEBOOK_05.read_text(encoding="utf-8"))
    found = [f"cell {i}: {why}: …{text[max(0, m.start() - 20):m.end() + 10]}…"
             for i, cell in enumerate(nb["cells"]) if cell["cell_type"] == "markdown"
             for text in ["".join(cell["source"])] for pattern, why in LAYER_AS_SUBSCRIPT.items()
             for m in re.finditer(pattern, text)]
    assert not found, "\n".join(found)
    notation = next("".join(c["source"]) for c in nb["cells"] if "".join(c["source"]).startswith("## Notation"))
    for promise in ["(W^{(1)})^T", "(W^{(2)})^T", "(a^{(1)})^T", "Where the conventions differ, and how they map",
                    "the seed's $h'$", "transpose swaps the two indices' jobs"]:
        assert promise in notation, promise
    everything = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for erratum in ['"Hammond product" means the Hadamard product', "$v^T h$ treats $h$ as a column"]:
        assert erratum in everything, erratum
    for sample in ["z_1 = xW", r"\partial b_2}", "z_{1,j}", "W^{(1)}^T"]:
        assert any(re.search(p, sample) for p in LAYER_AS_SUBSCRIPT), sample
    for fine in ["z^{(1)}_j", "x_1", "w_{i,j}", "(W^{(1)})^T", "h_i", r"\hat y_j"]:
        assert not any(re.search(p, fine) for p in LAYER_AS_SUBSCRIPT), fine


@pytest.mark.parametrize("call, message", [
    (lambda: train(*make_dataset(k=40), init_params(), 1.0, 10**8),
     r"training keeps every step: 100000000 epochs on 40 examples would take 79.0 GB, more than 1 GB"),
    (lambda: train_curves(*make_dataset(k=5), init_params(), [[1.0, 2.0]], 3),
     r"etas must be a list of learning rates \(1-D\); got etas of shape \(1, 2\)"),
    (lambda: make_dataset(k=10**12),
     r"k \(the number of examples\) must be a whole number >= 1 and <= 1e\+07; got k = 1000000000000"),
])
def test_sizes_that_would_exhaust_memory_or_be_guessed_at_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()
