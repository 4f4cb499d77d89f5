"""helpers.layers: every layer's backward pass against finite differences, a composed CNN's whole-model
gradient check, Sequential's chaining, and the refusals in the notebook's words."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.gradcheck import numerical_gradient
from helpers.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sequential, Sigmoid, Standardize, make_rng
from helpers.softmax import cross_entropy, cross_entropy_backward
from support import assert_gradients_agree


def check_layer(layer, X, rng):
    """L = Σ G ⊙ layer(X) for a random G: backward(G) must give ∂L/∂X and every ∂L/∂param by finite differences."""
    out = layer.forward(X)
    G = rng.normal(size=out.shape)
    dX = layer.backward(G)
    assert dX.shape == X.shape
    loss = lambda _: float(np.sum(G * layer.forward(X)))
    for name, p in layer.params.items():
        assert layer.grads[name].shape == p.shape, name
        assert_gradients_agree(layer.grads[name], numerical_gradient(loss, p), f"{type(layer).__name__} d{name}")
    X_nudged = X.copy()
    assert_gradients_agree(dX, numerical_gradient(lambda X_: float(np.sum(G * layer.forward(X_))), X_nudged),
                           f"{type(layer).__name__} dX")


def away_from_zero(rng, shape, gap=0.05):
    """Normal numbers with |x| ≥ gap: no finite difference straddles ReLU's kink at 0."""
    X = rng.normal(size=shape)
    return np.where(np.abs(X) < gap, np.sign(X + 1e-12) * gap, X)


@settings(max_examples=25, deadline=None)
@given(n_in=st.integers(1, 6), n_out=st.integers(1, 5), k=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_dense_backward_matches_finite_differences(n_in, n_out, k, seed):
    rng = np.random.default_rng(seed)
    layer = Dense(n_in, n_out, rng=rng)
    layer.params["b"][...] = rng.normal(size=(n_out, 1))
    check_layer(layer, rng.normal(size=(n_in, k)), rng)


@settings(max_examples=20, deadline=None)
@given(c_in=st.integers(1, 3), c_out=st.integers(1, 3), kernel=st.integers(1, 3), padding=st.integers(0, 2),
       stride=st.integers(1, 2), size=st.integers(3, 6), seed=st.integers(0, 2**16))
def test_conv2d_backward_matches_finite_differences(c_in, c_out, kernel, padding, stride, size, seed):
    rng = np.random.default_rng(seed)
    layer = Conv2D(c_in, c_out, kernel, padding=padding, stride=stride, rng=rng)
    layer.params["b"][...] = rng.normal(size=c_out)
    check_layer(layer, rng.normal(size=(2, c_in, size, size)), rng)


@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4, 4)])
@pytest.mark.parametrize("make", [ReLU, Sigmoid, lambda: Standardize(0.3, 0.4)], ids=["ReLU", "Sigmoid", "Standardize"])
def test_elementwise_layers_backward_match_finite_differences(make, shape):
    rng = np.random.default_rng(3)
    check_layer(make(), away_from_zero(rng, shape), rng)


def test_relu_blocks_the_gradient_where_its_input_was_negative():
    layer = ReLU()
    layer.forward(np.array([[-1.0, 2.0], [0.0, 3.0]]))
    assert np.array_equal(layer.backward(np.ones((2, 2))), [[0.0, 1.0], [0.0, 1.0]])


@pytest.mark.parametrize("size", [2, 3])
def test_maxpool_backward_matches_finite_differences(size):
    rng = np.random.default_rng(size)
    # distinct values: no tie, so the maximum of each window is differentiable
    X = rng.permutation(2 * 2 * 6 * 6).reshape(2, 2, 6, 6) / 10.0
    check_layer(MaxPool2D(size), X, rng)


def test_flatten_makes_one_column_per_image_and_puts_the_gradient_back():
    X = np.arange(2 * 3 * 2 * 2, dtype=float).reshape(2, 3, 2, 2)
    layer = Flatten()
    out = layer.forward(X)
    assert out.shape == (12, 2)
    assert np.array_equal(out[:, 1], X[1].ravel())      # column n is image n, channel by channel, row by row
    dOut = np.random.default_rng(0).normal(size=(12, 2))
    assert np.array_equal(layer.backward(dOut)[1], dOut[:, 1].reshape(3, 2, 2))
    check_layer(layer, X, np.random.default_rng(1))


