"""Pictures ahead of the hand: an explorer's next pictures are drawn while the learner reads,
so a slider shows each one the moment it reaches it, with no trip to the kernel.

Why: a slider move in the page goes to the kernel, which redraws and answers; ipywidgets keeps
one move in flight, so the picture for the value where the mouse is released arrives about one
and a half round trips later (50-120 ms in JupyterLab on a 2-core machine, most of it the
page's own work). A flip book turns that into a lookup in the page.

How (all the maths stays in Python):

* The kernel builds a second, hidden copy of the explorer (a *shadow*: the same factory and
  arguments, its widgets never connected to the page). While the page is idle, it sets the
  shadow's controls to the values next to the current ones (each slider's neighbours first,
  then the rest of its track), and sends the page what every widget of the explorer would show
  there: the picture's PNG bytes, the HTML, the equation, a button's ``disabled``.
* The page (``Flipbook``'s JavaScript) keeps those states by the controls' values. When a
  control moves, it looks its new values up and, if found, sets the widgets' models at once
  (the same thing a kernel answer does, without waiting for it). The equation is typeset at
  most every 0.25 s during a drag and as soon as it pauses or ends, as in the kernel (``_CalmMath``).
* The kernel still gets every move and updates the real explorer, so ``value`` in Python is
  always right; what the page already shows it does not send again. If the real explorer ever
  disagrees with the shadow, the real one wins: after each move the kernel compares what the page
  was given with what the explorer shows (even traits the move did not change) and replaces the
  page's entry. Each time it plans, the shadow first draws the state on screen; if that is not
  what the explorer shows (a widget changed by hand in a notebook cell, a state that depends on
  the way there), the page's states are dropped and nothing is drawn ahead until the next move.

Only explorers built by a factory marked ``@recipe`` (every one in the notebooks) have a shadow;
without a page (nbval, tests) nothing is prefetched.
"""
import asyncio
import collections
import contextlib
import copy
import functools
import json
import time

import anywidget
import ipywidgets as widgets
import traitlets

QUIET = 0.12  # s without a control moving before prefetching resumes (a drag is served first)
NEAR = (4, 16)  # each control: values within 4 steps first, then within 16, then the rest
MAX_ENTRIES = 1500  # states kept per explorer (page and kernel); the oldest are dropped first
MAX_VALUES = 400  # values of one control prefetched, nearest first (a 1000-value slider: 400)
MAX_FAILURES = 20  # states the shadow could not draw before it gives up drawing ahead

DRAG_LONGEST = 10.0  # s: a drag the page did not say was over is taken as over after this long

_building_shadow = False
_page_drag = {"until": 0.0}  # while a page drags a slider of any explorer, none draws ahead


@contextlib.contextmanager
def _no_comms():
    """Widgets built inside never open a comm: they exist only in the kernel (the shadow)."""
    global _building_shadow
    saved_open, saved_flag = widgets.Widget.open, _building_shadow
    widgets.Widget.open = lambda self: None
    _building_shadow = True
    try:
        yield
    finally:
        widgets.Widget.open, _building_shadow = saved_open, saved_flag


def building_shadow():
    """True while a shadow explorer is being built (it then gets no page-only parts)."""
    return _building_shadow


def recipe(factory):
    """Mark an explorer factory: the explorer it returns remembers how it was made (a copy of the
    arguments), so its flip book can build a shadow to draw ahead with."""
    @functools.wraps(factory)
    def build(*args, **kwargs):
        """(The factory, and a note on the explorer of how it was made.)"""
        explorer = factory(*args, **kwargs)
        if not _building_shadow:
            try:
                explorer._recipe = (factory, copy.deepcopy(args), copy.deepcopy(kwargs))
            except Exception:  # an argument that cannot be copied (a widget): no flip book
                explorer._recipe = None
        return explorer
    return build


def _is_widget_reference(widget, name):
    return widget.trait_metadata(name, "to_json") is widgets.widget_serialization["to_json"]


PAGE_OWNED = {"value", "index", "playing", "repeat"}  # a control's own state: the page's, never set


