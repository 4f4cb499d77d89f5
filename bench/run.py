"""The series' speed, from one run: medians with min–max, as Markdown tables (README "Performance").

    .venv/bin/python bench/run.py                  # everything (~5 min on 2 cores)
    .venv/bin/python bench/run.py --quick          # widgets, notebooks, lab start; not the suite twice

What it measures, each against the issue's target:

* every widget: each no-argument factory ``*_explorer`` / ``*_stepper`` found in ``helpers/*_ui.py``,
  50 slider moves (one keyboard step each, right then back left, over all its sliders in turn),
  timing the recompute + redraw that a move triggers, in process;            target < 30 ms median
* every notebook: executed in a fresh kernel (nbclient, like ``tools.execute``, not saved), start
  to end and the cells alone (from nbclient's per-cell timestamps);         target < 5 s
* ``jupyter lab``: process start to its API answering (``tools.browser.LabServer``);
* in JupyterLab in Chromium: a key press on notebook 01's first slider to the new readout and
  picture on the page (kernel round trip included), 20 presses;
* the test suite without the browser tests (``-m "not browser"``) and with them; target < 60 s without;
* ``bench/eta_off_grid.py``: notebook 05's η explorer at learning rates off the slider's grid;  target < 30 ms
* ``bench/conv_speed.py``'s ``measure()`` (correlate2d against the double loop and SciPy), if present;
* ``bench/conv_layer_speed.py`` (a whole convolutional layer, forward + backward, one thread), in a fresh process;
* ``bench/digits_speed.py`` (notebook 09: one training epoch of each model, and its widgets' moves, wall
  and CPU time), in a fresh process. Notebook 09 trains two networks: its target is 15 s, not 5 s.

Timings are wall-clock on a shared machine: run it on an idle one for figures worth recording.
"""
import argparse
import importlib
import importlib.util
import inspect
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

from tools.browser import (LabServer, at_top, browser_missing, key_step, launch_chromium,  # noqa: E402
                           open_and_run_all, sliders_in)

FACTORY_SUFFIXES = ("_explorer", "_stepper")
NOTEBOOK_TARGETS = {"09_digits_capstone.ipynb": 15}  # seconds; every other notebook: 5 s


def spread(times, unit="ms", digits=1):
    """``"4.2 ms [3.9–6.0]"``: the median and min–max of ``times`` (already in ``unit``)."""
    f = f"{{:.{digits}f}}"
    return f"{f.format(statistics.median(times))} {unit} [{f.format(min(times))}–{f.format(max(times))}]"


def verdict(value, target):
    """"✓" when ``value`` is under ``target``, else a warning."""
    return "✓" if value < target else "✗ over target"


