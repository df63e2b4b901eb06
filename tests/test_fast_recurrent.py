"""The LSTM and GRU arranged for speed (bench/fast/lstm_gru.py) give the answer key's results.

The answer key (solutions/lstm_gru.py) loops over the cell functions; the fast versions stack
the gates and hoist the input products out of the loop, which changes only the order of the
floating-point sums. So every returned array, cache included, agrees to 1e-12 of its largest
entry. (tests/test_torch_parity.py compares both with PyTorch.)
"""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from fast import lstm_gru as fast  # noqa: E402

from solutions import lstm_gru as reference  # noqa: E402

pytestmark = pytest.mark.numerical

TOL = 1e-12


def arrays(value):
    """The arrays of a nested result (tuples, lists, dicts), in a fixed order."""
    if isinstance(value, (tuple, list)):
        return [a for item in value for a in arrays(item)]
    if isinstance(value, dict):
        return [a for key in sorted(value) for a in arrays(value[key])]
    return [np.asarray(value)]


def assert_same(fast_result, reference_result):
    got, expected = arrays(fast_result), arrays(reference_result)
    assert len(got) == len(expected)
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        assert g.shape == e.shape and g.dtype == e.dtype, (i, g.shape, e.shape, g.dtype, e.dtype)
        assert np.max(np.abs(g - e), initial=0.0) <= TOL * max(np.max(np.abs(e), initial=0.0), 1e-300), i


def random_problem(init, rng):
    """Random sizes (m = 1 and T_x = 1 included), non-zero biases, inputs and upstream gradients."""
    n_x, n_a, n_y, m, T_x = (int(v) for v in rng.integers(1, 7, size=5))
    parameters = init(n_x, n_a, n_y, seed=int(rng.integers(1000)))
    for name, value in parameters.items():
        if name.startswith("b"):
            parameters[name] = 0.5 * rng.standard_normal(value.shape)
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    return parameters, x, a0, rng.standard_normal((n_a, m, T_x))


@pytest.mark.parametrize("model", ["lstm", "gru"])
@pytest.mark.parametrize("seed", range(10))
def test_fast_equals_the_answer_key(model, seed):
    init = getattr(reference, f"init_{model}_parameters")
    parameters, x, a0, da = random_problem(init, np.random.default_rng(seed))
    results = {}
    for name, module in (("fast", fast), ("reference", reference)):
        forward = getattr(module, f"{model}_forward")(x, a0, parameters)
        results[name] = forward, getattr(module, f"{model}_backward")(da, forward[-1])
    assert_same(results["fast"], results["reference"])
