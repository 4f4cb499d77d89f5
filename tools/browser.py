"""Drive the series as a learner meets it: JupyterLab in Chromium, and the same notebook replayed in process.

Used by ``tests/test_browser.py`` (the proof), ``make screenshots`` (the README's pictures, from
that same test run) and ``bench/run.py`` (JupyterLab's start-up time).

* ``LabServer``: ``jupyter lab`` on 127.0.0.1, a free port, a random token, every Jupyter
  directory temporary (no restored workspace, no news popup, no autosave), serving a *copy* of
  ``notebooks/`` so a browser run can never overwrite a committed notebook. Stopped by its pid.
  ``LabServer(app="notebook")`` is Jupyter Notebook 7 the same way; ``VoilaServer`` is Voilà as
  lecture mode (``tools.lecture``) starts it. All three turn Nagle off (``helpers.nodelay``).
* ``launch_chromium``: Debian's Chromium through Playwright (never ``playwright install``).
* ``open_and_run_all``: open a notebook, wait for an idle kernel, clear the saved outputs, Run All,
  wait for every cell.
  In JupyterLab the notebook opens as from the file browser (``docmanager:open``), in the page if it
  already shows this server's JupyterLab (not loaded again, ~3 s a notebook; ``close_documents``
  closes the last first), else after loading ``/lab``. Notebook 7 opens the notebook's own page.
* ``replay``: run a notebook's code cells in this process (an IPython shell, no kernel), keep
  every ``Explorer`` it displays, move each one's first slider by one step exactly as one key
  press on its handle does in the browser, and report the readouts and pictures the helpers
  compute. ``python -m tools.browser replay notebooks/01_forward_pass.ipynb`` prints it as JSON.
"""
import base64
import html
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ENV = "CHROMIUM_EXECUTABLE"
SCREENSHOTS_ENV = "BROWSER_SCREENSHOTS"  # where the browser tests save pictures (default: a temp folder)
CHROMIUM_DEFAULT = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"]
INSTALL_HINT = ("install it with `apt-get install -y chromium` (Debian/Ubuntu, as root), or point "
                f"{CHROMIUM_ENV} at a Chromium binary; never `playwright install`")
SLIDER_VIEWS = {"IntSliderView", "FloatSliderView", "FloatLogSliderView", "SelectionSliderView",
                "IntRangeSliderView", "FloatRangeSliderView", "SelectionRangeSliderView"}
