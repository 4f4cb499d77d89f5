"""Notebooks 01-04: every self-check says ❌ to plausible wrong answers and ✅ to every right form.

Each bank (tests/selfcheck_bank.py) holds, per exercise, wrong answers a learner could plausibly
type (negated, transposed, a factor missing, 2 % off, the wrong shape, unfinished, a function that
raises or returns the wrong shape) and right answers in other forms (lists, np.outer, (x @ d.T).T,
a number typed by hand to the precision asked, in place or not).
"""
from pathlib import Path

import pytest

from selfcheck_bank import Bank, problems, run_banks

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

X_ROWS = """X_rows = np.array([[ 1.0,  0.5, -1.0],
                   [ 0.0,  1.0,  2.0],
                   [-2.0,  0.0,  1.0],
                   [ 0.5, -0.5,  0.0]])
"""


def batch_forward(body):
    """An answer to notebook 01's bug hunt: ``batch_forward`` with ``body`` as its return line."""
    return (f"def batch_forward(W, b, X):\n    {body}\n\n"
            "b_flat = [0.1, -0.2, 0.0, 0.3]\nX_square = rng.normal(size=(3, 4))\n")


def sigmoid_backward(body):
    """An answer to notebook 02's bug hunt: ``sigmoid_backward`` with ``body`` as its code."""
    return "def sigmoid_backward(dL_da, z):\n    " + body.replace("\n", "\n    ") + "\n"


def best_sigmoid(factor="...", gain="...", blocked="..."):
    """An answer to notebook 02's exercise 3 (parts left ``...`` are not answered yet)."""
    return f"largest_factor_12 = {factor}\ngain_1000 = {gain}\nblocked = {blocked}\n"


def mean_batch(loss="...", dW="...", db="..."):
    """An answer to notebook 03's exercise 2: ``mean_loss`` returning ``loss``, and the two gradients."""
    return (f"def mean_loss(_):\n    _, A_ = dense_forward(W, b, X, 'sigmoid')\n    return {loss}\n\n"
            f"dW_mean = {dW}\ndb_mean = {db}\n")


RIGHT_MEAN_LOSS = "0.5 * float(np.sum((A_ - Y) ** 2)) / k"


def weight_gradient_answer(body):
    """An answer to notebook 03's bug hunt: ``my_weight_gradient`` returning ``body``."""
    return f"def my_weight_gradient(dL_dz, x):\n    return {body}\n"


DELTA = "Delta = rng.normal(size=(4, 5))\n"


def two_layer(dz1, rest="dL_dz1 @ x.T"):
    """An answer to notebook 04's bug hunt: layer 1's error is ``dz1``, its dL/dW1 is ``rest``."""
    return ("def two_layer_backward(x, W1, b1, W2, b2, y):\n"
            "    z1 = W1 @ x + b1;   a1 = sigmoid(z1)\n"
            "    z2 = W2 @ a1 + b2;  a2 = sigmoid(z2)\n"
            "    dL_dz2 = (a2 - y) * a2 * (1 - a2)\n"
            "    dL_da1 = W2.T @ dL_dz2\n"
            f"    dL_dz1 = {dz1}\n"
            f"    return {{'W1': {rest}, 'b1': dL_dz1, 'W2': dL_dz2 @ a1.T, 'b2': dL_dz2}}\n")


def dense_backward_answer(*lines):
    """An answer to notebook 04's exercise 3: ``my_dense_backward`` with ``lines`` as its body."""
    return "def my_dense_backward(dL_dA, Z, X, W):\n" + "".join(f"    {line}\n" for line in lines)


RIGHT_DENSE = ["S = sigmoid(Z)", "dL_dZ = dL_dA * S * (1 - S)", "dL_dW = dL_dZ @ X.T",
               "dL_db = dL_dZ.sum(axis=1, keepdims=True)", "dL_dX = W.T @ dL_dZ",
               "return dL_dZ, dL_dW, dL_db, dL_dX"]


def dense_with(index, line):
    """RIGHT_DENSE with line ``index`` replaced: one planted mistake."""
    return dense_backward_answer(*RIGHT_DENSE[:index], line, *RIGHT_DENSE[index + 1:])


