"""What several assignments' hidden tests share: checks (Case.verify) for answers that a plain
comparison of outputs cannot judge. This module registers no exercise."""

import numpy as np

from autograder.engine import output_problem


def same_seed_problem(got, args, call, what):
    """Why a second call with the same arguments (the same seed) gives other `what`, or None."""
    again = call(*args)
    if again.error is None and output_problem(again.value, got, "a second call", 0.0, 0.0):
        return (
            f"two calls with the same seed gave different {what}: draw the random numbers from "
            "rng = np.random.default_rng(seed)"
        )
    return None


def integer_array_problem(got, expected, each, kind):
    """Why `got` is not an array of integers (of any integer dtype) shaped like `expected`, or None."""
    if type(got) is not np.ndarray:
        return f"the output should be a numpy array, but it is a {type(got).__name__}"
    if got.shape != expected.shape:
        return f"the output has shape {got.shape}, expected {expected.shape}: {each}"
    if got.dtype.kind not in "iu":
        return f"the output has dtype {got.dtype}; it should hold integer {kind}"
    return None
