"""Notebook 09: layers to build networks from, each a few lines that call the series' helpers.

Every layer has the same three parts:

    out = layer.forward(X)        remembers what its backward pass needs (its input, or its output)
    dX  = layer.backward(dOut)    dOut = ∂L/∂out, shaped like out; returns ∂L/∂X, shaped like X,
                                  and fills layer.grads[name] = ∂L/∂(layer.params[name])
    layer.params, layer.grads     dicts with the same keys; empty for layers without parameters

and ``Sequential(*layers)`` chains them: forward left to right, backward right to left, each
layer's ∂L/∂X being the ∂L/∂out of the layer before it (notebook 04's chain).

Shapes. Dense layers use the series' column convention, one example per column, X (n_in, k).
Image layers use PyTorch's layout, X (N, C, H, W). ``Flatten`` is the bridge: (N, C, H, W) ->
(C·H·W, N), each image becomes one column.

Initialisation (He et al., 2015, "Delving deep into rectifiers"): weights drawn from
N(0, 2 / fan_in), with fan_in the number of inputs each output sums (n_in for Dense, c_in·kh·kw
for Conv2D), biases 0. A ReLU zeroes about half of its inputs, which halves the variance; the
factor 2 puts it back, so activations keep roughly the same scale from layer to layer instead of
shrinking or growing with depth. Any ``rng`` argument is a ``np.random.Generator`` or a seed;
``None`` means seed 0, so a model is reproducible even when nobody passes a seed.
"""
import numpy as np

from .activation_grad import activation_backward
from .activations import relu, sigmoid
from .conv import resolve_padding
from .conv_layer import conv_backward, conv_forward, maxpool_backward, maxpool_forward
from .forward import dense_forward
from .input_grad import input_gradient
from .shapes import as_float_array, dims, first_non_finite
from .weight_grad import bias_gradient, weight_gradient


def make_rng(rng):
    """``rng`` as a ``np.random.Generator``: a Generator is used as it is, an int is a seed, None is seed 0."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, bool) or not isinstance(rng, (int, np.integer)) or rng < 0:
        raise ValueError(f"rng must be a np.random.Generator, a whole-number seed ≥ 0 or None; got {rng!r}")
    return np.random.default_rng(int(rng))


def _batch(X, name, layer):
    """``X`` as a float array of finite real numbers with at least one entry, or a ValueError naming ``layer``."""
    if X is None:  # np.asarray(None, dtype=float) is a NaN: say what it really is
        raise ValueError(f"{layer} needs {name} to hold numbers; got None")
    X = as_float_array(X, name)
    if X.size == 0:
        raise ValueError(f"{layer} needs a batch with at least one number; got an empty {name} of shape {X.shape}")
    bad = first_non_finite(X)
    if bad is not None:
        where, value = bad
        raise ValueError(f"{layer} needs finite numbers; got {value} in {name} at index {where}")
    return X


def _finite(result, name, layer):
    """``result``, or a ValueError if finite inputs overflowed float64 on the way."""
    if not np.all(np.isfinite(result)):
        raise ValueError(f"{layer}: {name} overflows float64 (some entry passes ±1.8e308); scale the inputs down")
    return result


def _size(value, name, meaning):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a whole number ≥ 1 ({meaning}); got {name} = {value!r}")
    return int(value)


class Layer:
    """Base of every layer: ``forward``, ``backward``, and the dicts ``params`` and ``grads``."""

    def __init__(self):
        self.params = {}
        self.grads = {}
        self._saved = None

    def forward(self, X):
        """Compute the layer's output from ``X`` and remember what ``backward`` needs."""
        raise NotImplementedError

    def backward(self, dOut):
        """∂L/∂X from ∂L/∂out (after ``forward``); fills ``self.grads``."""
        raise NotImplementedError

    def _need_forward(self):
        if self._saved is None:
            raise ValueError(f"{type(self).__name__}.backward needs the forward pass first: call forward(X), then backward(dOut)")
        return self._saved

    def _check_dOut(self, dOut, shape):
        if dOut is None:
            raise ValueError(f"{type(self).__name__}.backward needs dOut = ∂L/∂out, shaped {dims(shape)}; got None")
        dOut = as_float_array(dOut, "dOut")
        if dOut.shape != shape:
            raise ValueError(
                f"{type(self).__name__}'s output was {dims(shape)}, so dOut must be {dims(shape)} "
                f"(∂L/∂out has out's shape); got dOut of shape {dOut.shape}"
            )
        bad = first_non_finite(dOut)
        if bad is not None:
            where, value = bad
            raise ValueError(f"{type(self).__name__}.backward needs finite numbers; got {value} in dOut at index {where}")
        return dOut

    def __repr__(self):
        return f"{type(self).__name__}()"


