"""Notebook 08's self-checks against banks of plausible wrong answers (❌) and correct alternatives (✅)."""
from pathlib import Path

import pytest
from selfcheck_bank import Bank, problems, run_banks

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "08_conv_layer.ipynb"

SHAPES = "K_shape, Z_shape, cols_shape = "
COL2IM_LOOP = """
def my_col2im(d_cols, X_shape, kh, kw):
    N, C, H, W = X_shape
    h_out, w_out = H - kh + 1, W - kw + 1
    dX = np.zeros(X_shape)
    for q in range(d_cols.shape[1]):
        n, k = divmod(q, h_out * w_out)
        i, j = divmod(k, w_out)
        dX[n, :, i:i + kh, j:j + kw] {op} d_cols[:, q].reshape(C, kh, kw)
    return dX
"""
PARAMS = """
def parameter_gradients(Delta, cols, K_shape):
    dK = {dK}
    db = {db}
    return {ret}
"""


def params(dK="(Delta @ cols.T).reshape(K_shape)", db="Delta.sum(axis=1)", ret="dK, db"):
    return PARAMS.format(dK=dK, db=db, ret=ret)


BANKS = {
    1: Bank(
        wrong=[
            SHAPES + "(16, 5, 5), (32, 16, 28, 28), (75, 25088)",          # the filters' channels forgotten
            SHAPES + "(16, 3, 5, 5), (32, 16, 24, 24), (75, 18432)",       # the padding forgotten
            SHAPES + "(16, 3, 5, 5), (32, 16, 28, 28), (25088, 75)",       # windows as rows (notebook 06)
            SHAPES + "(16, 3, 5, 5), (32, 3, 28, 28), (75, 25088)",        # C output channels instead of F
            SHAPES + "(16, 3, 5, 5), (32, 16, 28, 28), (75, 784)",         # one example's windows only
            SHAPES + "(16, 3, 5, 5), (32, 16, 28, 28), (25, 25088)",       # one channel's window
            SHAPES + "(3, 16, 5, 5), (32, 16, 28, 28), (75, 25088)",       # F and C swapped
            SHAPES + "(16, 3, 5, 5), (16, 32, 28, 28), (75, 25088)",       # N and F swapped
            SHAPES + "(16, 3, 5, 5), (32, 16, 28, 28), 75 * 25088",        # a size, not a shape
            SHAPES + "'16, 3, 5, 5', (32, 16, 28, 28), (75, 25088)",       # text
            SHAPES + "None, None, None",
            SHAPES + "..., (32, 16, 28, 28), (75, 25088)",
            # review: more plausible slips
            SHAPES + "(16, 3, 5, 5), (32, 16, 26, 26), (75, 21632)",       # padding 1 instead of 2
            SHAPES + "(16, 3, 5, 5), (32, 16, 32, 32), (75, 32768)",       # the padded size, not the output size
            SHAPES + "(16, 3, 5, 5), (32, 16, 28, 28), (75, 32, 784)",     # windows not flattened over the batch
            SHAPES + "(16, 3, 5, 5), (32, 16, 28, 28), (16 * 75, 25088)",  # the filters' numbers, not a window's
            SHAPES + "16, (32, 16, 28, 28), (75, 25088)",                   # a number, not a shape
            SHAPES + "np.array([[16, 3], [5, 5]]), (32, 16, 28, 28), (75, 25088)",  # 2-D: the comparison is ambiguous
            SHAPES + "(3, 5, 5), (32, 16, 28, 28), (75, 25088)",            # one filter's shape
        ],
        right=[
            SHAPES + "(16, 3, 5, 5), (32, 16, 28, 28), (75, 25088)",
            SHAPES + "[16, 3, 5, 5], [32, 16, 28, 28], [3 * 5 * 5, 32 * 28 * 28]",
            SHAPES + "np.array([16, 3, 5, 5]), np.array([32, 16, 28, 28]), np.array([75, 25088])",
            SHAPES + "(16, 3, 5, 5), (32, 16, (28 + 2 * 2 - 5) // 1 + 1, (28 + 2 * 2 - 5) // 1 + 1), (75, 25088)",
            # review: the formula with true division gives floats, equal to the whole numbers
            SHAPES + "(16, 3, 5, 5), (32, 16, (28 + 2 * 2 - 5) / 1 + 1, (28 + 2 * 2 - 5) / 1 + 1), (75, 25088.0)",
            SHAPES + "(16, 3, 5, 5), (32, 16, 28, 28), (np.int64(75), np.int64(25088))",
        ],
    ),
    2: Bank(
        wrong=[
            COL2IM_LOOP.format(op="="),                                  # as committed: assigns
            COL2IM_LOOP.format(op="-="),                                 # sign flipped
            COL2IM_LOOP.format(op="+=").replace("i, j = divmod(k, w_out)", "i, j = divmod(k, h_out)"),
            COL2IM_LOOP.format(op="+=").replace("reshape(C, kh, kw)", "reshape(kh, kw, C).transpose(2, 0, 1)"),
            COL2IM_LOOP.format(op="+=").replace("return dX", "return dX / 2"),
            COL2IM_LOOP.format(op="+=").replace("return dX", "return dX[:, :, :-1]"),  # wrong shape
            "def my_col2im(d_cols, X_shape, kh, kw):\n    raise NotImplementedError",
            "def my_col2im(d_cols, X_shape, kh, kw):\n    return ...",
            "my_col2im = None",
            "my_col2im = 3",
            # review: slips that a square kernel on a square image hides (caught by the kh ≠ kw, H ≠ W case)
            COL2IM_LOOP.format(op="+=").replace("reshape(C, kh, kw)", "reshape(C, kw, kh)"),
            COL2IM_LOOP.format(op="+=").replace("H - kh + 1, W - kw + 1", "H - kw + 1, W - kh + 1"),
            COL2IM_LOOP.format(op="+=").replace("dX[n, :, i:i + kh, j:j + kw]", "dX[n, :, i:i + kh, j:j + kh]")
                                       .replace("reshape(C, kh, kw)", "reshape(C, kh, kh)"),
            # every example's pixels get every window (n forgotten)
            COL2IM_LOOP.format(op="+=").replace("dX[n, :, i:i + kh, j:j + kw]", "dX[:, :, i:i + kh, j:j + kw]"),
            # the notebook's own X instead of the argument
            "def my_col2im(d_cols, X_shape, kh, kw):\n    return batch_col2im(d_cols, X.shape, (kh, kw))",
        ],
        right=[
            COL2IM_LOOP.format(op="+="),
            COL2IM_LOOP.format(op="+=").replace("dX = np.zeros(X_shape)", "dX = np.zeros(X_shape, dtype=np.float64)"),
            "def my_col2im(d_cols, X_shape, kh, kw):\n    return batch_col2im(d_cols, X_shape, (kh, kw))",
            # a loop over the kernel offsets instead of the windows, as the helper does
            """
def my_col2im(d_cols, X_shape, kh, kw):
    N, C, H, W = X_shape
    h_out, w_out = H - kh + 1, W - kw + 1
    blocks = d_cols.reshape(C, kh, kw, N, h_out, w_out)
    dX = np.zeros(X_shape)
    for u in range(kh):
        for v in range(kw):
            dX[:, :, u:u + h_out, v:v + w_out] += blocks[:, u, v].transpose(1, 0, 2, 3)
    return dX
""",
            # np.add.at, which adds repeated indices
            COL2IM_LOOP.format(op="+=").replace(
                "dX[n, :, i:i + kh, j:j + kw] += d_cols[:, q].reshape(C, kh, kw)",
                "np.add.at(dX, (n, slice(None), slice(i, i + kh), slice(j, j + kw)), d_cols[:, q].reshape(C, kh, kw))"),
            # changes d_cols in place on the way (check_function hands it a copy)
            COL2IM_LOOP.format(op="+=").replace("    return dX", "    d_cols *= 0\n    return dX"),
        ],
    ),
    3: Bank(
        wrong=[
            params(db="Delta.sum(axis=0)"),                                # sums over the filters
            params(db="Delta[:, 0]"),                                      # one position of one example
            params(db="Delta[:, :Delta.shape[1] // 2].sum(axis=1)"),       # the first example only
            params(db="Delta.mean(axis=1)"),                               # averaged, not summed
            params(db="Delta.sum(axis=1, keepdims=True)"),                 # notebook 03's column, not F entries
            params(dK="(cols @ Delta.T).reshape(K_shape)"),                # transposed, then reshaped
            params(dK="Delta @ cols.T"),                                   # not reshaped: F × C·kh·kw
            params(dK="-(Delta @ cols.T).reshape(K_shape)"),
            params(dK="1.02 * (Delta @ cols.T).reshape(K_shape)"),         # 2 % off
            params(ret="db, dK"),                                          # swapped
            params(ret="dK"),                                              # one output
            params(dK="...", db="..."),                                    # as committed
            "def parameter_gradients(Delta, cols, K_shape):\n    raise ValueError('not yet')",
            # review: the notebook's arrays instead of the arguments (right on the first case only)
            params(dK="(Delta7 @ cols7.T).reshape(K.shape)"),
            params(db="G.sum(axis=(0, 2, 3))"),
            params(dK="(Delta @ cols.T).reshape(K_shape, order='F')"),     # reshaped in the wrong order
            params(dK="(Delta @ cols.T).T.reshape(K_shape)"),              # transposed, then reshaped
            params(db="Delta.sum()"),                                      # one number for all filters
            params(dK="(Delta @ cols.T).reshape(K_shape) / cols.shape[1]"),  # averaged over the windows
        ],
        right=[
            params(),
            params(dK="np.einsum('fq,rq->fr', Delta, cols).reshape(K_shape)",
                   db="Delta @ np.ones(Delta.shape[1])"),
            params(dK="np.dot(Delta, cols.T).reshape(*K_shape)", db="np.sum(Delta, axis=-1)"),
            params(dK="sum(np.outer(Delta[:, q], cols[:, q]) for q in range(cols.shape[1])).reshape(K_shape)",
                   db="list(Delta.sum(axis=1))"),
            params(ret="[dK, db]"),
            # review: more correct forms
            params(dK="(cols @ Delta.T).T.reshape(K_shape)", db="np.einsum('fq->f', Delta)"),
            params(dK="np.tensordot(Delta, cols, axes=(1, 1)).reshape(K_shape)", db="Delta.sum(1).tolist()"),
        ],
    ),
}


@pytest.fixture(scope="module")
def outcomes():
    return run_banks(NOTEBOOK, BANKS)


def test_every_wrong_answer_gets_a_cross_and_every_right_one_a_tick(outcomes):
    assert not problems(outcomes)


def test_the_banks_were_run(outcomes):
    ran = {(o.exercise, o.kind) for o in outcomes}
    assert {(1, "wrong"), (1, "right"), (2, "wrong"), (2, "right"), (3, "wrong"), (3, "right")} <= ran
    assert sum(o.kind == "committed" for o in outcomes) == 3
    shapes = [o for o in outcomes if o.exercise == 1 and o.kind == "wrong"]
    assert all("❌" in o.printed for o in shapes)
