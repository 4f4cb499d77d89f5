"""The project's own promises: packaging in step, math free of UI code, notebooks saved clean."""
import ast
import json
import re

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
UI_LIBRARIES = {"matplotlib", "ipywidgets", "IPython", "PIL"}
UI_MODULES = {"live", "notebook"}  # and every *_ui.py: plots and widgets
MATH_MODULES = sorted(
    p.stem for p in (ROOT / "helpers").glob("*.py")
    if p.stem not in UI_MODULES and not p.stem.endswith("_ui") and p.stem != "__init__"
)


def name_of(requirement):
    return re.split(r"[\s<>=!~;\[]", requirement.strip(), maxsplit=1)[0].lower()


def pyproject_packages():
    """Runtime packages and the test extra. Left out: the optional ``bench`` extra (SciPy, a
    reference for benchmarks only, never installed for learners) and back-ports for old
    Pythons (``python_version`` markers: environment.yml pins a Python that does not need them)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    return {name_of(r) for r in requirements if "python_version" not in r}


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