class Dense(Layer):
    """A dense layer (notebooks 01, 03, 04): ``Z = W X + b`` for k examples as columns.

    Args:
        n_in: inputs per example (rows of X).   n_out: outputs per example (rows of Z).
        rng: Generator or seed for W ~ N(0, 2/n_in) (He initialisation); b starts at 0.

    params: "W" (n_out, n_in), "b" (n_out, 1).
    forward: X (n_in, k) -> Z = W X + b (n_out, k)                       notebook 01
    backward: dZ (n_out, k) -> dW = dZ Xᵀ, db = Σ_columns dZ               notebook 03
                               dX = Wᵀ dZ (n_in, k)                        notebook 04
    """

    def __init__(self, n_in, n_out, rng=None):
        super().__init__()
        n_in = _size(n_in, "n_in", "inputs per example")
        n_out = _size(n_out, "n_out", "outputs per example")
        rng = make_rng(rng)
        self.params = {"W": rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in)), "b": np.zeros((n_out, 1))}
        self.grads = {name: np.zeros_like(p) for name, p in self.params.items()}

    def forward(self, X):
        """Z = W X + b: X (n_in, k) -> Z (n_out, k)."""
        W = self.params["W"]
        X = _batch(X, "X", "Dense")
        if np.ndim(X) == 4:
            raise ValueError(f"Dense takes examples as columns (n_in, k); got a batch of images of shape "
                             f"{np.shape(X)}: put Flatten() before it")
        with np.errstate(over="ignore", invalid="ignore"):
            Z, _ = dense_forward(W, self.params["b"], X, "identity")
        self._saved = X
        return _finite(Z, "Z = W X + b", "Dense")

    def backward(self, dOut):
        """dOut = ∂L/∂Z (n_out, k) -> ∂L/∂X = Wᵀ ∂L/∂Z (n_in, k); grads W: ∂L/∂Z Xᵀ, b: Σ_columns ∂L/∂Z."""
        X = self._need_forward()
        dZ = self._check_dOut(dOut, (self.params["W"].shape[0], X.shape[1]))
        with np.errstate(over="ignore", invalid="ignore"):
            dW, db, dX = weight_gradient(dZ, X), bias_gradient(dZ), input_gradient(self.params["W"], dZ)
        self.grads["W"], self.grads["b"] = _finite(dW, "∂L/∂W", "Dense"), _finite(db, "∂L/∂b", "Dense")
        return _finite(dX, "∂L/∂X", "Dense")

    def __repr__(self):
        n_out, n_in = self.params["W"].shape
        return f"Dense({n_in}, {n_out})"


class Conv2D(Layer):
    """A convolutional layer (notebook 08): F = c_out filters slid over a batch of images.

    Args:
        c_in: input channels C.   c_out: filters F (output channels).
        kernel_size: kh = kw, or a pair (kh, kw).
        padding: zero pixels on every side (a whole number, "valid" or "same").   stride: ≥ 1.
        rng: Generator or seed for K ~ N(0, 2/(c_in·kh·kw)) (He initialisation); b starts at 0.

    params: "K" (c_out, c_in, kh, kw), "b" (c_out,).
    forward: X (N, C, H, W) -> Z (N, F, out_h, out_w),
             Z[n, f, i, j] = b[f] + Σ_cuv X_p[n, c, s·i + u, s·j + v] K[f, c, u, v]
    backward: dZ -> dK = δ colsᵀ, db = Σ δ (notebook 03), dX = col2im(Wᵀ δ) (notebook 04), via im2col.
    """

    def __init__(self, c_in, c_out, kernel_size, padding=0, stride=1, rng=None):
        super().__init__()
        c_in = _size(c_in, "c_in", "input channels")
        c_out = _size(c_out, "c_out", "filters")
        pair = (kernel_size, kernel_size) if np.ndim(kernel_size) == 0 else tuple(np.ravel(kernel_size).tolist())
        if len(pair) != 2:
            raise ValueError(f"kernel_size must be one whole number (a square kernel) or a pair (kh, kw); got {kernel_size!r}")
        kh, kw = _size(pair[0], "kernel_size", "the kernel's side"), _size(pair[1], "kernel_size", "the kernel's side")
        stride = _size(stride, "stride", "the step between windows")
        resolve_padding(padding, (kh, kw), stride)   # a ValueError now for a bad padding, not at the first forward
        self.padding, self.stride = padding, stride
        fan_in = c_in * kh * kw
        rng = make_rng(rng)
        self.params = {"K": rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(c_out, c_in, kh, kw)),
                       "b": np.zeros(c_out)}
        self.grads = {name: np.zeros_like(p) for name, p in self.params.items()}

    def forward(self, X):
        """Z = conv_forward(X, K, b, padding, stride): X (N, C, H, W) -> Z (N, F, out_h, out_w)."""
        X = _batch(X, "X", "Conv2D")
        Z = conv_forward(X, self.params["K"], self.params["b"], self.padding, self.stride)
        self._saved = X
        return Z

    def backward(self, dOut):
        """dOut = ∂L/∂Z (N, F, out_h, out_w) -> ∂L/∂X (N, C, H, W); grads K (F, C, kh, kw), b (F,)."""
        X = self._need_forward()
        if dOut is None:
            raise ValueError("Conv2D.backward needs dOut = ∂L/∂out, shaped like its output; got None")
        dX, self.grads["K"], self.grads["b"] = conv_backward(dOut, X, self.params["K"], self.padding, self.stride)
        return dX

    def __repr__(self):
        F, C, kh, kw = self.params["K"].shape
        return f"Conv2D({C}, {F}, {(kh, kw) if kh != kw else kh}, padding={self.padding!r}, stride={self.stride})"


