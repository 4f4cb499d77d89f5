"""Notebook 05's self-checks against banks of answers: every wrong one gets ❌ (and no exception),
every right one ✅ (tests/selfcheck_bank.py runs them in the notebook's own kernel)."""
import contextlib
import io
from pathlib import Path

import nbformat
import numpy as np
import pytest

from selfcheck_bank import Bank, problems, run_banks

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "05_sigmoid_network.ipynb"

# Exercise 2: the answer replaces the whole exercise cell, so each defines my_gradients only.
BUGGY = '''def my_gradients(X, Y, p):
    h = sigmoid(X @ p["W"] + p["b1"])
    y_hat = sigmoid(h @ p["V"] + p["b2"])
    dC_dz2 = {out}
    dC_dz1 = {hid}
    return {{"W": {W}, "b1": {b1},
            "V": {V}, "b2": {b2}}}'''
RIGHT_OUT = '(y_hat - Y) / len(X) * y_hat * (1 - y_hat)'
RIGHT_HID = '(dC_dz2 @ p["V"].T) * h * (1 - h)'


def gradients_with(out=RIGHT_OUT, hid=RIGHT_HID, W="X.T @ dC_dz1", V="h.T @ dC_dz2",
                   b1="dC_dz1.sum(axis=0, keepdims=True)", b2="dC_dz2.sum(axis=0, keepdims=True)"):
    return BUGGY.format(out=out, hid=hid, W=W, V=V, b1=b1, b2=b2)


# Exercises 1 and 3 may change params in place; put it (and the arrays W, b1, V, b2 of the cells above) back.
RESET = ("params = init_params(seed=0)\n"
         "for n, a in (('W', W), ('b1', b1), ('V', V), ('b2', b2)):\n    a[...] = params[n]\n"
         "params = {'W': W, 'b1': b1, 'V': V, 'b2': b2}")


