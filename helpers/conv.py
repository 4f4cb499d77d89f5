"""Notebook 06: a CNN filter, 2-D and single-channel, and its backward pass in matrix form.

What deep learning calls "convolution" is **cross-correlation**: slide the kernel K (kh×kw)
over the zero-padded image X (H×W), take the element-wise (Hadamard) product with each window
and sum it. With padding p and stride s, output entry (i, j) is

    Z[i, j] = Σ_a Σ_b  X_p[s·i + a, s·j + b] · K[a, b]          (a < kh, b < kw)

and the output is ⌊(H + 2p − kh)/s⌋ + 1 by ⌊(W + 2p − kw)/s⌋ + 1. True convolution flips the
kernel in both axes first. The names here say which is which:

    correlate2d(X, K, padding, stride)    Z = X ⋆ K     (what CNN layers compute)
    convolve2d(X, K, padding, stride)     X ∗ K = X ⋆ flip(K)

The matrix form (im2col): the Q = out_h·out_w windows, flattened, are the rows of a Q×(kh·kw)
matrix ``cols``, and the whole layer is one product, so notebooks 03 and 04 give its backward pass:

    z = cols · K_flat                z = Z.ravel() (Q,),  K_flat = K.ravel() (kh·kw,)
    dL/dK_flat = colsᵀ · δ           a sum of Q outer products, δ = dL/dZ.ravel()
    dL/dcols   = δ · K_flatᵀ         (Q, kh·kw): the transpose rule
    dL/dX      = col2im(dL/dcols)    each window's gradient added back where the window came from

The other matrix form (``conv_matrix``): the layer multiplies the flattened image by one big
sparse matrix C (Q, H·W) whose rows hold K's entries, the same kh·kw numbers in every row:

    z = C · X.ravel()            dL/dX.ravel() = Cᵀ · δ     (notebook 04's transpose rule)

Multiplying by Cᵀ is what deep learning calls a "transposed convolution". Written as
convolutions, at stride s (``conv2d_backward_as_convolutions``): spread δ with s − 1 zeros
between its entries (``spread``), then

    dL/dX_p = full convolution of spread δ with K     (then crop the padding p off every side)
    dL/dK   = X_p ⋆ spread δ                          (the kh×kw corner of it)

``padding`` is a number of zero pixels added on every side, or "valid" (= 0) or "same"
(output as large as the input: odd kernels at stride 1 only, ph = (kh − 1)/2, pw = (kw − 1)/2).
"""
from typing import NamedTuple

import numpy as np

from .shapes import as_matrix, dims, first_non_finite

PADDING_WORDS = ("valid", "same")
FLOAT_MAX = float(np.finfo(float).max)
MAX_ENTRIES = 10 ** 8
"""The largest array a helper builds (800 MB of float64); beyond it a ValueError, not a MemoryError or a hang."""


# ----------------------------------------------------------------------------- checks


def _check_stride(stride):
    if isinstance(stride, bool) or not isinstance(stride, (int, np.integer)) or stride < 1:
        raise ValueError(f"stride must be a whole number ≥ 1 (the step between windows); got stride={stride!r}")
    return int(stride)


def _whole(n):
    """True for a whole number (int or numpy integer, not a bool)."""
    return isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_))


def as_image(a, name):
    """``a`` as a 2-D float64 matrix of finite real numbers; otherwise a ValueError naming ``name``.

    Refused: complex numbers (the imaginary part would be dropped), NaN and ±inf (they would
    spread through every sum they enter), dates, numbers beyond float64 (a long double of
    1e309), an empty matrix (no pixel), anything that is not a matrix.
    """
    dtype = getattr(a, "dtype", None)
    if dtype is not None and dtype.kind in "mM":  # float() would silently turn dates into day counts
        raise ValueError(f"{name} must hold numbers; got dates or times (dtype {dtype})")
    try:
        with np.errstate(over="raise", invalid="raise"):
            a = as_matrix(a, name)  # complex numbers refused there
    except (FloatingPointError, OverflowError) as err:
        raise ValueError(f"{name} must hold numbers a float64 can hold (at most {FLOAT_MAX:.3g}); {err}") from err
    if a.size == 0:
        raise ValueError(f"{name} must have at least one row and one column; got {name} of shape {a.shape}")
    bad = first_non_finite(a)
    if bad is not None:
        (i, j), value = bad
        raise ValueError(
            f"{name} must hold finite numbers; got {name}[{i}, {j}] = {value}: "
            f"NaN or ±inf would spread through every sum it enters"
        )
    return a


