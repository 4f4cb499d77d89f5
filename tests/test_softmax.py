import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.gradcheck import numerical_gradient
from helpers.softmax import (
    CENTRES,
    three_blobs_split,
    accuracy,
    polynomial_features,
    three_blobs,
    train_softmax_classifier,
    cross_entropy,
    cross_entropy_backward,
    log_softmax,
    one_hot,
    softmax,
    softmax_jacobian,
)
from support import assert_gradients_agree

classes = st.integers(1, 6)
examples = st.integers(1, 5)
scales = st.sampled_from([1e-3, 1.0, 10.0, 100.0, 1e3, 1e4])
seeds = st.integers(0, 10_000)


def logits(m, k, scale, seed):
    return scale * np.random.default_rng(seed).normal(size=(m, k))


def labels_for(m, k, seed):
    return np.random.default_rng(seed + 1).integers(0, m, size=k)


# ---------------------------------------------------------------- softmax


@given(classes, examples, scales, seeds)
def test_softmax_columns_are_probabilities_without_warnings(m, k, scale, seed):
    Z = logits(m, k, scale, seed)
    Z[0, 0] = scale * 10 if scale >= 1e3 else Z[0, 0]  # up to |Z| = 1e5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        P = softmax(Z)
    assert P.shape == (m, k)
    assert np.all(np.isfinite(P)) and np.all(P >= 0) and np.all(P <= 1)
    np.testing.assert_allclose(P.sum(axis=0), 1.0, rtol=1e-12)
    assert np.all(P[np.argmax(Z, axis=0), np.arange(k)] == P.max(axis=0))  # the largest logit wins


@given(classes, examples, seeds, st.floats(-1e3, 1e3))
def test_adding_a_constant_to_a_column_changes_nothing(m, k, seed, shift):
    Z = logits(m, k, 1.0, seed)
    np.testing.assert_allclose(softmax(Z + shift), softmax(Z), rtol=1e-9, atol=1e-12)


