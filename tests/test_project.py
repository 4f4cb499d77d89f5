"""The project's own promises: packaging in step, math free of UI code, notebooks saved clean."""
import ast
import importlib.metadata
import json
import re
import shlex
import shutil
import subprocess
import sys

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
UI_LIBRARIES = {"matplotlib", "ipywidgets", "IPython", "PIL"}
UI_MODULES = {"live", "flipbook", "notebook"}  # and every *_ui.py: plots and widgets
MATH_MODULES = sorted(
    p.stem for p in (ROOT / "helpers").glob("*.py")
    if p.stem not in UI_MODULES and not p.stem.endswith("_ui") and p.stem != "__init__"
)


def name_of(requirement):
    return re.split(r"[\s<>=!~;\[]", requirement.strip(), maxsplit=1)[0].lower()


def environment_python():
    """The Python that environment.yml pins (``- python=3.11`` gives ``"3.11"``)."""
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    return re.search(r"^\s*- python=([0-9.]+)", text, re.M)[1]


def holds_on(requirement, python):
    """Whether ``requirement`` holds on Python ``python`` ("3.10"): one without a ``python_version``
    marker always does; a back-port for older Pythons (``tomli; python_version < '3.11'``) only there."""
    return ";" not in requirement or Marker(requirement.split(";", 1)[1]).evaluate({"python_version": python})


def applies_in_environment_yml(requirement):
    """Whether ``requirement`` holds on environment.yml's Python."""
    return holds_on(requirement, environment_python())


def lower_bound(requirement):
    """``"numpy>=1.24,<3"`` -> ``"1.24"``."""
    return re.search(r">=\s*([^,;\s]+)", requirement)[1]