def _check_size(shape, what):
    """Raise unless an array of ``shape`` stays within MAX_ENTRIES (no MemoryError, no hang)."""
    entries = 1
    for n in shape:
        entries *= int(n)
    if entries > MAX_ENTRIES:
        raise ValueError(
            f"{what} would be {dims(shape)} = {entries:.3g} entries, more than the {MAX_ENTRIES:.0e} "
            f"(800 MB) these helpers build; use a smaller image, padding or stride"
        )


def _no_overflow(compute, *named):
    """Run ``compute()`` with float overflow made an error; return its result.

    ``named``: (name, array) pairs, quoted in the message. Finite inputs can still give an
    infinite sum (kernel entries of 1e308: nine of them add up to more than 1.8e308, the
    largest float64); that is a ValueError, not an inf or a warning.
    """
    try:
        with np.errstate(over="raise", invalid="raise"):
            return compute()
    except FloatingPointError as err:
        sizes = ", ".join(f"{name} up to {float(np.max(np.abs(a))):.3g}" for name, a in named)
        raise ValueError(
            f"the result overflows: with {sizes} in absolute value, a sum of products exceeds "
            f"{FLOAT_MAX:.3g}, the largest float64; use smaller numbers"
        ) from err


def _check_pair(value, name, layout):
    """``value`` as two whole numbers ≥ 1, e.g. an image's (H, W), or a ValueError naming ``name``."""
    try:
        shape = tuple(value)
    except TypeError:
        shape = ()
    if len(shape) != 2 or not all(_whole(n) and n >= 1 for n in shape):
        raise ValueError(f"{name} must be two whole numbers ≥ 1, {layout}; got {value!r}")
    return int(shape[0]), int(shape[1])


def _check_image_shape(image_shape):
    return _check_pair(image_shape, "image_shape", "(H, W)")


def _check_kernel_shape(kernel_shape):
    return _check_pair(kernel_shape, "kernel_shape", "(kh, kw)")


def resolve_padding(padding, kernel_shape, stride=1):
    """The number of zero rows and columns added on each side, ``(ph, pw)``, for a padding argument.

    Args:
        padding: a whole number p ≥ 0 (the same on every side), "valid" (p = 0) or "same"
            (ph = (kh − 1)/2, pw = (kw − 1)/2: the output is as large as the input).
        kernel_shape: (kh, kw).
        stride: the step s ≥ 1 ("same" needs s = 1).

    Raises:
        ValueError for a negative or fractional p, an unknown word, or "same" with an even
        kernel side or a stride other than 1 (no whole padding keeps the size then).
    """
    kh, kw = _check_kernel_shape(kernel_shape)
    stride = _check_stride(stride)
    if isinstance(padding, str):
        if padding == "valid":
            return 0, 0
        if padding == "same":
            if kh % 2 == 0 or kw % 2 == 0:
                raise ValueError(
                    f'padding="same" needs a kernel with odd sides (3×3, 5×5, ...); got a {kh}×{kw} kernel: '
                    f"an even side would need half a pixel more padding on one side than the other"
                )
            if stride != 1:
                raise ValueError(
                    f'padding="same" needs stride 1; got stride={stride}: with stride {stride} '
                    f"the output is about 1/{stride} of the input whatever the padding"
                )
            return (kh - 1) // 2, (kw - 1) // 2
        raise ValueError(f"padding must be a whole number ≥ 0, 'valid' or 'same'; got the word {padding!r}")
    if isinstance(padding, bool) or not isinstance(padding, (int, np.integer)) or padding < 0:
        raise ValueError(
            f"padding must be a whole number ≥ 0 (zero pixels on every side), 'valid' or 'same'; got padding={padding!r}"
        )
    return int(padding), int(padding)


