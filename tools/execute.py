"""Re-execute every notebook top to bottom in a fresh kernel and save it with its outputs.

    python -m tools.execute                       # all of notebooks/*.ipynb
    python -m tools.execute notebooks/01_*.ipynb  # some of them

Fails loudly (exit 1) if a cell raised, or if any code cell is left without an execution
count (a half-run notebook would let strict nbval compare nothing). The kernel is this
Python's own (the project's virtual environment), as under ``pytest --nbval-current-env``.
Widget state is dropped: the notebooks stay small, and a reader without a kernel sees each
widget's PNG instead.
"""
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent


def problems_in(nb):
    """What is wrong with an executed notebook: missing counts, counts not 1..N, errors."""
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    found = []
    counts = [c.get("execution_count") for c in code]
    if counts != list(range(1, len(code) + 1)):
        found.append(f"execution counts are {counts}, expected 1..{len(code)}")
    for i, cell in enumerate(code, 1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"code cell {i} raised {out.get('ename')}: {out.get('evalue')}")
    return found


def execute(path, timeout=300):
    """Execute the notebook at ``path`` in place. Returns the list of problems (empty if fine)."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    client = NotebookClient(nb, timeout=timeout, kernel_name=NATIVE_KERNEL_NAME,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as err:
        return [f"a cell raised:\n{err}"]
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    found = problems_in(nb)
    if not found:
        nbformat.write(nb, path)
    return found


def main(argv):
    paths = [Path(p) for p in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    failed = False
    for path in paths:
        start = time.perf_counter()
        found = execute(path)
        took = time.perf_counter() - start
        if found:
            failed = True
            print(f"FAILED {path} ({took:.1f} s), not saved:", *found, sep="\n  ", file=sys.stderr)
        else:
            print(f"ok     {path} ({took:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