def pyproject_packages():
    """Runtime packages and the test extra that hold on environment.yml's Python. Left out: the
    optional ``bench`` extra (SciPy, a reference for benchmarks only, never installed for learners)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    return {name_of(r) for r in requirements if applies_in_environment_yml(r)}


def environment_packages():
    """Package names in environment.yml (conda section and pip section), without a YAML parser."""
    conda, pip = set(), set()
    section = None
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].rstrip()
        if not text.strip():
            continue
        if not text.startswith(" "):
            section = text.rstrip(":")
            continue
        item = text.strip()
        if section != "dependencies" or not item.startswith("- "):
            continue
        item = item[2:].strip()
        if item == "pip:":
            continue
        if line.startswith("      ") or line.startswith("\t\t"):
            pip.add(item)
        else:
            conda.add(name_of(item))
    return conda, pip


def test_environment_yml_lists_the_same_packages_as_pyproject():
    conda, pip = environment_packages()
    conda -= {"python", "pip"}
    assert conda == pyproject_packages()


def test_environment_yml_installs_the_project_itself_and_comments_each_package():
    _, pip = environment_packages()
    assert "-e ." in pip or "." in pip
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        item = line.strip()
        if item.startswith("- ") and not item.startswith(("- pip:", "- python", "- conda-forge")):
            assert "#" in line, f"environment.yml: say which notebook or test needs {item!r}"


@pytest.mark.parametrize("module", MATH_MODULES)
def test_math_modules_import_no_ui_code(module):
    path = ROOT / "helpers" / f"{module}.py"
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert not node.module.endswith("_ui"), f"{module}.py imports the UI module {node.module}"
    assert not imported & UI_LIBRARIES, f"helpers/{module}.py imports {imported & UI_LIBRARIES}"


def test_every_helper_function_has_a_docstring():
    missing = []
    for path in (ROOT / "helpers").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                if not ast.get_docstring(node):
                    missing.append(f"{path.name}:{node.name}")
    assert not missing


def test_there_are_notebooks():
    assert [p.name[:3] for p in NOTEBOOKS][:1] == ["01_"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_saved_executed_top_to_bottom(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    counts = [c.get("execution_count") for c in code]
    assert counts == list(range(1, len(code) + 1)), "restart the kernel, run all, save (python -m tools.execute)"
    assert not [o for c in code for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert any(c.get("outputs") for c in code), "saved without outputs: nbval would compare nothing"
    assert "widgets" not in nb.get("metadata", {}), "widget state saved: re-execute with tools.execute"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_summary_and_exercises_with_self_checks(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert re.search(r"^#+ .*Summary", markdown, re.M), "each notebook ends with a summary"
    exercises = [c for c in nb["cells"] if "exercise" in c.get("metadata", {}).get("tags", [])]
    checks = [c for c in nb["cells"] if "self-check" in c.get("metadata", {}).get("tags", [])]
    assert len(exercises) >= 2 and len(checks) >= 2, "two or three exercises, each with a self-check cell"
    assert re.search(r"bug hunt", markdown, re.I), "at least one exercise is a bug hunt"


# --- Versions, set-up and Windows (issue 13) -------------------------------------------------------

from tools import setup_env, versions  # noqa: E402


def declared_bounds(requirements=None):
    """``{"numpy": "1.24", ...}``: the ``>=`` bound of each package in ``requirements`` (default: all
    that pyproject declares: runtime, test extra, build system)."""
    found = {}
    for requirement in requirements or versions.declared_requirements():
        if "python_version" not in requirement:
            found[name_of(requirement)] = lower_bound(requirement)
    return found


def test_constraints_pin_exactly_the_declared_lower_bounds():
    pins = versions.constraints().splitlines()
    assert len(pins) == len(versions.declared_requirements())
    pinned = {name_of(p): p.split("==")[1].split(";")[0].strip() for p in pins if "python_version" not in p}
    assert pinned == declared_bounds()
    assert {"numpy", "matplotlib", "pytest", "setuptools"} <= set(pinned)  # runtime, test extra, build


@pytest.mark.parametrize("requirement, pin", [
    ("numpy>=1.24", "numpy==1.24"),
    ("ipywidgets >= 8.0", "ipywidgets==8.0"),
    ("numpy>=1.24,<3", "numpy==1.24"),
    ("pkg[extra]>=2.1", "pkg==2.1"),
    ("tomli>=2; python_version < '3.11'", "tomli==2; python_version < '3.11'"),
])
def test_a_lower_bound_becomes_a_pin(requirement, pin):
    assert versions.lower_bound_pin(requirement) == pin


@pytest.mark.parametrize("requirement", ["numpy", "numpy==1.24", "numpy<3", "numpy~=1.24", "numpy>=1,>=2"])
def test_a_requirement_without_one_lower_bound_is_refused(requirement):
    with pytest.raises(ValueError, match="lower bound"):
        versions.lower_bound_pin(requirement)


def environment_bounds():
    """``{"numpy": "1.24", ...}`` from environment.yml's conda section."""
    found = {}
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^  - ([A-Za-z0-9_.-]+)\s*>=\s*([^\s#]+)", line)
        if match:
            found[match[1].lower()] = match[2]
    return found


def test_environment_yml_has_the_same_lower_bounds_as_pyproject():
    project = versions.project()
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    assert environment_bounds() == {name_of(r): lower_bound(r) for r in requirements if applies_in_environment_yml(r)}


@pytest.mark.parametrize("python, bound", [("3.10", "6.29"), ("3.11", "7.4"), ("3.13", "7.4")])
def test_the_declared_kernel_is_never_one_that_leaves_messages_unread(python, bound):
    """ipykernel 7.0-7.3 can strand a message from the page until another arrives (the slider
    waits): pyproject allows none of them on any Python, and says which bound holds where."""
    declared = [r for r in versions.declared_requirements() if name_of(r) == "ipykernel"]
    holding = [r for r in declared if holds_on(r, python)]
    assert len(holding) == 1, f"Python {python}: {len(holding)} ipykernel requirements hold"
    allowed = SpecifierSet(holding[0].split(";")[0][len("ipykernel"):])
    assert lower_bound(holding[0]) == bound and bound in allowed
    assert not [v for v in ["7.0.0", "7.0.1", "7.1.0", "7.2.0", "7.3.0", "7.3.9"] if v in allowed]


def test_the_installed_kernel_is_not_one_that_leaves_messages_unread():
    """The environment running these tests has a kernel without that bug (see pyproject.toml)."""
    installed = Version(importlib.metadata.version("ipykernel"))
    assert not Version("7.0.0") <= installed < Version("7.4.0"), f"ipykernel {installed}"


def test_supported_pythons_run_from_requires_python_to_the_newest_classifier():
    supported = versions.supported_pythons()
    assert supported[0] == "%d.%d" % setup_env.minimum_python()
    assert len(supported) >= 2, "list the newest supported Python as a classifier: .ci/run tests it"
    classifiers = set(versions.project()["classifiers"])
    assert {f"Programming Language :: Python :: {v}" for v in supported} <= classifiers


@pytest.mark.parametrize("windows", [False, True])
def test_a_too_old_python_is_told_the_minimum_and_how_to_choose_another(windows):
    message = setup_env.too_old_message((3, 9, 18), "python3", (3, 10), windows=windows)
    assert "3.10 or newer" in message and "3.9.18" in message
    assert ("py -3.12 tools\\setup_env.py" if windows else "make setup PYTHON=python3.12") in message
    assert setup_env.too_old_message((3, 10, 0), "python3", (3, 10)) is None
    assert setup_env.too_old_message((3, 13, 0), "python3", (3, 10)) is None
    assert setup_env.too_old_message((2, 7, 18), "python3", (3, 10)) is not None


def test_setup_script_is_readable_by_old_pythons():
    """No f-strings and no newer syntax: a Python 3.6-3.9 must reach the message, not a SyntaxError."""
    tree = ast.parse((ROOT / "tools" / "setup_env.py").read_text(encoding="utf-8"), feature_version=(3, 7))
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)], "f-strings need Python 3.6"
    assert not [n for n in ast.walk(tree) if isinstance(n, (ast.NamedExpr, ast.Match))]


