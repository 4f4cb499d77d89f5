"""How fast does notebook 09 train, and how fast do its two widgets update?

    .venv/bin/python bench/digits_speed.py                 # BLAS threads as numpy chooses
    .venv/bin/python bench/digits_speed.py --one-thread    # OPENBLAS/OMP/MKL_NUM_THREADS=1 before numpy loads
    .venv/bin/python bench/digits_speed.py --json          # the figures as JSON (bench/run.py reads them)

Per epoch: one epoch of ``helpers.digits.train`` with the notebook's recipes (MLP 64-32-10, batches of
16; CNN with 16 filters of 3×3, batches of 32), its steps and its evaluation on the training and test
sets included, wall clock and CPU time (``time.process_time``: on a shared machine the CPU time
shows the work, the wall clock shows the work plus the wait for a core). Widgets: the time of one
slider move of ``digit_explorer()``, ``adversarial_explorer()`` (ε, and the digit) and
``training_explorer()`` on the notebook's trained CNN (recompute + redraw + PNG), 50 moves each,
wall and CPU.
"""
import os
import sys

if "--one-thread" in sys.argv:
    for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_variable] = "1"
os.environ.setdefault("MPLBACKEND", "Agg")

import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from helpers.digits import CNN_RECIPE, MLP_RECIPE, default_data, make_cnn, make_mlp, train, trained_cnn  # noqa: E402


def spread(times):
    """{"median_ms", "min_ms", "max_ms"} of a list of seconds."""
    ms = [t * 1e3 for t in times]
    return {"median_ms": statistics.median(ms), "min_ms": min(ms), "max_ms": max(ms)}


def epoch_times(make, recipe, repeats=2):
    """Wall and CPU seconds of each epoch of the recipe, over ``repeats`` fresh models."""
    data = default_data()
    wall, cpu = [], []
    for _ in range(repeats):
        model = make(data, seed=recipe["seed"])
        eta = recipe["eta"]
        for epoch in range(recipe["epochs"]):
            start, start_cpu = time.perf_counter(), time.process_time()
            train(model, data, epochs=1, batch_size=recipe["batch_size"], eta=eta, seed=epoch)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            eta *= recipe["decay"]
    return {"wall": spread(wall), "cpu": spread(cpu), "epochs": recipe["epochs"]}


def widget_times(moves=50):
    """Wall and CPU seconds per slider move of notebook 09's three explorers."""
    from helpers.digits_ui import adversarial_explorer, digit_explorer, training_explorer

    trained_cnn()
    found = {}
    for name, widget, slider, values in [
        ("digit_explorer()", digit_explorer(), "slider", [i % 40 + 1 for i in range(moves)]),
        ("adversarial_explorer(), ε", adversarial_explorer(), "epsilon", [(i % 40 + 1) / 100 for i in range(moves)]),
        ("adversarial_explorer(), digit", adversarial_explorer(epsilon=0.2), "digit", [i % 40 + 1 for i in range(moves)]),
        ("training_explorer()", training_explorer(), "slider", [i % 13 for i in range(moves)]),
    ]:
        control = getattr(widget, slider)
        wall, cpu = [], []
        for value in values:
            start, start_cpu = time.perf_counter(), time.process_time()
            control.value = value
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        found[name] = {"wall": spread(wall), "cpu": spread(cpu)}
    return found


def measure():
    """Every figure of this file, as a dict."""
    return {"threads": os.environ.get("OPENBLAS_NUM_THREADS", "numpy's default"),
            "MLP epoch": epoch_times(make_mlp, MLP_RECIPE), "CNN epoch": epoch_times(make_cnn, CNN_RECIPE),
            "widgets": widget_times()}


def fmt(t):
    return f"{t['median_ms']:.1f} ms [{t['min_ms']:.1f}–{t['max_ms']:.1f}]"


if __name__ == "__main__":
    figures = measure()
    if "--json" in sys.argv:
        print(json.dumps(figures))
        sys.exit()
    print(f"BLAS threads: {figures['threads']}\n")
    print("| what | wall clock | CPU time |")
    print("|---|---|---|")
    for name in ("MLP epoch", "CNN epoch"):
        f = figures[name]
        print(f"| one {name} ({f['epochs']} per training) | {fmt(f['wall'])} | {fmt(f['cpu'])} |")
    for name, f in figures["widgets"].items():
        print(f"| one move of {name} | {fmt(f['wall'])} | {fmt(f['cpu'])} |")
