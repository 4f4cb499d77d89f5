"""helpers.conv_layer against loops written straight from the definitions, and against finite differences."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.conv import correlate2d
from helpers.conv_layer import (
    avgpool_backward,
    avgpool_forward,
    batch_col2im,
    batch_im2col,
    conv_backward,
    conv_forward,
    layer_output_shape,
    maxpool_backward,
    maxpool_forward,
    maxpool_winners,
)
from helpers.gradcheck import numerical_gradient
from support import assert_gradients_agree

# ----------------------------------------------------------------------------- references (loops)


def conv_by_definition(X, K, b, p, s):
    """Z[n, f, i, j] = b[f] + Σ_cab X_p[n, c, s·i + a, s·j + b] K[f, c, a, b], every index a loop."""
    N, C, H, W = X.shape
    F, _, kh, kw = K.shape
    oh, ow = (H + 2 * p - kh) // s + 1, (W + 2 * p - kw) // s + 1
    Z = np.zeros((N, F, oh, ow))
    for n in range(N):
        for f in range(F):
            for i in range(oh):
                for j in range(ow):
                    total = b[f]
                    for c in range(C):
                        for a in range(kh):
                            for q in range(kw):
                                r, col = s * i + a - p, s * j + q - p  # outside the image: zero padding
                                if 0 <= r < H and 0 <= col < W:
                                    total += X[n, c, r, col] * K[f, c, a, q]
                    Z[n, f, i, j] = total
    return Z


def maxpool_by_definition(X, size, stride):
    """(Y, dX_for(dY)) with loops; the winner is the first maximum met scanning the window row by row."""
    N, C, H, W = X.shape
    oh, ow = (H - size) // stride + 1, (W - size) // stride + 1
    Y = np.zeros((N, C, oh, ow))
    winners = {}
    for n in range(N):
        for c in range(C):
            for i in range(oh):
                for j in range(ow):
                    best = None
                    for a in range(size):
                        for q in range(size):
                            r, col = stride * i + a, stride * j + q
                            if best is None or X[n, c, r, col] > X[n, c, best[0], best[1]]:
                                best = (r, col)
                    Y[n, c, i, j] = X[n, c, best[0], best[1]]
                    winners[n, c, i, j] = best

    def backward(dY):
        dX = np.zeros(X.shape)
        for (n, c, i, j), (r, col) in winners.items():
            dX[n, c, r, col] += dY[n, c, i, j]
        return dX

    return Y, backward, winners


@st.composite
def conv_layers(draw, max_side=6):
    """X, K, b, padding, stride with the kernel fitting the padded image (small: loops and finite differences)."""
    N, C, F = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    p, s = draw(st.integers(0, 2)), draw(st.integers(1, 3))
    H = draw(st.integers(max(1, kh - 2 * p), max_side))
    W = draw(st.integers(max(1, kw - 2 * p), max_side))
    rng = np.random.default_rng(draw(st.integers(0, 10_000)))
    return rng.normal(size=(N, C, H, W)), rng.normal(size=(F, C, kh, kw)), rng.normal(size=F), p, s


@st.composite
def pool_inputs(draw):
    size, N, C = draw(st.integers(1, 3)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
    stride = draw(st.one_of(st.none(), st.integers(1, 3)))
    H, W = draw(st.integers(size, 7)), draw(st.integers(size, 7))
    rng = np.random.default_rng(draw(st.integers(0, 10_000)))
    return rng.normal(size=(N, C, H, W)), size, stride


# ----------------------------------------------------------------------------- forward


def test_one_entry_by_hand():
    # one example, 2 channels, 1 filter of 2×2: Z[0, 0, 0, 0] is the sum over both channels' windows
    X = np.arange(2 * 3 * 3, dtype=float).reshape(1, 2, 3, 3)
    K = np.array([[[[1, 0], [0, 1]], [[0, 1], [1, 0]]]], dtype=float)
    Z = conv_forward(X, K, np.array([0.5]))
    # channel 0 window [[0, 1], [3, 4]] · [[1, 0], [0, 1]] = 0 + 4; channel 1 window [[9, 10], [12, 13]] · [[0, 1], [1, 0]] = 10 + 12
    assert Z.shape == (1, 1, 2, 2)
    assert Z[0, 0, 0, 0] == 4 + 22 + 0.5


@settings(max_examples=120, deadline=None)
@given(conv_layers())
def test_conv_forward_against_the_definition(layer):
    X, K, b, p, s = layer
    Z = conv_forward(X, K, b, p, s)
    expected = conv_by_definition(X, K, b, p, s)
    assert Z.shape == expected.shape == layer_output_shape(X.shape, K.shape, p, s)
    np.testing.assert_allclose(Z, expected, rtol=1e-10, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(conv_layers())
def test_one_channel_one_filter_is_notebook_06s_correlate2d_plus_b(layer):
    X, K, b, p, s = layer
    Z = conv_forward(X[:1, :1], K[:1, :1], b[:1], p, s)
    np.testing.assert_allclose(Z[0, 0], correlate2d(X[0, 0], K[0, 0], p, s) + b[0], rtol=1e-10, atol=1e-12)


def test_channels_add_up():
    # the layer's response is the sum of each channel's 2-D cross-correlation with its slice of the filter
    rng = np.random.default_rng(1)
    X, K = rng.normal(size=(1, 3, 6, 5)), rng.normal(size=(1, 3, 3, 3))
    per_channel = [correlate2d(X[0, c], K[0, c], 1) for c in range(3)]
    np.testing.assert_allclose(conv_forward(X, K, np.zeros(1), 1)[0, 0], sum(per_channel), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kernel", [(1, 1), (3, 3), (5, 3)])
def test_same_and_valid_padding_words(kernel):
    rng = np.random.default_rng(2)
    X, K, b = rng.normal(size=(2, 2, 6, 7)), rng.normal(size=(3, 2) + kernel), rng.normal(size=3)
    assert conv_forward(X, K, b, "same").shape == (2, 3, 6, 7)
    np.testing.assert_array_equal(conv_forward(X, K, b, "valid"), conv_forward(X, K, b, 0))
    if kernel[0] == kernel[1]:
        np.testing.assert_allclose(conv_forward(X, K, b, "same"), conv_by_definition(X, K, b, kernel[0] // 2, 1),
                                   rtol=1e-10, atol=1e-12)


def test_integer_inputs_are_read_as_floats():
    X = np.arange(16).reshape(1, 1, 4, 4)
    Z = conv_forward(X, np.ones((1, 1, 2, 2), dtype=int), [1])
    assert Z.dtype == np.float64 and Z[0, 0, 0, 0] == 0 + 1 + 4 + 5 + 1


# ----------------------------------------------------------------------------- the matrix form


@settings(max_examples=60, deadline=None)
@given(conv_layers())
def test_the_layer_is_one_matrix_product_plus_the_bias_column(layer):
    X, K, b, p, s = layer
    N, F = X.shape[0], K.shape[0]
    cols = batch_im2col(X, K.shape[2:], p, s)
    _, _, oh, ow = layer_output_shape(X.shape, K.shape, p, s)
    assert cols.shape == (K[0].size, N * oh * ow)
    Z = (K.reshape(F, -1) @ cols + b[:, None]).reshape(F, N, oh, ow).transpose(1, 0, 2, 3)
    np.testing.assert_allclose(Z, conv_forward(X, K, b, p, s), rtol=1e-10, atol=1e-12)
    # column n·Q + i·ow + j is the window of example n at output (i, j), channel by channel
    Xp = np.pad(X, ((0, 0), (0, 0), (p, p), (p, p)))
    n, i, j = N - 1, oh - 1, ow // 2
    kh, kw = K.shape[2:]
    window = Xp[n, :, s * i:s * i + kh, s * j:s * j + kw]
    np.testing.assert_array_equal(cols[:, n * oh * ow + i * ow + j], window.ravel())


@settings(max_examples=60, deadline=None)
@given(conv_layers(), st.integers(0, 1000))
def test_batch_col2im_is_the_adjoint_of_batch_im2col(layer, seed):
    # <im2col(X), D> = <X, col2im(D)> for every X and D: the definition of the transpose
    X, K, _, p, s = layer
    cols = batch_im2col(X, K.shape[2:], p, s)
    D = np.random.default_rng(seed).normal(size=cols.shape)
    assert np.sum(cols * D) == pytest.approx(np.sum(X * batch_col2im(D, X.shape, K.shape[2:], p, s)), rel=1e-10, abs=1e-10)


@settings(max_examples=40, deadline=None)
@given(conv_layers(), st.integers(0, 1000))
def test_conv_backward_is_notebooks_03_and_04_through_im2col(layer, seed):
    X, K, b, p, s = layer
    F = K.shape[0]
    dZ = np.random.default_rng(seed).normal(size=layer_output_shape(X.shape, K.shape, p, s))
    dX, dK, db = conv_backward(dZ, X, K, p, s)
    delta = dZ.transpose(1, 0, 2, 3).reshape(F, -1)
    cols = batch_im2col(X, K.shape[2:], p, s)
    np.testing.assert_allclose(dK, (delta @ cols.T).reshape(K.shape), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(db, delta.sum(axis=1), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dX, batch_col2im(K.reshape(F, -1).T @ delta, X.shape, K.shape[2:], p, s),
                               rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------------------- backward against finite differences


@settings(max_examples=40, deadline=None)
@given(conv_layers(max_side=5), st.integers(0, 1000))
def test_conv_backward_against_numerical_gradients(layer, seed):
    X, K, b, p, s = layer
    G = np.random.default_rng(seed).normal(size=layer_output_shape(X.shape, K.shape, p, s))  # L = Σ G ⊙ Z
    dX, dK, db = conv_backward(G, X, K, p, s)
    assert dX.shape == X.shape and dK.shape == K.shape and db.shape == b.shape

    def loss(X_=X, K_=K, b_=b):
        return float(np.sum(G * conv_forward(X_, K_, b_, p, s)))

    assert_gradients_agree(dX, numerical_gradient(lambda X_: loss(X_=X_), X.copy()), "dX")
    assert_gradients_agree(dK, numerical_gradient(lambda K_: loss(K_=K_), K.copy()), "dK")
    assert_gradients_agree(db, numerical_gradient(lambda b_: loss(b_=b_), b.copy()), "db")


def test_bias_gradient_sums_over_batch_and_positions():
    rng = np.random.default_rng(3)
    X, K = rng.normal(size=(3, 2, 5, 5)), rng.normal(size=(4, 2, 3, 3))
    dZ = rng.normal(size=(3, 4, 3, 3))
    _, _, db = conv_backward(dZ, X, K)
    np.testing.assert_allclose(db, dZ.sum(axis=(0, 2, 3)), rtol=1e-12)
    assert not np.allclose(db, dZ[0].sum(axis=(1, 2)))  # one example's sum is not enough


def test_pixels_the_stride_skips_get_zero_gradient():
    # 6×6, 2×2 kernel, stride 3, no padding: windows cover rows/columns 0, 1, 3, 4; rows/columns 2 and 5 never
    rng = np.random.default_rng(4)
    X, K = rng.normal(size=(2, 2, 6, 6)), rng.normal(size=(3, 2, 2, 2))
    dX, _, _ = conv_backward(np.ones((2, 3, 2, 2)), X, K, 0, 3)
    skipped = np.zeros((6, 6), bool)
    skipped[[2, 5], :] = skipped[:, [2, 5]] = True
    assert np.all(dX[:, :, skipped] == 0) and np.all(dX[:, :, ~skipped] != 0)


# ----------------------------------------------------------------------------- pooling


@settings(max_examples=100, deadline=None)
@given(pool_inputs(), st.integers(0, 1000))
def test_maxpool_against_the_definition(pool, seed):
    X, size, stride = pool
    Y, backward, winners = maxpool_by_definition(X, size, size if stride is None else stride)
    np.testing.assert_array_equal(maxpool_forward(X, size, stride), Y)
    dY = np.random.default_rng(seed).normal(size=Y.shape)
    # a pixel that wins several windows sums their dY (each ~N(0, 1)) in another order than the
    # definition: a few ulp of the terms, up to 3.6e-15 seen in 300,000 examples; a summed gradient
    # near 0 makes that relative error large, hence an atol well above it (a wrong pixel is off by ~1)
    np.testing.assert_allclose(maxpool_backward(dY, X, size, stride), backward(dY), rtol=1e-12, atol=1e-14)
    rows, cols = maxpool_winners(X, size, stride)
    assert rows.shape == cols.shape == Y.shape
    assert all((rows[k], cols[k]) == rc for k, rc in winners.items())


@settings(max_examples=40, deadline=None)
@given(pool_inputs(), st.integers(0, 1000))
def test_pool_backward_against_numerical_gradients(pool, seed):
    # random normal entries: no two entries of a window within 2ε, so the max is smooth at X
    X, size, stride = pool
    G = np.random.default_rng(seed).normal(size=maxpool_forward(X, size, stride).shape)
    num = numerical_gradient(lambda X_: float(np.sum(G * maxpool_forward(X_, size, stride))), X.copy())
    assert_gradients_agree(maxpool_backward(G, X, size, stride), num, "maxpool dX")
    num = numerical_gradient(lambda X_: float(np.sum(G * avgpool_forward(X_, size, stride))), X.copy())
    assert_gradients_agree(avgpool_backward(G, X, size, stride), num, "avgpool dX")


def test_ties_go_to_the_first_maximum_in_row_major_order():
    X = np.array([[[[1, 3, 2, 2],
                    [3, 0, 2, 2],
                    [0, 5, 5, 5],
                    [5, 5, 5, 5]]]], dtype=float)
    dY = np.array([[[[10, 20], [30, 40]]]], dtype=float)
    dX = maxpool_backward(dY, X)
    expected = np.zeros((1, 1, 4, 4))
    expected[0, 0, 0, 1] = 10  # 3 at (0, 1) comes before 3 at (1, 0)
    expected[0, 0, 0, 2] = 20  # four 2s: the top-left one
    expected[0, 0, 2, 1] = 30  # 5 at (2, 1) before (3, 0) and (3, 1)
    expected[0, 0, 2, 2] = 40
    np.testing.assert_array_equal(dX, expected)
    np.testing.assert_array_equal(maxpool_forward(X), [[[[3, 2], [5, 5]]]])
    rows, cols = maxpool_winners(X)
    np.testing.assert_array_equal(rows[0, 0], [[0, 0], [2, 2]])
    np.testing.assert_array_equal(cols[0, 0], [[1, 2], [1, 2]])


def test_overlapping_windows_add_their_gradients():
    # size 2, stride 1: the 9 at the centre wins all four windows, so it collects all four gradients
    X = np.zeros((1, 1, 3, 3))
    X[0, 0, 1, 1] = 9
    dY = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    dX = maxpool_backward(dY, X, size=2, stride=1)
    assert dX[0, 0, 1, 1] == 10 and np.count_nonzero(dX) == 1


def test_average_pooling_shares_the_gradient():
    X = np.arange(16, dtype=float).reshape(1, 1, 4, 4)
    np.testing.assert_allclose(avgpool_forward(X), [[[[2.5, 4.5], [10.5, 12.5]]]])
    dX = avgpool_backward(np.array([[[[4.0, 8.0], [12.0, 16.0]]]]), X)
    np.testing.assert_allclose(dX[0, 0], [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])


def test_leftover_rows_get_no_gradient():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(1, 2, 5, 5))  # 2×2 windows at stride 2 cover rows/columns 0-3; row/column 4 is left out
    assert maxpool_forward(X).shape == (1, 2, 2, 2)
    dX = maxpool_backward(np.ones((1, 2, 2, 2)), X)
    assert np.all(dX[:, :, 4, :] == 0) and np.all(dX[:, :, :, 4] == 0)
    assert dX.sum() == 8


def test_inputs_are_not_modified():
    rng = np.random.default_rng(6)
    X, K, b, dZ = rng.normal(size=(2, 3, 5, 5)), rng.normal(size=(4, 3, 3, 3)), rng.normal(size=4), rng.normal(size=(2, 4, 3, 3))
    before = [a.copy() for a in (X, K, b, dZ)]
    conv_forward(X, K, b, 1, 2)
    conv_backward(dZ, X, K, 1, 2)
    maxpool_backward(maxpool_forward(X), X)
    avgpool_backward(avgpool_forward(X), X)
    for a, a0 in zip((X, K, b, dZ), before):
        np.testing.assert_array_equal(a, a0)


# ----------------------------------------------------------------------------- errors, in the notebook's words


def test_channel_mismatch_is_named():
    with pytest.raises(ValueError, match=r"^X has 3 channels, so K needs 3 input channels; got K of shape \(8, 1, 3, 3\)$"):
        conv_forward(np.ones((2, 3, 6, 6)), np.ones((8, 1, 3, 3)), np.zeros(8))
    with pytest.raises(ValueError, match=r"X has 3 channels, so K needs 3 input channels"):
        conv_backward(np.ones((2, 8, 4, 4)), np.ones((2, 3, 6, 6)), np.ones((8, 1, 3, 3)))


def test_kernel_larger_than_the_padded_image():
    with pytest.raises(ValueError, match=r"the 5×5 kernel is larger than the padded image: image 2×3 with padding 1 is 4×5"):
        conv_forward(np.ones((1, 1, 2, 3)), np.ones((1, 1, 5, 5)), np.zeros(1), padding=1)
    assert conv_forward(np.ones((1, 1, 2, 3)), np.ones((1, 1, 4, 5)), np.zeros(1), padding=1).shape == (1, 1, 1, 1)


def test_dZ_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"is 2×4×2×2, so dZ must be 2×4×2×2; got dZ of shape \(2, 4, 3, 3\)"):
        conv_backward(np.ones((2, 4, 3, 3)), np.ones((2, 3, 5, 5)), np.ones((4, 3, 3, 3)), padding=1, stride=3)
    with pytest.raises(ValueError, match=r"so dZ must be 1×2×3×3; got dZ of shape \(2, 1, 3, 3\)"):
        conv_backward(np.ones((2, 1, 3, 3)), np.ones((1, 1, 5, 5)), np.ones((2, 1, 3, 3)))


@pytest.mark.parametrize("b, shape", [(np.zeros((4, 1)), r"\(4, 1\)"), (np.zeros(3), r"\(3,\)"), (1.0, r"\(\)")])
def test_b_must_have_one_entry_per_filter(b, shape):
    with pytest.raises(ValueError, match=rf"K has 4 filters, so b needs 4 entries, shape \(4,\); got b of shape {shape}"):
        conv_forward(np.ones((1, 2, 5, 5)), np.ones((4, 2, 3, 3)), b)


@pytest.mark.parametrize("X, name, shape", [
    (np.ones((3, 6, 6)), "X", r"\(3, 6, 6\)"),
    (np.ones((6, 6)), "X", r"\(6, 6\)"),
])
def test_X_must_have_four_axes(X, name, shape):
    with pytest.raises(ValueError, match=rf"{name} must be N×C×H×W .*got {name} of shape {shape}"):
        conv_forward(X, np.ones((1, 3, 3, 3)), np.zeros(1))
    with pytest.raises(ValueError, match=rf"X must be N×C×H×W .*got X of shape {shape}"):
        maxpool_forward(X)


def test_K_must_have_four_axes():
    with pytest.raises(ValueError, match=r"K must be F×C×kh×kw .*got K of shape \(3, 3\)"):
        conv_forward(np.ones((1, 1, 6, 6)), np.ones((3, 3)), np.zeros(1))


@pytest.mark.parametrize("bad, what", [(np.nan, "nan"), (np.inf, "inf"), (-np.inf, "-inf")])
def test_nan_and_infinity_are_refused(bad, what):
    X = np.ones((1, 1, 4, 4))
    X[0, 0, 2, 1] = bad
    for call in (lambda: conv_forward(X, np.ones((1, 1, 3, 3)), np.zeros(1)),
                 lambda: conv_backward(np.ones((1, 1, 2, 2)), X, np.ones((1, 1, 3, 3))),
                 lambda: maxpool_forward(X),
                 lambda: maxpool_backward(np.ones((1, 1, 2, 2)), X)):
        with pytest.raises(ValueError, match=rf"X holds {what} at index \(0, 0, 2, 1\); every entry must be a finite number"):
            call()
    dZ = np.ones((1, 1, 2, 2))
    dZ[0, 0, 1, 1] = bad
    with pytest.raises(ValueError, match=r"dZ holds"):
        conv_backward(dZ, np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3)))


def test_complex_numbers_are_refused_not_truncated():
    X = np.ones((1, 1, 4, 4), dtype=complex)
    with pytest.raises(ValueError, match=r"X must hold real numbers; got complex entries \(dtype complex128\)"):
        conv_forward(X, np.ones((1, 1, 3, 3)), np.zeros(1))
    with pytest.raises(ValueError, match=r"K must hold real numbers"):
        conv_forward(np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3)) * 1j, np.zeros(1))
    with pytest.raises(ValueError, match=r"b must hold real numbers"):
        conv_forward(np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3)), np.zeros(1) + 0j)
    with pytest.raises(ValueError, match=r"dY must hold real numbers"):
        maxpool_backward(np.ones((1, 1, 2, 2)) + 1j, np.ones((1, 1, 4, 4)))


def test_non_numbers_are_refused():
    with pytest.raises(ValueError, match=r"X must hold numbers"):
        conv_forward([[[["a"]]]], np.ones((1, 1, 1, 1)), np.zeros(1))
    with pytest.raises(ValueError, match=r"X must hold numbers"):
        conv_forward([[[[1, 2], [3]]]], np.ones((1, 1, 1, 1)), np.zeros(1))


@pytest.mark.parametrize("padding, match", [
    (-1, r"padding must be a whole number ≥ 0.*got padding=-1"),
    ("full", r"got the word 'full'"),
])
def test_bad_padding_is_named(padding, match):
    with pytest.raises(ValueError, match=match):
        conv_forward(np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3)), np.zeros(1), padding=padding)


@pytest.mark.parametrize("stride", [0, 1.5, True])
def test_bad_stride_is_named(stride):
    with pytest.raises(ValueError, match=rf"stride .*must be a whole number ≥ 1.*got stride = {stride!r}"):
        conv_forward(np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3)), np.zeros(1), stride=stride)
    with pytest.raises(ValueError, match=rf"stride .*must be a whole number ≥ 1.*got stride = {stride!r}"):
        maxpool_forward(np.ones((1, 1, 4, 4)), stride=stride)


def test_same_padding_refuses_even_kernels():
    with pytest.raises(ValueError, match=r'padding="same" needs a kernel with odd sides'):
        conv_forward(np.ones((1, 1, 4, 4)), np.ones((1, 1, 2, 2)), np.zeros(1), padding="same")


def test_pooling_window_larger_than_the_channels():
    with pytest.raises(ValueError, match=r"the 3×3 pooling window is larger than each channel of X: X is 1×2×2×5, so its channels are 2×5"):
        maxpool_forward(np.ones((1, 2, 2, 5)), size=3)
    with pytest.raises(ValueError, match=r"size .*must be a whole number ≥ 1.*got size = 0"):
        maxpool_forward(np.ones((1, 1, 4, 4)), size=0)


def test_dY_of_the_wrong_shape():
    match = r"pooling X \(2×3×6×6\) with size 2, stride 2 gives Y of shape 2×3×3×3, so dY must be 2×3×3×3; got dY of shape \(2, 3, 2, 2\)"
    with pytest.raises(ValueError, match=match):
        maxpool_backward(np.ones((2, 3, 2, 2)), np.ones((2, 3, 6, 6)))
    with pytest.raises(ValueError, match=match):
        avgpool_backward(np.ones((2, 3, 2, 2)), np.ones((2, 3, 6, 6)))


def test_batch_col2im_checks_the_shape_of_d_cols():
    with pytest.raises(ValueError, match=r"X of shape \(2, 2, 4, 4\) has 8 windows of 18 numbers, so d_cols must be 18×8; got d_cols of shape \(18, 9\)"):
        batch_col2im(np.ones((18, 9)), (2, 2, 4, 4), (3, 3))


# ----------------------------------------------------------------------------- review: more bad input


@pytest.mark.parametrize("call, name", [
    (lambda: conv_forward(None, np.ones((1, 1, 3, 3)), np.zeros(1)), "X"),
    (lambda: conv_forward(np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3)), None), "b"),
    (lambda: conv_backward(None, np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3))), "dZ"),
    (lambda: maxpool_backward(None, np.ones((1, 1, 4, 4))), "dY"),
    (lambda: batch_col2im(None, (1, 1, 4, 4), (3, 3)), "d_cols"),
])
def test_None_is_named_not_read_as_nan(call, name):
    with pytest.raises(ValueError, match=rf"^{name} must hold numbers; got None"):
        call()


@pytest.mark.parametrize("kernel_shape", [3, 3.0, (3.0, 3), (0, 3), (-1, 3), (True, True), None, "33", (3, 3, 3)])
def test_batch_im2col_names_a_bad_kernel_shape(kernel_shape):
    with pytest.raises(ValueError, match=r"^kernel_shape must be two whole numbers ≥ 1, \(kh, kw\); got "):
        batch_im2col(np.ones((1, 1, 5, 5)), kernel_shape)
    with pytest.raises(ValueError, match=r"^kernel_shape must be two whole numbers ≥ 1, \(kh, kw\); got "):
        batch_col2im(np.ones((9, 9)), (1, 1, 5, 5), kernel_shape)


@pytest.mark.parametrize("X_shape", [(2.0, 3, 5, 5), (-2, 3, 5, 5), (0, 3, 5, 5), (True, 3, 5, 5), (2, 3, 5.5, 5),
                                     5, None, (3, 5, 5), "2355"])
def test_a_bad_X_shape_is_named(X_shape):
    with pytest.raises(ValueError, match=r"^X_shape must be four whole numbers ≥ 1, \(N, C, H, W\); got "):
        batch_col2im(np.ones((27, 18)), X_shape, (3, 3))
    with pytest.raises(ValueError, match=r"^X_shape must be four whole numbers ≥ 1, \(N, C, H, W\); got "):
        layer_output_shape(X_shape, (4, 3, 3, 3))


@pytest.mark.parametrize("K_shape", [(0, 3, 3, 3), (4, 3, 3.0, 3), (4.0, 3, 3, 3), None, 4, (4, 3, 3)])
def test_a_bad_K_shape_is_named(K_shape):
    with pytest.raises(ValueError, match=r"^K_shape must be four whole numbers ≥ 1, \(F, C, kh, kw\); got "):
        layer_output_shape((2, 3, 5, 5), K_shape)


def test_an_array_passed_for_its_shape_gets_a_short_message():
    X = np.ones((2, 3, 5, 5))
    with pytest.raises(ValueError, match=r"X_shape must be .*got an array of shape \(2, 3, 5, 5\): pass X.shape") as err:
        batch_col2im(np.ones((27, 18)), X, (3, 3))
    assert len(str(err.value)) < 200
    with pytest.raises(ValueError, match=r"K_shape must be .*got an array of shape \(4, 3, 3, 3\): pass K.shape"):
        layer_output_shape(X.shape, np.ones((4, 3, 3, 3)))


def test_an_overflowing_layer_is_refused_without_a_warning():
    X, K = np.full((1, 1, 3, 3), 1e200), np.full((1, 1, 3, 3), 1e200)
    with pytest.raises(ValueError, match=r"^Z overflows float64"):
        conv_forward(X, K, np.zeros(1))
    with pytest.raises(ValueError, match=r"^dK overflows float64"):
        conv_backward(np.full((1, 1, 1, 1), 1e200), X, K)
    with pytest.raises(ValueError, match=r"overflows float64"):
        peak = np.zeros((1, 1, 4, 4))
        peak[0, 0, 1, 1] = 1.0  # the maximum of the 4 overlapping windows around it: it adds 4 gradients
        maxpool_backward(np.full((1, 1, 3, 3), 1e308), peak, 2, 1)


def test_average_pooling_of_huge_entries_is_their_mean_not_inf():
    X = np.full((1, 1, 2, 2), 1e308)
    assert avgpool_forward(X)[0, 0, 0, 0] == pytest.approx(1e308)
    np.testing.assert_allclose(avgpool_backward(np.full((1, 1, 3, 3), 1e308), np.zeros((1, 1, 4, 4)), 2, 1),
                               avgpool_backward(np.ones((1, 1, 3, 3)), np.zeros((1, 1, 4, 4)), 2, 1) * 1e308)
    assert maxpool_forward(X)[0, 0, 0, 0] == 1e308


_ENTRY = st.one_of(st.integers(-2, 6), st.floats(allow_nan=True), st.booleans(), st.none(), st.text(max_size=2))


@given(st.one_of(st.lists(_ENTRY, max_size=5), _ENTRY), st.one_of(st.lists(_ENTRY, max_size=5), _ENTRY),
       st.one_of(st.integers(-1, 3), st.sampled_from(["same", "valid", "SAME", "full", None, 1.0])),
       st.one_of(st.integers(-1, 3), st.sampled_from([None, 2.0, True])))
@settings(max_examples=300, deadline=None)
def test_layer_output_shape_gives_whole_numbers_or_a_ValueError(X_shape, K_shape, padding, stride):
    try:
        shape = layer_output_shape(X_shape, K_shape, padding, stride)
    except ValueError:
        return
    assert len(shape) == 4 and all(type(d) is int and d >= 1 for d in shape)
