"""Notebook 07: softmax and cross-entropy, column convention (m classes, k examples as columns).

    P = softmax(Z)          Z, P: (m, k)    p_i = e^{z_i} / Σ_j e^{z_j}   in each column
    ∂p/∂z = diag(p) − p pᵀ  (m, m)          ∂p_i/∂z_j = p_i (δ_ij − p_j): full, not diagonal
    L = −(1/k) Σ_c Σ_i Y_ic log P_ic        Y: (m, k) one-hot, or labels y of shape (k,)
    ∂L/∂Z = (P − Y) / k     (m, k)          Jᵀ ∂L/∂p collapses to p − y for one example

Softmax is the first activation of the series whose output p_i depends on every z_j, so
its Jacobian is a full m×m matrix and notebook 02's Hadamard product ∂L/∂p ⊙ softmax'(z)
is wrong. Subtracting max(z) from a column changes no p_i (the factor e^{−max z} cancels)
and keeps every e^{z_i − max z} in (0, 1]: no overflow even for |z| = 1e4. The loss is
computed from the logits with log-sum-exp, log p_i = z_i − max z − log Σ_j e^{z_j − max z},
so it never takes log(0).
"""
import numpy as np

from .shapes import as_float_array, dims, first_non_finite, whole_number


# ---------------------------------------------------------------- checks (the notebook's words)

def as_logits(Z, name="Z"):
    """``Z`` as an (m, k) float matrix of real, finite logits (one example per column); else ValueError.

    A 1-D array is refused rather than guessed at (in the column convention one example is
    an (m, 1) column), and so are complex numbers, NaN and ±inf: nothing is dropped silently.
    """
    Z = as_float_array(Z, name)  # refuses text, complex numbers and ints beyond float64
    if Z.ndim == 1:
        raise ValueError(
            f"{name} must be a column of shape ({Z.shape[0]}, 1) (or (m, k) for k examples); "
            f"got {name} of shape {Z.shape}: use {name}.reshape(-1, 1)"
        )
    if Z.ndim != 2 or Z.shape[0] < 1 or Z.shape[1] < 1:
        raise ValueError(
            f"{name} must be an m×k matrix (m ≥ 1 classes as rows, k ≥ 1 examples as columns); "
            f"got {name} of shape {Z.shape}"
        )
    bad = first_non_finite(Z)
    if bad is not None:
        where, value = bad
        raise ValueError(f"{name} must hold finite numbers; got {name}{list(where)} = {value}")
    return Z


def as_one_hot(Y, m, k, name="Y"):
    """The targets as an (m, k) one-hot float matrix, from Y one-hot (m, k) or labels y of shape (k,).

    Args:
        Y: (m, k) one-hot matrix (each column one 1 and m − 1 zeros), or (k,) whole-number
            class labels in 0..m−1 (label c of example j means Y[c, j] = 1).
        m, k: the shape of the logits Z the targets go with.

    Returns:
        (m, k) float array of 0s and 1s, a new array.

    Raises:
        ValueError naming Z's shape and what it got: a one-hot Y of another shape, a column
        that is not one-hot, labels that are not whole numbers, a label outside 0..m−1, or a
        number of labels other than k.
    """
    raw = np.asarray(Y)
    if np.iscomplexobj(raw) or raw.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold real numbers (one-hot or class labels); got {Y!r}")
    if raw.ndim == 1:
        return one_hot(raw, m, k, name.lower())  # labels: y (k,), one-hot: Y (m, k)
    expected = f"Z is {dims((m, k))}, so {name} must be a one-hot {dims((m, k))} matrix (or {k} labels, shape ({k},))"
    if raw.shape != (m, k):
        raise ValueError(f"{expected}; got {name} of shape {raw.shape}")
    Y = raw.astype(float)
    not_one_hot = ~(np.all((Y == 0) | (Y == 1), axis=0) & (Y.sum(axis=0) == 1))
    if np.any(not_one_hot):
        c = int(np.argmax(not_one_hot))
        raise ValueError(
            f"{name} must be one-hot: each column one 1 and {m - 1} zeros; "
            f"got column {c} of {name} = {Y[:, c].tolist()}"
        )
    return Y