def output_shape(image_shape, kernel_shape, padding=0, stride=1):
    """``(out_h, out_w)`` with out = ⌊(H + 2p − kh)/s⌋ + 1 per axis.

    Args:
        image_shape: (H, W);  kernel_shape: (kh, kw);  padding, stride: as in ``correlate2d``.

    Raises:
        ValueError if the kernel is larger than the padded image (no window fits).
    """
    (H, W), (kh, kw) = _check_image_shape(image_shape), _check_kernel_shape(kernel_shape)
    stride = _check_stride(stride)
    ph, pw = resolve_padding(padding, (kh, kw), stride)
    if kh > H + 2 * ph or kw > W + 2 * pw:
        raise ValueError(
            f"the {kh}×{kw} kernel is larger than the padded image: image {H}×{W} with padding "
            f"{ph if ph == pw else (ph, pw)} is {H + 2 * ph}×{W + 2 * pw}; no window fits"
        )
    return (H + 2 * ph - kh) // stride + 1, (W + 2 * pw - kw) // stride + 1


def _check_pad_pair(padding):
    """``padding`` as (ph, pw): a whole number p ≥ 0 (p, p) or a pair of them."""
    pair = (padding, padding) if _whole(padding) else padding
    try:
        ph, pw = pair
    except (TypeError, ValueError):
        ph = pw = None
    if not (_whole(ph) and _whole(pw) and ph >= 0 and pw >= 0):
        raise ValueError(
            f"padding must be a whole number p ≥ 0 (p zero rows and columns on every side) or a pair "
            f"(ph, pw) of them; got padding={padding!r}"
        )
    return int(ph), int(pw)


def pad2d(image, padding):
    """X_p: ``image`` (H, W) with zeros added on every side, (H + 2ph, W + 2pw), always a new array.

    Args:
        image: (H, W), finite real numbers.
        padding: p ≥ 0 (ph = pw = p), or a pair (ph, pw): zero rows above and below, zero
            columns left and right.
    """
    image = as_image(image, "image")
    ph, pw = _check_pad_pair(padding)
    _check_size((image.shape[0] + 2 * ph, image.shape[1] + 2 * pw), "the padded image")
    return np.pad(image, ((ph, ph), (pw, pw)))  # a new array even for (0, 0): the caller's stays theirs


def _pad(image, padding):
    """``pad2d`` without its checks, and without a copy when there is nothing to add (read only!)."""
    ph, pw = padding
    return image if ph == 0 and pw == 0 else np.pad(image, ((ph, ph), (pw, pw)))


def _prepare(image, kernel, padding, stride):
    """Validate, then (padded image, kernel, stride, (out_h, out_w))."""
    image = as_image(image, "image")
    kernel = as_image(kernel, "kernel")
    stride = _check_stride(stride)
    out = output_shape(image.shape, kernel.shape, padding, stride)
    ph, pw = resolve_padding(padding, kernel.shape, stride)
    _check_size((image.shape[0] + 2 * ph, image.shape[1] + 2 * pw), "the padded image")
    return _pad(image, (ph, pw)), kernel, stride, out


def _tap(padded, a, b, out, stride):
    """The (out_h, out_w) view of ``padded`` that kernel entry (a, b) multiplies: X_p[s·i + a, s·j + b]."""
    oh, ow = out
    return padded[a:a + stride * (oh - 1) + 1:stride, b:b + stride * (ow - 1) + 1:stride]


# ----------------------------------------------------------------------------- forward


