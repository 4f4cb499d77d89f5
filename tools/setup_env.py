"""Make the project's virtual environment with the Python that runs this script (`make setup` runs it).

    python3 tools/setup_env.py                 # Linux/macOS (make lab / make test do this first)
    py -3.12 tools\\setup_env.py                # Windows: the py launcher chooses the Python
    python tools/setup_env.py --venv .venv-oldest --constraints pins.txt     # make test-oldest
    python tools/setup_env.py --lab-settings-only    # conda: only the JupyterLab setting, into this environment

1. A Python older than pyproject.toml's ``requires-python`` stops here, at once, with a message
   naming the minimum and how to choose another Python (pip would otherwise search old releases
   for minutes and fail).
2. A virtual environment made by another Python (another version, or another installation) is
   deleted and made again with this one; so is a broken one.
3. ``pip install -e ".[test]"`` (with ``PIP_CONSTRAINT=FILE`` if given), redone only when pyproject.toml, the
   constraints or the Python changed: otherwise this script returns in a fraction of a second.
4. JupyterLab's "Would you like to get notified about official Jupyter news?" popup, which covers
   the first notebook, is switched off in ``<environment>/share/jupyter/lab/settings/overrides.json``:
   inside this environment only, never in the user's home.

Written without f-strings or newer syntax, so that even an old Python reads it and prints step 1's
message instead of a SyntaxError.
"""
from __future__ import print_function

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYPROJECT = os.path.join(ROOT, "pyproject.toml")
STAMP = ".installed"  # in the environment: what was installed, by which Python, from which files
LAB_SETTINGS = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}


def minimum_python(pyproject=PYPROJECT):
    """``(3, 10)`` from pyproject.toml's ``requires-python = ">=3.10"`` (read without a TOML parser)."""
    with open(pyproject, encoding="utf-8") as f:
        match = re.search(r'^requires-python\s*=\s*">=\s*(\d+)\.(\d+)"', f.read(), re.M)
    return int(match.group(1)), int(match.group(2))


def too_old_message(version, executable, minimum, windows=None):
    """What to tell someone whose Python is older than ``minimum``; ``None`` when it is recent enough."""
    if tuple(version[:2]) >= tuple(minimum):
        return None
    windows = os.name == "nt" if windows is None else windows
    need = "%d.%d" % tuple(minimum)
    newer = "%d.%d" % (minimum[0], max(minimum[1], 12))
    lines = ["This project needs Python {0} or newer; {1} is Python {2}.".format(
        need, executable, ".".join(str(v) for v in version[:3])), "Choose a newer Python:"]
    if windows:
        lines += ["    py -{0} tools\\setup_env.py      (`py --list` shows the Pythons you have)".format(newer)]
    else:
        lines += ["    make setup PYTHON=python{0}      (or PYTHON=/path/to/python3.x, any {1} or newer;".format(newer, need),
                  "                                     then `make lab` and `make test` use it)"]
    lines += ["No newer Python yet? https://www.python.org/downloads/ (macOS: or `brew install python@{0}`; "
              "conda: see README)".format(newer)]
    return "\n".join(lines)


def venv_python(venv):
    """The Python executable inside a virtual environment (Windows puts it in Scripts\\)."""
    if os.name == "nt":
        return os.path.join(venv, "Scripts", "python.exe")
    return os.path.join(venv, "bin", "python")


IDENTITY = ("import platform, sys, os; "
            "print(platform.python_implementation() + ' ' + platform.python_version() + ' from ' "
            "+ os.path.realpath(sys.base_prefix))")


def this_python():
    """``"CPython 3.11.7 from /usr"``: which Python this is (version and installation)."""
    return "{0} {1} from {2}".format(platform.python_implementation(), platform.python_version(),
                                     os.path.realpath(sys.base_prefix))


def python_of_executable(executable):
    """Which Python ``executable`` is (as :func:`this_python` says it), or ``None`` if it does not run."""
    try:
        out = subprocess.check_output([executable, "-c", IDENTITY], stderr=subprocess.STDOUT)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.decode("utf-8", "replace").strip()


