"""Notebook 05's η explorer: the cost of a learning rate off the slider's grid (trained on first use).

    .venv/bin/python bench/eta_off_grid.py          # prints a Markdown table

The slider itself only offers the 21 grid values (trained when the widget is built), so
``bench/run.py``'s slider moves never leave the grid; a caller who sets ``eta_slider.value``
to another number (7.0, 123.4…) makes the explorer train 1000 epochs there and then. This
times that, for fresh off-grid values, against moves on the grid and of the epochs slider.
Target: < 30 ms median per move, like every other control.
"""
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(moves=30, seed=0):
    """{case: {"median_ms", "min_ms", "max_ms", "cpu_median_ms"}} for off-grid η, grid η and epochs moves."""
    import numpy as np

    from helpers.network_ui import ETA_GRID, eta_explorer

    explorer = eta_explorer()
    rng = np.random.default_rng(seed)
    cases = {
        "η off the grid (trains 1000 epochs)": ("eta", [float(10 ** x) for x in rng.uniform(-2, 3, moves)]),
        "η on the grid": ("eta", [float(rng.choice(ETA_GRID)) for _ in range(moves)]),
        "epochs": ("epochs", [int(e) for e in rng.integers(0, 101, moves) * 10]),
    }
    results = {}
    for case, (slider, values) in cases.items():
        target = explorer.eta_slider if slider == "eta" else explorer.epochs_slider
        wall, cpu = [], []
        for value in values:
            start, start_cpu = time.perf_counter(), time.process_time()
            target.value = value
            wall.append((time.perf_counter() - start) * 1e3)
            cpu.append((time.process_time() - start_cpu) * 1e3)
        results[case] = {"median_ms": statistics.median(wall), "min_ms": min(wall), "max_ms": max(wall),
                         "cpu_median_ms": statistics.median(cpu)}
    return results


def main():
    print("| notebook 05, η explorer | median [min–max] wall | median CPU | target < 30 ms |")
    print("|---|---|---|---|")
    for case, r in measure().items():
        ok = "✓" if r["median_ms"] < 30 else "✗ over target"
        print(f"| {case} | {r['median_ms']:.1f} ms [{r['min_ms']:.1f}–{r['max_ms']:.1f}] | "
              f"{r['cpu_median_ms']:.1f} ms | {ok} |")


if __name__ == "__main__":
    main()
