"""The generic step-through (helpers.stepper + helpers.stepper_ui) and notebook 04's steppers."""
import re

import ipywidgets as widgets
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.activations import sigmoid, sigmoid_prime
from helpers.input_grad_ui import backward_stepper, two_layer_backward_stepper
from helpers.latex import latex_label_html, latex_matrix
from helpers.stepper import Step, check_steps, known_at, plain_numbers, shape_text, step_readout
from helpers.stepper_ui import MatrixSliders, Stepper, html_matrix, value_widgets


# --- a tiny stepper built exactly as the module docstring tells a caller to -------------------

def tiny():
    x_in = MatrixSliders("x", [[1.0], [2.0]])
    W_in = MatrixSliders("W", [[0.5, -1.0]])
    y = np.array([[1.0]])
    calls = []

    def compute():
        calls.append(1)
        x, W = x_in.array, W_in.array
        z = W @ x
        dL_dz = z - y
        return {"x": x, "W": W, "y": y, "z": z, "dL_dz": dL_dz, "dL_dW": dL_dz @ x.T}

    steps = [
        Step("forward", lambda s: rf"z = Wx = {latex_matrix(s['z'])}", reads=("W", "x"), writes=("z",)),
        Step("upstream", lambda s: rf"\frac{{\partial L}}{{\partial z}} = {latex_matrix(s['dL_dz'])}",
             reads=("z", "y"), writes=("dL_dz",)),
        Step("outer product", lambda s: rf"{latex_matrix(s['dL_dW'])}", reads=("dL_dz", "x"), writes=("dL_dW",),
             note="error times input"),
    ]
    stepper = Stepper(steps, compute, controls=[widgets.HBox([x_in, W_in])],
                      symbols={"dL_dW": r"\partial L/\partial W"})
    return stepper, x_in, W_in, calls


def test_docstring_example_runs():
    import helpers.stepper as module

    code = module.__doc__.split("Example")[1].split("::", 1)[1].split("``stepper.step")[0]
    namespace = {}
    exec(code.replace("\n    ", "\n"), namespace)  # the indented example block, dedented
    stepper = namespace["stepper"]
    stepper.go(3)
    # z = 0.5·1 − 1·2 = −1.5, dL_dz = z − 1 = −2.5, dL_dW = −2.5·(1, 2)
    assert "dL_dW 1×2 = [-2.50 -5.00]" in stepper.readout.value


def test_walks_forward_and_back_with_buttons_and_clamps():
    stepper, *_ = tiny()
    assert stepper.index == 0 and stepper.prev_button.disabled and not stepper.next_button.disabled
    assert "Step 1 of 3: forward" in stepper.equation.value
    stepper.next_button.click()
    stepper.next_button.click()
    assert stepper.index == 2 and stepper.next_button.disabled
    assert "Step 3 of 3: outer product" in stepper.equation.value and "error times input" in stepper.equation.value
    stepper.next_button.click()  # at the end: stays
    assert stepper.index == 2
    stepper.prev_button.click()
    assert stepper.index == 1 and "Step 2 of 3: upstream" in stepper.equation.value
    stepper.go(-5)
    assert stepper.step.value == 1


def test_play_is_linked_to_the_step_slider():
    stepper, *_ = tiny()
    assert isinstance(stepper.play, widgets.Play)
    assert (stepper.play.min, stepper.play.max) == (1, 3)
    stepper.play.value = 3  # what a tick of Play does in the browser
    assert stepper.step.value == 3 and "Step 3 of 3" in stepper.equation.value
    stepper.step.value = 2
    assert stepper.play.value == 2


def test_moving_a_slider_mid_way_recomputes_every_number():
    stepper, x_in, W_in, calls = tiny()
    stepper.go(3)
    before = len(calls)
    x_in.sliders[1][0].value = -1.0  # x = (1, -1): z = 0.5 + 1 = 1.5, dL_dz = 0.5, dL_dW = (0.5, -0.5)
    assert len(calls) == before + 1
    assert stepper.index == 2  # still on the same step
    np.testing.assert_allclose(stepper.state["dL_dW"], [[0.5, -0.5]])
    assert latex_matrix([[0.5, -0.5]]) in stepper.equation.value
    assert "dL_dW 1×2 = [0.50 -0.50]" in stepper.readout.value
    W_in.sliders[0][1].value = 0.0  # z = 0.5, dL_dz = -0.5, dL_dW = (-0.5, 0.5)
    np.testing.assert_allclose(stepper.state["dL_dW"], [[-0.5, 0.5]])
    assert "[-0.50 0.50]" in stepper.readout.value