def one_hot(labels, m, k=None, name="y"):
    """One-hot matrix Y (m, k) from k class labels: ``Y[labels[j], j] = 1``, every other entry 0.

    Args:
        labels: (k,) whole numbers in 0..m−1 (ints, or floats such as 2.0).
        m: the number of classes (rows of Y).
        k: if given, the number of labels required (the columns of Z).

    Raises:
        ValueError naming what it got: not 1-D, not whole numbers, outside 0..m−1, or not k of them.
    """
    m = whole_number(m, "m", 1, "the number of classes m")
    if k is not None:
        k = whole_number(k, "k", 0, "the number of examples k")
    raw = np.asarray(labels)
    if np.iscomplexobj(raw) or raw.dtype.kind not in "iuf":
        raise ValueError(f"the labels {name} must be whole numbers 0..{m - 1}; got {labels!r}")
    if raw.ndim != 1:
        raise ValueError(f"the labels {name} must be 1-D, one label per example; got {name} of shape {raw.shape}")
    if k is not None and raw.shape[0] != k:
        raise ValueError(
            f"Z has k = {k} columns (examples), so {name} needs {k} labels; "
            f"got {raw.shape[0]} labels ({name} of shape {raw.shape})"
        )
    if raw.dtype.kind == "f":
        whole = np.isfinite(raw) & (raw == np.round(raw))
        if not np.all(whole):
            j = int(np.argmin(whole))
            raise ValueError(f"the labels {name} must be whole numbers 0..{m - 1}; got {name}[{j}] = {raw[j]}")
    outside = (raw < 0) | (raw > m - 1)
    if np.any(outside):
        j = int(np.argmax(outside))
        raise ValueError(
            f"Z has m = {m} rows (classes), so the labels {name} must be in 0..{m - 1}; got {name}[{j}] = {raw[j]}"
        )
    Y = np.zeros((m, raw.shape[0]))
    Y[raw.astype(int), np.arange(raw.shape[0])] = 1.0
    return Y


# ---------------------------------------------------------------- the maths

def _shifted(Z, name="Z"):
    """Each column minus its maximum, ``Z − max`` (every entry ≤ 0, the largest exactly 0).

    Refuses a column whose max − min does not fit a float64 (e.g. 1.7e308 and −1.7e308):
    the difference would be −inf and the cross-entropy 0·(−inf) = NaN.
    """
    with np.errstate(over="ignore"):
        shifted = Z - Z.max(axis=0, keepdims=True)
    if not np.all(np.isfinite(shifted)):
        c = int(np.argmax(~np.all(np.isfinite(shifted), axis=0)))
        raise ValueError(
            f"the logits in column {c} of {name} are too far apart: max − min = {Z[:, c].max():.3g} − "
            f"({Z[:, c].min():.3g}) does not fit a float64 (about 1.8e308); scale {name} down"
        )
    return shifted


def softmax(Z):
    """Softmax of each column: ``P = exp(Z − max) / Σ_rows exp(Z − max)``.

    Args:
        Z: (m, k) logits, one column per example (one example: an (m, 1) column).

    Returns:
        P: (m, k), P_ic = e^{Z_ic} / Σ_j e^{Z_jc}; every entry in [0, 1], each column sums to 1.
        Subtracting the column's max changes nothing (e^{−max} cancels) and keeps it finite,
        with no warning, for |Z| up to 1e4 and beyond.

    Raises:
        ValueError for a 1-D, complex, NaN or infinite Z, or a column whose max − min overflows.
    """
    E = np.exp(_shifted(as_logits(Z)))  # in [0, 1], the column's largest is exactly 1
    return E / E.sum(axis=0, keepdims=True)


def log_softmax(Z):
    """log P for each column, by log-sum-exp: ``log P_ic = Z_ic − max_c − log Σ_j e^{Z_jc − max_c}``.

    Args:
        Z: (m, k) logits.

    Returns:
        (m, k), finite for finite Z (never log(0)): e.g. log P = −2e4 where P underflows to 0.
    """
    shifted = _shifted(as_logits(Z))
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))  # the sum is ≥ 1