SETTINGS = {  # JupyterLab user settings written into the temporary settings directory
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    # every cell in the DOM and laid out: off-screen cells' text is then readable
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


# helpers.nodelay: the server sends kernel messages without Nagle's 40 ms hold (also in `make lab`)
NODELAY_FLAG = "--ServerApp.jpserver_extensions=helpers.nodelay=True"


def chromium_path():
    """The Chromium binary to drive: ``$CHROMIUM_EXECUTABLE`` or Debian's ``/usr/bin/chromium``."""
    return os.environ.get(CHROMIUM_ENV) or CHROMIUM_DEFAULT


def browser_missing():
    """Why the browser tests cannot run here (a sentence), or ``None`` when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        return f"Chromium not found at {path}: {INSTALL_HINT}"
    return None


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """``jupyter lab`` for one test module: ``with LabServer() as lab: page.goto(lab.url("lab"))``.

    Attributes: ``port``, ``token``, ``root`` (the served copy of notebooks/), ``ready_seconds``
    (process start to the REST API answering), ``pid``.
    """

    def __init__(self, notebooks=ROOT / "notebooks", timeout=60, app="lab", extra_args=(), settings=None):
        self.source = Path(notebooks)
        self.settings = {**SETTINGS, **(settings or {})}  # a value None drops that file (JupyterLab's default)
        self.app = app
        self.extra_args = list(extra_args)
        self.timeout = timeout
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.process = None

    ready_path = "api/status"  # answers 200 once the server is up

    def command(self):
        """The server's command line (``jupyter lab`` or ``jupyter notebook``, per ``app``)."""
        command = [sys.executable, "-m", "jupyter", self.app, "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", "--port-retries=0", f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.root}", "--ServerApp.open_browser=False", NODELAY_FLAG,
                   *(["--LabApp.news_url=", "--LabApp.expose_app_in_browser=True"] if self.app == "lab" else []),
                   *self.extra_args]
        if hasattr(os, "getuid") and os.getuid() == 0:  # POSIX only (Windows has no root)
            command.append("--allow-root")
        return command

    def notebook_url(self, name):
        """Where notebook ``name`` opens: JupyterLab's tree (a fresh workspace) or Notebook 7's page."""
        if self.app == "notebook":
            return self.url(f"notebooks/{name}")
        return self.url(f"lab/tree/{name}?reset")

    def url(self, path=""):
        """The address of ``path`` on this server, token included."""
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}/{path}{sep}token={self.token}"

    def start(self):
        """Start the server and wait until its API answers. Returns ``self``."""
        self.tmp = Path(tempfile.mkdtemp(prefix="bp-lab-"))
        self.root = self.tmp / "notebooks"
        shutil.copytree(self.source, self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        env = dict(os.environ)
        for name in ["config", "data", "runtime", "settings", "workspaces", "ipython"]:
            (self.tmp / name).mkdir()
        env.update(JUPYTER_CONFIG_DIR=str(self.tmp / "config"), JUPYTER_DATA_DIR=str(self.tmp / "data"),
                   JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"),
                   JUPYTERLAB_SETTINGS_DIR=str(self.tmp / "settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(self.tmp / "workspaces"), IPYTHONDIR=str(self.tmp / "ipython"),
                   PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""))
        env.pop("JUPYTER_TOKEN", None)
        for name, values in self.settings.items():
            if values is None:
                continue
            path = self.tmp / "settings" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        command = self.command()
        self.log = open(self.tmp / "server.log", "wb")
        start = time.perf_counter()
        self.process = subprocess.Popen(command, env=env, cwd=self.root, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.process.pid
        deadline = start + self.timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.server_log()}")
            try:
                with urllib.request.urlopen(self.url(self.ready_path), timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.perf_counter() > deadline:
                self.stop()
                raise RuntimeError(f"jupyter lab not ready after {self.timeout} s:\n{self.server_log()}")
            time.sleep(0.05)
        self.ready_seconds = time.perf_counter() - start
        return self

    def shutdown_kernels(self):
        """End every session's kernel through the REST API (a finished page leaves its kernel running)."""
        with urllib.request.urlopen(self.url("api/sessions"), timeout=10) as response:
            sessions = json.load(response)
        for session in sessions:
            request = urllib.request.Request(self.url(f"api/sessions/{session['id']}"), method="DELETE")
            urllib.request.urlopen(request, timeout=30).close()

    def server_log(self):
        """The server's output so far (for failure messages)."""
        return (self.tmp / "server.log").read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self):
        """Stop the server by its pid (SIGTERM, then SIGKILL), then any kernel it left in its group."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if hasattr(os, "killpg"):  # POSIX only: Windows has no process groups
            try:
                os.killpg(self.pid, signal.SIGKILL)  # the group this server led: only its own kernels
            except (ProcessLookupError, PermissionError):
                pass
        self.process = None
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *_):
        self.stop()


class VoilaServer(LabServer):
    """Voilà on a copy of notebooks/, as lecture mode (``tools.lecture``) starts it: the same start and stop.

    ``notebook_url(name)`` is the page that runs notebook ``name`` and shows its outputs, no code.
    """

    ready_path = ""

    def command(self):
        return [sys.executable, "-m", "tools.lecture", str(self.root), "--no-browser", f"--port={self.port}",
                "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", *self.extra_args]

    def notebook_url(self, name):
        return f"http://127.0.0.1:{self.port}/voila/render/{name}"

    def shutdown_kernels(self):
        """Voilà ends a page's kernel when the page closes."""


def launch_chromium(playwright):
    """Launch Debian's Chromium headless with the series' flags; returns a Playwright ``Browser``."""
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)


