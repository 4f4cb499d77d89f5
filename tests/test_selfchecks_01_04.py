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
                   X_ROWS + "Z_cols = lambda: W @ X_rows.T + b"],
            right=[X_ROWS + "Z_cols = W @ X_rows.T + b",
                   X_ROWS + "Z_cols = (X_rows @ W.T + b.T).T",
                   X_ROWS + "Z_cols = (W @ X_rows.T + b).tolist()",
                   X_ROWS + "Z_cols = np.dot(W, X_rows.T) + b.reshape(-1, 1)",
                   X_ROWS + "Z_cols = dense_forward(W, b, X_rows.T, 'identity')[0]"]),
        2: Bank(
            wrong=[batch_forward("return sigmoid(W @ X + np.array(b))"),
                   batch_forward("return sigmoid(W @ X + np.array(b)[None, :])"),
                   batch_forward("return sigmoid(W @ X) + np.array(b).reshape(-1, 1)"),
                   batch_forward("return sigmoid(W @ X + np.array(b).reshape(-1, 1)).T"),
                   batch_forward("return W @ X + np.array(b).reshape(-1, 1)"),
                   batch_forward("return sigmoid(W @ X + np.array(b).reshape(-1, 1))[:, :1]"),
                   batch_forward("raise NotImplementedError"),
                   "batch_forward = ..."],
            right=[batch_forward("return sigmoid(W @ X + np.array(b).reshape(-1, 1))"),
                   batch_forward("return sigmoid(W @ X + np.array(b)[:, None])"),
                   batch_forward("return sigmoid(X.T @ W.T + np.array(b)).T"),
                   batch_forward("return 1 / (1 + np.exp(-(W @ X + np.reshape(b, (-1, 1)))))"),
                   batch_forward("return dense_forward(W, b, X, 'sigmoid')[1]")]),
        3: Bank(
            wrong=["shape_W, shape_b, shape_X, shape_Z = ..., ..., ..., ...",
                   "shape_W, shape_b, shape_X, shape_Z = (7, 5), (5, 1), (7, 10), (5, 10)",
                   "shape_W, shape_b, shape_X, shape_Z = (5, 7), (5,), (7, 10), (5, 10)",
                   "shape_W, shape_b, shape_X, shape_Z = (5, 7), (1, 5), (7, 10), (5, 10)",
                   "shape_W, shape_b, shape_X, shape_Z = (5, 7), (5, 1), (10, 7), (10, 5)",
                   "shape_W, shape_b, shape_X, shape_Z = 35, 5, 70, 50",
                   "shape_W, shape_b, shape_X, shape_Z = '5x7', '5x1', '7x10', '5x10'"],
            right=["shape_W, shape_b, shape_X, shape_Z = (5, 7), (5, 1), (7, 10), (5, 10)",
                   "shape_W, shape_b, shape_X, shape_Z = [5, 7], [5, 1], [7, 10], [5, 10]",
                   "shape_W, shape_b, shape_X, shape_Z = np.zeros((5, 7)).shape, (5, 1), (7, 10), (5, 10)"]),
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