def factories():
    """Every ``(module name, function)`` in helpers/*_ui.py named *_explorer / *_stepper."""
    found = []
    for path in sorted((ROOT / "helpers").glob("*_ui.py")):
        module = importlib.import_module(f"helpers.{path.stem}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.endswith(FACTORY_SUFFIXES) and function.__module__ == module.__name__:
                found.append((path.stem, function))
    return found


def widget_moves(factory, moves=50):
    """Build ``factory()`` and time ``moves`` one-step slider moves.

    Returns ``{slider caption: [ms, ...]}`` (every move, by the slider moved), or ``None`` if the
    widget has no slider.
    """
    widget = factory()
    sliders = [s for s in sliders_in(widget) if "Range" not in s._view_name]
    if not sliders:
        return None
    times = {}
    for i in range(moves):
        slider = sliders[(i // 2) % len(sliders)]
        forward = "ArrowLeft" if at_top(slider) else "ArrowRight"
        key = forward if i % 2 == 0 else ("ArrowRight" if forward == "ArrowLeft" else "ArrowLeft")
        start = time.perf_counter()
        key_step(slider, key)  # observers fire synchronously: recompute + redraw + PNG
        caption = slider.description or f"slider {sliders.index(slider) + 1}"
        times.setdefault(caption, []).append((time.perf_counter() - start) * 1e3)
    return times


def notebook_times(path, repeats):
    """``repeats`` executions of ``path`` in a fresh kernel: (total seconds, cells-only seconds) lists."""
    import nbformat
    from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
    from nbclient import NotebookClient

    totals, cells = [], []
    for _ in range(repeats):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=300, kernel_name=NATIVE_KERNEL_NAME, record_timing=True,
                                extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no TCP warning
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        totals.append(time.perf_counter() - start)
        stamps = [c.metadata.get("execution", {}) for c in nb.cells if c.cell_type == "code"]
        stamps = [s for s in stamps if "iopub.execute_input" in s and "shell.execute_reply" in s]
        begin = datetime.fromisoformat(stamps[0]["iopub.execute_input"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(stamps[-1]["shell.execute_reply"].replace("Z", "+00:00"))
        cells.append((end - begin).total_seconds())
    return totals, cells


def browser_key_presses(notebook="01_forward_pass.ipynb", presses=20):
    """Seconds from a key press on the first explorer's slider to its new readout *and* picture, in Chromium."""
    from playwright.sync_api import sync_playwright

    times = []
    with LabServer() as lab, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 1600})
        open_and_run_all(page, lab, notebook)
        readout = page.locator(".bp-readout").first
        root = readout.locator("xpath=ancestor::div[contains(@class, 'jp-OutputArea-output')][1]")
        root.locator(".widget-slider .noUi-handle").first.focus()
        for i in range(presses):
            state = root.evaluate("r => [r.querySelector('.bp-readout').textContent, "
                                  "r.querySelector('img') ? r.querySelector('img').src : '']")
            start = time.perf_counter()
            page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
            root.evaluate("""(r, [text, src]) => new Promise(done => {
                const changed = () => r.querySelector('.bp-readout').textContent !== text
                    && (!src || r.querySelector('img').src !== src);
                const poll = () => changed() ? done() : setTimeout(poll, 2);
                poll(); })""", state)
            times.append(time.perf_counter() - start)
        browser.close()
        lab.shutdown_kernels()
    return times


def suite_seconds(extra):
    """Wall-clock seconds of ``python -m pytest -q -p no:randomly`` + ``extra``, and its last line."""
    start = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # the suite as `make test` runs it
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *extra], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", errors="replace", env=env)
    took = time.perf_counter() - start
    lines = done.stdout.strip().splitlines()
    return took, (lines[-1] if lines else done.stderr.strip()[-200:])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--moves", type=int, default=50, help="slider moves per widget (50)")
    parser.add_argument("--notebook-repeats", type=int, default=3, help="executions per notebook (3)")
    parser.add_argument("--lab-repeats", type=int, default=5, help="jupyter lab starts (5)")
    parser.add_argument("--quick", action="store_true", help="skip the two whole-suite runs")
    args = parser.parse_args(argv)

    cpus = os.cpu_count()
    print(f"# bench/run.py, {datetime.now():%Y-%m-%d %H:%M}, Python {platform.python_version()}, "
          f"{cpus} CPU cores, {platform.machine()}\n")

    print(f"## Widget updates: recompute + redraw per slider move, in process ({args.moves} moves each)\n")
    print("| widget | module | median [min–max] | target < 30 ms | slowest slider (its median) |")
    print("|---|---|---|---|---|")
    for module, factory in factories():
        try:
            times = widget_moves(factory, args.moves)
        except Exception as err:  # a half-written module must not hide the others' figures
            print(f"| `{factory.__name__}()` | {module} | failed: {type(err).__name__}: {err} | |")
            continue
        if times is None:
            print(f"| `{factory.__name__}()` | {module} | no slider | |")
        else:
            every = [t for moves in times.values() for t in moves]
            slowest = max(times, key=lambda caption: statistics.median(times[caption]))
            print(f"| `{factory.__name__}()` | {module} | {spread(every)} | "
                  f"{verdict(statistics.median(every), 30)} | "
                  f"{slowest} ({statistics.median(times[slowest]):.1f} ms) |")

    print(f"\n## Notebook execution: fresh kernel, {args.notebook_repeats} runs each\n")
    print("| notebook | start to end (kernel start included) | cells only | target |")
    print("|---|---|---|---|")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        totals, cells = notebook_times(path, args.notebook_repeats)
        target = NOTEBOOK_TARGETS.get(path.name, 5)
        print(f"| {path.name} | {spread(totals, 's', 2)} | {spread(cells, 's', 2)} | "
              f"< {target} s {verdict(statistics.median(totals), target)} |")

    print(f"\n## JupyterLab: process start to API ready ({args.lab_repeats} starts)\n")
    starts = []
    for _ in range(args.lab_repeats):
        with LabServer() as lab:
            starts.append(lab.ready_seconds)
    print(f"jupyter lab start to ready: {spread(starts, 's', 2)}")

    missing = browser_missing()
    if missing:
        print(f"\nkey press to new picture in Chromium: not measured ({missing})")
    else:
        presses = browser_key_presses()
        print(f"\nkey press to new readout and picture in Chromium (notebook 01, {len(presses)} presses): "
              f"{spread([t * 1e3 for t in presses], 'ms', 0)}")

    if not args.quick:
        print("\n## Test suite (one run each, wall clock)\n")
        print("| suite | time | result | target |")
        print("|---|---|---|---|")
        took, last = suite_seconds(["-m", "not browser"])
        print(f"| `pytest -m 'not browser'` | {took:.0f} s | {last} | < 60 s {verdict(took, 60)} |")
        took, last = suite_seconds([])
        print(f"| `pytest` (with the browser tests) | {took:.0f} s | {last} | |")

    eta = ROOT / "bench" / "eta_off_grid.py"
    if eta.exists():
        spec = importlib.util.spec_from_file_location("eta_off_grid", eta)
        eta_off_grid = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(eta_off_grid)
        print("\n## Notebook 05's η explorer: a learning rate off the slider's grid (bench/eta_off_grid.py)\n")
        eta_off_grid.main()

    conv = ROOT / "bench" / "conv_speed.py"
    if conv.exists():
        spec = importlib.util.spec_from_file_location("conv_speed", conv)
        conv_speed = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(conv_speed)
        print("\n## correlate2d against the double loop and SciPy (bench/conv_speed.py)\n")
        print("| case | correlate2d | double loop | SciPy | loop / ours | SciPy / ours |")
        print("|---|---|---|---|---|---|")
        for case, row in conv_speed.measure().items():
            cols = []
            for name in ("correlate2d", "double loop", "scipy"):
                t = row[name]
                cols.append("not installed" if t is None else
                            f"{t['median_ms']:.2f} ms [{t['min_ms']:.2f}–{t['max_ms']:.2f}]")
            ratio = row["scipy / correlate2d"]
            print(f"| {case} | {' | '.join(cols)} | {row['loop / correlate2d']:,.0f}× | "
                  f"{'–' if ratio is None else f'{ratio:.2f}×'} |")

    figures = run_json("conv_layer_speed.py", "A convolutional layer, forward + backward, one thread")
    if figures:
        print("64×8×16×16 batch through 16 filters of 3×3, padding 1, float64 "
              "(PyTorch columns: run the file with a Python that has torch)\n")
        print("| layer | forward | backward | forward + backward |")
        print("|---|---|---|---|")
        t = figures["ours"]
        print("| " + " | ".join(["`helpers.conv_layer`"] + [f"{t[w]['median_ms']:.1f} ms [{t[w]['min_ms']:.1f}–{t[w]['max_ms']:.1f}]"
                                            for w in ("forward", "backward", "forward+backward")]) + " |")

    figures = run_json("digits_speed.py", "Notebook 09: training epochs and widget moves")
    if figures:
        print("| what | wall clock | CPU time (the work, without the wait for a core) |")
        print("|---|---|---|")
        rows = [(f"one {name} ({figures[name]['epochs']} per training)", figures[name])
                for name in ("MLP epoch", "CNN epoch")]
        rows += [(f"one move of `{name}`", f) for name, f in figures["widgets"].items()]
        for what, f in rows:
            print(f"| {what} | {spread_ms(f['wall'])} | {spread_ms(f['cpu'])} |")


def run_json(script, title):
    """Run ``bench/<script> --json`` in a fresh process (its thread settings must come before numpy
    loads), print ``title`` as a heading, and return its figures, or None (saying why) if it failed."""
    print(f"\n## {title} (bench/{script})\n")
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), "--json"], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        print(f"failed: {done.stderr.strip()[-300:]}")
        return None
    return json.loads(done.stdout)


def spread_ms(t):
    """``"4.2 ms [3.9–6.0]"`` from a bench file's {"median_ms", "min_ms", "max_ms"}."""
    return f"{t['median_ms']:.1f} ms [{t['min_ms']:.1f}–{t['max_ms']:.1f}]"


if __name__ == "__main__":
    main()
