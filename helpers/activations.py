"""Activation functions σ and their derivatives σ', applied element-wise.

Every function takes an array ``z`` of any shape (or a scalar) and returns an array of
the same shape. In the notebooks ``a = σ(z)`` and, in the backward pass, ``σ'(z)``.

    sigmoid(z) = 1 / (1 + e^(−z))      sigmoid'(z) = σ(z)·(1 − σ(z))   ≤ 1/4
    tanh(z)                            tanh'(z)    = 1 − tanh(z)²      ≤ 1
    relu(z)    = max(z, 0)             relu'(z)    = 1 if z > 0 else 0 (0 at z = 0)
    identity(z) = z                    identity'(z) = 1

Note the minus sign in e^(−z): seed 001 writes 1/(1 + exp(vᵀh + b)), which is σ(−z).
"""
from typing import Callable, NamedTuple

import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), element-wise; any shape in, same shape out.

    Numerically stable: e^(−|z|) never overflows, so z = ±1e4 gives exactly 1.0 / 0.0
    with no warning, and small |z| keeps full float64 precision.
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # in (0, 1]: no overflow for any z
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))[()]


def sigmoid_prime(z):
    """σ'(z) = σ(z)·(1 − σ(z)), element-wise; its largest value is 1/4, at z = 0."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)), element-wise."""
    return np.tanh(np.asarray(z, dtype=float))[()]


def tanh_prime(z):
    """tanh'(z) = 1 − tanh(z)², element-wise; its largest value is 1, at z = 0."""
    t = tanh(z)
    return 1.0 - t * t


def relu(z):
    """relu(z) = max(z, 0), element-wise."""
    return np.maximum(np.asarray(z, dtype=float), 0.0)[()]


def relu_prime(z):
    """relu'(z) = 1 where z > 0, else 0 (including z = 0), element-wise."""
    return (np.asarray(z, dtype=float) > 0).astype(float)[()]


def identity(z):
    """identity(z) = z: no activation (a = z)."""
    return np.array(z, dtype=float)[()]


def identity_prime(z):
    """identity'(z) = 1, element-wise."""
    return np.ones_like(np.asarray(z, dtype=float))[()]


class Activation(NamedTuple):
    """An activation by name: ``f`` is σ, ``prime`` is σ'."""

    name: str
    f: Callable
    prime: Callable


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime),
    "tanh": Activation("tanh", tanh, tanh_prime),
    "relu": Activation("relu", relu, relu_prime),
    "identity": Activation("identity", identity, identity_prime),
}


def get_activation(name):
    """The ``Activation`` (name, f, prime) called ``name``; a ValueError lists the valid names."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        valid = ", ".join(repr(n) for n in ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}; choose one of {valid}") from None
