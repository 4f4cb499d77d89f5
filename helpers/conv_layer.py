"""Notebook 08: a whole convolutional layer (channels, filters, bias, batch) and max pooling, in matrix form.

Shapes (PyTorch's layout, N × C × H × W):

    X   (N, C, H, W)           N examples, C channels (3 for a colour picture), H×W pixels
    K   (F, C, kh, kw)         F filters, each a C×kh×kw block spanning every input channel
    b   (F,)                   one bias per filter
    Z   (N, F, out_h, out_w)   one output map per example and filter,
                               out = ⌊(H + 2p − kh)/s⌋ + 1 per axis (as in notebook 06)

One output entry is a sum over the channels c and the kernel offsets (u, v) (notebook 06's (a, b);
b is the bias now):

    Z[n, f, i, j] = b[f] + Σ_c Σ_u Σ_v  X_p[n, c, s·i + u, s·j + v] · K[f, c, u, v]

The matrix form (im2col with channels): each window X_p[n, :, s·i : s·i + kh, s·j : s·j + kw]
flattened is a **column** of length C·kh·kw, the N·out_h·out_w windows of the whole batch are
the columns of one matrix ``cols``, the filters flattened are the **rows** of
``K_mat = K.reshape(F, C·kh·kw)`` (notebook 01's W; here W is the image width), and the layer
is notebook 01's dense layer with the windows as the examples:

    z = K_mat · cols + b             (F, N·out_h·out_w)
    dL/dK_mat = δ · colsᵀ            notebook 03, δ = dL/dz (F, N·out_h·out_w)
    dL/db    = Σ_columns δ           notebook 03: the bias is added at every position of every example
    dL/dcols = K_matᵀ · δ            notebook 04
    dL/dX    = col2im(dL/dcols)      each window's gradient added back where the window came from

(Notebook 06 stacked one image's windows as the rows of ``cols``; here they are columns, the
column convention of notebooks 01-04, so the layer reads z = W x + b with W = K_mat.)

Max pooling keeps the largest entry of each size×size window of each channel; its backward pass
routes each gradient to that entry (ties: the first maximum in row-major order) and gives the
others 0. Average pooling shares each gradient equally over its window.

Every function here is vectorised: the only Python loops run over the kh·kw kernel offsets (or
the size·size pooling offsets), never over examples, channels or positions. ``padding`` is a
whole number, "valid" or "same" and ``stride`` a whole number ≥ 1, exactly as in ``helpers.conv``.
Everything is computed in float64 (integer or float32 inputs are converted); complex, NaN or infinite
entries are refused with a ValueError, never dropped or propagated.
"""
import numpy as np

from .conv import output_shape, resolve_padding
from .shapes import as_float_array, dims, first_non_finite, whole_number

# ----------------------------------------------------------------------------- checks


def _as_real_array(a, name, ndim, layout):
    """``a`` as a float64 array with ``ndim`` axes and only finite real entries, or a ValueError.

    ``layout`` says in words what the axes are, e.g. "N×C×H×W (examples, channels, rows, columns)".
    """
    if a is None:  # np.asarray(None, dtype=float) is nan: say what it really is
        raise ValueError(f"{name} must hold numbers; got None")
    arr = as_float_array(a, name)  # refuses complex entries and non-numbers (a ragged list too)
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be {layout}, {ndim} axes; got {name} of shape {arr.shape}")
    bad = first_non_finite(arr)
    if bad is not None:
        where, value = bad
        raise ValueError(f"{name} holds {value} at index {where}; every entry must be a finite number")
    return arr


def _whole(value, name, meaning):
    return whole_number(value, name, 1, f"{name} ({meaning})")


def _shape(value, name, layout, source=None):
    """``value`` as a tuple of whole numbers ≥ 1 with one entry per letter of ``layout``, or a ValueError.

    ``layout`` is how the notebook writes it, e.g. "(N, C, H, W)"; ``source`` the array whose
    ``.shape`` was meant (named in the message when an array is passed instead of its shape).
    """
    count = layout.count(",") + 1
    words = {2: "two", 4: "four"}[count]
    expected = f"{name} must be {words} whole numbers ≥ 1, {layout}"
    if isinstance(value, np.ndarray) and value.ndim > 1:
        hint = f": pass {source}.shape" if source else ""
        raise ValueError(f"{expected}; got an array of shape {value.shape}{hint}")
    try:
        shape = tuple(value)
    except TypeError:
        raise ValueError(f"{expected}; got {value!r}") from None
    if len(shape) != count or not all(isinstance(d, (int, np.integer)) and not isinstance(d, (bool, np.bool_))
                                      and d >= 1 for d in shape):
        raise ValueError(f"{expected}; got {value!r}")
    return tuple(int(d) for d in shape)


