"""Lecture mode: one notebook served by Voilà, its widgets only (no code), for a projector.

    .venv/bin/python -m tools.lecture notebooks/06_cnn_filters.ipynb            # = make lecture NB=06
    .venv/bin/python -m tools.lecture notebooks/01_forward_pass.ipynb --port 8866 --no-browser

Voilà runs every cell when the page opens (a few seconds) and shows the markdown, the figures and
the live widgets, without code cells. Every argument after the notebook goes to ``voila``
unchanged. Before starting, ``helpers.nodelay.enable()`` turns off Nagle's algorithm on the kernel
websockets (``voila`` alone loads no server extension), so the sliders answer as fast as in
``make lab``. It listens on 127.0.0.1 only unless ``--Voila.ip=...`` says otherwise.

For the projector, zoom the browser (Ctrl/Cmd +) to 150–200 %: the figures are drawn at twice
their CSS size (``helpers.live``), so they stay sharp.
"""
import sys


def main(argv=None):
    """Start Voilà on ``argv`` (a notebook path, then any ``voila`` options)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-"):
        sys.exit("usage: python -m tools.lecture NOTEBOOK [voila options]")
    from voila.app import main as voila

    from helpers.nodelay import enable

    enable()
    if not any(a.startswith("--Voila.ip") for a in argv):
        argv.append("--Voila.ip=127.0.0.1")
    sys.argv = ["voila", *argv]
    voila()


if __name__ == "__main__":
    main()
