"""Notebook 06's self-checks against banks of plausible answers: every wrong one gets ❌
(never an exception), every right one ✅ (tests/selfcheck_bank.py runs them).

Exercise 2's kernel ``K_test`` has no symmetry, so the answers that the Sobel kernel let through
(−K, the negated result, np.fliplr(K): Sobel x turned 180° is −Sobel x) are wrong here, and a
second, 3×2 kernel catches paddings that use kh for both axes and transposed kernels."""
from pathlib import Path

import pytest
from selfcheck_bank import Bank, problems, run_banks

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "06_cnn_filters.ipynb"

EXERCISE_2_DATA = """
K_test = np.array([[1.0, 2.0, 0.0],
                   [0.0, -1.0, 3.0],
                   [-2.0, 0.0, 1.0]])
X_test = rng.normal(size=(6, 6))
G_test = rng.normal(size=(4, 4))
"""


def image_grad(body, pad="((kh - 1, kh - 1), (kw - 1, kw - 1))"):
    """An answer to exercise 2: ``image_grad`` returning ``body``, then the exercise's data."""
    lines = "\n".join("    " + line for line in body.strip().splitlines())
    return (f"def image_grad(delta, K):\n    kh, kw = K.shape\n    delta_full = np.pad(delta, {pad})\n{lines}\n"
            + EXERCISE_2_DATA)


EXERCISE_3_DATA = "delta_h = rng.normal(size=output_shape(hopper.shape, sobel_x.shape))\ncols_h = im2col(hopper, sobel_x.shape)\n"
DK = "(cols_h.T @ delta_h.ravel()).reshape(3, 3)"

