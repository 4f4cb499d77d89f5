import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.conv import (
    SEED_IMAGE as SEED_X,
    SEED_KERNEL as SEED_K,
    col2im,
    conv2d_backward_as_convolutions,
    conv_matrix,
    conv2d_backward,
    convolve2d,
    correlate2d,
    correlate2d_loop,
    im2col,
    output_shape,
    pad2d,
    resolve_padding,
    spread,
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


@pytest.mark.parametrize("backward", [conv2d_backward, conv2d_backward_as_convolutions])
@settings(max_examples=50, deadline=None)
@given(layer=layers(), seed=st.integers(0, 1000))
def test_conv2d_backward_against_numerical_gradient(backward, layer, seed):
    """conv2d_backward, and the stride-s rules (spread δ with s − 1 zeros, full-convolve with K,
    crop the padding; dK = X_p ⋆ spread δ) over strides 1-3, paddings 0-2, kernels 1×1 to 4×4."""
    X, K, p, s = layer
    G = np.random.default_rng(seed).normal(size=output_shape(X.shape, K.shape, p, s))  # L = Σ G ⊙ Z
    d_image, d_kernel = backward(X, K, G, p, s)
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


# ----------------------------------------------------------------------------- the big matrix C, stride-s rules


def test_conv_matrix_of_the_seed_example():
    C = conv_matrix(SEED_X.shape, SEED_K)
    assert C.shape == (9, 25)  # 9 windows, 25 pixels
    assert np.count_nonzero(C) == 9 * 5  # the seed's K has 5 non-zero entries, in every row
    np.testing.assert_array_equal(C @ SEED_X.ravel(), correlate2d(SEED_X, SEED_K).ravel())
    # row 5 is window (1, 2): K's rows land on pixels (1..3, 2..4)
    expected = np.zeros((5, 5))
    expected[1:4, 2:5] = SEED_K
    np.testing.assert_array_equal(C[5].reshape(5, 5), expected)


@settings(max_examples=80, deadline=None)
@given(layers(), st.integers(0, 1000))
def test_conv_matrix_is_the_layer_and_its_transpose_the_backward_pass(layer, seed):
    X, K, p, s = layer
    C = conv_matrix(X.shape, K, p, s)
    Z = correlate2d(X, K, p, s)
    assert C.shape == (Z.size, X.size)
    np.testing.assert_allclose(C @ X.ravel(), Z.ravel(), rtol=1e-12, atol=1e-12)
    delta = np.random.default_rng(seed).normal(size=Z.shape)
    np.testing.assert_allclose((C.T @ delta.ravel()).reshape(X.shape), conv2d_backward(X, K, delta, p, s)[0],
                               rtol=1e-10, atol=1e-12)
    # sparse and weight-shared: each row holds at most kh·kw entries, all of them entries of K
    assert np.all(np.count_nonzero(C, axis=1) <= K.size)
    assert np.all(np.isin(C[C != 0], K))


def test_spread_puts_stride_minus_one_zeros_between_entries():
    delta = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(spread(delta, 3), [[1, 0, 0, 2], [0, 0, 0, 0], [0, 0, 0, 0], [3, 0, 0, 4]])
    assert spread(delta, 1) is not delta
    np.testing.assert_array_equal(spread(delta, 1), delta)
    assert spread(np.ones((3, 1)), 2).shape == (5, 1)


@settings(max_examples=60, deadline=None)
@given(layers(), st.integers(0, 1000))
def test_stride_s_rules_equal_conv2d_backward(layer, seed):
    X, K, p, s = layer
    G = np.random.default_rng(seed).normal(size=output_shape(X.shape, K.shape, p, s))
    for got, expected in zip(conv2d_backward_as_convolutions(X, K, G, p, s), conv2d_backward(X, K, G, p, s)):
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


def test_stride_rules_written_out_for_one_case():
    # 6×7 image, 3×2 kernel, p = 1, s = 3: padded 8×9, out 2×3, spread δ 4×7, reaching 6×8 of X_p
    rng = np.random.default_rng(6)
    X, K = rng.normal(size=(6, 7)), rng.normal(size=(3, 2))
    delta = rng.normal(size=(2, 3))
    d_spread = spread(delta, 3)
    assert d_spread.shape == (4, 7)
    full = convolve2d(np.pad(d_spread, ((2, 2), (1, 1))), K)
    assert full.shape == (6, 8)
    d_padded = np.zeros((8, 9))
    d_padded[:6, :8] = full
    d_image, d_kernel = conv2d_backward(X, K, delta, 1, 3)
    np.testing.assert_allclose(d_padded[1:7, 1:8], d_image, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(correlate2d(np.pad(X, 1)[:6, :8], d_spread), d_kernel, rtol=1e-12, atol=1e-12)
    assert not np.allclose(convolve2d(np.pad(delta, ((2, 2), (1, 1))), K)[:2, :3], 0)  # unspread δ: other shape
    assert convolve2d(np.pad(delta, ((2, 2), (1, 1))), K).shape != full.shape


def test_window_q_is_its_number():
    w = window_positions((5, 5), (3, 3))[5]
    assert w.q == w.k == 5 and w.out == (1, 2)


# ----------------------------------------------------------------------------- fresh arrays


@pytest.mark.parametrize("kernel_shape", [(1, 1), (5, 4), (1, 4)])
def test_im2col_returns_a_new_writable_array(kernel_shape):
    X = np.arange(20.0).reshape(5, 4)
    cols = im2col(X, kernel_shape)
    assert cols.flags.writeable and not np.shares_memory(cols, X)
    cols[...] = -1
    np.testing.assert_array_equal(X, np.arange(20.0).reshape(5, 4))


@pytest.mark.parametrize("padding", [(0, 0), 0, (1, 0), 2])
def test_pad2d_returns_a_new_array(padding):
    X = np.arange(6.0).reshape(2, 3)
    padded = pad2d(X, padding)
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    assert padded.shape == (2 + 2 * ph, 3 + 2 * pw)
    assert padded is not X and padded.flags.writeable and not np.shares_memory(padded, X)
    np.testing.assert_array_equal(padded[ph:ph + 2, pw:pw + 3], X)
    assert padded.sum() == X.sum()  # the rest is zeros


@pytest.mark.parametrize("padding", [1.5, "same", (1,), (1, 2, 3), (1, -1), -1, None, True])
def test_pad2d_names_a_bad_padding(padding):
    with pytest.raises(ValueError, match=rf"padding must be a whole number p ≥ 0 .* or a pair \(ph, pw\).*got padding="):
        pad2d(np.ones((3, 3)), padding)


# ----------------------------------------------------------------------------- numbers that are refused

RANDOM = np.random.default_rng(7)
X5, K3, D3 = RANDOM.normal(size=(5, 5)), RANDOM.normal(size=(3, 3)), RANDOM.normal(size=(3, 3))


def poisoned(a, value, where=(1, 2)):
    a = np.array(a, dtype=complex if isinstance(value, complex) else float)
    a[where] = value
    return a


CALLS = {  # each call with its argument ``name`` replaced by a
    "correlate2d image": ("image", lambda a: correlate2d(a, K3), X5),
    "correlate2d kernel": ("kernel", lambda a: correlate2d(X5, a), K3),
    "convolve2d kernel": ("kernel", lambda a: convolve2d(X5, a), K3),
    "correlate2d_loop image": ("image", lambda a: correlate2d_loop(a, K3), X5),
    "im2col image": ("image", lambda a: im2col(a, (3, 3)), X5),
    "pad2d image": ("image", lambda a: pad2d(a, 1), X5),
    "col2im cols": ("cols", lambda a: col2im(a, (3, 3), (1, 1)), np.ones((9, 1))),
    "conv2d_backward d_out": ("d_out", lambda a: conv2d_backward(X5, K3, a), D3),
    "conv2d_backward image": ("image", lambda a: conv2d_backward(a, K3, D3), X5),
    "as_convolutions d_out": ("d_out", lambda a: conv2d_backward_as_convolutions(X5, K3, a, 1, 2), D3),
    "spread d_out": ("d_out", lambda a: spread(a, 2), D3),
    "conv_matrix kernel": ("kernel", lambda a: conv_matrix((5, 5), a), K3),
}


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("call", CALLS, ids=str)
def test_nan_and_inf_are_refused_by_name(call, value):
    name, f, good = CALLS[call]
    f(good)  # the call works with finite numbers
    with pytest.raises(ValueError, match=rf"{name} must hold finite numbers; got {name}\[1, 0\] = {value}"):
        f(poisoned(good, value, (1, 0)))


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_complex_numbers_are_refused_by_name(call):
    name, f, good = CALLS[call]
    with pytest.raises(ValueError, match=rf"{name} must hold real numbers; got complex entries .* in {name} of shape"):
        f(good + 0j)  # even a zero imaginary part: the caller meant something complex


@pytest.mark.parametrize("f", [
    lambda K: correlate2d(np.ones((4, 4)), K),
    lambda K: correlate2d_loop(np.ones((4, 4)), K),
    lambda K: conv2d_backward(np.ones((4, 4)), K, np.ones((2, 2)))[0],
    lambda K: conv2d_backward(np.ones((4, 4)), np.ones((3, 3)), K[:2, :2])[1],
    lambda K: col2im(np.tile(K.ravel(), (9, 1)), (5, 5), (3, 3)),  # the centre pixel is in all 9 windows
], ids=["correlate2d", "correlate2d_loop", "backward: image", "backward: kernel", "col2im"])
def test_sums_that_overflow_are_an_error_not_an_inf(f):
    huge = np.full((3, 3), 1e308)  # finite, as a learner can type it; nine of them sum past 1.8e308
    with pytest.raises(ValueError, match=r"the result overflows: .*1e\+308.* exceeds 1\.8e\+308, the largest float64"):
        f(huge)
    assert np.all(np.isfinite(f(np.full((3, 3), 1e300))))  # large but fine


@pytest.mark.parametrize("image_shape", ["ab", 5, (5,), (5, 0), (5.0, 5), (5, 5, 1)])
def test_bad_image_shapes_are_named(image_shape):
    for f in (lambda: output_shape(image_shape, (3, 3)), lambda: window_positions(image_shape, (3, 3)),
              lambda: col2im(np.ones((1, 9)), image_shape, (3, 3)), lambda: conv_matrix(image_shape, np.ones((3, 3)))):
        with pytest.raises(ValueError, match=r"image_shape must be two whole numbers ≥ 1, \(H, W\); got"):
            f()


# ----------------------------------------------------------------------------- review 06: more bad input


@pytest.mark.parametrize("image", [np.zeros((0, 0)), np.zeros((0, 3)), np.zeros((3, 0))])
def test_an_empty_image_or_delta_is_named(image):
    with pytest.raises(ValueError, match="at least one row and one column"):
        correlate2d(image, np.ones((1, 1)))
    with pytest.raises(ValueError, match="at least one row and one column"):
        pad2d(image, 1)
    with pytest.raises(ValueError, match="at least one row and one column"):
        spread(image, 2)


def test_dates_and_too_large_long_doubles_are_refused():
    with pytest.raises(ValueError, match="dates or times"):
        correlate2d(np.ones((3, 3)), np.array([[np.datetime64("2020-01-01")]]))
    if np.finfo(np.longdouble).max > np.finfo(float).max:  # 80-bit long double (x86 Linux)
        with pytest.raises(ValueError, match="float64 can hold"):
            correlate2d(np.ones((3, 3), np.longdouble) * np.longdouble(10) ** 400, np.ones((1, 1)))


@pytest.mark.parametrize("call", [
    lambda: correlate2d(np.ones((5, 5)), np.ones((3, 3)), padding=10 ** 30),
    lambda: correlate2d(np.ones((5, 5)), np.ones((3, 3)), padding=2 ** 63),
    lambda: pad2d(np.ones((5, 5)), 10 ** 6),
    lambda: im2col(np.ones((5, 5)), (3, 3), padding=10 ** 6),
    lambda: col2im(np.ones((9, 9)), (5, 5), (3, 3), padding=10 ** 30),
    lambda: spread(np.ones((3, 3)), 10 ** 30),
    lambda: window_positions((5, 5), (3, 3), padding=10 ** 30),
    lambda: conv_matrix((150, 128), np.ones((3, 3))),  # the photo's C: 2.9 GB
])
def test_huge_sizes_are_a_value_error_not_a_hang_or_a_memory_error(call):
    with pytest.raises(ValueError, match="use a smaller"):
        call()


def test_window_positions_with_a_numpy_uint8_stride_does_not_overflow():
    last = window_positions((1000, 1000), (3, 3), 0, np.uint8(200))[-1]
    assert (last.top, last.left) == (800, 800)