def correlate2d(image, kernel, padding=0, stride=1):
    """Cross-correlation, the "convolution" of deep learning: Z[i, j] = Σ_ab X_p[s·i + a, s·j + b] · K[a, b].

    Args:
        image: (H, W) the input X.
        kernel: (kh, kw) the filter K (not flipped).
        padding: zero pixels added on every side: p ≥ 0, "valid" (0) or "same" (odd kernels, stride 1).
        stride: s ≥ 1, the step between windows.

    Returns:
        Z, (out_h, out_w) with out = ⌊(H + 2p − kh)/s⌋ + 1 per axis.

    Vectorized as a loop over the kh·kw kernel entries (never over output pixels): entry
    (a, b) multiplies one strided (out_h, out_w) view of the padded image, and the kh·kw
    scaled views are summed. Backward pass: ``conv2d_backward``.
    """
    padded, kernel, stride, out = _prepare(image, kernel, padding, stride)
    return _no_overflow(lambda: _correlate(padded, kernel, stride, out), ("image", padded), ("kernel", kernel))


def _correlate(padded, kernel, stride, out):
    """``correlate2d`` on an already padded, checked image: Σ_ab K[a, b] · (strided view (a, b))."""
    kh, kw = kernel.shape
    Z = kernel[0, 0] * _tap(padded, 0, 0, out, stride)
    for a in range(kh):
        for b in range(kw):
            if a or b:
                Z += kernel[a, b] * _tap(padded, a, b, out, stride)
    return Z


def convolve2d(image, kernel, padding=0, stride=1):
    """True convolution: (X ∗ K)[i, j] = Σ_ab X_p[s·i + a, s·j + b] · K[kh−1−a, kw−1−b].

    The same as ``correlate2d(image, flip(kernel))``, the kernel turned 180°. Equal to the
    cross-correlation when the kernel is symmetric under that turn. Shapes as in ``correlate2d``.
    """
    kernel = as_image(kernel, "kernel")
    return correlate2d(image, kernel[::-1, ::-1], padding, stride)


def correlate2d_loop(image, kernel, padding=0, stride=1):
    """The double loop over output pixels that notebook 06 shows first (slow; a reference only).

    Same arguments and result as ``correlate2d``: for each output (i, j), the Hadamard product
    of the window X_p[s·i : s·i + kh, s·j : s·j + kw] with K, summed.
    """
    padded, kernel, stride, (oh, ow) = _prepare(image, kernel, padding, stride)
    kh, kw = kernel.shape
    Z = np.zeros((oh, ow))

    def loop():
        """Fill Z one output pixel at a time."""
        for i in range(oh):
            for j in range(ow):
                window = padded[stride * i:stride * i + kh, stride * j:stride * j + kw]
                Z[i, j] = np.sum(window * kernel)
        return Z

    return _no_overflow(loop, ("image", padded), ("kernel", kernel))


# ----------------------------------------------------------------------------- windows


class Window(NamedTuple):
    """One position of the sliding kernel.

    ``out``: its output index (i, j);  ``k`` (also ``q``, notebook 06's name): its number in
    row-major order (the row of ``im2col``);  ``top``, ``left``: the window's first row and column in the **padded**
    image (subtract the padding for image coordinates; negative = in the padding);
    ``rows``, ``cols``: slices of the padded image, ``padded[w.rows, w.cols]`` is the window.
    """

    k: int
    out: tuple
    top: int
    left: int
    rows: slice
    cols: slice

    @property
    def q(self):
        """The window's number, as notebook 06 writes it (q; k is a batch size in the series)."""
        return self.k


def window_positions(image_shape, kernel_shape, padding=0, stride=1):
    """Every window position, in the order the output fills (row-major), as ``Window`` tuples.

    Args:
        image_shape: (H, W);  kernel_shape: (kh, kw);  padding, stride: as in ``correlate2d``.

    Returns:
        A list of out_h·out_w ``Window``s; window q has ``top = s·i``, ``left = s·j`` for
        output index (i, j) = divmod(q, out_w).
    """
    kh, kw = _check_kernel_shape(kernel_shape)
    stride = _check_stride(stride)  # a plain int: a numpy uint8 stride would overflow in s·i
    oh, ow = output_shape(image_shape, (kh, kw), padding, stride)
    if oh * ow > 10 ** 6:
        raise ValueError(f"window_positions lists every window one by one; this output is {oh}×{ow} = "
                         f"{oh * ow:.3g} windows, more than 10⁶: use a smaller image, padding or stride")
    windows = []
    for q in range(oh * ow):
        i, j = divmod(q, ow)
        top, left = stride * i, stride * j
        windows.append(Window(q, (i, j), top, left, slice(top, top + kh), slice(left, left + kw)))
    return windows