def test_softmax_by_hand_and_at_extreme_logits():
    z = np.array([[1.0], [2.0], [3.0]])
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(softmax(z).ravel(), e / e.sum(), rtol=1e-14)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        P = softmax(np.array([[1e4, -1e4], [0.0, 0.0], [-1e4, 1e4]]))
    np.testing.assert_array_equal(P, [[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    with np.errstate(over="ignore", invalid="ignore"):  # the naive formula breaks
        naive = np.exp([[1e4], [0.0]]) / np.exp([[1e4], [0.0]]).sum()
    assert np.isnan(naive[0, 0])


@given(classes, examples, scales, seeds)
def test_log_softmax_is_log_of_softmax_and_finite(m, k, scale, seed):
    Z = logits(m, k, scale, seed)
    logP = log_softmax(Z)
    assert np.all(np.isfinite(logP)) and np.all(logP <= 0)
    P = softmax(Z)
    safe = P > 1e-300
    np.testing.assert_allclose(logP[safe], np.log(P[safe]), rtol=1e-9, atol=1e-12)


# ---------------------------------------------------------------- Jacobian


@given(classes, st.sampled_from([1e-3, 1.0, 10.0]), seeds)
def test_jacobian_agrees_with_finite_differences(m, scale, seed):
    z = logits(m, 1, scale, seed)
    J = softmax_jacobian(z)
    assert J.shape == (m, m)
    for i in range(m):
        numeric_row = numerical_gradient(lambda z_: float(softmax(z_)[i, 0]), z)
        assert_gradients_agree(J[i:i + 1].T, numeric_row, f"row {i}")


@given(classes, scales, seeds)
def test_jacobian_is_diag_p_minus_p_pT(m, scale, seed):
    z = logits(m, 1, scale, seed)
    p = softmax(z)
    J = softmax_jacobian(z)
    np.testing.assert_allclose(J, np.diag(p[:, 0]) - np.outer(p, p), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(J, J.T, rtol=0, atol=1e-15)
    np.testing.assert_allclose(J.sum(axis=0), 0.0, atol=1e-15)


def test_jacobian_is_not_diagonal():
    J = softmax_jacobian(np.array([[1.0], [2.0], [3.0]]))
    off_diagonal = J - np.diag(np.diag(J))
    assert np.abs(off_diagonal).max() > 0.1


def test_hadamard_shortcut_is_wrong_for_softmax():
    """Notebook 02's rule, dL/dp ⊙ diag(J), misses the off-diagonal terms."""
    z = np.array([[1.0], [2.0], [3.0]])
    g = np.array([[1.0], [-2.0], [0.5]])  # any upstream dL/dp
    J = softmax_jacobian(z)
    right = J.T @ g
    wrong = g * np.diag(J).reshape(-1, 1)
    assert_gradients_agree(right, numerical_gradient(lambda z_: float(np.sum(g * softmax(z_))), z))
    assert np.abs(right - wrong).max() > 0.1


# ---------------------------------------------------------------- cross-entropy


@given(classes, examples, scales, seeds, st.booleans())
def test_cross_entropy_backward_agrees_with_finite_differences(m, k, scale, seed, as_labels):
    Z = logits(m, k, scale, seed)
    y = labels_for(m, k, seed)
    Y = y if as_labels else one_hot(y, m)
    dZ = cross_entropy_backward(Z, Y)
    assert dZ.shape == (m, k)
    np.testing.assert_allclose(dZ.sum(axis=0), 0.0, atol=1e-15)
    if scale <= 10:  # a finite difference is meaningful where the loss is smooth at ε = 1e-6
        assert_gradients_agree(dZ, numerical_gradient(lambda Z_: cross_entropy(Z_, Y), Z))
    else:  # at large scales compare with the formula and check the loss stays finite
        np.testing.assert_allclose(dZ, (softmax(Z) - one_hot(y, m)) / k, rtol=1e-12, atol=1e-300)


@given(classes, examples, scales, seeds)
def test_cross_entropy_is_mean_minus_log_p_right_class_and_finite(m, k, scale, seed):
    Z = logits(m, k, scale, seed)
    y = labels_for(m, k, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        L = cross_entropy(Z, y)
    assert isinstance(L, float) and np.isfinite(L) and L >= 0
    assert L == cross_entropy(Z, one_hot(y, m))
    expected = -np.mean(log_softmax(Z)[y, np.arange(k)])
    np.testing.assert_allclose(L, expected, rtol=1e-12, atol=1e-300)


def test_cross_entropy_by_hand_and_confidently_wrong():
    z = np.array([[1.0], [2.0], [3.0]])
    p = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
    np.testing.assert_allclose(cross_entropy(z, [0]), -np.log(p[0]), rtol=1e-13)
    # Confidently wrong: p of the right class underflows to 0, the loss is still 2e4, not inf.
    Z = np.array([[-1e4], [1e4]])
    assert cross_entropy(Z, [0]) == pytest.approx(2e4)
    np.testing.assert_allclose(cross_entropy_backward(Z, [0]), [[-1.0], [1.0]])


def test_one_k_from_the_mean():
    """Copying every column k times leaves the loss unchanged and divides the gradient by k."""
    Z = np.array([[0.5], [-1.0], [2.0]])
    g1 = cross_entropy_backward(Z, [1])
    Zk = np.repeat(Z, 4, axis=1)
    assert cross_entropy(Zk, [1] * 4) == pytest.approx(cross_entropy(Z, [1]))
    np.testing.assert_allclose(cross_entropy_backward(Zk, [1] * 4), np.repeat(g1, 4, axis=1) / 4)


def test_one_hot():
    np.testing.assert_array_equal(one_hot([2, 0, 1, 2], 3), [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]])
    np.testing.assert_array_equal(one_hot(np.array([1.0, 0.0]), 2), [[0, 1], [1, 0]])


# ---------------------------------------------------------------- bad input, in the notebook's words


@pytest.mark.parametrize("f", [softmax, log_softmax, lambda Z: cross_entropy(Z, [0])])
def test_bad_logits_are_refused(f):
    with pytest.raises(ValueError, match=r"Z must be a column of shape \(3, 1\).*got Z of shape \(3,\): use Z\.reshape\(-1, 1\)"):
        f(np.ones(3))
    with pytest.raises(ValueError, match=r"Z must hold real numbers; got complex entries"):
        f(np.array([[1.0 + 1e-9j], [0.0]]))
    with pytest.raises(ValueError, match=r"Z must hold finite numbers; got Z\[1, 0\] = nan"):
        f(np.array([[1.0], [np.nan]]))
    with pytest.raises(ValueError, match=r"Z must hold finite numbers; got Z\[0, 0\] = inf"):
        f(np.array([[np.inf], [0.0]]))
    with pytest.raises(ValueError, match=r"Z must be an m×k matrix.*got Z of shape \(2, 2, 1\)"):
        f(np.ones((2, 2, 1)))
    with pytest.raises(ValueError, match=r"Z must hold numbers"):
        f([["a"], ["b"]])


def test_jacobian_takes_one_column():
    with pytest.raises(ValueError, match=r"^softmax_jacobian takes one example, a column z of shape \(3, 1\); got z of shape \(3, 2\)"):
        softmax_jacobian(np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"z must be a column of shape \(3, 1\)"):
        softmax_jacobian(np.ones(3))
    with pytest.raises(ValueError, match=r"z must hold finite numbers"):
        softmax_jacobian(np.array([[np.nan], [0.0]]))


@pytest.mark.parametrize("f", [cross_entropy, cross_entropy_backward])
def test_bad_targets_are_refused(f):
    Z = np.zeros((3, 4))
    with pytest.raises(ValueError, match=r"^Z is 3×4, so Y must be a one-hot 3×4 matrix \(or 4 labels, shape \(4,\)\); got Y of shape \(4, 3\)$"):
        f(Z, np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"got Y of shape \(1, 4\)"):
        f(Z, np.array([[0, 1, 2, 0]]))
    with pytest.raises(ValueError, match=r"^Z has k = 4 columns \(examples\), so y needs 4 labels; got 3 labels"):
        f(Z, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"^Z has m = 3 rows \(classes\), so the labels y must be in 0\.\.2; got y\[1\] = 3$"):
        f(Z, np.array([0, 3, 1, 1]))
    with pytest.raises(ValueError, match=r"must be in 0\.\.2; got y\[0\] = -1"):
        f(Z, np.array([-1, 0, 1, 1]))  # would index from the end silently
    with pytest.raises(ValueError, match=r"must be whole numbers 0\.\.2; got y\[2\] = 1\.5"):
        f(Z, np.array([0.0, 1.0, 1.5, 2.0]))
    with pytest.raises(ValueError, match=r"must be whole numbers 0\.\.2; got y\[0\] = nan"):
        f(Z, np.array([np.nan, 1.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match=r"whole numbers"):
        f(Z, np.array([True, False, True, True]))
    with pytest.raises(ValueError, match=r"^Y must be one-hot: each column one 1 and 2 zeros; got column 1 of Y = \[0\.5, 0\.5, 0\.0\]$"):
        f(Z, np.array([[1, 0.5, 0, 0], [0, 0.5, 1, 0], [0, 0, 0, 1]]))
    with pytest.raises(ValueError, match=r"got column 0 of Y"):
        f(Z, np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"Y must hold real numbers"):
        f(Z, np.eye(3, 4) * (1 + 0j))


# ---------------------------------------------------------------- the classifier of notebook 07


def test_three_blobs_is_seeded_balanced_and_centred():
    X, y = three_blobs(300, spread=0.6, seed=0)
    assert X.shape == (2, 300) and y.shape == (300,)
    np.testing.assert_array_equal(np.bincount(y), [100, 100, 100])
    X2, y2 = three_blobs(300, spread=0.6, seed=0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    for c in range(3):
        np.testing.assert_allclose(X[:, y == c].mean(axis=1), CENTRES[:, c], atol=0.2)
    with pytest.raises(ValueError, match=r"k must be a whole multiple of 3"):
        three_blobs(10)


def test_polynomial_features():
    X = np.array([[2.0, -1.0], [3.0, 0.5]])
    F = polynomial_features(X, 3)
    assert F.shape == (9, 2)  # 3·6/2
    x1, x2 = X
    np.testing.assert_allclose(F, [x1, x2, x1**2, x1 * x2, x2**2, x1**3, x1**2 * x2, x1 * x2**2, x2**3])
    np.testing.assert_array_equal(polynomial_features(X, 1), X)
    with pytest.raises(ValueError, match=r"X must hold points of the plane, 2 rows"):
        polynomial_features(np.ones((3, 2)), 2)
    with pytest.raises(ValueError, match=r"degree must be a whole number ≥ 1; got degree = 0"):
        polynomial_features(X, 0)


def test_accuracy():
    Z = np.array([[2.0, 0.0, 0.0], [1.0, 3.0, 0.0], [0.0, 0.0, -1.0]])
    assert accuracy(Z, [0, 1, 2]) == pytest.approx(2 / 3)
    assert accuracy(Z, one_hot([0, 1, 0], 3)) == 1.0


@given(st.integers(0, 1000), st.sampled_from([0.1, 1.0, 5.0]))
def test_training_matches_the_series_rules_step_by_step(seed, eta):
    """The vectorised trainer takes exactly the steps of dense_forward + cross_entropy_backward
    + weight_gradient + bias_gradient, for each η of the stack."""
    from helpers.forward import dense_forward
    from helpers.weight_grad import bias_gradient, weight_gradient

    X, y = three_blobs(30, seed=seed)
    X_test, y_test = three_blobs(12, seed=seed + 1)
    out = train_softmax_classifier(X, y, X_test, y_test, [0.5, eta], epochs=6, every=3)
    np.testing.assert_array_equal(out["epochs"], [0, 3, 6])
    assert out["W"].shape == (2, 3, 3, 2) and out["b"].shape == (2, 3, 3, 1)
    W, b = np.zeros((3, 2)), np.zeros((3, 1))
    for epoch in range(7):
        if epoch % 3 == 0:
            s = epoch // 3
            np.testing.assert_allclose(out["W"][1, s], W, rtol=1e-10, atol=1e-14)
            np.testing.assert_allclose(out["b"][1, s], b, rtol=1e-10, atol=1e-14)
            Z = dense_forward(W, b, X, "identity")[0]
            np.testing.assert_allclose(out["train_loss"][1, s], cross_entropy(Z, y), rtol=1e-10)
            np.testing.assert_allclose(out["train_accuracy"][1, s], accuracy(Z, y))
            Z_test = dense_forward(W, b, X_test, "identity")[0]
            np.testing.assert_allclose(out["test_loss"][1, s], cross_entropy(Z_test, y_test), rtol=1e-10)
            np.testing.assert_allclose(out["test_accuracy"][1, s], accuracy(Z_test, y_test))
        Z = dense_forward(W, b, X, "identity")[0]
        dL_dZ = cross_entropy_backward(Z, y)
        W, b = W - eta * weight_gradient(dL_dZ, X), b - eta * bias_gradient(dL_dZ)
    assert out["train_loss"][0, 0] == pytest.approx(np.log(3))  # W = 0: every class gets 1/3


def test_training_refuses_bad_input():
    X, y = three_blobs(30)
    with pytest.raises(ValueError, match=r"X_train has 2 rows \(features\), so X_test needs 2 rows"):
        train_softmax_classifier(X, y, np.ones((3, 4)), [0, 1, 2, 0], [1.0], 5)
    with pytest.raises(ValueError, match=r"every learning rate η must be finite and > 0"):
        train_softmax_classifier(X, y, X, y, [1.0, -1.0], 5)
    with pytest.raises(ValueError, match=r"epochs must be a whole number ≥ 0"):
        train_softmax_classifier(X, y, X, y, [1.0], 2.5)
    with pytest.raises(ValueError, match=r"so y_train needs 30 labels; got 29"):
        train_softmax_classifier(X, y[:29], X, y, [1.0], 5)
    with pytest.raises(ValueError, match=r"Z has m = 2 rows \(classes\), so the labels y_train must be in 0\.\.1"):
        train_softmax_classifier(X, y, X, y, [1.0], 5, m=2)


def test_training_with_more_classes_than_the_labels_show():
    X, y = three_blobs(30)
    out = train_softmax_classifier(X, y, X, y, [1.0], epochs=3, m=4)
    assert out["W"].shape == (1, 4, 4, 2)
    assert out["train_loss"][0, 0] == pytest.approx(np.log(4))


# ---------------------------------------------------------------- found by a hostile review


@pytest.mark.parametrize("f", [softmax, log_softmax, lambda Z: cross_entropy(Z, [0]), lambda Z: cross_entropy(Z, [1]),
                               lambda Z: cross_entropy_backward(Z, [0]), softmax_jacobian])
def test_logits_too_far_apart_to_subtract_are_refused_not_a_warning_or_nan(f):
    """max − min of a column overflows float64 (1.7e308 − (−1.7e308)): a ValueError, not inf − inf."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"column 0 of (Z|z) .* too far apart"):
            f(np.array([[1.7e308], [-1.7e308]]))
        f(np.array([[8e307], [-8e307]]))  # the span still fits: an answer, no warning


def test_an_integer_too_large_for_a_float_is_a_value_error():
    with pytest.raises(ValueError, match=r"Z must hold numbers"):
        softmax([[10**400], [0]])


def test_a_certain_right_answer_has_loss_zero_not_minus_zero():
    L = cross_entropy(np.array([[1e300], [-1e300]]), [0])
    assert L == 0.0 and np.copysign(1.0, L) == 1.0


@pytest.mark.parametrize("m, message", [(2.5, "2.5"), (True, "True"), (None, "None"), ("3", "'3'"), (0, "0"), (-1, "-1")])
def test_one_hot_refuses_a_number_of_classes_that_is_not_a_whole_number_at_least_1(m, message):
    with pytest.raises(ValueError, match=rf"^the number of classes m must be a whole number ≥ 1; got m = {message}$"):
        one_hot([0], m)


@pytest.mark.parametrize("kwargs, message", [
    ({"spread": -1.0}, r"spread must be a finite number ≥ 0; got spread = -1.0"),
    ({"spread": np.nan}, r"spread must be a finite number ≥ 0; got spread = nan"),
    ({"spread": 1j}, r"spread must be a finite number ≥ 0; got spread = 1j"),
    ({"spread": [0.6, 0.7]}, r"spread must be a finite number ≥ 0; got spread = \[0.6, 0.7\]"),
    ({"seed": 1.5}, r"seed must be a whole number ≥ 0; got seed = 1.5"),
    ({"seed": "a"}, r"seed must be a whole number ≥ 0; got seed = 'a'"),
    ({"seed": -1}, r"seed must be a whole number ≥ 0; got seed = -1"),
])
def test_three_blobs_refuses_a_bad_spread_or_seed(kwargs, message):
    with pytest.raises(ValueError, match="^" + message + "$"):
        three_blobs(30, **kwargs)


@pytest.mark.parametrize("k_train", [0, 300, 301, -1, 60.0, True, None, "60"])
def test_three_blobs_split_refuses_a_split_that_leaves_a_set_empty_or_is_not_a_count(k_train):
    with pytest.raises(ValueError, match=r"^k_train must be a whole number from 1 to 299 \(the rest of the 300 points "
                                         r"are the test set\); got k_train = "):
        three_blobs_split(k_train)


def test_polynomial_features_and_standardize_refuse_overflow_not_a_warning():
    from helpers.softmax import standardize

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"^X is too large for degree 3: x₁\^a x₂\^b overflows float64 "
                                             r"\(largest \|x\| = 1e\+300\)$"):
            polynomial_features(np.array([[1e300, 1.0], [1.0, 1.0]]), 3)
        with pytest.raises(ValueError, match=r"^F_train is too large to standardize: its mean or standard deviation "
                                             r"overflows float64 \(largest \|entry\| = 1e\+300\)$"):
            standardize(np.array([[1e300, -1e300]]))


@pytest.mark.parametrize("m, message", [(2.5, "2.5"), (True, "True"), ("3", "'3'"), (1, "1")])
def test_training_refuses_a_number_of_classes_that_is_not_a_whole_number_at_least_2(m, message):
    X, y = three_blobs(30)
    with pytest.raises(ValueError, match=rf"^the number of classes m must be a whole number ≥ 2; got m = {message}$"):
        train_softmax_classifier(X, y, X, y, [1.0], 5, m=m)


def test_training_reads_the_number_of_classes_from_one_hot_targets():
    X, y = three_blobs(30)
    Y = one_hot(y, 3)
    out = train_softmax_classifier(X, Y, X, Y, [1.0], epochs=3)
    np.testing.assert_allclose(out["W"], train_softmax_classifier(X, y, X, y, [1.0], epochs=3)["W"])


@pytest.mark.parametrize("scale, eta", [(1e300, 1.0), (1e160, 1.0)])
def test_training_that_overflows_is_a_value_error_not_a_warning_or_nan(scale, eta):
    X, y = three_blobs(30)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"overflow"):
            train_softmax_classifier(scale * X, y, scale * X, y, [eta], 20)


def test_a_huge_step_that_still_fits_gives_finite_numbers_and_no_minus_zero():
    X, y = three_blobs(30)
    out = train_softmax_classifier(X, y, X, y, [1e305], 20)
    assert np.all(np.isfinite(out["W"])) and np.all(np.copysign(1.0, out["train_loss"]) == 1.0)


@given(classes, examples, st.sampled_from([1e100, 1e300, 4e307]), seeds)
def test_huge_logits_that_fit_give_finite_answers_without_warnings(m, k, scale, seed):
    """Far beyond 1e4: as long as each column's max − min fits a float64, every helper answers."""
    Z = np.clip(logits(m, k, scale, seed), -scale, scale)  # |Z| ≤ 4e307: max − min ≤ 8e307 fits
    y = labels_for(m, k, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        P, logP = softmax(Z), log_softmax(Z)
        L, dZ = cross_entropy(Z, y), cross_entropy_backward(Z, y)
    assert np.all(np.isfinite(P)) and np.all(np.isfinite(logP)) and np.isfinite(L) and np.all(np.isfinite(dZ))
    np.testing.assert_allclose(P.sum(axis=0), 1.0, rtol=1e-12)
    assert L >= 0


def test_one_hot_refuses_a_number_of_labels_that_is_not_a_whole_number():
    with pytest.raises(ValueError, match=r"^the number of examples k must be a whole number ≥ 0; got k = 1\.0$"):
        one_hot([0], 3, 1.0)