BANKS = {
    1: Bank(
        wrong=["dC_dX = ...", "dC_dX = None", "dC_dX = [[1, 2, 3]]", "dC_dX = 'dC_dz1 @ W.T'",
               "dC_dX = -(dC_dz1 @ W.T)",                  # negated
               "dC_dX = W @ dC_dz1.T",                     # transposed (3×k)
               "dC_dX = dC_dz1 @ W.T / k",                 # a factor too many
               "dC_dX = 1.02 * (dC_dz1 @ W.T)",            # 2 % off
               "dC_dX = (dC_dz2 @ V.T) @ W.T",             # the hidden σ' missing
               "dC_dX = dC_dz1[:, :3]",                    # right shape, wrong numbers
               "dC_dX = np.zeros((5, 4))",                 # wrong shape
               "dC_dX = lambda: dC_dz1 @ W.T",             # a function, not called
               "dC_dX = (dC_dz1 @ W.T) + 1j",              # complex
               "W[:] = 0\ndC_dX = dC_dz1 @ W.T",           # params corrupted in place: its own reference moved
               "W *= 1.02\ndC_dX = dC_dz1 @ W.T",          # in place, 2 % off
               "dC_dX = dC_dz1 @ W.T * X * (1 - X)",       # a σ' too many (X is no activation)
               "dC_dX = dC_dz1[:, :3] * W[:, 0]",          # a Hadamard product where a matrix product belongs
               "dC_dX = (dC_dz1 @ W.T)[:, ::-1]",          # columns in the wrong order
               "dC_dX = np.outer(dC_dz1.sum(axis=0), W.sum(axis=1))",   # an outer product of sums: 4×3
               "dC_dX = dC_dz1 @ W.T + 1e-3",              # a small offset
               "dC_dX = (dC_dz1 @ W.T)[:4]"],              # a row missing
        right=["dC_dX = dC_dz1 @ W.T",
               "dC_dX = (W @ dC_dz1.T).T",
               "dC_dX = np.dot(dC_dz1, W.T)",
               "dC_dX = (dC_dz1 @ W.T).tolist()",
               "dC_dX = np.einsum('kj,ij->ki', dC_dz1, W)",
               "dC_dX = sum(np.outer(dC_dz1[:, j], W[:, j]) for j in range(4))",
               "dC_dX = backward(X, Y, params)['dC_dz1'] @ params['W'].T",
               "dC_dX = np.matmul(dC_dz1, W.T)",
               "dC_dX = (dC_dz1 @ W.T).astype(np.float32)",   # right to float32's 7 digits
               "dC_dX = dC_dz1 @ W.transpose()\ndC_dX *= 1.0",
               "dC_dX = np.array(dC_dz1 @ W.T, dtype=object)"],   # the right numbers, as Python floats
        reset=RESET),
    2: Bank(
        wrong=[gradients_with(out="(y_hat - Y) / len(X)"),                         # the planted bug
               gradients_with(out="(y_hat - Y) * y_hat * (1 - y_hat)"),            # the 1/k missing
               gradients_with(out="(Y - y_hat) / len(X) * y_hat * (1 - y_hat)"),   # negated
               gradients_with(out="1.02 * (y_hat - Y) / len(X) * y_hat * (1 - y_hat)"),  # 2 % off
               gradients_with(hid='dC_dz2 @ p["V"].T'),                          # hidden σ' missing
               gradients_with(W="(X.T @ dC_dz1).T"),                             # transposed (4×3)
               gradients_with(W="dC_dz1[:3, :]"),                                # right shape, wrong
               "my_gradients = ...",
               "my_gradients = None",
               "def my_gradients(X, Y, p):\n    raise NotImplementedError('later')",
               "def my_gradients(X, Y, p):\n    return gradients(X, Y, p)['W']",    # not a dict
               "def my_gradients(X, Y, p):\n    return {'W': gradients(X, Y, p)['W']}",  # keys missing
               gradients_with(W="X.T @ dC_dz1 + 1e-3j"),                          # complex: never cut to real
               gradients_with(V="np.ones((4, 1)) * dC_dz2.sum(axis=0, keepdims=True)"),   # the seed's 2-vector,
               gradients_with(V="np.broadcast_to(dC_dz2.sum(axis=0), (4, 2))"),   # broadcast over V's rows
               gradients_with(V="h.sum(axis=0)[:, None] * dC_dz2.sum(axis=0)"),  # outer product of the sums
               gradients_with(V="(h.T @ dC_dz2).T"),                              # transposed (2×4)
               gradients_with(b2="dC_dz2"),                                       # not summed: k×2
               gradients_with(b1="dC_dz1.mean(axis=0, keepdims=True)"),           # mean, not sum
               gradients_with(hid='(dC_dz2 @ p["V"].T) * y_hat.mean() * (1 - h)'),  # the wrong σ'
               gradients_with(out="(y_hat - Y) / len(X) * y_hat * (1 - y_hat)\n    p['W'] *= 0.5"),  # corrupts p
               gradients_with(W="np.full((3, 4), np.nan)"),
               "def my_gradients(X, Y, p):\n    return None"],
        right=[gradients_with(),
               "def my_gradients(X, Y, p):\n    return gradients(X, Y, p)",
               gradients_with(out="(y_hat - Y) * y_hat * (1 - y_hat) / X.shape[0]",
                              W="np.einsum('ki,kj->ij', X, dC_dz1)"),
               gradients_with(W="sum(np.outer(X[r], dC_dz1[r]) for r in range(len(X)))"),
               "from helpers.activations import sigmoid_prime\n" + gradients_with(
                   out='(y_hat - Y) / len(X) * sigmoid_prime(h @ p["V"] + p["b2"])'),
               gradients_with(out="(y_hat - Y) / len(X)\n    dC_dz2 *= y_hat * (1 - y_hat)"),   # in place
               gradients_with(V="(h.T @ dC_dz2).tolist()", b2="dC_dz2.sum(axis=0, keepdims=True).tolist()")]),
    3: Bank(
        wrong=["params_1 = ...", "params_1 = None", "params_1 = [1, 2, 3]",
               "params_1 = params",                                                             # no step
               "g = gradients(X_train, Y_train, params)\nparams_1 = {n: params[n] + 0.5 * g[n] for n in params}",
               "g = gradients(X_train, Y_train, params)\nparams_1 = {n: params[n] - g[n] for n in params}",
               "g = gradients(X_train, Y_train, params)\nparams_1 = {n: params[n] - 0.51 * g[n] for n in params}",
               "g = gradients(X_train, Y_train, params)\nparams_1 = {n: params[n] - 0.05 * g[n] for n in params}",
               "g = gradients(X, Y, params)\nparams_1 = {n: params[n] - 0.5 * g[n] for n in params}",  # wrong data
               "g = gradients(X_train, Y_train, params)\nparams_1 = dict(params, W=params['W'] - 0.5 * g['W'])",
               "g = gradients(X_train, Y_train, params)\n"
               "params_1 = {n: (params[n] - 0.5 * g[n]).T for n in params}",                    # transposed
               "params_1 = gradients(X_train, Y_train, params)",
               "params_1 = train(X_train, Y_train, params, 0.5, 2)[0]",                         # two steps
               "g = gradients(X_train, Y_train, params)\nparams_1 = {'W': params['W'] - 0.5 * g['W']}",
               "g = gradients(X_train, Y_train, params)\nfor n in params:\n    params[n] += 0.5 * g[n]\n"
               "params_1 = params",                                                             # in place, negated
               "for step in range(2):\n    g = gradients(X_train, Y_train, params)\n    for n in params:\n"
               "        params[n] -= 0.5 * g[n]\nparams_1 = params",                               # in place, 2 steps
               "g = gradients(X_train, Y_train, init_params(seed=1))\n"
               "params_1 = {n: params[n] - 0.5 * g[n] for n in params}",                        # another start
               "g = gradients(X_train, Y_train, params)\nparams_1 = {n: params[n] - 0.5 * g[n] + 0j for n in params}",
               "g = gradients(X_train, Y_train, params)\n"
               "params_1 = {n: params[n] - 0.5 * g[n] * (n != 'b2') for n in params}",          # b2 left out
               "g = gradients(X_train, Y_train, params)\n"
               "params_1 = {n: np.full_like(params[n], np.nan) for n in params}"],
        right=["g = gradients(X_train, Y_train, params)\nparams_1 = {n: params[n] - 0.5 * g[n] for n in params}",
               "g = gradients(X_train, Y_train, params)\nfor n in params:\n    params[n] -= 0.5 * g[n]\n"
               "params_1 = params",                                                             # in place
               "import copy\nparams_1 = copy.deepcopy(params)\ng = gradients(X_train, Y_train, params_1)\n"
               "for n in params_1:\n    np.subtract(params_1[n], 0.5 * g[n], out=params_1[n])",
               "params_1 = train(X_train, Y_train, params, 0.5, 1)[0]",
               "g = gradients(X_train, Y_train, params)\n"
               "params_1 = {n: (params[n] - 0.5 * g[n]).tolist() for n in params}",
               "params_1 = train_history(X_train, Y_train, params, 0.5, 1).params(1)",
               "params_1 = {n: v - 0.5 * gradients(X_train, Y_train, params)[n] for n, v in params.items()}"],
        reset=RESET),
}


