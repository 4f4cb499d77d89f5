"""Set-up shared by the first cell of every notebook: print options and plot style.

Numbers print with 4 decimals, plain scalars print as ``0.5`` (not ``np.float64(0.5)``),
and figures share one look. Call ``setup_notebook()`` once, at the top.
"""
import matplotlib as mpl
import numpy as np

STYLE = {
    "figure.dpi": 100,
    "figure.figsize": (6.4, 3.2),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 10,
    "savefig.bbox": "tight",
}


def setup_notebook():
    """Fix numpy's print options and matplotlib's style for the series (idempotent).

    In a Jupyter kernel it also selects the inline backend, whatever ``MPLBACKEND`` says, so
    figures land in the notebook (and under nbval) on every machine.
    """
    try:
        shell = get_ipython()  # noqa: F821 (defined inside IPython only)
    except NameError:
        shell = None
    if shell is not None and hasattr(shell, "kernel"):
        shell.run_line_magic("matplotlib", "inline")
    options = {"precision": 4, "suppress": True, "linewidth": 100}
    if int(np.__version__.split(".")[0]) >= 2:
        options["legacy"] = "1.25"  # print np.float64(0.5) as 0.5, as numpy 1 does
    np.set_printoptions(**options)
    mpl.rcParams.update(STYLE)