def softmax_jacobian(z):
    """The Jacobian of p = softmax(z) for one column z: ``J = diag(p) − p pᵀ``.

    Args:
        z: (m, 1) logits of one example.

    Returns:
        J: (m, m), J_ij = ∂p_i/∂z_j = p_i (δ_ij − p_j): p_i(1 − p_i) on the diagonal, −p_i p_j
        off it. Symmetric, each row and column sums to 0 (the p_i always sum to 1).

    Raises:
        ValueError unless z is one column (m, 1) of finite real numbers.
    """
    z = as_logits(z, "z")
    if z.shape[1] != 1:
        raise ValueError(
            f"softmax_jacobian takes one example, a column z of shape ({z.shape[0]}, 1); "
            f"got z of shape {z.shape}: take one column, e.g. Z[:, [0]]"
        )
    E = np.exp(_shifted(z, "z"))
    p = E / E.sum()
    return np.diagflat(p) - p @ p.T


def cross_entropy(Z, Y):
    """Mean cross-entropy over the k columns, from the logits: ``L = −(1/k) Σ_c Σ_i Y_ic log softmax(Z)_ic``.

    Args:
        Z: (m, k) logits, one column per example.
        Y: (m, k) one-hot targets, or (k,) whole-number class labels in 0..m−1.

    Returns:
        L, a float ≥ 0: the mean over examples of −log (the probability given to the right class).
        Computed with log-sum-exp (``log_softmax``), so finite even when that probability
        underflows to 0.

    Raises:
        ValueError naming the shapes, e.g. "Z is 3×4, so Y must be a one-hot 3×4 matrix (or 4
        labels, shape (4,)); got Y of shape (4, 3)", or a label outside 0..m−1.
    """
    Z = as_logits(Z)
    m, k = Z.shape
    Y = as_one_hot(Y, m, k)
    # each term divided by k before the sum: k losses near 1e308 each must not overflow on the way to their mean
    return float(-np.sum(Y * log_softmax(Z) / k)) + 0.0  # + 0.0: a certain right answer is 0, not −0


def cross_entropy_backward(Z, Y):
    """Gradient of ``cross_entropy(Z, Y)`` with respect to the logits: ``dL_dZ = (softmax(Z) − Y) / k``.

    For one example the chain Jᵀ ∂L/∂p with J = diag(p) − p pᵀ and ∂L/∂p_i = −y_i/p_i
    collapses to p − y; the 1/k comes from the mean over the k columns.

    Args:
        Z: (m, k) logits.   Y: (m, k) one-hot targets, or (k,) class labels in 0..m−1.

    Returns:
        dL_dZ: (m, k), the shape of Z; each column sums to 0.

    Raises:
        ValueError as ``cross_entropy``.
    """
    Z = as_logits(Z)
    m, k = Z.shape
    Y = as_one_hot(Y, m, k)
    return (softmax(Z) - Y) / k


# ---------------------------------------------------------------- a classifier to train (notebook 07)

# The three class centres, on the unit circle at 90°, 210° and 330°, as a 2×3 matrix (column c is
# class c's centre). Written with square roots rather than cos/sin: sqrt is exact on every CPU.
CENTRES = np.array([[0.0, -np.sqrt(3) / 2, np.sqrt(3) / 2],
                    [1.0, -0.5, -0.5]])