def test_panel_highlights_reads_and_writes_and_hides_the_future():
    stepper, *_ = tiny()
    stepper.go(2)
    panel = stepper.quantities.value
    # each quantity's box is a div of class bp-quantity; find the box of a name by its label,
    # written as HTML (no $…$ for MathJax to re-typeset on every move)
    assert "$" not in panel
    boxes = {re.search(r"<span class='bp-symbol'[^>]*>(.*?)</span>", chunk).group(1): chunk
             for chunk in panel.split("<div class='bp-quantity'")[1:]}
    box = {tex: boxes[latex_label_html(tex)] for tex in ("x", "z", "dL_dz", r"\partial L/\partial W")}
    assert "reads" in box["z"] and "#d8ecff" in box["z"]
    assert "writes" in box["dL_dz"] and "#ffe08a" in box["dL_dz"]
    assert "not computed yet" in box[r"\partial L/\partial W"]
    assert "not computed yet" not in box["x"] and "reads" not in box["x"]
    assert "1×2" in box[r"\partial L/\partial W"]  # the shape is shown even before the numbers


def test_value_widgets_finds_sliders_inside_boxes_only():
    x_in = MatrixSliders("x", [[1.0], [2.0], [3.0]])
    found = value_widgets([widgets.HBox([x_in, widgets.HTML("label")]), widgets.Dropdown(options=["a"])])
    assert len(found) == 4 and all(f.has_trait("value") for f in found)
    assert not any(isinstance(f, widgets.HTML) for f in found)


def test_matrix_sliders_read_and_set():
    W_in = MatrixSliders("W", [[1.0, 2.0], [3.0, 2.5]])
    assert [s.description for s in W_in.sliders[1]] == ["W₂₁", "W₂₂"]
    a = W_in.array
    a[0, 0] = 99.0  # a copy: changing it does not move a slider
    assert W_in.sliders[0][0].value == 1.0
    W_in.set([[0.5, 0.0], [0.0, -0.5]])
    np.testing.assert_array_equal(W_in.array, [[0.5, 0.0], [0.0, -0.5]])
    with pytest.raises(ValueError, match=r"W has 2×2 sliders; got values of shape \(1, 2\)"):
        W_in.set([[1.0, 2.0]])


def test_slider_captions_are_unambiguous():
    assert [s.description for s in MatrixSliders("x", [[1.0], [2.0]]).sliders[1]] == ["x₂"]
    assert [s.description for s in MatrixSliders("x", [[1.0, 2.0, 3.0]]).sliders[0]] == ["x₁", "x₂", "x₃"]
    assert MatrixSliders("W₁", np.zeros((3, 2))).sliders[2][1].description == "W₁[3,2]"
    assert MatrixSliders("a₁", np.zeros((3, 1))).sliders[2][0].description == "a₁[3]"
    # the series' layer notation: layer 1's W is W⁽¹⁾, its entry (2, 1) is W⁽¹⁾₂₁
    assert MatrixSliders("W⁽¹⁾", np.zeros((3, 2))).sliders[1][0].description == "W⁽¹⁾₂₁"
    assert two_layer_backward_stepper().W1_sliders.sliders[1][0].description == "W⁽¹⁾₂₁"


@pytest.mark.parametrize("values, low, high, step, match", [
    ([[3.5]], -3.0, 3.0, 0.1, r"range -3…3.*got W\[0, 0\] = 3.5"),
    ([[np.nan]], -3.0, 3.0, 0.1, r"got W\[0, 0\] = nan"),
    ([[0.0]], 1.0, -1.0, 0.1, "low < high"),
    ([[0.0]], -1.0, 1.0, 0.0, "step > 0"),
])
def test_matrix_sliders_refuse_what_a_slider_would_clamp(values, low, high, step, match):
    with pytest.raises(ValueError, match=match):
        MatrixSliders("W", values, low, high, step)


