"""Gradient checks against centred differences, with a tolerance that follows from the method.

`eval_numerical_gradient` (step h = 1e-5, float64) estimates each entry of a gradient with an
error of about

    h**2 / 6 * |f'''|   (truncation)   +   delta_f / h   (round-off),

where delta_f, the error of computing the loss in float64, is at most a few hundred ulps of
|f| for these small networks (2.2e-16 * 100 * |f| / 1e-5 = 2e-9 |f|), and the truncation term,
for losses whose third derivative is of the order of their gradient times a few tens (tanh,
sigmoid and softmax of O(1) arguments), is near 1e-9 * |gradient|. Neither depends on the
CPU's exp or the order of its sums (AVX2 or AVX-512). So an entry is accepted when

    |analytic - numerical| <= RTOL * |numerical| + ATOL * max(1, |f|, max |numerical|)

with ATOL = 1e-8: an absolute floor scaled to the sizes of the loss and of the gradient. A
sweep of 100-200 seeds of every check in the suite found at most 1.9e-9 of that scale (the
truncation term: doubling h quadruples it). A purely relative error fails by construction: an
entry whose true gradient is 1e-4 has a relative error near 1e-6 from round-off alone. A
wrong gradient differs by the size of the gradient itself, orders of magnitude above this.

Centred differences are valid only where the loss is smooth within h of the point: near a
kink (ReLU at 0) they measure the average of two slopes. Tests of non-smooth functions draw
their points away from the kinks (`away_from_kinks`).
"""

import numpy as np

RTOL = 1e-6
ATOL = 1e-8


def gradient_problem(analytic, numerical, loss_value=1.0):
    """Why an analytic gradient disagrees with its centred-difference estimate, or None."""
    analytic, numerical = np.asarray(analytic, dtype=np.float64), np.asarray(numerical, dtype=np.float64)
    if analytic.shape != numerical.shape:
        return f"shape {analytic.shape}, expected {numerical.shape}"
    error = np.abs(analytic - numerical)
    scale = max(1.0, abs(float(loss_value)), float(np.max(np.abs(numerical), initial=0.0)))
    allowed = RTOL * np.abs(numerical) + ATOL * scale
    if np.all(error <= allowed):
        return None
    worst = np.unravel_index(np.argmax(error - allowed), error.shape)
    return (
        f"{int(np.sum(error > allowed))} entries differ; at {worst}: analytic {analytic[worst]:.10g}, "
        f"numerical {numerical[worst]:.10g} (allowed difference {allowed[worst]:.2g})"
    )


def assert_gradient_close(analytic, numerical, loss_value=1.0, name="gradient"):
    problem = gradient_problem(analytic, numerical, loss_value)
    assert problem is None, f"{name}: {problem}"


def away_from_kinks(pre_activations, margin=1e-3):
    """True when no pre-activation lies within `margin` of a ReLU kink (0).

    A step h = 1e-5 of one parameter moves a pre-activation by at most h times the largest
    input it multiplies (O(1) here), far less than 1e-3.
    """
    return all(np.min(np.abs(z)) > margin for z in pre_activations)
