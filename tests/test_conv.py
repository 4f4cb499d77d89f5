import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.conv import (
    SEED_IMAGE as SEED_X,
    SEED_KERNEL as SEED_K,
    col2im,
    conv2d_backward,
    convolve2d,
    correlate2d,
    correlate2d_loop,
    im2col,
    output_shape,
    resolve_padding,
    window_positions,
)
from helpers.gradcheck import numerical_gradient
from support import assert_gradients_agree


def by_definition(X, K, p, s):
    """Z[i, j] = Σ_ab X_p[s·i + a, s·j + b] K[a, b], with every index written out (four loops)."""
    H, W = X.shape
    kh, kw = K.shape
    out_h, out_w = (H + 2 * p - kh) // s + 1, (W + 2 * p - kw) // s + 1
    Z = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            for a in range(kh):
                for b in range(kw):
                    r, c = s * i + a - p, s * j + b - p  # image coordinates; outside = zero padding
                    if 0 <= r < H and 0 <= c < W:
                        Z[i, j] += X[r, c] * K[a, b]
    return Z


@st.composite
def layers(draw):
    """A random image, kernel, padding and stride such that the kernel fits the padded image."""
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    p, s = draw(st.integers(0, 2)), draw(st.integers(1, 3))
    H = draw(st.integers(max(1, kh - 2 * p), 7))
    W = draw(st.integers(max(1, kw - 2 * p), 7))
    rng = np.random.default_rng(draw(st.integers(0, 10_000)))
    return rng.normal(size=(H, W)), rng.normal(size=(kh, kw)), p, s


def test_seed_example_by_hand():
    Z = correlate2d(SEED_X, SEED_K)
    # top-left window: 1·1 + 1·0 + 1·1 + 0·0 + 1·1 + 1·0 + 0·1 + 0·0 + 1·1 = 4
    assert Z[0, 0] == 4
    # window at output (1, 2): rows 1..3, columns 2..4
    assert Z[1, 2] == 1 + 1 + 1 + 0 + 0 == 3
    np.testing.assert_array_equal(Z, by_definition(SEED_X, SEED_K, 0, 1))


