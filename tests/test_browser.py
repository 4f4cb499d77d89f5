"""The series as a learner meets it: real JupyterLab in a real Chromium, and as a reader without a kernel.

Browser tests (marked ``browser``): one ``jupyter lab`` for the module (tools/browser.py's
``LabServer``: 127.0.0.1, free port, random token, temporary Jupyter directories, a copy of
notebooks/), one page per notebook. Each notebook is opened, run with "Run All Cells", and must
show no error and render every widget. Then each explorer's first slider gets one key press on
its handle, and its readout and picture must become what the helpers compute: the same
notebook is replayed in process (``tools.browser.replay``), the same slider moved by one step.

Without Chromium these tests are skipped with the reason (tests/conftest.py), unless
``REQUIRE_BROWSER_TESTS=1``. Screenshots go to a temporary folder printed in the output, or
to ``$BROWSER_SCREENSHOTS`` (``make screenshots`` points it at docs/screenshots).

Two tests here need no browser: saved notebooks show a picture for every widget (a reader on a
code host sees the figures), and the no-network guard really refuses the network.
"""
import base64
import io
import json
import os
from pathlib import Path

import nbformat
import numpy as np
import pytest
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from PIL import Image

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # tests/conftest.py skips the browser tests and says why
    expect = sync_playwright = None

from tools.browser import (SCREENSHOTS_ENV, LabServer, launch_chromium, open_and_run_all, read_replay,
                           replay_in_subprocess)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def widget_outputs(nb):
    """Every saved output that displays a widget, as (cell index, output)."""
    return [(i, out) for i, cell in enumerate(nb["cells"]) if cell["cell_type"] == "code"
            for out in cell.get("outputs", []) if WIDGET_MIME in out.get("data", {})]


# ---------------------------------------------------------------- without a browser

@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_saved_widget_shows_a_picture_without_a_kernel(path):
    """nbviewer and code hosts cannot run widgets: each widget output must carry a picture and a plain sentence.

    The picture is the figure's PNG (``Explorer._repr_mimebundle_``); a widget without a figure
    may carry an HTML rendering of its current state instead.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = widget_outputs(nb)
    assert found, f"{path.name} displays no widget"
    for index, out in found:
        data = out["data"]
        text = "".join(data.get("text/plain", ""))
        assert "run the notebook" in text and "object at 0x" not in text, f"cell {index}: {text!r}"
        if "text/html" in data and "image/png" not in data:  # a widget without a figure may show HTML
            assert len("".join(data["text/html"])) > 200, f"cell {index}: an empty HTML fallback"
            continue
        assert "image/png" in data, (
            f"cell {index}: {text!r} is saved without a picture: a reader without a kernel sees only "
            "that sentence. Give it a figure (Explorer.figure) or an HTML fallback (text/html).")
        picture = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
        assert picture.width >= 200 and picture.height >= 100, f"cell {index}: PNG is {picture.size}"
        colours = np.asarray(picture.convert("L"))
        assert colours.std() > 1, f"cell {index}: the PNG fallback is blank"


def test_the_no_network_guard_refuses_connections_off_this_machine(no_network):
    """The guard ``test_exercises`` runs every notebook under: a kernel may talk to 127.0.0.1 only."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(
            "import socket\n"
            "server = socket.create_server(('127.0.0.1', 0))\n"
            "socket.create_connection(server.getsockname(), timeout=2).close()\n"
            "print('loopback ok')"),
        nbformat.v4.new_code_cell("socket.create_connection(('192.0.2.1', 80), timeout=2)"),
    ])
    client = NotebookClient(nb, timeout=60, kernel_name=NATIVE_KERNEL_NAME)
    with pytest.raises(CellExecutionError, match="no network at run time"):
        client.execute()
    assert "loopback ok" in nb.cells[0].outputs[0]["text"]
    assert "192.0.2.1" in no_network.read_text(encoding="utf-8")


# ---------------------------------------------------------------- in JupyterLab, in Chromium

@pytest.fixture(scope="module")
def lab():
    with LabServer() as server:
        yield server


@pytest.fixture(scope="module")
def chromium(lab):
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(viewport={"width": 1280, "height": 1600})  # one HTTP cache for all pages
        yield context
        context.close()
        browser.close()


