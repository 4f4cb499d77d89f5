"""Drag every notebook's sliders in a real browser and time the pictures (README "Performance").

    .venv/bin/python bench/drag.py                       # every notebook in JupyterLab, 5 drags each
    .venv/bin/python bench/drag.py --drags 3 01 06       # notebooks whose name starts with 01 or 06
    .venv/bin/python bench/drag.py --json out.json       # also keep every measurement

A drag is what a learner's mouse does: press on the first slider's handle, 30 moves along the
track over ~1.1 s, release (the next drag goes back the other way). In the page, a
MutationObserver stamps every picture change with ``performance.now()``:

* widgets with a figure (an ``ipywidgets.Image``): each new ``src`` of the image;
* widgets without one (HTML tables, the steppers' typeset equations): each new text of the
  widget's HTML outputs once MathJax has typeset them (no raw ``$`` left).

Per drag it reports pictures per second between mouse-down and mouse-up, and milliseconds
from mouse-up to the last picture (0 when the final picture came before the release). Per
widget it prints medians over the drags, and where the time goes:

* ``round trip``: a slider update sent on the websocket to the kernel's "idle" for it (the
  kernel's own busy time, from the message headers, in brackets);
* ``PNG``: bytes per picture, and its pixel size against the size the page shows it at,
  times ``devicePixelRatio`` (> 1: the page upscales it);
* ``main thread``: long tasks (> 50 ms) during the drag, e.g. MathJax re-typesetting.

Targets (issue 14): ≥ 20 pictures/s during a drag, ≤ 50 ms from mouse-up to the final picture.
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.browser import LabServer, browser_missing, launch_chromium, open_and_run_all  # noqa: E402

WINDOWING = "@jupyterlab/notebook-extension/tracker.jupyterlab-settings"

DRAG_SECONDS, VALUES_PER_SECOND = 1.2, 40  # a brisk drag: twice the target's pace
TARGET_RATE, TARGET_LATENCY = 20.0, 50.0

# Installed once per page, before the notebook's JavaScript: timestamps of websocket traffic.
WEBSOCKET_HOOK = """
(() => {
  const log = window.__bpSocket = [];
  const decode = data => {
    try {
      if (typeof data === 'string') return JSON.parse(data);
      const view = new DataView(data);
      const n = Number(view.getBigUint64(0, true));
      const offsets = [...Array(n)].map((_, i) => Number(view.getBigUint64(8 * (i + 1), true)));
      offsets.push(data.byteLength);
      const text = i => new TextDecoder().decode(new Uint8Array(data, offsets[i], offsets[i + 1] - offsets[i]));
      return {channel: text(0), header: JSON.parse(text(1)), parent_header: JSON.parse(text(2)),
              content: JSON.parse(text(4)), bytes: data.byteLength};
    } catch (e) { return null; }
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const m = decode(data);
    if (m) log.push({t: performance.now(), wall: Date.now(), dir: 'out', type: m.header.msg_type, id: m.header.msg_id,
                     method: m.content && m.content.data && m.content.data.method});
    if (!this.__bpHooked) {
      this.__bpHooked = true;
      this.addEventListener('message', ev => {
        const r = decode(ev.data);
        if (r) log.push({t: performance.now(), wall: Date.now(), dir: 'in', type: r.header.msg_type, parent: r.parent_header.msg_id,
                         date: r.header.date, state: r.content && r.content.execution_state,
                         bytes: r.bytes || (ev.data.length || 0)});
      });
    }
    return send.call(this, data);
  };
  window.__bpLong = [];
  try {
    new PerformanceObserver(list => { for (const e of list.getEntries()) window.__bpLong.push([e.startTime, e.duration]); })
      .observe({type: 'longtask', buffered: true});
  } catch (e) {}
})();
"""

# Watches one widget (``root``): every frame that shows a new picture, stamped; pointer down/up, stamped.
RECORDER = """
([root, index]) => {
  const img = root.querySelector('img.widget-image');
  const rec = window.__bpRec = {pictures: [], values: [], down: null, up: null, kind: img ? 'image' : 'html', sizes: [], img};
  const readout = root.querySelectorAll('.widget-slider')[index].querySelector('.widget-readout');
  let value = readout.textContent;
  const texts = () => [...root.querySelectorAll('.widget-html-content, .widget-htmlmath-content')]
      .filter(e => !e.closest('.bp-readout') && !e.closest('.widget-slider'));
  const rawMath = e => {
    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode())
      if (!n.parentElement.closest('mjx-container, .MathJax, script') && /\\$|\\\\\\(/.test(n.data)) return true;
    return false;
  };
  const snapshot = () => {
    if (img) return img.src;
    const parts = texts();
    if (parts.some(rawMath)) return null;  // MathJax has not typeset it yet
    return parts.map(e => e.textContent).join('|');
  };
  let last = snapshot(), running = true;
  // checked at every animation frame: a picture is what a frame shows (an answer arrives as
  // several messages, each changing part of the widget). Every frame, not only those after a
  // change: a check asked for from inside a frame's callbacks (the drag moves the mouse in one)
  // runs a frame later, so checks made only after changes fell on every other frame, and a
  // slider crossing 40 values a second was counted at 20-30
  const check = () => {
    const now = performance.now(), s = snapshot();
    if (readout.textContent !== value) { value = readout.textContent; rec.values.push(now); }
    // an image counts once the frame can show it: loaded (until then the page keeps showing the
    // one before; a picture replaced before it loaded was never seen)
    if (s !== null && s !== last && (!img || (img.complete && img.naturalWidth > 0))) {
      last = s;
      rec.pictures.push(now);
    }
  };
  const frame = () => { if (running) { check(); requestAnimationFrame(frame); } };
  requestAnimationFrame(frame);
  window.__bpStop = () => { running = false; };
  for (const kind of ['pointer', 'mouse']) {  // a real mouse gives both; the drag below, mouse events
    document.addEventListener(kind + 'down', () => { if (rec.down === null) rec.down = performance.now(); }, {capture: true});
    document.addEventListener(kind + 'up', () => { if (rec.up === null) rec.up = performance.now(); }, {capture: true});
  }
}
"""


def slider_geometry(slider):
    """How many values the slider has and where its track is: ``(values, track box)``.

    Read from the page's own noUiSlider (``range`` and ``step``, in the slider's units; a log
    slider's are exponents), so the drag can cross values at a set pace whatever the slider's size.
    """
    target = slider.locator(".noUi-target").first
    values = target.evaluate("""el => { const o = el.noUiSlider.options;
        return Math.round((o.range.max - o.range.min) / o.step) + 1; }""")
    return values, target.element_handle()


# The drag, run in the page: mouse events as a mouse gives them, one move per animation frame
# (Chromium aligns pointer moves with frames and merges the moves of a busy frame), each at
# the handle's position for that moment, so a slow page gets fewer, longer steps, as with a
# real mouse. Driving the mouse from here instead (Playwright's mouse.move) waits for the page
# to acknowledge every move, which slows the drag itself down whenever the page is busy.
DRAG = """
async ([handle, track, values, seconds, perSecond]) => {
  const hb = handle.getBoundingClientRect(), tb = track.getBoundingClientRect();
  const y = hb.top + hb.height / 2, left = tb.left + 1, right = tb.right - 1;
  const perValue = tb.width / Math.max(values - 1, 1);  // pixels between neighbouring values
  // at least 1.5 px a frame: the page rounds a mouse position to whole pixels, so a slow drag
  // over a long slider (0.7 px per value) would cross fewer values than it should
  perSecond = Math.max(perSecond, 90 / perValue);
  let x = hb.left + hb.width / 2, direction = x < (left + right) / 2 ? 1 : -1, crossed = 0;
  // noUiSlider listens for mouse events in Chromium (it only takes pointer events where
  // navigator.pointerEnabled is set), and the page's recorder for either kind
  const event = (type, at) => new MouseEvent(type, {bubbles: true, cancelable: true, composed: true,
      clientX: at, clientY: y, view: window, button: 0, buttons: type === 'mouseup' ? 0 : 1});
  const grip = handle.querySelector('.noUi-touch-area') || handle;  // where noUiSlider listens
  grip.dispatchEvent(event('mousedown', x));
  const start = performance.now();
  let last = start;
  await new Promise(done => {
    const frame = now => {
      let travel = perSecond * perValue * (Math.min(now, start + 1000 * seconds) - last) / 1000;
      last = now;
      crossed += travel / perValue;
      while (travel > 0) {  // scrub back and forth: turn round at each end of the track
        const room = direction > 0 ? right - x : x - left;
        if (travel <= room) { x += direction * travel; travel = 0; }
        else { x += direction * room; travel -= room; direction = -direction; }
      }
      grip.dispatchEvent(event('mousemove', x));
      if (now - start >= 1000 * seconds) { grip.dispatchEvent(event('mouseup', x)); done(); }
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  return crossed;
}
"""


def drag_once(page, handle, track, values):
    """Scrub the slider for 1.2 s, crossing 40 values a second (turning back at each end).

    ``handle`` and ``track`` are element handles of the slider's noUiSlider parts; ``values`` is how
    many values it has. Returns the number of values the handle passed over.
    """
    return page.evaluate(DRAG, [handle, track, values, DRAG_SECONDS, VALUES_PER_SECOND])


def measure_widget(page, root, slider_index, drags):
    """Drag slider ``slider_index`` of the widget in ``root`` ``drags`` times; one dict per drag."""
    slider = root.locator(".widget-slider").nth(slider_index)
    handle = slider.locator(".noUi-handle").first
    results = []
    root.scroll_into_view_if_needed()
    # each explorer draws its next states ahead (helpers.flipbook): wait until all are done
    started = time.monotonic()
    # every explorer on the page, not only this one: the others' drawing would share the CPU with the drag
    books = page.locator("[data-flipbook]")
    while any(books.nth(k).get_attribute("data-flipbook") != "ready" for k in range(books.count())):
        if time.monotonic() - started > 180:  # (each read again: a view may be re-made)
            raise TimeoutError("the explorers still draw ahead after 180 s")
        page.wait_for_timeout(100)
    ahead = time.monotonic() - started
    for k in range(drags):
        root.scroll_into_view_if_needed()
        values, track = slider_geometry(slider)
        page.evaluate(RECORDER, [root.element_handle(), slider_index])
        page.evaluate("() => { window.__bpSocket.length = 0; window.__bpLong.length = 0; }")
        crossed = drag_once(page, handle.element_handle(), track, values)
        # wait until the pictures settle: nothing new for 0.8 s (at most 6 s)
        page.wait_for_function("""() => { const r = window.__bpRec;
            const last = r.pictures.length ? r.pictures[r.pictures.length - 1] : r.up;
            return r.up !== null && performance.now() - Math.max(last, r.up) > 800; }""", timeout=10_000)
        rec = page.evaluate("""() => { window.__bpStop(); const r = window.__bpRec, img = r.img;
            if (img) r.sizes.push([img.naturalWidth, img.clientWidth]);  // the final picture, decoded
            delete r.img; return r; }""")
        socket = page.evaluate("() => window.__bpSocket")
        longs = page.evaluate("() => window.__bpLong")
        down, up = rec["down"], rec["up"]
        during = [t for t in rec["pictures"] if down <= t <= up]
        final = rec["pictures"][-1] if rec["pictures"] else None
        results.append({
            "pictures_during": len(during),
            "values_crossed": crossed,
            "rate": len(during) / ((up - down) / 1000),
            "value_rate": len([t for t in rec["values"] if down <= t <= up]) / ((up - down) / 1000),
            "latency": None if final is None else max(0.0, final - up),
            "kind": rec["kind"],
            "sizes": rec["sizes"],
            **socket_summary(socket, down),
            "long_ms": sum(d for s, d in longs if s >= down - 50),
            "ahead_s": ahead,
        })
    return results


def socket_summary(log, since):
    """Slider updates sent and their round trips (send to the kernel's idle), kernel busy time, bytes in."""
    from datetime import datetime

    def wall(date):
        return datetime.fromisoformat(date.replace("Z", "+00:00")).timestamp() * 1000

    outs = {e["id"]: e for e in log if e["dir"] == "out" and e["type"] == "comm_msg" and e["t"] >= since}
    sent = {k: e["t"] for k, e in outs.items()}
    trips, busy_ms, busy_start, up, down = [], [], {}, [], []
    for e in log:
        if e["dir"] != "in" or e.get("parent") not in sent:
            continue
        if e["type"] == "status" and e["state"] == "busy":
            busy_start[e["parent"]] = e["date"]
            up.append(wall(e["date"]) - outs[e["parent"]]["wall"])
        if e["type"] == "status" and e["state"] == "idle":
            trips.append(e["t"] - sent[e["parent"]])
            down.append(e["wall"] - wall(e["date"]))
            if e["parent"] in busy_start:
                busy_ms.append(wall(e["date"]) - wall(busy_start[e["parent"]]))
    updates = [e for e in log if e["dir"] == "in" and e["type"] == "comm_msg" and e.get("parent") in sent]
    return {"sent": len(sent), "round_trip": statistics.median(trips) if trips else None,
            "kernel_busy": statistics.median(busy_ms) if busy_ms else None,
            "page_to_kernel": statistics.median(up) if up else None,
            "kernel_to_page": statistics.median(down) if down else None,
            "bytes_in": statistics.median([u["bytes"] for u in updates]) if updates else None}


def explorers(page):
    """Each displayed explorer with a slider: (output-area locator, index of its first slider, name)."""
    found = []
    readouts = page.locator(".bp-readout")
    for k in range(readouts.count()):
        root = readouts.nth(k).locator("xpath=ancestor::div[contains(@class, 'jp-OutputArea-output')][1]")
        count = root.locator(".widget-slider").count()
        if count:
            found.append((root, 0, f"explorer {k + 1}"))
    return found


def med(values, digits=0):
    values = [v for v in values if v is not None]
    return "–" if not values else f"{statistics.median(values):.{digits}f}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("prefixes", nargs="*", help="notebook name prefixes (default: all)")
    parser.add_argument("--drags", type=int, default=5, help="drags per widget (5)")
    parser.add_argument("--json", help="write every measurement to this file")
    parser.add_argument("--all-cells-laid-out", action="store_true",
                        help="JupyterLab with windowing off, as in the browser tests (slower to lay out)")
    args = parser.parse_args(argv)
    missing = browser_missing()
    if missing:
        sys.exit(f"cannot drag: {missing}")
    from playwright.sync_api import sync_playwright

    paths = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb"))
             if not args.prefixes or any(p.name.startswith(x) for x in args.prefixes)]
    rows, everything = [], {}
    # JupyterLab as `make lab` opens it (its default windowing: off-screen cells are not laid out);
    # --all-cells-laid-out is the browser tests' setting, which the first drag figures were taken with
    windowing = {} if args.all_cells_laid_out else {WINDOWING: None}
    with LabServer(settings=windowing) as lab, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        context.add_init_script(WEBSOCKET_HOOK)
        for path in paths:
            page = context.new_page()
            try:
                for attempt in (1, 2):  # on a loaded machine JupyterLab now and then shows no widget: once more
                    try:
                        open_and_run_all(page, lab, path.name)
                        page.wait_for_selector(".bp-readout", state="attached", timeout=30_000)
                        break
                    except Exception:
                        if attempt == 2:
                            raise
                        print(f"  {path.name}: no widget after Run All, trying again", file=sys.stderr)
                        lab.shutdown_kernels()
                dpr = page.evaluate("devicePixelRatio")
                for root, index, _ in explorers(page):
                    label = " ".join(root.locator(".widget-slider").nth(index).locator(".widget-label")
                                     .first.text_content().split())
                    runs = measure_widget(page, root, index, args.drags)
                    sizes = [s for r in runs for s in r["sizes"]]
                    scale = (f"{statistics.median(c * dpr / max(n, 1) for n, c in sizes):.2f}×"
                             if sizes else "–")
                    key = f"{path.stem} / {label}"
                    key += f" ({sum(k.startswith(key) for k in everything) + 1})" if key in everything else ""
                    everything[key] = runs
                    rows.append((path.stem[:2], label, runs[0]["kind"], med([r["value_rate"] for r in runs], 1),
                                 med([r["rate"] for r in runs], 1),
                                 med([r["latency"] for r in runs]), med([r["round_trip"] for r in runs]),
                                 med([r["kernel_busy"] for r in runs], 1),
                                 med([r["page_to_kernel"] for r in runs]), med([r["kernel_to_page"] for r in runs]),
                                 med([r["bytes_in"] for r in runs]),
                                 scale, med([r["long_ms"] for r in runs])))
                    print(f"  {key}: {rows[-1]}", file=sys.stderr, flush=True)
            finally:
                page.close()
                lab.shutdown_kernels()
        browser.close()

    print(f"\n## Dragging a slider in JupyterLab, Chromium (medians of {args.drags} drags; "
          f"the handle scrubbed for {DRAG_SECONDS} s, crossing {VALUES_PER_SECOND} values/s)\n")
    print("| nb | slider | shows | slider values/s | pictures/s while dragging (≥ 20) | mouse-up to final picture, ms (≤ 50) | "
          "round trip, ms | kernel busy, ms | page → kernel, ms | kernel → page, ms | bytes per update | "
          "page upscale | long tasks, ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")
    if args.json:
        Path(args.json).write_text(json.dumps(everything, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
