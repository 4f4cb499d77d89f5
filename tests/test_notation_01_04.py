"""One notation in notebooks 01-04, as notebook 01's table declares it: a subscript is an entry,
a superscript in parentheses a layer (W^{(2)}, z^{(2)}_i), and every gradient has its variable's shape."""
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("0[1-4]_*.ipynb"))

RETIRED = {
    r"\b[Wb]_\{?\d\}?(?![\dj])": "a layer written as a subscript (W_1, b_2): write W^{(1)}, b^{(2)}",
    r"\b[a-zA-Z]_\{?0\}?(?!\d)": "entry 0 (the maths counts from 1)",
    r"\^(\w|\{(?:[^{}]|\{[^{}]*\})*\})\^": "a double superscript (W^{(2)}^T is a MathJax error): write (W^{(2)})^T",
    r"\(W_\d\)_|\(a_\d\)_": "an entry of a subscripted layer, (W_2)_{ij}: write W^{(2)}_{ij}",
    r"\b[a-zA-Z]_\{?l\}?(?![a-zA-Z])": "l as an entry index (l counts layers, as a superscript)",
}


def markdown(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(i, "".join(c["source"])) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_retired_notation(path):
    found = [f"cell {i}: {why}: …{text[max(0, m.start() - 25):m.end() + 15]}…"
             for i, text in markdown(path) for pattern, why in RETIRED.items()
             for m in re.finditer(pattern, text)]
    assert not found, "\n".join(found)


def test_the_patterns_catch_what_they_are_for():
    samples = {r"\partial W_1": 0, r"b_{2}": 0, "z_0": 1, r"W^{(2)}^T": 2, r"(W_2)_{ij}": 3, r"\partial z_l": 4}
    patterns = list(RETIRED)
    for sample, k in samples.items():
        assert re.search(patterns[k], sample), sample
    for fine in [r"W_{ij}", r"z^{(2)}_i", r"(W^{(2)})^T", r"x_j", r"W_{11}", r"a^{(0)} = x"]:
        assert not any(re.search(p, fine) for p in patterns), fine


def test_notebook_01_declares_the_series_notation():
    table = next(text for _, text in markdown(NOTEBOOKS[0]) if "## Notation" in text)
    for promise in ["subscript is always an *entry*", "superscript in parentheses always a *layer*",
                    "always the shape of $X$", r"J_{ij} = \partial a_i / \partial z_j", "**upstream gradient**",
                    "**error**"]:
        assert promise in table, promise