# ----------------------------------------------------------------------------- matrix form


def im2col(image, kernel_shape, padding=0, stride=1):
    """The windows as the rows of one matrix, so the layer is one matrix product.

    Args:
        image: (H, W);  kernel_shape: (kh, kw);  padding, stride: as in ``correlate2d``.

    Returns:
        cols, (out_h·out_w, kh·kw), a new array: row q is the window of output
        (i, j) = divmod(q, out_w), flattened row by row. Then
        ``correlate2d(image, K, padding, stride) == (cols @ K.ravel()).reshape(out_h, out_w)``.
    """
    image = as_image(image, "image")
    kh, kw = _check_kernel_shape(kernel_shape)
    stride = _check_stride(stride)
    oh, ow = output_shape(image.shape, (kh, kw), padding, stride)
    ph, pw = resolve_padding(padding, (kh, kw), stride)
    _check_size((image.shape[0] + 2 * ph, image.shape[1] + 2 * pw), "the padded image")
    _check_size((oh * ow, kh * kw), "cols")
    padded = _pad(image, (ph, pw))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (kh, kw))[::stride, ::stride]
    cols = windows[:oh, :ow].reshape(oh * ow, kh * kw)  # usually a copy; a read-only view of the
    if np.may_share_memory(cols, padded):               # image itself for a 1×1 or image-sized kernel
        cols = cols.copy()
    return cols


def col2im(cols, image_shape, kernel_shape, padding=0, stride=1):
    """The adjoint of ``im2col``: add each row of ``cols`` back onto the window it came from.

    Args:
        cols: (out_h·out_w, kh·kw), e.g. dL/dcols.
        image_shape: (H, W);  kernel_shape: (kh, kw);  padding, stride: as in ``im2col``.

    Returns:
        (H, W): entry (r, c) is the sum of every entry of ``cols`` that ``im2col`` copied from
        pixel (r, c); pixels in several windows collect several terms, pixels that no window
        covers (skipped by the stride) get 0, and the padding's share is dropped.
    """
    kh, kw = _check_kernel_shape(kernel_shape)
    stride = _check_stride(stride)
    H, W = _check_image_shape(image_shape)
    oh, ow = output_shape((H, W), (kh, kw), padding, stride)
    ph, pw = resolve_padding(padding, (kh, kw), stride)
    _check_size((H + 2 * ph, W + 2 * pw), "the padded image")
    cols = as_image(cols, "cols")
    if cols.shape != (oh * ow, kh * kw):
        raise ValueError(
            f"a {H}×{W} image with a {kh}×{kw} kernel has {oh * ow} windows of {kh * kw} pixels, so cols "
            f"must be {oh * ow}×{kh * kw}; got cols of shape {cols.shape}"
        )
    ph, pw = resolve_padding(padding, (kh, kw), stride)
    padded = np.zeros((H + 2 * ph, W + 2 * pw))
    blocks = cols.reshape(oh, ow, kh, kw)

    def add_back():
        """Add each window's row of cols onto its pixels, one kernel entry at a time; crop the padding."""
        for a in range(kh):
            for b in range(kw):
                _tap(padded, a, b, (oh, ow), stride)[...] += blocks[:, :, a, b]
        return padded[ph:ph + H, pw:pw + W]

    return _no_overflow(add_back, ("cols", cols))


# ----------------------------------------------------------------------------- backward


