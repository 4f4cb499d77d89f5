"""Notebook 07's self-checks against banks of plausible answers: every wrong one gets ❌
(never an exception), every right one ✅ (tests/selfcheck_bank.py runs them)."""
from pathlib import Path

import pytest
from selfcheck_bank import Bank, problems, run_banks

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "07_softmax_cross_entropy.ipynb"


def backward(body):
    """An answer to exercise 2: ``softmax_backward`` with ``body`` (lines after ``p = softmax(z)``)."""
    lines = "\n".join("    " + line for line in body.strip().splitlines())
    return f"def softmax_backward(dL_dp, z):\n    p = softmax(z)\n{lines}\n"


def batch(body):
    """An answer to exercise 3: ``batch_backward`` with ``body`` (lines after P and Y)."""
    lines = "\n".join("    " + line for line in body.strip().splitlines())
    return f"def batch_backward(Z, labels):\n    P = softmax(Z)\n    Y = one_hot(labels, Z.shape[0])\n{lines}\n"


BANKS = {
    1: Bank(  # J4 = diag(p4) − p4 p4ᵀ for four logits
        wrong=[
            "J4 = ...",
            "J4 = None",
            "J4 = 'diag(p) - p pT'",
            "J4 = softmax_jacobian",                              # the function, not called
            "J4 = np.diag(p4.ravel()) + p4 @ p4.T",               # sign of the outer product
            "J4 = -(np.diag(p4.ravel()) - p4 @ p4.T)",            # everything negated
            "J4 = np.diag(p4.ravel())",                           # 02's view: diagonal only
            "J4 = np.diag((p4 * (1 - p4)).ravel())",              # the diagonal of J alone
            "J4 = -(p4 @ p4.T)",                                  # diag(p) missing
            "J4 = np.diag(p4.ravel()) - p4.T @ p4",               # inner product, broadcast
            "J4 = p4 - p4 @ p4.T",                                # p instead of diag(p), broadcast
            "J4 = np.diag(p4)",                                   # diag of a 4×1 matrix: shape (1,)
            "J4 = 1.02 * (np.diag(p4.ravel()) - p4 @ p4.T)",      # 2 % off
            "J4 = (np.diag(p4.ravel()) - p4 @ p4.T)[:3]",         # wrong shape
            "J4 = softmax_jacobian(z)",                           # the notebook's 3 logits, not z4
            "J4 = np.diag(p4.ravel()) - p4 @ p4.T + 1e-3j",       # complex
            "J4 = np.full((4, 4), np.nan)",
            # found by the review
            "J4 = np.eye(4) - p4 @ p4.T",                         # I instead of diag(p)
            "J4 = np.diag(p4.ravel()) - p4 * p4",                 # p_i² broadcast along each row
            "J4 = np.diag(p4.ravel()) @ (np.eye(4) - p4 @ p4.T)", # diag(p)(I − p pᵀ): p_i² p_j off it
            "J4 = p4 @ (1 - p4).T",                               # p_i (1 − p_j) everywhere
            "J4 = np.round(np.diag(p4.ravel()) - p4 @ p4.T, 2)",  # rounded to 2 decimals
            "J4 = np.diag(p4.ravel()) - (p4 @ p4.T) / 4",         # a 1/m that does not belong
        ],
        right=[
            "J4 = np.diag(p4.ravel()) - p4 @ p4.T",
            "J4 = np.diagflat(p4) - np.outer(p4, p4)",
            "J4 = (np.diag(p4[:, 0]) - p4 @ p4.T).tolist()",
            "J4 = -np.outer(p4, p4)\nJ4[np.diag_indices(4)] += p4.ravel()",   # in place
            "J4 = np.array([[p4[i, 0] * ((i == j) - p4[j, 0]) for j in range(4)] for i in range(4)])",
            "J4 = softmax_jacobian(z4)",
            # found by the review
            "J4 = np.diag(p4.ravel()) - p4 * p4.T",               # (4,1)·(1,4) broadcasts to the outer product
            "J4 = p4 * np.eye(4) - p4 @ p4.T",                    # row i of I scaled by p_i is diag(p)
            "J4 = softmax_jacobian(z4).T",                        # J is symmetric
            "J4 = np.asmatrix(np.diag(p4.ravel()) - p4 @ p4.T)",
        ],
    ),
    2: Bank(  # softmax_backward(dL_dp, z) = Jᵀ dL_dp for any upstream gradient
        wrong=[
            "softmax_backward = ...",
            "softmax_backward = None",
            backward("return dL_dp * p * (1 - p)"),                              # as committed: 02's rule
            backward("return -softmax_jacobian(z).T @ dL_dp"),                   # sign
            backward("return softmax_jacobian(z).T @ dL_dp / len(z)"),           # a factor
            backward("return 1.02 * softmax_jacobian(z).T @ dL_dp"),             # 2 % off
            backward("return dL_dp.T @ softmax_jacobian(z)"),                    # a row, not a column
            backward("return softmax_jacobian(z) @ dL_dp.T"),                    # shapes do not fit: raises
            backward("return dL_dp"),                                            # the softmax forgotten
            backward("return p - dL_dp"),
            backward("return p * dL_dp - p * np.sum(dL_dp)"),                    # Σ g instead of pᵀ g
            backward("return np.diag(p.ravel()) @ dL_dp"),                       # diagonal part only
            backward("raise NotImplementedError('todo')"),
            backward("return (softmax_jacobian(z).T @ dL_dp).ravel()"),          # flat
            # found by the review
            backward("return p * dL_dp - p * p * dL_dp"),                        # p(1 − p) ⊙ g: 02's rule again
            backward("return softmax_jacobian(z).T @ (p - t)"),                  # the notebook's loss, not dL_dp
            backward("return J.T @ dL_dp"),                                      # the notebook's J (3×3, other z)
            backward("return p * dL_dp - (p @ p.T) @ dL_dp / len(p)"),          # a stray 1/m
            backward("return (np.eye(len(p)) - p @ p.T) @ dL_dp"),               # I instead of diag(p)
        ],
        right=[
            backward("return softmax_jacobian(z).T @ dL_dp"),
            backward("return softmax_jacobian(z) @ dL_dp"),                      # J is symmetric
            backward("return p * dL_dp - p * (p.T @ dL_dp)"),
            backward("return p * (dL_dp - np.sum(p * dL_dp))"),
            backward("return np.dot(np.diagflat(p) - np.outer(p, p), dL_dp).tolist()"),
            backward("dL_dp -= p.T @ dL_dp\ndL_dp *= p\nreturn dL_dp"),          # in place on its argument
            # found by the review
            backward("return p * dL_dp - p * p.T @ dL_dp"),                      # (p pᵀ) g, left to right
            backward("return (np.diag(p.ravel()) - p @ p.T) @ dL_dp"),
            backward("return p * (dL_dp - p.T @ dL_dp)"),
        ],
    ),
    3: Bank(  # batch_backward(Z, labels) = (P − Y)/k
        wrong=[
            "batch_backward = ...",
            "batch_backward = None",
            batch("return P - Y"),                                   # as committed: 1/k missing
            batch("return (P - Y) / len(Z)"),                        # len(Z) is m, the rows
            batch("return (P - Y) / Z.shape[0]"),
            batch("return (P - Y) / k"),                             # the notebook's k = 5, not this batch's
            batch("return (P - Y) / Z.size"),
            batch("return (Y - P) / Z.shape[1]"),                    # sign
            batch("return ((P - Y) / Z.shape[1]).T"),                # transposed
            batch("return (P - Y).mean(axis=1, keepdims=True)"),     # averaged away the examples
            batch("return P - Y / Z.shape[1]"),                      # brackets
            batch("return softmax(Z) / Z.shape[1]"),                 # Y forgotten
            batch("return 1.02 * (P - Y) / Z.shape[1]"),             # 2 % off
            batch("raise ValueError('not yet')"),
            # found by the review
            batch("return (P - Y) / np.sqrt(Z.shape[1])"),           # half-way to the mean
            batch("return (P - Y) / (Z.shape[1] - 1)"),              # k − 1: inf for one example
            batch("return (P - Y) / Z.shape[1] ** 2"),
            batch("return (P - Y) / len(P)"),                        # len(P) is m
            batch("return (P - Y) / 3"),
            batch("return (P - Y).mean(axis=0)"),                    # averaged away the classes
        ],
        right=[
            batch("return (P - Y) / Z.shape[1]"),
            batch("return (P - Y) / len(labels)"),
            batch("return cross_entropy_backward(Z, labels)"),
            batch("return np.divide(P - Y, Z.shape[1]).tolist()"),
            batch("P -= Y\nP /= Z.shape[1]\nreturn P"),              # in place
            # found by the review
            batch("return (P - Y) / labels.shape[0]"),
            batch("return (P - Y) / Z.shape[-1]"),
            batch("return (P - Y) * (1 / P.shape[1])"),
            batch("return cross_entropy_backward(Z, Y)"),            # one-hot targets
        ],
    ),
}