@pytest.mark.parametrize("kwargs, match", [
    ({"decimals": -1}, "decimals must be a whole number from 0 to 6"),
    ({"decimals": 2.5}, "decimals must be a whole number"),
    ({"interval": 0}, "interval must be a positive number"),
])
def test_stepper_refuses_bad_arguments(kwargs, match):
    state = {"z": np.zeros((1, 1))}
    with pytest.raises(ValueError, match=match):
        Stepper([Step("a", str, writes=("z",))], lambda: state, **kwargs)


def test_layer_steps_name_the_activations_instead_of_a_key_error():
    from helpers.input_grad_ui import layer_steps
    with pytest.raises(ValueError, match=r"unknown activation 'softmax'; choose one of 'sigmoid', 'tanh'"):
        layer_steps(activation="softmax")
    with pytest.raises(ValueError, match=r"unknown activation"):
        backward_stepper(activation="Sigmoid")
    with pytest.raises(ValueError, match=r"l must be a layer number"):
        layer_steps(l="_2")
    with pytest.raises(ValueError, match=r"decimals must be"):
        two_layer_backward_stepper(decimals=-2)


def test_steppers_refuse_starting_values_outside_their_sliders():
    with pytest.raises(ValueError, match=r"every entry of x must lie in the sliders' range"):
        backward_stepper(x=[[5.0], [0.0], [0.0]])
    with pytest.raises(ValueError, match=r"every entry of W⁽²⁾ must lie"):
        two_layer_backward_stepper(W2=[[9.0, 0, 0], [0, 0, 0]])


def test_check_steps_rejects_unknown_names_and_reading_the_future():
    state = {"x": 1.0, "z": 2.0}
    with pytest.raises(ValueError, match=r"step 1 \('f'\) names \['q'\], which compute\(\) does not return"):
        check_steps([Step("f", str, reads=("q",))], state)
    with pytest.raises(ValueError, match=r"step 1 \('a'\) reads \['z'\] before the step that writes it \(step 2\)"):
        check_steps([Step("a", str, reads=("z",)), Step("b", str, writes=("z",))], state)
    with pytest.raises(ValueError, match="at least one Step"):
        check_steps([], state)
    with pytest.raises(ValueError, match="at least one Step"):
        Stepper([], lambda: state)


def test_known_at_and_text_helpers():
    steps = [Step("a", str, writes=("z",)), Step("b", str, writes=("g",))]
    assert known_at(steps, 0, ["x", "z", "g"]) == ["x", "z"]
    assert known_at(steps, 1, ["x", "z", "g"]) == ["x", "z", "g"]
    assert shape_text(np.zeros((4, 3))) == "4×3" and shape_text(2.0) == "scalar"
    assert plain_numbers(np.array([[0.1], [-2.0]])) == "(0.10, -2.00)"
    # a non-zero number too small for 2 decimals keeps 2 significant figures; only 0 prints as 0.00
    assert plain_numbers(np.array([[1.0, -0.001], [0.0, 2.5]])) == "[1.00 -1.0e-03; 0.00 2.50]"
    assert plain_numbers(np.array([[1.0, -0.0], [0.0, 2.5]])) == "[1.00 0.00; 0.00 2.50]"
    state = {"x": np.ones((3, 1)), "z": np.array([[0.25]]), "g": 1.0}
    assert step_readout(steps, 0, state) == "step 1/2 · a · writes z 1×1 = (0.25)"


def test_display_is_stable_text():
    stepper, *_ = tiny()
    assert stepper._repr_mimebundle_()["text/plain"].startswith("Stepper: step through")


# --- notebook 04's steppers: the numbers are those of a hand-written backward pass -------------