def _finite_result(name, result, *inputs):
    """Raise if ``result`` overflowed float64 (finite inputs whose products or sums pass ±1.8e308)."""
    if not np.all(np.isfinite(result)):
        largest = ", ".join(f"{n} {float(np.max(np.abs(a))):.3g}" for n, a in inputs if np.size(a))
        raise ValueError(f"{name} overflows float64 (largest entries: {largest}): the result passes "
                         f"±1.8e308, the largest float64; scale the inputs down")
    return result


def _check_layer(X, K, padding, stride):
    """Validate X and K; return (X, K, (ph, pw), stride, (out_h, out_w))."""
    X = _as_real_array(X, "X", 4, "N×C×H×W (examples, channels, rows, columns)")
    K = _as_real_array(K, "K", 4, "F×C×kh×kw (filters, input channels, kernel rows, kernel columns)")
    if K.shape[1] != X.shape[1]:
        raise ValueError(
            f"X has {X.shape[1]} channels, so K needs {X.shape[1]} input channels; got K of shape {K.shape}"
        )
    if min(X.shape) == 0 or min(K.shape) == 0:
        raise ValueError(f"X and K must not be empty; got X of shape {X.shape} and K of shape {K.shape}")
    stride = _whole(stride, "stride", "the step between windows")
    kernel = K.shape[2:]
    pads = resolve_padding(padding, kernel, stride)
    out = output_shape(X.shape[2:], kernel, padding, stride)
    return X, K, pads, stride, out


def layer_output_shape(X_shape, K_shape, padding=0, stride=1):
    """The shape of Z: ``(N, F, out_h, out_w)`` with out = ⌊(H + 2p − kh)/s⌋ + 1 per axis.

    Args:
        X_shape: (N, C, H, W);  K_shape: (F, C, kh, kw);  padding, stride: as in ``conv_forward``.

    Raises:
        ValueError for a channel mismatch or a kernel larger than the padded image.
    """
    X_shape = _shape(X_shape, "X_shape", "(N, C, H, W)", "X")
    K_shape = _shape(K_shape, "K_shape", "(F, C, kh, kw)", "K")
    if K_shape[1] != X_shape[1]:
        raise ValueError(f"X has {X_shape[1]} channels, so K needs {X_shape[1]} input channels; got K of shape {K_shape}")
    return (X_shape[0], K_shape[0]) + output_shape(X_shape[2:], K_shape[2:], padding, stride)


def _tap(A, a, b, out, stride):
    """The (..., out_h, out_w) view of A's last two axes that kernel offset (u, v) = (a, b) touches: A[..., s·i + a, s·j + b]."""
    oh, ow = out
    return A[..., a:a + stride * (oh - 1) + 1:stride, b:b + stride * (ow - 1) + 1:stride]


# ----------------------------------------------------------------------------- im2col with channels


def _padded_channels_first(X, pads):
    """X (N, C, H, W) zero-padded and reordered to (C, N, H + 2ph, W + 2pw) (one copy)."""
    N, C, H, W = X.shape
    ph, pw = pads
    Xp = np.zeros((C, N, H + 2 * ph, W + 2 * pw))
    Xp[:, :, ph:ph + H, pw:pw + W] = X.transpose(1, 0, 2, 3)
    return Xp


def _im2col(Xp, kernel, out, stride):
    """cols (C·kh·kw, N·out_h·out_w) from the padded channels-first Xp; one copy per kernel offset."""
    C, N = Xp.shape[:2]
    kh, kw = kernel
    oh, ow = out
    cols = np.empty((C, kh, kw, N, oh, ow))
    for a in range(kh):
        for b in range(kw):
            cols[:, a, b] = _tap(Xp, a, b, out, stride)
    return cols.reshape(C * kh * kw, N * oh * ow)


def _col2im(d_cols, padded_shape, kernel, out, stride):
    """The adjoint of ``_im2col``: (C·kh·kw, N·Q) -> padded channels-first (C, N, Hp, Wp), overlaps added."""
    C, N = padded_shape[:2]
    kh, kw = kernel
    oh, ow = out
    d_padded = np.zeros(padded_shape)
    blocks = d_cols.reshape(C, kh, kw, N, oh, ow)
    for a in range(kh):
        for b in range(kw):
            _tap(d_padded, a, b, out, stride)[...] += blocks[:, a, b]
    return d_padded


