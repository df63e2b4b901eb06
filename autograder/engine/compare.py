"""Comparing a student's output with the reference's: structure, then shape, then dtype, then
values. Never calls the student's objects' own methods (their __eq__ may lie)."""

import numpy as np

from autograder.kernel.calls import describe


def is_number(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def value_problem(got, expected, where, rtol, atol, equal_nan=False):
    """Why array `got` does not match `expected` in value, or None. Never calls got.__eq__."""
    scalar = np.ndim(expected) == 0
    got64 = np.array(got, dtype=np.float64, ndmin=1)
    expected64 = np.array(expected, dtype=np.float64, ndmin=1)
    with np.errstate(invalid="ignore", over="ignore"):
        error = np.abs(got64 - expected64)
    error[np.isnan(got64) & ~np.isnan(expected64)] = np.inf
    if equal_nan:
        error[~np.isfinite(got64) & ~np.isfinite(expected64) & (got64 != expected64)] = np.inf
        error[np.isnan(got64) & np.isnan(expected64)] = 0.0
        error[np.isinf(got64) & (got64 == expected64)] = 0.0
    scale = np.nan_to_num(np.abs(expected64), nan=0.0, posinf=0.0)
    wrong = ~(error <= atol + rtol * scale)
    if not wrong.any():
        return None
    index = np.unravel_index(np.argmax(np.where(wrong, error, -1.0)), error.shape)
    at = "" if scalar else f" at index {tuple(int(i) for i in index)}"
    got_value, expected_value = got64[index], expected64[index]
    if scalar:
        return f"{where} is {got_value:.6g}, expected {expected_value:.6g}"
    return (
        f"{where} has wrong values: {int(wrong.sum())} of {wrong.size} entries differ; "
        f"the largest difference is{at}: got {got_value:.6g}, expected {expected_value:.6g}"
    )


MISSING = object()  # the part of a value at a path it does not have


def part(value, path):
    """The part of value at path (tuple/list indices and dict keys), or MISSING."""
    for step in path:
        if isinstance(step, str) != isinstance(value, dict):
            return MISSING
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            return MISSING
    return value


def matches(got, expected, rtol, atol):
    """True when got matches expected (NaN where NaN is expected counts as a match)."""
    if got is MISSING or expected is MISSING:
        return False
    return not output_problem(got, expected, "", rtol, atol, equal_nan=True)


def index_suffix(path):
    """How indexing reaches the part at `path`: [2][0] or ['dWax']."""
    return "".join(f"['{step}']" if isinstance(step, str) else f"[{step}]" for step in path)


def output_problems(got, expected, name, rtol=1e-6, atol=1e-9, equal_nan=False, path=()):
    """(path, problem) for every leaf of `expected` (an array, a number, None) and for every part
    whose structure differs from it; problem is None where `got` matches. name(path) says what
    the part is called in a message."""
    where = name(path)
    if number_list(expected):  # losses, a history: one value, kept in a list or an array
        yield path, numbers_problem(got, expected, where, rtol, atol, equal_nan)
    elif isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            kind = type(expected).__name__
            yield path, f"{where} should be a {kind} of {len(expected)} values, but it is {describe(got)}"
        elif len(got) != len(expected):
            yield path, f"{where} should hold {len(expected)} values, but it holds {len(got)}"
        else:
            for i, (g, e) in enumerate(zip(got, expected, strict=True)):
                yield from output_problems(g, e, name, rtol, atol, equal_nan, (*path, i))
    elif isinstance(expected, dict):
        if not isinstance(got, dict):
            yield path, f"{where} should be a dict, but it is {describe(got)}"
        elif set(got) != set(expected):
            yield path, f"{where} should have the keys {sorted(expected)}, but it has {sorted(got)}"
        else:
            for k in expected:
                yield from output_problems(got[k], expected[k], name, rtol, atol, equal_nan, (*path, k))
    else:
        yield path, leaf_problem(got, expected, where, rtol, atol, equal_nan)


def number_list(value):
    """True for a non-empty list of numbers."""
    return isinstance(value, list) and bool(value) and all(is_number(v) for v in value)


def one_number(value):
    """The number that `value` is, or that an array holding one number holds (np.mean keeps some
    in an array), as a float; None for anything else."""
    if type(value) is np.ndarray and value.size == 1 and value.dtype.kind in "iuf":
        value = value.reshape(())[()]
    return float(value) if is_number(value) else None


def as_numbers(value):
    """A list of numbers as a float64 array; anything else as it is."""
    numbers = [one_number(v) for v in value] if isinstance(value, list) else [None]
    return np.array(numbers, dtype=np.float64) if numbers and None not in numbers else value


def numbers_problem(got, expected, where, rtol, atol, equal_nan):
    """Why `got` is not the list of numbers `expected` (a list, a tuple or a 1-D array will do)."""
    sequence = isinstance(got, (list, tuple)) or (type(got) is np.ndarray and got.ndim == 1)
    if sequence and len(got) != len(expected):
        return f"{where} should hold {len(expected)} values, but it holds {len(got)}"
    numeric = type(got) is np.ndarray and got.ndim == 1 and got.dtype.kind in "iuf"
    values = got.astype(np.float64) if numeric else as_numbers(list(got) if isinstance(got, tuple) else got)
    if type(values) is not np.ndarray:
        return f"{where} should be a list of {len(expected)} numbers, but it is {describe(got)}"
    return value_problem(values, as_numbers(expected), where, rtol, atol, equal_nan)


def leaf_problem(got, expected, where, rtol, atol, equal_nan):
    """Why `got` does not match the array, number or None `expected`, or None."""
    if isinstance(expected, np.ndarray):
        if type(got) is not np.ndarray:
            return f"{where} should be a numpy array (np.ndarray), but it is {describe(got)}"
        if got.shape != expected.shape:
            return f"{where} has shape {got.shape}, expected {expected.shape}"
        if got.dtype != expected.dtype:
            return f"{where} has dtype {got.dtype}, expected {expected.dtype}"
        if expected.dtype.kind in "biu":
            wrong = got != expected
            if wrong.any():
                index = tuple(int(i) for i in np.argwhere(wrong)[0])
                return (
                    f"{where} has {int(wrong.sum())} wrong entries of {wrong.size}; first at index "
                    f"{index}: got {got[index]}, expected {expected[index]}"
                )
            return None
        return value_problem(got, expected, where, rtol, atol, equal_nan)
    if is_number(expected):
        if not is_number(got) and not (type(got) is np.ndarray and got.shape == ()):
            return f"{where} should be a number, but it is {describe(got)}"
        return value_problem(got, expected, where, rtol, atol, equal_nan)
    if expected is None:
        return None if got is None else f"{where} should be None, but it is {describe(got)}"
    if isinstance(expected, str):  # a name held in an argument, e.g. a dict describing a cell
        return None if type(got) is str and got == expected else f"{where} should be {expected!r}"
    if callable(expected):  # a function held in an argument: the same function, or another
        return None if got is expected else f"{where} should be the function {expected.__name__}"
    raise TypeError(f"cannot compare with {type(expected).__name__}")  # a bug in an exercise


def output_problem(got, expected, where, rtol=1e-6, atol=1e-9, equal_nan=False):
    """Why `got` does not match `expected` (structure, shape, dtype, values), or None."""
    problems = output_problems(got, expected, lambda path: where + index_suffix(path), rtol, atol, equal_nan)
    return next((problem for _, problem in problems if problem), None)


def without_functions(old, new):
    """old and new with None where old holds a function (at any depth): a function held in an
    argument cannot be changed in place, and from a graded kernel it comes back as a placeholder."""
    if callable(old):
        return None, None
    if isinstance(old, dict) and isinstance(new, dict) and set(old) == set(new):
        pairs = {key: without_functions(old[key], new[key]) for key in old}
        return {k: o for k, (o, _) in pairs.items()}, {k: n for k, (_, n) in pairs.items()}
    if isinstance(old, (tuple, list)) and isinstance(new, (tuple, list)) and len(old) == len(new):
        pairs = [without_functions(o, n) for o, n in zip(old, new, strict=True)]
        return type(old)(o for o, _ in pairs), type(new)(n for _, n in pairs)
    return old, new


def mutation_problem(before, after, names):
    """Which argument a call changed in place, or None."""
    for name, old, new in zip(names, before, after, strict=True):
        if isinstance(old, (str, bytes)):
            continue  # a name such as "relu": nothing a call could change
        old, new = without_functions(old, new)
        if output_problem(new, old, name, rtol=0.0, atol=0.0, equal_nan=True):
            return (
                f"it changed its argument `{name}` in place; compute a new array instead of "
                f"assigning into `{name}`"
            )
    return None