def test_one_layer_stepper_shows_the_backward_pass_live():
    stepper = backward_stepper()
    assert len(stepper.steps) == 5
    stepper.go(4)  # the outer product and the bias
    stepper.x_sliders.sliders[2][0].value = 0.0  # x₃ = 0 mid-way
    W, b, x = stepper.W_sliders.array, stepper.state["b"], np.array([[1.0], [2.0], [0.0]])
    z = W @ x + b
    a = sigmoid(z)
    dL_dz = (a - stepper.state["y"]) * sigmoid_prime(z)
    np.testing.assert_allclose(stepper.state["dL_dW"], dL_dz @ x.T)
    assert np.all(stepper.state["dL_dW"][:, 2] == 0)  # a zero input zeroes its column
    assert latex_matrix(dL_dz @ x.T) in stepper.equation.value
    assert f"dL_db 2×1 = {plain_numbers(dL_dz)}" in stepper.readout.value
    stepper.W_sliders.sliders[0][1].value = -1.0
    stepper.next_button.click()  # the transpose, with the new W
    W = stepper.W_sliders.array
    dL_dz = (sigmoid(W @ x + b) - stepper.state["y"]) * sigmoid_prime(W @ x + b)
    np.testing.assert_allclose(stepper.state["dL_dx"], W.T @ dL_dz)
    assert latex_matrix(W.T @ dL_dz) in stepper.equation.value
    assert latex_matrix(W.T) in stepper.equation.value


def test_two_layer_stepper_matches_a_hand_written_backward_pass():
    stepper = two_layer_backward_stepper()
    assert len(stepper.steps) == 8
    stepper.go(6)
    stepper.W2_sliders.sliders[1][2].value = -1.2
    s = stepper.state
    x, W1, b1, W2, b2, y = s["x"], s["W1"], s["b1"], s["W2"], s["b2"], s["y"]
    assert W2[1, 2] == -1.2
    z1 = W1 @ x + b1
    a1 = sigmoid(z1)
    z2 = W2 @ a1 + b2
    d2 = (sigmoid(z2) - y) * sigmoid_prime(z2)
    d1 = (W2.T @ d2) * sigmoid_prime(z1)
    for name, expected in [("dL_dW2", d2 @ a1.T), ("dL_db2", d2), ("dL_da1", W2.T @ d2),
                           ("dL_dz1", d1), ("dL_dW1", d1 @ x.T), ("dL_db1", d1), ("dL_dx", W1.T @ d1)]:
        np.testing.assert_allclose(s[name], expected, err_msg=name)
    assert "layer 1: the Hadamard product" in stepper.equation.value
    assert latex_matrix(d1, decimals=3) in stepper.equation.value  # 3 decimals: layer 1's numbers are small
    assert f"<td>{d1[0, 0]:.3f}</td>" in stepper.quantities.value
    for k in range(1, 9):  # every step renders
        stepper.go(k)
        assert f"step {k}/8" in stepper.readout.value


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_one_layer_stepper_follows_the_activation(activation):
    from helpers.activations import get_activation

    stepper = backward_stepper(activation=activation)
    stepper.go(3)
    s = stepper.state
    z = s["W"] @ s["x"] + s["b"]
    prime = get_activation(activation).prime(z)
    np.testing.assert_allclose(s["dL_dz"], (get_activation(activation).f(z) - s["y"]) * prime)
    assert latex_matrix(prime) in stepper.equation.value
    assert {"tanh": r"1 - \tanh^2(z)", "relu": r"1 \text{ where } z > 0"}[activation] in stepper.equation.value


DOUBLE_SUBSCRIPT = re.compile(r"_(\w|\{[^{}]*\})_")  # a_1_j, W_{2}_{ij}: a MathJax error
DOUBLE_SUPERSCRIPT = re.compile(r"\^(\w|\{(?:[^{}]|\{[^{}]*\})*\})\^")  # W^{(2)}^T: a MathJax error
LAYER_AS_SUBSCRIPT = re.compile(r"\b[Wbza]_\{?[12]\}?(?![0-9])")  # W_1, a_{2}: the notation 01's table retired


