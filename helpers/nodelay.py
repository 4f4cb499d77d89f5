"""A Jupyter server extension that sends kernel messages to the browser at once (TCP_NODELAY).

Why: a slider move is a round trip (page → server → kernel → server → page), and ipywidgets
keeps one update in flight, so the pictures per second during a drag are 1 / (round trip).
Jupyter's server writes the kernel's replies to the browser over a websocket whose TCP socket
keeps Nagle's algorithm on (tornado leaves ``set_nodelay`` to the application; jupyter_server
2.21 does not call it). The reply to a slider move is several small messages in a burst; Nagle
holds back the later ones until the browser acknowledges the first, and the browser delays
that acknowledgement by up to 40 ms. Measured on the development machine: a kernel round trip
through the server took 48 ms with Nagle, 3 ms without (bench/drag.py shows the effect in
Chromium).

The extension turns Nagle off on every kernel websocket, nothing else. It is enabled by the
file ``jupyter-config/jupyter_server_config.d/backprop_nodelay.json`` that ``pip install``
places in ``<prefix>/etc/jupyter`` (JupyterLab, Jupyter Notebook 7 and ``jupyter server`` read
it). Voilà started as ``voila NOTEBOOK`` loads no server extension: ``python -m tools.lecture``
(``make lecture``) applies ``enable()`` and then starts Voilà.
"""


def enable():
    """Make every kernel websocket opened from now on send without delay (idempotent)."""
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

    original = KernelWebsocketHandler.open
    if getattr(original, "nodelay", False):
        return

    async def open(self, *args, **kwargs):
        self.set_nodelay(True)
        return await original(self, *args, **kwargs)

    open.nodelay = True
    open.__doc__ = original.__doc__
    KernelWebsocketHandler.open = open


def _jupyter_server_extension_points():
    return [{"module": "helpers.nodelay"}]


def _load_jupyter_server_extension(serverapp):
    enable()
    serverapp.log.info("helpers.nodelay: kernel websockets send without delay (TCP_NODELAY)")