@pytest.fixture(scope="module")
def outcomes():
    return run_banks(NOTEBOOK, BANKS)


def test_every_wrong_answer_gets_a_cross_and_every_right_one_a_tick(outcomes):
    assert not problems(outcomes)


def test_every_bank_answer_was_tried(outcomes):
    tried = [o for o in outcomes if o.kind != "committed"]
    assert len(tried) == sum(len(b.wrong) + len(b.right) for b in BANKS.values())
    assert {o.exercise for o in outcomes if o.kind == "committed"} == {1, 2, 3}


def test_the_hints_name_what_is_off(outcomes):
    printed = {(o.exercise, o.answer): o.printed for o in outcomes}
    assert "sign is flipped" in printed[(1, "J4 = -(np.diag(p4.ravel()) - p4 @ p4.T)")]
    assert "raised" in printed[(2, backward("return softmax_jacobian(z) @ dL_dp.T"))]
    assert "constant factor" in printed[(3, batch("return P - Y"))]


def test_an_array_in_place_of_the_function_gets_a_cross(capsys):
    import numpy as np

    from helpers.checks import check_function
    from helpers.softmax import softmax_jacobian

    z = np.array([[2.0], [1.0], [-1.0]])
    check_function("softmax_backward", softmax_jacobian(z), lambda g, z_: softmax_jacobian(z_).T @ g, [(z, z)])
    assert "❌" in capsys.readouterr().out