def test_no_step_writes_a_double_subscript_or_superscript_or_an_old_layer_name():
    assert DOUBLE_SUBSCRIPT.search(r"\partial a_1_j") and DOUBLE_SUBSCRIPT.search(r"W_{2}_{ij}")
    assert DOUBLE_SUPERSCRIPT.search(r"W^{(2)}^T") and not DOUBLE_SUPERSCRIPT.search(r"(W^{(2)})^T")
    assert LAYER_AS_SUBSCRIPT.search(r"\partial a_1") and not LAYER_AS_SUBSCRIPT.search(r"a^{(1)}_{j}")
    for stepper in (backward_stepper(), two_layer_backward_stepper()):
        for k in range(1, len(stepper.steps) + 1):
            stepper.go(k)
            for pattern in (DOUBLE_SUBSCRIPT, DOUBLE_SUPERSCRIPT, LAYER_AS_SUBSCRIPT):
                assert not pattern.search(stepper.equation.value + stepper.quantities.value), stepper.equation.value
    stepper.go(5)  # layer 2's transpose: layer as superscript, entry as subscript
    assert r"\partial L/\partial a^{(1)}_{j} = \sum_i W^{(2)}_{ij}" in stepper.equation.value
    assert r"= (W^{(2)})^T \frac{\partial L}{\partial z^{(2)}}" in stepper.equation.value


def test_panel_never_shows_minus_zero_and_never_a_tiny_number_as_zero():
    assert html_matrix(-0.0, 3) == html_matrix(0.0, 3)
    assert ">-4.0e-04<" in html_matrix(-0.0004, 3)
    table = html_matrix(np.array([[-0.004, 0.5], [-0.0, -0.02]]), 2)
    assert "-0.00" not in table and "<td>0.00</td>" in table and "<td>-0.02</td>" in table
    assert "<td>-4.0e-03</td>" in table


def test_a_vanishing_sigma_prime_does_not_look_like_relus_exact_zero():
    # z = 12: σ'(12) ≈ 6.1e-06 printed as 0.00 before, exactly as relu'(−1) = 0
    W = [[2.0, 2.0, 2.0], [-0.6, 0.4, 0.2]]
    x = [[2.0], [2.0], [2.0]]
    sig = backward_stepper(W=W, x=x, b=[[0.0], [0.0]])
    sig.go(3)
    assert "6.1e-06" in sig.quantities.value and r"6.1\times 10^{-6}" in sig.equation.value
    relu = backward_stepper(W=W, x=[[-1.0], [-1.0], [-1.0]], b=[[0.0], [0.0]], activation="relu")
    relu.go(3)
    assert "<td>0.00</td>" in relu.quantities.value and "e-" not in relu.readout.value.split("writes")[1]


def test_text_helpers_refuse_bad_arguments():
    steps = [Step("a", str, writes=("z",))]
    state = {"z": np.zeros((1, 1))}
    for k in (1, -1, 0.0):
        with pytest.raises(ValueError, match=rf"k must be a 0-based step number, 0 to 0; got k={k!r}"):
            step_readout(steps, k, state)
    with pytest.raises(ValueError, match=r"got an array of shape \(2, 2, 2\)"):
        plain_numbers(np.zeros((2, 2, 2)))


def test_matrix_sliders_set_refuses_what_a_slider_would_clamp():
    # set() once moved a slider to 5.0 by clamping it to 3.0 without a word (and took NaN)
    sliders = MatrixSliders("x", [[0.0], [1.0]])
    for bad in ([[5.0], [0.0]], [[np.nan], [0.0]]):
        with pytest.raises(ValueError, match=r"sliders' range -3…3 \(a slider would silently clamp it\)"):
            sliders.set(bad)
    assert sliders.array.tolist() == [[0.0], [1.0]]


@pytest.mark.parametrize("kwargs, match", [
    (dict(name=None), "name must be"), (dict(name=""), "name must be"),
    (dict(low="a"), "finite numbers low < high"), (dict(step=True), "finite numbers low < high")])
def test_matrix_sliders_name_a_bad_name_or_range(kwargs, match):
    # once: TypeError "'NoneType' object is not subscriptable" / "ufunc 'isfinite' not supported"
    args = {"name": "x", "values": [[0.0]], **kwargs}
    with pytest.raises(ValueError, match=match):
        MatrixSliders(**args)


