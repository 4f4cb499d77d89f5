"""Notebooks 06 and 08 count windows with Q (q numbers them); P is notebook 07's batch of probabilities.

Every P left in their text (P, NP, N·P) must be a sentence that names notebook 07's P."""
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = [Path(__file__).resolve().parent.parent / "notebooks" / name
             for name in ("06_cnn_filters.ipynb", "08_conv_layer.ipynb")]
A_P = re.compile(r"(?<![A-Za-z\\])N?P(?![A-Za-z_])")  # P, NP, N·P, $P$; not \Pi, INPUT, P_true


def stray_ps(text):
    """Each P (or NP) in ``text``, with its surroundings, unless those speak of notebook 07."""
    return [text[max(0, m.start() - 60):m.end() + 20].replace("\n", " ") for m in A_P.finditer(text)
            if "07" not in text[max(0, m.start() - 80):m.end() + 80]]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_window_count_is_q_not_p(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = [f"cell {i}: {line}" for i, cell in enumerate(cells) for line in stray_ps("".join(cell["source"]))]
    assert not found, "\n".join(found)


def test_the_pattern_catches_what_it_is_for():
    for stray in [r"$(F \times NP)$", "its $k$ is $NP$", "N·P = 24", "P = h_out * w_out", r"$P \times HW$"]:
        assert stray_ps(stray), stray
    for fine in [r"$(F \times NQ)$", r"$Q$, not $P$: notebook 07's", "INPUT", r"p_{\text{true}}", "Play", "np.pad"]:
        assert not stray_ps(fine), fine