def three_blobs(k=300, spread=0.6, seed=0):
    """k points in the plane in three classes: class c is centre c plus Gaussian noise.

    Args:
        k: number of examples, a multiple of 3 (k/3 per class, in a shuffled order).
        spread: the noise's standard deviation (the centres are 1 from the origin, √3 apart).
        seed: seed of ``np.random.default_rng``.

    Returns:
        X: (2, k) one point per column.   y: (k,) its class label, 0, 1 or 2.
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 3 or k % 3:
        raise ValueError(f"k must be a whole multiple of 3 (k/3 examples per class); got k = {k!r}")
    if (isinstance(spread, bool) or not isinstance(spread, (int, float, np.integer, np.floating))
            or not np.isfinite(spread) or spread < 0):
        raise ValueError(f"spread must be a finite number ≥ 0; got spread = {spread!r}")
    whole_number(seed, "seed", 0)
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.repeat(np.arange(3), k // 3))
    X = CENTRES[:, y] + spread * rng.normal(size=(2, k))
    return X, y


def three_blobs_split(k_train=60):
    """Notebook 07's data: ``three_blobs()`` (300 points, spread 0.6, seed 0), split into the first
    ``k_train`` examples for training and the rest held out for testing.

    Returns:
        X_train (2, k_train), y_train (k_train,), X_test (2, 300 − k_train), y_test (300 − k_train,).
    """
    if isinstance(k_train, bool) or not isinstance(k_train, (int, np.integer)) or not 1 <= k_train <= 299:
        raise ValueError(f"k_train must be a whole number from 1 to 299 (the rest of the 300 points are the "
                         f"test set); got k_train = {k_train!r}")
    X, y = three_blobs()
    return X[:, :k_train], y[:k_train], X[:, k_train:], y[k_train:]


def polynomial_features(X, degree):
    """Every product x₁^a x₂^b with 1 ≤ a + b ≤ degree, one row each (TensorFlow Playground's x₁², x₁x₂, …).

    Args:
        X: (2, k) points as columns.   degree: a whole number ≥ 1 (1 gives X itself).

    Returns:
        (F, k) with F = degree (degree + 3) / 2 rows, in the order x₁, x₂, x₁², x₁x₂, x₂², x₁³, …
    """
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[0] != 2 or X.shape[1] < 1:
        raise ValueError(f"X must hold points of the plane, 2 rows (x₁, x₂), one point per column; got X of shape {X.shape}")
    X = as_logits(X, "X")  # real and finite
    degree = whole_number(degree, "degree", 1)
    with np.errstate(over="ignore", invalid="ignore"):
        F = np.array([X[0] ** (d - j) * X[1] ** j for d in range(1, degree + 1) for j in range(d + 1)])
    if not np.all(np.isfinite(F)):
        raise ValueError(f"X is too large for degree {degree}: x₁^a x₂^b overflows float64 "
                         f"(largest |x| = {np.abs(X).max():.3g})")
    return F


def standardize(F_train, *others):
    """Scale each feature (row) to mean 0 and standard deviation 1 on the training examples:
    ``(F − mean) / std``, with the training set's mean and std applied to every array given.

    Args:
        F_train: (F, k) training features, one example per column.
        others: more (F, k') arrays (test examples, a grid of points) to scale the same way.

    Returns:
        A tuple (F_train scaled, *others scaled). Features constant on the training set are left unscaled.
    """
    F_train = as_logits(F_train, "F_train")
    with np.errstate(over="ignore", invalid="ignore"):
        mean = F_train.mean(axis=1, keepdims=True)
        std = F_train.std(axis=1, keepdims=True)
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(std))):
        raise ValueError(f"F_train is too large to standardize: its mean or standard deviation overflows float64 "
                         f"(largest |entry| = {np.abs(F_train).max():.3g})")
    std[std == 0] = 1.0
    scaled = []
    for F in (F_train, *others):
        F = as_logits(F, "F")
        if F.shape[0] != F_train.shape[0]:
            raise ValueError(f"F_train has {F_train.shape[0]} rows (features), so every array to scale "
                             f"needs {F_train.shape[0]} rows; got one of shape {F.shape}")
        scaled.append((F - mean) / std)
    return tuple(scaled)


def accuracy(Z, y):
    """Fraction of the k columns of Z whose largest entry is at the true class: mean(argmax Z = y).
    A tie goes to the first of the tied classes (``np.argmax``), e.g. every column when Z = 0.

    Args:
        Z: (m, k) logits (or probabilities).   y: (k,) labels in 0..m−1, or one-hot (m, k).
    """
    Z = as_logits(Z)
    Y = as_one_hot(y, *Z.shape)
    return float(np.mean(np.argmax(Z, axis=0) == np.argmax(Y, axis=0)))


def _loss_and_accuracy(W, b, X, Y):
    """Mean cross-entropy and accuracy of Z = W X + b against one-hot Y, over any leading stack axes of W, b."""
    Z = W @ X + b                                              # (..., m, k)
    shifted = Z - Z.max(axis=-2, keepdims=True)
    log_P = shifted - np.log(np.exp(shifted).sum(axis=-2, keepdims=True))
    loss = -np.sum(Y * log_P / X.shape[1], axis=(-2, -1)) + 0.0  # divide first (no overflow), + 0.0: never −0
    return loss, np.mean(np.argmax(Z, axis=-2) == np.argmax(Y, axis=0), axis=-1)


def train_softmax_classifier(X_train, y_train, X_test, y_test, etas, epochs, every=1, m=None):
    """Full-batch gradient descent on one dense layer Z = W X + b with softmax and cross-entropy,
    one run per learning rate η, all at once; W and b start at zero.

    Each epoch: Z = W X + b, ∂L/∂Z = (P − Y)/k, ∂L/∂W = ∂L/∂Z Xᵀ, ∂L/∂b = Σ_columns ∂L/∂Z,
    then W ← W − η ∂L/∂W, b ← b − η ∂L/∂b (the rules of notebooks 03 and 07).

    Args:
        X_train: (n, k) training inputs as columns.   y_train: (k,) labels in 0..m−1 (or one-hot (m, k)).
        X_test: (n, k_test) held-out inputs.   y_test: (k_test,) their labels.
        etas: a sequence of r learning rates > 0.
        epochs: the number of updates.
        every: keep W, b and the figures every this many epochs (0, every, 2·every, …).
        m: the number of classes, a whole number ≥ 2; by default the largest label + 1 (at least 2),
            or the rows of a one-hot y_train.

    Returns:
        dict of arrays, one row per η, at the s kept epochs:
        "epochs" (s,); "W" (r, s, m, n) and "b" (r, s, m, 1): the parameters after that many updates;
        "train_loss", "train_accuracy", "test_loss", "test_accuracy": each (r, s).
    """
    X_train, X_test = as_logits(X_train, "X_train"), as_logits(X_test, "X_test")
    n, k = X_train.shape
    if X_test.shape[0] != n:
        raise ValueError(f"X_train has {n} rows (features), so X_test needs {n} rows; got X_test of shape {X_test.shape}")
    if m is None:  # bad labels are reported by as_one_hot below, in the notebook's words
        labels = [np.asarray(y) for y in (y_train, y_test)]
        m = max([2] + [y.shape[0] if y.ndim == 2 else int(np.max(y)) + 1 for y in labels  # one-hot: m rows
                       if y.size and y.dtype.kind in "iuf" and np.all(np.isfinite(y)) and np.all(np.abs(y) < 2**31)])
    m = whole_number(m, "m", 2, "the number of classes m")
    Y = as_one_hot(y_train, m, k, "y_train")
    Y_test = as_one_hot(y_test, m, X_test.shape[1], "y_test")
    etas = as_float_array(etas, "etas").reshape(-1, 1, 1)
    if etas.size == 0 or not np.all(np.isfinite(etas)) or np.any(etas <= 0):
        raise ValueError(f"every learning rate η must be finite and > 0; got etas = {etas.ravel().tolist()}")
    epochs, every = whole_number(epochs, "epochs", 0), whole_number(every, "every", 1)

    r = etas.shape[0]
    W, b = np.zeros((r, m, n)), np.zeros((r, m, 1))
    kept = np.arange(0, epochs + 1, every)
    W_kept, b_kept = np.zeros((r, kept.size, m, n)), np.zeros((r, kept.size, m, 1))
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported below, in words
        for epoch in range(epochs + 1):
            if epoch % every == 0:
                W_kept[:, epoch // every], b_kept[:, epoch // every] = W, b
            if epoch == epochs:
                break
            Z = W @ X_train + b                                    # (r, m, k)
            E = np.exp(Z - Z.max(axis=1, keepdims=True))
            dL_dZ = (E / E.sum(axis=1, keepdims=True) - Y) / k     # (P − Y)/k
            W -= etas * (dL_dZ @ X_train.T)                        # ∂L/∂W = ∂L/∂Z Xᵀ
            b -= etas * dL_dZ.sum(axis=2, keepdims=True)           # ∂L/∂b = Σ columns
        train_loss, train_accuracy = _loss_and_accuracy(W_kept, b_kept, X_train, Y)
        test_loss, test_accuracy = _loss_and_accuracy(W_kept, b_kept, X_test, Y_test)
    finite = np.all(np.isfinite(W_kept), axis=(1, 2, 3)) & np.all(np.isfinite(b_kept), axis=(1, 2, 3))
    finite &= np.all(np.isfinite(train_loss), axis=1) & np.all(np.isfinite(test_loss), axis=1)
    if not np.all(finite):
        eta = float(etas.ravel()[np.argmin(finite)])
        raise ValueError(f"training overflows float64 at η = {eta:.3g} (largest |x| = {np.abs(X_train).max():.3g}): "
                         f"W X + b or the loss became inf or NaN; use a smaller η or scaled inputs")
    return {"epochs": kept, "W": W_kept, "b": b_kept, "train_loss": train_loss, "train_accuracy": train_accuracy,
            "test_loss": test_loss, "test_accuracy": test_accuracy}
