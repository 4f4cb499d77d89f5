"""Notebook 09's pictures and widgets: the digits, the training curves, the confusion matrix, the
learned filters, and three explorers on a trained model.

    digit_explorer()        pick a test digit: the image, the class probabilities, ∂L/∂x as a heatmap
    adversarial_explorer()  nudge a digit by ε·sign(∂L/∂x) (FGSM, or towards a target class) and
                            watch the prediction flip
    training_explorer()     replay the CNN's training epoch by epoch: its filters and its accuracy

The first two take the trained model and the data split (``model=``, ``data=``), the third the
training history; with no arguments they use the notebook's own CNN and its run, trained once per
Python process with the notebook's recipe (``helpers.digits.trained_cnn``). Math comes from ``digits.py`` and ``layers.py``; this module
only draws.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib import colormaps

from .digits import (_check_data, _check_model, confusion_matrix, default_data, fgsm, input_gradient_of_loss,
                     predict_proba, trained_cnn, trained_cnn_history)
from .shapes import as_float_array
from .live import Explorer, LiveFigure
from .flipbook import recipe

BLUE, ORANGE, GREY, RED = "#4c72b0", "#dd8452", "#b8b8b8", "#c44e52"
CLASSES = np.arange(10)
UNTARGETED = -1  # the adversarial explorer's "no target class" choice


# ---------------------------------------------------------------- static pictures for the notebook

def _whole_number(value, name, least=1):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < least:
        raise ValueError(f"{name} must be a whole number ≥ {least}; got {name} = {value!r}")
    return int(value)


def _finite_array(a, name, ndim, layout):
    a = as_float_array(a, name)
    if a.ndim != ndim or a.size == 0:
        raise ValueError(f"{name} must be {layout}, {ndim} axes and not empty; got {name} of shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must hold finite numbers; got NaN or ±inf in {name} of shape {a.shape}")
    return a


def show_digit(ax, image, title=None):
    """One 8×8 image (values 0..1, ink dark) on ``ax``, no ticks; returns the AxesImage.

    ``image``: 64 pixels, shape (8, 8), (1, 8, 8) or (1, 1, 8, 8).
    """
    image = as_float_array(image, "image")
    if image.size != 64 or not np.all(np.isfinite(image)):
        raise ValueError(f"image must be one 8×8 image of finite numbers, (8, 8) or (1, 1, 8, 8); got image of shape "
                         f"{image.shape}" + ("" if image.size != 64 else " with NaN or ±inf"))
    art = ax.imshow(np.reshape(image, (8, 8)), cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.spines[:].set_visible(False)
    if title is not None:
        ax.set_title(title, fontsize=9)
    return art


def mosaic(tiles, cols, gap=1):
    """Tiles (n, h, w) laid out in rows of ``cols``, with ``gap`` NaN pixels between them: one array to imshow.

    One image with n tiles draws far faster than n axes of one tile each. Returns (rows·(h+gap)−gap,
    cols·(w+gap)−gap); the NaN gaps show as the colormap's "bad" colour.
    """
    tiles = as_float_array(tiles, "tiles")
    if tiles.ndim != 3 or len(tiles) == 0:
        raise ValueError(f"tiles must be (n, h, w) with n ≥ 1; got tiles of shape {tiles.shape}")
    cols, gap = _whole_number(cols, "cols"), _whole_number(gap, "gap", least=0)
    n, h, w = tiles.shape
    rows = int(np.ceil(n / cols))
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), np.nan)
    for k in range(n):
        r, c = divmod(k, cols)
        out[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = tiles[k]
    return out


def plot_digit_grid(ax, X, y, rows=3, cols=10, predicted=None):
    """The first rows·cols images of X (N, 1, 8, 8) as one picture, each labelled with y (N,) above it.

    With ``predicted`` (N,), the label reads "label→prediction", red where they differ.
    """
    rows, cols = _whole_number(rows, "rows"), _whole_number(cols, "cols")
    X = _finite_array(X, "X", 4, "a batch of images (N, 1, 8, 8)")
    y = np.asarray(y)
    if X.shape[1:] != (1, 8, 8) or y.shape != (len(X),):
        raise ValueError(f"X must be (N, 1, 8, 8) with one label per image in y (N,); got X of shape {X.shape} "
                         f"and y of shape {y.shape}")
    if predicted is not None and np.shape(predicted) != y.shape:
        raise ValueError(f"predicted needs one label per image, shape {y.shape}; got shape {np.shape(predicted)}")
    n = min(rows * cols, len(y))
    cmap = plt_colormap("gray_r")
    ax.imshow(mosaic(np.reshape(X[:n], (n, 8, 8)), cols, gap=3), cmap=cmap, vmin=0.0, vmax=1.0,
              interpolation="nearest", extent=None)
    for k in range(n):
        r, c = divmod(k, cols)
        text = f"{y[k]}" if predicted is None else f"{y[k]}→{predicted[k]}"
        wrong = predicted is not None and predicted[k] != y[k]
        ax.text(c * 11 + 3.5, r * 11 - 0.7, text, ha="center", va="bottom", fontsize=8,
                color=RED if wrong else "black")
    ax.set_ylim(rows * 11 - 2.5, -2.5)
    ax.axis("off")
    return ax


def plt_colormap(name):
    """A copy of the colormap ``name`` whose NaN ("bad") colour is white: the gaps of a mosaic."""
    return colormaps[name].with_extremes(bad="white")


def plot_history(axes, histories):
    """Loss (left) and accuracy (right) per epoch, training dashed and test solid, one colour per model.

    Args:
        axes: two matplotlib axes.   histories: {model name: ``train``'s history dict}.
    """
    if np.shape(axes) != (2,):
        raise ValueError(f"axes must be two matplotlib axes (loss, accuracy), e.g. plt.subplots(1, 2)[1]; got {axes!r}")
    keys = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")
    if not isinstance(histories, dict) or not histories or not 1 <= len(histories) <= 3:
        raise ValueError(f"histories must be a dict of 1 to 3 {{model name: train()'s history}}; got {histories!r:.80}")
    for name, h in histories.items():
        if not isinstance(h, dict) or any(k not in h for k in keys) or len({len(h[k]) for k in keys}) != 1:
            raise ValueError(f"history {name!r} must be train()'s dict with lists {list(keys)} of one length")
    ax_loss, ax_acc = axes
    for (name, h), color in zip(histories.items(), [BLUE, ORANGE, RED]):
        epochs = np.arange(len(h["train_loss"]))
        ax_loss.plot(epochs, h["train_loss"], "--", color=color, label=f"{name} training")
        ax_loss.plot(epochs, h["test_loss"], "-", color=color, label=f"{name} test")
        ax_acc.plot(epochs, 100 * np.asarray(h["train_accuracy"]), "--", color=color)
        ax_acc.plot(epochs, 100 * np.asarray(h["test_accuracy"]), "-", color=color)
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("cross-entropy $L$")
    ax_loss.legend(fontsize=8)
    ax_acc.set_xlabel("epoch")
    ax_acc.set_ylabel("accuracy (%)")
    ax_acc.set_ylim(80, 100.5)


def plot_confusion(ax, y_true, y_pred):
    """The confusion matrix as a table of counts: row = true digit, column = predicted digit."""
    C = confusion_matrix(y_true, y_pred)
    ax.imshow(np.where(np.eye(10, dtype=bool), 0, C), cmap="Reds", vmin=0, vmax=max(3, C[~np.eye(10, dtype=bool)].max()))
    for i in range(10):
        for j in range(10):
            if C[i, j]:
                ax.text(j, i, str(C[i, j]), ha="center", va="center", fontsize=8,
                        color="black" if i != j else BLUE, fontweight="bold" if i == j else "normal")
    ax.set_xticks(CLASSES)
    ax.set_yticks(CLASSES)
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.grid(False)
    return C


def plot_filters(ax, K, cols=8):
    """The filters K[f, 0] (F, 1, kh, kw) as one picture, blue negative, red positive, on one colour scale.

    Filter f sits at row f // cols, column f % cols, labelled with its number. Returns the AxesImage
    (for a colour bar).
    """
    K = _finite_array(K, "K", 4, "filters (F, 1, kh, kw)")
    if K.shape[1] != 1:
        raise ValueError(f"plot_filters draws one-channel filters (F, 1, kh, kw); got K of shape {K.shape}")
    F, _, kh, kw = K.shape
    limit = float(np.abs(K).max()) or 1.0
    art = ax.imshow(mosaic(K[:, 0], cols), cmap=plt_colormap("RdBu_r"), vmin=-limit, vmax=limit,
                    interpolation="nearest")
    for f in range(F):
        r, c = divmod(f, cols)
        ax.text(c * (kw + 1) + (kw - 1) / 2, r * (kh + 1) - 0.6, str(f), ha="center", va="bottom", fontsize=8)
    ax.set_ylim(int(np.ceil(F / cols)) * (kh + 1) - 1.5, -1.4)
    ax.axis("off")
    return art


def plot_maps(ax, maps, cols=8, cmap="magma"):
    """Feature maps (F, h, w) as one picture, each on its own colour scale (divided by its largest value)."""
    maps = _finite_array(maps, "maps", 3, "feature maps (F, h, w)")
    top = maps.reshape(len(maps), -1).max(axis=1)
    scaled = maps / np.where(top > 0, top, 1.0)[:, None, None]
    ax.imshow(mosaic(scaled, cols), cmap=plt_colormap(cmap), vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.axis("off")
    return ax


# ---------------------------------------------------------------- widgets

def _digit_slider(n, index):
    return widgets.IntSlider(value=index, min=0, max=n - 1, step=1, description="test digit #",
                             continuous_update=True, style={"description_width": "initial"},
                             layout={"width": "420px"})


def _as_index(index, n):
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < n:
        raise ValueError(f"index must pick one of the {n} test digits, a whole number 0..{n - 1}; got {index!r}")
    return int(index)


def _bars(ax, color):
    bars = ax.bar(CLASSES, np.zeros(10), color=color)
    ax.set_xticks(CLASSES)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("class")
    return bars


class DigitExplorer(Explorer):
    """Pick a test digit: its image, the model's probabilities p = softmax(Z), and ∂L/∂x for its true label.

    The heatmap is notebook 04's input gradient, pushed back through every layer to the pixels:
    red pixels would raise the loss L = −log p_label if they got more ink, blue ones would lower it.
    Its colour scale is ±max|∂L/∂x| of the digit shown (the title gives that number).

    Attributes after an update: index, x (1, 1, 8, 8), label, p (10,), loss, dL_dx (1, 1, 8, 8), predicted.
    """

    summary = "pick a test digit: its image, the class probabilities and ∂L/∂x as a heatmap"

    def __init__(self, model, data, index=0):
        _check_model(model)
        _check_data(data)
        self.model, self.data = model, data
        n = len(data["y_test"])
        self.slider = _digit_slider(n, _as_index(index, n))
        self.readout = self.make_readout()

        self.figure = LiveFigure(figsize=(8.4, 2.5), dpi=80)
        ax_img, ax_p, ax_g = self.figure.fig.subplots(1, 3, width_ratios=[1, 1.5, 1])
        self.image = show_digit(ax_img, np.zeros((8, 8)))
        self.title_img = ax_img.set_title(" ", fontsize=10)
        self.bars = _bars(ax_p, GREY)
        ax_p.set_ylabel("probability $p$")
        self.title_p = ax_p.set_title(" ", fontsize=10)
        self.heat = ax_g.imshow(np.zeros((8, 8)), cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
        ax_g.set_xticks([])
        ax_g.set_yticks([])
        ax_g.grid(False)
        self.title_g = ax_g.set_title(" ", fontsize=10)
        self.figure.animate(self.image, self.title_img, *self.bars, self.title_p, self.heat, self.title_g)

        super().__init__([self.slider, self.figure.image, self.readout])
        self.observe_controls(self.slider)
        self.update()

    def update(self, *_):
        """Forward and backward pass for the chosen digit; redraw image, bars and heatmap in place."""
        self.index = self.slider.value
        self.x = self.data["X_test"][[self.index]]
        self.label = int(self.data["y_test"][self.index])
        self.loss, self.dL_dx, self.p = input_gradient_of_loss(self.model, self.x, self.label)
        self.predicted = int(np.argmax(self.p))
        g = self.dL_dx[0, 0]
        largest = float(np.abs(g).max())
        limit = largest or 1.0   # an all-zero gradient still needs a colour scale
        self.image.set_data(self.x[0, 0])
        self.title_img.set_text(f"label {self.label}")
        for c, bar in enumerate(self.bars):
            bar.set_height(self.p[c])
            bar.set_color(BLUE if c == self.label else (RED if c == self.predicted else GREY))
        self.title_p.set_text(f"predicted {self.predicted}  (p = {self.p[self.predicted]:.3f})")
        self.heat.set_data(g)
        self.heat.set_clim(-limit, limit)
        self.title_g.set_text(f"∂L/∂x   (±{largest:.2g})")
        row, col = np.unravel_index(np.argmax(np.abs(g)), g.shape)
        self.readout.value = (
            f"<code>test digit #{self.index}: label {self.label}, predicted {self.predicted} "
            f"(p = {self.p[self.predicted]:.3f}), L = {self.loss:.3f}, largest |∂L/∂x| = {largest:.2g} "
            f"at row {row}, column {col}</code>")
        self.figure.refresh()


class AdversarialExplorer(Explorer):
    """Nudge a test digit by ε per pixel in the direction that hurts the model most (FGSM).

    Untargeted: x' = clip(x + ε·sign(∂L_label/∂x), 0, 1), up the loss of the true label.
    Targeted at class t: x' = clip(x − ε·sign(∂L_t/∂x), 0, 1), down the loss of class t.
    Shows the original, the nudged image, and the probabilities before (grey outline) and after.

    Attributes after an update: index, eps, goal (None or the target class 0..9), x, x_adv, p, p_adv,
    predicted, predicted_adv, label. Controls: digit, epsilon (sliders), target (a Dropdown).
    """

    summary = "an ε slider that nudges a digit by ε·sign(∂L/∂x) until the prediction flips"

    def __init__(self, model, data, index=0, epsilon=0.0, target=None):
        _check_model(model)
        _check_data(data)
        if (isinstance(epsilon, (bool, np.bool_)) or not isinstance(epsilon, (int, float, np.integer, np.floating))
                or not 0 <= epsilon <= 0.5 or abs(100 * epsilon - round(100 * epsilon)) > 1e-9):
            raise ValueError(f"epsilon must be a number 0..0.5 in steps of 0.01 (the slider's range); got {epsilon!r}")
        self.model, self.data = model, data
        n = len(data["y_test"])
        self.digit = _digit_slider(n, _as_index(index, n))
        self.epsilon = widgets.FloatSlider(value=float(epsilon), min=0.0, max=0.5, step=0.01, description="ε",
                                           continuous_update=True, readout_format=".2f",
                                           layout={"width": "420px"})
        # the untargeted choice is -1, not None: a Dropdown whose value is None shows no selection
        options = [("none: raise the true label's loss (FGSM)", UNTARGETED)] + [(f"make it a {c}", c) for c in CLASSES.tolist()]
        if target is not None and (isinstance(target, bool) or target not in CLASSES.tolist()):
            raise ValueError(f"target must be None or a class 0..9; got {target!r}")
        self.target = widgets.Dropdown(options=options, value=UNTARGETED if target is None else int(target),
                                       description="target", layout={"width": "420px"})
        self.readout = self.make_readout()

        self.figure = LiveFigure(figsize=(8.4, 2.5), dpi=80)
        ax_x, ax_adv, ax_p = self.figure.fig.subplots(1, 3, width_ratios=[1, 1, 1.5])
        self.image = show_digit(ax_x, np.zeros((8, 8)))
        self.title_x = ax_x.set_title(" ", fontsize=10)
        self.image_adv = show_digit(ax_adv, np.zeros((8, 8)))
        self.title_adv = ax_adv.set_title(" ", fontsize=10)
        self.bars_before = ax_p.bar(CLASSES, np.zeros(10), fill=False, edgecolor="0.45", lw=1.0)
        self.bars = _bars(ax_p, GREY)
        ax_p.set_ylabel("probability $p$")
        self.title_p = ax_p.set_title("after the nudge (outline: before)", fontsize=10)
        self.figure.animate(self.image, self.title_x, self.image_adv, self.title_adv, *self.bars, *self.bars_before)

        super().__init__([self.digit, self.epsilon, self.target, self.figure.image, self.readout])
        self.observe_controls(self.digit, self.epsilon, self.target)
        self.update()

    def update(self, *_):
        """Recompute the nudge (one backward pass, one forward pass) and redraw in place."""
        self.index, self.eps = self.digit.value, self.epsilon.value
        self.goal = None if self.target.value == UNTARGETED else self.target.value
        self.x = self.data["X_test"][[self.index]]
        self.label = int(self.data["y_test"][self.index])
        self.x_adv = fgsm(self.model, self.x, self.label, self.eps, self.goal)
        self.p = predict_proba(self.model, self.x)[:, 0]
        self.p_adv = predict_proba(self.model, self.x_adv)[:, 0]
        self.predicted, self.predicted_adv = int(np.argmax(self.p)), int(np.argmax(self.p_adv))
        self.image.set_data(self.x[0, 0])
        self.title_x.set_text(f"label {self.label}, predicted {self.predicted}")
        self.image_adv.set_data(self.x_adv[0, 0])
        self.title_adv.set_text(f"ε = {self.eps:.2f}: predicted {self.predicted_adv}")
        self.title_adv.set_color(RED if self.predicted_adv != self.label else "black")
        for c in CLASSES:
            self.bars_before[c].set_height(self.p[c])
            self.bars[c].set_height(self.p_adv[c])
            self.bars[c].set_color(BLUE if c == self.label else (RED if c == self.predicted_adv else GREY))
        goal = "untargeted (FGSM)" if self.goal is None else f"target {self.goal}"
        flipped = "flipped" if self.predicted_adv != self.predicted else "not flipped"
        self.readout.value = (
            f"<code>test digit #{self.index}, label {self.label}, ε = {self.eps:.2f}, {goal}: predicted "
            f"{self.predicted} (p = {self.p[self.predicted]:.3f}) → {self.predicted_adv} "
            f"(p = {self.p_adv[self.predicted_adv]:.3f}), {flipped}</code>")
        self.figure.refresh()


@recipe
def digit_explorer(model=None, data=None, index=0):
    """Build the digit explorer on ``model`` (a trained Sequential) and ``data`` (``split_digits()``'s dict).

    With no arguments: the notebook's CNN and split (trained once per process, ~1 s). ``index``
    picks the first test digit shown. Returns the widget.
    """
    data = default_data() if data is None else data
    return DigitExplorer(trained_cnn() if model is None else model, data, index)


@recipe
def adversarial_explorer(model=None, data=None, index=0, epsilon=0.0, target=None):
    """Build the adversarial-nudge explorer: ε from 0 to 0.5 per pixel, untargeted or towards ``target``.

    Arguments as ``digit_explorer``; ``epsilon`` and ``target`` (None or 0..9) set the controls' start.
    """
    data = default_data() if data is None else data
    return AdversarialExplorer(trained_cnn() if model is None else model, data, index, epsilon, target)


class TrainingExplorer(Explorer):
    """Replay a training run epoch by epoch: the filters as they were after that epoch, and the curves so far.

    Reads ``train``'s history with the filters kept (``keep=("1.K",)``): nothing is recomputed,
    only shown. Epoch 0 is before any step (the random initial filters).

    Attributes after an update: epoch, K (F, 1, kh, kw) the filters shown.
    """

    summary = "an epoch slider: the CNN's filters and its accuracy as training goes on"

    def __init__(self, history, name="1.K", epoch=None):
        keys = ("train_loss", "train_accuracy", "test_loss", "test_accuracy")
        expected = f"history must be train()'s dict (with {list(keys)} and 'snapshots')"
        if not isinstance(history, dict):
            raise ValueError(f"{expected}; got {history!r:.80}")
        snapshots = history.get("snapshots", {}).get(name)
        if not snapshots:
            raise ValueError(f"the history keeps no snapshots of {name!r}: train with keep=({name!r},)")
        if any(k not in history for k in keys):
            raise ValueError(f"{expected}; got the keys {sorted(history)}")
        if any(len(history[k]) != len(snapshots) for k in keys):
            raise ValueError(f"history holds {len(snapshots)} snapshots of {name!r} but lists of lengths "
                             f"{[len(history[k]) for k in keys]}: one entry per epoch each")
        self.history, self.snapshots = history, snapshots
        last = len(snapshots) - 1
        epoch = last if epoch is None else epoch
        if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)) or not 0 <= epoch <= last:
            raise ValueError(f"epoch must be a whole number 0..{last}; got {epoch!r}")
        self.slider = widgets.IntSlider(value=int(epoch), min=0, max=last, step=1, description="epoch",
                                        continuous_update=True, layout={"width": "420px"})
        self.readout = self.make_readout()

        self.figure = LiveFigure(figsize=(8.4, 2.4), dpi=80)
        ax_k, ax_a = self.figure.fig.subplots(1, 2, width_ratios=[1.3, 1])
        limit = max(float(np.abs(K).max()) for K in snapshots)
        F, _, kh, kw = snapshots[0].shape
        self.filters = ax_k.imshow(mosaic(snapshots[0][:, 0], 8), cmap=plt_colormap("RdBu_r"), vmin=-limit,
                                   vmax=limit, interpolation="nearest")
        ax_k.axis("off")
        self.title_k = ax_k.set_title(" ", fontsize=10)
        epochs = np.arange(len(snapshots))
        ax_a.plot(epochs, 100 * np.asarray(history["train_accuracy"]), "--", color=BLUE, label="training")
        ax_a.plot(epochs, 100 * np.asarray(history["test_accuracy"]), "-", color=ORANGE, label="test")
        ax_a.set_ylim(0, 101)
        ax_a.set_xlabel("epoch")
        ax_a.set_ylabel("accuracy (%)")
        ax_a.legend(fontsize=8, loc="lower right")
        self.marker = ax_a.axvline(0, color="0.3", lw=1)
        self.dot, = ax_a.plot([0], [0], "o", color=ORANGE)
        self.figure.animate(self.filters, self.title_k, self.marker, self.dot)

        super().__init__([self.slider, self.figure.image, self.readout])
        self.observe_controls(self.slider)
        self.update()

    def update(self, *_):
        """Show the filters kept after the chosen epoch and mark the epoch on the curves."""
        self.epoch = self.slider.value
        self.K = self.snapshots[self.epoch]
        h = self.history
        self.filters.set_data(mosaic(self.K[:, 0], 8))
        self.title_k.set_text("the random start" if self.epoch == 0 else f"the filters after epoch {self.epoch}")
        self.marker.set_xdata([self.epoch, self.epoch])
        self.dot.set_data([self.epoch], [100 * h["test_accuracy"][self.epoch]])
        self.readout.value = (
            f"<code>epoch {self.epoch}: training loss {h['train_loss'][self.epoch]:.3f}, accuracy "
            f"{100 * h['train_accuracy'][self.epoch]:.1f} %; test loss {h['test_loss'][self.epoch]:.3f}, "
            f"accuracy {100 * h['test_accuracy'][self.epoch]:.1f} %</code>")
        self.figure.refresh()


@recipe
def training_explorer(history=None, epoch=None):
    """Build the training replay from ``train``'s history (kept filters "1.K"); the last epoch shown first.

    With no arguments: the notebook's CNN's own run (``trained_cnn_history()``).
    """
    return TrainingExplorer(trained_cnn_history() if history is None else history, epoch=epoch)