def python_of(venv):
    """Which Python made ``venv`` (as :func:`this_python` says it), or ``None`` if its Python does not run."""
    if os.path.realpath(sys.prefix) == os.path.realpath(venv):
        return this_python()  # running inside it
    executable = venv_python(venv)
    return python_of_executable(executable) if os.path.exists(executable) else None


def fingerprint(extras, constraints):
    """What an install depends on: this Python, pyproject.toml, the extras and the constraints' text."""
    digest = hashlib.sha256()
    for path in [PYPROJECT] + ([constraints] if constraints else []):
        with open(path, "rb") as f:
            digest.update(f.read())
    return {"python": this_python(), "extras": extras, "files": digest.hexdigest()}


def write_lab_settings(prefix):
    """Merge :data:`LAB_SETTINGS` into ``prefix/share/jupyter/lab/settings/overrides.json``; return its path."""
    folder = os.path.join(prefix, "share", "jupyter", "lab", "settings")
    path = os.path.join(folder, "overrides.json")
    settings = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            settings = json.load(f)
    wanted = json.loads(json.dumps(settings))
    for plugin, values in LAB_SETTINGS.items():
        wanted.setdefault(plugin, {}).update(values)
    if wanted == settings:
        return path
    if not os.path.isdir(folder):
        os.makedirs(folder)
    with open(path + ".new", "w", encoding="utf-8") as f:
        json.dump(wanted, f, indent=2)
        f.write("\n")
    os.replace(path + ".new", path)  # at once: a JupyterLab (or another make) reading it never sees half a file
    return path


def make_venv(venv, extras="test", constraints=None):
    """Steps 2-4 of the module docstring for ``venv``; returns 0, or 1 after saying what failed."""
    relative = os.path.relpath(venv)
    made_by = python_of(venv)
    if os.path.exists(venv) and made_by != this_python():
        if not os.path.exists(os.path.join(venv, "pyvenv.cfg")):
            print("{0} exists and is not a virtual environment: move it away, then try again.".format(relative))
            return 1
        print("Making {0} again: it was made by {1}, and this is {2}.".format(
            relative, made_by or "a Python that no longer runs", this_python()))
        shutil.rmtree(venv)
    if not os.path.exists(venv):
        print("Making {0} with {1} ...".format(relative, this_python()))
        if subprocess.call([sys.executable, "-m", "venv", venv]) != 0:
            shutil.rmtree(venv, ignore_errors=True)
            print("Could not make {0} (Debian/Ubuntu: `apt install python3-venv` first).".format(relative))
            return 1
    stamp = os.path.join(venv, STAMP)
    wanted = fingerprint(extras, constraints)
    done = None
    if os.path.exists(stamp):
        with open(stamp, encoding="utf-8") as f:
            try:
                done = json.load(f)
            except ValueError:  # an older Makefile's empty stamp
                pass
    if done != wanted:
        print("Installing the project and its packages into {0} (first time: about a minute) ...".format(relative))
        command = [venv_python(venv), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                   "-e", ".[{0}]".format(extras) if extras else "."]
        env = dict(os.environ)
        if constraints:  # as PIP_CONSTRAINT, they also hold in the isolated build environment (setuptools)
            env["PIP_CONSTRAINT"] = constraints
        if subprocess.call(command, cwd=ROOT, env=env) != 0:
            print("pip install failed (see above); nothing was marked as installed.")
            return 1
        with open(stamp, "w", encoding="utf-8") as f:
            json.dump(wanted, f)
    write_lab_settings(venv)
    return 0


def main(argv):
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venv", default=os.path.join(ROOT, ".venv"), help="where (default: .venv)")
    parser.add_argument("--constraints", help="a pip constraints file (make test-oldest: the minimum versions)")
    parser.add_argument("--extras", default="test", help="extras to install (default: test)")
    parser.add_argument("--lab-settings-only", action="store_true",
                        help="only switch JupyterLab's news popup off, in the running Python's environment")
    args = parser.parse_args(argv)
    message = too_old_message(sys.version_info, sys.executable, minimum_python())
    if message:
        print(message, file=sys.stderr)
        return 1
    if args.lab_settings_only:
        print("JupyterLab settings for this environment: {0}".format(write_lab_settings(sys.prefix)))
        return 0
    constraints = os.path.abspath(args.constraints) if args.constraints else None
    return make_venv(os.path.abspath(args.venv), args.extras, constraints)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