def page_parts(explorer):
    """Every widget the flip book may set, in a fixed order (depth first, each widget's layout and
    style after it), without the explorer's page-only parts (``Flipbook``, ``ScreenPixelRatio``)."""
    found = []

    def visit(widget):
        """Add ``widget``, its layout and style, then its children's."""
        if isinstance(widget, (Flipbook, anywidget.AnyWidget)):
            return
        found.append(widget)
        for name in ("layout", "style"):
            part = getattr(widget, name, None)
            if isinstance(part, widgets.Widget) and name in widget.keys:
                found.append(part)
        for child in getattr(widget, "children", ()):
            visit(child)

    visit(explorer)
    return found


def key_controls(parts):
    """``[(index into parts, trait)]``: the controls whose values name a state. A selection
    (Dropdown, ToggleButtons) by its ``index``, anything else with a synced ``value`` that is not an
    output by its ``value``; Play is left out (it only mirrors the slider it is linked to)."""
    from .live import OUTPUTS
    found = []
    for i, widget in enumerate(parts):
        if isinstance(widget, widgets.Play) or isinstance(widget, OUTPUTS):
            continue
        if isinstance(widget, widgets.widget_selection._Selection):
            found.append((i, "index"))
        elif "value" in widget.keys and not _is_widget_reference(widget, "value"):
            found.append((i, "value"))
    return found


def settable_traits(widget, is_control):
    """The synced traits of ``widget`` a state sets: not its model/view names, not references to
    other widgets and, for a control, not its own value."""
    names = []
    for name in widget.keys:
        if name.startswith(("_model_", "_view_")) or _is_widget_reference(widget, name):
            continue
        if is_control and name in PAGE_OWNED:
            continue
        names.append(name)
    return names


def _plain(value):
    """A trait's JSON state in one comparable form (bytes for binary, lists for tuples)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    return json.loads(json.dumps(value))


def normal_number(value):
    """A control's value as a key part: numbers to 12 significant figures, so 0.30000000000000004
    from the page and 0.3 from the kernel name the same state (the page does the same)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return float(f"{value:.12g}") if isinstance(value, float) else value


def values_of(control, trait):
    """Every value ``control`` can take that a learner reaches by dragging or clicking it, in
    track order, or None when it cannot be listed (a text box)."""
    if trait == "index":
        return list(range(len(control._options_labels)))
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [False, True]
    if isinstance(control, widgets.FloatLogSlider):
        count = round((control.max - control.min) / control.step)
        return [control.base ** float(f"{control.min + k * control.step:.12g}") for k in range(count + 1)]
    if isinstance(control, widgets.FloatSlider):
        count = round((control.max - control.min) / control.step)
        return [float(f"{control.min + k * control.step:.12g}") for k in range(count + 1)]
    if isinstance(control, widgets.IntSlider):
        return list(range(control.min, control.max + 1, control.step))
    return None


def _nearest(values, value):
    return min(range(len(values)), key=lambda k: abs(values[k] - value) if not isinstance(value, bool)
               else values[k] != value)


def prefetch_plan(base, choices, within=None):
    """The states to draw ahead, best first: one control moved at a time from ``base`` (a list of
    values), through ``choices[c]`` (that control's values, or None), nearest values first.

    Within 4 steps for every control, then within 16, then the rest, up to ``MAX_VALUES`` per
    control (or only the first ``within`` steps); a control's values come in a row, so the shadow
    moves one slider per state drawn.
    """
    plan = []
    low = 0
    reach = MAX_VALUES if within is None else min(within, MAX_VALUES)
    for high in [h for h in NEAR if h < reach] + [reach]:
        for c, values in enumerate(choices):
            if values is None or len(values) < 2:
                continue
            at = _nearest(values, base[c])
            for distance in range(low + 1, high + 1):
                for k in (at - distance, at + distance):
                    if 0 <= k < len(values):
                        state = list(base)
                        state[c] = values[k]
                        plan.append(state)
        low = high
    return plan


