"""What several assignments' hidden tests share: checks (Case.verify) for answers that a plain
comparison of outputs cannot judge. This module registers no exercise."""

from copy import deepcopy

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


def parts_problem(got, expected, names, whole):
    """Why the tuple `got` differs from `expected`: its length, then each part by its name."""
    if not isinstance(got, tuple) or len(got) != len(names):
        return f"{whole} should be the tuple ({', '.join(name.split()[-1] for name in names)})"
    parts = (output_problem(g, e, name) for g, e, name in zip(got, expected, names, strict=True))
    return next((problem for problem in parts if problem), None)


def value_and_cache(value, cache_parts):
    """A check of a forward pass that returns (value, cache): the value, then each part of the cache."""
    names = [f"the cache's {part}" for part in cache_parts]

    def problem(got, expected, args, call):
        if not isinstance(got, tuple) or len(got) != 2:
            return f"it should return the tuple ({value.split()[-1]}, cache)"
        found = output_problem(got[0], expected[0], value)
        return found or parts_problem(got[1], expected[1], names, "the cache")

    return problem


def updated_then_returned(reference, updated, returned=None):
    """A check of a function that updates an argument in place and returns values.

    It compares the argument after the call (named `updated`), then, when `returned` is given,
    the return value of a second call with the reference's: returned(value, wanted, args) -> problem.
    """

    def problem(got, expected, args, call):
        found = output_problem(got[0], expected[0], updated)
        if found or returned is None:
            return found
        outcome = call(*args)
        if outcome.error is not None:  # the first call succeeded, so this is unlikely
            return f"a second call raised {type(outcome.error).__name__}: {outcome.error}"
        return returned(outcome.value, reference(*deepcopy(args)), args)

    return problem


def returned_problem(what):
    """A returned(value, wanted, args) for updated_then_returned: compare the value, named `what`."""
    return lambda value, wanted, args: output_problem(value, wanted, what)