def test_stepper_names_bad_compute_order_symbols_and_controls():
    # once: TypeError, KeyError 'y', "cannot convert dictionary update sequence", TraitError
    steps = [Step("a", lambda s: "x", writes=("x",))]
    for kwargs, match in [(dict(compute=3), "compute must be a function"),
                          (dict(compute=lambda: [1.0]), "compute\\(\\) must return a dict"),
                          (dict(order=["y"]), "order names \\['y'\\]"),
                          (dict(symbols=[1]), "symbols must be a dict"),
                          (dict(controls=[3]), "controls must be widgets")]:
        with pytest.raises(ValueError, match=match):
            Stepper(steps, **{"compute": lambda: {"x": 1.0}, **kwargs})
    stepper = Stepper(steps, lambda: {"x": 1.0})
    for bad in ("3", 2.5, None, True):
        with pytest.raises(ValueError, match="whole step number"):
            stepper.go(bad)


def test_text_helpers_refuse_complex_3d_and_bad_decimals():
    # once: a ComplexWarning (imaginary part dropped), a 3-D array flattened into a table, TypeErrors
    for fn in (plain_numbers, html_matrix):
        with pytest.raises(ValueError, match="complex"):
            fn(np.array([1j, 1.0]))
        with pytest.raises(ValueError, match="decimals must be"):
            fn(np.ones(2), "2")
    with pytest.raises(ValueError, match="number, a vector or a matrix"):
        html_matrix(np.zeros((2, 2, 2)))


def test_steppers_refuse_nan_entries_and_name_a_misfitting_W2():
    for kwargs in (dict(b=[[np.nan], [0.0]]), dict(y=[[np.inf], [0.0]])):
        with pytest.raises(ValueError, match="finite numbers"):
            backward_stepper(**kwargs)
    with pytest.raises(ValueError, match="finite numbers"):
        two_layer_backward_stepper(b1=[[np.nan], [0.0], [0.0]])
    # once: "W is 2×2, so x needs 2 rows; got x of shape (3, 1)", about a W and an x the caller never passed
    with pytest.raises(ValueError, match=r"W1 is 3×2, so W2 needs 3 columns; got W2 of shape \(2, 2\)"):
        two_layer_backward_stepper(W2=[[0.5, 0.1], [0.2, 0.3]])


def test_latex_helpers_refuse_what_they_cannot_write():
    # once: TypeError "only 0-dimensional arrays can be converted", "bad operand type for unary -",
    # "'float' object is not iterable", "can only concatenate str"
    from helpers.latex import latex_number, latex_partial, latex_shape, number_text
    for bad in (np.ones(2), [1.0], 1j, True, None, "1.5"):
        for fn in (number_text, latex_number):
            with pytest.raises(ValueError, match="expected one real number"):
                fn(bad)
    for fn in (number_text, latex_number, latex_matrix):
        for decimals in (None, "2", 2.0, -1, 7, True):
            with pytest.raises(ValueError, match="decimals must be a whole number from 0 to 6"):
                fn(1.0, decimals)
    for bad in (3.0, None, (4, 3.5), (4, -1), "43"):
        with pytest.raises(ValueError, match="shape must be a tuple of whole numbers"):
            latex_shape(bad)
    with pytest.raises(ValueError, match="LaTeX strings"):
        latex_partial(np.ones(2))
    assert number_text(np.float64(0.5)) == number_text(np.array(0.5)) == "0.50"
    assert latex_shape((4, 3)) == r"4\times 3" and latex_matrix(np.array(2.0)) == "2.00"


@pytest.mark.parametrize("tex, expected", [
    (r"\partial L/\partial W^{(2)}", "∂<i>L</i>/∂<i>W</i><sup>(2)</sup>"),
    (r"\sigma'(z^{(1)})", "<i>σ</i>′(<i>z</i><sup>(1)</sup>)"),
    (r"\partial C/\partial \hat y", "∂<i>C</i>/∂<i>ŷ</i>"),
    (r"\hat{y}", "<i>ŷ</i>"),
    ("x_1", "<i>x</i><sub>1</sub>"),
    ("W_{ij}", "<i>W</i><sub><i>i</i><i>j</i></sub>"),
])
def test_latex_label_html_writes_the_labels_as_html(tex, expected):
    assert latex_label_html(tex) == expected


