"""Activation functions σ and their derivatives σ', applied element-wise.

Every function takes an array ``z`` of any shape (or a scalar) and returns an array of
the same shape. In the notebooks ``a = σ(z)`` and, in the backward pass, ``σ'(z)``.

    sigmoid(z) = 1 / (1 + e^(−z))      sigmoid'(z) = σ(z)·(1 − σ(z)) = σ(z)·σ(−z)   ≤ 1/4
    tanh(z)                            tanh'(z)    = 1 − tanh(z)² = 4 / (e^z + e^(−z))²   ≤ 1
    relu(z)    = max(z, 0)             relu'(z)    = 1 if z > 0 else 0 (0 at z = 0)
    identity(z) = z                    identity'(z) = 1

Note the minus sign in e^(−z): seed 001's backward formula writes σ as 1/(1 + exp(vᵀh + b)), which is σ(−z).

The derivatives use the forms on the right: 1 − σ(z) and 1 − tanh(z)² round to exactly 0 once
σ(z) or tanh(z) rounds to 1 (z ≳ 37 and z ≳ 19 in float64), while σ(z)·σ(−z) and
4e^(−2|z|)/(1 + e^(−2|z|))² keep full relative precision for every z (σ'(37) ≈ 8.5e-17, not 0).
Complex input is refused (a ValueError), never silently cut to its real part.
"""
from typing import Callable, NamedTuple

import numpy as np

from .shapes import as_float_array


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), element-wise; any shape in, same shape out.

    Numerically stable: e^(−|z|) never overflows, so z = ±1e4 gives exactly 1.0 / 0.0
    with no warning, and small |z| keeps full float64 precision.
    """
    z = as_float_array(z, "z")
    e = np.exp(-np.abs(z))  # in (0, 1]: no overflow for any z
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))[()]


def sigmoid_prime(z):
    """σ'(z) = σ(z)·(1 − σ(z)) = σ(z)·σ(−z), element-wise; its largest value is 1/4, at z = 0.

    Computed as σ(z)·σ(−z): 1 − σ(z) would round to 0 for z ≳ 37 (σ(z) rounds to 1), while
    σ(−z) keeps its full precision, so σ'(z) stays accurate in the tails (σ'(37) ≈ 8.5e-17).
    """
    z = as_float_array(z, "z")
    return sigmoid(z) * sigmoid(-z)


def tanh(z):
    """tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)), element-wise."""
    return np.tanh(as_float_array(z, "z"))[()]


def tanh_prime(z):
    """tanh'(z) = 1 − tanh(z)² = 4 / (e^z + e^(−z))², element-wise; its largest value is 1, at z = 0.

    Computed as 4e^(−2|z|) / (1 + e^(−2|z|))²: no overflow, and full relative precision where
    1 − tanh(z)² would round to 0 (|z| ≳ 19).
    """
    e = np.exp(-np.abs(as_float_array(z, "z"))) ** 2  # e^(−2|z|) in (0, 1]: no overflow, even for |z| = 1e308
    return (4.0 * e / (1.0 + e) ** 2)[()]


def relu(z):
    """relu(z) = max(z, 0), element-wise."""
    return np.maximum(as_float_array(z, "z"), 0.0)[()]


def relu_prime(z):
    """relu'(z) = 1 where z > 0, else 0 (including z = 0), element-wise; NaN stays NaN (never read as 0)."""
    z = as_float_array(z, "z")
    return np.where(np.isnan(z), np.nan, z > 0)[()]


def identity(z):
    """identity(z) = z: no activation (a = z)."""
    return np.array(as_float_array(z, "z"))[()]


def identity_prime(z):
    """identity'(z) = 1, element-wise; NaN stays NaN (never read as 1)."""
    z = as_float_array(z, "z")
    return np.where(np.isnan(z), np.nan, 1.0)[()]


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
