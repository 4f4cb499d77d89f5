"""How fast is ``helpers.conv.correlate2d``? Against the double loop and against SciPy.

    python bench/conv_speed.py

Compares, on a 256×256 image with a 3×3 kernel and a 512×512 image with a 7×7 kernel
("valid", stride 1, float64):

    correlate2d        the vectorized helper (a loop over the kh·kw kernel entries)
    double loop        correlate2d_loop, the loop over output pixels notebook 06 shows first
    scipy              scipy.signal.correlate2d(mode="valid"), SciPy's direct method

Each method is timed ``repeats`` times (one repeat = the mean of a few calls) and reported
as the median and min–max in milliseconds, all measured in one run, with the ratios of the
medians. The double loop takes seconds, so it gets fewer repeats of one call each. All three
results are checked to agree before any figure is printed. SciPy is only needed here (the optional ``bench``
extra: ``pip install -e .[bench]``); without it its column says so.

``measure()`` returns the figures as a dict for ``bench/run.py``.
"""
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from helpers.conv import correlate2d, correlate2d_loop  # noqa: E402

CASES = [(256, 3), (512, 7)]


def _times_ms(f, repeats, number):
    """``repeats`` timings of f() in ms, each the mean over ``number`` calls; and f()'s last result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            result = f()
        times.append((time.perf_counter() - start) / number * 1e3)
    return times, result


def _summary(times):
    return {"median_ms": statistics.median(times), "min_ms": min(times), "max_ms": max(times),
            "repeats": len(times)}


def measure(repeats=15, loop_repeats=3, seed=0):
    """Time the three methods on each case; check they agree; return the figures.

    Returns:
        {"256x256 / 3x3": {"correlate2d": {...}, "double loop": {...}, "scipy": {...} or None,
                           "loop / correlate2d": x, "scipy / correlate2d": x}, ...}
        where each {...} holds median_ms, min_ms, max_ms and repeats.
    """
    try:
        from scipy.signal import correlate2d as scipy_correlate2d
    except ImportError:
        scipy_correlate2d = None
    rng = np.random.default_rng(seed)
    results = {}
    for size, k in CASES:
        image, kernel = rng.normal(size=(size, size)), rng.normal(size=(k, k))
        times, ours = _times_ms(lambda: correlate2d(image, kernel), repeats, 5)
        row = {"correlate2d": _summary(times)}
        times, theirs = _times_ms(lambda: correlate2d_loop(image, kernel), loop_repeats, 1)
        np.testing.assert_allclose(theirs, ours, rtol=1e-9, atol=1e-9)
        row["double loop"] = _summary(times)
        row["scipy"] = None
        if scipy_correlate2d is not None:
            times, theirs = _times_ms(lambda: scipy_correlate2d(image, kernel, mode="valid"), repeats, 3)
            np.testing.assert_allclose(theirs, ours, rtol=1e-9, atol=1e-9)
            row["scipy"] = _summary(times)
        fast = row["correlate2d"]["median_ms"]
        row["loop / correlate2d"] = row["double loop"]["median_ms"] / fast
        row["scipy / correlate2d"] = row["scipy"]["median_ms"] / fast if row["scipy"] else None
        results[f"{size}x{size} / {k}x{k}"] = row
    return results


def main():
    results = measure()
    print("correlate2d (valid, stride 1, float64): median [min–max] ms over the repeats, one run")
    for case, row in results.items():
        print(f"\n{case}")
        for name in ("correlate2d", "double loop", "scipy"):
            t = row[name]
            if t is None:
                print(f"  {name:<12} not measured (SciPy not installed: pip install -e .[bench])")
            else:
                print(f"  {name:<12} {t['median_ms']:10.2f} ms  [{t['min_ms']:.2f}–{t['max_ms']:.2f}]  "
                      f"({t['repeats']} repeats)")
        print(f"  double loop / correlate2d = {row['loop / correlate2d']:,.0f}×")
        if row["scipy / correlate2d"] is not None:
            print(f"  scipy / correlate2d       = {row['scipy / correlate2d']:.2f}×  (> 1: correlate2d is faster)")


if __name__ == "__main__":
    main()