@pytest.mark.parametrize("tex", [r"\frac{a}{b}", r"\sum_i x", "W^{(2", r"\hat{xy}", "x^", "a&b", None, 3])
def test_latex_label_html_refuses_what_it_cannot_write(tex):
    with pytest.raises(ValueError, match="label"):
        latex_label_html(tex)


@pytest.mark.parametrize("tex, part", [
    (r"x_{W_{\alpha}}", r"'\\alpha'"),   # an unknown command inside a subscript
    ("x^{a<b}", "'<'"),                  # HTML's own character inside a superscript
    ("x^}", "'}'"),
    ("x^^", "ends where an argument should follow"),
])
def test_a_label_error_inside_a_script_names_the_whole_label(tex, part):
    """The learner wrote the whole label: the error quotes it, not the piece inside ^{…} or _{…}."""
    with pytest.raises(ValueError) as error:
        latex_label_html(tex)
    assert repr(tex) in str(error.value) and part in str(error.value)


@pytest.mark.parametrize("tex, expected", [
    ("x^ 2", "<i>x</i><sup>2</sup>"),           # TeX skips spaces before a script's argument: x², not x2
    ("W_ {ij}", "<i>W</i><sub><i>i</i><i>j</i></sub>"),
])
def test_a_space_before_a_scripts_argument_is_skipped_as_tex_does(tex, expected):
    assert latex_label_html(tex) == expected


def test_a_label_nested_too_deep_is_a_value_error_not_a_recursion_error():
    deep = "x" + "^{" * 2000 + "y" + "}" * 2000
    with pytest.raises(ValueError, match="nests"):
        latex_label_html(deep)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"xyzWL12()/,'+-= ^_{}<>&\"\\", r"\partial", r"\hat ", r"\sigma", r"\alpha", "é"]),
                max_size=30).map("".join))
def test_latex_label_html_writes_well_formed_html_or_refuses(tex):
    """Whatever the label: a ValueError naming it, or HTML with no TeX left and nothing unescaped."""
    from html.parser import HTMLParser

    try:
        out = latex_label_html(tex)
    except ValueError as error:
        assert repr(tex) in str(error)
        return
    opened, text = [], []

    class Check(HTMLParser):
        def handle_starttag(self, tag, attrs):
            assert tag in ("i", "sup", "sub") and not attrs
            opened.append(tag)

        def handle_endtag(self, tag):
            assert opened and opened.pop() == tag

        def handle_data(self, data):
            text.append(data)

    Check().feed(out)
    assert not opened
    assert not set("".join(text)) & set("\\{}^_<>&\"$")


def test_every_stepper_label_is_written_without_tex_left_over():
    from helpers.network_ui import network_stepper

    steppers = [backward_stepper(), two_layer_backward_stepper(), network_stepper(),
                *(make(activation=name) for make in (backward_stepper, two_layer_backward_stepper)
                  for name in ("relu", "tanh"))]
    for stepper in steppers:
        for k in range(1, len(stepper.steps) + 1):
            stepper.go(k)
            text = re.sub(r"<[^>]*>", "", stepper.quantities.value)  # what the learner reads
            assert not re.search(r"[\\{}^_$]", text), text
    assert "∂<i>C</i>/∂<i>ŷ</i>" in steppers[2].quantities.value


def test_a_stepper_with_a_label_it_cannot_write_says_so_when_built():
    stepper, *_ = tiny()
    with pytest.raises(ValueError, match=r"\\frac"):
        Stepper(stepper.steps, stepper.compute, symbols={"dL_dW": r"\frac{\partial L}{\partial W}"})


@pytest.mark.parametrize("symbols, says", [
    ({"dL_dW": 3}, r"quantity 'dL_dW': cannot write symbols\['dL_dW'\]"),  # not a string at all
    ({"dL_dW": r"\partial L/\partial W^{\alpha}"}, r"quantity 'dL_dW'.*\\alpha"),
])
def test_a_label_error_names_the_quantity_whose_symbol_it_is(symbols, says):
    """The learner gave many symbols: the error says which quantity's one cannot be written."""
    stepper, *_ = tiny()
    with pytest.raises(ValueError, match=says):
        Stepper(stepper.steps, stepper.compute, symbols=symbols)