JAVASCRIPT = r"""
const norm = (v) => (typeof v === "number" ? Number(v.toPrecision(12)) : v);
const keyOf = (values) => JSON.stringify(values.map(norm));
const MATH_INTERVAL = 250, MATH_PAUSE = 60;  // ms, as the kernel's _CalmMath
const HOLD_MAX = 400;  // ms: a held control value reaches the kernel at least this often during a drag

function withBuffers(states, buffers) {
  return states.map((state) => {
    const out = {};
    for (const [name, value] of Object.entries(state)) {
      if (value !== null && typeof value === "object" && "$buffer" in value) {
        const b = buffers[value.$buffer];
        out[name] = b instanceof DataView ? b : new DataView(b.buffer ?? b, b.byteOffset ?? 0, b.byteLength);
      } else out[name] = value;
    }
    return out;
  });
}

// Pictures in the page's store get a URL when they arrive, and the ones next to the current value
// of the control being moved are decoded ahead (an <img> given a URL already decoded in the page
// shows it in the very next frame). ipywidgets' Image view makes a new URL from the bytes on
// every change and revokes the one it showed before; its views are taught to use these URLs and
// leave them alone.
const NEAR_DECODED = 16;  // pictures kept decoded ahead (each is width × height × 4 bytes)
const ownUrls = new Set();

function teachImageView(view, urlOf) {
  if (view.__flipbook) return;
  view.__flipbook = true;
  const update = view.update, remove = view.remove;
  view.update = function (...args) {
    const url = urlOf(this.model.get("value"));
    if (url) { if (this.el.src !== url) this.el.src = url; return; }
    if (ownUrls.has(this.el.src)) this.el.removeAttribute("src");  // ours: not the view's to revoke
    return update.apply(this, args);
  };
  view.remove = function (...args) {
    if (ownUrls.has(this.el.src)) this.el.removeAttribute("src");
    return remove.apply(this, args);
  };
}

function initialize({ model }) {
  const cache = new Map();
  const urls = new WeakMap();  // picture bytes (DataView) in the store -> its URL
  const decoded = new Map();  // URL -> Image decoded ahead (oldest first)
  let images = [], lastValues = null;
  let models = null, controls = [], maths = new Set(), applying = false, dragging = false;
  let mathAt = -1e9, mathTimer = null, queued = [];
  const keyNow = () => keyOf(controls.map(([i, trait]) => models[i].get(trait)));

  function setMath(entry) {
    if (mathTimer) { clearTimeout(mathTimer); mathTimer = null; }
    mathAt = performance.now();
    applying = true;
    try { for (const i of maths) models[i].set(entry.states[i]); } finally { applying = false; }
  }
  function mathLater() {
    mathTimer = null;
    const entry = cache.get(keyNow());
    if (entry) setMath(entry);
  }
  function apply(entry) {
    teach();
    applying = true;
    try {
      entry.states.forEach((state, i) => { if (!maths.has(i)) models[i].set(state); });
    } finally { applying = false; }
    document.dispatchEvent(new CustomEvent("flipbook-shown"));  // (for tests: shown from the page's store)
    if (!maths.size) return;
    const now = performance.now();
    if (!dragging || (!mathTimer && now - mathAt >= MATH_INTERVAL)) { setMath(entry); return; }
    if (mathTimer) clearTimeout(mathTimer);
    mathTimer = setTimeout(mathLater, Math.max(0, Math.min(MATH_PAUSE, mathAt + MATH_INTERVAL - now)));
  }
  let toldDrag = false;  // the kernel is told when a drag of this explorer starts and ends: it draws
  const show = () => {  // nothing ahead meanwhile (the page needs the machine for its frames)
    if (dragging && !toldDrag) { toldDrag = true; model.send({ kind: "drag", on: true }); }
    const values = controls.map(([i, trait]) => models[i].get(trait));
    const entry = cache.get(keyOf(values));
    if (entry) apply(entry);
    decodeNear(values);
  };
  let reassert = false;
  const onChange = () => {  // a kernel answer for an older value, while the page shows a newer one
    if (applying || reassert) return;
    reassert = true;
    queueMicrotask(() => { reassert = false; show(); });
  };
  function forget(entry) {  // its URLs are revoked; a view still showing one gets a URL of its own
    if (!entry) return;
    entry.bytes.forEach((bytes) => urls.delete(bytes));
    const gone = new Set(entry.urls);
    eachImageView((view) => { if (gone.has(view.el.src)) view.update(); });
    for (const url of entry.urls) { URL.revokeObjectURL(url); ownUrls.delete(url); decoded.delete(url); }
  }
  function decodeAhead(url) {
    if (decoded.has(url)) { const image = decoded.get(url); decoded.delete(url); decoded.set(url, image); return; }
    const image = new Image();
    image.src = url;
    image.decode().catch(() => {});
    decoded.set(url, image);
    if (decoded.size > NEAR_DECODED) decoded.delete(decoded.keys().next().value);
  }
  function decodeNear(values) {  // the control that moved last: its next values both ways
    const tracks = model.get("tracks") || [];
    const moved = lastValues ? values.findIndex((v, c) => norm(v) !== norm(lastValues[c])) : -1;
    lastValues = values;
    if (moved < 0 || !images.length) return;
    const track = tracks[moved];
    const at = track ? track.indexOf(norm(values[moved])) : -1;
    if (at < 0) return;
    for (const step of [1, -1, 2, -2, 3, -3, 4, -4]) {
      if (at + step < 0 || at + step >= track.length) continue;
      const near = values.slice();
      near[moved] = track[at + step];
      const entry = cache.get(keyOf(near));
      if (entry) entry.urls.forEach(decodeAhead);
    }
  }
  function eachImageView(act) {  // (a model's views are promises)
    for (const i of images) for (const view of Object.values(models[i].views || {}))
      Promise.resolve(view).then((v) => v && act(v));
  }
  function teach() { eachImageView((view) => teachImageView(view, (bytes) => urls.get(bytes))); }
  function handle(msg, buffers) {
    if (msg.kind === "entry") {
      const key = keyOf(msg.values);
      const entry = { states: withBuffers(msg.states, buffers || []), urls: [], bytes: [] };
      for (const i of images) {
        const bytes = entry.states[i].value;
        if (!bytes) continue;
        const url = URL.createObjectURL(new Blob([bytes], { type: `image/${models[i].get("format")}` }));
        urls.set(bytes, url);
        ownUrls.add(url);
        entry.urls.push(url);
        entry.bytes.push(bytes);
      }
      forget(cache.get(key));
      cache.set(key, entry);
      if (key === keyNow()) apply(entry);
    } else if (msg.kind === "drop") {
      for (const values of msg.keys) { const key = keyOf(values); forget(cache.get(key)); cache.delete(key); }
    } else if (msg.kind === "clear") {
      cache.forEach(forget);
      cache.clear();
    }
  }
  const onMessage = (msg, buffers) => { if (models) handle(msg, buffers); else queued.push([msg, buffers]); };
  model.on("msg:custom", onMessage);
  // During a drag through states the page has, a control's new value need not reach the kernel on
  // every move (each sent value costs the page a message out and two kernel status messages back):
  // the last one is sent when the mouse is released, or after HOLD_MAX ms without release.
  let held = null, heldTimer = null;
  const release = () => {
    if (heldTimer) { clearTimeout(heldTimer); heldTimer = null; }
    if (held) { const [m, save, args] = held; held = null; save.apply(m, args); }
  };
  function holdSaves(m) {
    const save = m.save_changes;
    m.save_changes = function (...args) {
      if (dragging && models && cache.has(keyNow())) {
        if (held && held[0] !== m) release();
        held = [m, save, args];
        if (heldTimer) clearTimeout(heldTimer);
        heldTimer = setTimeout(release, HOLD_MAX);
        return;
      }
      release();
      return save.apply(m, args);
    };
    return () => { m.save_changes = save; };
  }
  const down = () => { dragging = true; };
  const up = () => {
    dragging = false;
    release();
    if (toldDrag) { toldDrag = false; model.send({ kind: "drag", on: false }); }
    // the equation after the picture's frame (typesetting holds the page up for a while)
    if (mathTimer) {
      clearTimeout(mathTimer);
      mathTimer = null;
      if (!images.length) { mathLater(); return; }
      const waiting = (mathTimer = setTimeout(() => {}, 1000));  // (a new move replaces it)
      requestAnimationFrame(() => requestAnimationFrame(() => { if (mathTimer === waiting) mathLater(); }));
    }
  };
  const DOWN = ["pointerdown", "mousedown", "touchstart"], UP = ["pointerup", "mouseup", "pointercancel", "touchend"];
  DOWN.forEach((kind) => document.addEventListener(kind, down, true));
  UP.forEach((kind) => document.addEventListener(kind, up, true));
  let alive = true, unhook = () => {};
  async function setup() {  // the kernel has said which widgets are the explorer's
    const refs = model.get("models");
    if (!refs.length || models) return;
    const manager = model.widget_manager;
    const found = await Promise.all(refs.map((ref) => manager.get_model(ref.slice("IPY_MODEL_".length))));
    if (!alive || models) return;
    controls = model.get("controls");
    maths = new Set(model.get("maths"));
    models = found;
    images = models.map((m, i) => (m.get("_model_name") === "ImageModel" ? i : -1)).filter((i) => i >= 0);
    for (const [i, trait] of controls) models[i].on("change:" + trait, show);
    const unhold = controls.map(([i]) => holdSaves(models[i]));
    const keyed = new Set(controls.map(([i]) => i));  // (their own moves call show directly)
    const outputs = models.filter((m, i) => !keyed.has(i));
    outputs.forEach((m) => m.on("change", onChange));
    unhook = () => {
      release();
      unhold.forEach((undo) => undo());
      for (const [i, trait] of controls) models[i].off("change:" + trait, show);
      outputs.forEach((m) => m.off("change", onChange));
    };
    for (const [msg, buffers] of queued) handle(msg, buffers);
    queued = [];
  }
  const ready = () => setup().catch((error) => console.warn("[flipbook] explorer's widgets not found", error));
  model.on("change:models", ready);
  ready();
  model.send({ kind: "hello" });
  return () => {
    alive = false;
    unhook();
    model.off("msg:custom", onMessage);
    model.off("change:models", ready);
    DOWN.forEach((kind) => document.removeEventListener(kind, down, true));
    UP.forEach((kind) => document.removeEventListener(kind, up, true));
  };
}

function render({ model, el }) {
  // for the drag benchmark and browser tests: whether every planned state is in the page
  const mark = () => { el.dataset.flipbook = model.get("ahead"); };
  mark();
  model.on("change:ahead", mark);
  model.on("change:wanted", mark);
  // the explorers on screen draw ahead first (its box is this hidden widget's parent)
  let observer = null;
  const frame = requestAnimationFrame(() => {
    const box = el.parentElement;
    if (!box || typeof IntersectionObserver === "undefined") {
      model.set("wanted", true); model.save_changes(); return;
    }
    observer = new IntersectionObserver((seen) => {
      const wanted = seen[seen.length - 1].isIntersecting;
      if (model.get("wanted") !== wanted) { model.set("wanted", wanted); model.save_changes(); }
    }, { rootMargin: "200px" });
    observer.observe(box);
  });
  return () => { cancelAnimationFrame(frame); if (observer) observer.disconnect(); model.off("change:ahead", mark); model.off("change:wanted", mark); };
}

export default { initialize, render };
"""