def batch_im2col(X, kernel_shape, padding=0, stride=1):
    """Every window of every example as a column of one matrix: the layer's "examples".

    Args:
        X: (N, C, H, W) the batch.
        kernel_shape: (kh, kw).
        padding, stride: as in ``conv_forward``.

    Returns:
        cols, (C·kh·kw, N·out_h·out_w). Column n·out_h·out_w + i·out_w + j is the window of
        example n at output (i, j), ``X_p[n, :, s·i : s·i + kh, s·j : s·j + kw].ravel()`` (channel
        by channel, each row by row), so with ``K_mat = K.reshape(F, C·kh·kw)``
        ``(K_mat @ cols + b[:, None]).reshape(F, N, out_h, out_w).transpose(1, 0, 2, 3) == conv_forward(X, K, b, padding, stride)``.
    """
    kernel_shape = _shape(kernel_shape, "kernel_shape", "(kh, kw)")
    X = _as_real_array(X, "X", 4, "N×C×H×W (examples, channels, rows, columns)")
    X, _, pads, stride, out = _check_layer(X, np.zeros((1, X.shape[1]) + kernel_shape), padding, stride)
    return _im2col(_padded_channels_first(X, pads), kernel_shape, out, stride)


def batch_col2im(d_cols, X_shape, kernel_shape, padding=0, stride=1):
    """The adjoint of ``batch_im2col``: add each column back onto the window it came from.

    Args:
        d_cols: (C·kh·kw, N·out_h·out_w), e.g. dL/dcols = K_matᵀ · δ.
        X_shape: (N, C, H, W);  kernel_shape: (kh, kw);  padding, stride: as in ``batch_im2col``.

    Returns:
        (N, C, H, W): each pixel collects every entry of ``d_cols`` that ``batch_im2col`` copied
        from it (several where windows overlap, none where the stride skips it); the padding's
        share is dropped.
    """
    X_shape = _shape(X_shape, "X_shape", "(N, C, H, W)", "X")
    kernel_shape = _shape(kernel_shape, "kernel_shape", "(kh, kw)")
    N, C, H, W = X_shape
    _, _, oh, ow = layer_output_shape(X_shape, (1, C) + kernel_shape, padding, stride)
    stride = _whole(stride, "stride", "the step between windows")
    d_cols = _as_real_array(d_cols, "d_cols", 2, "(C·kh·kw)×(N·out_h·out_w)")
    expected = (C * kernel_shape[0] * kernel_shape[1], N * oh * ow)
    if d_cols.shape != expected:
        raise ValueError(
            f"X of shape {X_shape} has {N * oh * ow} windows of {expected[0]} numbers, so d_cols must be "
            f"{dims(expected)}; got d_cols of shape {d_cols.shape}"
        )
    ph, pw = resolve_padding(padding, kernel_shape, stride)
    d_padded = _col2im(d_cols, (C, N, H + 2 * ph, W + 2 * pw), kernel_shape, (oh, ow), stride)
    return np.ascontiguousarray(d_padded[:, :, ph:ph + H, pw:pw + W].transpose(1, 0, 2, 3))


# ----------------------------------------------------------------------------- the convolutional layer


def conv_forward(X, K, b, padding=0, stride=1):
    """A convolutional layer: every filter slid over every example, summed over the channels, plus its bias.

    The same numbers as PyTorch's ``conv2d(X, K, b, stride, padding)`` (cross-correlation).

    Args:
        X: (N, C, H, W) the batch of images.
        K: (F, C, kh, kw) the filters, each spanning all C input channels.
        b: (F,) one bias per filter.
        padding: zero pixels added on every side: p ≥ 0, "valid" (0) or "same" (odd kernels, stride 1).
        stride: s ≥ 1, the step between windows.

    Returns:
        Z, (N, F, out_h, out_w):  Z[n, f, i, j] = b[f] + Σ_cuv X_p[n, c, s·i + u, s·j + v] · K[f, c, u, v],
        computed as z = K_mat · cols + b with K_mat = K.reshape(F, C·kh·kw) and cols = batch_im2col(X, ...).

    Raises:
        ValueError for a channel mismatch ("X has 3 channels, so K needs 3 input channels; got K of
        shape (8, 1, 3, 3)"), a b that is not F entries, a kernel larger than the padded image, a bad
        padding or stride, or entries that are complex, NaN or infinite.
    """
    X, K, pads, stride, out = _check_layer(X, K, padding, stride)
    F = K.shape[0]
    b = _as_real_array(b, "b", np.ndim(b), "F entries")
    if b.shape != (F,):
        raise ValueError(f"K has {F} filters, so b needs {F} entries, shape ({F},); got b of shape {b.shape}")
    N = X.shape[0]
    cols = _im2col(_padded_channels_first(X, pads), K.shape[2:], out, stride)
    with np.errstate(over="ignore", invalid="ignore"):
        Z = K.reshape(F, -1) @ cols
        Z += b[:, None]
    _finite_result("Z", Z, ("X", X), ("K", K), ("b", b))
    return np.ascontiguousarray(Z.reshape((F, N) + out).transpose(1, 0, 2, 3))


