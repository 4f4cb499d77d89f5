"""setup_notebook(): the first cell of every notebook."""
import nbformat
import numpy as np
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from helpers.notebook import setup_notebook


def test_figures_land_in_the_notebook_even_if_MPLBACKEND_says_otherwise(monkeypatch):
    """A learner's (or a benchmark's) MPLBACKEND=Agg must not make every plot cell silent."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = new_notebook(cells=[new_code_cell(
        "import matplotlib.pyplot as plt\n"
        "from helpers.notebook import setup_notebook\n"
        "setup_notebook()\n"
        "plt.plot([0, 1], [1, 0])\n"
        "plt.show()"
    )])
    NotebookClient(nb, timeout=60, kernel_name=NATIVE_KERNEL_NAME).execute()
    outputs = nb.cells[0].outputs
    assert any("image/png" in out.get("data", {}) for out in outputs), outputs
    assert not [out for out in outputs if out.get("name") == "stderr"], outputs


def test_print_options_outside_a_kernel():
    setup_notebook()
    assert repr(np.float64(0.5)) == "0.5"  # numpy 2 would print np.float64(0.5)
    assert np.array2string(np.array([1 / 3])) == "[0.3333]"