KERNEL_IDLE = re.compile(r"\|\s*Idle")


def wait_for_idle_kernel(page, timeout=60_000):
    """Wait until JupyterLab's status bar says ``Python 3 (ipykernel) | Idle`` (the fact the notes
    measured), or Notebook 7's execution indicator says ``Kernel status: Idle``."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('.jp-StatusBar-Widget')]
                 .some(e => /\\|\\s*Idle/.test(e.textContent))
              || [...document.querySelectorAll('.jp-Notebook-ExecutionIndicator')]
                 .some(e => e.dataset.status === 'idle')""", timeout=timeout)


def open_and_run_all(page, lab, name, timeout=90_000):
    """Open notebook ``name`` of ``lab``, wait for its kernel, clear the saved outputs, Run All, wait
    until every cell ran.

    Returns the seconds from page load to an idle kernel (``load_s``) and from then to the last
    output (``run_s``), and the prompts each time Run All had not finished in ``timeout / 3`` (``retries``).
    """
    start = time.perf_counter()
    if lab.app == "lab" and not in_jupyterlab_of(page, lab):
        # JupyterLab loads first, then the notebook opens in it as every later one does: both times
        # CI saw a widget missing (the second time shown as its picture), it was in the first
        # notebook, the only one opened from its /lab/tree/ address (the cause is not known).
        page.goto(lab.url("lab?reset"))
        page.wait_for_function("() => !!window.jupyterapp", timeout=timeout)
        page.evaluate("async () => { await jupyterapp.restored; }")
    if in_jupyterlab_of(page, lab):  # (JupyterLab's test server shows its app as window.jupyterapp)
        close_documents(page)
        page.evaluate("name => { jupyterapp.commands.execute('docmanager:open', {path: name}); }", name)
        page.wait_for_function("""name => { const panel = jupyterapp.shell.currentWidget;
            return panel && panel.context && panel.context.path === name && panel.sessionContext.session
                   && panel.sessionContext.session.kernel && panel.sessionContext.session.kernel.status === 'idle'
                   && document.querySelector('.jp-Notebook .jp-Cell') !== null; }""", arg=name, timeout=timeout)
    else:
        page.goto(lab.notebook_url(name))
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout)
    wait_for_idle_kernel(page, timeout)
    loaded = time.perf_counter()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # The saved notebook shows [1]:, [2]:, ... before anything runs: cleared first, every [n] is this run's
    # (else a Run All that JupyterLab dropped would look like one that finished, with the saved outputs).
    cleared = f"() => {{ const p = {PROMPTS}; return p.length > 0 && p.every(p => p === '[ ]:'); }}"
    for attempt in range(3):
        choose_menu_item(page, "Edit", "Clear Outputs of All Cells")
        try:
            page.wait_for_function(cleared, timeout=timeout // 9)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    all_ran = f"() => {{ const p = {PROMPTS}; return p.length > 0 && p.every(p => /^\\[\\d+\\]:$/.test(p)); }}"
    running = f"() => {PROMPTS}.some(p => p === '[*]:')"
    # Under load JupyterLab sometimes drops a Run All clicked just after the kernel came up: nothing
    # runs. Then (no cell running, not all ran) it is clicked again, at most twice more.
    retries = []
    page.evaluate(COUNT_EXECUTIONS)
    for attempt in range(3):
        choose_menu_item(page, "Run", "Run All Cells")
        try:  # every code cell shows [n], none [*] or [ ]
            page.wait_for_function(all_ran, timeout=timeout // 3)
            break
        except PlaywrightTimeout:
            retries.append(page.evaluate(f"() => {PROMPTS}.join(' ')"))
            if attempt == 2 or page.evaluate(running):
                page.wait_for_function(all_ran, timeout=timeout)
                break
    wait_for_idle_kernel(page, timeout)
    return {"load_s": loaded - start, "run_s": time.perf_counter() - loaded, "retries": retries}


PROMPTS = "[...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim())"

# JupyterLab (its app exposed as window.jupyterapp) only: the execution counts of the cells the
# kernel runs from now on, in window.bpExecuted (evidence for a failure message: did Run All run?).
COUNT_EXECUTIONS = """() => { if (!window.jupyterapp || !jupyterapp.shell.currentWidget) return;
    const context = jupyterapp.shell.currentWidget.sessionContext;
    if (window.bpListener) window.bpListener.context.iopubMessage.disconnect(window.bpListener.count);
    window.bpExecuted = [];
    const count = (_, message) => { if (message.header.msg_type === 'execute_input')
                                        window.bpExecuted.push(message.content.execution_count); };
    context.iopubMessage.connect(count);
    window.bpListener = {context, count}; }"""


def widget_outputs_state(page):
    """What JupyterLab's models say of each output that carries a widget (for failure messages).

    For each: the cell's index and execution count, whether the cell and the output are trusted
    (an untrusted output shows its picture, not the widget), the MIME type the notebook's renderers
    prefer for it and the one the page shows. Also whether the notebook's renderers know widgets,
    and the execution counts the kernel reported since Run All (``COUNT_EXECUTIONS``).
    ``None`` outside JupyterLab."""
    return page.evaluate("""() => {
        if (!window.jupyterapp || !jupyterapp.shell.currentWidget || !jupyterapp.shell.currentWidget.content)
            return null;
        const notebook = jupyterapp.shell.currentWidget.content, WIDGET = 'application/vnd.jupyter.widget-view+json';
        const outputs = [];
        notebook.widgets.forEach((cell, index) => {
            if (cell.model.type !== 'code') return;
            const area = cell.model.outputs;
            for (let k = 0; k < area.length; k++) {
                const output = area.get(k);
                if (!(WIDGET in output.data)) continue;
                outputs.push({cell: index, execution_count: cell.model.executionCount,
                    cell_trusted: cell.model.trusted, output_trusted: output.trusted,
                    preferred: notebook.rendermime.preferredMimeType(output.data, output.trusted ? 'any' : 'ensure'),
                    shown: [...cell.node.querySelectorAll('.jp-OutputArea-output')].map(o =>
                        o.querySelector('.jupyter-widgets') ? 'widget' : (o.dataset.mimeType || null))});
            }
        });
        return {renderers_know_widgets: !!notebook.rendermime.getFactory(WIDGET),
                kernel_ran: window.bpExecuted || null, outputs}; }""")


def choose_menu_item(page, menu, item):
    """Click ``item`` in the menu bar's ``menu`` (JupyterLab and Notebook 7 share the menus)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(menu)}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")).click()


def in_jupyterlab_of(page, lab):
    """Whether ``page`` shows ``lab``'s JupyterLab, its app reachable and no dialog open."""
    return (page.url.startswith(f"http://127.0.0.1:{lab.port}/lab")
            and page.evaluate("() => !!window.jupyterapp && !document.querySelector('.jp-Dialog')"))


def close_documents(page):
    """Close every tab of JupyterLab's main area, unsaved notebooks too (no dialog: disposed)."""
    page.evaluate("() => { for (const widget of [...jupyterapp.shell.widgets('main')]) widget.dispose(); }")


def text_of_html(value):
    """The text a browser shows for widget HTML ``value``: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", value)).split())


def sliders_in(widget):
    """Every slider under ``widget`` (an ipywidgets container), in the order the page shows them."""
    found = []
    if getattr(widget, "_view_name", None) in SLIDER_VIEWS:
        found.append(widget)
    for child in getattr(widget, "children", ()):
        found.extend(sliders_in(child))
    return found


def key_step(slider, key):
    """Set ``slider`` to where one ``key`` press (ArrowRight/ArrowLeft) on its handle takes it."""
    sign = 1 if key == "ArrowRight" else -1
    view = slider._view_name
    if view == "SelectionSliderView":
        slider.index = min(max(slider.index + sign, 0), len(slider.options) - 1)
    elif view == "FloatLogSliderView":
        exponent = math.log(slider.value, slider.base) + sign * slider.step
        slider.value = slider.base ** min(max(exponent, slider.min), slider.max)
    else:
        slider.value = min(max(slider.value + sign * slider.step, slider.min), slider.max)


def at_top(slider):
    """Is ``slider`` at its maximum (so that the test must press ArrowLeft instead)?"""
    if slider._view_name == "SelectionSliderView":
        return slider.index == len(slider.options) - 1
    if slider._view_name == "FloatLogSliderView":
        return math.log(slider.value, slider.base) >= slider.max
    return slider.value >= slider.max


def replay(path, page_pixel_ratio=1.0):
    """Run notebook ``path``'s code cells here and move each displayed explorer's first slider one step.

    Each explorer with a figure is then told the page's pixel ratio (``page_pixel_ratio``: headless
    Chromium's ``devicePixelRatio`` is 1), as the page tells the kernel once it shows the explorer,
    so its pictures are drawn at the size the browser's are.

    Returns a list with one dict per ``Explorer`` displayed, in display order: ``factory`` (class
    name), ``readout`` (text before the move), ``slider`` (its index among the explorer's
    sliders), ``label`` (its caption), ``key`` (ArrowRight, or ArrowLeft at the maximum), ``png``
    (base64, the picture before the move) and ``readout_after`` / ``png_after`` once the helpers recomputed.
    """
    os.environ.setdefault("MPLBACKEND", "Agg")
    import warnings

    import nbformat
    from IPython.core.interactiveshell import InteractiveShell

    from helpers.live import Explorer

    path = Path(path).resolve()
    shown = []
    original = Explorer._repr_mimebundle_

    def recording(self, **kwargs):
        if not any(e is self for e in shown):
            shown.append(self)
        return original(self, **kwargs)

    Explorer._repr_mimebundle_ = recording
    shell = InteractiveShell.instance()
    cwd = os.getcwd()
    os.chdir(path.parent)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "FigureCanvasAgg is non-interactive" from plt.show()
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type == "code":
                    result = shell.run_cell(cell.source, store_history=False, silent=False)
                    if result.error_in_exec or result.error_before_exec:
                        raise RuntimeError(f"{path.name}: a cell raised in the replay:\n{cell.source}")
    finally:
        os.chdir(cwd)
        Explorer._repr_mimebundle_ = original
    for explorer in shown:
        if explorer.figure is not None:
            explorer.screen.ratio = float(page_pixel_ratio)
    report = []
    for explorer in shown:
        entry = {"factory": type(explorer).__name__, "readout": text_of_html(explorer.readout.value)}
        if explorer.figure is not None:
            entry["png"] = base64.b64encode(explorer.figure.image.value).decode("ascii")
        sliders = [s for s in sliders_in(explorer) if "Range" not in s._view_name]
        if sliders:
            slider = sliders[0]
            entry["slider"] = sliders_in(explorer).index(slider)
            entry["label"] = slider.description
            entry["key"] = "ArrowLeft" if at_top(slider) else "ArrowRight"
            key_step(slider, entry["key"])
        entry["readout_after"] = text_of_html(explorer.readout.value)
        if explorer.figure is not None:
            entry["png_after"] = base64.b64encode(explorer.figure.image.value).decode("ascii")
        report.append(entry)
    return report


def replay_in_subprocess(path):
    """Start ``replay(path)`` in a fresh Python (it runs while the browser works); ``.communicate()`` it."""
    return subprocess.Popen([sys.executable, "-m", "tools.browser", "replay", str(path)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")


def read_replay(process, timeout=120):
    """The JSON report of a ``replay_in_subprocess`` process, or ``RuntimeError`` with its stderr."""
    out, err = process.communicate(timeout=timeout)
    if process.returncode:
        raise RuntimeError(f"replay failed ({process.returncode}):\n{err[-4000:]}")
    return json.loads(out.strip().splitlines()[-1])


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "replay":
        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()):  # the notebook's prints are not the report
            found = replay(sys.argv[2])
        print(json.dumps(found))
    else:
        sys.exit("usage: python -m tools.browser replay NOTEBOOK")