def an_old_python():
    for version in ["3.9", "3.8", "3.7", "3.6"]:
        found = versions.find_python(version)
        if found:
            return found
    return None


def test_a_real_old_python_gets_the_message_within_seconds(tmp_path):
    import subprocess
    import time
    old = an_old_python()
    if old is None:
        pytest.skip("no Python older than 3.10 on this machine to try setup with")
    start = time.perf_counter()
    done = subprocess.run([old, str(ROOT / "tools" / "setup_env.py"), "--venv", str(tmp_path / "venv")],
                          capture_output=True, encoding="utf-8", timeout=60)
    assert time.perf_counter() - start < 10
    assert done.returncode == 1
    assert "needs Python 3.10 or newer" in done.stderr and "PYTHON=" in done.stderr
    assert not (tmp_path / "venv").exists()


def without_pip(monkeypatch):
    """Let setup_env make venvs for real (without pip, in a second) but skip ``pip install`` (the
    network); returns the list of commands it ran."""
    import subprocess
    real_call, calls = subprocess.call, []

    def call(command, **kwargs):
        calls.append(command)
        if command[1:3] == ["-m", "venv"]:
            return real_call([command[0], "-m", "venv", "--without-pip", command[3]])
        return 0

    monkeypatch.setattr(setup_env.subprocess, "call", call)
    return calls


def test_a_venv_whose_python_no_longer_runs_is_made_again(tmp_path, monkeypatch):
    """The same rule as for a venv made by another Python: it is deleted and made with this one."""
    import venv as venv_module
    venv = tmp_path / "venv"
    venv_module.create(venv, with_pip=False)
    assert setup_env.python_of(str(venv)) == setup_env.this_python()
    Path(setup_env.venv_python(str(venv))).unlink()  # as when the Python it was made with is uninstalled
    assert setup_env.python_of(str(venv)) is None
    calls = without_pip(monkeypatch)
    assert setup_env.make_venv(str(venv)) == 0
    assert setup_env.python_of(str(venv)) == setup_env.this_python()
    assert [c[1:3] for c in calls] == [["-m", "venv"], ["-m", "pip"]]
    calls.clear()
    assert setup_env.make_venv(str(venv)) == 0  # installed and stamped: nothing to do
    assert calls == []


def test_a_venv_made_by_another_python_is_made_again(tmp_path, monkeypatch):
    import subprocess
    other = next((p for p in map(versions.find_python, versions.supported_pythons())
                  if p and setup_env.python_of_executable(p) != setup_env.this_python()), None)
    if other is None:
        pytest.skip("only one supported Python on this machine")
    venv = tmp_path / "venv"
    subprocess.run([other, "-m", "venv", "--without-pip", str(venv)], check=True)
    assert setup_env.python_of(str(venv)) not in (None, setup_env.this_python())
    calls = without_pip(monkeypatch)
    assert setup_env.make_venv(str(venv)) == 0
    assert setup_env.python_of(str(venv)) == setup_env.this_python()
    assert [c[1:3] for c in calls] == [["-m", "venv"], ["-m", "pip"]]