def outputs_in_page(page):
    """Each output area on the page: its MIME type, its text, and whether it holds a rendered widget."""
    return page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output')].map(o => ({
        mime: o.dataset.mimeType || null,
        text: o.textContent,
        widget: o.querySelector('.jupyter-widgets') !== null}))""")


def pictures_in(root):
    """The PNG bytes of every ``ipywidgets.Image`` inside ``root`` (read back from their blob URLs)."""
    encoded = root.evaluate("""async root => Promise.all([...root.querySelectorAll('img.widget-image')]
        .map(async img => {
            const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
            let s = ''; for (const b of bytes) s += String.fromCharCode(b);
            return btoa(s); }))""")
    return [base64.b64decode(e) for e in encoded]


def pixels(png):
    """PNG bytes as an (h, w, 4) integer array."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"), dtype=int)


def same_picture(png, expected):
    """Decoded pixels are identical: the kernel and the replay run the same code on the same numbers."""
    a, b = pixels(png), pixels(expected)
    return a.shape == b.shape and not np.any(a != b)


def check_cells_ran_and_widgets_rendered(page, path):
    """No output shows an error; every widget the saved notebook displays is rendered as a widget."""
    outputs = outputs_in_page(page)
    errors = [o["text"][:500] for o in outputs
              if o["mime"] == "application/vnd.jupyter.stderr" or "Traceback" in o["text"]]
    assert not errors, f"{path.name} shows an error in JupyterLab:\n" + "\n---\n".join(errors)
    broken = [o["text"][:200] for o in outputs if "Error displaying widget" in o["text"]
              or "Loading widget" in o["text"] or "model not found" in o["text"]]
    assert not broken, f"widgets failed to render: {broken}"
    rendered, saved = sum(o["widget"] for o in outputs), len(widget_outputs(json.loads(path.read_text(encoding="utf-8"))))
    assert rendered == saved, f"{rendered} widgets rendered, the saved notebook displays {saved}"


def check_one_key_press(page, root, readout, entry):
    """Press the key ``entry`` names on the explorer's slider; its readout and picture must follow the helpers."""
    before = pictures_in(root)
    slider = root.locator(".widget-slider").nth(entry["slider"])
    assert " ".join(slider.locator(".widget-label").first.text_content().split()) == entry["label"]
    assert entry["readout_after"] != entry["readout"], f"{entry['factory']}: a move changes nothing"
    slider.locator(".noUi-handle").first.focus()
    page.keyboard.press(entry["key"])
    expect(readout).to_have_text(entry["readout_after"], timeout=10_000)
    if "png_after" in entry:
        want = base64.b64decode(entry["png_after"])
        for _ in range(50):  # the Image's new bytes follow the readout's, in the same update
            if any(same_picture(png, want) for png in pictures_in(root)):
                break
            page.wait_for_timeout(100)
        else:
            pytest.fail(f"{entry['factory']}: the picture is not the one the helpers draw")
        assert not any(same_picture(png, want) for png in before), "the picture did not change"


@pytest.mark.browser
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_in_jupyterlab_and_its_sliders_recompute(path, lab, chromium, screenshots):
    replaying = replay_in_subprocess(path)  # the in-process answer, computed while the browser works
    page = chromium.new_page()
    try:
        open_and_run_all(page, lab, path.name)
        check_cells_ran_and_widgets_rendered(page, path)

        expected = read_replay(replaying)
        readouts = page.locator(".bp-readout")
        assert readouts.count() == len(expected), (
            f"{readouts.count()} readouts (.bp-readout) on the page, {len(expected)} explorers displayed")
        assert any("slider" in e for e in expected), f"{path.name}: no explorer has a slider to move"
        main, main_area = None, -1
        for k, entry in enumerate(expected):
            readout = readouts.nth(k)
            root = readout.locator("xpath=ancestor::div[contains(@class, 'jp-OutputArea-output')][1]")
            root.scroll_into_view_if_needed()
            assert " ".join(readout.text_content().split()) == entry["readout"], (
                f"{entry['factory']}: the page and the helpers disagree before any move")
            box = root.bounding_box()
            if box["width"] * box["height"] > main_area:  # the README shows the largest, at its defaults
                main, main_area = root.screenshot(), box["width"] * box["height"]
            if "slider" in entry:
                check_one_key_press(page, root, readout, entry)

        (screenshots / f"{path.stem}.png").write_bytes(main)
        if not os.environ.get(SCREENSHOTS_ENV):
            page.screenshot(path=screenshots / f"{path.stem}-page.png")
    finally:
        if replaying.poll() is None:
            replaying.kill()
        page.close()
        lab.shutdown_kernels()
