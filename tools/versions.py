"""What pyproject.toml promises about versions, in the form `make test-oldest` and `.ci/run` use.

    python -m tools.versions constraints      # numpy==1.24, matplotlib==3.8, ...: every lower bound as a pin
    python -m tools.versions python oldest    # path of a Python of the oldest supported version here
    python -m tools.versions python newest    # ... of the newest (exit 3 and say where it looked if none)

* Supported Pythons: from ``requires-python`` (the oldest) to the newest
  ``Programming Language :: Python :: 3.X`` classifier.
* Constraints: every runtime dependency, every package of the ``test`` extra and the build system's
  setuptools (what `make setup` installs) must have a ``>=`` lower bound, and each becomes
  ``name==bound``, its environment marker kept. Plain pip has no "lowest versions" resolution; as a
  constraints file (``PIP_CONSTRAINT``, which also reaches pip's isolated build environment) these
  pins make it install exactly the minimum of every declared package, while the packages they
  pull in resolve as usual. The ``bench`` extra (SciPy, for one benchmark column, never
  installed for learners or tests) is left out. A requirement without a ``>=`` bound is an error:
  a bound nobody tests is a guess.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
TESTED_EXTRAS = ("test",)
REQUIREMENT = re.compile(r"""^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*
                             (?P<specifiers>[^;]*?)\s*(?:;\s*(?P<marker>.*?))?\s*$""", re.X)
CLASSIFIER = re.compile(r"^Programming Language :: Python :: 3\.(\d+)$")


def project(pyproject=PYPROJECT):
    """The ``[project]`` table of pyproject.toml, as a dict."""
    return tomllib.loads(Path(pyproject).read_text(encoding="utf-8"))["project"]


def declared_requirements(pyproject=PYPROJECT):
    """The requirement strings `make setup` installs: ``[project] dependencies``, the test extra and
    the build system (setuptools, which pip installs to build the project)."""
    whole = tomllib.loads(Path(pyproject).read_text(encoding="utf-8"))
    table, build = whole["project"], whole.get("build-system", {}).get("requires", [])
    extras = table.get("optional-dependencies", {})
    return list(table["dependencies"]) + [r for extra in TESTED_EXTRAS for r in extras.get(extra, [])] + build


def lower_bound_pin(requirement):
    """``"numpy>=1.24"`` -> ``"numpy==1.24"``; ``"tomli>=2; python_version < '3.11'"`` keeps its marker.

    Raises ValueError for a requirement with no ``>=`` bound (or more than one).
    """
    match = REQUIREMENT.match(requirement)
    if not match:
        raise ValueError(f"cannot read the requirement {requirement!r}")
    bounds = [s.strip()[2:].strip() for s in match["specifiers"].split(",") if s.strip().startswith(">=")]
    if len(bounds) != 1:
        raise ValueError(f"{requirement!r} needs exactly one lower bound (>=) for `make test-oldest` to test")
    pin = f"{match['name']}=={bounds[0]}"
    return f"{pin}; {match['marker']}" if match["marker"] else pin


def constraints(pyproject=PYPROJECT):
    """The constraints file's text: one ``name==minimum`` line per declared package."""
    return "".join(lower_bound_pin(r) + "\n" for r in declared_requirements(pyproject))


def supported_pythons(pyproject=PYPROJECT):
    """``["3.10", "3.11", ...]``: from requires-python's ``>=3.X`` to the newest 3.X classifier."""
    table = project(pyproject)
    oldest = re.fullmatch(r">=\s*3\.(\d+)", table["requires-python"].strip())
    if not oldest:
        raise ValueError(f"requires-python should read '>=3.X', not {table['requires-python']!r}")
    listed = [int(m[1]) for c in table.get("classifiers", []) if (m := CLASSIFIER.match(c))]
    newest = max(listed, default=int(oldest[1]))
    return [f"3.{minor}" for minor in range(int(oldest[1]), newest + 1)]


def candidates(version):
    """Commands that may start Python ``version`` here: on PATH, the py launcher, pyenv's versions."""
    found = []
    on_path = shutil.which(f"python{version}")
    if on_path:
        found.append([on_path])
    if shutil.which("py"):  # Windows' launcher
        found.append(["py", f"-{version}"])
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.join(os.path.expanduser("~"), ".pyenv")
    for path in sorted(glob.glob(os.path.join(pyenv_root, "versions", f"{version}.*", "bin", f"python{version}")),
                       reverse=True):
        found.append([path])
    return found


def find_python(version):
    """The executable of a working Python ``version`` ("3.13") on this machine, or None."""
    for command in candidates(version):
        try:
            result = subprocess.run(command + ["-c", "import sys; print('%d.%d' % sys.version_info[:2]); "
                                               "print(sys.executable)"],
                                    capture_output=True, encoding="utf-8", timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        lines = result.stdout.split("\n")
        if result.returncode == 0 and lines[0] == version:
            return lines[1]
    return None


def main(argv):
    if argv == ["constraints"]:
        sys.stdout.write(constraints())
        return 0
    if len(argv) == 2 and argv[0] == "python" and argv[1] in ("oldest", "newest"):
        version = supported_pythons()[0 if argv[1] == "oldest" else -1]
        path = find_python(version)
        if path is None:
            print(f"Python {version} ({argv[1]} supported) not found: looked for python{version} on PATH, "
                  f"`py -{version}` (Windows) and pyenv's versions/{version}.*",
                  file=sys.stderr)
            return 3
        print(path)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
