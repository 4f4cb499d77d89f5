"""What notebooks 01-04 state, pinned where a review found it false or missing (issue 9, §2).

Each test reads the committed notebook (its markdown and saved outputs) and fails on the old text.
"""
import json
import re
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def cells(name):
    return json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"])


def output(cell):
    return "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))


def markdown_text(name):
    return "\n".join(source(c) for c in cells(name) if c["cell_type"] == "markdown")


def test_01_the_flat_bias_trap_is_shown_with_one_example():
    nb = cells("01_forward_pass.ipynb")
    trap = next(c for c in nb if c["cell_type"] == "code" and "W @ x + b.ravel()" in source(c))
    assert "W @ x + b.ravel() has shape (4, 4) instead of (4, 1)" in output(trap)
    assert "bites with **one** example" in markdown_text("01_forward_pass.ipynb")


def test_01_first_exercise_does_not_repeat_the_batch_cell():
    nb = cells("01_forward_pass.ipynb")
    exercise = next(c for c in nb if "exercise" in c.get("metadata", {}).get("tags", []))
    assert "X_rows" in source(exercise) and "X_batch" not in source(exercise)


def test_02_the_gradient_check_is_introduced_before_its_first_use():
    nb = cells("02_activation_gradient.ipynb")
    first_use = next(i for i, c in enumerate(nb) if c["cell_type"] == "code" and "numerical_gradient(" in source(c)
                     and "import" not in source(c))
    before = "\n".join(source(c) for c in nb[:first_use] if c["cell_type"] == "markdown")
    for idea in ["central difference", "relative error", r"\varepsilon = 10^{-6}", "10^{-7}", "float32"]:
        assert idea in before, idea
    assert "kink" in markdown_text("02_activation_gradient.ipynb")


def test_02_derives_the_jacobian_transpose_from_indices():
    text = markdown_text("02_activation_gradient.ipynb")
    assert r"\sum_{i=1}^{m} J_{ij}\,\frac{\partial L}{\partial a_i}" in text
    assert "row $j$ of $J^T$" in text


def test_02_states_the_vanishing_bound_with_the_weights_and_names_exploding_gradients():
    nb = cells("02_activation_gradient.ipynb")
    summary = next(source(c) for c in nb if "## Summary" in source(c))
    assert "at least as fast as $(\\tfrac14)^d$)" not in summary  # the old, false bound
    assert r"\lVert W^{(1)}\rVert}{4}" in summary and "**explode**" in summary and "Initialisation" in summary
    table = next(output(c) for c in nb if "(g / 4) ** d" in source(c))
    rows = [line.split() for line in table.splitlines()[1:]]
    assert [(r[0], r[1], r[2]) for r in rows] == [("1", "9.095e-13", "9.095e-13"), ("2", "9.537e-07", "9.537e-07"),
                                                 ("4", "1.000e+00", "1.000e+00"), ("8", "1.049e+06", "1.049e+06")]


def test_02_bug_hunt_text_does_not_give_the_bug_away():
    nb = cells("02_activation_gradient.ipynb")
    text = next(source(c) for c in nb if "### Exercise 2: bug hunt" in source(c))
    assert "1/(1 - \\sigma" not in text and "too large by a factor" not in text


def test_03_does_not_claim_the_shapes_decide():
    text = markdown_text("03_weight_gradient.ipynb")
    assert "leave no other choice" not in text
    assert "When $m = n$ both fit" in text


def test_03_exercises_are_not_answered_earlier():
    nb = cells("03_weight_gradient.ipynb")
    first_exercise = next(i for i, c in enumerate(nb) if "exercise" in c.get("metadata", {}).get("tags", []))
    before = "\n".join(source(c) for c in nb[:first_exercise])
    assert "mean loss $\\frac1k" not in before and "both are divided by $k$" not in before
    exercises = [source(c) for c in nb if "exercise" in c.get("metadata", {}).get("tags", [])]
    assert "dL_db_batch" not in "".join(exercises)          # the old exercise 2: cell 17's line
    assert any("mean_loss" in e for e in exercises)


def test_04_exercise_writes_dense_backward_and_the_stepper_text_promises_significant_figures():
    nb = cells("04_input_gradient.ipynb")
    assert any("def my_dense_backward" in source(c) for c in nb
               if "exercise" in c.get("metadata", {}).get("tags", []))
    assert re.search(r"significant figures", markdown_text("04_input_gradient.ipynb"))


def test_01_says_which_part_of_seed_001_lost_the_minus_sign():
    # seed 001's forward pass has 1/(1 + e^(-h')); only its backward formula writes 1/(1 + exp(vᵀh + b))
    text = markdown_text("01_forward_pass.ipynb")
    assert "Seed 001 writes $\\frac{1}{1 + \\exp(v^T h + b)}$" not in text
    assert "Seed 001's forward pass has it, but its backward formula" in text


def test_02_the_threshold_is_at_least_a_thousand_times_from_both():
    # 1e-7 is 1000× from 1e-10 but 100000× from 1e-2: "a thousand times away from both" is not exact
    assert "at least a thousand times away from both" in markdown_text("02_activation_gradient.ipynb")


def test_03_the_batch_product_sums_over_the_example_index_c_not_k():
    # k is the batch size (01's table); the summed index is c
    text = markdown_text("03_weight_gradient.ipynb")
    assert "sums over $k$" not in text
    assert "sums over the example index $c" in text


def test_02_says_where_seed_001_writes_hammond():
    # seed 001 writes "Hadamard product" in its backpropagation section and "Hammond" only in its CNN section
    text = markdown_text("02_activation_gradient.ipynb")
    assert 'seed 001 calls it the "Hammond" product' not in text
    assert 'its CNN section calls it the "Hammond"' in text
