import numpy as np

from helpers.checks import check_close, check_true
from helpers.latex import latex_matrix, latex_number


def test_check_close_right_and_each_kind_of_wrong(capsys):
    expected = np.arange(6.0).reshape(3, 2)
    wrong = expected.copy()
    wrong[2, 1] += 0.5
    for answer in [expected.copy(), ..., None, expected.T, wrong, "abc"]:
        assert check_close("Z", answer, expected) is None  # the printed line is the verdict
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 6
    assert out[0] == "✅ Z: correct."
    assert all(line.startswith("❌ Z: not yet.") for line in out[1:])
    assert "Replace the ..." in out[1] and "Replace the ..." in out[2]
    assert "Shape (2, 3), expected (3, 2)" in out[3]
    assert "Largest difference 0.5 at index (2, 1)" in out[4]
    assert "Expected numbers" in out[5]


def test_check_true_hint(capsys):
    check_true("bug found", False, hint="Run the gradient check.")
    check_true("bug found", 1 + 1 == 2)
    assert capsys.readouterr().out == "❌ bug found: not yet. Run the gradient check.\n✅ bug found: correct.\n"


def test_latex_matrix_layout_and_highlight():
    assert latex_matrix([[1, 2], [3, 4]]) == r"\begin{bmatrix}1.00 & 2.00 \\ 3.00 & 4.00\end{bmatrix}"
    assert latex_matrix([1, 2], decimals=1) == r"\begin{bmatrix}1.0 \\ 2.0\end{bmatrix}"
    marked = latex_matrix([[1, 2]], highlight=[[False, True]])
    assert marked.count("colorbox") == 1 and "2.00" in marked.split("colorbox")[1]
    assert latex_number(-0.0) == "0.00"
    assert latex_number(-0.0001) == r"-1.0\times 10^{-4}"  # not a misleading 0.00
    assert latex_number(0.004, 3) == "0.004" and latex_number(0.0004, 3) == r"4.0\times 10^{-4}"


def test_latex_partial():
    from helpers.latex import latex_partial
    assert latex_partial("W_1") == r"\frac{\partial L}{\partial W_1}"
    assert latex_partial("V", of="C") == r"\frac{\partial C}{\partial V}"


def test_latex_matrix_refuses_what_it_cannot_write():
    import pytest
    with pytest.raises(ValueError, match=r"a number, a vector or a matrix; got a of shape \(2, 2, 2\)"):
        latex_matrix(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=r"highlight must mark each entry of a \(2, 2\); got highlight of shape \(3,\)"):
        latex_matrix(np.zeros((2, 2)), highlight=[True, False, True])
    with pytest.raises(ValueError, match="complex"):
        latex_matrix(np.array([[1j]]))


def test_rounding_noise_prints_as_zero_so_the_text_is_the_same_on_every_cpu():
    from helpers.latex import number_text
    from helpers.stepper import plain_numbers

    # an exact 0 computed as a sum leaves -2.8e-17 on one CPU and 2.5e-16 on another
    assert number_text(-2.8e-17) == number_text(2.5e-16) == number_text(0.0) == "0.00"
    assert plain_numbers([[-2.8e-17], [1.0]], 3) == "(0.000, 1.000)"
    assert number_text(6.1e-6) == "6.1e-06"  # a real small number keeps its significant figures