def small_cnn(seed):
    rng = np.random.default_rng(seed)
    return Sequential(Standardize(0.3, 0.4), Conv2D(1, 3, 3, padding=1, rng=rng), ReLU(), MaxPool2D(2), Flatten(),
                      Dense(3 * 3 * 3, 8, rng=rng), Sigmoid(), Dense(8, 10, rng=rng))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_whole_cnn_gradient_check_every_parameter_and_the_input(seed):
    """A composed CNN (every layer type) under cross-entropy: each parameter and ∂L/∂X against finite differences."""
    rng = np.random.default_rng(100 + seed)
    model = small_cnn(seed)
    for layer in model.layers:
        if "b" in layer.params:
            layer.params["b"][...] = 0.1 * rng.normal(size=layer.params["b"].shape)
    X = rng.uniform(size=(4, 1, 6, 6))       # no ties, no pre-activation at 0 (almost surely)
    y = rng.integers(0, 10, size=4)
    dX = model.backward(cross_entropy_backward(model.forward(X), y))
    grads = {name: g.copy() for name, g in model.grads.items()}
    assert set(grads) == {"1.K", "1.b", "5.W", "5.b", "7.W", "7.b"}
    loss = lambda _: cross_entropy(model.forward(X), y)
    for name, p in model.params.items():
        assert_gradients_agree(grads[name], numerical_gradient(loss, p), name)
    assert_gradients_agree(dX, numerical_gradient(lambda X_: cross_entropy(model.forward(X_), y), X.copy()), "dX")


def test_the_whole_model_check_catches_a_wrong_pooling_backward():
    """The bug of the notebook's exercise: average pooling's backward in a max-pooling layer."""
    from helpers.conv_layer import avgpool_backward

    class WrongPool(MaxPool2D):
        def backward(self, dOut):
            return avgpool_backward(dOut, self._saved, self.size)

    model = small_cnn(0)
    model.layers[3] = WrongPool(2)
    rng = np.random.default_rng(5)
    X, y = rng.uniform(size=(3, 1, 6, 6)), np.array([1, 2, 3])
    model.backward(cross_entropy_backward(model.forward(X), y))
    loss = lambda _: cross_entropy(model.forward(X), y)
    wrong = model.grads["1.K"].copy()
    assert not np.allclose(wrong, numerical_gradient(loss, model.params["1.K"]), rtol=1e-3)
    assert_gradients_agree(model.grads["7.W"], numerical_gradient(loss, model.params["7.W"]), "above the bug")


def test_sequential_chains_forward_and_backward_and_shares_the_layers_arrays():
    rng = np.random.default_rng(0)
    a, b = Dense(3, 4, rng=rng), Dense(4, 2, rng=rng)
    model = Sequential(a, ReLU(), b)
    X = rng.normal(size=(3, 5))
    assert np.array_equal(model.forward(X), b.forward(np.maximum(a.forward(X), 0)))
    assert list(model.params) == ["0.W", "0.b", "2.W", "2.b"] and list(model.grads) == list(model.params)
    assert model.params["0.W"] is a.params["W"]
    model.params["2.b"] += 1.0                      # in place: the layer sees it
    assert np.array_equal(b.params["b"], np.ones((2, 1)))
    dX = model.backward(np.ones((2, 5)))
    assert dX.shape == X.shape and model.grads["0.W"] is a.grads["W"]


def test_initialisation_is_he_and_seeded():
    W = Dense(400, 300, rng=0).params["W"]
    assert abs(W.std() - np.sqrt(2 / 400)) < 0.003 and abs(W.mean()) < 0.003
    K = Conv2D(4, 50, 3, rng=0).params["K"]
    assert abs(K.std() - np.sqrt(2 / 36)) < 0.02
    assert np.array_equal(Dense(3, 2).params["W"], Dense(3, 2, rng=0).params["W"])   # None means seed 0
    assert not np.array_equal(Dense(3, 2, rng=1).params["W"], Dense(3, 2, rng=0).params["W"])
    assert np.array_equal(Conv2D(1, 2, 3).params["b"], np.zeros(2)) and np.array_equal(Dense(3, 2).params["b"], np.zeros((2, 1)))


@pytest.mark.parametrize("call, message", [
    (lambda: Dense(3, 2).forward(np.ones((4, 5))), r"W is 2×3, so x needs 3 rows; got x of shape \(4, 5\)"),
    (lambda: Dense(64, 10).forward(np.ones((5, 1, 8, 8))), r"put Flatten\(\) before it"),
    (lambda: Dense(3, 2).backward(np.ones((2, 1))), r"needs the forward pass first"),
    (lambda: Conv2D(3, 8, 3).forward(np.ones((2, 1, 8, 8))), r"X has 1 channels?, so K needs 1 input channels?"),
    (lambda: Flatten().forward(np.ones((64, 5))), r"Flatten takes a batch of images \(N, C, H, W\); got X of shape \(64, 5\)"),
    (lambda: Dense(0, 2), r"n_in must be a whole number ≥ 1"),
    (lambda: Dense(3, 2, rng="seed"), r"rng must be a np.random.Generator"),
    (lambda: Standardize(0.3, 0.0), r"std > 0"),
    (lambda: Standardize("mean", 0.4), r"Standardize needs two numbers"),
    (lambda: Sequential(Dense(3, 2), "relu"), r"got 'relu' at position 1"),
])
def test_refusals_name_what_was_given_and_what_was_expected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("layer, X, dOut_shape", [
    (Dense(3, 2), np.ones((3, 4)), (4, 2)),
    (ReLU(), np.ones((2, 3)), (3, 2)),
    (Flatten(), np.ones((2, 1, 2, 2)), (2, 4)),
    (Standardize(0.0, 1.0), np.ones((2, 3)), (2, 1)),
])
def test_a_dOut_not_shaped_like_the_output_is_refused_not_broadcast(layer, X, dOut_shape):
    out = layer.forward(X)
    with pytest.raises(ValueError, match=rf"output was {'×'.join(map(str, out.shape))}, so dOut must be"):
        layer.backward(np.ones(dOut_shape))