@pytest.fixture(scope="module")
def outcomes():
    return run_banks(NOTEBOOK, BANKS)


def test_every_wrong_answer_gets_a_cross_and_every_right_one_a_tick(outcomes):
    assert not problems(outcomes), "\n".join(problems(outcomes))
    kinds = {(o.exercise, o.kind) for o in outcomes}
    assert kinds >= {(n, k) for n in BANKS for k in ("wrong", "right", "committed")}


def test_wrong_answers_get_a_hint_that_names_what_is_off(outcomes):
    printed = {(o.exercise, o.answer): o.printed for o in outcomes}
    assert "sign is flipped" in printed[(1, "dC_dX = -(dC_dz1 @ W.T)")]
    assert "transposed" in printed[(1, "dC_dX = W @ dC_dz1.T")]
    assert "raised NotImplementedError: later" in printed[(2, "def my_gradients(X, Y, p):\n    raise NotImplementedError('later')")]
    assert "shape (4, 3), expected (3, 4)" in printed[(2, gradients_with(W="(X.T @ dC_dz1).T"))]
    assert "changed the params it was given" in printed[
        (2, gradients_with(out="(y_hat - Y) / len(X) * y_hat * (1 - y_hat)\n    p['W'] *= 0.5"))]
    assert "should hold real numbers" in printed[(2, gradients_with(W="X.T @ dC_dz1 + 1e-3j"))]
    assert "params_1 has no key 'b1'" in printed[(3, "g = gradients(X_train, Y_train, params)\n"
                                                     "params_1 = {'W': params['W'] - 0.5 * g['W']}")]


def test_an_in_place_answer_to_exercise_3_leaves_params_as_the_cells_above_expect():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    check = next(c.source for c in nb.cells if "self-check" in c.metadata.get("tags", []) and "params_1" in c.source)
    namespace = {}
    exec("import numpy as np\nfrom helpers.network import init_params, make_dataset, gradients, train\n"
         "from helpers.checks import check_close\n"
         "params = init_params(seed=0)\nW, b1, V, b2 = params['W'], params['b1'], params['V'], params['b2']\n"
         "X_train, Y_train = make_dataset(k=40, seed=0)\n"
         "g = gradients(X_train, Y_train, params)\nfor n in params:\n    params[n] -= 0.5 * g[n]\n"
         "params_1 = params", namespace)
    expected, _ = namespace["train"](namespace["X_train"], namespace["Y_train"],
                                     namespace["init_params"](seed=0), 0.5, 1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec("from helpers.checks import check_that\n" + check, namespace)
    assert "❌" not in out.getvalue() and "✅" in out.getvalue()
    start = namespace["init_params"](seed=0)
    for n in start:
        np.testing.assert_array_equal(namespace["params"][n], start[n])          # restored
        np.testing.assert_array_equal(namespace[n], start[n])                    # and W, b1, V, b2 in place
        np.testing.assert_allclose(namespace["params_1"][n], expected[n], rtol=1e-12)  # the answer kept
