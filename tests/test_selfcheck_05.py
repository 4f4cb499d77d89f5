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
    return {{"W": {W}, "b1": dC_dz1.sum(axis=0, keepdims=True),
            "V": h.T @ dC_dz2, "b2": dC_dz2.sum(axis=0, keepdims=True)}}'''
RIGHT_OUT = '(y_hat - Y) / len(X) * y_hat * (1 - y_hat)'
RIGHT_HID = '(dC_dz2 @ p["V"].T) * h * (1 - h)'


def gradients_with(out=RIGHT_OUT, hid=RIGHT_HID, W="X.T @ dC_dz1"):
    return BUGGY.format(out=out, hid=hid, W=W)


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
               "dC_dX = (dC_dz1 @ W.T) + 1j"],             # complex
        right=["dC_dX = dC_dz1 @ W.T",
               "dC_dX = (W @ dC_dz1.T).T",
               "dC_dX = np.dot(dC_dz1, W.T)",
               "dC_dX = (dC_dz1 @ W.T).tolist()",
               "dC_dX = np.einsum('kj,ij->ki', dC_dz1, W)",
               "dC_dX = sum(np.outer(dC_dz1[:, j], W[:, j]) for j in range(4))"]),
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
               "def my_gradients(X, Y, p):\n    return {'W': gradients(X, Y, p)['W']}"],  # keys missing
        right=[gradients_with(),
               "def my_gradients(X, Y, p):\n    return gradients(X, Y, p)",
               gradients_with(out="(y_hat - Y) * y_hat * (1 - y_hat) / X.shape[0]",
                              W="np.einsum('ki,kj->ij', X, dC_dz1)"),
               gradients_with(W="sum(np.outer(X[r], dC_dz1[r]) for r in range(len(X)))")]),
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
               "g = gradients(X_train, Y_train, params)\nparams_1 = {'W': params['W'] - 0.5 * g['W']}"],
        right=["g = gradients(X_train, Y_train, params)\nparams_1 = {n: params[n] - 0.5 * g[n] for n in params}",
               "g = gradients(X_train, Y_train, params)\nfor n in params:\n    params[n] -= 0.5 * g[n]\n"
               "params_1 = params",                                                             # in place
               "import copy\nparams_1 = copy.deepcopy(params)\ng = gradients(X_train, Y_train, params_1)\n"
               "for n in params_1:\n    np.subtract(params_1[n], 0.5 * g[n], out=params_1[n])",
               "params_1 = train(X_train, Y_train, params, 0.5, 1)[0]",
               "g = gradients(X_train, Y_train, params)\n"
               "params_1 = {n: (params[n] - 0.5 * g[n]).tolist() for n in params}"],
        reset="params = init_params(seed=0)"),
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
    assert "params_1 has no key 'b1'" in printed[(3, "g = gradients(X_train, Y_train, params)\n"
                                                     "params_1 = {'W': params['W'] - 0.5 * g['W']}")]


def test_an_in_place_answer_to_exercise_3_leaves_params_as_the_cells_above_expect():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    check = next(c.source for c in nb.cells if "self-check" in c.metadata.get("tags", []) and "params_1" in c.source)
    namespace = {}
    exec("import numpy as np\nfrom helpers.network import init_params, make_dataset, gradients, train\n"
         "from helpers.checks import check_close\n"
         "params = init_params(seed=0)\nX_train, Y_train = make_dataset(k=40, seed=0)\n"
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
        np.testing.assert_allclose(namespace["params_1"][n], expected[n], rtol=1e-12)  # the answer kept
