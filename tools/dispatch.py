"""Which of numpy's run-time SIMD paths this CPU uses, so a test run can switch them off.

    python -m tools.dispatch            # prints e.g. "X86_V3 X86_V4 AVX512_ICL" (for NPY_DISABLE_CPU_FEATURES)
    python -m tools.dispatch --check    # exit 1 unless every dispatched feature is off in this process

numpy is compiled for a baseline (``__cpu_baseline__``) and carries extra code paths for newer
CPUs (``__cpu_dispatch__``), chosen when numpy is imported. Element-wise results may differ in the
last bit between those paths (AVX-512 vs AVX2 vs baseline). ``make test-baseline`` and ``.ci/run``
set ``NPY_DISABLE_CPU_FEATURES`` to the dispatched features this CPU has (read here, at run time,
so it works on any machine: disabling a feature the CPU lacks or a baseline one is an error in
numpy) and ``OPENBLAS_CORETYPE=Prescott``, and run the tests again as an older CPU would.
"""
import os
import sys

ENV = "NPY_DISABLE_CPU_FEATURES"


def _multiarray_umath():
    try:
        from numpy._core import _multiarray_umath  # numpy 2
    except ImportError:  # numpy 1
        from numpy.core import _multiarray_umath
    return _multiarray_umath


def dispatched_features():
    """The features numpy dispatches to at run time that this CPU has (in numpy's order), as a list."""
    module = _multiarray_umath()
    has = module.__cpu_features__
    return [name for name in module.__cpu_dispatch__ if has.get(name)]


def still_enabled(names):
    """Of ``names``, those numpy still uses in this process (empty once the environment variable took effect)."""
    has = _multiarray_umath().__cpu_features__
    return [name for name in names if has.get(name)]


def main(argv):
    if argv == ["--check"]:
        wanted = os.environ.get(ENV, "").replace(",", " ").split()
        left = still_enabled(wanted) + [name for name in dispatched_features() if name not in wanted]
        if left:
            print(f"{ENV}={' '.join(wanted)!r}: numpy still dispatches to {' '.join(left)}", file=sys.stderr)
            return 1
        print(f"numpy dispatch lowered to its baseline: {' '.join(wanted) or 'nothing above the baseline'} off")
        return 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    print(" ".join(dispatched_features()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