def conv_backward(dZ, X, K, padding=0, stride=1):
    """Backward pass of ``Z = conv_forward(X, K, b, padding, stride)``: notebooks 03 and 04 through im2col.

    Args:
        dZ: (N, F, out_h, out_w) δ = dL/dZ, the upstream gradient.
        X: (N, C, H, W) the forward pass's input.
        K: (F, C, kh, kw) its filters.
        padding, stride: as in the forward pass.

    Returns:
        (dX, dK, db), shaped like X, K and b ((N, C, H, W), (F, C, kh, kw), (F,)), with δ as the
        (F, N·out_h·out_w) matrix whose columns follow the columns of ``cols``:
            dK = (δ · colsᵀ).reshape(K.shape)   dL/dK[f, c, u, v] = Σ_nij δ[n, f, i, j] · X_p[n, c, s·i + u, s·j + v]
            db = Σ_columns δ                    dL/db[f] = Σ_nij δ[n, f, i, j]
            dX = col2im(K_matᵀ · δ)             cropped of the padding

    Raises:
        ValueError if dZ is not shaped like the forward pass's output, plus everything
        ``conv_forward`` refuses.
    """
    X, K, pads, stride, out = _check_layer(X, K, padding, stride)
    (N, C, H, W), F = X.shape, K.shape[0]
    expected = (N, F) + out
    dZ = _as_real_array(dZ, "dZ", np.ndim(dZ), "N×F×out_h×out_w")
    if dZ.shape != expected:
        raise ValueError(
            f"the output Z of X ({dims(X.shape)}) through K ({dims(K.shape)}) with padding {padding!r}, "
            f"stride {stride} is {dims(expected)}, so dZ must be {dims(expected)}; got dZ of shape {dZ.shape}"
        )
    delta = dZ.transpose(1, 0, 2, 3).reshape(F, -1)  # (F, N·Q), columns in the order of cols
    Xp = _padded_channels_first(X, pads)
    cols = _im2col(Xp, K.shape[2:], out, stride)
    with np.errstate(over="ignore", invalid="ignore"):
        dK = (delta @ cols.T).reshape(K.shape)
        db = delta.sum(axis=1)
        d_padded = _col2im(K.reshape(F, -1).T @ delta, Xp.shape, K.shape[2:], out, stride)
    for name, grad in (("dK", dK), ("db", db), ("dX", d_padded)):
        _finite_result(name, grad, ("dZ", dZ), ("X", X), ("K", K))
    ph, pw = pads
    dX = np.ascontiguousarray(d_padded[:, :, ph:ph + H, pw:pw + W].transpose(1, 0, 2, 3))
    return dX, dK, db


# ----------------------------------------------------------------------------- pooling