@settings(max_examples=150, deadline=None)
@given(layers())
def test_correlate2d_against_the_definition_and_the_loop(layer):
    X, K, p, s = layer
    expected = by_definition(X, K, p, s)
    np.testing.assert_allclose(correlate2d(X, K, p, s), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(correlate2d_loop(X, K, p, s), expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(layers())
def test_output_size_formula(layer):
    X, K, p, s = layer
    (H, W), (kh, kw) = X.shape, K.shape
    shape = ((H + 2 * p - kh) // s + 1, (W + 2 * p - kw) // s + 1)
    assert correlate2d(X, K, p, s).shape == shape
    assert output_shape(X.shape, K.shape, p, s) == shape
    assert len(window_positions(X.shape, K.shape, p, s)) == shape[0] * shape[1]


@settings(max_examples=100, deadline=None)
@given(layers())
def test_im2col_identity(layer):
    X, K, p, s = layer
    cols = im2col(X, K.shape, p, s)
    oh, ow = output_shape(X.shape, K.shape, p, s)
    assert cols.shape == (oh * ow, K.size)
    np.testing.assert_allclose((cols @ K.ravel()).reshape(oh, ow), correlate2d(X, K, p, s), rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(layers())
def test_window_k_is_row_k_of_im2col(layer):
    X, K, p, s = layer
    padded = np.pad(X, p)
    cols = im2col(X, K.shape, p, s)
    oh, ow = output_shape(X.shape, K.shape, p, s)
    for w in window_positions(X.shape, K.shape, p, s):
        assert w.out == divmod(w.k, ow) and (w.top, w.left) == (s * w.out[0], s * w.out[1])
        np.testing.assert_array_equal(padded[w.rows, w.cols].ravel(), cols[w.k])
    assert window_positions(X.shape, K.shape, p, s)[-1].out == (oh - 1, ow - 1)


@settings(max_examples=60, deadline=None)
@given(layers(), st.integers(0, 1000))
def test_col2im_is_the_adjoint_of_im2col(layer, seed):
    # <im2col(X), C> = <X, col2im(C)> for every X and C: the definition of the transpose
    X, K, p, s = layer
    C = np.random.default_rng(seed).normal(size=im2col(X, K.shape, p, s).shape)
    lhs = np.sum(im2col(X, K.shape, p, s) * C)
    rhs = np.sum(X * col2im(C, X.shape, K.shape, p, s))
    assert lhs == pytest.approx(rhs, rel=1e-10, abs=1e-10)


@settings(max_examples=40, deadline=None)
@given(layers(), st.integers(0, 1000))
def test_conv2d_backward_against_numerical_gradient(layer, seed):
    X, K, p, s = layer
    G = np.random.default_rng(seed).normal(size=output_shape(X.shape, K.shape, p, s))  # L = Σ G ⊙ Z
    d_image, d_kernel = conv2d_backward(X, K, G, p, s)
    assert d_image.shape == X.shape and d_kernel.shape == K.shape
    num_image = numerical_gradient(lambda X_: float(np.sum(G * correlate2d(X_, K, p, s))), X.copy())
    num_kernel = numerical_gradient(lambda K_: float(np.sum(G * correlate2d(X, K_, p, s))), K.copy())
    assert_gradients_agree(d_image, num_image, "d_image")
    assert_gradients_agree(d_kernel, num_kernel, "d_kernel")


@settings(max_examples=40, deadline=None)
@given(layers(), st.integers(0, 1000))
def test_conv2d_backward_is_the_matrix_rules_through_im2col(layer, seed):
    X, K, p, s = layer
    delta = np.random.default_rng(seed).normal(size=output_shape(X.shape, K.shape, p, s))
    cols = im2col(X, K.shape, p, s)
    d_image, d_kernel = conv2d_backward(X, K, delta, p, s)
    np.testing.assert_allclose(d_kernel.ravel(), cols.T @ delta.ravel(), rtol=1e-10, atol=1e-12)
    d_cols = np.outer(delta.ravel(), K.ravel())
    np.testing.assert_allclose(d_image, col2im(d_cols, X.shape, K.shape, p, s), rtol=1e-10, atol=1e-12)


def test_pixels_the_stride_skips_get_zero_gradient():
    # 6×6 image, 2×2 kernel, stride 3, padding 1: padded 8×8, windows start at rows/cols 0 and 3,
    # so padded row/column 5 (image row/column 4) and beyond 6 are never in a window
    rng = np.random.default_rng(1)
    X, K = rng.normal(size=(6, 6)), rng.normal(size=(2, 2))
    d_image, _ = conv2d_backward(X, K, np.ones((3, 3)), padding=1, stride=3)
    covered = np.zeros((8, 8), bool)
    for w in window_positions(X.shape, K.shape, 1, 3):
        covered[w.rows, w.cols] = True
    covered = covered[1:7, 1:7]
    assert not covered.all()  # the case this test is about
    assert np.all(d_image[~covered] == 0)
    assert np.all(d_image[covered] != 0)
    num = numerical_gradient(lambda X_: float(np.sum(correlate2d(X_, K, 1, 3))), X.copy())
    assert_gradients_agree(d_image, num, "d_image")


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 4), st.integers(1, 4), st.integers(0, 1000))
def test_input_gradient_is_a_full_convolution_at_stride_1(H, W, kh, kw, seed):
    rng = np.random.default_rng(seed)
    X, K = rng.normal(size=(H + kh - 1, W + kw - 1)), rng.normal(size=(kh, kw))
    delta = rng.normal(size=(H, W))
    d_image, _ = conv2d_backward(X, K, delta)
    full = convolve2d(np.pad(delta, ((kh - 1, kh - 1), (kw - 1, kw - 1))), K)
    np.testing.assert_allclose(d_image, full, rtol=1e-10, atol=1e-12)


def test_convolution_flips_the_kernel():
    rng = np.random.default_rng(2)
    X, K = rng.normal(size=(6, 5)), rng.normal(size=(3, 2))
    np.testing.assert_allclose(convolve2d(X, K, 1, 2), by_definition(X, K[::-1, ::-1], 1, 2), rtol=1e-12)
    assert not np.allclose(convolve2d(X, K), correlate2d(X, K))
    symmetric = K[::-1, ::-1] + K  # unchanged by a 180° turn
    np.testing.assert_allclose(convolve2d(X, symmetric), correlate2d(X, symmetric), rtol=1e-12)


def test_true_convolution_of_an_impulse_copies_the_kernel():
    impulse = np.zeros((5, 5))
    impulse[2, 2] = 1.0
    K = np.arange(1.0, 10.0).reshape(3, 3)
    np.testing.assert_array_equal(convolve2d(impulse, K, "same")[1:4, 1:4], K)
    np.testing.assert_array_equal(correlate2d(impulse, K, "same")[1:4, 1:4], K[::-1, ::-1])


@pytest.mark.parametrize("kh, kw", [(1, 1), (3, 3), (5, 3), (1, 7)])
def test_same_padding_keeps_the_size(kh, kw):
    X = np.random.default_rng(3).normal(size=(6, 8))
    K = np.ones((kh, kw))
    assert resolve_padding("same", (kh, kw)) == ((kh - 1) // 2, (kw - 1) // 2)
    Z = correlate2d(X, K, padding="same")
    assert Z.shape == X.shape
    if kh == kw:
        np.testing.assert_allclose(Z, by_definition(X, K, (kh - 1) // 2, 1), rtol=1e-12)
    assert np.array_equal(correlate2d(X, K, "valid"), correlate2d(X, K, 0))


def test_same_padding_with_a_non_square_kernel_by_definition():
    rng = np.random.default_rng(4)
    X, K = rng.normal(size=(4, 6)), rng.normal(size=(3, 5))
    Z = correlate2d(X, K, "same")
    expected = np.zeros((4, 6))
    Xp = np.pad(X, ((1, 1), (2, 2)))
    for i in range(4):
        for j in range(6):
            expected[i, j] = np.sum(Xp[i:i + 3, j:j + 5] * K)
    np.testing.assert_allclose(Z, expected, rtol=1e-12)


def test_inputs_are_not_modified():
    rng = np.random.default_rng(5)
    X, K, G = rng.normal(size=(5, 5)), rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    before = [X.copy(), K.copy(), G.copy()]
    correlate2d(X, K, 1, 2)
    im2col(X, K.shape, 1, 2)
    conv2d_backward(X, K, G, 1, 2)
    for a, b in zip(before, [X, K, G]):
        np.testing.assert_array_equal(a, b)


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize("padding, match", [
    (-1, r"padding must be a whole number ≥ 0.*got padding=-1"),
    (1.5, r"padding must be a whole number ≥ 0.*got padding=1.5"),
    ("full", r"padding must be a whole number ≥ 0, 'valid' or 'same'; got the word 'full'"),
])
def test_bad_padding_is_named(padding, match):
    with pytest.raises(ValueError, match=match):
        correlate2d(np.ones((4, 4)), np.ones((3, 3)), padding=padding)


@pytest.mark.parametrize("stride", [0, -2, 1.5, True])
def test_bad_stride_is_named(stride):
    with pytest.raises(ValueError, match=rf"stride must be a whole number ≥ 1.*got stride={stride!r}"):
        correlate2d(np.ones((4, 4)), np.ones((3, 3)), stride=stride)


def test_same_padding_refuses_even_kernels_and_strides():
    with pytest.raises(ValueError, match=r'padding="same" needs a kernel with odd sides.*got a 3×2 kernel'):
        correlate2d(np.ones((4, 4)), np.ones((3, 2)), padding="same")
    with pytest.raises(ValueError, match=r'padding="same" needs stride 1; got stride=2'):
        correlate2d(np.ones((4, 4)), np.ones((3, 3)), padding="same", stride=2)


def test_kernel_larger_than_the_padded_image():
    with pytest.raises(ValueError, match=r"the 5×5 kernel is larger than the padded image: image 2×3 with padding 1 is 4×5"):
        correlate2d(np.ones((2, 3)), np.ones((5, 5)), padding=1)
    assert correlate2d(np.ones((2, 3)), np.ones((4, 5)), padding=1).shape == (1, 1)  # just fits


@pytest.mark.parametrize("image, kernel, name, shape", [
    (np.ones(5), np.ones((3, 3)), "image", r"\(5,\)"),
    (np.ones((5, 5)), np.ones(3), "kernel", r"\(3,\)"),
    (np.ones((2, 5, 5)), np.ones((3, 3)), "image", r"\(2, 5, 5\)"),
])
def test_arrays_that_are_not_2d(image, kernel, name, shape):
    for f in (correlate2d, convolve2d, correlate2d_loop):
        with pytest.raises(ValueError, match=rf"{name} must be a 2-D matrix; got {name} of shape {shape}"):
            f(image, kernel)


def test_d_out_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"is 2×2, so d_out must be 2×2; got d_out of shape \(3, 3\)"):
        conv2d_backward(np.ones((5, 5)), np.ones((3, 3)), np.ones((3, 3)), padding=1, stride=3)


def test_col2im_checks_the_shape_of_cols():
    with pytest.raises(ValueError, match=r"has 9 windows of 4 pixels, so cols must be 9×4; got cols of shape \(4, 9\)"):
        col2im(np.ones((4, 9)), (4, 4), (2, 2))


def test_bad_kernel_shape():
    with pytest.raises(ValueError, match=r"kernel_shape must be two whole numbers ≥ 1"):
        im2col(np.ones((4, 4)), (3,))
    with pytest.raises(ValueError, match=r"kernel_shape must be two whole numbers ≥ 1"):
        im2col(np.ones((4, 4)), (0, 2))
