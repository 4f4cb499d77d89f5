"""Notebook 09's self-checks against banks of plausible answers: every wrong one gets ❌, every right one ✅."""
from pathlib import Path

import pytest

from selfcheck_bank import Bank, problems, run_banks

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "09_digits_capstone.ipynb"


def flatten_answer(body):
    return f"def flatten(X):\n    return {body}"


def pool_answer(body):
    return ("class MyMaxPool2D(MaxPool2D):\n    def backward(self, dOut):\n        X = self._saved\n"
            f"        {body}\n")


BANKS = {
    1: Bank(
        wrong=[
            "flatten = ...",
            "flatten = None",
            flatten_answer("..."),
            flatten_answer("X.reshape(-1, len(X))"),                       # the right shape, the wrong numbers
            flatten_answer("X.reshape(len(X), -1)"),                       # one image per row: transposed
            flatten_answer("X.ravel()"),
            flatten_answer("X.reshape(len(X), -1).T[:, ::-1]"),            # images in reverse order
            flatten_answer("X.transpose(0, 1, 3, 2).reshape(len(X), -1).T"),  # column by column
            flatten_answer("X.transpose(0, 2, 3, 1).reshape(len(X), -1).T"),  # channels last
            flatten_answer("X[:, 0].reshape(len(X), -1).T"),               # the first channel only
            flatten_answer("1 / 0"),                                       # raises when called
            "flatten = Flatten()",                                         # not a function of X
            flatten_answer("np.transpose(X).reshape(-1, len(X))"),          # every axis reversed: column-major pixels
            flatten_answer("X.T.reshape(-1, len(X))"),
            flatten_answer("1.02 * X.reshape(len(X), -1).T"),               # 2 % off
            flatten_answer("-X.reshape(len(X), -1).T"),                     # negated
            flatten_answer("X.reshape(len(X), -1).T[:, :, None]"),          # the wrong shape
            flatten_answer("X.swapaxes(0, 1).reshape(-1, len(X))"),
        ],
        right=[
            flatten_answer("X.reshape(len(X), -1).T"),
            flatten_answer("X.reshape(X.shape[0], -1).T.copy()"),
            flatten_answer("np.stack([x.ravel() for x in X], axis=1)"),
            flatten_answer("np.array([x.flatten() for x in X]).T"),
            flatten_answer("Flatten().forward(X)"),
            "flatten = lambda X: np.reshape(X, (len(X), -1)).T",
            flatten_answer("np.moveaxis(X, 0, -1).reshape(-1, len(X))"),    # examples last, then numpy's order
            flatten_answer("X.reshape(X.shape[0], X.shape[1] * X.shape[2] * X.shape[3]).transpose()"),
            flatten_answer("np.vstack([x.reshape(1, -1) for x in X]).T"),
            flatten_answer("X.reshape(len(X), -1).T.tolist()"),             # a list of rows
        ],
    ),
    2: Bank(
        wrong=[
            pool_answer("return avgpool_backward(dOut, X, self.size)"),        # as committed
            pool_answer("return 4 * avgpool_backward(dOut, X, self.size)"),    # the whole gradient to every entry
            pool_answer("return maxpool_backward(dOut, X, self.size) / 4"),
            pool_answer("return -maxpool_backward(dOut, X, self.size)"),
            pool_answer("return np.zeros_like(X)"),
            pool_answer("return dOut"),                                        # the wrong shape
            pool_answer("return maxpool_backward(dOut, X[:, :, ::-1, ::-1], self.size)"),
            pool_answer("return maxpool_backward(dOut, -X, self.size)"),              # to each window's minimum
            pool_answer("return 1.02 * maxpool_backward(dOut, X, self.size)"),        # 2 % off
            pool_answer("return maxpool_backward(dOut.transpose(0, 1, 3, 2), X, self.size)"),  # windows transposed
            pool_answer("return 2 * avgpool_backward(dOut, X, self.size)"),
            pool_answer("raise RuntimeError('not written yet')"),                    # a backward that raises
            pool_answer("return None"),
            "MyMaxPool2D = None",
        ],
        right=[
            pool_answer("return maxpool_backward(dOut, X, self.size)"),
            pool_answer("return super().backward(dOut)"),
            pool_answer("return MaxPool2D.backward(self, dOut)"),
            pool_answer("return maxpool_backward(np.asarray(dOut), self._saved, size=2)"),
            pool_answer("return maxpool_backward(dOut, X, self.size).tolist()"),      # a list: the layer below takes it
            pool_answer("N, C, H, W = X.shape\n"
                        "        Y = X.reshape(N, C, H // 2, 2, W // 2, 2).max(axis=(3, 5))\n"
                        "        up = lambda A: np.repeat(np.repeat(A, 2, axis=2), 2, axis=3)\n"
                        "        return up(dOut) * (X == up(Y))"),                 # ties go to every maximum
        ],
    ),
    3: Bank(
        wrong=[
            "x_adv = ...",
            "x_adv = x1",
            "dL_dx = cnn.backward(cross_entropy_backward(cnn.forward(x1), np.array([label1])))\n"
            "x_adv = np.clip(x1 - 0.2 * np.sign(dL_dx), 0, 1)",                       # down the loss
            "dL_dx = cnn.backward(cross_entropy_backward(cnn.forward(x1), np.array([label1])))\n"
            "x_adv = x1 + 0.2 * np.sign(dL_dx)",                                      # not clipped
            "dL_dx = cnn.backward(cross_entropy_backward(cnn.forward(x1), np.array([label1])))\n"
            "x_adv = np.clip(x1 + 0.2 * dL_dx, 0, 1)",                                # the gradient, not its sign
            "dL_dx = cnn.backward(cross_entropy_backward(cnn.forward(x1), np.array([label1])))\n"
            "x_adv = np.clip(x1 + 0.1 * np.sign(dL_dx), 0, 1)",                       # another ε
            "dL_dx = cnn.backward(cross_entropy_backward(cnn.forward(x1), np.array([label1])))\n"
            "x_adv = np.clip(x1 + 0.2 * np.sign(dL_dx), 0, 1)[0, 0]",                 # 8×8, not 1×1×8×8
            "dL_dx = cnn.backward(cross_entropy_backward(cnn.forward(x1), np.array([(label1 + 1) % 10])))\n"
            "x_adv = np.clip(x1 + 0.2 * np.sign(dL_dx), 0, 1)",                       # another label's loss
            "x_adv = fgsm(cnn, x1, label1, 0.2, target=3)",
            "x_adv = fgsm(cnn, x1, label1, 0.204)",                                    # 2 % off
            "dL_dx = mlp.backward(cross_entropy_backward(mlp.forward(x1), np.array([label1])))\n"
            "x_adv = np.clip(x1 + 0.2 * np.sign(dL_dx), 0, 1)",                       # the other model
            "dL_dx = cnn.backward(cross_entropy_backward(cnn.forward(x1), np.array([label1])))\n"
            "x_adv = np.clip(x1 + 0.2 * np.sign(dL_dx[0, 0].T), 0, 1)",               # the gradient transposed
            "dL_dx = cnn.backward(cross_entropy_backward(cnn.forward(x1), np.array([label1])))\n"
            "x_adv = np.clip(x1 + 0.2 * np.sign(dL_dx).T, 0, 1)",                     # broadcast to 8×8×8×8
            "x_adv = np.clip(x1 + 0.2 * np.sign(X_test[[1]]), 0, 1)",                  # the sign of the pixels
            "x_adv = None",
            "x_adv = 'x1 + 0.2'",
            "x_adv = lambda: x1",
            "x_adv = np.full((1, 1, 8, 8), np.nan)",
        ],
        right=[
            "dL_dx = cnn.backward(cross_entropy_backward(cnn.forward(x1), np.array([label1])))\n"
            "x_adv = np.clip(x1 + 0.2 * np.sign(dL_dx), 0, 1)",
            "x_adv = fgsm(cnn, x1, label1, 0.2)",
            "_, g, _ = input_gradient_of_loss(cnn, x1, label1)\n"
            "x_adv = np.minimum(np.maximum(x1 + 0.2 * np.sign(g), 0.0), 1.0)",
            "dL_dx = cnn.backward(cross_entropy_backward(cnn.forward(x1), [label1]))\n"
            "x_adv = x1 + 0.2 * np.sign(dL_dx)\n"
            "np.clip(x_adv, 0, 1, out=x_adv)",
            "x_adv = fgsm_batch(cnn, x1, np.array([label1]), 0.2)",
            "x_adv = fgsm_batch(cnn, X_test, y_test, 0.2)[[1]]",                      # its 1/N changes no sign
            "x_adv = fgsm(cnn, x1[0, 0], label1, 0.2)",
            "dL_dx = cnn.backward(cross_entropy_backward(cnn.forward(x1), np.array([label1])))\n"
            "x_adv = np.clip(x1 + 0.2 * np.sign(dL_dx), 0, 1).tolist()",
        ],
    ),
}


@pytest.fixture(scope="module")
def outcomes():
    return run_banks(NOTEBOOK, BANKS)


def test_every_wrong_answer_gets_a_cross_and_every_right_one_a_tick(outcomes):
    assert not problems(outcomes), "\n".join(problems(outcomes))


def test_the_banks_were_all_run(outcomes):
    kinds = {(o.exercise, o.kind) for o in outcomes}
    assert kinds == {(n, k) for n in BANKS for k in ("wrong", "right", "committed")}
    assert sum(o.kind != "committed" for o in outcomes) == sum(len(b.wrong) + len(b.right) for b in BANKS.values())
