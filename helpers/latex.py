"""LaTeX strings for matrices and shapes, so markdown, widgets and numbers read alike.

    latex_matrix([[1, 2], [3, 4]])  ->  r"\\begin{bmatrix}1.00 & 2.00\\\\ 3.00 & 4.00\\end{bmatrix}"

Numbers get a fixed number of decimals, except a non-zero number too small to show in them: it
gets two significant figures (``number_text(4.5e-5) -> "4.5e-05"``), so a vanishing σ'(z) never
reads as the exact 0 of a blocked ReLU (``number_text(0.0) -> "0.00"``). Below 1e-12 a number is
rounding noise and prints as 0 (``number_text(-2.8e-17) -> "0.00"``): its last bits differ between CPUs.
"""
import numbers
import unicodedata

import numpy as np

from .shapes import as_float_array


def check_decimals(decimals):
    """Raise ``ValueError`` unless ``decimals`` is a whole number from 0 to 6 (how many decimals to show)."""
    if isinstance(decimals, bool) or not isinstance(decimals, (int, np.integer)) or not 0 <= decimals <= 6:
        raise ValueError(f"decimals must be a whole number from 0 to 6; got decimals={decimals!r}")


def _real_number(v):
    """``v`` as a Python float if it is one real number (int, float, numpy scalar or 0-d array), else a ValueError."""
    if isinstance(v, np.ndarray) and v.ndim == 0:
        v = v[()]
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
        raise ValueError(f"expected one real number; got {v!r} of type {type(v).__name__}")
    return float(v)


NOISE = 1e-12  # below this a number is float64 rounding noise (e.g. 2.5e-16 for an exact 0): printed as 0


def _is_tiny(v, decimals):
    """Non-zero beyond rounding noise, yet it would print as 0 with ``decimals`` decimals.

    A magnitude below ``NOISE`` prints as 0: which last bits a sum leaves behind differs between
    CPUs (SIMD, BLAS), so printing them would make the text depend on the machine.
    """
    return NOISE <= abs(v) < 0.5 * 10.0 ** -decimals


def number_text(v, decimals=2):
    """One number as plain text: ``decimals`` decimals (−0.00 printed as 0.00), or two significant
    figures (``"4.5e-05"``) when it is non-zero but would print as 0.00. NaN and ±inf print as
    ``nan``, ``inf``, ``-inf``.

    Raises:
        ValueError unless ``v`` is one real number and ``decimals`` a whole number from 0 to 6.
    """
    v = _real_number(v)
    check_decimals(decimals)
    if _is_tiny(v, decimals):
        return f"{v:.1e}"
    s = f"{v:.{decimals}f}"
    if float(s) == 0:
        s = f"{0:.{decimals}f}"
    return s


def latex_number(v, decimals=2):
    """One number as LaTeX text: like ``number_text``, with ``4.5\\times 10^{-5}`` for a tiny one."""
    text = number_text(v, decimals)
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text


