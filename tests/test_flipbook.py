"""helpers.flipbook: the states an explorer draws ahead are exactly what the explorer itself shows;
the kernel does not send again what the page already has, corrects the page when they differ, and
starts over when a trait it did not carry starts changing or the pixel ratio changes."""
import asyncio
import json

import ipywidgets as widgets
import numpy as np
import pytest

from helpers import flipbook
from helpers.activation_grad_ui import activation_gradient_explorer
from helpers.conv_layer_ui import conv_window_stepper, pooling_stepper
from helpers.conv_ui import filter_explorer, window_stepper
from helpers.digits_ui import adversarial_explorer, digit_explorer, training_explorer
from helpers.forward_ui import W_DEFAULT, ForwardExplorer, forward_explorer
from helpers.input_grad_ui import backward_stepper, two_layer_backward_stepper
from helpers.network_ui import eta_explorer, network_stepper
from helpers.softmax_ui import softmax_explorer, train_test_explorer
from helpers.weight_grad_ui import weight_gradient_explorer

pytestmark = pytest.mark.usefixtures("sends_as_in_a_kernel")  # (tests/conftest.py)

FACTORIES = [forward_explorer, activation_gradient_explorer, weight_gradient_explorer, backward_stepper,
             two_layer_backward_stepper, eta_explorer, network_stepper, window_stepper, filter_explorer,
             softmax_explorer, train_test_explorer, conv_window_stepper, pooling_stepper, digit_explorer,
             adversarial_explorer, training_explorer]


@pytest.fixture(autouse=True)
def small_plans(monkeypatch):
    """Each control's 3 nearest values on each side (the real plan walks whole tracks: slow here)."""
    monkeypatch.setattr(flipbook, "NEAR", (1, 2))
    monkeypatch.setattr(flipbook, "MAX_VALUES", 3)
    monkeypatch.setenv("BP_PIXEL_RATIO", "1")


def recording(book):
    """Make ``book`` record what it sends the page instead: a list of (content, buffers)."""
    sent = []
    book.send = lambda content, buffers=None: sent.append((content, list(buffers or [])))
    return sent


def full_state(book, key):
    """Every settable trait of every part in stored state ``key``."""
    return [{name: book.shown(key, i, name) for name in book.settable[i]} for i in range(len(book.parts))]


def move(parts, key_controls, values):
    """Set the controls as the page would, in key order, twice (a clamp by another control's old
    value is then undone), as a learner reaches a state by moving one control at a time."""
    for _ in range(2):
        for (i, trait), value in zip(key_controls, values):
            if getattr(parts[i], trait) != value:
                setattr(parts[i], trait, value)