def _check_pool(X, size, stride, what="X"):
    """Validate; return (X, size, stride, (out_h, out_w))."""
    X = _as_real_array(X, what, 4, "N×C×H×W (examples, channels, rows, columns)")
    size = _whole(size, "size", "the side of the pooling window")
    stride = size if stride is None else _whole(stride, "stride", "the step between windows")
    H, W = X.shape[2:]
    if size > H or size > W:
        raise ValueError(
            f"the {size}×{size} pooling window is larger than each channel of {what}: {what} is "
            f"{dims(X.shape)}, so its channels are {H}×{W}"
        )
    return X, size, stride, ((H - size) // stride + 1, (W - size) // stride + 1)


def _check_dY(dY, X, size, stride, out, name="dY"):
    expected = X.shape[:2] + out
    dY = _as_real_array(dY, name, np.ndim(dY), "N×C×out_h×out_w")
    if dY.shape != expected:
        raise ValueError(
            f"pooling X ({dims(X.shape)}) with size {size}, stride {stride} gives Y of shape "
            f"{dims(expected)}, so {name} must be {dims(expected)}; got {name} of shape {dY.shape}"
        )
    return dY


def _winner_offsets(X, size, stride, out):
    """For each window, the offset t = u·size + v of its first maximum (row-major), (N, C, out_h, out_w)."""
    taps = np.stack([_tap(X, a, b, out, stride) for a in range(size) for b in range(size)])
    return np.argmax(taps, axis=0)  # argmax returns the first maximum: ties go to the earliest offset


def maxpool_forward(X, size=2, stride=None):
    """Max pooling: the largest entry of each size×size window, channel by channel.

    Args:
        X: (N, C, H, W).
        size: the window's side (a whole number ≥ 1).
        stride: the step between windows; None means ``size`` (windows side by side, no overlap).

    Returns:
        Y, (N, C, out_h, out_w) with out = ⌊(H − size)/stride⌋ + 1 per axis (no padding: rows and
        columns that no window reaches are ignored):
            Y[n, c, i, j] = max_uv X[n, c, stride·i + u, stride·j + v]      (u, v < size)
    """
    X, size, stride, out = _check_pool(X, size, stride)
    Y = _tap(X, 0, 0, out, stride).copy()
    for a in range(size):
        for b in range(size):
            if a or b:
                np.maximum(Y, _tap(X, a, b, out, stride), out=Y)
    return Y


def maxpool_winners(X, size=2, stride=None):
    """Where each window's maximum sits: the pixel that receives the window's gradient.

    Args:
        X: (N, C, H, W);  size, stride: as in ``maxpool_forward``.

    Returns:
        (rows, cols), two int arrays (N, C, out_h, out_w): window (n, c, i, j)'s maximum is
        X[n, c, rows[n, c, i, j], cols[n, c, i, j]]; ties go to the first maximum in row-major
        order (top row first, then left to right).
    """
    X, size, stride, out = _check_pool(X, size, stride)
    a, b = np.divmod(_winner_offsets(X, size, stride, out), size)
    i = np.arange(out[0])[:, None]
    j = np.arange(out[1])[None, :]
    return stride * i + a, stride * j + b


def maxpool_backward(dY, X, size=2, stride=None):
    """Backward pass of ``Y = maxpool_forward(X, size, stride)``: each gradient goes to its window's maximum.

    Args:
        dY: (N, C, out_h, out_w) dL/dY, the upstream gradient.
        X: (N, C, H, W) the forward pass's input.
        size, stride: as in the forward pass.

    Returns:
        dX, (N, C, H, W):  dL/dX[n, c, r, q] = Σ over the windows whose maximum is (r, q) of dY[n, c, i, j].
        The max is locally "pick one entry", whose Jacobian row is a one-hot: the winner gets the
        gradient unchanged, the other entries of the window 0. Ties: the first maximum in
        row-major order gets it all. Where windows overlap (stride < size), a pixel that wins
        several windows adds their gradients.

    Raises:
        ValueError if dY is not shaped like Y.
    """
    X, size, stride, out = _check_pool(X, size, stride)
    dY = _check_dY(dY, X, size, stride, out)
    winner = _winner_offsets(X, size, stride, out)
    dX = np.zeros(X.shape)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(size * size):
            a, b = divmod(t, size)
            _tap(dX, a, b, out, stride)[...] += np.where(winner == t, dY, 0.0)
    return _finite_result("dX", dX, ("dY", dY))  # a pixel that wins several windows adds their gradients


def avgpool_forward(X, size=2, stride=None):
    """Average pooling, the contrast to max pooling: the mean of each size×size window.

    Args and shapes as in ``maxpool_forward``:
        Y[n, c, i, j] = (1/size²) Σ_uv X[n, c, stride·i + u, stride·j + v]
    """
    X, size, stride, out = _check_pool(X, size, stride)
    Y = np.zeros(X.shape[:2] + out)
    for a in range(size):
        for b in range(size):
            Y += _tap(X, a, b, out, stride) / size**2  # divided first: a mean of huge entries cannot overflow
    return Y


def avgpool_backward(dY, X, size=2, stride=None):
    """Backward pass of ``avgpool_forward``: each gradient is shared equally, dY/size², by its window's pixels.

    Args:
        dY: (N, C, out_h, out_w);  X: (N, C, H, W) (only its shape is used);  size, stride: as in the forward.

    Returns:
        dX, (N, C, H, W): dL/dX[n, c, r, q] = Σ over the windows containing (r, q) of dY[n, c, i, j] / size².
    """
    X, size, stride, out = _check_pool(X, size, stride)
    dY = _check_dY(dY, X, size, stride, out)
    dX = np.zeros(X.shape)
    share = dY / size**2
    for a in range(size):
        for b in range(size):
            _tap(dX, a, b, out, stride)[...] += share
    return dX
