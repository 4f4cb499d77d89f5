"""Notebook 06's self-checks against banks of plausible answers: every wrong one gets ❌
(never an exception), every right one ✅ (tests/selfcheck_bank.py runs them).

Exercise 3 (padding and stride as np.pad and a slice) is checked on a 3×2 kernel without symmetry on a
6×7 image and its transpose, at (p, s) = (1, 3), (2, 2), (0, 1), (1, 2): a missing or one-sided
padding, a flipped or transposed kernel, a wrong or one-axis stride and an off-by-one output size all
show there.

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


def correlate_ps(body):
    """An answer to exercise 3: ``correlate_ps(X, K, padding, stride)`` returning ``body``."""
    lines = "\n".join("    " + line for line in body.strip().splitlines())
    return f"def correlate_ps(X, K, padding, stride):\n{lines}\n"


PAD_SLICE = "return correlate2d(np.pad(X, padding), K)[::stride, ::stride]"

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
    3: Bank(  # correlate_ps(X, K, p, s) = correlate2d(np.pad(X, p), K)[::s, ::s]
        wrong=[
            "correlate_ps = ...",
            "correlate_ps = None",
            "correlate_ps = correlate2d(np.zeros((6, 7)), np.ones((3, 2)))",               # an array, not a function
            correlate_ps("Xp = ...\nZ1 = ...\nreturn ..."),                               # as committed
            correlate_ps("return correlate2d(X, K)[::stride, ::stride]"),                  # padding missing
            correlate_ps("return correlate2d(np.pad(X, ((padding, 0), (padding, 0))), K)[::stride, ::stride]"),  # one side only
            correlate_ps("return correlate2d(np.pad(X, padding, mode='edge'), K)[::stride, ::stride]"),  # edge, not zeros
            correlate_ps("return correlate2d(np.pad(X, padding), K)"),                     # stride ignored
            correlate_ps("return correlate2d(np.pad(X, padding), K)[::stride]"),           # stride on rows only
            correlate_ps("return correlate2d(np.pad(X, padding), K)[::stride + 1, ::stride + 1]"),  # wrong stride
            correlate_ps("return correlate2d(np.pad(X, padding), K)[1::stride, 1::stride]"),  # windows one late
            correlate_ps("return correlate2d(np.pad(X, padding), K)[stride - 1::stride, stride - 1::stride]"),
            correlate_ps("return correlate2d(np.pad(X, padding), K)[:-1:stride, :-1:stride]"),  # off by one: last window lost
            correlate_ps("Z1 = correlate2d(np.pad(X, padding), K)\n"
                         "h, w = (Z1.shape[0] - 1) // stride, (Z1.shape[1] - 1) // stride   # the + 1 forgotten\n"
                         "return Z1[:h * stride:stride, :w * stride:stride]"),
            correlate_ps("Z1 = correlate2d(np.pad(X, padding), K)\n"
                         "return Z1[:Z1.shape[0] // stride * stride:stride, :Z1.shape[1] // stride * stride:stride]"),  # floor of the wrong count
            correlate_ps("return correlate2d(np.pad(X, padding)[::stride, ::stride], K)"),  # the image subsampled, not the output
            correlate_ps("return convolve2d(np.pad(X, padding), K)[::stride, ::stride]"),  # kernel flipped: convolution
            correlate_ps("return correlate2d(np.pad(X, padding), K[::-1, ::-1])[::stride, ::stride]"),
            correlate_ps("return correlate2d(np.pad(X, padding), K[::-1])[::stride, ::stride]"),  # mirrored
            correlate_ps("return correlate2d(np.pad(X.T, padding), K).T[::stride, ::stride]"),    # image transposed
            correlate_ps("return correlate2d(np.pad(X, padding), K.T)[::stride, ::stride]"),      # kernel transposed
            correlate_ps(PAD_SLICE + ".T"),                                                # result transposed
            correlate_ps("return -correlate2d(np.pad(X, padding), K)[::stride, ::stride]"),       # negated
            correlate_ps("return 1.02 * correlate2d(np.pad(X, padding), K)[::stride, ::stride]"),  # 2 % off
            correlate_ps("return correlate2d(np.pad(X, padding), K)[::stride, ::stride] / stride ** 2"),  # a factor
            correlate_ps("return correlate2d(np.pad(X, padding), K)[::stride, ::stride] + 0j"),   # complex
            correlate_ps("return correlate2d(X, K, padding='same')[::stride, ::stride]"),  # 'same': refused for the 3×2 kernel
            correlate_ps("return correlate2d(np.pad(X, padding), K, stride=stride)[::stride, ::stride]"),  # strided twice
            correlate_ps("return correlate2d(np.pad(X, 1), K)[::stride, ::stride]"),       # p fixed at 1
            correlate_ps("return correlate2d(np.pad(X, padding), K)[::2, ::2]"),           # s fixed at 2
            correlate_ps("raise NotImplementedError('todo')"),                             # raises
            correlate_ps("pass"),                                                          # returns None
            correlate_ps("return str(correlate2d(np.pad(X, padding), K)[::stride, ::stride])"),  # text
        ],
        right=[
            correlate_ps(PAD_SLICE),
            correlate_ps("return correlate2d(X, K, padding=padding, stride=stride)"),     # the helper itself
            correlate_ps("Xp = np.pad(X, ((padding, padding), (padding, padding)), mode='constant')\n"
                         "Z1 = correlate2d(Xp, K)\nreturn Z1[0::stride, 0::stride]"),
            correlate_ps(PAD_SLICE + ".tolist()"),                                         # a list
            correlate_ps("h, w = output_shape(X.shape, K.shape, padding=padding, stride=stride)\n"
                         "return correlate2d(np.pad(X, padding), K)[:h * stride:stride, :w * stride:stride]"),
            correlate_ps("cols = im2col(X, K.shape, padding=padding, stride=stride)\n"
                         "return (cols @ K.ravel()).reshape(output_shape(X.shape, K.shape, padding=padding, stride=stride))"),
            correlate_ps("Xp = np.pad(X, padding)\nkh, kw = K.shape\n"
                         "h, w = (Xp.shape[0] - kh) // stride + 1, (Xp.shape[1] - kw) // stride + 1\n"
                         "Z = np.zeros((h, w))\n"
                         "for i in range(h):\n"
                         "    for j in range(w):\n"
                         "        Z[i, j] = np.sum(Xp[stride * i:stride * i + kh, stride * j:stride * j + kw] * K)\n"
                         "return Z"),                                                      # the double loop at stride s
            correlate_ps("return convolve2d(np.pad(X, padding), K[::-1, ::-1])[::stride, ::stride]"),  # flipped twice
            correlate_ps("X += 0.0   # in place on its input\n" + PAD_SLICE),
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
