"""Every exercise's self-check must be able to say both things.

As committed, a notebook's exercise cells hold the learner's starting point, so its
self-check cells say ❌. With each exercise cell replaced by the solution given in the
notebook (a markdown cell tagged ``solution`` holding a ```python block), the whole
notebook is run again and every self-check cell must say ✅.
"""
import copy
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import network_guard

import nbformat
import pytest
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def text_of(cell):
    """Everything a cell printed or displayed as text (JSON stores text as a list of lines)."""
    parts = []
    for out in cell.get("outputs", []):
        for text in (out.get("text", ""), out.get("data", {}).get("text/plain", "")):
            parts.append(text if isinstance(text, str) else "".join(text))
    return "".join(parts)


def solved(nb):
    """A copy of ``nb`` with each exercise cell's source replaced by its solution's code."""
    nb = copy.deepcopy(nb)
    pending = None
    for cell in nb.cells:
        if "exercise" in tags(cell):
            pending = cell
        elif "solution" in tags(cell):
            assert pending is not None, "a solution cell must follow its exercise cell"
            code = re.search(r"```python\n(.*?)```", cell.source, re.S)
            assert code, "a solution cell holds its code in a ```python block"
            pending.source = code.group(1)
            pending = None
    assert pending is None, "an exercise cell has no solution cell after it"
    return nb


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_self_checks_say_not_yet_before_the_exercises_are_done(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    checks = [c for c in nb["cells"] if "self-check" in tags(c)]
    assert checks
    for cell in checks:
        assert "❌" in text_of(cell), f"self-check passes with nothing done:\n{''.join(cell['source'])}"


def run_solved(path):
    """Execute ``path`` with its solutions substituted; return the executed notebook."""
    nb = solved(nbformat.read(path, as_version=4))
    NotebookClient(nb, timeout=120, kernel_name=NATIVE_KERNEL_NAME,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


@pytest.fixture(scope="module")
def solved_runs(tmp_path_factory):
    """Every notebook run once with its solutions, two at a time (a kernel per core), with the
    no-network guard (tests/conftest.py) on. Returns ({path: notebook or exception}, network log)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        log = network_guard(tmp_path_factory.mktemp("no-network"), monkeypatch)
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = {path: pool.submit(run_solved, path) for path in NOTEBOOKS}
            runs = {path: future.exception() or future.result() for path, future in futures.items()}
    return runs, log


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_self_checks_say_right_for_the_solutions(path, solved_runs):
    """A connection off this machine, or a lookup of a remote name, fails it too."""
    runs, log = solved_runs
    nb = runs[path]
    if isinstance(nb, Exception):
        raise nb
    assert not log.read_text(encoding="utf-8"), f"a notebook used the network:\n{log.read_text(encoding='utf-8')}"
    for cell in nb.cells:
        if "self-check" in tags(cell):
            out = text_of(cell)
            assert "✅" in out and "❌" not in out, f"{cell.source}\n---\n{out}"
