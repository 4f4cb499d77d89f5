"""helpers.checks: never raise, never accept a wrong answer, name what is off."""
import numpy as np
import pytest

from helpers.checks import check_close, check_function, check_number, check_that, check_true

EXPECTED = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0]])


def verdicts(capsys):
    return capsys.readouterr().out.splitlines()


class Weird:
    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array here")


@pytest.mark.parametrize("answer, hint", [
    (..., "Replace the ..."), (None, "Replace the ..."), ("abc", "Expected numbers"), ((..., ...), "Replace the ..."),
    (lambda: 1, "did you forget to call it"), ({"a": 1}, "Expected numbers"), (Weird(), "Expected numbers"),
    (EXPECTED.T, "Is it transposed?"), (EXPECTED[:, :2], "Shape (2, 2)"), (EXPECTED.ravel(), "Shape (6,)"),
    (-EXPECTED, "sign is flipped"), (EXPECTED / 2, "constant factor: yours is 0.5"),
    (EXPECTED * 1.02, "constant factor: yours is 1.02"), (EXPECTED + 1j, "complex"),
    (np.where(EXPECTED > 4, np.nan, EXPECTED), "NaN"), ([[1, 2, 3], [4, 5]], "Expected numbers"),
    (EXPECTED + np.array([[0, 0, 0], [0, 0, 0.5]]), "Largest difference 0.5 at index (1, 2)"),
])
def test_check_close_rejects_with_a_hint_and_never_raises(answer, hint, capsys):
    check_close("Z", answer, EXPECTED)
    (line,) = verdicts(capsys)
    assert line.startswith("❌ Z: not yet.") and hint in line, line


def test_check_close_square_transpose_is_named(capsys):
    square = np.array([[1.0, 2.0], [3.0, 4.0]])
    check_close("W", square.T, square)
    assert "transpose" in verdicts(capsys)[0]


@pytest.mark.parametrize("answer", [EXPECTED.copy(), EXPECTED.tolist(), EXPECTED.astype(np.float32),
                                    EXPECTED.astype(int) if False else [[1, 2, 3], [4, 5, 7]]])
def test_check_close_accepts_every_form_of_the_right_answer(answer, capsys):
    check_close("Z", answer, EXPECTED)
    assert verdicts(capsys) == ["✅ Z: correct."]


@pytest.mark.parametrize("typed, ok", [(5.96e-8, True), (5.9605e-8, True), (0.25 ** 12, True), (np.float32(5.96e-8), True),
                                       (np.array([5.96e-8]), True), (6e-8, False), (5.9e-8, False), (5.96e-7, False),
                                       (-5.96e-8, False), (..., False), ("5.96e-8", False), (np.array([1.0, 2.0]), False),
                                       (float("nan"), False), (None, False)])
def test_check_number_to_three_significant_figures(typed, ok, capsys):
    check_number("(1/4)^12", typed, 0.25 ** 12, digits=3)
    (line,) = verdicts(capsys)
    assert line.startswith("✅" if ok else "❌"), (typed, line)


def test_check_true_accepts_only_a_real_truth_value(capsys):
    for value in [True, np.True_, False, np.array([True, True]), ..., None, 1]:
        check_true("x", value)
    assert [line[0] for line in verdicts(capsys)] == ["✅", "✅", "❌", "❌", "❌", "❌", "❌"]


def test_check_that_turns_an_exception_into_a_cross_with_its_message(capsys):
    check_that("gradient check", lambda: np.ones((2, 3)) @ np.ones((2, 3)) is not None, hint="Check shapes.")
    check_that("gradient check", lambda: (False, "Off by 2."))
    check_that("gradient check", lambda: bool(np.allclose(1.0, 1.0)))
    check_that("shapes", lambda: tuple(...) == (2, 3))
    lines = verdicts(capsys)
    assert lines[3] == "❌ shapes: not yet. Replace the ... with your answer and run the cell again."
    assert lines[0].startswith("❌") and "ValueError" in lines[0] and "Check shapes." in lines[0]
    assert lines[1] == "❌ gradient check: not yet. Off by 2."
    assert lines[2] == "✅ gradient check: correct."


def reference(W, x):
    return W @ x, W.T @ x[: W.shape[0]]


CASES = [(np.arange(6.0).reshape(2, 3), np.ones((3, 1)))]


@pytest.mark.parametrize("learner, hint", [
    (..., "Replace the ..."), (3, "Expected a function"), (np.ones((2, 2)), "Expected a function"),
    (lambda W, x: 1 / 0, "raised ZeroDivisionError"),
    (lambda W, x: W @ x, "Return 2 things"), (lambda W, x: None, "returned None"), (lambda W, x: ..., "Replace the ..."),
    (lambda W, x: [W @ x, None], "output 2"),
    (lambda W, x: (W @ x, W @ x[:3]), "output 2"),
    (lambda W, x: ((W @ x).T, W.T @ x[:2]), "Shape (1, 2)"),
])
def test_check_function_rejects(learner, hint, capsys):
    check_function("my_fn", learner, reference, CASES)
    (line,) = verdicts(capsys)
    assert line.startswith("❌") and hint in line, line


def test_check_function_gives_each_call_fresh_copies(capsys):
    W, x = CASES[0]
    before = W.copy()

    def in_place(W, x):
        result = reference(W, x)
        W *= 0
        return result

    check_function("my_fn", in_place, reference, CASES + CASES)
    assert verdicts(capsys) == ["✅ my_fn: correct."]
    assert np.array_equal(W, before)
