"""Notebook 08's widgets, without a browser: move a control, assert what was recomputed and shown."""
import numpy as np
import pytest

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
