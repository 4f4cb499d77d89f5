"""Notebook 09: scikit-learn's bundled handwritten digits, a seeded split, and training by mini-batch SGD.

The data: 1,797 grey images of 8×8 pixels, values 0..16, each a handwritten digit 0-9 (the UCI
"optical recognition of handwritten digits" set, shipped inside scikit-learn as
``sklearn/datasets/data/digits.csv.gz``). We read that file straight from the installed package,
exactly as ``sklearn.datasets.load_digits`` does (a test checks they agree), without importing
scikit-learn: importing ``sklearn.datasets`` takes 1.5-3.5 s on the 2-core development machine
(it loads SciPy), reading the file 20 ms. No download, no network. scikit-learn is used for the
data only, never for the learning.

Models are ``helpers.layers.Sequential`` networks taking a batch of images X (N, 1, 8, 8) and
returning logits Z (10, N), one column per example (the column convention), with the loss of
notebook 07: L = cross_entropy(Z, y), ∂L/∂Z = cross_entropy_backward(Z, y) = (softmax(Z) − Y)/N.

Mini-batch gradient descent: each epoch shuffles the training examples and walks through them
in batches of B; each batch is notebook 03's batch of columns, its loss the mean over its B
examples, and every parameter p takes the step p ← p − η ∂L/∂p.
"""
import gzip
import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np

from .layers import make_rng
from .shapes import as_float_array
from .softmax import cross_entropy, cross_entropy_backward, softmax

N_CLASSES = 10
PIXEL_MAX = 16.0  # the images' values are whole numbers 0..16 (counts of ink in 4×4 blocks)


