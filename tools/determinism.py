"""Are the notebooks deterministic? The check behind ``make determinism``.

    python -m tools.determinism            # all notebooks
    python -m tools.determinism --runs 3 notebooks/01_forward_pass.ipynb

1. Strict nbval on the committed notebooks, ``--runs`` times in a row (default 3): each run
   re-executes every notebook and compares every output with the saved one.
2. The re-execution command (``tools.execute``) on a *copy* of notebooks/ (the committed files are
   never touched), then every saved text output of the copy is compared with the committed one
   after the sanitize file's substitutions (tests/nbval_sanitize.cfg): nothing may differ but what
   that file covers. PNGs are reported (nbval never compares them), not failed.
3. Strict nbval on the re-executed copies.

Exit status 0 only if all three hold.
"""
import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbval.plugin import get_sanitize_patterns

from tools.execute import execute

ROOT = Path(__file__).resolve().parent.parent
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
TEXT_TYPES = ("text/plain", "text/html", "text/latex", "text/markdown")


def nbval(paths):
    """Strict nbval (the project's pytest options) on ``paths``; returns (ok, summary and failed cells)."""
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rf", "-p", "no:randomly", "-c",
                           str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT), *map(str, paths)],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8", errors="replace")
    lines = done.stdout.strip().splitlines()
    failed = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines if line.startswith("FAILED")]
    return done.returncode == 0, "\n    ".join((lines[-1:] or [done.stderr[-300:]]) + failed)


def texts(nb, patterns):
    """Per code cell, its outputs as sanitized text (streams, text MIME types, errors), and its PNGs."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        parts, pngs = [], []
        stream = None  # consecutive stream outputs are one text: how the kernel chunks them varies
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and stream == out.name:
                parts[-1] += out.text
                continue
            stream = out.name if out.output_type == "stream" else None
            if out.output_type == "stream":
                parts.append(f"{out.name}: {out.text}")
            elif out.output_type == "error":
                parts.append(f"error: {out.ename}: {out.evalue}")
            else:
                parts += [f"{kind}: {out.data[kind]}" for kind in TEXT_TYPES if kind in out.get("data", {})]
                pngs += [out.data["image/png"]] if "image/png" in out.get("data", {}) else []
        text = "\n".join(parts)
        for regex, replace in patterns:
            text = re.sub(regex, replace, text)
        cells.append((cell.source, text, pngs))
    return cells


def compare(committed, fresh, patterns):
    """Two saved versions of a notebook: (text differences, numbers of the code cells whose PNGs differ)."""
    a, b = texts(nbformat.read(committed, 4), patterns), texts(nbformat.read(fresh, 4), patterns)
    if [c[0] for c in a] != [c[0] for c in b]:
        return ["the code cells differ"], []
    text_diffs = [f"code cell {i + 1}:\n  committed: {x[1]!r}\n  re-executed: {y[1]!r}"
                  for i, (x, y) in enumerate(zip(a, b)) if x[1] != y[1]]
    png_diffs = [i + 1 for i, (x, y) in enumerate(zip(a, b)) if x[2] != y[2]]
    return text_diffs, png_diffs


def main(argv=None):
    parser = argparse.ArgumentParser(description="strict nbval N times, then after re-execution")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("notebooks", nargs="*")
    args = parser.parse_args(argv)
    paths = [Path(p).resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    patterns = get_sanitize_patterns(SANITIZE.read_text(encoding="utf-8"))  # [(regex, replacement)], as nbval reads it
    ok = True

    for run in range(1, args.runs + 1):
        passed, last = nbval(paths)
        ok &= passed
        print(f"strict nbval, run {run} of {args.runs}: {'ok' if passed else 'FAILED'} ({last})", flush=True)

    with tempfile.TemporaryDirectory(prefix="bp-determinism-") as tmp:
        copy = Path(tmp) / "notebooks"
        shutil.copytree(ROOT / "notebooks", copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        fresh = [copy / p.name for p in paths]
        for committed, path in zip(paths, fresh):
            problems = execute(path)
            if problems:
                ok = False
                print(f"re-execution of {path.name} FAILED:", *problems, sep="\n  ")
                continue
            text_diffs, png_diffs = compare(committed, path, patterns)
            ok &= not text_diffs
            note = (f"; the PNGs of code cells {png_diffs} differ (nbval does not compare PNGs)"
                    if png_diffs else "; PNGs identical")
            print(f"re-executed {path.name}: {len(text_diffs)} text outputs differ after sanitizing{note}")
            for diff in text_diffs:
                print("  " + diff)
        passed, last = nbval(fresh)
        ok &= passed
        print(f"strict nbval on the re-executed copies: {'ok' if passed else 'FAILED'} ({last})")

    print("deterministic" if ok else "NOT deterministic")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
