"""Re-execute every notebook top to bottom in a fresh kernel and save it with its outputs.

    python -m tools.execute                       # all of notebooks/*.ipynb
    python -m tools.execute notebooks/01_*.ipynb  # some of them

Fails loudly (exit 1) if a cell raised, or if any code cell is left without an execution
count (a half-run notebook would let strict nbval compare nothing). The kernel is this
Python's own (the project's virtual environment), as under ``pytest --nbval-current-env``.
Widget state is dropped: the notebooks stay small, and a reader without a kernel sees each
widget's PNG instead.
"""
import hashlib
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


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


def merge_streams(outputs):
    """Join consecutive stdout (or stderr) chunks into one output.

    The kernel splits printed text into a varying number of chunks; nbval joins them before
    comparing, so merging changes nothing it checks and keeps re-runs free of spurious diffs.
    """
    merged = []
    for out in outputs:
        if (merged and out.get("output_type") == "stream" and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def stable_widget_ids(outputs, where):
    """Replace each widget view's random model id with one derived from its place in the notebook.

    The widget state is not saved, so the id points at nothing either way; a stable one keeps a
    re-run of an unchanged notebook byte-for-byte unchanged.
    """
    for number, out in enumerate(outputs):
        view = out.get("data", {}).get(WIDGET_VIEW)
        if view:
            view["model_id"] = hashlib.sha1(f"{where}:{number}".encode()).hexdigest()[:32]


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
    for number, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
            stable_widget_ids(cell.outputs, f"{path.name}:{number}")
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
