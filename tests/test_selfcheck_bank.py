"""The bank runner itself (tests/selfcheck_bank.py), on a tiny notebook made here."""
import nbformat
import pytest

from selfcheck_bank import Bank, problems, run_banks


def tagged(source, tag):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = [tag]
    return cell


@pytest.fixture(scope="module")
def notebook(tmp_path_factory):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np\nfrom helpers.checks import check_close\nA = np.eye(2)"),
        tagged("B = ...", "exercise"),
        tagged("check_close('B', B, 2 * A)", "self-check"),
        nbformat.v4.new_code_cell("after = 'ran'"),
        tagged("c = ...", "exercise"),
        tagged("check_close('c', c, A.sum())\nprint(after)", "self-check"),
        tagged("sloppy_check = B.sum() == 4\nprint('✅' if sloppy_check else '❌')", "self-check"),
    ])
    path = tmp_path_factory.mktemp("bank") / "tiny.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_sound_bank_has_no_problems(notebook):
    outcomes = run_banks(notebook, {1: Bank(wrong=["B = A", "B = -2 * A", "B = None", "B = [[2, 0]]"],
                                            right=["B = 2 * A", "B = [[2, 0], [0, 2]]"])})
    answers = [o for o in outcomes if o.kind != "committed"]
    assert len(answers) == 6
    assert not [p for p in problems(outcomes) if "exercise 1" in p]
    assert "Off by a constant factor" in outcomes[0].printed
    assert "sign is flipped" in outcomes[1].printed


def test_it_reports_accepted_wrong_answers_rejected_right_ones_and_raising_checks(notebook):
    # exercise 2's second self-check reads B: with B left as `...` it raises; and it is sloppy
    outcomes = run_banks(notebook, {2: Bank(wrong=["c = 2.0"], right=["c = 3.0", "c = 2"])})
    found = problems(outcomes)
    assert any("wrong answer 'c = 2.0'" in f and "raised" in f for f in found)
    assert any("right answer 'c = 3.0'" in f and "raised AttributeError" in f for f in found)
    assert any("committed answer" in f and "raised AttributeError" in f for f in found)


def test_later_cells_see_the_committed_exercise_and_reset_runs_before_each_answer(notebook):
    outcomes = run_banks(notebook, {1: Bank(right=["B = 2 * A"], reset="A = np.eye(2)"),
                                    2: Bank(wrong=["c = 1.0"])})
    assert [o.error for o in outcomes][:1] == [""]
    second = [o for o in outcomes if o.exercise == 2 and o.kind == "wrong"]
    assert "ran" in second[0].printed  # `after` was defined by the cell between the exercises


def test_unknown_exercise_number_is_an_error(notebook):
    with pytest.raises(ValueError, match="has 2 exercise cells; no exercise \\[3\\]"):
        run_banks(notebook, {3: Bank(wrong=["x = 1"])})