def test_make_rng():
    g = np.random.default_rng(5)
    assert make_rng(g) is g
    assert make_rng(5).integers(1000) == np.random.default_rng(5).integers(1000)
    with pytest.raises(ValueError):
        make_rng(True)


def _run_backward(layer, X, dOut):
    layer.forward(X)
    return layer.backward(dOut)


NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize("call, message", [
    (lambda: Dense(3, 2).forward(np.full((3, 2), NAN)), r"Dense needs finite numbers; got nan in X at index \(0, 0\)"),
    (lambda: Dense(3, 2).forward(np.full((3, 2), INF)), r"Dense needs finite numbers; got inf in X"),
    (lambda: Dense(3, 2).forward(None), r"Dense needs X to hold numbers; got None"),
    (lambda: Dense(3, 2).forward(np.ones((3, 0))), r"at least one number; got an empty X of shape \(3, 0\)"),
    (lambda: _run_backward(Dense(3, 2), np.ones((3, 4)), np.full((2, 4), NAN)), r"Dense.backward needs finite numbers"),
    (lambda: _run_backward(Dense(3, 2), np.ones((3, 4)), np.full((2, 4), 1e308)), r"(∂L/∂W|dL_dW = dL_dz @ x.T) overflows"),
    (lambda: _run_backward(Dense(3, 2), np.ones((3, 4)), None), r"dOut = ∂L/∂out, shaped 2×4; got None"),
    (lambda: ReLU().forward(None), r"ReLU needs X to hold numbers; got None"),
    (lambda: ReLU().forward(np.array([NAN, 1.0])), r"ReLU needs finite numbers; got nan"),
    (lambda: ReLU().forward(np.ones((0, 3))), r"got an empty X of shape \(0, 3\)"),
    (lambda: Sigmoid().forward(np.array([INF])), r"Sigmoid needs finite numbers; got inf"),
    (lambda: _run_backward(Sigmoid(), np.ones((2, 3)), np.full((2, 3), INF)), r"Sigmoid.backward needs finite numbers"),
    (lambda: _run_backward(ReLU(), np.ones((2, 3)), np.full((2, 3), NAN)), r"ReLU.backward needs finite numbers"),
    (lambda: Flatten().forward(np.ones((0, 1, 2, 2))), r"Flatten needs a batch with at least one number"),
    (lambda: Flatten().forward(np.full((1, 1, 2, 2), NAN)), r"Flatten needs finite numbers"),
    (lambda: _run_backward(Flatten(), np.ones((1, 1, 2, 2)), np.full((4, 1), NAN)), r"Flatten.backward needs finite"),
    (lambda: MaxPool2D(2).forward(np.ones((1, 1, 5, 5))), r"H and W must be multiples of 2; got X of shape \(1, 1, 5, 5\)"),
    (lambda: MaxPool2D(2).forward(np.ones((0, 1, 4, 4))), r"MaxPool2D needs a batch with at least one number"),
    (lambda: Conv2D(1, 2, (3,)), r"kernel_size must be one whole number \(a square kernel\) or a pair"),
    (lambda: Conv2D(1, 2, (3, 3, 3)), r"kernel_size must be one whole number"),
    (lambda: Conv2D(1, 2, 3, padding=-1), r"padding must be a whole number ≥ 0"),
    (lambda: Conv2D(1, 2, 3, padding="full"), r"padding must be a whole number ≥ 0, 'valid' or 'same'"),
    (lambda: Conv2D(1, 2, 3, stride=0), r"stride must be a whole number ≥ 1"),
    (lambda: Conv2D(1, 2, 2, padding="same"), r'padding="same" needs a kernel with odd sides'),
    (lambda: Conv2D(1, 2, 3).forward(np.ones((0, 1, 4, 4))), r"Conv2D needs a batch with at least one number"),
    (lambda: Standardize(True, 1.0), r"Standardize needs two numbers"),
    (lambda: Standardize(0.0, 1e-300).forward(np.full(2, 1e10)), r"overflows float64"),
    (lambda: Standardize(0.0, 1.0).forward(np.array([NAN])), r"Standardize needs finite numbers"),
    (lambda: make_rng(-1), r"whole-number seed ≥ 0"),
])
def test_bad_numbers_empty_batches_and_bad_sizes_are_refused_in_the_notebooks_words(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_maxpool_takes_divisible_images_and_conv_takes_a_kernel_pair():
    assert MaxPool2D(3).forward(np.ones((1, 1, 6, 6))).shape == (1, 1, 2, 2)
    assert Conv2D(1, 2, (3, 1), padding=1).forward(np.ones((1, 1, 4, 4))).shape == (1, 2, 4, 6)
    assert Conv2D(1, 2, [3, 3]).params["K"].shape == (2, 1, 3, 3)