class Flipbook(anywidget.AnyWidget):
    """The hidden part of an explorer that keeps its next states in the page (see the module's
    docstring). ``Explorer`` adds one; ``fill()`` draws every planned state at once (for tests)."""

    _esm = JAVASCRIPT
    models = traitlets.List().tag(sync=True, **widgets.widget_serialization)  # the explorer's widgets
    controls = traitlets.List().tag(sync=True)  # [[index into widgets, trait]]: a state's name
    maths = traitlets.List().tag(sync=True)  # indices of HTMLMath widgets (typeset calmly)
    wanted = traitlets.Bool(False).tag(sync=True)  # on screen: drawn ahead first (the others, slower)
    # "waiting" for a page, "drawing", "near" (every state within NEAR[0] steps of the current one sent), "ready" (all)
    ahead = traitlets.Unicode("waiting").tag(sync=True)
    tracks = traitlets.List().tag(sync=True)  # each key control's values (or None): pictures decoded ahead

    def __init__(self, explorer, **kwargs):
        super().__init__(layout={"display": "none"}, **kwargs)
        self._explorer = explorer
        self._attached = False
        self._greeted = False  # a page has said hello: it keeps a cache
        self.entries = collections.OrderedDict()  # key -> (values, states): what the shadow drew
        self.sent = set()  # keys of the entries the page has
        self.shadow = None
        self._shadow_failed = False
        self._plan, self._plan_base, self._near_done_at = [], None, 0
        self._handle = None
        self._moved_at = -1e9
        self._layout_values = None  # the controls' values when the real figure was last laid out
        self._verifying = False  # a check of the page's state is scheduled (after a move)
        self.stats = collections.Counter()  # drawn, "not sent again", corrected, failed, unfaithful
        self.on_msg(self._page_said)
        self.observe(self._on_wanted, names="wanted")

    # --- setting up (when a page first shows the explorer) --------------------------------------------
    def attach(self):
        """Index the explorer's widgets and watch what they send (once, after it is fully built)."""
        if self._attached:
            return
        self._attached = True
        explorer = self._explorer
        self.parts = page_parts(explorer)
        self.key = key_controls(self.parts)
        controls = {i for i, _ in self.key} | {i for i, w in enumerate(self.parts) if isinstance(w, widgets.Play)}
        self.settable = [settable_traits(w, i in controls) for i, w in enumerate(self.parts)]
        with self.hold_sync():  # the page sets itself up once it has all three
            self.models = list(self.parts)
            self.controls = [[i, trait] for i, trait in self.key]
            self.maths = [i for i, w in enumerate(self.parts) if isinstance(w, widgets.HTMLMath)]
        self.reference = self.capture(self.parts)  # states are kept as their differences from this one
        from .live import OUTPUTS
        self.varying = {(i, "value") for i, w in enumerate(self.parts)
                        if isinstance(w, OUTPUTS) and "value" in self.settable[i]}
        for i, part in enumerate(self.parts):
            self._guard(i, part)
        for i, trait in self.key:
            self.parts[i].observe(self._control_moved, names=trait)

    def _guard(self, i, part):
        original = part._should_send_property

        def should_send(name, value):
            """ipywidgets' check before sending a trait: not if the page shows this value already."""
            if self._page_has(i, name):
                part._states_to_send.discard(name)
                return False
            return original(name, value)
        part._should_send_property = should_send

    def _page_said(self, _, content, buffers):
        if not isinstance(content, dict):
            return
        if content.get("kind") == "drag":  # every explorer waits while the page is busy with a drag
            _page_drag["until"] = time.monotonic() + DRAG_LONGEST if content.get("on") else 0.0
            if not content.get("on"):
                self._moved_at = time.monotonic()
                self._schedule()
        if content.get("kind") == "hello":
            self.attach()
            self._greeted = True
            self._forget_page()  # a new page: it has none of them yet (they are sent again as planned)
            self._schedule()

    def _on_wanted(self, change):
        if change["new"]:
            self._schedule()

    # --- the state of the real explorer --------------------------------------------------------------------
    def current_values(self, parts=None):
        """The key controls' values in ``parts`` (default: the real explorer's)."""
        parts = self.parts if parts is None else parts
        return [getattr(parts[i], trait) for i, trait in self.key]

    @staticmethod
    def key_of(values):
        """The name of the state where the key controls have ``values`` (see ``normal_number``)."""
        return tuple(normal_number(v) for v in values)

    def capture(self, parts):
        """What every widget of ``parts`` shows now: one dict of settable traits per widget."""
        return [{name: _plain(value) for name, value in part.get_state(self.settable[i]).items()}
                if self.settable[i] else {} for i, part in enumerate(parts)]

    def _page_has(self, i, name):
        """Whether the page already shows this trait's current value (from an entry it holds)."""
        if name not in self.settable[i]:
            return False
        value = _plain(self.parts[i].get_state(name)[name])
        if (i, name) not in self.varying:
            if value != self.reference[i][name]:
                self._varies(i, name)
            return False
        key = self.key_of(self.current_values())
        if key not in self.sent:
            return False
        if value == self.shown(key, i, name):
            self.stats["not sent again"] += 1
            return True
        self._correct_soon()  # the shadow drew something else: the real explorer's state replaces it
        return True

    def _correct_soon(self):
        loop = _running_loop()
        if loop is None:
            self._correct()
        else:
            loop.call_soon(self._correct)

    def _correct(self):
        values = self.current_values()
        key, states = self.key_of(values), self.capture(self.parts)
        if key in self.sent and all(state[name] == self.shown(key, i, name)
                                    for i, state in enumerate(states) for name in state):
            return  # (a value set twice in one update: the page's entry was right after all)
        self.stats["corrected"] += 1
        self._store(values, states)
        self._send_entry(key)

    # --- the shadow --------------------------------------------------------------------------------------------
    def _build_shadow(self):
        made = getattr(self._explorer, "_recipe", None)
        if made is None:
            return None
        factory, args, kwargs = made
        with _no_comms():  # (a widget's layout and style are made when first read: inside too)
            shadow = factory(*args, **kwargs)  # (copies made when the explorer was built)
            parts = page_parts(shadow)
        if [type(p) for p in parts] != [type(p) for p in self.parts]:
            return None
        shadow._flip_parts = parts
        if getattr(shadow, "figure", None) is not None:
            ratio = self._explorer.figure.pixel_ratio
            if shadow.figure.pixel_ratio != ratio:  # laid out again where the real one was
                self.shadow = shadow
                self._set_shadow(self._layout_values or self.current_values())
                shadow.figure.set_pixel_ratio(ratio)
                shadow.redraw_for_pixel_ratio()
        return shadow

    def _set_shadow(self, values):
        """Move the shadow's controls to ``values`` (only those that differ); True if they stay there."""
        parts = self.shadow._flip_parts
        for _ in range(2):  # twice: a slider clamped by another's old value (a stride) gets it now
            for (i, trait), value in zip(self.key, values):
                if getattr(parts[i], trait) != value:
                    setattr(parts[i], trait, value)
            if self.key_of(self.current_values(parts)) == self.key_of(values):
                return True
        return False

    def reset(self):
        """Forget every state (the figure now draws at another pixel ratio): page and kernel.

        Called just before the real explorer lays its figure out again for the new ratio: the
        shadow is laid out at the same controls' values (a layout fits the tick labels it sees)."""
        self.attach()
        self._layout_values = self.current_values()
        self._clear_page(forget_states=True)
        self._forget_page()
        if self.shadow is not None and getattr(self.shadow, "figure", None) is not None:
            # laid out again at the real explorer's state, as the real one is (tick labels differ by state)
            self._set_shadow(self.current_values())
            self.shadow.figure.set_pixel_ratio(self._explorer.figure.pixel_ratio)
            self.shadow.redraw_for_pixel_ratio()

    # --- drawing ahead ---------------------------------------------------------------------------------------
    def _control_moved(self, _):
        self._moved_at = time.monotonic()
        self._schedule()
        loop = _running_loop()
        if self._greeted and loop is not None and not self._verifying:
            self._verifying = True  # once the explorer has finished updating (this move may set more)
            loop.call_soon(self._verify)

    def _verify(self):
        """After a move: if the page was given a state here, is it what the explorer shows? Traits the
        move did not change are not sent by the explorer, so only this catches an entry wrong in them."""
        self._verifying = False
        key = self.key_of(self.current_values())
        if key not in self.sent:
            return
        for i, name in self.varying:
            if _plain(self.parts[i].get_state(name)[name]) != self.shown(key, i, name):
                self._correct()
                return

    def _schedule(self, delay=0.0):
        if not self._greeted or self._handle is not None:
            return
        loop = _running_loop()
        if loop is not None:
            self._handle = loop.call_later(delay, self._step)

    def _step(self):
        self._handle = None
        if not self._greeted:
            return
        now = time.monotonic()
        quiet = now - self._moved_at
        if quiet < QUIET or now < _page_drag["until"]:
            self._schedule(max(QUIET - quiet, 0.05))
            return
        started = time.monotonic()
        if self.draw_next():
            self.ahead = "near" if len(self._plan) <= self._near_done_at else "drawing"
            took = time.monotonic() - started
            # a slow state (a full redraw) leaves the kernel idle as long; one off screen, 4 times as long
            self._schedule((took if took > 0.05 else 0.0) if self.wanted else max(4 * took, 0.02))
        else:
            self.ahead = "ready"

    def _replan(self):
        base = self.current_values()
        self._plan_base = self.key_of(base)
        choices = [values_of(self.parts[i], trait) for i, trait in self.key]
        tracks = [None if c is None else [normal_number(v) for v in c] for c in choices]
        if tracks != self.tracks:
            self.tracks = tracks
        self._plan = ([base] + prefetch_plan(base, choices))[:MAX_ENTRIES]  # (more would drop the nearest)
        self._plan.reverse()  # popped from the end
        # once the plan is this short, every state within NEAR[0] steps has been sent (or skipped)
        self._near_done_at = max(len(self._plan) - 1 - len(prefetch_plan(base, choices, within=NEAR[0])), 0)

    def _shadow_agrees(self):
        """Draw the state on screen with the shadow: True if it is exactly what the explorer shows.
        If not, the shadow is not this explorer (changed by hand after it was built, or showing what
        the way there left): every state it drew is forgotten, page and kernel, until the next move."""
        values = self.current_values()
        try:
            if not self._set_shadow(values) or not _only_its_values(self.shadow):
                return True  # (a state the shadow does not draw: nothing to compare)
            states = self.capture(self.shadow._flip_parts)
        except Exception:  # (a state it cannot draw: the drawing below counts it as failed)
            return True
        if states == self.capture(self.parts):
            return True
        self.stats["unfaithful"] += 1
        self._clear_page(forget_states=True)
        self._plan = []  # (and no new plan until a control moves)
        return False

    def draw_next(self):
        """Send the page the next planned state (drawing it with the shadow if not drawn yet).
        Returns False when there is nothing left to do until a control moves."""
        self.attach()
        if self.shadow is None:
            if self._shadow_failed:
                return False
            self.shadow = self._build_shadow()
            if self.shadow is None:
                self._shadow_failed = True
                return False
        if self._plan_base != self.key_of(self.current_values()):
            self._replan()
            if not self._shadow_agrees():
                return False
        while self._plan:
            values = self._plan.pop()
            key = self.key_of(values)
            if key in self.entries:
                self.entries.move_to_end(key)  # planned again: the last to be dropped
            if key in self.sent:
                continue
            if key not in self.entries:
                try:
                    if not self._set_shadow(values):
                        continue  # a control moved another (a clamp): not a state the page reaches this way
                    if not _only_its_values(self.shadow):
                        continue  # what it shows there depends on the way there (the real one may differ)
                    states = self.capture(self.shadow._flip_parts)
                except Exception:  # the explorer cannot show this state (it will say why if a learner
                    self.stats["failed"] += 1  # goes there); the shadow may be half updated: a new one
                    self.shadow = None
                    self._shadow_failed = self.stats["failed"] >= MAX_FAILURES
                    return not self._shadow_failed
                self._store(values, states)
                self.stats["drawn"] += 1
            self._send_entry(key)
            return True
        return False

    def fill(self):
        """Draw and send every planned state now (tests; the page normally gets them while idle)."""
        self._greeted = True
        count = 0
        while self.draw_next():
            count += 1
        return count

    def _store(self, values, states):
        """Keep a state (as its difference from the reference) and note any trait it shows varying."""
        key = self.key_of(values)
        diff = [{name: value for name, value in state.items() if value != reference[name]}
                for state, reference in zip(states, self.reference)]
        for i, changed in enumerate(diff):
            for name in changed:
                self._varies(i, name)
        self.entries.pop(key, None)
        self.entries[key] = (list(values), diff)
        dropped = []
        while len(self.entries) > MAX_ENTRIES:
            old, (old_values, _) = self.entries.popitem(last=False)
            if old in self.sent:
                self.sent.discard(old)
                dropped.append(old_values)
        if dropped:
            self.send({"kind": "drop", "keys": dropped})

    def _clear_page(self, forget_states=False):
        """The page drops every state it holds (and the kernel its own too, with ``forget_states``)."""
        if forget_states:
            self.entries.clear()
        if self.sent:
            self.send({"kind": "clear"})
        self.sent.clear()

    def _forget_page(self):
        """The page holds no state now: send them again, nearest first (from the kernel's store)."""
        self.sent.clear()
        self._plan, self._plan_base, self._near_done_at = [], None, 0
        self._schedule()

    def _varies(self, i, name):
        """Trait ``name`` of part ``i`` turned out to change: entries carry it from now on (the
        page's entries, sent without it, are dropped and sent again)."""
        if (i, name) in self.varying:
            return
        self.varying.add((i, name))
        self._clear_page()
        self._forget_page()

    def shown(self, key, i, name):
        """The value of trait ``name`` of part ``i`` in the stored state ``key``."""
        return self.entries[key][1][i].get(name, self.reference[i][name])

    def _send_entry(self, key):
        values, _ = self.entries[key]
        buffers, message = [], []
        for i in range(len(self.parts)):
            out = {}
            for name in self.settable[i]:
                if (i, name) not in self.varying:
                    continue
                value = self.shown(key, i, name)
                if isinstance(value, bytes):
                    out[name] = {"$buffer": len(buffers)}
                    buffers.append(value)
                else:
                    out[name] = value
            message.append(out)
        self.send({"kind": "entry", "values": values, "states": message}, buffers)
        self.sent.add(key)


def _only_its_values(explorer):
    """``explorer.shows_only_its_values()`` (True for an explorer that does not say)."""
    says = getattr(explorer, "shows_only_its_values", None)
    return says is None or says()


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