class ReLU(Layer):
    """relu(z) = max(z, 0), entry by entry, any shape (notebook 02).

    forward: Z -> A = max(Z, 0).   backward: dA -> dZ = dA ⊙ relu'(Z), relu'(z) = 1 if z > 0 else 0.
    """

    def forward(self, X):
        """A = max(X, 0), same shape as X."""
        X = _batch(X, "X", "ReLU")
        self._saved = X
        return relu(X)

    def backward(self, dOut):
        """∂L/∂X = ∂L/∂A ⊙ relu'(X): the gradient passes where X > 0 and is blocked elsewhere."""
        X = self._need_forward()
        return activation_backward(self._check_dOut(dOut, X.shape), X, "relu")


class Sigmoid(Layer):
    """σ(z) = 1 / (1 + e^(−z)), entry by entry, any shape (notebook 02).

    forward: Z -> A = σ(Z).   backward: dA -> dZ = dA ⊙ σ'(Z), σ'(z) = σ(z)(1 − σ(z)).
    """

    def forward(self, X):
        """A = σ(X), same shape as X."""
        X = _batch(X, "X", "Sigmoid")
        self._saved = X
        return sigmoid(X)

    def backward(self, dOut):
        """∂L/∂X = ∂L/∂A ⊙ σ'(X)."""
        X = self._need_forward()
        return activation_backward(self._check_dOut(dOut, X.shape), X, "sigmoid")


class MaxPool2D(Layer):
    """Max pooling over size×size windows side by side, channel by channel (notebook 08).

    forward: X (N, C, H, W) -> Y (N, C, H/size, W/size), the largest entry of each window; H and W
             must be multiples of size (no row or column is silently dropped).
    backward: each window's gradient goes to its maximum (ties: the first in row-major order), 0 elsewhere.
    """

    def __init__(self, size=2):
        super().__init__()
        self.size = _size(size, "size", "the side of the pooling window")

    def forward(self, X):
        """Y = maxpool_forward(X, size)."""
        X = _batch(X, "X", "MaxPool2D")
        if X.ndim == 4 and (X.shape[2] % self.size or X.shape[3] % self.size):
            raise ValueError(f"MaxPool2D({self.size}) lays {self.size}×{self.size} windows side by side, so H and W must be "
                             f"multiples of {self.size}; got X of shape {X.shape}: the last rows or columns would be dropped")
        Y = maxpool_forward(X, self.size)
        self._saved = X
        return Y

    def backward(self, dOut):
        """∂L/∂X = maxpool_backward(∂L/∂Y, X, size), shaped like X."""
        X = self._need_forward()
        if dOut is None:
            raise ValueError("MaxPool2D.backward needs dOut = ∂L/∂out, shaped like its output; got None")
        return maxpool_backward(dOut, X, self.size)

    def __repr__(self):
        return f"MaxPool2D({self.size})"