def page_move(widget, trait, value):
    """A control moved by the page: ipywidgets' ``set_state``, with its property lock (no echo)."""
    widget.set_state({trait: value})


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_every_state_drawn_ahead_is_what_the_explorer_itself_shows(factory):
    """For every explorer in the notebooks: the shadow's states, reached by the real explorer one
    control at a time, are trait for trait (PNG bytes included) what the real explorer shows."""
    explorer = factory()
    book = explorer.flipbook
    recording(book)
    count = book.fill()
    choices = [flipbook.values_of(book.parts[i], trait) for i, trait in book.key]
    assert count >= sum(1 for c in choices if c and len(c) > 1), f"{factory.__name__}: almost nothing drawn ahead"
    assert book.shadow is not None and book.shadow is not explorer
    keys = list(book.entries)
    for key in keys[::max(1, len(keys) // 12)] + [keys[0]]:
        values = book.entries[key][0]
        move(book.parts, book.key, values)
        assert book.key_of(book.current_values()) == key
        assert book.capture(book.parts) == full_state(book, key), (
            f"{factory.__name__}: at {values} the shadow drew something the explorer does not show")


def test_a_page_move_to_a_state_the_page_has_sends_no_picture_and_leaves_python_right():
    explorer = forward_explorer()
    book = explorer.flipbook
    recording(book)
    book.fill()
    image, x1 = explorer.figure.image, book.parts[book.key[0][0]]
    sent = []
    image._send = lambda msg, buffers=None: sent.append(msg)
    page_move(x1, "value", x1.value + 0.1)
    assert sent == [], "the page had this picture; the kernel sent it again"
    assert book.stats["not sent again"] >= 1
    # Python's own state is the real explorer's, redrawn for the new value
    fresh = forward_explorer(x=np.array([[x1.value], [2.0], [-1.0]]))
    assert image.value == fresh.figure.image.value


def test_a_move_to_a_state_the_page_does_not_have_is_sent_as_usual():
    explorer = forward_explorer()
    book = explorer.flipbook
    recording(book)
    book.fill()
    x1 = book.parts[book.key[0][0]]
    sent = []
    explorer.figure.image._send = lambda msg, buffers=None: sent.append(msg)
    page_move(x1, "value", x1.max)  # far along the track: beyond the small plan
    assert book.key_of(book.current_values()) not in book.sent
    assert any(["value"] in m.get("buffer_paths", []) for m in sent), \
        "the kernel did not send the picture of a state the page does not have"


def test_when_the_shadow_drew_something_else_the_real_explorer_corrects_the_page():
    explorer = forward_explorer()
    book = explorer.flipbook
    messages = recording(book)
    book.fill()
    x1 = book.parts[book.key[0][0]]
    target = x1.value + 0.1
    key = book.key_of([target if (i, t) == book.key[0] else getattr(book.parts[i], t) for i, t in book.key])
    image_index = book.parts.index(explorer.figure.image)
    values, diff = book.entries[key]
    diff[image_index]["value"] = b"not the picture"  # as if the shadow had drawn it wrong
    messages.clear()
    page_move(x1, "value", target)  # (no event loop here: the correction is sent at once)
    entries = [(c, b) for c, b in messages if c["kind"] == "entry" and book.key_of(c["values"]) == key]
    assert entries, "the page keeps a wrong picture"
    content, buffers = entries[-1]
    assert buffers[content["states"][image_index]["value"]["$buffer"]] == explorer.figure.image.value
    assert book.stats["corrected"] >= 1


def test_a_trait_that_starts_changing_clears_the_page_and_is_carried_from_then_on():
    explorer = backward_stepper()
    book = explorer.flipbook
    messages = recording(book)
    book.fill()
    button = explorer.next_button
    i = book.parts.index(button)
    assert (i, "disabled") not in book.varying, "(the small plan does not reach the last step)"
    messages.clear()
    explorer.step.value = explorer.step.max  # Next is disabled there: no state drawn so far had that
    assert {"kind": "clear"} in [c for c, _ in messages] and not book.sent
    assert (i, "disabled") in book.varying
    book.fill()
    sent_states = [c["states"][i] for c, _ in messages if c["kind"] == "entry"]
    assert sent_states and all("disabled" in s for s in sent_states)


def test_a_new_pixel_ratio_forgets_every_state_and_the_shadow_draws_at_it(monkeypatch):
    monkeypatch.delenv("BP_PIXEL_RATIO")
    explorer = forward_explorer()
    book = explorer.flipbook
    messages = recording(book)
    book.fill()
    size_before = len(explorer.figure.image.value)
    messages.clear()
    explorer.screen.ratio = 1.0  # the page reports an ordinary screen (from 2, the default)
    assert ({"kind": "clear"}, []) in messages and not book.entries and not book.sent
    book.fill()
    image_index = book.parts.index(explorer.figure.image)
    key = book.key_of(book.current_values())
    assert book.shown(key, image_index, "value") == explorer.figure.image.value
    assert len(explorer.figure.image.value) < size_before


def test_the_shadow_never_talks_to_the_page():
    opened = []
    original = widgets.Widget.open
    explorer = window_stepper()
    book = explorer.flipbook
    recording(book)
    try:
        widgets.Widget.open = lambda self: (opened.append(self), original(self))
        book.fill()
    finally:
        widgets.Widget.open = original
    assert opened == [], "building the shadow opened comms"
    assert all(part.comm is None for part in book.shadow._flip_parts)
    assert not flipbook.building_shadow()


def test_the_shadow_is_built_from_a_copy_of_the_arguments():
    W = np.array(W_DEFAULT, dtype=float)
    explorer = forward_explorer(W=W)
    W[:] = 0.0  # the notebook changes its array afterwards
    book = explorer.flipbook
    recording(book)
    book.fill()
    key = list(book.entries)[0]
    move(book.parts, book.key, book.entries[key][0])
    assert book.capture(book.parts) == full_state(book, key)


def test_an_explorer_built_without_a_recipe_draws_nothing_ahead():
    explorer = ForwardExplorer(np.eye(2), np.zeros((2, 1)), np.ones((2, 1)), "sigmoid", 0)
    book = explorer.flipbook
    messages = recording(book)
    assert book.fill() == 0 and messages == [] and book.shadow is None


def test_without_a_page_nothing_is_drawn(monkeypatch):
    """No page has said hello (nbval, a test): a control move schedules nothing."""
    async def main():
        explorer = forward_explorer()
        book = explorer.flipbook
        recording(book)
        book.attach()
        book.wanted = True
        book.parts[book.key[0][0]].value = 0.5
        await asyncio.sleep(0.3)
        return book
    book = asyncio.run(main())
    assert book.shadow is None and not book.entries and book.ahead == "waiting"


def drawn_ahead_for_a_page(book):
    """Let ``book`` draw ahead as it does for a page that said hello and shows the explorer,
    in a running event loop, until it is "ready" (at most 4 s)."""
    async def main():
        book._page_said(book, {"kind": "hello"}, [])
        book.wanted = True
        for _ in range(200):
            await asyncio.sleep(0.02)
            if book.ahead == "ready":
                break
    asyncio.run(main())


def test_with_a_page_states_are_drawn_while_idle_nearest_first_then_ready():
    book = forward_explorer().flipbook
    messages = recording(book)
    drawn_ahead_for_a_page(book)
    assert book.ahead == "ready"
    entries = [c["values"] for c, _ in messages if c["kind"] == "entry"]
    base = book.current_values()
    assert entries[0] == base, "the state on screen is sent first (the page can come back to it)"
    assert len(entries) == len(book.entries) == len(set(map(book.key_of, entries)))
    # one control moved at a time, and within each control nearest first
    moved = [[c for c, (a, b) in enumerate(zip(values, base)) if a != b] for values in entries[1:]]
    assert all(len(m) == 1 for m in moved)


def test_near_comes_once_every_state_within_the_first_steps_is_sent_and_before_the_rest():
    """``ahead`` says "near" once the page has the state on screen and every state within NEAR[0]
    steps of it, one control moved (where a learner goes first; the browser tests wait for it),
    while farther states are still to come; then "ready"."""
    book = forward_explorer().flipbook
    recording(book)
    seen = []
    book.observe(lambda change: seen.append((change["new"], set(book.sent))), names="ahead")
    drawn_ahead_for_a_page(book)
    names = [name for name, _ in seen]
    assert names[-2:] == ["near", "ready"] and names.count("near") == 1, names
    base = book.current_values()
    choices = [flipbook.values_of(book.parts[i], trait) for i, trait in book.key]
    near = {book.key_of(values) for values in [base] + flipbook.prefetch_plan(base, choices, within=flipbook.NEAR[0])}
    sent_at_near, sent_at_ready = seen[-2][1], seen[-1][1]
    assert near <= sent_at_near, "'near' came before every near state was in the page"
    assert len(sent_at_near) < len(sent_at_ready), "'near' came only when everything was sent"


def test_a_new_page_gets_the_states_again_without_redrawing_them():
    explorer = forward_explorer()
    book = explorer.flipbook
    messages = recording(book)
    count = book.fill()
    drawn = book.stats["drawn"]
    book._page_said(book, {"kind": "hello"}, [])
    assert not book.sent
    messages.clear()
    assert book.fill() == count and book.stats["drawn"] == drawn
    assert len([c for c, _ in messages if c["kind"] == "entry"]) == count


def test_the_oldest_states_are_dropped_from_page_and_kernel(monkeypatch):
    monkeypatch.setattr(flipbook, "MAX_ENTRIES", 5)
    explorer = forward_explorer()
    book = explorer.flipbook
    messages = recording(book)
    book.fill()
    x1 = book.parts[book.key[0][0]]
    x1.value = round(x1.value + x1.step, 10)  # a new plan: its states push out the oldest
    book.fill()
    assert len(book.entries) == 5
    dropped = [v for c, _ in messages if c["kind"] == "drop" for v in c["keys"]]
    assert dropped and not any(book.key_of(v) in book.entries for v in dropped)
    assert book.sent <= set(book.entries)


def test_the_plan_moves_one_control_at_a_time_nearest_first(monkeypatch):
    monkeypatch.setattr(flipbook, "NEAR", (2, 3))
    monkeypatch.setattr(flipbook, "MAX_VALUES", 10)
    plan = flipbook.prefetch_plan([2, "a", 0.5], [[0, 1, 2, 3, 4, 5], None, [0.0, 0.5, 1.0]])
    assert plan == [[1, "a", 0.5], [3, "a", 0.5], [0, "a", 0.5], [4, "a", 0.5],
                    [2, "a", 0.0], [2, "a", 1.0],
                    [5, "a", 0.5]]


@pytest.mark.parametrize("control, values", [
    (widgets.IntSlider(value=2, min=0, max=6, step=2), [0, 2, 4, 6]),
    (widgets.FloatSlider(value=0.0, min=-0.3, max=0.3, step=0.1), [-0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3]),
    (widgets.FloatLogSlider(value=1.0, base=10, min=-1, max=1, step=1), [0.1, 1.0, 10.0]),
    (widgets.Checkbox(value=False), [False, True]),
    (widgets.ToggleButtons(options=["max", "average"]), [0, 1]),
    (widgets.FloatText(value=1.0), None),
])
def test_the_values_a_control_can_take(control, values):
    trait = "index" if isinstance(control, widgets.ToggleButtons) else "value"
    found = flipbook.values_of(control, trait)
    assert found == values if values is None or not isinstance(values[0], float) else np.allclose(found, values)


def test_page_and_kernel_name_a_state_alike():
    """0.1 + 0.2 from the page and 0.3 from the kernel are one state; 0.3 and 0.31 are two."""
    key = flipbook.Flipbook.key_of
    assert key([0.1 + 0.2, 3, True, "relu"]) == key([0.3, 3, True, "relu"])
    assert key([0.3]) != key([0.31])
    assert json.dumps([flipbook.normal_number(0.1 + 0.2)]) == "[0.3]"


def test_the_page_part_is_javascript_anywidget_runs():
    """The page part exports initialize and render, and names the traits the kernel syncs."""
    js = flipbook.Flipbook._esm
    assert "export default { initialize, render }" in js
    for trait in ("models", "controls", "maths", "wanted", "ahead"):
        assert f'"{trait}"' in js and flipbook.Flipbook.class_own_traits().get(trait) is not None


def test_a_state_the_explorer_cannot_show_is_skipped_and_the_rest_still_drawn(monkeypatch):
    explorer = forward_explorer()
    book = explorer.flipbook
    recording(book)
    book.attach()
    original = book.capture
    calls = []

    def capture(parts):
        calls.append(1)
        if len(calls) == 3 and parts is not book.parts:
            raise ValueError("cannot show this state")
        return original(parts)
    monkeypatch.setattr(book, "capture", capture)
    count = book.fill()
    assert book.stats["failed"] == 1 and count >= 6 and book.shadow is not None
    keys = list(book.entries)
    move(book.parts, book.key, book.entries[keys[-1]][0])
    assert original(book.parts) == full_state(book, keys[-1])


def test_an_explorer_whose_every_state_fails_gives_up(monkeypatch):
    explorer = forward_explorer()
    book = explorer.flipbook
    recording(book)
    book.attach()
    monkeypatch.setattr(book, "_set_shadow", lambda values: 1 / 0)
    assert book.fill() == flipbook.MAX_FAILURES - 1
    assert book.stats["failed"] == flipbook.MAX_FAILURES and not book.entries and book.draw_next() is False


def test_a_shadow_built_after_a_move_is_laid_out_where_the_real_figure_was(monkeypatch):
    """The page reports its ratio at the first values, then a control moves, then the shadow is
    built: it must be laid out at the first values, as the real figure was. (01's activation
    changes the a-axis's tick labels, so its layout: measured, the only control that does.)"""
    monkeypatch.delenv("BP_PIXEL_RATIO")
    explorer = forward_explorer()
    book = explorer.flipbook
    recording(book)
    explorer.screen.ratio = 1.0  # laid out again at the first values
    first = book.current_values()
    first_picture = bytes(explorer.figure.image.value)
    explorer.activation.value = "identity"
    assert book.draw_next()  # the shadow is built now, and draws this state
    book._set_shadow(first)  # the shadow at the first values again
    assert bytes(book.shadow.figure.image.value) == first_picture


class Page:
    """A page as the kernel's messages leave it: every part's traits (``shown``: one dict per part),
    the controls' values, and the flip book's entries by key. ``move`` is a learner's move: the
    page shows its entry for the new values at once (if it has one), then the kernel gets it."""

    def __init__(self, book):
        self.book, self.cache = book, {}
        book.attach()
        self.shown = [dict(state) for state in book.capture(book.parts)]
        self.values = list(book.current_values())
        book.send = self.from_book
        for i, part in enumerate(book.parts):
            part._send = lambda msg, buffers=None, i=i: self.from_widget(i, msg, buffers or [])

    def key(self):
        return self.book.key_of(self.values)

    def apply(self, states):
        for i, state in enumerate(states):
            self.shown[i].update(state)

    def from_book(self, content, buffers=None):
        if content["kind"] == "entry":
            states = [{name: bytes(buffers[v["$buffer"]]) if isinstance(v, dict) and "$buffer" in v else v
                       for name, v in state.items()} for state in content["states"]]
            self.cache[self.book.key_of(content["values"])] = states
            if self.book.key_of(content["values"]) == self.key():
                self.apply(states)
        elif content["kind"] == "drop":
            for values in content["keys"]:
                self.cache.pop(self.book.key_of(values), None)
        elif content["kind"] == "clear":
            self.cache.clear()

    def from_widget(self, i, msg, buffers):
        if msg.get("method") != "update":
            return
        state = dict(msg["state"])
        for path, buffer in zip(msg["buffer_paths"], buffers):
            state[path[0]] = bytes(buffer)
        for c, (j, trait) in enumerate(self.book.key):
            if j == i and trait in state:
                self.values[c] = state[trait]
        self.shown[i].update({name: flipbook._plain(v) for name, v in state.items() if name in self.shown[i]})
        if self.key() in self.cache:
            self.apply(self.cache[self.key()])

    def move(self, c, value):
        i, trait = self.book.key[c]
        self.values[c] = value
        if self.key() in self.cache:
            self.apply(self.cache[self.key()])
        page_move(self.book.parts[i], trait, value)

    def wrong(self):
        """[(part, trait)] where the page shows something else than the real explorer."""
        real = self.book.capture(self.book.parts)
        return [(type(self.book.parts[i]).__name__, name) for i, state in enumerate(real)
                for name in state if state[name] != self.shown[i][name]]


async def settle():
    """Let the kernel's loop run what a move scheduled (call_soon)."""
    for _ in range(3):
        await asyncio.sleep(0)


def test_the_page_shows_the_real_state_after_a_move_even_when_the_explorer_sends_nothing():
    """An entry the shadow got wrong in a trait the real explorer does not change on that move:
    the real explorer sends nothing, so only a check after the move can correct the page."""
    async def main():
        explorer = forward_explorer()
        book = explorer.flipbook
        page = Page(book)
        book.fill()
        base = book.key_of(book.current_values())
        for c, (i, trait) in enumerate(book.key):  # a neighbour where some carried trait does not change
            for key, (values, _) in book.entries.items():
                moved = [k for k, (a, b) in enumerate(zip(key, base)) if a != b]
                same = [(j, name) for j, name in sorted(book.varying)
                        if book.shown(key, j, name) == book.shown(base, j, name)]
                if moved == [c] and same:
                    j, name = same[0]
                    book.entries[key][1][j][name] = "not what the explorer shows"
                    page.cache[key][j][name] = "not what the explorer shows"
                    page.move(c, values[c])
                    await settle()
                    return page
        raise AssertionError("no such neighbour")
    page = asyncio.run(main())
    assert page.wrong() == []


@pytest.mark.parametrize("when", ["before the page", "after the page"])
def test_a_widget_changed_by_hand_is_never_undone_by_the_shadow(when):
    """A notebook cell changes a widget of the explorer (a label): the shadow, built from the
    factory, does not have the change, so its states must not reach the page."""
    explorer = forward_explorer()
    book = explorer.flipbook
    parts = flipbook.page_parts(explorer)
    x1 = parts[flipbook.key_controls(parts)[0][0]]
    if when == "before the page":
        x1.description = "x₁ (cm)"
    page = Page(book)
    book.fill()
    if when == "after the page":
        x1.description = "x₁ (cm)"
        book.fill()
    page.move(0, x1.value + 0.1)
    assert page.wrong() == [], "the page shows the factory's widget, not the learner's"
    assert page.shown[book.key[0][0]]["description"] == "x₁ (cm)"


def test_a_kernel_that_cannot_be_used_shows_the_real_picture_after_a_stride_move():
    """06's filter explorer keeps the last kernel that worked when the typed one cannot be used:
    that picture depends on the way there, so the shadow's (another way) must not reach the page."""
    explorer = filter_explorer()
    book = explorer.flipbook
    page = Page(book)
    book.fill()
    page.move(0, explorer.preset.options.index("sharpen"))
    book.fill()
    entry = [c for c, (i, _) in enumerate(book.key) if book.parts[i] is explorer.entries[0][0]][0]
    page.move(entry, 1e308)  # too large: the message says why, the picture stays sharpen's
    assert "⚠" in explorer.message.value
    book.fill()
    stride = [c for c, (i, _) in enumerate(book.key) if book.parts[i] is explorer.stride][0]
    page.move(stride, 2)
    assert page.wrong() == []


def test_the_states_next_to_the_current_one_are_the_last_dropped(monkeypatch):
    """When the page holds ``MAX_ENTRIES`` states, the ones dropped are the least recently
    planned, never the neighbours of the state on screen."""
    explorer = forward_explorer()
    book = explorer.flipbook
    recording(book)
    count = book.fill()
    monkeypatch.setattr(flipbook, "MAX_ENTRIES", count + 2)
    x1 = book.parts[book.key[0][0]]
    x1.value = round(x1.value + x1.step, 10)
    book.fill()
    current = book.current_values()
    plan = [book.key_of(v) for v in [current] + flipbook.prefetch_plan(current, [
        flipbook.values_of(book.parts[i], t) for i, t in book.key])]
    assert [key for key in plan if key not in book.sent] == []