def latex_matrix(a, decimals=2, highlight=None):
    """A vector or matrix as a LaTeX ``bmatrix``; a 1-D array is written as a column.

    ``highlight`` is an optional boolean mask of a's shape: those entries are drawn in a
    colour box (the window or the entry the notebook is talking about).

    Raises:
        ValueError for an array of more than 2 dimensions, or a ``highlight`` of another size.
    """
    check_decimals(decimals)
    a = as_float_array(a, "a")
    if a.ndim > 2:
        raise ValueError(f"latex_matrix writes a number, a vector or a matrix; got a of shape {a.shape}")
    if a.ndim == 0:
        return latex_number(a[()], decimals)
    if a.ndim == 1:
        a = a.reshape(-1, 1)
    if highlight is None:
        mask = np.zeros(a.shape, bool)
    else:
        mask = np.asarray(highlight, bool)
        if mask.size != a.size:
            raise ValueError(f"highlight must mark each entry of a {a.shape}; got highlight of shape {mask.shape}")
        mask = mask.reshape(a.shape)
    rows = []
    for i in range(a.shape[0]):
        cells = []
        for j in range(a.shape[1]):
            cell = latex_number(a[i, j], decimals)
            cells.append(r"\colorbox{#ffe08a}{$" + cell + "$}" if mask[i, j] else cell)
        rows.append(" & ".join(cells))
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def latex_shape(shape):
    """``(4, 3) -> "4\\times 3"``; a ValueError unless ``shape`` is a tuple or list of whole numbers ≥ 0."""
    if not isinstance(shape, (tuple, list)) or not all(
            isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise ValueError(f"shape must be a tuple of whole numbers, e.g. (4, 3); got {shape!r}")
    return r"\times ".join(str(d) for d in shape)


def latex_partial(name, of="L"):
    r"""LaTeX of ∂of/∂name: ``latex_partial("W_1") -> r"\frac{\partial L}{\partial W_1}"``.

    Raises:
        ValueError unless ``name`` and ``of`` are strings of LaTeX.
    """
    if not isinstance(name, str) or not isinstance(of, str):
        raise ValueError(f"name and of must be LaTeX strings, e.g. latex_partial('W', of='L'); got {name!r} and {of!r}")
    return r"\frac{\partial " + of + r"}{\partial " + name + "}"


_LABEL_COMMANDS = {r"\partial": "∂", r"\sigma": "<i>σ</i>", r"\eta": "<i>η</i>", r"\delta": "<i>δ</i>",
                   r"\tanh": "tanh", r"\hat": None}


def latex_label_html(tex):
    r"""A short LaTeX label as HTML that needs no MathJax: ``\partial L/\partial W^{(2)}`` ->
    ``∂<i>L</i>/∂<i>W</i><sup>(2)</sup>``.

    For the live panels (notebooks 04-05): a label typeset by MathJax is measured and laid out again
    each time its widget changes, on every slider move; plain HTML is not. Understands single
    letters (italic), digits, ``( ) / ' , + -``, ``\partial \sigma \eta \delta \tanh``, ``\hat y``
    (or ``\hat{y}``), and ``^{…}`` / ``_{…}`` (or one character).

    Raises:
        ValueError naming the part it cannot write (anything else: a label must never show raw TeX).
    """
    if not isinstance(tex, str):
        raise ValueError(f"a label must be a LaTeX string such as r'\\partial L/\\partial W'; got {tex!r}")
    return _label_html(tex, tex, 0)


LABEL_NESTING = 8  # scripts inside scripts: more than this is not a label (and would exhaust Python's stack)


def _label_html(part, tex, depth):
    """``part`` of the label ``tex`` as HTML; ``depth`` scripts deep. Errors name the whole label ``tex``."""
    if depth > LABEL_NESTING:
        raise ValueError(f"the label {tex!r} nests superscripts / subscripts more than {LABEL_NESTING} deep")
    out, i = [], 0

    def group(at):
        """The argument starting at ``at`` (``{…}`` or one character, spaces before it skipped, as TeX
        does) and where it ends."""
        while at < len(part) and part[at] == " ":
            at += 1
        if at < len(part) and part[at] == "{":
            unclosed, j = 1, at + 1
            while j < len(part) and unclosed:
                unclosed += {"{": 1, "}": -1}.get(part[j], 0)
                j += 1
            if unclosed:
                raise ValueError(f"unbalanced braces in the label {tex!r}")
            return part[at + 1:j - 1], j
        if at >= len(part):
            raise ValueError(f"the label {tex!r} ends where an argument should follow")
        return part[at], at + 1

    while i < len(part):
        c = part[i]
        if c == "\\":
            j = i + 1
            while j < len(part) and part[j].isalpha():
                j += 1
            command = part[i:j]
            if command not in _LABEL_COMMANDS:
                raise ValueError(f"latex_label_html cannot write {command!r} (in the label {tex!r})")
            i = j
            if command == r"\hat":
                argument, i = group(i)
                if len(argument) != 1 or not argument.isalpha():
                    raise ValueError(f"\\hat takes one letter here; got {argument!r} in the label {tex!r}")
                out.append(f"<i>{unicodedata.normalize('NFC', argument + chr(0x302))}</i>")  # ŷ as one character
            else:
                while i < len(part) and part[i] == " ":  # the space that ends a command's name
                    i += 1
                out.append(_LABEL_COMMANDS[command])
        elif c in "^_":
            argument, i = group(i + 1)
            tag = "sup" if c == "^" else "sub"
            out.append(f"<{tag}>{_label_html(argument, tex, depth + 1)}</{tag}>")
        elif c.isalpha():
            out.append(f"<i>{c}</i>")
            i += 1
        elif c.isdigit() or c in "()/,+-= ":
            out.append({"-": "−"}.get(c, c))
            i += 1
        elif c == "'":
            out.append("′")
            i += 1
        else:
            raise ValueError(f"latex_label_html cannot write {c!r} (in the label {tex!r})")
    return "".join(out)