def test_jupyterlab_reads_the_news_setting_that_setup_writes(tmp_path):
    """The file lands where JupyterLab looks in an environment, and JupyterLab then defaults to no news."""
    import os
    import sys
    from jupyterlab.commands import get_app_dir
    from jupyterlab_server.settings_utils import _get_overrides, get_settings
    written = Path(setup_env.write_lab_settings(str(tmp_path)))
    if "JUPYTERLAB_DIR" not in os.environ:
        assert (Path(get_app_dir()) / "settings" / "overrides.json") == Path(sys.prefix) / written.relative_to(tmp_path)
    overrides, error = _get_overrides(str(written.parent))
    assert not error
    user = tmp_path / "user-settings"
    user.mkdir()
    plugin = "@jupyterlab/apputils-extension:notification"
    found, _ = get_settings(str(written.parent), str(Path(get_app_dir()) / "schemas"), str(user),
                            schema_name=plugin, overrides=overrides)
    assert found["schema"]["properties"]["fetchNews"]["default"] == "false"
    assert found["schema"]["properties"]["checkForUpdates"]["default"] is False


def test_the_news_setting_keeps_other_overrides(tmp_path):
    folder = tmp_path / "share" / "jupyter" / "lab" / "settings"
    folder.mkdir(parents=True)
    (folder / "overrides.json").write_text(json.dumps({
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        "@jupyterlab/apputils-extension:notification": {"fetchNews": "true", "doNotDisturbMode": True}}),
        encoding="utf-8")
    setup_env.write_lab_settings(str(tmp_path))
    setup_env.write_lab_settings(str(tmp_path))  # twice: the same file
    assert json.loads((folder / "overrides.json").read_text(encoding="utf-8")) == {
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False,
                                                        "doNotDisturbMode": True}}


# A text file opened without an encoding is read as cp1252 on Windows: every notebook fails there.
NOT_FILE_OPENERS = {"KernelWebsocketHandler", "os", "webbrowser", "Image", "tarfile", "zipfile", "request", "urllib"}
SUBPROCESS_CALLS = {"run", "Popen", "check_output", "check_call", "call"}


def _mode(call, position):
    for keyword in call.keywords:
        if keyword.arg == "mode":
            return keyword.value.value if isinstance(keyword.value, ast.Constant) else None
    if len(call.args) > position:
        return call.args[position].value if isinstance(call.args[position], ast.Constant) else None
    return "r"