class Standardize(Layer):
    """A fixed affine step, no parameters: ``out = (X − mean) / std``, any shape.

    Centred inputs of about unit size make gradient descent converge much faster than pixels
    that are all ≥ 0 (LeCun et al., 1998, "Efficient BackProp"). As a layer, it lets the model
    take raw pixels, so ∂L/∂X is a gradient in pixel units.

    Args:
        mean: a number (e.g. the mean of all training pixels).   std: a number > 0 (their standard deviation).

    forward: X -> (X − mean) / std.   backward: dOut -> dOut / std (the Jacobian is (1/std)·I).
    """

    def __init__(self, mean, std):
        super().__init__()
        if any(isinstance(v, (bool, np.bool_, str)) for v in (mean, std)):
            raise ValueError(f"Standardize needs two numbers, a mean and a std > 0; got mean = {mean!r}, std = {std!r}")
        try:
            mean, std = float(mean), float(std)
        except (TypeError, ValueError):
            raise ValueError(f"Standardize needs two numbers, a mean and a std > 0; got mean = {mean!r}, std = {std!r}") from None
        if not (np.isfinite(mean) and np.isfinite(std) and std > 0):
            raise ValueError(f"Standardize needs a finite mean and a std > 0; got mean = {mean!r}, std = {std!r}")
        self.mean, self.std = mean, std

    def forward(self, X):
        """(X − mean) / std, same shape as X."""
        X = _batch(X, "X", "Standardize")
        self._saved = X.shape
        with np.errstate(over="ignore", invalid="ignore"):
            return _finite((X - self.mean) / self.std, "(X − mean) / std", "Standardize")

    def backward(self, dOut):
        """∂L/∂X = ∂L/∂out / std."""
        with np.errstate(over="ignore", invalid="ignore"):
            return _finite(self._check_dOut(dOut, self._need_forward()) / self.std, "∂L/∂X", "Standardize")

    def __repr__(self):
        return f"Standardize({self.mean:.3f}, {self.std:.3f})"


class Flatten(Layer):
    """The bridge from image batches to the column convention: (N, C, H, W) -> (C·H·W, N).

    forward: column n of the output is image n, its pixels read channel by channel, row by row
             (``X.reshape(N, -1).T``).
    backward: the same numbers put back: dX = dOut.T.reshape(N, C, H, W). Nothing is computed, so
              nothing is lost: the Jacobian is a permutation matrix.
    """

    def forward(self, X):
        """(N, C, H, W) -> (C·H·W, N): one image per column."""
        X = _batch(X, "X", "Flatten")
        if X.ndim != 4:
            raise ValueError(f"Flatten takes a batch of images (N, C, H, W); got X of shape {X.shape}")
        self._saved = X.shape
        return X.reshape(X.shape[0], -1).T

    def backward(self, dOut):
        """(C·H·W, N) -> (N, C, H, W): each column back into its image."""
        shape = self._need_forward()
        dOut = self._check_dOut(dOut, (int(np.prod(shape[1:])), shape[0]))
        return dOut.T.reshape(shape)


class Sequential:
    """Layers applied one after the other: ``Sequential(Flatten(), Dense(64, 32), ReLU(), Dense(32, 10))``.

    forward(X): out = layer_L(… layer_2(layer_1(X)))
    backward(dOut): walks the layers in reverse, each layer's ∂L/∂X being the dOut of the layer
        before (notebook 04's chain); returns ∂L/∂X of the first layer's input.
    params, grads: one dict over every layer, keys "index.name" ("1.W", "1.b", …), values the
        layers' own arrays (not copies): changing ``model.params["1.W"]`` in place changes the layer.
    """

    def __init__(self, *layers):
        for i, layer in enumerate(layers):
            if not all(hasattr(layer, a) for a in ("forward", "backward", "params", "grads")):
                raise ValueError(f"Sequential takes layers (with forward, backward, params, grads); "
                                 f"got {layer!r} at position {i}")
        self.layers = list(layers)

    def forward(self, X):
        """Run X through every layer in order; return the last layer's output."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, dOut):
        """Run ∂L/∂out back through every layer in reverse order; return ∂L/∂X of the input."""
        for layer in reversed(self.layers):
            dOut = layer.backward(dOut)
        return dOut

    @property
    def params(self):
        """Every layer's parameters: {"index.name": array}, the layers' own arrays."""
        return {f"{i}.{name}": p for i, layer in enumerate(self.layers) for name, p in layer.params.items()}

    @property
    def grads(self):
        """Every layer's gradients after ``backward``: {"index.name": array}, same keys as ``params``."""
        return {f"{i}.{name}": layer.grads[name] for i, layer in enumerate(self.layers) for name in layer.params}

    def __repr__(self):
        return "Sequential(" + ", ".join(repr(layer) for layer in self.layers) + ")"