def conv2d_backward(image, kernel, d_out, padding=0, stride=1):
    """Backward pass of ``Z = correlate2d(image, kernel, padding, stride)``.

    Args:
        image: (H, W) the input X of the forward pass.
        kernel: (kh, kw) the kernel K.
        d_out: (out_h, out_w) δ = dL/dZ, the upstream gradient.
        padding, stride: as in the forward pass.

    Returns:
        (d_image, d_kernel), shaped (H, W) and (kh, kw):
            dL/dK[a, b] = Σ_ij δ[i, j] · X_p[s·i + a, s·j + b]      (= colsᵀ · δ, outer products summed)
            dL/dX       = col2im(δ · kᵀ), cropped of its padding
        At stride 1 and no padding, dL/dX is the full convolution of δ with K:
        convolve2d(np.pad(δ, ((kh - 1, kh - 1), (kw - 1, kw - 1))), K).

    Raises:
        ValueError if d_out is not shaped like the forward pass's output.
    """
    padded, kernel, stride, out = _prepare(image, kernel, padding, stride)
    d_out = _check_d_out(d_out, image, kernel, padding, stride, out)
    kh, kw = kernel.shape
    ph, pw = resolve_padding(padding, kernel.shape, stride)
    d_kernel = np.empty((kh, kw))
    d_padded = np.zeros(padded.shape)

    def backward():
        """dL/dK[a, b] and the share of dL/dX_p of each kernel entry (a, b); crop the padding."""
        for a in range(kh):
            for b in range(kw):
                d_kernel[a, b] = np.vdot(_tap(padded, a, b, out, stride), d_out)
                _tap(d_padded, a, b, out, stride)[...] += kernel[a, b] * d_out
        H, W = padded.shape[0] - 2 * ph, padded.shape[1] - 2 * pw
        return d_padded[ph:ph + H, pw:pw + W], d_kernel

    return _no_overflow(backward, ("image", padded), ("kernel", kernel), ("d_out", d_out))


def _check_d_out(d_out, image, kernel, padding, stride, out):
    """δ as a finite matrix shaped like the forward pass's output ``out``, or a ValueError."""
    d_out = as_image(d_out, "d_out")
    if d_out.shape != out:
        H, W = np.shape(image)
        raise ValueError(
            f"the output Z of a {H}×{W} image and a {dims(kernel.shape)} kernel "
            f"(padding {padding!r}, stride {stride}) is {dims(out)}, so d_out must be {dims(out)}; "
            f"got d_out of shape {d_out.shape}"
        )
    return d_out


def spread(d_out, stride):
    """δ with ``stride`` − 1 zeros put between neighbouring entries (a "dilated" δ).

    Args:
        d_out: (out_h, out_w) δ = dL/dZ.
        stride: s ≥ 1.

    Returns:
        δ_s, ((out_h − 1)·s + 1, (out_w − 1)·s + 1) with δ_s[s·i, s·j] = δ[i, j] and zeros
        elsewhere: entry (i, j) sits where window (i, j) starts in X_p. At s = 1, a copy of δ.
    """
    d_out = as_image(d_out, "d_out")
    stride = _check_stride(stride)
    oh, ow = d_out.shape
    _check_size(((oh - 1) * stride + 1, (ow - 1) * stride + 1), "the spread δ")
    spread_out = np.zeros(((oh - 1) * stride + 1, (ow - 1) * stride + 1))
    spread_out[::stride, ::stride] = d_out
    return spread_out


def conv2d_backward_as_convolutions(image, kernel, d_out, padding=0, stride=1):
    """``conv2d_backward`` written as two convolutions of the spread δ, for any padding and stride.

    Args:
        image: (H, W) X;  kernel: (kh, kw) K;  d_out: (out_h, out_w) δ = dL/dZ;
        padding, stride: p and s of the forward pass ``Z = correlate2d(X, K, p, s)``.

    Returns:
        (d_image, d_kernel), shaped (H, W) and (kh, kw), equal to ``conv2d_backward``'s, by the rules

            δ_s     = spread(δ, s)                                  (s − 1 zeros between entries)
            dL/dX_p = δ_s padded by kh − 1, kw − 1 zeros, ∗ K       (the full convolution with K)
            dL/dX   = dL/dX_p with p rows and columns cropped from every side
            dL/dK   = X_p ⋆ δ_s                                     (valid cross-correlation)

        δ_s reaches rows 0 … (out_h − 1)·s + kh − 1 of X_p; when the stride skips the last rows
        or columns, the full convolution is that much smaller and their gradient is 0, and
        X_p ⋆ δ_s uses only the rows and columns the windows reach.
    """
    padded, kernel, stride, out = _prepare(image, kernel, padding, stride)
    d_out = _check_d_out(d_out, image, kernel, padding, stride, out)
    kh, kw = kernel.shape
    ph, pw = resolve_padding(padding, kernel.shape, stride)
    d_spread = spread(d_out, stride)
    reach_h, reach_w = d_spread.shape[0] + kh - 1, d_spread.shape[1] + kw - 1  # rows, cols of X_p the windows reach
    d_padded = np.zeros(padded.shape)
    d_padded[:reach_h, :reach_w] = convolve2d(np.pad(d_spread, ((kh - 1, kh - 1), (kw - 1, kw - 1))), kernel)
    H, W = padded.shape[0] - 2 * ph, padded.shape[1] - 2 * pw
    d_kernel = correlate2d(padded[:reach_h, :reach_w], d_spread)
    return d_padded[ph:ph + H, pw:pw + W], d_kernel


