"""What several test files share: one way to say "these gradients agree"."""
import numpy as np


def assert_gradients_agree(analytic, numeric, what=""):
    """An analytic gradient equals a central-difference one, up to finite-difference noise.

    With ε = 1e-6, rounding in f(x ± ε) leaves an absolute error of about 1e-10·|f| in each
    entry (and truncation about ε²), so a correct gradient agrees to 1e-5 relative or 1e-8
    absolute, even where the gradient itself is tiny. A wrong one (a transpose, a missing σ')
    is off by a sizeable part of the gradient. Shapes must match exactly: no broadcasting.
    """
    assert np.shape(analytic) == np.shape(numeric), f"{what}: shape {np.shape(analytic)} vs {np.shape(numeric)}"
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8, err_msg=what)
