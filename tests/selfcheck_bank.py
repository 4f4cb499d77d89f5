"""Run a notebook's self-checks against banks of answers: wrong ones must get ❌, right ones ✅.

A self-check must never raise and never accept a wrong answer, whatever the learner typed.
This runs the notebook once, top to bottom, in one kernel. When it reaches the n-th cell
tagged ``exercise`` (n counts from 1), it first runs each answer of that exercise's bank in
place of the exercise cell, each followed by the exercise's ``self-check`` cells (those
between this exercise cell and the next one), and records what they printed. Then it runs
the committed exercise cell and goes on, so later cells see the notebook's own state. Each
self-check cell as committed is recorded too (kind "committed"): it must say ❌, not raise.

    from selfcheck_bank import Bank, run_banks, problems

    BANKS = {
        1: Bank(wrong=["Z = W @ X", "Z = (W @ X + b).T", "Z = ...", "Z = [[1, 2]]"],
                right=["Z = W @ X + b", "Z = np.dot(W, X) + b.reshape(-1, 1)"]),
        2: Bank(wrong=[...], right=[...], reset="params = init_params(seed=0)"),
    }

    @pytest.fixture(scope="module")
    def outcomes():
        return run_banks(NOTEBOOK, BANKS)

    def test_every_wrong_answer_gets_a_cross_and_every_right_one_a_tick(outcomes):
        assert not problems(outcomes)

An answer is code that runs without raising (a wrong value, a wrong shape, a function that
raises when called: that is the self-check's business). ``reset``, if given, runs before each
answer (e.g. to rebuild state that an in-place answer may have changed).
"""
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
from nbclient import NotebookClient


@dataclass
class Bank:
    """Answers for one exercise: ``wrong`` must print ❌ (and no ✅), ``right`` must print ✅ only."""
    wrong: list = field(default_factory=list)
    right: list = field(default_factory=list)
    reset: str = ""


@dataclass
class Outcome:
    """What the self-checks printed for one answer."""
    exercise: int
    kind: str      # "wrong", "right", or "committed" (a self-check cell as the notebook runs it)
    answer: str
    printed: str   # everything the self-check cells printed or displayed as text
    error: str     # "" or the error a cell raised (the answer's or a self-check's)


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def _text(outputs):
    parts = []
    for out in outputs:
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif "data" in out:
            parts.append(out["data"].get("text/plain", ""))
    return "".join(parts)


def _error(outputs):
    for out in outputs:
        if out.get("output_type") == "error":
            return f"{out.get('ename')}: {out.get('evalue')}"
    return ""


def run_banks(path, banks, timeout=120):
    """Run the notebook at ``path`` once, trying each bank's answers; return a list of Outcome."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    exercises = [i for i, cell in enumerate(nb.cells) if "exercise" in _tags(cell)]
    unknown = set(banks) - set(range(1, len(exercises) + 1))
    if unknown:
        raise ValueError(f"{path.name} has {len(exercises)} exercise cells; no exercise {sorted(unknown)}")
    checks_of = {}
    for number, start in enumerate(exercises, 1):
        end = exercises[number] if number < len(exercises) else len(nb.cells)
        checks_of[number] = [c for c in nb.cells[start + 1:end] if "self-check" in _tags(c)]
        if number in banks and not checks_of[number]:
            raise ValueError(f"{path.name}: exercise {number} has no self-check cell after it")

    client = NotebookClient(nb, timeout=timeout, kernel_name=NATIVE_KERNEL_NAME, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    outcomes = []

    def run(source):
        cell = nbformat.v4.new_code_cell(source)
        client.execute_cell(cell, 0, store_history=False)
        return cell.outputs

    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if index in exercises and exercises.index(index) + 1 in banks:
                number = exercises.index(index) + 1
                bank = banks[number]
                for kind, answers in (("wrong", bank.wrong), ("right", bank.right)):
                    for answer in answers:
                        error = _error(run(bank.reset)) if bank.reset else ""
                        error = error or _error(run(answer))
                        printed = []
                        for check in checks_of[number]:
                            outputs = run(check.source)
                            printed.append(_text(outputs))
                            error = error or _error(outputs)
                        outcomes.append(Outcome(number, kind, answer, "".join(printed), error))
                if bank.reset:
                    run(bank.reset)
            outputs = run(cell.source)
            if "self-check" in _tags(cell):
                number = sum(1 for e in exercises if e < index)
                outcomes.append(Outcome(number, "committed", "<as committed>", _text(outputs), _error(outputs)))
            elif _error(outputs) and "exercise" not in _tags(cell):
                raise RuntimeError(f"{path.name} cell {index} raised {_error(outputs)}")
    return outcomes


def problems(outcomes):
    """Every outcome that is not as it must be, as readable lines (empty when all is well)."""
    found = []
    for o in outcomes:
        where = f"exercise {o.exercise}, {o.kind} answer {o.answer!r}"
        if o.error:
            found.append(f"{where}: raised {o.error}")
        elif o.kind in ("wrong", "committed") and ("❌" not in o.printed or "✅" in o.printed):
            found.append(f"{where}: accepted (printed {o.printed.strip()!r})")
        elif o.kind == "right" and ("✅" not in o.printed or "❌" in o.printed):
            found.append(f"{where}: rejected (printed {o.printed.strip()!r})")
    return found