BANKS = {
    1: Bank(  # 28×28, 5×5 kernel, p = 2, s = 2: 14 × 14
        wrong=[
            "out_h, out_w = ..., ...",
            "out_h, out_w = None, None",
            "out_h, out_w = (28 + 2 * 2 - 5) / 2 + 1, (28 + 2 * 2 - 5) / 2 + 1",      # no floor: 14.5
            "out_h, out_w = (28 - 5) // 2 + 1, (28 - 5) // 2 + 1",                    # padding forgotten: 12
            "out_h, out_w = (28 + 2 - 5) // 2 + 1, (28 + 2 - 5) // 2 + 1",            # padding on one side: 13
            "out_h, out_w = 28 + 2 * 2 - 5 + 1, 28 + 2 * 2 - 5 + 1",                  # stride ignored: 28
            "out_h, out_w = (28 + 2 * 2 - 5) // 2, (28 + 2 * 2 - 5) // 2",            # the + 1 forgotten: 13
            "out_h, out_w = 14, 13",
            "out_h, out_w = 14.3, 14.3",
            "out_h, out_w = 14.004, 14.004",                                           # not a whole number
            "out_h, out_w = np.array(14), np.array(14)",                               # 0-d arrays are not typed numbers
            "out_h, out_w = '14', '14'",                                               # text
            "out_h, out_w = [14, 14], [14, 14]",                                       # not one number each
            "out_h, out_w = correlate2d(np.zeros((28, 28)), np.ones((5, 5)), 2, 2).shape[0], None",
        ],
        right=[
            "out_h, out_w = (28 + 2 * 2 - 5) // 2 + 1, (28 + 2 * 2 - 5) // 2 + 1",
            "out_h, out_w = 14, 14",
            "out_h = out_w = 14.0",
            "out_h, out_w = np.int64(14), np.float64(14)",
            "import math\nout_h = out_w = math.floor((28 + 4 - 5) / 2) + 1",
            "out_h, out_w = output_shape((28, 28), (5, 5), padding=2, stride=2)",
        ],
    ),
    2: Bank(  # image_grad(δ, K): the full convolution of δ with K (K turned 180°)
        wrong=[
            "image_grad = ...\n" + EXERCISE_2_DATA,
            "image_grad = None\n" + EXERCISE_2_DATA,
            "image_grad = np.zeros((6, 6))\n" + EXERCISE_2_DATA,                      # an array, not a function
            image_grad("return correlate2d(delta_full, K)"),                           # as committed: no flip
            image_grad("return convolve2d(delta_full, -K)"),                           # −K (passed with Sobel x)
            image_grad("return -correlate2d(delta_full, K)"),                          # negated result (passed with Sobel x)
            image_grad("return -convolve2d(delta_full, K)"),
            image_grad("return correlate2d(delta_full, np.fliplr(K))"),                # mirrored, not turned (passed with Sobel x)
            image_grad("return correlate2d(delta_full, np.flipud(K))"),
            image_grad("return correlate2d(delta_full, K.T)"),                         # transposed
            image_grad("return convolve2d(delta_full, K.T)"),
            image_grad("return convolve2d(delta_full, K)", pad="kh - 1"),              # kh − 1 on both axes
            image_grad("return convolve2d(delta, K, padding=1)"),                      # "same"-style padding
            image_grad("return convolve2d(delta, K, padding=kh - 1)"),                 # right for square kernels only
            image_grad("return convolve2d(delta, K)"),                                 # not padded: too small
            image_grad("return 1.02 * convolve2d(delta_full, K)"),                     # 2 % off
            image_grad("return convolve2d(delta_full, K) / K.size"),                   # a factor
            image_grad("return convolve2d(delta_full, K)[:-1]"),                       # wrong shape
            image_grad("return convolve2d(delta_full, K).T"),
            image_grad("return delta_full"),
            image_grad("raise NotImplementedError('todo')"),                           # raises
            image_grad("pass"),                                                        # returns None
            image_grad("return convolve2d(delta_full, K) + 0j"),                       # complex
            image_grad("return correlate2d(delta_full, np.rot90(K))"),                 # turned 90°, not 180°
            image_grad("return convolve2d(delta_full, K[::-1, ::-1])"),                # flipped twice: no flip
            image_grad("return convolve2d(delta, K, padding='same')"),                 # 'same' padding
            image_grad("return convolve2d(np.pad(delta, 2), K)"),                      # 3×3 kernels only
            image_grad("return convolve2d(delta_full, K_test)"),                       # the global kernel
            image_grad("return convolve2d(np.pad(G_test, ((kh - 1, kh - 1), (kw - 1, kw - 1))), K)"),  # the global δ
        ],
        right=[
            image_grad("return convolve2d(delta_full, K)"),
            image_grad("return correlate2d(delta_full, K[::-1, ::-1])"),
            image_grad("return correlate2d(delta_full, np.rot90(K, 2))"),
            image_grad("return correlate2d(delta_full, np.flip(K))"),
            image_grad("return convolve2d(delta_full, K).tolist()"),                   # a list
            image_grad("out = np.zeros((delta.shape[0] + kh - 1, delta.shape[1] + kw - 1))\n"
                       "for i in range(delta.shape[0]):\n"
                       "    for j in range(delta.shape[1]):\n"
                       "        out[i:i + kh, j:j + kw] += delta[i, j] * K   # each δ spread over its window\n"
                       "return out"),
            image_grad("shape = (delta.shape[0] + kh - 1, delta.shape[1] + kw - 1)\n"
                       "return col2im(np.outer(delta.ravel(), K.ravel()), shape, K.shape)"),
            image_grad("shape = (delta.shape[0] + kh - 1, delta.shape[1] + kw - 1)\n"
                       "return (conv_matrix(shape, K).T @ delta.ravel()).reshape(shape)"),  # Cᵀ δ
            image_grad("X_any = np.zeros((delta.shape[0] + kh - 1, delta.shape[1] + kw - 1))\n"
                       "return conv2d_backward(X_any, K, delta)[0]"),                  # the helper
            image_grad("delta *= 1.0   # in place on its input\nreturn convolve2d(np.pad(delta, ((kh - 1, kh - 1), (kw - 1, kw - 1))), K)"),
        ],
    ),
    3: Bank(  # dL/dK = colsᵀ δ, reshaped to 3×3
        wrong=[
            EXERCISE_3_DATA + "dK_h = ...",
            EXERCISE_3_DATA + "dK_h = None",
            EXERCISE_3_DATA + "dK_h = cols_h.T @ delta_h.ravel()",                     # not reshaped: (9,)
            EXERCISE_3_DATA + f"dK_h = {DK}.T",
            EXERCISE_3_DATA + f"dK_h = -{DK}",
            EXERCISE_3_DATA + f"dK_h = {DK} / delta_h.size",                           # a mean, not a sum
            EXERCISE_3_DATA + f"dK_h = 1.02 * {DK}",                                   # 2 % off
            EXERCISE_3_DATA + f"dK_h = {DK}[::-1, ::-1]",                              # turned
            EXERCISE_3_DATA + "dK_h = (cols_h.T @ delta_h.ravel(order='F')).reshape(3, 3)",  # δ read column by column
            EXERCISE_3_DATA + "dK_h = (cols_h.T @ np.ones(cols_h.shape[0])).reshape(3, 3)",  # δ forgotten
            EXERCISE_3_DATA + "dK_h = conv2d_backward(hopper, sobel_x, delta_h)[0]",   # the image gradient
            EXERCISE_3_DATA + f"dK_h = {DK} + 1e-3j",                                  # complex
            EXERCISE_3_DATA + f"dK_h = str({DK})",                                     # text
            EXERCISE_3_DATA + f"dK_h = 0.5 * {DK}",                                    # a stray ½ from the loss
        ],
        right=[
            EXERCISE_3_DATA + f"dK_h = {DK}",
            EXERCISE_3_DATA + "dK_h = (delta_h.ravel() @ cols_h).reshape(sobel_x.shape)",
            EXERCISE_3_DATA + "dK_h = np.einsum('pk,p->k', cols_h, delta_h.ravel()).reshape(3, 3)",
            EXERCISE_3_DATA + "dK_h = (cols_h.T @ delta_h.reshape(-1, 1)).reshape(3, 3).tolist()",
            EXERCISE_3_DATA + "dK_h = sum(delta_h.ravel()[q] * cols_h[q] for q in range(cols_h.shape[0])).reshape(3, 3)",
            EXERCISE_3_DATA + "dK_h = correlate2d(hopper, delta_h)   # X ⋆ δ",
            EXERCISE_3_DATA + f"dK_h = np.zeros((3, 3))\ndK_h += {DK}   # in place",
            EXERCISE_3_DATA + "dK_h = (cols_h * delta_h.reshape(-1, 1)).sum(axis=0).reshape(3, 3)",
        ],
    ),
}


@pytest.fixture(scope="module")
def outcomes():
    return run_banks(NOTEBOOK, BANKS)


def test_every_wrong_answer_gets_a_cross_and_every_right_one_a_tick(outcomes):
    assert not problems(outcomes), "\n".join(problems(outcomes))


def test_the_banks_ran_in_full(outcomes):
    for number, bank in BANKS.items():
        ran = [o for o in outcomes if o.exercise == number and o.kind != "committed"]
        assert len(ran) == len(bank.wrong) + len(bank.right)
    assert {o.exercise for o in outcomes if o.kind == "committed"} == {1, 2, 3}


def test_the_answers_the_sobel_kernel_let_through_are_named(outcomes):
    printed = {o.answer: o.printed for o in outcomes if o.exercise == 2}
    assert "The sign is flipped." in printed[image_grad("return -correlate2d(delta_full, K)")] or \
        "Largest difference" in printed[image_grad("return -correlate2d(delta_full, K)")]
    assert "The sign is flipped." in printed[image_grad("return -convolve2d(delta_full, K)")]
    assert "Test case 2" in printed[image_grad("return convolve2d(delta_full, K)", pad="kh - 1")]