def _digits_file():
    """The path of scikit-learn's digits.csv.gz, found without importing scikit-learn (None if absent)."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "datasets" / "data" / "digits.csv.gz"
    return path if path.is_file() else None


def load_digits_data():
    """All 1,797 digits: ``images`` (1797, 8, 8) floats 0..16 and ``labels`` (1797,) ints 0..9.

    The same numbers as ``sklearn.datasets.load_digits()``'s ``images`` and ``target``, read from
    the file scikit-learn ships (falls back to ``load_digits`` itself if the file moved).
    """
    path = _digits_file()
    if path is None:
        try:
            from sklearn.datasets import load_digits
        except ImportError:
            raise ValueError("the digits come with scikit-learn: pip install scikit-learn") from None
        bunch = load_digits()
        return bunch.images.astype(float), bunch.target.astype(int)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        table = np.loadtxt(f, delimiter=",")
    return table[:, :-1].reshape(-1, 8, 8), table[:, -1].astype(int)


def split_digits(test_fraction=0.25, seed=0):
    """A seeded split of the digits into training and test examples, pixels scaled to 0..1.

    Args:
        test_fraction: the share of the 1,797 examples held out for testing (0 < fraction < 1).
        seed: seed of the permutation that decides which examples are held out.

    Returns:
        dict with "X_train" (N_train, 1, 8, 8), "y_train" (N_train,), "X_test" (N_test, 1, 8, 8),
        "y_test" (N_test,): images as one-channel batches (PyTorch's layout N × C × H × W), pixel
        values divided by 16, labels 0..9. N_test = round(1797 · test_fraction).
    """
    if not isinstance(test_fraction, (float, int)) or isinstance(test_fraction, bool) or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be a number between 0 and 1; got {test_fraction!r}")
    images, labels = load_digits_data()
    order = np.random.default_rng(seed).permutation(len(labels))
    n_test = int(round(len(labels) * test_fraction))
    test, train = order[:n_test], order[n_test:]
    X = images[:, None, :, :] / PIXEL_MAX
    return {"X_train": X[train], "y_train": labels[train], "X_test": X[test], "y_test": labels[test]}


def evaluate(model, X, y):
    """Loss and accuracy of ``model`` on images X (N, 1, 8, 8) with labels y (N,).

    Returns:
        (L, accuracy): L = cross_entropy(Z, y) = −(1/N) Σ_n log softmax(Z)[y_n, n] with Z = model.forward(X)
        (10, N); accuracy = the fraction of columns whose largest logit is at y_n.
    """
    Z = model.forward(X)
    return cross_entropy(Z, y), float(np.mean(np.argmax(Z, axis=0) == np.asarray(y)))


def sgd_step(model, X_batch, y_batch, eta):
    """One step of gradient descent on one mini-batch; returns the batch's loss before the step.

    Z = model.forward(X_batch);  ∂L/∂Z = (softmax(Z) − Y)/B;  model.backward(∂L/∂Z);
    then every parameter p ← p − η ∂L/∂p, in place (the model's own arrays change).
    """
    Z = model.forward(X_batch)
    loss = cross_entropy(Z, y_batch)
    model.backward(cross_entropy_backward(Z, y_batch))
    grads = model.grads
    for name, p in model.params.items():
        p -= eta * grads[name]
    return loss


def train(model, data, epochs, batch_size, eta, decay=1.0, seed=0, keep=()):
    """Mini-batch SGD: ``epochs`` passes over the training examples in shuffled batches of ``batch_size``.

    Args:
        model: a Sequential taking (B, 1, 8, 8) images and returning (10, B) logits; trained in place.
        data: ``split_digits()``'s dict (X_train, y_train, X_test, y_test).
        epochs: passes over the training set.   batch_size: B, examples per step (the last batch
            of an epoch may be smaller).   eta: the learning rate η > 0 of the first epoch.
        decay: the schedule: epoch e (from 0) steps with η·decay^e, so 0.9 shrinks η by 10 % per
            epoch (big steps early, small steps to settle); 1 keeps η constant.
        seed: seed of the shuffles (one permutation per epoch).
        keep: parameter names (keys of ``model.params``) to copy after every epoch, e.g. ("0.K",).

    Returns:
        dict of per-epoch lists, entry 0 before training and entry e after epoch e:
        "train_loss", "train_accuracy", "test_loss", "test_accuracy", and "snapshots" (a dict
        {name: list of arrays} for ``keep``).
    """
    for name, value, least in [("epochs", epochs, 0), ("batch_size", batch_size, 1)]:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < least:
            raise ValueError(f"{name} must be a whole number ≥ {least}; got {name} = {value!r}")
    if not _is_number(eta) or not np.isfinite(eta) or eta <= 0:
        raise ValueError(f"the learning rate η must be a finite number > 0; got eta = {eta!r}")
    if not _is_number(decay) or not np.isfinite(decay) or not 0 < decay <= 1:
        raise ValueError(f"decay must be a number in (0, 1] (η is multiplied by it after each epoch); got decay = {decay!r}")
    missing = [name for name in keep if name not in model.params]
    if missing:
        raise ValueError(f"keep names parameters of the model, one of {list(model.params)}; got {missing}")
    rng = make_rng(seed)
    X, y = data["X_train"], data["y_train"]
    history = {key: [] for key in ("train_loss", "train_accuracy", "test_loss", "test_accuracy")}
    history["snapshots"] = {name: [] for name in keep}

    def record():
        """Append the current losses, accuracies and kept parameters to the history."""
        for part in ("train", "test"):
            loss, accuracy = evaluate(model, data[f"X_{part}"], data[f"y_{part}"])
            history[f"{part}_loss"].append(loss)
            history[f"{part}_accuracy"].append(accuracy)
        for name in keep:
            history["snapshots"][name].append(model.params[name].copy())

    record()
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            batch = order[start:start + batch_size]
            sgd_step(model, X[batch], y[batch], eta)
        eta *= decay  # one multiplication per epoch: the same η on every CPU
        record()
    return history


def predict_proba(model, X):
    """Class probabilities P = softmax(model.forward(X)), (10, N), each column summing to 1."""
    return softmax(model.forward(X))


def confusion_matrix(y_true, y_pred, m=N_CLASSES):
    """C (m, m) with C[i, j] = the number of examples of true class i predicted as class j.

    The diagonal counts the right answers; row i sums to the number of examples of class i.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(f"y_true and y_pred must be 1-D with one label per example, the same length; "
                         f"got shapes {y_true.shape} and {y_pred.shape}")
    C = np.zeros((m, m), dtype=int)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def input_gradient_of_loss(model, x, label):
    """The loss of one image and its gradient with respect to the pixels (notebook 04's ∂L/∂x).

    Args:
        model: a Sequential taking (N, 1, 8, 8) images.
        x: one image (1, 1, 8, 8) (or (8, 8)).   label: the class whose loss is differentiated, 0..9.

    Returns:
        (L, dL_dx, p): L = −log p_label, dL_dx shaped like x (1, 1, 8, 8): which pixels would change
        the loss most, and how; p (10,) the probabilities. model.backward fills the model's grads
        too (ignore them here).
    """
    x = _one_image(x)
    Z = model.forward(x)
    labels = np.array([label])
    dL_dx = model.backward(cross_entropy_backward(Z, labels))
    return cross_entropy(Z, labels), dL_dx, softmax(Z)[:, 0]


def fgsm(model, x, label, epsilon, target=None):
    """The fast gradient sign method: nudge every pixel by ±ε to fool the model.

    Untargeted (target None): x' = x + ε·sign(∂L_label/∂x), a step *up* the loss of the true label.
    Targeted: x' = x − ε·sign(∂L_target/∂x), a step *down* the loss of the target class.
    Pixels are then clipped to 0..1 so that x' is still an image of the data's range
    (so a pixel already at 0 or 1 may move less than ε).

    Args:
        model: a Sequential taking (N, 1, 8, 8) images.   x: one image (1, 1, 8, 8) (or (8, 8)), values 0..1.
        label: its true class, 0..9.   epsilon: ε ≥ 0, the largest change of any pixel.
        target: None, or the class 0..9 to push the prediction towards.

    Returns:
        x_adv (1, 1, 8, 8).
    """
    x = _one_image(x)
    if not _is_number(epsilon) or not np.isfinite(epsilon) or epsilon < 0:
        raise ValueError(f"epsilon must be a finite number ≥ 0 (the largest change of a pixel); got {epsilon!r}")
    if target is None:
        _, dL_dx, _ = input_gradient_of_loss(model, x, label)
        step = np.sign(dL_dx)
    else:
        _, dL_dx, _ = input_gradient_of_loss(model, x, target)
        step = -np.sign(dL_dx)
    return np.clip(x + epsilon * step, 0.0, 1.0)


def _is_number(value):
    """True for a real number (int, float, numpy scalar), False for anything else (text, None, arrays, bool)."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _one_image(x):
    x = as_float_array(x, "x")
    if x.shape == (8, 8):
        x = x.reshape(1, 1, 8, 8)
    if x.shape != (1, 1, 8, 8):
        raise ValueError(f"x must be one 8×8 image, shape (1, 1, 8, 8) (or (8, 8)); got x of shape {x.shape}: "
                         "take one with X_test[[i]]")
    return x


# ---------------------------------------------------------------- the notebook's two models

MLP_RECIPE = {"epochs": 20, "batch_size": 16, "eta": 0.1, "decay": 0.9, "seed": 0}
CNN_RECIPE = {"epochs": 12, "batch_size": 32, "eta": 0.1, "decay": 0.85, "seed": 0}


def make_mlp(data, seed=0):
    """Notebook 09's MLP 64-32-10: Standardize, Flatten, Dense(64, 32), ReLU, Dense(32, 10).

    Standardize uses the mean and standard deviation of all training pixels (data["X_train"]).
    """
    from .layers import Dense, Flatten, ReLU, Sequential, Standardize
    rng = make_rng(seed)
    X = data["X_train"]
    return Sequential(Standardize(X.mean(), X.std()), Flatten(), Dense(64, 32, rng), ReLU(), Dense(32, 10, rng))


def make_cnn(data, seed=0, filters=16):
    """Notebook 09's CNN: Standardize, Conv2D(1, F, 3, padding=1), ReLU, MaxPool2D(2), Flatten, Dense(F·4·4, 10).

    Shapes for a batch of N: (N, 1, 8, 8) -> conv (N, F, 8, 8) -> pool (N, F, 4, 4) -> (16·F, N) -> (10, N).
    """
    from .layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sequential, Standardize
    rng = make_rng(seed)
    X = data["X_train"]
    return Sequential(Standardize(X.mean(), X.std()), Conv2D(1, filters, 3, padding=1, rng=rng), ReLU(),
                      MaxPool2D(2), Flatten(), Dense(filters * 16, 10, rng))


@lru_cache(maxsize=1)
def default_data():
    """``split_digits()`` with its defaults (test_fraction 0.25, seed 0), read once per process."""
    return split_digits()


@lru_cache(maxsize=1)
def _cnn_run():
    data = default_data()
    model = make_cnn(data, seed=CNN_RECIPE["seed"])
    history = train(model, data, keep=("1.K",), **CNN_RECIPE)
    return model, history


def trained_cnn():
    """The notebook's CNN trained with the notebook's recipe (``CNN_RECIPE``) on ``default_data()``.

    Computed once per process (about a second) and shared: the widgets' default model. Do not
    train it further; build your own with ``make_cnn``.
    """
    return _cnn_run()[0]


def trained_cnn_history():
    """``train``'s history of ``trained_cnn()``, with the filters "1.K" kept after every epoch."""
    return _cnn_run()[1]