BANKS = {
    "01_forward_pass.ipynb": {
        1: Bank(
            wrong=[X_ROWS + "Z_cols = ...",
                   X_ROWS + "Z_cols = None",
                   X_ROWS + "Z_cols = X_rows @ W.T + b",            # 4×4: the bias added along the wrong axis
                   X_ROWS + "Z_cols = X_rows @ W.T + b.T",          # the row convention's Z: transposed
                   X_ROWS + "Z_cols = W @ X_rows.T + b.ravel()",    # the flat-bias trap
                   X_ROWS + "Z_cols = W @ X_rows.T",                # no bias
                   X_ROWS + "Z_cols = -(W @ X_rows.T + b)",
                   X_ROWS + "Z_cols = 1.02 * (W @ X_rows.T + b)",
                   X_ROWS + "Z_cols = (W @ X_rows.T + b)[:, :3]",
                   X_ROWS + "Z_cols = 'W @ X_rows.T + b'",
                   X_ROWS + "Z_cols = lambda: W @ X_rows.T + b",
                   X_ROWS + "Z_cols = sigmoid(W @ X_rows.T + b)",       # the activation, not Z
                   X_ROWS + "Z_cols = X_rows @ W.T"],                   # the row convention, no bias
            right=[X_ROWS + "Z_cols = W @ X_rows.T + b",
                   X_ROWS + "Z_cols = (X_rows @ W.T + b.T).T",
                   X_ROWS + "Z_cols = (W @ X_rows.T + b).tolist()",
                   X_ROWS + "Z_cols = np.dot(W, X_rows.T) + b.reshape(-1, 1)",
                   X_ROWS + "Z_cols = dense_forward(W, b, X_rows.T, 'identity')[0]",
                   X_ROWS + "Z_cols = np.array([W @ row + b.ravel() for row in X_rows]).T"]),
        2: Bank(
            wrong=[batch_forward("return sigmoid(W @ X + np.array(b))"),
                   batch_forward("return sigmoid(W @ X + np.array(b)[None, :])"),
                   batch_forward("return sigmoid(W @ X) + np.array(b).reshape(-1, 1)"),
                   batch_forward("return sigmoid(W @ X + np.array(b).reshape(-1, 1)).T"),
                   batch_forward("return W @ X + np.array(b).reshape(-1, 1)"),
                   batch_forward("return sigmoid(W @ X + np.array(b).reshape(-1, 1))[:, :1]"),
                   batch_forward("raise NotImplementedError"),
                   batch_forward("return sigmoid(W @ X + np.diag(b))"),
                   batch_forward("return sigmoid(W @ X + np.atleast_2d(b))"),            # a row again
                   batch_forward("return sigmoid(W @ X + np.array(b).reshape(X.shape[1], 1))"),  # fits k = m only
                   "batch_forward = ..."],
            right=[batch_forward("return sigmoid(W @ X + np.array(b).reshape(-1, 1))"),
                   batch_forward("return sigmoid(W @ X + np.array(b)[:, None])"),
                   batch_forward("return sigmoid(X.T @ W.T + np.array(b)).T"),
                   batch_forward("return 1 / (1 + np.exp(-(W @ X + np.reshape(b, (-1, 1)))))"),
                   batch_forward("return dense_forward(W, b, X, 'sigmoid')[1]"),
                   batch_forward("return sigmoid((W @ X).T + np.array(b)).T"),
                   batch_forward("return sigmoid(W @ X + np.tile(b, (X.shape[1], 1)).T)")]),
        3: Bank(
            wrong=["shape_W, shape_b, shape_X, shape_Z = ..., ..., ..., ...",
                   "shape_W, shape_b, shape_X, shape_Z = (7, 5), (5, 1), (7, 10), (5, 10)",
                   "shape_W, shape_b, shape_X, shape_Z = (5, 7), (5,), (7, 10), (5, 10)",
                   "shape_W, shape_b, shape_X, shape_Z = (5, 7), (1, 5), (7, 10), (5, 10)",
                   "shape_W, shape_b, shape_X, shape_Z = (5, 7), (5, 1), (10, 7), (10, 5)",
                   "shape_W, shape_b, shape_X, shape_Z = 35, 5, 70, 50",
                   "shape_W, shape_b, shape_X, shape_Z = '5x7', '5x1', '7x10', '5x10'",
                   "shape_W, shape_b, shape_X, shape_Z = (5, [7]), (5, 1), (7, 10), (5, 10)",
                   "shape_W, shape_b, shape_X, shape_Z = (5, 7), (5, 10), (7, 10), (5, 10)",   # b per example
                   "shape_W, shape_b, shape_X, shape_Z = (5, 7), (5, 1), (7, 10), (5, 7)"],   # ragged
            right=["shape_W, shape_b, shape_X, shape_Z = (5, 7), (5, 1), (7, 10), (5, 10)",
                   "shape_W, shape_b, shape_X, shape_Z = [5, 7], [5, 1], [7, 10], [5, 10]",
                   "shape_W, shape_b, shape_X, shape_Z = np.zeros((5, 7)).shape, (5, 1), (7, 10), (5, 10)"]),
    },
    "02_activation_gradient.ipynb": {
        1: Bank(
            wrong=["dL_dz_tanh = ...",
                   "dL_dz_tanh = dL_da * (1 - np.tanh(z))",
                   "dL_dz_tanh = dL_da * (1 - np.tanh(a) ** 2)",         # tanh' at a, not z
                   "dL_dz_tanh = 1 - np.tanh(z) ** 2",                   # the upstream gradient forgotten
                   "dL_dz_tanh = -dL_da * (1 - np.tanh(z) ** 2)",
                   "dL_dz_tanh = 1.02 * dL_da * (1 - np.tanh(z) ** 2)",
                   "dL_dz_tanh = dL_da.T * (1 - np.tanh(z) ** 2)",       # 4×4 by broadcasting
                   "dL_dz_tanh = dL_da * (1 - sigmoid(z) ** 2)",
                   "dL_dz_tanh = (dL_da * (1 - np.tanh(z) ** 2)).ravel()",
                   "dL_dz_tanh = dL_da * (1 - np.tanh(z)) ** 2",
                   "dL_dz_tanh = dL_da * np.tanh(z) * (1 - np.tanh(z))",   # the sigmoid's form
                   "dL_dz_tanh = dL_da * (1 - a ** 2)"],
            right=["dL_dz_tanh = dL_da * (1 - np.tanh(z) ** 2)",
                   "dL_dz_tanh = dL_da / np.cosh(z) ** 2",
                   "dL_dz_tanh = (dL_da * (1 - tanh(z) * tanh(z))).tolist()",
                   "dL_dz_tanh = np.multiply(dL_da, 1 - np.tanh(z) ** 2)",
                   "dL_dz_tanh = activation_backward(dL_da, z, 'tanh')",
                   "dL_dz_tanh = dL_da * (1 - np.tanh(z)) * (1 + np.tanh(z))"]),
        2: Bank(
            wrong=[sigmoid_backward("a = sigmoid(z)\nreturn dL_da * sigmoid(a) * (1 - sigmoid(a))"),  # as committed
                   sigmoid_backward("return dL_da * sigmoid(z)"),
                   sigmoid_backward("s = sigmoid(z)\nreturn s * (1 - s)"),
                   sigmoid_backward("s = sigmoid(z)\nreturn -dL_da * s * (1 - s)"),
                   sigmoid_backward("return dL_da * 0.25"),
                   sigmoid_backward("return dL_da * z * (1 - z)"),
                   sigmoid_backward("s = sigmoid(z)\nreturn (dL_da * s * (1 - s)).T"),
                   sigmoid_backward("return dL_da @ sigmoid_prime(z)"),                      # raises
                   sigmoid_backward("s = sigmoid(z)\nreturn (dL_da * s * (1 - s))[:, 0]"),
                   sigmoid_backward("return dL_da * a * (1 - a)"),                  # the notebook's global a
                   sigmoid_backward("return dL_da * sigmoid_prime(sigmoid(z))"),    # σ' at a, not z
                   "sigmoid_backward = ..."],
            right=[sigmoid_backward("a = sigmoid(z)\nreturn dL_da * a * (1 - a)"),
                   sigmoid_backward("return dL_da * sigmoid_prime(z)"),
                   sigmoid_backward("return dL_da * sigmoid(z) * sigmoid(-z)"),
                   sigmoid_backward("return activation_backward(dL_da, z, 'sigmoid')"),
                   sigmoid_backward("dL_da *= sigmoid_prime(z)\nreturn dL_da"),             # in place
                   sigmoid_backward("return (np.asarray(dL_da) * np.exp(-z) / (1 + np.exp(-z)) ** 2).tolist()")],
            reset="dL_da = a - y"),
        3: Bank(
            wrong=[best_sigmoid(),
                   best_sigmoid(factor="0.25 * 12"),
                   best_sigmoid(factor="0.25 ** 11"),
                   best_sigmoid(factor="5.9e-8"),                      # 2 significant figures, not 3
                   best_sigmoid(factor="6e-8"),
                   best_sigmoid(factor="5.96e-7"),
                   best_sigmoid(factor="-5.96e-8"),
                   best_sigmoid(factor="[0.25 ** 12, 0.25 ** 12]"),
                   best_sigmoid(factor="'5.96e-8'"),
                   best_sigmoid(gain="1000 ** (1 / 12)"),
                   best_sigmoid(gain="7.1"),
                   best_sigmoid(gain="4 * 1000 / 12"),
                   best_sigmoid(gain="4"),
                   best_sigmoid(blocked="relu_prime(z)"),
                   best_sigmoid(blocked="z > 0"),
                   best_sigmoid(blocked="(z <= 0).ravel()"),
                   best_sigmoid(blocked="(z <= 0).T"),
                   best_sigmoid(blocked="[2, 3]"),                                   # indices, not a mask
                   best_sigmoid(blocked="np.where(z <= 0)"),
                   best_sigmoid(gain="4 * 1000 ** (1 / 20)"),                        # 20 layers, not 12
                   best_sigmoid(gain="1000 ** (1 / 12) / 4")],
            right=[best_sigmoid("0.25 ** 12", "4 * 1000 ** (1 / 12)", "z <= 0"),
                   best_sigmoid("5.96e-8", "7.11", "z < 0"),
                   best_sigmoid("1 / 4 ** 12", "7.113", "relu_prime(z) == 0"),
                   best_sigmoid("5.960e-08", "4 * 10 ** 0.25", "[[False], [False], [True], [True]]"),
                   best_sigmoid("np.float64(0.25) ** 12", "np.array([7.11])", "np.array([[0], [0], [1], [1]])"),
                   best_sigmoid("0.0000000596", "7.11", "np.maximum(z, 0) == 0")]),
    },
    "03_weight_gradient.ipynb": {
        1: Bank(
            wrong=["dL_dW23 = ...",
                   "dL_dW23 = Delta[2] @ X[1]",                  # row and column swapped
                   "dL_dW23 = Delta[1, 0] * X[2, 0]",            # the first example only
                   "dL_dW23 = Delta[1] @ X[2] / k",              # the mean, not the sum
                   "dL_dW23 = -Delta[1] @ X[2]",
                   "dL_dW23 = dL_dW[1, 2]",                      # the one-example gradient from the top
                   "dL_dW23 = Delta[1] * X[2]",                  # not summed: 5 numbers
                   "dL_dW23 = round(float(Delta[1] @ X[2]), 2)",
                   "dL_dW23 = dW_batch[2, 1]",                   # W₃₂
                   "dL_dW23 = dW_batch[1, 2] / k"],  # rounded to 2 decimals
            right=["dL_dW23 = sum(Delta[1, c] * X[2, c] for c in range(k))",
                   "dL_dW23 = Delta[1] @ X[2]",
                   "dL_dW23 = np.dot(Delta[1, :], X[2, :])",
                   "dL_dW23 = Delta[[1]] @ X[[2]].T",             # a 1×1 matrix
                   "dL_dW23 = float(np.sum(Delta[1] * X[2]))",
                   "dL_dW23 = weight_gradient(Delta, X)[1, 2]",
                   "dL_dW23 = np.float32(Delta[1] @ X[2])"]),
        2: Bank(
            wrong=[mean_batch(),
                   mean_batch(loss="0.5 * float(np.sum((A_ - Y) ** 2))"),               # the sum
                   mean_batch(loss="float(np.mean((A_ - Y) ** 2)) / 2"),                 # divided by m·k
                   mean_batch(loss="0.5 * np.sum((A_ - Y) ** 2, axis=0) / k"),           # k losses, not one
                   mean_batch(dW="Delta @ X.T"),                                           # the sum's gradient
                   mean_batch(dW="X @ Delta.T / k"),                # transposed
                   mean_batch(dW="Delta @ X.T / m"),
                   mean_batch(dW="1.02 * Delta @ X.T / k"),
                   mean_batch(db="Delta.mean(axis=1)"),              # flat
                   mean_batch(db="Delta.sum(axis=1, keepdims=True)"),
                   mean_batch(db="Delta.mean(axis=0, keepdims=True)"),
                   mean_batch(db="Delta / k"),
                   mean_batch(loss="1 / 0"),
                   mean_batch(dW="Delta.mean(axis=1, keepdims=True) @ X.mean(axis=1, keepdims=True).T"),  # product of means
                   mean_batch(dW="(Delta / k) @ (X / k).T"),                                              # divided twice
                   mean_batch(db="Delta.mean()")],                                              # raises
            right=[mean_batch(RIGHT_MEAN_LOSS, "Delta @ X.T / k", "Delta.sum(axis=1, keepdims=True) / k"),
                   mean_batch("np.mean(0.5 * np.sum((A_ - Y) ** 2, axis=0))", "weight_gradient(Delta, X) / k",
                              "Delta.mean(axis=1, keepdims=True)"),
                   mean_batch(RIGHT_MEAN_LOSS, "sum(np.outer(Delta[:, c], X[:, c]) for c in range(k)) / k",
                              "bias_gradient(Delta) / k"),
                   mean_batch(RIGHT_MEAN_LOSS, "(X @ Delta.T).T / k", "(Delta.sum(axis=1) / k).reshape(-1, 1).tolist()"),
                   mean_batch("np.sum((A_ - Y) ** 2) / (2 * k)", "(Delta / k) @ X.T", "np.mean(Delta, axis=1).reshape(4, 1)")]),
        3: Bank(
            wrong=[weight_gradient_answer("x @ dL_dz.T"),                 # as committed
                   weight_gradient_answer("np.outer(x, dL_dz)"),
                   weight_gradient_answer("-dL_dz @ x.T"),
                   weight_gradient_answer("dL_dz @ x.T / 2"),
                   weight_gradient_answer("x.T @ dL_dz"),                 # raises or 1×1
                   weight_gradient_answer("dL_dz * x"),                   # raises for m ≠ n
                   weight_gradient_answer("(dL_dz @ x.T).ravel()"),
                   weight_gradient_answer("dL_dz @ x.T / x.shape[0]"),
                   weight_gradient_answer("dL_dz.T @ x"),                               # raises
                   "my_weight_gradient = ..."],
            right=[weight_gradient_answer("dL_dz @ x.T"),
                   weight_gradient_answer("np.outer(dL_dz, x)"),
                   weight_gradient_answer("(x @ dL_dz.T).T"),
                   weight_gradient_answer("dL_dz * x.T"),
                   weight_gradient_answer("weight_gradient(dL_dz, x)"),
                   weight_gradient_answer("np.einsum('ik,jk->ij', dL_dz, x).tolist()"),
                   weight_gradient_answer("np.outer(x, dL_dz).T"),
                   weight_gradient_answer("x.T * dL_dz")]),
    },
    "04_input_gradient.ipynb": {
        1: Bank(
            wrong=[DELTA + "dL_dX = ...",
                   DELTA + "dL_dX = Delta.T @ W",                          # 5×3: transposed
                   DELTA + "dL_dX = (W.T @ Delta).T",
                   DELTA + "dL_dX = W.T @ Delta / 5",
                   DELTA + "dL_dX = -W.T @ Delta",
                   DELTA + "dL_dX = W.T @ Delta[:, [0]]",                  # one example only
                   DELTA + "dL_dX = W.T @ Delta.sum(axis=1, keepdims=True)",
                   DELTA + "dL_dX = 1.02 * W.T @ Delta",
                   DELTA + "dL_dX = W.T.dot(Delta) / Delta.shape[1]",
                   DELTA + "dL_dX = (W.T @ Delta)[:, :4]"],
            right=[DELTA + "dL_dX = W.T @ Delta",
                   DELTA + "dL_dX = (Delta.T @ W).T",
                   DELTA + "dL_dX = np.dot(W.T, Delta)",
                   DELTA + "dL_dX = input_gradient(W, Delta)",
                   DELTA + "dL_dX = (W.T @ Delta).tolist()",
                   DELTA + "dL_dX = np.einsum('ij,ic->jc', W, Delta)",
                   DELTA + "dL_dX = sum(np.outer(W[i], Delta[i]) for i in range(4))"]),
        2: Bank(
            wrong=[two_layer("dL_da1"),                                    # as committed
                   two_layer("dL_da1 * a2 * (1 - a2)"),                     # raises: 3 vs 2 entries
                   two_layer("dL_da1 * z1 * (1 - z1)"),
                   two_layer("dL_da1 * sigmoid(z1)"),
                   two_layer("dL_da1 * a1 * (1 - a1)", rest="x @ dL_dz1.T"),
                   two_layer("-dL_da1 * a1 * (1 - a1)"),
                   two_layer("dL_da1 * sigmoid(a1) * (1 - sigmoid(a1))"),                  # σ' at a, not z
                   two_layer("dL_da1 * a1"),
                   "two_layer_backward = ..."],
            right=[two_layer("dL_da1 * a1 * (1 - a1)"),
                   two_layer("dL_da1 * sigmoid_prime(z1)") .replace("def two", "from helpers.activations import sigmoid_prime\ndef two"),
                   two_layer("activation_backward(dL_da1, z1, 'sigmoid')"),
                   two_layer("W2.T @ dL_dz2 * a1 * (1 - a1)", rest="np.outer(dL_dz1, x)"),
                   two_layer("dL_da1 * sigmoid(z1) * sigmoid(-z1)")]),
        3: Bank(
            wrong=[dense_backward_answer("..."),
                   dense_with(1, "dL_dZ = dL_dA"),                                  # σ' forgotten
                   dense_with(1, "dL_dZ = dL_dA * S"),
                   dense_with(2, "dL_dW = X @ dL_dZ.T"),                            # transposed
                   dense_with(3, "dL_db = dL_dZ"),                                  # not summed over the batch
                   dense_with(3, "dL_db = dL_dZ.mean(axis=1, keepdims=True)"),
                   dense_with(3, "dL_db = dL_dZ.sum(axis=1)"),                      # flat
                   dense_with(4, "dL_dX = W @ dL_dZ if W.shape[0] == W.shape[1] else W.T @ dL_dZ"),
                   dense_with(4, "dL_dX = W @ dL_dZ"),                              # raises for 4×3
                   dense_with(5, "return dL_dW, dL_db, dL_dX"),
                   dense_with(5, "return dL_dZ, dL_dW, dL_db"),
                   dense_with(1, "dL_dZ = dL_dA * sigmoid(S) * (1 - sigmoid(S))"),          # σ' at a, not z
                   dense_with(2, "dL_dW = dL_dZ @ X.T / X.shape[1]"),                       # the mean
                   dense_with(3, "dL_db = dL_dZ.sum(axis=0, keepdims=True)"),               # the wrong axis
                   dense_with(4, "dL_dX = W.T @ dL_dA"),                                    # σ' skipped
                   dense_with(4, "dL_dX = (W.T @ dL_dZ).T"),
                   "my_dense_backward = lambda *args: 3.0",
                   "my_dense_backward = ..."],
            right=[dense_backward_answer(*RIGHT_DENSE),
                   dense_backward_answer("return dense_backward(dL_dA, Z, X, W, 'sigmoid')"),
                   dense_with(2, "dL_dW = sum(np.outer(dL_dZ[:, c], X[:, c]) for c in range(X.shape[1]))"),
                   dense_with(4, "dL_dX = (dL_dZ.T @ W).T"),
                   dense_with(5, "return [dL_dZ, dL_dW.tolist(), dL_db, dL_dX]"),
                   dense_with(1, "dL_dZ = dL_dA * sigmoid(Z) * sigmoid(-Z)"),
                   dense_with(1, "dL_dA *= S * (1 - S); dL_dZ = dL_dA"),                    # in place
                   dense_with(3, "dL_db = np.sum(dL_dZ, axis=1).reshape(-1, 1)")]),
    },
}


@pytest.fixture(scope="module", params=sorted(BANKS))
def outcomes(request):
    return request.param, run_banks(NOTEBOOKS / request.param, BANKS[request.param])


def test_every_wrong_answer_gets_a_cross_and_every_right_one_a_tick(outcomes):
    name, found = outcomes
    tried = {(o.exercise, o.kind) for o in found}
    assert all((n, kind) in tried for n in BANKS[name] for kind in ("wrong", "right", "committed"))
    assert not problems(found), "\n".join(problems(found))
