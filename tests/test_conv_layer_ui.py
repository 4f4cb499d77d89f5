"""Notebook 08's widgets, without a browser: move a control, assert what was recomputed and shown."""
import warnings
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.conv_layer import batch_im2col, conv_forward, maxpool_backward, maxpool_forward
from helpers.conv_layer_ui import LAYER_B, LAYER_K, LAYER_X, POOL_X, conv_window_stepper, pooling_stepper


@pytest.fixture(scope="module")
def layer():
    return conv_window_stepper()


@pytest.fixture
def pool():
    return pooling_stepper()


def test_the_layer_stepper_is_the_layer(layer):
    Z = conv_forward(LAYER_X, LAYER_K, LAYER_B)
    assert layer.cols.shape == (8, 8) and layer.K_mat.shape == (2, 8)
    np.testing.assert_array_equal(layer.cols, batch_im2col(LAYER_X, (2, 2)))
    # column q of Z_mat is window q: example n = q // 4, output (i, j) = divmod(q % 4, 2)
    np.testing.assert_allclose(layer.Z_mat.reshape(2, 2, 2, 2).transpose(1, 0, 2, 3), Z, rtol=1e-12)


@pytest.mark.parametrize("q, f", [(0, 0), (5, 1), (7, 0), (3, 1)])
def test_window_q_and_filter_f_show_their_column_row_and_entry(layer, q, f):
    layer.window.value = q
    layer.filter.value = f
    n, (i, j) = q // 4, divmod(q % 4, 2)
    assert (layer.n, layer.out) == (n, (i, j))
    np.testing.assert_array_equal(layer.column, LAYER_X[n, :, i:i + 2, j:j + 2].ravel())
    expected = float(LAYER_K[f].ravel() @ layer.column + LAYER_B[f])
    assert layer.value == expected == conv_forward(LAYER_X, LAYER_K, LAYER_B)[n, f, i, j]
    filled = ~np.isnan(layer.computed)
    assert filled[:, :q + 1].all() and not filled[:, q + 1:].any()
    assert f"Z[{n}, {f}, {i}, {j}] = {expected:g}" in layer.readout.value
    assert f"window q = {q} (0–7): example n = {n}, output ({i}, {j})" in layer.readout.value
    assert layer.sum_line.value.endswith(f"= {expected:g}$")
    # the outlines: column q of cols, row f of K_mat, the window on the example's channels only
    assert layer.column_box.get_xy() == (q - 0.5, -0.5)
    assert layer.row_box.get_xy() == (-0.5, f - 0.5)
    assert layer.entry_box.get_xy() == (q - 0.5, f - 0.5)
    visible = [box.get_visible() for box in layer.window_boxes]
    assert visible == [k // 2 == n for k in range(4)]
    assert all(box.get_xy() == (j - 0.5, i - 0.5) for box in layer.window_boxes)


def test_a_move_changes_the_picture(layer):
    layer.window.value = 0
    before = layer.figure.image.value
    layer.window.value = 1
    assert layer.figure.image.value != before and "bp-readout" in layer.readout._dom_classes


def test_the_layer_stepper_refuses_a_channel_mismatch():
    with pytest.raises(ValueError, match="X has 2 channels, so K needs 2 input channels"):
        conv_window_stepper(K=np.ones((1, 3, 2, 2)), b=np.zeros(1))


@pytest.mark.parametrize("stride", [2, 1])
def test_max_pooling_sends_each_gradient_to_its_winner(pool, stride):
    pool.stride.value = stride
    Y = maxpool_forward(POOL_X, 2, stride)[0, 0]
    oh, ow = Y.shape
    assert pool.window.max == pool.play.max == oh * ow - 1
    np.testing.assert_array_equal(pool.dY, np.arange(1, oh * ow + 1).reshape(oh, ow))
    for q in range(oh * ow):
        pool.window.value = q
        i, j = divmod(q, ow)
        window = POOL_X[0, 0, stride * i:stride * i + 2, stride * j:stride * j + 2]
        r, c = np.unravel_index(np.argmax(window), (2, 2))  # the first maximum, row by row
        assert pool.winner == (stride * i + r, stride * j + c)
        partial = np.where(np.arange(oh * ow).reshape(oh, ow) <= q, pool.dY, 0)[None, None]
        np.testing.assert_array_equal(pool.dX, maxpool_backward(partial, POOL_X, 2, stride)[0, 0])
        assert pool.dX.sum() == pool.dY.ravel()[:q + 1].sum()
        assert f"all of dY[{i}, {j}] = {q + 1} goes to X[{pool.winner[0]}, {pool.winner[1]}]" in pool.readout.value
        assert [t.get_text() for t in pool.dX_texts.ravel()] == [f"{v:g}" for v in pool.dX.ravel()]
    assert [b.get_visible() for b in pool.winner_boxes] == [True, False, False, False]


def test_the_tie_goes_to_the_first_maximum(pool):
    pool.window.value = 0  # the top-left window holds 3 at (0, 1) and 3 at (1, 0)
    assert pool.winner == (0, 1) and pool.dX[0, 1] == 1 and pool.dX[1, 0] == 0


def test_average_pooling_shares_each_gradient(pool):
    pool.mode.value = "average"
    pool.window.value = 3
    np.testing.assert_allclose(pool.dX, np.repeat(np.repeat(np.arange(1, 5).reshape(2, 2) / 4, 2, 0), 2, 1))
    assert "dY[1, 1]/4 = 1 goes to each of the window's 4 pixels" in pool.readout.value
    assert all(b.get_visible() for b in pool.winner_boxes)
    assert pool.Y[1, 1] == POOL_X[0, 0, 2:, 2:].mean()


def test_a_new_stride_keeps_a_valid_window_and_redraws(pool):
    pool.stride.value = 1
    pool.window.value = 8
    before = pool.figure.image.value
    pool.stride.value = 2
    assert pool.window.value == 3 and pool.out == (1, 1)
    assert pool.figure.image.value != before
    assert [t.get_visible() for t in pool.y_texts.ravel()] == [True, True, False, True, True, False, False, False, False]


# ----------------------------------------------------------------------------- review: bad arguments, extremes


@contextmanager
def _no_warning():
    """Turn every warning into an error: a refusal must be a ValueError, not a warning and a guess."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("kwargs, match", [
    ({"window": 8}, r"^window must be a whole number from 0 to 7 \(the 8 windows, columns of cols\); got window=8$"),
    ({"window": -1}, r"^window must be a whole number from 0 to 7 .*got window=-1$"),
    ({"window": 1.5}, r"^window must be a whole number from 0 to 7 .*got window=1.5$"),
    ({"window": True}, r"^window must be a whole number .*got window=True$"),
    ({"window": None}, r"^window must be a whole number .*got window=None$"),
    ({"filter": 2}, r"^filter must be a whole number from 0 to 1 \(the 2 filters, rows of K_mat\); got filter=2$"),
    ({"filter": "0"}, r"^filter must be a whole number .*got filter='0'$"),
    ({"X": LAYER_X + 1j}, r"^X must hold real numbers; got complex entries"),
    ({"X": "abc"}, r"^X must hold numbers"),
])
def test_the_layer_stepper_names_bad_arguments(kwargs, match):
    with _no_warning():
        with pytest.raises(ValueError, match=match):
            conv_window_stepper(**kwargs)


def test_the_layer_stepper_refuses_a_layer_too_large_to_draw():
    with pytest.raises(ValueError, match=r"^conv_window_stepper draws every number, so the layer must be small: "
                                         r"X of shape \(3, 3, 8, 8\) with K of shape \(4, 3, 3, 3\)"):
        conv_window_stepper(np.ones((3, 3, 8, 8)), np.ones((4, 3, 3, 3)), np.zeros(4))
    with pytest.raises(ValueError, match=r"draws every number"):  # 6 filter rows beside a 1-row cols: off the bottom
        conv_window_stepper(np.ones((1, 1, 3, 3)), np.ones((6, 1, 1, 1)), np.zeros(6))
    assert conv_window_stepper(np.ones((1, 1, 3, 3)), np.ones((3, 1, 1, 1)), np.zeros(3)).K_mat.shape == (3, 1)
    small = conv_window_stepper(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), np.zeros(1))  # smaller than the default fits
    assert small.cols.shape == (4, 4)


def test_every_window_and_filter_of_the_layer_stepper(layer):
    for f in range(2):
        layer.filter.value = f
        for q in range(8):
            layer.window.value = q
            assert layer.value == layer.Z_mat[f, q]


@pytest.mark.parametrize("kwargs, match", [
    ({"mode": "min"}, r"^mode must be 'max' or 'average'; got mode='min'$"),
    ({"mode": None}, r"^mode must be 'max' or 'average'; got mode=None$"),
    ({"stride": 3}, r"^stride must be 1 or 2 \(the stepper's slider\); got stride=3$"),
    ({"stride": None}, r"^stride must be 1 or 2 .*got stride=None$"),
    ({"stride": True}, r"^stride must be 1 or 2 .*got stride=True$"),
    ({"window": 4}, r"^window must be a whole number from 0 to 3 \(the 4 pooling windows at stride 2\); got window=4$"),
    ({"window": 1.5}, r"^window must be a whole number from 0 to 3 .*got window=1.5$"),
    ({"window": None}, r"^window must be a whole number .*got window=None$"),
    ({"X": np.ones((4, 4)) + 1j}, r"^X must hold real numbers; got complex entries"),
    ({"X": "abcd"}, r"^X must hold numbers"),
    ({"X": np.ones((1, 4, 4))}, r"^the pooling stepper shows one channel: X must be H×W or 1×1×H×W; got X of shape \(1, 4, 4\)$"),
    ({"X": np.ones(4)}, r"^the pooling stepper shows one channel: X must be H×W or 1×1×H×W; got X of shape \(4,\)$"),
    ({"X": np.ones((5, 5))}, r"^the pooling stepper draws a channel of 2×2 to 4×4 pixels; got X of shape \(5, 5\)$"),
    ({"X": np.ones((4, 6))}, r"^the pooling stepper draws a channel of 2×2 to 4×4 pixels; got X of shape \(4, 6\)$"),
    ({"X": np.ones((1, 1))}, r"^the pooling stepper draws a channel of 2×2 to 4×4 pixels; got X of shape \(1, 1\)$"),
])
def test_the_pooling_stepper_names_bad_arguments(kwargs, match):
    with _no_warning():
        with pytest.raises(ValueError, match=match):
            pooling_stepper(**kwargs)


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (2, 4), (4, 3)])
def test_the_pooling_stepper_on_every_size_it_draws(shape):
    X = np.arange(np.prod(shape), dtype=float).reshape(shape)[::-1]
    pool = pooling_stepper(X)
    for mode in ("max", "average"):
        pool.mode.value = mode
        for stride in (1, 2):
            pool.stride.value = stride
            Y = maxpool_forward(X[None, None], 2, stride)[0, 0]
            assert pool.window.max == Y.size - 1
            pool.window.value = pool.window.max
            assert pool.dX.sum() == pytest.approx(pool.dY.sum())



def test_huge_numbers_are_drawn_short():
    from helpers.conv_layer_ui import number
    assert [number(v) for v in (3.0, -0.0, 0.25, 12345.0, 1e308, -2.5e6)] == ["3", "0", "0.25", "12345", "1e+308", "-2.5e+06"]
    pool = pooling_stepper(np.full((4, 4), 1e308))
    assert all(len(t.get_text()) <= 8 for t in pool.y_texts.ravel())


def test_play_follows_the_window_slider_in_the_kernel(layer, pool):
    for stepper in (layer, pool):  # (a jslink would leave play.value behind here)
        stepper.window.value = 1
        assert stepper.play.value == 1
        stepper.play.value = 0
        assert stepper.window.value == 0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["stride", "mode", "window", "play", "page play", "page window"]),
                          st.integers(0, 12)), max_size=12))
def test_play_and_window_stay_together_through_stride_changes(actions):
    """Whatever the order of stride, mode, slider and Play moves, from Python or from the page (a
    Play tick can still carry a window number from before a stride shrank the range): play and the
    slider agree on value and range, and nothing raises."""
    pool = pooling_stepper()
    for control, n in actions:
        if control == "stride":
            pool.stride.value = 1 + n % 2
        elif control == "mode":
            pool.mode.value = ["max", "average"][n % 2]
        elif control in ("window", "play"):
            getattr(pool, control).value = min(n, pool.window.max)
        else:  # the page: its numbers need not be in range any more
            getattr(pool, control.split()[1]).set_state({"value": n})
        assert pool.play.value == pool.window.value and (pool.play.min, pool.play.max) == (0, pool.window.max)
        assert pool.window.max == pool.Y.size - 1 and pool.q == pool.window.value