def text_opens_without_encoding(source):
    """Line numbers of ``open``/``Path.open``/``read_text``/``write_text`` in text mode and of
    ``subprocess`` calls with ``text=True``, each without ``encoding=`` (Windows would use cp1252)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or "encoding" in {k.arg for k in node.keywords}:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else None
        if name == "open" and owner not in NOT_FILE_OPENERS:
            mode = _mode(node, 1 if owner in (None, "io", "builtins") else 0)  # open(path, mode) / path.open(mode)
            if mode is None or "b" not in mode:
                found.append(node.lineno)
        elif name in ("read_text", "write_text"):
            found.append(node.lineno)
        elif name in SUBPROCESS_CALLS and {k.arg for k in node.keywords} & {"text", "universal_newlines"}:
            found.append(node.lineno)
    return found


def code_of_notebook(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    lines = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code").splitlines()
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines)  # IPython magics


PYTHON_FILES = sorted(p for folder in ["helpers", "tools", "tests", "bench"] for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", PYTHON_FILES + NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_text_file_is_opened_as_utf8(path):
    source = code_of_notebook(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
    assert text_opens_without_encoding(source) == [], f"{path.name}: add encoding=\"utf-8\" on these lines"


@pytest.mark.parametrize("source", [
    "open(p)", "open(p, 'w')", "open(p, mode='a')", "io.open(p, 'rt')", "p.open()", "p.open('w')",
    "p.read_text()", "p.write_text(s)", "p.read_text(errors='replace')", "json.load(open(p))",
    "subprocess.run(cmd, capture_output=True, text=True)", "subprocess.Popen(cmd, universal_newlines=True)",
])
def test_the_encoding_scan_finds_a_text_open_without_encoding(source):
    assert text_opens_without_encoding(source) == [1]


@pytest.mark.parametrize("source", [
    "open(p, encoding='utf-8')", "open(p, 'w', encoding='utf-8')", "open(p, 'rb')", "open(p, mode='wb')",
    "p.open('rb')", "p.read_text(encoding='utf-8')", "p.read_bytes()", "os.open(p, os.O_RDONLY)",
    "Image.open(io.BytesIO(png))", "webbrowser.open(url)", "subprocess.run(cmd, capture_output=True)",
    "subprocess.run(cmd, text=True, encoding='utf-8')",
])
def test_the_encoding_scan_accepts_binary_and_explicit_utf8(source):
    assert text_opens_without_encoding(source) == []


def test_binder_postbuild_turns_on_nodelay_where_the_server_reads_it(tmp_path):
    """repo2docker installs the project editable (environment.yml), which skips its data files:
    postBuild copies the server setting that pyproject's data-files would have installed."""
    import os
    import shutil
    import stat
    import subprocess

    postbuild = ROOT / "postBuild"
    assert postbuild.stat().st_mode & stat.S_IXUSR, "repo2docker runs postBuild only if it is executable"
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash here (Windows without Git Bash): postBuild only runs on Binder's Linux")
    env = {**os.environ, "NB_PYTHON_PREFIX": str(tmp_path)}
    subprocess.run([bash, str(postbuild)], cwd=tmp_path, env=env, check=True, capture_output=True)
    placed = tmp_path / "etc/jupyter/jupyter_server_config.d/backprop_nodelay.json"
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["data-files"]
    source, = declared["etc/jupyter/jupyter_server_config.d"]
    assert placed.read_text(encoding="utf-8") == (ROOT / source).read_text(encoding="utf-8")
    assert json.loads(placed.read_text(encoding="utf-8")) == {"ServerApp": {"jpserver_extensions": {"helpers.nodelay": True}}}


def test_make_test_starts_its_parallel_workers_with_the_encoding_warning_on(tmp_path):
    """``make test`` runs the non-browser tests in pytest-xdist workers, which Python starts afresh:
    each must warn about a text file opened without an encoding, as pytest itself does
    (``-X warn_default_encoding``), or pyproject.toml's ``error::EncodingWarning`` filter checks
    nothing there. Runs the worker spec the Makefile gives (with this Python) on a two-test file."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("no make here: the Makefile is not used on this machine")
    dry_run = subprocess.run([make, "-n", "test"], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=True).stdout
    lines = [line for line in dry_run.splitlines() if '"not browser"' in line and not line.startswith("echo")]
    assert len(lines) == 1, f"make -n test: expected one non-browser pytest run, got {lines}"
    words = shlex.split(lines[0].split("||")[0])
    tx = words[words.index("--tx") + 1]
    assert words[words.index("--dist") + 1] == "loadfile"
    spec = re.fullmatch(r"(\d+)\*popen//python=(\S+)(.*)", tx)
    assert spec, f"make test's workers: {tx!r} is not N*popen//python=PYTHON [SWITCHES]"
    count, switches = spec.group(1, 3)
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "test_worker.py").write_text(
        "import os, sys, pytest\n"
        "def test_in_a_worker_with_the_switch():\n"
        "    assert os.environ.get('PYTEST_XDIST_WORKER')\n"
        "    assert sys.flags.warn_default_encoding == 1\n"
        "def test_opening_without_an_encoding_warns(tmp_path):\n"
        "    (tmp_path / 'x.txt').write_bytes(b'x')\n"
        "    with pytest.warns(EncodingWarning):\n"
        "        open(tmp_path / 'x.txt').close()\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path),
                          "--dist", "loadfile", "--tx", f"{count}*popen//python={sys.executable}{switches}"],
                         cwd=tmp_path, capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 0 and "2 passed" in run.stdout, run.stdout + run.stderr
