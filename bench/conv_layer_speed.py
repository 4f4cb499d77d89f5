"""How fast is ``helpers.conv_layer``'s convolutional layer? Forward + backward of one batch, on one thread.

    .venv/bin/python bench/conv_layer_speed.py            # helpers.conv_layer only
    /path/to/a/venv/with/torch/bin/python bench/conv_layer_speed.py   # adds PyTorch's columns

The case (issue 11): X of 64×8×16×16 (N×C×H×W) through 16 filters of 8×3×3, padding 1, stride 1,
then dZ of 64×16×16×16 back: ``conv_forward`` then ``conv_backward`` (dX, dK, db), float64.

One thread: OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS are set to 1 before numpy
loads (and ``torch.set_num_threads(1)``), so the figures do not depend on how many cores are idle.

If PyTorch imports in the interpreter that runs this file (it is never a dependency of the
project: use a throwaway virtual environment, with this repository on the path), the same layer
is timed with ``torch.nn.functional.conv2d`` + ``backward`` in float64 (the same arithmetic) and
float32 (what PyTorch is usually run in), interleaved with ours repeat by repeat so that both see
the same load on a shared machine; Z, dX, dK and db are first checked to agree with ours.
Figures are medians with min–max over the repeats, in milliseconds.

``measure()`` returns the figures as a dict; ``python bench/conv_layer_speed.py --json`` prints it
as JSON (``bench/run.py`` runs it that way, in a fresh process so that the thread settings hold).
"""
import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from helpers.conv_layer import conv_backward, conv_forward  # noqa: E402

CASE = {"N": 64, "C": 8, "H": 16, "W": 16, "F": 16, "k": 3, "padding": 1}


def _summary(times_s):
    ms = [t * 1e3 for t in times_s]
    return {"median_ms": statistics.median(ms), "min_ms": min(ms), "max_ms": max(ms), "repeats": len(ms)}


def _torch_layer(torch, X, K, b, dZ, dtype):
    """A function running PyTorch's forward + backward of the case; and its (Z, dX, dK, db) as numpy."""
    Xt = torch.tensor(X, dtype=dtype, requires_grad=True)
    Kt = torch.tensor(K, dtype=dtype, requires_grad=True)
    bt = torch.tensor(b, dtype=dtype, requires_grad=True)
    dZt = torch.tensor(dZ, dtype=dtype)

    def run():
        Xt.grad = Kt.grad = bt.grad = None
        Z = torch.nn.functional.conv2d(Xt, Kt, bt, stride=1, padding=CASE["padding"])
        Z.backward(dZt)
        return Z

    Z = run()
    return run, [a.detach().double().numpy() for a in (Z, Xt.grad, Kt.grad, bt.grad)]


def measure(repeats=30, seed=0):
    """Time the case; return {"ours": {"forward": {...}, "backward": {...}, "forward+backward": {...}},
    "torch float64": {"forward+backward": {...}} or None, "torch float32": ..., "torch": version or None,
    "max |Z − Z_torch|": float or None}; each {...} holds median_ms, min_ms, max_ms and repeats."""
    c = CASE
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(c["N"], c["C"], c["H"], c["W"]))
    K = rng.normal(size=(c["F"], c["C"], c["k"], c["k"])) / np.sqrt(c["C"] * c["k"] ** 2)
    b = rng.normal(size=c["F"])
    dZ = rng.normal(size=(c["N"], c["F"], c["H"], c["W"]))
    p = c["padding"]
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        torch = None

    ours = conv_forward(X, K, b, p), *conv_backward(dZ, X, K, p)
    contenders = {}
    result = {"torch": None, "max |Z − Z_torch|": None}
    if torch is not None:
        result["torch"] = torch.__version__
        for name, dtype, tol in (("torch float64", torch.float64, 1e-10), ("torch float32", torch.float32, 1e-3)):
            run, theirs = _torch_layer(torch, X, K, b, dZ, dtype)
            for what, a, t in zip(("Z", "dX", "dK", "db"), ours, theirs):
                np.testing.assert_allclose(a, t, rtol=tol, atol=tol * np.max(np.abs(a)), err_msg=f"{name} {what}")
            if dtype == torch.float64:
                result["max |Z − Z_torch|"] = float(np.max(np.abs(ours[0] - theirs[0])))
            contenders[name] = run

    times = {"forward": [], "backward": [], "forward+backward": []}
    other = {name: [] for name in contenders}
    for _ in range(repeats):
        start = time.perf_counter()
        conv_forward(X, K, b, p)
        middle = time.perf_counter()
        conv_backward(dZ, X, K, p)
        end = time.perf_counter()
        times["forward"].append(middle - start)
        times["backward"].append(end - middle)
        times["forward+backward"].append(end - start)
        for name, run in contenders.items():
            start = time.perf_counter()
            run()
            other[name].append(time.perf_counter() - start)
    result["ours"] = {what: _summary(t) for what, t in times.items()}
    for name in ("torch float64", "torch float32"):
        result[name] = {"forward+backward": _summary(other[name])} if name in other else None
    return result


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    result = measure()
    if "--json" in argv:
        print(json.dumps(result))
        return
    c = CASE
    print(f"conv layer, X {c['N']}×{c['C']}×{c['H']}×{c['W']}, K {c['F']}×{c['C']}×{c['k']}×{c['k']}, padding "
          f"{c['padding']}, float64, one thread: median [min–max] ms over {result['ours']['forward']['repeats']} repeats")
    for what, t in result["ours"].items():
        print(f"  helpers.conv_layer {what:<17} {t['median_ms']:7.2f} ms  [{t['min_ms']:.2f}–{t['max_ms']:.2f}]")
    if result["torch"] is None:
        print("  PyTorch: not installed here (never a dependency; see this file's docstring for the torch columns)")
        return
    print(f"  PyTorch {result['torch']}: Z agrees with ours to {result['max |Z − Z_torch|']:.1e} (float64)")
    ours = result["ours"]["forward+backward"]["median_ms"]
    for name in ("torch float64", "torch float32"):
        t = result[name]["forward+backward"]
        print(f"  {name} forward+backward {t['median_ms']:7.2f} ms  [{t['min_ms']:.2f}–{t['max_ms']:.2f}]  "
              f"ours / {name} = {ours / t['median_ms']:.2f}×")


if __name__ == "__main__":
    main()
