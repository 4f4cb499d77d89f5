"""Offline handouts: every notebook as one HTML page that reads well with no network and no kernel.

    .venv/bin/python -m tools.handouts                 # = make handouts: notebooks/*.ipynb -> handouts/
    .venv/bin/python -m tools.handouts --out DIR notebooks/01_forward_pass.ipynb

Each page holds the notebook's text, code and saved outputs, figures included (PNG inside the
HTML). A widget cannot run without a kernel, so each one is shown as the picture (or HTML table)
of itself that it saved at its default values (``helpers.live.Explorer``): the widget's own
JavaScript, which ``nbconvert`` would fetch from a CDN, is left out.

Formulas are typeset in the browser by MathJax 2.7 from the ``jupyter-server-mathjax`` package
(Jupyter's own MathJax, the one the classic notebook server shipped; a test dependency), copied
once beside the pages as ``handouts/mathjax/``: no CDN, no network. It draws with the STIX-Web
fonts that come with it. Copy the whole ``handouts/`` folder
(about 9 MB, most of it MathJax) to a USB stick or a course page.
"""
import argparse
import copy
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MATHJAX_PARTS = ["MathJax.js", "config", "extensions", "jax", "fonts", "LICENSE"]  # not the 2 MB of translations
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
# The package ships MathJax's HTML-CSS output with the STIX-Web fonts only (as the classic
# notebook configured it): say so, or MathJax looks for its TeX fonts, which are not there
FONTS = """<script type="text/x-mathjax-config">
MathJax.Hub.Config({messageStyle: "none",
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null}});
</script>
"""


def mathjax_source():
    """The folder of MathJax's files shipped by the ``jupyter-server-mathjax`` package."""
    try:
        import jupyter_server_mathjax
    except ImportError:
        sys.exit("make handouts needs jupyter-server-mathjax (pip install -e '.[test]')")
    return Path(jupyter_server_mathjax.__file__).parent / "static"


def without_live_widgets(nb):
    """A copy of ``nb`` whose widget outputs keep only their saved picture / HTML / text.

    The widget-view part needs the widgets' JavaScript (a CDN) and a kernel; the rest of the
    same output is what a reader without either should see.
    """
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                output.get("metadata", {}).pop(WIDGET_VIEW, None)
    return nb


def export(path, out):
    """Write notebook ``path`` as ``out/<name>.html`` (MathJax expected at ``out/mathjax``); returns the file."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = without_live_widgets(nbformat.read(path, as_version=4))
    exporter = HTMLExporter(template_name="lab", mathjax_url=MATHJAX_URL)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
    # require.js (from a CDN) serves only the widgets' JavaScript, left out here
    body = re.sub(r'<script src="https?://[^"]*require[^"]*"></script>', "", body)
    body = body.replace("<!-- Load mathjax -->", FONTS + "<!-- Load mathjax -->", 1)
    remote = re.findall(r'<(?:script|link|img)[^>]*(?:src|href)="(https?://[^"]*)"', body)
    if remote or MATHJAX_URL not in body:
        raise RuntimeError(f"{path.name}: the page would load {remote or 'no local MathJax'}")
    target = out / f"{path.stem}.html"
    target.write_text(body, encoding="utf-8")
    return target


def copy_mathjax(out):
    """Copy MathJax beside the pages (once; again only if the package's copy is newer)."""
    source, target = mathjax_source(), out / "mathjax"
    stamp = target / "MathJax.js"
    if stamp.exists() and stamp.stat().st_mtime >= (source / "MathJax.js").stat().st_mtime:
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for part in MATHJAX_PARTS:
        item = source / part
        if item.is_dir():
            shutil.copytree(item, target / part)
        elif item.exists():
            shutil.copy2(item, target / part)
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "handouts", help="folder of the pages (handouts/)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    args.out.mkdir(parents=True, exist_ok=True)
    copy_mathjax(args.out)
    for path in paths:
        target = export(path, args.out)
        print(f"{target.relative_to(args.out.parent) if args.out.is_relative_to(ROOT) else target} "
              f"({target.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
