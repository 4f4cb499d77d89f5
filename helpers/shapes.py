"""Shape checks shared by every math module.

Nothing in this series is allowed to "work" by accident of broadcasting. Each check
turns the input into a float array of the shape the notebook's equation expects, or
raises a ``ValueError`` that says, in the notebook's words, what was given and what
was expected, e.g. ``"W is 4×3, so x needs 3 rows; got x of shape (2, 1)"``.
"""
import numpy as np


def dims(shape):
    """``(4, 3) -> "4×3"``: how the notebooks write a matrix's size."""
    return "×".join(str(d) for d in shape)


def _short(a, limit=80):
    """``repr(a)``, cut to ``limit`` characters, for error messages."""
    text = repr(a)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_float_array(a, name, finite=False):
    """``a`` as a float64 ndarray; a ValueError naming ``name`` if it holds non-numbers.

    Complex numbers are refused, never cut to their real part. With ``finite=True``, NaN and
    ±inf are refused too (e.g. a kernel typed in a widget).
    """
    try:
        raw = np.asarray(a)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must hold numbers; got {_short(a)}") from err
    if raw.dtype.kind in "USV" or (raw.dtype.kind == "O" and any(v is None for v in raw.ravel())):
        raise ValueError(f"{name} must hold numbers; got {_short(a)}")  # None would become NaN, "1.5" 1.5
    if raw.dtype.kind == "c":
        raise ValueError(f"{name} must hold real numbers; got complex entries (dtype {raw.dtype}) in {name} "
                         f"of shape {raw.shape}")
    try:
        out = np.asarray(raw, dtype=float)
    except OverflowError as err:  # a Python int beyond float64, e.g. 10**400
        raise ValueError(f"{name} must hold numbers that fit a float64 (up to about 1.8e308); "
                         f"got {_short(a)}") from err
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must hold numbers; got {_short(a)}") from err
    bad = first_non_finite(out) if finite else None
    if bad is not None:
        where, value = bad
        raise ValueError(f"{name} must hold finite numbers; got NaN or ±inf in {name} of shape {out.shape} "
                         f"({name}{list(where)} = {value})")
    return out


def first_non_finite(a):
    """Where the first NaN or ±inf of array ``a`` is (row-major order) and what it is:
    ``(index tuple, value)``, or ``None`` when every entry is finite. Every refusal of a
    non-finite input names the entry with this, in its own words."""
    bad = ~np.isfinite(a)
    if not bad.any():
        return None
    where = tuple(int(i) for i in np.argwhere(bad)[0])
    return where, a[where]


def whole_number(value, name, least=1, what=None):
    """``value`` as an int if it is a whole number ≥ ``least`` (an int, not a bool or a float); else ValueError.

    ``what`` names it in the message (default ``name``), e.g. "the number of classes m".
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < least:
        raise ValueError(f"{what or name} must be a whole number ≥ {least}; got {name} = {value!r}")
    return int(value)


def as_matrix(a, name):
    """``a`` as a 2-D float array (a matrix); anything else is a ValueError."""
    a = as_float_array(a, name)
    if a.ndim != 2:
        raise ValueError(f"{name} must be a 2-D matrix; got {name} of shape {a.shape}")
    return a


def as_columns(x, name, rows, reason):
    """``x`` as an (rows, k) float matrix: one example per column.

    ``reason`` is the start of the message, e.g. ``"W is 4×3, so x"``. A 1-D array is
    refused rather than guessed at: in the column convention a vector is rows×1.
    """
    x = as_float_array(x, name)
    if x.ndim == 1 and x.shape[0] == rows:
        raise ValueError(
            f"{reason} must be a column of shape ({rows}, 1) (or ({rows}, k) for k examples); "
            f"got {name} of shape {x.shape}: use {name}.reshape(-1, 1)"
        )
    if x.ndim != 2 or x.shape[0] != rows:
        raise ValueError(f"{reason} needs {rows} rows; got {name} of shape {x.shape}")
    return x


def as_bias_column(b, rows, reason, name="b"):
    """A bias as an (rows, 1) column. A 1-D ``b`` of length ``rows`` is read as that column.

    A row (1, rows) or a matrix is refused: added to a batch it would broadcast along the
    wrong axis without any error.
    """
    b = as_float_array(b, name)
    if b.ndim == 1 and b.shape[0] == rows:
        return b.reshape(rows, 1)
    if b.shape != (rows, 1):
        raise ValueError(
            f"{reason} needs shape ({rows}, 1) (or {rows} entries); got {name} of shape {b.shape}"
        )
    return b


def same_shape(a, b, name_a, name_b):
    """Raise unless ``a`` and ``b`` have the same shape (element-wise products need it)."""
    if np.shape(a) != np.shape(b):
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape for an element-wise product; "
            f"got {name_a} of shape {np.shape(a)} and {name_b} of shape {np.shape(b)}"
        )