def conv_matrix(image_shape, kernel, padding=0, stride=1):
    """C, the layer as one big matrix: ``correlate2d(X, K, p, s).ravel() == C @ X.ravel()``.

    Args:
        image_shape: (H, W) of the input X;  kernel: (kh, kw) K;  padding, stride: as in ``correlate2d``.

    Returns:
        C, (Q, H·W) with Q = out_h·out_w: row q (window q, output (i, j) = divmod(q, out_w)) holds
        K[a, b] in column r·W + c for the pixel (r, c) = (s·i + a − p, s·j + b − p) it multiplies,
        and 0 elsewhere. Entries that fall on the zero padding are left out (they multiply 0).
        Sparse (at most kh·kw non-zeros per row) and weight-shared (the same kh·kw numbers in
        every row). Its transpose gives the image gradient: dL/dX.ravel() = Cᵀ · δ.ravel()
        (a "transposed convolution").
    """
    H, W = _check_image_shape(image_shape)
    kernel = as_image(kernel, "kernel")
    stride = _check_stride(stride)
    kh, kw = kernel.shape
    oh, ow = output_shape((H, W), (kh, kw), padding, stride)
    ph, pw = resolve_padding(padding, (kh, kw), stride)
    _check_size((oh * ow, H * W), "C (one row per window, one column per pixel)")
    C = np.zeros((oh, ow, H, W))  # C[i, j, r, c]: row (i, j), column (r, c), reshaped at the end
    i, j = np.meshgrid(np.arange(oh), np.arange(ow), indexing="ij")
    for a in range(kh):
        for b in range(kw):
            r, c = stride * i + a - ph, stride * j + b - pw
            inside = (r >= 0) & (r < H) & (c >= 0) & (c < W)
            C[i[inside], j[inside], r[inside], c[inside]] = kernel[a, b]
    return C.reshape(oh * ow, H * W)


# ----------------------------------------------------------------------------- example data

SEED_IMAGE = np.array([[1, 1, 1, 0, 0],
                       [0, 1, 1, 1, 0],
                       [0, 0, 1, 1, 1],
                       [0, 0, 1, 1, 0],
                       [0, 1, 1, 0, 0]], dtype=float)
SEED_KERNEL = np.array([[1, 0, 1],
                        [0, 1, 0],
                        [1, 0, 1]], dtype=float)
"""Seed 001's example, recreated (its pictures were lost): the green 5×5 input SEED_IMAGE and
the orange 3×3 kernel SEED_KERNEL. ``correlate2d(SEED_IMAGE, SEED_KERNEL)`` is
[[4, 3, 4], [2, 4, 3], [2, 3, 4]]."""


KERNELS = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float),
    "box blur": np.full((3, 3), 1 / 9),
    "gaussian blur": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=float) / 16,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
    "sobel x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float),
    "sobel y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float),
    "laplacian": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float),
}
"""Named 3×3 kernels for ``correlate2d``. The blurs average (their entries sum to 1), sharpen
adds to each pixel how far it stands above its four neighbours (5·centre − the four), Sobel x / Sobel y respond where brightness grows to
the right / downwards (as cross-correlation kernels), the Laplacian to spots and thin lines."""
