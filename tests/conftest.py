"""What the browser tests and the no-network guard need: nothing else lives here.

* Tests marked ``browser`` are skipped, with the reason and how to install Chromium, when it is
  missing, unless ``REQUIRE_BROWSER_TESTS=1`` (set by ``.ci/run``): then a missing browser fails.
* ``screenshots``: the folder the browser tests save one picture per notebook in: a temporary
  one, named at the end of the test output, or ``$BROWSER_SCREENSHOTS`` (``make screenshots``).
* ``no_network``: kernels started while it is active run an IPython start-up file that refuses
  every socket connection (and name lookup) other than the loopback, and logs each attempt.
"""
import os
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `tools` is not installed; `pytest` (not `python -m pytest`) must find it
    sys.path.insert(0, str(ROOT))

from tools.browser import SCREENSHOTS_ENV, browser_missing  # noqa: E402

REQUIRE = "REQUIRE_BROWSER_TESTS"
_skipped_browser = []
_screenshot_folders = []


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser") is None:
        return
    reason = browser_missing()
    if reason is None:
        return
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{REQUIRE}=1 but the browser tests cannot run: {reason}", pytrace=False)
    _skipped_browser.append(item.nodeid)
    pytest.skip(f"browser test skipped: {reason}")


@pytest.fixture(scope="session")
def screenshots():
    """Where the browser tests save their screenshots (a ``Path``; created)."""
    folder = os.environ.get(SCREENSHOTS_ENV)
    folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="bp-screenshots-"))
    folder.mkdir(parents=True, exist_ok=True)
    _screenshot_folders.append(folder)
    return folder


def pytest_terminal_summary(terminalreporter):
    """Name the screenshots' folder, and say why browser tests were skipped even without ``-rs``."""
    for folder in _screenshot_folders:
        terminalreporter.write_line(f"browser screenshots: {folder}")
    if _skipped_browser:
        terminalreporter.write_sep("-", "browser tests skipped", yellow=True)
        terminalreporter.write_line(f"{len(_skipped_browser)} browser tests skipped: {browser_missing()}.")
        terminalreporter.write_line(f"Set {REQUIRE}=1 to make a missing browser a failure (CI does).")


GUARD = '''
"""No network at run time: refuse any connection that is not to this machine (test start-up file)."""
import ipaddress
import socket

_LOG = {log!r}
_LOCAL_NAMES = {{"localhost", "localhost.localdomain", "ip6-localhost", ""}}


def _is_local(host):
    if isinstance(host, bytes):
        host = host.decode()
    if host is None or str(host).lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(what):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(what + "\\n")
    raise ConnectionRefusedError(f"no network at run time: the notebook tried {{what}}")


_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


def _guarded(method):
    def guarded(self, address, *args):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
            _refuse(f"to connect to {{address!r}}")
        return method(self, address, *args)
    return guarded


def _getaddrinfo_guarded(host, *args, **kwargs):
    if not _is_local(host):
        _refuse(f"to look up {{host!r}}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _guarded(_connect)
socket.socket.connect_ex = _guarded(_connect_ex)
socket.getaddrinfo = _getaddrinfo_guarded
'''


def network_guard(folder, monkeypatch):
    """Make kernels started from now on refuse non-loopback sockets; return the attempts' log file.

    It works through ``IPYTHONDIR``: ipykernel runs ``profile_default/startup/*.py`` before any
    cell, in the kernel's own process. The kernel's ZeroMQ sockets are C sockets on 127.0.0.1
    and are not affected.
    """
    ipython_dir = Path(folder) / "ipython"
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True)
    log = Path(folder) / "network-attempts.log"
    log.write_text("", encoding="utf-8")
    (startup / "00-no-network.py").write_text(textwrap.dedent(GUARD.format(log=str(log))), encoding="utf-8")
    monkeypatch.setenv("IPYTHONDIR", str(ipython_dir))
    return log


@pytest.fixture
def no_network(tmp_path, monkeypatch):
    """Kernels started inside the test refuse non-loopback sockets. Yields the attempts' log file."""
    yield network_guard(tmp_path, monkeypatch)


# Property tests draw new examples on every run, which is how they find new bugs on a
# developer's machine; CI (CI=true) draws the same ones every time, so a red CI is reproducible.
# No deadline anywhere: a shared 2-core machine under load makes any per-example time limit flaky.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


@pytest.fixture
def sends_as_in_a_kernel(monkeypatch):
    """ipywidgets 8.0 asks ``_should_send_property`` (and sends) only when its comm has a kernel,
    which a test process has not; 8.1 asks whenever a comm exists. Give 8.0 the rule a kernel gives.
    (For tests that watch what a widget sends the page.)"""
    import inspect

    import ipywidgets as widgets

    if "getattr(self.comm, 'kernel', True)" in inspect.getsource(widgets.Widget.notify_change):
        return  # 8.1 and later

    def notify_change(self, change):
        name = change["name"]
        if self.comm is not None and name in self.keys and self._should_send_property(name, getattr(self, name)):
            self.send_state(key=name)
        super(widgets.Widget, self).notify_change(change)
    monkeypatch.setattr(widgets.Widget, "notify_change", notify_change)
